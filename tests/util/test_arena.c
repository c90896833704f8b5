/* xmalloc_pages: whole huge pages, aligned to one, for sizes around a
 * page's (none, one byte, one page, one byte past it), every byte
 * writable and the buffer grown by xrealloc keeping its bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/arena.h"

enum { PAGE = 2 << 20 };

static void test_pages(void **state)
{
    (void)state;
    static const struct {
        size_t n, cap;
    } cases[] = {{0, PAGE}, {1, PAGE}, {PAGE, PAGE}, {PAGE + 1, 2 * PAGE}, {5 * PAGE - 7, 5 * PAGE}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t cap = 0;
        char *p = xmalloc_pages(cases[i].n, &cap);
        assert_int_equal(cap, cases[i].cap);
        assert_int_equal((uintptr_t)p % PAGE, 0);
        memset(p, 'x', cap);
        p = xrealloc(p, cap + PAGE);
        assert_int_equal(p[0], 'x');
        assert_int_equal(p[cap - 1], 'x');
        free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
