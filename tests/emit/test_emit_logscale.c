/* test_emit_logscale: plans written as LogScale, as a table of plan ->
 * text the query must hold (or the refusal, or the parts --allow-loss
 * names). The expected text was written from the LogScale reference
 * (library.humio.com: test() filters on an expression and now() is the
 * query's time in ms — functions-test, functions-now; `F < n` compares
 * numbers, `F=*` a present field, `!`/not negates a filter function —
 * syntax-operators; in(ignoreCase=), regex(flags=; default m), cidr(subnet=),
 * groupBy(limit=max), sort(limit=)) and from what the views name
 * (fields.md §3: an outbound connection is NetworkConnectIP4/IP6,
 * ConnectionDirection 0 out), not copied from the emitter's output. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emit/emit.h"
#include "view/view.h"

static expr *lit(plan *p, int64_t n) { return plan_lit_int(p, n); }
static expr *str(plan *p, const char *s) { return plan_lit_str(p, s); }
static expr *istrue(plan *p, expr *e) { return plan_node(p, EX_ISTRUE, 0, 1, &e); }

/* An AQL plan: starttime since now, the port as a number, and a count by
 * a user that a filter keeps present. */
static plan *aql_filters(void)
{
    plan *p = plan_new("aql");
    int t = plan_field(p, "starttime", -1), port = plan_field(p, "destinationport", -1);
    int user = plan_field(p, "username", -1);
    expr *since[] = {plan_node(p, EX_NOW, 0, 0, NULL), lit(p, 86400000)};
    plan_filter(p, plan_cmp(p, CMP_GT, plan_ref(p, t), plan_node(p, EX_ARITH, AR_SUB, 2, since)));
    expr *in[] = {plan_ref(p, port), lit(p, 25), lit(p, 465)};
    plan_filter(p, plan_node(p, EX_IN, 0, 3, in));
    plan_filter(p, plan_not(p, plan_cmp(p, CMP_GT, plan_ref(p, port), lit(p, 1024))));
    plan_filter(p, plan_cmp(p, CMP_EQ, plan_ref(p, user), str(p, "bob")));
    plan_group_key(p, plan_ref(p, user), "username");
    int n = plan_aggregate(p, AGG_COUNT, NULL, "n");
    plan_aggregate(p, AGG_MIN, plan_ref(p, t), "first");
    plan_post_filter(p, plan_cmp(p, CMP_GT, plan_ref(p, n), lit(p, 2)));
    plan_sort_by(p, n, 1, SORT_VALUE);
    return p;
}

/* The hunt's canonical kind and direction, a window, a key nothing keeps. */
static plan *builtin_conn(void)
{
    plan *p = plan_new("builtin");
    int kind = plan_field(p, "kind", MC_C_KIND), dir = plan_field(p, "direction", MC_C_DIRECTION);
    int t = plan_field(p, "time", MC_C_TIME), host = plan_field(p, "host", MC_C_HOST);
    plan_set_window(p, t, 3600 * 1000);
    plan_filter(p, plan_cmp(p, CMP_EQ, plan_ref(p, kind), str(p, "conn")));
    plan_filter(p, plan_cmp(p, CMP_EQ, plan_ref(p, dir), str(p, "out")));
    plan_group_key(p, plan_ref(p, host), "host");
    plan_aggregate(p, AGG_COUNT, NULL, "n");
    return p;
}

/* A kind test alone: a connection of unknown direction has no event name. */
static plan *kind_alone(void)
{
    plan *p = plan_new("builtin");
    int kind = plan_field(p, "kind", MC_C_KIND), host = plan_field(p, "host", MC_C_HOST);
    plan_filter(p, plan_cmp(p, CMP_EQ, plan_ref(p, kind), str(p, "conn")));
    expr *h = plan_ref(p, host);
    plan_filter(p, plan_not(p, plan_node(p, EX_ISNULL, 0, 1, &h)));
    plan_group_key(p, plan_ref(p, host), "host");
    plan_aggregate(p, AGG_COUNT, NULL, "n");
    return p;
}

/* Sigma's product test and Initiated, a negated cidr and a caseless
 * dot-all regex under istrue(), as the Sigma front end builds them. */
static plan *sigma_tests(void)
{
    plan *p = plan_new("sigma");
    int prod = plan_field(p, VIEW_SIGMA_PRODUCT, -1), init = plan_field(p, "Initiated", -1);
    int ip = plan_field(p, "DestinationIp", -1), img = plan_field(p, "Image", -1);
    int host = plan_field(p, "Computer", -1);
    expr *pr = plan_ref(p, prod);
    expr *either[] = {plan_node(p, EX_ISNULL, 0, 1, &pr),
                      plan_cmp(p, CMP_EQ, plan_ref(p, prod), str(p, "windows"))};
    plan_filter(p, plan_logic(p, EX_OR, 2, either));
    expr *in[] = {plan_call(p, FN_LOWER, plan_call(p, FN_STR, plan_ref(p, init))), str(p, "true")};
    plan_filter(p, istrue(p, plan_node(p, EX_IN, 0, 2, in)));
    const char *nets[] = {"10.0.0.0/8"};
    char err[200];
    plan_filter(p, plan_not(p, istrue(p, plan_cidr(p, plan_ref(p, ip), nets, 1, err, sizeof err))));
    plan_filter(p, plan_not(p, istrue(p, plan_regex(p, plan_call(p, FN_STR, plan_ref(p, img)),
                                                    "^(?:.*\\\\a\\.exe)$",
                                                    PCRE2_CASELESS | PCRE2_DOTALL, err,
                                                    sizeof err))));
    expr *h = plan_ref(p, host);
    plan_filter(p, plan_not(p, plan_node(p, EX_ISNULL, 0, 1, &h)));
    plan_group_key(p, plan_ref(p, host), "Computer");
    plan_aggregate(p, AGG_COUNT, NULL, "count");
    return p;
}

/* AQL's CASE as a key, a key nothing keeps present, a sum LogScale cannot
 * read (Bytes Sent has no LogScale name), Event Direction. */
static plan *aql_keys(void)
{
    plan *p = plan_new("aql");
    int port = plan_field(p, "destinationport", -1), src = plan_field(p, "sourceip", -1);
    int bytes = plan_field(p, "Bytes Sent", -1), dir = plan_field(p, "Event Direction", -1);
    plan_filter(p, plan_cmp(p, CMP_EQ, plan_ref(p, dir), str(p, "L2R")));
    expr *in[] = {plan_ref(p, port), lit(p, 25)};
    expr *k[] = {plan_node(p, EX_IN, 0, 2, in), str(p, "SMTP"), str(p, "Other")};
    plan_group_key(p, plan_ref(p, src), "sourceip");
    plan_group_key(p, plan_node(p, EX_CASE, 0, 3, k), "proto");
    plan_aggregate(p, AGG_COUNT, NULL, "n");
    plan_aggregate(p, AGG_SUM, plan_call(p, FN_INT, plan_ref(p, bytes)), "sent");
    return p;
}

static const struct ls_case {
    const char *why;
    plan *(*build)(void);
    int allow_loss, has_now;
    const char *want;   /* the text holds this; or, for a refusal, the message */
    const char *lost;   /* the parts named, "; "-joined; NULL: none */
} cases[] = {
    {"the time since now as test(), numbers as orderings, NOT as the opposite", aql_filters, 0, 0,
     "test(@timestamp > now() - 86400000)\n"
     "| ((RemotePort >= 25 and RemotePort <= 25) or (RemotePort >= 465 and RemotePort <= 465))\n"
     "| RemotePort <= 1024\n| UserName=bob\n", NULL},
    {"--now as the literal time", aql_filters, 0, 1, "test(@timestamp > 1767225600000 - 86400000)",
     NULL},
    {"min of a time is numeric; another plan's caps are LogScale's largest", aql_filters, 0, 0,
     "      min(@timestamp, as=first)\n    ],\n    limit=max\n  )\n| n > 2\n"
     "| sort(n, order=desc, limit=20000)\n", NULL},
    {"the window as test()s, the kind and direction as the event name", builtin_conn, 1, 0,
     "// the search's time range must cover the last 1h\n"
     "test(@timestamp > now() - 3600000)\n| test(@timestamp <= now())\n"
     "| in(field=#event_simpleName, values=[NetworkConnectIP4, NetworkConnectIP6])\n"
     "| groupBy(\n    [ComputerName],\n",
     "the events lacking host (groupBy leaves them out; the plan groups them)"},
    {"a key nothing keeps present is refused without --allow-loss", builtin_conn, 0, 0,
     "logscale cannot express the events lacking host", NULL},
    {"a kind alone: every connection name, the unknown direction lost", kind_alone, 1, 0,
     "in(field=#event_simpleName, values=[NetworkConnectIP4, NetworkConnectIP6, "
     "NetworkReceiveAcceptIP4, NetworkReceiveAcceptIP6])\n",
     "connections whose direction is unknown (LogScale's view names a connection by its "
     "direction, #event_simpleName)"},
    {"Sigma: product on the path, Initiated, negated cidr and regex with flags", sigma_tests, 0, 0,
     "!regex(field=ImageFileName, regex=\"^(?:/([^:\\\\\\\\][^\\\\\\\\]*)?)$\", flags=\"\")\n"
     "| ConnectionDirection=0\n"
     "| !cidr(field=RemoteAddressIP4, subnet=[\"10.0.0.0/8\"])\n"
     "| !regex(field=ImageFileName, regex=\"^(?:.*\\\\\\\\a\\\\.exe)$\", flags=\"id\")\n"
     "| groupBy(\n    [ComputerName],\n", NULL},
    {"a computed key as an eval first; Event Direction and an unread sum lost", aql_keys, 1, 0,
     "\nproto := case {\n    (RemotePort >= 25 and RemotePort <= 25) => \"SMTP\";\n"
     "    * => \"Other\"\n  }\n| groupBy(\n    [LocalAddressIP4, proto],\n    function=[\n"
     "      count(as=n)\n    ],\n",
     "the test on Event Direction (local or remote by QRadar's network hierarchy; LogScale's "
     "ConnectionDirection is by who opened the connection); the events lacking sourceip "
     "(groupBy leaves them out; the plan groups them); the column sent (LogScale cannot read "
     "its input)"},
};

static void lost(const char *what, void *arg)
{
    char *all = arg;
    size_t n = strlen(all);
    snprintf(all + n, 2000 - n, "%s%s", n ? "; " : "", what);
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        plan *p = cases[i].build();
        char *text = NULL, err[400] = "", named[2000] = "";
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        emit_opts o = {.allow_loss = cases[i].allow_loss, .has_now = cases[i].has_now,
                       .now_ms = 1767225600000, .lost = lost, .lost_arg = named};
        int rc = emit_plan(p, "logscale", &o, out, err, sizeof err);
        fclose(out);
        int refusal = strstr(cases[i].want, "cannot express") != NULL;
        int ok = refusal ? rc == EMIT_REFUSED && len == 0 && strstr(err, cases[i].want)
                         : rc == EMIT_OK && strstr(text, cases[i].want) &&
                               strcmp(named, cases[i].lost ? cases[i].lost : "") == 0;
        if (!ok)
            fail_msg("%s: rc %d %s\nwant: %s\nlost: %s\ngot:\n%s\nnamed: %s", cases[i].why, rc, err,
                     cases[i].want, cases[i].lost, text, named);
        free(text);
        plan_free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
