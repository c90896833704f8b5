/* result: the rows a run produces, as the output layer and library users
 * see them: named columns, typed cells, row-major.
 *
 * Ownership: the result owns its column names and every string in its
 * cells (copied into its arena by result_add_row). */
#ifndef MAILC2_RESULT_H
#define MAILC2_RESULT_H

#include "plan/plan.h"

typedef struct mc_result {
    int ncols;
    const char **names;
    mc_value *cells;      /* nrows * ncols */
    size_t nrows, cap;
    arena mem;
} mc_result;

typedef struct result_order {
    int col;
    int desc;
    int type;             /* enum sort_type (plan.h): value, number, text */
} result_order;

mc_result *result_new(int ncols, const char *const *names);
void result_free(mc_result *r);
/* Appends a copy of `row` (ncols values; strings copied). */
void result_add_row(mc_result *r, const mc_value *row);
/* The same without copying the strings: they live in memory r owns (its
 * arena, or one it adopted). */
void result_add_row_kept(mc_result *r, const mc_value *row);
/* Room for nrows rows in all without growing on the way. */
void result_reserve(mc_result *r, size_t nrows);
/* The memory r holds: its cells and the text copied into its arena. */
size_t result_bytes(const mc_result *r);
static inline const mc_value *result_row(const mc_result *r, size_t i)
{
    return r->cells + i * (size_t)r->ncols;
}
/* Sorts by `order`, then by every column ascending so that equal rows come
 * out in one deterministic order whatever the hash or thread order was;
 * `collate` is a plan's COLLATE_* bits (plan.h). Keeps the first `keep`
 * rows (SIZE_MAX: all). A sort of many rows runs on up to `threads`
 * threads, in the same order as on one. */
void result_sort(mc_result *r, const result_order *order, int norder, int collate, size_t keep,
                 int threads);
void result_truncate(mc_result *r, size_t nrows);
/* A new result holding columns cols[0..n-1] renamed to names[]. */
mc_result *result_project(const mc_result *r, const int *cols, const char *const *names, int n);
/* The same in place: r's rows become cols[0..n-1] (n <= PLAN_MAX_COLS + 8;
 * a column -1 is a new one, NULL), their strings not copied. */
void result_select(mc_result *r, const int *cols, const char *const *names, int n);
/* r's rows become cells[0, nrows * n) (malloc'd; r owns it now, and the
 * strings lie in memory r owns) under names[0..n-1]: the rows built anew,
 * on threads, where result_select would move each in place. */
void result_adopt_cells(mc_result *r, mc_value *cells, size_t nrows, const char *const *names,
                        int n);
/* Copies a string cell's text into r (a value computed for a row of r). */
void result_own(mc_result *r, mc_value *v);

#endif
