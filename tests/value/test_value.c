/* Unit tests for src/value/value.c: numbers read from text, comparison
 * across types, and the text every output prints — as tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "value/value.h"

static mc_value s(const char *t) { return mc_str(MC_STR, t, strlen(t)); }

static void test_numbers(void **state)
{
    (void)state;
    static const struct { const char *text; int type; double want; } cases[] = {
        {"25", MC_INT, 25}, {"-7", MC_INT, -7}, {"+3", MC_INT, 3}, {"1.5", MC_FLOAT, 1.5},
        {"1e3", MC_FLOAT, 1000}, {"", MC_NULL, 0}, {"25 ", MC_NULL, 0}, {"0x10", MC_NULL, 0},
        {"nan", MC_NULL, 0}, {"-", MC_NULL, 0}, {"99999999999999999999", MC_FLOAT, 1e20},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mc_value v = value_parse_number(cases[i].text, strlen(cases[i].text));
        assert_int_equal(v.type, cases[i].type);
        if (v.type == MC_INT)
            assert_int_equal(v.u.i, (int64_t)cases[i].want);
        if (v.type == MC_FLOAT)
            assert_true(v.u.f == cases[i].want);
    }
}

/* Decimals read by the fast path (digits.digits) are strtod's, bit for
 * bit: every fraction length from 1 to 22 digits, mantissas near 2^53 and
 * small, both signs; and those past it (more digits, an exponent) still
 * read. */
static void test_decimals(void **state)
{
    (void)state;
    static const int64_t mants[] = {0, 1, 5, 327, 1795392000327, 4503599627370495,
                                    9007199254740991, 9007199254740993, 123456789012345678};
    char buf[64];
    for (size_t k = 0; k < sizeof mants / sizeof *mants; k++)
        for (int f = 1; f <= 24; f++)
            for (int neg = 0; neg < 2; neg++) {
                char digits[32];
                int nd = snprintf(digits, sizeof digits, "%0*lld", f + 1, (long long)mants[k]);
                int len = snprintf(buf, sizeof buf, "%s%.*s.%s", neg ? "-" : "", nd - f, digits,
                                   digits + nd - f);
                mc_value v = value_parse_number(buf, (size_t)len);
                double want = strtod(buf, NULL);
                assert_int_equal(v.type, MC_FLOAT);
                if (memcmp(&v.u.f, &want, sizeof want))
                    fail_msg("%s: read %.17g, strtod %.17g", buf, v.u.f, want);
            }
    mc_value v = value_parse_number("1.5e3", 5);
    assert_int_equal(v.type, MC_FLOAT);
    assert_true(v.u.f == 1500.0);
    assert_int_equal(value_parse_number("1.", 2).type, MC_FLOAT);
    assert_int_equal(value_parse_number("1.2.3", 5).type, MC_NULL);
}

static void test_compare(void **state)
{
    (void)state;
    static const struct { mc_value a, b; int rc, sign; } cases[] = {
        {{MC_INT, 0, {.i = 25}}, {MC_INT, 0, {.i = 110}}, 0, -1},
        {{MC_STR, 2, {.s = "25"}}, {MC_INT, 0, {.i = 25}}, 0, 0},    /* text read as a number */
        {{MC_STR, 3, {.s = "abc"}}, {MC_INT, 0, {.i = 1}}, -1, 0},   /* not a number: unknown */
        {{MC_STR, 3, {.s = "abc"}}, {MC_STR, 2, {.s = "ab"}}, 0, 1}, /* bytewise, longer after */
        {{MC_NULL, 0, {.i = 0}}, {MC_INT, 0, {.i = 1}}, -1, 0},
        {{MC_FLOAT, 0, {.f = 2.5}}, {MC_TS, 0, {.i = 2}}, 0, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int res = 0;
        assert_int_equal(value_compare(&cases[i].a, &cases[i].b, &res), cases[i].rc);
        if (cases[i].rc == 0)
            assert_int_equal((res > 0) - (res < 0), cases[i].sign);
    }
}

static void test_format(void **state)
{
    (void)state;
    static const struct { mc_value v; const char *want; int rc; } cases[] = {
        {{MC_NULL, 0, {.i = 0}}, "", 0},
        {{MC_TS, 0, {.i = 1795421112500}}, "2026-11-23T08:05:12.500Z", 1},
        {{MC_INT, 0, {.i = -42}}, "-42", 1},
        {{MC_INT, 0, {.i = 0}}, "0", 1},
        {{MC_INT, 0, {.i = INT64_MAX}}, "9223372036854775807", 1},
        {{MC_INT, 0, {.i = INT64_MIN}}, "-9223372036854775808", 1},
        {{MC_BOOL, 0, {.i = 1}}, "true", 1},
        {{MC_FLOAT, 0, {.f = 0.1}}, "0.1", 1},
        {{MC_IP, 8, {.s = "10.0.0.1"}}, "10.0.0.1", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[VALUE_TEXT_MAX];
        const char *t;
        size_t len;
        assert_int_equal(value_format(&cases[i].v, buf, &t, &len), cases[i].rc);
        assert_int_equal(len, strlen(cases[i].want));
        assert_memory_equal(t, cases[i].want, len);
    }
    mc_value v = s("x");
    assert_int_equal(v.type, MC_STR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_decimals),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
