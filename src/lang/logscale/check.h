/* check: the CQL checker's shared state — how the tree in ast.h becomes a
 * plan. check.c holds the pipeline walk, filters and expressions; funcs.c
 * the transformation functions (groupBy, sort, ...). Field names stay
 * LogScale's: the LogScale view (src/view/logscale.c) says where each is
 * read on each input format.
 * Internal to lang/logscale/. */
#ifndef MAILC2_CQL_CHECK_H
#define MAILC2_CQL_CHECK_H

#include <setjmp.h>

#include "lang/logscale/ast.h"

#define CQL_MAX_NAMES 256

typedef struct cql_check {
    const lang_src *src;
    const lang_opts *opts;
    lang_error *err;
    jmp_buf fail;
    plan *p;
    int agg;                 /* after an aggregate, names are result columns */
    struct {
        const char *name;
        int slot;            /* event slot, or result column when agg */
    } sym[CQL_MAX_NAMES];
    int nsym;
    int ntmp;                /* counter for internal names */
    int projected;           /* select()/table() fixed the output columns */
} cql_check;

_Noreturn void cql_fail(cql_check *c, const cql_ast *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The slot (or column) a field name reads, creating the input field on
 * first use before any aggregate. */
int cql_field(cql_check *c, const char *name, const cql_ast *at);
/* Binds a name to a slot (or column), replacing an earlier binding. */
void cql_bind(cql_check *c, const char *name, int slot);
void cql_unbind(cql_check *c, const char *name);
/* A fresh internal name such as "__case1". */
const char *cql_tmp(cql_check *c, const char *stem);

/* A call node named `name` (case-insensitive, as LogScale matches them). */
int cql_is_call(const cql_ast *n, const char *name);
/* PCRE2 option bits for regex flags such as "im". */
uint32_t cql_regex_flags(cql_check *c, const char *flags, const cql_ast *at);
/* `f = v` for one value (present-test, wildcard, regex or exact text). */
expr *cql_match_value(cql_check *c, expr *f, const cql_ast *v, int ignore_case);
expr *cql_istrue(cql_check *c, expr *e);

/* Filters (two-valued: never NULL) and expressions. */
expr *cql_filter(cql_check *c, const cql_ast *n);
expr *cql_expr(cql_check *c, const cql_ast *n);
/* A step: adds a filter, or an eval bound to `name`. */
void cql_add_filter(cql_check *c, expr *e, const cql_ast *at);
int cql_add_eval(cql_check *c, const char *name, expr *e, const cql_ast *at);

/* Arguments of a call: the value of parameter `param` (the unnamed argument
 * counts as the function's default parameter), or NULL. Every argument must
 * be one of `params` (NULL-terminated); others are refused by name. */
const cql_ast *cql_arg(cql_check *c, const cql_ast *call, const char *param);
void cql_check_params(cql_check *c, const cql_ast *call, const char *dflt,
                      const char *const *params);
/* Argument values as text, a number, a boolean or a list of texts. */
const char *cql_text(cql_check *c, const cql_ast *v, const char *what);
int64_t cql_int(cql_check *c, const cql_ast *v, const char *what);
int cql_bool(cql_check *c, const cql_ast *v, const char *what);
int cql_texts(cql_check *c, const cql_ast *v, const char **out, int max, const char *what);

/* Filter functions (in, regex, cidr, wildcard, test), or NULL when `call`
 * is not one. */
expr *cql_filter_call(cql_check *c, const cql_ast *call);
int cql_is_filter_fn(const cql_ast *call);
/* Transformation functions as steps; returns 0 when `call` is not one. */
int cql_transform(cql_check *c, const cql_ast *call);
/* `name := value` (also eval(name = value)): drops events lacking a field
 * the value reads (§4). */
void cql_assign(cql_check *c, const char *name, const cql_ast *value, const cql_ast *at);
/* The function's unnamed parameter (its "default" in LogScale's docs). */
const char *cql_default_param(const cql_ast *call);

#endif
