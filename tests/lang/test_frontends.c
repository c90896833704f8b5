/* Query front ends, as tables: tests/lang/logscale.test and aql.test hold
 * cases of query + events -> expected CSV, or query -> expected error
 * (line:col and message). Every expected value there is derived by hand
 * from ../shared/docs/logscale.md or aql.md; each case says why in its
 * title line.
 *
 * The file format, one case after another:
 *   ### title (the reason for the case)
 *   query:            the query, one or more lines
 *   events:           JSON lines (optional)
 *   expect:           CSV as `mailc2 run --format csv` prints it
 *   error:            or: LINE:COL: message substring */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "driver/run.h"
#include "lang/aql/aql.h"
#include "lang/logscale/logscale.h"
#include "output/sink.h"

typedef struct tcase {
    char title[256];
    char query[4096];
    char events[8192];
    char expect[4096];
    char error[512];
    int line;
} tcase;

enum section { NONE, QUERY, EVENTS, EXPECT, ERROR };

static void append(char *buf, size_t cap, const char *line)
{
    size_t n = strlen(buf);
    snprintf(buf + n, cap - n, "%s", line);
}

/* Runs the query over the events, in memory, and returns the CSV
 * (malloc'd). */
static char *run_query(const tcase *t, plan *p)
{
    diag d;
    diag_init(&d, (logger){NULL, NULL}, 0);
    input_settings settings;
    char err[200];
    assert_int_equal(input_settings_init(&settings, NULL, NULL, err, sizeof err), 0);
    run_opts o = {.now_ms = 1795478400000, .diag = &d, .settings = &settings};
    run_input in = {RUN_IN_MEMORY, "events", t->events, strlen(t->events), NULL, NULL};
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

/* Blank lines separate cases; they belong to no section. */
static void trim_blank_lines(char *s)
{
    size_t n = strlen(s);
    while (n >= 2 && s[n - 1] == '\n' && s[n - 2] == '\n')
        s[--n] = '\0';
    if (n == 1 && s[0] == '\n')
        s[0] = '\0';
}

typedef plan *(*compile_fn)(const lang_src *, const lang_opts *, lang_error *);

static int check_case(tcase *t, compile_fn compile)
{
    trim_blank_lines(t->query);
    trim_blank_lines(t->events);
    trim_blank_lines(t->expect);
    lang_src src = {"q", t->query, strlen(t->query)};
    lang_opts o = {.warn = NULL};
    lang_error e = {0};
    plan *p = compile(&src, &o, &e);
    char got[600];
    if (t->error[0]) {
        snprintf(got, sizeof got, "%d:%d: %s", e.line, e.col, e.msg);
        if (p || !strstr(got, t->error)) {
            print_error("line %d: %s\n  want error: %s\n  got: %s\n", t->line, t->title,
                        t->error, p ? "(compiled)" : got);
            plan_free(p);
            return 1;
        }
        return 0;
    }
    if (!p) {
        print_error("line %d: %s\n  unexpected error %d:%d: %s\n", t->line, t->title, e.line,
                    e.col, e.msg);
        return 1;
    }
    char *out = run_query(t, p);
    plan_free(p);
    int bad = strcmp(out, t->expect) != 0;
    if (bad)
        print_error("line %d: %s  want:\n%s  got:\n%s", t->line, t->title, t->expect, out);
    free(out);
    return bad;
}

static void run_table(const char *path, compile_fn compile)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    tcase *t = calloc(1, sizeof *t);
    char line[4096];
    int lineno = 0, cases = 0, failed = 0, errors = 0;
    enum section sec = NONE;
    while (1) {
        char *got = fgets(line, sizeof line, f);
        lineno++;
        if (!got || strncmp(line, "###", 3) == 0) {
            if (t->query[0]) {
                failed += check_case(t, compile);
                cases++;
                errors += t->error[0] != 0;
            }
            if (!got)
                break;
            memset(t, 0, sizeof *t);
            snprintf(t->title, sizeof t->title, "%.250s", line + 4);
            t->line = lineno;
            sec = NONE;
            continue;
        }
        if (!strcmp(line, "query:\n")) { sec = QUERY; continue; }
        if (!strcmp(line, "events:\n")) { sec = EVENTS; continue; }
        if (!strcmp(line, "expect:\n")) { sec = EXPECT; continue; }
        if (!strcmp(line, "error:\n")) { sec = ERROR; continue; }
        if (sec == QUERY) append(t->query, sizeof t->query, line);
        if (sec == EVENTS) append(t->events, sizeof t->events, line);
        if (sec == EXPECT) append(t->expect, sizeof t->expect, line);
        if (sec == ERROR) {
            line[strcspn(line, "\n")] = '\0';
            append(t->error, sizeof t->error, line);
        }
    }
    fclose(f);
    free(t);
    print_message("%d cases (%d invalid queries), %d failed\n", cases, errors, failed);
    assert_true(errors >= 30);
    assert_int_equal(failed, 0);
}

static void test_logscale(void **state)
{
    (void)state;
    run_table(MAILC2_SOURCE_DIR "/tests/lang/logscale.test", ls_compile);
}

static void test_aql(void **state)
{
    (void)state;
    run_table(MAILC2_SOURCE_DIR "/tests/lang/aql.test", aql_compile);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_logscale), cmocka_unit_test(test_aql)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
