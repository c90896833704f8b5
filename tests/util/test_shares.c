/* shares_run: every share runs once, with its own argument, for 0 to 9
 * shares; the shares' sums add up to the whole range's. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_share_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
