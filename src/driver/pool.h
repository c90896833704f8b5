/* pool: the multi-core main pass (design §5).
 *
 * The reading thread hands over blocks of whole lines as the reader cut
 * them (reader_next_block) — no line is copied; worker threads split them
 * and run each record through the one record step (record.h), each into its
 * own exec_worker (its own partial group table, scratch and regex match
 * data); at the end the workers are folded into one with
 * exec_worker_merge(). Only plans whose answer cannot depend on which
 * thread saw which event use it: aggregates without first(). Decoder join
 * tables are read-only by then.
 *
 * Memory is bounded: at most two queued blocks per worker; the reading
 * thread waits for room, and reuses the buffers workers give back.
 *
 * Ownership: the pool borrows the plan, the settings, the join tables and
 * the input names it is given (they must outlive pool_finish); it owns the
 * blocks queued to it, its threads and workers. */
#ifndef MAILC2_DRIVER_POOL_H
#define MAILC2_DRIVER_POOL_H

#include "driver/record.h"
#include "driver/source.h"

typedef struct pool pool;
typedef struct pool_input pool_input;

/* Whether a plan's result is the same however its events are split. */
int pool_eligible(const plan *p);
/* Starts `threads` workers (>= 2). Bad records are reported to `d`;
 * prefilter: skip lines that cannot pass (driver/prefilter.h). */
pool *pool_new(const plan *p, int threads, const exec_opts *o, const input_settings *s,
               diag *d, int prefilter);
/* An input whose blocks are about to be queued: read by `dec`, whose join
 * table `ctx` (or NULL) workers attach after binding. A worker meeting it
 * first replays its probed lines into its decoder without counting them, so
 * that a header (CSV, Zeek TSV) read on the reading thread binds columns on
 * every worker. The pool keeps copies until pool_finish. */
pool_input *pool_input_new(pool *pl, const decoder *dec, void *ctx, const char *shown,
                           input_notes *notes, const probe_lines *preamble);
/* Queues block[0, len) (capacity cap, malloc'd; the pool now owns it) of
 * `in`. Returns a free buffer for the reader to go on in (or NULL), and its
 * capacity in *spare_cap. */
char *pool_block(pool *pl, pool_input *in, char *block, size_t len, size_t cap,
                 uint64_t first_line, size_t *spare_cap);
/* Waits for every queued block, folds the workers into `into` and frees the
 * pool. */
void pool_finish(pool *pl, exec_worker *into);

#endif
