/* json_lines: a block's lines read raw in one pass (see json.h). Written by
 * hand for the same reason as json_raw.c, whose search of one line this
 * pass makes for every line of a block at once: a one-pass run asks every
 * line for its event's name, its time and its ports, and each line set up
 * and searched on its own, or indexed once three keys were asked, cost 40%
 * of the run, with a count of the block's newlines and a split at each as
 * passes of their own (BENCHMARKS.md, session 14).
 *
 * Each 64 bytes are compared once with the newline, the brackets, the
 * backslash, the quote and each key's second byte; a key may begin at a
 * quote followed by its second byte, with a quote where its closing quote
 * belongs (compared there: a load per key). Those places are
 * kept for the line they are in, and at its newline the line is settled
 * (128 marks at a time, so that the loop calls nothing): flat as a search
 * tells it (it begins with '{' and ends with '}', those are its only
 * brackets, no \u escape) and, if it is, each place confirmed as the
 * search confirms it (json_needle_at), so that the answers are the
 * search's. Also where the thread's habit learns which keys to ask
 * (json_habit_end). */
#include <string.h>

#include "input/json.h"
#include "input/json_bits.h"

/* Where the CPU has no AVX2: the lines only, each left to json_line_key. */
static size_t split(const char *text, size_t len, json_lines_line *out, size_t max, size_t *used)
{
    size_t n = 0, at = 0;
    while (at < len && n < max) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t e = end > at && text[end - 1] == '\r' ? end - 1 : end;
        out[n++] = (json_lines_line){.start = (uint32_t)at, .len = (uint32_t)(e - at)};
        at = nl ? end + 1 : len;
    }
    *used = at;
    return n;
}

#ifdef SIMD64_BUILT
/* A line with more places where a key may begin is left to json_line_key
 * (a line of keys' names as values, written to be slow). */
enum { PLACES = 32 };

/* The line being read. */
typedef struct line_acc {
    size_t start;
    unsigned brackets;
    int u_escape;
    int nplaces;               /* > PLACES: too many */
    uint32_t place[PLACES];
    unsigned char key[PLACES];
} line_acc;

typedef struct scan {
    const json_lines_keys *k;
    const char *t;
    json_lines_line *out;
    size_t n, max;
    line_acc cur;
} scan;

static INLINE void line_start(line_acc *a, size_t start)
{
    a->start = start;
    a->brackets = 0;
    a->u_escape = a->nplaces = 0;
}

/* The bits of mask in `part` go to the line being read. */
static INLINE void gather_bits(line_acc *a, size_t at, uint64_t part, uint64_t brackets,
                               uint64_t u_escape, const uint64_t *places, int nk)
{
    a->brackets += (unsigned)__builtin_popcountll(brackets & part);
    a->u_escape |= (u_escape & part) != 0;
    for (int k = 0; k < nk; k++)
        for (uint64_t c = places[k] & part; c; c &= c - 1) {
            if (a->nplaces < PLACES) {
                a->place[a->nplaces] = (uint32_t)(at + (size_t)__builtin_ctzll(c));
                a->key[a->nplaces] = (unsigned char)k;
            }
            a->nplaces++;
        }
}

/* What the pass noted in 64 bytes that hold any: their newlines, brackets,
 * escaped u's and the places where each key may begin. */
typedef struct mark {
    size_t at;
    uint64_t ends, brackets, u_escape, places[JSON_LINES_KEYS];
} mark;

/* The marks are settled this many at a time: the loop that makes them
 * calls nothing, so that its needles stay in registers. */
enum { MARKS = 128 };

#define SIMD64 v512
#include "input/json_lines_simd.h"
#undef SIMD64
#define SIMD64 v256
#include "input/json_lines_simd.h"
#undef SIMD64
#endif

size_t json_lines_scan(const json_lines_keys *k, const char *text, size_t len,
                       json_lines_line *out, size_t max, size_t *used)
{
    if (len > UINT32_MAX)
        len = UINT32_MAX; /* a line's place is 32 bits: the rest is the next call's */
#ifdef SIMD64_BUILT
    int level = simd64_level();
    if (k->n > 0 && max > 0 && level != SIMD64_NONE) {
        scan s = {k, text, out, 0, max, {0}};
        return level == SIMD64_AVX512 ? v512_scan(&s, len, used) : v256_scan(&s, len, used);
    }
#endif
    (void)k;
    return split(text, len, out, max, used);
}

void json_line_init_scanned(json_line *l, const char *text, const json_lines_line *sl,
                            const json_lines_keys *k)
{
    json_line_init(l, text, sl->len);
    if (!sl->flat)
        return;
    l->state = JSON_LINE_FLAT;
    for (int i = 0; i < k->n; i++) {
        mc_value v = sl->null[i] ? mc_null() : mc_str(MC_STR, text + sl->at[i], sl->vlen[i]);
        l->memo[i] = (struct json_memo){k->key[i], k->klen[i], sl->kind[i],
                                        sl->kind[i] == JSON_RAW_VALUE ? v : mc_null(), 0, 1};
    }
    l->nmemo = k->n;
}

/* The habit's entry for key, or NULL when it has no room. */
static struct json_seen *seen_entry(json_habit *h, const char *key, size_t klen)
{
    for (int i = 0; i < h->nseen; i++) {
        struct json_seen *e = &h->seen[i];
        if (e->last == key || (e->klen == klen && bytes_same(e->key, key, klen))) {
            e->last = key;
            return e;
        }
    }
    if (h->nseen == JSON_HABIT_SEEN || klen > JSON_LINES_KEYLEN ||
        !json_key_searchable(key, klen))
        return NULL;
    struct json_seen *e = &h->seen[h->nseen++];
    e->last = key;
    e->klen = klen;
    e->lines = 0;
    memcpy(e->key, key, klen);
    return e;
}

/* The keys asked of more than half the lines looked at are those the
 * block's pass answers next, in the order they were first asked. */
static void decide(json_habit *h)
{
    h->index = h->keys > 2 * h->looked;
    json_lines_keys *k = &h->scan;
    k->n = 0;
    for (int i = 0; i < h->nseen && k->n < JSON_LINES_KEYS; i++)
        if (h->seen[i].lines > h->looked / 2) {
            k->klen[k->n] = h->seen[i].klen;
            memcpy(k->key[k->n++], h->seen[i].key, h->seen[i].klen);
        }
    h->lines = h->looked = h->keys = 0;
    h->nseen = 0;
}

void json_habit_end(json_habit *h, const json_line *l)
{
    if (h->lines++ % JSON_HABIT_EVERY == 0) { /* one line in so many is looked at */
        h->looked++;
        for (int i = 0; i < l->nmemo; i++) {
            const struct json_memo *m = &l->memo[i];
            h->keys += !m->scanned;
            struct json_seen *e = m->asked ? seen_entry(h, m->key, m->klen) : NULL;
            if (e)
                e->lines++;
        }
    }
    if (h->lines == JSON_HABIT_LINES)
        decide(h);
}
