/* check: CQL tree -> plan. Every LogScale rule it applies is stated in
 * logscale.md; the section is cited where the rule is applied.
 *
 * LogScale filters are two-valued: a filter keeps or drops an event, and a
 * missing field simply does not match (§3). The plan's logic is SQL's
 * three-valued one, so every filter primitive is wrapped in istrue(), and
 * NOT, AND and OR then behave classically: `f != v` keeps events without f,
 * `!in(...)` and `!regex(...)` keep them too (§3). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lang/logscale/check.h"
#include "lang/logscale/logscale.h"

_Noreturn void ls_fail(ls_check *c, const ls_ast *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    c->err->line = at ? at->at.line : 0;
    c->err->col = at ? at->at.col : 0;
    vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
    va_end(ap);
    longjmp(c->fail, 1);
}

void ls_bind(ls_check *c, const char *name, int slot)
{
    for (int i = 0; i < c->nsym; i++)
        if (strcmp(c->sym[i].name, name) == 0) {
            c->sym[i].slot = slot;
            return;
        }
    if (c->nsym == LS_MAX_NAMES)
        ls_fail(c, NULL, "too many field names (at most %d)", LS_MAX_NAMES);
    c->sym[c->nsym].name = arena_strndup(&c->p->mem, name, strlen(name));
    c->sym[c->nsym].slot = slot;
    c->nsym++;
}

void ls_unbind(ls_check *c, const char *name)
{
    for (int i = 0; i < c->nsym; i++)
        if (strcmp(c->sym[i].name, name) == 0) {
            c->sym[i] = c->sym[--c->nsym];
            return;
        }
}

static int lookup(const ls_check *c, const char *name)
{
    for (int i = 0; i < c->nsym; i++)
        if (strcmp(c->sym[i].name, name) == 0)
            return c->sym[i].slot;
    return -1;
}

const char *ls_tmp(ls_check *c, const char *stem)
{
    char buf[64];
    snprintf(buf, sizeof buf, "__%s%d", stem, ++c->ntmp);
    return arena_strndup(&c->p->mem, buf, strlen(buf));
}

void ls_add_filter(ls_check *c, expr *e, const ls_ast *at)
{
    int rc = c->agg ? plan_post_filter(c->p, e) : plan_filter(c->p, e);
    if (rc < 0)
        ls_fail(c, at, "query too long: at most %d steps", PLAN_MAX_STEPS);
}

int ls_add_eval(ls_check *c, const char *name, expr *e, const ls_ast *at)
{
    int slot = c->agg ? plan_post_eval(c->p, name, e) : plan_eval(c->p, name, e);
    if (slot < 0)
        ls_fail(c, at, "query too long: too many computed fields");
    ls_bind(c, name, slot);
    return slot;
}

int ls_field(ls_check *c, const char *name, const ls_ast *at)
{
    int slot = lookup(c, name);
    if (slot >= 0)
        return slot;
    if (c->agg)
        ls_fail(c, at, "no field '%s' after the aggregate (it keeps only its group keys "
                        "and function outputs)", name);
    slot = plan_field(c->p, name, -1);
    if (slot < 0)
        ls_fail(c, at, "too many fields (at most %d)", PLAN_MAX_FIELDS);
    ls_bind(c, name, slot);
    return slot;
}

int ls_is_call(const ls_ast *n, const char *name)
{
    return n->kind == N_CALL && strcasecmp(n->text, name) == 0;
}

/* ---- patterns ------------------------------------------------------------ */

/* PCRE2 text for a `=` pattern (§3): the whole value, `*` any run of
 * characters, everything else literal. */
static char *wildcard_regex(ls_check *c, const char *pat, int anchored)
{
    size_t n = strlen(pat);
    char *out = arena_alloc(&c->p->mem, n * 2 + 16), *o = out;
    o += sprintf(o, "%s", anchored ? "(?s)^" : "(?s)");
    for (const char *s = pat; *s; s++) {
        if (*s == '*') {
            *o++ = '.';
            *o++ = '*';
            continue;
        }
        if (strchr("\\^$.|?+()[]{}", *s))
            *o++ = '\\';
        *o++ = *s;
    }
    strcpy(o, anchored ? "$" : "");
    return out;
}

static expr *regex(ls_check *c, expr *subject, const char *re, uint32_t flags, const ls_ast *at)
{
    char err[300];
    expr *e = plan_regex(c->p, subject, re, flags, err, sizeof err);
    if (!e)
        ls_fail(c, at, "%s", err);
    return e;
}

expr *ls_istrue(ls_check *c, expr *e)
{
    return plan_node(c->p, EX_ISTRUE, 0, 1, &e);
}

/* Regex literal flags (§3): i caseless, m multi-line, d dot-all; g and F
 * change nothing about which events match. */
uint32_t ls_regex_flags(ls_check *c, const char *flags, const ls_ast *at)
{
    uint32_t out = 0;
    for (const char *f = flags; *f; f++) {
        switch (*f) {
        case 'i': out |= PCRE2_CASELESS; break;
        case 'm': out |= PCRE2_MULTILINE; break;
        case 'd': out |= PCRE2_DOTALL; break;
        case 'g':
        case 'F': break;
        default: ls_fail(c, at, "unknown regex flag '%c' (LogScale has i, m, d, g, F)", *f);
        }
    }
    return out;
}

/* f = v for one value: present-test, wildcard, regex or exact text. */
expr *ls_match_value(ls_check *c, expr *f, const ls_ast *v, int ignore_case)
{
    if (v->kind == N_REGEX)
        return regex(c, f, v->text, ls_regex_flags(c, v->flags, v), v);
    if (v->kind != N_WORD && v->kind != N_STRING)
        ls_fail(c, v, "expected a value, a quoted string or a /regex/");
    if (v->kind == N_WORD && strcmp(v->text, "*") == 0)
        return plan_not(c->p, plan_node(c->p, EX_ISNULL, 0, 1, &f));
    if (strchr(v->text, '*') || ignore_case)
        return regex(c, f, wildcard_regex(c, v->text, 1), ignore_case ? PCRE2_CASELESS : 0, v);
    /* Exact text: compared as text, so "025" never equals "25" (§6 #2). */
    return plan_cmp(c->p, CMP_EQ, plan_call(c->p, FN_STR, f), plan_lit_str(c->p, v->text));
}

/* ---- filters ------------------------------------------------------------- */

static expr *number(ls_check *c, const ls_ast *v)
{
    mc_value n = v->kind == N_WORD || v->kind == N_NUMBER ? value_parse_number(v->text, v->len)
                                                           : mc_null();
    if (n.type == MC_NULL)
        ls_fail(c, v, "'%s' is not a number: <, <=, > and >= compare numbers", v->text);
    expr *e = plan_node(c->p, EX_LIT, 0, 0, NULL);
    e->lit = n;
    return e;
}

static expr *compare(ls_check *c, const ls_ast *n)
{
    const ls_ast *field = n->kids[0], *v = n->kids[1];
    if (field->kind != N_WORD)
        ls_fail(c, field, "the left side of a comparison must be a field name");
    expr *f = plan_ref(c->p, ls_field(c, field->text, field));
    switch (n->op) {
    case T_EQ: return ls_istrue(c, ls_match_value(c, f, v, 0));
    case T_NE: return plan_not(c->p, ls_istrue(c, ls_match_value(c, f, v, 0)));
    default: break;
    }
    static const struct { int tok, cmp; } ops[] = {
        {T_LT, CMP_LT}, {T_LE, CMP_LE}, {T_GT, CMP_GT}, {T_GE, CMP_GE},
    };
    int cmp = CMP_LT;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (ops[i].tok == n->op)
            cmp = ops[i].cmp;
    /* Numeric (§3): text that is not a number makes the comparison false. */
    return ls_istrue(c, plan_cmp(c->p, cmp, plan_call(c->p, FN_FLOAT, f), number(c, v)));
}

/* Free text (§3): searched in the event's raw text, case-sensitively unless
 * a regex says otherwise. */
static expr *free_text(ls_check *c, const ls_ast *v)
{
    if (c->agg)
        ls_fail(c, v, "free-text search after an aggregate has no raw events to search");
    expr *raw = plan_ref(c->p, ls_field(c, "@rawstring", v));
    if (v->kind == N_REGEX)
        return ls_istrue(c, regex(c, raw, v->text, ls_regex_flags(c, v->flags, v), v));
    return ls_istrue(c, regex(c, raw, wildcard_regex(c, v->text, 0), 0, v));
}

static int same_kind(const void *root, const void *n)
{
    return ((const ls_ast *)n)->kind == ((const ls_ast *)root)->kind;
}

static const void *operand(const void *n, int side)
{
    return ((const ls_ast *)n)->kids[side];
}

/* An and/or chain, each operand checked, joined in one node (a generated
 * query may or together a hundred thousand terms: lang_chain). */
static expr *logic_chain(ls_check *c, const ls_ast *n)
{
    const void **ops;
    int k = lang_chain(n, same_kind, operand, &ops);
    /* Checking an operand may fail by longjmp: nothing malloc'd may be held. */
    const void **held = arena_alloc(&c->p->mem, sizeof *held * (size_t)k);
    memcpy(held, ops, sizeof *held * (size_t)k);
    free(ops);
    expr **kids = arena_alloc(&c->p->mem, sizeof *kids * (size_t)k);
    for (int i = 0; i < k; i++)
        kids[i] = ls_filter(c, held[i]);
    return plan_logic(c->p, n->kind == N_AND ? EX_AND : EX_OR, k, kids);
}

expr *ls_filter(ls_check *c, const ls_ast *n)
{
    switch (n->kind) {
    case N_AND:
    case N_OR:
        return logic_chain(c, n);
    case N_NOT:
        return plan_not(c->p, ls_filter(c, n->kids[0]));
    case N_COMPARE:
        return compare(c, n);
    case N_LIKE: {
        const ls_ast *field = n->kids[0], *v = n->kids[1];
        if (v->kind != N_WORD && v->kind != N_STRING)
            ls_fail(c, v, "like takes a text pattern");
        expr *f = plan_ref(c->p, ls_field(c, field->text, field));
        return ls_istrue(c, regex(c, f, wildcard_regex(c, v->text, 0), 0, v));
    }
    case N_FREE:
        return free_text(c, n->kids[0]);
    case N_CALL: {
        expr *e = ls_filter_call(c, n);
        if (!e)
            ls_fail(c, n, "%s() is not a filter function; it cannot be combined with "
                          "and/or/not (put it in its own pipeline step)", n->text);
        return e;
    }
    default:
        ls_fail(c, n, "expected a filter");
    }
}

/* ---- expressions (:=, eval, test) ---------------------------------------- */

expr *ls_expr(ls_check *c, const ls_ast *n)
{
    static const struct { int tok, kind, op; } binops[] = {
        {T_PLUS, EX_ARITH, AR_ADD}, {T_MINUS, EX_ARITH, AR_SUB}, {T_STAR, EX_ARITH, AR_MUL},
        {T_SLASH, EX_ARITH, AR_DIV}, {T_EQEQ, EX_CMP, CMP_EQ}, {T_NE, EX_CMP, CMP_NE},
        {T_LT, EX_CMP, CMP_LT}, {T_LE, EX_CMP, CMP_LE}, {T_GT, EX_CMP, CMP_GT},
        {T_GE, EX_CMP, CMP_GE},
    };
    switch (n->kind) {
    case N_NUMBER:
        return number(c, n);
    case N_STRING:
    case N_WORD:
        return plan_lit_str(c->p, n->text);
    case N_NAME:
        return plan_ref(c->p, ls_field(c, n->text, n));
    case N_NEG: {
        expr *k[2] = {plan_lit_int(c->p, 0), ls_expr(c, n->kids[0])};
        return plan_node(c->p, EX_ARITH, AR_SUB, 2, k);
    }
    case N_BINOP:
        for (size_t i = 0; i < sizeof binops / sizeof binops[0]; i++)
            if (binops[i].tok == n->op) {
                expr *k[2] = {ls_expr(c, n->kids[0]), ls_expr(c, n->kids[1])};
                /* Values are untyped text read in context (§2): ordering
                 * compares numbers, == and != the text. */
                if (binops[i].kind == EX_CMP && binops[i].op >= CMP_LT) {
                    k[0] = plan_call(c->p, FN_FLOAT, k[0]);
                    k[1] = plan_call(c->p, FN_FLOAT, k[1]);
                }
                return plan_node(c->p, binops[i].kind, binops[i].op, 2, k);
            }
        break;
    case N_CALL:
        if (ls_is_call(n, "lower") || ls_is_call(n, "upper")) {
            if (n->nkids != 1 || n->kids[0]->text)
                ls_fail(c, n, "in an expression %s() takes one unnamed argument", n->text);
            return plan_call(c->p, ls_is_call(n, "lower") ? FN_LOWER : FN_UPPER,
                             ls_expr(c, n->kids[0]->kids[0]));
        }
        if (ls_is_call(n, "now") && n->nkids == 0)
            return plan_call(c->p, FN_INT, plan_node(c->p, EX_NOW, 0, 0, NULL));
        ls_fail(c, n, "function %s() is not supported in expressions (supported: lower, "
                      "upper, now)", n->text);
    default:
        break;
    }
    ls_fail(c, n, "unsupported expression");
}

/* The fields an expression reads; `f := expr` drops events lacking one (§4). */
static void read_fields(ls_check *c, const ls_ast *n, expr **present, int *np)
{
    if (n->kind == N_NAME && *np < PLAN_MAX_COLS) {
        expr *f = plan_ref(c->p, ls_field(c, n->text, n));
        present[(*np)++] = plan_not(c->p, plan_node(c->p, EX_ISNULL, 0, 1, &f));
    }
    for (int i = 0; i < n->nkids; i++)
        read_fields(c, n->kids[i], present, np);
}

/* ---- steps --------------------------------------------------------------- */

static void assign_value_case(ls_check *c, const char *name, const ls_ast *cv)
{
    lang_warn(c->opts, c->src, cv->at.line, cv->at.col,
              "`%s := case { filter => value; ... }` is not in LogScale's published grammar; "
              "mailc2 reads it as `case { filter | %s := value; ... }` (logscale.md §4)",
              name, name);
    expr *k[PLAN_MAX_COLS * 2];
    int n = 0, star = 0;
    for (int i = 0; i < cv->nkids && n + 2 < PLAN_MAX_COLS * 2; i++) {
        const ls_ast *arm = cv->kids[i];
        if (arm->kids[0]->kind == N_STAR) {
            k[n++] = ls_expr(c, arm->kids[1]);
            star = 1;
            break; /* arms after `*` can never be reached */
        }
        k[n++] = ls_filter(c, arm->kids[0]);
        k[n++] = ls_expr(c, arm->kids[1]);
    }
    int slot = ls_add_eval(c, name, plan_node(c->p, EX_CASE, 0, n, k), cv);
    if (!star) { /* no arm matched and no `*`: the event is dropped (§4) */
        expr *f = plan_ref(c->p, slot);
        ls_add_filter(c, plan_not(c->p, plan_node(c->p, EX_ISNULL, 0, 1, &f)), cv);
    }
}

void ls_assign(ls_check *c, const char *name, const ls_ast *v, const ls_ast *at)
{
    if (v->kind == N_CASEVAL) {
        assign_value_case(c, name, v);
        return;
    }
    expr *present[PLAN_MAX_COLS];
    int np = 0;
    read_fields(c, v, present, &np);
    expr *e = ls_expr(c, v);
    if (np)
        ls_add_filter(c, np == 1 ? present[0] : plan_node(c->p, EX_AND, 0, np, present), at);
    ls_add_eval(c, name, e, at);
}

/* A case or match branch: its condition and the assignments that follow
 * it. Filters must come before assignments inside a branch, the form every
 * LogScale example uses; other orders are refused by name. */
typedef struct branch {
    expr *cond;                   /* NULL: always (the `*` branch) */
    const ls_ast *pipe;
    int first_assign;             /* index of the first assignment step */
} branch;

static void branch_split(ls_check *c, branch *b, expr *extra)
{
    expr *k[PLAN_MAX_COLS];
    int n = 0;
    if (extra)
        k[n++] = extra;
    int i = 0;
    for (; i < b->pipe->nkids && b->pipe->kids[i]->kind != N_ASSIGN; i++) {
        if (n == PLAN_MAX_COLS)
            ls_fail(c, b->pipe->kids[i], "too many filters in one branch");
        k[n++] = ls_filter(c, b->pipe->kids[i]);
    }
    b->first_assign = i;
    for (; i < b->pipe->nkids; i++)
        if (b->pipe->kids[i]->kind != N_ASSIGN)
            ls_fail(c, b->pipe->kids[i], "inside a case or match branch mailc2 supports "
                                         "filters followed by `field := value` steps only");
    b->cond = n == 0 ? NULL : n == 1 ? k[0] : plan_node(c->p, EX_AND, 0, n, k);
}

/* Runs the branches: the first whose condition holds wins; with no `*`
 * branch an event no branch takes is dropped (§4). */
static void branches(ls_check *c, const ls_ast *at, branch *b, int nb)
{
    expr *k[PLAN_MAX_COLS * 2];
    int n = 0, always = 0;
    for (int i = 0; i < nb && !always; i++) {
        if (!b[i].cond) {
            k[n++] = plan_lit_int(c->p, i);
            always = 1;
        } else {
            k[n++] = b[i].cond;
            k[n++] = plan_lit_int(c->p, i);
        }
    }
    const char *which = ls_tmp(c, "branch");
    int taken = ls_add_eval(c, which, plan_node(c->p, EX_CASE, 0, n, k), at);
    if (!always) {
        expr *f = plan_ref(c->p, taken);
        ls_add_filter(c, plan_not(c->p, plan_node(c->p, EX_ISNULL, 0, 1, &f)), at);
    }
    /* One eval per assigned field: its branch's value, else unchanged. */
    for (int i = 0; i < nb; i++)
        for (int s = b[i].first_assign; s < b[i].pipe->nkids; s++) {
            const char *name = b[i].pipe->kids[s]->text;
            int done = 0;
            for (int j = 0; j < i && !done; j++)
                for (int t = b[j].first_assign; t < b[j].pipe->nkids; t++)
                    done |= strcmp(b[j].pipe->kids[t]->text, name) == 0;
            for (int t = b[i].first_assign; t < s; t++)
                done |= strcmp(b[i].pipe->kids[t]->text, name) == 0;
            if (done)
                continue;
            n = 0;
            for (int j = i; j < nb; j++)
                for (int t = b[j].first_assign; t < b[j].pipe->nkids; t++) {
                    const ls_ast *a = b[j].pipe->kids[t];
                    if (strcmp(a->text, name) != 0 || a->kids[0]->kind == N_CASEVAL)
                        continue;
                    k[n++] = plan_cmp(c->p, CMP_EQ, plan_ref(c->p, taken), plan_lit_int(c->p, j));
                    k[n++] = ls_expr(c, a->kids[0]);
                }
            int old = lookup(c, name);
            k[n++] = old >= 0 ? plan_ref(c->p, old) : plan_node(c->p, EX_LIT, 0, 0, NULL);
            ls_add_eval(c, name, plan_node(c->p, EX_CASE, 0, n, k), b[i].pipe->kids[s]);
        }
}

static void case_stmt(ls_check *c, const ls_ast *n)
{
    branch b[PLAN_MAX_COLS];
    if (n->nkids > PLAN_MAX_COLS)
        ls_fail(c, n, "too many case branches (at most %d)", PLAN_MAX_COLS);
    for (int i = 0; i < n->nkids; i++) {
        b[i].pipe = n->kids[i];
        branch_split(c, &b[i], NULL);
        if (n->kids[i]->op)
            b[i].cond = NULL;
        else if (!b[i].cond)
            ls_fail(c, n->kids[i], "an empty case branch is not allowed; write `*`");
    }
    branches(c, n, b, n->nkids);
}

static void match_stmt(ls_check *c, const ls_ast *n)
{
    branch b[PLAN_MAX_COLS];
    if (n->nkids > PLAN_MAX_COLS)
        ls_fail(c, n, "too many match arms (at most %d)", PLAN_MAX_COLS);
    int slot = ls_field(c, n->text, n);
    for (int i = 0; i < n->nkids; i++) {
        const ls_ast *pat = n->kids[i]->kids[0];
        b[i].pipe = n->kids[i]->kids[1];
        expr *cond = pat->kind == N_STAR ? NULL
                     : ls_istrue(c, ls_match_value(c, plan_ref(c->p, slot), pat, 0));
        branch_split(c, &b[i], cond);
    }
    branches(c, n, b, n->nkids);
}

static void pipeline(ls_check *c, const ls_ast *pipe)
{
    for (int i = 0; i < pipe->nkids; i++) {
        const ls_ast *s = pipe->kids[i];
        switch (s->kind) {
        case N_ASSIGN: ls_assign(c, s->text, s->kids[0], s); break;
        case N_CASE:   case_stmt(c, s); break;
        case N_MATCH:  match_stmt(c, s); break;
        default:
            if (s->kind != N_CALL || !ls_transform(c, s))
                ls_add_filter(c, ls_filter(c, s), s);
        }
    }
}

/* Output columns when the query did not choose them: after an aggregate its
 * columns; otherwise the event's time and raw text, as LogScale lists
 * events. Internal names (__*) are never shown. */
static void default_output(ls_check *c)
{
    static const char *const event_cols[] = {"@timestamp", "@rawstring"};
    plan *p = c->p;
    if (c->projected)
        return;
    int agg = plan_has_aggregate(p), n = agg ? plan_ncolumns(p) : 2;
    for (int col = 0; col < n; col++) {
        const char *name = agg ? plan_column_name(p, col) : event_cols[col];
        if (strncmp(name, "__", 2) != 0 &&
            plan_project(p, agg ? col : ls_field(c, name, NULL), name) < 0)
            ls_fail(c, NULL, "too many fields shown (at most %d)", PLAN_MAX_COLS);
    }
}

plan *ls_compile(const lang_src *src, const lang_opts *o, lang_error *e)
{
    ls_parser *parser;
    ls_ast *root = ls_parse(src, &parser, e);
    if (!root) {
        ls_parse_free(parser);
        return NULL;
    }
    ls_check *c = xcalloc(1, sizeof *c);
    c->src = src;
    c->opts = o;
    c->err = e;
    c->p = plan_new("logscale");
    plan *result = c->p;
    if (setjmp(c->fail)) {
        plan_free(c->p);
        result = NULL;
    } else {
        pipeline(c, root);
        default_output(c);
    }
    ls_parse_free(parser);
    free(c);
    return result;
}
