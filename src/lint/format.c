/* format: format-lacks-field — with --format-of NAME, the fields the rule
 * reads that the view maps to nothing on that input format's source
 * family. The view table (src/view/) is the one authority: the lint binds
 * the plan for the family as a run would (view_bind) and reports each
 * field bound to MC_FIELD_NULL, so AQL's qid or magnitude on Falcon input.
 * A field the view maps to a canonical field that a format does not record
 * on some events (a firewall has no process) is not reported: decoders do
 * not declare that, and the run's `lacks` column and notes say it. */
#include <stdio.h>
#include <string.h>

#include "lint/locate.h"
#include "lint/walk.h"
#include "view/view.h"

static int derived(const view_binding *b, int slot)
{
    for (int i = 0; i < b->nderived; i++)
        if (b->derived[i].slot == slot)
            return 1;
    return 0;
}

void lint_format(lint_ctx *c)
{
    if (!c->family)
        return;
    const plan *p = c->p;
    input_settings none;
    memset(&none, 0, sizeof none); /* binding only points at its networks */
    view_binding b;
    char err[200];
    if (view_bind(&b, p, c->family, &none, err, sizeof err))
        return;
    for (int i = 0; i < p->nfields; i++) {
        if (b.req[i].canon != MC_FIELD_NULL || derived(&b, i) ||
            strcmp(p->fields[i].name, PLAN_RAW_FIELD) == 0)
            continue;
        const char *name = walk_name(p, i);
        lint_add(c, "format-lacks-field", loc_field(c->src, p->lang, name),
                 "use input whose records carry it, map a column to it (--map on CSV or JSON "
                 "lines), or drop what reads it",
                 "%s has no mapping for %s input (%s family): it is missing on every event, "
                 "so tests on it fail and groups on it are NULL", name, c->format, c->family);
    }
}
