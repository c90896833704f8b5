/* match: a field item of a search — `Field|modifiers: value or values` —
 * and keyword lists, as plan expressions (sigma.md §3, §4).
 *
 * Every item is two-valued: it is TRUE or FALSE, never NULL, because
 * Sigma treats a field the event lacks as "does not match" and writers
 * rely on `selection and not filter` keeping events without the filter's
 * field. Strings compare case-insensitively as text (a port 25 is "25");
 * plain values become one IN over the lower-cased field, values with
 * wildcards one anchored regular expression per item, so that a long
 * list is one node and one regex. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "lang/sigma/internal.h"

#include <errno.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/cidr.h"

static expr *istrue(sg_ctx *c, expr *e)
{
    return plan_node(c->p, EX_ISTRUE, 0, 1, &e);
}

static expr *is_null(sg_ctx *c, int slot)
{
    expr *f = plan_ref(c->p, slot);
    return plan_node(c->p, EX_ISNULL, 0, 1, &f);
}

/* The field as text, for comparing as Sigma does ("All values are treated
 * as case-insensitive strings"). */
static expr *text_of(sg_ctx *c, int slot, unsigned flags)
{
    expr *s = plan_call(c->p, FN_STR, plan_ref(c->p, slot));
    return flags & SGM_CASED ? s : plan_call(c->p, FN_LOWER, s);
}

/* The values of an item: one scalar, or a list of them. */
static int item_values(sg_ctx *c, struct fy_node *key, struct fy_node *value,
                       struct fy_node **out, int *n)
{
    *n = 0;
    if (sg_is_scalar(value)) {
        out[(*n)++] = value;
        return 0;
    }
    if (!sg_is_seq(value))
        return sg_fail(c, value ? value : key, "a field's value must be a value or a list of "
                       "values, not a map");
    void *it = NULL;
    for (struct fy_node *v; (v = fy_node_sequence_iterate(value, &it));) {
        if (!sg_is_scalar(v))
            return sg_fail(c, v, "a list of values may hold only values");
        if (sg_is_null(v))
            return sg_fail(c, v, "null cannot be one of a list of values; use a separate "
                           "search for a missing field");
        if (*n == SG_MAX_VALUES)
            return sg_fail(c, v, "more than %d values in one list", SG_MAX_VALUES);
        out[(*n)++] = v;
    }
    if (*n == 0)
        return sg_fail(c, key, "an empty list of values matches nothing");
    return 0;
}

/* `^(?:a|b)$` (any value) or `^(?=(?:a)$)(?=(?:b)$)` (|all), the whole
 * field; keywords search anywhere instead. */
static expr *pattern_regex(sg_ctx *c, struct fy_node *at, int slot, const sg_pat *pats, int n,
                           unsigned flags, int anywhere)
{
    size_t len = 32;
    for (int i = 0; i < n; i++)
        len += strlen(pats[i].re) + 16;
    char *re = xmalloc(len), *o = re;
    int all = (flags & SGM_ALL) != 0;
    o += sprintf(o, "%s", all ? "^" : anywhere ? "(?:" : "^(?:");
    for (int i = 0; i < n; i++) {
        const char *sep = !all && i ? "|" : "";
        if (all)
            o += sprintf(o, anywhere ? "(?=.*(?:%s))" : "(?=(?:%s)$)", pats[i].re);
        else
            o += sprintf(o, "%s%s", sep, pats[i].re);
    }
    sprintf(o, "%s", all ? "" : anywhere ? ")" : ")$");
    uint32_t opt = PCRE2_DOTALL | (flags & SGM_CASED ? 0 : PCRE2_CASELESS);
    char err[300];
    expr *e = plan_regex(c->p, plan_call(c->p, FN_STR, plan_ref(c->p, slot)), re, opt, err,
                         sizeof err);
    free(re);
    if (!e)
        sg_fail(c, at, "%s", err);
    return e;
}

/* Values that need no pattern: IN over the field's text (any), or one
 * equality each (|all). */
static expr *literal_match(sg_ctx *c, int slot, const sg_pat *pats, int n, unsigned flags)
{
    expr **kids = xmalloc(sizeof *kids * (size_t)(n + 1));
    expr *e;
    if (flags & SGM_ALL) {
        for (int i = 0; i < n; i++)
            kids[i] = plan_cmp(c->p, CMP_EQ, text_of(c, slot, flags),
                               plan_lit_str(c->p, pats[i].lit));
        e = plan_logic(c->p, EX_AND, n, kids);
    } else {
        kids[0] = text_of(c, slot, flags);
        for (int i = 0; i < n; i++)
            kids[i + 1] = plan_lit_str(c->p, pats[i].lit);
        e = plan_node(c->p, EX_IN, 0, n + 1, kids);
    }
    free(kids);
    return e;
}

static expr *string_match(sg_ctx *c, struct fy_node *at, int slot, const sg_mods *m,
                          struct fy_node **vals, int nv, int anywhere);

/* base64offset|all: each value is found in any of its three encodings,
 * and every value must be. */
static expr *each_value(sg_ctx *c, struct fy_node *at, int slot, const sg_mods *m,
                        struct fy_node **vals, int nv, int anywhere)
{
    sg_mods one = *m;
    one.flags &= ~SGM_ALL;
    expr **kids = xmalloc(sizeof *kids * (size_t)nv), *e = NULL;
    int i = 0;
    for (; i < nv && (kids[i] = string_match(c, at, slot, &one, vals + i, 1, anywhere)); i++)
        ;
    if (i == nv)
        e = plan_logic(c->p, EX_AND, nv, kids);
    free(kids);
    return e;
}

/* String values (with placement, windash and encodings) against a field
 * or, when anywhere, the raw event. */
static expr *string_match(sg_ctx *c, struct fy_node *at, int slot, const sg_mods *m,
                          struct fy_node **vals, int nv, int anywhere)
{
    if ((m->flags & SGM_BASE64OFFSET) && (m->flags & SGM_ALL))
        return each_value(c, at, slot, m, vals, nv, anywhere);
    sg_pat *pats = xmalloc(sizeof *pats * (size_t)nv * SG_MAX_PATS);
    int n = 0, literal = !anywhere;
    for (int i = 0; i < nv; i++) {
        int k = sg_patterns(c, m, vals[i], pats + n);
        if (k < 0) {
            free(pats);
            return NULL;
        }
        for (int j = n; j < n + k; j++)
            literal &= pats[j].lit != NULL;
        n += k;
    }
    expr *e = literal ? literal_match(c, slot, pats, n, m->flags)
                      : pattern_regex(c, at, slot, pats, n, m->flags, anywhere);
    free(pats);
    return e;
}

/* Looks like a construct outside the regular-expression subset Sigma
 * promises every backend (sigma.md §4, §7 #11): lookaround and
 * backreferences. Still compiled: PCRE2 runs them. */
static int beyond_subset(const char *re)
{
    return strstr(re, "(?=") || strstr(re, "(?!") || strstr(re, "(?<=") || strstr(re, "(?<!") ||
           strstr(re, "\\1");
}

/* |re: each value a search (unanchored, sigma.md §4 decision),
 * case-sensitive unless |i; |m and |s as in PCRE. */
static expr *regex_match(sg_ctx *c, int slot, const sg_mods *m, struct fy_node **vals, int nv)
{
    uint32_t opt = (m->flags & SGM_RE_I ? PCRE2_CASELESS : 0) |
                   (m->flags & SGM_RE_M ? PCRE2_MULTILINE : 0) |
                   (m->flags & SGM_RE_S ? PCRE2_DOTALL : 0);
    expr **kids = xmalloc(sizeof *kids * (size_t)nv), *e = NULL;
    int i = 0;
    for (; i < nv; i++) {
        char err[300];
        const char *re = sg_text(vals[i]);
        if (beyond_subset(re))
            sg_warn(c, vals[i], "regular expression /%s/ uses lookaround or a backreference, "
                    "beyond the subset Sigma backends share", re);
        kids[i] = plan_regex(c->p, plan_call(c->p, FN_STR, plan_ref(c->p, slot)), re, opt, err,
                             sizeof err);
        if (!kids[i]) {
            sg_fail(c, vals[i], "%s", err);
            break;
        }
    }
    if (i == nv)
        e = plan_logic(c->p, m->flags & SGM_ALL ? EX_AND : EX_OR, nv, kids);
    free(kids);
    return e;
}

/* |cidr: the field is an address inside a network (any of them, or each
 * under |all). Each network is checked first, so an error names its own. */
static expr *cidr_match(sg_ctx *c, int slot, const sg_mods *m, struct fy_node **vals, int nv)
{
    const char **nets = xmalloc(sizeof *nets * (size_t)nv);
    expr **kids = xmalloc(sizeof *kids * (size_t)nv), *e = NULL;
    int all = (m->flags & SGM_ALL) != 0, bad = -1;
    char err[300];
    for (int i = 0; i < nv && bad < 0; i++) {
        cidr_net net;
        nets[i] = sg_text(vals[i]);
        if (cidr_parse(nets[i], &net))
            bad = i;
    }
    if (bad >= 0)
        sg_fail(c, vals[bad], "|cidr: '%s' is not an IPv4 or IPv6 network", nets[bad]);
    for (int i = 0; bad < 0 && i < (all ? nv : 1); i++)
        kids[i] = plan_cidr(c->p, plan_ref(c->p, slot), nets + i, all ? 1 : nv, err, sizeof err);
    if (bad < 0)
        e = plan_logic(c->p, EX_AND, all ? nv : 1, kids);
    free(nets);
    free(kids);
    return e;
}

/* |exists: true or false, nothing else. */
static expr *exists_match(sg_ctx *c, int slot, struct fy_node *key, struct fy_node **vals, int nv)
{
    const char *v = nv == 1 ? sg_text(vals[0]) : NULL;
    int yes = v && !strcmp(v, "true"), no = v && !strcmp(v, "false");
    if (!yes && !no) {
        sg_fail(c, nv ? vals[0] : key, "|exists takes true or false");
        return NULL;
    }
    expr *e = is_null(c, slot);
    return yes ? plan_not(c->p, e) : e;
}

/* |gt, |gte, |lt, |lte: the field read as a number (text that is no
 * number does not match). */
static expr *numeric_match(sg_ctx *c, int slot, const sg_mods *m, struct fy_node **vals, int nv)
{
    if (nv != 1) {
        sg_fail(c, vals[1], "a numeric comparison takes one value");
        return NULL;
    }
    const char *v = sg_text(vals[0]);
    char *end;
    errno = 0;
    long long i = strtoll(v, &end, 10);
    int integer = *v && !*end && !errno;
    strtod(v, &end);
    if (!integer && (!*v || *end)) {
        sg_fail(c, vals[0], "'%s' is not a number", v);
        return NULL;
    }
    expr *lit = integer ? plan_lit_int(c->p, i) : plan_call(c->p, FN_FLOAT, plan_lit_str(c->p, v));
    int op = m->flags & SGM_GT ? CMP_GT : m->flags & SGM_GTE ? CMP_GE
           : m->flags & SGM_LT ? CMP_LT : CMP_LE;
    return plan_cmp(c->p, op, plan_call(c->p, FN_FLOAT, plan_ref(c->p, slot)), lit);
}

/* |fieldref: the field equals another field of the same event. */
static expr *fieldref_match(sg_ctx *c, int slot, const sg_mods *m, struct fy_node **vals, int nv)
{
    expr **kids = xmalloc(sizeof *kids * (size_t)nv), *e = NULL;
    int i = 0;
    for (; i < nv; i++) {
        int other = sg_field(c, vals[i], sg_text(vals[i]));
        if (other < 0)
            break;
        kids[i] = plan_cmp(c->p, CMP_EQ, text_of(c, slot, m->flags), text_of(c, other, m->flags));
    }
    if (i == nv)
        e = plan_logic(c->p, m->flags & SGM_ALL ? EX_AND : EX_OR, nv, kids);
    free(kids);
    return e;
}

static expr *values_match(sg_ctx *c, struct fy_node *key, int slot, const sg_mods *m,
                          struct fy_node **vals, int nv)
{
    if (m->flags & SGM_RE)
        return regex_match(c, slot, m, vals, nv);
    if (m->flags & SGM_CIDR)
        return cidr_match(c, slot, m, vals, nv);
    if (m->flags & SGM_EXISTS)
        return exists_match(c, slot, key, vals, nv);
    if (m->flags & SGM_NUMERIC)
        return numeric_match(c, slot, m, vals, nv);
    if (m->flags & SGM_FIELDREF)
        return fieldref_match(c, slot, m, vals, nv);
    if (m->flags & SGM_NEQ) {
        /* neq: present, and none of the values (sigma.md §4 decision). */
        sg_mods eq = *m;
        eq.flags &= ~(SGM_NEQ | SGM_ALL);
        expr *any = string_match(c, key, slot, &eq, vals, nv, 0);
        if (!any)
            return NULL;
        expr *both[2] = {plan_not(c->p, is_null(c, slot)), plan_not(c->p, istrue(c, any))};
        return plan_logic(c->p, EX_AND, 2, both);
    }
    return string_match(c, key, slot, m, vals, nv, 0);
}

expr *sg_field_item(sg_ctx *c, struct fy_node *key, struct fy_node *value)
{
    sg_mods m;
    if (sg_parse_mods(c, key, &m))
        return NULL;
    if (!m.field[0])
        return sg_keywords(c, key, value, m.flags);
    int slot = sg_field(c, key, m.field);
    if (slot < 0)
        return NULL;
    if (sg_is_null(value)) {
        /* `Field: null` is a missing field (sigma.md §3). */
        if (m.flags)
            return sg_error(c, value ? value : key, "null takes no modifier");
        return is_null(c, slot);
    }
    struct fy_node **vals = xmalloc(sizeof *vals * SG_MAX_VALUES);
    int nv;
    expr *e = NULL;
    if (item_values(c, key, value, vals, &nv) == 0) {
        if ((m.flags & SGM_ALL) && nv == 1)
            sg_fail(c, key, "|all needs a list of values");
        else
            e = values_match(c, key, slot, &m, vals, nv);
    }
    free(vals);
    return e ? istrue(c, e) : NULL;
}

expr *sg_keywords(sg_ctx *c, struct fy_node *at, struct fy_node *list, unsigned flags)
{
    if (flags & ~(SGM_ALL | SGM_CASED | SGM_WINDASH))
        return sg_error(c, at, "keywords (a search without a field) take only |all, |cased "
                        "and |windash");
    sg_mods m = {.flags = flags | SGM_CONTAINS};
    int slot = sg_field(c, at, PLAN_RAW_FIELD);
    struct fy_node **vals = xmalloc(sizeof *vals * SG_MAX_VALUES);
    int nv;
    expr *e = NULL;
    if (slot >= 0 && item_values(c, at, list, vals, &nv) == 0) {
        /* Each keyword is already searched anywhere: contains's own
         * wildcards would only slow the search. */
        m.flags &= ~SGM_CONTAINS;
        e = string_match(c, at, slot, &m, vals, nv, 1);
    }
    free(vals);
    return e ? istrue(c, e) : NULL;
}
