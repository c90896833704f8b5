/* test_emit_sigma: the Sigma emitter as a table of plan -> the YAML it
 * must hold, and of plans it must refuse with the construct named. The
 * expected text was written from the Sigma specification (rules v2.1,
 * modifiers appendix: |cased, |exists, |re|i, |cidr, |gte, |endswith;
 * correlation rules: event_count, group-by, timespan, condition gt) and
 * sigma.md, not copied from the emitter's output. Plans use the built-in
 * hunt's canonical fields, which the Sigma view names (Computer, Image,
 * User, DestinationIp, DestinationPort; direction as Initiated). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emit_table.h"

enum { F_KIND, F_HOST, F_USER, F_PATH, F_NAME, F_IP, F_PORT, F_DIR, F_TIME, F_DUR };

/* A connection plan: every field canonical, the kind filter first. */
static plan *conn(void)
{
    static const int canon[] = {MC_C_KIND, MC_C_HOST, MC_C_USER, MC_C_PROC_PATH, MC_C_PROC_NAME,
                                MC_C_DST_IP, MC_C_DST_PORT, MC_C_DIRECTION, MC_C_TIME,
                                MC_C_DURATION};
    plan *p = plan_new("builtin");
    for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++)
        plan_field(p, mc_canon_name(canon[i]), canon[i]);
    plan_filter(p, plan_cmp(p, CMP_EQ, plan_ref(p, F_KIND), plan_lit_str(p, "conn")));
    return p;
}

static expr *ref(plan *p, int f) { return plan_ref(p, f); }
static expr *str(plan *p, const char *s) { return plan_lit_str(p, s); }

static plan *not_in(void)
{
    plan *p = conn();
    expr *k[] = {ref(p, F_USER), str(p, "a"), str(p, "b")};
    plan_filter(p, plan_not(p, plan_node(p, EX_IN, 0, 3, k)));
    return p;
}

static plan *missing_or_not(void)
{
    plan *p = conn();
    expr *f = ref(p, F_NAME);
    expr *k[] = {plan_call(p, FN_LOWER, ref(p, F_NAME)), str(p, "a.exe"), str(p, "em client.exe")};
    expr *either[] = {plan_node(p, EX_ISNULL, 0, 1, &f),
                      plan_not(p, plan_node(p, EX_IN, 0, 3, k))};
    plan_filter(p, plan_logic(p, EX_OR, 2, either));
    return p;
}

static plan *direction_port(void)
{
    plan *p = conn();
    plan_filter(p, plan_cmp(p, CMP_EQ, ref(p, F_DIR), str(p, "out")));
    plan_filter(p, plan_cmp(p, CMP_GE, plan_call(p, FN_FLOAT, ref(p, F_PORT)),
                            plan_lit_int(p, 1024)));
    return p;
}

static plan *escapes(void)
{
    plan *p = conn();
    plan_filter(p, plan_cmp(p, CMP_EQ, ref(p, F_USER), str(p, "a*b?c\\")));
    return p;
}

static plan *regex(void)
{
    plan *p = conn();
    char err[200];
    plan_filter(p, plan_regex(p, ref(p, F_PATH), "temp[0-9]+", PCRE2_CASELESS, err, sizeof err));
    return p;
}

/* The pattern the Sigma front end makes of Image|endswith values. */
static plan *wildcards(void)
{
    plan *p = conn();
    char err[200];
    expr *re = plan_regex(p, plan_call(p, FN_STR, ref(p, F_PATH)),
                          "^(?:.*\\\\a\\.exe|.*\\/b\\*)$", PCRE2_CASELESS | PCRE2_DOTALL, err,
                          sizeof err);
    plan_filter(p, plan_node(p, EX_ISTRUE, 0, 1, &re));
    return p;
}

static plan *cidr_missing(void)
{
    plan *p = conn();
    const char *nets[] = {"10.0.0.0/8", "fe80::/10"};
    char err[200];
    expr *f = ref(p, F_HOST);
    expr *c = plan_cidr(p, ref(p, F_IP), nets, 2, err, sizeof err);
    expr *both[] = {plan_node(p, EX_ISTRUE, 0, 1, &c), plan_node(p, EX_ISNULL, 0, 1, &f)};
    plan_filter(p, plan_logic(p, EX_AND, 2, both));
    return p;
}

static plan *threshold(void)
{
    plan *p = conn();
    plan_filter(p, plan_cmp(p, CMP_EQ, ref(p, F_DIR), str(p, "out")));
    plan_set_window(p, F_TIME, 3600 * 1000);
    plan_group_key(p, ref(p, F_HOST), "host");
    plan_group_key(p, ref(p, F_PORT), "port");
    int n = plan_aggregate(p, AGG_COUNT, NULL, "n");
    plan_aggregate(p, AGG_MIN, ref(p, F_TIME), "first");
    plan_post_filter(p, plan_cmp(p, CMP_GT, plan_ref(p, n), plan_lit_int(p, 5)));
    return p;
}

static const struct emit_case {
    const char *why;
    plan *(*build)(void);
    const char *want;
} cases[] = {
    {"the kind filter is the logsource", not_in,
     "logsource:\n    category: network_connection\ndetection:\n"},
    {"NOT IN: the field is there and is none of the values, case-sensitive", not_in,
     "    selection:\n        User|exists: true\n    filter:\n        User|cased:\n"
     "            - 'a'\n            - 'b'\n    condition: selection and not filter\n"},
    {"missing or not a client: Sigma's own `not`; proc_name through Image", missing_or_not,
     "    filter:\n        Image|re|i: '(^|[\\\\/])(a\\.exe|em client\\.exe)$'\n"
     "    condition: not filter\n"},
    {"direction as Initiated; a numeric comparison as |gte; one selection", direction_port,
     "    selection:\n        Initiated: 'true'\n        DestinationPort|gte: 1024\n"
     "    condition: selection\n"},
    {"wildcards escaped, a backslash before the end doubled", escapes,
     "        User|cased: 'a\\*b\\?c\\\\'\n"},
    {"a regex as |re with |i", regex, "        Image|re|i: 'temp[0-9]+'\n"},
    {"the front end's wildcard pattern back as |endswith", wildcards,
     "    selection:\n        Image|endswith:\n            - '\\a.exe'\n            - '/b\\*'\n"},
    {"cidr and a missing field in one selection", cidr_missing,
     "    selection:\n        DestinationIp|cidr:\n            - '10.0.0.0/8'\n"
     "            - 'fe80::/10'\n        Computer|exists: false\n"},
    {"the threshold as an event_count correlation", threshold,
     "correlation:\n    type: event_count\n    rules:\n        - mailc2_rule_1\n"
     "    group-by:\n        - Computer\n        - DestinationPort\n    timespan: 1h\n"
     "    condition:\n        gt: 5\n---\n"},
    {"what describes a finding is listed as not written", threshold, "not decide it): first\n"},
};

static int emit(plan *p, char **text, char *err, size_t errlen)
{
    size_t len = 0;
    FILE *out = open_memstream(text, &len);
    emit_opts o = {0};
    int rc = emit_plan(p, "sigma", &o, out, err, errlen);
    fclose(out);
    return rc;
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        plan *p = cases[i].build();
        char *text = NULL, err[400] = "";
        int rc = emit(p, &text, err, sizeof err);
        if (rc != EMIT_OK || !strstr(text, cases[i].want))
            fail_msg("%s: rc %d %s\nwant:\n%s\ngot:\n%s", cases[i].why, rc, err, cases[i].want,
                     text);
        free(text);
        plan_free(p);
    }
}

/* ---- refusals ----------------------------------------------------------- */

static plan *limited(void)
{
    plan *p = threshold();
    plan_set_limit(p, 10);
    return p;
}

static plan *no_kind(void)
{
    plan *p = plan_new("builtin");
    plan_field(p, "user", MC_C_USER);
    plan_filter(p, plan_cmp(p, CMP_EQ, plan_ref(p, 0), str(p, "x")));
    return p;
}

static plan *computed_key(void)
{
    plan *p = conn();
    plan_set_window(p, F_TIME, 3600 * 1000);
    int low = plan_eval(p, "low", plan_call(p, FN_LOWER, ref(p, F_USER)));
    plan_group_key(p, plan_ref(p, low), "low");
    plan_aggregate(p, AGG_COUNT, NULL, "n");
    return p;
}

static plan *unnamed_field(void)
{
    plan *p = conn();
    plan_filter(p, plan_cmp(p, CMP_EQ, ref(p, F_DUR), plan_lit_int(p, 5)));
    return p;
}

static plan *windowed_list(void)
{
    plan *p = conn();
    plan_set_window(p, F_TIME, 3600 * 1000);
    return p;
}

static plan *kind_only(void)
{
    return conn();
}

static plan *sum_threshold(void)
{
    plan *p = conn();
    plan_set_window(p, F_TIME, 3600 * 1000);
    plan_group_key(p, ref(p, F_HOST), "host");
    plan_aggregate(p, AGG_COUNT, NULL, "n");
    int s = plan_aggregate(p, AGG_SUM, ref(p, F_PORT), "s");
    plan_post_filter(p, plan_cmp(p, CMP_GT, plan_ref(p, s), plan_lit_int(p, 5)));
    return p;
}

static plan *not_cidr(void)
{
    plan *p = conn();
    const char *nets[] = {"10.0.0.0/8"};
    char err[200];
    plan_filter(p, plan_not(p, plan_cidr(p, ref(p, F_IP), nets, 1, err, sizeof err)));
    return p;
}

static plan *backref(void)
{
    plan *p = conn();
    char err[200];
    plan_filter(p, plan_regex(p, ref(p, F_PATH), "(a)\\1", 0, err, sizeof err));
    return p;
}

static const struct refusal {
    plan *(*build)(void);
    const char *names;
} refusals[] = {
    {limited, "sigma cannot express a limit on the rows"},
    {no_kind, "sigma cannot express the event kind (the query reads events of every kind"},
    {computed_key, "sigma cannot express the group key 'low'"},
    {unnamed_field, "sigma cannot express the field 'duration'"},
    {windowed_list, "sigma cannot express a time window on an event list"},
    {kind_only, "sigma cannot express a rule with no test beyond its logsource"},
    {sum_threshold, "sigma cannot express this filter after the count"},
    {not_cidr, "sigma cannot express the negation of this test"},
    {backref, "sigma cannot express the regex"},
};

static void test_refusals(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        plan *p = refusals[i].build();
        char *text = NULL, err[400] = "";
        int rc = emit(p, &text, err, sizeof err);
        if (rc != EMIT_REFUSED || strlen(text) || !strstr(err, refusals[i].names))
            fail_msg("want '%s': rc %d, err '%s', text:\n%s", refusals[i].names, rc, err, text);
        free(text);
        plan_free(p);
    }
}

/* An AQL plan: the file name as a key, the time since now, Event Direction. */
static plan *aql_hunt(void)
{
    plan *p = plan_new("aql");
    int t = plan_field(p, "starttime", -1), dir = plan_field(p, "Event Direction", -1);
    int name = plan_field(p, "Process Name", -1), port = plan_field(p, "destinationport", -1);
    expr *since[] = {plan_node(p, EX_NOW, 0, 0, NULL), plan_lit_int(p, 3600000)};
    plan_filter(p, plan_cmp(p, CMP_GT, plan_ref(p, t), plan_node(p, EX_ARITH, AR_SUB, 2, since)));
    plan_filter(p, plan_cmp(p, CMP_EQ, plan_ref(p, dir), str(p, "L2R")));
    expr *in[] = {plan_ref(p, port), plan_lit_int(p, 25)};
    plan_filter(p, plan_node(p, EX_IN, 0, 2, in));
    plan_group_key(p, plan_ref(p, name), "Process Name");
    int n = plan_aggregate(p, AGG_COUNT, NULL, "n");
    plan_post_filter(p, plan_cmp(p, CMP_GT, plan_ref(p, n), plan_lit_int(p, 2)));
    return p;
}

/* A LogScale plan: #event_simpleName=NetworkConnectIP4, no window, a limit. */
static plan *logscale_hunt(void)
{
    plan *p = plan_new("logscale");
    int name = plan_field(p, "#event_simpleName", -1), host = plan_field(p, "ComputerName", -1);
    expr *eq = plan_cmp(p, CMP_EQ, plan_call(p, FN_STR, plan_ref(p, name)),
                        str(p, "NetworkConnectIP4"));
    plan_filter(p, plan_node(p, EX_ISTRUE, 0, 1, &eq));
    expr *h = plan_ref(p, host);
    plan_filter(p, plan_not(p, plan_node(p, EX_ISNULL, 0, 1, &h)));
    plan_group_key(p, plan_ref(p, host), "ComputerName");
    int n = plan_aggregate(p, AGG_COUNT, NULL, "n");
    expr *gt = plan_cmp(p, CMP_GT, plan_call(p, FN_FLOAT, plan_ref(p, n)), plan_lit_int(p, 2));
    plan_post_filter(p, plan_node(p, EX_ISTRUE, 0, 1, &gt));
    plan_set_limit(p, 100);
    return p;
}

/* With allow_loss each part Sigma has no place for is a YAML comment
 * (YAML 1.2: `#` to the line's end) at the top and the caller is told
 * once; what Sigma cannot stand without is still refused. LogScale's
 * event name is the logsource category network_connection with Sysmon's
 * Initiated and, for IPv4, not an IPv6 destination (`::/0`); AQL's
 * `starttime > NOW() - 3600000` is the timespan 1h; pySigma's CrowdStrike
 * pipeline reads NetworkConnectIP4 the same way (sigma.md §6). */
static const emit_row losses[] = {
    {"the limit",
     limited, "sigma", 1, 0, "# not carried: a limit on the rows (10; Sigma reports every group)\n"
     "title: mailc2 correlation\n", "a limit on the rows (10; Sigma reports every group)"},
    {"no kind: network_connection",
     no_kind, "sigma", 1, 0, "logsource:\n    category: network_connection\n",
     "the event kind (the query reads events of every kind; the rule's logsource is "
     "network_connection)"},
    {"AQL: the file name grouped as Image, the time since now as the timespan",
     aql_hunt, "sigma", 1, 0,
     "    group-by:\n        - Image\n    timespan: 1h\n    condition:\n        gt: 2\n",
     "the test on Event Direction (local or remote by QRadar's network hierarchy; the taxonomy "
     "has no such field); the group key 'Process Name' as the file name (the taxonomy names the "
     "image's path, Image: grouped by it, a name run from several paths is split into groups); "
     "events dated after now (the filter on the time since now has no end; a timespan ends "
     "now); the event kind (the query reads events of every kind; the rule's logsource is "
     "network_connection)"},
    {"LogScale's event name as category, Initiated and the family", logscale_hunt, "sigma", 1, 0,
     "    category: network_connection\ndetection:\n    selection:\n        Initiated: 'true'\n"
     "    filter:\n        DestinationIp|cidr: '::/0'\n    condition: selection and not filter\n",
     "a limit on the rows (100; Sigma reports every group); the search's time range (the query "
     "takes it from the search, not its text; the timespan 1d is a placeholder for it)"},
};

static void test_allow_loss(void **state)
{
    (void)state;
    emit_table_run(losses, sizeof losses / sizeof losses[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_allow_loss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
