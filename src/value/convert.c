/* convert: source text -> canonical values, shared by every decoder (see
 * convert.h). Addresses are checked with inet_pton so that a host name where
 * an address belongs (ASA's "OCSP_Server", QRadar's invalid "xz15" IPv6) is
 * NULL rather than a bogus IP. */
#include "value/convert.h"
#include "util/cidr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

mc_value value_text(const char *s, size_t len)
{
    return s ? mc_str(MC_STR, s, len) : mc_null();
}

mc_value value_cstr(const char *s)
{
    return mc_str(MC_STR, s, strlen(s));
}

int value_is(mc_value v, const char *s)
{
    size_t n = strlen(s);
    return (v.type == MC_STR || v.type == MC_IP) && v.len == n && memcmp(v.u.s, s, n) == 0;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

int value_ieq(mc_value v, const char *s)
{
    size_t n = strlen(s);
    if (v.type != MC_STR || v.len != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower(v.u.s[i]) != lower(s[i]))
            return 0;
    return 1;
}

const char *value_find(const char *p, size_t len, const char *s)
{
    size_t n = strlen(s);
    const char *end = p + len;
    if (n == 0)
        return p;
    while (p && (size_t)(end - p) >= n) {
        p = memchr(p, s[0], (size_t)(end - p) - n + 1);
        if (!p || memcmp(p, s, n) == 0)
            return p;
        p++;
    }
    return NULL;
}

mc_value value_uint(mc_value text)
{
    if (text.type != MC_STR || text.len == 0 || text.len > 18)
        return mc_null();
    int64_t n = 0;
    for (uint32_t i = 0; i < text.len; i++) {
        char c = text.u.s[i];
        if (c < '0' || c > '9')
            return mc_null();
        n = n * 10 + (c - '0');
    }
    return mc_int(MC_INT, n);
}

mc_value value_port(mc_value text)
{
    mc_value v = value_uint(text);
    return v.type == MC_INT && v.u.i > 65535 ? mc_null() : v;
}

/* Parses the address into bytes; returns 4, 16 or 0 (not an address). */
static int ip_bytes(const char *s, size_t len, unsigned char out[16])
{
    char buf[64];
    const char *zone = memchr(s, '%', len);
    if (zone)
        len = (size_t)(zone - s);
    if (len == 0 || len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (inet_pton(AF_INET, buf, out) == 1)
        return 4;
    if (inet_pton(AF_INET6, buf, out) == 1)
        return 16;
    return 0;
}

/* Non-canonical IPv6 spellings are rewritten into this ring. A decoder
 * converts at most a handful of addresses per record, and a row's values
 * live only until the next record, so 32 slots are never reused early. */
static _Thread_local char ip_ring[32][INET6_ADDRSTRLEN];
static _Thread_local unsigned ip_next;

mc_value value_ip(mc_value text)
{
    unsigned char b[16];
    if (text.type != MC_STR && text.type != MC_IP)
        return mc_null();
    int family = ip_bytes(text.u.s, text.len, b);
    if (!family)
        return mc_null();
    static const char mapped[] = "::ffff:";
    size_t n = sizeof mapped - 1;
    if (text.len > n && memchr(text.u.s + n, '.', text.len - n)) {
        int match = 1;
        for (size_t i = 0; i < n; i++)
            match &= lower(text.u.s[i]) == mapped[i];
        if (match)
            return mc_str(MC_IP, text.u.s + n, text.len - n);
    }
    if (family == 4 || memchr(text.u.s, '%', text.len))
        return mc_str(MC_IP, text.u.s, text.len);
    /* One address, one spelling (RFC 5952), so that grouping by address
     * does not split 2001:DB8::25 from 2001:db8:0:0:0:0:0:25 (aql.md §3). */
    char *canon = ip_ring[ip_next++ % 32];
    inet_ntop(AF_INET6, b, canon, INET6_ADDRSTRLEN);
    if (b[0] == 0 && !memcmp(b, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12))
        inet_ntop(AF_INET, b + 12, canon, INET6_ADDRSTRLEN);
    size_t len = strlen(canon);
    if (len == text.len && !memcmp(canon, text.u.s, len))
        return mc_str(MC_IP, text.u.s, text.len);
    return mc_str(MC_IP, canon, len);
}

mc_value value_basename(mc_value path)
{
    if (path.type != MC_STR)
        return path;
    for (uint32_t i = path.len; i > 0; i--)
        if (path.u.s[i - 1] == '\\' || path.u.s[i - 1] == '/')
            return mc_str(MC_STR, path.u.s + i, path.len - i);
    return path;
}

mc_value value_transport(mc_value text)
{
    static const struct { const char *name; int num; } names[] = {
        {"tcp", 6}, {"udp", 17}, {"icmp", 1}, {"icmpv6", 58}, {"ipv6-icmp", 58},
        {"icmp6", 58}, {"sctp", 132}, {"gre", 47}, {"esp", 50},
    };
    mc_value n = value_uint(text);
    if (n.type == MC_INT)
        return n.u.i <= 255 ? n : mc_null();
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (value_ieq(text, names[i].name))
            return mc_int(MC_INT, names[i].num);
    return mc_null();
}

mc_value value_lower(mc_value v, arena *scratch)
{
    if (v.type != MC_STR)
        return v;
    uint32_t i = 0;
    while (i < v.len && lower(v.u.s[i]) == v.u.s[i])
        i++;
    if (i == v.len)
        return v;
    char *copy = arena_alloc(scratch, v.len);
    for (i = 0; i < v.len; i++)
        copy[i] = lower(v.u.s[i]);
    return mc_str(MC_STR, copy, v.len);
}

int value_ip_local(const cidr_set *local, mc_value ip)
{
    return ip.type == MC_IP ? cidr_set_has(local, ip.u.s, ip.len) : -1;
}

mc_value value_net_direction(const cidr_set *local, mc_value src_ip, mc_value dst_ip)
{
    int s = value_ip_local(local, src_ip);
    if (s == 1)
        return value_cstr("out");
    if (s == 0 && value_ip_local(local, dst_ip) == 1)
        return value_cstr("in");
    return mc_null();
}

mc_value value_locality(const cidr_set *local, mc_value src_ip, mc_value dst_ip)
{
    static const char *const names[2][2] = {{"R2R", "R2L"}, {"L2R", "L2L"}};
    int s = value_ip_local(local, src_ip), d = value_ip_local(local, dst_ip);
    if (s < 0 || d < 0)
        return mc_null();
    return value_cstr(names[s][d]);
}
