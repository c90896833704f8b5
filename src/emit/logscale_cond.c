/* logscale_cond: the plan's filters as LogScale filters (logscale.md §3).
 *
 * LogScale has no NULL: a filter keeps an event or not; a test on a
 * missing field fails, and its negation (`!in()`, `!regex()`, `F!=v`)
 * passes. The plan's logic is SQL's, so each filter is written for the
 * events on which it is TRUE and, under a NOT, for those on which it is
 * FALSE (de Morgan down to the tests; pipe.h does the same for SPL): a
 * test on field F is FALSE where F is present (`F=*`) and the test fails,
 * a numeric comparison where the opposite comparison holds (a value that
 * is not a number fails both, as it is NULL in the plan). istrue() and IS
 * NULL are two-valued already: their negation is LogScale's own. That is
 * how the LogScale front end states its rules, so a LogScale plan comes
 * back test for test.
 *
 * Tests: text equality and IN (`F=v`, in(), ignoreCase for lower());
 * regex() with the plan's options (LogScale's default is m); cidr();
 * numeric comparisons as `F op n` or test() (LogScale compares numbers
 * there, and `now()` is the query's time in ms — library.humio.com,
 * functions-test, functions-now, syntax-expressions); a number compared
 * for equality as `F >= n and F <= n`, since `=` compares text. The kind
 * and the direction (a Sigma logsource and Initiated, the hunt's kind and
 * direction) together are the view's event name (fields.md §3: an
 * outbound connection is NetworkConnectIP4 or IP6); Sigma's product is a
 * test of the path (derived.c). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <arpa/inet.h>
#include <inttypes.h>
#include <pcre2.h>
#include <string.h>

#include "emit/logscale_int.h"
#include "value/value.h"
#include "view/view.h"

static int cond(emit_ctx *c, const expr *e, int neg);

static void put(emit_ctx *c, const char *s)
{
    fputs(s, c->out);
}

/* ---- text tests ---------------------------------------------------------- */

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

/* A text literal LogScale compares as the plan does: without `*` (its
 * wildcard), lower-case under lower(), which no upper-case letter could
 * equal, and not a number unless str() makes the comparison text (the
 * plan compares a number with a number's text numerically). */
static int plain_text(const expr *e, int lower, int text)
{
    const mc_value *v = &e->lit;
    if (e->kind != EX_LIT || v->type != MC_STR || memchr(v->u.s, '*', v->len) ||
        (!text && value_parse_number(v->u.s, v->len).type != MC_NULL))
        return 0;
    for (uint32_t i = 0; lower && i < v->len; i++)
        if (v->u.s[i] >= 'A' && v->u.s[i] <= 'Z')
            return 0;
    return 1;
}

/* `F IN ('a', ...)` over plain_text values, F under lower() and str():
 * the field, or NULL. */
static const expr *text_in(const expr *e, int *lower)
{
    *lower = 0; /* also for or_of_eq(), tried next with the same flag */
    if (e->kind != EX_IN)
        return NULL;
    const expr *f = e->kids[0];
    int text = 0;
    for (; f->kind == EX_CALL && (f->op == FN_LOWER || f->op == FN_STR); f = f->kids[0]) {
        *lower |= f->op == FN_LOWER;
        text |= f->op == FN_STR;
    }
    for (unsigned k = 1; k < e->nkids; k++)
        if (!plain_text(e->kids[k], *lower, text))
            return NULL;
    return f->kind == EX_FIELD ? f : NULL;
}

static void in_ls(emit_ctx *c, const expr *e, const expr *f, int lower, unsigned from)
{
    fprintf(c->out, "in(field=%s, values=[", ls_field_name(c, f->slot));
    for (unsigned k = from; k < e->nkids; k++) {
        put(c, k > from ? ", " : "");
        const expr *v = e->kind == EX_OR ? e->kids[k]->kids[1] : e->kids[k];
        ls_value(c, &v->lit, e->kind != EX_OR); /* another language's text, quoted */
    }
    put(c, lower ? "], ignoreCase=true)" : "])");
}

/* An OR of `str(F) = 'v'` on one field, as the front end reads in(). */
static const expr *or_of_eq(const expr *e)
{
    const expr *lit, *f = e->kind == EX_OR ? str_eq(e->kids[0], &lit) : NULL;
    for (unsigned k = 1; f && k < e->nkids; k++) {
        const expr *g = str_eq(e->kids[k], &lit);
        if (!g || g->slot != f->slot)
            return NULL;
    }
    return f;
}

/* The value a `F=v` pattern stands for, where the front end made the
 * regex from one (logscale.md §3: `(?s)^...$`, `*` as `.*`, the rest
 * literal), written to buf; 0, or -1 for any other regex. */
static int pattern_value(const expr *re, char *buf, size_t size)
{
    const char *s = re->re_src;
    size_t n = strlen(s), o = 0;
    if ((re->re_flags & ~(uint32_t)PCRE2_CASELESS) || n < 6 || strncmp(s, "(?s)^", 5) ||
        s[n - 1] != '$' || s[n - 2] == '\\')
        return -1;
    for (size_t i = 5; i + 1 < n; i++) {
        if (o + 2 >= size)
            return -1;
        if (s[i] == '\\' && strchr("\\^$.|?+()[]{}", s[i + 1]))
            buf[o++] = s[++i];
        else if (s[i] == '.' && s[i + 1] == '*')
            buf[o++] = '*', i++;
        else if (strchr("\\^$.|?+()[]{}*", s[i]))
            return -1;
        else
            buf[o++] = s[i];
    }
    buf[o] = '\0';
    return 0;
}

/* A `F=v` pattern (the front end's regex for it) or an OR of them on one
 * field, all with the same case rule, as in() reads: the field, or NULL. */
static const expr *pattern_or(const expr *e, int *caseless)
{
    char buf[512];
    const expr *const *re = e->kind == EX_OR ? (const expr *const *)e->kids : &e;
    unsigned n = e->kind == EX_OR ? e->nkids : 1;
    for (unsigned k = 0; k < n; k++)
        if (re[k]->kind != EX_REGEX || re[k]->kids[0]->kind != EX_FIELD ||
            re[k]->kids[0]->slot != re[0]->kids[0]->slot || re[k]->re_flags != re[0]->re_flags ||
            pattern_value(re[k], buf, sizeof buf))
            return NULL;
    *caseless = (re[0]->re_flags & PCRE2_CASELESS) != 0;
    return re[0]->kids[0];
}

static void patterns_ls(emit_ctx *c, const expr *e, const expr *f, int caseless, int negate)
{
    char buf[512];
    const expr *const *re = e->kind == EX_OR ? (const expr *const *)e->kids : &e;
    unsigned n = e->kind == EX_OR ? e->nkids : 1;
    if (n == 1 && !caseless)
        fprintf(c->out, "%s%s", ls_field_name(c, f->slot), negate ? "!=" : "=");
    else
        fprintf(c->out, "%sin(field=%s, values=[", negate ? "!" : "", ls_field_name(c, f->slot));
    for (unsigned k = 0; k < n; k++) {
        pattern_value(re[k], buf, sizeof buf);
        mc_value v = mc_str(MC_STR, buf, strlen(buf));
        put(c, k ? ", " : "");
        ls_value(c, &v, 0);
    }
    put(c, n == 1 && !caseless ? "" : caseless ? "], ignoreCase=true)" : "])");
}

/* regex() with the plan's options: LogScale's default is m alone, and a
 * flags= replaces it (functions-regex). */
static void regex_ls(emit_ctx *c, const expr *e, const expr *f)
{
    uint32_t o = e->re_flags;
    fprintf(c->out, "regex(field=%s, regex=\"", ls_field_name(c, f->slot));
    for (const char *s = e->re_src; *s; s++)
        fputs(*s == '"' || *s == '\\' ? (char[3]){'\\', *s, 0} : (char[2]){*s, 0}, c->out);
    put(c, "\"");
    if (o != PCRE2_MULTILINE)
        fprintf(c->out, ", flags=\"%s%s%s\"", o & PCRE2_CASELESS ? "i" : "",
                o & PCRE2_MULTILINE ? "m" : "", o & PCRE2_DOTALL ? "d" : "");
    put(c, ")");
}

static void cidr_ls(emit_ctx *c, const expr *e, const expr *f)
{
    const cidr_net *nets = e->aux;
    fprintf(c->out, "cidr(field=%s, subnet=[", ls_field_name(c, f->slot));
    for (int i = 0; i < e->naux; i++) {
        char text[INET6_ADDRSTRLEN];
        inet_ntop(nets[i].family == 4 ? AF_INET : AF_INET6, nets[i].addr, text, sizeof text);
        fprintf(c->out, "%s\"%s/%u\"", i ? ", " : "", text, nets[i].bits);
    }
    put(c, "])");
}

/* ---- numbers ------------------------------------------------------------- */

static const expr *unwrap_float(const expr *e)
{
    return e->kind == EX_CALL && e->op == FN_FLOAT ? e->kids[0] : e;
}

/* A value the plan compares as a number: a number, now, arithmetic, a
 * conversion. A comparison with one is numeric on both sides. */
static int numeric(const expr *e)
{
    if (e->kind == EX_LIT)
        return e->lit.type == MC_INT || e->lit.type == MC_TS || e->lit.type == MC_FLOAT;
    return e->kind == EX_NOW || e->kind == EX_ARITH ||
           (e->kind == EX_CALL && (e->op == FN_FLOAT || e->op == FN_INT));
}

static int number_ls(emit_ctx *c, const mc_value *v)
{
    if (v->type == MC_FLOAT)
        return fprintf(c->out, "%.17g", v->u.f), 0;
    return fprintf(c->out, "%" PRId64, v->u.i), 0;
}

/* An expression of test(): fields, numbers, now(), + - *, parenthesized
 * inside arithmetic (`nested`) so the tree's grouping stays. The front
 * end's float() around an ordering's operands and int() around now() are
 * LogScale's own reading, so they are not written. */
static int value_expr(emit_ctx *c, const expr *e, int nested)
{
    static const char *const arith[] = {" + ", " - ", " * ", NULL};
    e = unwrap_float(e);
    if (e->kind == EX_CALL && e->op == FN_INT && e->kids[0]->kind == EX_NOW)
        e = e->kids[0];
    switch (e->kind) {
    case EX_FIELD: return put(c, ls_field_name(c, e->slot)), 0;
    case EX_LIT:
        if (!numeric(e))
            return emit_refuse(c, "a text value in a numeric comparison");
        return number_ls(c, &e->lit);
    case EX_NOW:
        if (c->o->has_now)
            return fprintf(c->out, "%" PRId64, c->o->now_ms), 0;
        return put(c, "now()"), 0;
    case EX_ARITH:
        if (!arith[e->op])
            return emit_refuse(c, "division (LogScale divides in decimals)");
        put(c, nested ? "(" : "");
        value_expr(c, e->kids[0], 1);
        put(c, arith[e->op]);
        value_expr(c, e->kids[1], 1);
        put(c, nested ? ")" : "");
        return c->refused ? -1 : 0;
    default:
        return emit_refuse(c, "this value in a numeric comparison");
    }
}

/* `F op n`, or test(a op b) when either side is more than a field and a
 * number; equality as two orderings, since `=` compares text. */
static int order_ls(emit_ctx *c, const expr *a, int op, const expr *b)
{
    static const char *const ops[] = {NULL, NULL, " < ", " <= ", " > ", " >= "};
    static const int mirror[] = {CMP_EQ, CMP_NE, CMP_GT, CMP_GE, CMP_LT, CMP_LE};
    a = unwrap_float(a), b = unwrap_float(b);
    if (a->kind == EX_LIT && b->kind == EX_FIELD) /* the field goes left */
        return order_ls(c, b, mirror[op], a);
    int filter = a->kind == EX_FIELD && b->kind == EX_LIT;
    if (op == CMP_EQ || op == CMP_NE) {
        if (!filter)
            return emit_refuse(c, "a numeric equality of computed values");
        put(c, "(");
        order_ls(c, a, op == CMP_EQ ? CMP_GE : CMP_LT, b);
        put(c, op == CMP_EQ ? " and " : " or ");
        order_ls(c, a, op == CMP_EQ ? CMP_LE : CMP_GT, b);
        put(c, ")");
        return c->refused ? -1 : 0;
    }
    put(c, filter ? "" : "test(");
    value_expr(c, a, 0);
    put(c, ops[op]);
    value_expr(c, b, 0);
    put(c, filter ? "" : ")");
    return c->refused ? -1 : 0;
}

/* A numeric comparison, or (neg) the opposite one: a value that is not a
 * number fails both, as the plan's comparison is NULL on it. */
static int compare_ls(emit_ctx *c, const expr *e, int neg)
{
    static const int opposite[] = {CMP_NE, CMP_EQ, CMP_GE, CMP_GT, CMP_LE, CMP_LT};
    return order_ls(c, e->kids[0], neg ? opposite[e->op] : e->op, e->kids[1]);
}

/* `F IN (25, 465)` over numbers: one equality each, any (or, neg: none). */
static int numeric_in(emit_ctx *c, const expr *e, int neg)
{
    put(c, e->nkids > 2 ? "(" : "");
    for (unsigned k = 1; k < e->nkids && !c->refused; k++) {
        if (!numeric(e->kids[k]) || e->kids[k]->kind != EX_LIT)
            return emit_refuse(c, "an IN list mixing numbers and other values");
        put(c, k > 1 ? (neg ? " and " : " or ") : "");
        order_ls(c, e->kids[0], neg ? CMP_NE : CMP_EQ, e->kids[k]);
    }
    put(c, e->nkids > 2 ? ")" : "");
    return c->refused ? -1 : 0;
}

/* ---- one test ------------------------------------------------------------ */

/* Whether `F = 'v'` is the same test in LogScale: v has no `*` (its
 * wildcard); in the plan's logic (strict) also plain_text. */
static int same_eq(const expr *e, const expr *lit, int strict)
{
    const expr *f = e->kids[0];
    if (strict)
        return plain_text(lit, 0, f->kind == EX_CALL && f->op == FN_STR);
    return lit->lit.type == MC_STR && !memchr(lit->lit.u.s, '*', lit->lit.len);
}

/* Two-valued tests (what istrue() wraps, or with `strict` a test in the
 * plan's logic whose field is there): LogScale's own test, or (negate)
 * its own negation. 1 when `e` is one. */
static int own_test(emit_ctx *c, const expr *e, int negate, int strict)
{
    const expr *lit, *f;
    int lower;
    if ((f = pattern_or(e, &lower))) {
        patterns_ls(c, e, f, lower, negate);
    } else if ((f = text_in(e, &lower)) || (f = or_of_eq(e))) {
        put(c, negate ? "!" : "");
        in_ls(c, e, f, lower, e->kind == EX_OR ? 0 : 1);
    } else if ((f = str_eq(e, &lit)) && same_eq(e, lit, strict)) {
        fprintf(c->out, "%s%s", ls_field_name(c, f->slot), negate ? "!=" : "=");
        ls_value(c, &lit->lit, 0);
    } else if (e->kind == EX_REGEX && (f = e->kids[0])->kind == EX_CALL && f->op == FN_STR) {
        put(c, negate ? "!" : "");
        regex_ls(c, e, f->kids[0]);
    } else if ((e->kind == EX_REGEX || e->kind == EX_CIDR) && e->kids[0]->kind == EX_FIELD) {
        put(c, negate ? "!" : "");
        (e->kind == EX_REGEX ? regex_ls : cidr_ls)(c, e, e->kids[0]);
    } else {
        return 0;
    }
    return 1;
}

/* The field a test on one field reads, under str(), lower() and float(). */
static const expr *tested_field(const expr *e)
{
    const expr *f = e->kind == EX_OR ? e->kids[0]->kids[0] : e->kids[0];
    while (f->kind == EX_CALL && (f->op == FN_STR || f->op == FN_LOWER || f->op == FN_FLOAT))
        f = f->kids[0];
    return f->kind == EX_FIELD ? f : NULL;
}

/* A test in the plan's logic: TRUE where LogScale's holds; FALSE (neg)
 * where the field is there and it fails. */
static int test_ls(emit_ctx *c, const expr *e, int neg)
{
    int numeric_cmp = e->kind == EX_CMP && (numeric(e->kids[0]) || numeric(e->kids[1]));
    if (numeric_cmp)
        return compare_ls(c, e, neg);
    if (e->kind == EX_IN && e->nkids > 1 && numeric(e->kids[1]))
        return numeric_in(c, e, neg);
    const expr *f = tested_field(e);
    if (neg && f)
        fprintf(c->out, "(%s=* and ", ls_field_name(c, f->slot));
    int rc = own_test(c, e, neg, 1);
    put(c, neg && f ? ")" : "");
    if (!rc)
        return emit_refuse(c, "this test (only field=value, in(), regex(), cidr() and numeric "
                              "comparisons keep their meaning)");
    return c->refused ? -1 : 0;
}

/* ---- what the view derives ---------------------------------------------- */

/* The event names the view gives for a kind and a direction (view
 * logscale.c event_name(); Falcon's own names on Falcon input). */
static void event_names(emit_ctx *c, const char *kind, const char *dir)
{
    put(c, "in(field=#event_simpleName, values=[");
    const char *name = dir && strcmp(dir, "out") ? "NetworkReceiveAcceptIP" : "NetworkConnectIP";
    if (strcmp(kind, "proc") == 0)
        put(c, "ProcessRollup2, SyntheticProcessRollup2");
    else if (dir)
        fprintf(c->out, "%s4, %s6", name, name);
    else
        put(c, "NetworkConnectIP4, NetworkConnectIP6, NetworkReceiveAcceptIP4, "
               "NetworkReceiveAcceptIP6");
    put(c, "])");
}

/* A kind test without a direction: a connection whose direction is
 * unknown has no event name in the view, so with --allow-loss such
 * connections are named as not carried. */
static int kind_alone(emit_ctx *c, const char *kind)
{
    if (strcmp(kind, "conn") == 0 &&
        emit_lose(c, "", "connections whose direction is unknown (LogScale's view names a "
                         "connection by its direction, #event_simpleName)"))
        return -1;
    if (strcmp(kind, "conn") && strcmp(kind, "proc"))
        return emit_refuse(c, "the event kind '%s' (LogScale's view has no event name for it)",
                           kind);
    event_names(c, kind, NULL);
    return 0;
}

/* Tests on what the view derives: 1 when `e` is one (written or refused). */
static int derived_ls(emit_ctx *c, const expr *e, int neg)
{
    const plan *p = c->p;
    const char *os = emit_product_test(p, e), *dir = emit_direction_test(p, e);
    const char *kind = emit_kind_test(p, e);
    if (os && emit_other_os(os)) { /* the path is not the other system's */
        fprintf(c->out, "%sregex(field=%s, regex=\"^(?:", neg ? "" : "!",
                view_name_of("logscale", MC_C_PROC_PATH));
        for (const char *s = emit_os_paths(emit_other_os(os)); *s; s++)
            fputs(*s == '\\' ? "\\\\" : (char[2]){*s, 0}, c->out);
        put(c, ")$\", flags=\"\")");
        return 1;
    }
    if (dir && strcmp(p->lang, "logscale")) { /* view: ConnectionDirection 0 out, 1 in */
        int out = strcmp(dir, "out") == 0;
        fprintf(c->out, "ConnectionDirection=%d", neg ? out : !out);
        return 1;
    }
    if (kind && neg)
        emit_refuse(c, "a negated test of the event kind");
    else if (kind)
        kind_alone(c, kind);
    return kind != NULL;
}

/* ---- logic --------------------------------------------------------------- */

static int join(emit_ctx *c, const expr *e, const char *op, int neg)
{
    put(c, "(");
    for (unsigned k = 0; k < e->nkids && !c->refused; k++) {
        put(c, k ? op : "");
        cond(c, e->kids[k], neg);
    }
    put(c, ")");
    return c->refused ? -1 : 0;
}

/* The terms of nested ANDs, in order. */
static int flatten(const expr *e, const expr **out, int n, int max)
{
    if (e->kind != EX_AND) {
        if (n < max)
            out[n++] = e;
        return n;
    }
    for (unsigned k = 0; k < e->nkids; k++)
        n = flatten(e->kids[k], out, n, max);
    return n;
}

/* A one-kid AND or OR (the Sigma front end wraps one value's test so) is
 * its kid. */
static const expr *unwrap(const expr *e)
{
    while ((e->kind == EX_AND || e->kind == EX_OR) && e->nkids == 1)
        e = e->kids[0];
    return e;
}

static int cond(emit_ctx *c, const expr *e, int neg)
{
    e = unwrap(e);
    if (c->refused || derived_ls(c, e, neg))
        return c->refused ? -1 : 0;
    switch (e->kind) {
    case EX_AND:
        if (!neg) {
            const expr *t[PLAN_MAX_STEPS * 4];
            put(c, "(");
            int rc = ls_and(c, t, flatten(e, t, 0, (int)(sizeof t / sizeof t[0])), 0);
            put(c, ")");
            return rc;
        }
        return join(c, e, " or ", 1);
    case EX_OR:    return join(c, e, neg ? " and " : " or ", neg);
    case EX_NOT:   return cond(c, e->kids[0], !neg);
    case EX_ISTRUE: /* LogScale's own test first: the front end reads it back the same */
        if (own_test(c, unwrap(e->kids[0]), neg, 0))
            return c->refused ? -1 : 0;
        if (!neg)
            return cond(c, e->kids[0], 0);
        put(c, "not (");
        cond(c, e->kids[0], 0);
        put(c, ")");
        return c->refused ? -1 : 0;
    case EX_ISNULL:
        if (e->kids[0]->kind != EX_FIELD)
            return emit_refuse(c, "IS NULL of a computed value");
        fprintf(c->out, "%s%s*", ls_field_name(c, e->kids[0]->slot), neg ? "=" : "!=");
        return c->refused ? -1 : 0;
    default:
        return test_ls(c, e, neg);
    }
}

int ls_cond(emit_ctx *c, const expr *e)
{
    return cond(c, e, 0);
}

/* ---- an AND of filters --------------------------------------------------- */

/* The index of the first kind test (direction: direction test), or -1. */
static int first_of(const emit_ctx *c, const expr *const *t, int n, int direction)
{
    for (int i = 0; i < n; i++)
        if (direction ? emit_direction_test(c->p, t[i]) != NULL
                      : emit_kind_test(c->p, t[i]) != NULL)
            return i;
    return -1;
}

/* A test on AQL's Event Direction (local or remote by QRadar's network
 * hierarchy) has no LogScale field; in an AND it only narrows the query,
 * so --allow-loss leaves it out. */
static int locality_left_out(emit_ctx *c, const expr *e)
{
    const char *name = emit_locality_test(c->p, e);
    if (name)
        emit_lose(c, "", "the test on %s (local or remote by QRadar's network hierarchy; "
                         "LogScale's ConnectionDirection is by who opened the connection)", name);
    return name != NULL;
}

int ls_and(emit_ctx *c, const expr *const *t, int n, int stages)
{
    int kind = first_of(c, t, n, 0), dir = first_of(c, t, n, 1);
    if (kind < 0 || strcmp(emit_kind_test(c->p, t[kind]), "conn"))
        dir = -1; /* the pair is written as one event name; only connections have a direction */
    int pair = dir >= 0, written = 0;
    for (int i = 0; i < n && !c->refused; i++) {
        if ((pair && i == (kind > dir ? kind : dir)) || locality_left_out(c, t[i]))
            continue;
        if (stages)
            ls_stage(c);
        else
            put(c, written ? " and " : "");
        written++;
        if (pair && (i == kind || i == dir))
            event_names(c, "conn", emit_direction_test(c->p, t[dir]));
        else
            cond(c, t[i], 0);
        put(c, stages ? "\n" : "");
    }
    if (!written && !stages)
        return emit_refuse(c, "an AND whose every test LogScale leaves out");
    return c->refused ? -1 : 0;
}
