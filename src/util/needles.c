/* needles: a search for several byte strings at once (see needles.h).
 * Written by hand because it is the one pass over every byte of a run the
 * prefilter can decide by literals: with AVX-512 (asked at run time) one
 * step tests 64 places with each needle's first and last bytes, and only a
 * place where both match is compared whole, so the cost is a few compares
 * per 64 bytes, whatever the needles. */
#include "util/needles.h"

#include <stdint.h>
#include <string.h>

int needles_add(needles *nd, const char *s, size_t len)
{
    if (nd->n == NEEDLES_MAX || len == 0 || len > NEEDLE_MAX)
        return -1;
    memcpy(nd->s[nd->n], s, len);
    nd->lo[nd->n] = len > 2 && s[0] == '"' ? 1 : 0;
    nd->hi[nd->n] = len > 2 && s[len - 1] == '"' ? len - 2 : len - 1;
    nd->len[nd->n++] = len;
    return 0;
}

/* Whether a needle begins at p[at], ends within p[0, n) and counts. */
static int needle_at(const needles *nd, const char *p, size_t n, size_t at)
{
    for (int k = 0; k < nd->n; k++)
        if (nd->len[k] <= n - at && memcmp(p + at, nd->s[k], nd->len[k]) == 0)
            return !nd->accept || nd->accept(nd->ctx, p, at, n);
    return 0;
}

size_t needles_find_bytes(const needles *nd, const char *p, size_t n, uint64_t *newlines,
                          size_t *line_start)
{
    unsigned char first[256] = {0};
    for (int k = 0; k < nd->n; k++)
        first[(unsigned char)nd->s[k][0]] = 1;
    size_t at = 0;
    *newlines = 0;
    *line_start = 0;
    for (; at < n && !(first[(unsigned char)p[at]] && needle_at(nd, p, n, at)); at++)
        if (p[at] == '\n') {
            ++*newlines;
            *line_start = at + 1;
        }
    return at;
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>

#include "util/bytes512.h"

/* The last steps' candidates among places at..at+63: the byte lo on is
 * needle k's there, and the byte hi on too (needles.h; bytes past n read
 * as 0, and a byte past n is no match). */
__attribute__((target("avx512f,avx512bw"))) static inline uint64_t
tail_candidates(const needles *nd, const __m512i *first, const __m512i *last, const char *p,
                size_t at, size_t n)
{
    uint64_t cand = 0;
    for (int k = 0; k < nd->n; k++) {
        uint64_t ok = _mm512_cmpeq_epi8_mask(bytes_from_512(p, at + nd->lo[k], n, 0), first[k]) &
                      bytes_live(at + nd->hi[k], n);
        cand |= _mm512_mask_cmpeq_epi8_mask(ok, bytes_from_512(p, at + nd->hi[k], n, 0), last[k]);
    }
    return cand;
}

/* The lines before place at + j of a step whose newlines are nls, those
 * before the step being `lines`, the last of them ending at `start`. */
static inline size_t lines_before(uint64_t nls, size_t at, unsigned j, uint64_t lines,
                                  size_t start, uint64_t *newlines)
{
    uint64_t below = j < 64 ? nls & ((UINT64_C(1) << j) - 1) : nls;
    *newlines = lines + (uint64_t)__builtin_popcountll(below);
    return below ? at + 64 - (size_t)__builtin_clzll(below) : start;
}

/* needle_at, each needle compared by one masked compare. */
__attribute__((target("avx512f,avx512bw"))) static int needle_at_512(const needles *nd,
                                                                      const char *p, size_t n,
                                                                      size_t at)
{
    for (int k = 0; k < nd->n; k++)
        if (nd->len[k] <= n - at && bytes_same_512(p + at, nd->s[k], nd->len[k]))
            return !nd->accept || nd->accept(nd->ctx, p, at, n);
    return 0;
}

/* The first candidate of a step that is a needle, as its place, or 64. */
__attribute__((target("avx512f,avx512bw"))) static unsigned
first_needle(const needles *nd, const char *p, size_t n, size_t at, uint64_t cand)
{
    for (; cand; cand &= cand - 1)
        if (needle_at_512(nd, p, n, at + (size_t)__builtin_ctzll(cand)))
            return (unsigned)__builtin_ctzll(cand);
    return 64;
}

/* The steps whose reads all lie within n load whole; the last ones mask
 * what lies past n. Kept plain: the loop without a candidate is the cost. */
__attribute__((target("avx512f,avx512bw,popcnt"))) static size_t
find_512(const needles *nd, const char *p, size_t n, uint64_t *newlines, size_t *line_start)
{
    __m512i first[NEEDLES_MAX], last[NEEDLES_MAX];
    const __m512i nl = _mm512_set1_epi8('\n');
    size_t reach = 64; /* bytes a step reads from its place */
    const size_t *lo = nd->lo, *hi = nd->hi;
    for (int k = 0; k < nd->n; k++) {
        first[k] = _mm512_set1_epi8(nd->s[k][lo[k]]);
        last[k] = _mm512_set1_epi8(nd->s[k][hi[k]]);
        if (hi[k] + 64 > reach)
            reach = hi[k] + 64;
    }
    uint64_t lines = 0;
    size_t start = 0, at = 0;
    unsigned j = 64;
    for (; j == 64 && n >= reach && at <= n - reach; at += 64) {
        __m512i x = _mm512_loadu_si512((const void *)(p + at));
        uint64_t cand = 0;
        for (int k = 0; k < nd->n; k++)
            cand |= _mm512_mask_cmpeq_epi8_mask(
                _mm512_cmpeq_epi8_mask(lo[k] ? _mm512_loadu_si512((const void *)(p + at + lo[k]))
                                             : x,
                                       first[k]),
                _mm512_loadu_si512((const void *)(p + at + hi[k])), last[k]);
        uint64_t nls = _mm512_cmpeq_epi8_mask(x, nl);
        if (cand)
            j = first_needle(nd, p, n, at, cand);
        start = lines_before(nls, at, j, lines, start, &lines);
    }
    for (; j == 64 && at < n; at += 64) {
        __m512i x = bytes_from_512(p, at, n, 0);
        uint64_t cand = tail_candidates(nd, first, last, p, at, n);
        if (cand)
            j = first_needle(nd, p, n, at, cand);
        start = lines_before(_mm512_cmpeq_epi8_mask(x, nl), at, j, lines, start, &lines);
    }
    *newlines = lines;
    *line_start = start;
    return j < 64 ? at - 64 + j : n;
}
#endif

size_t needles_find(const needles *nd, const char *p, size_t n, uint64_t *newlines,
                    size_t *line_start)
{
#if defined(__GNUC__) && defined(__x86_64__)
    if (__builtin_cpu_supports("avx512bw"))
        return find_512(nd, p, n, newlines, line_start);
#endif
    return needles_find_bytes(nd, p, n, newlines, line_start);
}
