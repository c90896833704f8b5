/* The triage score's parts on constructed findings: each case is a
 * finding a responder would rank by hand, and the reason it scores so.
 *   periodicity: a perfect 300 s beacon high, jitter of 2% still high,
 *                random intervals low, 3 connections not judged;
 *   rarity:      one host high, many hosts (a relay) nothing, loopback is
 *                the host itself, fan-out to many destinations;
 *   process:     living-off-the-land binaries and mail tells in the
 *                command line, temp paths, an installed service nothing;
 *   protocol:    not-mail sessions on a mail port, unknown without capture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "triage/score.h"

#define DAY (24LL * 3600 * 1000)

static void test_perfect_beacon(void **state)
{
    (void)state;
    int64_t t[256];
    for (int i = 0; i < 256; i++)
        t[i] = 1795400000000LL + (int64_t)i * 300000;
    interval_stats s;
    assert_int_equal(score_intervals(t, 256, &s), 0);
    assert_true(s.median == 300000 && s.skew == 0 && s.mad == 0);
    triage_part p;
    score_periodicity(t, 256, DAY, &p);
    assert_int_equal(p.points, 25);
    assert_non_null(strstr(p.why, "regular: every 5 min"));
}

/* 300 s +- 6 s: a jittered beacon is still regular. */
static void test_jittered_beacon(void **state)
{
    (void)state;
    static const int jitter[] = {0, 6, -4, 2, -6, 5, -1, 3, -5, 4, -2, 1};
    int64_t t[48], at = 0;
    for (int i = 0; i < 48; i++) {
        t[i] = at;
        at += 300000 + jitter[i % 12] * 1000;
    }
    triage_part p;
    score_periodicity(t, 48, DAY, &p);
    assert_in_range(p.points, 18, 25);
}

/* Intervals from 40 s to 40 min in no order: nothing regular. */
static void test_random_intervals(void **state)
{
    (void)state;
    static const int gaps[] = {40, 900, 130, 2400, 610, 75, 1800, 330, 1200, 55, 700, 2050};
    int64_t t[13] = {0};
    for (int i = 0; i < 12; i++)
        t[i + 1] = t[i] + gaps[i] * 1000LL;
    triage_part p;
    score_periodicity(t, 13, DAY, &p);
    assert_in_range(p.points, 0, 3);
    assert_non_null(strstr(p.why, "irregular"));
}

static void test_too_few(void **state)
{
    (void)state;
    int64_t t[3] = {0, 300000, 600000};
    triage_part p;
    score_periodicity(t, 3, DAY, &p);
    assert_int_equal(p.points, 0);
    assert_non_null(strstr(p.why, "too few"));
}

/* Hourly for a day (24 in 24 h) gets the full volume; 4 in 24 h half. */
static void test_volume(void **state)
{
    (void)state;
    int64_t t[24];
    for (int i = 0; i < 24; i++)
        t[i] = (int64_t)i * 3600000;
    triage_part full, few;
    score_periodicity(t, 24, DAY, &full);
    score_periodicity(t, 4, DAY, &few);
    assert_int_equal(full.points, 25);
    assert_int_equal(few.points, 15); /* 25 x (1 + 4/24) / 2 = 14.6 */
}

static void test_rarity(void **state)
{
    (void)state;
    triage_part one, two, many, loop, fan;
    score_rarity(1, 0, 1, "198.51.100.77", &one);
    score_rarity(2, 0, 1, "198.51.100.77", &two);
    score_rarity(6, 0, 1, "10.20.0.25", &many);
    score_rarity(3, 1, 1, "127.0.0.1", &loop);
    score_rarity(6, 0, 4, "10.20.0.25", &fan);
    assert_int_equal(one.points, 20);
    assert_int_equal(two.points, 10);
    assert_int_equal(many.points, 0);
    assert_non_null(strstr(many.why, "relay"));
    assert_int_equal(loop.points, 20);
    assert_int_equal(fan.points, 10);
    assert_true(score_is_loopback("127.0.0.1") && score_is_loopback("::1") &&
                !score_is_loopback("10.20.0.25"));
}

static void test_process(void **state)
{
    (void)state;
    triage_part p;
    score_process("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                  "powershell.exe & {Send-MailMessage -SmtpServer 127.0.0.1}", &p);
    assert_int_equal(p.points, 30);
    score_process("\\Device\\HarddiskVolume2\\Program Files\\Microsoft SQL Server\\MSSQL16"
                  "\\MSSQL\\Binn\\sqlservr.exe", NULL, &p);
    assert_int_equal(p.points, 0);
    score_process("/usr/bin/nc.openbsd", "nc -v 127.0.0.1 110", &p);
    assert_int_equal(p.points, 25);
    score_process("/usr/bin/curl", "curl -v --url imap://127.0.0.1:143/ --user atomic:atomic", &p);
    assert_int_equal(p.points, 35);
    score_process("C:\\Users\\amoreau\\Downloads\\x\\InvoiceViewer.exe", NULL, &p);
    assert_int_equal(p.points, 15);
    score_process("C:\\Users\\a\\AppData\\Roaming\\Updater\\updater.exe", "updater.exe -c 7", &p);
    assert_int_equal(p.points, 10);
    /* Everything at once is capped. */
    score_process("C:\\Users\\Public\\powershell.exe",
                  "powershell -enc U2VuZC1NYWlsTWVzc2FnZSAtU210cFNlcnZlciAxMjcuMC4wLjEgLUZyb20gYQ== "
                  "Send-MailMessage smtp://u:p@h", &p);
    assert_int_equal(p.points, 40);
    assert_non_null(strstr(p.why, "capped"));
    score_process(NULL, NULL, &p);
    assert_int_equal(p.points, 0);
    assert_non_null(strstr(p.why, "no process"));
}

/* Where a process runs from and what it is, as a table: folders in any
 * case, at the start, the end and the middle of the path, names that only
 * begin like a folder, both separators, and tool names with versions and
 * extensions. */
static void test_path_table(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        int writable, lolbin, raw;
    } cases[] = {
        {"C:\\Windows\\Temp\\x.exe", 2, 0, 0},
        {"C:\\WINDOWS\\TEMP\\X.EXE", 2, 0, 0},
        {"C:\\Windows\\Temporary\\x.exe", 0, 0, 0},
        {"\\temp\\", 2, 0, 0},
        {"C:\\temp", 0, 0, 0},
        {"C:\\Users\\Public\\Downloads\\nc.exe", 2, 1, 1},
        {"C:\\Users\\ann\\AppData\\Local\\python3.12.exe", 1, 1, 0},
        {"C:\\Users\\ann\\Tmp\\app.exe", 2, 0, 0},
        {"C:\\Users\\Publications\\app.exe", 1, 0, 0},
        {"C:\\ProgramData\\svc\\wscript.exe", 1, 1, 0},
        {"C:\\Program Files\\Mail\\agent.exe", 0, 0, 0},
        {"/var/tmp/socat", 2, 1, 1},
        {"/var/tmpfiles/socat", 0, 1, 1},
        {"/home/ann/bin/telnet", 1, 1, 1},
        {"/homework/curl", 0, 1, 0},
        {"/dev/shm/.x", 2, 0, 0},
        {"/usr/bin/ncat", 0, 1, 1},
        {"/usr/bin/ncurses", 0, 0, 0},
        {"/usr/bin/perl5.36", 0, 1, 0},
        {"/Downloads/x/home/y", 2, 0, 0},
        {"mixed/HOME/and\\temp\\", 2, 0, 0},
        {"", 0, 0, 0},
        {"powershell", 0, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (score_writable_path(cases[i].path) != cases[i].writable)
            fail_msg("%s: writable %d, want %d", cases[i].path, score_writable_path(cases[i].path),
                     cases[i].writable);
        triage_part p;
        score_process(cases[i].path, NULL, &p);
        unsigned want = (cases[i].lolbin ? SCORE_LOLBIN : 0) | (cases[i].raw ? SCORE_RAW_TOOL : 0) |
                        (cases[i].writable ? SCORE_WRITABLE : 0);
        if (p.facts != want)
            fail_msg("%s: facts %u, want %u", cases[i].path, p.facts, want);
    }
    assert_int_equal(score_writable_path(NULL), 0);
    triage_part none;
    score_process(NULL, NULL, &none);
    assert_int_equal(none.facts, 0);
}

static void test_protocol(void **state)
{
    (void)state;
    triage_part p;
    score_protocol(12, 12, &p);
    assert_int_equal(p.points, 40);
    score_protocol(1, 4, &p);
    assert_int_equal(p.points, 25);
    score_protocol(0, 4, &p);
    assert_int_equal(p.points, 0);
    score_protocol(-1, 4, &p);
    assert_int_equal(p.points, 0);
    assert_non_null(strstr(p.why, "not known"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_perfect_beacon),   cmocka_unit_test(test_jittered_beacon),
        cmocka_unit_test(test_random_intervals), cmocka_unit_test(test_too_few),
        cmocka_unit_test(test_volume),           cmocka_unit_test(test_rarity),
        cmocka_unit_test(test_process),          cmocka_unit_test(test_protocol),
        cmocka_unit_test(test_path_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
