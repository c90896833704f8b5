/* pool: the multi-core main pass (design §5).
 *
 * The reading thread cuts line-format input into chunks of whole lines;
 * worker threads decode them and run the plan, each into its own
 * exec_worker (its own partial group table, scratch and regex match data);
 * at the end the workers are folded into one with exec_worker_merge().
 * Only plans whose answer cannot depend on which thread saw which event use
 * it: aggregates without first(). Decoder contexts are read-only by then.
 *
 * Ownership: the pool borrows the plan, the decoders' contexts and the file
 * names it is given (they must outlive pool_finish); it owns its chunks,
 * threads and workers. */
#ifndef MAILC2_POOL_H
#define MAILC2_POOL_H

#include "exec/exec.h"
#include "input/decoder.h"
#include "util/diag.h"

typedef struct pool pool;

/* Whether a plan's result is the same however its events are split. */
int pool_eligible(const plan *p);
/* Starts `threads` workers (>= 2). Bad records are reported to `d`. */
pool *pool_new(const plan *p, int threads, int64_t now_ms, int emulate,
               const input_settings *s, diag *d);
/* Queues one line of a file read by `dec`, whose context (or NULL) the
 * workers attach after binding. */
void pool_line(pool *pl, const decoder *dec, void *ctx, const char *shown, uint64_t lineno,
               const char *line, size_t len);
/* Waits for every queued line, folds the workers into `into` and frees the
 * pool. */
void pool_finish(pool *pl, exec_worker *into);

#endif
