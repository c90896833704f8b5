/* needles: where in a buffer any of a few byte strings first begins, and
 * how many lines come before it. The prefilter's literals are searched over
 * a whole block of lines with it, so that the lines holding none of them
 * are counted and passed over without being split or read (driver/record.c
 * record_block).
 *
 * Ownership: a needles value holds copies of its strings; nothing to free. */
#ifndef MAILC2_UTIL_NEEDLES_H
#define MAILC2_UTIL_NEEDLES_H

#include <stddef.h>
#include <stdint.h>

enum { NEEDLES_MAX = 8, NEEDLE_MAX = 64 };

typedef struct needles {
    int n;
    size_t len[NEEDLES_MAX];
    char s[NEEDLES_MAX][NEEDLE_MAX];
    /* The two bytes of each a place is first tested on (needles_add): its
     * first and last, or, where one is a quote (a key's needle,
     * `"RemotePort"`: quotes stand everywhere in JSON, and places where two
     * lay the needle's length apart were a third of a search), the byte
     * inside it. */
    size_t lo[NEEDLES_MAX], hi[NEEDLES_MAX];
    /* Whether an occurrence at p[at] counts, p[0, n) being what is
     * searched (a caller's grammar: an escape that is no escape, a key
     * whose value cannot pass); NULL: each does. The search goes on past
     * one that does not. ctx: the caller's. */
    int (*accept)(void *ctx, const char *p, size_t at, size_t n);
    void *ctx;
} needles;

/* Adds s[0, len): 0, or -1 when the set is full or len is not within
 * [1, NEEDLE_MAX] (the set is then unchanged). */
int needles_add(needles *nd, const char *s, size_t len);

/* The offset in p[0, n) where the first occurrence of any needle begins,
 * or n when there is none; and the lines before it, for a caller that reads
 * lines around it: *newlines counts the '\n' bytes in p[0, offset), and
 * *line_start is where the line holding the offset begins (just past the
 * last of them; 0 when there is none). */
size_t needles_find(const needles *nd, const char *p, size_t n, uint64_t *newlines,
                    size_t *line_start);

/* The same answers, one byte at a time: what needles_find does on a CPU
 * without AVX2, and what the tests hold its fast path to. */
size_t needles_find_bytes(const needles *nd, const char *p, size_t n, uint64_t *newlines,
                          size_t *line_start);

#endif
