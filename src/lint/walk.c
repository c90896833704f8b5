/* walk: visiting the plan's expressions for the checks (walk.h). */
#include "lint/walk.h"

#include <string.h>

#include "view/view.h"

static void visit(lint_ctx *c, const expr *e, int negated, int step, walk_fn *fn)
{
    if (!e)
        return;
    fn(c, e, negated, step);
    int under = negated ^ (e->kind == EX_NOT);
    for (int i = 0; i < e->nkids; i++)
        visit(c, e->kids[i], under, step, fn);
}

void walk_steps(lint_ctx *c, walk_fn *fn)
{
    for (int s = 0; s < c->p->nsteps; s++)
        if (c->p->steps[s].slot != STEP_NOTE)
            visit(c, c->p->steps[s].e, 0, s, fn);
}

const expr *walk_subject(const expr *e, int *text, int *base)
{
    while (e && e->kind == EX_CALL && e->nkids == 1 &&
           (e->op == FN_STR || e->op == FN_LOWER || e->op == FN_UPPER || e->op == FN_BASENAME)) {
        if (text && e->op != FN_BASENAME)
            *text = 1;
        if (base && e->op == FN_BASENAME)
            *base = 1;
        e = e->kids[0];
    }
    return e;
}

int walk_field(const expr *e)
{
    e = walk_subject(e, NULL, NULL);
    return e && e->kind == EX_FIELD ? e->slot : -1;
}


const char *walk_name(const plan *p, int slot)
{
    return slot >= 0 && slot < p->nslots && p->slot_name[slot] ? p->slot_name[slot] : "?";
}

/* A test of the field itself: comparisons, lists, regexes, networks. */
static int tests_field(const expr *e, int slot)
{
    switch (e->kind) {
    case EX_CMP: case EX_IN: case EX_REGEX: case EX_CIDR:
        return e->nkids > 0 && walk_field(e->kids[0]) == slot;
    default:
        return 0;
    }
}

int walk_requires(const expr *e, int slot)
{
    if (!e)
        return 0;
    if (e->kind == EX_ISTRUE)
        return walk_requires(e->kids[0], slot);
    if (e->kind == EX_AND) {
        for (int i = 0; i < e->nkids; i++)
            if (walk_requires(e->kids[i], slot))
                return 1;
        return 0;
    }
    if (e->kind == EX_OR) {
        for (int i = 0; i < e->nkids; i++)
            if (!walk_requires(e->kids[i], slot))
                return 0;
        return e->nkids > 0;
    }
    return tests_field(e, slot);
}

int walk_required_before(const plan *p, int step, int slot)
{
    for (int s = 0; s < step && s < p->nsteps; s++)
        if (p->steps[s].slot == STEP_FILTER && walk_requires(p->steps[s].e, slot))
            return 1;
    return 0;
}

int walk_texts(const expr *e, int from, const char **out, int max)
{
    int n = 0;
    for (int i = from; i < e->nkids && n < max; i++) {
        const expr *k = e->kids[i];
        if (k->kind == EX_LIT && k->lit.type == MC_STR)
            out[n++] = k->lit.u.s;
    }
    return n;
}
