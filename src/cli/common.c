/* common: shared flags, execution, output and summary for the subcommands
 * that run a query (see common.h). */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "present.h"

void cli_common_init(cli_common *c)
{
    memset(c, 0, sizeof *c);
    mc_options_init(&c->o);
    c->progress = -1;
}

int cli_usage_error(const char *fmt, const char *arg)
{
    fputs("mailc2: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'mailc2 --help'.\n", stderr);
    return EXIT_USAGE;
}

static int number_option(const char *arg, long max, long *n)
{
    char *end;
    *n = strtol(arg, &end, 10);
    return end == arg || *end || *n < 0 || *n > max ? -1 : 0;
}

/* SIZE: bytes, or with a binary suffix K, M or G (64M). */
static int size_option(const char *arg, uint64_t *n)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    int shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
    if (end == arg || *arg == '-' || errno || (shift && end[1]) || (!shift && *end) ||
        v > (1ull << 40) >> shift)
        return -1;
    *n = (uint64_t)v << shift;
    return 0;
}

int cli_common_option(cli_common *c, int opt, const char *arg)
{
    long n;
    switch (opt) {
    case OPT_NOW:
        c->o.now_latest = strcmp(arg, "latest") == 0;
        if (!c->o.now_latest && mc_time_parse(arg, &c->o.now_ms))
            return cli_usage_error("--now: '%s' is neither 'latest' nor an ISO 8601 time "
                                   "(2026-11-23T12:00:00Z)", arg);
        return 0;
    case OPT_FORMAT:
        if (strcmp(arg, "table") && strcmp(arg, "jsonl") && strcmp(arg, "json") && strcmp(arg, "csv") &&
            strcmp(arg, "html") && strcmp(arg, "ocsf"))
            return cli_usage_error("--format: '%s' is not table, jsonl, csv, html or ocsf", arg);
        c->format = arg;
        return 0;
    case OPT_OUTPUT: c->output = arg; return 0;
    case OPT_MAX_ERRORS:
        if (number_option(arg, 1L << 30, &n))
            return cli_usage_error("--max-errors: '%s' is not a whole number >= 0", arg);
        c->o.max_errors = (unsigned)n;
        return 0;
    case OPT_PROGRESS: c->progress = 1; return 0;
    case OPT_NO_PROGRESS: c->progress = 0; return 0;
    case OPT_QUIET: c->quiet = 1; return 0;
    case OPT_EMULATE_LIMITS: c->o.emulate_limits = 1; return 0;
    case OPT_NO_ENRICH: c->o.no_enrich = 1; return 0;
    case OPT_NO_PREFILTER: c->o.no_prefilter = 1; return 0;
    case OPT_LOCAL_NETS: c->o.local_nets = arg; return 0; /* checked when the engine opens */
    case OPT_MAP: c->o.field_map = arg; return 0;
    case OPT_THREADS:
        if (number_option(arg, 64, &n))
            return cli_usage_error("--threads: '%s' is not a number from 0 (one per CPU) to 64",
                                   arg);
        c->o.threads = (int)n;
        return 0;
    case OPT_MAX_RECORD:
        if (size_option(arg, &c->o.max_record))
            return cli_usage_error("--max-record: '%s' is not a size in bytes (a whole number, "
                                   "optionally with K, M or G; 0: no limit; at most 1T)", arg);
        return 0;
    case OPT_MAX_MEMORY:
        if (size_option(arg, &c->o.max_memory))
            return cli_usage_error("--max-memory: '%s' is not a size in bytes (a whole number, "
                                   "optionally with K, M or G; 0: no limit; at most 1T)", arg);
        return 0;
    case OPT_MAX_GROUPS:
        if (number_option(arg, 1L << 40, &n))
            return cli_usage_error("--max-groups: '%s' is not a whole number >= 0 (0: no limit)",
                                   arg);
        c->o.max_groups = (uint64_t)n;
        return 0;
    case OPT_REGEX_LIMIT:
        if (number_option(arg, 4000000000L, &n) || n == 0)
            return cli_usage_error("--regex-limit: '%s' is not a whole number from 1 to "
                                   "4000000000", arg);
        c->o.regex_limit = (uint32_t)n;
        return 0;
    case OPT_PROFILE:
        if (c->o.nprofiles == sizeof c->profiles / sizeof c->profiles[0])
            return cli_usage_error("--profile: at most 16 profiles ('%s' is one more)", arg);
        c->profiles[c->o.nprofiles++] = arg;
        c->o.profiles = c->profiles;
        return 0;
    case OPT_SHOW_SUPPRESSED: c->o.show_suppressed = 1; return 0;
    case OPT_WIDE: c->wide = 1; return 0;
    case OPT_COLUMNS: c->columns = arg; return 0;
    case OPT_SUMMARY_JSON: c->summary_json = arg; return 0;
    case OPT_HELP: usage(stdout); return -1;
    default: return 1;
    }
}

/* Messages as they come: bad records always (--max-errors bounds them),
 * warnings and notes unless --quiet. */
static void print_log(void *ud, int kind, const char *msg)
{
    const cli_common *c = ud;
    if (kind == MC_LOG_BAD || !c->quiet)
        fprintf(stderr, "%s\n", msg);
}

static void progress_bar(void *ud, uint64_t done, uint64_t total)
{
    cli_progress *pr = ud;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double elapsed = (double)(now.tv_sec - pr->start.tv_sec) +
                     (double)(now.tv_nsec - pr->start.tv_nsec) / 1e9;
    if (total == 0 || (!pr->drawn && elapsed < 1.0))
        return;
    if (done >= total) {
        fputs("\r\033[K", stderr); /* leave the terminal as it was */
        return;
    }
    pr->drawn = 1;
    int pct = (int)(done * 100 / total);
    if (pct > 100)
        pct = 100;
    char bar[31];
    memset(bar, ' ', 30);
    memset(bar, '#', (size_t)(pct * 30 / 100));
    bar[30] = '\0';
    fprintf(stderr, "\r[%s] %3d%% %" PRIu64 " MB", bar, pct, done >> 20);
}

mc_engine *cli_engine(cli_common *c)
{
    clock_gettime(CLOCK_MONOTONIC, &c->bar.start);
    if (c->progress == 1 || (c->progress == -1 && !c->quiet && isatty(STDERR_FILENO))) {
        c->o.progress = progress_bar;
        c->o.progress_ud = &c->bar;
    }
    c->o.log = print_log;
    c->o.log_ud = c;
    mc_error err;
    mc_engine *e = mc_engine_open(&c->o, &err);
    if (!e)
        cli_usage_error("%s", err.message);
    return e;
}

static mc_input *inputs(char *const *paths, int npaths)
{
    int n = npaths ? npaths : 1;
    mc_input *in = calloc((size_t)n, sizeof *in);
    for (int i = 0; in && i < n; i++)
        in[i] = mc_input_path(npaths ? paths[i] : "-");
    return in;
}

static int exit_status(int rc, const mc_error *err, const mc_report *r)
{
    if (rc == MC_E_WRITE || rc == MC_E_USAGE) {
        fprintf(stderr, "mailc2: %s\n", err->message);
        return rc == MC_E_WRITE ? EXIT_WRITE : EXIT_USAGE;
    }
    int found = r && mc_report_count(r, MC_COUNT_ROWS);
    if (rc == MC_E_INPUT)
        return found ? EXIT_FOUND_INPUT : EXIT_INPUT;
    return found ? EXIT_FOUND : EXIT_NOTHING;
}

/* The notes, the JSON summary (--summary-json), and the exit status. */
static int finish(const cli_common *c, int rc, const mc_error *err, const mc_report *r)
{
    if (!c->quiet && r)
        for (size_t i = 0; i < mc_report_nnotes(r); i++)
            fprintf(stderr, "mailc2: %s\n", mc_report_note(r, i));
    int status = exit_status(rc, err, r);
    FILE *f = r && c->summary_json ? fopen(c->summary_json, "w") : NULL;
    if (r && c->summary_json && (!f || mc_report_write_json(r, status, f) | fclose(f))) {
        fprintf(stderr, "mailc2: %s: cannot write the summary: %s\n", c->summary_json,
                strerror(errno));
        return EXIT_WRITE;
    }
    return status;
}

enum { OUT_BUF = 1 << 20 };

/* Where findings go: --output, or standard output; NULL when --output
 * cannot be opened. Off a terminal, it is a stream of our own with a 1 MiB
 * buffer (in *buf): a high-cardinality run writes hundreds of megabytes,
 * which the 4 KiB buffer stdio gives a pipe cut into tens of thousands of
 * writes. */
static FILE *open_output(const char *path, char **buf)
{
    *buf = NULL;
    if (!path && isatty(STDOUT_FILENO))
        return stdout;
    FILE *out = NULL;
    if (path) {
        out = fopen(path, "w");
    } else {
        /* Above 2: with standard input closed, dup() would give 0, and a
         * closed stdin would look open (driver/source.c). */
        int fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
        if (fd >= 0 && !(out = fdopen(fd, "w")))
            close(fd);
        if (!out)
            return stdout;
    }
    if (out && (*buf = malloc(OUT_BUF)))
        setvbuf(out, *buf, _IOFBF, OUT_BUF);
    return out;
}

int cli_execute(cli_common *c, mc_engine *e, const mc_query *q, char *const *paths, int npaths)
{
    char *buf;
    FILE *out = open_output(c->output, &buf);
    if (!out) {
        fprintf(stderr, "%s: %s\n", c->output, strerror(errno));
        return EXIT_USAGE;
    }
    const char *fmt = c->format ? c->format : isatty(fileno(out)) ? "table" : "jsonl";
    mc_error err;
    mc_sink *sink = mc_sink_open(fmt, out, c->output ? c->output : "<stdout>", &err);
    if (sink && !c->wide)
        mc_sink_fit(sink, cli_terminal_width(out), cli_color(out));
    if (sink && c->columns && mc_sink_columns(sink, c->columns)) {
        mc_sink_free(sink);
        if (out != stdout)
            fclose(out);
        free(buf);
        return cli_usage_error("--columns: '%s' is not a list of column names (a,b,c)",
                               c->columns);
    }
    cli_stdin_note(npaths, c->quiet);
    mc_input *in = inputs(paths, npaths);
    mc_report *r = NULL;
    int rc = sink && in ? mc_run(e, q, in, npaths ? (size_t)npaths : 1, sink, &r, &err)
                        : MC_E_USAGE;
    free(in);
    mc_sink_free(sink);
    if (out != stdout && fclose(out) != 0 && rc != MC_E_WRITE) {
        snprintf(err.message, sizeof err.message, "%s: write error: %s",
                 c->output ? c->output : "<stdout>", strerror(errno));
        rc = MC_E_WRITE;
    }
    free(buf);
    rc = finish(c, rc, &err, r);
    mc_report_free(r);
    return rc;
}
