/* panos: Palo Alto Networks PAN-OS logs in CSV syslog form
 * ("Nov 30 16:09:08 PA-220 1,2018/11/30 16:09:07,0128...,TRAFFIC,end,...").
 *
 * Columns are PAN-OS 8.x-10.x positions, named as Palo Alto's syslog field
 * reference names them; native fields are looked up by those names, any
 * case ("Source Address", "Bytes Sent", "Subtype" for column 4).
 *
 * Decisions (fields.md §2 and §5 #10): a TRAFFIC log is one connection only
 * when its subtype is end, drop or deny; "start" logs are kind NULL, else a
 * session logged at start and end would count twice, and only the end log
 * has final byte counts. Other log types (THREAT, ...) share the first 31
 * columns and are decoded with kind NULL. Times (Start Time, else Generated
 * Time) are the firewall's local time with no zone: taken as UTC. Direction
 * comes from the addresses (zones are site-specific). Device Name is the
 * firewall, so host is NULL; user is Source User (User-ID) when set;
 * app_proto is Application ("smtp", "ssl", ...) except incomplete,
 * insufficient-data and not-applicable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/csv.h"
#include "input/formats.h"
#include "value/convert.h"
#include "util/timeutil.h"

enum {
    P_TYPE = 3, P_SUBTYPE = 4, P_GENERATED = 6, P_SRC = 7, P_DST = 8, P_SRC_USER = 12,
    P_APP = 14, P_SPORT = 24, P_DPORT = 25, P_PROTO = 29, P_BYTES_SENT = 32,
    P_BYTES_RECEIVED = 33, P_START = 35, P_COMMON = 31, P_MAX = 128
};

static const char *const column_name[] = {
    "FUTURE_USE", "Receive Time", "Serial Number", "Type", "Threat/Content Type", "FUTURE_USE",
    "Generated Time", "Source Address", "Destination Address", "NAT Source IP",
    "NAT Destination IP", "Rule Name", "Source User", "Destination User", "Application",
    "Virtual System", "Source Zone", "Destination Zone", "Inbound Interface",
    "Outbound Interface", "Log Action", "FUTURE_USE", "Session ID", "Repeat Count",
    "Source Port", "Destination Port", "NAT Source Port", "NAT Destination Port", "Flags",
    "Protocol", "Action", "Bytes", "Bytes Sent", "Bytes Received", "Packets", "Start Time",
    "Elapsed Time", "Category", "FUTURE_USE", "Sequence Number", "Action Flags",
    "Source Location", "Destination Location", "FUTURE_USE", "Packets Sent", "Packets Received",
    "Session End Reason", "Device Group Hierarchy Level 1", "Device Group Hierarchy Level 2",
    "Device Group Hierarchy Level 3", "Device Group Hierarchy Level 4", "Virtual System Name",
    "Device Name", "Action Source",
};
#define NAMED (int)(sizeof column_name / sizeof column_name[0])

typedef struct panos {
    const mc_field_req *fields;
    const cidr_set *local;        /* the settings' local networks: direction */
    int nfields;
    int *col;                   /* column of each native field, -1 */
    mc_value v[P_MAX];
} panos;

static int column_of(const char *name)
{
    if (strcasecmp(name, "Subtype") == 0)
        return P_SUBTYPE;
    for (int c = 0; c < NAMED; c++)
        if (strcasecmp(name, column_name[c]) == 0 && strcmp(column_name[c], "FUTURE_USE") != 0)
            return c;
    return -1;
}

static void *panos_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    panos *p = xcalloc(1, sizeof *p);
    p->fields = fields;
    p->local = &settings->local;
    p->nfields = nfields;
    p->col = xcalloc((size_t)(nfields ? nfields : 1), sizeof *p->col);
    for (int i = 0; i < nfields; i++)
        p->col[i] = fields[i].canon == -1 ? column_of(fields[i].name) : -1;
    return p;
}

static void panos_unbind(void *state)
{
    panos *p = state;
    free(p->col);
    free(p);
}

/* The CSV starts at the token before the first comma (after any syslog
 * header); NULL when the line has no comma. */
static const char *csv_start(const char *line, size_t len)
{
    const char *comma = memchr(line, ',', len);
    if (!comma)
        return NULL;
    const char *p = comma;
    while (p > line && p[-1] != ' ')
        p--;
    return p;
}

static int is_traffic(const panos *p)
{
    return value_is(p->v[P_TYPE], "TRAFFIC");
}

static mc_value kind(const panos *p)
{
    mc_value sub = p->v[P_SUBTYPE];
    if (is_traffic(p) && (value_is(sub, "end") || value_is(sub, "drop") || value_is(sub, "deny")))
        return value_cstr("conn");
    return mc_null();
}

static mc_value nonempty(mc_value v)
{
    return v.type == MC_STR && v.len > 0 ? v : mc_null();
}

static mc_value app_proto(mc_value app, arena *scratch)
{
    if (value_is(app, "incomplete") || value_is(app, "insufficient-data") ||
        value_is(app, "not-applicable"))
        return mc_null();
    return value_lower(nonempty(app), scratch);
}

static mc_value canonical(const panos *p, int canon, int64_t ms, arena *scratch)
{
    const mc_value *v = p->v;
    switch (canon) {
    case MC_C_KIND:      return kind(p);
    case MC_C_TIME:      return mc_int(MC_TS, ms);
    case MC_C_USER:      return nonempty(v[P_SRC_USER]);
    case MC_C_SRC_IP:    return value_ip(v[P_SRC]);
    case MC_C_SRC_PORT:  return value_port(v[P_SPORT]);
    case MC_C_DST_IP:    return value_ip(v[P_DST]);
    case MC_C_DST_PORT:  return value_port(v[P_DPORT]);
    case MC_C_DIRECTION: return value_net_direction(p->local, value_ip(v[P_SRC]), value_ip(v[P_DST]));
    case MC_C_TRANSPORT: return value_transport(v[P_PROTO]);
    case MC_C_BYTES_OUT: return is_traffic(p) ? value_uint(v[P_BYTES_SENT]) : mc_null();
    case MC_C_BYTES_IN:  return is_traffic(p) ? value_uint(v[P_BYTES_RECEIVED]) : mc_null();
    case MC_C_APP_PROTO: return app_proto(v[P_APP], scratch);
    default:             return mc_null(); /* host, process: a firewall has none */
    }
}

static int event_time(const panos *p, int n, int64_t *ms, char *err, size_t errlen)
{
    mc_value t = is_traffic(p) && n > P_START ? nonempty(p->v[P_START]) : mc_null();
    if (t.type == MC_NULL)
        t = p->v[P_GENERATED];
    if (t.type == MC_STR && time_parse_log(t.u.s, t.len, ms) == 0)
        return 0;
    snprintf(err, errlen, "time '%.*s' is not YYYY/MM/DD hh:mm:ss",
             (int)(t.len > 40 ? 40 : t.len), t.type == MC_STR ? t.u.s : "");
    return -1;
}

/* Splits the CSV part into p->v; returns the column count or -1. */
static int split(panos *p, const char *line, size_t len, arena *scratch, char *err,
                 size_t errlen)
{
    const char *csv = csv_start(line, len);
    if (!csv) {
        snprintf(err, errlen, "no comma-separated fields");
        return -1;
    }
    int n = csv_split(csv, len - (size_t)(csv - line), ',', p->v, P_MAX, scratch, err, errlen);
    if (n >= 0 && n < P_COMMON) {
        snprintf(err, errlen, "%d fields, a PAN-OS log has at least %d (truncated record?)", n,
                 P_COMMON);
        return -1;
    }
    return n > P_MAX ? P_MAX : n;
}

static int panos_decode(void *state, const char *line, size_t len, mc_value *row,
                        arena *scratch, char *err, size_t errlen)
{
    panos *p = state;
    int64_t ms;
    int n = split(p, line, len, scratch, err, errlen);
    if (n < 0 || event_time(p, n, &ms, err, errlen))
        return DECODE_BAD;
    for (int i = 0; i < p->nfields; i++) {
        int source = p->fields[i].canon;
        if (source >= 0)
            row[i] = canonical(p, source, ms, scratch);
        else
            row[i] = p->col[i] >= 0 && p->col[i] < n ? p->v[p->col[i]] : mc_null();
    }
    return DECODE_OK;
}

/* The CSV part has a log type in column 3 and a date in column 1. */
static int panos_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    panos p;
    arena scratch;
    char err[160];
    int64_t ms;
    arena_init(&scratch);
    int n = split(&p, line, len, &scratch, err, sizeof err);
    int yes = n > P_START && (value_is(p.v[P_TYPE], "TRAFFIC") || value_is(p.v[P_TYPE], "THREAT")) &&
              time_parse_log(p.v[1].u.s, p.v[1].len, &ms) == 0;
    arena_free(&scratch);
    return yes;
}

const decoder decoder_panos = {
    .name = "panos",
    .family = "panos",
    .describe = "Palo Alto PAN-OS CSV syslog; TRAFFIC end/drop/deny logs are connections "
                "(never start): time, user (Source User), src/dst ip and port, direction from "
                "addresses, transport, bytes, app_proto (Application); no host or process",
    .probe = panos_probe,
    .bind = panos_bind,
    .decode = panos_decode,
    .unbind = panos_unbind,
};
