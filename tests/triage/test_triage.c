/* triage_apply on many findings: scored on several threads, the result is
 * the one a single thread gives, cell for cell and in the same order, and
 * the rows under the minimum score are left out and counted alike; with
 * the times column kept, with nothing kept and with no findings too. The
 * findings vary in every part the score reads (beacon intervals, hosts,
 * processes, command lines, ports), so the scores differ and some fall
 * under the minimum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "exec/result.h"
#include "triage/triage.h"

static const char *const names[] = {"host",     "process",   "dst_ip",      "dst_port",
                                    "count",    "times",     "dst_hosts",   "proc_dsts",
                                    "command_line"};
enum { NCOLS = sizeof names / sizeof *names };

static mc_value text(const char *s)
{
    return mc_str(MC_STR, s, strlen(s));
}

static mc_result *findings(int nrows)
{
    static const char *const procs[] = {"C:\\Windows\\System32\\powershell.exe",
                                        "C:\\Users\\bob\\AppData\\Local\\Temp\\x.exe",
                                        "/usr/sbin/postfix", "/usr/bin/python3"};
    static const char *const cmds[] = {"-enc AAAA Send-MailMessage", "", "smtplib.SMTP('x')",
                                       "--user bob"};
    mc_result *r = result_new(NCOLS, names);
    for (int i = 0; i < nrows; i++) {
        char host[32], dst[32], times[512];
        snprintf(host, sizeof host, "WS-%05d", i % 700);
        snprintf(dst, sizeof dst, "198.51.%d.%d", i % 200, i % 251);
        int count = 3 + i % 9;
        size_t n = 0;
        for (int t = 0; t < count; t++) /* beacons every 300 s, with jitter for some */
            n += (size_t)snprintf(times + n, sizeof times - n, "%s%lld", t ? "," : "",
                                  1795392000000LL + t * 300000LL + (i % 3) * (t * 7919 % 97) * 1000);
        mc_value row[NCOLS] = {text(host), text(procs[i % 4]), text(dst),
                               mc_int(MC_INT, i % 5 ? 25 : 587), mc_int(MC_INT, count),
                               text(times), mc_int(MC_INT, 1 + i % 4),
                               mc_int(MC_INT, 1 + i % 7), text(cmds[i % 4])};
        result_add_row(r, row);
    }
    return r;
}

static void same_cell(const mc_value *a, const mc_value *b, size_t row, int col)
{
    char na[VALUE_TEXT_MAX], nb[VALUE_TEXT_MAX];
    const char *sa, *sb;
    size_t la, lb;
    value_format(a, na, &sa, &la);
    value_format(b, nb, &sb, &lb);
    if (a->type != b->type || la != lb || memcmp(sa, sb, la))
        fail_msg("row %zu, column %d differs: '%.*s' and '%.*s'", row, col, (int)la, sa, (int)lb,
                 sb);
}

static int col_of(const mc_result *r, const char *name)
{
    for (int c = 0; c < r->ncols; c++)
        if (strcmp(r->names[c], name) == 0)
            return c;
    return -1;
}

/* What one thread's result must be, whatever the threads: as many rows
 * kept and left out as there are findings; each kept row scoring at least
 * the minimum; its times (when kept) the same row's as its count, one
 * time a connection, so that a row laid out from the wrong finding shows. */
static void check_layout(const mc_result *r, const triage_opts *o, int nrows, uint64_t below)
{
    assert_int_equal(r->nrows + below, (uint64_t)nrows);
    assert_int_equal(r->ncols, NCOLS - 3 + 4 + (o->keep_times ? 1 : 0));
    int score = col_of(r, "score"), count = col_of(r, "count"), times = col_of(r, "times");
    assert_true(score >= 0 && count >= 0 && col_of(r, "next_steps") == score + 3);
    assert_true(o->keep_times ? times == r->ncols - 1 : times < 0);
    for (size_t i = 0; i < r->nrows; i++) {
        const mc_value *row = result_row(r, i);
        assert_true(row[score].u.i >= o->min_score);
        if (times < 0)
            continue;
        int64_t commas = 0;
        for (uint32_t b = 0; b < row[times].len; b++)
            commas += row[times].u.s[b] == ',';
        assert_int_equal(commas + 1, row[count].u.i);
    }
}

/* by_count, keep_times, min_score, findings; what the minimum leaves: 1
 * both kept and left-out rows, 0 none kept (or no rows at all). */
static const struct {
    int by_count, keep_times;
    int64_t min_score;
    int rows, both;
} cases[] = {
    {0, 0, 30, 9000, 1},
    {1, 0, 30, 9000, 1},
    {0, 1, 30, 9000, 1},  /* the times column kept, last */
    {0, 0, 101, 9000, 0}, /* nothing scores that much */
    {1, 1, 30, 0, 0},     /* no findings */
};

static void test_threads_agree(void **state)
{
    (void)state;
    for (size_t t = 0; t < sizeof cases / sizeof *cases; t++) {
        triage_opts one = {24LL * 3600 * 1000, 2, cases[t].min_score, cases[t].by_count,
                           cases[t].keep_times, 1},
                    many = one;
        many.threads = 4;
        mc_result *a = findings(cases[t].rows), *b = findings(cases[t].rows);
        uint64_t below_a = 0, below_b = 0;
        triage_apply(a, &one, &below_a);
        triage_apply(b, &many, &below_b);
        print_message("  case %zu: %zu findings kept, %llu under the minimum\n", t, a->nrows,
                      (unsigned long long)below_a);
        if (cases[t].both)
            assert_true(below_a > 0 && a->nrows > 0); /* both paths of the minimum taken */
        else
            assert_int_equal(a->nrows, 0);
        check_layout(a, &one, cases[t].rows, below_a);
        assert_int_equal(below_a, below_b);
        assert_int_equal(a->nrows, b->nrows);
        assert_int_equal(a->ncols, b->ncols);
        for (size_t i = 0; i < a->nrows; i++)
            for (int c = 0; c < a->ncols; c++)
                same_cell(result_row(a, i) + c, result_row(b, i) + c, i, c);
        result_free(a);
        result_free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
