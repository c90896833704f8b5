/* count_newlines against a byte-by-byte count: every length from 0 to 300
 * at every start from 0 to 70 (the 64-byte steps and the masked last
 * bytes), in text with newlines here and there, in runs, and none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/lines.h"

static void test_counts(void **state)
{
    (void)state;
    char buf[400];
    for (int kind = 0; kind < 3; kind++) {
        for (size_t i = 0; i < sizeof buf; i++)
            buf[i] = kind == 0   ? (i * 7919 % 13 == 0 ? '\n' : 'a')
                     : kind == 1 ? (i % 100 < 40 ? '\n' : 'b')
                                 : 'c';
        for (size_t start = 0; start <= 70; start++)
            for (size_t n = 0; n <= 300; n++) {
                uint64_t want = 0;
                for (size_t i = 0; i < n; i++)
                    want += buf[start + i] == '\n';
                if (count_newlines(buf + start, n) != want)
                    fail_msg("kind %d, start %zu, %zu bytes: want %llu", kind, start, n,
                             (unsigned long long)want);
            }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
