/* simd64: 64 bytes at a time, as bit masks, on whichever vector unit the
 * CPU has. The hand-written scanners (util/needles.c, util/lines.c,
 * input/json_raw.c, input/json_lines.c) are each written once over the
 * operations below and built twice: for AVX-512 (one register holds the
 * 64 bytes, a compare gives the mask) and for AVX2 (two registers, a
 * compare and a movemask each). They were first written for AVX-512 only,
 * and on a CPU without it (AMD before Zen 4, Intel's client parts since
 * Alder Lake) a run fell back to byte loops at a seventh of the speed
 * (BENCHMARKS.md, session 16).
 *
 * A kernel file (no include guard) uses V(op) for the operations, VATTR on
 * each function and V(name) for its own names; its includer defines
 * SIMD64 as v512 or v256 around each inclusion. simd64_level() says which
 * the CPU runs (MAILC2_SIMD may lower it: the tests run each). */
#ifndef MAILC2_UTIL_SIMD64_H
#define MAILC2_UTIL_SIMD64_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { SIMD64_NONE = 0, SIMD64_AVX2 = 256, SIMD64_AVX512 = 512 };

/* The widest of the above this CPU has (AVX2 counts with BMI1, BMI2,
 * POPCNT and PCLMUL, which every AVX2 CPU has), no wider than the
 * environment's MAILC2_SIMD (avx512, avx2 or none) where it is set. */
int simd64_level(void);

/* The places from .. from + 63 that lie within [0, n), as a mask. */
static inline uint64_t bytes_live(size_t from, size_t n)
{
    return from >= n ? 0 : n - from >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << (n - from)) - 1;
}

/* Whether p[0, n) and q[0, n) are the same bytes, eight a step, inline:
 * the keys and needles compared are short, and a memcmp call for each was
 * 4% of a one-pass run. */
static inline int bytes_same(const char *p, const char *q, size_t n)
{
    for (; n >= 8; p += 8, q += 8, n -= 8) {
        uint64_t x, y;
        memcpy(&x, p, 8);
        memcpy(&y, q, 8);
        if (x != y)
            return 0;
    }
    for (; n; n--)
        if (*p++ != *q++)
            return 0;
    return 1;
}

#if defined(__GNUC__) && defined(__x86_64__)
#define SIMD64_BUILT 1
#include <immintrin.h>

#define V_CAT_(a, b) a##_##b
#define V_CAT(a, b) V_CAT_(a, b)
#define V(op) V_CAT(SIMD64, op)
#define VATTR V_CAT(SIMD64, attr)
#define v512_attr __attribute__((target("avx512f,avx512bw,popcnt,bmi,bmi2,pclmul")))
#define v256_attr __attribute__((target("avx2,popcnt,bmi,bmi2,pclmul")))

/* -- AVX-512: the 64 bytes in one register ---------------------------- */
typedef __m512i v512_vec;

static inline v512_attr v512_vec v512_splat(char c)
{
    return _mm512_set1_epi8(c);
}

static inline v512_attr v512_vec v512_load(const char *p)
{
    return _mm512_loadu_si512((const void *)p);
}

/* p[from, from + 64), the bytes past n read as 0 (none of them is read).
 * whole: all 64 lie within n (the caller knows it). */
static inline v512_attr v512_vec v512_from(const char *p, size_t from, size_t n, int whole)
{
    return whole ? v512_load(p + from) : _mm512_maskz_loadu_epi8(bytes_live(from, n), p + from);
}

static inline v512_attr uint64_t v512_eq(v512_vec x, v512_vec y)
{
    return _mm512_cmpeq_epi8_mask(x, y);
}

/* The places where x is a and y is b. */
static inline v512_attr uint64_t v512_eq_both(v512_vec x, v512_vec a, v512_vec y, v512_vec b)
{
    return _mm512_mask_cmpeq_epi8_mask(_mm512_cmpeq_epi8_mask(x, a), y, b);
}

static inline v512_attr v512_vec v512_or(v512_vec x, v512_vec y)
{
    return _mm512_or_si512(x, y);
}

static inline v512_attr v512_vec v512_and(v512_vec x, v512_vec y)
{
    return _mm512_and_si512(x, y);
}

/* Whether p[0, n) and q[0, n) are the same bytes; none past either is
 * read. A memcmp call was a tenth of a search where half the lines hold
 * the needle. */
static inline v512_attr int v512_same(const char *p, const char *q, size_t n)
{
    if (n > 64)
        return memcmp(p, q, n) == 0;
    uint64_t m = bytes_live(0, n);
    return !_mm512_mask_cmpneq_epi8_mask(m, _mm512_maskz_loadu_epi8(m, p),
                                         _mm512_maskz_loadu_epi8(m, q));
}

/* -- AVX2: the 64 bytes in two registers ------------------------------- */
typedef struct v256_vec {
    __m256i lo, hi;
} v256_vec;

static inline v256_attr v256_vec v256_splat(char c)
{
    __m256i x = _mm256_set1_epi8(c);
    return (v256_vec){x, x};
}

static inline v256_attr v256_vec v256_load(const char *p)
{
    return (v256_vec){_mm256_loadu_si256((const __m256i *)(const void *)p),
                      _mm256_loadu_si256((const __m256i *)(const void *)(p + 32))};
}

/* As v512_from: AVX2 has no byte-masked load, so the bytes within n are
 * copied out first (only at a line's or a block's end). */
static inline v256_attr v256_vec v256_from(const char *p, size_t from, size_t n, int whole)
{
    if (whole)
        return v256_load(p + from);
    char pad[64] = {0};
    if (from < n)
        memcpy(pad, p + from, n - from < 64 ? n - from : 64);
    return v256_load(pad);
}

static inline v256_attr uint64_t v256_eq(v256_vec x, v256_vec y)
{
    return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x.lo, y.lo)) |
           (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x.hi, y.hi)) << 32;
}

/* As v512_eq_both: the compares ANDed before their one movemask a half. */
static inline v256_attr uint64_t v256_eq_both(v256_vec x, v256_vec a, v256_vec y, v256_vec b)
{
    __m256i lo = _mm256_and_si256(_mm256_cmpeq_epi8(x.lo, a.lo), _mm256_cmpeq_epi8(y.lo, b.lo));
    __m256i hi = _mm256_and_si256(_mm256_cmpeq_epi8(x.hi, a.hi), _mm256_cmpeq_epi8(y.hi, b.hi));
    return (uint32_t)_mm256_movemask_epi8(lo) | (uint64_t)(uint32_t)_mm256_movemask_epi8(hi) << 32;
}

static inline v256_attr v256_vec v256_or(v256_vec x, v256_vec y)
{
    return (v256_vec){_mm256_or_si256(x.lo, y.lo), _mm256_or_si256(x.hi, y.hi)};
}

static inline v256_attr v256_vec v256_and(v256_vec x, v256_vec y)
{
    return (v256_vec){_mm256_and_si256(x.lo, y.lo), _mm256_and_si256(x.hi, y.hi)};
}

/* As v512_same (bytes_same, above). */
static inline v256_attr int v256_same(const char *p, const char *q, size_t n)
{
    return bytes_same(p, q, n);
}
#endif

#endif
