/* lex: the AQL lexer (see lex.h). Hand-written: it is small, and errors must
 * name the exact line and column. */
#include "lang/aql/lex.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/arena.h"

typedef struct scan {
    const char *s;
    size_t len, i;
    int line, col;
} scan;

static void step(scan *sc)
{
    if (sc->s[sc->i] == '\n') {
        sc->line++;
        sc->col = 1;
    } else {
        sc->col++;
    }
    sc->i++;
}

static int at(const scan *sc, size_t ahead)
{
    return sc->i + ahead < sc->len ? (unsigned char)sc->s[sc->i + ahead] : -1;
}

static void push(aql_tokens *t, int *cap, aql_token tok)
{
    if (t->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        t->tok = xrealloc(t->tok, sizeof *t->tok * (size_t)*cap);
    }
    t->tok[t->n++] = tok;
}

/* Skips blanks and comments; -1 with *e set for an unclosed comment or `--`. */
static int skip(scan *sc, lang_error *e)
{
    for (;;) {
        int c = at(sc, 0);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            step(sc);
        } else if (c == '/' && at(sc, 1) == '*') {
            int line = sc->line, col = sc->col;
            step(sc);
            step(sc);
            while (at(sc, 0) != -1 && !(at(sc, 0) == '*' && at(sc, 1) == '/'))
                step(sc);
            if (at(sc, 0) == -1)
                return lang_fail(e, line, col, "unterminated /* comment");
            step(sc);
            step(sc);
        } else if (c == '-' && at(sc, 1) == '-') {
            return lang_fail(e, sc->line, sc->col, "'--' comments are not AQL; use /* ... */");
        } else {
            return 0;
        }
    }
}

static int quoted(scan *sc, aql_token *tok, char quote, lang_error *e)
{
    step(sc);
    tok->p = sc->s + sc->i;
    for (;;) {
        if (at(sc, 0) == -1)
            return lang_fail(e, tok->line, tok->col, quote == '\'' ? "unterminated string"
                                                                   : "unterminated \"name\"");
        if (at(sc, 0) == quote) {
            if (quote == '\'' && at(sc, 1) == '\'') { /* '' is a quote */
                step(sc);
                step(sc);
                continue;
            }
            break;
        }
        step(sc);
    }
    tok->len = (size_t)(sc->s + sc->i - tok->p);
    step(sc);
    if (quote == '"' && tok->len == 0)
        return lang_fail(e, tok->line, tok->col, "empty \"\" name");
    return 0;
}

static int ident_char(int c, int first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

static void number(scan *sc, aql_token *tok)
{
    tok->p = sc->s + sc->i;
    if (at(sc, 0) == '0' && (at(sc, 1) == 'x' || at(sc, 1) == 'X')) {
        step(sc);
        step(sc);
        while (at(sc, 0) > 0 && strchr("0123456789abcdefABCDEF", at(sc, 0)))
            step(sc);
    } else {
        while ((at(sc, 0) >= '0' && at(sc, 0) <= '9') || at(sc, 0) == '.')
            step(sc);
    }
    tok->len = (size_t)(sc->s + sc->i - tok->p);
}

static const struct { const char *text; int kind; } ops[] = {
    {"<>", A_NE}, {"!=", A_NE}, {"==", A_EQ}, {"<=", A_LE}, {">=", A_GE}, {"(", A_LPAREN},
    {")", A_RPAREN}, {",", A_COMMA}, {";", A_SEMI}, {"*", A_STAR}, {"+", A_PLUS},
    {"-", A_MINUS}, {"/", A_SLASH}, {"%", A_PERCENT}, {"^", A_CARET}, {"&", A_AMP},
    {"=", A_EQ}, {"<", A_LT}, {">", A_GT},
};

static int one(scan *sc, aql_token *tok, lang_error *e)
{
    int c = at(sc, 0);
    if (c == '\'' || c == '"') {
        tok->kind = c == '\'' ? A_STRING : A_DQNAME;
        return quoted(sc, tok, (char)c, e);
    }
    if ((c >= '0' && c <= '9') || (c == '.' && at(sc, 1) >= '0' && at(sc, 1) <= '9')) {
        tok->kind = A_NUMBER;
        number(sc, tok);
        return 0;
    }
    if (ident_char(c, 1)) {
        tok->kind = A_IDENT;
        tok->p = sc->s + sc->i;
        while (ident_char(at(sc, 0), 0))
            step(sc);
        tok->len = (size_t)(sc->s + sc->i - tok->p);
        return 0;
    }
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        size_t n = strlen(ops[k].text);
        if (sc->i + n <= sc->len && memcmp(sc->s + sc->i, ops[k].text, n) == 0) {
            tok->kind = ops[k].kind;
            tok->p = sc->s + sc->i;
            tok->len = n;
            while (n--)
                step(sc);
            return 0;
        }
    }
    return lang_fail(e, sc->line, sc->col, "unexpected character '%c'", c);
}

int aql_lex(const lang_src *src, aql_tokens *out, lang_error *e)
{
    scan sc = {src->text, src->len, 0, 1, 1};
    int cap = 0, end_line = 1, end_col = 1;
    out->tok = NULL;
    out->n = 0;
    for (;;) {
        if (skip(&sc, e))
            return -1;
        aql_token tok = {A_EOF, sc.s + sc.i, 0, sc.line, sc.col};
        if (at(&sc, 0) == -1) {
            /* placed just after the last token, for messages */
            tok.line = end_line;
            tok.col = end_col;
            push(out, &cap, tok);
            return 0;
        }
        if (one(&sc, &tok, e))
            return -1;
        push(out, &cap, tok);
        end_line = sc.line;
        end_col = sc.col;
    }
}

void aql_tokens_free(aql_tokens *t)
{
    free(t->tok);
    t->tok = NULL;
    t->n = 0;
}

int aql_is(const aql_token *t, const char *keyword)
{
    return t->kind == A_IDENT && strlen(keyword) == t->len &&
           strncasecmp(t->p, keyword, t->len) == 0;
}
