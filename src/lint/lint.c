/* lint: runs the checks over one compiled rule and orders what they found
 * (see lint.h for what the lint is for). */
#include "lint/lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "lint/locate.h"

void lint_add(lint_ctx *c, const char *id, long off, const char *fix, const char *fmt, ...)
{
    lint_list *l = c->out;
    for (size_t i = 0; i < l->n; i++)
        if (l->w[i].id == id && l->w[i].off == off && off >= 0)
            return; /* one warning per construct and place */
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->w = xrealloc(l->w, l->cap * sizeof *l->w);
    }
    lint_warning *w = &l->w[l->n++];
    w->id = id;
    w->off = off;
    loc_line_col(c->src, off, &w->line, &w->col);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->msg, sizeof w->msg, fmt, ap);
    va_end(ap);
    snprintf(w->fix, sizeof w->fix, "%s", fix);
}

/* By position; the order of the checks breaks ties (qsort is not stable,
 * so the index decides). */
typedef struct ranked {
    lint_warning w;
    size_t index;
} ranked;

static int by_position(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->w.off != y->w.off)
        return x->w.off < y->w.off ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

static void order(lint_list *l)
{
    ranked *r = xmalloc((l->n ? l->n : 1) * sizeof *r);
    for (size_t i = 0; i < l->n; i++)
        r[i] = (ranked){l->w[i], i};
    qsort(r, l->n, sizeof *r, by_position);
    for (size_t i = 0; i < l->n; i++)
        l->w[i] = r[i].w;
    free(r);
}

size_t lint_plan(const plan *p, const lint_src *src, const char *format, const char *family,
                 lint_list *out)
{
    lint_ctx c = {p, src, family, format, out};
    lint_aql_direction(&c);
    lint_aql_window(&c);
    lint_group_keys(&c);
    lint_exclusions(&c);
    lint_limits(&c);
    lint_ports(&c);
    lint_format(&c);
    order(out);
    return out->n;
}

void lint_list_free(lint_list *l)
{
    free(l->w);
    *l = (lint_list){0};
}
