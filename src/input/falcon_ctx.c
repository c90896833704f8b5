/* falcon_ctx: process, user and host tables for raw FDR input (see
 * falcon_ctx.h for the joins and why they are done this way). */
#include "input/falcon_ctx.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "input/json.h"
#include "util/strmap.h"

enum { C_NAME, C_AID, C_TPID, C_IMAGE, C_CMD, C_SID, C_USER, C_HOST, C__N };
static const char *const ckey[C__N] = {
    "event_simpleName", "aid", "TargetProcessId", "ImageFileName", "CommandLine", "UserSid",
    "UserName", "ComputerName",
};

/* A user's or a host's name, and where it was read. */
typedef struct ctx_value {
    mc_value v;
    uint64_t seq;
} ctx_value;

struct falcon_ctx {
    strmap procs;           /* "aid\x1fpid" -> falcon_proc */
    strmap strs;            /* the processes' strings, each kept once */
    strmap users;           /* "aid\x1fsid" -> ctx_value */
    strmap hosts;           /* "aid" -> ctx_value */
    json_keys keys;
    int slot[C__N];
    json_slot slots[JSON_MAX_KEYS];
    uint64_t processes, identities;
    /* Counted by decoders on several worker threads at once. */
    _Atomic uint64_t connections, without_pid, joined;
    _Atomic int consulted;
};

falcon_ctx *falcon_ctx_new(void)
{
    falcon_ctx *c = xcalloc(1, sizeof *c);
    strmap_init(&c->procs);
    strmap_init(&c->strs);
    strmap_init(&c->users);
    strmap_init(&c->hosts);
    json_keys_init(&c->keys);
    for (int k = 0; k < C__N; k++)
        c->slot[k] = json_keys_add(&c->keys, ckey[k], strlen(ckey[k]));
    return c;
}

void falcon_ctx_free(falcon_ctx *c)
{
    if (!c)
        return;
    strmap_free(&c->procs);
    strmap_free(&c->strs);
    strmap_free(&c->users);
    strmap_free(&c->hosts);
    json_keys_free(&c->keys);
    free(c);
}

/* A string field of the current line, copied into `mem`; NULL if absent. */
static mc_value keep(falcon_ctx *c, int k, arena *mem)
{
    const json_slot *s = &c->slots[c->slot[k]];
    if (s->type != JSON_STRING && s->type != JSON_NUMBER)
        return mc_null();
    char *buf = arena_alloc(mem, s->len + 1);
    size_t n = s->escaped ? json_unescape(s->p, s->len, buf) : (memcpy(buf, s->p, s->len), s->len);
    return mc_str(MC_STR, buf, n);
}

/* The same, kept once in the context however many processes name it:
 * images, command lines and users repeat across a day's processes, and a
 * process reported again (or a day read twice) would keep each anew. */
static mc_value keep_once(falcon_ctx *c, int k, arena *scratch)
{
    const json_slot *s = &c->slots[c->slot[k]];
    if (s->type != JSON_STRING && s->type != JSON_NUMBER)
        return mc_null();
    /* Unescaped only where it has escapes: the map copies it once, when new. */
    mc_value v = s->escaped ? keep(c, k, scratch) : mc_str(MC_STR, s->p, s->len);
    return mc_str(MC_STR, strmap_intern(&c->strs, v.u.s, v.len), v.len);
}

/* "a\x1fb": the two parts of a join key in one string. */
static size_t join_key(char *buf, size_t cap, mc_value a, mc_value b)
{
    if (a.type == MC_NULL || b.type == MC_NULL || a.len + b.len + 1 > cap)
        return 0;
    memcpy(buf, a.u.s, a.len);
    buf[a.len] = '\x1f';
    memcpy(buf + a.len + 1, b.u.s, b.len);
    return a.len + 1 + b.len;
}

static int name_is(const json_slot *s, const char *name)
{
    size_t n = strlen(name);
    return s->type == JSON_STRING && s->len == n && !memcmp(s->p, name, n);
}

/* Only process, identity and aid_master records feed the tables; the
 * event's name read raw skips the rest (most of the input) without parsing
 * it. A line the raw reading is unsure of is parsed to be sure. */
static int may_matter(json_line *line)
{
    static const char key[] = "\"event_simpleName\"";
    mc_value name;
    int k = json_line_key(line, key, sizeof key - 1, &name);
    if (k != JSON_RAW_VALUE || name.type == MC_NULL)
        return 1; /* an aid_master row, or one to parse */
    static const char *const wanted[] = {
        "ProcessRollup2", "SyntheticProcessRollup2", "UserIdentity", "UserLogon",
    };
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
        if (name.len == strlen(wanted[i]) && !memcmp(name.u.s, wanted[i], name.len))
            return 1;
    return 0;
}

/* Whether an entry read at seq replaces the one read at *had (or NULL):
 * the last read wins, or the first when `first` is set (falcon_ctx.h). */
static int prefer(uint64_t seq, const uint64_t *had, int first)
{
    return !had || (first ? seq < *had : seq > *had);
}

/* Where the entry in *slot (strmap_slot; NULL when new) was read. */
static const uint64_t *proc_seq(void *const *slot)
{
    const falcon_proc *p = *slot;
    return p ? &p->seq : NULL;
}

static const uint64_t *value_seq(void *const *slot)
{
    const ctx_value *v = *slot;
    return v ? &v->seq : NULL;
}

void falcon_ctx_add(falcon_ctx *c, json_line *line, uint64_t seq)
{
    if (!may_matter(line))
        return;
    json_error err;
    if (json_scan(&c->keys, line->text, line->len, c->slots, &err))
        return; /* the main pass reports bad records */
    const json_slot *name = &c->slots[c->slot[C_NAME]];
    arena scratch;
    arena_init(&scratch);
    mc_value aid = keep(c, C_AID, &scratch);
    char key[512];
    size_t klen;
    void **slot;
    /* Hosts come from aid_master rows and process events (which carry
     * ComputerName even in raw FDR). */
    if (aid.type != MC_NULL && c->slots[c->slot[C_HOST]].type == JSON_STRING &&
        prefer(seq, value_seq(slot = strmap_slot(&c->hosts, aid.u.s, aid.len)), 1)) {
        ctx_value *host = arena_alloc(strmap_arena(&c->hosts), sizeof *host);
        *host = (ctx_value){keep(c, C_HOST, strmap_arena(&c->hosts)), seq};
        *slot = host;
    }
    if (name_is(name, "ProcessRollup2") || name_is(name, "SyntheticProcessRollup2")) {
        if ((klen = join_key(key, sizeof key, aid, keep(c, C_TPID, &scratch))) &&
            prefer(seq, proc_seq(slot = strmap_slot(&c->procs, key, klen)), 0)) {
            /* A process read again takes its record's place. */
            falcon_proc *p = *slot ? *slot : arena_alloc(strmap_arena(&c->procs), sizeof *p);
            *p = (falcon_proc){keep_once(c, C_IMAGE, &scratch), keep_once(c, C_CMD, &scratch),
                               keep_once(c, C_SID, &scratch), keep_once(c, C_USER, &scratch), seq};
            *slot = p;
        }
        c->processes += klen > 0;
    } else if (name_is(name, "UserIdentity") || name_is(name, "UserLogon")) {
        mc_value user = keep(c, C_USER, &scratch);
        if (user.type != MC_NULL &&
            (klen = join_key(key, sizeof key, aid, keep(c, C_SID, &scratch)))) {
            if (prefer(seq, value_seq(slot = strmap_slot(&c->users, key, klen)), 0)) {
                ctx_value *u = arena_alloc(strmap_arena(&c->users), sizeof *u);
                *u = (ctx_value){keep(c, C_USER, strmap_arena(&c->users)), seq};
                *slot = u;
            }
            c->identities++;
        }
    }
    arena_free(&scratch);
}

/* Which of two entries for one key a merge keeps: the one read last (a
 * process, a user), or first (a host: falcon_ctx.h). */
static void *last_proc(void *had, void *got)
{
    return ((const falcon_proc *)got)->seq > ((const falcon_proc *)had)->seq ? got : had;
}

static void *last_value(void *had, void *got)
{
    return ((const ctx_value *)got)->seq > ((const ctx_value *)had)->seq ? got : had;
}

static void *first_value(void *had, void *got)
{
    return ((const ctx_value *)got)->seq < ((const ctx_value *)had)->seq ? got : had;
}

/* Interned strings carry no value; either copy stays readable. */
static void *first_string(void *had, void *got)
{
    (void)got;
    return had;
}

void falcon_ctx_merge(falcon_ctx *into, falcon_ctx *from)
{
    /* Every value lives in its map's arena, which the merge moves; the
     * strings' map goes with the processes that point into it. */
    strmap_merge(&into->procs, &from->procs, last_proc);
    strmap_merge(&into->strs, &from->strs, first_string);
    strmap_merge(&into->users, &from->users, last_value);
    strmap_merge(&into->hosts, &from->hosts, first_value);
    into->processes += from->processes;
    into->identities += from->identities;
    strmap_free(&from->procs);
    strmap_free(&from->strs);
    strmap_free(&from->users);
    strmap_free(&from->hosts);
    strmap_init(&from->procs);
    strmap_init(&from->strs);
    strmap_init(&from->users);
    strmap_init(&from->hosts);
    from->processes = from->identities = 0;
}

/* Read before written: lookups run on every worker, and a store each time
 * would move the line between cores. */
void falcon_ctx_consult(falcon_ctx *c)
{
    if (!atomic_load_explicit(&c->consulted, memory_order_relaxed))
        atomic_store_explicit(&c->consulted, 1, memory_order_relaxed);
}

int falcon_ctx_consulted(const falcon_ctx *c)
{
    return atomic_load(&c->consulted);
}

const falcon_proc *falcon_ctx_process(falcon_ctx *c, mc_value aid, mc_value pid)
{
    falcon_ctx_consult(c);
    char key[512];
    size_t klen = join_key(key, sizeof key, aid, pid);
    return klen ? strmap_get(&c->procs, key, klen) : NULL;
}

mc_value falcon_ctx_user(falcon_ctx *c, mc_value aid, mc_value sid)
{
    falcon_ctx_consult(c);
    char key[512];
    size_t klen = join_key(key, sizeof key, aid, sid);
    const ctx_value *u = klen ? strmap_get(&c->users, key, klen) : NULL;
    return u ? u->v : mc_null();
}

mc_value falcon_ctx_host(falcon_ctx *c, mc_value aid)
{
    falcon_ctx_consult(c);
    const ctx_value *h = aid.type == MC_NULL ? NULL : strmap_get(&c->hosts, aid.u.s, aid.len);
    return h ? h->v : mc_null();
}

void falcon_ctx_count(falcon_ctx *c, int had_process, int joined)
{
    atomic_fetch_add_explicit(&c->connections, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->without_pid, !had_process, memory_order_relaxed);
    atomic_fetch_add_explicit(&c->joined, joined, memory_order_relaxed);
}

void falcon_ctx_report(const falcon_ctx *c, char *msg, size_t len)
{
    uint64_t connections = atomic_load(&c->connections), joined = atomic_load(&c->joined);
    msg[0] = '\0';
    if (!connections)
        return;
    uint64_t missed = connections - atomic_load(&c->without_pid) - joined;
    int n = snprintf(msg, len, "falcon: %" PRIu64 " of %" PRIu64 " network events joined their "
                               "process (%" PRIu64 " ProcessRollup2, %" PRIu64 " user-identity "
                               "events, %zu hosts read)", joined, connections, c->processes,
                     c->identities, c->hosts.n);
    if (missed && n > 0 && (size_t)n < len)
        snprintf(msg + n, len - (size_t)n, "; %" PRIu64 " name a process whose ProcessRollup2 "
                 "is not in the input, so their ImageFileName, UserName and CommandLine stay "
                 "missing", missed);
}
