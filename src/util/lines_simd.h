/* lines_simd: the newline count of util/lines.c, written once over
 * util/simd64.h's operations and built for each vector unit (no include
 * guard: lines.c includes it once per SIMD64). */
#if defined(SIMD64) && defined(SIMD64_BUILT)

static VATTR uint64_t V(count)(const char *p, size_t n)
{
    const V(vec) nl = V(splat)('\n');
    uint64_t k = 0;
    size_t i = 0;
    for (; i + 64 <= n; i += 64)
        k += (uint64_t)__builtin_popcountll(V(eq)(V(load)(p + i), nl));
    if (i < n) /* the last bytes: those past n read as 0 */
        k += (uint64_t)__builtin_popcountll(V(eq)(V(from)(p, i, n, 0), nl));
    return k;
}

#endif
