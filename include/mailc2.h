/* mailc2.h: the mailc2 library — T1071.003 hunting (command and control
 * over SMTP, POP3 and IMAP) as an engine a program embeds. The `mailc2`
 * command is a short main over exactly this API.
 *
 *   mc_options o;  mc_options_init(&o);
 *   mc_error err;
 *   mc_engine *e = mc_engine_open(&o, &err);
 *   mc_query *q = mc_compile(e, "logscale", "seed", text, len, &err);
 *   mc_input in = mc_input_memory("events", bytes, nbytes);
 *   mc_sink *out = mc_sink_open("jsonl", stdout, "<stdout>", &err);
 *   mc_report *r;
 *   int rc = mc_run(e, q, &in, 1, out, &r, &err);
 *   mc_report_free(r); mc_sink_free(out); mc_query_free(q); mc_engine_close(e);
 *
 * Errors, one convention throughout: a function that makes something
 * returns it, or NULL on failure; any other returns 0 (MC_OK) or a negative
 * MC_E* code. Either way it fills the caller's mc_error (when not NULL)
 * with the code, a message, and where the problem is: the rule or input
 * named in `file`, a 1-based line and column for rule text, a byte offset
 * for binary input. The library never exits or prints on its own; it
 * writes only to the FILE* a caller hands it (explain, built-in sinks), and
 * tells everything else through mc_options.log. The one exception is
 * running out of memory, which ends the process with a message.
 *
 * Ownership: whoever makes a thing frees it with the matching *_free or
 * *_close; strings a callback or accessor returns stay valid until the call
 * returns (callbacks) or until the object they came from is freed. Settings
 * are copied when the engine opens; two engines in one process are
 * independent. Symbols: every public name starts with mc_ or MC_. */
#ifndef MAILC2_H
#define MAILC2_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MAILC2_VERSION "0.2.0"

#if defined(__GNUC__)
#define MC_API __attribute__((visibility("default")))
#else
#define MC_API
#endif

/* ---- errors ---------------------------------------------------------- */

enum mc_status {
    MC_OK = 0,
    MC_E_USAGE = -1,   /* an option or argument is not valid */
    MC_E_RULE = -2,    /* a rule does not compile (line and column set) */
    MC_E_INPUT = -3,   /* an input could not be read; the others were, and
                          their rows and report were still delivered */
    MC_E_WRITE = -4,   /* a sink failed (e.g. the disk is full) */
    MC_E_REFUSED = -5, /* a conversion target cannot express the query */
};

typedef struct mc_error {
    int code;              /* enum mc_status */
    char message[512];
    char file[256];        /* the rule or input concerned; "" when none */
    int line, column;      /* 1-based place in rule text; 0 when none */
    uint64_t offset;       /* byte offset in binary input; 0 when none */
} mc_error;

/* Prints a compile error as compilers do: `file:line:col: message`, the
 * rule's line, and a caret under the column. `text` is the rule. */
MC_API void mc_error_print(const mc_error *err, const char *text, size_t len, FILE *out);

/* ---- engine ---------------------------------------------------------- */

typedef struct mc_options {
    const char *local_nets;   /* networks counted as local, "10.0.0.0/8,...";
                                 NULL: RFC 1918, RFC 6598, loopback,
                                 link-local, IPv6 ULA */
    const char *field_map;    /* generic CSV/JSON: "canonical=native,..."; NULL: none */
    int threads;              /* worker threads; 0: one per CPU */
    int64_t now_ms;           /* the window's end (ms since the epoch, UTC) */
    int now_latest;           /* ...or the newest event in the input */
    int no_enrich;            /* no joins of raw Falcon/Windows events to their process */
    int emulate_limits;       /* apply the source SIEM's default caps */
    unsigned max_errors;      /* bad-record messages shown before only counting */
    uint64_t max_record;      /* longest line in bytes; past it the input stops
                                 with an error naming the line. 0: no limit */
    uint64_t max_memory;      /* bytes for group tables and for a stream held for
                                 the first pass; past it new groups (or that
                                 stream) are refused, with a message. 0: none */
    const char *temp_dir;     /* where a first pass's held lines past 64 MiB go,
                                 in a file with no name (borrowed for the
                                 engine's life); NULL: /tmp */
    uint64_t max_groups;      /* groups a result may hold; past it the events of
                                 new groups are refused and counted. 0: none */
    uint32_t regex_limit;     /* PCRE2 match limit per match; a record reaching it
                                 is an error for that record. 0: 1,000,000 */
    int no_prefilter;         /* parse every line: by default lines of JSON input
                                 that cannot pass the query's first filters on
                                 top-level keys are skipped unparsed (counted) */
    /* Tuning profiles (YAML files of allow entries, see the man page):
     * findings they match are left out and counted per entry, or, with
     * show_suppressed, kept with a last column `suppressed_by`. Read when
     * the engine opens; a mistake is MC_E_USAGE with file, line, column. */
    const char *const *profiles;
    size_t nprofiles;
    int show_suppressed;
    /* Messages while a query compiles and runs, each without a final
     * newline, with its kind: MC_LOG_BAD a bad record (`file:line: decoder:
     * what`, at most max_errors of them), MC_LOG_WARN a rule warning (with
     * the rule's line and a caret), MC_LOG_NOTE an input that could not be
     * read, what joins achieved. NULL: silent. */
    void (*log)(void *ud, int kind, const char *msg);
    void *log_ud;
    void (*progress)(void *ud, uint64_t done, uint64_t total);   /* bytes */
    void *progress_ud;
} mc_options;

enum { MC_LOG_BAD, MC_LOG_WARN, MC_LOG_NOTE };

/* Defaults: now = the wall clock, threads = 0, max_errors = 10,
 * max_record = 64 MiB, max_memory = half the machine's memory,
 * max_groups = 10,000,000, regex_limit = 1,000,000, temp_dir = $TMPDIR
 * (NULL when unset), all else 0. */
MC_API void mc_options_init(mc_options *o);

typedef struct mc_engine mc_engine;

/* NULL with err filled when an option is not valid (a network that is not
 * one, a map naming no canonical field). */
MC_API mc_engine *mc_engine_open(const mc_options *o, mc_error *err);
MC_API void mc_engine_close(mc_engine *e);

/* ---- queries --------------------------------------------------------- */

typedef struct mc_query mc_query;

/* Compiles rule text. lang: "logscale" or "aql", or NULL to tell it from
 * the extension of `name` (.logscale, .cql, .aql). */
MC_API mc_query *mc_compile(mc_engine *e, const char *lang, const char *name, const char *text,
                            size_t len, mc_error *err);

/* The built-in hunt; NULL fields keep the defaults. */
typedef struct mc_hunt_options {
    const char *ports;        /* "25,587,2525" */
    const char *allow;        /* more process names to exclude, "a.exe,b" */
    const char *threshold;    /* report groups with more than N connections */
    const char *window;       /* look back: "90m", "24h", "7d" */
    /* The findings carry a triage score (0-100: periodicity, rarity,
     * process, protocol; docs/triage.md) with columns score, score_parts,
     * why and next_steps, and come ordered by score, then count. */
    const char *min_score;    /* leave out findings scoring less (counted) */
    const char *sort;         /* "score" (default) or "count": the seeds' order */
} mc_hunt_options;

MC_API mc_query *mc_hunt(mc_engine *e, const mc_hunt_options *h, mc_error *err);
/* The plan, one operator per line (`mailc2 explain`). */
MC_API void mc_query_explain(const mc_query *q, FILE *out);
MC_API void mc_query_free(mc_query *q);

/* ---- conversion ------------------------------------------------------ */

/* How `mailc2 convert` renders a query for another engine. */
typedef struct mc_convert_options {
    const char *table;        /* SQL targets: the table read; NULL: "events" */
    const char *schema;       /* SQL targets: "native" (NULL: the query's own field
                                 names as columns) or "ocsf" (OCSF Network
                                 Activity, as Amazon Security Lake stores it) */
    const char *now;          /* ISO 8601 time written for the query's now
                                 instead of the engine's clock; NULL: the clock */
    int allow_loss;           /* 1: a part the target cannot express but the
                                 query stands without (LogScale's window, Sigma's
                                 limit) is written as a comment instead of refused */
    const char *window;       /* the search's time range ("24h", "7d") for a rule
                                 whose language keeps it outside the query
                                 (LogScale): Sigma's timespan when the plan has no
                                 window; NULL: none */
    void (*not_carried)(const char *what, void *arg); /* with allow_loss: told each
                                 part left out, once the query is written; may be NULL */
    void *not_carried_arg;
} mc_convert_options;

/* Writes the query's plan as query text for `target` (mc_convert_target
 * lists them) to out. Returns MC_OK; MC_E_USAGE for an unknown target,
 * schema or time; MC_E_REFUSED when the target cannot express a part of
 * the plan, with a message naming the construct and the target (nothing
 * is written then; with allow_loss, only for parts the query cannot stand
 * without). */
MC_API int mc_query_convert(const mc_query *q, const char *target, const mc_convert_options *o,
                            FILE *out, mc_error *err);
/* The i-th target's name, or NULL past the last. */
MC_API const char *mc_convert_target(size_t i);

/* ---- lint ------------------------------------------------------------ */

/* What a detection engineer should know before deploying a rule: the
 * places where the SIEM would quietly answer other than the rule seems to
 * say (a direction test that hides loopback, a QRadar threshold counted
 * per 5 minutes, group keys whose absence drops events, exclusions a
 * renamed binary evades, limits that cut rows, ports compared as text,
 * fields an input format does not map). */
typedef struct mc_lint_options {
    const char *format_of;    /* an input format (mc_format_name): also report the
                                 fields the rule reads that it does not map;
                                 NULL: none */
} mc_lint_options;

typedef struct mc_lint_warning {
    const char *id;           /* the check's stable name: "aql-l2r-loopback" */
    const char *file;         /* the rule's name; "builtin" for the hunt */
    int line, column;         /* 1-based place in the rule text; 0 when none */
    const char *message;      /* one line */
    const char *fix;          /* one line: what to change */
} mc_lint_warning;

typedef void (*mc_lint_fn)(void *ud, const mc_lint_warning *w);

/* Calls fn once per warning, ordered by place in the rule (those without
 * one first); the strings live until fn returns. Returns the number of
 * warnings, or MC_E_USAGE when format_of names no input format. */
MC_API int mc_query_lint(const mc_query *q, const mc_lint_options *o, mc_lint_fn fn, void *ud,
                         mc_error *err);
/* Writes one warning to out as "text" (`file:line:col: warning: message
 * [id]`, then `  fix: ...`) or "jsonl" (one object: file, line, column,
 * id, message, fix; line and column null when there is no place).
 * Returns 0, or -1 for another format or when writing failed. */
MC_API int mc_lint_write(const mc_lint_warning *w, const char *format, FILE *out);

/* ---- inputs ---------------------------------------------------------- */

typedef struct mc_input {
    int kind;                 /* MC_INPUT_PATH, _MEMORY or _STREAM */
    const char *name;         /* the path, or the name used in messages */
    const void *data;         /* memory: the bytes (borrowed during mc_run) */
    size_t len;
    /* stream: bytes read into buf (at most n), 0 at the end, -1 on error */
    long (*read)(void *ud, void *buf, size_t n);
    void *ud;
} mc_input;

enum { MC_INPUT_PATH, MC_INPUT_MEMORY, MC_INPUT_STREAM };

/* A file, a directory (every file below it), or "-" for stdin. */
MC_API mc_input mc_input_path(const char *path);
MC_API mc_input mc_input_memory(const char *name, const void *data, size_t len);
MC_API mc_input mc_input_stream(const char *name, long (*read)(void *, void *, size_t),
                                void *ud);

/* ---- rows, reports and sinks ---------------------------------------- */

typedef struct mc_row mc_row;
typedef struct mc_report mc_report;

enum mc_cell_type {
    MC_CELL_NULL, MC_CELL_BOOL, MC_CELL_INT, MC_CELL_FLOAT, MC_CELL_TIME, MC_CELL_IP,
    MC_CELL_TEXT,
};
enum { MC_CELL_TEXT_MAX = 40 };   /* room for a number or time as text */

MC_API size_t mc_row_ncols(const mc_row *r);
MC_API int mc_cell_type(const mc_row *r, size_t col);
/* The cell as text (times ISO 8601 UTC with ms; NULL as ""): points into
 * the row or into buf. */
MC_API const char *mc_cell_text(const mc_row *r, size_t col, char buf[MC_CELL_TEXT_MAX],
                                size_t *len);
/* Integers, booleans and times (ms) as integers; 0 for other types. */
MC_API int64_t mc_cell_int(const mc_row *r, size_t col);
MC_API double mc_cell_float(const mc_row *r, size_t col);

/* What a run saw, as data: the counts, and the notes a person should read
 * (the summary line first; what the time window removed; where the source
 * SIEM would have answered differently; what the plan asked to count). */
enum mc_count {
    MC_COUNT_FILES, MC_COUNT_EVENTS, MC_COUNT_BAD, MC_COUNT_SKIPPED, MC_COUNT_FAILED,
    MC_COUNT_MATCHED, MC_COUNT_ROWS, MC_COUNT_GROUPS,
};
MC_API uint64_t mc_report_count(const mc_report *r, int which);
MC_API int64_t mc_report_now(const mc_report *r);     /* the window's end used */
MC_API size_t mc_report_nnotes(const mc_report *r);
MC_API const char *mc_report_note(const mc_report *r, size_t i);
/* The report as one JSON object (a machine's run summary): the counts by
 * name, "now" (ISO 8601 UTC), "notes" and the caller's `exit_status`.
 * Returns 0, or -1 when writing failed. */
MC_API int mc_report_write_json(const mc_report *r, int exit_status, FILE *out);
MC_API void mc_report_free(mc_report *r);

/* A sink receives the result. Each callback returns 0 to go on, nonzero
 * to stop the run with MC_E_WRITE (a write failed). */
typedef struct mc_sink_ops {
    int (*begin)(void *ud, const char *const *names, size_t ncols);
    int (*row)(void *ud, const mc_row *row);
    int (*end)(void *ud);
    int (*report)(void *ud, const mc_report *r);   /* may be NULL */
} mc_sink_ops;

typedef struct mc_sink mc_sink;

MC_API mc_sink *mc_sink_new(const mc_sink_ops *ops, void *ud);
/* The built-in formats: "table" (aligned, NULL as -), "jsonl", "csv"
 * (RFC 4180). `name` names `out` in a write-error message. */
MC_API mc_sink *mc_sink_open(const char *format, FILE *out, const char *name, mc_error *err);
/* A "table" sink for a terminal `width` characters wide (0: values whole):
 * the widest text columns are shortened, "…" in the middle of a path (its
 * file name kept) or at the end of other text, so a row fits; color: bold
 * column names, dim NULLs. No effect on other sinks. */
MC_API void mc_sink_fit(mc_sink *s, int width, int color);
/* Passes only the columns named in `list` ("host,process,count"), in that
 * order. A name the result lacks makes mc_run fail with MC_E_USAGE, naming
 * the columns it has. Returns 0, or -1 for an empty list or name. */
MC_API int mc_sink_columns(mc_sink *s, const char *list);
MC_API void mc_sink_free(mc_sink *s);

/* ---- running --------------------------------------------------------- */

/* Runs q over the inputs; rows go to the sink, *report (when not NULL) is
 * the caller's to free. Returns MC_OK, MC_E_INPUT (some input unreadable;
 * rows and report delivered), MC_E_WRITE, or MC_E_USAGE (the sink's
 * --columns names a column the result lacks; nothing delivered). */
MC_API int mc_run(mc_engine *e, const mc_query *q, const mc_input *in, size_t nin, mc_sink *sink,
                  mc_report **report, mc_error *err);

/* ---- live sensor (Linux) --------------------------------------------- */

/* Outbound TCP connections of this machine as they happen, each a JSON
 * line shaped as a Sysmon for Linux network event (event 3: Image,
 * CommandLine, User, ProcessId, SourceIp, SourcePort, DestinationIp,
 * DestinationPort, UtcTime, Computer), so every rule reads them as it reads
 * a recorded Sysmon file. Modes: eBPF (fentry on tcp_connect, else the BTF
 * tracepoint inet_sock_set_state, which knows no source port), else
 * polling the socket table through netlink sock_diag, which misses
 * connections opened and closed between two polls. */
typedef struct mc_sensor mc_sensor;

enum { MC_SENSOR_AUTO, MC_SENSOR_EBPF, MC_SENSOR_SOCK_DIAG };

typedef struct mc_sensor_options {
    int mode;                 /* MC_SENSOR_AUTO: eBPF, else sock_diag */
    unsigned poll_ms;         /* sock_diag: time between polls (default 100) */
    size_t ring_bytes;        /* eBPF ring buffer, a power of two (default 16 MiB:
                                 about 11,000 connections, what arrives while a
                                 report runs) */
} mc_sensor_options;

MC_API void mc_sensor_options_init(mc_sensor_options *o);
/* NULL with err filled when no allowed mode works (the message says why
 * for each); MC_SENSOR_EBPF fails rather than falling back. */
MC_API mc_sensor *mc_sensor_open(const mc_sensor_options *o, mc_error *err);
/* The mode running: "ebpf-fentry", "ebpf-tp_btf" or "sock_diag". */
MC_API const char *mc_sensor_mode(const mc_sensor *s);
/* What a person should know about the mode: why eBPF is not used, what
 * the mode cannot see; "" when nothing. */
MC_API const char *mc_sensor_note(const mc_sensor *s);
/* Waits up to timeout_ms for the next connection: 1 with *line (a JSON
 * object and its newline, valid until the next call or close), *len and
 * *time_ms (the event's time) set; 0 when the time passed or a signal
 * arrived; a negative MC_E_INPUT with err filled when the sensor failed. */
MC_API int mc_sensor_next(mc_sensor *s, int timeout_ms, const char **line, size_t *len,
                          int64_t *time_ms, mc_error *err);

enum mc_sensor_count {
    MC_SENSOR_SEEN,           /* events delivered */
    MC_SENSOR_DROPPED,        /* lost in the kernel: the ring buffer was full */
    MC_SENSOR_NO_PROCESS,     /* delivered without the executable's path */
    MC_SENSOR_FROM_KERNEL,    /* the process was gone: path and command line
                                 from the kernel's copy (eBPF) */
};
MC_API uint64_t mc_sensor_count(const mc_sensor *s, int which);
MC_API void mc_sensor_close(mc_sensor *s);

/* The events of a sliding window, held as JSON lines for mc_run: at most
 * max_events (the oldest go first, counted), none older than span_ms. */
typedef struct mc_window mc_window;

MC_API mc_window *mc_window_new(int64_t span_ms, size_t max_events);
MC_API void mc_window_add(mc_window *w, const char *line, size_t len, int64_t time_ms);
/* Drops the events at or before now_ms - span_ms and returns the rest as
 * one memory input, valid until the next mc_window_add or free. */
MC_API mc_input mc_window_input(mc_window *w, int64_t now_ms);
MC_API size_t mc_window_size(const mc_window *w);
/* Events pushed out early because the window held max_events. */
MC_API uint64_t mc_window_evicted(const mc_window *w);
MC_API void mc_window_free(mc_window *w);
/* A duration as the flags write it ("500ms", "90s", "10m", "24h", "7d")
 * to ms: 0, or -1 when it is not one or not positive. */
MC_API int mc_duration_parse(const char *text, int64_t *ms);

/* A sink for repeated runs over a window: writes in `format` (as
 * mc_sink_open) only the rows it has not written before, so each report
 * shows the findings that are new or whose values changed. A table is
 * aligned per run; CSV has its header once. */
MC_API mc_sink *mc_sink_changes(const char *format, FILE *out, const char *name,
                                mc_error *err);
/* Rows written so far. */
MC_API uint64_t mc_sink_changes_count(const mc_sink *s);

/* ---- helpers the command line shares --------------------------------- */

MC_API int64_t mc_time_now_ms(void);
/* ISO 8601 ("2026-11-23T12:00:00Z") to ms; 0, or -1 when it is not one. */
MC_API int mc_time_parse(const char *text, int64_t *ms);
/* The input formats: name and a line describing it; NULL past the end. */
MC_API const char *mc_format_name(size_t i);
MC_API const char *mc_format_describe(size_t i);

#ifdef __cplusplus
}
#endif

#endif
