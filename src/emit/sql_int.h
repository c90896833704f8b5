/* sql_int: what the SQL emitter's two files share — sql.c writes the
 * SELECT statement, sql_expr.c the expressions in it — the dialect table's
 * row type and the state one rendering carries.
 *
 * Ownership: a sql borrows the emit context and its dialect row. */
#ifndef MAILC2_EMIT_SQL_INT_H
#define MAILC2_EMIT_SQL_INT_H

#include "emit/emit_int.h"

enum sql_id { SQL_DUCKDB, SQL_POSTGRES, SQL_CLICKHOUSE, SQL_SPARK };

typedef struct sql_dialect {
    enum sql_id id;
    char quote;                 /* identifier quote */
    int backslash_escapes;      /* string literals take \ as an escape */
    const char *yes, *no;       /* boolean literals */
    const char *text, *dbl;     /* type names for CAST */
    int kleene;                 /* AND, OR and IN follow SQL's NULL rules */
} sql_dialect;

typedef struct sql {
    emit_ctx *c;
    const sql_dialect *d;
    int post;                   /* fields are result columns (after the aggregate) */
    int truth;                  /* only TRUE counts here (WHERE, HAVING, WHEN, istrue):
                                   NULL and FALSE may be told apart or not */
} sql;

/* An expression; fields are event columns, or result columns when s->post. */
void sql_expr(sql *s, const expr *e);
/* e where only TRUE counts (WHERE, HAVING, WHEN). */
void sql_truth(sql *s, const expr *e);
/* A quoted identifier. */
void sql_ident(const sql *s, const char *name);
/* Milliseconds since the epoch, now: the --now literal or the engine's clock. */
void sql_now(const sql *s);
/* A field reference: its column, its eval inlined, or a result column. */
void sql_field_ref(sql *s, const expr *e);
/* Result column col: the key, the aggregate or the post eval that makes it. */
void sql_column(sql *s, int col);

#endif
