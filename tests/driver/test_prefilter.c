/* The prefilter on raw Falcon lines, as a table: each line with whether it
 * may pass the seed-like query's first filters. Every line is also run
 * through the real decoder and executor without the prefilter: a line the
 * prefilter skips must never be one the query matches (soundness), whatever
 * the table says. Hostile spellings: spaces around the colon, numbers as
 * numbers, escaped keys and values, repeated keys, the key as a value or
 * inside an escaped string, nested values, null, true, not JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "driver/prefilter.h"
#include "driver/record.h"
#include "lang/logscale/logscale.h"

static const char query[] = "#event_simpleName=NetworkConnectIP4\n"
                            "| in(field=RemotePort, values=[25, 465])\n"
                            "| RemoteAddressIP4 != \"10.0.0.1\"\n"
                            "| count()";

static const struct {
    const char *line;
    int pass;
} cases[] = {
    {"{\"event_simpleName\":\"NetworkConnectIP4\",\"RemotePort\":\"25\"}", 1},
    {"{\"event_simpleName\":\"DnsRequest\",\"RemotePort\":\"25\"}", 0},
    {"{\"event_simpleName\":\"NetworkConnectIP4\",\"RemotePort\":\"443\"}", 0},
    {"{\"event_simpleName\" : \"NetworkConnectIP4\", \"RemotePort\" :\t \"465\" }", 1},
    {"{\"event_simpleName\":\"NetworkConnectIP4\",\"RemotePort\":25}", 1},
    {"{\"event_simpleName\":\"NetworkConnectIP4\",\"RemotePort\":25.0}", 0},
    {"{\"event_simpleName\":\"NetworkConnectIP4\",\"RemotePort\":025}", 0},
    {"{\"event_simple\\u004eame\":\"NetworkConnectIP4\",\"RemotePort\":\"25\"}", 1},
    {"{\"event_simpleName\":\"Network\\u0043onnectIP4\",\"RemotePort\":\"25\"}", 1},
    {"{\"event_simpleName\":\"NetworkConnectIP4\\/x\",\"RemotePort\":\"25\"}", 1},
    {"{\"RemotePort\":\"443\",\"event_simpleName\":\"NetworkConnectIP4\",\"RemotePort\":\"25\"}", 1},
    {"{\"event_simpleName\":\"NetworkConnectIP4\"}", 0},
    {"{\"event_simpleName\":\"NetworkConnectIP4\",\"x\":\"RemotePort\"}", 0},
    {"{\"event_simpleName\":\"NetworkConnectIP4\",\"RemotePort\":{\"a\":1}}", 1},
    {"{\"event_simpleName\":\"NetworkConnectIP4\",\"RemotePort\":null}", 0},
    {"{\"event_simpleName\":\"NetworkConnectIP4\",\"RemotePort\":true}", 1},
    {"{\"event_simpleName\":\"NetworkConnectIP4\",\"c\":\"\\\"RemotePort\\\":\\\"25\\\"\"}", 0},
    {"{\"event_simpleName\":\"NetworkConnectIP4\",\"RemotePort\":\"25\",\"RemoteAddressIP4\":"
     "\"10.0.0.1\"}", 1},
    {"{\"n\":{\"event_simpleName\":\"NetworkConnectIP4\"},\"RemotePort\":\"25\"}", 1},
    {"not json at all NetworkConnectIP4", 0},
};

/* A LogScale query compiled and bound to the Falcon decoder. */
typedef struct bound {
    plan *p;
    input_settings st;
    view_decoder *vd;
} bound;

static void bind_query(bound *b, const char *q)
{
    lang_src src = {"q", q, strlen(q)};
    lang_opts lo = {.warn = NULL};
    lang_error e = {0};
    b->p = ls_compile(&src, &lo, &e);
    assert_non_null(b->p);
    char err[200];
    assert_int_equal(input_settings_init(&b->st, NULL, NULL, err, sizeof err), 0);
    b->vd = view_decoder_open(&decoder_falcon, b->p, &b->st, err, sizeof err);
    assert_non_null(b->vd);
}

static void unbind_query(bound *b)
{
    view_decoder_close(b->vd);
    input_settings_free(&b->st);
    plan_free(b->p);
}

static void test_table(void **state)
{
    (void)state;
    bound b;
    bind_query(&b, query);
    plan *p = b.p;
    view_decoder *vd = b.vd;
    prefilter *pf = prefilter_new(p, vd);
    assert_non_null(pf);
    exec_opts eo = {0};
    exec_worker w;
    exec_worker_init(&w, p, &eo);
    diag d;
    diag_init(&d, (logger){NULL, NULL}, 0);
    record_src plain = {"t", &decoder_falcon, vd, -1, &d, NULL, NULL, 0, NULL};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char line[512];
        size_t len = strlen(cases[i].line);
        memcpy(line, cases[i].line, len + 1);
        int pass = prefilter_pass(pf, &w, line, len);
        if (pass != cases[i].pass)
            fail_msg("line %zu: prefilter says %d, want %d: %s", i, pass, cases[i].pass, line);
        uint64_t before = w.st.matched;
        record_line(&w, &plain, i + 1, line, len);
        if (w.st.matched > before && !pass)
            fail_msg("line %zu matches the query but the prefilter skips it: %s", i, line);
    }
    assert_true(w.st.matched >= 5); /* the check above had matches to check */
    exec_worker_free(&w);
    prefilter_free(pf);
    unbind_query(&b);
}

/* A query whose filters are all TRUE on a missing key, or computed fields
 * only, has no prefilter: every line is parsed. */
static void test_none(void **state)
{
    (void)state;
    bound b;
    bind_query(&b, "RemotePort != 25 | groupBy([ComputerName])");
    assert_null(prefilter_new(b.p, b.vd));
    unbind_query(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
