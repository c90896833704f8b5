/* convert: the small conversions every decoder makes from source text to
 * canonical values (fields.md §1), written once so that all formats agree:
 * ports and counters from digits, IP text (IPv4-mapped IPv6 normalised),
 * base names of process paths, IANA transport numbers, and the direction of
 * a connection from the local-networks list (design §4).
 *
 * Ownership: results borrow from their input text, or from `scratch` where a
 * function takes one; constant strings ("out", "L2R") are static. */
#ifndef MAILC2_VALUE_CONVERT_H
#define MAILC2_VALUE_CONVERT_H

#include <stddef.h>

#include "util/arena.h"
#include "util/cidr.h"
#include "value/value.h"

/* Text, or NULL when s is NULL. */
mc_value value_text(const char *s, size_t len);
mc_value value_cstr(const char *s);
/* Is `v` the text `s` (exactly / ignoring ASCII case)? */
int value_is(mc_value v, const char *s);
int value_ieq(mc_value v, const char *s);

/* The first occurrence of s in p[0..len), or NULL (memmem, portably). */
const char *value_find(const char *p, size_t len, const char *s);

/* Decimal digits only (no sign, no fraction, at most 18) -> MC_INT, else NULL.
 * A port or a byte counter in any source: "0025" is 25, "1.2k" is NULL. */
mc_value value_uint(mc_value text);
/* Like value_uint, but NULL above 65535. */
mc_value value_port(mc_value text);
/* A valid IPv4 or IPv6 address -> MC_IP ("::ffff:a.b.c.d" becomes
 * "a.b.c.d"; IPv6 in its RFC 5952 spelling; a zone "%eth0" is kept as
 * written); anything else -> NULL. A rewritten spelling lives until the next
 * record is decoded. */
mc_value value_ip(mc_value text);
/* The text after the last '\' or '/'; NULL stays NULL. */
mc_value value_basename(mc_value path);
/* IANA protocol number from "tcp"/"TCP"/"6", "udp", "icmp", "icmpv6"...;
 * NULL when unknown. */
mc_value value_transport(mc_value text);
/* ASCII lower case (a copy in scratch only when something changes). */
mc_value value_lower(mc_value v, arena *scratch);

/* 1 when the MC_IP value is in the local networks (settings.h; by
 * default RFC 1918, RFC 6598 100.64/10, loopback, link-local, ULA
 * fc00::/7), 0 when not, -1 when it is not an address. */
int value_ip_local(const cidr_set *local, mc_value ip);
/* Direction of a connection seen by a network sensor, from its initiator:
 * initiator local -> "out" (also local -> local: this side initiated it,
 * fields.md §1 and the decision in the report), responder local only ->
 * "in", neither or unknown -> NULL. */
mc_value value_net_direction(const cidr_set *local, mc_value src_ip, mc_value dst_ip);
/* Which sides are local, as QRadar writes it: "L2L", "L2R", "R2L", "R2R",
 * or NULL when an address is missing (aql.md §5). */
mc_value value_locality(const cidr_set *local, mc_value src_ip, mc_value dst_ip);

#endif
