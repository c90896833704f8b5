/* exec: the plan executor — one worker's streaming loop, and the finish
 * (post-aggregate steps, sort, limit, project) that runs once on the merged
 * result.
 *
 * A worker owns everything it writes while events stream through: the event
 * row, the per-event scratch arena, a PCRE2 match block and, for an
 * aggregate plan, its own partial group table. Workers share only the
 * read-only plan, so the multi-core executor gives each thread a worker and
 * folds them together with exec_worker_merge() before exec_finish().
 *
 * Ownership: a worker borrows the plan; exec_finish() returns a result the
 * caller frees with result_free(). */
#ifndef MAILC2_EXEC_H
#define MAILC2_EXEC_H

#include "exec/agg.h"

typedef struct exec_stats {
    uint64_t files;            /* inputs read */
    uint64_t files_failed;     /* could not be opened or read */
    uint64_t files_skipped;    /* format not recognised */
    uint64_t events;           /* records decoded */
    uint64_t bad;              /* malformed records (reported, skipped) */
    uint64_t untimed;          /* events without a time, outside any window */
    uint64_t outside_window;   /* events the time window removed */
    uint64_t matched;          /* events that passed every filter */
    uint64_t prefiltered;      /* lines skipped unparsed (driver/prefilter.h) */
    uint64_t rows_refused;     /* rows of a plan without an aggregate left out
                                  past the memory budget (--max-memory) */
    int64_t newest_ms;         /* newest event time seen; INT64_MIN if none */
    uint64_t noted[PLAN_MAX_NOTES]; /* events each plan note counted */
} exec_stats;

typedef struct exec_worker {
    const plan *p;
    int emulate;               /* apply the SIEM's caps (plan.h) */
    int64_t window_ms;         /* the scan's window: the plan's, or the SIEM's
                                  default when emulating; 0: none */
    mc_value *row;             /* nslots */
    arena scratch;
    expr_ctx ctx;
    agg_table *agg;            /* aggregate plans */
    mc_result *rows;           /* plans without an aggregate */
    size_t max_row_bytes;      /* their budget (0: none) */
    int unordered;             /* exec_opts */
    int threads;               /* exec_opts */
    struct step_memo *memo;    /* each step's answers kept per value (exec.c) */
    exec_stats st;
} exec_worker;

/* What a worker is told besides the plan; one value, copied into each
 * worker, so two runs in one process never share settings. */
typedef struct exec_opts {
    int64_t now_ms;            /* the window's `now` and NOW() */
    int emulate;               /* apply the caps and default window of the plan's SIEM */
    uint32_t regex_limit;      /* PCRE2 match limit per match (expr.h); 0: the default */
    agg_limits groups;         /* bounds of the group table (agg.h) */
    int unordered;             /* the caller reorders the whole result (triage): it is
                                  sorted only when a limit cuts it */
    int threads;               /* the final sort may use this many (0, 1: one) */
} exec_opts;

void exec_stats_init(exec_stats *st);
void exec_stats_add(exec_stats *dst, const exec_stats *src);

void exec_worker_init(exec_worker *w, const plan *p, const exec_opts *o);
void exec_worker_free(exec_worker *w);
/* Sets the `now` of a worker made before it was known (a one-pass run). */
void exec_worker_set_now(exec_worker *w, int64_t now_ms);
/* Runs the plan over one event, whose row[0..nfields-1] the decoder filled
 * (and whose scratch the decoder used). */
void exec_event(exec_worker *w);
/* The same, but filter steps in `known` (bit s: step s) are TRUE on this
 * event and not evaluated: the caller proved them on the raw record.
 * Returns how many steps the event passed: the plan's nsteps when it
 * passed them all and was kept, else the step that dropped it (or whose
 * regex reached its limit; 0 for an event out of the window). */
int exec_event_known(exec_worker *w, uint64_t known);
void exec_worker_merge(exec_worker *dst, exec_worker *src);
/* Post-aggregate steps, sort, limit, project. The worker stays valid and may be freed. */
mc_result *exec_finish(exec_worker *w);

#endif
