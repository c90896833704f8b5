/* check: the CQL checker's shared state — how the tree in ast.h becomes a
 * plan. check.c holds the pipeline walk, filters and expressions; funcs.c
 * the transformation functions (groupBy, sort, ...). Field names stay
 * LogScale's: the LogScale view (src/view/logscale.c) says where each is
 * read on each input format.
 * Internal to lang/logscale/. */
#ifndef MAILC2_LOGSCALE_CHECK_H
#define MAILC2_LOGSCALE_CHECK_H

#include <setjmp.h>

#include "lang/logscale/ast.h"

#define LS_MAX_NAMES 256

typedef struct ls_check {
    const lang_src *src;
    const lang_opts *opts;
    lang_error *err;
    jmp_buf fail;
    plan *p;
    int agg;                 /* after an aggregate, names are result columns */
    struct {
        const char *name;
        int slot;            /* event slot, or result column when agg */
    } sym[LS_MAX_NAMES];
    int nsym;
    int ntmp;                /* counter for internal names */
    int projected;           /* select()/table() fixed the output columns */
} ls_check;

_Noreturn void ls_fail(ls_check *c, const ls_ast *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The slot (or column) a field name reads, creating the input field on
 * first use before any aggregate. */
int ls_field(ls_check *c, const char *name, const ls_ast *at);
/* Binds a name to a slot (or column), replacing an earlier binding. */
void ls_bind(ls_check *c, const char *name, int slot);
void ls_unbind(ls_check *c, const char *name);
/* A fresh internal name such as "__case1". */
const char *ls_tmp(ls_check *c, const char *stem);

/* A call node named `name` (case-insensitive, as LogScale matches them). */
int ls_is_call(const ls_ast *n, const char *name);
/* PCRE2 option bits for regex flags such as "im". */
uint32_t ls_regex_flags(ls_check *c, const char *flags, const ls_ast *at);
/* `f = v` for one value (present-test, wildcard, regex or exact text). */
expr *ls_match_value(ls_check *c, expr *f, const ls_ast *v, int ignore_case);
expr *ls_istrue(ls_check *c, expr *e);

/* Filters (two-valued: never NULL) and expressions. */
expr *ls_filter(ls_check *c, const ls_ast *n);
expr *ls_expr(ls_check *c, const ls_ast *n);
/* A step: adds a filter, or an eval bound to `name`. */
void ls_add_filter(ls_check *c, expr *e, const ls_ast *at);
int ls_add_eval(ls_check *c, const char *name, expr *e, const ls_ast *at);

/* Arguments of a call: the value of parameter `param` (the unnamed argument
 * counts as the function's default parameter), or NULL. Every argument must
 * be one of `params` (NULL-terminated); others are refused by name. */
const ls_ast *ls_arg(ls_check *c, const ls_ast *call, const char *param);
void ls_check_params(ls_check *c, const ls_ast *call, const char *dflt,
                     const char *const *params);
/* Argument values as text, a number, a boolean or a list of texts. */
const char *ls_text(ls_check *c, const ls_ast *v, const char *what);
int64_t ls_int(ls_check *c, const ls_ast *v, const char *what);
int ls_bool(ls_check *c, const ls_ast *v, const char *what);
int ls_texts(ls_check *c, const ls_ast *v, const char **out, int max, const char *what);

/* Filter functions (in, regex, cidr, wildcard, test), or NULL when `call`
 * is not one. */
expr *ls_filter_call(ls_check *c, const ls_ast *call);
int ls_is_filter_fn(const ls_ast *call);
/* Transformation functions as steps; returns 0 when `call` is not one. */
int ls_transform(ls_check *c, const ls_ast *call);
/* `name := value` (also eval(name = value)): drops events lacking a field
 * the value reads (§4). */
void ls_assign(ls_check *c, const char *name, const ls_ast *value, const ls_ast *at);
/* The function's unnamed parameter (its "default" in LogScale's docs). */
const char *ls_default_param(const ls_ast *call);

#endif
