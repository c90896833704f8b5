/* suricata: Suricata EVE JSON lines (eve.json).
 *
 * Only event_type "flow" records are connections (kind "conn"; fields.md §2):
 * a flow record is written once per flow, oriented client -> server, with
 * the byte counts. "alert" records get kind "alert" so that a query can
 * select them without their being counted as connections; smtp, dns, tls,
 * http and the rest are kind NULL (each is one transaction of a flow that
 * its flow record already counts).
 *
 * Canonical fields: time = flow.start for flows, else timestamp; src/dst =
 * src_ip:src_port -> dest_ip:dest_port as logged (for alerts that is the
 * packet's direction, which may be server -> client); direction from the
 * addresses (initiator local -> "out", as for Zeek); transport from proto;
 * bytes = flow.bytes_toserver / bytes_toclient; app_proto = app_proto in
 * lower case ("failed" -> NULL), or the event type for smtp records. Native
 * fields are EVE keys, dotted for nested ones ("flow.bytes_toserver"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/formats.h"
#include "input/jpath.h"
#include "input/json.h"
#include "value/convert.h"
#include "util/timeutil.h"

enum sk {
    SK_TYPE, SK_TS, SK_START, SK_SRC, SK_SPORT, SK_DST, SK_DPORT, SK_PROTO, SK_APP,
    SK_TOSERVER, SK_TOCLIENT, SK__N
};
static const char *const sk_name[SK__N] = {
    "event_type", "timestamp", "flow.start", "src_ip", "src_port", "dest_ip", "dest_port",
    "proto", "app_proto", "flow.bytes_toserver", "flow.bytes_toclient",
};

typedef struct suricata {
    jpath jp;
    const mc_field_req *fields;
    const cidr_set *local;        /* the settings' local networks: direction */
    int nfields;
    int key[SK__N];
    int *native;
} suricata;

static void *suricata_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    suricata *s = xcalloc(1, sizeof *s);
    jpath_init(&s->jp);
    s->fields = fields;
    s->local = &settings->local;
    s->nfields = nfields;
    for (int k = 0; k < SK__N; k++)
        s->key[k] = jpath_add(&s->jp, sk_name[k], 1);
    s->native = xcalloc((size_t)(nfields ? nfields : 1), sizeof *s->native);
    for (int i = 0; i < nfields; i++)
        s->native[i] = fields[i].canon == -1
                           ? jpath_add(&s->jp, fields[i].name, 1)
                           : -1;
    return s;
}

static void suricata_unbind(void *state)
{
    suricata *s = state;
    jpath_free(&s->jp);
    free(s->native);
    free(s);
}

static mc_value kind(mc_value type)
{
    if (value_is(type, "flow"))
        return value_cstr("conn");
    return value_is(type, "alert") ? value_cstr("alert") : mc_null();
}

static mc_value app_proto(const mc_value *k, arena *scratch)
{
    if (value_is(k[SK_APP], "failed"))
        return mc_null();
    if (k[SK_APP].type == MC_NULL && value_is(k[SK_TYPE], "smtp"))
        return value_cstr("smtp");
    return value_lower(k[SK_APP], scratch);
}

static mc_value canonical(int canon, const mc_value *k, int64_t ms, const cidr_set *local,
                          arena *scratch)
{
    switch (canon) {
    case MC_C_KIND:      return kind(k[SK_TYPE]);
    case MC_C_TIME:      return mc_int(MC_TS, ms);
    case MC_C_SRC_IP:    return value_ip(k[SK_SRC]);
    case MC_C_SRC_PORT:  return value_port(k[SK_SPORT]);
    case MC_C_DST_IP:    return value_ip(k[SK_DST]);
    case MC_C_DST_PORT:  return value_port(k[SK_DPORT]);
    case MC_C_DIRECTION: return value_net_direction(local, value_ip(k[SK_SRC]), value_ip(k[SK_DST]));
    case MC_C_TRANSPORT: return value_transport(k[SK_PROTO]);
    case MC_C_BYTES_OUT: return value_uint(k[SK_TOSERVER]);
    case MC_C_BYTES_IN:  return value_uint(k[SK_TOCLIENT]);
    case MC_C_APP_PROTO: return app_proto(k, scratch);
    default:             return mc_null(); /* host, process, user: a network sensor has none */
    }
}

static int event_time(const mc_value *k, int64_t *ms, char *err, size_t errlen)
{
    mc_value t = value_is(k[SK_TYPE], "flow") && k[SK_START].type != MC_NULL ? k[SK_START]
                                                                           : k[SK_TS];
    if (t.type == MC_STR && time_parse_iso(t.u.s, t.len, ms) == 0)
        return 0;
    if (t.type == MC_NULL)
        snprintf(err, errlen, "no timestamp");
    else
        snprintf(err, errlen, "timestamp '%.*s' is not ISO 8601", (int)(t.len > 40 ? 40 : t.len),
                 t.u.s);
    return -1;
}

static int suricata_decode(void *state, const char *line, size_t len, mc_value *row,
                           arena *scratch, char *err, size_t errlen)
{
    suricata *s = state;
    json_error jerr;
    if (jpath_scan(&s->jp, line, len, &jerr)) {
        snprintf(err, errlen, "invalid JSON at byte %zu: %s", jerr.offset + 1, jerr.msg);
        return DECODE_BAD;
    }
    json_dup_note(&jerr, err, errlen); /* replaced if the record turns out bad */
    mc_value k[SK__N];
    for (int i = 0; i < SK__N; i++)
        k[i] = json_text(jpath_get(&s->jp, s->key[i]), scratch);
    if (k[SK_TYPE].type == MC_NULL) {
        snprintf(err, errlen, "no event_type");
        return DECODE_BAD;
    }
    int64_t ms;
    if (event_time(k, &ms, err, errlen))
        return DECODE_BAD;
    for (int i = 0; i < s->nfields; i++) {
        int source = s->fields[i].canon;
        row[i] = source >= 0 ? canonical(source, k, ms, s->local, scratch)
                             : json_text(jpath_get(&s->jp, s->native[i]), scratch);
    }
    return DECODE_OK;
}

/* A JSON object with event_type and timestamp. */
static int suricata_probe(const char *line, size_t len, const input_settings *settings)
{
    size_t i = strspn(line, " \t");
    if (i >= len || line[i] != '{')
        return 0;
    suricata *s = suricata_bind(NULL, 0, settings);
    json_error jerr;
    int yes = jpath_scan(&s->jp, line, len, &jerr) == 0 &&
              jpath_get(&s->jp, s->key[SK_TYPE])->type == JSON_STRING &&
              jpath_get(&s->jp, s->key[SK_TS])->type == JSON_STRING;
    suricata_unbind(s);
    return yes;
}

const decoder decoder_suricata = {
    .name = "suricata",
    .family = "suricata",
    .describe = "Suricata EVE JSON; flow records are connections (time, src/dst ip and port, "
                "direction from addresses, transport, bytes, app_proto), alerts kind \"alert\"; "
                "no host, process or user",
    .probe = suricata_probe,
    .bind = suricata_bind,
    .decode = suricata_decode,
    .unbind = suricata_unbind,
};
