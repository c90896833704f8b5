/* Expression evaluation: typing, three-valued logic, IN, CASE, functions,
 * regex. Each case is a row: an expression built over a one-event row, and
 * the value it must give, with the reason. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "plan/plan.h"

/* Row used by every case: slot 0 "25" as text (Falcon), 1 NULL, 2 INT 587,
 * 3 a Windows path, 4 a TS. */
static mc_value row[5];
static plan *p;
static arena scratch;
static expr_ctx ctx;

static int setup(void **state)
{
    (void)state;
    p = plan_new("test");
    for (int i = 0; i < 5; i++) {
        char name[8];
        snprintf(name, sizeof name, "f%d", i);
        plan_field(p, name, -1);
    }
    row[0] = mc_str(MC_STR, "25", 2);
    row[1] = mc_null();
    row[2] = mc_int(MC_INT, 587);
    row[3] = mc_str(MC_STR, "\\Device\\HarddiskVolume3\\Prog\\eM Client.exe", 42);
    row[4] = mc_int(MC_TS, 1763900000000);
    arena_init(&scratch);
    expr_ctx_init(&ctx, &scratch, 1763900000500, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    expr_ctx_free(&ctx);
    arena_free(&scratch);
    plan_free(p);
    return 0;
}

/* Expected results: 1 TRUE, 0 FALSE, -1 NULL. */
static void check(expr *e, int want, const char *why)
{
    mc_value v = expr_eval(e, row, &ctx);
    int got = v.type == MC_NULL ? -1 : (int)v.u.i;
    if (v.type != MC_NULL)
        assert_int_equal(v.type, MC_BOOL);
    if (got != want)
        fail_msg("%s: got %d, want %d", why, got, want);
}

static expr *ref(int slot) { return plan_ref(p, slot); }
static expr *num(int64_t i) { return plan_lit_int(p, i); }
static expr *str(const char *s) { return plan_lit_str(p, s); }

static void test_comparisons(void **state)
{
    (void)state;
    check(plan_cmp(p, CMP_EQ, ref(0), num(25)), 1, "text 25 equals number 25");
    check(plan_cmp(p, CMP_EQ, ref(0), str("25")), 1, "text equals text");
    check(plan_cmp(p, CMP_EQ, ref(0), str("025")), 0, "text compare is exact");
    check(plan_cmp(p, CMP_LT, ref(0), num(100)), 1, "numeric, not lexical: 25 < 100");
    check(plan_cmp(p, CMP_EQ, ref(1), num(25)), -1, "NULL compares to NULL");
    check(plan_cmp(p, CMP_NE, ref(1), num(25)), -1, "NULL != x is NULL too");
    check(plan_cmp(p, CMP_EQ, ref(3), num(1)), -1, "non-numeric text vs number is NULL");
    check(plan_cmp(p, CMP_GT, ref(2), ref(0)), 1, "587 > '25'");
    check(plan_cmp(p, CMP_GE, ref(4), num(1763900000000)), 1, "time vs its ms");
}

static void test_logic(void **state)
{
    (void)state;
    expr *t = plan_cmp(p, CMP_EQ, num(1), num(1));
    expr *f = plan_cmp(p, CMP_EQ, num(1), num(2));
    expr *n = plan_cmp(p, CMP_EQ, ref(1), num(1));
    expr *and_fn[2] = {f, n}, *and_tn[2] = {t, n}, *or_tn[2] = {t, n}, *or_fn[2] = {f, n};
    check(plan_node(p, EX_AND, 0, 2, and_fn), 0, "FALSE and NULL = FALSE");
    check(plan_node(p, EX_AND, 0, 2, and_tn), -1, "TRUE and NULL = NULL");
    check(plan_node(p, EX_OR, 0, 2, or_tn), 1, "TRUE or NULL = TRUE");
    check(plan_node(p, EX_OR, 0, 2, or_fn), -1, "FALSE or NULL = NULL");
    check(plan_not(p, n), -1, "NOT NULL = NULL");
    check(plan_not(p, f), 1, "NOT FALSE = TRUE");
    expr *isnull = ref(1);
    check(plan_node(p, EX_ISNULL, 0, 1, &isnull), 1, "missing field is null");
}

static void test_in(void **state)
{
    (void)state;
    expr *ports[4] = {ref(0), num(25), num(465), num(587)};
    check(plan_node(p, EX_IN, 0, 4, ports), 1, "text '25' in int list");
    expr *ports2[3] = {ref(2), num(25), num(465)};
    check(plan_node(p, EX_IN, 0, 3, ports2), 0, "587 not in (25, 465)");
    expr *nul[2] = {ref(1), num(25)};
    check(plan_node(p, EX_IN, 0, 2, nul), -1, "NULL in (...) is NULL");
    check(plan_not(p, plan_node(p, EX_IN, 0, 2, nul)), -1, "NULL NOT IN is NULL (AQL drops)");
    expr *names[3] = {plan_call(p, FN_LOWER, plan_call(p, FN_BASENAME, ref(3))),
                      str("outlook.exe"), str("em client.exe")};
    check(plan_node(p, EX_IN, 0, 3, names), 1, "lower(basename(path)) matches a client");
    /* Text against numbers and texts, the text read as a number once. */
    expr *later[4] = {ref(0), num(465), str("x"), num(25)};
    check(plan_node(p, EX_IN, 0, 4, later), 1, "text '25' matches a number after a text");
    expr *late_text[3] = {ref(0), num(465), str("25")};
    check(plan_node(p, EX_IN, 0, 3, late_text), 1, "text '25' matches text after a number");
    expr *word[3] = {ref(3), num(25), num(465)};
    check(plan_node(p, EX_IN, 0, 3, word), -1, "non-numeric text in numbers is NULL");
    expr *word_text[3] = {ref(3), num(25), ref(3)};
    check(plan_node(p, EX_IN, 0, 3, word_text), 1, "non-numeric text still matches itself");
    expr *none[3] = {ref(0), num(465), num(587)};
    check(plan_node(p, EX_IN, 0, 3, none), 0, "text '25' not in (465, 587)");
}

static void test_case_and_functions(void **state)
{
    (void)state;
    expr *kids[5] = {plan_cmp(p, CMP_EQ, ref(2), num(25)), str("SMTP-25"),
                     plan_cmp(p, CMP_EQ, ref(2), num(587)), str("SMTP-587"), str("other")};
    mc_value v = expr_eval(plan_node(p, EX_CASE, 0, 5, kids), row, &ctx);
    assert_int_equal(v.type, MC_STR);
    assert_memory_equal(v.u.s, "SMTP-587", 8);
    expr *nodefault[2] = {plan_cmp(p, CMP_EQ, ref(2), num(1)), str("x")};
    v = expr_eval(plan_node(p, EX_CASE, 0, 2, nodefault), row, &ctx);
    assert_int_equal(v.type, MC_NULL); /* no branch, no else: NULL */

    v = expr_eval(plan_call(p, FN_BASENAME, ref(3)), row, &ctx);
    assert_int_equal(v.len, strlen("eM Client.exe"));
    assert_memory_equal(v.u.s, "eM Client.exe", v.len);
    v = expr_eval(plan_call(p, FN_UPPER, str("abc.Exe")), row, &ctx);
    assert_memory_equal(v.u.s, "ABC.EXE", 7);
    v = expr_eval(plan_call(p, FN_INT, str("12x")), row, &ctx);
    assert_int_equal(v.type, MC_NULL); /* LONG('12x') is NULL in AQL */
    v = expr_eval(plan_call(p, FN_INT, ref(0)), row, &ctx);
    assert_int_equal(v.type, MC_INT);
    assert_int_equal(v.u.i, 25);
    v = expr_eval(plan_call(p, FN_INT, str("-7.9")), row, &ctx);
    assert_int_equal(v.u.i, -7); /* toward zero */
    v = expr_eval(plan_call(p, FN_INT, str("1e19")), row, &ctx);
    assert_int_equal(v.type, MC_NULL); /* past int64: no integer (the cast was undefined) */
    v = expr_eval(plan_call(p, FN_INT, str("-9.3e18")), row, &ctx);
    assert_int_equal(v.type, MC_NULL);
    v = expr_eval(plan_call(p, FN_STR, ref(2)), row, &ctx);
    assert_int_equal(v.type, MC_STR);
    assert_memory_equal(v.u.s, "587", 3);
}

static void test_arith_and_now(void **state)
{
    (void)state;
    expr *now = plan_node(p, EX_NOW, 0, 0, NULL);
    expr *sub[2] = {now, num(86400000)};
    mc_value v = expr_eval(plan_node(p, EX_ARITH, AR_SUB, 2, sub), row, &ctx);
    assert_int_equal(v.type, MC_TS); /* NOW() - ms is still a time */
    assert_int_equal(v.u.i, 1763900000500 - 86400000);
    expr *div[2] = {num(1), num(0)};
    v = expr_eval(plan_node(p, EX_ARITH, AR_DIV, 2, div), row, &ctx);
    assert_int_equal(v.type, MC_NULL); /* division by zero is NULL, not a crash */
}

static void test_regex(void **state)
{
    (void)state;
    char err[200];
    expr *e = plan_regex(p, ref(3), "(outlook|eM.Client)\\.exe$", PCRE2_CASELESS, err, sizeof err);
    assert_non_null(e);
    check(e, 1, "unanchored, caseless, '.' matches the space");
    e = plan_regex(p, ref(1), "x", 0, err, sizeof err);
    check(e, -1, "regex on a missing field is NULL");
    assert_null(plan_regex(p, ref(3), "(unclosed", 0, err, sizeof err));
    assert_non_null(strstr(err, "(unclosed"));
    /* A pattern that backtracks past the match limit: unknown (NULL), and
     * the context says a limit was reached — never "no match". */
    mc_value keep = row[0];
    static const char subject[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab";
    row[0] = mc_str(MC_STR, subject, sizeof subject - 1);
    ctx.regex_limited = 0;
    check(plan_regex(p, ref(0), "^(a+)+$|b", 0, err, sizeof err), -1, "match limit: unknown");
    assert_true(ctx.regex_limited);
    ctx.regex_limited = 0;
    expr *limited = plan_regex(p, ref(0), "^(a+)+$|b", 0, err, sizeof err);
    check(limited, -1, "the limit again: the unknown answer was not kept");
    assert_true(ctx.regex_limited);
    ctx.regex_limited = 0;
    check(plan_regex(p, ref(0), "b$", 0, err, sizeof err), 1, "an ordinary match still matches");
    assert_false(ctx.regex_limited);
    /* Answers kept per text and pattern: two patterns with opposite
     * answers over 600 texts (more than the places kept), each text met
     * three times. */
    expr *mail = plan_regex(p, ref(0), "outlook\\.exe$", 0, err, sizeof err);
    expr *other = plan_regex(p, ref(0), "\\.exf$", 0, err, sizeof err);
    char text[32]; /* all of one length, so that only their bytes tell them apart */
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 600; i++) {
            int len = snprintf(text, sizeof text, i % 3 ? "%05d_outlook.exf" : "%05d_outlook.exe", i);
            row[0] = mc_str(MC_STR, text, (size_t)len);
            check(mail, i % 3 == 0, "a kept answer is the pattern's on this text");
            check(other, i % 3 != 0, "another pattern's answer on the same text");
        }
    row[0] = keep;
}

static void test_parse_number(void **state)
{
    (void)state;
    static const struct { const char *text; int type; } cases[] = {
        {"25", MC_INT}, {"-7", MC_INT}, {"1763900000.123", MC_FLOAT}, {"1e3", MC_FLOAT},
        {"", MC_NULL}, {"abc", MC_NULL}, {"12abc", MC_NULL}, {"0x10", MC_NULL},
        {"nan", MC_NULL}, {" 25", MC_NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mc_value v = value_parse_number(cases[i].text, strlen(cases[i].text));
        if (v.type != cases[i].type)
            fail_msg("'%s': type %d, want %d", cases[i].text, v.type, cases[i].type);
    }
}

/* expr_texts: the texts field 0 must equal for a filter to be TRUE, as
 * "a|b" (NULL: none can be said). And what it says holds: with field 0 set
 * to each probe value (texts, numbers, booleans, a time, an address), the
 * filter is TRUE only on a text in the list. */
static mc_value flt(double d)
{
    mc_value v = mc_null();
    v.type = MC_FLOAT;
    v.u.f = d;
    return v;
}

static void texts_case(expr *e, const char *want)
{
    const mc_value *out[4];
    int n = expr_texts(e, 0, out, 0, 4);
    char got[128] = "";
    for (int i = 0; i < n; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%.*s", i ? "|" : "",
                 (int)out[i]->len, out[i]->u.s);
    if (want ? n < 0 || strcmp(got, want) : n >= 0)
        fail_msg("want %s, got %s (%d)", want ? want : "none", n < 0 ? "none" : got, n);
    const mc_value probes[] = {
        mc_str(MC_STR, "dns", 3), mc_str(MC_STR, "ssh", 3), mc_str(MC_STR, "DNS", 3),
        mc_str(MC_STR, "25", 2),  mc_str(MC_STR, "true", 4), mc_int(MC_INT, 25),
        flt(100),                 flt(1.0 / 0.0),        mc_bool(1),
        mc_int(MC_TS, 0),         mc_str(MC_IP, "10.0.0.1", 8),
    };
    mc_value kept = row[0];
    for (size_t i = 0; i < sizeof probes / sizeof probes[0] && n > 0; i++) {
        row[0] = probes[i];
        int listed = 0;
        for (int k = 0; k < n; k++)
            listed |= probes[i].type == MC_STR && probes[i].len == out[k]->len &&
                      !memcmp(probes[i].u.s, out[k]->u.s, out[k]->len);
        if (expr_true(e, row, &ctx) && !listed)
            fail_msg("TRUE on probe %zu, which is not among %s", i, got);
    }
    row[0] = kept;
}

static void test_texts(void **state)
{
    (void)state;
    expr *eq = plan_cmp(p, CMP_EQ, plan_call(p, FN_STR, ref(0)), str("dns"));
    texts_case(eq, "dns");
    texts_case(plan_node(p, EX_ISTRUE, 0, 1, (expr *[]){eq}), "dns");
    texts_case(plan_cmp(p, CMP_EQ, str("ssh"), ref(0)), "ssh");
    texts_case(plan_node(p, EX_IN, 0, 3, (expr *[]){ref(0), str("dns"), str("ssh")}), "dns|ssh");
    texts_case(plan_logic(p, EX_OR, 2,
                          (expr *[]){eq, plan_cmp(p, CMP_EQ, ref(0), str("ssh"))}), "dns|ssh");
    texts_case(plan_logic(p, EX_AND, 2,
                          (expr *[]){plan_cmp(p, CMP_GT, ref(2), num(3)), eq}), "dns");
    /* Texts a number or a boolean can equal, and other shapes: none. */
    texts_case(plan_cmp(p, CMP_EQ, ref(0), str("0x19")), "0x19"); /* no number is 0x19 */
    const char *numeric[] = {"25", "1e2", "inf", "-nan", "true", "false", "2.5e1"};
    for (size_t i = 0; i < sizeof numeric / sizeof numeric[0]; i++)
        texts_case(plan_cmp(p, CMP_EQ, ref(0), str(numeric[i])), NULL);
    texts_case(plan_cmp(p, CMP_EQ, ref(0), num(25)), NULL);
    texts_case(plan_node(p, EX_IN, 0, 3, (expr *[]){ref(0), str("dns"), num(22)}), NULL);
    texts_case(plan_logic(p, EX_OR, 2,
                          (expr *[]){eq, plan_cmp(p, CMP_EQ, ref(1), str("ssh"))}), NULL);
    texts_case(plan_not(p, eq), NULL);
    texts_case(plan_cmp(p, CMP_NE, ref(0), str("dns")), NULL);
    texts_case(plan_cmp(p, CMP_EQ, plan_call(p, FN_LOWER, ref(0)), str("dns")), NULL);
    texts_case(plan_cmp(p, CMP_EQ, ref(0), ref(3)), NULL);
    texts_case(plan_node(p, EX_IN, 0, 6,
                         (expr *[]){ref(0), str("a"), str("b"), str("c"), str("d"), str("e")}),
               NULL); /* more than out[] holds */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comparisons), cmocka_unit_test(test_logic),
        cmocka_unit_test(test_in), cmocka_unit_test(test_case_and_functions),
        cmocka_unit_test(test_arith_and_now), cmocka_unit_test(test_regex),
        cmocka_unit_test(test_parse_number), cmocka_unit_test(test_texts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
