/* groups: groupby-drops-missing — an aggregate that does not count events
 * lacking one of its keys. LogScale's groupBy() and Sigma's correlation
 * group-by drop such events (logscale.md §5, sigma.md §5); their front ends
 * state it in the plan as a filter `not (k1 is null or k2 is null ...)`
 * just before the aggregate. AQL groups a NULL key and the hunt keeps it,
 * so their plans have no such filter and get no warning.
 *
 * A key cannot be missing, and is left out of the message, when an earlier
 * filter already requires it (the seed's in(RemotePort, ...)) or it is
 * computed by a case with a default branch (the seed's Protocol). */
#include <stdio.h>
#include <string.h>

#include "lint/locate.h"
#include "lint/walk.h"

/* isnull(field) -> the slot, or -1. */
static int isnull_of(const expr *e)
{
    return e->kind == EX_ISNULL && e->nkids == 1 ? walk_field(e->kids[0]) : -1;
}

/* The fields a presence filter requires: not isnull(a) [and not isnull(b)
 * ...] or not (isnull(a) or isnull(b) ...). 0 when e is not one. */
static int presence_fields(const expr *e, int *slots, int max)
{
    const expr *list = e;
    int each_negated = e->kind == EX_AND;
    if (e->kind == EX_NOT && e->kids[0]->kind == EX_OR)
        list = e->kids[0];
    else if (e->kind == EX_NOT)
        return (slots[0] = isnull_of(e->kids[0])) >= 0;
    else if (!each_negated)
        return 0;
    int n = 0;
    for (int i = 0; i < list->nkids && n < max; i++) {
        const expr *k = list->kids[i];
        if (each_negated && k->kind != EX_NOT)
            return 0;
        if ((slots[n] = isnull_of(each_negated ? k->kids[0] : k)) < 0)
            return 0;
        n++;
    }
    return n;
}

static int is_key(const plan *p, int slot)
{
    for (int k = 0; k < p->nkeys; k++)
        if (p->keys[k]->kind == EX_FIELD && p->keys[k]->slot == slot)
            return 1;
    return 0;
}

/* An eval whose value is never NULL: a case with a default branch. */
static int always_set(const plan *p, int slot)
{
    for (int s = 0; s < p->nsteps; s++)
        if (p->steps[s].slot == slot)
            return p->steps[s].e->kind == EX_CASE && p->steps[s].e->nkids % 2 == 1;
    return 0;
}

/* Whether the front end noted that raw Falcon data lacks this key on the
 * event (its note names what supplies it). */
static int from_other_records(const plan *p, int slot)
{
    for (int s = 0; s < p->nsteps; s++) {
        const plan_step *st = &p->steps[s];
        if (st->slot == STEP_NOTE && isnull_of(st->e) == slot &&
            strstr(p->note[st->note].msg, "raw Falcon"))
            return 1;
    }
    return 0;
}

static void append(char *buf, size_t len, const char *name)
{
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
}

static void warn(lint_ctx *c, const char *keys, const char *falcon)
{
    int sigma = strcmp(c->p->lang, "sigma") == 0;
    char msg_extra[300] = "", fix[400];
    if (*falcon)
        snprintf(msg_extra, sizeof msg_extra, " (raw Falcon network events, without "
                 "enrichment, lack %s)", falcon);
    if (sigma)
        snprintf(fix, sizeof fix, "Sigma has no default value: leave fields a source may lack "
                 "out of group-by, or have the backend's pipeline fill them");
    else
        snprintf(fix, sizeof fix, "add | default(field=[%s], value=\"-\") before groupBy(), or "
                 "query enriched events (LogScale's joined view; mailc2 joins raw FDR unless "
                 "--no-enrich)", keys);
    long at = loc_find(c->src, 0, sigma ? "group-by" : "groupBy", LOC_WORD | LOC_NOCASE);
    lint_add(c, "groupby-drops-missing", at, fix,
             "%s does not count an event that lacks any of its keys, and says nothing: %s may "
             "be missing%s", sigma ? "the correlation's group-by" : "groupBy()", keys, msg_extra);
}

void lint_group_keys(lint_ctx *c)
{
    const plan *p = c->p;
    for (int s = 0; s < p->nsteps && p->has_agg; s++) {
        int slots[PLAN_MAX_COLS];
        int n = p->steps[s].slot == STEP_FILTER
                    ? presence_fields(p->steps[s].e, slots, PLAN_MAX_COLS) : 0;
        char keys[400] = "", falcon[200] = "";
        for (int i = 0; i < n; i++) {
            int k = slots[i];
            if (!is_key(p, k) || walk_required_before(p, s, k) || always_set(p, k))
                continue;
            append(keys, sizeof keys, walk_name(p, k));
            if (from_other_records(p, k))
                append(falcon, sizeof falcon, walk_name(p, k));
        }
        if (*keys)
            warn(c, keys, falcon);
    }
}
