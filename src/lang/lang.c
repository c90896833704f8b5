/* lang: errors with carets, warnings, and the front-end registry. Warnings
 * go to the caller's callback; printing is offered (lang_warn_print), not
 * imposed. */
#include "lang/lang.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lang/aql/aql.h"
#include "lang/logscale/logscale.h"
#include "lang/sigma/sigma.h"
#include "util/log.h"

int lang_fail(lang_error *e, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    e->line = line;
    e->col = col;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return -1;
}

/* The text of line `line` (1-based): start pointer and length. */
static const char *line_text(const lang_src *src, int line, size_t *len)
{
    const char *p = src->text, *end = src->text + src->len;
    for (int l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return NULL;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *len = (size_t)((nl ? nl : end) - p);
    return p;
}

static void show_place(const lang_src *src, int line, int col, FILE *out)
{
    size_t len;
    const char *text = line > 0 ? line_text(src, line, &len) : NULL;
    if (!text)
        return;
    fprintf(out, "  %.*s\n  ", (int)len, text);
    for (int c = 1; c < col && (size_t)c <= len; c++)
        fputc(text[c - 1] == '\t' ? '\t' : ' ', out);
    fputs("^\n", out);
}

void lang_error_print(const lang_src *src, const lang_error *e, FILE *out)
{
    if (e->line > 0)
        fprintf(out, "%s:%d:%d: %s\n", src->file, e->line, e->col, e->msg);
    else
        fprintf(out, "%s: %s\n", src->file, e->msg);
    show_place(src, e->line, e->col, out);
}

void lang_warn_print(void *ud, const lang_src *src, int line, int col, const char *msg)
{
    FILE *out = ud;
    fprintf(out, "%s:%d:%d: warning: %s\n", src->file, line, col, msg);
    show_place(src, line, col, out);
}

/* The message is formatted whole, however long, so that the callback sees
 * exactly what printing the format would have produced. */
void lang_warn(const lang_opts *o, const lang_src *src, int line, int col, const char *fmt, ...)
{
    if (!o || !o->warn)
        return;
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    char *msg = log_format(small, sizeof small, fmt, ap);
    va_end(ap);
    if (msg)
        o->warn(o->warn_ud, src, line, col, msg);
    if (msg != small)
        free(msg);
}

int lang_chain(const void *root, int (*same)(const void *root, const void *n),
               const void *(*kid)(const void *n, int side), const void ***out)
{
    int cap = 64, sp = 0, k = 0, ocap = 0;
    const void **stack = xmalloc(sizeof *stack * (size_t)cap), **ops = NULL;
    stack[sp++] = root;
    while (sp) {
        const void *x = stack[--sp];
        if (same(root, x)) {
            if (sp + 2 > cap)
                stack = xrealloc(stack, sizeof *stack * (size_t)(cap *= 2));
            stack[sp++] = kid(x, 1);
            stack[sp++] = kid(x, 0);
            continue;
        }
        if (k == ocap)
            ops = xrealloc(ops, sizeof *ops * (size_t)(ocap = ocap ? ocap * 2 : 64));
        ops[k++] = x;
    }
    free(stack);
    *out = ops;
    return k;
}

static const char *const logscale_exts[] = {".logscale", ".cql", ".humio", NULL};

static const frontend logscale = {"logscale", logscale_exts, ls_compile};

static const char *const aql_exts[] = {".aql", ".sql", NULL};

static const frontend aql = {"aql", aql_exts, aql_compile};

/* Sigma rules are YAML files; a Sigma file is told by its extension like
 * the others (tuning profiles are YAML too, but are never read as rules). */
static const char *const sigma_exts[] = {".yml", ".yaml", NULL};

static const frontend sigma = {"sigma", sigma_exts, sigma_compile};

static const frontend *const registry[] = {&logscale, &aql, &sigma, NULL};

const frontend *const *frontend_all(void)
{
    return registry;
}

const frontend *frontend_find(const char *name, const char *file)
{
    for (const frontend *const *f = registry; *f; f++) {
        if (name) {
            if (strcmp(name, (*f)->name) == 0)
                return *f;
            continue;
        }
        size_t flen = file ? strlen(file) : 0;
        for (const char *const *x = (*f)->exts; *x; x++) {
            size_t xlen = strlen(*x);
            if (flen > xlen && strcmp(file + flen - xlen, *x) == 0)
                return *f;
        }
    }
    return NULL;
}
