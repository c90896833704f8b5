/* fmt_vappend against vsnprintf, the reference it must equal: every case
 * of the table appended after a prefix, into every capacity from no room
 * to more than enough, so the cut falls inside literal runs, strings and
 * numbers alike; then formats it leaves to vsnprintf. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/fmt.h"

static size_t ours(char *buf, size_t cap, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = fmt_vappend(buf, cap, len, fmt, ap);
    va_end(ap);
    return n;
}

/* What fmt_vappend must leave: vsnprintf after the prefix. */
static void reference(char *buf, size_t cap, size_t len, const char *fmt, ...)
{
    if (len + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, cap - len, fmt, ap);
    va_end(ap);
}

#define CHECK(...)                                                                          \
    for (size_t cap = 1; cap < 120; cap++) {                                                \
        char a[128], b[128];                                                                \
        memset(a, 'x', sizeof a);                                                           \
        memset(b, 'x', sizeof b);                                                           \
        size_t len = cap > 6 ? 6 : cap - 1;                                                 \
        memcpy(a, "prefix", len), a[len] = '\0';                                            \
        memcpy(b, "prefix", len), b[len] = '\0';                                            \
        size_t n = ours(a, cap, len, __VA_ARGS__);                                          \
        reference(b, cap, len, __VA_ARGS__);                                                \
        assert_memory_equal(a, b, sizeof a);                                                \
        assert_int_equal(n, strlen(b));                                                     \
    }

static void test_plain_conversions(void **state)
{
    (void)state;
    CHECK("no conversion at all");
    CHECK("%s", "");
    CHECK("fired: outbound to %s:%lld (%s), a watched mail port", "11.0.119.238", 25LL, "SMTP");
    CHECK("%d %d %d", 0, -7, INT_MIN);
    CHECK("%lld|%lld|%lld", LLONG_MAX, LLONG_MIN, -1LL);
    CHECK("%zu connection%s: 100%% sure", (size_t)3, "s");
    CHECK("%zu", SIZE_MAX);
    CHECK("%s%s%s", "a", "bb", "ccc");
    CHECK("ends with a conversion %d", 12345);
    const char *volatile none = NULL; /* glibc writes "(null)"; so must fmt */
    CHECK("%s|%d", none, 3);
}

static void test_others_go_to_vsnprintf(void **state)
{
    (void)state;
    CHECK("skew %.2f, MAD %.0f%% of the interval", 0.125, 37.5);
    CHECK("%5s|%-4d|%x", "ab", 7, 255u);
    CHECK("%s then %.1f h", "text", 2.25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_conversions),
        cmocka_unit_test(test_others_go_to_vsnprintf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
