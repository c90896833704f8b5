/* The CSV and JSON-lines sinks on one cell, one case a row of the table:
 * what each writes for text that needs quoting or escaping. Expected bytes
 * are written by hand from the rules the sinks follow: RFC 4180 for CSV (a
 * field holding a comma, a quote or a line break is quoted, a quote inside
 * doubled), RFC 8259 for JSON (quote, backslash and control characters
 * escaped), and mailc2's own rule that no control character reaches a
 * terminal raw (text.c: \xNN outside CSV quotes; tab, newline and return
 * kept inside them) and that JSON is valid UTF-8 (a bad byte is U+FFFD).
 * The sinks write plain runs a run at a time, so each case puts the byte
 * that needs care at the start, in the middle and at the end of a run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/event.h"
#include "output/sink.h"

typedef struct text_case {
    const char *in;
    size_t len;
    const char *csv;    /* the CSV line of the cell */
    const char *jsonl;  /* the JSON line of the cell, named "c" */
} text_case;

#define IN(x) x, sizeof x - 1

static const text_case cases[] = {
    {IN("plain text"), "plain text\n", "{\"c\":\"plain text\"}\n"},
    {IN(""), "\"\"\n", "{\"c\":\"\"}\n"},
    {IN("a,b"), "\"a,b\"\n", "{\"c\":\"a,b\"}\n"},
    {IN("\"q\" in \"q\""), "\"\"\"q\"\" in \"\"q\"\"\"\n",
     "{\"c\":\"\\\"q\\\" in \\\"q\\\"\"}\n"},
    {IN("x\ny"), "\"x\ny\"\n", "{\"c\":\"x\\ny\"}\n"},
    {IN("\ttab\t"), "\ttab\t\n", "{\"c\":\"\\ttab\\t\"}\n"},
    {IN("\x1b[31mred\x1b"), "\\x1b[31mred\\x1b\n", "{\"c\":\"\\u001b[31mred\\u001b\"}\n"},
    {IN("a,\x1b\r"), "\"a,\\x1b\r\"\n", "{\"c\":\"a,\\u001b\\r\"}\n"},
    {IN("C:\\p\\x.exe"), "C:\\p\\x.exe\n", "{\"c\":\"C:\\\\p\\\\x.exe\"}\n"},
    {IN("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac\n",
     "{\"c\":\"caf\xc3\xa9 \xe2\x82\xac\"}\n"},
    {IN("bad\xff" "byte\xc3"), "bad\xff" "byte\xc3\n", "{\"c\":\"bad\\ufffdbyte\\ufffd\"}\n"},
    {IN("del\x7f"), "del\\x7f\n", "{\"c\":\"del\x7f\"}\n"}, /* DEL: raw in JSON */
    /* An escape before the byte that asks for quotes; a NUL; a lone return. */
    {IN("\x01" "a\"b"), "\"\\x01a\"\"b\"\n", "{\"c\":\"\\u0001a\\\"b\"}\n"},
    {IN("a\0b"), "a\\x00b\n", "{\"c\":\"a\\u0000b\"}\n"},
    {IN("\r"), "\"\r\"\n", "{\"c\":\"\\r\"}\n"},
    /* Longer than the 16-byte steps: the byte in the second step, at the
     * edge of the first, and in a step of its own after a plain one. */
    {IN("0123456789abcdef0123456789,bcdef"), "\"0123456789abcdef0123456789,bcdef\"\n",
     "{\"c\":\"0123456789abcdef0123456789,bcdef\"}\n"},
    {IN("0123456789abcde\"0123456789abcdef"), "\"0123456789abcde\"\"0123456789abcdef\"\n",
     "{\"c\":\"0123456789abcde\\\"0123456789abcdef\"}\n"},
    {IN("0123456789abcdef\x01" "23456789abcdef"), "0123456789abcdef\\x0123456789abcdef\n",
     "{\"c\":\"0123456789abcdef\\u000123456789abcdef\"}\n"},
};

/* What sink f writes for a one-column result holding s (malloc'd). */
static char *write_cell(enum out_format f, const char *s, size_t len)
{
    char *buf = NULL;
    size_t blen = 0;
    FILE *out = open_memstream(&buf, &blen);
    assert_non_null(out);
    sink k = sink_text(f, out);
    static const char *const names[] = {"c"};
    mc_value cell = mc_str(MC_STR, s, len);
    assert_int_equal(k.ops->begin(k.ud, names, 1), 0);
    assert_int_equal(k.ops->row(k.ud, &cell, 1), 0);
    assert_int_equal(k.ops->end(k.ud), 0);
    sink_free(&k);
    fclose(out);
    return buf;
}

static void test_escaping(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const text_case *c = &cases[i];
        char *csv = write_cell(OUT_CSV, c->in, c->len);
        const char *body = strchr(csv, '\n') + 1; /* after the header "c" */
        if (strcmp(body, c->csv))
            fail_msg("case %zu csv: got [%s] want [%s]", i, body, c->csv);
        free(csv);
        char *json = write_cell(OUT_JSONL, c->in, c->len);
        if (strcmp(json, c->jsonl))
            fail_msg("case %zu jsonl: got [%s] want [%s]", i, json, c->jsonl);
        free(json);
    }
}

/* A result of many rows, the table's cells in turn, written whole on 1 to
 * 7 threads (rows made a batch at a time on each): the header, then each
 * cell's hand-written CSV line, in row order. Enough rows for several
 * batches and a short last one. */
static void test_threads(void **state)
{
    (void)state;
    static const char *const names[] = {"c"};
    size_t ncases = sizeof cases / sizeof cases[0], nrows = 4096 * 7 + 29;
    mc_result *r = result_new(1, names);
    char *want = NULL;
    size_t wlen = 0;
    FILE *w = open_memstream(&want, &wlen);
    fputs("c\n", w);
    for (size_t i = 0; i < nrows; i++) {
        mc_value cell = mc_str(MC_STR, cases[i % ncases].in, cases[i % ncases].len);
        result_add_row(r, &cell);
        fputs(cases[i % ncases].csv, w);
    }
    fclose(w);
    for (int threads = 1; threads <= 7; threads += 2) {
        char *buf = NULL;
        size_t blen = 0;
        FILE *out = open_memstream(&buf, &blen);
        sink k = sink_text(OUT_CSV, out);
        assert_int_equal(sink_write(&k, r, threads), 0);
        sink_free(&k);
        fclose(out);
        if (blen != wlen || memcmp(buf, want, wlen))
            fail_msg("%d threads: %zu bytes, want %zu", threads, blen, wlen);
        free(buf);
    }
    free(want);
    result_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_escaping),
                                       cmocka_unit_test(test_threads)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
