/* Unit tests for src/input/json_raw.c: json_line_key against its contract
 * (a table), against a parse (json_scan) wherever it is sure, and its two
 * ways of reading a line against each other: the index of every key and,
 * on a flat line, the search for one key (json.h). Each case is read both
 * ways; a line's way is forced by its `searches` (0: index). */
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
#include "util/arena.h"

/* json_line_key (json_raw.c) against its contract, and, wherever it says
 * VALUE or NONE on a valid line, against json_scan + json_text: the raw
 * reading never gives what a parse would not. */
static const struct {
    const char *line, *key;
    int kind;                   /* JSON_RAW_* */
    const char *text;           /* the value for VALUE; NULL: null */
} raw_cases[] = {
    {"{\"a\":\"1\",\"timestamp\":\"17\"}", "timestamp", JSON_RAW_VALUE, "17"},
    {"{\"timestamp\" : 17 }", "timestamp", JSON_RAW_VALUE, "17"},
    {"{\"timestamp\"\t:17}", "timestamp", JSON_RAW_VALUE, "17"},
    {"{\"timestamp\":-1.5e3,\"b\":2}", "timestamp", JSON_RAW_VALUE, "-1.5e3"},
    {"{\"timestamp\":null}", "timestamp", JSON_RAW_VALUE, NULL},
    {"{\"a\":1}", "a", JSON_RAW_VALUE, "1"},
    {"{\"b\":\"timestamp\",\"c\":1}", "timestamp", JSON_RAW_NONE, NULL},
    {"{\"b\":1}", "timestamp", JSON_RAW_NONE, NULL},
    {"{\"xtimestamp\":1}", "timestamp", JSON_RAW_NONE, NULL},
    {"{\"timestamp\":1,\"timestamp\":2}", "timestamp", JSON_RAW_UNSURE, NULL},
    {"{\"timestamp\":\"a\\\"b\"}", "timestamp", JSON_RAW_UNSURE, NULL},
    {"{\"timestamp\":true}", "timestamp", JSON_RAW_UNSURE, NULL},
    {"{\"timestamp\":[1]}", "timestamp", JSON_RAW_UNSURE, NULL},
    /* top-level keys only, whatever is nested */
    {"{\"o\":{\"timestamp\":1}}", "timestamp", JSON_RAW_NONE, NULL},
    {"{\"a\":[{\"timestamp\":1}],\"timestamp\":2}", "timestamp", JSON_RAW_VALUE, "2"},
    {"{\"o\":{\"p\":{\"q\":[]}},\"timestamp\":3}", "timestamp", JSON_RAW_VALUE, "3"},
    /* strings that look like structure */
    {"{\"cmd\":\"a \\\"timestamp\\\": 9\",\"timestamp\":3}", "timestamp", JSON_RAW_VALUE, "3"},
    {"{\"a\":\":\",\"timestamp\":4}", "timestamp", JSON_RAW_VALUE, "4"},
    {"{\"a\":\"{[\",\"timestamp\":5}", "timestamp", JSON_RAW_VALUE, "5"},
    {"{\"p\":\"C:\\\\x\\\\\",\"timestamp\":\"6\"}", "timestamp", JSON_RAW_VALUE, "6"},
    {"{\"p\":\"\\\\\\\\u\",\"timestamp\":7}", "timestamp", JSON_RAW_VALUE, "7"}, /* \\u: no escape */
    /* only a parse can tell */
    {"{\"t\\u0069mestamp\":1,\"x\":2}", "x", JSON_RAW_UNSURE, NULL},
    {"{\"x\\\"timestamp\":1}", "timestamp", JSON_RAW_UNSURE, NULL},
    {"[{\"timestamp\":1}]", "timestamp", JSON_RAW_UNSURE, NULL},
    {"{\"a\":1}{\"timestamp\":2}", "timestamp", JSON_RAW_UNSURE, NULL},
    {"{\"timestamp\":1", "timestamp", JSON_RAW_UNSURE, NULL},
    {"{\"timestamp\":1}}", "timestamp", JSON_RAW_UNSURE, NULL},
};

/* What a parse says of key in line: JSON_RAW_VALUE with its text (MC_NULL
 * for null), JSON_RAW_NONE when absent, -1 when the line is no valid JSON. */
static int parsed_key(const char *line, size_t len, const char *key, arena *a, mc_value *v)
{
    json_keys k;
    json_keys_init(&k);
    json_keys_add(&k, key, strlen(key));
    json_slot slots[JSON_MAX_KEYS];
    json_error err;
    int r = json_scan(&k, line, len, slots, &err) ? -1
            : slots[0].type == JSON_ABSENT     ? JSON_RAW_NONE
                                               : JSON_RAW_VALUE;
    if (r == JSON_RAW_VALUE)
        *v = json_text(&slots[0], a);
    json_keys_free(&k);
    return r;
}

/* The raw answer, where sure, is the parse's. */
static void agrees(const char *line, size_t len, const char *key, int kind, mc_value v)
{
    arena a;
    arena_init(&a);
    mc_value parsed = mc_null();
    int p = parsed_key(line, len, key, &a, &parsed);
    if (kind != JSON_RAW_UNSURE && p >= 0) {
        if (p != kind)
            fail_msg("key %s: raw says %d, the parse %d: %.*s", key, kind, p, (int)len, line);
        if (kind == JSON_RAW_VALUE &&
            (parsed.type != v.type ||
             (v.type != MC_NULL && (v.len != parsed.len || memcmp(v.u.s, parsed.u.s, v.len)))))
            fail_msg("key %s: raw value differs from the parse's: %.*s", key, (int)len, line);
    }
    arena_free(&a);
}

/* key's answer on a line read afresh: by search where the line allows
 * (`search`), else by its index. *flat: whether the search read it. */
static int line_key_by(const char *line, size_t len, const char *key, int search, mc_value *v,
                       int *flat)
{
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    json_line l;
    json_line_init(&l, line, len);
    if (!search)
        l.searches = 0;
    *v = mc_null();
    int kind = json_line_key(&l, quoted, strlen(quoted), v);
    if (flat)
        *flat = l.state == 2;
    return kind;
}

static int line_key(const char *line, size_t len, const char *key, mc_value *v)
{
    return line_key_by(line, len, key, 1, v, NULL);
}

static int same_answer(int kind, mc_value v, int kind2, mc_value v2)
{
    if (kind != kind2)
        return 0;
    return kind != JSON_RAW_VALUE || (v.type == v2.type && v.len == v2.len &&
                                      (v.type == MC_NULL || !memcmp(v.u.s, v2.u.s, v.len)));
}

static void test_line_key(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof raw_cases / sizeof raw_cases[0]; i++) {
        const char *line = raw_cases[i].line;
        size_t len = strlen(line);
        mc_value v, by_index;
        int kind = line_key(line, len, raw_cases[i].key, &v);
        print_message("  %s\n", line);
        assert_int_equal(kind, raw_cases[i].kind);
        int indexed = line_key_by(line, len, raw_cases[i].key, 0, &by_index, NULL);
        assert_true(same_answer(kind, v, indexed, by_index));
        if (kind == JSON_RAW_VALUE && raw_cases[i].text) {
            assert_int_equal(v.len, strlen(raw_cases[i].text));
            assert_memory_equal(v.u.s, raw_cases[i].text, v.len);
        } else if (kind == JSON_RAW_VALUE) {
            assert_int_equal(v.type, MC_NULL);
        }
        agrees(line, len, raw_cases[i].key, kind, v);
    }
}

/* Generated lines against the parse: objects of values whose strings hold
 * backslash runs, escaped quotes, colons and brackets, nested objects and
 * arrays, repeated keys, \u escapes, shifted by a padding key of 0 to 70
 * bytes so that every such byte falls at every place of a 64-byte step
 * (the pass's escapes and strings carried from one step to the next). */
static const char *const pieces[] = {"ab", "\\\\", "\\\"", ":", "{", "}", "[", "]", ",",
                                     "\\\"timestamp\\\":", " ", "\\\\\\\"", "\\u00e9",
                                     "\\\\u", "\\n"};
static const char *const values[] = {"1", "-2.5e3", "null", "true", "{\"timestamp\":1}",
                                     "[1,{\"a\":\"x\"}]", "{}", "[]", "\"\""};
static const char *const gen_keys[] = {"timestamp", "a", "RemotePort", "x\\\"y", "b\\\\",
                                       "RemotePort"};

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static size_t gen_line(char *buf, size_t cap, uint32_t *seed, size_t pad)
{
    size_t n = (size_t)snprintf(buf, cap, "{\"pad\":\"%*s\"", (int)pad, "");
    int fields = 1 + (int)(lcg(seed) % 10);
    for (int f = 0; f < fields && n + 200 < cap; f++) {
        n += (size_t)snprintf(buf + n, cap - n, ",\"%s\"%s:",
                              gen_keys[lcg(seed) % (sizeof gen_keys / sizeof *gen_keys)],
                              lcg(seed) % 5 ? "" : " ");
        if (lcg(seed) % 3 == 0) {
            n += (size_t)snprintf(buf + n, cap - n, "%s",
                                  values[lcg(seed) % (sizeof values / sizeof *values)]);
            continue;
        }
        buf[n++] = '"';
        for (int k = (int)(lcg(seed) % 8); k > 0; k--)
            n += (size_t)snprintf(buf + n, cap - n, "%s",
                                  pieces[lcg(seed) % (sizeof pieces / sizeof *pieces)]);
        buf[n++] = '"';
    }
    buf[n++] = '}';
    buf[n] = '\0';
    return n;
}

/* As many top-level keys as a line's index holds are read; one more, and
 * only a parse can tell. The search holds no keys, and reads it. */
static void test_line_key_many(void **state)
{
    (void)state;
    for (int keys = JSON_LINE_KEYS; keys <= JSON_LINE_KEYS + 1; keys++) {
        char line[4096];
        size_t n = 0;
        for (int i = 0; i < keys; i++)
            n += (size_t)snprintf(line + n, sizeof line - n, "%c\"k%d\":%d", i ? ',' : '{', i, i);
        line[n++] = '}';
        mc_value v;
        int kind = line_key_by(line, n, "k5", 0, &v, NULL);
        assert_int_equal(kind, keys == JSON_LINE_KEYS ? JSON_RAW_VALUE : JSON_RAW_UNSURE);
        if (kind == JSON_RAW_VALUE)
            assert_memory_equal(v.u.s, "5", 1);
        int flat;
        kind = line_key_by(line, n, "k5", 1, &v, &flat);
        assert_int_equal(kind, flat || keys == JSON_LINE_KEYS ? JSON_RAW_VALUE : JSON_RAW_UNSURE);
        if (kind == JSON_RAW_VALUE)
            assert_memory_equal(v.u.s, "5", 1);
    }
}

/* A line that ends in a backslash (a cut string), alone in a buffer of its
 * own length: the pass reads no byte past it (ASan watches), whatever
 * that backslash would escape. */
static void test_line_key_cut_escape(void **state)
{
    (void)state;
    static const char *const cut[] = {"{\"a\":\"\\", "{\"a\":1,\"b\":\"x\\",
                                      "{\"pad\":\"0123456789012345678901234567890123456789012345678\\"};
    for (size_t i = 0; i < sizeof cut / sizeof *cut; i++)
        for (size_t pad = 0; pad < 70; pad++) {
            size_t len = pad + strlen(cut[i]);
            char *line = malloc(len);
            memset(line, ' ', pad);
            memcpy(line + pad, cut[i], len - pad);
            mc_value v;
            json_line l;
            json_line_init(&l, line, len);
            assert_int_equal(json_line_key(&l, "\"a\"", 3, &v), JSON_RAW_UNSURE);
            free(line);
        }
}

/* Flat lines, the search's: keys that end or begin like the one asked,
 * one after an escaped quote, repeated keys, spaces about the colon, the
 * key's needle as a value and inside strings, values raw reading cannot
 * read, and now and then a bracket or a \u in a string (the line is then
 * indexed), shifted by 0 to 70 bytes across the 64-byte steps. The search
 * must give the index's answer exactly, and the parse's where sure. */
static const char *const flat_keys[] = {"timestamp", "xtimestamp", "timestampx", "x\\\"timestamp",
                                        "RemotePort", "a", "timestamp", "Remote", ":", ",", " ,"};
static const char *const flat_values[] = {"\"timestamp\"", "17", "-1.5e3", "null", "true",
                                          "\"a \\\"timestamp\\\": 9\"", "\"C:\\\\x\\\\\"",
                                          "\"x\\\"\"", "\"\\\\u\"", "\"{\"", "\"\\u00e9\"",
                                          "\"25\"", "\"timestamp\\\\\""};

static size_t gen_flat_line(char *buf, size_t cap, uint32_t *seed, size_t pad)
{
    size_t n = (size_t)snprintf(buf, cap, "{\"pad\":\"%*s\"", (int)pad, "");
    int fields = 1 + (int)(lcg(seed) % 8);
    for (int f = 0; f < fields && n + 100 < cap; f++) {
        const char *value = flat_values[lcg(seed) % (sizeof flat_values / sizeof *flat_values)];
        if (lcg(seed) % 4 && (strchr(value, '{') || strstr(value, "\\u00")))
            value = "\"25\""; /* mostly flat */
        n += (size_t)snprintf(buf + n, cap - n, ",\"%s\"%s:%s%s",
                              flat_keys[lcg(seed) % (sizeof flat_keys / sizeof *flat_keys)],
                              lcg(seed) % 5 ? "" : " ", lcg(seed) % 5 ? "" : " ", value);
    }
    buf[n++] = '}';
    buf[n] = '\0';
    return n;
}

/* Counts over generated lines. */
typedef struct tally {
    int sure, searched, total;
    int paired; /* lines json_line_pair read both keys of in one pass */
} tally;

/* Keys of letters, and keys a needle of which could begin at a value's
 * opening quote (":" in {"a":":null"}), which are never searched for. */
static const char *const asked[] = {"timestamp", "a",  "RemotePort", "Remote",
                                    "pad",       "zz", ":",          ","};

/* Two quoted keys asked of a line at once, then one by one: the answers
 * of the line read afresh for each. 1 when the one pass read both. */
static int check_pair(const char *buf, size_t len, const char *k0, const char *k1)
{
    json_line both;
    json_line_init(&both, buf, len);
    json_line_pair(&both, k0, strlen(k0), k1, strlen(k1));
    int read = both.nmemo == 2;
    const char *keys[2] = {k0, k1};
    for (int j = 0; j < 2; j++) {
        char bare[32];
        snprintf(bare, sizeof bare, "%.*s", (int)strlen(keys[j]) - 2, keys[j] + 1);
        mc_value v, v2;
        int kind = line_key_by(buf, len, bare, 1, &v, NULL);
        int kind2 = json_line_key(&both, keys[j], strlen(keys[j]), &v2);
        if (!same_answer(kind2, v2, kind, v))
            fail_msg("key %s asked in a pair: %d, alone %d: %s", bare, kind2, kind, buf);
    }
    return read;
}

/* Every key of asked[] on 3000 lines of gen: each read afresh by search
 * (where the line allows) and by index, which must agree exactly where the
 * search answered, and with the parse where sure; all asked of one line
 * twice, past the answers it keeps and its searches; and two of them asked
 * at once (json_line_pair), then one by one. Each must answer as the fresh
 * reading did. */
static tally check_lines(size_t (*gen)(char *, size_t, uint32_t *, size_t), uint32_t seed)
{
    char buf[4096];
    tally t = {0, 0, 0, 0};
    const size_t nasked = sizeof asked / sizeof *asked;
    char quoted[sizeof asked / sizeof *asked][32];
    for (size_t k = 0; k < nasked; k++)
        snprintf(quoted[k], sizeof quoted[k], "\"%s\"", asked[k]);
    for (int i = 0; i < 3000; i++) {
        size_t len = gen(buf, sizeof buf, &seed, (size_t)i % 71);
        json_line same;
        json_line_init(&same, buf, len);
        for (size_t k = 0; k < 2 * nasked; k++) {
            const char *key = asked[k % nasked];
            mc_value v, by_index, again;
            int flat, kind = line_key_by(buf, len, key, 1, &v, &flat);
            int indexed = line_key_by(buf, len, key, 0, &by_index, NULL);
            if (flat && !same_answer(kind, v, indexed, by_index))
                fail_msg("key %s: search says %d, the index %d: %s", key, kind, indexed, buf);
            agrees(buf, len, key, kind, v);
            /* A line borrows the keys it is asked for: one buffer each. */
            const char *q = quoted[k % nasked];
            int kind2 = json_line_key(&same, q, strlen(q), &again);
            if (!same_answer(kind2, again, kind, v))
                fail_msg("key %s asked again on one line: another answer: %s", key, buf);
            t.sure += kind != JSON_RAW_UNSURE;
            t.searched += flat;
            t.total++;
        }
        t.paired += check_pair(buf, len, quoted[(size_t)i % nasked],
                               quoted[((size_t)i + 3) % nasked]);
    }
    return t;
}

static void test_line_key_generated(void **state)
{
    (void)state;
    tally t = check_lines(gen_line, 11);
    /* Most lines are plain enough to read raw: a pass that gave up on
     * everything would pass the comparisons. */
    print_message("  %d of %d answers sure\n", t.sure, t.total);
    assert_true(t.sure * 4 > t.total);
}

static void test_line_key_flat(void **state)
{
    (void)state;
    tally t = check_lines(gen_flat_line, 5);
    print_message("  %d of %d answers by search, %d of 3000 lines asked for a pair in one pass\n",
                  t.searched, t.total, t.paired);
    if (simd64_level() == SIMD64_NONE)
        skip(); /* the search needs AVX2 at least; the index answered every one */
    assert_true(t.searched * 2 > t.total);
    assert_true(t.paired * 4 > 3000);
}

/* A flat line where the needle is mostly a value (the value "a" is the
 * needle "a"): each such place is passed over, wherever the key is. */
static void test_line_key_many_candidates(void **state)
{
    (void)state;
    for (int at = 0; at < 60; at += 19) {
        char line[1024];
        size_t n = (size_t)snprintf(line, sizeof line, "{\"x\":0");
        for (int i = 0; i < 60; i++)
            n += (size_t)snprintf(line + n, sizeof line - n,
                                  i == at ? ",\"a\":5" : ",\"v%d\":\"a\"", i);
        line[n++] = '}';
        mc_value v, by_index;
        int flat, kind = line_key_by(line, n, "a", 1, &v, &flat);
        assert_true(flat || simd64_level() == SIMD64_NONE);
        assert_int_equal(kind, JSON_RAW_VALUE);
        assert_int_equal(v.len, 1);
        assert_memory_equal(v.u.s, "5", 1);
        assert_true(same_answer(kind, v, line_key_by(line, n, "a", 0, &by_index, NULL), by_index));
    }
}

/* Flat lines alone in a buffer of their own length, the key at the end
 * and its value the line's last bytes but one, at every place of a
 * 64-byte step: the search reads no byte past the line (ASan watches the
 * bytes it reads one by one). */
static void test_line_key_flat_cut(void **state)
{
    (void)state;
    for (size_t pad = 0; pad < 70; pad++) {
        char text[160];
        int n = snprintf(text, sizeof text, "{\"p\":\"%*s\",\"a\":12}", (int)pad, "");
        char *line = malloc((size_t)n);
        memcpy(line, text, (size_t)n);
        mc_value v;
        assert_int_equal(line_key_by(line, (size_t)n, "a", 1, &v, NULL), JSON_RAW_VALUE);
        assert_int_equal(v.len, 2);
        assert_memory_equal(v.u.s, "12", 2);
        free(line);
    }
    json_line l;
    json_line_init(&l, "{", 0); /* no bytes: the braces are not read */
    mc_value v;
    assert_int_equal(json_line_key(&l, "\"a\"", 3, &v), JSON_RAW_UNSURE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_key),
        cmocka_unit_test(test_line_key_many),
        cmocka_unit_test(test_line_key_cut_escape),
        cmocka_unit_test(test_line_key_generated),
        cmocka_unit_test(test_line_key_flat),
        cmocka_unit_test(test_line_key_many_candidates),
        cmocka_unit_test(test_line_key_flat_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
