/* logscale: the plan as a CrowdStrike LogScale query. LogScale has no
 * NULL: a filter keeps an event or not, and a missing field fails an
 * equality and passes a negated one. So only the plan shapes whose two-
 * valued meaning is explicit in the tree are written — istrue() around a
 * comparison, in() or regex(), and its negation — which is how the LogScale
 * front end states its own rules — and, from SQL's three-valued logic, an
 * equality or IN over text: TRUE where LogScale's test holds, its negation
 * TRUE where the field is present (F=*) and the test fails. Other filters
 * in three-valued logic are refused by name, and so are keys an event may
 * lack (groupBy drops such events). The filter groupBy adds for its keys
 * is left to groupBy, which adds it again when read back. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <inttypes.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "emit/emit_int.h"
#include "util/timeutil.h"
#include "value/value.h"
#include "view/view.h"

/* "| " between stages; the first has none. */
static void stage(emit_ctx *c)
{
    fputs(ftell(c->out) > 0 ? "| " : "", c->out);
}

static const char *field_name(emit_ctx *c, int slot)
{
    const plan *p = c->p;
    const expr *def = emit_eval_def(p, slot);
    if (def || (strcmp(p->lang, "logscale") == 0 && p->fields[slot].canon < 0))
        return p->slot_name[slot];
    const char *name = view_name_of("logscale", view_slot_canon(p, slot));
    if (!name)
        emit_refuse(c, "the field '%s' (LogScale has no name for it)", p->slot_name[slot]);
    return name ? name : "";
}

/* A value: bare when it is a plain word (or quote = 0), else a quoted string. */
static void value_q(emit_ctx *c, const mc_value *v, int quote);

static void value_ls(emit_ctx *c, const mc_value *v)
{
    value_q(c, v, 0);
}

/* A case result is always quoted: a bare word there names a field. */
static void text_ls(emit_ctx *c, const mc_value *v)
{
    value_q(c, v, 1);
}

static void value_q(emit_ctx *c, const mc_value *v, int quote)
{
    char buf[64];
    const char *s = buf;
    size_t n = 0, plain = !quote;
    if (v->type == MC_STR || v->type == MC_IP)
        s = v->u.s, n = v->len;
    else if (v->type == MC_INT)
        n = (size_t)snprintf(buf, sizeof buf, "%" PRId64, v->u.i);
    else
        return (void)emit_refuse(c, "a %s literal", v->type == MC_NULL ? "NULL" : "non-text");
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.'))
            plain = 0;
    fputs(plain && n ? "" : "\"", c->out);
    for (size_t i = 0; i < n; i++)
        fputs(s[i] == '"' || s[i] == '\\' ? (char[3]){'\\', s[i], 0} : (char[2]){s[i], 0}, c->out);
    fputs(plain && n ? "" : "\"", c->out);
}

/* `str(F) = 'v'`: the field and the value, or NULL. */
static const expr *str_eq(const expr *e, const expr **lit)
{
    if (e->kind != EX_CMP || e->op != CMP_EQ || e->kids[1]->kind != EX_LIT)
        return NULL;
    const expr *f = e->kids[0];
    if (f->kind == EX_CALL && f->op == FN_STR)
        f = f->kids[0];
    *lit = e->kids[1];
    return f->kind == EX_FIELD ? f : NULL;
}

/* A text literal LogScale compares as the plan does: not a number (the
 * plan compares a number with a number's text numerically, LogScale as
 * text) and without `*` (its wildcard); lower-case under lower(), which no
 * upper-case letter could equal. */
static int plain_text(const expr *e, int lower)
{
    const mc_value *v = &e->lit;
    if (e->kind != EX_LIT || v->type != MC_STR || memchr(v->u.s, '*', v->len) ||
        value_parse_number(v->u.s, v->len).type != MC_NULL)
        return 0;
    for (uint32_t i = 0; lower && i < v->len; i++)
        if (v->u.s[i] >= 'A' && v->u.s[i] <= 'Z')
            return 0;
    return 1;
}

/* `F IN ('a', ...)` or `lower(F) IN ('a', ...)` over plain_text values:
 * the field, or NULL. */
static const expr *text_in(const expr *e, int *lower)
{
    if (e->kind != EX_IN)
        return NULL;
    const expr *f = e->kids[0];
    *lower = f->kind == EX_CALL && f->op == FN_LOWER;
    if (*lower)
        f = f->kids[0];
    for (unsigned k = 1; k < e->nkids; k++)
        if (!plain_text(e->kids[k], *lower))
            return NULL;
    return f->kind == EX_FIELD ? f : NULL;
}

/* in(field=F, values=[...]) for text_in's test, ignoring case under lower(). */
static int in_ls(emit_ctx *c, const expr *e, const expr *f, int lower)
{
    fprintf(c->out, "in(field=%s, values=[", field_name(c, f->slot));
    for (unsigned k = 1; k < e->nkids; k++) {
        fputs(k > 1 ? ", " : "", c->out);
        text_ls(c, &e->kids[k]->lit);
    }
    fputs(lower ? "], ignoreCase=true)" : "])", c->out);
    return 0;
}

/* istrue(...) of `F=v`, in(field=F, ...) or regex(field=F, ...). */
static int test_ls(emit_ctx *c, const expr *e)
{
    const expr *lit, *f;
    int lower;
    if ((f = text_in(e, &lower)))
        return in_ls(c, e, f, lower);
    if (e->kind == EX_NOT && e->kids[0]->kind == EX_ISNULL && e->kids[0]->kids[0]->kind == EX_FIELD)
        return fprintf(c->out, "%s=*", field_name(c, e->kids[0]->kids[0]->slot)), 0;
    if ((f = str_eq(e, &lit))) {
        fprintf(c->out, "%s=", field_name(c, f->slot));
        value_ls(c, &lit->lit);
        return 0;
    }
    if (e->kind == EX_OR && (f = str_eq(e->kids[0], &lit))) {
        fprintf(c->out, "in(field=%s, values=[", field_name(c, f->slot));
        for (unsigned k = 0; k < e->nkids; k++) {
            const expr *g = str_eq(e->kids[k], &lit);
            if (!g || g->slot != f->slot)
                return emit_refuse(c, "an OR of different tests as one in()");
            fputs(k ? ", " : "", c->out);
            value_ls(c, &lit->lit);
        }
        fputs("])", c->out);
        return 0;
    }
    if (e->kind == EX_REGEX && e->kids[0]->kind == EX_FIELD) {
        fprintf(c->out, "regex(field=%s, regex=\"", field_name(c, e->kids[0]->slot));
        if (e->re_flags & PCRE2_CASELESS)
            fputs("(?i)", c->out);
        for (const char *s = e->re_src; *s; s++)
            fputs(*s == '"' || *s == '\\' ? (char[3]){'\\', *s, 0} : (char[2]){*s, 0}, c->out);
        fputs("\")", c->out);
        return 0;
    }
    return emit_refuse(c, "this test (only field=value, in() and regex() keep their meaning)");
}

/* The field of a three-valued test LogScale states the same way (an
 * equality or IN over plain_text), or NULL. Regexes are left out: a
 * LogScale regex has the m option unless told otherwise. */
static const expr *test_field(const expr *e)
{
    int lower;
    const expr *lit, *f = text_in(e, &lower);
    if (!f && (f = str_eq(e, &lit)) && !plain_text(lit, 0))
        f = NULL;
    return f;
}

/* A filter: istrue(T) or not istrue(T) as LogScale states its own rules;
 * or a test T in SQL's logic: TRUE where LogScale's T holds (a missing
 * field fails it), and NOT T TRUE where the field is present (F=*) and T
 * fails, since NOT of a NULL test keeps nothing. */
static int filter_ls(emit_ctx *c, const expr *e)
{
    int negated = e->kind == EX_NOT;
    if (negated)
        e = e->kids[0];
    if (e->kind == EX_ISNULL && e->kids[0]->kind == EX_FIELD) { /* TRUE or FALSE, never NULL */
        stage(c);
        fprintf(c->out, "%s%s=*", negated ? "" : "!", field_name(c, e->kids[0]->slot));
        return 0;
    }
    const expr *f = e->kind == EX_ISTRUE ? NULL : test_field(e);
    if (e->kind == EX_CMP && !f)
        return emit_refuse(c, "the comparison in a filter (only field=value, in() and regex() "
                              "keep their meaning)");
    if (e->kind != EX_ISTRUE && !f)
        return emit_refuse(c, "a filter in SQL's three-valued logic (LogScale has no NULL)");
    stage(c);
    if (f && negated)
        fprintf(c->out, "%s=*\n| ", field_name(c, f->slot));
    fputs(negated ? "!" : "", c->out);
    return test_ls(c, f ? e : e->kids[0]);
}

static int eval_ls(emit_ctx *c, const plan_step *st)
{
    const expr *e = st->e;
    if (e->kind != EX_CASE)
        return emit_refuse(c, "the computed field '%s' (only a case of tests)",
                           c->p->slot_name[st->slot]);
    stage(c);
    fprintf(c->out, "%s := case {\n", c->p->slot_name[st->slot]);
    unsigned k = 0;
    for (; k + 1 < e->nkids; k += 2) {
        fputs("    ", c->out);
        if (e->kids[k]->kind != EX_ISTRUE)
            return emit_refuse(c, "a case condition in three-valued logic");
        test_ls(c, e->kids[k]->kids[0]);
        fputs(" => ", c->out);
        text_ls(c, &e->kids[k + 1]->lit);
        fputs(";\n", c->out);
    }
    if (k < e->nkids) {
        fputs("    * => ", c->out);
        text_ls(c, &e->kids[k]->lit);
        fputs("\n", c->out);
    }
    fputs("  }\n", c->out);
    return 0;
}

static int groupby_ls(emit_ctx *c)
{
    static const char *const fn[] = {"count", "count", "sum", "min", "max", "avg", NULL};
    const plan *p = c->p;
    if (!emit_keys_present(p))
        return emit_refuse(c, "grouping events that lack a key field (groupBy leaves them out; "
                              "the plan counts them as a group)");
    stage(c);
    fputs("groupBy(\n    [", c->out);
    for (int k = 0; k < p->nkeys; k++) {
        if (p->keys[k]->kind != EX_FIELD)
            return emit_refuse(c, "a group key that is not a field");
        fprintf(c->out, "%s%s", k ? ", " : "", field_name(c, p->keys[k]->slot));
    }
    fputs("],\n    function=[\n", c->out);
    for (int a = 0; a < p->naggs; a++) {
        const plan_agg *g = &p->aggs[a];
        if (!fn[g->fn] || g->fn == AGG_COUNT_DISTINCT || (g->arg && g->arg->kind != EX_FIELD) ||
            ((g->fn == AGG_MIN || g->fn == AGG_MAX) && !g->numeric))
            return emit_refuse(c, "the aggregate '%s'", g->name);
        fprintf(c->out, "      %s(", fn[g->fn]);
        if (g->arg)
            fprintf(c->out, "%s, ", field_name(c, g->arg->slot));
        fprintf(c->out, "as=%s)%s\n", g->name, a + 1 < p->naggs ? "," : "");
    }
    fputs("    ]\n  )\n", c->out);
    return 0;
}

/* The threshold: istrue(float(COL) > n), or a test on a count. */
static int post_ls(emit_ctx *c, const expr *e)
{
    static const char *const cmp[] = {"=", "!=", "<", "<=", ">", ">="};
    /* a test on a count is never NULL: SQL's logic and LogScale's agree */
    int col;
    const expr *t = e->kind == EX_ISTRUE ? e->kids[0] : emit_count_test(c->p, e, &col);
    const expr *f = t && t->kind == EX_CMP ? t->kids[0] : NULL;
    if (f && f->kind == EX_CALL && f->op == FN_FLOAT)
        f = f->kids[0];
    if (!f || f->kind != EX_FIELD || t->kids[1]->kind != EX_LIT)
        return emit_refuse(c, "this filter after groupBy");
    fprintf(c->out, "| %s %s ", plan_column_name(c->p, f->slot), cmp[t->op]);
    value_ls(c, &t->kids[1]->lit);
    fputc('\n', c->out);
    return 0;
}

static int sort_ls(emit_ctx *c)
{
    const plan *p = c->p;
    if (p->nsort > 1 || (p->nsort == 0 && p->limit >= 0))
        return emit_refuse(c, "this sort or limit");
    if (p->nsort == 0)
        return 0;
    fprintf(c->out, "| sort(%s, order=%s", plan_column_name(p, p->sort[0].col),
            p->sort[0].desc ? "desc" : "asc");
    if (p->limit >= 0)
        fprintf(c->out, ", limit=%" PRId64, p->limit);
    fputs(")\n", c->out);
    return 0;
}

/* The window is the search's time range in LogScale, never the query's:
 * with allow_loss a leading comment says what to set on the search. */
static int window_ls(emit_ctx *c)
{
    char dur[32], note[200];
    time_format_duration(c->p->window_ms, dur, sizeof dur);
    snprintf(note, sizeof note, "time range: the last %s — set it on the search (LogScale takes "
                                "the window from the search, not the query)", dur);
    return emit_lose(c, note, "a time window (LogScale takes it from the search, not the query)");
}

static int query_ls(emit_ctx *c)
{
    const plan *p = c->p;
    for (int s = 0; s < p->nsteps && !c->refused; s++) {
        const plan_step *st = &p->steps[s];
        if (st->slot == STEP_NOTE || emit_is_groupby_null_filter(p, s))
            continue;
        if (st->slot == STEP_FILTER ? filter_ls(c, st->e) : eval_ls(c, st))
            return -1;
        if (st->slot == STEP_FILTER)
            fputc('\n', c->out);
    }
    if (!p->has_agg)
        return emit_refuse(c, "a plan without groupBy (an event list)");
    if (groupby_ls(c))
        return -1;
    for (int k = 0; k < p->npost; k++)
        if (p->post[k].slot >= 0 || post_ls(c, p->post[k].e))
            return emit_refuse(c, "a value computed after groupBy");
    return sort_ls(c);
}

/* The query is written apart, so that its first stage, which has no "| ",
 * is first even after the window's comment. */
int emit_logscale(emit_ctx *c)
{
    const plan *p = c->p;
    if (p->time_slot >= 0 && p->window_ms > 0 && window_ls(c))
        return -1;
    char *text = NULL;
    size_t len = 0;
    FILE *out = c->out;
    c->out = open_memstream(&text, &len);
    if (!c->out)
        xoom(0);
    int rc = query_ls(c);
    fclose(c->out);
    c->out = out;
    fwrite(text, 1, len, out);
    free(text);
    return rc;
}
