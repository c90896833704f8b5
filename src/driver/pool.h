/* pool: the multi-core main pass (design §5).
 *
 * The worker threads read blocks of whole lines from the reader in turn
 * (reader_next_block: no line is copied), each running the block it read
 * through the one record step (record.h) while another reads the next,
 * each into its own exec_worker (its own partial group table, scratch and regex match
 * data); at the end the workers are folded into one with
 * exec_worker_merge(). Only plans whose answer cannot depend on which
 * thread saw which event use it: aggregates without first(). Decoder join
 * tables are read-only by then.
 *
 * Memory is bounded: a block per worker, each read into the buffer of the
 * worker's last; held lines are queued two chunks per worker at most.
 *
 * A one-pass run (held.h) starts the pool gathering: each worker builds
 * its own join tables, finds its newest time and holds its candidate
 * lines; pool_gathered() merges the tables and the times, and
 * pool_resolve() queues the held lines to the workers like blocks, after
 * which the pool takes blocks as usual (inputs read again).
 *
 * Ownership: the pool borrows the plan, the settings, the join tables and
 * the input names it is given (they must outlive pool_finish); it owns the
 * blocks queued to it, its threads and workers. */
#ifndef MAILC2_DRIVER_POOL_H
#define MAILC2_DRIVER_POOL_H

#include "driver/record.h"
#include "driver/source.h"

typedef struct pool pool;

/* What a gathering pool collects besides the candidate lines. */
typedef struct pool_gather {
    const plan *newest;         /* max(time) over every event, or NULL */
    held_budget *budget;        /* of the held lines */
    int joins;                  /* build the join tables */
} pool_gather;

/* Whether a plan's result is the same however its events are split. */
int pool_eligible(const plan *p);
/* Starts `threads` workers (>= 2). Bad records are reported to `d`;
 * prefilter: skip lines that cannot pass (driver/prefilter.h); g: gather
 * (a one-pass run), or NULL. */
pool *pool_new(const plan *p, int threads, const exec_opts *o, const input_settings *s,
               diag *d, int prefilter, const pool_gather *g);
/* Hands the pool an input whose blocks are about to be queued (the pool
 * frees it in pool_finish). A worker meeting it first binds its decoder
 * (record_open), attaching its join table unless the pool is gathering. */
void pool_input_add(pool *pl, record_input *in);
/* Has the workers read `in`'s blocks of whole lines (reader_place_block, else
 * reader_next_block, about `target` bytes) from r until it ends, one
 * reading at a time, each block run by the worker that read it. tick(ud,
 * bytes read so far) is called on this thread after every few blocks read
 * (pool.c TICK_READS) and when the reading ends; when it returns nonzero,
 * no further block is read. Returns when no worker reads r any more (the
 * caller then asks r how it ended) and no block read at its place runs;
 * the blocks copied out may still be running. */
void pool_read(pool *pl, record_input *in, reader *r, size_t target,
               int (*tick)(void *ud, uint64_t bytes), void *ud);
/* Ends gathering: waits for every queued block, merges each worker's join
 * tables into its inputs' tables and folds the newest times into `newest`
 * (when gathering them). */
void pool_gathered(pool *pl, exec_worker *newest);
/* Queues the lines every worker held, in input order, to be evaluated at
 * time now_ms as blocks are; the pool then takes blocks again too. */
void pool_resolve(pool *pl, int64_t now_ms);
/* Waits for every queued block, folds the workers into `into` and frees the
 * pool. */
void pool_finish(pool *pl, exec_worker *into);

#endif
