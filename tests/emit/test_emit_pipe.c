/* test_emit_pipe: the SPL, KQL and ES|QL emitters, as a table of plan ->
 * target -> text the query must hold, and of plans each must refuse. No
 * engine for these three runs here, so this table and the e2e text checks
 * are what tests them; the expected text was written from each language's
 * reference (SPL: where, eval's isnull/isnotnull/in/match/case, stats,
 * sort 0 -field; KQL: where, isempty/isnotempty, in, matches regex with a
 * verbatim @"" string, summarize ... by, sort by ... nulls last; ES|QL:
 * WHERE, IS NULL, IN, RLIKE over the whole value, CIDR_MATCH, STATS ...
 * BY, SORT ... NULLS LAST, LIMIT), not copied from the emitters' output.
 * Each plan shows one rule: a negated test first requires its operand
 * (pipe.h), case-insensitive regexes, networks, the threshold. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emit/emit.h"

/* Plans over two text fields f and g and a time t (epoch ms). */
static plan *base(void)
{
    plan *p = plan_new("aql");
    plan_field(p, "f", -1);
    plan_field(p, "g", -1);
    plan_field(p, "t", -1);
    return p;
}

static expr *f(plan *p) { return plan_ref(p, 0); }
static expr *g(plan *p) { return plan_ref(p, 1); }
static expr *s(plan *p, const char *v) { return plan_lit_str(p, v); }

static plan *not_in(void)
{
    plan *p = base();
    expr *k[] = {f(p), s(p, "a"), s(p, "b")};
    plan_filter(p, plan_not(p, plan_node(p, EX_IN, 0, 3, k)));
    return p;
}

static plan *caseless_regex(void)
{
    plan *p = base();
    char err[200];
    plan_filter(p, plan_regex(p, f(p), "(?i)ab\\.exe$", 0, err, sizeof err));
    return p;
}

/* The m option: ^ and $ also at a line's start and end. */
static plan *lines_regex(void)
{
    plan *p = base();
    char err[200];
    plan_filter(p, plan_regex(p, f(p), "^ab$", PCRE2_MULTILINE, err, sizeof err));
    plan_filter(p, plan_regex(p, g(p), "ab", PCRE2_MULTILINE, err, sizeof err));
    return p;
}

static plan *cidr(void)
{
    plan *p = base();
    const char *nets[] = {"172.16.0.0/12", "fe80::/10"};
    char err[200];
    plan_filter(p, plan_cidr(p, f(p), nets, 2, err, sizeof err));
    return p;
}

static plan *not_istrue(void)
{
    plan *p = base();
    expr *eq = plan_cmp(p, CMP_EQ, f(p), s(p, "x"));
    plan_filter(p, plan_not(p, plan_node(p, EX_ISTRUE, 0, 1, &eq)));
    return p;
}

static plan *not_or(void)
{
    plan *p = base();
    expr *k[] = {plan_cmp(p, CMP_EQ, f(p), s(p, "a")), plan_cmp(p, CMP_EQ, g(p), s(p, "b"))};
    plan_filter(p, plan_not(p, plan_logic(p, EX_OR, 2, k)));
    return p;
}

/* Groups by f, which a filter keeps present (SPL's stats needs that). */
static plan *threshold(void)
{
    plan *p = base();
    expr *x = f(p);
    plan_filter(p, plan_not(p, plan_node(p, EX_ISNULL, 0, 1, &x)));
    plan_group_key(p, f(p), "f");
    int n = plan_aggregate(p, AGG_COUNT, NULL, "n");
    plan_post_filter(p, plan_cmp(p, CMP_GT, plan_ref(p, n), plan_lit_int(p, 2)));
    plan_sort_by(p, n, 1, SORT_VALUE);
    return p;
}

static plan *window(void)
{
    plan *p = base();
    plan_set_window(p, 2, 3600 * 1000);
    return p;
}

static plan *case_else(void)
{
    plan *p = base();
    expr *k[] = {plan_cmp(p, CMP_EQ, f(p), s(p, "a")), s(p, "A"), s(p, "other")};
    plan_eval(p, "label", plan_node(p, EX_CASE, 0, 3, k));
    return p;
}

static plan *text_no_else(void)
{
    plan *p = base();
    expr *k[] = {plan_cmp(p, CMP_EQ, f(p), s(p, "a")), s(p, "A")};
    plan_eval(p, "label", plan_node(p, EX_CASE, 0, 2, k));
    return p;
}

/* Groups by a case with an else (AQL's CASE ... END AS label, never NULL)
 * and sums lower(g)'s length: both computed before the aggregate. f is
 * kept present by `f IN (...)`, which is not TRUE on a missing f. */
static plan *computed_key(void)
{
    plan *p = base();
    expr *in[] = {f(p), s(p, "a"), s(p, "b")};
    plan_filter(p, plan_node(p, EX_IN, 0, 3, in));
    expr *k[] = {plan_cmp(p, CMP_EQ, f(p), s(p, "a")), s(p, "A"), s(p, "other")};
    plan_group_key(p, f(p), "f");
    plan_group_key(p, plan_node(p, EX_CASE, 0, 3, k), "label");
    plan_aggregate(p, AGG_SUM, plan_call(p, FN_STRLEN, plan_call(p, FN_LOWER, g(p))), "len");
    return p;
}

/* AQL's SUM(LONG(g)): int() computed before the aggregate. */
static plan *sum_int(void)
{
    plan *p = base();
    expr *x = f(p);
    plan_filter(p, plan_not(p, plan_node(p, EX_ISNULL, 0, 1, &x)));
    plan_group_key(p, f(p), "f");
    plan_aggregate(p, AGG_COUNT, NULL, "n");
    plan_aggregate(p, AGG_SUM, plan_call(p, FN_INT, g(p)), "bytes");
    return p;
}

/* Groups by f, which nothing keeps present, and by a case without an else. */
static plan *missing_keys(void)
{
    plan *p = base();
    expr *k[] = {plan_cmp(p, CMP_EQ, g(p), s(p, "a")), s(p, "A")};
    plan_group_key(p, f(p), "f");
    plan_group_key(p, plan_node(p, EX_CASE, 0, 2, k), "label");
    plan_aggregate(p, AGG_COUNT, NULL, "n");
    return p;
}

static const struct emit_case {
    const char *why;
    plan *(*build)(void);
    const char *target;
    const char *want;
} cases[] = {
    {"the index is the source", not_in, "spl", "search index=\"events\"\n"},
    {"NOT IN: f present and not in the list", not_in, "spl",
     "| where (isnotnull(f) AND NOT (in(f, \"a\", \"b\")))\n"},
    {"NOT IN in KQL: isnotempty and not()", not_in, "kql",
     "events\n| where (isnotempty(f) and not(f in (\"a\", \"b\")))\n"},
    {"NOT IN in ES|QL: IS NOT NULL", not_in, "esql",
     "FROM events\n| WHERE ((f IS NOT NULL) AND NOT (f IN (\"a\", \"b\")))\n"},
    {"(?i) in match(), backslash escaped in the string", caseless_regex, "spl",
     "| where match(f, \"(?i)ab\\\\.exe$\")\n"},
    {"(?i) in a verbatim KQL string", caseless_regex, "kql",
     "| where f matches regex @\"(?i)ab\\.exe$\"\n"},
    {"RLIKE over the whole lowered value: .* before an unanchored start", caseless_regex, "esql",
     "| WHERE TO_LOWER(f) RLIKE \".*ab\\\\.exe\"\n"},
    /* Lucene regexp syntax (elastic.co, Regexp query syntax): the whole value, . any
     * character; ES|QL strings escape a newline as \n (ES|QL syntax: literals). */
    {"m: a line's start and end as optional lines; nothing without anchors", lines_regex, "esql",
     "| WHERE f RLIKE \"(.*\\n)?ab(\\n.*)?\"\n| WHERE g RLIKE \".*ab.*\"\n"},
    {"networks as CIDR_MATCH", cidr, "esql",
     "| WHERE CIDR_MATCH(TO_IP(f), \"172.16.0.0/12\", \"fe80::/10\")\n"},
    {"networks as address-text regex in KQL", cidr, "kql",
     "| where f matches regex @\"(?:^172\\.(16|17|18|"},
    {"NOT istrue(): the engine's NOT over a test that cannot be NULL", not_istrue, "spl",
     "| where NOT ((isnotnull(f) AND f==\"x\"))\n"},
    {"NOT istrue() in KQL", not_istrue, "kql", "| where not((isnotempty(f) and f == \"x\"))\n"},
    {"NOT (a OR b) is both false", not_or, "esql",
     "| WHERE (((f IS NOT NULL) AND NOT (f == \"a\")) AND ((g IS NOT NULL) AND NOT (g == \"b\")))\n"},
    {"the threshold: stats, where, sort", threshold, "spl",
     "| stats count AS n by f\n| where n>2\n| sort 0 -n\n"},
    {"the threshold: summarize", threshold, "kql",
     "| summarize n = count() by f\n| where n > 2\n| sort by n desc nulls last\n"},
    {"the threshold: STATS; LIMIT 10000 for no limit", threshold, "esql",
     "| STATS n = COUNT(*) BY f\n| WHERE n > 2\n| SORT n DESC NULLS LAST\n| LIMIT 10000\n"},
    {"the window in epoch ms from the engine's now", window, "esql",
     "| WHERE t > TO_LONG(NOW()) - 3600000 AND t <= TO_LONG(NOW())\n"},
    {"the window from SPL's now() in seconds", window, "spl",
     "| where t > (now() * 1000) - 3600000 AND t <= (now() * 1000)\n"},
    {"case with an else: true()", case_else, "spl",
     "| eval label=case(f==\"a\", \"A\", true(), \"other\")\n"},
    {"a text case without else: KQL's missing text", text_no_else, "kql",
     "| extend label = case(f == \"a\", \"A\", \"\")\n"},
    /* SPL: eval before stats, stats ... by (docs.splunk.com, Search Reference: eval, stats). */
    {"a computed key and aggregate input: eval first", computed_key, "spl",
     "| eval label=case(f==\"a\", \"A\", true(), \"other\")\n"
     "| eval len=len(lower(g))\n"
     "| stats sum(len) AS len by f label\n"},
    /* KQL: extend, then summarize ... by (learn.microsoft.com, Kusto: extend, summarize). */
    {"a computed key in KQL: extend first", computed_key, "kql",
     "| extend label = case(f == \"a\", \"A\", \"other\")\n"
     "| extend len = strlen(tolower(g))\n"
     "| summarize len = sum(len) by f, label\n"},
    /* ES|QL: EVAL, then STATS ... BY (elastic.co, ES|QL commands: EVAL, STATS). */
    {"a computed key in ES|QL: EVAL first", computed_key, "esql",
     "| EVAL label = CASE(f == \"a\", \"A\", \"other\")\n"
     "| EVAL len = LENGTH(TO_LOWER(g))\n"
     "| STATS len = SUM(len) BY f, label\n"},
    {"case with an else in KQL", case_else, "kql",
     "| extend label = case(f == \"a\", \"A\", \"other\")\n"},
    /* int() reads what mailc2's value_parse_number reads: an integer whole
     * (its '+' dropped), a decimal or exponent form under 64 characters
     * truncated toward zero, else null. KQL (learn.microsoft.com, Kusto):
     * iff(), matches regex over a verbatim @"" string, trim_start(regex,
     * text), tolong(), todouble(), ceiling(), strlen(), long(null). */
    {"int() in KQL: the text tested, then tolong() or the truncated double", sum_int, "kql",
     "| extend bytes = iff(tostring(g) matches regex @\"^[+-]?[0-9]+$\", "
     "tolong(trim_start(@\"[+]\", tostring(g))), iff(strlen(tostring(g)) < 64 and tostring(g) "
     "matches regex @\"^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$\", "
     "tolong(iff(todouble(g) < 0, ceiling(todouble(g)), -ceiling(-todouble(g)))), long(null)))\n"
     "| summarize n = count(), bytes = sum(bytes) by f\n"},
    /* ES|QL (elastic.co): CASE(), RLIKE over the whole value in Lucene
     * syntax, REPLACE(string, regex, new), TO_LONG, TO_DOUBLE, CEIL, FLOOR,
     * LENGTH; a backslash in a string literal is written \\. */
    {"int() in ES|QL: RLIKE over the whole text, CEIL/FLOOR", sum_int, "esql",
     "| EVAL bytes = CASE(TO_STRING(g) RLIKE \"[+\\\\-]?[0-9]+\", "
     "TO_LONG(REPLACE(TO_STRING(g), \"^[+]\", \"\")), LENGTH(TO_STRING(g)) < 64 AND "
     "TO_STRING(g) RLIKE \"[+\\\\-]?([0-9]+\\\\.?[0-9]*|\\\\.[0-9]+)([eE][+\\\\-]?[0-9]+)?\", "
     "TO_LONG(CASE(TO_DOUBLE(g) < 0, CEIL(TO_DOUBLE(g)), FLOOR(TO_DOUBLE(g)))), NULL)\n"},
    /* SPL (docs.splunk.com, Search Reference): if(), match() (PCRE),
     * tonumber(), tostring(), ltrim(), len(), ceiling(), floor(), null(). */
    {"int() in SPL: match() first, then tonumber()", sum_int, "spl",
     "| eval bytes=if(match(tostring(g), \"^[+-]?[0-9]+$\"), tonumber(ltrim(tostring(g), \"+\")), "
     "if(len(tostring(g)) < 64 AND match(tostring(g), "
     "\"^[+-]?([0-9]+\\\\.?[0-9]*|\\\\.[0-9]+)([eE][+-]?[0-9]+)?$\"), "
     "if(tonumber(tostring(g)) < 0, ceiling(tonumber(tostring(g))), floor(tonumber(tostring(g)))), "
     "null()))\n"},
    /* SPL's stats leaves out an event lacking a by field: fillnull value=
     * <string> <field-list> first, eval if(...,null(),...) after
     * (docs.splunk.com, Search Reference: fillnull, stats, eval). A case
     * without an else may be NULL too; a key a filter requires is not filled. */
    {"keys that may be missing: filled before stats, null again after", missing_keys, "spl",
     "| eval label=case(g==\"a\", \"A\")\n"
     "| fillnull value=\"mailc2:null\" f label\n"
     "| stats count AS n by f label\n"
     "| eval f=if(f==\"mailc2:null\", null(), f), "
     "label=if(label==\"mailc2:null\", null(), label)\n"},
    {"a key a filter requires is not filled", threshold, "spl",
     "| where isnotnull(f)\n| stats count AS n by f\n"},
};

static int emit(plan *p, const char *target, char **text, char *err, size_t errlen)
{
    size_t len = 0;
    FILE *out = open_memstream(text, &len);
    emit_opts o = {0};
    int rc = emit_plan(p, target, &o, out, err, errlen);
    fclose(out);
    return rc;
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        plan *p = cases[i].build();
        char *text = NULL, err[400] = "";
        int rc = emit(p, cases[i].target, &text, err, sizeof err);
        if (rc != EMIT_OK || !strstr(text, cases[i].want))
            fail_msg("%s (%s): rc %d %s\nwant:\n%s\ngot:\n%s", cases[i].why, cases[i].target, rc,
                     err, cases[i].want, text);
        free(text);
        plan_free(p);
    }
}

/* ---- refusals ----------------------------------------------------------- */

/* A sort on a key that may be missing: SPL orders missing values its own way. */
static plan *missing_key_sort(void)
{
    plan *p = base();
    int k = plan_group_key(p, f(p), "f");
    plan_aggregate(p, AGG_COUNT, NULL, "n");
    plan_sort_by(p, k, 0, SORT_VALUE);
    return p;
}

static plan *distinct(void)
{
    plan *p = base();
    plan_group_key(p, f(p), "f");
    plan_aggregate(p, AGG_COUNT_DISTINCT, g(p), "hosts");
    return p;
}

static plan *first(void)
{
    plan *p = base();
    plan_aggregate(p, AGG_FIRST, f(p), "x");
    return p;
}

static plan *word_class(void)
{
    plan *p = base();
    char err[200];
    plan_filter(p, plan_regex(p, f(p), "a\\wb", 0, err, sizeof err));
    return p;
}

static plan *anchored_alt(void)
{
    plan *p = base();
    char err[200];
    plan_filter(p, plan_regex(p, f(p), "^a|b", 0, err, sizeof err));
    return p;
}

static plan *no_else(void)
{
    plan *p = base();
    expr *k[] = {plan_cmp(p, CMP_EQ, f(p), s(p, "a")), plan_lit_int(p, 1)};
    plan_eval(p, "one", plan_node(p, EX_CASE, 0, 2, k));
    return p;
}

static plan *sort_text(void)
{
    plan *p = base();
    plan_sort_by(p, 0, 0, SORT_VALUE);
    return p;
}

/* A computed key named as a field the plan reads: the eval would overwrite g. */
static plan *key_named_as_field(void)
{
    plan *p = base();
    plan_group_key(p, plan_call(p, FN_LOWER, f(p)), "g");
    plan_aggregate(p, AGG_COUNT, NULL, "n");
    plan_aggregate(p, AGG_MAX, g(p), "gmax");
    return p;
}

static const struct refusal {
    plan *(*build)(void);
    const char *target, *names;
} refusals[] = {
    {sort_text, "spl", "spl cannot express a sort on 'f'"},
    {missing_key_sort, "spl", "spl cannot express a sort on 'f', which may be missing"},
    {key_named_as_field, "kql", "kql cannot express the computed group key or aggregate input 'g'"},
    {distinct, "kql", "kql cannot express the count of distinct values 'hosts'"},
    {distinct, "esql", "esql cannot express the count of distinct values 'hosts'"},
    {first, "spl", "spl cannot express the aggregate 'x'"},
    {first, "kql", "kql cannot express the aggregate 'x'"},
    {first, "esql", "esql cannot express the aggregate 'x'"},
    {word_class, "esql", "esql cannot express the regex escape '\\w'"},
    {anchored_alt, "esql", "esql cannot express a top-level | between anchored branches"},
    {no_else, "kql", "kql cannot express a case without an else whose values are not text"},
};

static void test_refusals(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refusals / sizeof refusals[0]; i++) {
        plan *p = refusals[i].build();
        char *text = NULL, err[400] = "";
        int rc = emit(p, refusals[i].target, &text, err, sizeof err);
        if (rc != EMIT_REFUSED || strlen(text) || !strstr(err, refusals[i].names))
            fail_msg("want '%s': rc %d, err '%s', text:\n%s", refusals[i].names, rc, err, text);
        free(text);
        plan_free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
