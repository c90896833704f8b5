/* asa: Cisco ASA (and Firepower Threat Defense) syslog lines,
 * "[<PRI>]Mon DD YYYY hh:mm:ss [host] : %ASA-L-NNNNNN: message".
 *
 * Which messages are connections (kind "conn"), and why:
 * - 302013 / 302015 "Built inbound|outbound TCP|UDP connection": one per
 *   connection. Outbound: the initiator is the second ("to") endpoint;
 *   inbound: the first ("for") one. Real addresses are used, not the mapped
 *   ones in parentheses.
 * - 106100 "access-list ... permitted|denied|est-allowed": an ACL entry with
 *   the `log` keyword, written for a flow's first packet ("first hit") and
 *   then once per interval with its hit-cnt. Sites often log ACLs at level 5
 *   with the trap level at 5, where 302013 (level 6) is not logged at all, so
 *   106100 may be the only trace of a connection; a denied one never gets a
 *   302013. Counted as a connection attempt. Where both 106100 permits and
 *   302013 are logged for the same traffic, a permitted connection counts
 *   twice: feed such a log knowing that (as with Zeek conn.log + smtp.log).
 * - 106023 "Deny ... by access-group": a blocked attempt (the default ACL
 *   deny log). Blocked, repeated SMTP from an inside host is exactly what a
 *   hunter wants to see, and no 302013 exists for it.
 * - 302014 / 302016 "Teardown": kind NULL. They repeat a built connection,
 *   and name no direction, so they are not oriented; their byte count is
 *   both directions summed, so it is not bytes_out.
 * Everything else is decoded with kind NULL (time and message id only).
 *
 * Time: the ASA's own timestamp (`logging timestamp`), with a year; a zone
 * name after it ("EDT") is ignored, i.e. the time is taken as UTC. Direction
 * comes from the addresses. host is NULL (the host name in the header is the
 * firewall). user: the identity-firewall user of a 302013 initiator.
 * Native fields: message_id, level, message, action, connection_id, acl,
 * hit_count, bytes, duration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/formats.h"
#include "value/convert.h"
#include "util/timeutil.h"

enum an {
    A_ID, A_LEVEL, A_MESSAGE, A_ACTION, A_CONN_ID, A_ACL, A_HITS, A_BYTES, A_DURATION, A__N
};
static const char *const native_name[A__N] = {
    "message_id", "level", "message", "action", "connection_id", "acl", "hit_count", "bytes",
    "duration",
};

typedef struct endpoint { mc_value ip, port, user; } endpoint;

typedef struct asa_rec {
    mc_value nat[A__N];
    int conn;                   /* counts as a connection */
    endpoint src, dst;          /* initiator, responder (oriented messages only) */
    mc_value proto;
    int64_t ms;
} asa_rec;

typedef struct asa {
    const mc_field_req *fields;
    const cidr_set *local;        /* the settings' local networks: direction */
    int nfields;
    int *nat;                   /* native index of each field, -1 */
} asa;

/* ---- a tiny cursor over the message text ---- */

typedef struct cur { const char *p, *end; } cur;

static mc_value word(cur *c)
{
    while (c->p < c->end && *c->p == ' ')
        c->p++;
    const char *s = c->p;
    while (c->p < c->end && *c->p != ' ')
        c->p++;
    return mc_str(MC_STR, s, (size_t)(c->p - s));
}

/* Advances past the next occurrence of s; 0 when there is none. */
static int skip_to(cur *c, const char *s)
{
    const char *at = value_find(c->p, (size_t)(c->end - c->p), s);
    if (!at)
        return 0;
    c->p = at + strlen(s);
    return 1;
}

static mc_value trim_colon(mc_value w)
{
    if (w.len && w.u.s[w.len - 1] == ':')
        w.len--;
    return w;
}

/* "IF:IP/PORT" or "IF/IP(PORT)" (106100): the address and port. */
static int parse_endpoint(mc_value w, endpoint *e)
{
    const char *s = w.u.s, *end = s + w.len;
    const char *colon = memchr(s, ':', w.len), *slash = memchr(s, '/', w.len);
    const char *paren = memchr(s, '(', w.len);
    if (paren && slash && slash < paren) {          /* inside/10.0.0.13(43013) */
        const char *close = memchr(paren, ')', (size_t)(end - paren));
        e->ip = mc_str(MC_STR, slash + 1, (size_t)(paren - slash - 1));
        e->port = mc_str(MC_STR, paren + 1, close ? (size_t)(close - paren - 1) : 0);
    } else if (colon) {                            /* outside:192.0.2.43/443 */
        const char *sl = memchr(colon, '/', (size_t)(end - colon));
        if (!sl)
            return -1;
        e->ip = mc_str(MC_STR, colon + 1, (size_t)(sl - colon - 1));
        e->port = mc_str(MC_STR, sl + 1, (size_t)(end - sl - 1));
    } else {
        return -1;
    }
    e->ip = value_ip(e->ip);
    e->port = value_port(e->port);
    return 0;
}

/* After "IF:IP/PORT": the mapped " (MIP/MPORT)" and, glued on, an
 * identity-firewall user "(DOM\user)" or with a security-group tag
 * "(DOM\user, 321)" / "(DOM\user, 321:name)" (spaces inside). Returns the
 * user or NULL; leaves the cursor after what it read. */
static mc_value mapped_user(cur *c)
{
    while (c->p < c->end && *c->p == ' ')
        c->p++;
    if (c->p == c->end || *c->p != '(')
        return mc_null();
    const char *close = memchr(c->p, ')', (size_t)(c->end - c->p));
    if (!close)
        return mc_null();
    c->p = close + 1;
    if (c->p == c->end || *c->p != '(')
        return mc_null();
    const char *u = c->p + 1, *uclose = memchr(u, ')', (size_t)(c->end - u));
    if (!uclose)
        return mc_null();
    const char *comma = memchr(u, ',', (size_t)(uclose - u));
    c->p = uclose + 1;
    size_t n = (size_t)((comma ? comma : uclose) - u);
    return n ? mc_str(MC_STR, u, n) : mc_null();
}

/* 302013/302015: Built inbound|outbound TCP connection ID for A (a) to B (b) */
static int built(cur *c, asa_rec *r)
{
    endpoint first = {0}, second = {0};
    r->nat[A_ACTION] = word(c);
    mc_value dir = word(c);
    r->proto = word(c);
    word(c); /* "connection" */
    r->nat[A_CONN_ID] = word(c);
    word(c); /* "for" */
    if (parse_endpoint(word(c), &first))
        return -1;
    first.user = mapped_user(c);
    if (!value_is(word(c), "to") || parse_endpoint(word(c), &second))
        return -1;
    second.user = mapped_user(c);
    int out = value_is(dir, "outbound");
    r->src = out ? second : first;
    r->dst = out ? first : second;
    r->conn = 1;
    return 0;
}

/* 302014/302016: Teardown TCP connection ID for A to B duration D bytes N */
static int teardown(cur *c, asa_rec *r)
{
    r->nat[A_ACTION] = word(c);
    r->proto = word(c);
    word(c);
    r->nat[A_CONN_ID] = word(c);
    if (skip_to(c, " duration "))
        r->nat[A_DURATION] = word(c);
    if (skip_to(c, " bytes "))
        r->nat[A_BYTES] = word(c);
    return 0;
}

/* 106100: access-list NAME ACTION PROTO IF/IP(PORT) -> IF/IP(PORT) hit-cnt N */
static int acl_log(cur *c, asa_rec *r)
{
    word(c); /* "access-list" */
    r->nat[A_ACL] = word(c);
    r->nat[A_ACTION] = word(c);
    r->proto = word(c);
    if (parse_endpoint(word(c), &r->src) || !value_is(word(c), "->") ||
        parse_endpoint(word(c), &r->dst))
        return -1;
    if (skip_to(c, "hit-cnt "))
        r->nat[A_HITS] = word(c);
    r->conn = 1;
    return 0;
}

/* 106023: Deny PROTO src IF:IP/PORT dst IF:IP/PORT ... by access-group "X" */
static int acl_deny(cur *c, asa_rec *r)
{
    r->nat[A_ACTION] = word(c);
    r->proto = word(c);
    if (!value_is(word(c), "src") || parse_endpoint(word(c), &r->src) ||
        !value_is(word(c), "dst") || parse_endpoint(word(c), &r->dst))
        return -1;
    if (skip_to(c, "access-group \"")) {
        const char *q = memchr(c->p, '"', (size_t)(c->end - c->p));
        r->nat[A_ACL] = mc_str(MC_STR, c->p, q ? (size_t)(q - c->p) : 0);
    }
    r->conn = 1;
    return 0;
}

static int message(asa_rec *r, mc_value id, cur *c)
{
    if (value_is(id, "302013") || value_is(id, "302015"))
        return built(c, r);
    if (value_is(id, "302014") || value_is(id, "302016"))
        return teardown(c, r);
    if (value_is(id, "106100"))
        return acl_log(c, r);
    if (value_is(id, "106023"))
        return acl_deny(c, r);
    return 0;
}

/* ---- the line ---- */

/* Finds "%ASA-" or "%FTD-"; sets the level and message id and the message
 * text after them. */
static int tag(const char *line, size_t len, const char **at, mc_value *level, mc_value *id,
               cur *msg)
{
    const char *p = value_find(line, len, "%ASA-");
    if (!p)
        p = value_find(line, len, "%FTD-");
    if (!p)
        return -1;
    *at = p;
    cur c = {p + 5, line + len};
    mc_value w = word(&c); /* "6-302013:", "session-5-106100:" or "6-302016" */
    w = trim_colon(w);
    const char *dash = NULL;
    for (uint32_t i = w.len; i > 0 && !dash; i--)
        if (w.u.s[i - 1] == '-')
            dash = w.u.s + i - 1;
    if (!dash || dash == w.u.s)
        return -1;
    *id = mc_str(MC_STR, dash + 1, (size_t)(w.u.s + w.len - dash - 1));
    *level = mc_str(MC_STR, dash - 1, 1);
    if (value_uint(*id).type != MC_INT)
        return -1;
    while (c.p < c.end && *c.p == ' ')
        c.p++;
    *msg = c;
    return 0;
}

/* The ASA timestamp: "Mon DD YYYY hh:mm:ss" (4 words; a trailing ':' or a
 * zone name after it is ignored), or one ISO 8601 word, after any <PRI>. */
static int header_time(const char *line, const char *tag_at, int64_t *ms)
{
    cur c = {line, tag_at};
    if (c.p < c.end && *c.p == '<') {
        const char *gt = memchr(c.p, '>', (size_t)(c.end - c.p));
        if (gt)
            c.p = gt + 1;
    }
    const char *start = c.p;
    mc_value w = trim_colon(word(&c));
    if (time_parse_iso(w.u.s, w.len, ms) == 0)
        return 0;
    for (int i = 0; i < 3; i++)
        w = trim_colon(word(&c));
    while (start < c.end && *start == ' ')
        start++;
    return time_parse_log(start, (size_t)(w.u.s + w.len - start), ms);
}

static void *asa_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    asa *a = xcalloc(1, sizeof *a);
    a->fields = fields;
    a->local = &settings->local;
    a->nfields = nfields;
    a->nat = xcalloc((size_t)(nfields ? nfields : 1), sizeof *a->nat);
    for (int i = 0; i < nfields; i++) {
        a->nat[i] = -1;
        for (int k = 0; k < A__N && fields[i].canon == -1; k++)
            if (strcmp(fields[i].name, native_name[k]) == 0)
                a->nat[i] = k;
    }
    return a;
}

static void asa_unbind(void *state)
{
    asa *a = state;
    free(a->nat);
    free(a);
}

static mc_value canonical(const asa_rec *r, int canon, const cidr_set *local)
{
    switch (canon) {
    case MC_C_KIND:      return r->conn ? value_cstr("conn") : mc_null();
    case MC_C_TIME:      return mc_int(MC_TS, r->ms);
    case MC_C_USER:      return r->src.user;
    case MC_C_SRC_IP:    return r->src.ip;
    case MC_C_SRC_PORT:  return r->src.port;
    case MC_C_DST_IP:    return r->dst.ip;
    case MC_C_DST_PORT:  return r->dst.port;
    case MC_C_DIRECTION: return r->conn ? value_net_direction(local, r->src.ip, r->dst.ip) : mc_null();
    case MC_C_TRANSPORT: return value_transport(r->proto);
    default:             return mc_null(); /* host, process, bytes, app_proto */
    }
}

static int asa_decode(void *state, const char *line, size_t len, mc_value *row,
                      arena *scratch, char *err, size_t errlen)
{
    asa *a = state;
    asa_rec r;
    memset(&r, 0, sizeof r);
    const char *at;
    cur msg;
    (void)scratch;
    if (tag(line, len, &at, &r.nat[A_LEVEL], &r.nat[A_ID], &msg)) {
        snprintf(err, errlen, "no %%ASA-level-id tag");
        return DECODE_BAD;
    }
    if (header_time(line, at, &r.ms)) {
        snprintf(err, errlen, "no \"Mon DD YYYY hh:mm:ss\" time before the %%ASA tag");
        return DECODE_BAD;
    }
    r.nat[A_MESSAGE] = mc_str(MC_STR, msg.p, (size_t)(msg.end - msg.p));
    if (message(&r, r.nat[A_ID], &msg)) {
        int shown = (int)(r.nat[A_MESSAGE].len > 80 ? 80 : r.nat[A_MESSAGE].len);
        snprintf(err, errlen, "%%ASA-%.*s: cannot read the addresses in '%.*s'",
                 (int)r.nat[A_ID].len, r.nat[A_ID].u.s, shown, r.nat[A_MESSAGE].u.s);
        return DECODE_BAD;
    }
    for (int i = 0; i < a->nfields; i++) {
        int source = a->fields[i].canon;
        row[i] = source >= 0     ? canonical(&r, source, a->local)
                 : a->nat[i] >= 0 ? r.nat[a->nat[i]]
                                  : mc_null();
    }
    return DECODE_OK;
}

static int asa_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    const char *at;
    mc_value level, id;
    cur msg;
    int64_t ms;
    return tag(line, len, &at, &level, &id, &msg) == 0 && header_time(line, at, &ms) == 0;
}

const decoder decoder_asa = {
    .name = "asa",
    .family = "asa",
    .describe = "Cisco ASA/FTD syslog; 302013/302015 built, 106100 ACL and 106023 deny lines "
                "are connections: time, src/dst ip and port, direction from addresses, "
                "transport, user (identity firewall); no host, process or bytes",
    .probe = asa_probe,
    .bind = asa_bind,
    .decode = asa_decode,
    .unbind = asa_unbind,
};
