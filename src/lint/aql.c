/* aql: the checks only QRadar's behaviour calls for.
 *
 * - aql-l2r-loopback: a direction test (eventdirection, "Event Direction",
 *   flowdirection) that leaves out L2L also leaves out every connection to
 *   a local address, loopback included: the seeds' Atomic Red Team tests
 *   (PowerShell Send-MailMessage, nc, curl to 127.0.0.1:25/110/143) are
 *   L2L and never match (aql.md §6 #6).
 * - aql-rule-window: a query that counts over a long look-back (LAST 24
 *   HOURS, or starttime > NOW() - 86400000) with a count threshold. As a
 *   search without LAST/START QRadar covers only the last 5 minutes, and a
 *   QRadar rule counts over its own window (5 minutes unless set), so the
 *   threshold becomes "per 5 minutes" (aql.md §2). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "input/event.h"
#include "lint/locate.h"
#include "lint/walk.h"

enum { QRADAR_WINDOW_MS = 5 * 60 * 1000 };

static int is_aql(const lint_ctx *c)
{
    return c->p->lang && strcmp(c->p->lang, "aql") == 0;
}

static int direction_field(const plan *p, const expr *e)
{
    static const char *const names[] = {"eventdirection", "event direction", "flowdirection"};
    int slot = walk_field(e);
    for (size_t i = 0; slot >= 0 && i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(walk_name(p, slot), names[i]) == 0)
            return slot;
    return -1;
}

/* Whether the test keeps no L2L event: a positive test without L2L, or a
 * negative one naming it. */
static int drops_local(const expr *e, int negated)
{
    const char *v[16];
    int n = walk_texts(e, 1, v, 16), l2l = 0;
    for (int i = 0; i < n; i++)
        l2l |= strcmp(v[i], "L2L") == 0;
    int positive = (e->kind == EX_IN || e->op == CMP_EQ) ^ negated;
    if (e->kind == EX_CMP && e->op != CMP_EQ && e->op != CMP_NE)
        return 0;
    return n > 0 && (positive ? !l2l : l2l);
}

static void direction_node(lint_ctx *c, const expr *e, int negated, int step)
{
    (void)step;
    if ((e->kind != EX_CMP && e->kind != EX_IN) || direction_field(c->p, e->kids[0]) < 0)
        return;
    if (!drops_local(e, negated))
        return;
    const char *name = walk_name(c->p, walk_field(e->kids[0]));
    char fix[200];
    snprintf(fix, sizeof fix, "also accept L2L (%s IN ('L2R', 'L2L')), or remove the direction "
             "test when hunting on a single host",
             strcasecmp(name, "flowdirection") == 0 ? "flowdirection" : "eventdirection");
    lint_add(c, "aql-l2r-loopback", loc_field(c->src, "aql", name), fix,
             "the %s test leaves out local-to-local (L2L) traffic: connections to 127.0.0.1 or "
             "an internal relay never match, such as the seeds' Atomic tests (PowerShell "
             "Send-MailMessage, nc, curl to 127.0.0.1:25/110/143)", name);
}

void lint_aql_direction(lint_ctx *c)
{
    if (is_aql(c))
        walk_steps(c, direction_node);
}

/* "LAST 2 HOURS", "24 hours": ms in the largest whole unit. */
static void duration_text(int64_t ms, char *buf, size_t len)
{
    static const struct { int64_t ms; const char *unit; } units[] = {
        {86400000, "days"}, {3600000, "hours"}, {60000, "minutes"}, {1000, "seconds"}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (ms % units[i].ms == 0 || i + 1 == sizeof units / sizeof units[0]) {
            int64_t n = ms / units[i].ms;
            if (units[i].ms == 86400000 && n == 1)
                n = 24, i = 1; /* "24 hours" reads as the seeds write it */
            snprintf(buf, len, "%lld %s", (long long)n, units[i].unit);
            return;
        }
}

/* The post-aggregate threshold on a count: the column's name, or NULL. */
static const char *count_threshold(const plan *p)
{
    for (int s = 0; s < p->npost; s++) {
        const expr *e = p->post[s].e;
        if (e->kind == EX_ISTRUE)
            e = e->kids[0];
        if (e->kind != EX_CMP || (e->op != CMP_GT && e->op != CMP_GE))
            continue;
        const expr *k = e->kids[0];
        while (k->kind == EX_CALL && k->nkids == 1)
            k = k->kids[0]; /* float(ConnectionCount) */
        int col = k->kind == EX_FIELD ? k->slot - p->nkeys : -1;
        if (col >= 0 && col < p->naggs && p->aggs[col].fn == AGG_COUNT)
            return p->aggs[col].name;
    }
    return NULL;
}

/* A filter `time > now() - N`: N in ms (and the slot), or 0. */
static int64_t lookback_filter(const plan *p, int *slot)
{
    for (int s = 0; s < p->nsteps; s++) {
        const expr *e = p->steps[s].e;
        if (p->steps[s].slot != STEP_FILTER || e->kind != EX_CMP ||
            (e->op != CMP_GT && e->op != CMP_GE))
            continue;
        const expr *t = e->kids[0], *d = e->kids[1];
        if (t->kind != EX_FIELD || view_slot_canon(p, t->slot) != MC_C_TIME)
            continue;
        if (d->kind == EX_ARITH && d->op == AR_SUB && d->kids[0]->kind == EX_NOW &&
            d->kids[1]->kind == EX_LIT && d->kids[1]->lit.type == MC_INT) {
            *slot = t->slot;
            return d->kids[1]->lit.u.i;
        }
    }
    return 0;
}

void lint_aql_window(lint_ctx *c)
{
    const plan *p = c->p;
    const char *count = is_aql(c) && p->has_agg ? count_threshold(p) : NULL;
    if (!count)
        return;
    int slot = -1;
    int64_t ms = p->window_ms > 0 ? p->window_ms : lookback_filter(p, &slot);
    if (ms <= QRADAR_WINDOW_MS)
        return;
    char span[40];
    duration_text(ms, span, sizeof span);
    long at = slot >= 0 ? loc_field(c->src, "aql", walk_name(p, slot))
                        : loc_find(c->src, 0, "LAST", LOC_WORD | LOC_NOCASE);
    char fix[200], last[40];
    snprintf(last, sizeof last, "%s", span);
    for (char *ch = last; *ch; ch++)
        *ch = (char)toupper((unsigned char)*ch);
    snprintf(fix, sizeof fix, "run it as a scheduled search (LAST %s), or build a custom rule "
             "whose test counts over %s", last, span);
    lint_add(c, "aql-rule-window", at, fix,
             "the query counts %s over %s with a threshold, but a QRadar rule evaluates over "
             "its own window, 5 minutes by default: deployed as a rule, the threshold on %s "
             "counts per 5 minutes%s", count, span, count,
             slot >= 0 ? " (and as a search without LAST or START it reads only the last 5 "
                         "minutes)" : "");
}
