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

typedef struct lang_opts {
    FILE *warn;             /* warnings as file:line:col (NULL = none) */
    int emulate_limits;     /* apply the SIEM's default caps (design §4) */
} lang_opts;


/* Sets e and returns -1, so that `return lang_fail(...)` reads naturally. */
int lang_fail(lang_error *e, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void lang_warn(const lang_opts *o, const lang_src *src, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void lang_error_print(const lang_src *src, const lang_error *e, FILE *out);

typedef struct frontend {
    const char *name;       /* "logscale", "aql" */
    const char *const *exts;/* file extensions, NULL-terminated */
    plan *(*compile)(const lang_src *src, const lang_opts *o, lang_error *e);
} frontend;

/* By name (--lang) or, when name is NULL, by the file's extension. */
const frontend *frontend_find(const char *name, const char *file);
const frontend *const *frontend_all(void);

#endif
