/* expr: AQL expressions -> plan expressions: operators with SQL's NULL
 * rules (aql.md §3), the functions of §4, and the columns they read. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lang/aql/check.h"
#include "view/view.h"

_Noreturn void aql_fail(aql_check *c, const aql_ast *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    c->err->line = at ? at->line : 0;
    c->err->col = at ? at->col : 0;
    vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
    va_end(ap);
    longjmp(c->fail, 1);
}

int aql_same_name(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

/* ---- columns -------------------------------------------------------------- */

static int bind(aql_check *c, const char *name, const aql_ast *at)
{
    int slot = plan_field(c->p, name, -1);
    if (slot < 0 || c->nfields == PLAN_MAX_FIELDS)
        aql_fail(c, at, "too many columns (at most %d)", PLAN_MAX_FIELDS);
    c->field[c->nfields].name = arena_strndup(&c->p->mem, name, strlen(name));
    c->field[c->nfields++].slot = slot;
    return slot;
}

int aql_column(aql_check *c, const aql_ast *n)
{
    for (int i = 0; i < c->nfields; i++)
        if (aql_same_name(c->field[i].name, n->text))
            return c->field[i].slot;
    /* Columns are AQL's names; the AQL view (src/view/aql.c) says where each
     * is read on each input format. */
    if (view_known("aql", n->text))
        return bind(c, n->text, n);
    if (!n->quoted)
        aql_fail(c, n, "unknown column '%s' (aql.md §5 lists the event and flow columns)",
                 n->text);
    /* A "quoted" name not in the view is a custom property: it exists on
     * QRadar exports that carry it and is NULL elsewhere (aql.md §5). */
    lang_warn(c->opts, c->src, n->line, n->col, "\"%s\" is not a property mailc2 knows; it "
              "is read from QRadar exports that carry it and is NULL on other input", n->text);
    return bind(c, n->text, n);
}

/* ---- expressions --------------------------------------------------------- */

static expr *number(aql_check *c, const aql_ast *n)
{
    expr *e = plan_node(c->p, EX_LIT, 0, 0, NULL);
    if (n->len > 2 && n->text[0] == '0' && (n->text[1] == 'x' || n->text[1] == 'X')) {
        e->lit = mc_int(MC_INT, (int64_t)strtoull(n->text + 2, NULL, 16));
        return e;
    }
    e->lit = value_parse_number(n->text, n->len);
    if (e->lit.type == MC_NULL)
        aql_fail(c, n, "'%s' is not a number", n->text);
    return e;
}

static expr *two(aql_check *c, int kind, int op, expr *a, expr *b)
{
    expr *k[2] = {a, b};
    return plan_node(c->p, kind, op, 2, k);
}

static int same_op(const void *root, const void *n)
{
    const aql_ast *r = root, *x = n;
    return x->kind == Q_BINARY && x->op == r->op;
}

static const void *operand(const void *n, int side)
{
    return ((const aql_ast *)n)->kids[side];
}

static expr *logic_chain(aql_check *c, const aql_ast *n)
{
    const void **ops;
    int k = lang_chain(n, same_op, operand, &ops); /* ten thousand terms: no deep recursion */
    /* Checking an operand may fail by longjmp: nothing malloc'd may be held. */
    const void **held = arena_alloc(&c->p->mem, sizeof *held * (size_t)k);
    memcpy(held, ops, sizeof *held * (size_t)k);
    free(ops);
    expr **kids = arena_alloc(&c->p->mem, sizeof *kids * (size_t)k);
    for (int i = 0; i < k; i++)
        kids[i] = aql_expr(c, held[i]);
    return plan_logic(c->p, n->op == Q_AND ? EX_AND : EX_OR, k, kids);
}

static expr *binary(aql_check *c, const aql_ast *n)
{
    if (n->op == Q_AND || n->op == Q_OR)
        return logic_chain(c, n);
    static const struct { int tok, kind, op; } ops[] = {
        {A_PLUS, EX_ARITH, AR_ADD}, {A_MINUS, EX_ARITH, AR_SUB}, {A_STAR, EX_ARITH, AR_MUL},
        {A_SLASH, EX_ARITH, AR_DIV}, {A_EQ, EX_CMP, CMP_EQ}, {A_NE, EX_CMP, CMP_NE},
        {A_LT, EX_CMP, CMP_LT}, {A_LE, EX_CMP, CMP_LE}, {A_GT, EX_CMP, CMP_GT},
        {A_GE, EX_CMP, CMP_GE}, {Q_AND, EX_AND, 0}, {Q_OR, EX_OR, 0},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (ops[i].tok == n->op)
            return two(c, ops[i].kind, ops[i].op, aql_expr(c, n->kids[0]), aql_expr(c, n->kids[1]));
    aql_fail(c, n, "operator %s is not supported by mailc2",
             n->op == A_CARET ? "^" : n->op == A_AMP ? "&" : "%");
}

/* LIKE/ILIKE: % any run, _ one character, whole value, no escape (§3).
 * With wildcards off, the text is matched literally anywhere. */
static char *like_regex(aql_check *c, const char *pat, int wildcards)
{
    char *out = arena_alloc(&c->p->mem, strlen(pat) * 2 + 8), *o = out;
    o += sprintf(o, wildcards ? "(?s)^" : "(?s)");
    for (const char *s = pat; *s; s++) {
        if (*s == '%' && wildcards) {
            o += sprintf(o, ".*");
        } else if (*s == '_' && wildcards) {
            *o++ = '.';
        } else {
            if (strchr("\\^$.|?*+()[]{}", *s))
                *o++ = '\\';
            *o++ = *s;
        }
    }
    strcpy(o, wildcards ? "$" : "");
    return out;
}

static expr *like(aql_check *c, const aql_ast *n)
{
    const aql_ast *pat = n->kids[1];
    if (pat->kind != Q_STRING)
        aql_fail(c, pat, "the pattern must be a 'quoted' string");
    int caseless = n->op == LIKE_ILIKE || n->op == LIKE_IMATCHES;
    const char *re;
    if (n->op == LIKE_LIKE || n->op == LIKE_ILIKE) {
        re = like_regex(c, pat->text, 1);
    } else { /* MATCHES: the pattern covers the whole value (§3) */
        char *w = arena_alloc(&c->p->mem, pat->len + 16);
        sprintf(w, "^(?:%s)$", pat->text);
        re = w;
    }
    char err[300];
    expr *e = plan_regex(c->p, aql_expr(c, n->kids[0]), re, caseless ? PCRE2_CASELESS : 0, err,
                         sizeof err);
    if (!e)
        aql_fail(c, pat, "%s", err);
    return n->negated ? plan_not(c->p, e) : e;
}

static expr *in_list(aql_check *c, const aql_ast *n)
{
    expr *k[AQL_MAX_LIST + 1];
    if (n->nkids > AQL_MAX_LIST + 1)
        aql_fail(c, n, "IN list too long");
    for (int i = 0; i < n->nkids; i++)
        k[i] = aql_expr(c, n->kids[i]);
    expr *e = plan_node(c->p, EX_IN, 0, n->nkids, k);
    return n->negated ? plan_not(c->p, e) : e;
}

static expr *case_expr(aql_check *c, const aql_ast *n)
{
    expr *k[AQL_MAX_LIST * 2];
    int i = 0, m = 0;
    expr *operand = n->has_operand ? aql_expr(c, n->kids[i++]) : NULL;
    int pairs_end = n->nkids - n->has_else;
    if ((pairs_end - i) / 2 > AQL_MAX_LIST - 1)
        aql_fail(c, n, "CASE has too many branches");
    for (; i + 1 < pairs_end; i += 2) {
        expr *when = aql_expr(c, n->kids[i]);
        k[m++] = operand ? two(c, EX_CMP, CMP_EQ, operand, when) : when;
        k[m++] = aql_expr(c, n->kids[i + 1]);
    }
    if (n->has_else)
        k[m++] = aql_expr(c, n->kids[n->nkids - 1]);
    return plan_node(c->p, EX_CASE, 0, m, k);
}

static const struct { const char *name; int fn; int min, max; } scalar_fns[] = {
    {"lower", FN_LOWER, 1, 1}, {"upper", FN_UPPER, 1, 1}, {"long", FN_INT, 1, 1},
    {"double", FN_FLOAT, 1, 1}, {"str", FN_STR, 1, 1}, {"concat", FN_CONCAT, 1, 32},
    {"strlen", FN_STRLEN, 1, 1}, {"substring", FN_SUBSTRING, 2, 3},
    {"dateformat", FN_DATEFORMAT, 2, 2},
};

/* ID -> name lookups read the name the export carries, under the column
 * name Ariel gives them (e.g. logsourcename_logsourceid); NULL elsewhere. */
static const char *const lookups[] = {
    "logsourcename", "logsourcetypename", "qidname", "qiddescription", "categoryname",
    "protocolname", "rulename",
};

static const char *const qradar_state[] = {
    "networkname", "fullnetworkname", "assethostname", "assetuser", "assetproperty",
    "geo", "referencesetcontains", "referencemap", "referencetablecontains", "incidr6",
    "hostname", "matchesasnvalue",
};

static expr *lookup_fn(aql_check *c, const aql_ast *n)
{
    if (n->nkids != 1 || n->kids[0]->kind != Q_COLUMN)
        aql_fail(c, n, "%s() takes one column", n->text);
    char name[128];
    snprintf(name, sizeof name, "%.40s_%.60s", n->text, n->kids[0]->text);
    for (char *s = name; *s; s++)
        *s = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
    for (int i = 0; i < c->nfields; i++)
        if (aql_same_name(c->field[i].name, name))
            return plan_ref(c->p, c->field[i].slot);
    return plan_ref(c->p, bind(c, name, n));
}

/* INCIDR('cidr', ip) */
static expr *incidr(aql_check *c, const aql_ast *n)
{
    if (n->nkids != 2 || n->kids[0]->kind != Q_STRING)
        aql_fail(c, n, "INCIDR takes ('network/bits', address)");
    const char *net = n->kids[0]->text;
    char err[200];
    expr *e = plan_cidr(c->p, aql_expr(c, n->kids[1]), &net, 1, err, sizeof err);
    if (!e)
        aql_fail(c, n->kids[0], "INCIDR: %s", err);
    return e;
}

static expr *call(aql_check *c, const aql_ast *n)
{
    if (aql_agg_fn(n) >= 0) {
        if (c->mode != MODE_ROW)
            aql_fail(c, n, "aggregate %s() is not allowed here (use it in SELECT, HAVING or "
                           "ORDER BY)", n->text);
        return plan_ref(c->p, aql_agg_column(c, n, NULL));
    }
    if (aql_same_name(n->text, "now")) {
        if (n->nkids)
            aql_fail(c, n, "NOW() takes no arguments");
        return plan_node(c->p, EX_NOW, 0, 0, NULL);
    }
    if (aql_same_name(n->text, "incidr"))
        return incidr(c, n);
    for (size_t i = 0; i < sizeof lookups / sizeof lookups[0]; i++)
        if (aql_same_name(n->text, lookups[i]))
            return lookup_fn(c, n);
    for (size_t i = 0; i < sizeof scalar_fns / sizeof scalar_fns[0]; i++) {
        if (!aql_same_name(n->text, scalar_fns[i].name))
            continue;
        if (n->nkids < scalar_fns[i].min || n->nkids > scalar_fns[i].max) {
            if (scalar_fns[i].min == scalar_fns[i].max)
                aql_fail(c, n, "%s() takes %d argument%s", n->text, scalar_fns[i].min,
                         scalar_fns[i].min == 1 ? "" : "s");
            aql_fail(c, n, "%s() takes %d to %d arguments", n->text, scalar_fns[i].min,
                     scalar_fns[i].max);
        }
        expr *k[32];
        for (int a = 0; a < n->nkids; a++)
            k[a] = aql_expr(c, n->kids[a]);
        return plan_node(c->p, EX_CALL, scalar_fns[i].fn, n->nkids, k);
    }
    for (size_t i = 0; i < sizeof qradar_state / sizeof qradar_state[0]; i++)
        if (strncasecmp(n->text, qradar_state[i], strlen(qradar_state[i])) == 0)
            aql_fail(c, n, "%s() needs QRadar's own state (network hierarchy, assets, "
                           "reference data) and cannot run locally", n->text);
    aql_fail(c, n, "function %s() is not supported by mailc2", n->text);
}

static int has_agg_call(const aql_ast *n)
{
    if (aql_agg_fn(n) >= 0)
        return 1;
    for (int i = 0; i < n->nkids; i++)
        if (has_agg_call(n->kids[i]))
            return 1;
    return 0;
}

expr *aql_expr(aql_check *c, const aql_ast *n)
{
    if (c->mode == MODE_ROW) {
        int col = aql_row_column(c, n);
        if (col >= 0)
            return plan_ref(c->p, col);
    }
    switch (n->kind) {
    case Q_COLUMN: {
        if (c->mode == MODE_ROW)
            aql_fail(c, n, "'%s' is neither grouped nor aggregated here", n->text);
        /* A SELECT alias may be used in WHERE and GROUP BY (aql.md §3). */
        const aql_ast *a = aql_alias(c, n->text);
        if (a && !has_agg_call(a)) {
            if (++c->alias_depth > 16)
                aql_fail(c, n, "alias '%s' is defined through itself", n->text);
            expr *e = aql_expr(c, a);
            c->alias_depth--;
            return e;
        }
        return plan_ref(c->p, aql_column(c, n));
    }
    case Q_STRING: return plan_lit_str(c->p, n->text);
    case Q_NUMBER: return number(c, n);
    case Q_NULL:   return plan_node(c->p, EX_LIT, 0, 0, NULL);
    case Q_TRUE:
    case Q_FALSE:  return two(c, EX_CMP, n->kind == Q_TRUE ? CMP_EQ : CMP_NE,
                              plan_lit_int(c->p, 1), plan_lit_int(c->p, 1));
    case Q_BINARY: return binary(c, n);
    case Q_NOT:    return plan_not(c->p, aql_expr(c, n->kids[0]));
    case Q_NEG:    return two(c, EX_ARITH, AR_SUB, plan_lit_int(c->p, 0), aql_expr(c, n->kids[0]));
    case Q_IN:     return in_list(c, n);
    case Q_LIKE:   return like(c, n);
    case Q_BETWEEN: {
        expr *x = aql_expr(c, n->kids[0]);
        expr *e = two(c, EX_AND, 0, two(c, EX_CMP, CMP_GE, x, aql_expr(c, n->kids[1])),
                      two(c, EX_CMP, CMP_LE, x, aql_expr(c, n->kids[2])));
        return n->negated ? plan_not(c->p, e) : e;
    }
    case Q_ISNULL: {
        expr *x = aql_expr(c, n->kids[0]);
        expr *e = plan_node(c->p, EX_ISNULL, 0, 1, &x);
        return n->negated ? plan_not(c->p, e) : e;
    }
    case Q_CASE:   return case_expr(c, n);
    case Q_CALL:   return call(c, n);
    case Q_TEXTSEARCH: {
        /* Case-insensitive substring of the raw record (aql.md §3). */
        char err[300];
        expr *raw = plan_ref(c->p, plan_field(c->p, PLAN_RAW_FIELD, -1));
        expr *e = plan_regex(c->p, raw, like_regex(c, n->text, 0), PCRE2_CASELESS, err,
                             sizeof err);
        if (!e)
            aql_fail(c, n, "%s", err);
        return e;
    }
    default:
        aql_fail(c, n, "'*' is only allowed as SELECT * or COUNT(*)");
    }
}
