/* fortigate: FortiGate traffic logs, `key=value` pairs after an optional
 * <PRI> (`date=2020-04-23 time=01:16:08 ... type="traffic" ...`), read by
 * the key=value engine (kv.h).
 *
 * Time: `eventtime` is epoch seconds, milliseconds, microseconds or
 * nanoseconds by its number of digits (FortiOS writes seconds on some
 * models and nanoseconds on others); without it, `date` and `time` in the
 * zone `tz` ("-0500"), else UTC. Connection: srcip/srcport -> dstip/dstport,
 * proto (IANA number), sentbyte/rcvdbyte, user (else unauthuser is not
 * taken: it is unauthenticated), service as app_proto. Direction from the
 * local networks (interface roles are site-specific). */
#include <stdio.h>
#include <string.h>

#include "input/formats.h"
#include "input/kv.h"
#include "util/timeutil.h"
#include "value/convert.h"

static const char *after_pri(const char *line, size_t len)
{
    if (len && line[0] == '<') {
        const char *gt = memchr(line, '>', len < 6 ? len : 6);
        if (gt)
            return gt + 1;
    }
    return line;
}

static const char *start(const char *line, size_t len)
{
    const char *p = after_pri(line, len);
    return (size_t)(line + len - p) >= 5 && !memcmp(p, "date=", 5) ? p : NULL;
}

static int epoch(mc_value v, int64_t *ms)
{
    if (v.type != MC_STR || !v.len || v.len > 19)
        return -1;
    int64_t n = 0;
    for (size_t i = 0; i < v.len; i++) { /* the value is not NUL-terminated */
        if (v.u.s[i] < '0' || v.u.s[i] > '9')
            return -1;
        n = n * 10 + (v.u.s[i] - '0');
    }
    *ms = v.len >= 18 ? n / 1000000 : v.len >= 15 ? n / 1000 : v.len >= 12 ? n : n * 1000;
    return 0;
}

static int event_time(const kv_record *r, const char *line, size_t len, int64_t *ms, char *err,
                      size_t errlen)
{
    (void)line, (void)len;
    if (epoch(kv_get(r, "eventtime"), ms) == 0)
        return 0;
    mc_value d = kv_get(r, "date"), t = kv_get(r, "time"), tz = kv_get(r, "tz");
    char iso[64];
    if (d.type != MC_STR || t.type != MC_STR || d.len > 10 || t.len > 8) {
        snprintf(err, errlen, "no eventtime and no date/time");
        return -1;
    }
    int n = snprintf(iso, sizeof iso, "%.*sT%.*s", (int)d.len, d.u.s, (int)t.len, t.u.s);
    if (tz.type == MC_STR && tz.len == 5)
        snprintf(iso + n, sizeof iso - (size_t)n, "%.3s:%.2s", tz.u.s, tz.u.s + 3);
    else
        snprintf(iso + n, sizeof iso - (size_t)n, "Z");
    if (time_parse_iso(iso, strlen(iso), ms) == 0)
        return 0;
    snprintf(err, errlen, "date/time '%s' is not a time", iso);
    return -1;
}

static const kv_format format = {
    .src_ip = "srcip", .dst_ip = "dstip", .src_port = "srcport", .dst_port = "dstport",
    .proto = "proto", .bytes_out = "sentbyte", .bytes_in = "rcvdbyte", .user = "user",
    .app = "service", .start = start, .time = event_time,
};

static int fortigate_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    const char *p = start(line, len);
    return p && value_find(p, len - (size_t)(p - line), " logid=") &&
           value_find(p, len - (size_t)(p - line), " devid=");
}

static void *fortigate_bind(const mc_field_req *fields, int nfields,
                            const input_settings *settings)
{
    return kv_bind(&format, fields, nfields, settings);
}

const decoder decoder_fortigate = {
    .name = "fortigate",
    .family = "fortigate",
    .describe = "FortiGate key=value traffic logs: time (eventtime s/ms/us/ns, else date, time, "
                "tz), src/dst ip and port, transport, bytes (sentbyte/rcvdbyte), user, "
                "app_proto (service); direction from addresses; no host or process",
    .probe = fortigate_probe,
    .bind = fortigate_bind,
    .decode = kv_decode,
    .unbind = kv_unbind,
};
