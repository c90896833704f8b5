/* cond: the condition of a detection (sigma.md §2), by recursive descent,
 * one function per grammar rule:
 *
 *   or_expr  = and_expr { "or" and_expr }
 *   and_expr = not_expr { "and" not_expr }
 *   not_expr = { "not" } quant
 *   quant    = ("1" | "all") "of" ("them" | pattern) | atom
 *   atom     = search_id | "(" or_expr ")"
 *
 * Keywords are matched ignoring case. Long flat chains (`a or b or ...`)
 * are loops, collected into one n-ary node; only parentheses recurse, and
 * their nesting is bounded (SG_MAX_DEPTH) so that no rule text can exhaust
 * the stack. */
#include "lang/sigma/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/arena.h"

enum tok { T_END, T_LP, T_RP, T_AND, T_OR, T_NOT, T_OF, T_ALL, T_THEM, T_NUM, T_ID, T_PIPE,
           T_BAD };

typedef struct cparse {
    sg_ctx *c;
    struct fy_node *node;
    const char *s;
    int tok;
    size_t at, len;          /* the current token: s[at..at+len) */
    size_t next;             /* where the token after it starts */
    int depth;
    const char *const *ids;
    expr *const *exprs;
    int n;
} cparse;

static int id_char(char ch)
{
    return ch == '_' || ch == '*' || ch == '?' || (ch >= '0' && ch <= '9') ||
           (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_kw(const cparse *q, const char *kw)
{
    return strlen(kw) == q->len && strncasecmp(q->s + q->at, kw, q->len) == 0;
}

static int classify(const cparse *q)
{
    static const struct { const char *kw; int tok; } kws[] = {
        {"and", T_AND}, {"or", T_OR}, {"not", T_NOT}, {"of", T_OF}, {"all", T_ALL},
        {"them", T_THEM},
    };
    for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++)
        if (is_kw(q, kws[i].kw))
            return kws[i].tok;
    size_t digits = strspn(q->s + q->at, "0123456789");
    return digits >= q->len ? T_NUM : T_ID;
}

static void advance(cparse *q)
{
    size_t i = q->next;
    while (q->s[i] == ' ' || q->s[i] == '\t' || q->s[i] == '\n' || q->s[i] == '\r')
        i++;
    q->at = i;
    q->len = 1;
    char ch = q->s[i];
    if (!ch) {
        q->tok = T_END;
        q->len = 0;
    } else if (ch == '(' || ch == ')' || ch == '|') {
        q->tok = ch == '(' ? T_LP : ch == ')' ? T_RP : T_PIPE;
    } else if (id_char(ch)) {
        while (id_char(q->s[i + q->len]))
            q->len++;
        q->tok = classify(q);
    } else {
        q->tok = T_BAD;
    }
    q->next = q->at + q->len;
}

/* The error at the current token: the condition's place plus the token's
 * offset when the condition is written on one line (plain or quoted; a
 * quoted scalar's place is already inside its quotes). */
static expr *fail_here(cparse *q, const char *fmt, const char *arg)
{
    sg_fail(q->c, q->node, fmt, arg);
    enum fy_node_style st = fy_node_get_style(q->node);
    if (!strchr(q->s, '\n') && (st == FYNS_PLAIN || st == FYNS_SINGLE_QUOTED ||
                                st == FYNS_DOUBLE_QUOTED))
        q->c->e->col += (int)q->at;
    return NULL;
}

/* The current token's text, for messages. */
static const char *tok_text(cparse *q, char *buf, size_t cap)
{
    if (q->tok == T_END)
        return "the end";
    snprintf(buf, cap, "'%.*s'", (int)(q->len < cap - 3 ? q->len : cap - 3), q->s + q->at);
    return buf;
}

static expr *or_expr(cparse *q);

/* `*` any run, `?` one character; the classic loop that returns to the
 * last star, so that no pattern makes it slow or deep. */
static int glob_match(const char *pat, size_t plen, const char *s)
{
    size_t p = 0, star = (size_t)-1;
    const char *retry = NULL;
    while (*s) {
        if (p < plen && pat[p] == '*') {
            star = p++;
            retry = s;
        } else if (p < plen && (pat[p] == '?' || pat[p] == *s)) {
            p++;
            s++;
        } else if (retry) {
            p = star + 1;
            s = ++retry;
        } else {
            return 0;
        }
    }
    while (p < plen && pat[p] == '*')
        p++;
    return p == plen;
}

/* `1 of pattern`, `all of them`: any or every search the pattern names
 * (`them`: every search not starting with `_`). */
static expr *quantified(cparse *q, int all)
{
    char buf[80];
    advance(q); /* of */
    advance(q);
    if (q->tok != T_THEM && q->tok != T_ID && q->tok != T_NUM)
        return fail_here(q, "a search pattern or `them` after `of`, not %s",
                         tok_text(q, buf, sizeof buf));
    expr **kids = xmalloc(sizeof *kids * (size_t)(q->n ? q->n : 1)), *e = NULL;
    int k = 0;
    for (int i = 0; i < q->n; i++) {
        int pick = q->tok == T_THEM ? q->ids[i][0] != '_'
                                    : glob_match(q->s + q->at, q->len, q->ids[i]);
        if (pick)
            kids[k++] = q->exprs[i];
    }
    if (k == 0)
        fail_here(q, "no search matches %s", tok_text(q, buf, sizeof buf));
    else
        e = plan_logic(q->c->p, all ? EX_AND : EX_OR, k, kids);
    free(kids);
    advance(q);
    return e;
}

static expr *atom(cparse *q)
{
    char buf[80];
    if (q->tok == T_LP) {
        if (++q->depth > SG_MAX_DEPTH)
            return fail_here(q, "the condition nests parentheses deeper than %s", "64");
        advance(q);
        expr *e = or_expr(q);
        if (!e)
            return NULL;
        if (q->tok != T_RP)
            return fail_here(q, "')' expected, found %s", tok_text(q, buf, sizeof buf));
        q->depth--;
        advance(q);
        return e;
    }
    if (q->tok == T_PIPE)
        return fail_here(q, "%s: aggregations after `|` are Sigma 1; write a correlation rule",
                         "the condition");
    if (q->tok != T_ID)
        return fail_here(q, "a search, '(', `not`, `1 of` or `all of` expected, found %s",
                         tok_text(q, buf, sizeof buf));
    for (int i = 0; i < q->n; i++)
        if (strlen(q->ids[i]) == q->len && !strncmp(q->ids[i], q->s + q->at, q->len)) {
            advance(q);
            return q->exprs[i];
        }
    if (memchr(q->s + q->at, '*', q->len))
        return fail_here(q, "pattern %s needs `1 of` or `all of` before it",
                         tok_text(q, buf, sizeof buf));
    return fail_here(q, "unknown search %s", tok_text(q, buf, sizeof buf));
}

/* The token after the current one, without consuming it. */
static int peek(const cparse *q)
{
    cparse ahead = *q;
    advance(&ahead);
    return ahead.tok;
}

static expr *quant(cparse *q)
{
    int all = q->tok == T_ALL;
    if ((all || q->tok == T_NUM) && peek(q) == T_OF) {
        if (!all && !is_kw(q, "1"))
            return fail_here(q, "%s: only `1 of` and `all of` are Sigma; a count of searches "
                             "is not", "the condition");
        return quantified(q, all);
    }
    return atom(q);
}

static expr *not_expr(cparse *q)
{
    int nots = 0;
    for (; q->tok == T_NOT; nots++)
        advance(q);
    expr *e = quant(q);
    return e && nots % 2 ? plan_not(q->c->p, e) : e;
}

/* One operand chain of `and` or `or`, as one node; grows as it goes. */
static expr *chain(cparse *q, int op_tok, int kind, expr *(*operand)(cparse *))
{
    int cap = 8, n = 0;
    expr **kids = xmalloc(sizeof *kids * (size_t)cap), *e = NULL;
    for (;;) {
        if (n == cap)
            kids = xrealloc(kids, sizeof *kids * (size_t)(cap *= 2));
        if (!(kids[n++] = operand(q)))
            break;
        if (q->tok != op_tok) {
            e = n == 1 ? kids[0] : plan_logic(q->c->p, kind, n, kids);
            break;
        }
        advance(q);
    }
    free(kids);
    return e;
}

static expr *and_expr(cparse *q)
{
    return chain(q, T_AND, EX_AND, not_expr);
}

static expr *or_expr(cparse *q)
{
    return chain(q, T_OR, EX_OR, and_expr);
}

expr *sg_condition(sg_ctx *c, struct fy_node *cond, const char *const *ids, expr *const *exprs,
                   int n)
{
    const char *s = sg_text(cond);
    if (!s)
        return sg_error(c, cond, "a condition is text");
    cparse q = {c, cond, s, T_END, 0, 0, 0, 0, ids, exprs, n};
    advance(&q);
    if (q.tok == T_END)
        return sg_error(c, cond, "the condition is empty");
    expr *e = or_expr(&q);
    char buf[80];
    if (e && q.tok != T_END)
        return fail_here(&q, q.tok == T_PIPE ? "%s: aggregations after `|` are Sigma 1; write "
                         "a correlation rule" : "%s after the condition",
                         q.tok == T_PIPE ? "the condition" : tok_text(&q, buf, sizeof buf));
    return e;
}
