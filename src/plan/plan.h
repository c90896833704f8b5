/* plan: the one intermediate representation every front end compiles to.
 *
 * A plan is a straight pipeline over events (design §3):
 *
 *   scan(fields, time window) -> steps (filter | eval, in order)
 *     -> [aggregate(keys, functions) -> having] -> sort -> limit -> project
 *
 * Event rows are arrays of mc_value indexed by slot: slots 0..nfields-1 are
 * filled by the decoder (plan->fields says which), slots from
 * PLAN_FIRST_EVAL on by eval steps, so a front end may discover input fields
 * and computed ones in any order.
 * After an aggregate, rows are result rows: the group keys, the aggregate
 * outputs, then one column per post-aggregate eval; the post steps (a
 * filter is SQL's HAVING or LogScale's comparison after groupBy), `sort` and
 * `project` index those columns. Without an aggregate they index event
 * slots.
 *
 * Front ends build a plan only through the plan_* functions below, which
 * check every bound; the struct is public so that the executor and the
 * printer can read it.
 *
 * Ownership: the plan owns everything reachable from it (its arena and the
 * compiled regexes); plan_free() releases all of it. */
#ifndef MAILC2_PLAN_H
#define MAILC2_PLAN_H

#include <stdio.h>

#include "plan/expr.h"

enum agg_fn { AGG_COUNT, AGG_COUNT_DISTINCT, AGG_SUM, AGG_MIN, AGG_MAX, AGG_AVG, AGG_FIRST,
              AGG_TIMES };

/* AGG_TIMES keeps the group's earliest PLAN_TIMES_MAX times (ms; other
 * values are skipped) and gives them ascending as text, "t1,t2,...", so a
 * finding can be judged on its rhythm (src/triage/). The bound holds the
 * memory at 8 bytes x PLAN_TIMES_MAX per group however busy the group is;
 * keeping the earliest (not a sample) keeps consecutive intervals, and the
 * answer does not depend on how the events were spread over threads. */
#define PLAN_TIMES_MAX 256

typedef struct plan_agg {
    uint8_t fn;        /* enum agg_fn */
    uint8_t numeric;   /* min/max: compare as numbers, skip non-numbers, keep
                          the winning value as written (LogScale) */
    expr *arg;         /* NULL for count(*) */
    const char *name;  /* output column */
} plan_agg;

/* A count across groups: for each result row, how many distinct tuples of
 * the columns `of` (all NULL: not counted) the groups that share its `by`
 * columns hold — SQL's COUNT(DISTINCT of) OVER (PARTITION BY by). It runs
 * over every group before the post steps (before HAVING), so it sees the
 * groups a threshold later removes: how many hosts talk to a destination. */
#define PLAN_SPREAD_COLS 4
typedef struct plan_spread {
    int col;                       /* the result column it fills */
    int of[PLAN_SPREAD_COLS], nof;
    int by[PLAN_SPREAD_COLS], nby;
} plan_spread;

enum { STEP_FILTER = -1, STEP_NOTE = -2 };

typedef struct plan_step {
    expr *e;
    int slot;          /* eval target, STEP_FILTER, or STEP_NOTE: count the
                          events for which e is TRUE (plan->note[note]) */
    int note;
} plan_step;

/* Something the run should tell the user, with how many events it applies
 * to (e.g. loopback connections a direction filter is about to drop). */
typedef struct plan_note {
    const char *msg;   /* printf format taking the count (%llu) */
} plan_note;

#define PLAN_MAX_NOTES 16

/* How a language orders values beyond their types: AQL puts NULL lowest
 * (first ascending, last descending) and orders addresses as addresses;
 * the others put NULL last in either direction and order address text. */
enum { COLLATE_NULLS_LOW = 1, COLLATE_IP_ADDRESS = 2 };

enum sort_type {
    SORT_VALUE,        /* by type: numbers numerically, text bytewise */
    SORT_NUMBER,       /* text read as numbers; non-numbers after numbers */
    SORT_TEXT,         /* bytewise on the text form */
};

typedef struct plan_sort {
    int col;
    int desc;
    int type;          /* enum sort_type */
} plan_sort;

#define PLAN_MAX_FIELDS 64
/* The raw record, as LogScale names it; the driver fills it for every
 * line-format input, whatever the decoder (free-text search needs it). */
#define PLAN_RAW_FIELD "@rawstring"
#define PLAN_FIRST_EVAL PLAN_MAX_FIELDS
#define PLAN_MAX_SLOTS 128
#define PLAN_MAX_STEPS 64
#define PLAN_MAX_COLS 64

typedef struct plan {
    const char *lang;              /* "builtin", "logscale", "aql": whose rules */
    arena mem;

    /* scan */
    mc_field_req fields[PLAN_MAX_SLOTS];
    int nfields;                   /* filled by the decoder */
    const char *slot_name[PLAN_MAX_SLOTS];
    int nslots;                    /* PLAN_FIRST_EVAL + eval targets */
    int time_slot;                 /* -1: no window */
    int64_t window_ms;             /* keep now - window < time <= now;
                                      0: time_slot only dates events, for
                                      --now latest */

    plan_step steps[PLAN_MAX_STEPS];
    int nsteps;
    plan_note note[PLAN_MAX_NOTES];
    int nnotes;

    /* aggregate: result columns are keys, aggregates, post evals */
    int has_agg;
    expr *keys[PLAN_MAX_COLS];
    int nkeys;
    plan_agg aggs[PLAN_MAX_COLS];
    int naggs;
    const char *col_name[PLAN_MAX_COLS];
    int ncols;
    plan_spread spread[PLAN_MAX_COLS];  /* before the post steps */
    int nspreads;
    plan_step post[PLAN_MAX_STEPS];   /* over result rows, in order */
    int npost;

    plan_sort sort[PLAN_MAX_COLS];
    int nsort;
    int collate;                   /* COLLATE_*: AQL's NULL
                                      and address order; 0 elsewhere */
    int64_t limit;                 /* -1: none */

    /* Caps the source SIEM applies by default (design §4). mailc2 computes
     * the exact answer and the run says where the SIEM's would differ; a
     * run that emulates the SIEM (run option) applies them. 0: none. */
    int64_t group_limit;           /* groups an aggregate keeps */
    int64_t default_row_limit;     /* rows a sort/table/event list shows */
    int64_t default_window_ms;     /* the search window when the query names none */

    int proj[PLAN_MAX_COLS];       /* columns of the row shown, in order */
    const char *proj_name[PLAN_MAX_COLS];
    int nproj;

    void *regexes[PLAN_MAX_STEPS]; /* pcre2_code, freed with the plan */
    int nregexes;
} plan;

plan *plan_new(const char *lang);
void plan_free(plan *p);

/* Builders. Each returns a node in the plan's arena; on error (regex that
 * does not compile, too many slots) they write to err and return NULL. */
/* The slot of an input field: canonical field `canon`, or (canon = -1) the
 * field called `name` in the plan's language, which that language's view
 * resolves for each input format (src/view/). */
int plan_field(plan *p, const char *name, int canon);
/* The slot of the language's input field `name`, or -1 when the plan reads
 * none by that name. */
int plan_find_field(const plan *p, const char *name);
expr *plan_ref(plan *p, int slot);
expr *plan_lit_int(plan *p, int64_t i);
expr *plan_lit_str(plan *p, const char *s);
expr *plan_node(plan *p, int kind, int op, int nkids, expr **kids);
/* EX_AND or EX_OR over kids[0..n): one node, however long the list (a
 * query's long OR chain is data, not nesting). Overwrites kids. */
expr *plan_logic(plan *p, int kind, int n, expr **kids);
expr *plan_cmp(plan *p, int op, expr *a, expr *b);
expr *plan_not(plan *p, expr *a);
expr *plan_call(plan *p, int fn, expr *a);
expr *plan_regex(plan *p, expr *subject, const char *pattern, uint32_t pcre2_flags,
                 char *err, size_t errlen);

/* Capture group `group` of the regex node `re` (same subject). */
expr *plan_capture(plan *p, expr *re, int group);
/* `subject` lies in one of nets[0..n); err names a network that is not one. */
expr *plan_cidr(plan *p, expr *subject, const char *const *nets, int n, char *err, size_t errlen);

int plan_filter(plan *p, expr *e);
/* Counts events for which `when` is TRUE at this point of the pipeline. */
int plan_note_step(plan *p, expr *when, const char *msg);
int plan_eval(plan *p, const char *name, expr *e);       /* returns the new slot */
/* Keys and aggregates return their result column. */
int plan_group_key(plan *p, expr *e, const char *name);
int plan_aggregate(plan *p, int fn, expr *arg, const char *name);
/* After the aggregates: a column counting, over all groups, the distinct
 * tuples of columns of[0..nof) among the groups sharing columns by[0..nby)
 * (plan_spread); -1 when the arguments do not fit. */
int plan_group_spread(plan *p, const char *name, const int *of, int nof, const int *by, int nby);
/* After the aggregate: a filter over result rows, or an eval that adds a
 * result column (returned). */
int plan_post_filter(plan *p, expr *e);
int plan_post_eval(plan *p, const char *name, expr *e);
/* LogScale's min/max: aggregate column `col` compares numbers and keeps
 * the winning value as written (plan_agg.numeric). */
int plan_agg_numeric(plan *p, int col);
/* Renames result column `col` (after an aggregate). */
int plan_rename_column(plan *p, int col, const char *name);

/* The rest of the pipeline's shape. Setters and appenders check their
 * arguments and the plan's capacity and return -1, changing nothing, when
 * they do not fit; front ends turn that into a positioned error. Sort keys
 * and projected columns index plan_ncolumns(): event slots, or result
 * columns after an aggregate. Strings are copied into the plan. */
int plan_sort_by(plan *p, int col, int desc, int type);   /* appends a key */
void plan_clear_sort(plan *p);
int plan_project(plan *p, int col, const char *name);     /* appends a shown column */
void plan_clear_projection(plan *p);
/* Every shown column called `from` is shown as `to` instead. */
void plan_rename_projected(plan *p, const char *from, const char *to);
int plan_set_limit(plan *p, int64_t limit);               /* -1: none */
/* time_slot: an input field; window_ms >= 0 (see plan.window_ms). */
int plan_set_window(plan *p, int time_slot, int64_t window_ms);
int plan_set_collate(plan *p, int collate);               /* COLLATE_* flags */
/* The source SIEM's default caps (plan.group_limit, default_row_limit); 0: none. */
int plan_set_group_limit(plan *p, int64_t groups);
int plan_set_default_row_limit(plan *p, int64_t rows);
int plan_set_default_window(plan *p, int64_t window_ms);

/* Reads. Column index of a result column (key or aggregate) by name, or -1. */
int plan_column(const plan *p, const char *name);
/* NULL when col is not a column. */
const char *plan_column_name(const plan *p, int col);
int plan_ncolumns(const plan *p);
int plan_has_aggregate(const plan *p);
int plan_nkeys(const plan *p);
int plan_naggs(const plan *p);
int64_t plan_limit(const plan *p);                        /* -1: none */

/* `mailc2 explain`: the pipeline, one operator per line. */
void plan_print(const plan *p, FILE *out);

#endif
