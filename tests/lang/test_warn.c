/* Warnings: the library formats them and hands them to the caller's
 * callback (it prints nothing itself); lang_warn_print is the CLI's way of
 * showing them, `file:line:col: warning: msg` with the line and a caret. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lang/aql/aql.h"
#include "lang/lang.h"

typedef struct seen {
    int calls, line, col;
    char msg[2048];
} seen;

static void record(void *ud, const lang_src *src, int line, int col, const char *msg)
{
    (void)src;
    seen *s = ud;
    s->calls++;
    s->line = line;
    s->col = col;
    snprintf(s->msg, sizeof s->msg, "%s", msg);
}

static const char text[] = "SELECT sourceip\n  FROM events";
static const lang_src src = {"q.aql", text, sizeof text - 1};

static void no_callback_no_warning(void **state)
{
    (void)state;
    lang_opts o = {.warn = NULL};
    lang_warn(&o, &src, 1, 1, "ignored %d", 1);
    lang_warn(NULL, &src, 1, 1, "ignored %d", 2);
}

/* Longer than any fixed buffer lang_warn might use: nothing is cut. */
static void callback_gets_whole_message(void **state)
{
    (void)state;
    seen s = {0};
    lang_opts o = {.warn = record, .warn_ud = &s};
    char long_word[1500];
    memset(long_word, 'x', sizeof long_word - 1);
    long_word[sizeof long_word - 1] = '\0';
    lang_warn(&o, &src, 2, 3, "field %s unknown", long_word);
    assert_int_equal(s.calls, 1);
    assert_int_equal(s.line, 2);
    assert_int_equal(s.col, 3);
    assert_int_equal(strlen(s.msg), strlen("field  unknown") + strlen(long_word));
    assert_memory_equal(s.msg, "field xxx", 9);
}

static void print_shows_place(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    lang_warn_print(out, &src, 2, 3, "look here");
    fclose(out);
    assert_string_equal(buf, "q.aql:2:3: warning: look here\n    FROM events\n    ^\n");
    free(buf);
}

/* A front end's warning reaches the callback (AQL without LAST, aql.md §2). */
static void front_end_warns_through_callback(void **state)
{
    (void)state;
    seen s = {0};
    lang_opts o = {.warn = record, .warn_ud = &s};
    lang_error e = {0};
    plan *p = aql_compile(&src, &o, &e);
    assert_non_null(p);
    assert_int_equal(s.calls, 1);
    assert_non_null(strstr(s.msg, "no LAST or START clause"));
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_callback_no_warning),
        cmocka_unit_test(callback_gets_whole_message),
        cmocka_unit_test(print_shows_place),
        cmocka_unit_test(front_end_warns_through_callback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
