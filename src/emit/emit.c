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
    {"aql", emit_aql, {"/* ", " */"}},
    {"logscale", emit_logscale, {"// ", ""}},
    {"sigma", emit_sigma, {"# ", ""}},
    {"spl", emit_spl, {"``` ", " ```"}},
    {"kql", emit_kql, {"// ", ""}},
    {"esql", emit_esql, {"// ", ""}},
    {"sql:duckdb", emit_sql_duckdb, {"-- ", ""}},
    {"sql:postgres", emit_sql_postgres, {"-- ", ""}},
    {"sql:clickhouse", emit_sql_clickhouse, {"-- ", ""}},
    {"sql:spark", emit_sql_spark, {"-- ", ""}},
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

int emit_lose(emit_ctx *c, const char *comment, const char *fmt, ...)
{
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (!c->o->allow_loss)
        return emit_refuse(c, "%s", what);
    for (int i = 0; i < c->nlost; i++)
        if (strcmp(c->lost[i], what) == 0)
            return 0; /* said once: two rules of one file lose the same part */
    if (comment && *comment)
        fprintf(c->out, "%s%s%s\n", c->t->comment[0], comment, c->t->comment[1]);
    else if (!comment)
        fprintf(c->out, "%snot carried: %s%s\n", c->t->comment[0], what, c->t->comment[1]);
    if (c->nlost < (int)(sizeof c->lost / sizeof c->lost[0]))
        memcpy(c->lost[c->nlost++], what, sizeof what);
    return 0;
}

void emit_write_lost(emit_ctx *c, int from, const char *before, const char *after)
{
    for (int i = from; i < c->nlost; i++)
        fprintf(c->out, "%s%snot carried: %s%s%s", before, c->t->comment[0], c->lost[i],
                c->t->comment[1], after);
}

const expr *emit_count_test(const plan *p, const expr *e, int *col)
{
    if (e->kind == EX_ISTRUE)
        e = e->kids[0];
    if (e->kind != EX_CMP || e->kids[1]->kind != EX_LIT || e->kids[1]->lit.type != MC_INT)
        return NULL;
    const expr *f = e->kids[0];
    if (f->kind == EX_CALL && f->op == FN_FLOAT)
        f = f->kids[0];
    if (f->kind != EX_FIELD || !emit_count_column(p, f->slot))
        return NULL;
    *col = f->slot;
    return e;
}

int emit_count_column(const plan *p, int col)
{
    int a = col - p->nkeys;
    return p->has_agg && a >= 0 && a < p->naggs &&
           (p->aggs[a].fn == AGG_COUNT || p->aggs[a].fn == AGG_COUNT_DISTINCT);
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
    emit_ctx c = {p, o, target, t, open_memstream(&text, &len), err, errlen, 0, {{0}}, 0};
    if (!c.out)
        xoom(0);
    int rc = t->emit(&c);
    fclose(c.out);
    if (rc == 0 && !c.refused)
        fwrite(text, 1, len, out);
    for (int i = 0; rc == 0 && !c.refused && o->lost && i < c.nlost; i++)
        o->lost(c.lost[i], o->lost_arg);
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

/* `not (k1 is null or ...)`, as the Sigma front end requires its group-by. */
static int none_null(const plan *p, const expr *e)
{
    if (e->kind != EX_NOT || e->kids[0]->kind != EX_OR || e->kids[0]->nkids != p->nkeys)
        return 0;
    for (int k = 0; k < p->nkeys; k++) {
        const expr *m = e->kids[0]->kids[k];
        expr not_m = {.kind = EX_NOT, .nkids = 1, .kids = (expr **)&m};
        if (!is_not_null_of(&not_m, p->keys[k]))
            return 0;
    }
    return 1;
}

int emit_is_groupby_null_filter(const plan *p, int s)
{
    const plan_step *st = &p->steps[s];
    if (!p->has_agg || st->slot != STEP_FILTER)
        return 0;
    for (int k = s + 1; k < p->nsteps; k++)
        if (p->steps[k].slot != STEP_NOTE)
            return 0; /* only the aggregate may follow it */
    if (none_null(p, st->e))
        return 1;
    if (p->nkeys == 1) /* one key: its test alone, no AND */
        return is_not_null_of(st->e, p->keys[0]);
    if (st->e->kind != EX_AND || st->e->nkids != p->nkeys)
        return 0;
    for (int k = 0; k < p->nkeys; k++)
        if (!is_not_null_of(st->e->kids[k], p->keys[k]))
            return 0;
    return 1;
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

/* Never NULL: a non-NULL literal, or a case with an else all of whose
 * values are (AQL's CASE ... ELSE 'Unknown' END). */
static int never_null(const expr *e)
{
    if (e->kind == EX_LIT)
        return e->lit.type != MC_NULL;
    if (e->kind != EX_CASE || e->nkids % 2 == 0)
        return 0;
    for (unsigned k = 1; k < e->nkids; k += 2)
        if (!never_null(e->kids[k]))
            return 0;
    return never_null(e->kids[e->nkids - 1]);
}

/* v is the field `slot`, or a function of it that is NULL when it is
 * (every plan function but concat()). */
static int strict_of(const expr *v, int slot)
{
    if (v->kind == EX_FIELD)
        return v->slot == slot;
    return v->kind == EX_CALL && v->op != FN_CONCAT && v->nkids && strict_of(v->kids[0], slot);
}

/* Whether `e` being TRUE (neg: FALSE) implies the field `slot` is present:
 * a test on it is NULL when it is missing, so it is neither TRUE nor FALSE;
 * `istrue(x)` is FALSE on NULL too, so only its TRUE side counts. */
static int keeps_present(const expr *e, int slot, int neg)
{
    switch (e->kind) {
    case EX_AND:
    case EX_OR: {
        int conj = (e->kind == EX_AND) != neg, all = 1;
        for (unsigned i = 0; i < e->nkids; i++) {
            int k = keeps_present(e->kids[i], slot, neg);
            if (conj && k)
                return 1;
            all = all && k;
        }
        return !conj && e->nkids && all;
    }
    case EX_NOT:    return keeps_present(e->kids[0], slot, !neg);
    case EX_ISTRUE: return !neg && keeps_present(e->kids[0], slot, 0);
    case EX_ISNULL: return neg && strict_of(e->kids[0], slot);
    case EX_CMP:    return strict_of(e->kids[0], slot) || strict_of(e->kids[1], slot);
    case EX_IN:
    case EX_REGEX:
    case EX_CIDR:   return strict_of(e->kids[0], slot);
    default:        return 0;
    }
}

int emit_key_present(const plan *p, int k)
{
    if (p->keys[k]->kind != EX_FIELD)
        return never_null(p->keys[k]);
    for (int s = 0; s < p->nsteps; s++)
        if (p->steps[s].slot == STEP_FILTER && keeps_present(p->steps[s].e, p->keys[k]->slot, 0))
            return 1;
    return 0;
}
