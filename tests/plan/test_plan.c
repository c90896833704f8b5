/* Plan builders: every setter and appender that shapes the pipeline checks
 * its arguments and the plan's capacity, refusing (-1, plan unchanged)
 * rather than writing past an array, so that front ends can report the
 * limit instead of relying on their own bounds matching the plan's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "plan/plan.h"

static plan *p;

/* Two input fields and one eval: columns 0, 1 and PLAN_FIRST_EVAL exist. */
static int setup(void **state)
{
    (void)state;
    p = plan_new("test");
    plan_field(p, "a", -1);
    plan_field(p, "b", -1);
    plan_eval(p, "c", plan_ref(p, 0));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    plan_free(p);
    return 0;
}

/* A plan grouped by `a` with count, min(b) and a post eval. */
static void aggregate(void)
{
    assert_int_equal(plan_group_key(p, plan_ref(p, 0), "a"), 0);
    assert_int_equal(plan_aggregate(p, AGG_COUNT, NULL, "n"), 1);
    assert_int_equal(plan_aggregate(p, AGG_MIN, plan_ref(p, 1), "lo"), 2);
    assert_int_equal(plan_post_eval(p, "x", plan_lit_int(p, 1)), 3);
}

static void sort_keys_stop_at_capacity(void **state)
{
    (void)state;
    for (int i = 0; i < PLAN_MAX_COLS; i++)
        assert_int_equal(plan_sort_by(p, i % 2, 1, SORT_VALUE), 0);
    assert_int_equal(plan_sort_by(p, 0, 1, SORT_VALUE), -1);
    assert_int_equal(p->nsort, PLAN_MAX_COLS);
    plan_clear_sort(p);
    assert_int_equal(p->nsort, 0);
}

static void sort_key_must_be_a_column(void **state)
{
    (void)state;
    assert_int_equal(plan_sort_by(p, -1, 0, SORT_VALUE), -1);
    assert_int_equal(plan_sort_by(p, plan_ncolumns(p), 0, SORT_VALUE), -1);
    assert_int_equal(plan_sort_by(p, 0, 0, SORT_TEXT + 1), -1);
    assert_int_equal(p->nsort, 0);
    assert_int_equal(plan_sort_by(p, PLAN_FIRST_EVAL, 0, SORT_NUMBER), 0);
    assert_int_equal(p->sort[0].col, PLAN_FIRST_EVAL);
    assert_int_equal(p->sort[0].type, SORT_NUMBER);
}

static void projections_stop_at_capacity(void **state)
{
    (void)state;
    for (int i = 0; i < PLAN_MAX_COLS; i++)
        assert_int_equal(plan_project(p, 1, "b"), 0);
    assert_int_equal(plan_project(p, 1, "b"), -1);
    assert_int_equal(p->nproj, PLAN_MAX_COLS);
    plan_clear_projection(p);
    assert_int_equal(p->nproj, 0);
}

static void projection_copies_and_renames(void **state)
{
    (void)state;
    char name[4] = "b";
    assert_int_equal(plan_project(p, -1, name), -1);
    assert_int_equal(plan_project(p, 1, name), 0);
    name[0] = 'z';
    assert_string_equal(p->proj_name[0], "b");
    plan_rename_projected(p, "b", "bee");
    assert_string_equal(p->proj_name[0], "bee");
    assert_int_equal(p->proj[0], 1);
}

static void scalar_setters_refuse_bad_values(void **state)
{
    (void)state;
    assert_int_equal(plan_set_limit(p, -2), -1);
    assert_int_equal(plan_limit(p), -1);
    assert_int_equal(plan_set_limit(p, 10), 0);
    assert_int_equal(plan_limit(p), 10);
    assert_int_equal(plan_set_group_limit(p, -1), -1);
    assert_int_equal(plan_set_default_row_limit(p, -1), -1);
    assert_int_equal(plan_set_group_limit(p, 20000), 0);
    assert_int_equal(plan_set_default_row_limit(p, 200), 0);
    assert_int_equal(p->group_limit, 20000);
    assert_int_equal(p->default_row_limit, 200);
    assert_int_equal(plan_set_collate(p, COLLATE_IP_ADDRESS << 1), -1);
    assert_int_equal(p->collate, 0);
    assert_int_equal(plan_set_collate(p, COLLATE_NULLS_LOW | COLLATE_IP_ADDRESS), 0);
}

static void window_needs_an_input_field(void **state)
{
    (void)state;
    assert_int_equal(plan_set_window(p, PLAN_FIRST_EVAL, 1000), -1);
    assert_int_equal(plan_set_window(p, 2, 1000), -1);
    assert_int_equal(plan_set_window(p, 1, -1), -1);
    assert_int_equal(p->time_slot, -1);
    assert_int_equal(plan_set_window(p, 1, 1000), 0);
    assert_int_equal(p->time_slot, 1);
    assert_int_equal(p->window_ms, 1000);
}

static void result_columns(void **state)
{
    (void)state;
    assert_int_equal(plan_rename_column(p, 0, "k"), -1); /* no aggregate yet */
    aggregate();
    assert_true(plan_has_aggregate(p));
    assert_int_equal(plan_nkeys(p), 1);
    assert_int_equal(plan_naggs(p), 2);
    assert_int_equal(plan_ncolumns(p), 4);
    assert_null(plan_column_name(p, 4));
    assert_null(plan_column_name(p, -1));
    assert_int_equal(plan_rename_column(p, 4, "k"), -1);
    assert_int_equal(plan_rename_column(p, 0, "k"), 0);
    assert_string_equal(plan_column_name(p, 0), "k");
    assert_int_equal(plan_column(p, "k"), 0);
}

static void numeric_only_for_min_max(void **state)
{
    (void)state;
    aggregate();
    assert_int_equal(plan_agg_numeric(p, 0), -1); /* a key */
    assert_int_equal(plan_agg_numeric(p, 1), -1); /* count */
    assert_int_equal(plan_agg_numeric(p, 3), -1); /* a post eval */
    assert_int_equal(plan_agg_numeric(p, 2), 0);
    assert_int_equal(p->aggs[1].numeric, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sort_keys_stop_at_capacity, setup, teardown),
        cmocka_unit_test_setup_teardown(sort_key_must_be_a_column, setup, teardown),
        cmocka_unit_test_setup_teardown(projections_stop_at_capacity, setup, teardown),
        cmocka_unit_test_setup_teardown(projection_copies_and_renames, setup, teardown),
        cmocka_unit_test_setup_teardown(scalar_setters_refuse_bad_values, setup, teardown),
        cmocka_unit_test_setup_teardown(window_needs_an_input_field, setup, teardown),
        cmocka_unit_test_setup_teardown(result_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(numeric_only_for_min_max, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
