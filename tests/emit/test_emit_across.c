/* test_emit_across: plans of one language written as AQL and as LogScale,
 * as a table of plan -> text the query must hold (or the refusal, or the
 * parts --allow-loss names). The expected text was written from each
 * reference and from what each derived field of the views means
 * (fields.md §3), not copied from the emitters' output:
 *  - AQL (aql.md; IBM): MATCHES covers the whole value, INCIDR('net', ip)
 *    with IPv4 or IPv6 networks ("CIDR IP addresses in AQL queries"),
 *    block comments inside the body, IS NULL, DOUBLE();
 *  - LogScale (library.humio.com): test() filters on an expression and
 *    now() is the query's time in ms (functions-test, functions-now);
 *    `F < n` compares numbers, `F=*` a present field, `!`/not negates a
 *    filter function (syntax-operators); in(ignoreCase=), regex(flags=;
 *    default m), cidr(subnet=), groupBy(limit=max), sort(limit=); an
 *    outbound connection is NetworkConnectIP4/IP6, ConnectionDirection 0
 *    out. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "emit_table.h"
#include "view/view.h"

/* ---- AQL ------------------------------------------------------------------ */

static expr *str_eq(plan *p, int slot, const char *v)
{
    return plan_cmp(p, CMP_EQ, plan_call(p, FN_STR, plan_ref(p, slot)), plan_lit_str(p, v));
}

static expr *istrue(plan *p, expr *e)
{
    return plan_node(p, EX_ISTRUE, 0, 1, &e);
}

/* LogScale's min(ContextTimeStamp): seconds, the time in ms over 1000. */
static plan *seconds(void)
{
    plan *p = plan_new("logscale");
    int cts = plan_field(p, "ContextTimeStamp", -1), host = plan_field(p, "ComputerName", -1);
    expr *h = plan_ref(p, host);
    plan_filter(p, plan_not(p, plan_node(p, EX_ISNULL, 0, 1, &h)));
    plan_group_key(p, plan_ref(p, host), "ComputerName");
    int first = plan_aggregate(p, AGG_MIN, plan_ref(p, cts), "FirstSeen");
    plan_agg_numeric(p, first);
    return p;
}

/* #event_simpleName=NetworkConnectIP4: outbound, IPv4 remote address. */
static plan *event_name(void)
{
    plan *p = plan_new("logscale");
    int name = plan_field(p, "#event_simpleName", -1);
    plan_filter(p, istrue(p, str_eq(p, name, "NetworkConnectIP4")));
    plan_project(p, plan_field(p, "ComputerName", -1), "ComputerName");
    return p;
}

/* Sigma's logsource: kind = 'conn' and the product test, with Initiated. */
static plan *sigma_source(void)
{
    plan *p = plan_new("sigma");
    int prod = plan_field(p, VIEW_SIGMA_PRODUCT, -1), init = plan_field(p, "Initiated", -1);
    expr *pr = plan_ref(p, prod);
    expr *either[] = {plan_node(p, EX_ISNULL, 0, 1, &pr), plan_cmp(p, CMP_EQ, plan_ref(p, prod),
                                                                   plan_lit_str(p, "windows"))};
    expr *lowered = plan_call(p, FN_LOWER, plan_call(p, FN_STR, plan_ref(p, init)));
    expr *in[] = {lowered, plan_lit_str(p, "true")};
    expr *all[] = {plan_cmp(p, CMP_EQ, plan_ref(p, plan_field(p, "kind", MC_C_KIND)),
                            plan_lit_str(p, "conn")),
                   plan_logic(p, EX_OR, 2, either), istrue(p, plan_node(p, EX_IN, 0, 2, in))};
    plan_filter(p, plan_logic(p, EX_AND, 3, all));
    plan_project(p, plan_field(p, "Computer", -1), "Computer");
    return p;
}

/* A kind test under NOT: leaving it out would narrow the query. */
static plan *not_kind(void)
{
    plan *p = plan_new("sigma");
    expr *k = plan_cmp(p, CMP_EQ, plan_ref(p, plan_field(p, "kind", MC_C_KIND)),
                       plan_lit_str(p, "proc"));
    plan_filter(p, plan_not(p, k));
    plan_project(p, plan_field(p, "Computer", -1), "Computer");
    return p;
}

/* cidr with an IPv6 network, and NOT istrue() of a LogScale regex (m option). */
static plan *negated_tests(void)
{
    plan *p = plan_new("sigma");
    int ip = plan_field(p, "DestinationIp", -1), img = plan_field(p, "Image", -1);
    const char *nets[] = {"10.0.0.0/8", "fe80::/10"};
    char err[200];
    plan_filter(p, plan_not(p, istrue(p, plan_cidr(p, plan_ref(p, ip), nets, 2, err, sizeof err))));
    plan_filter(p, plan_not(p, istrue(p, plan_regex(p, plan_ref(p, img), "(?i)a.b$",
                                                    PCRE2_MULTILINE, err, sizeof err))));
    return p;
}

/* A sort that reads a count as a number (LogScale's sort default). */
static plan *count_sort(void)
{
    plan *p = plan_new("logscale");
    int host = plan_field(p, "ComputerName", -1);
    expr *h = plan_ref(p, host);
    plan_filter(p, plan_not(p, plan_node(p, EX_ISNULL, 0, 1, &h)));
    plan_group_key(p, plan_ref(p, host), "ComputerName");
    int n = plan_aggregate(p, AGG_COUNT, NULL, "n");
    plan_sort_by(p, n, 1, SORT_NUMBER);
    return p;
}

/* ---- LogScale ------------------------------------------------------------- */

static expr *lit(plan *p, int64_t n) { return plan_lit_int(p, n); }
static expr *str(plan *p, const char *s) { return plan_lit_str(p, s); }

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

/* The hunt's canonical kind, counted by host; with `direction` also an
 * outbound test, a window and a host nothing keeps present, else a host
 * a filter keeps. */
static plan *hunt(int direction)
{
    plan *p = plan_new("builtin");
    int kind = plan_field(p, "kind", MC_C_KIND), host = plan_field(p, "host", MC_C_HOST);
    plan_filter(p, plan_cmp(p, CMP_EQ, plan_ref(p, kind), str(p, "conn")));
    if (direction) {
        plan_set_window(p, plan_field(p, "time", MC_C_TIME), 3600 * 1000);
        expr *dir = plan_ref(p, plan_field(p, "direction", MC_C_DIRECTION));
        plan_filter(p, plan_cmp(p, CMP_EQ, dir, str(p, "out")));
    } else {
        expr *h = plan_ref(p, host);
        plan_filter(p, plan_not(p, plan_node(p, EX_ISNULL, 0, 1, &h)));
    }
    plan_group_key(p, plan_ref(p, host), "host");
    plan_aggregate(p, AGG_COUNT, NULL, "n");
    return p;
}

static plan *builtin_conn(void) { return hunt(1); }

/* A kind test alone: a connection of unknown direction has no event name. */
static plan *kind_alone(void) { return hunt(0); }

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

static const emit_row rows[] = {
    {"ContextTimeStamp is starttime in seconds; numeric min is MIN(DOUBLE())", seconds, "aql", 0, 0,
     "MIN(DOUBLE((starttime / 1000.0))) AS FirstSeen", NULL},
    {"the event name's family is written, its kind and direction lost", event_name, "aql", 1, 0,
     "WHERE\n  (destinationip IS NULL OR NOT INCIDR('::/0', destinationip))\n"
     "  /* not carried: the kind and direction of #event_simpleName=NetworkConnectIP4",
     "the kind and direction of #event_simpleName=NetworkConnectIP4 (AQL's events name no "
     "kind, and its Event Direction is by networks, not by who opened a connection)"},
    {"without --allow-loss the event name is refused", event_name, "aql", 0, 0,
     "aql cannot express the kind and direction of #event_simpleName=NetworkConnectIP4", NULL},
    {"Sigma's product test on the path; kind and Initiated left out of the AND",
     sigma_source, "aql", 1, 0,
     "WHERE\n  ((\"process path\" IS NULL OR NOT \"process path\" MATCHES "
     "'/([^:\\\\][^\\\\]*)?'))\n"
     "  /* not carried: the test kind = 'conn'",
     "the test kind = 'conn' (AQL's events hold every kind of event and name none); the test "
     "that a connection is outbound (AQL's Event Direction is by networks, not by who opened it)"},
    {"a kind test under NOT is refused even with --allow-loss", not_kind, "aql", 1, 0,
     "aql cannot express the test kind = 'proc'", NULL},
    {"IPv6 networks in INCIDR; NOT istrue() requires the value", negated_tests, "aql", 0, 0,
     "NOT (NOT destinationip IS NULL AND (INCIDR('10.0.0.0/8', destinationip) OR "
     "INCIDR('fe80::/10', destinationip)))", NULL},
    {"the m option inside the searched pattern, . not crossing lines", negated_tests, "aql", 0, 0,
     "NOT (NOT \"process path\" IS NULL AND \"process path\" IMATCHES '(?s).*(?m-s:a.b$).*')",
     NULL},
    {"a count sorted as a number", count_sort, "aql", 0, 0, "ORDER BY n DESC", NULL},

    {"the time since now as test(), numbers as orderings, NOT as the opposite",
     aql_filters, "logscale", 0, 0,
     "test(@timestamp > now() - 86400000)\n"
     "| ((RemotePort >= 25 and RemotePort <= 25) or (RemotePort >= 465 and RemotePort <= 465))\n"
     "| RemotePort <= 1024\n| UserName=bob\n", NULL},
    {"--now as the literal time",
     aql_filters, "logscale", 0, 1, "test(@timestamp > 1767225600000 - 86400000)",
     NULL},
    {"min of a time is numeric; another plan's caps are LogScale's largest",
     aql_filters, "logscale", 0, 0,
     "      min(@timestamp, as=first)\n    ],\n    limit=max\n  )\n| n > 2\n"
     "| sort(n, order=desc, limit=20000)\n", NULL},
    {"the window as test()s, the kind and direction as the event name",
     builtin_conn, "logscale", 1, 0,
     "// the search's time range must cover the last 1h\n"
     "test(@timestamp > now() - 3600000)\n| test(@timestamp <= now())\n"
     "| in(field=#event_simpleName, values=[NetworkConnectIP4, NetworkConnectIP6])\n"
     "| groupBy(\n    [ComputerName],\n",
     "the events lacking host (groupBy leaves them out; the plan groups them)"},
    {"a key nothing keeps present is refused without --allow-loss", builtin_conn, "logscale", 0, 0,
     "logscale cannot express the events lacking host", NULL},
    {"a kind alone: every connection name, the unknown direction lost",
     kind_alone, "logscale", 1, 0,
     "in(field=#event_simpleName, values=[NetworkConnectIP4, NetworkConnectIP6, "
     "NetworkReceiveAcceptIP4, NetworkReceiveAcceptIP6])\n",
     "connections whose direction is unknown (LogScale's view names a connection by its "
     "direction, #event_simpleName)"},
    {"Sigma: product on the path, Initiated, negated cidr and regex with flags",
     sigma_tests, "logscale", 0, 0,
     "!regex(field=ImageFileName, regex=\"^(?:/([^:\\\\\\\\][^\\\\\\\\]*)?)$\", flags=\"\")\n"
     "| ConnectionDirection=0\n"
     "| !cidr(field=RemoteAddressIP4, subnet=[\"10.0.0.0/8\"])\n"
     "| !regex(field=ImageFileName, regex=\"^(?:.*\\\\\\\\a\\\\.exe)$\", flags=\"id\")\n"
     "| groupBy(\n    [ComputerName],\n", NULL},
    {"a computed key as an eval first; Event Direction and an unread sum lost",
     aql_keys, "logscale", 1, 0,
     "\nproto := case {\n    (RemotePort >= 25 and RemotePort <= 25) => \"SMTP\";\n"
     "    * => \"Other\"\n  }\n| groupBy(\n    [LocalAddressIP4, proto],\n    function=[\n"
     "      count(as=n)\n    ],\n",
     "the test on Event Direction (local or remote by QRadar's network hierarchy; LogScale's "
     "ConnectionDirection is by who opened the connection); the events lacking sourceip "
     "(groupBy leaves them out; the plan groups them); the column sent (LogScale cannot read "
     "its input)"},
};

static void test_cases(void **state)
{
    (void)state;
    emit_table_run(rows, sizeof rows / sizeof rows[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
