/* shares_run: every share runs once, with its own argument, for 0 to 9
 * shares; the shares' sums add up to the whole range's. shares_count: a
 * table worked by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/shares.h"

typedef struct share {
    int64_t from, to, sum;
    int runs;
} share;

static void *add_up(void *arg)
{
    share *s = arg;
    for (int64_t i = s->from; i < s->to; i++)
        s->sum += i;
    s->runs++;
    return NULL;
}

static void test_every_share_once(void **state)
{
    (void)state;
    for (int n = 0; n <= 9; n++) {
        share sh[9] = {{0}};
        int64_t total = 100000;
        for (int i = 0; i < n; i++)
            sh[i] = (share){total * i / n, total * (i + 1) / n, 0, 0};
        shares_run(add_up, sh, sizeof *sh, n);
        int64_t sum = 0;
        for (int i = 0; i < n; i++) {
            assert_int_equal(sh[i].runs, 1);
            sum += sh[i].sum;
        }
        assert_int_equal(sum, n ? total * (total - 1) / 2 : 0);
    }
}

/* shares_count: one share for each min_each items begun, at most one a
 * thread and at most max, at least one (each row worked by hand). */
static void test_count(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        int threads;
        size_t min_each;
        int max, want;
    } cases[] = {
        {0, 4, 100, 16, 1},      /* nothing: one share */
        {99, 4, 100, 16, 1},     /* under one minimum */
        {100, 4, 100, 16, 2},    /* one minimum whole, a second begun (empty) */
        {250, 4, 100, 16, 3},    /* two whole, a third begun */
        {400, 4, 100, 16, 4},    /* enough for every thread */
        {10000, 4, 100, 16, 4},  /* never more than the threads */
        {10000, 32, 100, 16, 16}, /* nor more than max */
        {10000, 0, 100, 16, 1},  /* no threads said: one */
        {10000, -3, 100, 16, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        assert_int_equal(shares_count(cases[i].n, cases[i].threads, cases[i].min_each,
                                      cases[i].max),
                         cases[i].want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_share_once),
        cmocka_unit_test(test_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
