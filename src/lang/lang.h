/* lang: what every query front end shares — the source text, positions,
 * errors and warnings, and the registry that picks a front end for a rule.
 *
 * An error is a value: line, column and message, printed by
 * lang_error_print() as `file:line:col: message`, the source line, and a
 * caret under the column, the way compilers do.
 *
 * Ownership: a lang_src borrows its text; the caller keeps it alive while
 * the front end runs. Plans returned by compile functions belong to the
 * caller (plan_free). */
#ifndef MAILC2_LANG_H
#define MAILC2_LANG_H

#include <stddef.h>
#include <stdio.h>

#include "plan/plan.h"
#include "util/cidr.h"

typedef struct lang_src {
    const char *file;       /* for messages */
    const char *text;       /* NUL-terminated */
    size_t len;
} lang_src;

typedef struct lang_error {
    int line, col;          /* 1-based; 0 when not tied to a place */
    char msg[400];
} lang_error;

/* Receives each warning, already formatted; the library itself prints
 * nothing. lang_warn_print is the usual choice. */
typedef void lang_warn_fn(void *ud, const lang_src *src, int line, int col, const char *msg);

typedef struct lang_opts {
    lang_warn_fn *warn;     /* NULL = no warnings */
    void *warn_ud;          /* passed to warn */
} lang_opts;


/* Sets e and returns -1, so that `return lang_fail(...)` reads naturally. */
int lang_fail(lang_error *e, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Formats a warning and hands it to o->warn, if any. */
void lang_warn(const lang_opts *o, const lang_src *src, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A lang_warn_fn: `file:line:col: warning: msg`, the source line and a
 * caret, on the FILE * passed as ud. */
void lang_warn_print(void *ud, const lang_src *src, int line, int col, const char *msg);
void lang_error_print(const lang_src *src, const lang_error *e, FILE *out);

/* The operands of a chain of one binary operator (a AND b AND c), left to
 * right, gathered with an explicit stack: a generated query may chain a
 * hundred thousand terms, which must not take as many stack frames.
 * `same` says whether a node continues the chain; `kid` gives a node's left
 * (0) or right (1) operand. Returns the count; *out is malloc'd. */
int lang_chain(const void *root, int (*same)(const void *root, const void *n),
               const void *(*kid)(const void *n, int side), const void ***out);

typedef struct frontend {
    const char *name;       /* "logscale", "aql" */
    const char *const *exts;/* file extensions, NULL-terminated */
    plan *(*compile)(const lang_src *src, const lang_opts *o, lang_error *e);
} frontend;

/* By name (--lang) or, when name is NULL, by the file's extension. */
const frontend *frontend_find(const char *name, const char *file);
const frontend *const *frontend_all(void);

#endif
