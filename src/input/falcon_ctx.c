/* falcon_ctx: process, user and host tables for raw FDR input (see
 * falcon_ctx.h for the joins and why they are done this way).
 *
 * The process table is most of a hunt's memory (a 4 GB day names 410,000
 * processes), so it is kept compact: each string a process names (its aid,
 * image, command line, sid, user) once in the context's string list, and
 * the process by the strings' ids (32-bit), its pid as a number where the
 * text is one. A process takes 40 bytes and 5-11 of index, where a text
 * key and four mc_values in a strmap took about 220; a merge grows the
 * larger table once rather than holding a doubled copy. */
#include "input/falcon_ctx.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "input/json.h"
#include "util/hash.h"
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

/* Strings kept once, by id: ids count from 1 (0 stands for absent, v[0]
 * is MC_NULL), and the map holds each text's id as its value. */
typedef struct str_list {
    strmap ids;
    mc_value *v;           /* the texts, in the map's arena */
    size_t n, cap;
} str_list;

enum { P_IMAGE, P_CMD, P_SID, P_USER, P__N };

/* A process: its aid and strings as ids in the context's str_list. */
typedef struct proc_rec {
    uint64_t pid;          /* pid_code() */
    uint64_t seq;          /* where it was read (falcon_ctx_add) */
    uint32_t aid;
    uint32_t str[P__N];
} proc_rec;

/* Processes in the order first read, and an open-addressing index (linear
 * probing, at most 3/4 full) over them. */
typedef struct proc_table {
    proc_rec *rec;
    size_t n, cap;
    uint32_t *index;       /* a record's position + 1; 0: empty */
    size_t icap;           /* a power of two; 0 until the first record */
} proc_table;

struct falcon_ctx {
    proc_table procs;
    str_list strs;          /* what the processes name */
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

static void strs_init(str_list *l)
{
    strmap_init(&l->ids);
    l->cap = 16;
    l->v = xcalloc(l->cap, sizeof *l->v); /* v[0]: MC_NULL, all zero */
    l->n = 1;
}

static void strs_free(str_list *l)
{
    strmap_free(&l->ids);
    free(l->v);
}

/* The id of s, or 0 when the list lacks it. Only reads: lookups run on
 * every worker at once. */
static uint32_t str_find(const str_list *l, const char *s, size_t len)
{
    return (uint32_t)(uintptr_t)strmap_get(&l->ids, s, len);
}

/* The id of s, added (copied once) when new. */
static uint32_t str_id(str_list *l, const char *s, size_t len)
{
    uint32_t id = str_find(l, s, len);
    if (id)
        return id;
    if (l->n == l->cap)
        l->v = xrealloc(l->v, (l->cap *= 2) * sizeof *l->v);
    const char *copy = strmap_intern(&l->ids, s, len);
    strmap_put(&l->ids, copy, len, (void *)(uintptr_t)l->n);
    l->v[l->n] = mc_str(MC_STR, copy, len);
    return (uint32_t)l->n++;
}

/* A pid as the table keys it: plain decimal text (no sign, no leading
 * zero, at most 18 digits, so below 2^63) is its number, and any other
 * text ("0123", "-1", "0x1f", "") PID_TEXT | its string id, so two pids
 * match exactly when their texts do. */
#define PID_TEXT (UINT64_C(1) << 63)

static int pid_number(mc_value pid, uint64_t *n)
{
    if (pid.len == 0 || pid.len > 18 || (pid.u.s[0] == '0' && pid.len > 1))
        return 0;
    uint64_t v = 0;
    for (uint32_t i = 0; i < pid.len; i++) {
        unsigned d = (unsigned char)pid.u.s[i] - (unsigned)'0';
        if (d > 9)
            return 0;
        v = v * 10 + d;
    }
    *n = v;
    return 1;
}

/* pid's code, its text added to l when it needs one. */
static uint64_t pid_code(str_list *l, mc_value pid)
{
    uint64_t n;
    return pid_number(pid, &n) ? n : PID_TEXT | str_id(l, pid.u.s, pid.len);
}

/* The same without adding: 0 when no process can have this pid. */
static int pid_known(const str_list *l, mc_value pid, uint64_t *code)
{
    uint32_t id;
    if (pid_number(pid, code))
        return 1;
    if (!(id = str_find(l, pid.u.s, pid.len)))
        return 0;
    *code = PID_TEXT | id;
    return 1;
}

static void procs_free(proc_table *t)
{
    free(t->rec);
    free(t->index);
    memset(t, 0, sizeof *t);
}

/* The index place of (aid, pid): its record's position + 1, or 0 where it
 * would go. The index must exist (icap > 0). */
static uint32_t *proc_place(const proc_table *t, uint32_t aid, uint64_t pid)
{
    uint64_t key[2] = {pid, aid};
    size_t mask = t->icap - 1;
    for (size_t j = hash_bytes(key, sizeof key) & mask;; j = (j + 1) & mask) {
        uint32_t i = t->index[j];
        if (!i || (t->rec[i - 1].pid == pid && t->rec[i - 1].aid == aid))
            return &t->index[j];
    }
}

/* Room for n records in the array (exactly n: a merge knows its total). */
static void rec_room(proc_table *t, size_t n)
{
    if (n > t->cap)
        t->rec = xrealloc(t->rec, (t->cap = n) * sizeof *t->rec);
}

/* An index for n records, rebuilt from the array when it must grow. */
static void index_room(proc_table *t, size_t n)
{
    if (n * 4 <= t->icap * 3)
        return;
    size_t icap = t->icap ? t->icap : 64;
    while (n * 4 > icap * 3)
        icap *= 2;
    free(t->index);
    t->index = xcalloc(icap, sizeof *t->index);
    t->icap = icap;
    for (size_t i = 0; i < t->n; i++)
        *proc_place(t, t->rec[i].aid, t->rec[i].pid) = (uint32_t)(i + 1);
}

/* Stores r in the free index place `at` (proc_place). */
static void proc_append(proc_table *t, uint32_t *at, const proc_rec *r)
{
    if (t->n == t->cap)
        rec_room(t, t->cap ? t->cap * 2 : 64);
    t->rec[t->n++] = *r;
    *at = (uint32_t)t->n;
}

falcon_ctx *falcon_ctx_new(void)
{
    falcon_ctx *c = xcalloc(1, sizeof *c);
    strs_init(&c->strs);
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
    procs_free(&c->procs);
    strs_free(&c->strs);
    strmap_free(&c->users);
    strmap_free(&c->hosts);
    json_keys_free(&c->keys);
    free(c);
}

/* A string field of the current line, unescaped into `mem` where it needs
 * it (else the line's own bytes); NULL if absent. */
static mc_value field(falcon_ctx *c, int k, arena *mem)
{
    const json_slot *s = &c->slots[c->slot[k]];
    if (s->type != JSON_STRING && s->type != JSON_NUMBER)
        return mc_null();
    if (!s->escaped)
        return mc_str(MC_STR, s->p, s->len);
    char *buf = arena_alloc(mem, s->len + 1);
    return mc_str(MC_STR, buf, json_unescape(s->p, s->len, buf));
}

/* The same, copied into `mem`. */
static mc_value keep(falcon_ctx *c, int k, arena *mem)
{
    mc_value v = field(c, k, mem);
    if (v.type != MC_NULL && !c->slots[c->slot[k]].escaped)
        v.u.s = arena_strndup(mem, v.u.s, v.len);
    return v;
}

/* A field's id in the context's strings (0 if absent): images, command
 * lines and users repeat across a day's processes, and a process reported
 * again (or a day read twice) would keep each anew. */
static uint32_t keep_id(falcon_ctx *c, int k, arena *scratch)
{
    mc_value v = field(c, k, scratch);
    return v.type == MC_NULL ? 0 : str_id(&c->strs, v.u.s, v.len);
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

static const uint64_t *value_seq(void *const *slot)
{
    const ctx_value *v = *slot;
    return v ? &v->seq : NULL;
}

/* A process record: kept unless the table has its process from a later
 * line (a process read again takes its record's place). */
static void add_process(falcon_ctx *c, mc_value aid, uint64_t seq, arena *scratch)
{
    mc_value pid = field(c, C_TPID, scratch);
    if (aid.type == MC_NULL || pid.type == MC_NULL)
        return;
    c->processes++;
    proc_table *t = &c->procs;
    proc_rec r = {pid_code(&c->strs, pid), seq, str_id(&c->strs, aid.u.s, aid.len), {0}};
    index_room(t, t->n + 1);
    uint32_t *at = proc_place(t, r.aid, r.pid);
    if (*at && t->rec[*at - 1].seq >= seq)
        return;
    static const int from[P__N] = {C_IMAGE, C_CMD, C_SID, C_USER};
    for (int i = 0; i < P__N; i++)
        r.str[i] = keep_id(c, from[i], scratch);
    if (*at)
        t->rec[*at - 1] = r;
    else
        proc_append(t, at, &r);
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
    mc_value aid = field(c, C_AID, &scratch);
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
        add_process(c, aid, seq, &scratch);
    } else if (name_is(name, "UserIdentity") || name_is(name, "UserLogon")) {
        mc_value user = field(c, C_USER, &scratch);
        if (user.type != MC_NULL &&
            (klen = join_key(key, sizeof key, aid, field(c, C_SID, &scratch)))) {
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

/* Moves from's processes into into's table by falcon_ctx_add's rule. The
 * larger table stays (swapped in when it is from's, with its strings) and
 * only the smaller one's ids are translated, its records then added with
 * no table built twice: into's grows once, to the sum, then from's goes. */
static void procs_merge(falcon_ctx *into, falcon_ctx *from)
{
    if (from->procs.n > into->procs.n) {
        proc_table t = into->procs;
        str_list l = into->strs;
        into->procs = from->procs, into->strs = from->strs;
        from->procs = t, from->strs = l;
    }
    proc_table *t = &into->procs;
    const proc_table *f = &from->procs;
    uint32_t *id = xmalloc(from->strs.n * sizeof *id);
    id[0] = 0;
    for (size_t i = 1; i < from->strs.n; i++)
        id[i] = str_id(&into->strs, from->strs.v[i].u.s, from->strs.v[i].len);
    rec_room(t, t->n + f->n);
    index_room(t, t->n + f->n);
    for (size_t i = 0; i < f->n; i++) {
        proc_rec r = f->rec[i];
        r.aid = id[r.aid];
        if (r.pid & PID_TEXT)
            r.pid = PID_TEXT | id[r.pid & ~PID_TEXT];
        for (int k = 0; k < P__N; k++)
            r.str[k] = id[r.str[k]];
        uint32_t *at = proc_place(t, r.aid, r.pid);
        if (!*at)
            proc_append(t, at, &r);
        else if (r.seq > t->rec[*at - 1].seq)
            t->rec[*at - 1] = r;
    }
    free(id);
    procs_free(&from->procs);
    strs_free(&from->strs);
    strs_init(&from->strs);
}

/* Which of two entries for one key a merge keeps: the one read last (a
 * user), or first (a host: falcon_ctx.h). */
static void *last_value(void *had, void *got)
{
    return ((const ctx_value *)got)->seq > ((const ctx_value *)had)->seq ? got : had;
}

static void *first_value(void *had, void *got)
{
    return ((const ctx_value *)got)->seq < ((const ctx_value *)had)->seq ? got : had;
}

void falcon_ctx_merge(falcon_ctx *into, falcon_ctx *from)
{
    /* Every value lives in its map's arena, which the merge moves. */
    procs_merge(into, from);
    strmap_merge(&into->users, &from->users, last_value);
    strmap_merge(&into->hosts, &from->hosts, first_value);
    into->processes += from->processes;
    into->identities += from->identities;
    strmap_free(&from->users);
    strmap_free(&from->hosts);
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

int falcon_ctx_process(falcon_ctx *c, mc_value aid, mc_value pid, falcon_proc *p)
{
    falcon_ctx_consult(c);
    uint32_t a;
    uint64_t code;
    if (aid.type == MC_NULL || pid.type == MC_NULL || !c->procs.icap ||
        !(a = str_find(&c->strs, aid.u.s, aid.len)) || !pid_known(&c->strs, pid, &code))
        return 0;
    uint32_t at = *proc_place(&c->procs, a, code);
    if (!at)
        return 0;
    const proc_rec *r = &c->procs.rec[at - 1];
    const mc_value *v = c->strs.v;
    *p = (falcon_proc){v[r->str[P_IMAGE]], v[r->str[P_CMD]], v[r->str[P_SID]], v[r->str[P_USER]]};
    return 1;
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
