/* check: the AQL checker's shared state (internal to lang/aql/). check.c
 * compiles the clauses; expr.c compiles expressions, functions and the AQL
 * view of the canonical fields. */
#ifndef MAILC2_AQL_CHECK_H
#define MAILC2_AQL_CHECK_H

#include <setjmp.h>

#include "lang/aql/ast.h"

enum aql_mode {
    MODE_EVENT,   /* over event slots: WHERE, GROUP BY keys, aggregate arguments */
    MODE_ROW,     /* over result columns: SELECT after GROUP BY, HAVING, ORDER BY */
};

typedef struct aql_check {
    const lang_src *src;
    const lang_opts *opts;
    lang_error *err;
    jmp_buf fail;
    plan *p;
    const aql_query *q;
    int mode;
    int aggregating;
    struct {
        const char *name;   /* lower-case AQL name */
        int slot;
    } field[PLAN_MAX_FIELDS];
    int nfields;
    int nhidden;
    /* Result columns already made, so each expression is computed once. */
    const aql_ast *key_ast[PLAN_MAX_COLS];   /* group key k is this expression */
    const aql_ast *agg_ast[PLAN_MAX_COLS];   /* aggregate a is this call */
    int item_col[AQL_MAX_LIST];              /* select item -> column; -1 none yet */
    int alias_depth;                         /* guards aliases defined through aliases */
} aql_check;

_Noreturn void aql_fail(aql_check *c, const aql_ast *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* An expression in the current mode. */
expr *aql_expr(aql_check *c, const aql_ast *n);
/* The event slot an AQL column reads (through the view on non-QRadar input). */
int aql_column(aql_check *c, const aql_ast *n);
/* The expression a SELECT alias stands for (not one that only renames a
 * column to itself), or NULL. */
const aql_ast *aql_alias(aql_check *c, const char *name);
/* Names a column or alias the way AQL does: case-insensitively. */
int aql_same_name(const char *a, const char *b);
/* Aggregate function of a call (AGG_*), or -1. */
int aql_agg_fn(const aql_ast *call);
/* The result column holding this aggregate call, adding it if new. */
int aql_agg_column(aql_check *c, const aql_ast *call, const char *name);
/* In row mode: the column an expression already is (key, alias, aggregate), or -1. */
int aql_row_column(aql_check *c, const aql_ast *n);

#endif
