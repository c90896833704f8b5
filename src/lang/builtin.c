/* builtin: the built-in hunt as one plan (see builtin.h for what it does).
 * The client list is the union of both seeds' lists; matching the base name
 * exactly (not LogScale's unanchored suffix regex) keeps `evilchrome.exe` in
 * view, which is what a hunter wants from a built-in rule. */
#include "lang/builtin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int64_t seed_ports[] = {25, 465, 587, 110, 995, 143, 993};

static const char *const seed_clients[] = {
    "outlook.exe", "thunderbird.exe", "mailclient.exe", "em client.exe",
    "msedge.exe", "chrome.exe", "firefox.exe",
};

static const struct { const char *label; int64_t ports[3]; int n; } protocols[] = {
    {"SMTP", {25, 465, 587}, 3},
    {"POP3", {110, 995}, 2},
    {"IMAP", {143, 993}, 2},
};

void hunt_params_default(hunt_params *h)
{
    memset(h, 0, sizeof *h);
    h->nports = (int)(sizeof seed_ports / sizeof seed_ports[0]);
    memcpy(h->ports, seed_ports, sizeof seed_ports);
    h->threshold = 2;
    h->window_ms = 24LL * 3600 * 1000;
}

int hunt_parse_ports(hunt_params *h, const char *list, char *err, size_t errlen)
{
    h->nports = 0;
    const char *p = list;
    while (*p) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || errno || v < 0 || v > 65535 || (*end && *end != ',')) {
            snprintf(err, errlen, "--ports: '%s' is not a comma-separated list of ports 0-65535", list);
            return -1;
        }
        if (h->nports == HUNT_MAX_PORTS) {
            snprintf(err, errlen, "--ports: at most %d ports", HUNT_MAX_PORTS);
            return -1;
        }
        h->ports[h->nports++] = v;
        p = *end ? end + 1 : end;
    }
    if (h->nports == 0) {
        snprintf(err, errlen, "--ports: empty list");
        return -1;
    }
    return 0;
}

int hunt_parse_allow(hunt_params *h, char *list, char *err, size_t errlen)
{
    for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
         name = strtok_r(NULL, ",", &save)) {
        if (h->nallow == HUNT_MAX_ALLOW) {
            snprintf(err, errlen, "--allow: at most %d names", HUNT_MAX_ALLOW);
            return -1;
        }
        h->allow[h->nallow++] = name;
    }
    return 0;
}

static expr *int_list(plan *p, expr *subject, const int64_t *v, int n)
{
    expr *kids[HUNT_MAX_PORTS + 1] = {subject};
    for (int i = 0; i < n; i++)
        kids[i + 1] = plan_lit_int(p, v[i]);
    return plan_node(p, EX_IN, 0, n + 1, kids);
}

/* proc_name is null, or its lower-case form is no known client. */
static expr *not_a_client(plan *p, const hunt_params *h, int name)
{
    expr *kids[HUNT_MAX_ALLOW + 16];
    int n = 0;
    kids[n++] = plan_call(p, FN_LOWER, plan_ref(p, name));
    for (size_t i = 0; i < sizeof seed_clients / sizeof seed_clients[0]; i++)
        kids[n++] = plan_lit_str(p, seed_clients[i]);
    for (int i = 0; i < h->nallow; i++) {
        char *lower = arena_strndup(&p->mem, h->allow[i], strlen(h->allow[i]));
        for (char *c = lower; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c + 32);
        kids[n++] = plan_lit_str(p, lower);
    }
    expr *null = plan_ref(p, name);
    expr *either[2] = {plan_node(p, EX_ISNULL, 0, 1, &null),
                       plan_not(p, plan_node(p, EX_IN, 0, n, kids))};
    return plan_node(p, EX_OR, 0, 2, either);
}

static expr *protocol_label(plan *p, int port)
{
    expr *kids[7];
    int n = 0;
    for (size_t i = 0; i < sizeof protocols / sizeof protocols[0]; i++) {
        kids[n++] = int_list(p, plan_ref(p, port), protocols[i].ports, protocols[i].n);
        kids[n++] = plan_lit_str(p, protocols[i].label);
    }
    kids[n++] = plan_lit_str(p, "Unknown");
    return plan_node(p, EX_CASE, 0, n, kids);
}

static int canon(plan *p, int c)
{
    return plan_field(p, mc_canon_name(c), c);
}

static expr *is_null(plan *p, int slot)
{
    expr *f = plan_ref(p, slot);
    return plan_node(p, EX_ISNULL, 0, 1, &f);
}

/* Which of host, process and user the source did not record, e.g.
 * "process user" for a firewall with User-ID; NULL when it had all three.
 * Sources without a process cannot have mail clients excluded, and a
 * finding says so (fields.md §4). */
static expr *lacks(plan *p, const int *slots)
{
    static const char *const names[3] = {"host", "process", "user"};
    expr *k[15];
    int n = 0;
    for (int mask = 7; mask >= 1; mask--) {
        expr *all[3];
        char label[32] = "";
        for (int b = 0; b < 3; b++) {
            all[b] = is_null(p, slots[b]);
            if (mask & (1 << b)) {
                strcat(label, label[0] ? " " : "");
                strcat(label, names[b]);
            } else {
                all[b] = plan_not(p, all[b]);
            }
        }
        k[n++] = plan_node(p, EX_AND, 0, 3, all);
        k[n++] = plan_lit_str(p, label);
    }
    return plan_node(p, EX_CASE, 0, n, k);
}

/* Where a source names neither host nor process, its source address is
 * what identifies the machine: group by it there (fields.md §4), and only
 * there, so that an endpoint's findings do not split by address. */
static expr *source_address(plan *p, int host, int path, int src)
{
    expr *both[2] = {is_null(p, host), is_null(p, path)};
    expr *k[2] = {plan_node(p, EX_AND, 0, 2, both), plan_ref(p, src)};
    return plan_node(p, EX_CASE, 0, 2, k);
}

/* 1 for a session that speaks no mail on a mail port, 0 for one whose
 * conformance is known otherwise, NULL where the source cannot tell
 * (everything but packet captures); summed, it is the findings' not_mail. */
static expr *not_mail(plan *p, int conformance)
{
    expr *c = plan_ref(p, conformance);
    expr *known = plan_not(p, plan_node(p, EX_ISNULL, 0, 1, &c));
    expr *k[4] = {plan_cmp(p, CMP_EQ, plan_ref(p, conformance), plan_lit_str(p, "not-mail")),
                  plan_lit_int(p, 1), known, plan_lit_int(p, 0)};
    return plan_node(p, EX_CASE, 0, 4, k);
}

/* What the triage score reads (src/triage/), after the shown columns and
 * dropped by it: the group's connection times (bounded, plan.h), and,
 * counted over every group before the threshold, the machines (host, or
 * source address where there is no host) talking to the destination and
 * the destinations of the machine's process. col: the key columns. */
static void triage_columns(plan *p, const int *col, int time)
{
    enum { K_HOST, K_SRC, K_PROCESS, K_USER, K_DST };
    plan_aggregate(p, AGG_TIMES, plan_ref(p, time), "times");
    const int machine[2] = {col[K_HOST], col[K_SRC]};
    const int process[3] = {col[K_HOST], col[K_SRC], col[K_PROCESS]};
    plan_group_spread(p, "dst_hosts", machine, 2, &col[K_DST], 1);
    plan_group_spread(p, "proc_dsts", &col[K_DST], 1, process, 3);
}

/* A fixed plan far below every capacity (hunt_params bounds the lists), so
 * the builders' results are not checked. */
plan *builtin_plan(const hunt_params *h)
{
    plan *p = plan_new("builtin");
    int time = canon(p, MC_C_TIME), kind = canon(p, MC_C_KIND);
    int dir = canon(p, MC_C_DIRECTION), port = canon(p, MC_C_DST_PORT);
    int name = canon(p, MC_C_PROC_NAME), host = canon(p, MC_C_HOST);
    int path = canon(p, MC_C_PROC_PATH), user = canon(p, MC_C_USER);
    int dst = canon(p, MC_C_DST_IP), bytes = canon(p, MC_C_BYTES_OUT);
    int src = canon(p, MC_C_SRC_IP), cmd = canon(p, MC_C_CMDLINE);
    int bytes_in = canon(p, MC_C_BYTES_IN), conformance = canon(p, MC_C_APP_CONFORMANCE);
    int duration = canon(p, MC_C_DURATION);
    plan_set_window(p, time, h->window_ms);

    plan_filter(p, plan_cmp(p, CMP_EQ, plan_ref(p, kind), plan_lit_str(p, "conn")));
    plan_filter(p, plan_cmp(p, CMP_EQ, plan_ref(p, dir), plan_lit_str(p, "out")));
    plan_filter(p, int_list(p, plan_ref(p, port), h->ports, h->nports));
    plan_filter(p, not_a_client(p, h, name));
    int proto = plan_eval(p, "protocol", protocol_label(p, port));
    int from = plan_eval(p, "src_ip", source_address(p, host, path, src));
    const int who[3] = {host, path, user};
    int missing = plan_eval(p, "lacks", lacks(p, who));

    const int keys[] = {host, from, path, user, dst, port, proto, missing};
    static const char *const key_name[] = {"host", "src_ip", "process", "user", "dst_ip",
                                           "dst_port", "protocol", "lacks"};
    int col[sizeof keys / sizeof keys[0]];
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        col[k] = plan_group_key(p, plan_ref(p, keys[k]), key_name[k]);
    int count = plan_aggregate(p, AGG_COUNT, NULL, "count");
    plan_aggregate(p, AGG_MIN, plan_ref(p, time), "first_seen");
    plan_aggregate(p, AGG_MAX, plan_ref(p, time), "last_seen");
    plan_aggregate(p, AGG_SUM, plan_ref(p, bytes), "bytes_out");
    /* The command line of the connecting process, where the input holds its
     * process event (joined by the decoder); the least one when several. */
    plan_aggregate(p, AGG_MIN, plan_ref(p, cmd), "command_line");
    /* What session sources (captures, Zeek) add: the bytes back, how many
     * sessions were not mail at all (app_conformance, src/input/mailproto.h),
     * and how long a session lasted on average. */
    plan_aggregate(p, AGG_SUM, plan_ref(p, bytes_in), "bytes_in");
    plan_aggregate(p, AGG_SUM, not_mail(p, conformance), "not_mail");
    plan_aggregate(p, AGG_AVG, plan_ref(p, duration), "duration_ms");
    triage_columns(p, col, time);
    plan_post_filter(p, plan_cmp(p, CMP_GT, plan_ref(p, count), plan_lit_int(p, h->threshold)));
    plan_sort_by(p, count, 1, SORT_VALUE);
    static const char *const shown[] = {"host", "src_ip", "process", "user", "dst_ip", "dst_port",
                                        "protocol", "count", "first_seen", "last_seen",
                                        "bytes_out", "command_line", "lacks", "bytes_in",
                                        "not_mail", "duration_ms", "times", "dst_hosts",
                                        "proc_dsts"};
    for (size_t c = 0; c < sizeof shown / sizeof shown[0]; c++)
        plan_project(p, plan_column(p, shown[c]), shown[c]);
    return p;
}
