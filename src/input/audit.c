/* audit: Linux audit logs (auditd's /var/log/audit/audit.log, raw, or as
 * `ausearch -i` prints them interpreted) as process-level connection
 * events: a `connect` SYSCALL record joined with the SOCKADDR record
 * (where it connected) and the PROCTITLE or EXECVE record (the command
 * line) that share its serial number, `msg=audit(TIME:SERIAL)`.
 *
 * An event spans several lines, in either order (raw: SYSCALL, SOCKADDR,
 * PROCTITLE; interpreted: PROCTITLE, SOCKADDR, SYSCALL), so the decoder is
 * sequential (decoder.h finish): it keeps the current serial's records and
 * emits the event when its SYSCALL, SOCKADDR and PROCTITLE are all in, at
 * an EOE record, when the next serial begins, or at the end of the input.
 * Other events (execve, open, ...) and connects to non-IP sockets (AF_UNIX)
 * are records, not connections: skipped.
 *
 * Fields: time from the serial's stamp (raw: epoch seconds; interpreted:
 * the local time ausearch printed, taken as UTC); host from `node=` when
 * the log was forwarded; proc_path `exe`, proc_name its base name, cmdline
 * the proctitle (hex decoded, NULs as spaces) or EXECVE's arguments; user
 * the login user `auid` (else `uid`) as written (a number raw, a name
 * interpreted); dst from `saddr` (hex: family, port, address; or
 * `{ saddr_fam=inet laddr=... lport=... }`); direction out (this host
 * called connect); success and exit stay native. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "input/formats.h"
#include "input/kv.h"
#include "util/timeutil.h"
#include "value/convert.h"

enum { TEXT = 1024, MAX_NAME = 256 };

/* One event being gathered: copies, since lines do not outlive a call. */
typedef struct pending {
    char serial[48];
    int64_t ms;
    int have_syscall, have_sockaddr, have_title, emitted, connect;
    char node[MAX_NAME], exe[MAX_NAME], user[MAX_NAME], success[8], exit_code[16];
    char addr[INET6_ADDRSTRLEN];
    int port, family;
    char cmdline[TEXT];
} pending;

typedef struct audit {
    const mc_field_req *fields;
    int nfields;
    pending cur;
    kv_record r;
} audit;

static void copy(char *dst, size_t cap, mc_value v)
{
    snprintf(dst, cap, "%.*s", v.type ? (int)v.len : 0, v.type ? v.u.s : "");
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Hex text to bytes; -1 when it is not hex. */
static long unhex(mc_value v, unsigned char *out, size_t cap)
{
    if (!v.type || v.len % 2)
        return -1;
    size_t n = v.len / 2 < cap ? v.len / 2 : cap;
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(v.u.s[2 * i]), lo = hexval(v.u.s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return (long)n;
}

/* A proctitle: hex (NUL-separated arguments) or plain text. */
static void set_title(pending *p, mc_value v)
{
    unsigned char buf[TEXT - 1];
    long n = unhex(v, buf, sizeof buf);
    if (n < 0) {
        copy(p->cmdline, sizeof p->cmdline, v);
        return;
    }
    for (long i = 0; i < n; i++)
        p->cmdline[i] = buf[i] ? (char)buf[i] : ' ';
    while (n > 0 && p->cmdline[n - 1] == ' ')
        n--;
    p->cmdline[n] = '\0';
}

/* saddr: hex sockaddr (family little-endian, port and address big-endian). */
static void set_saddr_hex(pending *p, mc_value v)
{
    unsigned char b[28];
    long n = unhex(v, b, sizeof b);
    if (n < 4)
        return;
    int family = b[0] | b[1] << 8;
    p->port = b[2] << 8 | b[3];
    if (family == 2 && n >= 8) {
        inet_ntop(AF_INET, b + 4, p->addr, sizeof p->addr);
        p->family = 4;
    } else if (family == 10 && n >= 24) {
        inet_ntop(AF_INET6, b + 8, p->addr, sizeof p->addr);
        p->family = 6;
    }
}

/* saddr={ saddr_fam=inet laddr=127.0.0.1 lport=143 } (ausearch -i). */
static void set_saddr_named(pending *p, const kv_record *r)
{
    mc_value fam = kv_get(r, "saddr_fam"), addr = kv_get(r, "laddr"), port = kv_get(r, "lport");
    if (!value_is(fam, "inet") && !value_is(fam, "inet6"))
        return;
    copy(p->addr, sizeof p->addr, addr);
    mc_value n = value_port(port);
    p->port = n.type ? (int)n.u.i : -1;
    p->family = value_is(fam, "inet6") ? 6 : 4;
}

/* "type=X msg=audit(STAMP:SERIAL):" -> the stamp and serial, read from the
 * line itself (an interpreted stamp holds a space). */
static int header(const char *line, size_t len, mc_value *stamp, mc_value *serial)
{
    const char *m = value_find(line, len, "msg=audit("), *end = line + len;
    if (!m)
        return -1;
    const char *s = m + 10, *close = memchr(s, ')', (size_t)(end - s)), *colon = close;
    while (colon && colon > s && *colon != ':')
        colon--;
    if (!close || !colon || colon == s)
        return -1;
    *stamp = mc_str(MC_STR, s, (size_t)(colon - s));
    *serial = mc_str(MC_STR, colon + 1, (size_t)(close - colon - 1));
    return 0;
}

/* Raw: epoch seconds "1700000000.123"; interpreted: "11/14/2023 22:13:20.123". */
static int64_t stamp_ms(mc_value stamp)
{
    int64_t ms;
    if (time_parse_epoch_s(stamp.u.s, stamp.len, &ms) == 0)
        return ms;
    char iso[40];
    int mo, d, y, h, mi;
    double sec;
    char buf[40];
    copy(buf, sizeof buf, stamp);
    if (sscanf(buf, "%d/%d/%d %d:%d:%lf", &mo, &d, &y, &h, &mi, &sec) != 6)
        return INT64_MIN;
    snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%06.3fZ", y, mo, d, h, mi, sec);
    return time_parse_iso(iso, strlen(iso), &ms) == 0 ? ms : INT64_MIN;
}

/* connect: syscall 42 on x86_64, 203 on aarch64, or "connect" interpreted. */
static int is_connect(const kv_record *r)
{
    mc_value sys = kv_get(r, "syscall"), arch = kv_get(r, "arch");
    return value_is(sys, "connect") || (value_is(sys, "42") && value_is(arch, "c000003e")) ||
           (value_is(sys, "203") && value_is(arch, "c00000b7"));
}

static void take_syscall(pending *p, const kv_record *r)
{
    p->have_syscall = 1;
    p->connect = is_connect(r);
    copy(p->exe, sizeof p->exe, kv_get(r, "exe"));
    mc_value auid = kv_get(r, "auid");
    int unset = value_is(auid, "4294967295") || value_is(auid, "unset") || !auid.type;
    copy(p->user, sizeof p->user, unset ? kv_get(r, "uid") : auid);
    copy(p->success, sizeof p->success, kv_get(r, "success"));
    copy(p->exit_code, sizeof p->exit_code, kv_get(r, "exit"));
}

/* EXECVE: a0 a1 ... as the command line when no proctitle came. */
static void take_execve(pending *p, const kv_record *r)
{
    size_t n = 0;
    for (int i = 0; i < 64 && !p->have_title; i++) {
        char key[8];
        snprintf(key, sizeof key, "a%d", i);
        mc_value a = kv_get(r, key);
        if (!a.type)
            break;
        unsigned char buf[TEXT];
        long k = unhex(a, buf, sizeof buf - 1);
        int w = k >= 0 ? snprintf(p->cmdline + n, TEXT - n, "%s%.*s", n ? " " : "", (int)k, buf)
                       : snprintf(p->cmdline + n, TEXT - n, "%s%.*s", n ? " " : "", (int)a.len,
                                  a.u.s);
        n = w > 0 && n + (size_t)w < TEXT ? n + (size_t)w : TEXT - 1;
    }
}

static int ready(const pending *p)
{
    return p->have_syscall && p->connect && p->family && !p->emitted;
}

static mc_value text(const char *s, arena *scratch)
{
    return *s ? value_text(arena_strndup(scratch, s, strlen(s)), strlen(s)) : mc_null();
}

static mc_value canonical(const pending *p, int canon, arena *scratch)
{
    mc_value exe = text(p->exe, scratch);
    switch (canon) {
    case MC_C_KIND:      return value_cstr("conn");
    case MC_C_TIME:      return p->ms == INT64_MIN ? mc_null() : mc_int(MC_TS, p->ms);
    case MC_C_HOST:      return text(p->node, scratch);
    case MC_C_PROC_PATH: return exe;
    case MC_C_PROC_NAME: return value_basename(exe);
    case MC_C_CMDLINE:   return text(p->cmdline, scratch);
    case MC_C_USER:      return text(p->user, scratch);
    case MC_C_DST_IP:    return value_ip(text(p->addr, scratch));
    case MC_C_DST_PORT:  return p->port >= 0 ? mc_int(MC_INT, p->port) : mc_null();
    case MC_C_DIRECTION: return value_cstr("out");
    default:             return mc_null();
    }
}

static mc_value native(const pending *p, const char *name, arena *scratch)
{
    static const char *const names[] = {"exe", "success", "exit", "serial", "node"};
    const char *const vals[] = {p->exe, p->success, p->exit_code, p->serial, p->node};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(name, names[i]))
            return text(vals[i], scratch);
    return mc_null();
}

static int emit(audit *a, mc_value *row, arena *scratch)
{
    pending *p = &a->cur;
    p->emitted = 1;
    for (int i = 0; i < a->nfields; i++) {
        int c = a->fields[i].canon;
        row[i] = c >= 0 ? canonical(p, c, scratch)
                 : c == MC_FIELD_NATIVE ? native(p, a->fields[i].name, scratch) : mc_null();
    }
    return DECODE_OK;
}

static void take(pending *p, mc_value type, const kv_record *r, const char *line, size_t len)
{
    if (value_is(type, "SYSCALL"))
        take_syscall(p, r);
    else if (value_is(type, "SOCKADDR")) {
        p->have_sockaddr = 1;
        mc_value s = kv_get(r, "saddr");
        if (s.type && s.len && s.u.s[0] != '{')
            set_saddr_hex(p, s);
        else
            set_saddr_named(p, r);
    } else if (value_is(type, "PROCTITLE")) {
        /* Interpreted, the title is plain text with spaces, to the end. */
        const char *t = value_find(line, len, "proctitle=");
        p->have_title = 1;
        if (t)
            set_title(p, mc_str(MC_STR, t + 10, (size_t)(line + len - t - 10)));
    } else if (value_is(type, "EXECVE")) {
        take_execve(p, r);
    }
}

static int audit_decode(void *state, const char *line, size_t len, mc_value *row,
                        arena *scratch, char *err, size_t errlen)
{
    audit *a = state;
    if (len == 4 && !memcmp(line, "----", 4))
        return DECODE_SKIP; /* ausearch's separator */
    kv_split(line, len, 0, &a->r);
    mc_value type = kv_get(&a->r, "type"), stamp, serial;
    if (!type.type || header(line, len, &stamp, &serial)) {
        snprintf(err, errlen, "no type=... msg=audit(TIME:SERIAL)");
        return DECODE_BAD;
    }
    int rc = DECODE_SKIP;
    pending *p = &a->cur;
    char s[sizeof p->serial];
    copy(s, sizeof s, serial);
    if (strcmp(s, p->serial)) {                 /* a new event: the last one is done */
        if (ready(p))
            rc = emit(a, row, scratch);
        memset(p, 0, sizeof *p);
        snprintf(p->serial, sizeof p->serial, "%s", s);
        p->ms = stamp_ms(stamp);
        p->port = -1;
        copy(p->node, sizeof p->node, kv_get(&a->r, "node"));
    }
    take(p, type, &a->r, line, len);
    if (rc == DECODE_SKIP && ready(p) && (p->have_title || value_is(type, "EOE")) &&
        p->have_sockaddr)
        rc = emit(a, row, scratch);
    return rc;
}

static int audit_finish(void *state, mc_value *row, arena *scratch)
{
    audit *a = state;
    return ready(&a->cur) ? emit(a, row, scratch) : DECODE_SKIP;
}

static int audit_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    const char *p = line;
    if (len > 5 && !memcmp(p, "node=", 5)) {
        const char *sp = memchr(p, ' ', len);
        p = sp ? sp + 1 : line + len;
    }
    size_t n = (size_t)(line + len - p);
    return n > 5 && !memcmp(p, "type=", 5) && value_find(p, n, " msg=audit(");
}

static void *audit_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    (void)settings; /* connect() says the direction itself */
    audit *a = xcalloc(1, sizeof *a);
    a->fields = fields;
    a->nfields = nfields;
    return a;
}

static void audit_unbind(void *state)
{
    free(state);
}

const decoder decoder_audit = {
    .name = "audit",
    .family = "audit",
    .describe = "Linux audit logs (raw or ausearch -i): connect syscalls joined by serial with "
                "SOCKADDR (destination), PROCTITLE/EXECVE (command line), exe and auid/uid "
                "(process, user); node as host",
    .probe = audit_probe,
    .bind = audit_bind,
    .decode = audit_decode,
    .unbind = audit_unbind,
    .finish = audit_finish,
};
