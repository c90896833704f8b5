/* emit: the target registry and what every emitter shares (emit_int.h).
 * emit_plan renders into a memory stream and copies it out only when the
 * whole plan was rendered, so a refusal never leaves half a query behind. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "emit/emit_int.h"
#include "view/view.h"

static const emit_target targets[] = {
    {"aql", emit_aql},
    {"logscale", emit_logscale},
    {"sigma", emit_sigma},
    {"spl", emit_spl},
    {"kql", emit_kql},
    {"esql", emit_esql},
    {"sql:duckdb", emit_sql_duckdb},
    {"sql:postgres", emit_sql_postgres},
    {"sql:clickhouse", emit_sql_clickhouse},
    {"sql:spark", emit_sql_spark},
};

const char *emit_target_name(size_t i)
{
    return i < sizeof targets / sizeof targets[0] ? targets[i].name : NULL;
}

int emit_refuse(emit_ctx *c, const char *fmt, ...)
{
    if (c->refused)
        return -1;
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(c->err, c->errlen, "%s cannot express %s", c->target, what);
    c->refused = 1;
    return -1;
}

static int no_target(const char *target, char *err, size_t errlen)
{
    size_t n = (size_t)snprintf(err, errlen, "unknown target '%s' (one of:", target);
    for (size_t i = 0; emit_target_name(i) && n < errlen; i++)
        n += (size_t)snprintf(err + n, errlen - n, " %s", emit_target_name(i));
    if (n < errlen)
        snprintf(err + n, errlen - n, ")");
    return EMIT_NO_TARGET;
}

int emit_plan(const plan *p, const char *target, const emit_opts *o, FILE *out, char *err,
              size_t errlen)
{
    const emit_target *t = NULL;
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++)
        if (strcmp(targets[i].name, target) == 0)
            t = &targets[i];
    if (!t)
        return no_target(target, err, errlen);
    char *text = NULL;
    size_t len = 0;
    emit_ctx c = {p, o, target, open_memstream(&text, &len), err, errlen, 0};
    if (!c.out)
        xoom(0);
    int rc = t->emit(&c);
    fclose(c.out);
    if (rc == 0 && !c.refused)
        fwrite(text, 1, len, out);
    free(text);
    return rc == 0 && !c.refused ? EMIT_OK : EMIT_REFUSED;
}

const expr *emit_eval_def(const plan *p, int slot)
{
    for (int s = 0; slot >= PLAN_FIRST_EVAL && s < p->nsteps; s++)
        if (p->steps[s].slot == slot)
            return p->steps[s].e;
    return NULL;
}

/* `not f is null` for key k's field. */
static int is_not_null_of(const expr *e, const expr *key)
{
    return e->kind == EX_NOT && e->kids[0]->kind == EX_ISNULL &&
           e->kids[0]->kids[0]->kind == EX_FIELD && key->kind == EX_FIELD &&
           e->kids[0]->kids[0]->slot == key->slot;
}

int emit_is_groupby_null_filter(const plan *p, int s)
{
    const plan_step *st = &p->steps[s];
    if (strcmp(p->lang, "logscale") || !p->has_agg || st->slot != STEP_FILTER ||
        st->e->kind != EX_AND || st->e->nkids != p->nkeys)
        return 0;
    for (int k = s + 1; k < p->nsteps; k++)
        if (p->steps[k].slot != STEP_NOTE)
            return 0; /* only the aggregate may follow it */
    for (int k = 0; k < p->nkeys; k++)
        if (!is_not_null_of(st->e->kids[k], p->keys[k]))
            return 0;
    return 1;
}

int emit_field_canon(const plan *p, int slot)
{
    if (slot < 0 || slot >= p->nfields)
        return -1;
    if (p->fields[slot].canon >= 0)
        return p->fields[slot].canon;
    return view_field_canon(p->lang, p->fields[slot].name);
}

const char *emit_regex_caseless(const expr *re, int *caseless)
{
    *caseless = (re->re_flags & PCRE2_CASELESS) != 0;
    if (strncmp(re->re_src, "(?i)", 4) == 0) {
        *caseless = 1;
        return re->re_src + 4;
    }
    return re->re_src;
}
