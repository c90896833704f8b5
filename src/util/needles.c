/* needles: a search for several byte strings at once (see needles.h).
 * Written by hand because it is the one pass over every byte of a run the
 * prefilter can decide by literals: one step tests 64 places with each
 * needle's first and last bytes (util/needles_simd.h), and only a place
 * where both match is compared whole, so the cost is a few compares per 64
 * bytes, whatever the needles. */
#include "util/needles.h"

#include <stdint.h>
#include <string.h>

#include "util/simd64.h"

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

/* The lines before place at + j of a step whose newlines are nls, those
 * before the step being `lines`, the last of them ending at `start`. */
static inline size_t lines_before(uint64_t nls, size_t at, unsigned j, uint64_t lines,
                                  size_t start, uint64_t *newlines)
{
    uint64_t below = j < 64 ? nls & ((UINT64_C(1) << j) - 1) : nls;
    *newlines = lines + (uint64_t)__builtin_popcountll(below);
    return below ? at + 64 - (size_t)__builtin_clzll(below) : start;
}

#define SIMD64 v512
#include "util/needles_simd.h"
#undef SIMD64
#define SIMD64 v256
#include "util/needles_simd.h"
#undef SIMD64

size_t needles_find(const needles *nd, const char *p, size_t n, uint64_t *newlines,
                    size_t *line_start)
{
#ifdef SIMD64_BUILT
    switch (simd64_level()) {
    case SIMD64_AVX512: return v512_find(nd, p, n, newlines, line_start);
    case SIMD64_AVX2: return v256_find(nd, p, n, newlines, line_start);
    default: break;
    }
#endif
    return needles_find_bytes(nd, p, n, newlines, line_start);
}
