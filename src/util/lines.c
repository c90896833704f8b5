/* lines: counting newlines (see lines.h). Written by hand because the
 * reading thread counts every block's lines to number the next block's
 * first, and a memchr call per line was half of its own work: one compare
 * gives 64 bytes' answer as a mask (util/simd64.h), and a popcount counts
 * it. */
#include "util/lines.h"

#include <string.h>

#include "util/simd64.h"

#define SIMD64 v512
#include "util/lines_simd.h"
#undef SIMD64
#define SIMD64 v256
#include "util/lines_simd.h"
#undef SIMD64

uint64_t count_newlines(const char *p, size_t n)
{
#ifdef SIMD64_BUILT
    switch (simd64_level()) {
    case SIMD64_AVX512: return v512_count(p, n);
    case SIMD64_AVX2: return v256_count(p, n);
    default: break;
    }
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
