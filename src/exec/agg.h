/* agg: hash aggregation — one table of groups, each with the running state
 * of every aggregate function.
 *
 * Memory grows with the number of groups (and, for count-distinct, the
 * distinct values per group), never with the number of events. A table is
 * private to one worker; agg_merge() folds one worker's table into another,
 * which is how the multi-core executor combines partial results: at the
 * first read of the groups, on agg_threads() threads where they fit.
 *
 * Ownership: the table copies group keys and kept values (min/max text,
 * distinct values) into its own arena; agg_free() releases everything. */
#ifndef MAILC2_AGG_H
#define MAILC2_AGG_H

#include "exec/result.h"
#include "plan/plan.h"

typedef struct agg_table agg_table;

/* Bounds of one table (--max-groups, --max-memory); 0: none. Past them an
 * event of a new group is refused and counted, never silently lost; the
 * groups already held go on counting exactly in this table. */
typedef struct agg_limits {
    size_t max_groups;
    size_t max_bytes;
} agg_limits;

agg_table *agg_new(const plan *p, const agg_limits *lim);
void agg_free(agg_table *t);
/* The threads the fold of merged tables and the emit may use (default 1). */
void agg_threads(agg_table *t, int threads);
/* Adds one event: keys[nkeys] selects the group, args[naggs] are the values
 * of each aggregate's argument (ignored for count(*)). */
void agg_add(agg_table *t, const mc_value *keys, const mc_value *args);
/* Folds src (the later input) into dst, leaving src empty; a group of src
 * that finds no room is refused with its events. What input order decides
 * (the first value, which of equal values a min or max keeps) is as if dst
 * came first. The fold itself waits for the first of the calls below, so
 * that the tables of all workers are folded at once: where all their
 * groups fit the limits together, cut by hash into a share per thread. */
void agg_merge(agg_table *dst, agg_table *src);
/* Events refused because the table was full (agg_limits), merges included. */
uint64_t agg_refused(agg_table *t);
size_t agg_groups(agg_table *t);
/* One row per group: the keys, then each aggregate's final value. The
 * groups move into out: their text stays where the table keeps it, out
 * takes the table's memory, and the table is left empty (its refused
 * count kept). */
void agg_emit(agg_table *t, mc_result *out);

#endif
