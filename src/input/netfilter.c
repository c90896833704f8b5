/* netfilter: Linux kernel packet-filter log lines (iptables/nftables LOG:
 * `IN=eth0 OUT= MAC=... SRC=a DST=b ... PROTO=TCP SPT=1 DPT=2 ...`), with
 * or without a syslog prefix, a `<PRI>`, the kernel's `[uptime]`, or a
 * rule-name tag glued to `IN=` (`[WAN_OUT-2000-A]IN=eth0`). Read by the
 * key=value engine (kv.h); reading stops at `[`, where an ICMP error quotes
 * the packet it is about (that packet is not this line's connection).
 *
 * Each line is one logged packet, taken as one connection attempt from SRC
 * to DST (the shape of the LOG rules that catch new connections). Time: an
 * ISO 8601 syslog stamp; an RFC 3164 stamp ("Jan  8 03:37:09") has no year,
 * so the time is NULL rather than a guess. No byte counts (LEN is one
 * packet's length). Direction from the local networks. */
#include <stdio.h>
#include <string.h>

#include "input/formats.h"
#include "input/kv.h"
#include "util/timeutil.h"
#include "value/convert.h"

/* The pairs begin at an `IN=` that starts a word or follows a `]`. */
static const char *start(const char *line, size_t len)
{
    for (const char *p = line; (p = value_find(p, (size_t)(line + len - p), "IN=")); p += 3)
        if (p == line || p[-1] == ' ' || p[-1] == ']')
            return p;
    return NULL;
}

static int event_time(const kv_record *r, const char *line, size_t len, int64_t *ms, char *err,
                      size_t errlen)
{
    (void)r, (void)err, (void)errlen;
    const char *p = line, *end = line + len;
    if (p < end && *p == '<') {
        const char *gt = memchr(p, '>', (size_t)(end - p));
        p = gt ? gt + 1 : p;
    }
    const char *sp = memchr(p, ' ', (size_t)(end - p));
    return sp && time_parse_iso(p, (size_t)(sp - p), ms) == 0 ? 0 : 1;
}

static const kv_format format = {
    .src_ip = "SRC", .dst_ip = "DST", .src_port = "SPT", .dst_port = "DPT", .proto = "PROTO",
    .stop = '[', .start = start, .time = event_time,
};

static int netfilter_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    const char *p = start(line, len);
    size_t n = p ? len - (size_t)(p - line) : 0;
    return p && value_find(p, n, " OUT=") && value_find(p, n, " SRC=") &&
           value_find(p, n, " DST=") && value_find(p, n, " PROTO=");
}

static void *netfilter_bind(const mc_field_req *fields, int nfields,
                            const input_settings *settings)
{
    return kv_bind(&format, fields, nfields, settings);
}

const decoder decoder_netfilter = {
    .name = "netfilter",
    .family = "netfilter",
    .describe = "Linux netfilter (iptables/nftables LOG) kernel lines, any syslog prefix: "
                "src/dst ip and port, transport; time from ISO 8601 stamps (RFC 3164 stamps "
                "have no year: NULL); an ICMP error's quoted packet is not a connection",
    .probe = netfilter_probe,
    .bind = netfilter_bind,
    .decode = kv_decode,
    .unbind = kv_unbind,
};
