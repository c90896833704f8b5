/* winctx: the process table of Windows events, and the decoder_context that
 * builds it from lines (see winctx.h for the keys and why they are chosen). */
#include "input/winctx.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "value/convert.h"
#include "util/strmap.h"

struct winctx {
    const char *name;
    strmap by_guid;          /* normalised ProcessGuid -> winctx_proc */
    strmap by_pid;           /* "host\x1fpid" -> newest-added winctx_proc, chained */
    uint64_t processes;
    uint64_t seq;            /* of the line being added (0 outside a line context) */
    /* Counted by decoders on several worker threads at once. */
    _Atomic uint64_t connections, joined;
    /* decoder_context only: */
    const decoder *form;
    winctx_attach_fn attach;
    void *collector;         /* form bound to no fields, collecting into this table */
    arena scratch;
};

winctx *winctx_new(const char *name)
{
    winctx *c = xcalloc(1, sizeof *c);
    c->name = name;
    strmap_init(&c->by_guid);
    strmap_init(&c->by_pid);
    arena_init(&c->scratch);
    return c;
}

void winctx_free(winctx *c)
{
    if (!c)
        return;
    strmap_free(&c->by_guid);
    strmap_free(&c->by_pid);
    arena_free(&c->scratch);
    free(c);
}

static int is_text(mc_value v)
{
    return (v.type == MC_STR || v.type == MC_IP) && v.len > 0;
}

static char lower(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
}

/* A ProcessGuid without braces, in lower case, into buf; 0 when there is
 * none (absent, empty, or the all-zero GUID Sysmon writes for "unknown"). */
static size_t guid_key(mc_value g, char *buf, size_t cap)
{
    if (!is_text(g))
        return 0;
    const char *s = g.u.s;
    size_t n = g.len;
    if (n >= 2 && s[0] == '{' && s[n - 1] == '}')
        s++, n -= 2;
    if (n == 0 || n > cap)
        return 0;
    int zero = 1;
    for (size_t i = 0; i < n; i++) {
        buf[i] = lower(s[i]);
        zero &= s[i] == '0' || s[i] == '-';
    }
    return zero ? 0 : n;
}

/* The value of digit ch in base 10 or 16, or -1. */
static int digit(char ch, int base)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch = lower(ch);
    return base == 16 && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* A process id from decimal or 0x-prefixed hex text; -1 when it is neither. */
static int64_t parse_pid(mc_value v)
{
    if (!is_text(v))
        return -1;
    const char *s = v.u.s, *end = v.u.s + v.len;
    int base = 10;
    if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2, base = 16;
    int64_t n = 0;
    for (; s < end; s++) {
        int d = digit(*s, base);
        if (d < 0 || n > (INT64_MAX - d) / base)
            return -1;
        n = n * base + d;
    }
    return n;
}

/* "host\x1fpid" with the host in lower case and the id in decimal; 0 when
 * either is missing. */
static size_t pid_key(const winctx_key *k, char *buf, size_t cap)
{
    int64_t pid = parse_pid(k->pid);
    if (pid < 0 || !is_text(k->host) || k->host.len + 24 > cap)
        return 0;
    for (uint32_t i = 0; i < k->host.len; i++)
        buf[i] = lower(k->host.u.s[i]);
    return k->host.len + (size_t)sprintf(buf + k->host.len, "\x1f%" PRId64, pid);
}

static mc_value keep(arena *mem, mc_value v)
{
    if (!is_text(v))
        return mc_null();
    return mc_str(MC_STR, arena_strndup(mem, v.u.s, v.len), v.len);
}

/* Chains p under (host, pid), the chain in descending seq (a new entry of
 * equal seq goes first, as the last added). */
static void chain_pid(winctx *c, const char *key, size_t klen, winctx_proc *p)
{
    winctx_proc *head = strmap_get(&c->by_pid, key, klen);
    if (!head || head->seq <= p->seq) {
        p->next = head;
        strmap_put(&c->by_pid, key, klen, p);
        return;
    }
    winctx_proc *at = head;
    while (at->next && at->next->seq > p->seq)
        at = at->next;
    p->next = at->next;
    at->next = p;
}

static void put_guid(winctx *c, const char *key, size_t klen, winctx_proc *p)
{
    const winctx_proc *had = strmap_get(&c->by_guid, key, klen);
    if (!had || p->seq >= had->seq)
        strmap_put(&c->by_guid, key, klen, p);
}

void winctx_add(winctx *c, const winctx_key *k, mc_value cmdline, mc_value user, mc_value image)
{
    char gbuf[128], pbuf[512];
    size_t glen = guid_key(k->guid, gbuf, sizeof gbuf);
    size_t plen = pid_key(k, pbuf, sizeof pbuf);
    if (!glen && !plen)
        return;
    arena *mem = strmap_arena(&c->by_pid);
    winctx_proc *p = arena_alloc(mem, sizeof *p);
    *p = (winctx_proc){keep(mem, cmdline), keep(mem, user), keep(mem, image),
                       glen ? mc_str(MC_STR, arena_strndup(mem, gbuf, glen), glen) : mc_null(),
                       k->time.type == MC_TS ? k->time.u.i : 0, k->time.type == MC_TS, plen > 0,
                       c->seq, NULL};
    if (glen)
        put_guid(c, gbuf, glen, p);
    if (plen)
        chain_pid(c, pbuf, plen, p);
    c->processes++;
}

static winctx_proc *copy_proc(winctx *into, const winctx_proc *p)
{
    arena *mem = strmap_arena(&into->by_pid);
    winctx_proc *q = arena_alloc(mem, sizeof *q);
    *q = *p;
    q->cmdline = keep(mem, p->cmdline);
    q->user = keep(mem, p->user);
    q->image = keep(mem, p->image);
    q->guid = keep(mem, p->guid);
    q->next = NULL;
    if (q->guid.type != MC_NULL)
        put_guid(into, q->guid.u.s, q->guid.len, q);
    return q;
}

void winctx_context_merge(void *into_ctx, void *from_ctx)
{
    winctx *into = into_ctx, *from = from_ctx;
    size_t i = 0;
    for (const strmap_entry *e; (e = strmap_next(&from->by_pid, &i));)
        for (const winctx_proc *p = e->value; p; p = p->next)
            chain_pid(into, e->key, e->len, copy_proc(into, p));
    i = 0;
    for (const strmap_entry *e; (e = strmap_next(&from->by_guid, &i));)
        if (!((const winctx_proc *)e->value)->has_pid)
            (void)copy_proc(into, e->value);
    into->processes += from->processes;
    strmap_free(&from->by_guid);
    strmap_free(&from->by_pid);
    strmap_init(&from->by_guid);
    strmap_init(&from->by_pid);
    from->processes = 0;
}

/* Among the processes that had this (host, pid): the newest created at or
 * before the event, never one with another ProcessGuid. */
static const winctx_proc *by_pid(const winctx *c, const winctx_key *k, const char *guid,
                                 size_t glen)
{
    char key[512];
    size_t klen = pid_key(k, key, sizeof key);
    const winctx_proc *best = NULL;
    int timed = k->time.type == MC_TS;
    for (const winctx_proc *p = klen ? strmap_get(&c->by_pid, key, klen) : NULL; p; p = p->next) {
        if (glen && p->guid.type != MC_NULL &&
            (p->guid.len != glen || memcmp(p->guid.u.s, guid, glen) != 0))
            continue;
        if (timed && p->has_time && p->time > k->time.u.i)
            continue; /* created after the connection: a later process with this id */
        if (!best || (p->has_time && (!best->has_time || p->time > best->time)) ||
            (p->has_time == best->has_time && p->time == best->time && p->seq > best->seq))
            best = p;
    }
    return best;
}

const winctx_proc *winctx_find(winctx *c, const winctx_key *k)
{
    char guid[128];
    size_t glen = guid_key(k->guid, guid, sizeof guid);
    const winctx_proc *p = glen ? strmap_get(&c->by_guid, guid, glen) : NULL;
    if (!p)
        p = by_pid(c, k, guid, glen);
    atomic_fetch_add_explicit(&c->connections, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->joined, p != NULL, memory_order_relaxed);
    return p;
}

uint64_t winctx_processes(const winctx *c)
{
    return c->processes;
}

void winctx_report(const winctx *c, char *msg, size_t len)
{
    uint64_t connections = atomic_load(&c->connections), joined = atomic_load(&c->joined);
    msg[0] = '\0';
    if (!connections)
        return;
    int n = snprintf(msg, len, "%s: %" PRIu64 " of %" PRIu64 " connection events joined their "
                               "process (%" PRIu64 " Sysmon 1 / Security 4688 process-creation "
                               "events read)", c->name, joined, connections, c->processes);
    if (connections > joined && n > 0 && (size_t)n < len)
        snprintf(msg + n, len - (size_t)n, "; %" PRIu64 " name a process whose creation is not "
                 "in the input, so their command line stays missing", connections - joined);
}

/* ---- decoder_context ---- */

void *winctx_context_new(const decoder *form, winctx_attach_fn attach)
{
    winctx *c = winctx_new(form->name);
    c->form = form;
    c->attach = attach;
    return c;
}

/* Only process creations are kept, and every one names its command line
 * (Sysmon EID 1, 4688 since Windows 8.1) or its new process id (4688). */
static int may_be_process(const char *line, size_t len)
{
    return value_find(line, len, "CommandLine") || value_find(line, len, "NewProcessId");
}

void winctx_context_add(void *ctx, json_line *raw, uint64_t seq)
{
    winctx *c = ctx;
    const char *line = raw->text;
    size_t len = raw->len;
    if (!c || !may_be_process(line, len))
        return; /* no context (the driver passes none under --no-enrich) */
    c->seq = seq;
    if (!c->collector) {
        c->collector = c->form->bind(NULL, 0, NULL); /* Windows forms read no settings */
        c->attach(c->collector, c, NULL);
    }
    char err[160];
    mc_value none[1];
    arena_reset(&c->scratch);
    /* A bad record is reported by the main pass; here it adds nothing. */
    (void)c->form->decode(c->collector, line, len, none, &c->scratch, err, sizeof err);
}

void winctx_context_use(void *state, void *ctx)
{
    winctx *c = ctx;
    c->attach(state, NULL, c);
}

void winctx_context_report(const void *ctx, char *msg, size_t len)
{
    winctx_report(ctx, msg, len);
}

/* Every lookup is counted (winctx_find). */
int winctx_context_consulted(const void *ctx)
{
    return atomic_load(&((const winctx *)ctx)->connections) > 0;
}

void winctx_context_destroy(void *ctx)
{
    winctx *c = ctx;
    if (c && c->collector)
        c->form->unbind(c->collector);
    winctx_free(c);
}
