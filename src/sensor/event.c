/* event: a resolved connection as a Sysmon-for-Linux event 3 JSON line
 * (see event.h). Values Sysmon writes as strings (Initiated, the IsIpv6
 * flags) are strings here too; numbers are numbers, which the decoder reads
 * alike. A value the sensor could not learn is left out, never guessed. */
#include "sensor/event.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* A bounded writer: counts what it would write past the end. */
typedef struct out {
    char *buf;
    size_t cap, len;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->len < o->cap)
        memcpy(o->buf + o->len, s, o->len + n < o->cap ? n : o->cap - o->len);
    o->len += n;
}

static void put_str(out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* A JSON string: quotes, backslashes and control bytes escaped; other
 * bytes as they are (paths and command lines are the kernel's bytes). */
static void put_json(out *o, const char *s)
{
    put(o, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\', esc[1] = (char)c;
            put(o, esc, 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            put(o, esc, 6);
        } else {
            put(o, s, 1);
        }
    }
    put(o, "\"", 1);
}

static void field_str(out *o, const char *name, const char *value)
{
    if (!value)
        return;
    put(o, ",\"", 2);
    put_str(o, name);
    put(o, "\":", 2);
    put_json(o, value);
}

static void field_num(out *o, const char *name, uint64_t value)
{
    char num[24];
    snprintf(num, sizeof num, "%llu", (unsigned long long)value);
    put(o, ",\"", 2);
    put_str(o, name);
    put(o, "\":", 2);
    put_str(o, num);
}

static int is_mapped_v4(const uint8_t a[16])
{
    static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return memcmp(a, prefix, sizeof prefix) == 0;
}

void event_address(int family, const uint8_t addr[16], char text[46])
{
    if (family == AF_INET6 && is_mapped_v4(addr))
        inet_ntop(AF_INET, addr + 12, text, 46);
    else if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, text, 46))
        text[0] = '\0';
}

/* Sysmon's UtcTime: "2026-11-24 06:00:00.101". */
static void utc_time(int64_t ms, char text[32])
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t n = strftime(text, 32, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(text + n, 32 - n, ".%03d", (int)(ms % 1000));
}

size_t event_json(const sensor_event *e, char *buf, size_t cap)
{
    out o = {buf, cap, 0};
    char when[32], src[46], dst[46];
    utc_time(e->time_ms, when);
    event_address(e->family, e->saddr, src);
    event_address(e->family, e->daddr, dst);
    int v6 = e->family == AF_INET6 && !is_mapped_v4(e->daddr);
    put_str(&o, "{\"EventID\":3,\"Channel\":\"Linux-Sysmon/Operational\"");
    field_str(&o, "Computer", e->host);
    field_str(&o, "UtcTime", when);
    if (e->pid)
        field_num(&o, "ProcessId", e->pid);
    field_str(&o, "Image", e->image);
    field_str(&o, "CommandLine", e->cmdline);
    field_str(&o, "User", e->user);
    field_str(&o, "Protocol", "tcp");
    field_str(&o, "Initiated", "true");
    field_str(&o, "SourceIsIpv6", v6 ? "true" : "false");
    field_str(&o, "SourceIp", src);
    if (e->sport)
        field_num(&o, "SourcePort", e->sport);
    field_str(&o, "DestinationIsIpv6", v6 ? "true" : "false");
    field_str(&o, "DestinationIp", dst);
    field_num(&o, "DestinationPort", e->dport);
    field_str(&o, "Sensor", e->sensor);
    put(&o, "}\n", 2);
    if (cap)
        buf[o.len < cap ? o.len : cap - 1] = '\0';
    return o.len;
}
