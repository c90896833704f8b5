/* cidr: IPv4 and IPv6 networks — parsing "a.b.c.d/n" or "x::y/n", and
 * whether an address lies in one. The plan's CIDR tests (LogScale cidr(),
 * AQL INCIDR) and the decoders' local-network direction share it.
 *
 * The default local networks are those a SIEM's network hierarchy would
 * hold (design §4): RFC 1918, RFC 6598, loopback, link-local, IPv6 ULA. */
#ifndef MAILC2_CIDR_H
#define MAILC2_CIDR_H

#include <stddef.h>

#define CIDR_LOCAL_NETS "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,127.0.0.0/8," \
                        "169.254.0.0/16,::1/128,fe80::/10,fc00::/7"

typedef struct cidr_net {
    unsigned char family;  /* 4 or 6 */
    unsigned char bits;
    unsigned char addr[16];
} cidr_net;

/* Parses a network, or a bare address (a /32 or /128). Returns 0 or -1. */
int cidr_parse(const char *text, cidr_net *out);
/* Parses a comma-separated list into out[0..max); returns the count, or -1
 * with err naming the entry that is not a network. */
int cidr_parse_list(const char *spec, cidr_net *out, int max, char *err, size_t errlen);
/* Whether the address `ip` (a cidr_net from a bare address) is in `net`. */
int cidr_contains(const cidr_net *net, const cidr_net *ip);

/* A set of networks, as a value: the local networks of one engine travel
 * in its settings, so two runs in one process can differ. */
enum { CIDR_SET_MAX = 64 };
typedef struct cidr_set {
    cidr_net net[CIDR_SET_MAX];
    int n;
} cidr_set;

/* Parses a comma-separated list (NULL: CIDR_LOCAL_NETS). Returns 0, or -1
 * with err saying which entry is wrong (an empty list is an error). */
int cidr_set_parse(cidr_set *s, const char *spec, char *err, size_t errlen);
/* 1 when the address text `ip` (a zone "%eth0" ignored) lies in the set,
 * 0 when it does not, -1 when it is not an address. */
int cidr_set_has(const cidr_set *s, const char *ip, size_t len);

#endif
