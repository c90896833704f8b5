/* test_emit_aql: plans of other languages written as AQL, as a table of
 * plan -> text the query must hold (or the refusal, or the parts
 * --allow-loss names). The expected text was written from IBM's AQL
 * reference (aql.md: MATCHES covers the whole value, INCIDR('net', ip)
 * with IPv4 or IPv6 networks — "CIDR IP addresses in AQL queries", block
 * comments inside the body, IS NULL, DOUBLE()) and from what each derived
 * field of the other views means (fields.md §3), not copied from the
 * emitter's output. */
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

static const struct aql_case {
    const char *why;
    plan *(*build)(void);
    int allow_loss;
    const char *want;   /* the text holds this; or, for a refusal, the message */
    const char *lost;   /* the parts named on allow_loss, "; "-joined; NULL: none */
} cases[] = {
    {"ContextTimeStamp is starttime in seconds; numeric min is MIN(DOUBLE())", seconds, 0,
     "MIN(DOUBLE((starttime / 1000.0))) AS FirstSeen", NULL},
    {"the event name's family is written, its kind and direction lost", event_name, 1,
     "WHERE\n  (destinationip IS NULL OR NOT INCIDR('::/0', destinationip))\n"
     "  /* not carried: the kind and direction of #event_simpleName=NetworkConnectIP4",
     "the kind and direction of #event_simpleName=NetworkConnectIP4 (AQL's events name no "
     "kind, and its Event Direction is by networks, not by who opened a connection)"},
    {"without --allow-loss the event name is refused", event_name, 0,
     "aql cannot express the kind and direction of #event_simpleName=NetworkConnectIP4", NULL},
    {"Sigma's product test on the path; kind and Initiated left out of the AND", sigma_source, 1,
     "WHERE\n  ((\"process path\" IS NULL OR NOT \"process path\" MATCHES '/([^:\\\\][^\\\\]*)?'))\n"
     "  /* not carried: the test kind = 'conn'",
     "the test kind = 'conn' (AQL's events hold every kind of event and name none); the test "
     "that a connection is outbound (AQL's Event Direction is by networks, not by who opened it)"},
    {"a kind test under NOT is refused even with --allow-loss", not_kind, 1,
     "aql cannot express the test kind = 'proc'", NULL},
    {"IPv6 networks in INCIDR; NOT istrue() requires the value", negated_tests, 0,
     "NOT (NOT destinationip IS NULL AND (INCIDR('10.0.0.0/8', destinationip) OR "
     "INCIDR('fe80::/10', destinationip)))", NULL},
    {"the m option inside the searched pattern, . not crossing lines", negated_tests, 0,
     "NOT (NOT \"process path\" IS NULL AND \"process path\" IMATCHES '(?s).*(?m-s:a.b$).*')",
     NULL},
    {"a count sorted as a number", count_sort, 0, "ORDER BY n DESC", NULL},
};

static void lost(const char *what, void *arg)
{
    char *all = arg;
    size_t n = strlen(all);
    snprintf(all + n, 1000 - n, "%s%s", n ? "; " : "", what);
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        plan *p = cases[i].build();
        char *text = NULL, err[400] = "", named[1000] = "";
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        emit_opts o = {.allow_loss = cases[i].allow_loss, .lost = lost, .lost_arg = named};
        int rc = emit_plan(p, "aql", &o, out, err, sizeof err);
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
