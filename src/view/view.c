/* view: binding a plan's fields to one input format (see view.h). */
#include "view/view_lang.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const view_lang *const langs[] = {&view_logscale, &view_aql, &view_sigma};

static const view_lang *lang_of(const char *lang)
{
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++)
        if (lang && strcmp(langs[i]->lang, lang) == 0)
            return langs[i];
    return NULL;
}

static const view_entry *entry_of(const view_lang *l, const char *name)
{
    for (int i = 0; l && i < l->nentries; i++)
        if ((l->ignore_case ? strcasecmp : strcmp)(l->entry[i].name, name) == 0)
            return &l->entry[i];
    return NULL;
}

int view_known(const char *lang, const char *name)
{
    return entry_of(lang_of(lang), name) != NULL;
}

int view_slot_canon(const plan *p, int slot)
{
    if (slot < 0 || slot >= p->nfields)
        return -1;
    if (p->fields[slot].canon >= 0)
        return p->fields[slot].canon;
    return view_field_canon(p->lang, p->fields[slot].name);
}

int view_field_canon(const char *lang, const char *name)
{
    const view_entry *e = entry_of(lang_of(lang), name);
    return e && !e->fn ? e->canon : -1;
}

const char *view_name_of(const char *lang, int canon)
{
    const view_lang *l = lang_of(lang);
    for (int i = 0; l && canon >= 0 && i < l->nentries; i++)
        if (l->entry[i].canon == canon && !l->entry[i].fn)
            return l->entry[i].name;
    return NULL;
}

int view_column_canon(const plan *p, int col)
{
    if (p->nproj) {
        if (col < 0 || col >= p->nproj)
            return -1;
        col = p->proj[col];
    }
    int slot = -1;
    if (p->has_agg && col >= 0 && col < p->nkeys && p->keys[col]->kind == EX_FIELD)
        slot = p->keys[col]->slot;
    else if (!p->has_agg && col >= 0 && col < p->nfields)
        slot = col;
    if (slot < 0 || slot >= p->nfields)
        return -1;
    const mc_field_req *f = &p->fields[slot];
    if (f->canon >= 0)
        return f->canon;
    const view_entry *e = entry_of(lang_of(p->lang), f->name);
    return e ? e->canon : -1;
}

/* The slot the decoder fills with canonical field `canon`, appending one
 * when no field of the plan asks for it already; -1 when full. */
static int canon_slot(view_binding *b, int canon)
{
    for (int i = 0; i < b->nreq; i++)
        if (b->req[i].canon == canon)
            return i;
    if (b->nreq == PLAN_FIRST_EVAL)
        return -1;
    b->req[b->nreq].name = mc_canon_name(canon);
    b->req[b->nreq].canon = canon;
    return b->nreq++;
}

static int add_derived(view_binding *b, int slot, const view_entry *e)
{
    view_derived *d = &b->derived[b->nderived++];
    d->slot = slot;
    d->fn = e->fn;
    for (int a = 0; a < VIEW_MAX_ARGS; a++) {
        d->arg[a] = e->args[a] >= 0 ? canon_slot(b, e->args[a]) : -1;
        if (e->args[a] >= 0 && d->arg[a] < 0)
            return -1;
    }
    b->req[slot].canon = MC_FIELD_NULL; /* view_apply fills it */
    return 0;
}

/* One field of the language, by its view entry (or none). */
static int resolve(view_binding *b, int slot, const view_lang *l, const char *family)
{
    mc_field_req *r = &b->req[slot];
    const view_entry *e = entry_of(l, r->name);
    if (!l || (strcmp(l->home, family) == 0 && !(e && e->canonical_at_home))) {
        r->name = e && e->native ? e->native : r->name;
        r->canon = MC_FIELD_NATIVE;
        return 0;
    }
    if (!e) {
        r->canon = l->unknown_elsewhere;
        return 0;
    }
    if (e->fn)
        return add_derived(b, slot, e);
    r->canon = e->canon >= 0 ? e->canon : MC_FIELD_NULL;
    return 0;
}

int view_bind(view_binding *b, const plan *p, const char *family, const input_settings *s,
              char *err, size_t errlen)
{
    const view_lang *l = lang_of(p->lang);
    b->nreq = p->nfields;
    b->nderived = 0;
    b->local = &s->local;
    memcpy(b->req, p->fields, (size_t)p->nfields * sizeof *b->req);
    for (int i = 0; i < p->nfields; i++) {
        if (b->req[i].canon >= 0)
            continue;
        if (resolve(b, i, l, family)) {
            snprintf(err, errlen, "too many fields for %s input (at most %d with the values "
                                  "they are derived from)", family, PLAN_FIRST_EVAL);
            return -1;
        }
    }
    return 0;
}
