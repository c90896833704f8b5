/* Unit tests for src/view/: where a language's field is read on its home
 * format and elsewhere, derived values, and the local networks of the
 * settings a binding is made with (two settings, two answers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "view/view.h"

static const mc_field_req *req_named(const view_binding *b, const plan *p, const char *name)
{
    int slot = plan_find_field(p, name);
    assert_true(slot >= 0);
    return &b->req[slot];
}

static void settings(input_settings *s, const char *local)
{
    char err[200];
    assert_int_equal(input_settings_init(s, local, NULL, err, sizeof err), 0);
}

static void test_logscale(void **state)
{
    (void)state;
    plan *p = plan_new("logscale");
    plan_field(p, "RemotePort", -1);
    plan_field(p, "#event_simpleName", -1);
    plan_field(p, "id.resp_p", -1);
    plan_field(p, "dst_port", MC_C_DST_PORT);
    input_settings s;
    settings(&s, NULL);
    view_binding b;
    char err[200];
    assert_int_equal(view_bind(&b, p, "falcon", &s, err, sizeof err), 0);
    assert_int_equal(req_named(&b, p, "RemotePort")->canon, MC_FIELD_NATIVE);
    assert_int_equal(req_named(&b, p, "#event_simpleName")->canon, MC_FIELD_NATIVE);
    assert_int_equal(b.nderived, 0);
    assert_int_equal(b.nreq, 4);

    assert_int_equal(view_bind(&b, p, "sysmon", &s, err, sizeof err), 0);
    assert_int_equal(req_named(&b, p, "RemotePort")->canon, MC_C_DST_PORT);
    assert_int_equal(req_named(&b, p, "id.resp_p")->canon, MC_FIELD_NATIVE);
    assert_int_equal(req_named(&b, p, "#event_simpleName")->canon, MC_FIELD_NULL);
    assert_int_equal(b.nderived, 1);
    assert_int_equal(b.nreq, 4 + 3); /* kind, direction, dst_ip appended */

    mc_value row[PLAN_FIRST_EVAL] = {{0}};
    row[b.derived[0].arg[0]] = mc_str(MC_STR, "conn", 4);
    row[b.derived[0].arg[1]] = mc_str(MC_STR, "out", 3);
    row[b.derived[0].arg[2]] = mc_str(MC_IP, "2001:db8::1", 11);
    view_apply(&b, row);
    mc_value v = row[plan_find_field(p, "#event_simpleName")];
    assert_int_equal(v.type, MC_STR);
    assert_memory_equal(v.u.s, "NetworkConnectIP6", v.len);
    input_settings_free(&s);
    plan_free(p);
}

static const char *locality(const char *local, const char *src, const char *dst)
{
    plan *p = plan_new("aql");
    plan_field(p, "eventdirection", -1);
    input_settings s;
    settings(&s, local);
    view_binding b;
    char err[200];
    assert_int_equal(view_bind(&b, p, "zeek", &s, err, sizeof err), 0);
    mc_value row[PLAN_FIRST_EVAL] = {{0}};
    row[b.derived[0].arg[0]] = mc_str(MC_IP, src, strlen(src));
    row[b.derived[0].arg[1]] = mc_str(MC_IP, dst, strlen(dst));
    view_apply(&b, row);
    static char out[8];
    snprintf(out, sizeof out, "%.*s", (int)row[0].len, row[0].type ? row[0].u.s : "");
    input_settings_free(&s);
    plan_free(p);
    return out;
}

static void test_aql(void **state)
{
    (void)state;
    plan *p = plan_new("aql");
    plan_field(p, "eventdirection", -1);
    plan_field(p, "qid", -1);
    plan_field(p, "SourceIP", -1);
    plan_field(p, "Some Custom Property", -1);
    input_settings s;
    settings(&s, NULL);
    view_binding b;
    char err[200];
    assert_int_equal(view_bind(&b, p, "qradar", &s, err, sizeof err), 0);
    assert_int_equal(req_named(&b, p, "eventdirection")->canon, MC_FIELD_NATIVE);
    assert_int_equal(req_named(&b, p, "qid")->canon, MC_FIELD_NATIVE);
    assert_int_equal(req_named(&b, p, "SourceIP")->canon, MC_C_SRC_IP); /* any case */
    assert_int_equal(req_named(&b, p, "Some Custom Property")->canon, MC_FIELD_NATIVE);
    assert_int_equal(view_bind(&b, p, "panos", &s, err, sizeof err), 0);
    assert_int_equal(req_named(&b, p, "qid")->canon, MC_FIELD_NULL);
    assert_int_equal(req_named(&b, p, "Some Custom Property")->canon, MC_FIELD_NULL);
    assert_int_equal(b.nderived, 1);
    input_settings_free(&s);
    plan_free(p);

    assert_string_equal(locality(NULL, "10.1.2.3", "8.8.8.8"), "L2R");
    assert_string_equal(locality("192.168.0.0/16", "10.1.2.3", "8.8.8.8"), "R2R");
    assert_string_equal(locality("192.168.0.0/16", "8.8.8.8", "192.168.1.1"), "R2L");
    assert_true(view_known("aql", "Process Name"));
    assert_false(view_known("aql", "nosuchcolumn"));
    assert_false(view_known("builtin", "dst_port"));
}

/* Derived inputs that do not fit beside the plan's fields are an error. */
static void test_full(void **state)
{
    (void)state;
    plan *p = plan_new("logscale");
    char name[16];
    for (int i = 0; i < PLAN_FIRST_EVAL - 1; i++) {
        snprintf(name, sizeof name, "f%d", i);
        assert_true(plan_field(p, name, -1) >= 0);
    }
    assert_true(plan_field(p, "ConnectionDirection", -1) >= 0); /* the 64th */
    input_settings s;
    settings(&s, NULL);
    view_binding b;
    char err[200];
    assert_int_equal(view_bind(&b, p, "falcon", &s, err, sizeof err), 0);
    assert_int_equal(view_bind(&b, p, "zeek", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "too many fields"));
    input_settings_free(&s);
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logscale),
        cmocka_unit_test(test_aql),
        cmocka_unit_test(test_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
