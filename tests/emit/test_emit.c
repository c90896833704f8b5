/* test_emit: the emitters, as a table of plan -> target -> text the query
 * must hold. Each plan is the smallest that shows one rule: NULL through
 * NOT and IN, case-insensitive regexes (ClickHouse 18.16 ignores an inline
 * (?i)), cidr as address-text patterns, istrue(), the count threshold as
 * the target's aggregation, and the ClickHouse rewrite of AND/OR. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emit/emit.h"

/* Plans over two text fields, f and g, with one filter each. */
static plan *base(const char *lang)
{
    plan *p = plan_new(lang);
    plan_field(p, "f", -1);
    plan_field(p, "g", -1);
    return p;
}

static expr *f(plan *p) { return plan_ref(p, 0); }
static expr *g(plan *p) { return plan_ref(p, 1); }

static plan *not_in(void)
{
    plan *p = base("aql");
    expr *k[] = {f(p), plan_lit_str(p, "a"), plan_lit_str(p, "b")};
    plan_filter(p, plan_not(p, plan_node(p, EX_IN, 0, 3, k)));
    return p;
}

static plan *caseless_regex(void)
{
    plan *p = base("logscale");
    char err[200];
    plan_filter(p, plan_regex(p, f(p), "(?i)ab\\.exe$", 0, err, sizeof err));
    return p;
}

static plan *cidr(void)
{
    plan *p = base("sigma");
    const char *nets[] = {"172.16.0.0/12", "fe80::/10"};
    char err[200];
    plan_filter(p, plan_cidr(p, f(p), nets, 2, err, sizeof err));
    return p;
}

static plan *is_true(void)
{
    plan *p = base("logscale");
    expr *eq = plan_cmp(p, CMP_EQ, f(p), plan_lit_str(p, "x"));
    plan_filter(p, plan_not(p, plan_node(p, EX_ISTRUE, 0, 1, &eq)));
    return p;
}

static plan *not_or(void)
{
    plan *p = base("aql");
    expr *k[] = {plan_cmp(p, CMP_EQ, f(p), plan_lit_str(p, "a")),
                 plan_cmp(p, CMP_EQ, g(p), plan_lit_str(p, "b"))};
    plan_filter(p, plan_not(p, plan_logic(p, EX_OR, 2, k)));
    return p;
}

static plan *threshold(void)
{
    plan *p = base("aql");
    plan_group_key(p, f(p), "f");
    int n = plan_aggregate(p, AGG_COUNT, NULL, "n");
    plan_post_filter(p, plan_cmp(p, CMP_GT, plan_ref(p, n), plan_lit_int(p, 2)));
    plan_sort_by(p, n, 1, SORT_VALUE);
    return p;
}

static const struct emit_case {
    const char *why;
    plan *(*build)(void);
    const char *target;
    const char *want;   /* the text must hold this */
} cases[] = {
    {"NOT IN is SQL's NOT IN", not_in, "sql:duckdb", "WHERE (NOT (\"f\" IN ('a', 'b')))"},
    {"ClickHouse's NULL IN is 0: kept NULL", not_in, "sql:clickhouse",
     "WHERE (NOT if(isNull(\"f\"), NULL, (\"f\" IN ('a', 'b'))))"},
    {"AQL keeps SQL's logic", not_in, "aql", "WHERE\n  NOT f IN ('a', 'b')"},
    {"(?i) as DuckDB's flag", caseless_regex, "sql:duckdb",
     "regexp_matches(\"f\", 'ab\\.exe$', 'i')"},
    {"(?i) as PostgreSQL's ~*", caseless_regex, "sql:postgres", "(\"f\" ~* 'ab\\.exe$')"},
    {"(?i) by lower() on ClickHouse, backslash doubled", caseless_regex, "sql:clickhouse",
     "match(lower(\"f\"), 'ab\\\\.exe$')"},
    {"(?i) inline for Spark", caseless_regex, "sql:spark",
     "(`f` RLIKE concat('(?i)', 'ab\\\\.exe$'))"},
    {"cidr as address text", cidr, "sql:postgres",
     "(\"f\" ~ '(?:^172\\.(16|17|18|19|20|21|22|23|24|25|26|27|28|29|30|31)\\.[0-9]{1,3}\\.[0-9]{1,3}$)|(?:^fe[89ab][0-9a-f]:)')"},
    {"istrue() is COALESCE", is_true, "sql:postgres", "WHERE (NOT COALESCE((\"f\" = 'x'), FALSE))"},
    {"istrue() is ifNull on ClickHouse", is_true, "sql:clickhouse",
     "WHERE (NOT ifNull((\"f\" = 'x'), 0))"},
    {"NOT over a nullable OR: Kleene on ClickHouse", not_or, "sql:clickhouse",
     "(NOT (nullIf(greatest(ifNull(toUInt8((\"f\" = 'a')) * 2, 1), "
     "ifNull(toUInt8((\"g\" = 'b')) * 2, 1)), 1) = 2))"},
    {"NOT over OR elsewhere as written", not_or, "sql:duckdb",
     "(NOT ((\"f\" = 'a') OR (\"g\" = 'b')))"},
    {"the threshold is HAVING", threshold, "sql:duckdb", "GROUP BY \"f\"\nHAVING (COUNT(*) > 2)"},
    {"the threshold on ClickHouse", threshold, "sql:clickhouse", "HAVING (count() > 2)"},
    {"the threshold in AQL", threshold, "aql", "GROUP BY f\nHAVING n > 2\nORDER BY n DESC"},
};

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        plan *p = cases[i].build();
        char *text = NULL, err[400] = "";
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        emit_opts o = {0};
        int rc = emit_plan(p, cases[i].target, &o, out, err, sizeof err);
        fclose(out);
        if (rc != EMIT_OK || !strstr(text, cases[i].want))
            fail_msg("%s (%s): rc %d %s\nwant: %s\ngot:\n%s", cases[i].why, cases[i].target, rc,
                     err, cases[i].want, text);
        free(text);
        plan_free(p);
    }
}

/* A refusal names the construct and the target and writes nothing. */
static void test_refusal(void **state)
{
    (void)state;
    plan *p = base("aql");
    plan_aggregate(p, AGG_FIRST, f(p), "x");
    char *text = NULL, err[400] = "";
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    emit_opts o = {0};
    assert_int_equal(emit_plan(p, "sql:postgres", &o, out, err, sizeof err), EMIT_REFUSED);
    fclose(out);
    assert_int_equal(len, 0);
    assert_non_null(strstr(err, "sql:postgres cannot express the aggregate first()"));
    free(text);
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_refusal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
