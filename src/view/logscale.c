/* logscale: the LogScale view (fields.md §3). LogScale's names are
 * Falcon's: on Falcon input each reads the event's own field; on any other
 * input the canonical field that means the same, or a Falcon value derived
 * from canonical fields, so the seed query runs on Sysmon or Zeek. A name
 * with no entry is read natively from any input (a Zeek `id.resp_p`). */
#include <string.h>

#include "value/convert.h"
#include "view/view_lang.h"

static int is(mc_value v, const char *s)
{
    return v.type != MC_NULL && value_is(v, s);
}

/* #event_simpleName: outbound connections are NetworkConnectIP4/IP6,
 * inbound NetworkReceiveAcceptIP4/IP6 (IPv6 when the remote address is),
 * process starts ProcessRollup2 (fields.md §3 decision). */
static mc_value event_name(const mc_value *a, const cidr_set *local)
{
    (void)local;
    mc_value kind = a[0], dir = a[1], remote = a[2];
    int v6 = remote.type == MC_IP && memchr(remote.u.s, ':', remote.len);
    if (is(kind, "conn") && is(dir, "out"))
        return value_cstr(v6 ? "NetworkConnectIP6" : "NetworkConnectIP4");
    if (is(kind, "conn") && is(dir, "in"))
        return value_cstr(v6 ? "NetworkReceiveAcceptIP6" : "NetworkReceiveAcceptIP4");
    return is(kind, "proc") ? value_cstr("ProcessRollup2") : mc_null();
}

/* ContextTimeStamp is decimal seconds; canonical time is ms. */
static mc_value seconds(const mc_value *a, const cidr_set *local)
{
    (void)local;
    if (a[0].type != MC_TS)
        return mc_null();
    mc_value v = {.type = MC_FLOAT};
    v.u.f = (double)a[0].u.i / 1000;
    return v;
}

/* ConnectionDirection: 0 outbound, 1 inbound. */
static mc_value direction_code(const mc_value *a, const cidr_set *local)
{
    (void)local;
    return is(a[0], "out") ? value_cstr("0") : is(a[0], "in") ? value_cstr("1") : mc_null();
}

#define CANON(n, c) {n, NULL, c, 0, NULL, {-1, -1, -1}}
#define EVENT_NAME(n) {n, NULL, -1, 0, event_name, {MC_C_KIND, MC_C_DIRECTION, MC_C_DST_IP}}

static const view_entry entries[] = {
    EVENT_NAME("#event_simpleName"),
    EVENT_NAME("event_simpleName"),
    {"ContextTimeStamp", NULL, -1, 0, seconds, {MC_C_TIME, -1, -1}},
    {"ConnectionDirection", NULL, -1, 0, direction_code, {MC_C_DIRECTION, -1, -1}},
    CANON("@timestamp", MC_C_TIME),
    CANON("ComputerName", MC_C_HOST),
    CANON("ImageFileName", MC_C_PROC_PATH),
    CANON("ContextBaseFileName", MC_C_PROC_NAME),
    CANON("FileName", MC_C_PROC_NAME),
    CANON("CommandLine", MC_C_CMDLINE),
    CANON("UserName", MC_C_USER),
    CANON("LocalAddressIP4", MC_C_SRC_IP),
    CANON("LocalAddressIP6", MC_C_SRC_IP),
    CANON("LocalPort", MC_C_SRC_PORT),
    CANON("RemoteAddressIP4", MC_C_DST_IP),
    CANON("RemoteAddressIP6", MC_C_DST_IP),
    CANON("RemotePort", MC_C_DST_PORT),
    CANON("Protocol", MC_C_TRANSPORT),
    CANON("app_conformance", MC_C_APP_CONFORMANCE),
};

const view_lang view_logscale = {
    .lang = "logscale",
    .home = "falcon",
    .ignore_case = 0,
    .unknown_elsewhere = MC_FIELD_NATIVE,
    .entry = entries,
    .nentries = (int)(sizeof entries / sizeof entries[0]),
};
