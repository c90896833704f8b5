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

void ls_check_params(ls_check *c, const ls_ast *call, const char *dflt,
                     const char *const *params)
{
    int unnamed = 0;
    for (int i = 0; i < call->nkids; i++) {
        const ls_ast *arg = call->kids[i];
        if (!arg->text) {
            if (!dflt)
                ls_fail(c, arg, "%s() takes only named parameters", call->text);
            if (unnamed++)
                ls_fail(c, arg, "%s() takes at most one unnamed argument (its %s)",
                        call->text, dflt);
            continue;
        }
        int known = 0;
        for (const char *const *p = params; *p; p++)
            known |= strcmp(*p, arg->text) == 0;
        if (!known)
            ls_fail(c, arg, "%s(): parameter '%s' is not supported", call->text, arg->text);
    }
}

const ls_ast *ls_arg(ls_check *c, const ls_ast *call, const char *param)
{
    (void)c;
    const char *dflt = ls_default_param(call);
    const ls_ast *found = NULL;
    for (int i = 0; i < call->nkids; i++) {
        const ls_ast *arg = call->kids[i];
        const char *name = arg->text ? arg->text : dflt;
        if (name && strcmp(name, param) == 0) {
            if (found)
                ls_fail(c, arg, "%s(): '%s' given twice", call->text, param);
            found = arg->kids[0];
        }
    }
    return found;
}

const char *ls_text(ls_check *c, const ls_ast *v, const char *what)
{
    if (v->kind != N_WORD && v->kind != N_STRING)
        ls_fail(c, v, "%s must be a name or a quoted string", what);
    return v->text;
}

int64_t ls_int(ls_check *c, const ls_ast *v, const char *what)
{
    char *end;
    const char *t = ls_text(c, v, what);
    long long n = strtoll(t, &end, 10);
    if (end == t || *end || n < 0)
        ls_fail(c, v, "%s must be a whole number >= 0, not '%s'", what, t);
    return n;
}

int ls_bool(ls_check *c, const ls_ast *v, const char *what)
{
    const char *t = ls_text(c, v, what);
    if (strcasecmp(t, "true") == 0)
        return 1;
    if (strcasecmp(t, "false") == 0)
        return 0;
    ls_fail(c, v, "%s must be true or false, not '%s'", what, t);
}

int ls_texts(ls_check *c, const ls_ast *v, const char **out, int max, const char *what)
{
    if (v->kind != N_ARRAY) {
        out[0] = ls_text(c, v, what);
        return 1;
    }
    if (v->nkids > max)
        ls_fail(c, v, "%s: at most %d values", what, max);
    for (int i = 0; i < v->nkids; i++)
        out[i] = ls_text(c, v->kids[i], what);
    return v->nkids;
}

/* ---- filter functions ---------------------------------------------------- */

static expr *field_arg(ls_check *c, const ls_ast *call, const char *param, const char *dflt)
{
    const ls_ast *v = ls_arg(c, call, param);
    const char *name = v ? ls_text(c, v, param) : dflt;
    if (!name)
        ls_fail(c, call, "%s() needs %s=", call->text, param);
    return plan_ref(c->p, ls_field(c, name, v ? v : call));
}

/* in(field, values=[...], ignoreCase=false) [doc L8]: values are patterns
 * like the right side of `=`; one match suffices; missing field: no match. */
static expr *fn_in(ls_check *c, const ls_ast *call)
{
    static const char *const params[] = {"field", "values", "ignoreCase", NULL};
    ls_check_params(c, call, "field", params);
    expr *f = field_arg(c, call, "field", NULL);
    const ls_ast *values = ls_arg(c, call, "values");
    const ls_ast *ic = ls_arg(c, call, "ignoreCase");
    if (!values || values->kind != N_ARRAY)
        ls_fail(c, call, "in() needs values=[...]");
    int ignore = ic ? ls_bool(c, ic, "ignoreCase") : 0;
    expr *k[PLAN_MAX_COLS];
    if (values->nkids > PLAN_MAX_COLS)
        ls_fail(c, values, "in(): at most %d values", PLAN_MAX_COLS);
    for (int i = 0; i < values->nkids; i++)
        k[i] = ls_match_value(c, f, values->kids[i], ignore);
    if (values->nkids == 0)
        return ls_istrue(c, plan_node(c->p, EX_LIT, 0, 0, NULL));
    return ls_istrue(c, values->nkids == 1 ? k[0] : plan_node(c->p, EX_OR, 0, values->nkids, k));
}

/* regex(regex, field=@rawstring, flags="m", strict=true) [doc L9]: an
 * unanchored search; named groups become fields on a match; `flags`
 * replaces the default "m" entirely. */
static expr *fn_regex(ls_check *c, const ls_ast *call)
{
    static const char *const params[] = {"regex", "field", "flags", "strict", NULL};
    ls_check_params(c, call, "regex", params);
    const ls_ast *re = ls_arg(c, call, "regex"), *fl = ls_arg(c, call, "flags");
    const ls_ast *strict = ls_arg(c, call, "strict");
    if (!re)
        ls_fail(c, call, "regex() needs a regex");
    const char *pattern = re->kind == N_REGEX ? re->text : ls_text(c, re, "regex");
    uint32_t flags = ls_regex_flags(c, fl ? ls_text(c, fl, "flags") : re->kind == N_REGEX ? re->flags : "m", fl ? fl : re);
    char err[300];
    expr *f = field_arg(c, call, "field", "@rawstring");
    expr *e = plan_regex(c->p, f, pattern, flags, err, sizeof err);
    if (!e)
        ls_fail(c, re, "%s", err);
    uint32_t count = 0, size = 0;
    PCRE2_SPTR table;
    pcre2_pattern_info(e->re, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(e->re, PCRE2_INFO_NAMEENTRYSIZE, &size);
    pcre2_pattern_info(e->re, PCRE2_INFO_NAMETABLE, &table);
    for (uint32_t i = 0; i < count; i++) {
        const PCRE2_UCHAR *entry = table + i * size;
        int group = (entry[0] << 8) | entry[1];
        ls_add_eval(c, (const char *)entry + 2, plan_capture(c->p, e, group), re);
    }
    if (strict && !ls_bool(c, strict, "strict"))
        return ls_istrue(c, plan_cmp(c->p, CMP_EQ, plan_lit_int(c->p, 1), plan_lit_int(c->p, 1)));
    return ls_istrue(c, e);
}

/* cidr(field, subnet=[...], negate=false): the field is an address in one of
 * the networks. */
static expr *fn_cidr(ls_check *c, const ls_ast *call)
{
    static const char *const params[] = {"field", "subnet", "negate", NULL};
    ls_check_params(c, call, "field", params);
    const ls_ast *sub = ls_arg(c, call, "subnet"), *neg = ls_arg(c, call, "negate");
    if (!sub)
        ls_fail(c, call, "cidr() needs subnet=");
    const char *nets[PLAN_MAX_COLS];
    int n = ls_texts(c, sub, nets, PLAN_MAX_COLS, "subnet");
    char err[200];
    expr *e = plan_cidr(c->p, field_arg(c, call, "field", NULL), nets, n, err, sizeof err);
    if (!e)
        ls_fail(c, sub, "cidr(): %s", err);
    e = ls_istrue(c, e);
    return neg && ls_bool(c, neg, "negate") ? plan_not(c->p, e) : e;
}

static expr *fn_wildcard(ls_check *c, const ls_ast *call)
{
    static const char *const params[] = {"pattern", "field", "ignoreCase", NULL};
    ls_check_params(c, call, "pattern", params);
    const ls_ast *pat = ls_arg(c, call, "pattern"), *ic = ls_arg(c, call, "ignoreCase");
    if (!pat)
        ls_fail(c, call, "wildcard() needs pattern=");
    return ls_istrue(c, ls_match_value(c, field_arg(c, call, "field", "@rawstring"), pat,
                                       ic ? ls_bool(c, ic, "ignoreCase") : 0));
}

/* test(expression) [doc L4]: a filter over an expression. */
static expr *fn_test(ls_check *c, const ls_ast *call)
{
    if (call->nkids != 1 || call->kids[0]->text)
        ls_fail(c, call, "test() takes one expression");
    return ls_istrue(c, ls_expr(c, call->kids[0]->kids[0]));
}

static const struct {
    const char *name, *dflt;
    expr *(*compile)(ls_check *c, const ls_ast *call);
} filter_fns[] = {
    {"in", "field", fn_in}, {"regex", "regex", fn_regex}, {"cidr", "field", fn_cidr},
    {"wildcard", "pattern", fn_wildcard}, {"test", NULL, fn_test},
};

expr *ls_filter_call(ls_check *c, const ls_ast *call)
{
    for (size_t i = 0; i < sizeof filter_fns / sizeof filter_fns[0]; i++)
        if (ls_is_call(call, filter_fns[i].name))
            return filter_fns[i].compile(c, call);
    return NULL;
}

int ls_is_filter_fn(const ls_ast *call)
{
    for (size_t i = 0; i < sizeof filter_fns / sizeof filter_fns[0]; i++)
        if (ls_is_call(call, filter_fns[i].name))
            return 1;
    return 0;
}
