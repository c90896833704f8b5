/* agg_end: the end of an aggregation -- the tables of a run's workers
 * folded into one answer, and its rows.
 *
 * agg_merge only queues a worker's table on another (agg.c); the queue is
 * folded here, when the groups are first read. Where all the groups fit
 * the limits together, they are cut by hash into one share per thread, and
 * each thread folds its share of every table, in input order, then writes
 * its share's rows. At 2x10^5 groups the fold and the emit on one thread
 * were a sixth of the run's wall time, one core working while the other
 * idled (BENCHMARKS.md, session 12). Each group's states are folded in the
 * order the one-thread fold takes them, so it ends with the same values.
 * Where the groups may not fit, the tables are folded one by one
 * (agg_fold_one), refusing the groups they always did. */
#include "exec/agg_table.h"

#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "util/shares.h"

/* Fewer groups fold on one thread: starting threads would cost more. */
enum { FOLD_MIN_GROUPS = 1 << 14, FOLD_MAX_SHARES = 16 };

/* The groups of t and of the tables queued on it, before folding. */
static size_t queued_groups(const agg_table *t)
{
    size_t n = t->n;
    for (int i = 0; i < t->nlater; i++)
        n += t->later[i]->n;
    return n;
}

/* Whether all the groups of t and its queue fit t's limits together,
 * whatever the order of folding: a table folded from others holds at most
 * their bytes again and twice their slots, so the one-thread fold would
 * refuse none either. */
static int all_fit(const agg_table *t)
{
    size_t bytes = 2 * (t->mem.total + t->cap * sizeof *t->slot);
    for (int i = 0; i < t->nlater; i++)
        bytes += 2 * (t->later[i]->mem.total + t->later[i]->cap * sizeof *t->slot);
    return (!t->lim.max_groups || queued_groups(t) <= t->lim.max_groups) &&
           (!t->lim.max_bytes || bytes < t->lim.max_bytes);
}

/* The share of n a group of hash h is in: the high half of the hash, as
 * the slots take the low bits. */
static int share_of(uint64_t h, int n)
{
    return (int)(((h >> 32) * (uint64_t)n) >> 32);
}

/* Puts g (hash h) into t: g itself when its key is new to t, else folded
 * into t's group of that key, which came first. */
static void put(agg_table *t, group *g, uint64_t h)
{
    size_t j = h & (t->cap - 1);
    for (; t->slot[j].g; j = (j + 1) & (t->cap - 1)) {
        group *d = t->slot[j].g;
        if (t->slot[j].hash != h || d->keylen != g->keylen || memcmp(d->key, g->key, g->keylen))
            continue;
        d->events += g->events;
        for (int a = 0; a < t->p->naggs; a++)
            agg_state_merge(t, &t->p->aggs[a], &d->st[a], &g->st[a], 0);
        agg_free_distinct(t->p, g);
        return;
    }
    t->slot[j] = (slot){h, g};
    if (++t->n * 4 > t->cap * 3)
        agg_table_grow(t);
}

/* Share k of n of the fold of t and its queue, into a table of its own
 * (`into`: its slots, and the text its merges keep). */
typedef struct fold_share {
    const agg_table *t;
    agg_table *into;
    int k, n;
} fold_share;

static void *fold_run(void *arg)
{
    fold_share *s = arg;
    const agg_table *t = s->t;
    static const agg_limits none; /* all_fit: no group can be refused */
    s->into = agg_table_new(t->p, &none, queued_groups(t) / (size_t)s->n);
    for (int i = -1; i < t->nlater; i++) {
        const agg_table *from = i < 0 ? t : t->later[i];
        for (size_t j = 0; j < from->cap; j++)
            if (from->slot[j].g && share_of(from->slot[j].hash, s->n) == s->k)
                put(s->into, from->slot[j].g, from->slot[j].hash);
    }
    return NULL;
}

/* A table whose groups went elsewhere: its memory goes to t, which the
 * groups' keys and kept text are in. */
static void drop_into(agg_table *t, agg_table *from)
{
    t->refused += from->refused;
    arena_adopt(&t->mem, &from->mem);
    free(from->slot);
    from->slot = NULL;
    from->cap = from->n = 0;
    agg_free(from);
}

static void fold_parts(agg_table *t, int n)
{
    fold_share sh[FOLD_MAX_SHARES];
    for (int k = 0; k < n; k++)
        sh[k] = (fold_share){t, NULL, k, n};
    shares_run(fold_run, sh, sizeof *sh, n);
    t->part = xmalloc(sizeof *t->part * (size_t)n);
    for (int k = 0; k < n; k++)
        t->part[k] = sh[k].into;
    t->nparts = n;
    memset(t->slot, 0, sizeof *t->slot * t->cap);
    t->n = 0;
    for (int i = 0; i < t->nlater; i++)
        drop_into(t, t->later[i]);
    t->nlater = 0;
}

static void fold(agg_table *t)
{
    if (!t->nlater)
        return;
    int n = t->threads < FOLD_MAX_SHARES ? t->threads : FOLD_MAX_SHARES;
    if (n > 1 && queued_groups(t) >= FOLD_MIN_GROUPS && all_fit(t)) {
        fold_parts(t, n);
        return;
    }
    for (int i = 0; i < t->nlater; i++) {
        agg_fold_one(t, t->later[i]);
        agg_free(t->later[i]);
    }
    t->nlater = 0;
}

void agg_parts_join(agg_table *t)
{
    for (int k = 0; k < t->nparts; k++) {
        agg_table *p = t->part[k];
        for (size_t j = 0; j < p->cap; j++)
            if (p->slot[j].g)
                put(t, p->slot[j].g, p->slot[j].hash); /* the shares hold other keys */
        drop_into(t, p);
    }
    free(t->part);
    t->part = NULL;
    t->nparts = 0;
}

size_t agg_groups(agg_table *t)
{
    fold(t);
    size_t n = t->n;
    for (int k = 0; k < t->nparts; k++)
        n += t->part[k]->n;
    return n;
}

uint64_t agg_refused(agg_table *t)
{
    fold(t);
    return t->refused;
}

/* Room for the text of a full times list: 20 digits and a comma each. */
enum { TIMES_TEXT_MAX = PLAN_TIMES_MAX * 21 };

/* "t1,t2,..." into buf[TIMES_TEXT_MAX]; NULL when the group saw no time. */
static mc_value times_text(const tlist *l, char *buf)
{
    if (!l->n)
        return mc_null();
    size_t len = 0;
    char num[FMT_INT_MAX];
    for (uint32_t i = 0; i < l->n; i++) {
        size_t n = fmt_int((long long)l->t[i], num);
        buf[len] = ',';
        len += i > 0;
        memcpy(buf + len, num, n);
        len += n;
    }
    return mc_str(MC_STR, buf, len);
}

static mc_value state_final(const plan_agg *a, const agg_state *s, char *buf)
{
    switch (a->fn) {
    case AGG_TIMES: return times_text(&s->u.times, buf);
    case AGG_COUNT: return mc_int(MC_INT, s->n);
    case AGG_COUNT_DISTINCT: return mc_int(MC_INT, s->u.distinct ? (int64_t)s->u.distinct->n : 0);
    case AGG_MIN:
    case AGG_MAX:
    case AGG_FIRST: return s->u.pick.best;
    default: break;
    }
    if (s->n == 0)
        return mc_null();
    if (a->fn == AGG_SUM && !s->is_float)
        return mc_int(MC_INT, s->u.sum.i);
    mc_value v = {.type = MC_FLOAT};
    v.u.f = a->fn == AGG_SUM ? s->u.sum.f : s->u.sum.f / (double)s->n;
    return v;
}

/* The rows of t's groups (t's own, or one part's) into cells, ncols
 * apiece; t is left without groups. The rows point into the groups' keys
 * and kept values: copying 5x10^5 groups' text was most of emitting them,
 * and a group's key texts side by side are what its row's sort compares. */
typedef struct emit_share {
    agg_table *t;
    mc_value *cells;
    int ncols;
} emit_share;

static void *emit_run(void *arg)
{
    emit_share *s = arg;
    agg_table *t = s->t;
    const plan *p = t->p;
    char text[TIMES_TEXT_MAX];
    mc_value *row = s->cells;
    for (size_t i = 0; i < t->cap; i++) {
        group *g = t->slot[i].g;
        if (!g)
            continue;
        memset(row, 0, sizeof *row * (size_t)s->ncols); /* post-eval columns start NULL */
        const uint8_t *k = g->key;
        for (int c = 0; c < p->nkeys; c++)
            k += agg_value_get(k, &row[c]);
        for (int a = 0; a < p->naggs; a++) {
            mc_value *v = &row[p->nkeys + a];
            *v = state_final(&p->aggs[a], &g->st[a], text);
            if (p->aggs[a].fn == AGG_TIMES && v->type == MC_STR)
                v->u.s = arena_strndup(&t->mem, v->u.s, v->len);
        }
        agg_free_distinct(p, g);
        t->slot[i].g = NULL;
        row += s->ncols;
    }
    t->n = 0;
    return NULL;
}

void agg_emit(agg_table *t, mc_result *out)
{
    fold(t);
    emit_share sh[FOLD_MAX_SHARES + 1];
    int n = 0;
    size_t rows = out->nrows;
    result_reserve(out, rows + agg_groups(t));
    for (int k = -1; k < t->nparts; k++) {
        agg_table *from = k < 0 ? t : t->part[k];
        if (!from->n)
            continue;
        sh[n++] = (emit_share){from, out->cells + rows * (size_t)out->ncols, out->ncols};
        rows += from->n;
    }
    shares_run(emit_run, sh, sizeof *sh, n);
    out->nrows = rows;
    for (int k = 0; k < t->nparts; k++)
        drop_into(t, t->part[k]);
    free(t->part);
    t->part = NULL;
    t->nparts = 0;
    arena_adopt(&out->mem, &t->mem);
}
