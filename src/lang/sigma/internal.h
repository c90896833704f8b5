/* sigma internal: what the Sigma front end's files share — the compile
 * context, the YAML helpers (yaml.c), and one entry point per stage:
 * detection (detect.c) with its modifiers (modifier.c) and condition
 * (cond.c), correlation (correl.c), all driven by rule.c.
 *
 * Every error is a lang_error at the line and column of the YAML node it
 * is about (libfyaml's marks count from 0; ours from 1).
 *
 * Ownership: YAML nodes and their text belong to the documents, which
 * rule.c keeps until the plan is built; expressions and copied strings
 * live in the plan's arena. */
#ifndef MAILC2_SIGMA_INTERNAL_H
#define MAILC2_SIGMA_INTERNAL_H

#include <libfyaml.h>

#include "lang/lang.h"

enum {
    SG_MAX_DOCS = 64,        /* documents in one file */
    SG_MAX_SEARCHES = 256,   /* search identifiers in one detection */
    SG_MAX_VALUES = 4096,    /* values in one field item or keyword list */
    SG_MAX_DEPTH = 64,       /* parentheses nested in a condition */
};

typedef struct sg_ctx {
    plan *p;
    const lang_src *src;
    const lang_opts *o;
    lang_error *e;
} sg_ctx;

/* yaml.c */
/* The place of a node: a scalar's own, a collection's first scalar's. */
void sg_place(struct fy_node *n, int *line, int *col);
/* Sets the error at node `at` (0:0 when NULL) and returns -1. */
int sg_fail(sg_ctx *c, struct fy_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same, returning NULL: for functions that return an expression. */
expr *sg_error(sg_ctx *c, struct fy_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sg_warn(sg_ctx *c, struct fy_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A scalar's text (NUL-terminated, owned by the document), or NULL. */
const char *sg_text(struct fy_node *n);
/* A plain scalar that YAML 1.2's core schema reads as null (`null`, `~`,
 * nothing), or a missing node. */
int sg_is_null(struct fy_node *n);
int sg_is_scalar(struct fy_node *n);
int sg_is_map(struct fy_node *n);
int sg_is_seq(struct fy_node *n);
/* The value of `key` in map `m`, or NULL. */
struct fy_node *sg_get(struct fy_node *m, const char *key);
/* The documents of one file, with the parser and diagnostics that own
 * them. */
typedef struct sg_yaml {
    struct fy_diag *diag;
    struct fy_parser *fp;
    struct fy_document *doc[SG_MAX_DOCS];
    int n;
} sg_yaml;

/* Parses the whole file; on a YAML error fills c->e and returns -1.
 * sg_yaml_close frees what was read either way. */
int sg_yaml_open(sg_ctx *c, sg_yaml *y);
void sg_yaml_close(sg_yaml *y);

/* modifier.c: the modifiers of a field item's key and what they do to
 * each value. */
enum sg_mod {
    SGM_CONTAINS = 1u << 0, SGM_STARTSWITH = 1u << 1, SGM_ENDSWITH = 1u << 2,
    SGM_ALL = 1u << 3, SGM_RE = 1u << 4, SGM_RE_I = 1u << 5, SGM_RE_M = 1u << 6,
    SGM_RE_S = 1u << 7, SGM_CIDR = 1u << 8, SGM_WINDASH = 1u << 9, SGM_EXISTS = 1u << 10,
    SGM_GT = 1u << 11, SGM_GTE = 1u << 12, SGM_LT = 1u << 13, SGM_LTE = 1u << 14,
    SGM_BASE64 = 1u << 15, SGM_BASE64OFFSET = 1u << 16, SGM_UTF16LE = 1u << 17,
    SGM_UTF16BE = 1u << 18, SGM_UTF16 = 1u << 19, SGM_CASED = 1u << 20, SGM_NEQ = 1u << 21,
    SGM_FIELDREF = 1u << 22,
};
#define SGM_PLACE (SGM_CONTAINS | SGM_STARTSWITH | SGM_ENDSWITH)
#define SGM_NUMERIC (SGM_GT | SGM_GTE | SGM_LT | SGM_LTE)
#define SGM_UTF (SGM_UTF16LE | SGM_UTF16BE | SGM_UTF16)
#define SGM_B64 (SGM_BASE64 | SGM_BASE64OFFSET)

typedef struct sg_mods {
    char field[256];         /* "" for keywords */
    unsigned flags;          /* enum sg_mod */
} sg_mods;

/* Reads `Field|mod|mod` at node key into m, checking each modifier is
 * known, supported, and sensible with the others. */
int sg_parse_mods(sg_ctx *c, struct fy_node *key, sg_mods *m);

/* One value as patterns to match the whole field: `re` a PCRE2 fragment,
 * `lit` the literal text when the value needs no pattern (no wildcard,
 * and lower-case unless cased), else NULL. Both in the plan's arena. */
typedef struct sg_pat {
    const char *re;
    const char *lit;
} sg_pat;
enum { SG_MAX_PATS = 3 };   /* base64offset gives three */
/* The patterns of scalar `value` under m (placement, windash, encodings);
 * returns how many, or -1. */
int sg_patterns(sg_ctx *c, const sg_mods *m, struct fy_node *value, sg_pat *out);

/* match.c: one field item of a search, `Field|mods: values`, as a
 * two-valued expression (TRUE or FALSE, never NULL: sigma.md §3, a
 * missing field matches nothing, so `not` of it is TRUE). `field` is NULL
 * for keywords, which search the raw event. */
expr *sg_field_item(sg_ctx *c, struct fy_node *key, struct fy_node *value);
/* Keywords: values searched anywhere in the raw event (sigma.md §3), as
 * a list (any) or under |all; `at` places errors. */
expr *sg_keywords(sg_ctx *c, struct fy_node *at, struct fy_node *list, unsigned flags);

/* detect.c: the searches of a `detection` map and its condition, as one
 * expression; NULL on error. */
expr *sg_detection(sg_ctx *c, struct fy_node *detection);
/* The slot of Sigma field `name` (the view resolves it per input). */
int sg_field(sg_ctx *c, struct fy_node *at, const char *name);

/* cond.c: the condition text of node `cond` over the searches
 * ids[0..n) whose expressions are exprs[0..n). */
expr *sg_condition(sg_ctx *c, struct fy_node *cond, const char *const *ids, expr *const *exprs,
                   int n);

/* rule.c keeps one of these per detection rule for the correlation. */
typedef struct sg_rule {
    struct fy_node *root;
    const char *title, *id, *name, *author;
    expr *match;             /* logsource and detection; NULL for a correlation */
} sg_rule;

/* meta.c: reads r->root's metadata into r, checking its form. */
int sg_meta(sg_ctx *c, sg_rule *r);

/* correl.c: the aggregate of correlation `root` over rules[0..n) (the
 * detection rules of the file); the events are already filtered to those
 * matching any of them. */
int sg_correlation(sg_ctx *c, struct fy_node *root, sg_rule *rules, int n, int time_slot);

#endif
