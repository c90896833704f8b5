/* agg: the group hash table and the aggregate functions' states.
 *
 * Groups live in an open-addressing table of (hash, pointer) slots, grown by
 * doubling at 3/4 load; a group is found by the hash of its serialised key,
 * then by comparing the serialised bytes. The hash is in the slot so that
 * probing past other groups reads no group: at 10^5-10^6 groups each such
 * read was a cache miss. Serialising the key (type byte + payload
 * per value) gives one cheap hash and equality for any mix of types, and the
 * same bytes hold the group's copy of its key strings.
 *
 * Count-distinct keeps a per-group set of serialised values in the same
 * structure (a `vset`), so merging two workers' tables is a set union.
 * Times keeps a sorted array of the group's earliest PLAN_TIMES_MAX times
 * (a `tlist`); a merge inserts one list into the other under the same
 * bound, so the earliest times win whatever the thread order. */
#include "exec/agg_table.h"

#include <stdlib.h>
#include <string.h>

#include "plan/expr.h"
#include "util/hash.h"

/* Serialises a value: 1 type byte, then 8 bytes (numbers) or a 4-byte
 * length and the bytes (text). Returns the size written or needed. */
static size_t value_put(uint8_t *dst, size_t room, const mc_value *v)
{
    size_t need = 1 + ((v->type == MC_STR || v->type == MC_IP) ? 4 + v->len
                       : v->type == MC_NULL ? 0 : 8);
    if (need > room)
        return need;
    dst[0] = v->type;
    if (v->type == MC_STR || v->type == MC_IP) {
        memcpy(dst + 1, &v->len, 4);
        memcpy(dst + 5, v->u.s, v->len);
    } else if (v->type != MC_NULL) {
        memcpy(dst + 1, &v->u.i, 8);
    }
    return need;
}

size_t agg_value_get(const uint8_t *src, mc_value *v)
{
    memset(v, 0, sizeof *v);
    v->type = src[0];
    if (v->type == MC_STR || v->type == MC_IP) {
        memcpy(&v->len, src + 1, 4);
        v->u.s = (const char *)src + 5;
        return 5 + v->len;
    }
    if (v->type == MC_NULL)
        return 1;
    memcpy(&v->u.i, src + 1, 8);
    return 9;
}

static size_t serialise(agg_table *t, const mc_value *vals, int n)
{
    for (;;) {
        size_t used = 0;
        int fits = 1;
        for (int i = 0; i < n; i++) {
            size_t room = used <= t->bufcap ? t->bufcap - used : 0;
            size_t w = value_put(t->buf + used, room, &vals[i]);
            fits &= w <= room;
            used += w;
        }
        if (fits)
            return used;
        t->bufcap = used * 2;
        t->buf = xrealloc(t->buf, t->bufcap);
    }
}

static void vset_grow(vset *s)
{
    size_t cap = s->cap ? s->cap * 2 : 8;
    vset_entry *slot = xcalloc(cap, sizeof *slot);
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slot[i].bytes)
            continue;
        size_t j = s->slot[i].hash & (cap - 1);
        while (slot[j].bytes)
            j = (j + 1) & (cap - 1);
        slot[j] = s->slot[i];
    }
    free(s->slot);
    s->slot = slot;
    s->cap = cap;
}

/* Adds bytes to the set, copying them into `mem` when new. */
static void vset_add(vset *s, arena *mem, const uint8_t *bytes, uint32_t len, uint64_t h)
{
    if ((s->n + 1) * 4 > s->cap * 3)
        vset_grow(s);
    size_t j = h & (s->cap - 1);
    for (; s->slot[j].bytes; j = (j + 1) & (s->cap - 1))
        if (s->slot[j].hash == h && s->slot[j].len == len && !memcmp(s->slot[j].bytes, bytes, len))
            return;
    uint8_t *copy = arena_alloc(mem, len);
    memcpy(copy, bytes, len);
    s->slot[j] = (vset_entry){h, copy, len};
    s->n++;
}

agg_table *agg_table_new(const plan *p, const agg_limits *lim, size_t n)
{
    agg_table *t = xcalloc(1, sizeof *t);
    t->p = p;
    t->lim = *lim;
    t->threads = 1;
    arena_init(&t->mem);
    for (t->cap = 1024; t->cap / 4 * 3 < n; t->cap *= 2)
        ;
    t->slot = xcalloc(t->cap, sizeof *t->slot);
    t->bufcap = 4096;
    t->buf = xmalloc(t->bufcap);
    return t;
}

agg_table *agg_new(const plan *p, const agg_limits *lim)
{
    return agg_table_new(p, lim, 0);
}

void agg_threads(agg_table *t, int threads)
{
    t->threads = threads;
}

void agg_free_distinct(const plan *p, group *g)
{
    for (int a = 0; a < p->naggs; a++)
        if (p->aggs[a].fn == AGG_COUNT_DISTINCT && g->st[a].u.distinct) {
            free(g->st[a].u.distinct->slot);
            free(g->st[a].u.distinct);
            g->st[a].u.distinct = NULL;
        }
}

void agg_free(agg_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slot[i].g)
            agg_free_distinct(t->p, t->slot[i].g);
    for (int i = 0; i < t->nlater; i++)
        agg_free(t->later[i]);
    for (int i = 0; i < t->nparts; i++)
        agg_free(t->part[i]);
    free(t->later);
    free(t->part);
    free(t->slot);
    free(t->buf);
    arena_free(&t->mem);
    free(t);
}

void agg_table_grow(agg_table *t)
{
    size_t cap = t->cap * 2;
    slot *s = xcalloc(cap, sizeof *s);
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slot[i].g)
            continue;
        size_t j = t->slot[i].hash & (cap - 1);
        while (s[j].g)
            j = (j + 1) & (cap - 1);
        s[j] = t->slot[i];
    }
    free(t->slot);
    t->slot = s;
    t->cap = cap;
}

/* Whether one more group fits the limits: the count, and the memory the
 * table holds (its arena, with distinct values, and its slot array). */
static int has_room(const agg_table *t)
{
    if (t->lim.max_groups && t->n >= t->lim.max_groups)
        return 0;
    return !t->lim.max_bytes || t->mem.total + t->cap * sizeof *t->slot < t->lim.max_bytes;
}

/* Finds the group whose serialised key is key[0..len), creating it when
 * there is room; NULL when there is not. */
static group *group_find(agg_table *t, const uint8_t *key, uint32_t len, uint64_t h)
{
    size_t j = h & (t->cap - 1);
    for (; t->slot[j].g; j = (j + 1) & (t->cap - 1)) {
        group *g = t->slot[j].g;
        if (t->slot[j].hash == h && g->keylen == len && !memcmp(g->key, key, len))
            return g;
    }
    if (!has_room(t))
        return NULL;
    /* The key right after the states: one allocation, read together. */
    size_t stsz = sizeof(agg_state) * (size_t)t->p->naggs;
    group *g = arena_alloc(&t->mem, sizeof *g + stsz + len);
    memset(g, 0, sizeof *g + stsz);
    uint8_t *copy = (uint8_t *)g + sizeof *g + stsz;
    memcpy(copy, key, len);
    g->key = copy;
    g->keylen = len;
    t->slot[j] = (slot){h, g};
    if (++t->n * 4 > t->cap * 3)
        agg_table_grow(t);
    return g;
}

/* Keeps `v` as the group's min or max; text is copied so it outlives the
 * event. A numeric aggregate compares the values read as numbers, ignores
 * values that are not numbers, and keeps the winner as written. num: v
 * read as a number, where a merge already knows it. */
static void keep_best(agg_table *t, const plan_agg *a, agg_state *s, const mc_value *v,
                      const mc_value *num, int ties)
{
    int res, want_max = a->fn == AGG_MAX;
    mc_value n = *v, best = s->u.pick.best;
    if (a->numeric) {
        if (num)
            n = *num;
        else if (v->type == MC_STR)
            n = value_parse_number(v->u.s, v->len);
        if (n.type == MC_NULL || n.type == MC_IP || n.type == MC_STR)
            return;
        best = s->u.pick.num;
    }
    if (s->u.pick.best.type != MC_NULL &&
        (value_compare(&n, &best, &res) || (want_max ? res < 0 : res > 0) || (res == 0 && !ties)))
        return;
    s->u.pick.best = *v;
    s->u.pick.num = n;
    if (v->type == MC_STR || v->type == MC_IP)
        s->u.pick.best.u.s = arena_strndup(&t->mem, v->u.s, v->len);
}

/* Inserts time ms in order; past the bound the latest time goes. Events
 * mostly come in time order, so this is usually an append, and once the
 * list is full a later time is dropped at once. */
static void tlist_add(agg_table *t, agg_state *s, int64_t ms)
{
    tlist *l = &s->u.times;
    if (l->n == PLAN_TIMES_MAX && ms >= l->t[l->n - 1])
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        int64_t *grown = arena_alloc(&t->mem, sizeof *l->t * l->cap);
        if (l->n)
            memcpy(grown, l->t, sizeof *l->t * l->n);
        l->t = grown;
    }
    uint32_t lo = 0, hi = l->n;   /* the first position holding a later time */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (l->t[mid] <= ms)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t keep = l->n == PLAN_TIMES_MAX ? l->n - 1 : l->n;
    memmove(l->t + lo + 1, l->t + lo, sizeof *l->t * (keep - lo));
    l->t[lo] = ms;
    l->n = keep + 1;
}

static void add_number(agg_state *s, const mc_value *v)
{
    mc_value n = v->type == MC_STR ? value_parse_number(v->u.s, v->len) : *v;
    if (n.type == MC_NULL || n.type == MC_IP)
        return;
    s->n++;
    if (n.type == MC_FLOAT) {
        s->is_float = 1;
        s->u.sum.f += n.u.f;
    } else {
        s->u.sum.i += n.u.i;
        s->u.sum.f += (double)n.u.i;
    }
}

static void state_add(agg_table *t, const plan_agg *a, agg_state *s, const mc_value *v)
{
    if (a->fn == AGG_COUNT && !a->arg) {
        s->n++;
        return;
    }
    if (a->fn == AGG_FIRST) {
        /* The group's first row in input order, NULL or not (aql.md §3).
         * Workers merge in input order, so the first seen wins there too. */
        if (!s->seen) {
            s->seen = 1;
            s->u.pick.best = *v;
            if (v->type == MC_STR || v->type == MC_IP)
                s->u.pick.best.u.s = arena_strndup(&t->mem, v->u.s, v->len);
        }
        return;
    }
    if (v->type == MC_NULL)
        return;
    switch (a->fn) {
    case AGG_COUNT: s->n++; break;
    case AGG_MIN:
    case AGG_MAX:   keep_best(t, a, s, v, NULL, 0); break;
    case AGG_SUM:
    case AGG_AVG:   add_number(s, v); break;
    case AGG_TIMES:
        if (v->type == MC_TS || v->type == MC_INT)
            tlist_add(t, s, v->u.i);
        break;
    default: {
        if (!s->u.distinct)
            s->u.distinct = xcalloc(1, sizeof *s->u.distinct);
        uint8_t small[64];
        size_t len = value_put(small, sizeof small, v);
        const uint8_t *bytes = small;
        if (len > sizeof small) {
            uint8_t *big = arena_alloc(&t->mem, len);
            value_put(big, len, v);
            bytes = big;
        }
        vset_add(s->u.distinct, &t->mem, bytes, (uint32_t)len, hash_bytes(bytes, len));
    }
    }
}

void agg_add(agg_table *t, const mc_value *keys, const mc_value *args)
{
    size_t len = serialise(t, keys, t->p->nkeys);
    group *g = group_find(t, t->buf, (uint32_t)len, hash_bytes(t->buf, len));
    if (!g) {
        t->refused++;
        return;
    }
    g->events++;
    for (int a = 0; a < t->p->naggs; a++)
        state_add(t, &t->p->aggs[a], &g->st[a], &args[a]);
}

/* Folds state s into d. s_first: s saw the earlier input, so it wins
 * where input order decides (the first value; the kept value among equal
 * ones, "3" or "3.0"). */
void agg_state_merge(agg_table *t, const plan_agg *a, agg_state *d, const agg_state *s,
                     int s_first)
{
    switch (a->fn) {
    case AGG_MIN:
    case AGG_MAX:
        if (s->u.pick.best.type != MC_NULL)
            keep_best(t, a, d, &s->u.pick.best, &s->u.pick.num, s_first);
        break;
    case AGG_FIRST:
        if (s->seen && (s_first || !d->seen)) {
            d->seen = 0;
            state_add(t, a, d, &s->u.pick.best);
        }
        break;
    case AGG_TIMES:
        for (uint32_t i = 0; i < s->u.times.n; i++)
            tlist_add(t, d, s->u.times.t[i]);
        break;
    case AGG_COUNT_DISTINCT:
        for (size_t i = 0; s->u.distinct && i < s->u.distinct->cap; i++) {
            const vset_entry *e = &s->u.distinct->slot[i];
            if (!e->bytes)
                continue;
            if (!d->u.distinct)
                d->u.distinct = xcalloc(1, sizeof *d->u.distinct);
            vset_add(d->u.distinct, &t->mem, e->bytes, e->len, e->hash);
        }
        break;
    case AGG_SUM:
    case AGG_AVG:
        d->u.sum.i += s->u.sum.i;
        d->u.sum.f += s->u.sum.f;
        d->is_float |= s->is_float;
        d->n += s->n;
        break;
    default:
        d->n += s->n;
    }
}

/* Swaps the groups of two tables of one plan and limits. */
static void swap_groups(agg_table *a, agg_table *b)
{
    agg_table t = *a;
    a->mem = b->mem, a->slot = b->slot, a->cap = b->cap, a->n = b->n;
    b->mem = t.mem, b->slot = t.slot, b->cap = t.cap, b->n = t.n;
}

/* Whether both tables' groups fit one table's limits together. */
static int fits_both(const agg_table *a, const agg_table *b)
{
    if (a->lim.max_groups && a->n + b->n > a->lim.max_groups)
        return 0;
    return !a->lim.max_bytes ||
           a->mem.total + b->mem.total + (a->cap + b->cap) * sizeof *a->slot < a->lim.max_bytes;
}

void agg_fold_one(agg_table *dst, agg_table *src)
{
    dst->refused += src->refused;
    /* The smaller table is folded into the larger: a table of a few held
     * lines' groups went first, and each of 4x10^5 groups of the next was
     * then found and added again, a serial third of a second. Only where
     * both fit: a table that fills refuses the later input's groups, as it
     * always did, not the earlier's. */
    int s_first = dst->n < src->n && (dst->n == 0 || fits_both(dst, src));
    if (s_first)
        swap_groups(dst, src);
    for (size_t i = 0; i < src->cap && src->n; i++) {
        const group *sg = src->slot[i].g;
        if (!sg)
            continue;
        group *dg = group_find(dst, sg->key, sg->keylen, src->slot[i].hash);
        if (!dg) {
            dst->refused += sg->events;
            continue;
        }
        dg->events += sg->events;
        for (int a = 0; a < dst->p->naggs; a++)
            agg_state_merge(dst, &dst->p->aggs[a], &dg->st[a], &sg->st[a], s_first);
    }
}

static void queue(agg_table *dst, agg_table *t)
{
    dst->later = xrealloc(dst->later, sizeof *dst->later * (size_t)(dst->nlater + 1));
    dst->later[dst->nlater++] = t;
}

/* Queues src's groups on dst, then what was queued on src: the fold waits
 * until the groups are read (agg_end.c), when every worker's table is
 * there to be folded at once. src is left empty, its refused count kept. */
void agg_merge(agg_table *dst, agg_table *src)
{
    agg_parts_join(dst);
    agg_parts_join(src);
    agg_table *t = agg_table_new(src->p, &src->lim, 0);
    swap_groups(t, src);
    t->refused = src->refused;
    queue(dst, t);
    for (int i = 0; i < src->nlater; i++)
        queue(dst, src->later[i]);
    src->nlater = 0;
}
