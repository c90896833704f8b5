/* bytes512: what the hand-written AVX-512 search loops (util/needles.c,
 * input/json_raw.c) share: 64 bytes loaded without reading past the
 * buffer, and a candidate place confirmed by one masked compare rather
 * than a memcmp call, which was a tenth of a search where half the lines
 * hold the needle. Only for functions built for AVX-512 and run where the
 * CPU has it (asked at run time). */
#ifndef MAILC2_UTIL_BYTES512_H
#define MAILC2_UTIL_BYTES512_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The places from .. from + 63 that lie within [0, n), as a mask. */
static inline uint64_t bytes_live(size_t from, size_t n)
{
    return from >= n ? 0 : n - from >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << (n - from)) - 1;
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>

/* p[from, from + 64), the bytes past n read as 0: a masked load reads none
 * of them. whole: all 64 lie within n (the caller knows it). */
__attribute__((target("avx512f,avx512bw"))) static inline __m512i
bytes_from_512(const char *p, size_t from, size_t n, int whole)
{
    return whole ? _mm512_loadu_si512((const void *)(p + from))
                 : _mm512_maskz_loadu_epi8(bytes_live(from, n), p + from);
}

/* Whether p[0, n) and q[0, n) are the same bytes; no byte past either is
 * read. */
__attribute__((target("avx512f,avx512bw"))) static inline int bytes_same_512(const char *p,
                                                                              const char *q,
                                                                              size_t n)
{
    if (n > 64)
        return memcmp(p, q, n) == 0;
    uint64_t m = n == 64 ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1;
    return !_mm512_mask_cmpneq_epi8_mask(m, _mm512_maskz_loadu_epi8(m, p),
                                         _mm512_maskz_loadu_epi8(m, q));
}
#endif

#endif
