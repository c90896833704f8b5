/* The OCSF sink on constructed findings, one case a row of the table:
 *   full:     every column of the hunt: the class, the placed fields, the
 *             severity band of the score, times in ms with ISO twins, the
 *             ATT&CK tags, what has no place under unmapped;
 *   bare:     no user and no process (a network source): no actor, and
 *             the finding still says where it went;
 *   hostile:  control characters and invalid UTF-8 in the command line
 *             and the host: the line is valid JSON and valid UTF-8;
 *   run:      a rule's own column names with the meaning the plan gives
 *             them (AQL's), a port as text, a count the class has no
 *             name for: placed where known, the rest under unmapped;
 *   bands:    each severity band's edge.
 * Each line is checked with the project's JSON scanner (the whole line
 * valid) and for the members it must and must not hold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/event.h"
#include "input/json.h"
#include "output/sink.h"
#include "util/utf8.h"

/* Cells as constant initializers. */
#define S(x) {.type = MC_STR, .len = sizeof x - 1, .u.s = x}
#define IP(x) {.type = MC_IP, .len = sizeof x - 1, .u.s = x}
#define INT(n) {.type = MC_INT, .u.i = n}
#define TS(n) {.type = MC_TS, .u.i = n}
#define NUL {.type = MC_NULL}

enum { MAX_COLS = 24, MAX_CHECKS = 16 };

static const char *const hunt_names[] = {
    "host", "src_ip", "process", "user", "dst_ip", "dst_port", "protocol", "count",
    "first_seen", "last_seen", "bytes_out", "command_line", "lacks", "score", "score_parts",
    "why", "next_steps"};
enum { HUNT_COLS = sizeof hunt_names / sizeof hunt_names[0] };

typedef struct ocsf_case {
    const char *name;
    const char *const *names;
    int ncols;
    mc_value cells[MAX_COLS];
    const sink_meaning *meaning;   /* NULL: the sink goes by names */
    const char *has[MAX_CHECKS];   /* substrings the line must hold */
    const char *lacks[MAX_CHECKS]; /* and must not */
} ocsf_case;

static const char *const aql_names[] = {"sourceip", "destinationport", "username",
                                        "Process Name", "ConnectionCount"};
static const int aql_canon[] = {MC_C_SRC_IP, MC_C_DST_PORT, MC_C_USER, MC_C_PROC_NAME, -1};
static const sink_meaning aql_meaning = {aql_names, aql_canon, 5, 0};

#define T0 1795536740519LL
#define T1 1795536931063LL

static const ocsf_case cases[] = {
    {"full", hunt_names, HUNT_COLS,
     {S("WS-1"), NUL, S("C:\\Users\\Public\\upd.exe"), S("CORP\\jdoe"), IP("198.51.100.7"),
      INT(587), S("SMTP"), INT(15), TS(T0), TS(T1),
      INT(4096), S("upd.exe -q"), NUL, INT(55), S("rarity 20 + process 35"),
      S("fired: outbound"), S("1. look")},
     NULL,
     {"\"class_uid\":2004", "\"category_uid\":2", "\"type_uid\":200401", "\"activity_id\":1",
      "\"severity_id\":4", "\"risk_score\":55", "\"risk_details\":\"rarity 20 + process 35\"",
      "\"sub_technique\":{\"uid\":\"T1071.003\"", "\"time\":1795536931063",
      "\"time_dt\":\"2026-11-24T16:15:31.063Z\"", "\"count\":15",
      "\"dst_endpoint\":{\"ip\":\"198.51.100.7\",\"port\":587,\"svc_name\":\"SMTP\"}",
      "\"file\":{\"path\":\"C:\\\\Users\\\\Public\\\\upd.exe\",\"name\":\"upd.exe\"",
      "\"user\":{\"name\":\"CORP\\\\jdoe\"}", "\"device\":{\"hostname\":\"WS-1\"",
      "\"unmapped\":{\"bytes_out\":4096,\"lacks\":null}"},
     {"\"src_endpoint\"", "\"ip\":null"}},
    {"bare", hunt_names, HUNT_COLS,
     {NUL, IP("10.0.0.5"), NUL, NUL, IP("203.0.113.9"), INT(25), S("SMTP"),
      INT(3), TS(T0), TS(T1), NUL, NUL, S("host process user"),
      INT(20), S("rarity 20"), S("fired"), S("1. look")},
     NULL,
     {"\"class_uid\":2004", "\"severity_id\":2", "\"src_endpoint\":{\"ip\":\"10.0.0.5\"}",
      "\"message\":\"10.0.0.5 to 203.0.113.9:25 (SMTP), 3 connections\"",
      "\"lacks\":\"host process user\""},
     {"\"actor\"", "\"device\"", "\"process\""}},
    {"hostile", hunt_names, HUNT_COLS,
     {S("WS\x1b[31m\xff"), NUL, S("/tmp/x\xc3("), S("u"), IP("192.0.2.1"), INT(993),
      S("IMAP"), INT(4), TS(T0), TS(T1), NUL,
      S("a\x01" "b\tc\n\"d\\\xed\xa0\x80"), NUL, INT(75), S("p"), S("w"), S("n")},
     NULL,
     {"\"hostname\":\"WS\\u001b[31m\\ufffd\"", "\"path\":\"/tmp/x\\ufffd(\"",
      "\"cmd_line\":\"a\\u0001b\\tc\\n\\\"d\\\\\\ufffd\\ufffd\\ufffd\"", "\"severity_id\":5"},
     {0}},
    {"run", aql_names, 5,
     {IP("10.40.12.57"), S("587"), S("CORP\\jh"), S("updater.exe"), INT(4)},
     &aql_meaning,
     {"\"src_endpoint\":{\"ip\":\"10.40.12.57\"}", "\"dst_endpoint\":{\"port\":587}",
      "\"file\":{\"name\":\"updater.exe\"", "\"severity_id\":0",
      "\"unmapped\":{\"ConnectionCount\":4}", "\"title\":\"mailc2 query result\""},
     {"\"attacks\"", "\"risk_score\""}},
    {"band-24", hunt_names + 13, 1, {INT(24)}, NULL,
     {"\"severity_id\":2", "\"risk_level_id\":1"}, {0}},
    {"band-25", hunt_names + 13, 1, {INT(25)}, NULL,
     {"\"severity_id\":3", "\"risk_level_id\":2"}, {0}},
    {"band-74", hunt_names + 13, 1, {INT(74)}, NULL,
     {"\"severity_id\":4", "\"risk_level\":\"High\""}, {0}},
    {"band-100", hunt_names + 13, 1, {INT(100)}, NULL,
     {"\"severity_id\":5", "\"risk_level_id\":4"}, {0}},
};

/* The line the sink writes for one case (malloc'd). */
static char *ocsf_line(const ocsf_case *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    sink s = sink_ocsf(f);
    if (c->meaning)
        sink_mean(&s, c->meaning);
    assert_int_equal(s.ops->begin(s.ud, c->names, c->ncols), 0);
    assert_int_equal(s.ops->row(s.ud, c->cells, c->ncols), 0);
    assert_int_equal(s.ops->end(s.ud), 0);
    sink_free(&s);
    fclose(f);
    return buf;
}

/* One line, valid JSON and UTF-8, with the class's fixed members on top. */
static void check_valid(const char *name, const char *line)
{
    size_t len = strlen(line);
    assert_true(len > 1 && line[len - 1] == '\n' && !memchr(line, '\n', len - 1));
    assert_int_equal(utf8_invalid_at(line, len), len);
    json_keys k;
    json_keys_init(&k);
    json_keys_add(&k, "class_uid", 9);
    json_keys_add(&k, "finding_info", 12);
    json_keys_add(&k, "metadata", 8);
    json_slot slot[3];
    json_error err;
    if (json_scan(&k, line, len - 1, slot, &err))
        fail_msg("%s: invalid JSON at %zu: %s\n%s", name, err.offset, err.msg, line);
    assert_int_equal(slot[0].type, JSON_NUMBER);
    assert_int_equal(slot[1].type, JSON_OBJECT);
    assert_int_equal(slot[2].type, JSON_OBJECT);
    json_keys_free(&k);
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const ocsf_case *c = &cases[i];
        char *line = ocsf_line(c);
        check_valid(c->name, line);
        for (int k = 0; k < MAX_CHECKS && c->has[k]; k++)
            if (!strstr(line, c->has[k]))
                fail_msg("%s: want %s in\n%s", c->name, c->has[k], line);
        for (int k = 0; k < MAX_CHECKS && c->lacks[k]; k++)
            if (strstr(line, c->lacks[k]))
                fail_msg("%s: do not want %s in\n%s", c->name, c->lacks[k], line);
        free(line);
    }
}

/* The same group gives the same finding uid; another group another. */
static void test_uid_stable(void **state)
{
    (void)state;
    char *a = ocsf_line(&cases[0]), *b = ocsf_line(&cases[0]), *c = ocsf_line(&cases[1]);
    const char *ua = strstr(a, "\"uid\":\"mailc2-"), *ub = strstr(b, "\"uid\":\"mailc2-"),
               *uc = strstr(c, "\"uid\":\"mailc2-");
    assert_true(ua && ub && uc);
    assert_memory_equal(ua, ub, 30);
    assert_memory_not_equal(ua, uc, 30);
    free(a);
    free(b);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_uid_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
