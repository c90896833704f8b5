/* lines: counting newlines (see lines.h). Written by hand because the
 * reading thread counts every block's lines to number the next block's
 * first, and a memchr call per line was half of its own work: with
 * AVX-512 (asked at run time) one compare gives 64 bytes' answer as a
 * mask, and a popcount counts it. */
#include "util/lines.h"

#include <string.h>
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw,popcnt"))) static uint64_t count_512(const char *p,
                                                                           size_t n)
{
    const __m512i nl = _mm512_set1_epi8('\n');
    uint64_t k = 0;
    size_t i = 0;
    for (; i + 64 <= n; i += 64)
        k += (uint64_t)__builtin_popcountll(
            _mm512_cmpeq_epi8_mask(_mm512_loadu_si512((const void *)(p + i)), nl));
    if (i < n) /* the last bytes: a masked load reads no byte past them */
        k += (uint64_t)__builtin_popcountll(_mm512_cmpeq_epi8_mask(
            _mm512_maskz_loadu_epi8((1ULL << (n - i)) - 1, p + i), nl));
    return k;
}
#endif

uint64_t count_newlines(const char *p, size_t n)
{
#if defined(__GNUC__) && defined(__x86_64__)
    if (__builtin_cpu_supports("avx512bw"))
        return count_512(p, n);
#endif
    uint64_t k = 0;
    for (const char *e = p + n; (p = memchr(p, '\n', (size_t)(e - p))); p++)
        k++;
    return k;
}

uint64_t count_lines(const char *p, size_t n)
{
    return n ? count_newlines(p, n) + (p[n - 1] != '\n') : 0;
}
