/* qradar: names, types and canonical fields of QRadar event records (see
 * qradar.h).
 *
 * Decisions a hunter should know:
 * - Every record with a destination address and a destination port above 0
 *   is a connection (kind "conn"): QRadar events carry no connection flag,
 *   and the seed AQL counts every such event. QRadar stores 0 where a source
 *   has no port.
 * - direction: eventdirection L2R or L2L -> "out" (the source side is local
 *   and initiated it, the network-sensor rule of values.h), R2L -> "in",
 *   R2R -> NULL; computed from the addresses when absent.
 * - time: starttime (QRadar's receive time, ms), else devicetime. A record
 *   without starttime (LEEF has none) gives devicetime for the native
 *   starttime too, so `starttime > NOW() - ...` works on it.
 * - proc_name is the base name of "Process Name" (IBM's extensions write a
 *   file name, some DSMs a path), else of "Process Path"; the native
 *   "Process Name" stays as exported, so the seed AQL behaves as QRadar.
 * - bytes_out is "Bytes Sent" when it is all digits; "", "1.2k" or a
 *   missing property is NULL (LONG() would give NULL too, aql.md §6 #10).
 * - One exported record counts once even when eventcount > 1 (COUNT(*)
 *   semantics, aql.md §6 #19); eventcount is kept as a native field. */
#include "input/qradar.h"

#include <string.h>

#include "value/convert.h"
#include "util/timeutil.h"

const char *const qradar_key_name[QK__N] = {
    "starttime", "devicetime", "sourceip", "sourceport", "destinationip", "destinationport",
    "username", "eventdirection", "protocolid", "protocolname_protocolid", "Hostname",
    "Process Name", "Process Path", "Bytes Sent", "Bytes Received",
};

/* Names that differ by more than case and spaces: each row is one field. */
static const char *const aliases[][3] = {
    {"devicetime", "Log Source Time", "devTime"},
    {"qidname_qid", "Event Name", NULL},
    {"logsourcename_logsourceid", "Log Source", NULL},
    {"logsourcetypename_devicetype", "Log Source Type", NULL},
    {"categoryname_category", "Low Level Category", NULL},
    {"categoryname_highlevelcategory", "High Level Category", NULL},
    {"protocolname_protocolid", "Protocol", NULL},
    {"sourceip", "src", NULL},
    {"destinationip", "dst", NULL},
    {"sourceport", "srcPort", NULL},
    {"destinationport", "dstPort", NULL},
    {"username", "usrName", NULL},
    {"protocolid", "proto", NULL},
    {"Bytes Sent", "srcBytes", NULL},
    {"Bytes Received", "dstBytes", NULL},
    {"Hostname", "identHostName", NULL},
};
#define NALIASES (sizeof aliases / sizeof aliases[0])

static char fold(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Equal ignoring ASCII case and spaces. */
static int loose_equal(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < alen && a[i] == ' ')
            i++;
        while (j < blen && b[j] == ' ')
            j++;
        if (i == alen || j == blen)
            return i == alen && j == blen;
        if (fold(a[i++]) != fold(b[j++]))
            return 0;
    }
}

static int alias_row(const char *name, size_t len)
{
    for (size_t r = 0; r < NALIASES; r++)
        for (int c = 0; c < 3 && aliases[r][c]; c++)
            if (loose_equal(name, len, aliases[r][c], strlen(aliases[r][c])))
                return (int)r;
    return -1;
}

int qradar_same_name(const char *a, size_t alen, const char *b, size_t blen)
{
    if (loose_equal(a, alen, b, blen))
        return 1;
    int ra = alias_row(a, alen);
    return ra >= 0 && ra == alias_row(b, blen);
}

int qradar_time(mc_value text, int64_t *ms)
{
    mc_value n = value_uint(text);
    if (n.type == MC_INT && text.len >= 12) {
        *ms = n.u.i;
        return 0;
    }
    return text.type == MC_STR ? time_parse_log(text.u.s, text.len, ms) : -1;
}

static mc_value direction(const mc_value *k, const cidr_set *local)
{
    mc_value d = k[QK_DIRECTION];
    if (d.type == MC_NULL)
        d = value_locality(local, value_ip(k[QK_SRCIP]), value_ip(k[QK_DSTIP]));
    if (value_is(d, "L2R") || value_is(d, "L2L"))
        return value_cstr("out");
    return value_is(d, "R2L") ? value_cstr("in") : mc_null();
}

static mc_value event_time(const mc_value *k)
{
    int64_t ms;
    if (qradar_time(k[QK_STARTTIME], &ms) == 0 || qradar_time(k[QK_DEVICETIME], &ms) == 0)
        return mc_int(MC_TS, ms);
    return mc_null();
}

/* protocolid, or the name QRadar shows ("TCP", "tcp.ip"). */
static mc_value transport(const mc_value *k)
{
    mc_value t = value_transport(k[QK_PROTOCOL]);
    mc_value name = k[QK_PROTONAME];
    if (t.type != MC_NULL || name.type != MC_STR)
        return t;
    const char *dot = memchr(name.u.s, '.', name.len);
    return value_transport(mc_str(MC_STR, name.u.s, dot ? (size_t)(dot - name.u.s) : name.len));
}

static mc_value nonempty(mc_value v)
{
    return v.type == MC_STR && v.len > 0 ? v : mc_null();
}

static int is_conn(const mc_value *k)
{
    mc_value port = value_port(k[QK_DSTPORT]);
    return value_ip(k[QK_DSTIP]).type == MC_IP && port.type == MC_INT && port.u.i > 0;
}

mc_value qradar_canonical(int canon, const mc_value *k, const cidr_set *local)
{
    mc_value name;
    switch (canon) {
    case MC_C_KIND:      return is_conn(k) ? value_cstr("conn") : mc_null();
    case MC_C_TIME:      return event_time(k);
    case MC_C_HOST:      return nonempty(k[QK_HOSTNAME]);
    case MC_C_PROC_PATH: return nonempty(k[QK_PROC_PATH]);
    case MC_C_PROC_NAME:
        name = nonempty(k[QK_PROC_NAME]);
        return value_basename(name.type != MC_NULL ? name : nonempty(k[QK_PROC_PATH]));
    case MC_C_USER:      return nonempty(k[QK_USER]);
    case MC_C_SRC_IP:    return value_ip(k[QK_SRCIP]);
    case MC_C_SRC_PORT:  return value_port(k[QK_SRCPORT]);
    case MC_C_DST_IP:    return value_ip(k[QK_DSTIP]);
    case MC_C_DST_PORT:  return value_port(k[QK_DSTPORT]);
    case MC_C_DIRECTION: return direction(k, local);
    case MC_C_TRANSPORT: return transport(k);
    case MC_C_BYTES_OUT: return value_uint(k[QK_BYTES_SENT]);
    case MC_C_BYTES_IN:  return value_uint(k[QK_BYTES_RECV]);
    default:             return mc_null(); /* cmdline, app_proto */
    }
}

static int named(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (qradar_same_name(name, strlen(name), *list, strlen(*list)))
            return 1;
    return 0;
}

int qradar_native_type(const char *name)
{
    static const char *const ips[] = {"sourceip", "destinationip", "identityip", NULL};
    static const char *const ints[] = {
        "sourceport", "destinationport", "eventcount", "magnitude", "credibility", "severity",
        "relevance", "qid", "category", "highlevelcategory", "logsourceid", "devicetype", NULL,
    };
    static const char *const times[] = {"devicetime", "endtime", NULL};
    static const struct { const char *name; int type; } one[] = {
        {"starttime", QT_STARTTIME}, {"protocolid", QT_PROTOCOL},
        {"eventdirection", QT_DIRECTION},
    };
    for (size_t i = 0; i < sizeof one / sizeof one[0]; i++)
        if (qradar_same_name(name, strlen(name), one[i].name, strlen(one[i].name)))
            return one[i].type;
    return named(name, ips) ? QT_IP : named(name, ints) ? QT_INT
                                    : named(name, times) ? QT_TIME : QT_TEXT;
}

mc_value qradar_native(int type, mc_value text, const mc_value *k, const cidr_set *local)
{
    int64_t ms;
    switch (type) {
    case QT_IP: return value_ip(text);
    case QT_INT: return value_uint(text);
    case QT_STARTTIME:
        if (text.type == MC_NULL)
            text = k[QK_DEVICETIME]; /* a file has no receive time: the event's own */
        /* fall through */
    case QT_TIME: return qradar_time(text, &ms) == 0 ? mc_int(MC_TS, ms) : mc_null();
    case QT_PROTOCOL: return value_transport(text);
    case QT_DIRECTION:
        return text.type == MC_NULL
                   ? value_locality(local, value_ip(k[QK_SRCIP]), value_ip(k[QK_DSTIP]))
                   : text;
    default: return text;
    }
}
