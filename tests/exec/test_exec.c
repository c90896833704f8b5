/* The executor's rows for plans without an aggregate: kept until the
 * memory budget (--max-memory), then left out and counted, exactly, on one
 * worker and when workers' rows are merged into a smaller budget; and its
 * notes and filters that only ask which fields are NULL. */
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

/* Notes and filters that only ask which fields are NULL are answered off
 * the row (exec.c null_tests_of); the same tests under ISTRUE() are walked
 * as trees. Both must count what a hand count gives: of three fields, a set
 * where bit 0 of k is, b bit 1, c bit 2, the row of k fed k + 1 times
 * (k = 0..7, 36 events): `a IS NULL` on k = 0, 2, 4, 6 (1 + 3 + 5 + 7 =
 * 16), `NOT b IS NULL` on k = 2, 3, 6, 7 (3 + 4 + 7 + 8 = 22), and
 * `NOT a IS NULL AND NOT b IS NULL AND c IS NULL` on k = 3 (4). */
static void null_steps(int wrapped, uint64_t *note_a, uint64_t *note_b, uint64_t *matched)
{
    plan *p = plan_new("test");
    int a = plan_field(p, "a", -1), b = plan_field(p, "b", -1), c = plan_field(p, "c", -1);
    expr *is_a = plan_node(p, EX_ISNULL, 0, 1, (expr *[]){plan_ref(p, a)});
    expr *not_b = plan_not(p, plan_node(p, EX_ISNULL, 0, 1, (expr *[]){plan_ref(p, b)}));
    expr *all = plan_logic(
        p, EX_AND, 3,
        (expr *[]){plan_not(p, plan_node(p, EX_ISNULL, 0, 1, (expr *[]){plan_ref(p, a)})),
                   plan_not(p, plan_node(p, EX_ISNULL, 0, 1, (expr *[]){plan_ref(p, b)})),
                   plan_node(p, EX_ISNULL, 0, 1, (expr *[]){plan_ref(p, c)})});
    if (wrapped) {
        is_a = plan_node(p, EX_ISTRUE, 0, 1, (expr *[]){is_a});
        not_b = plan_node(p, EX_ISTRUE, 0, 1, (expr *[]){not_b});
        all = plan_node(p, EX_ISTRUE, 0, 1, (expr *[]){all});
    }
    plan_note_step(p, is_a, "a is null"); /* note 0 */
    plan_note_step(p, not_b, "b is set");  /* note 1 */
    plan_filter(p, all);
    exec_opts o = {.groups = {0, 0}};
    exec_worker w;
    exec_worker_init(&w, p, &o);
    for (int k = 0; k < 8; k++)
        for (int times = 0; times <= k; times++) {
            w.row[a] = k & 1 ? mc_str(MC_STR, "x", 1) : mc_null();
            w.row[b] = k & 2 ? mc_str(MC_STR, "y", 1) : mc_null();
            w.row[c] = k & 4 ? mc_str(MC_STR, "z", 1) : mc_null();
            exec_event(&w);
        }
    *note_a = w.st.noted[0];
    *note_b = w.st.noted[1];
    *matched = w.st.matched;
    exec_worker_free(&w);
    plan_free(p);
}

static void test_null_steps(void **state)
{
    (void)state;
    for (int wrapped = 0; wrapped < 2; wrapped++) {
        uint64_t na, nb, matched;
        null_steps(wrapped, &na, &nb, &matched);
        assert_int_equal(na, 16);
        assert_int_equal(nb, 22);
        assert_int_equal(matched, 4);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_budget),
        cmocka_unit_test(test_rows_merge_budget),
        cmocka_unit_test(test_null_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
