/* ast: the syntax tree of an AQL query — one SELECT with its clauses, and
 * expression nodes. Names are unresolved text; the checker resolves them.
 *
 * Ownership: all nodes and strings live in the parser's arena. */
#ifndef MAILC2_AQL_AST_H
#define MAILC2_AQL_AST_H

#include "lang/aql/lex.h"

enum aql_node {
    Q_COLUMN,     /* text: identifier (quoted = 0) or "dq name" (quoted = 1) */
    Q_STRING, Q_NUMBER, Q_NULL, Q_TRUE, Q_FALSE,
    Q_STAR,       /* the * of SELECT * or COUNT(*) */
    Q_CALL,       /* text: function; kids: args; distinct */
    Q_BINARY,     /* op: A_PLUS.., A_EQ.., or Q_AND / Q_OR; kids: 2 */
    Q_NOT, Q_NEG,
    Q_IN,         /* kids: subject, list...; negated */
    Q_LIKE,       /* op: LIKE_*; kids: subject, pattern; negated */
    Q_BETWEEN,    /* kids: subject, low, high; negated */
    Q_ISNULL,     /* kids: subject; negated */
    Q_CASE,       /* kids: [operand], when, then, ..., [else]; has_operand, has_else */
    Q_TEXTSEARCH, /* text: the term */
};

enum { Q_AND = 100, Q_OR };
enum { LIKE_LIKE, LIKE_ILIKE, LIKE_MATCHES, LIKE_IMATCHES };

typedef struct aql_ast aql_ast;
struct aql_ast {
    int kind, op;
    const char *text;        /* unquoted, '' undone */
    size_t len;
    const char *src;         /* the expression as written, for column names */
    size_t srclen;
    int line, col;
    int quoted, distinct, negated, has_operand, has_else;
    aql_ast **kids;
    int nkids;
};

typedef struct aql_item {
    aql_ast *e;
    const char *alias;       /* NULL: none */
} aql_item;

typedef struct aql_order {
    aql_ast *e;
    int desc;
} aql_order;

#define AQL_MAX_LIST 64

typedef struct aql_query {
    int distinct;
    aql_item item[AQL_MAX_LIST];
    int nitems;
    const char *table;       /* "events" or "flows" */
    aql_ast *where;
    aql_ast *group[AQL_MAX_LIST];
    int ngroup;
    aql_ast *having;
    aql_order order[AQL_MAX_LIST];
    int norder;
    int64_t limit;           /* -1: none */
    int64_t last_ms;         /* LAST n UNIT; 0: none */
    int has_start, has_stop;
    int64_t start_ms, stop_ms;
    int time_line, time_col; /* where the time clause is, for messages */
} aql_query;

typedef struct aql_parser aql_parser;

/* Returns the query, or NULL with *e set; valid until aql_parse_free(). */
aql_query *aql_parse(const lang_src *src, const lang_opts *o, aql_parser **out, lang_error *e);
void aql_parse_free(aql_parser *p);

#endif
