/* result: storage and projection of result rows (see result.h); their
 * order is result_sort.c's. */
#include "exec/result.h"

#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"

/* Column names as r's own copies, in its arena. */
static const char **names_copy(mc_result *r, const char *const *names, int n)
{
    const char **nn = arena_alloc(&r->mem, sizeof *nn * (size_t)(n ? n : 1));
    for (int c = 0; c < n; c++)
        nn[c] = arena_strndup(&r->mem, names[c], strlen(names[c]));
    return nn;
}

mc_result *result_new(int ncols, const char *const *names)
{
    mc_result *r = xcalloc(1, sizeof *r);
    arena_init(&r->mem);
    r->ncols = ncols;
    r->names = names_copy(r, names, ncols);
    return r;
}

void result_free(mc_result *r)
{
    if (!r)
        return;
    free(r->cells);
    arena_free(&r->mem);
    free(r);
}

void result_reserve(mc_result *r, size_t nrows)
{
    if (nrows <= r->cap)
        return;
    r->cap = nrows;
    r->cells = xrealloc(r->cells, sizeof *r->cells * r->cap * (size_t)r->ncols);
}

void result_add_row_kept(mc_result *r, const mc_value *row)
{
    if (r->nrows == r->cap)
        result_reserve(r, r->cap ? r->cap * 2 : 64);
    memcpy(r->cells + r->nrows * (size_t)r->ncols, row, sizeof *row * (size_t)r->ncols);
    r->nrows++;
}

void result_add_row(mc_result *r, const mc_value *row)
{
    result_add_row_kept(r, row);
    mc_value *dst = r->cells + (r->nrows - 1) * (size_t)r->ncols;
    for (int c = 0; c < r->ncols; c++)
        if (dst[c].type == MC_STR || dst[c].type == MC_IP)
            dst[c].u.s = arena_strndup(&r->mem, dst[c].u.s, dst[c].len);
}

size_t result_bytes(const mc_result *r)
{
    return sizeof *r->cells * r->cap * (size_t)r->ncols + r->mem.total;
}

void result_truncate(mc_result *r, size_t nrows)
{
    if (nrows < r->nrows)
        r->nrows = nrows;
}

void result_own(mc_result *r, mc_value *v)
{
    if (v->type == MC_STR || v->type == MC_IP)
        v->u.s = arena_strndup(&r->mem, v->u.s, v->len);
}

void result_select(mc_result *r, const int *cols, const char *const *names, int n)
{
    enum { MAX = PLAN_MAX_COLS + 8 };
    const char **nn = names_copy(r, names, n);
    size_t room = r->cap * (size_t)r->ncols; /* values the cells hold */
    if (room < r->nrows * (size_t)n) {
        room = r->nrows * (size_t)n;
        r->cells = xrealloc(r->cells, sizeof *r->cells * room);
    }
    /* Rows move towards the end when they widen and towards the start
     * when they narrow; either way a row is read before it is overwritten. */
    mc_value row[MAX];
    for (size_t k = 0; k < r->nrows; k++) {
        size_t i = n > r->ncols ? r->nrows - 1 - k : k;
        const mc_value *src = r->cells + i * (size_t)r->ncols;
        for (int c = 0; c < n && c < MAX; c++)
            row[c] = cols[c] >= 0 ? src[cols[c]] : mc_null();
        memcpy(r->cells + i * (size_t)n, row, sizeof *row * (size_t)n);
    }
    r->cap = n ? room / (size_t)n : r->cap;
    r->ncols = n;
    r->names = nn;
}

void result_adopt_cells(mc_result *r, mc_value *cells, size_t nrows, const char *const *names,
                        int n)
{
    r->names = names_copy(r, names, n);
    free(r->cells);
    r->cells = cells;
    r->nrows = r->cap = nrows;
    r->ncols = n;
}

mc_result *result_project(const mc_result *r, const int *cols, const char *const *names, int n)
{
    mc_result *out = result_new(n, names);
    mc_value row[256];
    for (size_t i = 0; i < r->nrows; i++) {
        const mc_value *src = result_row(r, i);
        for (int c = 0; c < n && c < 256; c++)
            row[c] = src[cols[c]];
        result_add_row(out, row);
    }
    return out;
}
