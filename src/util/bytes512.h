/* bytes512: a byte compare for the hand-written AVX-512 search loops
 * (util/needles.c, input/json_raw.c): a candidate place is confirmed by one
 * masked compare rather than a memcmp call, which was a tenth of a search
 * where half the lines hold the needle. Only for functions built for
 * AVX-512 and run where the CPU has it (asked at run time). */
#ifndef MAILC2_UTIL_BYTES512_H
#define MAILC2_UTIL_BYTES512_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>

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
