/* json_raw: reading a value from a JSON line without parsing it (see
 * json.h "Raw reading"). Written by hand because it is the hot path of the
 * driver's prefilter and of a decoder's raw time: a search for the key and
 * a few bytes of grammar for its value, where a full parse of the line
 * costs most of a run (BENCHMARKS.md). */
#include "input/json.h"

#include <stddef.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* Where the compiler can build AVX2 code for one function and the CPU has
 * it (asked at run time), the wide loops take 32 bytes a step. */
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define WIDE32 1
#define AVX2 __attribute__((target("avx2")))
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

size_t json_raw_rare(const char *needle, size_t nlen)
{
    for (size_t i = nlen - 1; i >= 1; i--)
        if ((needle[i] >= 'A' && needle[i] <= 'Z') || (needle[i] >= '0' && needle[i] <= '9'))
            return i;
    return nlen >= 2 ? nlen - 2 : 0;
}

#ifdef WIDE32
/* find_wide's loop, 32 places a step; *pp: where it stopped. */
AVX2 static const char *find_32(const char *needle, size_t nlen, size_t rare, size_t other,
                                const char **pp, const char *end)
{
    size_t far = rare > other ? rare : other;
    const __m256i a = _mm256_set1_epi8(needle[rare]), b = _mm256_set1_epi8(needle[other]);
    const char *p = *pp;
    for (; end - p >= (ptrdiff_t)(far + 32); p += 32) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + rare));
        __m256i y = _mm256_loadu_si256((const __m256i *)(const void *)(p + other));
        unsigned m = (unsigned)_mm256_movemask_epi8(
            _mm256_and_si256(_mm256_cmpeq_epi8(x, a), _mm256_cmpeq_epi8(y, b)));
        for (; m; m &= m - 1) {
            const char *start = p + __builtin_ctz(m);
            if ((size_t)(end - start) >= nlen && !memcmp(start, needle, nlen))
                return start;
        }
    }
    *pp = p;
    return NULL;
}
#endif

/* Sixteen places at a time (32 with AVX2), where two bytes of the needle
 * (its rare one and its first letter) must both match before a memcmp: a
 * memchr call per hit of one byte was most of a run's time on telemetry
 * lines. */
static const char *find_wide(const char *needle, size_t nlen, size_t rare, const char *p,
                             const char *end, const char **next)
{
#ifdef __SSE2__
    size_t other = rare == 1 ? 0 : 1, far = rare > other ? rare : other;
#ifdef WIDE32
    const char *found;
    if (__builtin_cpu_supports("avx2") && (found = find_32(needle, nlen, rare, other, &p, end)))
        return found;
#endif
    const __m128i a = _mm_set1_epi8(needle[rare]), b = _mm_set1_epi8(needle[other]);
    for (; end - p >= (ptrdiff_t)(far + 16); p += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + rare));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(p + other));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpeq_epi8(x, a), _mm_cmpeq_epi8(y, b)));
        for (; m; m &= m - 1) {
            const char *start = p + __builtin_ctz(m);
            if ((size_t)(end - start) >= nlen && !memcmp(start, needle, nlen))
                return start;
        }
    }
#else
    (void)needle, (void)nlen, (void)rare;
#endif
    *next = p;
    return NULL;
}

const char *json_raw_find(const char *needle, size_t nlen, size_t rare, const char *p,
                          const char *end)
{
    if (nlen >= 2) {
        const char *found = find_wide(needle, nlen, rare, p, end, &p);
        if (found)
            return found;
    }
    char c = needle[rare];
    for (const char *s = p + rare; s < end && (s = memchr(s, c, (size_t)(end - s))); s++) {
        const char *start = s - rare;
        if ((size_t)(end - start) >= nlen && !memcmp(start, needle, nlen))
            return start;
    }
    return NULL;
}

int json_raw_key(const char *line, size_t len, const char *key, size_t klen, mc_value *v)
{
    const char *end = line + len;
    int found = JSON_RAW_NONE;
    size_t rare = json_raw_rare(key, klen);
    for (const char *p = line; (p = json_raw_find(key, klen, rare, p, end)); p += klen) {
        mc_value got;
        int k = json_raw_value(p + klen, end, &got);
        if (k == JSON_RAW_NONE)
            continue;
        if (k == JSON_RAW_UNSURE || found == JSON_RAW_VALUE)
            return JSON_RAW_UNSURE; /* a repeated key: the parse keeps the last */
        found = JSON_RAW_VALUE;
        *v = got;
    }
    return found;
}

/* Whether the 'u' at line[i] is escaped: an odd run of backslashes before
 * it (an even one is escaped backslashes, then a letter). */
static int escaped_u(const char *line, size_t i)
{
    size_t k = 0;
    while (k < i && line[i - 1 - k] == '\\')
        k++;
    return k % 2;
}

#ifdef WIDE32
/* json_has_u_escape's loop, 32 bytes a step from line[*i]; *i: where it
 * stopped. */
AVX2 static int u_escape_32(const char *line, size_t len, size_t *i)
{
    const __m256i bs = _mm256_set1_epi8('\\'), u = _mm256_set1_epi8('u');
    for (; *i + 32 <= len; *i += 32) {
        __m256i before = _mm256_loadu_si256((const __m256i *)(const void *)(line + *i - 1));
        __m256i at = _mm256_loadu_si256((const __m256i *)(const void *)(line + *i));
        unsigned m = (unsigned)_mm256_movemask_epi8(
            _mm256_and_si256(_mm256_cmpeq_epi8(before, bs), _mm256_cmpeq_epi8(at, u)));
        for (; m; m &= m - 1)
            if (escaped_u(line, *i + (size_t)__builtin_ctz(m)))
                return 1;
    }
    return 0;
}
#endif

/* Sixteen bytes at a time (32 with AVX2): Falcon paths put a backslash
 * every few bytes, and a memchr call per backslash was most of this
 * function's cost. */
int json_has_u_escape(const char *line, size_t len)
{
    size_t i = 1;
#ifdef WIDE32
    if (__builtin_cpu_supports("avx2") && u_escape_32(line, len, &i))
        return 1;
#endif
#ifdef __SSE2__
    const __m128i bs = _mm_set1_epi8('\\'), u = _mm_set1_epi8('u');
    for (; i + 16 <= len; i += 16) {
        __m128i before = _mm_loadu_si128((const __m128i *)(const void *)(line + i - 1));
        __m128i at = _mm_loadu_si128((const __m128i *)(const void *)(line + i));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpeq_epi8(before, bs), _mm_cmpeq_epi8(at, u)));
        for (; m; m &= m - 1)
            if (escaped_u(line, i + (size_t)__builtin_ctz(m)))
                return 1;
    }
#endif
    for (; i < len; i++)
        if (line[i] == 'u' && line[i - 1] == '\\' && escaped_u(line, i))
            return 1;
    return 0;
}

int json_raw_flat(const char *line, size_t len)
{
    const char *open = memchr(line, '{', len);
    return open && !memchr(open + 1, '{', len - (size_t)(open - line) - 1) &&
           !json_has_u_escape(line, len);
}
