/* fuzz_json: the libFuzzer target for JSON lines: Falcon, Sysmon/Windows
 * JSON, Suricata eve, Zeek JSON, nfdump JSON and generic JSON (--map) line by
 * line, QRadar's Ariel JSON as a whole file, and the driver's detection over
 * the same bytes (with the prefilter and without, which must count the
 * same); and each line's raw key reading (json_line_key), by
 * search and by index, against a parse, which must agree wherever the raw
 * reading is sure, and two keys read at once (json_line_pair) against each
 * read alone (abort if not). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "input/formats.h"
#include "input/json.h"

/* The raw value of key in line, where sure, is the parse's: read by
 * search where the line allows (`search`), else by the line's index. */
static void raw_agrees(const char *line, size_t len, const char *key, int search)
{
    char quoted[64];
    size_t klen = strlen(key);
    quoted[0] = '"';
    memcpy(quoted + 1, key, klen);
    quoted[klen + 1] = '"';
    json_line l;
    json_line_init(&l, line, len);
    if (!search)
        l.searches = 0;
    mc_value v = mc_null();
    int kind = json_line_key(&l, quoted, klen + 2, &v);
    if (kind == JSON_RAW_UNSURE)
        return;
    json_keys k;
    json_keys_init(&k);
    json_keys_add(&k, key, klen);
    json_slot slots[JSON_MAX_KEYS];
    json_error err;
    if (json_scan(&k, line, len, slots, &err) == 0) {
        arena a;
        arena_init(&a);
        mc_value p = json_text(&slots[0], &a);
        int absent = slots[0].type == JSON_ABSENT;
        if ((kind == JSON_RAW_NONE) != absent || (!absent && p.type != v.type) ||
            (!absent && v.type != MC_NULL && (p.len != v.len || memcmp(p.u.s, v.u.s, v.len))))
            abort();
        arena_free(&a);
    }
    json_keys_free(&k);
}

/* Two keys asked of a line at once (json_line_pair) answer as each asked
 * alone of a fresh line (abort if not). */
static void pair_agrees(const char *line, size_t len, const char *k0, const char *k1)
{
    json_line both;
    json_line_init(&both, line, len);
    json_line_pair(&both, k0, strlen(k0), k1, strlen(k1));
    const char *keys[2] = {k0, k1};
    for (int j = 0; j < 2; j++) {
        json_line one;
        json_line_init(&one, line, len);
        mc_value v = mc_null(), v2 = mc_null();
        int kind = json_line_key(&one, keys[j], strlen(keys[j]), &v);
        int kind2 = json_line_key(&both, keys[j], strlen(keys[j]), &v2);
        if (kind != kind2 || (kind == JSON_RAW_VALUE &&
                              (v.type != v2.type || v.len != v2.len ||
                               (v.type != MC_NULL && memcmp(v.u.s, v2.u.s, v.len)))))
            abort();
    }
}

static void raw_lines(const uint8_t *data, size_t size)
{
    static const char *const keys[] = {"event_simpleName", "timestamp", "RemotePort", "a", ":"};
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            for (int search = 0; search < 2; search++)
                raw_agrees(p, len, keys[i], search);
        pair_agrees(p, len, "\"event_simpleName\"", "\"RemotePort\"");
        pair_agrees(p, len, "\"timestamp\"", "\"a\"");
        p += len + 1;
    }
}

static const decoder *const lines[] = {
    &decoder_falcon,
    &decoder_winjson,
    &decoder_suricata,
    &decoder_zeek_json,
    &decoder_nfdump_json,
    &decoder_generic,
    NULL,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness_lines(lines, data, size);
    harness_whole(&decoder_qradar_json, data, size);
    harness_driver(data, size);
    raw_lines(data, size);
    return 0;
}
