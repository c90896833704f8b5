/* transform: CQL functions that reshape the event stream — aggregates
 * (groupBy, top, count/sum/min/max/avg), ordering and limits (sort, head,
 * tail, table), and field housekeeping (select, rename, drop, lower, upper,
 * eval). Defaults are LogScale's documented ones (logscale.md §5). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lang/logscale/check.h"

static const struct { const char *name, *dflt; } defaults[] = {
    {"in", "field"}, {"regex", "regex"}, {"cidr", "field"}, {"wildcard", "pattern"},
    {"groupBy", "field"}, {"count", "field"}, {"sum", "field"}, {"min", "field"},
    {"max", "field"}, {"avg", "field"}, {"sort", "field"}, {"head", "limit"},
    {"tail", "limit"}, {"select", "fields"}, {"table", "fields"}, {"rename", "field"},
    {"drop", "fields"}, {"lower", "field"}, {"upper", "field"}, {"top", "field"},
};

const char *ls_default_param(const ls_ast *call)
{
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        if (ls_is_call(call, defaults[i].name))
            return defaults[i].dflt;
    return NULL;
}

/* After an aggregate only its columns exist, under their output names. */
static void enter_rows(ls_check *c)
{
    c->agg = 1;
    c->nsym = 0;
    for (int col = 0; col < plan_ncolumns(c->p); col++)
        ls_bind(c, plan_column_name(c->p, col), col);
}

static const char *agg_default_name(int fn)
{
    static const char *const names[] = {"_count", "_count", "_sum", "_min", "_max", "_avg"};
    return names[fn];
}

/* One aggregate function call inside groupBy(function=...) or alone. */
static void aggregate_fn(ls_check *c, const ls_ast *call)
{
    static const struct { const char *name; int fn; } fns[] = {
        {"count", AGG_COUNT}, {"sum", AGG_SUM}, {"min", AGG_MIN}, {"max", AGG_MAX},
        {"avg", AGG_AVG},
    };
    static const char *const count_params[] = {"field", "as", "distinct", NULL};
    static const char *const other_params[] = {"field", "as", NULL};
    int fn = -1;
    for (size_t i = 0; call->kind == N_CALL && i < sizeof fns / sizeof fns[0]; i++)
        if (ls_is_call(call, fns[i].name))
            fn = fns[i].fn;
    if (fn < 0)
        ls_fail(c, call, "unsupported aggregate function%s%s (supported: count, sum, min, "
                         "max, avg)", call->kind == N_CALL ? " " : "",
                call->kind == N_CALL ? call->text : "");
    ls_check_params(c, call, "field", fn == AGG_COUNT ? count_params : other_params);
    const ls_ast *field = ls_arg(c, call, "field"), *as = ls_arg(c, call, "as");
    const ls_ast *distinct = ls_arg(c, call, "distinct");
    if (fn != AGG_COUNT && !field)
        ls_fail(c, call, "%s() needs a field", call->text);
    expr *arg = field ? plan_ref(c->p, ls_field(c, ls_text(c, field, "field"), field)) : NULL;
    if (distinct && ls_bool(c, distinct, "distinct")) {
        if (!arg)
            ls_fail(c, call, "count(distinct=true) needs a field");
        fn = AGG_COUNT_DISTINCT;
    }
    const char *name = as ? ls_text(c, as, "as") : agg_default_name(fn);
    int col = plan_aggregate(c->p, fn, arg, name);
    if (col < 0)
        ls_fail(c, call, "too many aggregate outputs");
    /* min/max compare numbers and keep the winning text as written [doc L20]. */
    if (fn == AGG_MIN || fn == AGG_MAX)
        plan_agg_numeric(c->p, col);
}

static void no_second_aggregate(ls_check *c, const ls_ast *call)
{
    if (c->agg)
        ls_fail(c, call, "%s() after an aggregate is not supported by mailc2 yet", call->text);
}

/* Where a key a Falcon event lacks comes from (falcon_ctx.h). */
static const char *key_source(const char *name)
{
    static const struct { const char *field, *source; } sources[] = {
        {"ImageFileName", "on raw Falcon data, ProcessRollup2 events in the input supply it"},
        {"CommandLine", "on raw Falcon data, ProcessRollup2 events in the input supply it"},
        {"UserName", "on raw Falcon data, UserIdentity or UserLogon events or ProcessRollup2 "
                     "with UserName supply it; on Sysmon, process creation events"},
        {"ComputerName", "on raw Falcon data, the FDR bundle's aid_master file supplies it"},
    };
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
        if (strcmp(sources[i].field, name) == 0)
            return sources[i].source;
    return NULL;
}

/* Events lacking any key are not grouped (logscale.md §5 decision); the run
 * says how many each key removed, and what would supply it (§6 #8-9). */
static void require_keys(ls_check *c, const int *slots, const char *const *names, int n,
                         const ls_ast *at)
{
    expr *k[PLAN_MAX_COLS];
    for (int i = 0; i < n; i++) {
        expr *f = plan_ref(c->p, slots[i]);
        expr *missing = plan_node(c->p, EX_ISNULL, 0, 1, &f);
        char msg[300];
        const char *source = key_source(names[i]);
        snprintf(msg, sizeof msg, "%%llu events lack %s and were not grouped%s%s", names[i],
                 source ? " (" : "", source ? source : "");
        if (source)
            strcat(msg, ")");
        plan_note_step(c->p, missing, msg);
        k[i] = plan_not(c->p, missing);
    }
    if (n)
        ls_add_filter(c, n == 1 ? k[0] : plan_node(c->p, EX_AND, 0, n, k), at);
}

static void group_keys(ls_check *c, const ls_ast *field, const ls_ast *at)
{
    const char *names[PLAN_MAX_COLS];
    int slots[PLAN_MAX_COLS];
    int n = ls_texts(c, field, names, PLAN_MAX_COLS, "field");
    for (int i = 0; i < n; i++)
        slots[i] = ls_field(c, names[i], field);
    require_keys(c, slots, names, n, at);
    for (int i = 0; i < n; i++)
        if (plan_group_key(c->p, plan_ref(c->p, slots[i]), names[i]) < 0)
            ls_fail(c, field, "too many group keys");
}

/* groupBy(field=[...], function=[...]=count(as=_count), limit=20000) [doc L18] */
static void fn_groupby(ls_check *c, const ls_ast *call)
{
    static const char *const params[] = {"field", "function", "limit", NULL};
    ls_check_params(c, call, "field", params);
    no_second_aggregate(c, call);
    const ls_ast *field = ls_arg(c, call, "field"), *fns = ls_arg(c, call, "function");
    const ls_ast *limit = ls_arg(c, call, "limit");
    if (!field)
        ls_fail(c, call, "groupBy() needs the fields to group by");
    group_keys(c, field, call);
    if (!fns) {
        if (plan_aggregate(c->p, AGG_COUNT, NULL, "_count") < 0)
            ls_fail(c, call, "too many aggregate outputs");
    } else if (fns->kind == N_ARRAY) {
        for (int i = 0; i < fns->nkids; i++)
            aggregate_fn(c, fns->kids[i]);
    } else {
        aggregate_fn(c, fns);
    }
    int64_t groups = 20000;
    if (limit && strcasecmp(limit->text, "max") == 0)
        groups = 1000000; /* GroupMaxLimit's default */
    else if (limit)
        groups = ls_int(c, limit, "limit");
    if (plan_set_group_limit(c->p, groups) < 0)
        ls_fail(c, limit, "limit must be a whole number >= 0");
    enter_rows(c);
}

/* count(), sum(), ... alone: one row over every event. */
static void fn_aggregate(ls_check *c, const ls_ast *call)
{
    no_second_aggregate(c, call);
    aggregate_fn(c, call);
    enter_rows(c);
}

static int sort_type(ls_check *c, const ls_ast *v)
{
    const char *t = v ? ls_text(c, v, "type") : "number";
    if (strcasecmp(t, "number") == 0)
        return SORT_NUMBER;
    if (strcasecmp(t, "string") == 0)
        return SORT_TEXT;
    ls_fail(c, v, "sort type '%s' is not supported (number or string)", t);
}

static int descending(ls_check *c, const ls_ast *v)
{
    const char *o = v ? ls_text(c, v, "order") : "desc";
    if (!strcasecmp(o, "desc") || !strcasecmp(o, "descending"))
        return 1;
    if (!strcasecmp(o, "asc") || !strcasecmp(o, "ascending"))
        return 0;
    ls_fail(c, v, "order must be asc or desc, not '%s'", o);
}

static void set_limit(ls_check *c, int64_t n, const ls_ast *at)
{
    if (plan_set_limit(c->p, n) < 0)
        ls_fail(c, at, "limit must be a whole number >= 0");
}

static void sort_by(ls_check *c, int col, int desc, int type, const ls_ast *at)
{
    if (plan_sort_by(c->p, col, desc, type) < 0)
        ls_fail(c, at, "too many sort fields (at most %d)", PLAN_MAX_COLS);
}

/* An explicit limit always applies; LogScale's default one (200 rows) only
 * with --emulate-limits, else the run warns when it would have cut. */
static void row_limit(ls_check *c, const ls_ast *v, int64_t dflt)
{
    if (v)
        set_limit(c, ls_int(c, v, "limit"), v);
    else if (plan_set_default_row_limit(c->p, dflt) < 0 || plan_set_limit(c->p, -1) < 0)
        ls_fail(c, v, "limit must be a whole number >= 0");
}

static void set_sort(ls_check *c, const ls_ast *fields, int desc, int type)
{
    const char *names[PLAN_MAX_COLS];
    int n = ls_texts(c, fields, names, PLAN_MAX_COLS, "field");
    plan_clear_sort(c->p);
    for (int i = 0; i < n; i++)
        sort_by(c, ls_field(c, names[i], fields), desc, type, fields);
}

/* sort(field, order=desc, type=number, limit=200) [doc L21] */
static void fn_sort(ls_check *c, const ls_ast *call)
{
    static const char *const params[] = {"field", "order", "type", "limit", NULL};
    ls_check_params(c, call, "field", params);
    const ls_ast *field = ls_arg(c, call, "field");
    if (!field)
        ls_fail(c, call, "sort() needs a field");
    set_sort(c, field, descending(c, ls_arg(c, call, "order")),
             sort_type(c, ls_arg(c, call, "type")));
    row_limit(c, ls_arg(c, call, "limit"), 200);
}

/* head()/tail(): the oldest/newest events, or the first rows after an
 * aggregate [doc L24]. */
static void fn_head_tail(ls_check *c, const ls_ast *call)
{
    static const char *const params[] = {"limit", NULL};
    ls_check_params(c, call, "limit", params);
    const ls_ast *limit = ls_arg(c, call, "limit");
    int64_t n = limit ? ls_int(c, limit, "limit") : 200;
    if (!c->agg) {
        plan_clear_sort(c->p);
        sort_by(c, ls_field(c, "@timestamp", call), ls_is_call(call, "tail"), SORT_NUMBER, call);
    } else if (ls_is_call(call, "tail")) {
        ls_fail(c, call, "tail() after an aggregate is not supported by mailc2 yet");
    }
    int64_t prev = plan_limit(c->p);
    set_limit(c, prev >= 0 && prev < n ? prev : n, call);
}

static void project(ls_check *c, const ls_ast *fields)
{
    const char *names[PLAN_MAX_COLS];
    int n = ls_texts(c, fields, names, PLAN_MAX_COLS, "fields");
    plan_clear_projection(c->p);
    for (int i = 0; i < n; i++)
        if (plan_project(c->p, ls_field(c, names[i], fields), names[i]) < 0)
            ls_fail(c, fields, "too many fields shown (at most %d)", PLAN_MAX_COLS);
    c->projected = 1;
}

static void fn_select(ls_check *c, const ls_ast *call)
{
    static const char *const params[] = {"fields", NULL};
    ls_check_params(c, call, "fields", params);
    const ls_ast *fields = ls_arg(c, call, "fields");
    if (!fields)
        ls_fail(c, call, "select() needs fields");
    project(c, fields);
}

/* table(fields, limit=200, sortby=@timestamp, order=desc, type=number) [doc L23] */
static void fn_table(ls_check *c, const ls_ast *call)
{
    static const char *const params[] = {"fields", "limit", "sortby", "order", "type", NULL};
    ls_check_params(c, call, "fields", params);
    const ls_ast *fields = ls_arg(c, call, "fields"), *by = ls_arg(c, call, "sortby");
    if (!fields)
        ls_fail(c, call, "table() needs fields");
    int desc = descending(c, ls_arg(c, call, "order"));
    int type = sort_type(c, ls_arg(c, call, "type"));
    plan_clear_sort(c->p);
    sort_by(c, ls_field(c, by ? ls_text(c, by, "sortby") : "@timestamp", by ? by : call), desc,
            type, by ? by : call);
    row_limit(c, ls_arg(c, call, "limit"), 200);
    project(c, fields);
}

static void rename_one(ls_check *c, const char *from, const char *to, const ls_ast *at)
{
    int slot = ls_field(c, from, at);
    ls_unbind(c, from);
    ls_bind(c, to, slot);
    if (c->agg && plan_rename_column(c->p, slot, to) < 0)
        ls_fail(c, at, "cannot rename '%s'", from);
    plan_rename_projected(c->p, from, to);
}

/* rename(field, as) or rename(field=[[old, new], ...]) */
static void fn_rename(ls_check *c, const ls_ast *call)
{
    static const char *const params[] = {"field", "as", NULL};
    ls_check_params(c, call, "field", params);
    const ls_ast *field = ls_arg(c, call, "field"), *as = ls_arg(c, call, "as");
    if (field && field->kind == N_ARRAY && !as) {
        for (int i = 0; i < field->nkids; i++) {
            const ls_ast *pair = field->kids[i];
            if (pair->kind != N_ARRAY || pair->nkids != 2)
                ls_fail(c, pair, "rename(field=[[old, new], ...]) takes pairs of names");
            rename_one(c, ls_text(c, pair->kids[0], "field"), ls_text(c, pair->kids[1], "as"),
                       pair);
        }
        return;
    }
    if (!field || !as)
        ls_fail(c, call, "rename() needs field= and as=");
    rename_one(c, ls_text(c, field, "field"), ls_text(c, as, "as"), call);
}

static void fn_drop(ls_check *c, const ls_ast *call)
{
    static const char *const params[] = {"fields", NULL};
    ls_check_params(c, call, "fields", params);
    const ls_ast *fields = ls_arg(c, call, "fields");
    const char *names[PLAN_MAX_COLS];
    int n = fields ? ls_texts(c, fields, names, PLAN_MAX_COLS, "fields") : 0;
    for (int i = 0; i < n; i++)
        ls_add_eval(c, names[i], plan_node(c->p, EX_LIT, 0, 0, NULL), fields);
}

/* lower(field, as=field) / upper(...): a missing field stays missing. */
static void fn_case_map(ls_check *c, const ls_ast *call)
{
    static const char *const params[] = {"field", "as", NULL};
    ls_check_params(c, call, "field", params);
    const ls_ast *field = ls_arg(c, call, "field"), *as = ls_arg(c, call, "as");
    if (!field)
        ls_fail(c, call, "%s() needs a field", call->text);
    const char *name = ls_text(c, field, "field");
    expr *e = plan_call(c->p, ls_is_call(call, "lower") ? FN_LOWER : FN_UPPER,
                        plan_ref(c->p, ls_field(c, name, field)));
    ls_add_eval(c, as ? ls_text(c, as, "as") : name, e, call);
}

/* top(field, limit=10, as=_count): the most frequent values. */
static void fn_top(ls_check *c, const ls_ast *call)
{
    static const char *const params[] = {"field", "limit", "as", NULL};
    ls_check_params(c, call, "field", params);
    no_second_aggregate(c, call);
    const ls_ast *field = ls_arg(c, call, "field"), *as = ls_arg(c, call, "as");
    const ls_ast *limit = ls_arg(c, call, "limit");
    if (!field)
        ls_fail(c, call, "top() needs a field");
    group_keys(c, field, call);
    int col = plan_aggregate(c->p, AGG_COUNT, NULL, as ? ls_text(c, as, "as") : "_count");
    if (col < 0)
        ls_fail(c, call, "too many aggregate outputs");
    enter_rows(c);
    plan_clear_sort(c->p);
    sort_by(c, col, 1, SORT_NUMBER, call);
    set_limit(c, limit ? ls_int(c, limit, "limit") : 10, limit ? limit : call);
}

static void fn_eval(ls_check *c, const ls_ast *call)
{
    if (call->nkids != 1 || !call->kids[0]->text)
        ls_fail(c, call, "eval() takes one `field = expression`");
    ls_assign(c, call->kids[0]->text, call->kids[0]->kids[0], call);
}

static const struct {
    const char *name;
    void (*compile)(ls_check *c, const ls_ast *call);
} transforms[] = {
    {"groupBy", fn_groupby}, {"count", fn_aggregate}, {"sum", fn_aggregate},
    {"min", fn_aggregate}, {"max", fn_aggregate}, {"avg", fn_aggregate}, {"sort", fn_sort},
    {"head", fn_head_tail}, {"tail", fn_head_tail}, {"select", fn_select}, {"table", fn_table},
    {"rename", fn_rename}, {"drop", fn_drop}, {"lower", fn_case_map}, {"upper", fn_case_map},
    {"top", fn_top}, {"eval", fn_eval},
};

/* Functions that need LogScale's own services or repository state. */
static const char *const service_fns[] = {
    "ipLocation", "asn", "ioc:lookup", "selfJoinFilter", "match", "join", "lookup",
    "geohash", "rdns", "defineTable", "correlate",
};

int ls_transform(ls_check *c, const ls_ast *call)
{
    for (size_t i = 0; i < sizeof transforms / sizeof transforms[0]; i++)
        if (ls_is_call(call, transforms[i].name)) {
            transforms[i].compile(c, call);
            return 1;
        }
    if (ls_is_filter_fn(call))
        return 0; /* the caller compiles it as a filter */
    for (size_t i = 0; i < sizeof service_fns / sizeof service_fns[0]; i++)
        if (ls_is_call(call, service_fns[i]))
            ls_fail(c, call, "%s() needs LogScale's own services and cannot run locally",
                    call->text);
    ls_fail(c, call, "function %s() is not supported by mailc2 (see `mailc2 run --help` "
                     "for the supported LogScale functions)", call->text);
}
