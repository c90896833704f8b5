/* fuzz_json: the libFuzzer target for JSON lines: Falcon, Sysmon/Windows
 * JSON, Suricata eve, Zeek JSON, nfdump JSON and generic JSON (--map) line by
 * line, QRadar's Ariel JSON as a whole file, and the driver's detection over
 * the same bytes (with the prefilter and without, which must count the
 * same); and each line's raw key reading (json_line_key), by
 * search and by index, against a parse, which must agree wherever the raw
 * reading is sure, and two keys read at once (json_line_pair) against each
 * read alone (abort if not); and the same bytes as a block read in one
 * pass (json_lines_scan), line by line against json_line_key. */
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

/* The block read in one pass (json_lines_scan), three lines a call: the
 * same lines as a split at each newline (a \r before it dropped), and on
 * each the answers json_line_key gives a fresh line asked for that key
 * alone: a search where the line is flat (abort if not). A malformed line
 * may read differently searched and indexed (json.h: raw reading
 * validates nothing), so the pass is held to the search it replaces. */
static void block_agrees(const uint8_t *data, size_t size)
{
    static const char *const keys[] = {"\"event_simpleName\"", "\"timestamp\"",
                                       "\"RemotePort\"", "\"ContextTimeStamp\""};
    json_lines_keys k = {0};
    k.n = 4;
    for (int i = 0; i < 4; i++) {
        k.klen[i] = strlen(keys[i]);
        memcpy(k.key[i], keys[i], k.klen[i]);
    }
    const char *text = (const char *)data, *p = text, *end = text + size;
    json_lines_line out[3];
    for (size_t at = 0, used; at < size; at += used) {
        size_t n = json_lines_scan(&k, text + at, size - at, out, 3, &used);
        if (n == 0 || used == 0)
            abort();
        for (size_t i = 0; i < n; i++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = (size_t)((nl ? nl : end) - p);
            if (len && p[len - 1] == '\r')
                len--;
            if (text + at + out[i].start != p || out[i].len != len)
                abort();
            json_line scanned;
            json_line_init_scanned(&scanned, p, &out[i], &k);
            for (int q = 0; q < 4; q++) {
                json_line fresh; /* each key its line's first: searched where it can be */
                json_line_init(&fresh, p, len);
                mc_value a = mc_null(), b = mc_null();
                int ka = json_line_key(&scanned, keys[q], k.klen[q], &a);
                if (ka != json_line_key(&fresh, keys[q], k.klen[q], &b) ||
                    (ka == JSON_RAW_VALUE &&
                     (a.type != b.type ||
                      (a.type == MC_STR && (a.len != b.len || memcmp(a.u.s, b.u.s, a.len))))))
                    abort();
            }
            p = nl ? nl + 1 : end;
        }
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
    block_agrees(data, size);
    return 0;
}
