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
 * belongs (read off the quote masks, not loaded per key). Those places are
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

/* Where the CPU has no AVX-512: the lines only, each left to json_line_key. */
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

#ifdef WIDE32
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

/* The line t[a->start, end) settled into out[n]. */
static void settle(scan *s, size_t end)
{
    const line_acc *a = &s->cur;
    const char *line = s->t + a->start;
    size_t len = end - a->start;
    if (len && line[len - 1] == '\r')
        len--;
    json_lines_line *o = &s->out[s->n++];
    o->start = (uint32_t)a->start;
    o->len = (uint32_t)len;
    o->flat = len >= 2 && line[0] == '{' && line[len - 1] == '}' && a->brackets == 2 &&
              !a->u_escape && a->nplaces <= PLACES;
    if (!o->flat)
        return;
    int found[JSON_LINES_KEYS];
    mc_value v[JSON_LINES_KEYS];
    for (int k = 0; k < s->k->n; k++)
        found[k] = JSON_RAW_NONE;
    for (int i = 0; i < a->nplaces; i++) {
        int k = a->key[i];
        json_needle_at(line, len, a->place[i] - a->start, s->k->key[k], s->k->klen[k], &found[k],
                       &v[k]);
    }
    for (int k = 0; k < s->k->n; k++) {
        o->kind[k] = (unsigned char)found[k];
        o->null[k] = found[k] == JSON_RAW_VALUE && v[k].type == MC_NULL;
        o->at[k] = found[k] == JSON_RAW_VALUE && !o->null[k] ? (uint32_t)(v[k].u.s - line) : 0;
        o->vlen[k] = found[k] == JSON_RAW_VALUE ? v[k].len : 0;
    }
}

/* A key's second byte (its first is its opening quote), held in a
 * register through the pass, and the distance to its closing quote. */
typedef struct needle {
    __m512i second;
    unsigned last;
} needle;

/* The places in the 64 bytes whose quotes are q where the key may begin:
 * a quote, its second byte (from1: the bytes from one on), and a quote
 * where its closing quote belongs (q_next: the next 64 bytes' quotes).
 * The rest of the key is compared where the line is settled. */
static INLINE AVX512 uint64_t places_of(__m512i from1, uint64_t q, uint64_t q_next,
                                        const needle *nd)
{
    uint64_t closing = q >> nd->last | q_next << (64 - nd->last);
    return _mm512_mask_cmpeq_epi8_mask(q & closing, from1, nd->second);
}

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

/* Marks of t[*at, len) into m[0, MARKS), from *at on: how many. */
static INLINE AVX512 int mark_with(const char *t, size_t len, size_t *at, unsigned *carry,
                                   const needle *nd, mark *m, const int nk)
{
    const __m512i nl = _mm512_set1_epi8('\n'), fold = _mm512_set1_epi8(0x20),
                  open = _mm512_set1_epi8('{'), close = _mm512_set1_epi8('}'),
                  bslash = _mm512_set1_epi8('\\'), u = _mm512_set1_epi8('u'),
                  quote = _mm512_set1_epi8('"');
    int n = 0;
    __m512i x = bytes_from_512(t, *at, len, *at + 64 <= len);
    uint64_t q = _mm512_cmpeq_epi8_mask(x, quote);
    for (; *at < len && n < MARKS; *at += 64) {
        size_t a = *at;
        __m512i next = bytes_from_512(t, a + 64, len, a + 128 <= len),
                from1 = bytes_from_512(t, a + 1, len, a + 65 <= len);
        uint64_t q_next = _mm512_cmpeq_epi8_mask(next, quote);
        uint64_t live = bytes_live(a, len), any = 0, places[JSON_LINES_KEYS];
        for (int i = 0; i < nk; i++)
            any |= places[i] = places_of(from1, q, q_next, &nd[i]) & live;
        __m512i folded = _mm512_or_si512(x, fold); /* [ to {, ] to } */
        uint64_t brackets =
            (_mm512_cmpeq_epi8_mask(folded, open) | _mm512_cmpeq_epi8_mask(folded, close)) & live;
        uint64_t bs = _mm512_cmpeq_epi8_mask(x, bslash), u_escape = 0;
        if (bs | *carry)
            u_escape = escaped(bs, carry) & _mm512_cmpeq_epi8_mask(x, u);
        uint64_t ends = _mm512_cmpeq_epi8_mask(x, nl) & live;
        x = next;
        q = q_next;
        if (!(ends | brackets | u_escape | any))
            continue; /* most 64 bytes of a line: nothing to note */
        m[n].at = a;
        m[n].ends = ends;
        m[n].brackets = brackets;
        m[n].u_escape = u_escape;
        for (int i = 0; i < nk; i++)
            m[n].places[i] = places[i];
        n++;
    }
    return n;
}

/* The marks m[0, n) go to their lines, each line settled at its newline:
 * 1 when out[] is full (*used then says where the next line begins). */
static int settle_marks(scan *s, const mark *m, int n, int nk, size_t *used)
{
    for (int i = 0; i < n; i++) {
        uint64_t ends = m[i].ends, rest = ~UINT64_C(0);
        for (; ends; ends &= ends - 1) {
            unsigned b = (unsigned)__builtin_ctzll(ends);
            uint64_t upto = b == 63 ? ~UINT64_C(0) : (UINT64_C(2) << b) - 1;
            gather_bits(&s->cur, m[i].at, upto & rest, m[i].brackets, m[i].u_escape,
                        m[i].places, nk);
            rest &= ~upto;
            settle(s, m[i].at + b);
            line_start(&s->cur, m[i].at + b + 1);
            if (s->n == s->max) {
                *used = m[i].at + b + 1;
                return 1;
            }
        }
        gather_bits(&s->cur, m[i].at, rest, m[i].brackets, m[i].u_escape, m[i].places, nk);
    }
    return 0;
}

/* The pass, for nk keys (a constant where it is inlined, so that each
 * count of keys is a loop of its own). */
static INLINE AVX512 size_t scan_with(scan *s, size_t len, size_t *used, const int nk)
{
    needle nd[JSON_LINES_KEYS];
    for (int i = 0; i < nk; i++) {
        nd[i].second = _mm512_set1_epi8(s->k->key[i][1]);
        nd[i].last = (unsigned)s->k->klen[i] - 1;
    }
    unsigned carry = 0;
    line_start(&s->cur, 0);
    mark m[MARKS];
    for (size_t at = 0; at < len;) {
        int n = mark_with(s->t, len, &at, &carry, nd, m, nk);
        if (settle_marks(s, m, n, nk, used))
            return s->n;
    }
    if (s->cur.start < len)
        settle(s, len); /* a last line without a newline */
    *used = len;
    return s->n;
}

AVX512 static size_t scan_512(scan *s, size_t len, size_t *used)
{
    switch (s->k->n) {
    case 1: return scan_with(s, len, used, 1);
    case 2: return scan_with(s, len, used, 2);
    case 3: return scan_with(s, len, used, 3);
    default: return scan_with(s, len, used, 4);
    }
}
#endif

size_t json_lines_scan(const json_lines_keys *k, const char *text, size_t len,
                       json_lines_line *out, size_t max, size_t *used)
{
    if (len > UINT32_MAX)
        len = UINT32_MAX; /* a line's place is 32 bits: the rest is the next call's */
#ifdef WIDE32
    if (k->n > 0 && max > 0 && __builtin_cpu_supports("avx512bw")) {
        scan s = {k, text, out, 0, max, {0}};
        return scan_512(&s, len, used);
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
        if (e->last == key || (e->klen == klen && json_same_key(e->key, key, klen))) {
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
