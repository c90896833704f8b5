/* cidr: network parsing and membership (see cidr.h). */
#include "util/cidr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cidr_parse(const char *text, cidr_net *out)
{
    char buf[64];
    const char *slash = strchr(text, '/');
    size_t n = slash ? (size_t)(slash - text) : strlen(text);
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    memset(out, 0, sizeof *out);
    out->family = strchr(buf, ':') ? 6 : 4;
    if (inet_pton(out->family == 6 ? AF_INET6 : AF_INET, buf, out->addr) != 1)
        return -1;
    int max = out->family == 6 ? 128 : 32;
    char *end;
    long bits = slash ? strtol(slash + 1, &end, 10) : max;
    if ((slash && (end == slash + 1 || *end)) || bits < 0 || bits > max)
        return -1;
    out->bits = (unsigned char)bits;
    return 0;
}

int cidr_parse_list(const char *spec, cidr_net *out, int max, char *err, size_t errlen)
{
    int n = 0;
    for (const char *p = spec; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char one[64];
        if (len == 0 || len >= sizeof one || n == max) {
            snprintf(err, errlen, "'%.*s' is not a network (or the list is too long)", (int)len, p);
            return -1;
        }
        memcpy(one, p, len);
        one[len] = '\0';
        if (cidr_parse(one, &out[n])) {
            snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 network", one);
            return -1;
        }
        n++;
        p = comma ? comma + 1 : p + len;
    }
    return n;
}

int cidr_contains(const cidr_net *net, const cidr_net *ip)
{
    if (net->family != ip->family)
        return 0;
    int full = net->bits / 8, rest = net->bits % 8;
    if (memcmp(net->addr, ip->addr, (size_t)full))
        return 0;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return rest == 0 || (net->addr[full] & mask) == (ip->addr[full] & mask);
}

int cidr_set_parse(cidr_set *s, const char *spec, char *err, size_t errlen)
{
    int n = cidr_parse_list(spec ? spec : CIDR_LOCAL_NETS, s->net, CIDR_SET_MAX, err, errlen);
    if (n == 0)
        snprintf(err, errlen, "no networks given");
    if (n <= 0)
        return -1;
    s->n = n;
    return 0;
}

int cidr_set_has(const cidr_set *s, const char *ip, size_t len)
{
    char buf[64];
    cidr_net addr;
    if (len >= sizeof buf)
        return -1;
    memcpy(buf, ip, len);
    buf[len] = '\0';
    char *zone = strchr(buf, '%');
    if (zone)
        *zone = '\0';
    if (cidr_parse(buf, &addr))
        return -1;
    for (int i = 0; i < s->n; i++)
        if (cidr_contains(&s->net[i], &addr))
            return 1;
    return 0;
}
