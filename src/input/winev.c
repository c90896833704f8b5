/* winev: Windows event records (Sysmon EID 1/3, Security 4688/5156, and the
 * rest passed through) -> canonical and native fields; see winev.h.
 *
 * Decisions a hunter should know (fields.md §2):
 * - Sysmon EID 3 and Security 5156 are used as logged, Source = initiator, in
 *   both directions. Real 5156 data shows it: on MORDORDC (172.18.38.5) the
 *   inbound (%%14592) events for lsass.exe, dns.exe and System have
 *   DestAddress 172.18.38.5 and DestPort 389/53/445 (shared/data/sysmon,
 *   mordor_empire_...). fields.md's "Source = local side" reading of
 *   Microsoft's example is not what the sensors write.
 * - direction: Sysmon Initiated true/false -> out/in; 5156 Direction %%14593
 *   (or "Outbound") -> out, %%14592 ("Inbound") -> in. An endpoint log knows
 *   which side initiated, so 127.0.0.1 -> 127.0.0.1 with Initiated=true is
 *   "out" (the seeds' Atomic tests connect to 127.0.0.1).
 * - time: Sysmon UtcTime, else System TimeCreated.
 * - user: Sysmon User; 4688 TargetDomainName\TargetUserName when set, else
 *   SubjectDomainName\SubjectUserName; 5156 has none.
 * - process context (winctx.h): a connection event's cmdline is its own
 *   CommandLine if an export put one on it, else its process's from the
 *   table; its user is its own unless unset (absent, empty or "-", as Sysmon
 *   writes for an unknown user), else its process's. Sysmon EID 3 finds its
 *   process by ProcessGuid, else (Computer, ProcessId); 5156 by (Computer,
 *   ProcessID). 4688 keys its process by NewProcessId: its ProcessId is the
 *   creator's. An empty or "-" command line (4688 with command-line auditing
 *   off) is not kept: it counts as missing. */
#include "input/winev.h"

#include <string.h>

#include "value/convert.h"
#include "util/timeutil.h"

static const char *const key_name[WK__N] = {
    "EventID", "Channel", "Provider", "Computer", "TimeCreated", "UtcTime",
    "Image", "NewProcessName", "Application", "CommandLine", "User",
    "SubjectUserName", "SubjectDomainName", "TargetUserName", "TargetDomainName",
    "SourceIp", "SourceAddress", "SourcePort", "DestinationIp", "DestAddress",
    "DestinationPort", "DestPort", "Initiated", "Direction", "Protocol",
    "ProcessGuid", "ProcessId", "ProcessID", "NewProcessId",
};

static int name_index(winev *w, const char *name)
{
    for (int k = 0; k < w->nnames; k++)
        if (strcmp(w->name[k], name) == 0)
            return k;
    if (w->nnames == WINEV_MAX_NAMES)
        return -1;
    w->name[w->nnames] = name;
    return w->nnames++;
}

void winev_bind(winev *w, const mc_field_req *fields, int nfields)
{
    memset(w, 0, sizeof *w);
    for (int k = 0; k < WK__N; k++)
        w->name[w->nnames++] = key_name[k];
    w->nfields = nfields < 128 ? nfields : 128;
    for (int i = 0; i < w->nfields; i++) {
        int source = fields[i].canon;
        w->field[i].canon = source >= 0 ? source : -1;
        w->field[i].name = source == -1 ? name_index(w, fields[i].name) : -1;
        w->wants_process |= source == MC_C_CMDLINE || source == MC_C_USER ||
                            w->field[i].name == WK_CMDLINE || w->field[i].name == WK_USER;
    }
}

enum family { FAM_OTHER, FAM_SYSMON, FAM_SECURITY };

typedef struct wctx {
    const mc_value *v;
    arena *scratch;
    enum family fam;
    long eid;
    const winev *w;
    const winctx_proc *proc;    /* the joined process, once looked up */
    int proc_done;
} wctx;

static int contains(mc_value v, const char *s)
{
    size_t n = strlen(s);
    for (uint32_t i = 0; v.type == MC_STR && i + n <= v.len; i++)
        if (memcmp(v.u.s + i, s, n) == 0)
            return 1;
    return 0;
}

/* Which log the event is from: by channel or provider, else by the event
 * id alone (a flattened export may carry neither). */
static enum family family_of(const mc_value *v, long eid)
{
    if (contains(v[WK_CHANNEL], "Sysmon") || contains(v[WK_PROVIDER], "Sysmon"))
        return FAM_SYSMON;
    if (value_is(v[WK_CHANNEL], "Security") || contains(v[WK_PROVIDER], "Security-Auditing"))
        return FAM_SECURITY;
    if (v[WK_CHANNEL].type != MC_NULL || v[WK_PROVIDER].type != MC_NULL)
        return FAM_OTHER;
    if (eid == 1 || eid == 3)
        return FAM_SYSMON;
    return eid == 4688 || eid == 5156 ? FAM_SECURITY : FAM_OTHER;
}

static int is_conn(const wctx *c)
{
    return (c->fam == FAM_SYSMON && c->eid == 3) || (c->fam == FAM_SECURITY && c->eid == 5156);
}

static int is_proc(const wctx *c)
{
    return (c->fam == FAM_SYSMON && c->eid == 1) || (c->fam == FAM_SECURITY && c->eid == 4688);
}

static mc_value event_time(const wctx *c)
{
    int64_t ms;
    mc_value t = c->v[WK_UTCTIME];
    if (c->fam != FAM_SYSMON || t.type != MC_STR || time_parse_iso(t.u.s, t.len, &ms))
        t = c->v[WK_TIMECREATED];
    if (t.type == MC_STR && time_parse_iso(t.u.s, t.len, &ms) == 0)
        return mc_int(MC_TS, ms);
    return mc_null();
}

static mc_value proc_path(const wctx *c)
{
    if (c->fam == FAM_SECURITY)
        return c->eid == 4688 ? c->v[WK_NEWPROCESS] : c->eid == 5156 ? c->v[WK_APPLICATION]
                                                                      : mc_null();
    return c->fam == FAM_SYSMON ? c->v[WK_IMAGE] : mc_null();
}

static int unset(mc_value v)
{
    return v.type != MC_STR || v.len == 0 || value_is(v, "-");
}

/* DOMAIN\name, or name alone when the domain is unset. */
static mc_value account(mc_value domain, mc_value name, arena *scratch)
{
    if (unset(domain))
        return name;
    char *s = arena_alloc(scratch, domain.len + name.len + 1);
    memcpy(s, domain.u.s, domain.len);
    s[domain.len] = '\\';
    memcpy(s + domain.len + 1, name.u.s, name.len);
    return mc_str(MC_STR, s, domain.len + name.len + 1);
}

static mc_value user(const wctx *c)
{
    const mc_value *v = c->v;
    if (c->fam == FAM_SYSMON)
        return v[WK_USER];
    if (c->fam != FAM_SECURITY || c->eid != 4688)
        return mc_null();
    if (!unset(v[WK_TARGET_USER]))
        return account(v[WK_TARGET_DOMAIN], v[WK_TARGET_USER], c->scratch);
    return unset(v[WK_SUBJ_USER]) ? mc_null()
                                  : account(v[WK_SUBJ_DOMAIN], v[WK_SUBJ_USER], c->scratch);
}

/* ---- process context ---- */

static winctx_key process_key(const wctx *c)
{
    const mc_value *v = c->v;
    int sysmon = c->fam == FAM_SYSMON;
    winctx_key k = {sysmon ? v[WK_PROCESSGUID] : mc_null(), v[WK_COMPUTER], mc_null(),
                    event_time(c)};
    if (sysmon)
        k.pid = v[WK_PROCESSID];
    else
        k.pid = is_proc(c) ? v[WK_NEWPROCESSID] : v[WK_WFP_PROCESSID];
    return k;
}

static mc_value set_or_null(mc_value v)
{
    return unset(v) ? mc_null() : v;
}

/* A process creation, into the table being built. */
static void collect(const wctx *c)
{
    winctx_key k = process_key(c);
    winctx_add(c->w->collect, &k, set_or_null(c->v[WK_CMDLINE]), set_or_null(user(c)),
               proc_path(c));
}

/* The process of a connection event, from the join table (looked up once). */
static const winctx_proc *joined(wctx *c)
{
    if (!c->proc_done) {
        c->proc_done = 1;
        if (c->w->join && c->w->wants_process && is_conn(c)) {
            winctx_key k = process_key(c);
            c->proc = winctx_find(c->w->join, &k);
        }
    }
    return c->proc;
}

/* cmdline: a process event's own; a connection event's own, else joined. */
static mc_value cmdline(wctx *c)
{
    if (is_proc(c))
        return c->v[WK_CMDLINE];
    if (!is_conn(c))
        return mc_null();
    const winctx_proc *p = c->v[WK_CMDLINE].type == MC_NULL ? joined(c) : NULL;
    return p ? p->cmdline : c->v[WK_CMDLINE];
}

/* The event's own user unless unset; on a connection event, then its
 * process's (when the table has one). */
static mc_value joined_user(wctx *c, mc_value own)
{
    const winctx_proc *p = unset(own) ? joined(c) : NULL;
    return p && p->user.type != MC_NULL ? p->user : own;
}

/* A native field; CommandLine and User of a connection event as above. */
static mc_value native(wctx *c, int name)
{
    if (name == WK_CMDLINE && is_conn(c))
        return cmdline(c);
    if (name == WK_USER && is_conn(c))
        return joined_user(c, c->v[WK_USER]);
    return name >= 0 ? c->v[name] : mc_null();
}

static mc_value direction(const wctx *c)
{
    const mc_value *v = c->v;
    if (c->fam == FAM_SYSMON && c->eid == 3) {
        if (value_ieq(v[WK_INITIATED], "true"))
            return value_cstr("out");
        return value_ieq(v[WK_INITIATED], "false") ? value_cstr("in") : mc_null();
    }
    if (c->fam == FAM_SECURITY && c->eid == 5156) {
        if (value_is(v[WK_DIRECTION], "%%14593") || value_ieq(v[WK_DIRECTION], "outbound"))
            return value_cstr("out");
        if (value_is(v[WK_DIRECTION], "%%14592") || value_ieq(v[WK_DIRECTION], "inbound"))
            return value_cstr("in");
    }
    return mc_null();
}

/* Addresses and ports of a connection event; NULL on other events. */
static mc_value endpoint(const wctx *c, int canon)
{
    int sysmon = c->fam == FAM_SYSMON;
    if (!is_conn(c))
        return mc_null();
    switch (canon) {
    case MC_C_SRC_IP:   return value_ip(c->v[sysmon ? WK_SRCIP : WK_SRCADDR]);
    case MC_C_DST_IP:   return value_ip(c->v[sysmon ? WK_DSTIP : WK_DSTADDR]);
    case MC_C_SRC_PORT: return value_port(c->v[WK_SRCPORT]);
    case MC_C_DST_PORT: return value_port(c->v[sysmon ? WK_DSTPORT : WK_DESTPORT]);
    default:            return value_transport(c->v[WK_PROTOCOL]);
    }
}

static mc_value canonical(wctx *c, int canon)
{
    switch (canon) {
    case MC_C_KIND:
        return is_conn(c) ? value_cstr("conn") : is_proc(c) ? value_cstr("proc") : mc_null();
    case MC_C_TIME:      return event_time(c);
    case MC_C_HOST:      return c->v[WK_COMPUTER];
    case MC_C_PROC_PATH: return proc_path(c);
    case MC_C_PROC_NAME: return value_basename(proc_path(c));
    case MC_C_CMDLINE:   return cmdline(c);
    case MC_C_USER:      return is_conn(c) ? joined_user(c, user(c)) : user(c);
    case MC_C_DIRECTION: return direction(c);
    case MC_C_SRC_IP: case MC_C_DST_IP: case MC_C_SRC_PORT: case MC_C_DST_PORT:
    case MC_C_TRANSPORT:
        return endpoint(c, canon);
    default:             return mc_null(); /* bytes, app_proto: Windows logs have none */
    }
}

void winev_row(const winev *w, const mc_value *vals, mc_value *row, arena *scratch)
{
    mc_value id = value_uint(vals[WK_EVENTID]);
    long eid = id.type == MC_INT ? (long)id.u.i : -1;
    wctx c = {vals, scratch, family_of(vals, eid), eid, w, NULL, 0};
    if (w->collect && is_proc(&c))
        collect(&c);
    (void)joined(&c); /* every connection event is looked up once, for the report */
    for (int i = 0; i < w->nfields; i++)
        row[i] = w->field[i].canon >= 0 ? canonical(&c, w->field[i].canon)
                                        : native(&c, w->field[i].name);
}
