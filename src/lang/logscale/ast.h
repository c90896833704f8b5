/* ast: the syntax tree of a CQL query, as the parser builds it and the
 * checker reads it. Plain nodes with a kind, an optional text, a position
 * and children; nothing is resolved yet (fields are names, functions are
 * names).
 *
 * Ownership: every node and string lives in the parser's arena, freed with
 * ls_parse_free(). */
#ifndef MAILC2_LOGSCALE_AST_H
#define MAILC2_LOGSCALE_AST_H

#include "lang/lang.h"
#include "lang/logscale/lex.h"

enum ls_node {
    N_PIPELINE,   /* kids: steps */
    N_AND, N_OR, N_NOT,
    N_COMPARE,    /* op: T_EQ/T_NE/T_LT/...; kids: field (N_WORD), value */
    N_LIKE,       /* kids: field, value */
    N_FREE,       /* free-text filter; kids: value */
    N_CALL,       /* text: function name; kids: N_ARG */
    N_ARG,        /* text: parameter name, or NULL for the unnamed one; kids: value */
    N_ARRAY,      /* kids: values */
    N_WORD,       /* bare token */
    N_STRING,     /* quoted string, unescaped */
    N_REGEX,      /* text: body; flags */
    N_SUBQUERY,   /* kids: pipeline */
    N_ASSIGN,     /* text: field; kids: value (expression, call or N_CASEVAL) */
    N_CASE,       /* kids: branches (N_PIPELINE); a `*` branch has op = 1 */
    N_MATCH,      /* text: field; kids: N_ARM (pattern or N_STAR, pipeline) */
    N_CASEVAL,    /* kids: N_ARM (filter or N_STAR, expression) */
    N_ARM,
    N_STAR,
    N_NUMBER,     /* expression literal */
    N_NAME,       /* expression field reference */
    N_BINOP,      /* op: T_PLUS.. or comparison; kids: left, right */
    N_NEG,        /* unary minus; kids: operand */
};

typedef struct ls_ast ls_ast;
struct ls_ast {
    int kind;     /* enum ls_node */
    int op;
    const char *text;
    size_t len;
    const char *flags;  /* N_REGEX */
    ls_pos at;
    ls_ast **kids;
    int nkids;
};

typedef struct ls_parser ls_parser;

/* Parses the whole query. Returns the N_PIPELINE root, or NULL with *e set.
 * The tree stays valid until ls_parse_free(). */
ls_ast *ls_parse(const lang_src *src, ls_parser **out, lang_error *e);
void ls_parse_free(ls_parser *p);

#endif
