/* record: the one step every record takes, whichever path brought it — a
 * line of a block on the reading thread or on a worker, a probe's kept
 * line, or a record a whole-file decoder (EVTX, Ariel JSON) filled in.
 *
 * A line: blank lines are skipped; a one-pass run gathers it (held.h);
 * otherwise it is decoded through the view (view/bind.h), a bad record is counted and
 * reported as `file:line: decoder: message`, a good one gets its raw text
 * (@rawstring) and runs through the executor.
 *
 * Ownership: everything is borrowed; record_block() leaves the block as it
 * found it (it needs one byte of room past its end). */
#ifndef MAILC2_DRIVER_RECORD_H
#define MAILC2_DRIVER_RECORD_H

#include <pthread.h>

#include "driver/held.h"
#include "driver/prefilter.h"
#include "driver/source.h"
#include "exec/exec.h"
#include "util/diag.h"
#include "view/bind.h"

/* The notes decoders made on good records of one input (decoder.h: a
 * repeated key), counted by every worker reading it and said once, with
 * the count and the first, when the run ends: a rare event, so a lock. */
typedef struct input_notes {
    pthread_mutex_t lock;
    const char *shown;
    uint64_t n, first_line;     /* first_line: the lowest line with a note */
    char first[200];
} input_notes;

input_notes *input_notes_new(const char *shown);
/* Says the notes on `log`, if any, and frees them. */
void input_notes_close(input_notes *n, const logger *log);

/* An input of a line format as every thread reading it sees it. */
typedef struct record_input {
    const decoder *dec;
    void *ctx;                  /* its format's join table, or NULL */
    const char *shown;
    input_notes *notes;
    probe_lines pre;            /* copies of its probed lines and header */
    uint64_t seq;               /* its place in the run, << RECORD_SEQ_BITS */
    /* A one-pass run (held.h): */
    int gather;                 /* its lines are gathered, not evaluated, yet */
    int again;                  /* none is held: every line is a candidate, and the
                                   input (a file) is read again instead */
    _Atomic int gave_up;        /* its candidates went past the budget */
    _Atomic uint64_t skipped;   /* lines the prefilter skipped while gathering */
    uint64_t lines;             /* lines read, once the input is read */
    int probe;                  /* gathered without its join table, which some held
                                   candidates are decoded against (driver/run.c) */
    int fd;                     /* a plain file held open: its candidates are held by
                                   place (held.h); -1: copied */
    struct record_input *next;
} record_input;

/* The join tables of a run or of one thread, one per decoder that has
 * them (decoder.h decoder_context), made when first asked for. */
enum { RECORD_TABLES = 8 };
typedef struct join_tables {
    const decoder *dec[RECORD_TABLES];
    void *ctx[RECORD_TABLES];
    int n;
} join_tables;

/* dec's table in t, created if new; NULL when t is full. */
void *join_table(join_tables *t, const decoder *dec);

/* Join tables order lines by (input, line) (decoder.h context add). */
enum { RECORD_SEQ_BITS = 40 };

/* A record_input with copies of `pre` (freed by record_input_free). */
record_input *record_input_new(const decoder *dec, void *ctx, const char *shown,
                               input_notes *notes, const probe_lines *pre, int index);
void record_input_free(record_input *in);

enum { RECORD_ATTACH = 1, RECORD_PREAMBLE = 2 };
/* Opens the decoder of `in` for plan p on worker w; with RECORD_PREAMBLE
 * replays its probed lines uncounted (a CSV header names the columns on a
 * thread that did not read them); with RECORD_ATTACH attaches its join
 * table. NULL with err filled when p cannot be bound to it. */
view_decoder *record_open(const record_input *in, const plan *p, const input_settings *st,
                          exec_worker *w, int how, char *err, size_t errlen);

/* What a one-pass run takes from every line of an input before it can
 * evaluate any (held.h). */
typedef struct gather {
    void *ctx;                  /* the join table this thread builds, or NULL */
    exec_worker *newest;        /* max(time) over every event, or NULL */
    view_decoder *newest_vd;
    int raw_time;               /* read the time raw where the decoder can */
    held *keep;                 /* the candidate lines */
    record_input *in;
    view_decoder *probe;        /* in->probe: decodes sampled candidates, or NULL */
    unsigned held;              /* candidates held through this gather */
    uint64_t skipped;           /* lines it skipped, not yet added to in->skipped */
    const char *block;          /* the block being gathered, block_len bytes at */
    size_t block_len;           /* offset block_at of in->fd, when it has one */
    uint64_t block_at;
    int64_t newest_ms;          /* the newest raw time so far, given to newest
                                   once, at record_gathered; INT64_MIN: none */
} gather;

/* The lines of a block read in one pass are read this many at a time
 * (a block of 1 MiB holds about 1,300 Falcon events). */
enum { RECORD_SCANNED = 4096 };

/* One thread's state across its blocks: how its lines went lately (how
 * they were read raw: json.h; whether the prefilter passed nearly all it
 * tested: record.c), the lines of its block read in one pass, and what is
 * said of the lines of a block not numbered yet (record_block_numbered). */
typedef struct record_thread {
    json_habit raw;
    json_lines_keys keys;       /* what the block's pass answers (raw.scan, kept
                                   for the block: its lines' answers borrow it) */
    json_lines_line *lines;     /* RECORD_SCANNED of them at most */
    const json_lines_line *line; /* the line being read, when it was scanned */
    uint32_t tested, passed;    /* since the last decision */
    uint32_t untested;          /* lines still to decode before testing */
    int defer;                  /* line numbers are the block's, from 0 */
    struct record_said {        /* a bad record or a note, said once numbered */
        uint64_t line;
        int note;
        char *text;
    } *said;
    size_t nsaid, said_cap;
} record_thread;

/* How a block whose lines its reader did not count is numbered: `first`
 * is told the block's lines, once the thread has counted them, and, when
 * `need`, returns the number of the block's first line (the blocks before
 * it counted by other threads, it may wait for them; without `need` it
 * does not wait, and returns 0). */
typedef struct record_numbering {
    uint64_t (*first)(void *arg, uint64_t lines, int need);
    void *arg;
} record_numbering;

typedef struct record_src {
    const char *shown;          /* the input's name in messages */
    const decoder *dec;
    view_decoder *vd;           /* NULL: decode nothing */
    int raw_slot;               /* PLAN_RAW_FIELD's slot, or -1 */
    diag *d;
    input_notes *notes;         /* NULL: notes are not counted */
    prefilter *pf;              /* lines that cannot pass are skipped (this
                                   thread's); NULL: none */
    uint64_t seq;               /* the input's (record_input) */
    gather *g;                  /* a one-pass run's gathering, or NULL */
    record_thread *thread;      /* this thread's; NULL: none kept */
} record_src;

/* A new input's binding (filling row[0, nreq)): the row slots it does not fill (canonical inputs
 * of another input's derived values) are cleared, so no value of the last
 * input — pointing into its freed buffers — reaches a kept row. */
void record_bind(exec_worker *w, int nreq);
/* Returns what the decoder said (decoder.h DECODE_*), DECODE_SKIP for a
 * blank line or when nothing is decoded. */
int record_line(exec_worker *w, const record_src *s, uint64_t lineno, char *line, size_t len);
/* Every line of block[0, len), the first numbered first_line; where the
 * prefilter can search the block for its literals (prefilter_blockwise, and
 * not while gathering), the lines it passes over are counted as skipped
 * without being split or read. s->thread is required. */
void record_block(exec_worker *w, const record_src *s, char *block, size_t len,
                  uint64_t first_line);
/* The same over a block whose lines are not counted yet (read at its
 * place: reader_place_block): it is numbered through num once its lines
 * are counted, by the pass that reads it; what is said of its lines before
 * (a bad record, a note) waits for it. */
void record_block_numbered(exec_worker *w, const record_src *s, char *block, size_t len,
                           const record_numbering *num);
/* Frees what t holds (its lines' answers, its list of what is said). */
void record_thread_free(record_thread *t);
/* The end of a gather: what it counted goes to its input (once, not a
 * shared counter per line, which the workers' caches passed back and
 * forth). */
void record_gathered(gather *g);
/* Evaluates the held lines of one chunk (s->pf: none; they passed it),
 * reading those held by place through hr. */
void record_chunk(exec_worker *w, const record_src *s, const held_chunk *c, held_reader *hr);
/* Evaluates the held lines of every input not given up: each chunk's input
 * is bound on `w` (record_open with its join table; with `preamble` when
 * the held lines do not start with the input's probed lines, as on the
 * thread that read them), its lines go through the record step without
 * the prefilter they already passed. */
void record_replay(exec_worker *w, held *h, const plan *p, const input_settings *st, diag *d,
                   int raw_slot, int preamble);
/* The end of an input: an event a multi-line format still holds. */
void record_finish(exec_worker *w, const record_src *s);
/* A record a whole-file decoder has filled into w->row. */
void record_decoded(exec_worker *w, const view_binding *view);
/* A bad record a whole-file decoder met: by record number, or by byte
 * offset when record is 0. */
void record_bad(exec_worker *w, const record_src *s, uint64_t record, uint64_t offset,
                const char *msg);

#endif
