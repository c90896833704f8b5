/* spread: counts across groups (see spread.h). Two hash maps per spread:
 * one from a row's `by` tuple to its count, one holding each (by, of)
 * tuple seen, so a value counts once however many groups repeat it. Tuples
 * are serialised as type byte, length and text per value, which keeps them
 * unambiguous for any mix of types. */
#include "exec/spread.h"

#include <stdlib.h>
#include <string.h>

#include "util/shares.h"
#include "util/strmap.h"

typedef struct keybuf {
    char *b;
    size_t len, cap;
} keybuf;

static void put(keybuf *k, const void *bytes, size_t n)
{
    if (k->len + n > k->cap) {
        k->cap = (k->len + n) * 2;
        k->b = xrealloc(k->b, k->cap);
    }
    memcpy(k->b + k->len, bytes, n);
    k->len += n;
}

/* Appends row[cols[0..n)] to k; returns how many of them were NULL. */
static int put_tuple(keybuf *k, const mc_value *row, const int *cols, int n)
{
    int nulls = 0;
    for (int i = 0; i < n; i++) {
        const mc_value *v = &row[cols[i]];
        char num[VALUE_TEXT_MAX];
        const char *s = "";
        size_t len = 0;
        value_format(v, num, &s, &len);
        uint32_t len32 = (uint32_t)len;
        put(k, &v->type, 1);
        put(k, &len32, sizeof len32);
        put(k, s, len);
        nulls += v->type == MC_NULL;
    }
    return nulls;
}

/* One lookup per map and row: each row keeps the place of its count, and
 * is given it once every row has been seen. */
static void one_spread(const plan_spread *sp, mc_result *r, keybuf *k)
{
    strmap count, seen;
    strmap_init(&count);
    strmap_init(&seen);
    strmap_reserve(&seen, r->nrows); /* a (by, of) pair per group, at most */
    int64_t **of_row = xmalloc(sizeof *of_row * (r->nrows ? r->nrows : 1));
    for (size_t i = 0; i < r->nrows; i++) {
        const mc_value *row = result_row(r, i);
        k->len = 0;
        put_tuple(k, row, sp->by, sp->nby);
        void **n = strmap_slot(&count, k->b, k->len);
        if (!*n) {
            *n = arena_alloc(strmap_arena(&count), sizeof(int64_t));
            *(int64_t *)*n = 0;
        }
        of_row[i] = *n;
        if (put_tuple(k, row, sp->of, sp->nof) == sp->nof)
            continue;
        void **was = strmap_slot(&seen, k->b, k->len);
        if (!*was) {
            *was = of_row[i];
            (*of_row[i])++;
        }
    }
    for (size_t i = 0; i < r->nrows; i++)
        r->cells[i * (size_t)r->ncols + (size_t)sp->col] = mc_int(MC_INT, *of_row[i]);
    free(of_row);
    strmap_free(&count);
    strmap_free(&seen);
}

/* The spreads from..to of p, one after another, on a thread of their own. */
typedef struct spread_share {
    const plan *p;
    mc_result *r;
    int from, to;
} spread_share;

static void *spread_share_run(void *arg)
{
    const spread_share *sh = arg;
    keybuf k = {0};
    for (int s = sh->from; s < sh->to; s++)
        one_spread(&sh->p->spread[s], sh->r, &k);
    free(k.b);
    return NULL;
}

/* Each spread reads the rows and writes its own column, so the spreads of a
 * plan run side by side (their hash lookups over 5x10^5 rows were a serial
 * quarter of a high-cardinality hunt's end). */
void spread_apply(const plan *p, mc_result *r, int threads)
{
    int n = threads < 1 ? 1 : threads < p->nspreads ? threads : p->nspreads;
    if (r->nrows <= 1024)
        n = 1; /* a thread costs more than a few lookups */
    spread_share sh[PLAN_MAX_COLS];
    for (int i = 0; i < n; i++)
        sh[i] = (spread_share){p, r, p->nspreads * i / n, p->nspreads * (i + 1) / n};
    shares_run(spread_share_run, sh, sizeof *sh, n);
}
