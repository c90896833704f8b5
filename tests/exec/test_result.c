/* Result rows rearranged in place (result_select): narrowed, widened with
 * new NULL columns, reordered and repeated — every row holds what a copy
 * (result_project) holds, and rows added afterwards fit. A table of
 * column choices over rows with text and numbers. Rows built elsewhere and
 * given to a result (result_adopt_cells) are its rows under the new names,
 * and rows added afterwards fit. A sort that keeps its
 * first rows (a top-k by a heap when few) keeps the same rows, in the same
 * order, as a whole sort cut short. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "exec/result.h"

enum { COLS = 4, ROWS = 300 };

static mc_result *make(void)
{
    static const char *const names[COLS] = {"a", "b", "c", "d"};
    mc_result *r = result_new(COLS, names);
    for (int i = 0; i < ROWS; i++) {
        char text[32];
        int n = snprintf(text, sizeof text, "row %d", i);
        mc_value row[COLS] = {mc_int(MC_INT, i), mc_str(MC_STR, text, (size_t)n), mc_null(),
                              mc_int(MC_INT, -i)};
        result_add_row(r, row);
    }
    return r;
}

static int same(const mc_value *x, const mc_value *y)
{
    if (x->type != y->type)
        return 0;
    if (x->type == MC_NULL)
        return 1;
    if (x->type == MC_STR)
        return x->len == y->len && memcmp(x->u.s, y->u.s, x->len) == 0;
    return x->u.i == y->u.i;
}

static const struct {
    int n;
    int cols[8];
} choices[] = {
    {2, {3, 1}},                     /* narrower, reordered */
    {0, {0}},                        /* no column */
    {4, {0, 1, 2, 3}},               /* the same */
    {7, {1, -1, 0, 1, -1, 3, 2}},    /* wider: a repeat and new NULL columns */
    {1, {-1}},                       /* only a new column */
};

static void test_select(void **state)
{
    (void)state;
    static const char *const names[8] = {"p", "q", "r", "s", "t", "u", "v", "w"};
    for (size_t t = 0; t < sizeof choices / sizeof *choices; t++) {
        mc_result *r = make(), *want = make();
        int n = choices[t].n;
        const int *cols = choices[t].cols;
        result_select(r, cols, names, n);
        assert_int_equal(r->ncols, n);
        assert_int_equal(r->nrows, ROWS);
        for (int c = 0; c < n; c++)
            assert_string_equal(r->names[c], names[c]);
        for (size_t i = 0; i < ROWS; i++)
            for (int c = 0; c < n; c++) {
                mc_value none = mc_null();
                const mc_value *w = cols[c] >= 0 ? &result_row(want, i)[cols[c]] : &none;
                assert_true(same(&result_row(r, i)[c], w));
            }
        /* Rows added after it are rows of the new width. */
        mc_value extra[8];
        for (int c = 0; c < 8; c++)
            extra[c] = mc_int(MC_INT, 1000 + c);
        for (int k = 0; k < ROWS; k++)
            result_add_row(r, extra);
        assert_int_equal(r->nrows, 2 * ROWS);
        for (int c = 0; c < n; c++)
            assert_int_equal(result_row(r, 2 * ROWS - 1)[c].u.i, 1000 + c);
        for (size_t i = 0; i < ROWS; i++) /* and the rows before it kept their cells */
            for (int c = 0; c < n; c++)
                if (cols[c] >= 0)
                    assert_true(same(&result_row(r, i)[c], &result_row(want, i)[cols[c]]));
        result_free(r);
        result_free(want);
    }
}

/* Every other row of make(), narrowed to columns 1 and 3, built in a new
 * array as triage builds its rows on threads, then adopted. */
static void test_adopt(void **state)
{
    (void)state;
    static const char *const names[2] = {"text", "minus"};
    mc_result *r = make();
    mc_value *cells = xmalloc(sizeof *cells * 2 * (ROWS / 2));
    for (size_t i = 0; i < ROWS / 2; i++) {
        cells[2 * i] = result_row(r, 2 * i)[1];
        cells[2 * i + 1] = result_row(r, 2 * i)[3];
    }
    result_adopt_cells(r, cells, ROWS / 2, names, 2);
    assert_int_equal(r->ncols, 2);
    assert_int_equal(r->nrows, ROWS / 2);
    assert_string_equal(r->names[0], "text");
    assert_string_equal(r->names[1], "minus");
    for (size_t i = 0; i < ROWS / 2; i++) {
        char text[32];
        int n = snprintf(text, sizeof text, "row %zu", 2 * i);
        mc_value want[2] = {mc_str(MC_STR, text, (size_t)n), mc_int(MC_INT, -(int64_t)(2 * i))};
        assert_true(same(&result_row(r, i)[0], &want[0]));
        assert_true(same(&result_row(r, i)[1], &want[1]));
    }
    mc_value extra[2] = {mc_int(MC_INT, 7), mc_int(MC_INT, 8)};
    result_add_row(r, extra); /* past the adopted array's end: it grows */
    assert_int_equal(r->nrows, ROWS / 2 + 1);
    assert_int_equal(result_row(r, ROWS / 2)[1].u.i, 8);
    result_free(r);
}

/* n rows with many ties in the sort column (i * 7919 mod nums), a text
 * column breaking them but for repeats (i * step mod texts), and a NULL
 * every null_every rows. */
typedef struct tie_shape {
    int n, nums, step, texts, null_every;
} tie_shape;

static mc_result *ties(tie_shape t)
{
    static const char *const names[2] = {"n", "t"};
    mc_result *r = result_new(2, names);
    for (int i = 0; i < t.n; i++) {
        char text[16];
        int len = snprintf(text, sizeof text, "t%03d", (i * t.step) % t.texts);
        mc_value row[2] = {i % t.null_every ? mc_int(MC_INT, (i * 7919) % t.nums) : mc_null(),
                           mc_str(MC_STR, text, (size_t)len)};
        result_add_row(r, row);
    }
    return r;
}

static void test_sort_keep(void **state)
{
    (void)state;
    static const size_t keeps[] = {0, 1, 7, 100, 249, 250, 1999, 2000, 5000, SIZE_MAX};
    for (int desc = 0; desc < 2; desc++)
        for (size_t k = 0; k < sizeof keeps / sizeof *keeps; k++) {
            result_order o = {0, desc, SORT_VALUE};
            const tie_shape shape = {2000, 97, 1, 250, 13};
            mc_result *all = ties(shape), *some = ties(shape);
            result_sort(all, &o, 1, 0, SIZE_MAX, 1);
            result_sort(some, &o, 1, 0, keeps[k], 1);
            size_t want = keeps[k] < all->nrows ? keeps[k] : all->nrows;
            assert_int_equal(some->nrows, want);
            for (size_t i = 0; i < want; i++)
                for (int c = 0; c < 2; c++)
                    assert_true(same(&result_row(some, i)[c], &result_row(all, i)[c]));
            result_free(all);
            result_free(some);
        }
}

/* A sort on several threads (shares sorted apart, then merged; or, for a
 * top few, each share's top and then theirs) gives the one-thread order,
 * for row counts around the share size and for shares of unequal length;
 * and that order is sorted. */
static void check_threads(int rows, int threads, size_t keep)
{
    result_order o[2] = {{0, 1, SORT_VALUE}, {1, 0, SORT_VALUE}};
    const tie_shape shape = {rows, 5, 31, 17, 11};
    mc_result *one = ties(shape), *par = ties(shape);
    result_sort(one, o, 2, 0, SIZE_MAX, 1);
    result_sort(par, o, 2, 0, keep, threads);
    assert_int_equal(par->nrows, keep < one->nrows ? keep : one->nrows);
    for (size_t i = 0; i < par->nrows; i++)
        for (int c = 0; c < 2; c++)
            assert_true(same(&result_row(par, i)[c], &result_row(one, i)[c]));
    for (size_t i = 1; i < one->nrows; i++) {
        const mc_value *a = result_row(one, i - 1), *b = result_row(one, i);
        int res;
        if (a[0].type != MC_NULL && b[0].type != MC_NULL) {
            assert_int_equal(value_compare(&a[0], &b[0], &res), 0);
            assert_true(res >= 0); /* descending */
        }
    }
    result_free(one);
    result_free(par);
}

static void test_sort_threads(void **state)
{
    (void)state;
    static const int sizes[] = {100, 8191, 16384, 16385, 50001};
    static const size_t keeps[] = {SIZE_MAX, 100, 1};
    for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++)
        for (int threads = 2; threads <= 5; threads++)
            for (size_t k = 0; k < sizeof keeps / sizeof *keeps; k++)
                check_threads(sizes[z], threads, keeps[k]);
}

/* Address collation: IPv4 before IPv6, each by its bytes (not by text:
 * "10.0.0.9" before "10.0.0.10"), ties by the other column; the order is
 * written by hand. Repeated 3,000 times, so that two threads sort it too. */
static void test_sort_addresses(void **state)
{
    (void)state;
    static const char *const addr[] = {"2001:db8::1", "10.0.0.10", "::1", "9.255.255.255",
                                       "10.0.0.9", "10.0.0.9"};
    static const char *const want[] = {"9.255.255.255", "10.0.0.9", "10.0.0.9", "10.0.0.10",
                                       "::1", "2001:db8::1"};
    static const char *const names[2] = {"ip", "n"};
    for (int threads = 1; threads <= 2; threads++) {
        mc_result *r = result_new(2, names);
        for (int i = 0; i < 3000 * 6; i++) {
            const char *a = addr[i % 6];
            mc_value row[2] = {mc_str(MC_IP, a, strlen(a)), mc_int(MC_INT, i / 6)};
            result_add_row(r, row);
        }
        result_order o = {0, 0, SORT_VALUE};
        result_sort(r, &o, 1, COLLATE_IP_ADDRESS, SIZE_MAX, threads);
        /* Each address's block in turn, and within one, n ascending. */
        size_t at = 0;
        for (size_t w = 0; w < 6; w++) {
            size_t count = !strcmp(want[w], "10.0.0.9") ? 6000 : 3000;
            if (w > 0 && !strcmp(want[w], want[w - 1]))
                continue;
            for (size_t i = 0; i < count; i++, at++) {
                const mc_value *row = result_row(r, at);
                assert_int_equal(row[0].len, strlen(want[w]));
                assert_memory_equal(row[0].u.s, want[w], row[0].len);
                if (i > 0)
                    assert_true(row[1].u.i >= result_row(r, at - 1)[1].u.i);
            }
        }
        assert_int_equal(at, r->nrows);
        result_free(r);
    }
}

/* The order the sort promises for a column of one kind, by hand: NULL
 * after every value in either direction, integers by value, text by its
 * bytes (a prefix first). */
static int want_order(const mc_value *a, const mc_value *b, int desc)
{
    if (a->type == MC_NULL || b->type == MC_NULL)
        return (a->type == MC_NULL) - (b->type == MC_NULL);
    int c;
    if (a->type == MC_INT) {
        c = (a->u.i > b->u.i) - (a->u.i < b->u.i);
    } else {
        size_t n = a->len < b->len ? a->len : b->len;
        c = memcmp(a->u.s, b->u.s, n);
        c = c ? (c > 0) - (c < 0) : (a->len > b->len) - (a->len < b->len);
    }
    return desc ? -c : c;
}

/* Columns of one kind (integers with NULLs; text with NULLs, prefixes,
 * bytes above 0x7f; text of many values, some alike in their first 8
 * bytes): each
 * sorted on its own, ascending and descending, on 1 and 2 threads; every
 * neighbouring pair is in the promised order (or equal, then the next
 * column decides). */
static void test_sort_kinds(void **state)
{
    (void)state;
    static const char *const names[] = {"i", "t", "u"};
    static const char *const words[] = {"a", "ab", "abc", "b", "\xc3\xa9", "B", "", "a\x01"};
    for (int col = 0; col < 3; col++)
        for (int desc = 0; desc < 2; desc++)
            for (int threads = 1; threads <= 2; threads++) {
                mc_result *r = result_new(3, names);
                unsigned seed = 11;
                for (int i = 0; i < 9000; i++) {
                    seed = seed * 1103515245u + 12345u;
                    mc_value row[3];
                    int pick = (int)(seed >> 16) % 9;
                    row[0] = pick == 8 ? mc_null() : mc_int(MC_INT, (int64_t)(seed >> 8) % 50 - 25);
                    row[1] = pick == 8 ? mc_null() : mc_str(MC_STR, words[pick], strlen(words[pick]));
                    char many[24]; /* column u: many values, some alike in 8 bytes or more */
                    int len = snprintf(many, sizeof many, (seed >> 12) % 3 ? "%u" : "same-prefix-%u",
                                       (seed >> 4) % 20000);
                    row[2] = mc_str(MC_STR, many, (size_t)len);
                    result_add_row(r, row);
                }
                result_order o = {col, desc, SORT_VALUE};
                result_sort(r, &o, 1, 0, SIZE_MAX, threads);
                for (size_t i = 1; i < r->nrows; i++) {
                    const mc_value *a = result_row(r, i - 1), *b = result_row(r, i);
                    int c = want_order(&a[col], &b[col], desc);
                    for (int k = 0; c == 0 && k < 3; k++) /* ties: every column ascending */
                        c = k == col ? 0 : want_order(&a[k], &b[k], 0);
                    if (c > 0)
                        fail_msg("column %d%s, %d threads: rows %zu and %zu out of order", col,
                                 desc ? " desc" : "", threads, i - 1, i);
                }
                result_free(r);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_adopt),
        cmocka_unit_test(test_sort_keep),
        cmocka_unit_test(test_sort_threads),
        cmocka_unit_test(test_sort_addresses),
        cmocka_unit_test(test_sort_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
