/* needles_find, and the newlines it counts before the place it finds,
 * against a byte-by-byte search, as a table of needle sets over generated
 * text: every start and length up to 200 bytes (the 64-byte
 * steps, a needle cut by the end, a candidate whose last byte lies past
 * it), in text made mostly of the needles' own bytes, so that first and
 * last bytes match often where the whole needle does not; each set also
 * with a rule on which occurrences count, the search going on past the
 * others. Each buffer is allocated to its exact size, so a read past it is
 * an ASan error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/needles.h"

/* The first place any needle begins, the slow way, and the newlines
 * before it: how many, and where the line holding it begins. */
static size_t naive(const char *const *set, int (*accept)(void *, const char *, size_t, size_t),
                    const char *p, size_t n, uint64_t *newlines, size_t *line_start)
{
    *newlines = 0;
    *line_start = 0;
    for (size_t at = 0; at < n; at++) {
        for (int k = 0; set[k]; k++)
            if (strlen(set[k]) <= n - at && memcmp(p + at, set[k], strlen(set[k])) == 0 &&
                (!accept || accept(NULL, p, at, n)))
                return at;
        if (p[at] == '\n')
            ++*newlines, *line_start = at + 1;
    }
    return n;
}

/* Whether both ways give the slow way's answers. */
static int agrees(const needles *nd, const char *const *set, const char *p, size_t n)
{
    uint64_t want_nl, nl[2];
    size_t want_start, start[2];
    size_t want = naive(set, nd->accept, p, n, &want_nl, &want_start);
    size_t got[2] = {needles_find(nd, p, n, &nl[0], &start[0]),
                     needles_find_bytes(nd, p, n, &nl[1], &start[1])};
    for (int i = 0; i < 2; i++)
        if (got[i] != want || nl[i] != want_nl || start[i] != want_start)
            return 0;
    return 1;
}

static const char *const sets[][NEEDLES_MAX + 1] = {
    {"NetworkConnectIP4", "\\u", NULL},
    {"a", NULL},
    {"ab", "ba", "aab", NULL},
    {"aXa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaX", NULL},
    {"x1", "x2", "x3", "x4", "x5", "x6", "x7", "xx", NULL},
    /* quoted: tested first on the bytes inside the quotes (needles.c anchors) */
    {"\"RemotePort\"", "\"x\"", "\"\"", "\\u", NULL},
};

/* A caller's rule on what counts: occurrences at every third offset. */
static int every_third(void *ctx, const char *p, size_t at, size_t n)
{
    (void)ctx, (void)p, (void)n;
    return at % 3 == 0;
}

static void test_against_bytes(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    for (size_t s = 0; s < 2 * (sizeof sets / sizeof sets[0]); s++) {
        needles nd = {.accept = s % 2 ? every_third : NULL};
        char alphabet[64] = "\n ";
        size_t na = 2;
        const char *const *set = sets[s / 2];
        for (int k = 0; set[k]; k++) {
            assert_int_equal(needles_add(&nd, set[k], strlen(set[k])), 0);
            for (const char *c = set[k]; *c && na < sizeof alphabet - 1; c++)
                if (!memchr(alphabet, *c, na))
                    alphabet[na++] = *c;
        }
        for (int round = 0; round < 40; round++) {
            char text[200];
            for (size_t i = 0; i < sizeof text; i++) {
                seed = seed * 1103515245u + 12345u;
                text[i] = alphabet[(seed >> 16) % na];
            }
            if (round % 4 == 0) /* a whole needle somewhere */
                memcpy(text + (seed >> 8) % 120, set[round / 4 % 2 && set[1] ? 1 : 0],
                       strlen(set[round / 4 % 2 && set[1] ? 1 : 0]) % 80);
            for (size_t start = 0; start < 70; start += 1 + round % 3)
                for (size_t n = 0; start + n <= sizeof text; n += 1 + (n > 80) * 7) {
                    char *p = malloc(n ? n : 1);
                    memcpy(p, text + start, n);
                    if (!agrees(&nd, set, p, n))
                        fail_msg("set %zu, round %d, start %zu, %zu bytes", s, round, start, n);
                    free(p);
                }
        }
    }
}

/* A set takes NEEDLES_MAX needles of 1 to NEEDLE_MAX bytes, and refuses
 * others without a change; an empty set finds nothing. */
static void test_limits(void **state)
{
    (void)state;
    needles nd = {0};
    char big[NEEDLE_MAX + 1];
    memset(big, 'b', sizeof big);
    uint64_t nl;
    size_t start;
    assert_int_equal(needles_find(&nd, "a\nbc", 4, &nl, &start), 4);
    assert_int_equal(nl, 1);
    assert_int_equal(start, 2);
    assert_int_equal(needles_add(&nd, "", 0), -1);
    assert_int_equal(needles_add(&nd, big, sizeof big), -1);
    assert_int_equal(needles_add(&nd, big, NEEDLE_MAX), 0);
    for (int k = 1; k < NEEDLES_MAX; k++)
        assert_int_equal(needles_add(&nd, "c", 1), 0);
    assert_int_equal(needles_add(&nd, "a", 1), -1);
    assert_int_equal(nd.n, NEEDLES_MAX);
    assert_int_equal(needles_find(&nd, "aaac", 4, &nl, &start), 3);
    assert_int_equal(nl, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_bytes),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
