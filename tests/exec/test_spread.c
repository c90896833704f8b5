/* The aggregates the triage score reads: AGG_TIMES keeps a group's
 * earliest PLAN_TIMES_MAX times in order (also across a merge, whatever
 * the order the workers saw), and a spread counts distinct values across
 * groups before the HAVING filter (hosts per destination). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "exec/agg.h"
#include "exec/spread.h"

static mc_value text(const char *s)
{
    return mc_str(MC_STR, s, strlen(s));
}

static mc_value ts(int64_t ms)
{
    return mc_int(MC_TS, ms);
}

/* Plan: key k; times(t). */
static plan *times_plan(void)
{
    plan *p = plan_new("test");
    int k = plan_field(p, "k", -1), t = plan_field(p, "t", -1);
    plan_group_key(p, plan_ref(p, k), "k");
    plan_aggregate(p, AGG_TIMES, plan_ref(p, t), "times");
    return p;
}

static mc_result *emit(const plan *p, agg_table *t)
{
    const char *names[PLAN_MAX_COLS];
    for (int c = 0; c < p->ncols; c++)
        names[c] = plan_column_name(p, c);
    mc_result *r = result_new(p->ncols, names);
    agg_emit(t, r);
    return r;
}

static void expect_text(const mc_value *v, const char *want)
{
    assert_int_equal(v->type, MC_STR);
    assert_int_equal(v->len, strlen(want));
    assert_memory_equal(v->u.s, want, v->len);
}

/* Out-of-order times come out sorted; non-times are skipped. */
static void test_times_sorted(void **state)
{
    (void)state;
    plan *p = times_plan();
    agg_limits none = {0, 0};
    agg_table *t = agg_new(p, &none);
    mc_value k = text("a");
    int64_t in[] = {3000, 1000, 2000, 1000};
    for (size_t i = 0; i < 4; i++) {
        mc_value v = ts(in[i]);
        agg_add(t, &k, &v);
    }
    mc_value junk = text("noon");
    agg_add(t, &k, &junk);
    mc_result *r = emit(p, t);
    assert_int_equal(r->nrows, 1);
    expect_text(&result_row(r, 0)[1], "1000,1000,2000,3000");
    result_free(r);
    agg_free(t);
    plan_free(p);
}

/* 1000 times in two workers, interleaved: the earliest PLAN_TIMES_MAX
 * survive, the same as one worker seeing them all. */
static void test_times_bound_and_merge(void **state)
{
    (void)state;
    plan *p = times_plan();
    agg_limits none = {0, 0};
    agg_table *a = agg_new(p, &none), *b = agg_new(p, &none);
    mc_value k = text("beacon");
    for (int i = 999; i >= 0; i--) {
        mc_value v = ts((int64_t)i * 300000);
        agg_add(i % 2 ? a : b, &k, &v);
    }
    agg_merge(a, b);
    mc_result *r = emit(p, a);
    const mc_value *cell = &result_row(r, 0)[1];
    assert_int_equal(cell->type, MC_STR);
    int commas = 0;
    for (uint32_t i = 0; i < cell->len; i++)
        commas += cell->u.s[i] == ',';
    assert_int_equal(commas + 1, PLAN_TIMES_MAX);
    char last[32];
    snprintf(last, sizeof last, ",%lld", (long long)(PLAN_TIMES_MAX - 1) * 300000);
    assert_memory_equal(cell->u.s + cell->len - strlen(last), last, strlen(last));
    assert_memory_equal(cell->u.s, "0,300000,", 9);
    result_free(r);
    agg_free(a);
    agg_free(b);
    plan_free(p);
}

/* Plan: keys host (column 0) and dst (1); count(*) as n; hosts per dst
 * (column 3). */
static plan *host_dst_plan(int *host, int *dst, int *hosts)
{
    plan *p = plan_new("test");
    int h = plan_field(p, "host", -1), d = plan_field(p, "dst", -1);
    *host = plan_group_key(p, plan_ref(p, h), "host");
    *dst = plan_group_key(p, plan_ref(p, d), "dst");
    plan_aggregate(p, AGG_COUNT, NULL, "n");
    *hosts = plan_group_spread(p, "hosts", host, 1, dst, 1);
    return p;
}

/* Groups (host, dst): hosts per dst counts every group, NULL hosts not at
 * all, and a repeated host once. */
static void test_spread(void **state)
{
    (void)state;
    int host, dst, hosts;
    plan *p = host_dst_plan(&host, &dst, &hosts);
    assert_int_equal(hosts, 3);
    assert_int_equal(plan_group_spread(p, "bad", &hosts, 1, &dst, 1), -1);
    agg_limits none = {0, 0};
    agg_table *t = agg_new(p, &none);
    const char *pairs[][2] = {{"A", "relay"}, {"B", "relay"}, {"C", "relay"}, {NULL, "relay"},
                              {"A", "c2"}, {"A", "c2"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        mc_value keys[2] = {pairs[i][0] ? text(pairs[i][0]) : mc_null(), text(pairs[i][1])};
        mc_value none_arg = mc_null();
        agg_add(t, keys, &none_arg);
    }
    mc_result *r = emit(p, t);
    spread_apply(p, r, 1);
    assert_int_equal(r->nrows, 5);
    for (size_t i = 0; i < r->nrows; i++) {
        const mc_value *row = result_row(r, i);
        int64_t want = row[1].u.s[0] == 'r' ? 3 : 1;
        assert_int_equal(row[3].type, MC_INT);
        assert_int_equal(row[3].u.i, want);
    }
    result_free(r);
    agg_free(t);
    plan_free(p);
}

/* Two spreads over 3,000 groups on 1 and 2 threads (each spread on a
 * thread of its own): the same counts, which are checked against a count
 * over every pair of rows. */
static void test_spread_threads(void **state)
{
    (void)state;
    int host, dst, hosts;
    plan *p = host_dst_plan(&host, &dst, &hosts);
    int dsts = plan_group_spread(p, "dsts", &dst, 1, &host, 1);
    agg_limits none = {0, 0};
    agg_table *t = agg_new(p, &none);
    for (int i = 0; i < 3000; i++) {
        char hb[16], db[16];
        snprintf(hb, sizeof hb, "h%d", i % 97);
        snprintf(db, sizeof db, "d%d", (i * 31) % 113);
        mc_value keys[2] = {text(hb), text(db)}, none_arg = mc_null();
        agg_add(t, keys, &none_arg);
    }
    mc_result *one = emit(p, t), *two = result_new(one->ncols, one->names);
    for (size_t i = 0; i < one->nrows; i++) /* emitting empties the table: a copy */
        result_add_row(two, result_row(one, i));
    spread_apply(p, one, 1);
    spread_apply(p, two, 2);
    assert_int_equal(one->nrows, two->nrows);
    for (size_t i = 0; i < one->nrows; i++) {
        const mc_value *a = result_row(one, i), *b = result_row(two, i);
        assert_int_equal(a[hosts].u.i, b[hosts].u.i);
        assert_int_equal(a[dsts].u.i, b[dsts].u.i);
        int64_t nh = 0, nd = 0; /* groups are distinct (host, dst) pairs */
        for (size_t j = 0; j < one->nrows; j++) {
            const mc_value *c = result_row(one, j);
            nh += c[1].len == a[1].len && !memcmp(c[1].u.s, a[1].u.s, a[1].len);
            nd += c[0].len == a[0].len && !memcmp(c[0].u.s, a[0].u.s, a[0].len);
        }
        assert_int_equal(a[hosts].u.i, nh);
        assert_int_equal(a[dsts].u.i, nd);
    }
    result_free(one);
    result_free(two);
    agg_free(t);
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_times_sorted),
        cmocka_unit_test(test_times_bound_and_merge),
        cmocka_unit_test(test_spread),
        cmocka_unit_test(test_spread_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
