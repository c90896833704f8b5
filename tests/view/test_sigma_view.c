/* The Sigma view (src/view/sigma.c): taxonomy names read canonical fields
 * on every family, Sysmon's home included; Initiated, Protocol and the
 * logsource product are derived; other names read the record's own field.
 * Each expectation follows from the view's table and sigma.md §8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "view/view.h"

static void bind(view_binding *b, plan *p, const char *family, input_settings *s)
{
    char err[200];
    assert_int_equal(view_bind(b, p, family, s, err, sizeof err), 0);
}

/* The derived value for plan field `name` when its canonical input holds v. */
static mc_value derive(const view_binding *b, const plan *p, const char *name, mc_value v)
{
    int slot = plan_find_field(p, name);
    mc_value row[PLAN_FIRST_EVAL] = {{0}};
    for (int i = 0; i < b->nderived; i++)
        if (b->derived[i].slot == slot)
            row[b->derived[i].arg[0]] = v;
    view_apply(b, row);
    return row[slot];
}

static void expect_text(mc_value v, const char *want)
{
    if (!want) {
        assert_int_equal(v.type, MC_NULL);
        return;
    }
    assert_int_equal(v.type, MC_STR);
    assert_int_equal(v.len, strlen(want));
    assert_memory_equal(v.u.s, want, v.len);
}

static void test_sigma_names(void **state)
{
    (void)state;
    plan *p = plan_new("sigma");
    const char *names[] = {"Image", "DestinationPort", "EventID", "Initiated", "Protocol",
                           VIEW_SIGMA_PRODUCT};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        plan_field(p, names[i], -1);
    input_settings s;
    char err[200];
    assert_int_equal(input_settings_init(&s, NULL, NULL, err, sizeof err), 0);
    view_binding b;
    /* Canonical even at home: Image is proc_path on Sysmon and on Falcon. */
    const char *families[] = {"sysmon", "falcon"};
    for (int f = 0; f < 2; f++) {
        bind(&b, p, families[f], &s);
        assert_int_equal(b.req[plan_find_field(p, "Image")].canon, MC_C_PROC_PATH);
        assert_int_equal(b.req[plan_find_field(p, "DestinationPort")].canon, MC_C_DST_PORT);
        assert_int_equal(b.req[plan_find_field(p, "EventID")].canon, MC_FIELD_NATIVE);
        assert_int_equal(b.nderived, 3);
    }
    expect_text(derive(&b, p, "Initiated", mc_str(MC_STR, "out", 3)), "true");
    expect_text(derive(&b, p, "Initiated", mc_str(MC_STR, "in", 2)), "false");
    expect_text(derive(&b, p, "Initiated", mc_null()), NULL);
    expect_text(derive(&b, p, "Protocol", mc_int(MC_INT, 6)), "tcp");
    expect_text(derive(&b, p, "Protocol", mc_int(MC_INT, 17)), "udp");
    /* A drive letter or a backslash is Windows, a leading slash Linux, a
     * bare name nothing (sigma.c product()). */
    expect_text(derive(&b, p, VIEW_SIGMA_PRODUCT, mc_str(MC_STR, "C:\\a.exe", 8)), "windows");
    expect_text(derive(&b, p, VIEW_SIGMA_PRODUCT, mc_str(MC_STR, "\\Device\\x", 9)), "windows");
    expect_text(derive(&b, p, VIEW_SIGMA_PRODUCT, mc_str(MC_STR, "/usr/bin/nc", 11)), "linux");
    expect_text(derive(&b, p, VIEW_SIGMA_PRODUCT, mc_str(MC_STR, "nc", 2)), NULL);
    input_settings_free(&s);
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_sigma_names)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
