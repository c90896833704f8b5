/* lex: tokens of the LogScale query language (CQL).
 *
 * CQL's lexing depends on where the parser is (logscale.md §1): a `/` opens
 * a regex where a value is expected but divides inside an expression, and an
 * unquoted value runs on through characters that would be operators in an
 * expression (`*login*`, `C:\x`, `#event_simpleName`). So the lexer is a
 * pure function of (position, mode): the parser asks for the token at its
 * position in the mode it is in, and may look further ahead the same way.
 *
 * Ownership: tokens point into the source text. */
#ifndef MAILC2_LOGSCALE_LEX_H
#define MAILC2_LOGSCALE_LEX_H

#include <stddef.h>

enum ls_tok {
    T_EOF, T_ERROR,
    T_WORD,      /* bare token: field name, value, pattern, number, keyword */
    T_STRING,    /* "..." (p/len: between the quotes, still escaped) */
    T_REGEX,     /* /body/flags (p/len: body; flags/flen: the letters) */
    T_PIPE, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_LBRACE, T_RBRACE,
    T_COMMA, T_SEMI,
    T_EQ, T_EQEQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_ASSIGN, T_ARROW, T_BANG,
    T_PLUS, T_MINUS, T_STAR, T_SLASH,
};

enum ls_mode {
    LEX_FILTER,  /* bare tokens, regex literals */
    LEX_EXPR,    /* identifiers, numbers and arithmetic operators */
};

typedef struct ls_pos {
    size_t off;
    int line, col;
} ls_pos;

typedef struct ls_token {
    int kind;            /* enum ls_tok */
    const char *p;
    size_t len;
    const char *flags;   /* T_REGEX */
    size_t flen;
    ls_pos at;          /* where the token starts */
    ls_pos end;         /* just after it */
    const char *error;   /* T_ERROR: what is wrong */
} ls_token;

/* The token starting at or after `pos` (whitespace and comments skipped). */
ls_token ls_lex(const char *text, size_t len, ls_pos pos, int mode);
/* Case-insensitive comparison of a T_WORD with a keyword. */
int ls_is_word(const ls_token *t, const char *word);
const char *ls_tok_name(int kind);

#endif
