/* Unit tests for queries a user can generate: nesting is bounded with a
 * positioned error (AQL function calls count like parentheses), and long
 * flat AND/OR chains are data — ten thousand AQL terms and a hundred
 * thousand LogScale ones compile into one logical node, without recursion
 * as deep as the chain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lang/aql/aql.h"
#include "lang/logscale/logscale.h"

static char *repeat(const char *head, const char *unit, int n, const char *join, const char *tail)
{
    size_t cap = strlen(head) + strlen(tail) + (size_t)n * (strlen(unit) + strlen(join) + 12) + 1;
    char *s = malloc(cap), *p = s;
    p += sprintf(p, "%s", head);
    for (int i = 0; i < n; i++)
        p += sprintf(p, i ? "%s%s%d" : "%.0s%s%d", join, unit, i);
    sprintf(p, "%s", tail);
    return s;
}

static plan *compile(plan *(*fn)(const lang_src *, const lang_opts *, lang_error *),
                     const char *text, lang_error *e)
{
    lang_src src = {"q", text, strlen(text)};
    lang_opts o = {.warn = NULL};
    memset(e, 0, sizeof *e);
    return fn(&src, &o, e);
}

static void test_deep_calls(void **state)
{
    (void)state;
    enum { N = 10000 };
    size_t cap = 64 + N * 7;
    char *q = malloc(cap), *p = q;
    p += sprintf(p, "SELECT ");
    for (int i = 0; i < N; i++)
        p += sprintf(p, "LOWER(");
    p += sprintf(p, "username");
    for (int i = 0; i < N; i++)
        *p++ = ')';
    sprintf(p, " FROM events");
    lang_error e;
    assert_null(compile(aql_compile, q, &e));
    assert_non_null(strstr(e.msg, "nested too deeply"));
    assert_int_equal(e.line, 1);
    assert_true(e.col > 1);
    free(q);
}

static void test_long_chains(void **state)
{
    (void)state;
    lang_error e;
    char *aql = repeat("SELECT username FROM events WHERE ", "destinationport=", 10000, " OR ", "");
    plan *p = compile(aql_compile, aql, &e);
    assert_non_null(p);
    plan_free(p);
    free(aql);
    char *cql = repeat("", "RemotePort=", 100000, " or ", "");
    p = compile(ls_compile, cql, &e);
    assert_non_null(p);
    plan_free(p);
    free(cql);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_deep_calls),
                                       cmocka_unit_test(test_long_chains)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
