/* Unit tests for src/input/json_lines.c: a block's lines read in one pass.
 * A table of lines, each with the answers to four keys and its flatness
 * worked out by hand from json.h's contract (a line is flat when it begins
 * with '{' and ends with '}', those are its only brackets, and it holds no
 * \u escape); the block the table makes is read at every alignment within
 * 64 bytes, with LF and CRLF ends, in one pass and a few lines at a time.
 * Then generated lines: json_line_key on a line initialised from the pass
 * must give what it gives a fresh line asked for that key alone (a search,
 * where the line is flat). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/json.h"
#include "util/simd64.h"

static const char *const keys[] = {"\"event_simpleName\"", "\"ContextTimeStamp\"",
                                   "\"timestamp\"", "\"RemotePort\""};
enum { NK = 4 };

static json_lines_keys the_keys(int n)
{
    json_lines_keys k = {0};
    k.n = n;
    for (int i = 0; i < n; i++) {
        k.klen[i] = strlen(keys[i]);
        memcpy(k.key[i], keys[i], k.klen[i]);
    }
    return k;
}

/* An answer by hand: N none, V value (text; "null" for null), U unsure. */
typedef struct answer {
    char kind;
    const char *text;
} answer;

static const struct {
    const char *line;
    int flat;
    answer a[NK];
} cases[] = {
    {"{\"event_simpleName\":\"NetworkConnectIP4\",\"ContextTimeStamp\":\"1795392656.869\","
     "\"RemotePort\":\"25\",\"timestamp\":\"1795392657146\"}",
     1, {{'V', "NetworkConnectIP4"}, {'V', "1795392656.869"}, {'V', "1795392657146"}, {'V', "25"}}},
    {"{\"event_simpleName\" : \"DnsRequest\", \"timestamp\" : 17 }", 1,
     {{'V', "DnsRequest"}, {'N', NULL}, {'V', "17"}, {'N', NULL}}},
    {"{\"RemotePort\":25,\"RemotePort\":26}", 1, {{'N', NULL}, {'N', NULL}, {'N', NULL}, {'U', NULL}}},
    {"{\"a\":\"RemotePort\",\"timestamp\":null}", 1,
     {{'N', NULL}, {'N', NULL}, {'V', "null"}, {'N', NULL}}},
    /* an escaped quote before a key: it may be longer */
    {"{\"x\\\"timestamp\":1}", 1, {{'N', NULL}, {'N', NULL}, {'U', NULL}, {'N', NULL}}},
    /* a value json_raw_value cannot read */
    {"{\"timestamp\":true,\"RemotePort\":\"2\\\"5\"}", 1,
     {{'N', NULL}, {'N', NULL}, {'U', NULL}, {'U', NULL}}},
    /* backslash runs: \\ escapes no u; a key after a path */
    {"{\"p\":\"C:\\\\x\\\\\",\"RemotePort\":\"993\"}", 1,
     {{'N', NULL}, {'N', NULL}, {'N', NULL}, {'V', "993"}}},
    {"{\"p\":\"\\\\\\\\u\",\"timestamp\":7}", 1, {{'N', NULL}, {'N', NULL}, {'V', "7"}, {'N', NULL}}},
    /* not flat: nested, a \u escape, an array, not one object, blank */
    {"{\"o\":{\"timestamp\":1}}", 0, {{'N', NULL}, {'N', NULL}, {'N', NULL}, {'N', NULL}}},
    {"{\"t\\u0069mestamp\":1,\"RemotePort\":2}", 0,
     {{'U', NULL}, {'U', NULL}, {'U', NULL}, {'U', NULL}}},
    {"{\"a\":[1],\"RemotePort\":\"25\"}", 0, {{'N', NULL}, {'N', NULL}, {'N', NULL}, {'V', "25"}}},
    {"[{\"timestamp\":1}]", 0, {{'U', NULL}, {'U', NULL}, {'U', NULL}, {'U', NULL}}},
    {"", 0, {{'U', NULL}, {'U', NULL}, {'U', NULL}, {'U', NULL}}},
    {"  {\"timestamp\":1}", 0, {{'N', NULL}, {'N', NULL}, {'V', "1"}, {'N', NULL}}},
    {"{\"timestamp\":\"5\"", 0, {{'U', NULL}, {'U', NULL}, {'U', NULL}, {'U', NULL}}},
    /* a brace in a string is counted: not flat, read by the index */
    {"{\"cmd\":\"a{b\",\"RemotePort\":\"110\"}", 0,
     {{'N', NULL}, {'N', NULL}, {'N', NULL}, {'V', "110"}}},
    /* a value ending at the line's end, not the block's */
    {"{\"RemotePort\":143}", 1, {{'N', NULL}, {'N', NULL}, {'N', NULL}, {'V', "143"}}},
};
enum { NCASES = sizeof cases / sizeof cases[0] };

static void check_answer(const char *line, int c, int k, int kind, mc_value v)
{
    const answer *a = &cases[c].a[k];
    int want = a->kind == 'V' ? JSON_RAW_VALUE : a->kind == 'N' ? JSON_RAW_NONE : JSON_RAW_UNSURE;
    if (kind != want)
        fail_msg("line %d (%s), key %s: kind %d, want %c", c, line, keys[k], kind, a->kind);
    if (want != JSON_RAW_VALUE)
        return;
    if (!strcmp(a->text, "null")) {
        assert_int_equal(v.type, MC_NULL);
        return;
    }
    assert_int_equal(v.type, MC_STR);
    assert_int_equal(v.len, strlen(a->text));
    assert_memory_equal(v.u.s, a->text, v.len);
}

/* The table's block after `pad` bytes of a line of its own, read with at
 * most `max` lines a pass; ends "\n" or "\r\n"; the last line with its
 * newline or not. */
static void table_block(size_t pad, const char *nl, int last_nl, size_t max)
{
    char block[8192];
    size_t len = 0, start[NCASES + 1];
    memset(block, 'x', pad);
    len = pad;
    len += (size_t)sprintf(block + len, "%s", nl);
    for (int c = 0; c < NCASES; c++) {
        start[c] = len;
        len += (size_t)sprintf(block + len, "%s%s", cases[c].line,
                               c < NCASES - 1 || last_nl ? nl : "");
    }
    json_lines_keys k = the_keys(NK);
    json_lines_line *out = calloc(max, sizeof *out);
    int line = 0;
    for (size_t at = 0, used; at < len; at += used) {
        size_t n = json_lines_scan(&k, block + at, len - at, out, max, &used);
        assert_true(n > 0 && n <= max && used > 0);
        for (size_t i = 0; i < n; i++, line++) {
            const json_lines_line *sl = &out[i];
            const char *text = block + at + sl->start;
            if (line == 0) {
                assert_int_equal(sl->len, pad);
                continue;
            }
            int c = line - 1;
            assert_ptr_equal(text, block + start[c]);
            assert_int_equal(sl->len, strlen(cases[c].line));
            if (simd64_level() != SIMD64_NONE)
                assert_int_equal(sl->flat, cases[c].flat);
            json_line l;
            json_line_init_scanned(&l, text, sl, &k);
            for (int q = 0; q < NK; q++) {
                mc_value v;
                if (sl->flat) /* the pass's own answer, before any key is asked */
                    check_answer(cases[c].line, c, q, l.memo[q].kind, l.memo[q].v);
                int kind = json_line_key(&l, keys[q], strlen(keys[q]), &v);
                check_answer(cases[c].line, c, q, kind, v);
            }
        }
    }
    assert_int_equal(line, NCASES + 1);
    free(out);
}

static void test_table(void **state)
{
    (void)state;
    for (size_t pad = 0; pad < 64; pad++)
        for (int crlf = 0; crlf < 2; crlf++)
            for (int last_nl = 0; last_nl < 2; last_nl++) {
                table_block(pad, crlf ? "\r\n" : "\n", last_nl, 4096);
                table_block(pad, crlf ? "\r\n" : "\n", last_nl, 3);
            }
}

/* Fewer keys than four, and a key of its own length: the same answers. */
static void test_fewer_keys(void **state)
{
    (void)state;
    const char *block = "{\"RemotePort\":\"25\",\"timestamp\":1}\n{\"event_simpleName\":\"A\"}\n";
    for (int n = 1; n <= NK; n++) {
        json_lines_keys k = the_keys(n);
        json_lines_line out[4];
        size_t used, got = json_lines_scan(&k, block, strlen(block), out, 4, &used);
        assert_int_equal(got, 2);
        assert_int_equal(used, strlen(block));
        json_line l;
        json_line_init_scanned(&l, block + out[0].start, &out[0], &k);
        mc_value v;
        assert_int_equal(json_line_key(&l, "\"RemotePort\"", 12, &v), JSON_RAW_VALUE);
        assert_int_equal(v.len, 2);
        assert_int_equal(json_line_key(&l, "\"event_simpleName\"", 18, &v), JSON_RAW_NONE);
    }
}

/* Generated lines from pieces chosen to meet the pass's edges: keys as
 * values, repeated, after backslash runs of each parity, with spaces, a
 * nested object, a \u escape. */
static const char *const pieces[] = {
    "\"RemotePort\":\"25\"", "\"RemotePort\" : 587", "\"timestamp\":\"17\"",
    "\"ContextTimeStamp\":\"1.5\"", "\"event_simpleName\":\"ProcessRollup2\"",
    "\"a\":\"\\\\\"", "\"b\":\"\\\\\\\"timestamp\\\":1\"", "\"c\":\"RemotePort\"",
    "\"d\":{\"timestamp\":2}", "\"e\":\"\\u0041\"", "\"f\":\"x\\\\\\\\\"",
    "\"g\":null", "\"timestamp\":[1]", "\"h\":\"\\\"RemotePort\\\":\\\"1\\\"\"",
    "\"i\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
};
enum { NPIECES = sizeof pieces / sizeof pieces[0] };

static size_t gen_line(unsigned *seed, char *out)
{
    size_t n = 0;
    int count = (int)(rand_r(seed) % 7);
    out[n++] = '{';
    for (int i = 0; i < count; i++) {
        if (i)
            out[n++] = ',';
        const char *p = pieces[rand_r(seed) % NPIECES];
        memcpy(out + n, p, strlen(p));
        n += strlen(p);
    }
    out[n++] = '}';
    return n;
}

static void test_generated(void **state)
{
    (void)state;
    unsigned seed = 11;
    json_lines_keys k = the_keys(NK);
    for (int round = 0; round < 400; round++) {
        char block[16384];
        size_t len = 0, start[24], lens[24];
        int lines = 1 + (int)(rand_r(&seed) % 24);
        for (int i = 0; i < lines; i++) {
            start[i] = len;
            lens[i] = gen_line(&seed, block + len);
            len += lens[i];
            block[len++] = '\n';
        }
        json_lines_line out[24];
        size_t used, n = json_lines_scan(&k, block, len, out, 24, &used);
        assert_int_equal(n, (size_t)lines);
        for (int i = 0; i < lines; i++) {
            assert_int_equal(out[i].start, start[i]);
            assert_int_equal(out[i].len, lens[i]);
            json_line scanned;
            json_line_init_scanned(&scanned, block + start[i], &out[i], &k);
            for (int q = 0; q < NK; q++) {
                json_line fresh; /* the key asked alone: searched where it can be */
                json_line_init(&fresh, block + start[i], lens[i]);
                mc_value a = mc_null(), b = mc_null();
                int ka = json_line_key(&scanned, keys[q], strlen(keys[q]), &a);
                int kb = json_line_key(&fresh, keys[q], strlen(keys[q]), &b);
                if (ka != kb)
                    fail_msg("%.*s: key %s: %d from the pass, %d alone", (int)lens[i],
                             block + start[i], keys[q], ka, kb);
                if (ka == JSON_RAW_VALUE) {
                    assert_int_equal(a.type, b.type);
                    assert_true(a.type != MC_STR ||
                                (a.len == b.len && !memcmp(a.u.s, b.u.s, a.len)));
                }
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_fewer_keys),
        cmocka_unit_test(test_generated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
