/* funcs: CQL functions — their parameters, defaults and meaning, one small
 * compiler per function (logscale.md §3-§5 and the function reference it
 * cites). A parameter mailc2 does not implement is refused by name, never
 * ignored. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lang/logscale/check.h"

/* ---- arguments ----------------------------------------------------------- */

void cql_check_params(cql_check *c, const cql_ast *call, const char *dflt,
                      const char *const *params)
{
    int unnamed = 0;
    for (int i = 0; i < call->nkids; i++) {
        const cql_ast *arg = call->kids[i];
        if (!arg->text) {
            if (!dflt)
                cql_fail(c, arg, "%s() takes only named parameters", call->text);
            if (unnamed++)
                cql_fail(c, arg, "%s() takes at most one unnamed argument (its %s)",
                         call->text, dflt);
            continue;
        }
        int known = 0;
        for (const char *const *p = params; *p; p++)
            known |= strcmp(*p, arg->text) == 0;
        if (!known)
            cql_fail(c, arg, "%s(): parameter '%s' is not supported", call->text, arg->text);
    }
}

const cql_ast *cql_arg(cql_check *c, const cql_ast *call, const char *param)
{
    (void)c;
    const char *dflt = cql_default_param(call);
    const cql_ast *found = NULL;
    for (int i = 0; i < call->nkids; i++) {
        const cql_ast *arg = call->kids[i];
        const char *name = arg->text ? arg->text : dflt;
        if (name && strcmp(name, param) == 0) {
            if (found)
                cql_fail(c, arg, "%s(): '%s' given twice", call->text, param);
            found = arg->kids[0];
        }
    }
    return found;
}

const char *cql_text(cql_check *c, const cql_ast *v, const char *what)
{
    if (v->kind != N_WORD && v->kind != N_STRING)
        cql_fail(c, v, "%s must be a name or a quoted string", what);
    return v->text;
}

int64_t cql_int(cql_check *c, const cql_ast *v, const char *what)
{
    char *end;
    const char *t = cql_text(c, v, what);
    long long n = strtoll(t, &end, 10);
    if (end == t || *end || n < 0)
        cql_fail(c, v, "%s must be a whole number >= 0, not '%s'", what, t);
    return n;
}

int cql_bool(cql_check *c, const cql_ast *v, const char *what)
{
    const char *t = cql_text(c, v, what);
    if (strcasecmp(t, "true") == 0)
        return 1;
    if (strcasecmp(t, "false") == 0)
        return 0;
    cql_fail(c, v, "%s must be true or false, not '%s'", what, t);
}

int cql_texts(cql_check *c, const cql_ast *v, const char **out, int max, const char *what)
{
    if (v->kind != N_ARRAY) {
        out[0] = cql_text(c, v, what);
        return 1;
    }
    if (v->nkids > max)
        cql_fail(c, v, "%s: at most %d values", what, max);
    for (int i = 0; i < v->nkids; i++)
        out[i] = cql_text(c, v->kids[i], what);
    return v->nkids;
}

/* ---- filter functions ---------------------------------------------------- */

static expr *field_arg(cql_check *c, const cql_ast *call, const char *param, const char *dflt)
{
    const cql_ast *v = cql_arg(c, call, param);
    const char *name = v ? cql_text(c, v, param) : dflt;
    if (!name)
        cql_fail(c, call, "%s() needs %s=", call->text, param);
    return plan_ref(c->p, cql_field(c, name, v ? v : call));
}

/* in(field, values=[...], ignoreCase=false) [doc L8]: values are patterns
 * like the right side of `=`; one match suffices; missing field: no match. */
static expr *fn_in(cql_check *c, const cql_ast *call)
{
    static const char *const params[] = {"field", "values", "ignoreCase", NULL};
    cql_check_params(c, call, "field", params);
    expr *f = field_arg(c, call, "field", NULL);
    const cql_ast *values = cql_arg(c, call, "values");
    const cql_ast *ic = cql_arg(c, call, "ignoreCase");
    if (!values || values->kind != N_ARRAY)
        cql_fail(c, call, "in() needs values=[...]");
    int ignore = ic ? cql_bool(c, ic, "ignoreCase") : 0;
    expr *k[PLAN_MAX_COLS];
    if (values->nkids > PLAN_MAX_COLS)
        cql_fail(c, values, "in(): at most %d values", PLAN_MAX_COLS);
    for (int i = 0; i < values->nkids; i++)
        k[i] = cql_match_value(c, f, values->kids[i], ignore);
    if (values->nkids == 0)
        return cql_istrue(c, plan_node(c->p, EX_LIT, 0, 0, NULL));
    return cql_istrue(c, values->nkids == 1 ? k[0] : plan_node(c->p, EX_OR, 0, values->nkids, k));
}

/* regex(regex, field=@rawstring, flags="m", strict=true) [doc L9]: an
 * unanchored search; named groups become fields on a match; `flags`
 * replaces the default "m" entirely. */
static expr *fn_regex(cql_check *c, const cql_ast *call)
{
    static const char *const params[] = {"regex", "field", "flags", "strict", NULL};
    cql_check_params(c, call, "regex", params);
    const cql_ast *re = cql_arg(c, call, "regex"), *fl = cql_arg(c, call, "flags");
    const cql_ast *strict = cql_arg(c, call, "strict");
    if (!re)
        cql_fail(c, call, "regex() needs a regex");
    const char *pattern = re->kind == N_REGEX ? re->text : cql_text(c, re, "regex");
    uint32_t flags = cql_regex_flags(c, fl ? cql_text(c, fl, "flags") : re->kind == N_REGEX ? re->flags : "m", fl ? fl : re);
    char err[300];
    expr *f = field_arg(c, call, "field", "@rawstring");
    expr *e = plan_regex(c->p, f, pattern, flags, err, sizeof err);
    if (!e)
        cql_fail(c, re, "%s", err);
    uint32_t count = 0, size = 0;
    PCRE2_SPTR table;
    pcre2_pattern_info(e->re, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(e->re, PCRE2_INFO_NAMEENTRYSIZE, &size);
    pcre2_pattern_info(e->re, PCRE2_INFO_NAMETABLE, &table);
    for (uint32_t i = 0; i < count; i++) {
        const PCRE2_UCHAR *entry = table + i * size;
        int group = (entry[0] << 8) | entry[1];
        cql_add_eval(c, (const char *)entry + 2, plan_capture(c->p, e, group), re);
    }
    if (strict && !cql_bool(c, strict, "strict"))
        return cql_istrue(c, plan_cmp(c->p, CMP_EQ, plan_lit_int(c->p, 1), plan_lit_int(c->p, 1)));
    return cql_istrue(c, e);
}

/* cidr(field, subnet=[...], negate=false): the field is an address in one of
 * the networks. */
static expr *fn_cidr(cql_check *c, const cql_ast *call)
{
    static const char *const params[] = {"field", "subnet", "negate", NULL};
    cql_check_params(c, call, "field", params);
    const cql_ast *sub = cql_arg(c, call, "subnet"), *neg = cql_arg(c, call, "negate");
    if (!sub)
        cql_fail(c, call, "cidr() needs subnet=");
    const char *nets[PLAN_MAX_COLS];
    int n = cql_texts(c, sub, nets, PLAN_MAX_COLS, "subnet");
    char err[200];
    expr *e = plan_cidr(c->p, field_arg(c, call, "field", NULL), nets, n, err, sizeof err);
    if (!e)
        cql_fail(c, sub, "cidr(): %s", err);
    e = cql_istrue(c, e);
    return neg && cql_bool(c, neg, "negate") ? plan_not(c->p, e) : e;
}

static expr *fn_wildcard(cql_check *c, const cql_ast *call)
{
    static const char *const params[] = {"pattern", "field", "ignoreCase", NULL};
    cql_check_params(c, call, "pattern", params);
    const cql_ast *pat = cql_arg(c, call, "pattern"), *ic = cql_arg(c, call, "ignoreCase");
    if (!pat)
        cql_fail(c, call, "wildcard() needs pattern=");
    return cql_istrue(c, cql_match_value(c, field_arg(c, call, "field", "@rawstring"), pat,
                                         ic ? cql_bool(c, ic, "ignoreCase") : 0));
}

/* test(expression) [doc L4]: a filter over an expression. */
static expr *fn_test(cql_check *c, const cql_ast *call)
{
    if (call->nkids != 1 || call->kids[0]->text)
        cql_fail(c, call, "test() takes one expression");
    return cql_istrue(c, cql_expr(c, call->kids[0]->kids[0]));
}

static const struct {
    const char *name, *dflt;
    expr *(*compile)(cql_check *c, const cql_ast *call);
} filter_fns[] = {
    {"in", "field", fn_in}, {"regex", "regex", fn_regex}, {"cidr", "field", fn_cidr},
    {"wildcard", "pattern", fn_wildcard}, {"test", NULL, fn_test},
};

expr *cql_filter_call(cql_check *c, const cql_ast *call)
{
    for (size_t i = 0; i < sizeof filter_fns / sizeof filter_fns[0]; i++)
        if (cql_is_call(call, filter_fns[i].name))
            return filter_fns[i].compile(c, call);
    return NULL;
}

int cql_is_filter_fn(const cql_ast *call)
{
    for (size_t i = 0; i < sizeof filter_fns / sizeof filter_fns[0]; i++)
        if (cql_is_call(call, filter_fns[i].name))
            return 1;
    return 0;
}
