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
#include "input/falcon_ctx.h"
#include "input/json.h"
#include "value/convert.h"
#include "util/timeutil.h"

/* JSON keys the canonical fields are computed from, in this order. */
enum fk {
    K_NAME, K_CTS, K_TS, K_HOST, K_IMAGE, K_BASE, K_CMD, K_USER,
    K_LIP4, K_LIP6, K_LPORT, K_RIP4, K_RIP6, K_RPORT, K_DIR, K_PROTO, K_AID, K_CPID, K_SID,
    K__N
};
static const char *const fk_name[K__N] = {
    "event_simpleName", "ContextTimeStamp", "timestamp", "ComputerName", "ImageFileName",
    "ContextBaseFileName", "CommandLine", "UserName", "LocalAddressIP4", "LocalAddressIP6",
    "LocalPort", "RemoteAddressIP4", "RemoteAddressIP6", "RemotePort", "ConnectionDirection",
    "Protocol", "aid", "ContextProcessId", "UserSid",
};

/* SRC_KEY: one of the keys above, so that context can fill it (falcon_ctx.h). */
enum { SRC_JSON, SRC_TIMESTAMP, SRC_RAW, SRC_CANON, SRC_NONE, SRC_KEY };

typedef struct falcon {
    falcon_ctx *ctx;               /* NULL: no joins (--no-enrich, or none built) */
    json_keys keys;
    int fk[K__N];                  /* json slot of each canonical source key */
    int joins;                     /* a field asked for comes from the process table */
    int nfields;
    struct { int src, arg; } field[128];
    json_slot *slots;
} falcon;

static int has_key(const char *line, size_t len, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = line; (p = memchr(p, '"', (size_t)(line + len - p))); p++)
        if ((size_t)(line + len - p) >= n && !memcmp(p, key, n))
            return 1;
    return 0;
}

static int falcon_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    size_t i = len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3) ? 3 : 0; /* UTF-8 BOM */
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == len || line[i] != '{')
        return 0;
    /* An event names its type; an aid_master row names a host by aid. */
    return has_key(line, len, "\"event_simpleName\"") ||
           (has_key(line, len, "\"aid\"") && has_key(line, len, "\"ComputerName\""));
}

/* The fields a join can fill (falcon_ctx.h), as keys of this decoder. */
static int context_key(const char *name)
{
    static const int keys[] = {K_IMAGE, K_CMD, K_USER, K_HOST};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(fk_name[keys[i]], name) == 0)
            return keys[i];
    return -1;
}

/* Fields the process table fills (the host table only fills ComputerName,
 * looked up where an event lacks it). */
static int process_canon(int canon)
{
    return canon == MC_C_PROC_PATH || canon == MC_C_PROC_NAME || canon == MC_C_CMDLINE ||
           canon == MC_C_USER;
}

static void *falcon_bind(const mc_field_req *fields, int n, const input_settings *settings)
{
    (void)settings; /* Falcon events carry their own direction */
    falcon *f = xcalloc(1, sizeof *f);
    json_keys_init(&f->keys);
    for (int k = 0; k < K__N; k++)
        f->fk[k] = json_keys_add(&f->keys, fk_name[k], strlen(fk_name[k]));
    f->nfields = n < 128 ? n : 128;
    for (int i = 0; i < f->nfields; i++) {
        const char *name = fields[i].name;
        int source = fields[i].canon;
        if (source >= 0) {
            f->field[i].src = SRC_CANON;
            f->field[i].arg = source;
        } else if (source == -2) {
            f->field[i].src = SRC_NONE;
        } else if (strcmp(name, "@timestamp") == 0) {
            f->field[i].src = SRC_TIMESTAMP;
        } else if (strcmp(name, "@rawstring") == 0) {
            f->field[i].src = SRC_RAW;
        } else if (context_key(name) >= 0) {
            f->field[i].src = SRC_KEY;
            f->field[i].arg = context_key(name);
        } else {
            if (name[0] == '#')
                name++;
            f->field[i].src = SRC_JSON;
            f->field[i].arg = json_keys_add(&f->keys, name, strlen(name));
            if (f->field[i].arg < 0)
                f->field[i].src = SRC_NONE; /* more keys than a scan tracks */
        }
    }
    for (int i = 0; i < f->nfields; i++)
        f->joins |= (f->field[i].src == SRC_KEY && f->field[i].arg != K_HOST) ||
                    (f->field[i].src == SRC_CANON && process_canon(f->field[i].arg));
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

static int text_starts(mc_value v, const char *s)
{
    size_t n = strlen(s);
    return v.type == MC_STR && v.len >= n && !memcmp(v.u.s, s, n);
}

/* One record being decoded. Canonical fields share source keys (direction
 * orients four of them), so each key is unescaped at most once per record. */
typedef struct fctx {
    const falcon *f;
    const json_slot *slots;
    arena *scratch;
    uint32_t have;              /* bit k: cache[k] is filled */
    mc_value cache[K__N];
    falcon_proc proc;           /* the joined process, once looked up */
    int proc_done, proc_found;
} fctx;

static mc_value key(fctx *c, enum fk k);

static const falcon_proc *joined_process(fctx *c)
{
    if (!c->proc_done) {
        c->proc_done = 1;
        c->proc_found = falcon_ctx_process(c->f->ctx, key(c, K_AID), key(c, K_CPID), &c->proc);
    }
    return c->proc_found ? &c->proc : NULL;
}

/* A field the event lacks, from the context (falcon_ctx.h). */
static mc_value joined(fctx *c, enum fk k)
{
    const falcon_proc *p = k == K_HOST ? NULL : joined_process(c);
    switch (k) {
    case K_HOST:  return falcon_ctx_host(c->f->ctx, key(c, K_AID));
    case K_IMAGE: return p ? p->image : mc_null();
    case K_CMD:   return p ? p->cmdline : mc_null();
    case K_USER:
        if (p && p->user.type != MC_NULL)
            return p->user;
        return falcon_ctx_user(c->f->ctx, key(c, K_AID), p ? p->sid : key(c, K_SID));
    default:      return mc_null();
    }
}

static mc_value kind(fctx *c);

static int is_connection(fctx *c)
{
    mc_value k = kind(c);
    return k.type == MC_STR && k.u.s[0] == 'c';
}

static mc_value key(fctx *c, enum fk k)
{
    if (!(c->have & (1u << k))) {
        c->cache[k] = json_text(&c->slots[c->f->fk[k]], c->scratch);
        /* Only network events are joined: the seeds read nothing else. */
        if (c->cache[k].type == MC_NULL && c->f->ctx && context_key(fk_name[k]) >= 0 &&
            is_connection(c))
            c->cache[k] = joined(c, k);
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
    mc_value n = value_uint(key(c, K_TS));
    return n.type == MC_INT ? mc_int(MC_TS, n.u.i) : mc_null();
}

/* "out", "in", or NULL (fields.md §5 #1-2): by ConnectionDirection where
 * it is given (0 out, 1 in, else unknown), else by the event's name. */
static const char *dir_given(mc_value d)
{
    return value_is(d, "0") ? "out" : value_is(d, "1") ? "in" : NULL;
}

static const char *dir_named(mc_value name)
{
    return text_starts(name, "NetworkConnect")         ? "out"
           : text_starts(name, "NetworkReceiveAccept") ? "in"
                                                       : NULL;
}

static mc_value dir_value(const char *dir)
{
    return dir ? mc_str(MC_STR, dir, strlen(dir)) : mc_null();
}

static const char *direction(fctx *c)
{
    mc_value d = key(c, K_DIR);
    return d.type != MC_NULL ? dir_given(d) : dir_named(key(c, K_NAME));
}

static mc_value ip(fctx *c, enum fk v4, enum fk v6)
{
    mc_value v = key(c, v4);
    return value_ip(v.type == MC_NULL ? key(c, v6) : v);
}

static mc_value proc_name(fctx *c)
{
    mc_value v = key(c, K_BASE);
    if (v.type != MC_NULL)
        return v;
    return value_basename(key(c, K_IMAGE));
}

/* The canonical kind of an event named `name` (its event_simpleName). */
static mc_value kind_of(mc_value name)
{
    if (text_starts(name, "NetworkConnect") || text_starts(name, "NetworkReceiveAccept"))
        return mc_str(MC_STR, "conn", 4);
    if (value_is(name, "ProcessRollup2") || value_is(name, "SyntheticProcessRollup2"))
        return mc_str(MC_STR, "proc", 4);
    return mc_null();
}

static mc_value kind(fctx *c)
{
    return kind_of(key(c, K_NAME));
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
    case MC_C_TRANSPORT: return value_port(key(c, K_PROTO));
    case MC_C_DIRECTION: return dir_value(direction(c));
    default: break;
    }
    /* Addresses: the initiator is the source (fields.md §1). */
    dir = direction(c);
    in = dir && dir[0] == 'i';
    switch (canon) {
    case MC_C_SRC_IP:   return in ? ip(c, K_RIP4, K_RIP6) : ip(c, K_LIP4, K_LIP6);
    case MC_C_DST_IP:   return in ? ip(c, K_LIP4, K_LIP6) : ip(c, K_RIP4, K_RIP6);
    case MC_C_SRC_PORT: return value_port(key(c, in ? K_RPORT : K_LPORT));
    case MC_C_DST_PORT: return value_port(key(c, in ? K_LPORT : K_RPORT));
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
    json_dup_note(&jerr, err, errlen); /* replaced if the record turns out bad */
    fctx c = {.f = f, .slots = f->slots, .scratch = scratch};
    if (f->slots[f->fk[K_NAME]].type == JSON_ABSENT && f->slots[f->fk[K_AID]].type != JSON_ABSENT &&
        f->slots[f->fk[K_HOST]].type != JSON_ABSENT)
        return DECODE_SKIP; /* an aid_master row: context, not an event */
    /* Counted only where the process join matters: a query that reads no
     * field it fills runs without the tables (driver/run.c). */
    if (f->ctx && f->joins && f->slots[f->fk[K_IMAGE]].type == JSON_ABSENT && is_connection(&c))
        falcon_ctx_count(f->ctx, key(&c, K_CPID).type != MC_NULL, joined_process(&c) != NULL);
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
        case SRC_KEY:
            row[i] = key(&c, f->field[i].arg);
            break;
        default: {
            mc_value t = value_uint(key(&c, K_TS));
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

static void *context_create(void)
{
    return falcon_ctx_new();
}

static void context_add(void *ctx, json_line *line, uint64_t seq)
{
    falcon_ctx_add(ctx, line, seq);
}

static void context_merge(void *into, void *from)
{
    falcon_ctx_merge(into, from);
}

/* Falcon writes CommandLine on process events only: a query that reads it
 * needs the process table for every network event, so a try without the
 * tables (driver/run.c) is told at once rather than after its first blocks. */
static void context_use(void *state, void *ctx)
{
    falcon *f = state;
    f->ctx = ctx;
    for (int i = 0; ctx && i < f->nfields; i++)
        if ((f->field[i].src == SRC_KEY && f->field[i].arg == K_CMD) ||
            (f->field[i].src == SRC_CANON && f->field[i].arg == MC_C_CMDLINE))
            falcon_ctx_consult(ctx);
}

static void context_report(const void *ctx, char *msg, size_t len)
{
    falcon_ctx_report(ctx, msg, len);
}

static void context_destroy(void *ctx)
{
    falcon_ctx_free(ctx);
}

static int falcon_raw_time(const void *state, json_line *line, int64_t *ms)
{
    const falcon *f = state;
    if (f->nfields != 1 || f->field[0].src != SRC_CANON || f->field[0].arg != MC_C_TIME)
        return 0;
    mc_value name, cts, ts;
    if (json_line_key(line, "\"event_simpleName\"", 18, &name) != JSON_RAW_VALUE ||
        name.type == MC_NULL)
        return 0; /* maybe an aid_master row, which is no event */
    int k = json_line_key(line, "\"ContextTimeStamp\"", 18, &cts);
    if (k == JSON_RAW_UNSURE)
        return 0;
    if (k == JSON_RAW_VALUE && cts.type == MC_STR && time_parse_epoch_s(cts.u.s, cts.len, ms) == 0)
        return 1; /* event_time(): ContextTimeStamp first */
    if ((k = json_line_key(line, "\"timestamp\"", 11, &ts)) == JSON_RAW_UNSURE)
        return 0;
    mc_value n = k == JSON_RAW_VALUE ? value_uint(ts) : mc_null();
    *ms = n.type == MC_INT ? n.u.i : INT64_MIN;
    return 1;
}

static int context_consulted(const void *ctx)
{
    return falcon_ctx_consulted(ctx);
}

static const decoder_context falcon_context = {
    context_create, context_add, context_merge, context_use, context_report, context_destroy,
    context_consulted,
};

/* Ports are read from one of the two port keys (direction picks which). */
static mc_value raw_port(mc_value v)
{
    return value_port(v);
}

/* direction(), from ConnectionDirection, else from the event's name. */
static mc_value raw_dir_given(mc_value v)
{
    return dir_value(dir_given(v));
}

static mc_value raw_dir_named(mc_value name)
{
    return dir_value(dir_named(name));
}

/* A field key() reads: the line's key, else, where it is absent or null,
 * what the join tables give a connection (falcon_ctx.h). */
static int raw_joined(enum fk k, raw_field *out)
{
    out->key[0] = fk_name[k];
    out->first = 1;
    out->joined = context_key(fk_name[k]) >= 0;
    return out->nkeys = 1;
}

static int raw_canon(int canon, raw_field *out)
{
    switch (canon) {
    case MC_C_KIND:
        out->key[0] = fk_name[K_NAME];
        out->conv[0] = kind_of;
        return out->nkeys = 1;
    case MC_C_SRC_PORT:
    case MC_C_DST_PORT:
        out->key[0] = fk_name[K_RPORT];
        out->key[1] = fk_name[K_LPORT];
        out->conv[0] = out->conv[1] = raw_port;
        return out->nkeys = 2;
    case MC_C_DIRECTION:
        out->key[0] = fk_name[K_DIR];
        out->key[1] = fk_name[K_NAME];
        out->conv[0] = raw_dir_given;
        out->conv[1] = raw_dir_named;
        out->first = 1;
        return out->nkeys = 2;
    case MC_C_PROC_NAME: /* proc_name(): ImageFileName is joined */
        out->key[0] = fk_name[K_BASE];
        out->key[1] = fk_name[K_IMAGE];
        out->conv[1] = value_basename;
        out->first = out->joined = 1;
        return out->nkeys = 2;
    case MC_C_HOST:      return raw_joined(K_HOST, out);
    case MC_C_PROC_PATH: return raw_joined(K_IMAGE, out);
    case MC_C_CMDLINE:   return raw_joined(K_CMD, out);
    case MC_C_USER:      return raw_joined(K_USER, out);
    default:             return 0;
    }
}

static int falcon_raw_keys(const void *state, int field, raw_field *out)
{
    const falcon *f = state;
    *out = (raw_field){0};
    if (field < 0 || field >= f->nfields)
        return 0;
    switch (f->field[field].src) {
    case SRC_JSON:
        out->key[0] = f->keys.name[f->field[field].arg];
        return out->nkeys = 1;
    case SRC_KEY:   return raw_joined(f->field[field].arg, out);
    case SRC_CANON: return raw_canon(f->field[field].arg, out);
    default:        return 0;
    }
}

const decoder decoder_falcon = {
    .name = "falcon",
    .describe = "CrowdStrike Falcon events as JSON lines (FDR, LogScale export); "
                "canonical: all but bytes and app_proto",
    .probe = falcon_probe,
    .bind = falcon_bind,
    .decode = falcon_decode,
    .unbind = falcon_unbind,
    .context = &falcon_context,
    .raw_keys = falcon_raw_keys,
    .raw_time = falcon_raw_time,
};
