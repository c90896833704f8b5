/* filterlog: pfSense / OPNsense `filterlog` lines — comma-separated fields
 * after the syslog tag (`<134>Jul  3 19:10:30 filterlog[72237]: 146,,,...`),
 * laid out as pfSense documents: rule, subrule, anchor, tracker, interface,
 * reason, action, dir, ipversion, then for IPv4 tos, ecn, ttl, id, offset,
 * flags, protoid, proto, length, src, dst, and for IPv6 class, flowlabel,
 * hoplimit, proto, protoid, length, src, dst; TCP and UDP add srcport,
 * dstport, datalen (other protocols put their own fields there: the native
 * names srcport/dstport then read those). Native fields use these names.
 *
 * Each line is one filtered packet, taken as one connection attempt from
 * src to dst; `action` (pass, block) and `dir` (in, out: the interface's
 * view, not the host's) stay native. The RFC 3164 stamp has no year, so the
 * time is NULL rather than a guess; an ISO 8601 stamp is read. Direction
 * from the local networks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/csv.h"
#include "input/formats.h"
#include "util/timeutil.h"
#include "value/convert.h"

enum { F_MAX = 48, F_IPVER = 8 };

static const char *const common[] = {"rule", "subrule", "anchor", "tracker", "interface",
                                     "reason", "action", "dir", "ipversion"};
static const char *const v4[] = {"tos", "ecn", "ttl", "id", "offset", "flags", "protoid",
                                 "proto", "length", "src", "dst", "srcport", "dstport", "datalen"};
static const char *const v6[] = {"class", "flowlabel", "hoplimit", "proto", "protoid", "length",
                                 "src", "dst", "srcport", "dstport", "datalen"};

typedef struct filterlog {
    const mc_field_req *fields;
    const cidr_set *local;
    int nfields;
    int *pos[2];                /* per field: its position in the IPv4 / IPv6 layout, -1 */
    int six;                    /* this line is IPv6 */
    mc_value v[F_MAX];
    int n;
} filterlog;

/* The positions the canonical fields read, IPv4 then IPv6. */
enum { C_SRC, C_DST, C_SPORT, C_DPORT, C_PROTOID, C_PROTO, C__N };
static const int canon_pos[2][C__N] = {{18, 19, 20, 21, 15, 16}, {15, 16, 17, 18, 13, 12}};

/* The CSV after "filterlog[pid]: " or "filterlog: ", or NULL. */
static const char *csv_of(const char *line, size_t len, const char **stamp_end)
{
    const char *tag = value_find(line, len, "filterlog");
    if (!tag)
        return NULL;
    const char *colon = memchr(tag, ':', (size_t)(line + len - tag));
    if (!colon || colon + 1 >= line + len || colon[1] != ' ')
        return NULL;
    *stamp_end = tag;
    return colon + 2;
}

/* Field `name`'s position in the IPv4 (six = 0) or IPv6 layout, or -1;
 * resolved once, when bound. */
static int position(const char *name, int six)
{
    for (int i = 0; i < F_IPVER + 1; i++)
        if (!strcmp(name, common[i]))
            return i;
    const char *const *rest = six ? v6 : v4;
    int nrest = six ? (int)(sizeof v6 / sizeof *v6) : (int)(sizeof v4 / sizeof *v4);
    for (int i = 0; i < nrest; i++)
        if (!strcmp(name, rest[i]))
            return F_IPVER + 1 + i;
    return -1;
}

static mc_value at(const filterlog *f, int i)
{
    return i >= 0 && i < f->n && i < F_MAX && f->v[i].len ? f->v[i] : mc_null();
}

/* Ports follow only for TCP and UDP (ICMP lines carry other fields there). */
static mc_value port(const filterlog *f, int which)
{
    mc_value proto = at(f, canon_pos[f->six][C_PROTO]);
    return value_is(proto, "tcp") || value_is(proto, "udp")
               ? value_port(at(f, canon_pos[f->six][which])) : mc_null();
}

static mc_value canonical(const filterlog *f, int canon, int64_t ms)
{
    const int *cp = canon_pos[f->six];
    mc_value src = value_ip(at(f, cp[C_SRC])), dst = value_ip(at(f, cp[C_DST]));
    switch (canon) {
    case MC_C_KIND:      return src.type && dst.type ? value_cstr("conn") : mc_null();
    case MC_C_TIME:      return ms == INT64_MIN ? mc_null() : mc_int(MC_TS, ms);
    case MC_C_SRC_IP:    return src;
    case MC_C_SRC_PORT:  return port(f, C_SPORT);
    case MC_C_DST_IP:    return dst;
    case MC_C_DST_PORT:  return port(f, C_DPORT);
    case MC_C_DIRECTION: return value_net_direction(f->local, src, dst);
    case MC_C_TRANSPORT: return value_transport(at(f, cp[C_PROTOID]));
    default:             return mc_null();
    }
}

/* An ISO 8601 stamp before the tag, else none (RFC 3164 has no year). */
static int64_t stamp(const char *line, const char *tag)
{
    const char *p = line;
    if (p < tag && *p == '<') {
        const char *gt = memchr(p, '>', (size_t)(tag - p));
        p = gt ? gt + 1 : p;
    }
    const char *sp = memchr(p, ' ', (size_t)(tag - p));
    int64_t ms;
    return sp && time_parse_iso(p, (size_t)(sp - p), &ms) == 0 ? ms : INT64_MIN;
}

static int filterlog_decode(void *state, const char *line, size_t len, mc_value *row,
                            arena *scratch, char *err, size_t errlen)
{
    filterlog *f = state;
    const char *tag, *csv = csv_of(line, len, &tag);
    if (!csv) {
        snprintf(err, errlen, "no 'filterlog:' tag");
        return DECODE_BAD;
    }
    f->n = csv_split(csv, len - (size_t)(csv - line), ',', f->v, F_MAX, scratch, err, errlen);
    if (f->n < 0)
        return DECODE_BAD;
    if (f->n <= F_IPVER || !(value_is(f->v[F_IPVER], "4") || value_is(f->v[F_IPVER], "6"))) {
        snprintf(err, errlen, "field 9 (ipversion) is not 4 or 6");
        return DECODE_BAD;
    }
    int64_t ms = stamp(line, tag);
    f->six = value_is(f->v[F_IPVER], "6");
    for (int i = 0; i < f->nfields; i++) {
        int c = f->fields[i].canon;
        row[i] = c >= 0 ? canonical(f, c, ms) : at(f, f->pos[f->six][i]);
    }
    return DECODE_OK;
}

static int filterlog_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    const char *tag, *csv = csv_of(line, len, &tag);
    return csv && memchr(csv, ',', len - (size_t)(csv - line)) != NULL;
}

static void *filterlog_bind(const mc_field_req *fields, int nfields,
                            const input_settings *settings)
{
    filterlog *f = xcalloc(1, sizeof *f);
    f->fields = fields;
    f->nfields = nfields;
    f->local = &settings->local;
    for (int six = 0; six < 2; six++) {
        f->pos[six] = xcalloc((size_t)(nfields ? nfields : 1), sizeof *f->pos[six]);
        for (int i = 0; i < nfields; i++)
            f->pos[six][i] = fields[i].canon == MC_FIELD_NATIVE ? position(fields[i].name, six)
                                                                 : -1;
    }
    return f;
}

static void filterlog_unbind(void *state)
{
    filterlog *f = state;
    free(f->pos[0]);
    free(f->pos[1]);
    free(f);
}

const decoder decoder_filterlog = {
    .name = "filterlog",
    .family = "filterlog",
    .describe = "pfSense/OPNsense filterlog CSV (IPv4 and IPv6): src/dst ip and port, "
                "transport; action and dir native; time only from ISO 8601 stamps",
    .probe = filterlog_probe,
    .bind = filterlog_bind,
    .decode = filterlog_decode,
    .unbind = filterlog_unbind,
};
