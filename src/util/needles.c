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
    nd->len[nd->n++] = len;
    return 0;
}

/* Whether a needle begins at p[at] and ends within p[0, n). */
static int needle_at(const needles *nd, const char *p, size_t n, size_t at)
{
    for (int k = 0; k < nd->n; k++)
        if (nd->len[k] <= n - at && memcmp(p + at, nd->s[k], nd->len[k]) == 0)
            return 1;
    return 0;
}

size_t needles_find_bytes(const needles *nd, const char *p, size_t n)
{
    unsigned char first[256] = {0};
    for (int k = 0; k < nd->n; k++)
        first[(unsigned char)nd->s[k][0]] = 1;
    for (size_t at = 0; at < n; at++)
        if (first[(unsigned char)p[at]] && needle_at(nd, p, n, at))
            return at;
    return n;
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>

/* The places from..from+63 that lie within p[0, n), as a mask. */
static inline uint64_t live(size_t from, size_t n)
{
    return from >= n ? 0 : n - from >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << (n - from)) - 1;
}

/* p[from, from + 64), with zeros past n (a masked load reads no byte
 * past the buffer). */
__attribute__((target("avx512f,avx512bw"))) static inline __m512i bytes_from(const char *p,
                                                                              size_t from,
                                                                              size_t n)
{
    uint64_t m = live(from, n);
    return m == ~UINT64_C(0) ? _mm512_loadu_si512((const void *)(p + from))
                             : _mm512_maskz_loadu_epi8(m, p + from);
}

/* The needles' candidates among places at..at+63: the byte there is a
 * needle's first, the byte len-1 on its last (bytes past n read as 0, and
 * a last byte past n is no match). whole: every byte read is within n. */
__attribute__((target("avx512f,avx512bw"))) static inline uint64_t
candidates(const needles *nd, const __m512i *first, const __m512i *last, const char *p,
           size_t at, size_t n, int whole)
{
    __m512i x = whole ? _mm512_loadu_si512((const void *)(p + at)) : bytes_from(p, at, n);
    uint64_t cand = 0;
    for (int k = 0; k < nd->n; k++) {
        size_t off = nd->len[k] - 1;
        uint64_t ok = _mm512_cmpeq_epi8_mask(x, first[k]);
        cand |= whole ? _mm512_mask_cmpeq_epi8_mask(
                            ok, _mm512_loadu_si512((const void *)(p + at + off)), last[k])
                      : _mm512_mask_cmpeq_epi8_mask(ok & live(at + off, n),
                                                    bytes_from(p, at + off, n), last[k]);
    }
    return cand;
}

__attribute__((target("avx512f,avx512bw"))) static size_t find_512(const needles *nd,
                                                                    const char *p, size_t n)
{
    __m512i first[NEEDLES_MAX], last[NEEDLES_MAX];
    size_t reach = 64; /* bytes a step reads from its first place on */
    for (int k = 0; k < nd->n; k++) {
        first[k] = _mm512_set1_epi8(nd->s[k][0]);
        last[k] = _mm512_set1_epi8(nd->s[k][nd->len[k] - 1]);
        if (nd->len[k] - 1 + 64 > reach)
            reach = nd->len[k] - 1 + 64;
    }
    for (size_t at = 0; at < n; at += 64) {
        uint64_t cand = candidates(nd, first, last, p, at, n, n - at >= reach);
        for (; cand; cand &= cand - 1) {
            size_t j = at + (size_t)__builtin_ctzll(cand);
            if (needle_at(nd, p, n, j))
                return j;
        }
    }
    return n;
}
#endif

size_t needles_find(const needles *nd, const char *p, size_t n)
{
#if defined(__GNUC__) && defined(__x86_64__)
    if (__builtin_cpu_supports("avx512bw"))
        return find_512(nd, p, n);
#endif
    return needles_find_bytes(nd, p, n);
}
