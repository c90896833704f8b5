/* parse: recursive descent over AQL (grammar and precedence: aql.md §1),
 * one function per rule. Clause order is fixed; a clause out of place is
 * refused with a message saying where it belongs. */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lang/aql/ast.h"
#include "util/arena.h"
#include "util/timeutil.h"

struct aql_parser {
    const lang_src *src;
    const lang_opts *opts;
    aql_tokens toks;
    int i;               /* next token */
    arena mem;
    lang_error *err;
    jmp_buf fail;
    int depth;
    aql_query q;
};

static const aql_token *peek(aql_parser *p, int ahead)
{
    int i = p->i + ahead;
    return &p->toks.tok[i < p->toks.n ? i : p->toks.n - 1];
}

static const aql_token *take(aql_parser *p)
{
    const aql_token *t = peek(p, 0);
    if (t->kind != A_EOF)
        p->i++;
    return t;
}

static _Noreturn void fail_at(aql_parser *p, const aql_token *t, const char *msg)
{
    lang_fail(p->err, t->line, t->col, "%s", msg);
    longjmp(p->fail, 1);
}

static _Noreturn void expected(aql_parser *p, const aql_token *t, const char *what)
{
    char msg[200];
    if (t->kind == A_EOF)
        snprintf(msg, sizeof msg, "expected %s at the end of the query", what);
    else
        snprintf(msg, sizeof msg, "expected %s near '%.*s'", what, (int)(t->len > 40 ? 40 : t->len),
                 t->p);
    fail_at(p, t, msg);
}

static int accept(aql_parser *p, const char *keyword)
{
    if (!aql_is(peek(p, 0), keyword))
        return 0;
    take(p);
    return 1;
}

static void keyword(aql_parser *p, const char *kw)
{
    if (!accept(p, kw)) {
        char what[40];
        snprintf(what, sizeof what, "%s", kw);
        expected(p, peek(p, 0), what);
    }
}

static const aql_token *expect(aql_parser *p, int kind, const char *what)
{
    if (peek(p, 0)->kind != kind)
        expected(p, peek(p, 0), what);
    return take(p);
}

static aql_ast *node(aql_parser *p, int kind, const aql_token *at)
{
    aql_ast *n = arena_alloc(&p->mem, sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->line = at->line;
    n->col = at->col;
    n->src = at->p;
    return n;
}

static void add(aql_parser *p, aql_ast *n, aql_ast *kid)
{
    if ((n->nkids & (n->nkids - 1)) == 0) {
        int cap = n->nkids ? n->nkids * 2 : 1;
        aql_ast **kids = arena_alloc(&p->mem, sizeof *kids * (size_t)cap);
        if (n->nkids)
            memcpy(kids, n->kids, sizeof *kids * (size_t)n->nkids);
        n->kids = kids;
    }
    n->kids[n->nkids++] = kid;
}

/* Text of a token with '' undone (strings) — names and literals. */
static const char *text(aql_parser *p, const aql_token *t, size_t *len)
{
    char *s = arena_alloc(&p->mem, t->len + 1);
    size_t j = 0;
    for (size_t i = 0; i < t->len; i++) {
        s[j++] = t->p[i];
        if (t->kind == A_STRING && t->p[i] == '\'' && i + 1 < t->len && t->p[i + 1] == '\'')
            i++;
    }
    s[j] = '\0';
    if (len)
        *len = j;
    return s;
}

/* Records where the expression ends, so its written text names a column. */
static aql_ast *finish(aql_parser *p, aql_ast *n)
{
    const aql_token *last = &p->toks.tok[p->i > 0 ? p->i - 1 : 0];
    const char *end = last->p + last->len + (last->kind == A_STRING || last->kind == A_DQNAME);
    n->srclen = end > n->src ? (size_t)(end - n->src) : 0;
    return n;
}

static const char *const reserved[] = {
    "select", "from", "where", "group", "by", "having", "order", "limit", "last", "start",
    "stop", "and", "or", "not", "in", "like", "ilike", "matches", "imatches", "between", "is",
    "null", "true", "false", "case", "when", "then", "else", "end", "as", "asc", "desc", "if",
    "distinct", "parameters", "into", "collate",
};

static int is_reserved(const aql_token *t)
{
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (aql_is(t, reserved[i]))
            return 1;
    return 0;
}

static aql_ast *expression(aql_parser *p);

static void enter(aql_parser *p)
{
    if (++p->depth > 200)
        fail_at(p, peek(p, 0), "expression nested too deeply");
}

static aql_ast *call(aql_parser *p, const aql_token *name)
{
    enter(p); /* LOWER(LOWER(...)) nests like parentheses */
    aql_ast *n = node(p, Q_CALL, name);
    n->text = text(p, name, &n->len);
    take(p); /* ( */
    if (peek(p, 0)->kind == A_STAR) {
        add(p, n, node(p, Q_STAR, take(p)));
    } else if (peek(p, 0)->kind != A_RPAREN) {
        n->distinct = accept(p, "distinct");
        do
            add(p, n, expression(p));
        while (peek(p, 0)->kind == A_COMMA && take(p));
    }
    expect(p, A_RPAREN, "',' or ')' in the argument list");
    p->depth--;
    return finish(p, n);
}

/* CASE [operand] WHEN a THEN b ... [ELSE c] END, and IF c THEN a ELSE b. */
static aql_ast *case_expr(aql_parser *p, const aql_token *at, int is_if)
{
    aql_ast *n = node(p, Q_CASE, at);
    if (is_if) {
        add(p, n, expression(p));
        keyword(p, "then");
        add(p, n, expression(p));
        keyword(p, "else");
        add(p, n, expression(p));
        n->has_else = 1;
        return finish(p, n);
    }
    if (!aql_is(peek(p, 0), "when")) {
        add(p, n, expression(p));
        n->has_operand = 1;
    }
    if (!aql_is(peek(p, 0), "when"))
        expected(p, peek(p, 0), "WHEN");
    while (accept(p, "when")) {
        add(p, n, expression(p));
        keyword(p, "then");
        add(p, n, expression(p));
    }
    if (accept(p, "else")) {
        add(p, n, expression(p));
        n->has_else = 1;
    }
    keyword(p, "end");
    return finish(p, n);
}

static aql_ast *primary(aql_parser *p)
{
    const aql_token *t = peek(p, 0);
    static const struct { const char *kw; int kind; } literals[] = {
        {"null", Q_NULL}, {"true", Q_TRUE}, {"false", Q_FALSE},
    };
    for (size_t i = 0; i < sizeof literals / sizeof literals[0]; i++)
        if (aql_is(t, literals[i].kw))
            return finish(p, node(p, literals[i].kind, take(p)));
    if (aql_is(t, "case") || aql_is(t, "if")) {
        take(p);
        return case_expr(p, t, aql_is(t, "if"));
    }
    switch (t->kind) {
    case A_NUMBER:
    case A_STRING: {
        aql_ast *n = node(p, t->kind == A_NUMBER ? Q_NUMBER : Q_STRING, take(p));
        n->text = text(p, t, &n->len);
        return finish(p, n);
    }
    case A_DQNAME: {
        aql_ast *n = node(p, Q_COLUMN, take(p));
        n->text = text(p, t, &n->len);
        n->quoted = 1;
        return finish(p, n);
    }
    case A_LPAREN: {
        take(p);
        enter(p);
        aql_ast *n = expression(p);
        expect(p, A_RPAREN, "')'");
        p->depth--;
        return n;
    }
    default:
        break;
    }
    if (t->kind == A_IDENT && peek(p, 1)->kind == A_LPAREN)
        return call(p, take(p));
    if (t->kind == A_IDENT && !is_reserved(t)) {
        aql_ast *n = node(p, Q_COLUMN, take(p));
        n->text = text(p, t, &n->len);
        return finish(p, n);
    }
    expected(p, t, "a value, column or function");
}

static aql_ast *binary(aql_parser *p, int op, const aql_token *at, aql_ast *a, aql_ast *b)
{
    aql_ast *n = node(p, Q_BINARY, at);
    n->op = op;
    n->src = a->src;
    add(p, n, a);
    add(p, n, b);
    return finish(p, n);
}

static aql_ast *unary(aql_parser *p)
{
    const aql_token *t = peek(p, 0);
    if (t->kind == A_MINUS) {
        take(p);
        enter(p);
        aql_ast *n = node(p, Q_NEG, t);
        add(p, n, unary(p));
        p->depth--;
        return finish(p, n);
    }
    return primary(p);
}

static aql_ast *power(aql_parser *p)
{
    aql_ast *left = unary(p);
    if (peek(p, 0)->kind == A_CARET) {
        const aql_token *t = take(p);
        left = binary(p, A_CARET, t, left, unary(p));
    }
    return left;
}

static aql_ast *term(aql_parser *p)
{
    aql_ast *left = power(p);
    for (int k = peek(p, 0)->kind; k == A_STAR || k == A_SLASH || k == A_PERCENT;
         k = peek(p, 0)->kind) {
        const aql_token *t = take(p);
        left = binary(p, k, t, left, power(p));
    }
    return left;
}

static aql_ast *sum(aql_parser *p)
{
    aql_ast *left = term(p);
    for (int k = peek(p, 0)->kind; k == A_PLUS || k == A_MINUS || k == A_AMP;
         k = peek(p, 0)->kind) {
        const aql_token *t = take(p);
        left = binary(p, k, t, left, term(p));
    }
    return left;
}

static aql_ast *wrap(aql_parser *p, int kind, const aql_token *at, aql_ast *subject, int negated)
{
    aql_ast *n = node(p, kind, at);
    n->src = subject->src;
    n->negated = negated;
    add(p, n, subject);
    return n;
}

static const struct { const char *kw; int op; } like_ops[] = {
    {"like", LIKE_LIKE}, {"ilike", LIKE_ILIKE}, {"matches", LIKE_MATCHES},
    {"imatches", LIKE_IMATCHES},
};

/* predicate := sum [ cmp sum | [NOT] IN (...) | [NOT] LIKE.. sum
 *                   | [NOT] BETWEEN sum AND sum | IS [NOT] NULL ] | TEXT SEARCH '..' */
static aql_ast *predicate(aql_parser *p)
{
    const aql_token *t = peek(p, 0);
    if (aql_is(t, "text") && aql_is(peek(p, 1), "search")) {
        take(p);
        take(p);
        if (peek(p, 0)->kind == A_EQ)
            take(p);
        aql_ast *n = node(p, Q_TEXTSEARCH, t);
        n->text = text(p, expect(p, A_STRING, "a 'quoted' search term"), &n->len);
        return finish(p, n);
    }
    aql_ast *left = sum(p);
    const aql_token *op = peek(p, 0);
    if (op->kind >= A_EQ && op->kind <= A_GE) {
        take(p);
        return binary(p, op->kind, op, left, sum(p));
    }
    if (aql_is(op, "is")) {
        take(p);
        aql_ast *n = wrap(p, Q_ISNULL, op, left, accept(p, "not"));
        keyword(p, "null");
        return finish(p, n);
    }
    int negated = aql_is(op, "not") && !aql_is(peek(p, 1), "null");
    if (negated)
        take(p);
    const aql_token *kw = peek(p, 0);
    if (accept(p, "in")) {
        aql_ast *n = wrap(p, Q_IN, kw, left, negated);
        expect(p, A_LPAREN, "'(' after IN");
        do
            add(p, n, expression(p));
        while (peek(p, 0)->kind == A_COMMA && take(p));
        expect(p, A_RPAREN, "',' or ')' in the IN list");
        return finish(p, n);
    }
    for (size_t i = 0; i < sizeof like_ops / sizeof like_ops[0]; i++)
        if (accept(p, like_ops[i].kw)) {
            aql_ast *n = wrap(p, Q_LIKE, kw, left, negated);
            n->op = like_ops[i].op;
            add(p, n, sum(p));
            return finish(p, n);
        }
    if (accept(p, "between")) {
        aql_ast *n = wrap(p, Q_BETWEEN, kw, left, negated);
        add(p, n, sum(p));
        keyword(p, "and");
        add(p, n, sum(p));
        return finish(p, n);
    }
    if (negated)
        expected(p, kw, "IN, LIKE, ILIKE, MATCHES, IMATCHES or BETWEEN after NOT");
    return left;
}

static aql_ast *not_expr(aql_parser *p)
{
    const aql_token *t = peek(p, 0);
    if (aql_is(t, "not")) {
        take(p);
        enter(p);
        aql_ast *n = node(p, Q_NOT, t);
        add(p, n, not_expr(p));
        p->depth--;
        return finish(p, n);
    }
    return predicate(p);
}

static aql_ast *and_expr(aql_parser *p)
{
    aql_ast *left = not_expr(p);
    while (aql_is(peek(p, 0), "and")) {
        const aql_token *t = take(p);
        left = binary(p, Q_AND, t, left, not_expr(p));
    }
    return left;
}

static aql_ast *expression(aql_parser *p)
{
    aql_ast *left = and_expr(p);
    while (aql_is(peek(p, 0), "or")) {
        const aql_token *t = take(p);
        left = binary(p, Q_OR, t, left, and_expr(p));
    }
    return left;
}

/* ---- clauses ------------------------------------------------------------- */

static const char *alias(aql_parser *p)
{
    const aql_token *t = peek(p, 0);
    if (t->kind == A_IDENT && !is_reserved(t))
        return text(p, take(p), NULL);
    if (t->kind == A_DQNAME || t->kind == A_STRING) /* 'alias' after AS is a name (§1) */
        return text(p, take(p), NULL);
    expected(p, t, "an alias after AS");
}

static void select_list(aql_parser *p)
{
    do {
        if (p->q.nitems == AQL_MAX_LIST)
            fail_at(p, peek(p, 0), "too many SELECT items");
        aql_item *it = &p->q.item[p->q.nitems++];
        if (peek(p, 0)->kind == A_STAR) {
            it->e = finish(p, node(p, Q_STAR, take(p)));
            continue;
        }
        it->e = expression(p);
        if (accept(p, "as"))
            it->alias = alias(p);
    } while (peek(p, 0)->kind == A_COMMA && take(p));
}

static void from_table(aql_parser *p)
{
    keyword(p, "from");
    const aql_token *t = expect(p, A_IDENT, "events or flows after FROM");
    if (aql_is(t, "events"))
        p->q.table = "events";
    else if (aql_is(t, "flows"))
        p->q.table = "flows";
    else
        fail_at(p, t, aql_is(t, "simarc") ? "FROM simarc is not supported by mailc2"
                                           : "FROM takes events or flows");
}

static void expr_list(aql_parser *p, aql_ast **out, int *n)
{
    do {
        if (*n == AQL_MAX_LIST)
            fail_at(p, peek(p, 0), "list too long");
        out[(*n)++] = expression(p);
    } while (peek(p, 0)->kind == A_COMMA && take(p));
}

static void order_list(aql_parser *p)
{
    do {
        if (p->q.norder == AQL_MAX_LIST)
            fail_at(p, peek(p, 0), "ORDER BY list too long");
        aql_order *o = &p->q.order[p->q.norder++];
        o->e = expression(p);
        o->desc = accept(p, "desc");
        if (!o->desc)
            accept(p, "asc");
        if (accept(p, "collate")) {
            const aql_token *t = expect(p, A_STRING, "a 'locale' after COLLATE");
            lang_warn(p->opts, p->src, t->line, t->col, "COLLATE is accepted and ignored: "
                      "mailc2 orders text bytewise");
        }
    } while (peek(p, 0)->kind == A_COMMA && take(p));
}

static int64_t whole_number(aql_parser *p, const char *what)
{
    const aql_token *t = expect(p, A_NUMBER, what);
    char *end;
    long long v = strtoll(t->p, &end, 10);
    if (end != t->p + t->len || v < 0)
        fail_at(p, t, "expected a whole number");
    return v;
}

/* A START/STOP time: epoch ms, 'yyyy-MM-dd HH:mm[:ss]', or
 * PARSEDATETIME('...') with an absolute time (§2). */
static int64_t time_value(aql_parser *p)
{
    const aql_token *t = peek(p, 0);
    if (t->kind == A_NUMBER)
        return whole_number(p, "a time");
    int wrapped = aql_is(t, "parsedatetime") && peek(p, 1)->kind == A_LPAREN;
    if (wrapped) {
        take(p);
        take(p);
    }
    const aql_token *s = expect(p, A_STRING, "a 'yyyy-MM-dd HH:mm' time");
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s%s", (int)(s->len < 40 ? s->len : 40), s->p,
             s->len == 16 ? ":00" : "");
    int64_t ms;
    if (time_parse_iso(buf, strlen(buf), &ms))
        fail_at(p, s, "expected a time like '2026-11-23 15:51' (relative times such as "
                      "'1 hour ago' are not supported by mailc2; use LAST)");
    if (wrapped)
        expect(p, A_RPAREN, "')'");
    return ms;
}

static void time_clause(aql_parser *p)
{
    const aql_token *t = peek(p, 0);
    p->q.time_line = t->line;
    p->q.time_col = t->col;
    if (accept(p, "last")) {
        int64_t n = whole_number(p, "a number after LAST");
        static const struct { const char *unit; int64_t ms; } units[] = {
            {"seconds", 1000}, {"second", 1000}, {"minutes", 60000}, {"minute", 60000},
            {"hours", 3600000}, {"hour", 3600000}, {"days", 86400000}, {"day", 86400000},
        };
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
            if (accept(p, units[i].unit)) {
                p->q.last_ms = n * units[i].ms;
                return;
            }
        expected(p, peek(p, 0), "SECONDS, MINUTES, HOURS or DAYS");
    }
    if (accept(p, "start")) {
        p->q.has_start = 1;
        p->q.start_ms = time_value(p);
        if (accept(p, "stop")) {
            p->q.has_stop = 1;
            p->q.stop_ms = time_value(p);
        }
    }
}

/* After the last clause: PARAMETERS are ignored with a warning, INTO is
 * refused, and a clause keyword here is out of order. */
static void trailer(aql_parser *p)
{
    const aql_token *t = peek(p, 0);
    if (aql_is(t, "parameters")) {
        lang_warn(p->opts, p->src, t->line, t->col, "PARAMETERS are QRadar execution "
                  "settings; mailc2 ignores them");
        while (peek(p, 0)->kind != A_EOF && peek(p, 0)->kind != A_SEMI)
            take(p);
    }
    if (aql_is(peek(p, 0), "into"))
        fail_at(p, peek(p, 0), "INTO (saving to a cursor) is not supported by mailc2");
    if (peek(p, 0)->kind == A_SEMI)
        take(p);
    t = peek(p, 0);
    static const char *const clauses[] = {"where", "group", "having", "order", "limit",
                                          "last", "start", "stop", "from"};
    for (size_t i = 0; i < sizeof clauses / sizeof clauses[0]; i++)
        if (aql_is(t, clauses[i]))
            fail_at(p, t, "clause out of order: AQL takes SELECT, FROM, WHERE, GROUP BY, "
                          "HAVING, ORDER BY, LIMIT, then LAST or START/STOP");
    if (t->kind != A_EOF)
        expected(p, t, "the end of the query");
}

static void query(aql_parser *p)
{
    keyword(p, "select");
    p->q.distinct = accept(p, "distinct");
    select_list(p);
    from_table(p);
    if (accept(p, "where"))
        p->q.where = expression(p);
    if (accept(p, "group")) {
        keyword(p, "by");
        expr_list(p, p->q.group, &p->q.ngroup);
    }
    if (accept(p, "having"))
        p->q.having = expression(p);
    if (accept(p, "order")) {
        keyword(p, "by");
        order_list(p);
    }
    if (accept(p, "limit"))
        p->q.limit = whole_number(p, "a number after LIMIT");
    time_clause(p);
    trailer(p);
}

aql_query *aql_parse(const lang_src *src, const lang_opts *o, aql_parser **out, lang_error *e)
{
    aql_parser *p = xcalloc(1, sizeof *p);
    *out = p;
    p->src = src;
    p->opts = o;
    p->err = e;
    arena_init(&p->mem);
    p->q.limit = -1;
    if (aql_lex(src, &p->toks, e))
        return NULL;
    if (setjmp(p->fail))
        return NULL;
    query(p);
    return &p->q;
}

void aql_parse_free(aql_parser *p)
{
    if (!p)
        return;
    aql_tokens_free(&p->toks);
    arena_free(&p->mem);
    free(p);
}
