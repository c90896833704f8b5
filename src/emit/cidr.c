/* cidr: network tests as regular expressions over address text, for the
 * targets that have no address type or none that every engine shares. The
 * addresses are compared in their canonical text (dotted quad without
 * leading zeros; RFC 5952 for IPv6), the form mailc2's values and
 * Security Lake store. A network whose addresses have no such textual
 * prefix (an IPv6 prefix past the first group) is refused, by name. */
#include <arpa/inet.h>
#include <string.h>

#include "emit/emit_int.h"
#include "util/cidr.h"

/* The network's address as text (RFC 5952 for IPv6, as inet_ntop writes it). */
static void net_text(const cidr_net *n, char *buf, size_t len)
{
    inet_ntop(n->family == 6 ? AF_INET6 : AF_INET, n->addr, buf, (socklen_t)len);
}

/* Octets of a.b.c.d/bits: the fixed ones, the one the mask cuts as an
 * alternation of its values, the free ones as any octet. */
static void ipv4_regex(const cidr_net *n, FILE *out)
{
    int fixed = n->bits / 8, rest = n->bits % 8, pos = 0;
    fputc('^', out);
    for (; pos < fixed; pos++)
        fprintf(out, "%s%u", pos ? "\\." : "", n->addr[pos]);
    if (rest && pos < 4) {
        unsigned base = n->addr[pos] & (0xffu << (8 - rest) & 0xffu);
        fputs(pos ? "\\.(" : "(", out);
        for (unsigned v = 0; v < 1u << (8 - rest); v++)
            fprintf(out, "%s%u", v ? "|" : "", base + v);
        fputc(')', out);
        pos++;
    }
    for (; pos < 4; pos++)
        fputs(pos ? "\\.[0-9]{1,3}" : "[0-9]{1,3}", out);
    fputc('$', out);
}

/* The whole address (a /128) as its RFC 5952 text, dots escaped. */
static void ipv6_exact(const cidr_net *n, FILE *out)
{
    char text[64];
    net_text(n, text, sizeof text);
    fputc('^', out);
    for (const char *s = text; *s && *s != '/'; s++)
        fputs(*s == '.' ? "\\." : (char[2]){*s, 0}, out);
    fputc('$', out);
}

/* A prefix inside a first group of four hex digits: that group is written
 * whole (no leading zero to drop), so its digits are a textual prefix. */
static int ipv6_first_group(const cidr_net *n, FILE *out)
{
    unsigned group = (unsigned)n->addr[0] << 8 | n->addr[1];
    if (n->bits > 16 || n->bits == 0 || group < 0x1000)
        return -1;
    fputc('^', out);
    for (int d = 0; d < 4; d++) {
        int shift = 12 - 4 * d, known = n->bits - 4 * d;
        unsigned digit = group >> shift & 0xf;
        if (known >= 4) {
            fprintf(out, "%x", digit);
        } else if (known <= 0) {
            fputs("[0-9a-f]", out);
        } else {
            unsigned base = digit & (0xfu << (4 - known) & 0xfu);
            fputc('[', out);
            for (unsigned v = 0; v < 1u << (4 - known); v++)
                fprintf(out, "%x", base + v);
            fputc(']', out);
        }
    }
    fputc(':', out);
    return 0;
}

int emit_cidr_regex(emit_ctx *c, const expr *e, FILE *out)
{
    const cidr_net *nets = e->aux;
    if (e->naux == 0)
        return emit_refuse(c, "an empty cidr() list");
    for (int i = 0; i < e->naux; i++) {
        fputs(i ? "|(?:" : "(?:", out);
        if (nets[i].family == 4)
            ipv4_regex(&nets[i], out);
        else if (nets[i].bits == 128)
            ipv6_exact(&nets[i], out);
        else if (ipv6_first_group(&nets[i], out)) {
            char text[64];
            net_text(&nets[i], text, sizeof text);
            return emit_refuse(c, "the IPv6 network %s/%u as address text", text, nets[i].bits);
        }
        fputc(')', out);
    }
    return 0;
}

int emit_regex_portable(emit_ctx *c, const char *pattern)
{
    static const char *const bad_groups[] = {"(?=", "(?!", "(?<", "(?>", "(?P", "(?|", "(?#"};
    for (size_t i = 0; i < sizeof bad_groups / sizeof bad_groups[0]; i++)
        if (strstr(pattern, bad_groups[i]))
            return emit_refuse(c, "the regex group '%s' in /%s/", bad_groups[i], pattern);
    for (const char *g = strstr(pattern, "(?"); g; g = strstr(g + 2, "(?"))
        if (g[2] != ':')
            return emit_refuse(c, "inline regex options in /%s/", pattern);
    for (const char *s = pattern; *s; s++) {
        if (*s != '\\')
            continue;
        s++;
        if (*s && strchr("dDwWsSntr.\\/-^$|?*+()[]{} '\"", *s) == NULL)
            return emit_refuse(c, "the regex escape '\\%c' in /%s/", *s, pattern);
        if (!*s)
            break;
    }
    return 0;
}
