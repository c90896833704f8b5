/* record: the one step every record takes, whichever path brought it — a
 * line of a block on the reading thread or on a worker, a probe's kept
 * line, or a record a whole-file decoder (EVTX, Ariel JSON) filled in.
 *
 * A line: blank lines are skipped; a join table being built gets it; then
 * it is decoded through the view (view/bind.h), a bad record is counted and
 * reported as `file:line: decoder: message`, a good one gets its raw text
 * (@rawstring) and runs through the executor.
 *
 * Ownership: everything is borrowed; record_block() leaves the block as it
 * found it (it needs one byte of room past its end). */
#ifndef MAILC2_DRIVER_RECORD_H
#define MAILC2_DRIVER_RECORD_H

#include <pthread.h>

#include "driver/prefilter.h"
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

typedef struct record_src {
    const char *shown;          /* the input's name in messages */
    const decoder *dec;
    view_decoder *vd;           /* NULL: decode nothing (a join-table pass) */
    void *ctx;                  /* the join table being built, or NULL */
    int raw_slot;               /* PLAN_RAW_FIELD's slot, or -1 */
    diag *d;
    input_notes *notes;         /* NULL: notes are not counted (a join-table pass) */
    const prefilter *pf;        /* lines that cannot pass are skipped; NULL: none */
} record_src;

/* A new input's binding (filling row[0, nreq)): the row slots it does not fill (canonical inputs
 * of another input's derived values) are cleared, so no value of the last
 * input — pointing into its freed buffers — reaches a kept row. */
void record_bind(exec_worker *w, int nreq);
/* Returns what the decoder said (decoder.h DECODE_*), DECODE_SKIP for a
 * blank line or when nothing is decoded. */
int record_line(exec_worker *w, const record_src *s, uint64_t lineno, char *line, size_t len);
/* Every line of block[0, len), the first numbered first_line. */
void record_block(exec_worker *w, const record_src *s, char *block, size_t len,
                  uint64_t first_line);
/* The end of an input: an event a multi-line format still holds. */
void record_finish(exec_worker *w, const record_src *s);
/* A record a whole-file decoder has filled into w->row. */
void record_decoded(exec_worker *w, const view_binding *view);
/* A bad record a whole-file decoder met: by record number, or by byte
 * offset when record is 0. */
void record_bad(exec_worker *w, const record_src *s, uint64_t record, uint64_t offset,
                const char *msg);

#endif
