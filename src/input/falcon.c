/* falcon: CrowdStrike Falcon events as JSON lines (Falcon Data Replicator
 * output and LogScale exports), one event per line.
 *
 * Native fields are the JSON keys, passed through as text: Falcon writes
 * numbers as strings ("RemotePort":"25") and LogScale has no runtime types,
 * so a JSON number keeps its text too. `#event_simpleName` is the tag form of
 * event_simpleName, `@timestamp` is `timestamp` (ms) or else
 * ContextTimeStamp x 1000, and `@rawstring` is the whole line.
 *
 * Canonical fields follow fields.md §2: time from ContextTimeStamp (sensor
 * clock) else `timestamp`; local/remote re-oriented by direction, where the
 * event name gives it (NetworkConnect* outbound, NetworkReceiveAccept*
 * inbound) and ConnectionDirection overrides (0 out, 1 in, 2/3 unknown). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/decoder.h"
#include "input/json.h"
#include "util/timeutil.h"

/* JSON keys the canonical fields are computed from, in this order. */
enum fk {
    K_NAME, K_CTS, K_TS, K_HOST, K_IMAGE, K_BASE, K_CMD, K_USER,
    K_LIP4, K_LIP6, K_LPORT, K_RIP4, K_RIP6, K_RPORT, K_DIR, K_PROTO, K__N
};
static const char *const fk_name[K__N] = {
    "event_simpleName", "ContextTimeStamp", "timestamp", "ComputerName", "ImageFileName",
    "ContextBaseFileName", "CommandLine", "UserName", "LocalAddressIP4", "LocalAddressIP6",
    "LocalPort", "RemoteAddressIP4", "RemoteAddressIP6", "RemotePort", "ConnectionDirection",
    "Protocol",
};

enum { SRC_JSON, SRC_TIMESTAMP, SRC_RAW, SRC_CANON, SRC_NONE };

typedef struct falcon {
    json_keys keys;
    int fk[K__N];                  /* json slot of each canonical source key */
    int nfields;
    struct { int src, arg; } field[128];
    json_slot *slots;
} falcon;

static int falcon_probe(const char *line, size_t len)
{
    size_t i = len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3) ? 3 : 0; /* UTF-8 BOM */
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == len || line[i] != '{')
        return 0;
    static const char key[] = "\"event_simpleName\"";
    for (const char *p = line; (p = memchr(p, '"', (size_t)(line + len - p))); p++)
        if ((size_t)(line + len - p) >= sizeof key - 1 && !memcmp(p, key, sizeof key - 1))
            return 1;
    return 0;
}

static void *falcon_bind(const mc_field_req *fields, int n)
{
    falcon *f = xcalloc(1, sizeof *f);
    json_keys_init(&f->keys);
    for (int k = 0; k < K__N; k++)
        f->fk[k] = json_keys_add(&f->keys, fk_name[k], strlen(fk_name[k]));
    f->nfields = n < 128 ? n : 128;
    for (int i = 0; i < f->nfields; i++) {
        const char *name = fields[i].name;
        int source = mc_field_source(&fields[i], "falcon");
        if (source >= 0) {
            f->field[i].src = SRC_CANON;
            f->field[i].arg = source;
        } else if (source == -2) {
            f->field[i].src = SRC_NONE;
        } else if (strcmp(name, "@timestamp") == 0) {
            f->field[i].src = SRC_TIMESTAMP;
        } else if (strcmp(name, "@rawstring") == 0) {
            f->field[i].src = SRC_RAW;
        } else {
            if (name[0] == '#')
                name++;
            f->field[i].src = SRC_JSON;
            f->field[i].arg = json_keys_add(&f->keys, name, strlen(name));
            if (f->field[i].arg < 0)
                f->field[i].src = SRC_NONE; /* more keys than a scan tracks */
        }
    }
    f->slots = xcalloc(JSON_MAX_KEYS, sizeof *f->slots);
    return f;
}

static void falcon_unbind(void *state)
{
    falcon *f = state;
    json_keys_free(&f->keys);
    free(f->slots);
    free(f);
}

/* The JSON value as text: strings unescaped, other scalars as written. */
static mc_value json_text(const json_slot *s, arena *scratch)
{
    switch (s->type) {
    case JSON_ABSENT:
    case JSON_NULL:
        return mc_null();
    case JSON_STRING:
        if (s->escaped) {
            char *buf = arena_alloc(scratch, s->len + 1);
            return mc_str(MC_STR, buf, json_unescape(s->p, s->len, buf));
        }
        return mc_str(MC_STR, s->p, s->len);
    default:
        return mc_str(MC_STR, s->p, s->len);
    }
}

static int text_is(mc_value v, const char *s)
{
    size_t n = strlen(s);
    return v.type == MC_STR && v.len == n && !memcmp(v.u.s, s, n);
}

static int text_starts(mc_value v, const char *s)
{
    size_t n = strlen(s);
    return v.type == MC_STR && v.len >= n && !memcmp(v.u.s, s, n);
}

/* Decimal digits only; anything else (empty, sign, fraction, more than
 * `max` digits) is NULL. */
static mc_value text_digits(mc_value v, uint32_t max)
{
    if (v.type != MC_STR || v.len == 0 || v.len > max)
        return mc_null();
    int64_t n = 0;
    for (uint32_t i = 0; i < v.len; i++) {
        if (v.u.s[i] < '0' || v.u.s[i] > '9')
            return mc_null();
        n = n * 10 + (v.u.s[i] - '0');
    }
    return mc_int(MC_INT, n);
}

static mc_value text_port(mc_value v)
{
    return text_digits(v, 9);
}

static mc_value text_ms(mc_value v)
{
    return text_digits(v, 18);
}

/* One record being decoded. Canonical fields share source keys (direction
 * orients four of them), so each key is unescaped at most once per record. */
typedef struct fctx {
    const falcon *f;
    const json_slot *slots;
    arena *scratch;
    uint32_t have;              /* bit k: cache[k] is filled */
    mc_value cache[K__N];
} fctx;

static mc_value key(fctx *c, enum fk k)
{
    if (!(c->have & (1u << k))) {
        c->cache[k] = json_text(&c->slots[c->f->fk[k]], c->scratch);
        c->have |= 1u << k;
    }
    return c->cache[k];
}

static mc_value event_time(fctx *c)
{
    int64_t ms;
    mc_value v = key(c, K_CTS);
    if (v.type == MC_STR && time_parse_epoch_s(v.u.s, v.len, &ms) == 0)
        return mc_int(MC_TS, ms);
    mc_value n = text_ms(key(c, K_TS));
    return n.type == MC_INT ? mc_int(MC_TS, n.u.i) : mc_null();
}

/* "out", "in", or NULL (fields.md §5 #1-2). */
static const char *direction(fctx *c)
{
    mc_value d = key(c, K_DIR);
    if (text_is(d, "0"))
        return "out";
    if (text_is(d, "1"))
        return "in";
    if (d.type != MC_NULL)
        return NULL;
    mc_value name = key(c, K_NAME);
    if (text_starts(name, "NetworkConnect"))
        return "out";
    if (text_starts(name, "NetworkReceiveAccept"))
        return "in";
    return NULL;
}

static mc_value ip(fctx *c, enum fk v4, enum fk v6)
{
    mc_value v = key(c, v4);
    if (v.type == MC_NULL)
        v = key(c, v6);
    if (v.type == MC_STR)
        v.type = MC_IP;
    return v;
}

static mc_value proc_name(fctx *c)
{
    mc_value v = key(c, K_BASE);
    if (v.type != MC_NULL)
        return v;
    v = key(c, K_IMAGE);
    for (uint32_t i = v.type == MC_STR ? v.len : 0; i > 0; i--)
        if (v.u.s[i - 1] == '\\' || v.u.s[i - 1] == '/')
            return mc_str(MC_STR, v.u.s + i, v.len - i);
    return v;
}

static mc_value kind(fctx *c)
{
    mc_value name = key(c, K_NAME);
    if (text_starts(name, "NetworkConnect") || text_starts(name, "NetworkReceiveAccept"))
        return mc_str(MC_STR, "conn", 4);
    if (text_is(name, "ProcessRollup2") || text_is(name, "SyntheticProcessRollup2"))
        return mc_str(MC_STR, "proc", 4);
    return mc_null();
}

static mc_value canonical(fctx *c, int canon)
{
    const char *dir;
    int in;
    switch (canon) {
    case MC_C_KIND:      return kind(c);
    case MC_C_TIME:      return event_time(c);
    case MC_C_HOST:      return key(c, K_HOST);
    case MC_C_PROC_PATH: return key(c, K_IMAGE);
    case MC_C_PROC_NAME: return proc_name(c);
    case MC_C_CMDLINE:   return key(c, K_CMD);
    case MC_C_USER:      return key(c, K_USER);
    case MC_C_TRANSPORT: return text_port(key(c, K_PROTO));
    case MC_C_DIRECTION:
        dir = direction(c);
        return dir ? mc_str(MC_STR, dir, strlen(dir)) : mc_null();
    default: break;
    }
    /* Addresses: the initiator is the source (fields.md §1). */
    dir = direction(c);
    in = dir && dir[0] == 'i';
    switch (canon) {
    case MC_C_SRC_IP:   return in ? ip(c, K_RIP4, K_RIP6) : ip(c, K_LIP4, K_LIP6);
    case MC_C_DST_IP:   return in ? ip(c, K_LIP4, K_LIP6) : ip(c, K_RIP4, K_RIP6);
    case MC_C_SRC_PORT: return text_port(key(c, in ? K_RPORT : K_LPORT));
    case MC_C_DST_PORT: return text_port(key(c, in ? K_LPORT : K_RPORT));
    default:            return mc_null(); /* bytes, app_proto: Falcon has none */
    }
}

static int falcon_decode(void *state, const char *line, size_t len, mc_value *row,
                         arena *scratch, char *err, size_t errlen)
{
    falcon *f = state;
    json_error jerr;
    if (json_scan(&f->keys, line, len, f->slots, &jerr)) {
        snprintf(err, errlen, "invalid JSON at byte %zu: %s", jerr.offset + 1, jerr.msg);
        return DECODE_BAD;
    }
    fctx c = {f, f->slots, scratch, 0, {{0}}};
    for (int i = 0; i < f->nfields; i++) {
        switch (f->field[i].src) {
        case SRC_JSON:
            row[i] = json_text(&f->slots[f->field[i].arg], scratch);
            break;
        case SRC_CANON:
            row[i] = canonical(&c, f->field[i].arg);
            break;
        case SRC_RAW:
            row[i] = mc_str(MC_STR, line, len);
            break;
        case SRC_NONE:
            row[i] = mc_null();
            break;
        default: {
            mc_value t = text_ms(key(&c, K_TS));
            if (t.type == MC_NULL) {
                mc_value cts = event_time(&c);
                row[i] = cts.type == MC_NULL ? cts : mc_int(MC_INT, cts.u.i);
            } else {
                row[i] = t;
            }
        }
        }
    }
    return DECODE_OK;
}

const decoder decoder_falcon = {
    .name = "falcon",
    .describe = "CrowdStrike Falcon events as JSON lines (FDR, LogScale export); "
                "canonical: all but bytes and app_proto",
    .probe = falcon_probe,
    .bind = falcon_bind,
    .decode = falcon_decode,
    .unbind = falcon_unbind,
};
