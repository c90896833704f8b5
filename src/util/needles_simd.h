/* needles_simd: the search of util/needles.c, written once over
 * util/simd64.h's operations and built for each vector unit (no include
 * guard: needles.c includes it once per SIMD64). A step tests 64 places
 * with each needle's two chosen bytes (needles.h), and only a place where
 * both match is compared whole. */
#if defined(SIMD64) && defined(SIMD64_BUILT)

/* The last steps' candidates among places at..at+63: the byte lo on is
 * needle k's there, and the byte hi on too (bytes past n read as 0, and a
 * byte past n is no match). */
static inline VATTR uint64_t V(tail_candidates)(const needles *nd, const V(vec) *first,
                                                const V(vec) *last, const char *p, size_t at,
                                                size_t n)
{
    uint64_t cand = 0;
    for (int k = 0; k < nd->n; k++)
        cand |= V(eq_both)(V(from)(p, at + nd->lo[k], n, 0), first[k],
                           V(from)(p, at + nd->hi[k], n, 0), last[k]) &
                bytes_live(at + nd->hi[k], n);
    return cand;
}

/* needle_at, each needle compared inline. */
static VATTR int V(needle_at)(const needles *nd, const char *p, size_t n, size_t at)
{
    for (int k = 0; k < nd->n; k++)
        if (nd->len[k] <= n - at && V(same)(p + at, nd->s[k], nd->len[k]))
            return !nd->accept || nd->accept(nd->ctx, p, at, n);
    return 0;
}

/* The first candidate of a step that is a needle, as its place, or 64. */
static VATTR unsigned V(first_needle)(const needles *nd, const char *p, size_t n, size_t at,
                                      uint64_t cand)
{
    for (; cand; cand &= cand - 1)
        if (V(needle_at)(nd, p, n, at + (size_t)__builtin_ctzll(cand)))
            return (unsigned)__builtin_ctzll(cand);
    return 64;
}

/* The steps whose reads all lie within n load whole; the last ones read
 * as 0 what lies past n. Kept plain: the loop without a candidate is the
 * cost. */
static VATTR size_t V(find)(const needles *nd, const char *p, size_t n, uint64_t *newlines,
                            size_t *line_start)
{
    V(vec) first[NEEDLES_MAX], last[NEEDLES_MAX];
    const V(vec) nl = V(splat)('\n');
    size_t reach = 64; /* bytes a step reads from its place */
    const size_t *lo = nd->lo, *hi = nd->hi;
    for (int k = 0; k < nd->n; k++) {
        first[k] = V(splat)(nd->s[k][lo[k]]);
        last[k] = V(splat)(nd->s[k][hi[k]]);
        if (hi[k] + 64 > reach)
            reach = hi[k] + 64;
    }
    uint64_t lines = 0;
    size_t start = 0, at = 0;
    unsigned j = 64;
    for (; j == 64 && n >= reach && at <= n - reach; at += 64) {
        V(vec) x = V(load)(p + at);
        uint64_t cand = 0;
        for (int k = 0; k < nd->n; k++)
            cand |= V(eq_both)(lo[k] ? V(load)(p + at + lo[k]) : x, first[k],
                               V(load)(p + at + hi[k]), last[k]);
        uint64_t nls = V(eq)(x, nl);
        if (cand)
            j = V(first_needle)(nd, p, n, at, cand);
        start = lines_before(nls, at, j, lines, start, &lines);
    }
    for (; j == 64 && at < n; at += 64) {
        uint64_t cand = V(tail_candidates)(nd, first, last, p, at, n);
        if (cand)
            j = V(first_needle)(nd, p, n, at, cand);
        start = lines_before(V(eq)(V(from)(p, at, n, 0), nl), at, j, lines, start, &lines);
    }
    *newlines = lines;
    *line_start = start;
    return j < 64 ? at - 64 + j : n;
}

#endif
