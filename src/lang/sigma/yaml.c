/* yaml: reading a Sigma file with libfyaml — every document of the stream,
 * YAML 1.2 core schema (so `yes` and `on` stay text, sigma.md §7 #13),
 * duplicate keys refused by the parser (§7 #14) — and the small node
 * helpers the other stages use, all of which carry the node's line and
 * column into errors. libfyaml's own messages are collected, never
 * printed: the library prints nothing (lang.h). */
#include "lang/sigma/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/utf8.h"

void sg_place(struct fy_node *n, int *line, int *col)
{
    *line = *col = 0;
    /* A collection has no token of its own here: its first scalar is where
     * a reader looks. Nesting is bounded by the parser's own depth limit. */
    while (n && fy_node_get_type(n) != FYNT_SCALAR) {
        void *it = NULL;
        if (fy_node_get_type(n) == FYNT_SEQUENCE) {
            n = fy_node_sequence_iterate(n, &it);
        } else {
            struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
            n = p ? fy_node_pair_key(p) : NULL;
        }
    }
    const struct fy_mark *m = n ? fy_token_start_mark(fy_node_get_scalar_token(n)) : NULL;
    if (m) {
        *line = m->line + 1;
        *col = m->column + 1;
    }
}

static void vfail(sg_ctx *c, struct fy_node *at, const char *fmt, va_list ap)
{
    sg_place(at, &c->e->line, &c->e->col);
    vsnprintf(c->e->msg, sizeof c->e->msg, fmt, ap);
}

int sg_fail(sg_ctx *c, struct fy_node *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(c, at, fmt, ap);
    va_end(ap);
    return -1;
}

expr *sg_error(sg_ctx *c, struct fy_node *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(c, at, fmt, ap);
    va_end(ap);
    return NULL;
}

void sg_warn(sg_ctx *c, struct fy_node *at, const char *fmt, ...)
{
    char msg[400];
    int line, col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sg_place(at, &line, &col);
    lang_warn(c->o, c->src, line, col, "%s", msg);
}

int sg_is_scalar(struct fy_node *n)
{
    return n && fy_node_get_type(n) == FYNT_SCALAR;
}

int sg_is_map(struct fy_node *n)
{
    return n && fy_node_get_type(n) == FYNT_MAPPING;
}

int sg_is_seq(struct fy_node *n)
{
    return n && fy_node_get_type(n) == FYNT_SEQUENCE;
}

const char *sg_text(struct fy_node *n)
{
    return sg_is_scalar(n) ? fy_node_get_scalar0(n) : NULL;
}

int sg_is_null(struct fy_node *n)
{
    if (!n)
        return 1;
    if (!sg_is_scalar(n) || fy_node_get_style(n) != FYNS_PLAIN)
        return 0;
    const char *s = sg_text(n);
    return !s || !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
           !strcmp(s, "NULL");
}

struct fy_node *sg_get(struct fy_node *m, const char *key)
{
    return sg_is_map(m) ? fy_node_mapping_lookup_by_string(m, key, FY_NT) : NULL;
}

/* Aliases would let a small file stand for a huge rule (each alias copies
 * a subtree); Sigma rules do not use them, so one is refused where it is.
 * The walk keeps its own stack: a deeply nested document is data. */
static int refuse_aliases(sg_ctx *c, struct fy_node *root)
{
    size_t cap = 64, sp = 0;
    struct fy_node **stack = xmalloc(cap * sizeof *stack);
    int rc = 0;
    if (root)
        stack[sp++] = root;
    while (sp && !rc) {
        struct fy_node *n = stack[--sp], *kid;
        void *it = NULL;
        if (fy_node_is_alias(n)) {
            rc = sg_fail(c, n, "a YAML alias (*%s): Sigma rules are read without aliases",
                         sg_text(n));
            break;
        }
        for (;;) {
            struct fy_node_pair *pair = NULL;
            if (sg_is_seq(n))
                kid = fy_node_sequence_iterate(n, &it);
            else if (sg_is_map(n) && (pair = fy_node_mapping_iterate(n, &it)))
                kid = fy_node_pair_value(pair);
            else
                kid = NULL;
            if (!kid && !pair)
                break;
            if (sp + 2 > cap)
                stack = xrealloc(stack, (cap *= 2) * sizeof *stack);
            if (kid)
                stack[sp++] = kid;
            if (pair && fy_node_pair_key(pair))
                stack[sp++] = fy_node_pair_key(pair);
        }
    }
    free(stack);
    return rc;
}

/* libfyaml's first collected error, at its place (its errors count from 1). */
static int syntax_error(sg_ctx *c, sg_yaml *y)
{
    void *it = NULL;
    struct fy_diag_error *de = y->diag ? fy_diag_errors_iterate(y->diag, &it) : NULL;
    return lang_fail(c->e, de ? de->line : 0, de ? de->column : 0, "YAML: %s",
                     de && de->msg ? de->msg : "the file cannot be read as YAML");
}

/* A YAML stream is Unicode text (YAML 1.2 §5.2) and a Sigma rule is UTF-8,
 * so a byte that is not UTF-8 is refused here, at its line and column,
 * before libfyaml sees it: libfyaml 0.7.12 (Debian 12) does not survive
 * such bytes everywhere — it loops for ever on an unknown directive that
 * holds one (`%\xf6`, found by fuzz_sigma; upstream issue #101, fixed
 * after 0.7.12), and it silently drops a document whose comment holds one.
 * Lines end at \n, \r\n or a lone \r, as YAML's do; the column counts
 * characters. */
static int refuse_non_utf8(sg_ctx *c)
{
    const char *t = c->src->text;
    size_t len = c->src->len, at = utf8_invalid_at(t, len);
    if (at == len)
        return 0;
    int line = 1, col = 1;
    for (size_t i = 0; i < at; i++) {
        if (t[i] == '\n' || (t[i] == '\r' && (i + 1 == len || t[i + 1] != '\n'))) {
            line++;
            col = 1;
        } else if (t[i] != '\r' && ((unsigned char)t[i] & 0xc0) != 0x80) {
            col++; /* a character starts here: ASCII or a sequence's first byte */
        }
    }
    return lang_fail(c->e, line, col, "byte 0x%02X is not UTF-8: a Sigma file is UTF-8 text",
                     (unsigned char)t[at]);
}

int sg_yaml_open(sg_ctx *c, sg_yaml *y)
{
    memset(y, 0, sizeof *y);
    if (refuse_non_utf8(c))
        return -1;
    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = NULL;
    y->diag = fy_diag_create(&dc);
    if (!y->diag)
        xoom(0);
    fy_diag_set_collect_errors(y->diag, true);
    struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2, .diag = y->diag};
    y->fp = fy_parser_create(&cfg);
    if (!y->fp || fy_parser_set_string(y->fp, c->src->text, c->src->len))
        xoom(0);
    for (;;) {
        struct fy_document *d = fy_parse_load_document(y->fp);
        if (!d)
            break;
        if (y->n == SG_MAX_DOCS) {
            fy_parse_document_destroy(y->fp, d);
            return sg_fail(c, NULL, "more than %d YAML documents in one file", SG_MAX_DOCS);
        }
        y->doc[y->n++] = d;
        if (refuse_aliases(c, fy_document_root(d)))
            return -1;
    }
    if (fy_parser_get_stream_error(y->fp))
        return syntax_error(c, y);
    if (y->n == 0)
        return lang_fail(c->e, 1, 1, "no Sigma rule: the file holds no YAML document");
    return 0;
}

void sg_yaml_close(sg_yaml *y)
{
    for (int i = 0; i < y->n; i++)
        fy_parse_document_destroy(y->fp, y->doc[i]);
    if (y->fp)
        fy_parser_destroy(y->fp);
    if (y->diag)
        fy_diag_destroy(y->diag);
    memset(y, 0, sizeof *y);
}
