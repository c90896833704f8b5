/* nfdump_json: flows as `nfdump -o json` prints them — a JSON array whose
 * objects are pretty-printed one member per line (`"in_bytes" : 1276,`).
 * Read line by line in order (a sequential decoder, decoder.h finish): the
 * members of one object are gathered and the flow is an event at its `}`.
 * Same meaning as the CSV form (nfdump.c): first packet `first`, addresses
 * src4_addr/src6_addr -> dst4_addr/dst6_addr, ports, proto (a number),
 * in_bytes/out_bytes, duration last - first. Native fields are the member
 * names. Times are written without a zone: taken as UTC. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/formats.h"
#include "util/timeutil.h"
#include "value/convert.h"

enum { M_MAX = 48, M_NAME = 32, M_VALUE = 64 };

typedef struct flow_json {
    const mc_field_req *fields;
    const cidr_set *local;
    int nfields;
    int open;                   /* inside an object */
    int n;
    char name[M_MAX][M_NAME], value[M_MAX][M_VALUE];
} flow_json;

static const char *member(const flow_json *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->name[i], name))
            return f->value[i];
    return NULL;
}

static mc_value text(const flow_json *f, const char *name, arena *scratch)
{
    const char *v = member(f, name);
    return v && *v ? value_text(arena_strndup(scratch, v, strlen(v)), strlen(v)) : mc_null();
}

static int stamp(const flow_json *f, const char *name, int64_t *ms)
{
    const char *v = member(f, name);
    return v ? time_parse_iso(v, strlen(v), ms) : -1;
}

static mc_value address(const flow_json *f, const char *v4, const char *v6, arena *scratch)
{
    mc_value a = text(f, v4, scratch);
    return value_ip(a.type ? a : text(f, v6, scratch));
}

static mc_value canonical(const flow_json *f, int canon, arena *scratch)
{
    mc_value src = address(f, "src4_addr", "src6_addr", scratch);
    mc_value dst = address(f, "dst4_addr", "dst6_addr", scratch);
    int64_t first, last;
    int timed = stamp(f, "first", &first) == 0;
    switch (canon) {
    case MC_C_KIND:      return src.type && dst.type ? value_cstr("conn") : mc_null();
    case MC_C_TIME:      return timed ? mc_int(MC_TS, first) : mc_null();
    case MC_C_SRC_IP:    return src;
    case MC_C_SRC_PORT:  return value_port(text(f, "src_port", scratch));
    case MC_C_DST_IP:    return dst;
    case MC_C_DST_PORT:  return value_port(text(f, "dst_port", scratch));
    case MC_C_DIRECTION: return value_net_direction(f->local, src, dst);
    case MC_C_TRANSPORT: return value_transport(text(f, "proto", scratch));
    case MC_C_BYTES_OUT: return value_uint(text(f, "in_bytes", scratch));
    case MC_C_BYTES_IN:  return value_uint(text(f, "out_bytes", scratch));
    case MC_C_DURATION:
        return timed && stamp(f, "last", &last) == 0 ? mc_int(MC_INT, last - first) : mc_null();
    default:             return mc_null();
    }
}

/* `"name" : value,` -> one member (quotes and the comma dropped). */
static int take_member(flow_json *f, const char *line, size_t len)
{
    const char *p = memchr(line, '"', len), *end = line + len;
    const char *q = p ? memchr(p + 1, '"', (size_t)(end - p - 1)) : NULL;
    const char *colon = q ? memchr(q, ':', (size_t)(end - q)) : NULL;
    if (!colon || f->n == M_MAX)
        return -1;
    const char *v = colon + 1, *ve = end;
    while (v < ve && (*v == ' ' || *v == '"'))
        v++;
    while (ve > v && (ve[-1] == ',' || ve[-1] == ' ' || ve[-1] == '"' || ve[-1] == '\r'))
        ve--;
    snprintf(f->name[f->n], M_NAME, "%.*s", (int)(q - p - 1), p + 1);
    snprintf(f->value[f->n], M_VALUE, "%.*s", (int)(ve - v), v);
    f->n++;
    return 0;
}

static int flow_json_decode(void *state, const char *line, size_t len, mc_value *row,
                            arena *scratch, char *err, size_t errlen)
{
    flow_json *f = state;
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    line += i;
    len -= i;
    if (len && (line[0] == '[' || line[0] == ']'))
        return DECODE_SKIP;
    if (len && line[0] == '{') {
        f->open = 1;
        f->n = 0;
        return DECODE_SKIP;
    }
    if (len && line[0] == '}') {
        if (!f->open) {
            snprintf(err, errlen, "'}' without its '{'");
            return DECODE_BAD;
        }
        f->open = 0;
        for (int k = 0; k < f->nfields; k++) {
            int c = f->fields[k].canon;
            row[k] = c >= 0 ? canonical(f, c, scratch)
                     : c == MC_FIELD_NATIVE ? text(f, f->fields[k].name, scratch) : mc_null();
        }
        return DECODE_OK;
    }
    if (!len || (len >= 17 && !memcmp(line, "No matching flows", 17)))
        return DECODE_SKIP;
    if (!f->open || take_member(f, line, len)) {
        snprintf(err, errlen, "not a \"name\" : value member of a flow object");
        return DECODE_BAD;
    }
    return DECODE_SKIP;
}

/* An object left open at the end of the input is cut: it is not a flow. */
static int flow_json_finish(void *state, mc_value *row, arena *scratch)
{
    (void)state, (void)row, (void)scratch;
    return DECODE_SKIP;
}

static int flow_json_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    return value_find(line, len, "\"type\" : \"FLOW\"") != NULL;
}

static void *flow_json_bind(const mc_field_req *fields, int nfields,
                            const input_settings *settings)
{
    flow_json *f = xcalloc(1, sizeof *f);
    f->fields = fields;
    f->nfields = nfields;
    f->local = &settings->local;
    return f;
}

static void flow_json_unbind(void *state)
{
    free(state);
}

const decoder decoder_nfdump_json = {
    .name = "nfdump-json",
    .family = "nfdump",
    .describe = "NetFlow/IPFIX flows as nfdump -o json prints them (one member per line), "
                "with the same fields as nfdump",
    .probe = flow_json_probe,
    .bind = flow_json_bind,
    .decode = flow_json_decode,
    .unbind = flow_json_unbind,
    .finish = flow_json_finish,
};
