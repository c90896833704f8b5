/* Unit tests for src/input/values.c (the conversions every decoder shares)
 * and time_parse_log (the log date-time forms): tables of input -> output,
 * with the reason for each case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "value/convert.h"
#include "util/timeutil.h"

static mc_value s(const char *text)
{
    return text ? mc_str(MC_STR, text, strlen(text)) : mc_null();
}

static void test_numbers(void **state)
{
    (void)state;
    static const struct { const char *in; int64_t want; int null; const char *why; } cases[] = {
        {"25", 25, 0, "plain"},
        {"0025", 25, 0, "leading zeros: AQL's integer port"},
        {"", 0, 1, "empty"},
        {"1.2k", 0, 1, "not digits (aql.md §6 #10)"},
        {"-1", 0, 1, "sign"},
        {"1234567890123456789", 0, 1, "more than 18 digits"},
        {NULL, 0, 1, "absent"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mc_value v = value_uint(s(cases[i].in));
        if (cases[i].null)
            assert_int_equal(v.type, MC_NULL);
        else
            assert_true(v.type == MC_INT && v.u.i == cases[i].want);
    }
    assert_int_equal(value_port(s("65535")).u.i, 65535);
    assert_int_equal(value_port(s("65536")).type, MC_NULL);
}

static void test_ip(void **state)
{
    (void)state;
    static const struct { const char *in, *want; } cases[] = {
        {"10.1.2.3", "10.1.2.3"},
        {"::ffff:192.0.2.1", "192.0.2.1"},     /* IPv4-mapped -> IPv4 (fields.md §5 #7) */
        {"::FFFF:192.0.2.1", "192.0.2.1"},
        {"fe80::1%eth0", "fe80::1%eth0"},      /* a zone is kept */
        {"ab12:1:4:1:106b:2121:xz15:361a", NULL}, /* QRadar's invalid sample address */
        {"OCSP_Server", NULL},                 /* ASA names a peer */
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mc_value v = value_ip(s(cases[i].in));
        if (!cases[i].want) {
            assert_int_equal(v.type, MC_NULL);
            continue;
        }
        assert_int_equal(v.type, MC_IP);
        assert_int_equal(v.len, strlen(cases[i].want));
        assert_memory_equal(v.u.s, cases[i].want, v.len);
    }
}

static void test_local_and_direction(void **state)
{
    (void)state;
    cidr_set local;
    char err[100];
    assert_int_equal(cidr_set_parse(&local, NULL, err, sizeof err), 0);
    static const struct { const char *src, *dst, *dir, *aql; } cases[] = {
        {"10.0.0.5", "203.0.113.9", "out", "L2R"},
        {"127.0.0.1", "127.0.0.1", "out", "L2L"},   /* initiator local: out (network rule) */
        {"100.64.1.1", "8.8.8.8", "out", "L2R"},    /* RFC 6598 */
        {"203.0.113.9", "192.168.1.1", "in", "R2L"},
        {"203.0.113.9", "198.51.100.1", NULL, "R2R"},
        {"fd00::1", "2001:db8::1", "out", "L2R"},   /* ULA */
        {"2001:db8::1", "fe80::1", "in", "R2L"},    /* link-local */
        {"172.32.0.1", "172.31.255.255", "in", "R2L"}, /* just outside / inside 172.16/12 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mc_value src = value_ip(s(cases[i].src)), dst = value_ip(s(cases[i].dst));
        mc_value d = value_net_direction(&local, src, dst), a = value_locality(&local, src, dst);
        if (cases[i].dir)
            assert_true(value_is(d, cases[i].dir));
        else
            assert_int_equal(d.type, MC_NULL);
        assert_true(value_is(a, cases[i].aql));
    }
    assert_int_equal(value_locality(&local, mc_null(), value_ip(s("10.0.0.1"))).type, MC_NULL);
}

static void test_text(void **state)
{
    (void)state;
    assert_true(value_is(value_basename(s("\\Device\\HarddiskVolume3\\x\\eM Client.exe")),
                       "eM Client.exe"));                     /* fields.md §5 #6 */
    assert_true(value_is(value_basename(s("/usr/bin/curl")), "curl"));
    assert_true(value_is(value_basename(s("System")), "System"));
    assert_int_equal(value_transport(s("TCP")).u.i, 6);
    assert_int_equal(value_transport(s("udp")).u.i, 17);
    assert_int_equal(value_transport(s("6")).u.i, 6);
    assert_int_equal(value_transport(s("ipv6-icmp")).u.i, 58);
    assert_int_equal(value_transport(s("tcp.ip")).type, MC_NULL);
    arena a;
    arena_init(&a);
    assert_true(value_is(value_lower(s("SMTP"), &a), "smtp"));
    arena_free(&a);
    assert_non_null(value_find("abc</Event>", 11, "</Event>"));
    assert_null(value_find("abc</Even", 9, "</Event>"));
}

static void test_time_parse_log(void **state)
{
    (void)state;
    static const struct { const char *in; int64_t ms; const char *why; } ok[] = {
        {"2018/11/30 16:09:07", 1543594147000, "PAN-OS"},
        {"2018/11/30 16:09:07.250", 1543594147250, "PAN-OS with a fraction"},
        {"Apr 29 2013 12:59:50", 1367240390000, "Cisco ASA"},
        {"Mar 14, 2021, 6:39:30 AM", 1615703970000, "QRadar UI"},
        {"Mar 14, 2021 6:39:30 PM", 1615747170000, "QRadar UI without the second comma"},
        {"Dec 1, 2021, 12:00:00 AM", 1638316800000, "12 AM is midnight"},
        {"Dec 1, 2021, 12:00:00 PM", 1638360000000, "12 PM is noon"},
        {"2021-03-14T06:39:30Z", 1615703970000, "ISO 8601"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t ms = 0;
        if (time_parse_log(ok[i].in, strlen(ok[i].in), &ms) || ms != ok[i].ms)
            fail_msg("%s: '%s' -> %lld", ok[i].why, ok[i].in, (long long)ms);
    }
    static const char *const bad[] = {
        "Apr 29 12:59:50", "2018/13/30 16:09:07", "Foo 1 2020 10:00:00",
        "Mar 14, 2021, 13:00:00 PM",
        "2018/11/30 16:09:07 EDT", "XXXXXXXXXX.XXXXXX", "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms;
        if (time_parse_log(bad[i], strlen(bad[i]), &ms) == 0)
            fail_msg("'%s' parsed", bad[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_ip),
        cmocka_unit_test(test_local_and_direction),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_time_parse_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
