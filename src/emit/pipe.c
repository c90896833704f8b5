/* pipe: the expression writer SPL, KQL and ES|QL share (pipe.h), with
 * the two-valued rewriting of the plan's NULL logic it describes. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "emit/pipe.h"

#include <inttypes.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

static int cond(pipe_q *q, const expr *e, int neg, int strict);

const char *pipe_ref_name(pipe_q *q, const expr *f)
{
    return q->post ? plan_column_name(q->c->p, f->slot) : q->c->p->slot_name[f->slot];
}

void pipe_now(pipe_q *q)
{
    if (q->c->o->has_now)
        fprintf(q->c->out, "%" PRId64, q->c->o->now_ms);
    else
        q->d->now_ms(q);
}

void pipe_window(pipe_q *q)
{
    const plan *p = q->c->p;
    if (p->time_slot < 0 || p->window_ms <= 0)
        return;
    FILE *o = q->c->out;
    fputs(q->d->where, o);
    q->d->name(o, p->slot_name[p->time_slot]);
    fputs(" > ", o);
    pipe_now(q);
    fprintf(o, " - %" PRId64 "%s", p->window_ms, q->d->and_);
    q->d->name(o, p->slot_name[p->time_slot]);
    fputs(" <= ", o);
    pipe_now(q);
    fputc('\n', o);
}

int pipe_steps(pipe_q *q)
{
    const plan *p = q->c->p;
    FILE *o = q->c->out;
    for (int s = 0; s < p->nsteps && !q->c->refused; s++) {
        const plan_step *st = &p->steps[s];
        if (st->slot == STEP_NOTE)
            continue;
        if (st->slot == STEP_FILTER) {
            fputs(q->d->where, o);
            pipe_cond(q, st->e);
        } else {
            fputs(q->d->eval, o);
            q->d->name(o, p->slot_name[st->slot]);
            fputs(q->d->assign, o);
            pipe_value(q, st->e);
        }
        fputc('\n', o);
    }
    return q->c->refused ? -1 : 0;
}

int pipe_cidr_regex(pipe_q *q, const expr *e)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        xoom(0);
    int rc = emit_cidr_regex(q->c, e, m);
    fclose(m);
    if (rc == 0)
        q->d->regex(q, e->kids[0], text, 0, 0);
    free(text);
    return q->c->refused ? -1 : 0;
}

static void literal(pipe_q *q, const mc_value *v)
{
    if (v->type == MC_STR || v->type == MC_IP)
        q->d->string(q->c->out, v->u.s, v->len);
    else if (v->type == MC_INT || v->type == MC_TS)
        fprintf(q->c->out, "%" PRId64, v->u.i);
    else
        emit_refuse(q->c, "a %s literal", v->type == MC_NULL ? "NULL" : "non-text, non-integer");
}

static int list(pipe_q *q, const expr *e, unsigned from, int (*each)(pipe_q *, const expr *))
{
    for (unsigned k = from; k < e->nkids && !q->c->refused; k++) {
        fputs(k > from ? ", " : "", q->c->out);
        each(q, e->kids[k]);
    }
    return q->c->refused ? -1 : 0;
}

static int plain_cond(pipe_q *q, const expr *e)
{
    return cond(q, e, 0, 0);
}

/* Every result of the case is a text literal. */
static int text_results(const expr *e)
{
    for (unsigned k = 1; k < e->nkids; k += 2)
        if (e->kids[k]->kind != EX_LIT || e->kids[k]->lit.type != MC_STR)
            return 0;
    return 1;
}

static int case_value(pipe_q *q, const expr *e)
{
    FILE *o = q->c->out;
    unsigned k = 0;
    int no_else = e->nkids % 2 == 0;
    if (q->d->case_needs_else && no_else && !text_results(e))
        return emit_refuse(q->c, "a case without an else whose values are not text (its "
                                 "case() needs an else)");
    fprintf(o, "%s(", q->d->case_fn);
    for (; k + 1 < e->nkids; k += 2) {
        fputs(k ? ", " : "", o);
        plain_cond(q, e->kids[k]);
        fputs(", ", o);
        pipe_value(q, e->kids[k + 1]);
    }
    if (k < e->nkids) {
        fprintf(o, ", %s%s", q->d->case_else ? q->d->case_else : "", q->d->case_else ? ", " : "");
        pipe_value(q, e->kids[k]);
    } else if (q->d->case_needs_else) {
        fputs(", \"\"", o);
    }
    fputc(')', o);
    return q->c->refused ? -1 : 0;
}

/* A dialect's form (pipe_dialect.to_int) with {x} standing for x's value. */
static int templated(pipe_q *q, const char *form, const expr *x)
{
    for (const char *at; (at = strstr(form, "{x}")); form = at + 3) {
        fwrite(form, 1, (size_t)(at - form), q->c->out);
        pipe_value(q, x);
    }
    fputs(form, q->c->out);
    return q->c->refused ? -1 : 0;
}

static int call_value(pipe_q *q, const expr *e)
{
    static const char *const plan_fn[] = {"lower", "upper", "basename", "int", "float", "str",
                                          "concat", "strlen", "substring", "dateformat"};
    const char *fn = q->d->fn[e->op];
    if (e->op == FN_INT && q->d->to_int)
        return templated(q, q->d->to_int, e->kids[0]);
    if (!fn)
        return emit_refuse(q->c, "%s()", plan_fn[e->op]);
    fprintf(q->c->out, "%s(", fn);
    list(q, e, 0, pipe_value);
    fputc(')', q->c->out);
    return q->c->refused ? -1 : 0;
}

int pipe_value(pipe_q *q, const expr *e)
{
    static const char *const arith[] = {" + ", " - ", " * ", NULL};
    FILE *o = q->c->out;
    switch (e->kind) {
    case EX_LIT:   literal(q, &e->lit); break;
    case EX_FIELD: q->d->name(o, pipe_ref_name(q, e)); break;
    case EX_NOW:   pipe_now(q); break;
    case EX_CALL:  return call_value(q, e);
    case EX_CASE:  return case_value(q, e);
    case EX_ARITH:
        if (!arith[e->op])
            return emit_refuse(q->c, "division (integer and decimal division differ)");
        fputc('(', o);
        pipe_value(q, e->kids[0]);
        fputs(arith[e->op], o);
        pipe_value(q, e->kids[1]);
        fputc(')', o);
        break;
    default:
        return emit_refuse(q->c, "a condition used as a value");
    }
    return q->c->refused ? -1 : 0;
}

static int in_list(pipe_q *q, const expr *e)
{
    FILE *o = q->c->out;
    if (q->d->in_function) {
        fputs("in(", o);
        return list(q, e, 0, pipe_value) || (fputc(')', o), 0);
    }
    pipe_value(q, e->kids[0]);
    fputs(q->d->in_op, o);
    list(q, e, 1, pipe_value);
    fputc(')', o);
    return q->c->refused ? -1 : 0;
}

static int regex(pipe_q *q, const expr *e)
{
    int caseless;
    const char *pattern = emit_regex_caseless(e, &caseless);
    uint32_t flags = e->re_flags & ~(uint32_t)PCRE2_CASELESS;
    if (flags & ~(uint32_t)(PCRE2_MULTILINE | PCRE2_DOTALL))
        return emit_refuse(q->c, "a regex option beyond i, m and s");
    if (emit_regex_portable(q->c, pattern))
        return -1;
    return q->d->regex(q, e->kids[0], pattern, caseless, flags);
}

/* One test, which is NULL exactly when an operand is. */
static int test(pipe_q *q, const expr *e)
{
    switch (e->kind) {
    case EX_CMP:
        pipe_value(q, e->kids[0]);
        fputs(q->d->cmp[e->op], q->c->out);
        return pipe_value(q, e->kids[1]);
    case EX_IN:    return in_list(q, e);
    case EX_REGEX: return regex(q, e);
    case EX_CIDR:  return q->d->cidr(q, e);
    default:
        return emit_refuse(q->c, "this condition");
    }
}

/* The test's operands that are not literals are present: then the test
 * is TRUE or FALSE, never NULL. Returns how many were written. */
static int present(pipe_q *q, const expr *e)
{
    int n = 0;
    unsigned last = e->kind == EX_CMP ? 2 : 1;
    for (unsigned k = 0; k < last && k < e->nkids; k++) {
        if (e->kids[k]->kind == EX_LIT || e->kids[k]->kind == EX_NOW)
            continue;
        fprintf(q->c->out, "%s%s", n++ ? q->d->and_ : "", q->d->notnull[0]);
        pipe_value(q, e->kids[k]);
        fputs(q->d->notnull[1], q->c->out);
    }
    return n;
}

/* A test: TRUE (neg = 0) or FALSE (neg = 1); strict: never NULL. */
static int test_cond(pipe_q *q, const expr *e, int neg, int strict)
{
    FILE *o = q->c->out;
    if (!neg && !strict)
        return test(q, e);
    fputc('(', o);
    if (present(q, e))
        fputs(q->d->and_, o);
    fprintf(o, "%s", neg ? q->d->not_ : "");
    fputs(neg ? "(" : "", o);
    test(q, e);
    fputs(neg ? "))" : ")", o);
    return q->c->refused ? -1 : 0;
}

static int logic(pipe_q *q, const expr *e, int neg, int strict)
{
    int and_ = (e->kind == EX_AND) != neg;
    fputc('(', q->c->out);
    for (unsigned k = 0; k < e->nkids && !q->c->refused; k++) {
        fputs(k ? (and_ ? q->d->and_ : q->d->or_) : "", q->c->out);
        cond(q, e->kids[k], neg, strict);
    }
    fputc(')', q->c->out);
    return q->c->refused ? -1 : 0;
}

static int cond(pipe_q *q, const expr *e, int neg, int strict)
{
    FILE *o = q->c->out;
    switch (e->kind) {
    case EX_AND:
    case EX_OR:
        return logic(q, e, neg, strict);
    case EX_NOT:
        return cond(q, e->kids[0], !neg, strict);
    case EX_ISTRUE:
        if (!neg)
            return cond(q, e->kids[0], 0, strict);
        fprintf(o, "%s(", q->d->not_);
        cond(q, e->kids[0], 0, 1);
        fputc(')', o);
        return q->c->refused ? -1 : 0;
    case EX_ISNULL:
        fputs(neg ? q->d->notnull[0] : q->d->isnull[0], o);
        pipe_value(q, e->kids[0]);
        fputs(neg ? q->d->notnull[1] : q->d->isnull[1], o);
        return q->c->refused ? -1 : 0;
    default:
        return test_cond(q, e, neg, strict);
    }
}

int pipe_cond(pipe_q *q, const expr *e)
{
    return cond(q, e, 0, 0);
}

/* A count, sum or average: never an address, so AQL's address order is
 * not in play when sorting by it. */
static int numeric_column(const plan *p, int col)
{
    int a = col - p->nkeys;
    if (!p->has_agg || a < 0 || a >= p->naggs)
        return 0;
    int fn = p->aggs[a].fn;
    return fn == AGG_COUNT || fn == AGG_COUNT_DISTINCT || fn == AGG_SUM || fn == AGG_AVG;
}

int pipe_check(pipe_q *q)
{
    const plan *p = q->c->p;
    if (p->nspreads)
        return emit_refuse(q->c, "the count across groups '%s'", plan_column_name(p, p->spread[0].col));
    for (int k = 0; k < p->npost; k++)
        if (p->post[k].slot >= 0)
            return emit_refuse(q->c, "a value computed after the aggregate");
    for (int a = 0; a < p->naggs; a++) {
        const plan_agg *g = &p->aggs[a];
        if (g->fn == AGG_FIRST || g->fn == AGG_TIMES)
            return emit_refuse(q->c, "the aggregate '%s'", g->name);
    }
    for (int k = 0; (p->collate & COLLATE_IP_ADDRESS) && k < p->nsort; k++)
        if (!numeric_column(p, p->sort[k].col))
            return emit_refuse(q->c, "AQL's address order in a sort");
    return 0;
}

const char *pipe_key_name(const plan *p, int k)
{
    return p->keys[k]->kind == EX_FIELD ? p->slot_name[p->keys[k]->slot] : p->col_name[k];
}

/* Whether an eval stage naming `name` would overwrite a field the plan reads. */
static int names_a_slot(const plan *p, const char *name)
{
    for (int s = 0; s < p->nslots; s++)
        if (p->slot_name[s] && strcmp(p->slot_name[s], name) == 0)
            return 1;
    return 0;
}

const char *pipe_agg_arg_name(const plan *p, int a)
{
    const expr *arg = p->aggs[a].arg;
    return arg->kind == EX_FIELD ? p->slot_name[arg->slot] : p->aggs[a].name;
}

/* An eval stage defining `name` as `e`, unless that overwrites a field. */
static int eval_stage(pipe_q *q, const char *name, const expr *e)
{
    FILE *o = q->c->out;
    if (names_a_slot(q->c->p, name))
        return emit_refuse(q->c, "the computed group key or aggregate input '%s', named as a "
                                 "field it would overwrite", name);
    fputs(q->d->eval, o);
    q->d->name(o, name);
    fputs(q->d->assign, o);
    pipe_value(q, e);
    fputc('\n', o);
    return q->c->refused ? -1 : 0;
}

int pipe_key_evals(pipe_q *q)
{
    const plan *p = q->c->p;
    for (int k = 0; k < p->nkeys && !q->c->refused; k++)
        if (p->keys[k]->kind != EX_FIELD)
            eval_stage(q, p->col_name[k], p->keys[k]);
    for (int a = 0; a < p->naggs && !q->c->refused; a++)
        if (p->aggs[a].arg && p->aggs[a].arg->kind != EX_FIELD)
            eval_stage(q, p->aggs[a].name, p->aggs[a].arg);
    return q->c->refused ? -1 : 0;
}
