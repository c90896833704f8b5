/* The executor's rows for plans without an aggregate: kept until the
 * memory budget (--max-memory), then left out and counted, exactly, on one
 * worker and when workers' rows are merged into a smaller budget. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "exec/exec.h"

/* Plan: one field, no steps, no aggregate: every event is a row. */
static plan *rows_plan(int *slot)
{
    plan *p = plan_new("test");
    *slot = plan_field(p, "v", -1);
    return p;
}

static void feed(exec_worker *w, int slot, int from, int n)
{
    char text[32];
    for (int i = from; i < from + n; i++) {
        int len = snprintf(text, sizeof text, "value-%08d", i);
        w->row[slot] = mc_str(MC_STR, text, (size_t)len);
        exec_event(w);
    }
}

static void test_rows_budget(void **state)
{
    (void)state;
    int slot;
    plan *p = rows_plan(&slot);
    exec_opts o = {.groups = {0, 256u << 10}};
    exec_worker w;
    exec_worker_init(&w, p, &o);
    feed(&w, slot, 0, 100000);
    size_t kept = w.rows->nrows;
    assert_true(kept > 100 && kept < 100000);
    assert_int_equal(w.st.rows_refused, 100000 - kept);
    assert_int_equal(w.st.matched, 100000);
    exec_worker_free(&w);

    o.groups.max_bytes = 0; /* no budget: every row kept */
    exec_worker_init(&w, p, &o);
    feed(&w, slot, 0, 100000);
    assert_int_equal(w.rows->nrows, 100000);
    assert_int_equal(w.st.rows_refused, 0);
    exec_worker_free(&w);
    plan_free(p);
}

static void test_rows_merge_budget(void **state)
{
    (void)state;
    int slot;
    plan *p = rows_plan(&slot);
    exec_opts wide = {.groups = {0, 0}}, narrow = {.groups = {0, 64u << 10}};
    exec_worker a, b, dst;
    exec_worker_init(&a, p, &wide);
    exec_worker_init(&b, p, &wide);
    exec_worker_init(&dst, p, &narrow);
    feed(&a, slot, 0, 20000);
    feed(&b, slot, 20000, 20000);
    exec_worker_merge(&dst, &a);
    exec_worker_merge(&dst, &b);
    assert_true(dst.rows->nrows > 0 && dst.rows->nrows < 40000);
    assert_int_equal(dst.rows->nrows + dst.st.rows_refused, 40000);
    exec_worker_free(&a);
    exec_worker_free(&b);
    exec_worker_free(&dst);
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_budget),
        cmocka_unit_test(test_rows_merge_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
