/* Sigma front end, as a table: tests/lang/sigma.test holds cases of rule
 * + events -> expected CSV, or rule -> expected error (line:col and
 * message); each expectation is counted by hand there. Beside the table,
 * the limits a rule's text must not break: a long flat condition and a
 * long value list compile (they are data), parentheses nested past the
 * bound are an error, never a deep recursion.
 *
 * The table, one case after another:
 *   ### title (the reason and the hand count)
 *   rule:    the Sigma file (YAML, one or more documents)
 *   events:  JSON lines (optional)
 *   expect:  CSV as `mailc2 run --format csv` prints it
 *   error:   or: LINE:COL: message substring */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "driver/run.h"
#include "lang/sigma/sigma.h"
#include "output/sink.h"

enum { CASE_TEXT = 8192 };

typedef struct tcase {
    char title[512];
    char rule[CASE_TEXT], events[CASE_TEXT], expect[CASE_TEXT], error[512];
    int line;
} tcase;

enum section { NONE, RULE, EVENTS, EXPECT, ERROR };

/* Runs the plan over the events in memory, at now = 2026-11-24T00:00:00Z;
 * returns the CSV (malloc'd). */
static char *run_events(const char *events, plan *p)
{
    diag d;
    diag_init(&d, (logger){NULL, NULL}, 0);
    input_settings settings;
    char err[200];
    assert_int_equal(input_settings_init(&settings, NULL, NULL, err, sizeof err), 0);
    run_opts o = {.now_ms = 1795478400000, .diag = &d, .settings = &settings};
    run_input in = {RUN_IN_MEMORY, "events", events, strlen(events), NULL, NULL};
    mc_result *r;
    run_info info;
    assert_int_equal(run_plan(p, &in, 1, &o, &r, &info), RUN_OK);
    input_settings_free(&settings);
    char *out = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&out, &len);
    sink csv = sink_text(OUT_CSV, mem);
    assert_int_equal(sink_write(&csv, r, 1), 0);
    sink_free(&csv);
    fclose(mem);
    result_free(r);
    return out;
}

static plan *compile(const char *text, lang_error *e)
{
    lang_src src = {"rule", text, strlen(text)};
    lang_opts o = {.warn = NULL};
    memset(e, 0, sizeof *e);
    return sigma_compile(&src, &o, e);
}

/* The place must be exact; the message must contain the expected text. */
static int check_error(const tcase *t, plan *p, const lang_error *e)
{
    char got[600], place[32];
    snprintf(got, sizeof got, "%d:%d: %s", e->line, e->col, e->msg);
    snprintf(place, sizeof place, "%d:%d: ", e->line, e->col);
    const char *want = strchr(t->error, ' ');
    if (p || !want || strncmp(t->error, place, strlen(place)) || !strstr(e->msg, want + 1)) {
        print_error("line %d: %s\n  want error: %s\n  got: %s\n", t->line, t->title, t->error,
                    p ? "(compiled)" : got);
        plan_free(p);
        return 1;
    }
    return 0;
}

static int check_case(const tcase *t)
{
    lang_error e;
    plan *p = compile(t->rule, &e);
    if (t->error[0])
        return check_error(t, p, &e);
    if (!p) {
        print_error("line %d: %s\n  unexpected error %d:%d: %s\n", t->line, t->title, e.line,
                    e.col, e.msg);
        return 1;
    }
    char *out = run_events(t->events, p);
    plan_free(p);
    int bad = strcmp(out, t->expect) != 0;
    if (bad)
        print_error("line %d: %s  want:\n%s  got:\n%s", t->line, t->title, t->expect, out);
    free(out);
    return bad;
}

static void append(char *buf, const char *line)
{
    size_t n = strlen(buf);
    snprintf(buf + n, CASE_TEXT - n, "%s", line);
}

/* A blank line ends a case's last section; it belongs to none. */
static void trim(char *s)
{
    size_t n = strlen(s);
    while (n >= 2 && s[n - 1] == '\n' && s[n - 2] == '\n')
        s[--n] = '\0';
}

static enum section section_of(const char *line, enum section cur)
{
    static const struct { const char *head; enum section sec; } heads[] = {
        {"rule:\n", RULE}, {"events:\n", EVENTS}, {"expect:\n", EXPECT}, {"error:\n", ERROR},
    };
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
        if (!strcmp(line, heads[i].head))
            return heads[i].sec;
    return cur;
}

static void add_line(tcase *t, enum section sec, char *line)
{
    if (sec == RULE) append(t->rule, line);
    if (sec == EVENTS) append(t->events, line);
    if (sec == EXPECT) append(t->expect, line);
    if (sec == ERROR && line[0] != '\n') {
        line[strcspn(line, "\n")] = '\0';
        snprintf(t->error, sizeof t->error, "%.500s", line);
    }
}

static void test_table(void **state)
{
    (void)state;
    FILE *f = fopen(MAILC2_SOURCE_DIR "/tests/lang/sigma.test", "r");
    assert_non_null(f);
    tcase *t = calloc(1, sizeof *t);
    char line[4096];
    int lineno = 0, cases = 0, failed = 0, errors = 0;
    enum section sec = NONE;
    for (;;) {
        char *got = fgets(line, sizeof line, f);
        lineno++;
        if (!got || !strncmp(line, "###", 3)) {
            if (t->rule[0]) {
                trim(t->events);
                trim(t->expect);
                failed += check_case(t);
                cases++;
                errors += t->error[0] != 0;
            }
            if (!got)
                break;
            memset(t, 0, sizeof *t);
            snprintf(t->title, sizeof t->title, "%.500s", line + 4);
            t->line = lineno;
            sec = NONE;
            continue;
        }
        enum section next = section_of(line, sec);
        if (next != sec) {
            sec = next;
            continue;
        }
        if (sec != NONE)
            add_line(t, sec, line);
    }
    fclose(f);
    free(t);
    print_message("%d cases (%d invalid rules), %d failed\n", cases, errors, failed);
    assert_true(errors >= 25);
    assert_int_equal(failed, 0);
}

static const char rule_head[] = "title: t\n"
                                "logsource: {category: network_connection}\n"
                                "detection:\n"
                                "    sel:\n"
                                "        Image: a\n";

/* `condition: ` + body, after the head above; malloc'd. */
static char *rule_with_condition(const char *body)
{
    size_t n = sizeof rule_head + strlen(body) + 32;
    char *s = malloc(n);
    snprintf(s, n, "%s    condition: %s\n", rule_head, body);
    return s;
}

/* 100,000 operands in one `or` chain: one node, no recursion. */
static void test_long_flat_condition(void **state)
{
    (void)state;
    enum { TERMS = 100000 };
    char *body = malloc(TERMS * 7 + 1), *o = body;
    for (int i = 0; i < TERMS; i++)
        o += sprintf(o, i ? " or sel" : "sel");
    char *text = rule_with_condition(body);
    lang_error e;
    plan *p = compile(text, &e);
    assert_non_null(p);
    char *out = run_events("{\"EventID\":3,\"Image\":\"a\"}\n{\"EventID\":3,\"Image\":\"b\"}\n", p);
    assert_string_equal(out, "UtcTime,Image\n,a\n");
    free(out);
    plan_free(p);
    free(text);
    free(body);
}

/* SG_MAX_DEPTH (64) parentheses compile; one more is an error at the
 * 65th '(' (column 16 of the condition line + 64). */
static void test_nesting_bound(void **state)
{
    (void)state;
    for (int depth = 64; depth <= 65; depth++) {
        char body[512] = "";
        for (int i = 0; i < depth; i++)
            strcat(body, "(");
        strcat(body, "sel");
        for (int i = 0; i < depth; i++)
            strcat(body, ")");
        char *text = rule_with_condition(body);
        lang_error e;
        plan *p = compile(text, &e);
        if (depth == 64) {
            assert_non_null(p);
        } else {
            assert_null(p);
            assert_int_equal(e.line, 6);
            assert_int_equal(e.col, 16 + 64);
            assert_non_null(strstr(e.msg, "deeper than 64"));
        }
        plan_free(p);
        free(text);
    }
}

/* 4,000 values in one list are one IN node: the 4,000th matches. */
static void test_long_value_list(void **state)
{
    (void)state;
    enum { VALUES = 4000 };
    size_t cap = VALUES * 32 + 512;
    char *text = malloc(cap), *o = text;
    o += sprintf(o, "title: t\nlogsource: {category: network_connection}\ndetection:\n"
                    "    sel:\n        Image:\n");
    for (int i = 1; i <= VALUES; i++)
        o += sprintf(o, "            - v%d\n", i);
    sprintf(o, "    condition: sel\nfields: [Image]\n");
    lang_error e;
    plan *p = compile(text, &e);
    assert_non_null(p);
    char *out = run_events("{\"EventID\":3,\"Image\":\"V4000\"}\n{\"EventID\":3,\"Image\":\"v4001\"}\n", p);
    assert_string_equal(out, "Image\nV4000\n");
    free(out);
    plan_free(p);
    free(text);
}

/* A byte that is not UTF-8 is refused at its line and column (lines end at
 * \n, \r\n or a lone \r; columns count characters) before libfyaml reads
 * the file, which loops for ever on such a byte in an unknown directive
 * (the fuzz_sigma input kept in tests/fuzz/regress/sigma/). UTF-8 text,
 * a byte-order mark included, still compiles and matches. */
static void test_non_utf8(void **state)
{
    (void)state;
    static const struct { const char *text; int line, col; unsigned byte; } bad[] = {
        {"title:\r\r\r%\xf6itioe]\n", 4, 2, 0xf6},
        {"title: t\r\n# caf\xc3\xa9 \xf6\n", 2, 8, 0xf6},
        {"title: t\nlogsource: {category: network_connection}\n"
         "detection: {sel: {Image: '\xe2\x82\xac\xed\xa0\x80'}, condition: sel}\n", 3, 28, 0xed},
        {"title: t\xc3", 1, 9, 0xc3},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lang_error e;
        plan *p = compile(bad[i].text, &e);
        assert_null(p);
        assert_int_equal(e.line, bad[i].line);
        assert_int_equal(e.col, bad[i].col);
        char want[32];
        snprintf(want, sizeof want, "byte 0x%02X is not UTF-8", bad[i].byte);
        assert_non_null(strstr(e.msg, want));
    }
    lang_error e;
    plan *p = compile("\xef\xbb\xbftitle: t\nlogsource: {category: network_connection}\n"
                      "detection: {sel: {Image: 'caf\xc3\xa9.exe'}, condition: sel}\n"
                      "fields: [Image]\n", &e);
    assert_non_null(p);
    char *out = run_events("{\"EventID\":3,\"Image\":\"CAF\xc3\xa9.exe\"}\n"
                           "{\"EventID\":3,\"Image\":\"cafe.exe\"}\n", p);
    assert_string_equal(out, "Image\nCAF\xc3\xa9.exe\n");
    free(out);
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_long_flat_condition),
        cmocka_unit_test(test_nesting_bound),
        cmocka_unit_test(test_long_value_list),
        cmocka_unit_test(test_non_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
