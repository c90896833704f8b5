/* ports: port-as-text — a port compared as text rather than as a number.
 * The plan shows it: the port field is made text (str(), lower()), matched
 * by a regex, or compared with string literals. LogScale's in() and `=`
 * compare strings (logscale.md §3: `25` does not match `025` or `25.0`),
 * Sigma compares every value as a case-insensitive string (sigma.md §3),
 * and AQL's quoted '25' is only converted while the column is numeric
 * (aql.md §3). A numeric literal against the port, as the AQL seed and the
 * hunt write it, gets no warning. One warning per port field. */
#include <stdio.h>
#include <string.h>

#include "input/event.h"
#include "lint/locate.h"
#include "lint/walk.h"

static int port_slot(const plan *p, const expr *subject)
{
    int slot = walk_field(subject);
    int canon = view_slot_canon(p, slot);
    return canon == MC_C_DST_PORT || canon == MC_C_SRC_PORT ? slot : -1;
}

static int as_text(const expr *e)
{
    int text = 0;
    walk_subject(e->kids[0], &text, NULL);
    const char *lit;
    return text || e->kind == EX_REGEX || walk_texts(e, 1, &lit, 1) > 0;
}

static void port_fix(const char *lang, const char *name, char *fix, size_t len)
{
    if (strcmp(lang, "logscale") == 0)
        snprintf(fix, len, "compare numerically: test(%s == 25 or %s == 587 ...), or "
                 "%s >= 25 %s <= 25 for one port", name, name, name, name);
    else if (strcmp(lang, "sigma") == 0)
        snprintf(fix, len, "Sigma compares values as text: have the backend's pipeline keep "
                 "%s a plain integer, or use the numeric modifiers (%s|gte, %s|lte)", name,
                 name, name);
    else
        snprintf(fix, len, "write the ports as numbers, unquoted: %s IN (25, 465, 587)", name);
}

static void port_node(lint_ctx *c, const expr *e, int negated, int step)
{
    (void)negated, (void)step;
    if (e->kind != EX_CMP && e->kind != EX_IN && e->kind != EX_REGEX)
        return;
    int slot = e->nkids ? port_slot(c->p, e->kids[0]) : -1;
    if (slot < 0 || !as_text(e))
        return;
    const char *name = walk_name(c->p, slot);
    char fix[400];
    port_fix(c->p->lang, name, fix, sizeof fix);
    lint_add(c, "port-as-text", loc_field(c->src, c->p->lang, name), fix,
             "%s is compared as text, not as a number: a port written 025, 25.0 or with spaces "
             "does not match", name);
}

void lint_ports(lint_ctx *c)
{
    walk_steps(c, port_node);
}
