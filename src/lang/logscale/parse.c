/* parse: recursive descent over CQL (grammar: logscale.md §1), one function
 * per rule, building the tree in ast.h. The parser owns the lexer position
 * and asks for each token in the mode the rule needs (see lex.h). */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "lang/logscale/ast.h"
#include "util/arena.h"

struct ls_parser {
    const lang_src *src;
    arena mem;
    ls_pos pos;
    lang_error *err;
    jmp_buf fail;     /* unwinds to ls_parse on the first error */
    int depth;
};

enum { MAX_DEPTH = 200 };

static ls_token peek_mode(ls_parser *p, int mode)
{
    return ls_lex(p->src->text, p->src->len, p->pos, mode);
}

static ls_token peek(ls_parser *p)
{
    return peek_mode(p, LEX_FILTER);
}

/* The token after `t`, in `mode`. */
static ls_token after(ls_parser *p, const ls_token *t, int mode)
{
    return ls_lex(p->src->text, p->src->len, t->end, mode);
}

static _Noreturn void error_at(ls_parser *p, const ls_token *t, const char *fmt, const char *arg)
{
    if (t->kind == T_ERROR)
        lang_fail(p->err, t->at.line, t->at.col, "%s", t->error);
    else
        lang_fail(p->err, t->at.line, t->at.col, fmt, arg);
    longjmp(p->fail, 1);
}

static _Noreturn void expected(ls_parser *p, const ls_token *t, const char *what)
{
    char msg[160];
    if (t->kind == T_EOF)
        snprintf(msg, sizeof msg, "expected %s at the end of the query", what);
    else
        snprintf(msg, sizeof msg, "expected %s near '%.*s'", what, (int)(t->len > 40 ? 40 : t->len),
                 t->p);
    error_at(p, t, "%s", msg);
}

static ls_token take(ls_parser *p, int mode)
{
    ls_token t = peek_mode(p, mode);
    if (t.kind == T_ERROR)
        error_at(p, &t, "%s", t.error);
    p->pos = t.end;
    return t;
}

static ls_token expect(ls_parser *p, int kind, int mode, const char *what)
{
    ls_token t = peek_mode(p, mode);
    if (t.kind != kind)
        expected(p, &t, what);
    p->pos = t.end;
    return t;
}

static ls_ast *node(ls_parser *p, int kind, const ls_token *at)
{
    ls_ast *n = arena_alloc(&p->mem, sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->at = at->at;
    return n;
}

static void add_kid(ls_parser *p, ls_ast *n, ls_ast *kid)
{
    /* Children are few; grow by doubling into the arena. */
    if ((n->nkids & (n->nkids - 1)) == 0) {
        int cap = n->nkids ? n->nkids * 2 : 1;
        ls_ast **kids = arena_alloc(&p->mem, sizeof *kids * (size_t)cap);
        if (n->nkids)
            memcpy(kids, n->kids, sizeof *kids * (size_t)n->nkids);
        n->kids = kids;
    }
    n->kids[n->nkids++] = kid;
}

static ls_ast *pair(ls_parser *p, int kind, const ls_token *at, ls_ast *a, ls_ast *b)
{
    ls_ast *n = node(p, kind, at);
    add_kid(p, n, a);
    if (b)
        add_kid(p, n, b);
    return n;
}

/* A leaf from a word, string or regex token; strings are unescaped: only
 * \" and \\ are escapes, any other \x stays as written (logscale.md §1). */
static ls_ast *leaf(ls_parser *p, const ls_token *t)
{
    static const int kinds[] = {[T_WORD] = N_WORD, [T_STRING] = N_STRING, [T_REGEX] = N_REGEX};
    ls_ast *n = node(p, kinds[t->kind], t);
    char *s = arena_alloc(&p->mem, t->len + 1);
    size_t j = 0;
    for (size_t i = 0; i < t->len; i++) {
        if (t->kind == T_STRING && t->p[i] == '\\' && i + 1 < t->len &&
            (t->p[i + 1] == '"' || t->p[i + 1] == '\\'))
            i++;
        s[j++] = t->p[i];
    }
    s[j] = '\0';
    n->text = s;
    n->len = j;
    if (t->kind == T_REGEX)
        n->flags = arena_strndup(&p->mem, t->flags, t->flen);
    return n;
}

static void enter(ls_parser *p, const ls_token *t)
{
    if (++p->depth > MAX_DEPTH)
        error_at(p, t, "query nested deeper than %s levels", "200");
}

static ls_ast *pipeline(ls_parser *p, int in_braces);
static ls_ast *filter(ls_parser *p);
static ls_ast *expression(ls_parser *p);

static int adjacent(const ls_token *a, const ls_token *b)
{
    return a->end.off == b->at.off;
}

static ls_ast *value(ls_parser *p);

/* args := '(' [ arg { ',' arg } ] ')' ; arg := [ name '=' ] value */
static ls_ast *call(ls_parser *p, const ls_token *name)
{
    ls_ast *n = leaf(p, name);
    n->kind = N_CALL;
    expect(p, T_LPAREN, LEX_FILTER, "'('");
    int is_test = ls_is_word(name, "test");
    if (peek(p).kind == T_RPAREN) {
        take(p, LEX_FILTER);
        return n;
    }
    for (;;) {
        ls_token t = peek(p), eq = after(p, &t, LEX_FILTER);
        ls_ast *arg = node(p, N_ARG, &t);
        if (t.kind == T_WORD && eq.kind == T_EQ && !is_test) {
            arg->text = leaf(p, &t)->text;
            p->pos = eq.end;
        }
        /* test() and eval()'s right side are expressions, not values. */
        int expr = is_test || (ls_is_word(name, "eval") && arg->text);
        add_kid(p, arg, expr ? expression(p) : value(p));
        add_kid(p, n, arg);
        ls_token sep = take(p, LEX_FILTER);
        if (sep.kind == T_RPAREN)
            return n;
        if (sep.kind != T_COMMA)
            expected(p, &sep, "',' or ')' in the argument list");
    }
}

/* value := string | regex | word | call | array | '{' pipeline '}' */
static ls_ast *value(ls_parser *p)
{
    ls_token t = take(p, LEX_FILTER);
    switch (t.kind) {
    case T_STRING:
    case T_REGEX:
        return leaf(p, &t);
    case T_WORD: {
        ls_token next = peek(p);
        return next.kind == T_LPAREN && adjacent(&t, &next) ? call(p, &t) : leaf(p, &t);
    }
    case T_LBRACK: {
        ls_ast *n = node(p, N_ARRAY, &t);
        if (peek(p).kind == T_RBRACK) {
            take(p, LEX_FILTER);
            return n;
        }
        for (;;) {
            add_kid(p, n, value(p));
            ls_token sep = take(p, LEX_FILTER);
            if (sep.kind == T_RBRACK)
                return n;
            if (sep.kind != T_COMMA)
                expected(p, &sep, "',' or ']' in the array");
        }
    }
    case T_LBRACE: {
        enter(p, &t);
        ls_ast *n = pair(p, N_SUBQUERY, &t, pipeline(p, 1), NULL);
        expect(p, T_RBRACE, LEX_FILTER, "'}' after the subquery");
        p->depth--;
        return n;
    }
    default:
        expected(p, &t, "a value");
    }
}

static int is_compare(int kind)
{
    return kind == T_EQ || kind == T_NE || kind == T_LT || kind == T_LE || kind == T_GT ||
           kind == T_GE;
}

/* primary := '(' filter ')' | call | field op value | field like value | free text */
static ls_ast *primary(ls_parser *p)
{
    ls_token t = peek(p);
    if (t.kind == T_LPAREN) {
        take(p, LEX_FILTER);
        enter(p, &t);
        ls_ast *n = filter(p);
        expect(p, T_RPAREN, LEX_FILTER, "')'");
        p->depth--;
        return n;
    }
    if (t.kind == T_STRING || t.kind == T_REGEX) {
        take(p, LEX_FILTER);
        return pair(p, N_FREE, &t, leaf(p, &t), NULL);
    }
    if (t.kind != T_WORD)
        expected(p, &t, "a filter");
    take(p, LEX_FILTER);
    ls_token next = peek(p);
    if (next.kind == T_LPAREN && adjacent(&t, &next))
        return call(p, &t);
    if (is_compare(next.kind)) {
        take(p, LEX_FILTER);
        ls_ast *n = pair(p, N_COMPARE, &next, leaf(p, &t), value(p));
        n->op = next.kind;
        return n;
    }
    if (ls_is_word(&next, "like")) {
        take(p, LEX_FILTER);
        return pair(p, N_LIKE, &next, leaf(p, &t), value(p));
    }
    return pair(p, N_FREE, &t, leaf(p, &t), NULL);
}

/* unary := { 'not' | '!' } primary */
static ls_ast *unary(ls_parser *p)
{
    ls_token t = peek(p);
    if (t.kind == T_BANG || ls_is_word(&t, "not")) {
        take(p, LEX_FILTER);
        enter(p, &t);
        ls_ast *n = pair(p, N_NOT, &t, unary(p), NULL);
        p->depth--;
        return n;
    }
    return primary(p);
}

/* or_filter := unary { 'or' unary } — OR binds tighter than AND (§1). */
static ls_ast *or_filter(ls_parser *p)
{
    ls_ast *left = unary(p);
    for (ls_token t = peek(p); ls_is_word(&t, "or"); t = peek(p)) {
        take(p, LEX_FILTER);
        left = pair(p, N_OR, &t, left, unary(p));
    }
    return left;
}

static int ends_filter(const ls_token *t)
{
    return t->kind == T_EOF || t->kind == T_PIPE || t->kind == T_RPAREN ||
           t->kind == T_RBRACE || t->kind == T_SEMI || t->kind == T_ARROW;
}

/* filter := or_filter { [ 'and' ] or_filter } — juxtaposition is AND. */
static ls_ast *filter(ls_parser *p)
{
    ls_ast *left = or_filter(p);
    for (ls_token t = peek(p); !ends_filter(&t); t = peek(p)) {
        if (ls_is_word(&t, "and"))
            take(p, LEX_FILTER);
        left = pair(p, N_AND, &t, left, or_filter(p));
    }
    return left;
}

/* Expressions (the right side of :=, test(), eval()). */
static ls_ast *expr_atom(ls_parser *p)
{
    ls_token t = take(p, LEX_EXPR);
    if (t.kind == T_MINUS) {
        enter(p, &t);
        ls_ast *n = pair(p, N_NEG, &t, expr_atom(p), NULL);
        p->depth--;
        return n;
    }
    if (t.kind == T_LPAREN) {
        enter(p, &t);
        ls_ast *n = expression(p);
        expect(p, T_RPAREN, LEX_EXPR, "')'");
        p->depth--;
        return n;
    }
    if (t.kind == T_STRING)
        return leaf(p, &t);
    if (t.kind != T_WORD)
        expected(p, &t, "a value, field or function call");
    ls_token next = peek_mode(p, LEX_EXPR);
    if (next.kind == T_LPAREN && adjacent(&t, &next))
        return call(p, &t);
    ls_ast *n = leaf(p, &t);
    n->kind = (t.p[0] >= '0' && t.p[0] <= '9') || t.p[0] == '.' ? N_NUMBER : N_NAME;
    return n;
}

static ls_ast *binary(ls_parser *p, int level)
{
    static const int ops[3][6] = {
        {T_EQEQ, T_NE, T_LT, T_LE, T_GT, T_GE},
        {T_PLUS, T_MINUS},
        {T_STAR, T_SLASH},
    };
    if (level == 3)
        return expr_atom(p);
    ls_ast *left = binary(p, level + 1);
    for (;;) {
        ls_token t = peek_mode(p, LEX_EXPR);
        int found = 0;
        for (int i = 0; i < 6 && ops[level][i]; i++)
            found |= t.kind == ops[level][i];
        if (!found)
            return left;
        take(p, LEX_EXPR);
        ls_ast *n = pair(p, N_BINOP, &t, left, binary(p, level + 1));
        n->op = t.kind;
        left = n;
        if (level == 0)
            return left; /* comparisons do not chain */
    }
}

static ls_ast *expression(ls_parser *p)
{
    return binary(p, 0);
}

/* case_value := 'case' '{' ( filter | '*' ) '=>' expression { ';' ... } '}' */
static ls_ast *case_arms(ls_parser *p, const ls_token *kw, int values)
{
    ls_ast *n = node(p, values ? N_CASEVAL : N_CASE, kw);
    expect(p, T_LBRACE, LEX_FILTER, "'{' after case");
    enter(p, kw);
    for (;;) {
        ls_token t = peek(p);
        if (t.kind == T_RBRACE)
            break;
        int star = t.kind == T_WORD && t.len == 1 && t.p[0] == '*';
        if (values) {
            ls_ast *arm = node(p, N_ARM, &t);
            if (star)
                take(p, LEX_FILTER);
            add_kid(p, arm, star ? node(p, N_STAR, &t) : filter(p));
            expect(p, T_ARROW, LEX_FILTER, "'=>' in the case arm");
            add_kid(p, arm, expression(p));
            add_kid(p, n, arm);
        } else {
            if (star) {
                take(p, LEX_FILTER);
                if (peek(p).kind == T_PIPE)
                    take(p, LEX_FILTER);
            }
            ls_ast *branch = star && (peek(p).kind == T_SEMI || peek(p).kind == T_RBRACE)
                                  ? node(p, N_PIPELINE, &t) : pipeline(p, 1);
            branch->op = star;
            add_kid(p, n, branch);
        }
        ls_token sep = take(p, LEX_FILTER);
        if (sep.kind == T_RBRACE) {
            p->depth--;
            return n;
        }
        if (sep.kind != T_SEMI)
            expected(p, &sep, "';' or '}' in the case");
    }
    take(p, LEX_FILTER);
    p->depth--;
    return n;
}

/* field match { pattern => pipeline ; ... } */
static ls_ast *match_stmt(ls_parser *p, const ls_token *field)
{
    ls_ast *n = leaf(p, field);
    n->kind = N_MATCH;
    take(p, LEX_FILTER); /* 'match' */
    expect(p, T_LBRACE, LEX_FILTER, "'{' after match");
    enter(p, field);
    while (peek(p).kind != T_RBRACE) {
        ls_token t = take(p, LEX_FILTER);
        ls_ast *arm = node(p, N_ARM, &t);
        int star = t.kind == T_WORD && t.len == 1 && t.p[0] == '*';
        if (!star && t.kind != T_WORD && t.kind != T_STRING && t.kind != T_REGEX)
            expected(p, &t, "a pattern in the match arm");
        add_kid(p, arm, star ? node(p, N_STAR, &t) : leaf(p, &t));
        expect(p, T_ARROW, LEX_FILTER, "'=>' in the match arm");
        add_kid(p, arm, pipeline(p, 1));
        add_kid(p, n, arm);
        ls_token sep = peek(p);
        if (sep.kind == T_SEMI)
            take(p, LEX_FILTER);
        else if (sep.kind != T_RBRACE)
            expected(p, &sep, "';' or '}' in the match");
    }
    take(p, LEX_FILTER);
    p->depth--;
    return n;
}

/* step := case_stmt | field ':=' value | field 'match' {...} | filter */
static ls_ast *step(ls_parser *p)
{
    ls_token t = peek(p);
    ls_token next = after(p, &t, LEX_FILTER);
    if (ls_is_word(&t, "case") && next.kind == T_LBRACE) {
        take(p, LEX_FILTER);
        return case_arms(p, &t, 0);
    }
    if (t.kind == T_WORD && next.kind == T_ASSIGN) {
        p->pos = next.end;
        ls_ast *n = leaf(p, &t);
        n->kind = N_ASSIGN;
        ls_token kw = peek(p), brace = after(p, &kw, LEX_FILTER);
        if (ls_is_word(&kw, "case") && brace.kind == T_LBRACE) {
            take(p, LEX_FILTER);
            add_kid(p, n, case_arms(p, &kw, 1));
        } else {
            add_kid(p, n, expression(p));
        }
        return n;
    }
    if (t.kind == T_WORD && ls_is_word(&next, "match") &&
        after(p, &next, LEX_FILTER).kind == T_LBRACE) {
        take(p, LEX_FILTER);
        return match_stmt(p, &t);
    }
    return filter(p);
}

/* pipeline := [ step { '|' step } ] */
static ls_ast *pipeline(ls_parser *p, int in_braces)
{
    ls_token t = peek(p);
    ls_ast *n = node(p, N_PIPELINE, &t);
    if (t.kind == T_EOF || (in_braces && (t.kind == T_RBRACE || t.kind == T_SEMI)))
        return n;
    for (;;) {
        add_kid(p, n, step(p));
        ls_token sep = peek(p);
        if (sep.kind != T_PIPE)
            return n;
        take(p, LEX_FILTER);
    }
}

ls_ast *ls_parse(const lang_src *src, ls_parser **out, lang_error *e)
{
    ls_parser *p = xcalloc(1, sizeof *p);
    p->src = src;
    arena_init(&p->mem);
    p->pos = (ls_pos){0, 1, 1};
    p->err = e;
    *out = p;
    if (setjmp(p->fail))
        return NULL;
    ls_ast *root = pipeline(p, 0);
    ls_token end = peek(p);
    if (end.kind != T_EOF)
        expected(p, &end, "'|' or the end of the query");
    return root;
}

void ls_parse_free(ls_parser *p)
{
    if (!p)
        return;
    arena_free(&p->mem);
    free(p);
}
