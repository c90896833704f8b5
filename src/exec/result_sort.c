/* result_sort: the order of a result's rows (result_sort in result.h).
 * Written by hand because the end of a run of many groups is this sort:
 * the columns are ranked first where they take few values, so that most
 * comparisons are of two integers; many rows sort in shares on threads and
 * are merged; a top few are kept in a heap per share. Ties go on through
 * every column and then the row's place, so the order is one for any
 * number of threads. */
#include "exec/result.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/shares.h"
#include "util/strmap.h"

/* Total order on cells for sorting: NULL last, numbers before text when the
 * two cannot be compared (mixed-type columns are rare but must not crash). */
static int cell_order(const mc_value *a, const mc_value *b)
{
    if (a->type == MC_NULL || b->type == MC_NULL)
        return (a->type == MC_NULL) - (b->type == MC_NULL);
    int res;
    if (value_compare(a, b, &res) == 0)
        return res;
    int ta = a->type == MC_STR || a->type == MC_IP;
    int tb = b->type == MC_STR || b->type == MC_IP;
    return ta - tb;
}

/* Sort as numbers: text is read as a number; what is not a number (or is
 * missing) sorts after every number, in either direction (logscale.md §5). */
static int number_order(const mc_value *a, const mc_value *b, int *nonnum)
{
    mc_value x = a->type == MC_STR ? value_parse_number(a->u.s, a->len) : *a;
    mc_value y = b->type == MC_STR ? value_parse_number(b->u.s, b->len) : *b;
    int xn = x.type == MC_NULL || x.type == MC_IP || x.type == MC_STR;
    int yn = y.type == MC_NULL || y.type == MC_IP || y.type == MC_STR;
    *nonnum = xn || yn;
    if (xn || yn)
        return xn - yn;
    int res = 0;
    value_compare(&x, &y, &res);
    return res;
}

/* A number as its decimal text in buf; text as it is. */
static mc_value as_text(const mc_value *v, char buf[64])
{
    if (v->type == MC_STR || v->type == MC_IP)
        return *v;
    int n = v->type == MC_FLOAT ? snprintf(buf, 64, "%.17g", v->u.f)
                                : snprintf(buf, 64, "%lld", (long long)v->u.i);
    return mc_str(MC_STR, buf, (size_t)n);
}

/* Sort as text: numbers are compared by their decimal text. */
static int text_order(const mc_value *a, const mc_value *b, int *nulls)
{
    char ba[64], bb[64];
    *nulls = a->type == MC_NULL || b->type == MC_NULL;
    if (*nulls)
        return (a->type == MC_NULL) - (b->type == MC_NULL);
    mc_value x = as_text(a, ba), y = as_text(b, bb);
    int res = 0;
    value_compare(&x, &y, &res);
    return res;
}

enum { SORT_MAX_COLS = PLAN_MAX_COLS + 8 }; /* a plan's columns and triage's */
/* Rows a sort share takes at least, and shares at most (sort_rows). */
enum { SORT_SHARE_MIN = 8192, SORT_MAX_SHARES = 16 };

/* An address as it sorts: IPv4 before IPv6, each by its bytes; fam 0 when
 * the text is not an address. */
typedef struct ip_key {
    uint8_t fam;
    uint8_t b[16];
} ip_key;

typedef struct sort_ctx {
    const mc_result *r;
    const result_order *order;
    int norder;
    int collate;        /* COLLATE_* */
    /* COLLATE_IP_ADDRESS: each row's address in column c (NULL where the
     * column holds none), read once: parsing both sides of every
     * comparison was most of sorting 5x10^5 rows by address. */
    ip_key *ip[SORT_MAX_COLS];
    /* Each column's values, where one kind (else KIND_ANY): then two cells
     * compare as cell_order would, without its dispatch on types, which
     * was most of each of the millions of comparisons of a large sort. */
    uint8_t kind[SORT_MAX_COLS];
    /* A column of one kind with few distinct values, as each row's rank
     * among them (rank_columns); NULL where not. */
    uint32_t *rank[SORT_MAX_COLS];
    /* A text column with too many values to rank and no NULL: each row's
     * first 8 bytes, big-endian (rank_columns); NULL where not. */
    uint64_t *prefix[SORT_MAX_COLS];
} sort_ctx;

enum { KIND_ANY, KIND_INT, KIND_TEXT }; /* KIND_INT: MC_INT or NULL; KIND_TEXT: text or NULL */

/* qsort has no context argument in C11; sorting is not reentrant here, and
 * this pointer is only set for the duration of result_sort (its share
 * threads read it, none writes it). */
static const sort_ctx *sorting;

static ip_key ip_key_of(const mc_value *v)
{
    ip_key k = {0, {0}};
    char buf[64];
    if (v->type != MC_IP || v->len >= sizeof buf)
        return k;
    memcpy(buf, v->u.s, v->len);
    buf[v->len] = '\0';
    k.fam = inet_pton(AF_INET, buf, k.b) == 1 ? 4 : inet_pton(AF_INET6, buf, k.b) == 1 ? 16 : 0;
    return k;
}

/* -2 when either is not an address. */
static int address_order(const ip_key *x, const ip_key *y)
{
    if (!x->fam || !y->fam)
        return -2;
    if (x->fam != y->fam)
        return x->fam < y->fam ? -1 : 1;
    int c = memcmp(x->b, y->b, x->fam);
    return (c > 0) - (c < 0);
}

/* The addresses of every column that holds one, for address collation. */
static void read_addresses(sort_ctx *c)
{
    const mc_result *r = c->r;
    if (!(c->collate & COLLATE_IP_ADDRESS))
        return;
    for (int col = 0; col < r->ncols && col < SORT_MAX_COLS; col++) {
        size_t i = 0;
        while (i < r->nrows && result_row(r, i)[col].type != MC_IP)
            i++;
        if (i == r->nrows)
            continue;
        c->ip[col] = xmalloc(sizeof *c->ip[col] * r->nrows);
        for (i = 0; i < r->nrows; i++)
            c->ip[col][i] = ip_key_of(&result_row(r, i)[col]);
    }
}

static void read_kinds(sort_ctx *c)
{
    const mc_result *r = c->r;
    for (int col = 0; col < r->ncols && col < SORT_MAX_COLS; col++) {
        int ints = 1, texts = 1;
        for (size_t i = 0; i < r->nrows && (ints || texts); i++) {
            uint8_t t = result_row(r, i)[col].type;
            ints &= t == MC_INT || t == MC_NULL;
            texts &= t == MC_STR || t == MC_IP || t == MC_NULL;
        }
        c->kind[col] = ints ? KIND_INT : texts ? KIND_TEXT : KIND_ANY;
    }
}

/* Cells of one kind, neither NULL, as value_compare orders them. */
static int same_kind_order(int kind, const mc_value *a, const mc_value *b)
{
    if (kind == KIND_INT)
        return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->u.s, b->u.s, n) : 0;
    return c ? (c > 0) - (c < 0) : (a->len > b->len) - (a->len < b->len);
}

/* Ranks: a column of one kind that takes few values (a count; a host,
 * process or user over 10^5 groups) as each row's place among its distinct
 * values, read once. A comparison then reads two numbers side by side in
 * one array, where it read two rows' cells and texts spread through
 * memory. RANK_NULL: the cell is NULL. A column with more distinct values
 * than RANK_MOST_SHARE of its rows is compared by value, and so are the
 * columns after it (a comparison rarely gets past such a column). */
enum { RANK_NULL = UINT32_MAX, RANK_MOST_SHARE = 16 };

typedef struct ranked {
    mc_value v;
    uint32_t id;
} ranked;

static int ranked_int(const void *x, const void *y)
{
    return same_kind_order(KIND_INT, &((const ranked *)x)->v, &((const ranked *)y)->v);
}

static int ranked_text(const void *x, const void *y)
{
    return same_kind_order(KIND_TEXT, &((const ranked *)x)->v, &((const ranked *)y)->v);
}

/* Column col's ranks, or NULL when it has too many distinct values. */
static uint32_t *column_ranks(const mc_result *r, int col, int kind)
{
    size_t most = r->nrows / RANK_MOST_SHARE + 16, nd = 0;
    uint32_t *rank = xmalloc(sizeof *rank * (r->nrows ? r->nrows : 1));
    ranked *d = xmalloc(sizeof *d * most);
    strmap ids;
    strmap_init(&ids);
    for (size_t i = 0; i < r->nrows && rank; i++) {
        const mc_value *v = &result_row(r, i)[col];
        if (v->type == MC_NULL) {
            rank[i] = RANK_NULL;
            continue;
        }
        void **id = kind == KIND_INT ? strmap_slot(&ids, (const char *)&v->u.i, sizeof v->u.i)
                                     : strmap_slot(&ids, v->u.s, v->len);
        if (!*id && nd == most) {
            free(rank);
            rank = NULL;
            break;
        }
        if (!*id) {
            d[nd] = (ranked){*v, (uint32_t)nd};
            *id = (void *)(uintptr_t)++nd;
        }
        rank[i] = (uint32_t)((uintptr_t)*id - 1);
    }
    strmap_free(&ids);
    if (rank) {
        qsort(d, nd, sizeof *d, kind == KIND_INT ? ranked_int : ranked_text);
        uint32_t *place = xmalloc(sizeof *place * (nd ? nd : 1));
        for (size_t k = 0; k < nd; k++)
            place[d[k].id] = (uint32_t)k;
        for (size_t i = 0; i < r->nrows; i++)
            rank[i] = rank[i] == RANK_NULL ? RANK_NULL : place[rank[i]];
        free(place);
    }
    free(d);
    return rank;
}

/* The first 8 bytes of each row's text in column col, big-endian and
 * padded with zeros: where two differ, they order the texts as memcmp and
 * length do (a text that ends first has a zero where the other has a
 * byte, or a zero too: then the prefixes are equal, and the texts are
 * compared whole). NULL when the column holds a NULL. */
static uint64_t *column_prefixes(const mc_result *r, int col)
{
    uint64_t *p = xmalloc(sizeof *p * (r->nrows ? r->nrows : 1));
    for (size_t i = 0; i < r->nrows; i++) {
        const mc_value *v = &result_row(r, i)[col];
        if (v->type == MC_NULL) {
            free(p);
            return NULL;
        }
        uint64_t x = 0;
        for (uint32_t k = 0; k < 8; k++)
            x = x << 8 | (k < v->len ? (uint8_t)v->u.s[k] : 0);
        p[i] = x;
    }
    return p;
}

/* One column's ranks, or, where it takes too many values, its prefixes
 * (text) and `full` set: a share of rank_columns. */
typedef struct rank_share {
    const mc_result *r;
    int col, kind, full;
    uint32_t *rank;
    uint64_t *prefix;
} rank_share;

static void *rank_share_run(void *arg)
{
    rank_share *sh = arg;
    sh->rank = column_ranks(sh->r, sh->col, sh->kind);
    sh->full = !sh->rank;
    if (sh->full && sh->kind == KIND_TEXT)
        sh->prefix = column_prefixes(sh->r, sh->col);
    return NULL;
}

/* The ranks of the sort's columns, then of the others in the order ties
 * compare them, up to the first that takes too many values; that one's
 * prefixes, if text (a comparison that gets there mostly ends there: the
 * destination of a hunt's group). `threads` columns at a time: what a
 * column after the first full one got is dropped. */
static void rank_columns(sort_ctx *c, int threads)
{
    int cols[2 * SORT_MAX_COLS], n = 0;
    uint8_t seen[SORT_MAX_COLS] = {0};
    for (int k = 0; k < c->norder; k++)
        if (c->order[k].type == SORT_VALUE)
            cols[n++] = c->order[k].col;
    for (int col = 0; col < c->r->ncols && col < SORT_MAX_COLS; col++)
        cols[n++] = col;
    if (c->r->nrows < SORT_SHARE_MIN)
        return; /* a small sort is quick as it is */
    rank_share sh[SORT_MAX_SHARES];
    int m = threads < 1 ? 1 : threads > SORT_MAX_SHARES ? SORT_MAX_SHARES : threads, done = 0;
    for (int k = 0; k < n && !done;) {
        int got = 0;
        for (; k < n && got < m; k++) {
            int col = cols[k];
            if (col < 0 || col >= SORT_MAX_COLS || seen[col] || c->ip[col] || c->kind[col] == KIND_ANY)
                continue;
            seen[col] = 1;
            sh[got++] = (rank_share){c->r, col, c->kind[col], 0, NULL, NULL};
        }
        shares_run(rank_share_run, sh, sizeof *sh, got);
        for (int i = 0; i < got; i++) {
            if (done) {
                free(sh[i].rank);
                free(sh[i].prefix);
                continue;
            }
            c->rank[sh[i].col] = sh[i].rank;
            c->prefix[sh[i].col] = sh[i].prefix;
            done = sh[i].full;
        }
    }
}

/* Rows i and j of column col (a, b: their cells) by o. */
static int order_by(const result_order *o, int col, size_t i, size_t j, const mc_value *a,
                    const mc_value *b)
{
    const ip_key *ip = col < SORT_MAX_COLS ? sorting->ip[col] : NULL;
    int c, last;   /* last: a side that sorts last in either direction */
    if ((sorting->collate & COLLATE_NULLS_LOW) && (a->type == MC_NULL || b->type == MC_NULL)) {
        c = (b->type == MC_NULL) - (a->type == MC_NULL);
        return o->desc ? -c : c;
    }
    if (ip && a->type == MC_IP && b->type == MC_IP && (c = address_order(&ip[i], &ip[j])) != -2)
        return o->desc ? -c : c;
    int kind = col < SORT_MAX_COLS ? sorting->kind[col] : KIND_ANY;
    if (kind != KIND_ANY && o->type == SORT_VALUE) {
        const uint32_t *rank = sorting->rank[col];
        if (rank) {
            uint32_t x = rank[i], y = rank[j];
            if (x == RANK_NULL || y == RANK_NULL)
                return (x == RANK_NULL) - (y == RANK_NULL); /* last either way */
            c = (x > y) - (x < y);
            return o->desc ? -c : c;
        }
        const uint64_t *prefix = sorting->prefix[col];
        if (prefix && prefix[i] != prefix[j]) {
            c = prefix[i] > prefix[j] ? 1 : -1;
            return o->desc ? -c : c;
        }
        if (a->type == MC_NULL || b->type == MC_NULL)
            return (a->type == MC_NULL) - (b->type == MC_NULL); /* last either way */
        c = same_kind_order(kind, a, b);
        return o->desc ? -c : c;
    }
    switch (o->type) {
    case SORT_NUMBER: c = number_order(a, b, &last); break;
    case SORT_TEXT:   c = text_order(a, b, &last); break;
    default:
        c = cell_order(a, b);
        last = a->type == MC_NULL || b->type == MC_NULL;
    }
    return o->desc && !last ? -c : c;
}

static int row_order(const void *x, const void *y)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    const mc_value *a = result_row(sorting->r, i), *b = result_row(sorting->r, j);
    for (int k = 0; k < sorting->norder; k++) {
        int col = sorting->order[k].col;
        int c = order_by(&sorting->order[k], col, i, j, &a[col], &b[col]);
        if (c)
            return c;
    }
    result_order asc = {0, 0, SORT_VALUE};
    for (int col = 0; col < sorting->r->ncols; col++) {
        int c = order_by(&asc, col, i, j, &a[col], &b[col]);
        if (c)
            return c;
    }
    return (i > j) - (i < j);
}

/* A max-heap of row indices by row_order: its root is the last of them. */
static int after(size_t a, size_t b)
{
    return row_order(&a, &b) > 0;
}

static void sift_down(size_t *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && after(h[l], h[m]))
            m = l;
        if (r < n && after(h[r], h[m]))
            m = r;
        if (m == i)
            return;
        size_t t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* The first `keep` of rows [from, to), in order, into idx; returns how
 * many. A heap of the first seen so far, so that a short result of many
 * groups (a sort with a limit: LogScale's sort(limit=100)) costs n log
 * keep, not n log n. */
static size_t top_rows(size_t from, size_t to, size_t keep, size_t *idx)
{
    size_t h = 0;
    for (size_t i = from; keep && i < to; i++) {
        if (h < keep) {
            size_t j = h++;
            idx[j] = i;
            while (j && after(idx[j], idx[(j - 1) / 2])) {
                size_t p = (j - 1) / 2, t = idx[p];
                idx[p] = idx[j];
                idx[j] = t;
                j = p;
            }
        } else if (after(idx[0], i)) {
            idx[0] = i;
            sift_down(idx, h, 0);
        }
    }
    qsort(idx, h, sizeof *idx, row_order);
    return h;
}

/* The first `keep` of one share of the rows, on a thread of its own. */
typedef struct top_share {
    size_t from, to, keep, *idx, n;
} top_share;

static void *top_share_run(void *arg)
{
    top_share *s = arg;
    s->n = top_rows(s->from, s->to, s->keep, s->idx);
    return NULL;
}

/* The first `keep` of n rows, in order, into idx[0, n): each share's first
 * `keep`, then the first of those. A top 100 of 2x10^5 groups that tie on
 * the count compares each row's text with the heap's root: a serial 40 ms
 * (BENCHMARKS.md, session 12). row_order is total, so any number of
 * shares gives the same rows. */
static size_t top_rows_shared(size_t n, size_t keep, size_t *idx, int threads)
{
    int k = threads < 1 ? 1 : threads > SORT_MAX_SHARES ? SORT_MAX_SHARES : threads;
    if (n / (size_t)k < SORT_SHARE_MIN || keep > n / (size_t)k / 8)
        return top_rows(0, n, keep, idx);
    top_share sh[SORT_MAX_SHARES];
    size_t *tops = xmalloc(sizeof *tops * keep * (size_t)k);
    for (int i = 0; i < k; i++)
        sh[i] = (top_share){n * (size_t)i / (size_t)k, n * (size_t)(i + 1) / (size_t)k, keep,
                            tops + keep * (size_t)i, 0};
    shares_run(top_share_run, sh, sizeof *sh, k);
    size_t m = 0;
    for (int i = 0; i < k; i++)
        for (size_t j = 0; j < sh[i].n; j++)
            idx[m++] = sh[i].idx[j];
    free(tops);
    qsort(idx, m, sizeof *idx, row_order);
    return m < keep ? m : keep;
}

/* qsort of one share of the rows, on a thread of its own. */
typedef struct sort_share {
    size_t *idx, n;
} sort_share;

static void *sort_share_run(void *arg)
{
    sort_share *s = arg;
    qsort(s->idx, s->n, sizeof *s->idx, row_order);
    return NULL;
}

/* a[0, na) and b[0, nb), each in order, merged into out. */
static void merge_runs(const size_t *a, size_t na, const size_t *b, size_t nb, size_t *out)
{
    size_t i = 0, j = 0;
    while (i < na && j < nb)
        *out++ = after(a[i], b[j]) ? b[j++] : a[i++];
    memcpy(out, a + i, sizeof *a * (na - i));
    memcpy(out + (na - i), b + j, sizeof *b * (nb - j));
}

/* idx[0, n) in row order, in shares sorted on `threads` threads and then
 * merged: the sort of 5x10^5 groups, ties compared column by column, was
 * a serial second at the end of a run. row_order is total (the row's
 * place last), so the order is the same for any number of shares. */

static void sort_rows(size_t *idx, size_t n, int threads)
{
    int k = shares_count(n, threads, SORT_SHARE_MIN, SORT_MAX_SHARES);
    sort_share sh[SORT_MAX_SHARES];
    for (int i = 0; i < k; i++)
        sh[i] = (sort_share){idx + n * (size_t)i / (size_t)k,
                             n * (size_t)(i + 1) / (size_t)k - n * (size_t)i / (size_t)k};
    shares_run(sort_share_run, sh, sizeof *sh, k);
    /* Neighbouring runs merged until one is left. */
    size_t *tmp = k > 1 ? xmalloc(sizeof *tmp * n) : NULL, *from = idx, *to = tmp;
    for (int runs = k; runs > 1; runs = (runs + 1) / 2) {
        int m = 0;
        for (int i = 0; i < runs; i += 2, m++) {
            size_t at = (size_t)(sh[i].idx - from);
            if (i + 1 < runs) {
                merge_runs(sh[i].idx, sh[i].n, sh[i + 1].idx, sh[i + 1].n, to + at);
                sh[m] = (sort_share){to + at, sh[i].n + sh[i + 1].n};
            } else {
                memcpy(to + at, sh[i].idx, sizeof *to * sh[i].n);
                sh[m] = (sort_share){to + at, sh[i].n};
            }
        }
        size_t *t = from;
        from = to;
        to = t;
    }
    if (from != idx)
        memcpy(idx, from, sizeof *idx * n);
    free(tmp);
}

/* Rows idx[from, to) of r copied in that order to out + from rows, on a
 * thread of its own. */
typedef struct place_share {
    const mc_result *r;
    const size_t *idx;
    size_t from, to;
    mc_value *out;
} place_share;

static void *place_share_run(void *arg)
{
    place_share *s = arg;
    size_t ncols = (size_t)s->r->ncols, rowsz = sizeof *s->out * ncols;
    for (size_t i = s->from; i < s->to; i++)
        memcpy(s->out + i * ncols, result_row(s->r, s->idx[i]), rowsz);
    return NULL;
}

/* The sorted rows into out, on threads where there are many: writing them
 * on one was a serial fifth of a second for 2x10^5 rows of twenty cells,
 * most of it faulting in out's pages. */
static void place_rows(const mc_result *r, const size_t *idx, size_t n, mc_value *out,
                       int threads)
{
    int k = shares_count(n, threads, SORT_SHARE_MIN, SORT_MAX_SHARES);
    place_share sh[SORT_MAX_SHARES];
    for (int i = 0; i < k; i++)
        sh[i] = (place_share){r, idx, n * (size_t)i / (size_t)k, n * (size_t)(i + 1) / (size_t)k,
                              out};
    shares_run(place_share_run, sh, sizeof *sh, k);
}

void result_sort(mc_result *r, const result_order *order, int norder, int collate, size_t keep,
                 int threads)
{
    size_t n = r->nrows, *idx = xmalloc(sizeof *idx * (n ? n : 1));
    sort_ctx ctx = {r, order, norder, collate, {NULL}, {0}, {NULL}, {NULL}};
    read_addresses(&ctx);
    read_kinds(&ctx);
    int few = keep < n / 8; /* a top few meet each row about once: ranks would cost more */
    if (!few)
        rank_columns(&ctx, threads);
    sorting = &ctx;
    if (few) {
        n = top_rows_shared(n, keep, idx, threads);
    } else {
        for (size_t i = 0; i < n; i++)
            idx[i] = i;
        sort_rows(idx, n, threads);
        n = keep < n ? keep : n;
    }
    sorting = NULL;
    for (int col = 0; col < r->ncols && col < SORT_MAX_COLS; col++) {
        free(ctx.ip[col]);
        free(ctx.rank[col]);
        free(ctx.prefix[col]);
    }
    mc_value *cells = xmalloc(sizeof *r->cells * (size_t)r->ncols * (n ? n : 1));
    place_rows(r, idx, n, cells, threads);
    free(r->cells);
    free(idx);
    r->cells = cells;
    r->nrows = r->cap = n;
}

