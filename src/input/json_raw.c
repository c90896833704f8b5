/* json_raw: reading values from a JSON line without parsing it (see json.h
 * "Raw reading"). Written by hand because it is the hot path of a one-pass
 * run: the prefilter, a decoder's raw time and a join table each read a
 * few keys of every line, where a full parse costs most of a run
 * (BENCHMARKS.md), and where each searching the line for its own keys cost
 * a third of it. One pass finds every top-level key instead, 64 bytes at a
 * time on bit masks (which bytes are quotes, backslashes, colons,
 * brackets), as simdjson's first stage does: the unescaped quotes, XORed
 * from the line's start, say which bytes are inside strings, so that only
 * the few structural bytes outside them are visited one by one. */
#include "input/json.h"
#include "input/json_bits.h"

#include <stddef.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

static int one_of(char c, const char *set)
{
    return c != '\0' && strchr(set, c) != NULL;
}

int json_raw_value(const char *p, const char *end, mc_value *v)
{
    p = skip_ws(p, end);
    if (p == end || *p != ':')
        return JSON_RAW_NONE;
    p = skip_ws(p + 1, end);
    if (p == end)
        return JSON_RAW_UNSURE;
    if (*p == '"') {
        const char *q = p + 1;
        while (q < end && *q != '"' && *q != '\\')
            q++;
        if (q == end || *q == '\\')
            return JSON_RAW_UNSURE;
        *v = mc_str(MC_STR, p + 1, (size_t)(q - p - 1));
        return JSON_RAW_VALUE;
    }
    if (end - p >= 4 && !memcmp(p, "null", 4)) {
        *v = mc_null();
        return JSON_RAW_VALUE;
    }
    const char *q = p;
    while (q < end && (one_of(*q, "+-.eE") || (*q >= '0' && *q <= '9')))
        q++;
    if (q == p || (q < end && !one_of(*q, " \t\r\n,}]")))
        return JSON_RAW_UNSURE; /* object, array, true, false, or not JSON */
    *v = mc_str(MC_STR, p, (size_t)(q - p));
    return JSON_RAW_VALUE;
}


/* Which of 64 bytes are quotes, backslashes, colons, and brackets (of
 * either kind, open or close: (c & 0xD9) == 0x59 holds for []{} and for
 * Y _ y DEL, none of which JSON puts outside strings; the visit reads the
 * byte itself). */
typedef struct masks {
    uint64_t quote, bslash, colon, brack;
} masks;

#ifdef SIMD64_BUILT
/* Each bit XORed with every bit below it, by one carry-less multiply. */
static INLINE __attribute__((target("pclmul"))) uint64_t prefix_xor_clmul(uint64_t x)
{
    __m128i r = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8((char)0xFF), 0);
    return (uint64_t)_mm_cvtsi128_si64(r);
}
#endif

#ifdef __SSE2__
static INLINE uint64_t eq_16x4(const __m128i *x, __m128i v)
{
    uint64_t m = 0;
    for (int i = 0; i < 4; i++)
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x[i], v)) << (16 * i);
    return m;
}
#endif

static INLINE void masks_plain(const char *p, size_t n, masks *m)
{
    (void)n; /* 64: index_with pads a line's last bytes */
#ifdef __SSE2__
    __m128i x[4], folded[4];
    const __m128i fold = _mm_set1_epi8((char)0xD9);
    for (int i = 0; i < 4; i++) {
        x[i] = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
        folded[i] = _mm_and_si128(x[i], fold);
    }
    m->quote = eq_16x4(x, _mm_set1_epi8('"'));
    m->bslash = eq_16x4(x, _mm_set1_epi8('\\'));
    m->colon = eq_16x4(x, _mm_set1_epi8(':'));
    m->brack = eq_16x4(folded, _mm_set1_epi8(0x59));
#else
    *m = (masks){0, 0, 0, 0};
    for (int i = 0; i < 64; i++) {
        uint64_t bit = 1ULL << i;
        unsigned char c = (unsigned char)p[i];
        m->quote |= c == '"' ? bit : 0;
        m->bslash |= c == '\\' ? bit : 0;
        m->colon |= c == ':' ? bit : 0;
        m->brack |= (c & 0xD9) == 0x59 ? bit : 0;
    }
#endif
}

/* Each bit XORed with every bit below it: 1 from an opening quote up to
 * (not including) its closing one. */
static INLINE uint64_t prefix_xor(uint64_t x)
{
    for (int s = 1; s < 64; s *= 2)
        x ^= x << s;
    return x;
}

/* Whether one of the escaped bytes is a 'u' (esc: bits of p[0, 64)). */
static int escapes_u(const char *p, uint64_t esc)
{
    for (; esc; esc &= esc - 1)
        if (p[__builtin_ctzll(esc)] == 'u')
            return 1;
    return 0;
}

/* The eight bytes of text ending at text[q] (zeros for those before
 * text[0]): the end of a key, compared with a needle's in one step. */
static INLINE uint64_t tail8(const char *text, size_t q)
{
    uint64_t t = 0;
    if (q >= 7)
        memcpy(&t, text + q - 7, 8);
    else
        memcpy((char *)&t + 7 - q, text, q + 1);
    return t;
}

/* The colon at text[i] follows a top-level key: note where the key's
 * closing quote is. 0, or -1 when the line is not plain (no quote before
 * the colon, or too many keys). */
static INLINE int add_key(json_line *l, size_t i)
{
    while (l->text[i - 1] != '"' && i > 1 && (l->text[i - 1] == ' ' || l->text[i - 1] == '\t' ||
                                             l->text[i - 1] == '\r' || l->text[i - 1] == '\n'))
        i--;
    if (i < 3 || l->text[i - 1] != '"' || l->n == JSON_LINE_KEYS)
        return -1;
    l->close[l->n] = (uint32_t)(i - 1);
    l->tag[l->n++] = tail8(l->text, i - 1);
    return 0;
}

/* What one 64-byte step hands the next. */
typedef struct walk {
    uint64_t inside;           /* all ones while a string runs on */
    unsigned carry;            /* escaped(): an odd run of backslashes ended it */
    int depth;                 /* how deep in brackets */
    int closed;                /* the object ended */
} walk;

/* Visits the structural bytes outside strings in st (64 bytes from
 * text[at]) one by one. -1 when the line is not one object. */
static int visit(json_line *l, size_t at, uint64_t st, walk *w)
{
    for (; st; st &= st - 1) {
        size_t i = at + (size_t)__builtin_ctzll(st);
        char c = l->text[i];
        if (c == '{' || c == '[') {
            if (w->depth++ == 0 && (c != '{' || w->closed))
                return -1; /* an array, or a second value */
        } else if (c == '}' || c == ']') {
            if (--w->depth < 0)
                return -1;
            w->closed |= w->depth == 0;
        } else if (c == ':' && w->depth == 1 && add_key(l, i)) {
            return -1;
        }
    }
    return 0;
}

/* The pass, with the mask and XOR functions of the CPU (masks_of reads
 * n <= 64 bytes when it can stop short, else the last bytes come padded):
 * 1 when every top-level key is in close[], -1 when only a parse can
 * tell. */
static INLINE int index_with(json_line *l, void (*masks_of)(const char *, size_t, masks *),
                             uint64_t (*xor_of)(uint64_t), int stops_short)
{
    walk w = {0, 0, 0, 0};
    l->n = 0;
    for (size_t at = 0; at < l->len; at += 64) {
        char pad[64];
        const char *p = l->text + at;
        size_t n = l->len - at < 64 ? l->len - at : 64;
        if (n < 64 && !stops_short) { /* padded with what is no JSON structure */
            memset(pad, ' ', sizeof pad);
            memcpy(pad, p, n);
            p = pad;
        }
        masks m;
        masks_of(p, n, &m);
        uint64_t esc = m.bslash | w.carry ? escaped(m.bslash, &w.carry) : 0;
        esc &= n < 64 ? (1ULL << n) - 1 : ~0ULL; /* a backslash last escapes no byte of the line */
        if (esc && escapes_u(p, esc))
            return -1; /* a key may be spelled with \u escapes */
        uint64_t inside = xor_of(m.quote & ~esc) ^ w.inside;
        w.inside = (uint64_t)((int64_t)inside >> 63);
        uint64_t colon = m.colon & ~inside, brack = m.brack & ~inside;
        if (brack || w.depth != 1) {
            if (visit(l, at, colon | brack, &w))
                return -1;
            continue;
        }
        for (; colon; colon &= colon - 1) /* inside the object, no bracket: keys */
            if (add_key(l, at + (size_t)__builtin_ctzll(colon)))
                return -1;
    }
    return w.closed ? 1 : -1;
}

void json_line_init(json_line *l, const char *text, size_t len)
{
    l->text = text;
    l->len = len;
    l->state = len <= UINT32_MAX ? 0 : -1;
    l->n = l->nmemo = 0;
    l->searches = JSON_LINE_SEARCHES;
}

/* The keys of l whose tag, masked, is want: bit i of hit[i / 64] for key
 * i (JSON_LINE_KEYS is 128). */
static void tags_like(const json_line *l, uint64_t want, uint64_t mask, uint64_t hit[2])
{
    hit[0] = hit[1] = 0;
    for (int i = 0; i < l->n; i++)
        hit[i / 64] |= (uint64_t)!((l->tag[i] ^ want) & mask) << (i % 64);
}

#ifdef SIMD64_BUILT
/* The same, eight tags a step (a lookup went through every key one by
 * one, and the readers of a line look up several). */
v512_attr static void tags_like_512(const json_line *l, uint64_t want, uint64_t mask,
                                 uint64_t hit[2])
{
    const __m512i w = _mm512_set1_epi64((long long)want), m = _mm512_set1_epi64((long long)mask);
    hit[0] = hit[1] = 0;
    for (int i = 0; i < l->n; i += 8) {
        __mmask8 live = l->n - i >= 8 ? 0xFF : (__mmask8)((1u << (l->n - i)) - 1);
        __m512i t = _mm512_maskz_loadu_epi64(live, l->tag + i);
        __mmask8 eq = _mm512_mask_cmpeq_epi64_mask(live, _mm512_and_si512(t, m), w);
        hit[i / 64] |= (uint64_t)eq << (i % 64);
    }
}
#endif

/* The lookup of json_line_key, through every key of the line. */
static int find_key(const json_line *l, const char *key, size_t klen, mc_value *v)
{
    /* The needle's last (up to) eight bytes, where a key's tag holds them. */
    size_t k = klen < 8 ? klen : 8;
    unsigned char bytes[8] = {0}, ones[8] = {0};
    memcpy(bytes + 8 - k, key + klen - k, k);
    memset(ones + 8 - k, 0xFF, k);
    uint64_t tag, mask;
    memcpy(&tag, bytes, 8);
    memcpy(&mask, ones, 8);
    uint64_t hit[2];
#ifdef SIMD64_BUILT
    if (simd64_level() == SIMD64_AVX512)
        tags_like_512(l, tag, mask, hit);
    else
#endif
        tags_like(l, tag, mask, hit);
    const char *end = l->text + l->len;
    int found = JSON_RAW_NONE;
    for (int w = 0; w < 2; w++)
        for (uint64_t b = hit[w]; b; b &= b - 1) {
            size_t q = l->close[w * 64 + __builtin_ctzll(b)];
            if (q + 1 < klen || (klen > 8 && memcmp(l->text + q + 1 - klen, key, klen - 8)))
                continue;
            size_t open = q + 1 - klen;
            /* A backslash before the quote: the key may be longer, with an
             * escaped quote in it. A second match: the key is repeated. */
            if (open == 0 || l->text[open - 1] == '\\' || found == JSON_RAW_VALUE)
                return JSON_RAW_UNSURE;
            if ((found = json_raw_value(l->text + q + 1, end, v)) != JSON_RAW_VALUE)
                return JSON_RAW_UNSURE;
        }
    return found;
}

/* Searching a flat line. Most lines are asked for one to three keys (the
 * event's name, a port, a time), and indexing every key of a line was a
 * third of a run's time (BENCHMARKS.md), where finding one needle takes
 * three compares a byte. On a line whose only brackets are its own braces
 * and which holds no \u escape, the needle `"KEY"` followed by a colon is
 * the top-level key KEY in any valid line, where KEY's last byte is none
 * that JSON puts before an opening quote (`,` `:` `{` `[` whitespace): its
 * closing quote then ends a string (it is unescaped: a byte other than a
 * backslash is before it), its opening quote begins that string (an
 * unescaped quote inside would have ended it), and a string followed by a
 * colon is a key. The answers are find_key's: a needle after a backslash
 * (the key may be longer, with an escaped quote in it), a key repeated or
 * a value json_raw_value cannot read are UNSURE. A line of more keys than
 * the index holds, which it leaves to a parse, is read. */

/* The keys one pass searches for (one, or a pair: json_line_pair), and
 * what it found of each. */
enum { SOUGHT_MAX = 2 };
typedef struct sought {
    const char *key[SOUGHT_MAX];
    size_t klen[SOUGHT_MAX];
    int n;
    int found[SOUGHT_MAX];
    mc_value v[SOUGHT_MAX];
} sought;

/* Whether a needle of key may be searched for (see above). */
int json_key_searchable(const char *key, size_t klen)
{
    if (klen < 3)
        return 0;
    switch (key[klen - 2]) {
    case ',': case ':': case '{': case '[': case ' ': case '\t': case '\r': case '\n':
        return 0;
    default:
        return 1;
    }
}

#define SIMD64 v512
#include "input/json_raw_simd.h"
#undef SIMD64
#define SIMD64 v256
#include "input/json_raw_simd.h"
#undef SIMD64

static int index_keys(json_line *l)
{
#ifdef SIMD64_BUILT
    switch (simd64_level()) {
    case SIMD64_AVX512: return v512_index(l);
    case SIMD64_AVX2: return v256_index(l);
    default: break;
    }
#endif
    return index_with(l, masks_plain, prefix_xor, 0);
}

/* The answers to q's keys by search, into q (1), or 0 when l is to be
 * indexed instead. */
static int search(json_line *l, sought *q)
{
#ifdef SIMD64_BUILT
    int level = simd64_level();
    int ok = l->searches >= q->n && level != SIMD64_NONE;
    for (int k = 0; ok && k < q->n; k++)
        ok = json_key_searchable(q->key[k], q->klen[k]);
    if (ok) {
        if (l->state == 0 && (l->len == 0 || l->text[0] != '{' || l->text[l->len - 1] != '}'))
            return 0;
        l->searches -= q->n;
        int check = l->state == 0;
        if (level == SIMD64_AVX512 ? v512_search(l, q, check) : v256_search(l, q, check)) {
            l->state = JSON_LINE_FLAT;
            return 1;
        }
    }
#else
    (void)l, (void)q;
#endif
    return 0;
}

static void remember(json_line *l, const char *key, size_t klen, int kind, const mc_value *v,
                     int asked)
{
    if (l->nmemo < JSON_LINE_MEMO)
        l->memo[l->nmemo++] = (struct json_memo){
            key, klen, kind, kind == JSON_RAW_VALUE ? *v : mc_null(), (unsigned char)asked, 0};
}

void json_line_pair(json_line *l, const char *key0, size_t klen0, const char *key1,
                    size_t klen1)
{
    sought q = {{key0, key1}, {klen0, klen1}, 2, {0}, {{0}}};
    if (l->state == 0 && l->nmemo == 0 && search(l, &q))
        for (int k = 0; k < 2; k++)
            remember(l, q.key[k], q.klen[k], q.found[k], &q.v[k], 0);
}

/* A line's readers ask for some keys more than once (Falcon's event name:
 * its join table, its raw time, the prefilter), so the answers are kept. */
int json_line_key(json_line *l, const char *key, size_t klen, mc_value *v)
{
    if (l->state < 0 || klen < 2)
        return JSON_RAW_UNSURE;
    for (int i = 0; i < l->nmemo; i++)
        if (l->memo[i].klen == klen && bytes_same(l->memo[i].key, key, klen)) {
            l->memo[i].asked = 1;
            *v = l->memo[i].v;
            return l->memo[i].kind;
        }
    sought q = {{key, NULL}, {klen, 0}, 1, {0}, {{0}}};
    int kind = -1;
    if ((l->state == 0 || l->state == JSON_LINE_FLAT) && search(l, &q)) {
        kind = q.found[0];
        *v = q.v[0];
    }
    if (kind < 0) {
        if (l->state == 0 || l->state == JSON_LINE_FLAT)
            l->state = index_keys(l);
        kind = l->state < 0 ? JSON_RAW_UNSURE : find_key(l, key, klen, v);
    }
    remember(l, key, klen, kind, v, 1);
    return kind;
}
