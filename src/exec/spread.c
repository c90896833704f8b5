/* spread: counts across groups (see spread.h). Two hash maps per spread:
 * one from a row's `by` tuple to its count, one holding each (by, of)
 * tuple seen, so a value counts once however many groups repeat it. Tuples
 * are serialised as type byte, length and text per value, which keeps them
 * unambiguous for any mix of types. */
#include "exec/spread.h"

#include <stdlib.h>
#include <string.h>

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

void spread_apply(const plan *p, mc_result *r)
{
    keybuf k = {0};
    for (int s = 0; s < p->nspreads; s++)
        one_spread(&p->spread[s], r, &k);
    free(k.b);
}
