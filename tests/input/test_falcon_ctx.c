/* falcon_ctx: the process table against a plain reference. Thousands of
 * ProcessRollup2 lines over a few thousand (aid, pid) keys, most read more
 * than once and in no order of seq, go into one context, or into two
 * (of unequal size) merged every way the run merges them: into an empty
 * table, into the larger, into the smaller. Each must find, for every key,
 * the record read last, and nothing for keys never read. Pids that differ
 * only by leading zeros, are not numbers, are too long for one (2^64 + 123
 * is not 123), or are written with escapes or as JSON numbers all match
 * exactly as their texts do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "input/falcon_ctx.h"

/* Pids as the lines write them (JSON, between the quotes), after the
 * numbers p * 7919 + 1, and as a lookup writes them. */
static const char *const special[][2] = {
    {"0", "0"}, {"00", "00"}, {"0123", "0123"}, {"123", "123"},
    {"18446744073709551739", "18446744073709551739"}, /* 2^64 + 123 */
    {"9223372036854775813", "9223372036854775813"}, {"", ""}, {"abc", "abc"},
    {"-5", "-5"}, {"999999999999999999", "999999999999999999"},
    {"1000000000000000000", "1000000000000000000"},
    {"99999999999999999999", "99999999999999999999"}, {"12 ", "12 "},
    {"\\u0031\\u0032", "12"}, {"0\\u0031", "01"},
};
enum { NAID = 23, NNUM = 150, NSPECIAL = sizeof special / sizeof special[0] };
enum { NPID = NNUM + NSPECIAL, NKEY = NAID * NPID, NREC = 12000 };

/* Record r: its key and where it was read (distinct, in no order). Only
 * even keys are read: next to each pid read for an aid is one that is not,
 * such as "0123" beside "123". */
static int key_of(int r) { return 2 * (int)((uint32_t)r * 2246822519u % (NKEY / 2)); }
static uint64_t seq_of(int r) { return (uint32_t)r * 2654435761u; }

static void aid_text(int k, char *buf, size_t cap)
{
    snprintf(buf, cap, "%032x", (unsigned)(k / NPID) * 0x9e3779b9u);
}

/* The pid of key k as the line writes it (quoted unless `bare`) or as a
 * lookup reads it. */
static void pid_text(int k, int lookup, char *buf, size_t cap, int *bare)
{
    int p = k % NPID;
    *bare = p < NNUM && p % 4 == 0; /* some as JSON numbers */
    if (p < NNUM)
        snprintf(buf, cap, "%d", p * 7919 + 1);
    else
        snprintf(buf, cap, "%s", special[p - NNUM][lookup]);
}

/* The record's command line as read, or as the line writes it (JSON). */
static void cmd_text(int r, int json, char *buf, size_t cap)
{
    const char *say = json ? "say \\\"hi\\\"" : "say \"hi\"";
    snprintf(buf, cap, "%s-%d", r % 4 ? "run" : say, r % 7);
}

static void add_record(falcon_ctx *c, int r)
{
    char aid[40], pid[64], cmd[64], line[512];
    int bare;
    aid_text(key_of(r), aid, sizeof aid);
    pid_text(key_of(r), 0, pid, sizeof pid, &bare);
    cmd_text(r, 1, cmd, sizeof cmd);
    const char *q = bare ? "" : "\"";
    int n = snprintf(line, sizeof line,
                     "{\"event_simpleName\":\"ProcessRollup2\",\"aid\":\"%s\","
                     "\"TargetProcessId\":%s%s%s,\"ImageFileName\":\"img-%d\","
                     "\"CommandLine\":\"%s\"%s}",
                     aid, q, pid, q, r, cmd,
                     r % 2 ? ",\"UserName\":\"alice\"" : "");
    json_line l;
    json_line_init(&l, line, (size_t)n);
    falcon_ctx_add(c, &l, seq_of(r));
}

/* A context of the records of one part: 0 all, 1 a third, 2 the rest. */
static falcon_ctx *build(int part)
{
    falcon_ctx *c = falcon_ctx_new();
    for (int r = 0; r < NREC; r++)
        if (!part || (part == 1) == (r % 3 == 0))
            add_record(c, r);
    return c;
}

static int text_is(mc_value v, const char *s)
{
    return v.type == MC_STR && v.len == strlen(s) && !memcmp(v.u.s, s, v.len);
}

/* Every key finds the record of the highest seq that has it, or nothing. */
static void check(falcon_ctx *c)
{
    static int last[NKEY];
    int absent = 0, repeated = 0;
    for (int k = 0; k < NKEY; k++)
        last[k] = -1;
    for (int r = 0; r < NREC; r++) {
        int k = key_of(r);
        repeated += last[k] >= 0;
        if (last[k] < 0 || seq_of(r) > seq_of(last[k]))
            last[k] = r;
    }
    for (int k = 0; k < NKEY; k++) {
        char aid[40], pid[64], want[64];
        int bare;
        aid_text(k, aid, sizeof aid);
        pid_text(k, 1, pid, sizeof pid, &bare);
        falcon_proc p;
        int found = falcon_ctx_process(c, mc_str(MC_STR, aid, strlen(aid)),
                                       mc_str(MC_STR, pid, strlen(pid)), &p);
        assert_int_equal(found, last[k] >= 0);
        absent += !found;
        if (!found)
            continue;
        snprintf(want, sizeof want, "img-%d", last[k]);
        assert_true(text_is(p.image, want));
        cmd_text(last[k], 0, want, sizeof want);
        assert_true(text_is(p.cmdline, want));
        assert_true(last[k] % 2 ? text_is(p.user, "alice") : p.user.type == MC_NULL);
        assert_int_equal(p.sid.type, MC_NULL);
    }
    assert_true(absent > 0 && repeated > 0); /* the test tests both */
    falcon_proc p;
    assert_false(falcon_ctx_process(c, mc_null(), mc_str(MC_STR, "1", 1), &p));
    assert_false(falcon_ctx_process(c, mc_str(MC_STR, "img-1", 5), mc_str(MC_STR, "1", 1), &p));
}

static void test_one_context(void **state)
{
    (void)state;
    falcon_ctx *c = build(0);
    check(c);
    falcon_ctx_free(c);
}

/* As the run merges: each worker's table into the run's, empty at first. */
static void test_merge_into_empty(void **state)
{
    (void)state;
    for (int first = 1; first <= 2; first++) {
        falcon_ctx *run = falcon_ctx_new(), *a = build(first), *b = build(3 - first);
        falcon_ctx_merge(run, a);
        falcon_ctx_merge(run, b);
        check(run);
        falcon_ctx_free(run);
        falcon_ctx_free(a);
        falcon_ctx_free(b);
    }
}

/* Into the larger table and into the smaller; the emptied one can be
 * filled again and merged again. */
static void test_merge_both_ways(void **state)
{
    (void)state;
    for (int into = 1; into <= 2; into++) {
        falcon_ctx *a = build(into), *b = build(3 - into);
        falcon_ctx_merge(a, b);
        check(a);
        for (int r = 0; r < NREC; r += 3)
            add_record(b, r);
        falcon_ctx_merge(a, b);
        check(a);
        falcon_ctx_free(a);
        falcon_ctx_free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_context),
        cmocka_unit_test(test_merge_into_empty),
        cmocka_unit_test(test_merge_both_ways),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
