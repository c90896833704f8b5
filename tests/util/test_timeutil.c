/* Time parsing and formatting: the forms telemetry writes, and the ones that
 * must be refused. Expected epochs were computed with `date -u -d ... +%s`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "util/timeutil.h"

static void test_iso(void **state)
{
    (void)state;
    static const struct { const char *text; int64_t ms; } ok[] = {
        {"2026-11-23T09:15:02.123Z", 1795425302123},      /* date -u -d 2026-11-23T09:15:02Z */
        {"2026-11-23 09:15:02.1234567", 1795425302123},   /* Sysmon UtcTime, 7 digits */
        {"2026-11-23T09:15:02Z", 1795425302000},
        {"2026-11-23T10:15:02+01:00", 1795425302000},     /* offsets move to UTC */
        {"2026-11-23T04:15:02-0500", 1795425302000},
        {"1970-01-01T00:00:00Z", 0},
        {"2000-02-29T00:00:00Z", 951782400000},           /* leap day */
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t ms = -1;
        if (time_parse_iso(ok[i].text, strlen(ok[i].text), &ms) || ms != ok[i].ms)
            fail_msg("%s: got %lld", ok[i].text, (long long)ms);
    }
    static const char *const bad[] = {
        "", "2026-11-23", "2026-13-01T00:00:00Z", "2026-11-23T25:00:00Z", "yesterday",
        "2026-11-23T09:15:02Zjunk", "1763900000",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms;
        if (time_parse_iso(bad[i], strlen(bad[i]), &ms) == 0)
            fail_msg("'%s' accepted", bad[i]);
    }
}

static void test_epoch_and_format(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(time_parse_epoch_s("1625677521.137", 14, &ms), 0);
    assert_int_equal(ms, 1625677521137);
    assert_int_equal(time_parse_epoch_s("1625677521.1", 12, &ms), 0);
    assert_int_equal(ms, 1625677521100);
    assert_int_equal(time_parse_epoch_s("1625677521", 10, &ms), 0);
    assert_int_equal(ms, 1625677521000);
    assert_int_equal(time_parse_epoch_s("16256x", 6, &ms), -1);
    char buf[TIME_ISO_LEN];
    time_format_iso(1625677521137, buf);
    assert_string_equal(buf, "2021-07-07T17:05:21.137Z"); /* date -u -d @1625677521 */
    time_format_iso(0, buf);
    assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
    time_format_iso(-1, buf);
    assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
    /* Against the C library's calendar, from 1900 to 9999. */
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 5000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int64_t ms = -2208988800000LL + (int64_t)(x % 255611289600000ULL);
        time_t secs = (time_t)(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
        struct tm tm;
        char want[64];
        assert_non_null(gmtime_r(&secs, &tm));
        size_t n = strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(want + n, sizeof want - n, ".%03dZ", (int)(ms - (int64_t)secs * 1000));
        time_format_iso(ms, buf);
        assert_string_equal(buf, want);
    }
}

static void test_duration(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(time_parse_duration("24h", &ms), 0);
    assert_int_equal(ms, 86400000);
    assert_int_equal(time_parse_duration("90m", &ms), 0);
    assert_int_equal(ms, 5400000);
    assert_int_equal(time_parse_duration("7d", &ms), 0);
    assert_int_equal(ms, 604800000);
    assert_int_equal(time_parse_duration("24", &ms), -1);  /* a unit is required */
    assert_int_equal(time_parse_duration("h", &ms), -1);
    assert_int_equal(time_parse_duration("-1h", &ms), -1);
    static const struct { int64_t ms; const char *text; } back[] = {
        {86400000, "24h"}, {172800000, "2d"}, {604800000, "7d"}, {5400000, "90m"}, {90000, "90s"}, {1500, "1500ms"},
        {0, "0ms"}, {-5000, "-5s"}, {INT64_MIN, "-9223372036854775808ms"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof back / sizeof back[0]; i++) {
        time_format_duration(back[i].ms, buf, sizeof buf);
        assert_string_equal(buf, back[i].text);
    }
    /* Cut to the buffer, as snprintf would. */
    time_format_duration(86400000, buf, 3);
    assert_string_equal(buf, "24");
    time_format_duration(86400000, buf, 1);
    assert_string_equal(buf, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso),
        cmocka_unit_test(test_epoch_and_format),
        cmocka_unit_test(test_duration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
