/* lex: tokens of QRadar's Ariel Query Language (aql.md §1). AQL lexes
 * without context, so the whole query is turned into a token array up
 * front and the parser walks it with free lookahead.
 *
 * Ownership: tokens point into the source text; aql_tokens owns the array. */
#ifndef MAILC2_AQL_LEX_H
#define MAILC2_AQL_LEX_H

#include <stddef.h>

#include "lang/lang.h"

enum aql_tok {
    A_EOF, A_IDENT, A_DQNAME, A_STRING, A_NUMBER,
    A_LPAREN, A_RPAREN, A_COMMA, A_SEMI, A_STAR, A_PLUS, A_MINUS, A_SLASH, A_PERCENT,
    A_CARET, A_AMP, A_EQ, A_NE, A_LT, A_LE, A_GT, A_GE,
};

typedef struct aql_token {
    int kind;           /* enum aql_tok */
    const char *p;      /* A_DQNAME/A_STRING: between the quotes, '' not yet undone */
    size_t len;
    int line, col;
} aql_token;

typedef struct aql_tokens {
    aql_token *tok;
    int n;
} aql_tokens;

/* Returns 0, or -1 with *e set (position and message). Comments are
 * skipped; `--` is refused (not AQL). */
int aql_lex(const lang_src *src, aql_tokens *out, lang_error *e);
void aql_tokens_free(aql_tokens *t);
/* Case-insensitive keyword test for an A_IDENT token. */
int aql_is(const aql_token *t, const char *keyword);

#endif
