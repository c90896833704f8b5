/* Unit tests for src/input/json.c: tables of line -> expected slots, line ->
 * expected error (message substring and byte offset), escaped slice ->
 * unescaped bytes; then whole-line properties (every truncation fails,
 * mutated lines never crash) and the key table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/json.h"

/* ---- valid lines ---- */

struct want {
    const char *key;      /* wanted top-level key (unescaped) */
    uint8_t type;         /* expected json_type; JSON_ABSENT if not there */
    const char *text;     /* expected raw slice (strings: inside the quotes) */
    const char *decoded;  /* strings: json_unescape result; NULL = same as text */
    size_t decoded_len;   /* 0 = strlen(decoded) */
};

struct valid_case {
    const char *reason;
    const char *line;
    size_t len; /* 0 = strlen(line) */
    struct want want[8];
};

#define FALCON_LINE                                                                      \
    "{\"event_simpleName\":\"ProcessRollup2\",\"ContextTimeStamp\":\"1700000000.123\","   \
    "\"aid\":\"0123456789abcdef0123456789abcdef\",\"cid\":\"fedcba9876543210fedcba98\","    \
    "\"RawProcessId\":\"4242\",\"TargetProcessId\":\"123456789012\","                     \
    "\"CommandLine\":\"\\\"C:\\\\Windows\\\\system32\\\\cmd.exe\\\" /c whoami\","            \
    "\"ImageFileName\":\"\\\\Device\\\\HarddiskVolume3\\\\Windows\\\\System32\\\\cmd.exe\"," \
    "\"timestamp\":\"1700000000456\",\"name\":\"ProcessRollup2V19\",\"ConfigStateHash\":\"1234\"}"

static const struct valid_case valid_cases[] = {
    {"Falcon ProcessRollup2: numbers as strings, escaped Windows paths", FALCON_LINE, 0,
     {{"event_simpleName", JSON_STRING, "ProcessRollup2", NULL, 0},
      {"RawProcessId", JSON_STRING, "4242", NULL, 0},
      {"CommandLine", JSON_STRING, "\\\"C:\\\\Windows\\\\system32\\\\cmd.exe\\\" /c whoami",
       "\"C:\\Windows\\system32\\cmd.exe\" /c whoami", 0},
      {"timestamp", JSON_STRING, "1700000000456", NULL, 0},
      {"ConfigStateHash", JSON_STRING, "1234", NULL, 0},
      {"UserName", JSON_ABSENT, NULL, NULL, 0}}},
    {"nested object value is returned whole; nested keys are not extracted",
     "{\"a\":{\"b\":[1,2,{\"c\":null}],\"d\":\"x\"},\"z\":-1.5e3}", 0,
     {{"a", JSON_OBJECT, "{\"b\":[1,2,{\"c\":null}],\"d\":\"x\"}", NULL, 0},
      {"z", JSON_NUMBER, "-1.5e3", NULL, 0},
      {"b", JSON_ABSENT, NULL, NULL, 0},
      {"c", JSON_ABSENT, NULL, NULL, 0},
      {"d", JSON_ABSENT, NULL, NULL, 0}}},
    {"array value with inner whitespace is returned whole",
     "{\"arr\":[ 1 , \"x\" , [] , {} , [[true]] ]}", 0,
     {{"arr", JSON_ARRAY, "[ 1 , \"x\" , [] , {} , [[true]] ]", NULL, 0}}},
    {"same key nested and at top level: the top-level one is taken",
     "{\"o\":{\"k\":1},\"k\":2}", 0,
     {{"k", JSON_NUMBER, "2", NULL, 0}, {"o", JSON_OBJECT, "{\"k\":1}", NULL, 0}}},
    {"literals", "{\"t\":true,\"f\":false,\"n\":null}", 0,
     {{"t", JSON_TRUE, "true", NULL, 0},
      {"f", JSON_FALSE, "false", NULL, 0},
      {"n", JSON_NULL, "null", NULL, 0}}},
    {"number grammar: zero, minus zero, fraction, exponents, big integer",
     "{\"a\":0,\"b\":-0,\"c\":0.5,\"d\":1E+2,\"e\":-12.75e-3,\"f\":123456789012345678901234567890}",
     0,
     {{"a", JSON_NUMBER, "0", NULL, 0},
      {"b", JSON_NUMBER, "-0", NULL, 0},
      {"c", JSON_NUMBER, "0.5", NULL, 0},
      {"d", JSON_NUMBER, "1E+2", NULL, 0},
      {"e", JSON_NUMBER, "-12.75e-3", NULL, 0},
      {"f", JSON_NUMBER, "123456789012345678901234567890", NULL, 0}}},
    {"every simple escape in a value",
     "{\"s\":\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\"}", 0,
     {{"s", JSON_STRING, "q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f", "q\"b\\s/n\nt\tr\rb\bf\f", 0}}},
    {"\\u00e9 decodes to 2-byte UTF-8", "{\"city\":\"caf\\u00e9\"}", 0,
     {{"city", JSON_STRING, "caf\\u00e9", "caf\xc3\xa9", 0}}},
    {"surrogate pair decodes to one 4-byte UTF-8 character",
     "{\"emoji\":\"\\ud83d\\ude00!\"}", 0,
     {{"emoji", JSON_STRING, "\\ud83d\\ude00!", "\xf0\x9f\x98\x80!", 0}}},
    {"upper-case hex digits in a surrogate pair", "{\"e\":\"\\uD83D\\uDE00\"}", 0,
     {{"e", JSON_STRING, "\\uD83D\\uDE00", "\xf0\x9f\x98\x80", 0}}},
    {"\\u0000 is valid and decodes to a NUL byte", "{\"a\":\"x\\u0000y\"}", 0,
     {{"a", JSON_STRING, "x\\u0000y", "x\0y", 3}}},
    {"key written with an escape matches its unescaped name",
     "{\"na\\u006de\":\"v\",\"x\":1}", 0,
     {{"name", JSON_STRING, "v", NULL, 0}, {"x", JSON_NUMBER, "1", NULL, 0}}},
    {"keys containing escaped backslash and quote", "{\"a\\\\b\":1,\"a\\\"q\":2}", 0,
     {{"a\\b", JSON_NUMBER, "1", NULL, 0}, {"a\"q", JSON_NUMBER, "2", NULL, 0}}},
    {"escaped key decoding to an unwanted name is not a match", "{\"n\\u0061mex\":1}", 0,
     {{"name", JSON_ABSENT, NULL, NULL, 0}, {"namex", JSON_NUMBER, "1", NULL, 0}}},
    {"key escaped as a surrogate pair matches its UTF-8 name",
     "{\"\\ud83d\\ude00\":1}", 0,
     {{"\xf0\x9f\x98\x80", JSON_NUMBER, "1", NULL, 0}}},
    {"duplicate keys: the last occurrence wins", "{\"a\":1,\"b\":2,\"a\":\"last\"}", 0,
     {{"a", JSON_STRING, "last", NULL, 0}, {"b", JSON_NUMBER, "2", NULL, 0}}},
    {"duplicate key where the last occurrence is spelled with an escape",
     "{\"a\":1,\"\\u0061\":2}", 0, {{"a", JSON_NUMBER, "2", NULL, 0}}},
    {"whitespace (space, tab, CR, LF) around every token",
     " \t{ \"a\" : 1 ,\r\n\"b\"\t:\t[ ] } \t", 0,
     {{"a", JSON_NUMBER, "1", NULL, 0}, {"b", JSON_ARRAY, "[ ]", NULL, 0}}},
    {"empty object: every key absent", "{}", 0, {{"a", JSON_ABSENT, NULL, NULL, 0}}},
    {"empty object with inner whitespace", "{ }", 0, {{"a", JSON_ABSENT, NULL, NULL, 0}}},
    {"absent keys: matching is exact and case-sensitive", "{\"a\":1}", 0,
     {{"A", JSON_ABSENT, NULL, NULL, 0}, {"", JSON_ABSENT, NULL, NULL, 0},
      {"aa", JSON_ABSENT, NULL, NULL, 0}}},
    {"the empty key is a key", "{\"\":5}", 0, {{"", JSON_NUMBER, "5", NULL, 0}}},
    {"empty string value", "{\"a\":\"\"}", 0, {{"a", JSON_STRING, "", NULL, 0}}},
    {"raw multi-byte UTF-8 is kept as is", "{\"k\":\"\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac\"}", 0,
     {{"k", JSON_STRING, "\xc3\xa9\xe6\x97\xa5\xe6\x9c\xac", NULL, 0}}},
    {"invalid UTF-8 bytes are accepted (dirty telemetry)", "{\"k\":\"\xff\xfe\xc3(\x80\"}", 0,
     {{"k", JSON_STRING, "\xff\xfe\xc3(\x80", NULL, 0}}},
    {"DEL (0x7f) is not a control character for JSON", "{\"k\":\"a\x7f\"}", 0,
     {{"k", JSON_STRING, "a\x7f", NULL, 0}}},
    {"a UTF-8 byte order mark at the start of the line is skipped", "\xef\xbb\xbf{\"a\":1}", 0,
     {{"a", JSON_NUMBER, "1", NULL, 0}}},
    {"key text inside a string value is not a key", "{\"x\":\"\\\"a\\\":1\"}", 0,
     {{"a", JSON_ABSENT, NULL, NULL, 0}}},
    {"long strings with escapes at word boundaries (8-byte scan)",
     "{\"long\":\"0123456\\\"89abcdef\\\\0123456789abcdef0123456789\"}", 0,
     {{"long", JSON_STRING, "0123456\\\"89abcdef\\\\0123456789abcdef0123456789",
       "0123456\"89abcdef\\0123456789abcdef0123456789", 0}}},
    {"string ending exactly after an 8-byte block", "{\"k\":\"01234567\",\"j\":\"0123456789abcdef\"}",
     0,
     {{"k", JSON_STRING, "01234567", NULL, 0}, {"j", JSON_STRING, "0123456789abcdef", NULL, 0}}},
};

static void check_valid(const struct valid_case *c)
{
    size_t len = c->len ? c->len : strlen(c->line);
    json_keys k;
    json_keys_init(&k);
    int idx[8];
    int n = 0;
    for (; n < 8 && c->want[n].key; n++) {
        idx[n] = json_keys_add(&k, c->want[n].key, strlen(c->want[n].key));
        assert_true(idx[n] >= 0);
    }
    json_slot slots[JSON_MAX_KEYS];
    json_error err = {0, "", NULL, 0};
    int rc = json_scan(&k, c->line, len, slots, &err);
    if (rc != 0) {
        print_error("[%s] %s: unexpected error at %zu: %s\n", c->reason, c->line, err.offset,
                    err.msg);
        fail();
    }
    for (int i = 0; i < n; i++) {
        const struct want *w = &c->want[i];
        const json_slot *s = &slots[idx[i]];
        if (s->type != w->type) {
            print_error("[%s] key %s: type %d, want %d\n", c->reason, w->key, s->type, w->type);
            fail();
        }
        if (w->type == JSON_ABSENT) continue;
        if (s->len != strlen(w->text) || memcmp(s->p, w->text, s->len) != 0) {
            print_error("[%s] key %s: slice '%.*s', want '%s'\n", c->reason, w->key, (int)s->len,
                        s->p, w->text);
            fail();
        }
        /* Slices point into the line itself. */
        assert_true(s->p >= c->line && s->p + s->len <= c->line + len);
        if (w->type != JSON_STRING) continue;
        int has_bs = memchr(w->text, '\\', strlen(w->text)) != NULL;
        if (s->escaped != has_bs) {
            print_error("[%s] key %s: escaped=%d\n", c->reason, w->key, s->escaped);
            fail();
        }
        const char *dec = w->decoded ? w->decoded : w->text;
        size_t dlen = w->decoded_len ? w->decoded_len : strlen(dec);
        char *buf = malloc(s->len + 1);
        assert_non_null(buf);
        size_t got = json_unescape(s->p, s->len, buf);
        if (got != dlen || memcmp(buf, dec, dlen) != 0) {
            print_error("[%s] key %s: unescaped to %zu bytes '%.*s'\n", c->reason, w->key, got,
                        (int)got, buf);
            free(buf);
            fail();
        }
        free(buf);
    }
    json_keys_free(&k);
}

static void test_valid_lines(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof valid_cases / sizeof valid_cases[0]; i++)
        check_valid(&valid_cases[i]);
}

/* ---- invalid lines ---- */

struct invalid_case {
    const char *reason;
    const char *line;
    size_t len; /* 0 = strlen(line) */
    const char *msg;  /* substring of err.msg */
    size_t offset;
};

static const struct invalid_case invalid_cases[] = {
    {"empty line", "", 0, "expected a JSON object", 0},
    {"only whitespace", "   ", 0, "expected a JSON object", 3},
    {"top-level array", "[1,2]", 0, "expected a JSON object", 0},
    {"top-level string", "\"str\"", 0, "expected a JSON object", 0},
    {"top-level number", "42", 0, "expected a JSON object", 0},
    {"top-level null", "null", 0, "expected a JSON object", 0},
    {"truncated after a number value", "{\"a\":1", 0, "unexpected end of line (truncated record?)", 6},
    {"truncated after ':'", "{\"a\":", 0, "unexpected end of line", 5},
    {"truncated after a key", "{\"a\"", 0, "unexpected end of line", 4},
    {"truncated after '{'", "{", 0, "unexpected end of line", 1},
    {"truncated after ','", "{\"a\":1,", 0, "unexpected end of line", 7},
    {"truncated inside an array", "{\"a\":[1,2", 0, "unexpected end of line", 9},
    {"truncated inside a literal", "{\"a\":tr", 0, "unexpected end of line", 7},
    {"truncated after a decimal point", "{\"a\":1.", 0, "unexpected end of line", 7},
    {"truncated after a minus sign", "{\"a\":-", 0, "unexpected end of line", 6},
    {"truncated inside a string value (offset: its opening quote)", "{\"a\":\"xy", 0,
     "unterminated string", 5},
    {"truncated inside a key", "{\"ab", 0, "unterminated string", 1},
    {"truncated right after a backslash", "{\"a\":\"x\\", 0, "unterminated string", 5},
    {"truncated inside \\u digits", "{\"a\":\"\\u12", 0, "unterminated string", 5},
    {"truncated between the halves of a surrogate pair", "{\"a\":\"\\ud83d\\", 0,
     "unterminated string", 5},
    {"unknown escape \\q", "{\"a\":\"\\q\"}", 0, "invalid escape '\\q' in string", 6},
    {"\\x is not a JSON escape", "{\"a\":\"\\x41\"}", 0, "invalid escape '\\x'", 6},
    {"\\' is not a JSON escape", "{\"a\":\"\\'\"}", 0, "invalid escape '\\''", 6},
    {"\\U (upper case) is not a JSON escape", "{\"a\":\"\\U00e9\"}", 0, "invalid escape '\\U'", 6},
    {"backslash before a control byte", "{\"a\":\"\\\x01\"}", 0, "invalid escape (byte 0x01", 6},
    {"bad hex digit in \\u", "{\"a\":\"\\u12G4\"}", 0, "invalid \\u escape", 6},
    {"\\u with too few digits", "{\"a\":\"\\u12\"}", 0, "invalid \\u escape", 6},
    {"invalid escape inside a key", "{\"a\\q\":1}", 0, "invalid escape '\\q'", 3},
    {"leading zero", "{\"a\":01}", 0, "invalid number", 6},
    {"leading zero after minus", "{\"a\":-01}", 0, "invalid number", 7},
    {"no digit after the decimal point", "{\"a\":1.}", 0, "invalid number", 7},
    {"minus sign alone", "{\"a\":-}", 0, "invalid number", 6},
    {"exponent without digits", "{\"a\":1e}", 0, "invalid number", 7},
    {"signed exponent without digits", "{\"a\":1e+}", 0, "invalid number", 8},
    {"leading decimal point", "{\"a\":.5}", 0, "invalid number", 5},
    {"leading plus sign", "{\"a\":+1}", 0, "invalid number", 5},
    {"two decimal points", "{\"a\":1.2.3}", 0, "invalid number", 8},
    {"hexadecimal number", "{\"a\":0x1F}", 0, "invalid number", 6},
    {"bad number inside a nested array is still found", "{\"a\":[1,{\"b\":01}]}", 0,
     "invalid number", 14},
    {"lone high surrogate at the end of the string", "{\"a\":\"\\ud83d\"}", 0,
     "unpaired surrogate", 6},
    {"lone low surrogate", "{\"a\":\"\\ude00\"}", 0, "unpaired surrogate", 6},
    {"high surrogate followed by a plain character", "{\"a\":\"\\ud83dx\"}", 0,
     "unpaired surrogate", 6},
    {"high surrogate followed by a non-surrogate \\u", "{\"a\":\"\\ud83d\\u0041\"}", 0,
     "unpaired surrogate", 6},
    {"two high surrogates", "{\"a\":\"\\ud83d\\ud83d\"}", 0, "unpaired surrogate", 6},
    {"high surrogate followed by another escape", "{\"a\":\"\\ud83d\\n\"}", 0,
     "unpaired surrogate", 6},
    {"bad hex in the low half of a pair", "{\"a\":\"\\ud83d\\uZZZZ\"}", 0, "invalid \\u escape",
     12},
    {"raw tab in a string", "{\"a\":\"x\ty\"}", 0, "control character in string", 7},
    {"raw newline in a string", "{\"a\":\"x\ny\"}", 0, "control character in string", 7},
    {"raw NUL in a string", "{\"a\":\"x\0y\"}", 11, "control character in string", 7},
    {"control character in a key", "{\"a\x01\":1}", 0, "control character in string", 3},
    {"control character after 8 clean bytes", "{\"a\":\"01234567\x1f\"}", 0,
     "control character in string", 14},
    {"garbage after the object", "{\"a\":1} x", 0, "trailing characters after object", 8},
    {"extra closing brace", "{\"a\":1}}", 0, "trailing characters after object", 7},
    {"two objects on one line", "{\"a\":1}{\"b\":2}", 0, "trailing characters after object", 7},
    {"trailing comma after the object", "{\"a\":1},", 0, "trailing characters after object", 7},
    {"NUL byte after the object", "{\"a\":1}\0", 8, "trailing characters after object", 7},
    {"missing colon", "{\"a\" 1}", 0, "expected ':' after key", 5},
    {"comma instead of colon", "{\"a\",1}", 0, "expected ':' after key", 4},
    {"trailing comma in an object", "{\"a\":1,}", 0, "expected a string key", 7},
    {"unquoted key", "{a:1}", 0, "expected a string key", 1},
    {"single-quoted key", "{'a':1}", 0, "expected a string key", 1},
    {"missing comma between members", "{\"a\":1 \"b\":2}", 0, "expected ',' or '}' in object", 7},
    {"comment in an object", "{\"a\":1 /* c */}", 0, "expected ',' or '}' in object", 7},
    {"missing comma in an array", "{\"a\":[1 2]}", 0, "expected ',' or ']' in array", 8},
    {"object closed by ']'", "{\"a\":[1}", 0, "expected ',' or ']' in array", 7},
    {"trailing comma in an array", "{\"a\":[1,]}", 0, "expected a value", 8},
    {"leading comma in an array", "{\"a\":[,1]}", 0, "expected a value", 6},
    {"missing value", "{\"a\":}", 0, "expected a value", 5},
    {"misspelt literal", "{\"a\":tru}", 0, "invalid literal", 5},
    {"truncated null", "{\"a\":nul", 0, "unexpected end of line", 8},
    {"capitalised literal", "{\"a\":True}", 0, "expected a value", 5},
    {"literal running on", "{\"a\":nullx}", 0, "invalid literal", 5},
    {"NaN is not JSON", "{\"a\":NaN}", 0, "expected a value", 5},
    {"invalid escape in a nested, unwanted value", "{\"a\":{\"b\":\"\\q\"}}", 0,
     "invalid escape '\\q'", 11},
};

static void check_invalid(const struct invalid_case *c, const json_keys *k)
{
    size_t len = c->len ? c->len : strlen(c->line);
    json_slot slots[JSON_MAX_KEYS];
    json_error err = {12345, "unset", NULL, 0};
    int rc = json_scan(k, c->line, len, slots, &err);
    if (rc != -1) {
        print_error("[%s] %s: accepted (rc %d)\n", c->reason, c->line, rc);
        fail();
    }
    if (strstr(err.msg, c->msg) == NULL || err.offset != c->offset) {
        print_error("[%s] %s: got \"%s\" at %zu, want \"%s\" at %zu\n", c->reason, c->line,
                    err.msg, err.offset, c->msg, c->offset);
        fail();
    }
}

static void test_invalid_lines(void **state)
{
    (void)state;
    json_keys k;
    json_keys_init(&k);
    /* Wanted keys must not change what is rejected. */
    json_keys_add(&k, "a", 1);
    json_keys_add(&k, "b", 1);
    for (size_t i = 0; i < sizeof invalid_cases / sizeof invalid_cases[0]; i++)
        check_invalid(&invalid_cases[i], &k);
    json_keys_free(&k);
    /* And with no wanted keys at all. */
    json_keys_init(&k);
    for (size_t i = 0; i < sizeof invalid_cases / sizeof invalid_cases[0]; i++)
        check_invalid(&invalid_cases[i], &k);
}

static void test_error_message_exact(void **state)
{
    (void)state;
    json_keys k;
    json_keys_init(&k);
    json_error err;
    const char *line = "{\"a\":\"\\q\"}";
    assert_int_equal(json_scan(&k, line, strlen(line), NULL, &err), -1);
    assert_string_equal(err.msg, "invalid escape '\\q' in string");
    line = "{\"a\":[[1]]";
    assert_int_equal(json_scan(&k, line, strlen(line), NULL, &err), -1);
    assert_string_equal(err.msg, "unexpected end of line (truncated record?)");
    assert_int_equal(err.offset, strlen(line));
}

/* ---- depth ---- */

/* {"a": then `inner` opening brackets (each '[' or '{"a":'), then closers. */
static char *nested(int inner, int objects, size_t *len)
{
    size_t cap = 16 + (size_t)inner * 8;
    char *s = malloc(cap);
    size_t n = 0;
    n += (size_t)sprintf(s + n, "{\"a\":");
    for (int i = 0; i < inner; i++) n += (size_t)sprintf(s + n, objects ? "{\"a\":" : "[");
    n += (size_t)sprintf(s + n, "1");
    for (int i = 0; i < inner; i++) s[n++] = objects ? '}' : ']';
    s[n++] = '}';
    s[n] = '\0';
    *len = n;
    return s;
}

static void test_depth(void **state)
{
    (void)state;
    json_keys k;
    json_keys_init(&k);
    assert_int_equal(json_keys_add(&k, "a", 1), 0);
    json_slot slots[1];
    json_error err;
    size_t len;
    for (int objects = 0; objects <= 1; objects++) {
        /* 63 containers inside the top-level object: depth 64, the limit. */
        char *s = nested(JSON_MAX_DEPTH - 1, objects, &len);
        assert_int_equal(json_scan(&k, s, len, slots, &err), 0);
        assert_int_equal(slots[0].type, objects ? JSON_OBJECT : JSON_ARRAY);
        assert_int_equal(slots[0].len, len - 6);
        free(s);
        /* 64 inside: depth 65; the 64th inner opener is where it breaks. */
        s = nested(JSON_MAX_DEPTH, objects, &len);
        assert_int_equal(json_scan(&k, s, len, slots, &err), -1);
        assert_string_equal(err.msg, "nesting deeper than 64");
        size_t step = objects ? 5 : 1;
        assert_int_equal(err.offset, 5 + (JSON_MAX_DEPTH - 1) * step);
        free(s);
    }
    /* Very deep input must not recurse without bound. */
    char *s = nested(100000, 0, &len);
    assert_int_equal(json_scan(&k, s, len, slots, &err), -1);
    assert_string_equal(err.msg, "nesting deeper than 64");
    free(s);
    json_keys_free(&k);
}

/* ---- json_unescape ---- */

struct unescape_case {
    const char *reason;
    const char *in;
    size_t in_len; /* 0 = strlen */
    const char *out;
    size_t out_len; /* 0 = strlen */
};

static const struct unescape_case unescape_cases[] = {
    {"no escapes: copied", "plain text", 0, "plain text", 0},
    {"empty", "", 0, "", 0},
    {"quote and backslash", "a\\\"b\\\\c", 0, "a\"b\\c", 0},
    {"all one-letter escapes", "\\/\\b\\f\\n\\r\\t", 0, "/\b\f\n\r\t", 0},
    {"\\u00e9 -> 2 bytes", "caf\\u00e9", 0, "caf\xc3\xa9", 0},
    {"1-, 2- and 3-byte code points, mixed-case hex", "\\u0041\\u00DF\\u20aC", 0,
     "A\xc3\x9f\xe2\x82\xac", 0},
    {"U+07FF and U+0800 boundaries", "\\u07ff\\u0800", 0, "\xdf\xbf\xe0\xa0\x80", 0},
    {"surrogate pair -> 4 bytes", "\\ud83d\\ude00", 0, "\xf0\x9f\x98\x80", 0},
    {"highest code point U+10FFFF", "\\udbff\\udfff", 0, "\xf4\x8f\xbf\xbf", 0},
    {"\\u0000 -> NUL byte", "x\\u0000y", 0, "x\0y", 3},
    {"invalid UTF-8 bytes copied untouched", "\xff\xc3(\x80", 0, "\xff\xc3(\x80", 0},
    /* Unvalidated input must still be handled without overrunning dst. */
    {"unknown escape kept as is", "\\q", 0, "\\q", 0},
    {"trailing lone backslash kept", "ab\\", 0, "ab\\", 0},
    {"short \\u kept as is", "\\u12", 0, "\\u12", 0},
    {"lone high surrogate -> U+FFFD", "\\ud83dx", 0, "\xef\xbf\xbdx", 0},
    {"lone low surrogate -> U+FFFD", "\\ude00", 0, "\xef\xbf\xbd", 0},
    {"high surrogate then truncated low -> U+FFFD then text", "\\ud83d\\ude0", 0,
     "\xef\xbf\xbd\\ude0", 0},
};

static void test_unescape(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof unescape_cases / sizeof unescape_cases[0]; i++) {
        const struct unescape_case *c = &unescape_cases[i];
        size_t in_len = c->in_len ? c->in_len : strlen(c->in);
        size_t out_len = c->out_len ? c->out_len : strlen(c->out);
        /* dst of exactly in_len bytes (the documented capacity): ASan checks it. */
        char *dst = malloc(in_len ? in_len : 1);
        assert_non_null(dst);
        size_t got = json_unescape(c->in, in_len, dst);
        if (got != out_len || memcmp(dst, c->out, out_len) != 0) {
            print_error("[%s] got %zu bytes '%.*s'\n", c->reason, got, (int)got, dst);
            free(dst);
            fail();
        }
        free(dst);
    }
}

/* ---- properties over whole lines ---- */

static const char *const sample_lines[] = {
    FALCON_LINE,
    "{\"a\":{\"b\":[1,-2.5e+3,{\"c\":null}],\"d\":\"x\\u00e9\\ud83d\\ude00\"},\"t\":true,\"f\":false}",
    "{\"k\\u0061\":\"\\\"q\\\\\",\"n\":0,\"arr\":[[],[{}],\"\"]}",
};

/* Every proper prefix of a valid line is an error, at an offset inside it. */
static void test_every_truncation_fails(void **state)
{
    (void)state;
    json_keys k;
    json_keys_init(&k);
    json_keys_add(&k, "a", 1);
    json_keys_add(&k, "CommandLine", 11);
    json_slot slots[2];
    json_error err;
    for (size_t i = 0; i < sizeof sample_lines / sizeof sample_lines[0]; i++) {
        size_t len = strlen(sample_lines[i]);
        assert_int_equal(json_scan(&k, sample_lines[i], len, slots, &err), 0);
        for (size_t cut = 0; cut < len; cut++) {
            /* A heap copy of exactly `cut` bytes: ASan catches any over-read. */
            char *p = malloc(cut ? cut : 1);
            memcpy(p, sample_lines[i], cut);
            err.offset = (size_t)-1;
            if (json_scan(&k, p, cut, slots, &err) != -1) {
                print_error("prefix %zu of line %zu accepted\n", cut, i);
                fail(); /* does not return: p is the test's last leak */
            }
            assert_true(err.offset <= cut);
            assert_true(err.msg[0] != '\0');
            free(p);
        }
    }
    json_keys_free(&k);
}

/* Every single-byte substitution either scans or fails cleanly, and what is
 * accepted can be unescaped into a buffer of the slice's size. */
static void test_mutations_never_crash(void **state)
{
    (void)state;
    static const char subst[] = {'"', '\\', '{', '}', '[', ']', ':', ',', 'u', '0', 'e',
                                 '-', '.', ' ', '\x01', '\0', '\x80', '\xff', 'd', 'n'};
    json_keys k;
    json_keys_init(&k);
    json_keys_add(&k, "a", 1);
    json_keys_add(&k, "k", 1);
    json_keys_add(&k, "CommandLine", 11);
    json_keys_add(&k, "d", 1);
    json_slot slots[4];
    json_error err;
    unsigned accepted = 0, rejected = 0;
    for (size_t i = 0; i < sizeof sample_lines / sizeof sample_lines[0]; i++) {
        size_t len = strlen(sample_lines[i]);
        char *p = malloc(len);
        for (size_t pos = 0; pos < len; pos++) {
            for (size_t j = 0; j < sizeof subst; j++) {
                memcpy(p, sample_lines[i], len);
                p[pos] = subst[j];
                int rc = json_scan(&k, p, len, slots, &err);
                if (rc == -1) {
                    assert_true(err.offset <= len);
                    rejected++;
                    continue;
                }
                assert_int_equal(rc, 0);
                accepted++;
                for (unsigned s = 0; s < k.n; s++) {
                    if (slots[s].type == JSON_ABSENT) continue;
                    assert_true(slots[s].p >= p && slots[s].p + slots[s].len <= p + len);
                    if (slots[s].type != JSON_STRING) continue;
                    char *d = malloc(slots[s].len ? slots[s].len : 1);
                    assert_true(json_unescape(slots[s].p, slots[s].len, d) <= slots[s].len);
                    free(d);
                }
            }
        }
        free(p);
    }
    assert_true(accepted > 0 && rejected > 0);
    json_keys_free(&k);
}

/* ---- the key table ---- */

static void test_keys_table(void **state)
{
    (void)state;
    json_keys k;
    json_keys_init(&k);
    char name[32];
    /* Fill it: 64 keys, similar names (prefix/suffix collisions in the hash). */
    for (int i = 0; i < JSON_MAX_KEYS; i++) {
        int n = snprintf(name, sizeof name, "ContextKey_%d_x", i);
        assert_int_equal(json_keys_add(&k, name, (size_t)n), i);
    }
    assert_int_equal(k.n, JSON_MAX_KEYS);
    /* Re-adding returns the existing index, even when full. */
    assert_int_equal(json_keys_add(&k, "ContextKey_17_x", 15), 17);
    /* The 65th distinct key does not fit. */
    assert_int_equal(json_keys_add(&k, "one too many", 12), -1);
    assert_int_equal(k.n, JSON_MAX_KEYS);

    /* A line holding all of them (in reverse) plus unwanted ones. */
    char *line = malloc(8192);
    size_t n = 0;
    line[n++] = '{';
    for (int i = JSON_MAX_KEYS - 1; i >= 0; i--)
        n += (size_t)sprintf(line + n, "\"ContextKey_%d_x\":%d,\"Other_%d\":\"no\",", i, i * 7, i);
    n += (size_t)sprintf(line + n, "\"last\":null}");
    json_slot slots[JSON_MAX_KEYS];
    json_error err;
    assert_int_equal(json_scan(&k, line, n, slots, &err), 0);
    for (int i = 0; i < JSON_MAX_KEYS; i++) {
        char want[16];
        int wl = snprintf(want, sizeof want, "%d", i * 7);
        assert_int_equal(slots[i].type, JSON_NUMBER);
        assert_int_equal(slots[i].len, (uint32_t)wl);
        assert_memory_equal(slots[i].p, want, (size_t)wl);
    }
    /* Slots are reset between calls: absent in a line without them. */
    assert_int_equal(json_scan(&k, "{\"x\":1}", 7, slots, &err), 0);
    for (int i = 0; i < JSON_MAX_KEYS; i++) assert_int_equal(slots[i].type, JSON_ABSENT);
    free(line);

    /* Names are copied; embedded NUL and empty names work. */
    json_keys_free(&k);
    assert_int_equal(k.n, 0);
    strcpy(name, "abc");
    assert_int_equal(json_keys_add(&k, name, 3), 0);
    name[0] = 'X';
    assert_int_equal(json_keys_add(&k, "a\0b", 3), 1);
    assert_int_equal(json_keys_add(&k, "", 0), 2);
    assert_int_equal(json_keys_add(&k, "abc", 3), 0);
    json_slot s3[3];
    const char *l2 = "{\"abc\":1,\"a\\u0000b\":2,\"\":3}";
    assert_int_equal(json_scan(&k, l2, strlen(l2), s3, &err), 0);
    assert_memory_equal(s3[0].p, "1", 1);
    assert_memory_equal(s3[1].p, "2", 1);
    assert_memory_equal(s3[2].p, "3", 1);
    json_keys_free(&k);

    /* Names alike at both ends (a lookup compares the first and last 8
     * bytes, then the middle of a longer name): each only itself. */
    static const char *const alike[] = {"AAAAAAAA1111ZZZZZZZZ", "AAAAAAAA2222ZZZZZZZZ",
                                        "AAAAAAAA12ZZZZZZZZ", "abcdefghi", "abcdefgxi", "aXb"};
    for (size_t i = 0; i < sizeof alike / sizeof *alike; i++)
        assert_int_equal(json_keys_add(&k, alike[i], strlen(alike[i])), (int)i);
    const char *l3 = "{\"AAAAAAAA2222ZZZZZZZZ\":2,\"AAAAAAAA3333ZZZZZZZZ\":9,\"abcdefgxi\":5,"
                     "\"aYb\":9,\"AAAAAAAA1111ZZZZZZZZ\":1}";
    json_slot s6[6];
    assert_int_equal(json_scan(&k, l3, strlen(l3), s6, &err), 0);
    static const char *const got[] = {"1", "2", NULL, NULL, "5", NULL};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(s6[i].type, got[i] ? JSON_NUMBER : JSON_ABSENT);
        if (got[i])
            assert_memory_equal(s6[i].p, got[i], 1);
    }
    json_keys_free(&k);
}

/* A wanted key given twice: the last value is used and the first repeat is
 * named, as the note a decoder passes on; a repeated key the query does
 * not read, or one inside a nested object, is no note. */
static void test_duplicate_keys(void **state)
{
    (void)state;
    static const struct {
        const char *line, *note;
        const char *value;
    } cases[] = {
        {"{\"p\":\"443\",\"p\":\"25\"}",
         "key \"p\" appears more than once; the last value was used", "25"},
        {"{\"p\":1,\"x\":2,\"x\":3,\"p\":4,\"p\":5}",
         "key \"p\" appears more than once; the last value was used", "5"},
        {"{\"\\u0070\":\"a\",\"p\":\"b\"}",
         "key \"p\" appears more than once; the last value was used", "b"}, /* as repeated */
        {"{\"x\":1,\"x\":2,\"p\":\"c\"}", "", "c"},
        {"{\"p\":\"d\",\"o\":{\"p\":1,\"p\":2}}", "", "d"},
    };
    json_keys k;
    json_keys_init(&k);
    int p = json_keys_add(&k, "p", 1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_slot slots[JSON_MAX_KEYS];
        json_error err;
        assert_int_equal(json_scan(&k, cases[i].line, strlen(cases[i].line), slots, &err), 0);
        char note[200];
        json_dup_note(&err, note, sizeof note);
        assert_string_equal(note, cases[i].note);
        assert_int_equal(slots[p].len, strlen(cases[i].value));
        assert_memory_equal(slots[p].p, cases[i].value, slots[p].len);
    }
    json_keys_free(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_lines),
        cmocka_unit_test(test_invalid_lines),
        cmocka_unit_test(test_error_message_exact),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_unescape),
        cmocka_unit_test(test_every_truncation_fails),
        cmocka_unit_test(test_mutations_never_crash),
        cmocka_unit_test(test_keys_table),
        cmocka_unit_test(test_duplicate_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
