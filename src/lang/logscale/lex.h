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
#ifndef MAILC2_CQL_LEX_H
#define MAILC2_CQL_LEX_H

#include <stddef.h>

enum cql_tok {
    T_EOF, T_ERROR,
    T_WORD,      /* bare token: field name, value, pattern, number, keyword */
    T_STRING,    /* "..." (p/len: between the quotes, still escaped) */
    T_REGEX,     /* /body/flags (p/len: body; flags/flen: the letters) */
    T_PIPE, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_LBRACE, T_RBRACE,
    T_COMMA, T_SEMI,
    T_EQ, T_EQEQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_ASSIGN, T_ARROW, T_BANG,
    T_PLUS, T_MINUS, T_STAR, T_SLASH,
};

enum cql_mode {
    LEX_FILTER,  /* bare tokens, regex literals */
    LEX_EXPR,    /* identifiers, numbers and arithmetic operators */
};

typedef struct cql_pos {
    size_t off;
    int line, col;
} cql_pos;

typedef struct cql_token {
    int kind;            /* enum cql_tok */
    const char *p;
    size_t len;
    const char *flags;   /* T_REGEX */
    size_t flen;
    cql_pos at;          /* where the token starts */
    cql_pos end;         /* just after it */
    const char *error;   /* T_ERROR: what is wrong */
} cql_token;

/* The token starting at or after `pos` (whitespace and comments skipped). */
cql_token cql_lex(const char *text, size_t len, cql_pos pos, int mode);
/* Case-insensitive comparison of a T_WORD with a keyword. */
int cql_is_word(const cql_token *t, const char *word);
const char *cql_tok_name(int kind);

#endif
