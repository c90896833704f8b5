/* lex: the CQL lexer (see lex.h). Hand-written, like every mailc2 query
 * front end, because CQL's context-dependent `/` and bare tokens do not fit
 * a generated scanner, and because errors must point at exact columns. */
#include "lang/logscale/lex.h"

#include <string.h>
#include <strings.h>

typedef struct scan {
    const char *text;
    size_t len;
    ls_pos pos;
} scan;

static int peek(const scan *s, size_t ahead)
{
    size_t i = s->pos.off + ahead;
    return i < s->len ? (unsigned char)s->text[i] : -1;
}

static void step(scan *s)
{
    if (s->text[s->pos.off] == '\n') {
        s->pos.line++;
        s->pos.col = 1;
    } else {
        s->pos.col++;
    }
    s->pos.off++;
}

/* Skips whitespace and comments; returns an error text for an unclosed
 * block comment, with *at where that comment began. */
static const char *skip_space(scan *s, ls_pos *at)
{
    for (;;) {
        int c = peek(s, 0);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            step(s);
        } else if (c == '/' && peek(s, 1) == '/') {
            while (peek(s, 0) != -1 && peek(s, 0) != '\n')
                step(s);
        } else if (c == '/' && peek(s, 1) == '*') {
            *at = s->pos;
            step(s);
            step(s);
            while (peek(s, 0) != -1 && !(peek(s, 0) == '*' && peek(s, 1) == '/'))
                step(s);
            if (peek(s, 0) == -1)
                return "unterminated /* comment";
            step(s);
            step(s);
        } else {
            return NULL;
        }
    }
}

static ls_token make(const scan *s, int kind, ls_pos at)
{
    ls_token t = {0};
    t.kind = kind;
    t.at = at;
    t.end = s->pos;
    t.p = s->text + at.off;
    t.len = s->pos.off - at.off;
    return t;
}

static ls_token fail(const scan *s, ls_pos at, const char *why)
{
    ls_token t = make(s, T_ERROR, at);
    t.error = why;
    return t;
}

static ls_token lex_string(scan *s, ls_pos at)
{
    step(s); /* opening quote */
    while (peek(s, 0) != '"') {
        if (peek(s, 0) == -1)
            return fail(s, at, "unterminated string");
        if (peek(s, 0) == '\\' && peek(s, 1) != -1)
            step(s);
        step(s);
    }
    step(s);
    ls_token t = make(s, T_STRING, at);
    t.p++;
    t.len -= 2;
    return t;
}

static ls_token lex_regex(scan *s, ls_pos at)
{
    step(s); /* opening slash */
    while (peek(s, 0) != '/') {
        if (peek(s, 0) == -1 || peek(s, 0) == '\n')
            return fail(s, at, "unterminated regex literal");
        if (peek(s, 0) == '\\' && peek(s, 1) != -1 && peek(s, 1) != '\n')
            step(s);
        step(s);
    }
    size_t body_end = s->pos.off;
    step(s);
    size_t flags = s->pos.off;
    while (peek(s, 0) != -1 && strchr("imdgF", peek(s, 0)))
        step(s);
    ls_token t = make(s, T_REGEX, at);
    t.p = s->text + at.off + 1;
    t.len = body_end - at.off - 1;
    t.flags = s->text + flags;
    t.flen = s->pos.off - flags;
    return t;
}

/* Characters that end a bare token in filter mode (logscale.md §1). */
static int ends_bare(int c)
{
    return c == -1 || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
           (c && strchr("|()[]{},=!<>;\"", c));
}

static ls_token lex_bare(scan *s, ls_pos at)
{
    while (!ends_bare(peek(s, 0)) && !(peek(s, 0) == ':' && peek(s, 1) == '='))
        step(s);
    return make(s, T_WORD, at);
}

static int ident_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '@' || c == '#';
}

/* Expression mode: identifiers and numbers are runs of ident_char. */
static ls_token lex_ident(scan *s, ls_pos at)
{
    while (ident_char(peek(s, 0)))
        step(s);
    return make(s, T_WORD, at);
}

static const struct { const char *text; int kind; } operators[] = {
    {":=", T_ASSIGN}, {"=>", T_ARROW}, {"==", T_EQEQ}, {"!=", T_NE}, {"<=", T_LE},
    {">=", T_GE}, {"|", T_PIPE}, {"(", T_LPAREN}, {")", T_RPAREN}, {"[", T_LBRACK},
    {"]", T_RBRACK}, {"{", T_LBRACE}, {"}", T_RBRACE}, {",", T_COMMA}, {";", T_SEMI},
    {"=", T_EQ}, {"<", T_LT}, {">", T_GT}, {"!", T_BANG},
};

static const struct { const char *text; int kind; } arithmetic[] = {
    {"+", T_PLUS}, {"-", T_MINUS}, {"*", T_STAR}, {"/", T_SLASH},
};

static int match_op(scan *s, const char *text)
{
    size_t n = strlen(text);
    if (s->pos.off + n > s->len || memcmp(s->text + s->pos.off, text, n) != 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        step(s);
    return 1;
}

ls_token ls_lex(const char *text, size_t len, ls_pos pos, int mode)
{
    scan s = {text, len, pos};
    ls_pos comment;
    const char *err = skip_space(&s, &comment);
    ls_pos at = s.pos;
    if (err)
        return fail(&s, comment, err);
    int c = peek(&s, 0);
    if (c == -1) /* placed just after the last token, for messages */
        return make(&s, T_EOF, pos);
    if (c == '"')
        return lex_string(&s, at);
    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++)
        if (match_op(&s, operators[i].text))
            return make(&s, operators[i].kind, at);
    if (mode == LEX_EXPR) {
        for (size_t i = 0; i < sizeof arithmetic / sizeof arithmetic[0]; i++)
            if (match_op(&s, arithmetic[i].text))
                return make(&s, arithmetic[i].kind, at);
        if (!ident_char(c)) {
            step(&s);
            return fail(&s, at, "unexpected character");
        }
        return lex_ident(&s, at);
    }
    if (c == '/')
        return lex_regex(&s, at);
    return lex_bare(&s, at);
}

int ls_is_word(const ls_token *t, const char *word)
{
    return t->kind == T_WORD && strlen(word) == t->len && strncasecmp(t->p, word, t->len) == 0;
}

const char *ls_tok_name(int kind)
{
    static const char *const names[] = {
        "end of query", "error", "word", "string", "regex", "'|'", "'('", "')'", "'['",
        "']'", "'{'", "'}'", "','", "';'", "'='", "'=='", "'!='", "'<'", "'<='", "'>'",
        "'>='", "':='", "'=>'", "'!'", "'+'", "'-'", "'*'", "'/'",
    };
    return kind >= 0 && (size_t)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}
