/* Hash aggregation: grouping by mixed-type keys (NULL is its own group),
 * every aggregate function, growth past the initial table, merging two
 * workers' partial tables into the same answer as one table, and the
 * limits: events of groups past them refused and counted, exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "exec/agg.h"

/* Plan: key f0; count(*), count_distinct(f1), sum(f1), min(f1), max(f1), avg(f1). */
static plan *make_plan(void)
{
    plan *p = plan_new("test");
    int k = plan_field(p, "k", -1), v = plan_field(p, "v", -1);
    plan_group_key(p, plan_ref(p, k), "k");
    plan_aggregate(p, AGG_COUNT, NULL, "n");
    plan_aggregate(p, AGG_COUNT_DISTINCT, plan_ref(p, v), "nd");
    plan_aggregate(p, AGG_SUM, plan_ref(p, v), "sum");
    plan_aggregate(p, AGG_MIN, plan_ref(p, v), "min");
    plan_aggregate(p, AGG_MAX, plan_ref(p, v), "max");
    plan_aggregate(p, AGG_AVG, plan_ref(p, v), "avg");
    return p;
}

static void add(agg_table *t, mc_value key, mc_value v)
{
    mc_value args[6] = {mc_null(), v, v, v, v, v};
    agg_add(t, &key, args);
}

static const mc_value *find(const mc_result *r, mc_value key)
{
    for (size_t i = 0; i < r->nrows; i++) {
        const mc_value *row = result_row(r, i);
        if (row[0].type != key.type)
            continue;
        if (key.type == MC_NULL)
            return row;
        if (key.type == MC_STR && row[0].len == key.len && !memcmp(row[0].u.s, key.u.s, key.len))
            return row;
        if (key.type == MC_INT && row[0].u.i == key.u.i)
            return row;
    }
    return NULL;
}

static mc_result *emit(const plan *p, agg_table *t)
{
    const char *names[7];
    for (int c = 0; c < 7; c++)
        names[c] = plan_column_name(p, c);
    mc_result *r = result_new(7, names);
    agg_emit(t, r);
    return r;
}

static void test_functions(void **state)
{
    (void)state;
    plan *p = make_plan();
    static const agg_limits none;
    agg_table *t = agg_new(p, &none);
    mc_value a = mc_str(MC_STR, "host-a", 6);
    add(t, a, mc_int(MC_INT, 5));
    add(t, a, mc_int(MC_INT, 3));
    add(t, a, mc_int(MC_INT, 5));
    add(t, a, mc_null());                    /* counted by count(*), ignored by the rest */
    add(t, mc_null(), mc_str(MC_STR, "7", 1)); /* NULL key: its own group; text "7" sums as 7 */
    add(t, mc_int(MC_INT, 6), mc_str(MC_STR, "x", 1)); /* INT 6 is not the text "6" */
    add(t, mc_str(MC_STR, "6", 1), mc_int(MC_INT, 1));
    assert_int_equal(agg_groups(t), 4);

    mc_result *r = emit(p, t);
    /* The groups moved into the rows: the table is empty, and its end
     * leaves the rows' text whole (ASan runs say so). */
    assert_int_equal(agg_groups(t), 0);
    agg_free(t);
    t = NULL;
    const mc_value *row = find(r, a);
    assert_non_null(row);
    assert_int_equal(row[1].u.i, 4);         /* count(*) */
    assert_int_equal(row[2].u.i, 2);         /* distinct {5, 3} */
    assert_int_equal(row[3].type, MC_INT);
    assert_int_equal(row[3].u.i, 13);        /* sum */
    assert_int_equal(row[4].u.i, 3);         /* min */
    assert_int_equal(row[5].u.i, 5);         /* max */
    assert_true(row[6].type == MC_FLOAT && row[6].u.f > 4.33 && row[6].u.f < 4.34);
    row = find(r, mc_null());
    assert_non_null(row);
    assert_int_equal(row[3].u.i, 7);
    row = find(r, mc_int(MC_INT, 6));
    assert_non_null(row);
    assert_int_equal(row[3].type, MC_NULL);  /* sum of no numbers is NULL */
    assert_int_equal(row[4].type, MC_STR);   /* min of text keeps the text */
    assert_memory_equal(row[4].u.s, "x", 1);
    result_free(r);
    agg_free(t);
    plan_free(p);
}

/* Many groups (forcing several table growths), split over two workers and
 * merged, must equal one worker seeing everything. */
static void test_growth_and_merge(void **state)
{
    (void)state;
    plan *p = make_plan();
    static const agg_limits none;
    agg_table *one = agg_new(p, &none), *w1 = agg_new(p, &none), *w2 = agg_new(p, &none);
    enum { GROUPS = 5000, PER = 7 };
    for (int g = 0; g < GROUPS; g++)
        for (int e = 0; e < PER; e++) {
            char key[16];
            int n = snprintf(key, sizeof key, "g%d", g);
            mc_value k = mc_str(MC_STR, key, (size_t)n), v = mc_int(MC_INT, e % 3);
            add(one, k, v);
            add((g + e) % 2 ? w1 : w2, k, v);
        }
    agg_merge(w1, w2);
    assert_int_equal(agg_groups(one), GROUPS);
    assert_int_equal(agg_groups(w1), GROUPS);
    /* An empty table takes a merged one's groups whole, leaving it empty. */
    agg_table *all = agg_new(p, &none);
    agg_merge(all, w1);
    assert_int_equal(agg_groups(all), GROUPS);
    assert_int_equal(agg_groups(w1), 0);
    agg_merge(w1, all);
    mc_result *a = emit(p, one), *b = emit(p, w1);
    for (size_t i = 0; i < a->nrows; i++) {
        const mc_value *ra = result_row(a, i), *rb = find(b, result_row(a, i)[0]);
        assert_non_null(rb);
        assert_int_equal(ra[1].u.i, PER);
        assert_int_equal(rb[1].u.i, PER);
        assert_int_equal(rb[2].u.i, 3);      /* distinct {0,1,2} survives the merge */
        assert_int_equal(rb[3].u.i, ra[3].u.i);
        assert_int_equal(rb[4].u.i, 0);
        assert_int_equal(rb[5].u.i, 2);
    }
    result_free(a);
    result_free(b);
    agg_free(one);
    agg_free(w1);
    agg_free(w2);
    agg_free(all);
    plan_free(p);
}

static void add_groups(agg_table *t, int from, int to, int per)
{
    for (int g = from; g < to; g++)
        for (int e = 0; e < per; e++)
            add(t, mc_int(MC_INT, g), mc_int(MC_INT, e));
}

/* 10 groups allowed: groups 0-9 keep every event; the 5 events each of
 * groups 10-14 are refused (25), and counted; a merge into a full table
 * refuses the other table's new groups with their events too. */
static void test_group_limit(void **state)
{
    (void)state;
    plan *p = make_plan();
    agg_limits ten = {10, 0};
    agg_table *t = agg_new(p, &ten), *other = agg_new(p, &ten);
    add_groups(t, 0, 15, 5);
    assert_int_equal(agg_groups(t), 10);
    assert_int_equal(agg_refused(t), 25);
    add_groups(other, 5, 12, 3);             /* 5-9 exist in t; 10, 11 do not */
    add_groups(other, 100, 101, 1);          /* a group only `other` has */
    agg_merge(t, other);
    assert_int_equal(agg_groups(t), 10);
    assert_int_equal(agg_refused(t), 25 + 3 + 3 + 1);
    mc_result *r = emit(p, t);
    const mc_value *row = find(r, mc_int(MC_INT, 7));
    assert_non_null(row);
    assert_int_equal(row[1].u.i, 5 + 3);     /* held groups still count exactly */
    result_free(r);
    agg_free(t);
    agg_free(other);
    plan_free(p);
}

/* A small earlier table merged with a larger later one past the limit:
 * the earlier input's groups stay, and the later one's that do not fit
 * are refused, as when the earlier table is the larger. */
static void test_limit_keeps_earlier(void **state)
{
    (void)state;
    plan *p = make_plan();
    agg_limits three = {3, 0};
    agg_table *early = agg_new(p, &three), *late = agg_new(p, &three);
    add_groups(early, 0, 2, 4);              /* groups 0, 1: 4 events each */
    add_groups(late, 10, 13, 2);             /* groups 10-12: 2 events each */
    agg_merge(early, late);
    assert_int_equal(agg_groups(early), 3);
    assert_int_equal(agg_refused(early), 2 + 2);
    mc_result *r = emit(p, early);
    assert_non_null(find(r, mc_int(MC_INT, 0)));
    assert_non_null(find(r, mc_int(MC_INT, 1)));
    result_free(r);
    agg_free(early);
    agg_free(late);
    plan_free(p);
}

/* A byte budget stops new groups once the table holds about that much. */
static void test_memory_limit(void **state)
{
    (void)state;
    plan *p = make_plan();
    agg_limits budget = {0, 256u << 10};
    agg_table *t = agg_new(p, &budget);
    add_groups(t, 0, 100000, 1);
    size_t held = agg_groups(t);
    assert_true(held > 100 && held < 100000);
    assert_int_equal(agg_refused(t), 100000 - held);
    agg_free(t);
    plan_free(p);
}

/* Input order decides the first value and which of equal values a min or
 * max keeps ("3" or "3.0" as numbers): a merge gives what one table that
 * saw every event in order gives, whichever of the two tables is larger
 * (the smaller is folded into the larger). Events 0..n: the first `cut`
 * to the earlier table, the rest to the later one. */
static void test_merge_order(void **state)
{
    (void)state;
    plan *p = plan_new("test");
    int k = plan_field(p, "k", -1), v = plan_field(p, "v", -1);
    plan_group_key(p, plan_ref(p, k), "k");
    plan_aggregate(p, AGG_FIRST, plan_ref(p, v), "first");
    int mn = plan_aggregate(p, AGG_MIN, plan_ref(p, v), "min");
    int mx = plan_aggregate(p, AGG_MAX, plan_ref(p, v), "max");
    plan_agg_numeric(p, mn);
    plan_agg_numeric(p, mx);
    static const char *const spell[] = {"3", "3.0", "03", "1", "1.00", "9", "9.0"};
    enum { GROUPS = 300, EVENTS = 6000 };
    static const agg_limits none;
    for (int cut = 0; cut < EVENTS; cut += EVENTS / 6) {
        agg_table *one = agg_new(p, &none), *early = agg_new(p, &none), *late = agg_new(p, &none);
        for (int e = 0; e < EVENTS; e++) {
            char key[16];
            /* The earlier events touch fewer groups: the later table is the
             * larger, and the earlier is folded into it. */
            int n = snprintf(key, sizeof key, "g%d", (e * 7) % (e < cut ? 40 : GROUPS));
            const char *sp = spell[(e * 13 + e / GROUPS) % 7];
            mc_value keys[1] = {mc_str(MC_STR, key, (size_t)n)};
            mc_value args[3] = {mc_str(MC_STR, sp, strlen(sp)), mc_str(MC_STR, sp, strlen(sp)),
                                mc_str(MC_STR, sp, strlen(sp))};
            agg_add(one, keys, args);
            agg_add(e < cut ? early : late, keys, args);
        }
        agg_merge(early, late); /* the earlier table is dst, as workers merge */
        const char *names[4] = {"k", "first", "min", "max"};
        mc_result *a = result_new(4, names), *b = result_new(4, names);
        agg_emit(one, a);
        agg_emit(early, b);
        assert_int_equal(a->nrows, b->nrows);
        for (size_t i = 0; i < a->nrows; i++) {
            const mc_value *ra = result_row(a, i), *rb = NULL;
            for (size_t j = 0; j < b->nrows && !rb; j++)
                if (result_row(b, j)[0].len == ra[0].len &&
                    !memcmp(result_row(b, j)[0].u.s, ra[0].u.s, ra[0].len))
                    rb = result_row(b, j);
            assert_non_null(rb);
            for (int c = 1; c < 4; c++)
                if (ra[c].len != rb[c].len || memcmp(ra[c].u.s, rb[c].u.s, ra[c].len))
                    fail_msg("cut %d, %.*s, column %d: %.*s, want %.*s", cut, (int)ra[0].len,
                             ra[0].u.s, c, (int)rb[c].len, rb[c].u.s, (int)ra[c].len, ra[c].u.s);
        }
        result_free(a);
        result_free(b);
        agg_free(one);
        agg_free(early);
        agg_free(late);
    }
    plan_free(p);
}

/* A fold on threads: four workers' tables, a fifth merged after the groups
 * were counted, must give the rows and refusals of the fold on one thread,
 * for every function, including those input order decides (first, and
 * which spelling of equal numbers min and max keep). Past the limits the
 * fold is the one-thread fold. */
static plan *every_function(void)
{
    plan *p = plan_new("test");
    int k = plan_field(p, "k", -1), v = plan_field(p, "v", -1), t = plan_field(p, "t", -1);
    plan_group_key(p, plan_ref(p, k), "k");
    plan_aggregate(p, AGG_COUNT, NULL, "n");
    plan_aggregate(p, AGG_COUNT_DISTINCT, plan_ref(p, v), "nd");
    plan_aggregate(p, AGG_SUM, plan_ref(p, v), "sum");
    plan_agg_numeric(p, plan_aggregate(p, AGG_MIN, plan_ref(p, v), "min"));
    plan_agg_numeric(p, plan_aggregate(p, AGG_MAX, plan_ref(p, v), "max"));
    plan_aggregate(p, AGG_AVG, plan_ref(p, v), "avg");
    plan_aggregate(p, AGG_FIRST, plan_ref(p, v), "first");
    plan_aggregate(p, AGG_TIMES, plan_ref(p, t), "times");
    return p;
}

enum { FOLD_COLS = 9, FOLD_GROUPS = 30000, FOLD_EVENTS = 150000 };

/* The rows of five workers' tables (the fifth merged after a count),
 * folded on `threads`, each group limited to max_groups (0: none). */
static mc_result *fold_rows(const plan *p, int threads, size_t max_groups, uint64_t *refused)
{
    static const char *const spell[] = {"3", "3.0", "03", "1", "1.00", "9", "9.0", "2.5"};
    agg_limits lim = {max_groups, 0};
    agg_table *w[5];
    for (int i = 0; i < 5; i++)
        w[i] = agg_new(p, &lim);
    agg_threads(w[0], threads);
    for (int e = 0; e < FOLD_EVENTS; e++) {
        char key[16];
        int n = snprintf(key, sizeof key, "g%d", (int)((e * 7919u) % FOLD_GROUPS));
        const char *sp = spell[(e * 13 + e / 7) % 8];
        mc_value keys[1] = {mc_str(MC_STR, key, (size_t)n)}, v = mc_str(MC_STR, sp, strlen(sp));
        mc_value args[8] = {mc_null(), v, v, v, v, v, v, mc_int(MC_TS, 1000000 - e % 5000)};
        agg_add(w[(e / 211) % 5], keys, args);
    }
    for (int i = 1; i < 4; i++)
        agg_merge(w[0], w[i]);
    assert_true(agg_groups(w[0]) <= FOLD_GROUPS);
    agg_merge(w[0], w[4]);
    const char *names[FOLD_COLS];
    for (int c = 0; c < FOLD_COLS; c++)
        names[c] = plan_column_name(p, c);
    mc_result *r = result_new(FOLD_COLS, names);
    *refused = agg_refused(w[0]);
    agg_emit(w[0], r);
    for (int i = 0; i < 5; i++)
        agg_free(w[i]);
    return r;
}

static void same_cell(const mc_value *a, const mc_value *b, const mc_value *key, int c)
{
    int same = a->type == b->type;
    if (same && (a->type == MC_STR || a->type == MC_IP))
        same = a->len == b->len && !memcmp(a->u.s, b->u.s, a->len);
    else if (same && a->type != MC_NULL)
        same = !memcmp(&a->u, &b->u, sizeof a->u);
    if (!same)
        fail_msg("group %.*s, column %d differs", (int)key->len, key->u.s, c);
}

static void test_fold_on_threads(void **state)
{
    (void)state;
    plan *p = every_function();
    for (size_t max = 0; max <= FOLD_GROUPS - 100; max += FOLD_GROUPS - 100) {
        uint64_t ref1, ref3;
        mc_result *one = fold_rows(p, 1, max, &ref1), *three = fold_rows(p, 3, max, &ref3);
        assert_int_equal(ref1, ref3);
        assert_true(max ? ref1 > 0 : ref1 == 0);
        assert_int_equal(one->nrows, three->nrows);
        assert_int_equal(one->nrows, max ? max : FOLD_GROUPS);
        result_order by_key = {0, 0, SORT_VALUE}; /* keys are unique: rows meet by place */
        result_sort(one, &by_key, 1, 0, SIZE_MAX, 1);
        result_sort(three, &by_key, 1, 0, SIZE_MAX, 1);
        for (size_t i = 0; i < one->nrows; i++) {
            const mc_value *ra = result_row(one, i), *rb = result_row(three, i);
            for (int c = 0; c < FOLD_COLS; c++)
                same_cell(&ra[c], &rb[c], &ra[0], c);
        }
        result_free(one);
        result_free(three);
    }
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_order),
        cmocka_unit_test(test_limit_keeps_earlier),
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_growth_and_merge),
        cmocka_unit_test(test_group_limit),
        cmocka_unit_test(test_memory_limit),
        cmocka_unit_test(test_fold_on_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
