/* test_lint: `mailc2 lint` as tables. The first is rule text -> the
 * warnings it must give, as "LINE:COL id" in order ("" for none), each row
 * with the reason it is there; every check has a row that fires and one
 * that must not. Positions were counted by hand from the rule text (two
 * spaces of indent put a condition at column 3), not copied from the
 * lint's output. The second table is the regex anchoring the exclusion
 * check rests on. Rules go through the public API (include/mailc2.h),
 * as `mailc2 lint` calls it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lint/anchor.h"
#include "mailc2.h"

typedef struct lint_case {
    const char *why;
    const char *lang;
    const char *rule;          /* NULL: the built-in hunt */
    const char *format_of;     /* --format-of, or NULL */
    const char *want;          /* "LINE:COL id; ..." */
} lint_case;

static const lint_case cases[] = {
    /* aql-l2r-loopback */
    {"L2R alone hides L2L (loopback)", "aql",
     "SELECT sourceip FROM events\nWHERE\n  eventdirection = 'L2R'\nLAST 5 MINUTES\n", NULL,
     "3:3 aql-l2r-loopback"},
    {"L2L accepted too: nothing hidden", "aql",
     "SELECT sourceip FROM events\nWHERE\n  eventdirection IN ('L2R', 'L2L')\nLAST 5 MINUTES\n",
     NULL, ""},
    {"!= 'L2L' hides exactly L2L", "aql",
     "SELECT sourceip FROM events\nWHERE\n  eventdirection != 'L2L'\nLAST 5 MINUTES\n", NULL,
     "3:3 aql-l2r-loopback"},
    {"the seed's quoted display name, placed on its quote", "aql",
     "SELECT sourceip FROM events\nWHERE\n  \"Event Direction\" = 'L2R'\nLAST 5 MINUTES\n",
     NULL, "3:3 aql-l2r-loopback"},
    {"flows have flowdirection", "aql",
     "SELECT sourceip FROM flows\nWHERE\n  flowdirection = 'L2R'\nLAST 5 MINUTES\n", NULL,
     "3:3 aql-l2r-loopback"},
    /* aql-rule-window */
    {"LAST 24 HOURS with a count threshold", "aql",
     "SELECT sourceip, COUNT(*) AS n FROM events\nWHERE\n  destinationport = 25\n"
     "GROUP BY sourceip\nHAVING n > 2\nLAST 24 HOURS\n", NULL, "6:1 aql-rule-window"},
    {"the seed's starttime > NOW() - 86400000 with a threshold", "aql",
     "SELECT sourceip, COUNT(*) AS n FROM events\nWHERE\n  starttime > NOW() - 86400000\n"
     "GROUP BY sourceip\nHAVING n > 2\n", NULL, "3:3 aql-rule-window"},
    {"5 minutes is the rule's own window", "aql",
     "SELECT sourceip, COUNT(*) AS n FROM events\nWHERE\n  destinationport = 25\n"
     "GROUP BY sourceip\nHAVING n > 2\nLAST 5 MINUTES\n", NULL, ""},
    {"no threshold, nothing counted per window", "aql",
     "SELECT sourceip, COUNT(*) AS n FROM events\nWHERE\n  destinationport = 25\n"
     "GROUP BY sourceip\nLAST 24 HOURS\n", NULL, ""},
    /* exclusion-name-only */
    {"NOT IN on the file name alone, placed on the field's quote", "aql",
     "SELECT sourceip FROM events\nWHERE\n"
     "  LOWER(\"Process Name\") NOT IN ('outlook.exe', 'chrome.exe')\nLAST 5 MINUTES\n", NULL,
     "3:9 exclusion-name-only"},
    {"a positive name list excludes nothing", "aql",
     "SELECT sourceip FROM events\nWHERE\n  \"Process Name\" IN ('outlook.exe')\n"
     "LAST 5 MINUTES\n", NULL, ""},
    /* limit-rows (AQL) */
    {"an explicit LIMIT cuts rows", "aql",
     "SELECT sourceip FROM events\nWHERE\n  destinationport = 25\nLIMIT 10\nLAST 5 MINUTES\n",
     NULL, "4:1 limit-rows"},
    /* port-as-text (AQL) */
    {"quoted ports", "aql",
     "SELECT sourceip FROM events\nWHERE\n  destinationport IN ('25', '587')\n"
     "LAST 5 MINUTES\n", NULL, "3:3 port-as-text"},
    {"the port made text", "aql",
     "SELECT sourceip FROM events\nWHERE\n  STR(destinationport) = '25'\nLAST 5 MINUTES\n",
     NULL, "3:7 port-as-text"},
    {"numbers compare as numbers", "aql",
     "SELECT sourceip FROM events\nWHERE\n  destinationport IN (25, 587)\nLAST 5 MINUTES\n",
     NULL, ""},
    /* groupby-drops-missing (LogScale) */
    {"keys nothing requires may be missing", "logscale",
     "#event_simpleName=NetworkConnectIP4\n| groupBy([ComputerName, UserName], limit=max)\n",
     NULL, "2:3 groupby-drops-missing"},
    {"a key an earlier filter requires cannot be missing", "logscale",
     "ComputerName=ws1\n| groupBy([ComputerName], limit=max)\n", NULL, ""},
    {"a case with a default branch always sets its key", "logscale",
     "ComputerName=ws1\n| P := case { RemotePort=25 => \"SMTP\"; * => \"other\" }\n"
     "| groupBy([ComputerName, P], limit=max)\n", NULL, "2:15 port-as-text"},
    /* limit-groups, limit-rows (LogScale) */
    {"groupBy's default 20,000 groups", "logscale",
     "ComputerName=ws1\n| groupBy([ComputerName])\n", NULL, "2:3 limit-groups"},
    {"sort's default 200 rows", "logscale",
     "ComputerName=ws1\n| groupBy([ComputerName], limit=max)\n| sort(_count)\n", NULL,
     "3:3 limit-rows"},
    {"sort's explicit limit, placed on limit", "logscale",
     "ComputerName=ws1\n| groupBy([ComputerName], limit=max)\n| sort(_count, limit=500)\n",
     NULL, "3:16 limit-rows"},
    {"an event list shows the newest 200 events", "logscale", "ComputerName=ws1\n", NULL,
     "1:1 limit-rows"},
    /* exclusion-unanchored (LogScale) */
    {"the seed's regex, unanchored on the left, placed on its quote", "logscale",
     "ComputerName=ws1\n| !regex(field=ImageFileName, regex=\"(?i)(outlook|chrome)\\\\.exe$\")\n"
     "| groupBy([ComputerName], limit=max)\n", NULL, "2:37 exclusion-unanchored"},
    {"anchored with (^|\\\\)", "logscale",
     "ComputerName=ws1\n"
     "| !regex(field=ImageFileName, regex=\"(?i)(^|\\\\\\\\)(outlook|chrome)\\\\.exe$\")\n"
     "| groupBy([ComputerName], limit=max)\n", NULL, ""},
    {"a regex literal after !=", "logscale",
     "ComputerName=ws1\n| ImageFileName != /outlook\\.exe$/i\n"
     "| groupBy([ComputerName], limit=max)\n", NULL, "2:20 exclusion-unanchored"},
    {"a regex on the port", "logscale",
     "ComputerName=ws1\n| RemotePort = /^(25|587)$/\n| groupBy([ComputerName], limit=max)\n",
     NULL, "2:3 port-as-text"},
    /* Sigma */
    {"endswith a bare name: unanchored, placed on the value's quote", "sigma",
     "title: t\nlogsource:\n    category: network_connection\n    product: windows\n"
     "detection:\n    selection:\n        DestinationPort|gte: 25\n    filter:\n"
     "        Image|endswith:\n            - 'outlook.exe'\n            - '\\chrome.exe'\n"
     "    condition: selection and not filter\n", NULL, "10:15 exclusion-unanchored"},
    {"endswith with its backslash; gte compares numbers", "sigma",
     "title: t\nlogsource:\n    category: network_connection\n    product: windows\n"
     "detection:\n    selection:\n        DestinationPort|gte: 25\n    filter:\n"
     "        Image|endswith: '\\outlook.exe'\n    condition: selection and not filter\n", NULL,
     ""},
    {"Sigma compares a port list as text", "sigma",
     "title: t\nlogsource:\n    category: network_connection\n    product: windows\n"
     "detection:\n    selection:\n        DestinationPort:\n            - 25\n            - 587\n"
     "    condition: selection\n", NULL, "7:9 port-as-text"},
    {"a correlation's group-by drops events lacking a field", "sigma",
     "title: c\ncorrelation:\n    type: event_count\n    rules:\n        - r\n"
     "    group-by:\n        - Computer\n    timespan: 1h\n    condition:\n        gt: 2\n"
     "---\ntitle: r\nname: r\nlogsource:\n    category: network_connection\n"
     "    product: windows\ndetection:\n    selection:\n        Initiated: 'true'\n"
     "    condition: selection\n", NULL, "6:5 groupby-drops-missing"},
    /* format-lacks-field: the view decides */
    {"qid means nothing on Falcon input", "aql",
     "SELECT qid FROM events\nWHERE\n  destinationport = 25\nLAST 5 MINUTES\n", "falcon",
     "1:8 format-lacks-field"},
    {"qid is a QRadar export's own column", "aql",
     "SELECT qid FROM events\nWHERE\n  destinationport = 25\nLAST 5 MINUTES\n", "qradar-csv",
     ""},
    {"the seed's fields are all mapped on Sysmon (canonical or derived)", "logscale",
     "#event_simpleName=NetworkConnectIP4\n| groupBy([ComputerName], limit=max)\n", "winxml",
     "2:3 groupby-drops-missing"},
    /* the built-in hunt: no text, so no place */
    {"the hunt excludes mail clients by base name", NULL, NULL, NULL,
     "0:0 exclusion-name-only"},
};

typedef struct got {
    char text[1024];
} got;

static void collect(void *ud, const mc_lint_warning *w)
{
    got *g = ud;
    size_t n = strlen(g->text);
    snprintf(g->text + n, sizeof g->text - n, "%s%d:%d %s", n ? "; " : "", w->line, w->column,
             w->id);
}

static mc_query *compile(mc_engine *e, const lint_case *c)
{
    mc_error err;
    mc_query *q = c->rule ? mc_compile(e, c->lang, "rule", c->rule, strlen(c->rule), &err)
                          : mc_hunt(e, NULL, &err);
    if (!q)
        fail_msg("%s: does not compile: %s (%d:%d)", c->why, err.message, err.line, err.column);
    return q;
}

static void test_table(void **state)
{
    (void)state;
    mc_options o;
    mc_options_init(&o);
    mc_error err;
    mc_engine *e = mc_engine_open(&o, &err);
    assert_non_null(e);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const lint_case *c = &cases[i];
        mc_query *q = compile(e, c);
        got g = {""};
        mc_lint_options lo = {c->format_of};
        int n = mc_query_lint(q, &lo, collect, &g, &err);
        if (strcmp(g.text, c->want) != 0)
            fail_msg("%s:\n  want [%s]\n  got  [%s]", c->why, c->want, g.text);
        int want = *c->want ? 1 : 0;
        for (const char *sep = c->want; (sep = strchr(sep, ';')); sep++)
            want++;
        assert_int_equal(n, want);
        mc_query_free(q);
    }
    mc_engine_close(e);
}

static void test_unknown_format(void **state)
{
    (void)state;
    mc_options o;
    mc_options_init(&o);
    mc_error err;
    mc_engine *e = mc_engine_open(&o, &err);
    mc_query *q = mc_hunt(e, NULL, &err);
    mc_lint_options lo = {"no-such-format"};
    assert_int_equal(mc_query_lint(q, &lo, NULL, NULL, &err), MC_E_USAGE);
    assert_non_null(strstr(err.message, "no-such-format"));
    mc_query_free(q);
    mc_engine_close(e);
}

/* One warning written both ways. */
static void test_write(void **state)
{
    (void)state;
    mc_lint_warning w = {"port-as-text", "r.aql", 3, 7, "a \"quoted\" message", "the fix"};
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(mc_lint_write(&w, "text", out), 0);
    assert_int_equal(mc_lint_write(&w, "jsonl", out), 0);
    w.line = w.column = 0;
    assert_int_equal(mc_lint_write(&w, "jsonl", out), 0);
    assert_int_equal(mc_lint_write(&w, "csv", out), -1);
    fclose(out);
    assert_string_equal(buf,
        "r.aql:3:7: warning: a \"quoted\" message [port-as-text]\n"
        "  fix: the fix\n"
        "{\"file\":\"r.aql\",\"line\":3,\"column\":7,\"id\":\"port-as-text\","
        "\"message\":\"a \\\"quoted\\\" message\",\"fix\":\"the fix\"}\n"
        "{\"file\":\"r.aql\",\"line\":null,\"column\":null,\"id\":\"port-as-text\","
        "\"message\":\"a \\\"quoted\\\" message\",\"fix\":\"the fix\"}\n");
    free(buf);
}

typedef struct anchor_case {
    const char *re;            /* PCRE source */
    int anchored;
    const char *example;       /* anchor_example, "" for none */
} anchor_case;

static const anchor_case anchors[] = {
    {"(?i)(outlook|chrome)\\.exe$", 0, "outlook.exe"},          /* the LogScale seed */
    {"(?i)(^|\\\\)(outlook|chrome)\\.exe$", 1, ""},             /* its fix */
    {"^(?:.*\\\\outlook\\.exe|.*\\\\chrome\\.exe)$", 1, ""},   /* Sigma endswith '\x' */
    {"^(?:.*outlook\\.exe)$", 0, "outlook.exe"},                /* Sigma endswith 'x' */
    {"^(?:.*\\/thunderbird|.*\\/firefox)$", 1, ""},            /* Sigma endswith '/x' */
    {"[\\\\/]outlook\\.exe$", 1, ""},
    {"\\Aoutlook\\.exe\\z", 1, "outlook.exe"},
    {"^outlook\\.exe$", 1, "outlook.exe"},
    {".*\\\\outlook\\.exe", 1, ""},
    {"outlook\\.exe$|\\\\chrome\\.exe$", 0, "outlook.exe"},    /* one alternative is enough */
};

static void test_anchor(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof anchors / sizeof anchors[0]; i++) {
        const anchor_case *a = &anchors[i];
        char example[64];
        if (anchor_example(a->re, example, sizeof example))
            example[0] = '\0';
        if (anchor_name_start(a->re) != a->anchored)
            fail_msg("/%s/: anchored should be %d", a->re, a->anchored);
        if (*a->example && strcmp(example, a->example) != 0)
            fail_msg("/%s/: example [%s], want [%s]", a->re, example, a->example);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_unknown_format),
        cmocka_unit_test(test_write),
        cmocka_unit_test(test_anchor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
