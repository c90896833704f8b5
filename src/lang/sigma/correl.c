/* correl: a Sigma correlation rule (sigma.md §5) as the plan's aggregate.
 *
 * The plan counts in one window that ends at the run's `now`: the
 * timespan becomes that window, which is what the seeds do ("the last 24
 * hours"), not Sigma's sliding windows; compiling says so. Within it:
 *   event_count   events per group;
 *   value_count   distinct values of `field` per group;
 *   value_sum/avg the sum or mean of `field` per group;
 *   temporal      every referenced rule matched in the group;
 *   temporal_ordered  the same, in the order given: for two rules, the
 *                 first matched no later than the second's last match.
 * Ordering three or more rules needs the events in sequence, which one
 * aggregate cannot see: refused, as are value_percentile, chained
 * correlations and `generate: true`. An alias (a group-by name that reads
 * a different field in each rule) is the field of whichever rule the
 * event matched, the first in the rules' order. An event whose group-by
 * field is missing is not counted (sigma.md §5), and the run says how
 * many were left out. */
#include <stdlib.h>
#include <string.h>

#include "lang/sigma/internal.h"
#include "util/arena.h"

enum ctype { C_EVENT_COUNT, C_VALUE_COUNT, C_VALUE_SUM, C_VALUE_AVG, C_TEMPORAL, C_ORDERED };

static const struct { const char *name; int type; } types[] = {
    {"event_count", C_EVENT_COUNT}, {"value_count", C_VALUE_COUNT}, {"value_sum", C_VALUE_SUM},
    {"value_avg", C_VALUE_AVG}, {"temporal", C_TEMPORAL}, {"temporal_ordered", C_ORDERED},
};

typedef struct corr {
    sg_ctx *c;
    struct fy_node *map;
    int type;
    sg_rule *used[SG_MAX_DOCS];     /* referenced rules, in the order given */
    int nused;
    expr *keys[PLAN_MAX_COLS];      /* group-by values */
    const char *key_name[PLAN_MAX_COLS];
    int nkeys;
    int64_t span_ms;
} corr;

static const char *const known_keys[] = {"type", "rules", "group-by", "timespan", "condition",
                                         "generate", "aliases", NULL};

static int check_keys(corr *k)
{
    void *it = NULL;
    for (struct fy_node_pair *p; (p = fy_node_mapping_iterate(k->map, &it));) {
        const char *key = sg_text(fy_node_pair_key(p));
        int i = 0;
        while (known_keys[i] && (!key || strcmp(known_keys[i], key)))
            i++;
        if (!known_keys[i])
            return sg_fail(k->c, fy_node_pair_key(p), "unknown correlation key '%s'",
                           key ? key : "");
    }
    struct fy_node *aliases = sg_get(k->map, "aliases");
    if (aliases && !sg_is_map(aliases))
        return sg_fail(k->c, aliases, "aliases must be a map of names, each a map of rule to "
                       "field");
    struct fy_node *gen = sg_get(k->map, "generate");
    if (gen && (!sg_is_scalar(gen) || strcmp(sg_text(gen), "false")))
        return sg_fail(k->c, gen, "generate: true asks for each rule's events besides the "
                       "correlation's groups; one plan gives one result");
    return 0;
}

static int read_type(corr *k)
{
    struct fy_node *t = sg_get(k->map, "type");
    const char *s = sg_text(t);
    if (!t)
        return sg_fail(k->c, k->map, "the correlation has no type");
    for (size_t i = 0; s && i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(s, types[i].name)) {
            k->type = types[i].type;
            return 0;
        }
    if (s && !strcmp(s, "value_percentile"))
        return sg_fail(k->c, t, "value_percentile is not supported: the plan has no percentile");
    return sg_fail(k->c, t, "unknown correlation type '%s' (event_count, value_count, "
                   "value_sum, value_avg, temporal, temporal_ordered)", s ? s : "");
}

/* A single text or a list of texts; out[] gets the nodes. */
static int text_list(corr *k, const char *key, struct fy_node **out, int cap, int *n)
{
    struct fy_node *v = sg_get(k->map, key);
    *n = 0;
    if (sg_is_scalar(v) && !sg_is_null(v)) {
        out[(*n)++] = v;
        return 0;
    }
    if (!sg_is_seq(v) || fy_node_sequence_item_count(v) == 0)
        return sg_fail(k->c, v ? v : k->map, "correlation %s must be a name or a list of names",
                       key);
    void *it = NULL;
    for (struct fy_node *i; (i = fy_node_sequence_iterate(v, &it));) {
        if (!sg_is_scalar(i) || sg_is_null(i))
            return sg_fail(k->c, i, "correlation %s: each is a name", key);
        if (*n == cap)
            return sg_fail(k->c, i, "correlation %s: more than %d", key, cap);
        out[(*n)++] = i;
    }
    return 0;
}

/* `rules`: by name or id; every detection rule of the file must be one of
 * them, since the plan's result is the correlation's alone. */
static int read_rules(corr *k, sg_rule *rules, int n)
{
    struct fy_node *refs[SG_MAX_DOCS];
    int nref;
    if (text_list(k, "rules", refs, SG_MAX_DOCS, &nref))
        return -1;
    for (int i = 0; i < nref; i++) {
        const char *ref = sg_text(refs[i]);
        int r = 0;
        while (r < n && !((rules[r].name && !strcmp(rules[r].name, ref)) ||
                          (rules[r].id && !strcmp(rules[r].id, ref))))
            r++;
        if (r == n)
            return sg_fail(k->c, refs[i], "no detection rule in this file is named '%s' or has "
                           "that id", ref);
        for (int j = 0; j < k->nused; j++)
            if (k->used[j] == &rules[r])
                return sg_fail(k->c, refs[i], "rule '%s' is named twice", ref);
        k->used[k->nused++] = &rules[r];
    }
    for (int r = 0; r < n; r++) {
        int j = 0;
        while (j < k->nused && k->used[j] != &rules[r])
            j++;
        if (j == k->nused)
            return sg_fail(k->c, sg_get(rules[r].root, "title"), "rule '%s' is not used by the "
                           "correlation; one plan gives one result: put it in a file of its own",
                           rules[r].title);
    }
    if (k->type == C_ORDERED && k->nused > 2)
        return sg_fail(k->c, sg_get(k->map, "rules"), "temporal_ordered over more than two "
                       "rules needs the events in sequence, which the plan's aggregate cannot "
                       "follow");
    if ((k->type == C_TEMPORAL || k->type == C_ORDERED) && k->nused < 2)
        return sg_fail(k->c, sg_get(k->map, "rules"), "a temporal correlation relates two or "
                       "more rules");
    return 0;
}

/* The rule's own field in alias `map` (rule name or id -> field). */
static struct fy_node *alias_field(struct fy_node *map, const sg_rule *r)
{
    struct fy_node *f = r->name ? sg_get(map, r->name) : NULL;
    return f ? f : r->id ? sg_get(map, r->id) : NULL;
}

/* An alias: per event, the field of the first referenced rule it matched. */
static expr *alias_key(corr *k, struct fy_node *name, struct fy_node *map)
{
    plan *p = k->c->p;
    expr *kids[2 * SG_MAX_DOCS];
    if (!sg_is_map(map))
        return sg_error(k->c, map ? map : name, "alias '%s' must map each rule to a field",
                        sg_text(name));
    for (int i = 0; i < k->nused; i++) {
        struct fy_node *f = alias_field(map, k->used[i]);
        int slot = sg_is_scalar(f) && !sg_is_null(f) ? sg_field(k->c, f, sg_text(f)) : -2;
        if (slot == -2)
            return sg_error(k->c, map, "alias '%s' names no field for rule '%s'", sg_text(name),
                            k->used[i]->title);
        if (slot < 0)
            return NULL;
        kids[2 * i] = k->used[i]->match;
        kids[2 * i + 1] = plan_ref(p, slot);
    }
    return plan_node(p, EX_CASE, 0, 2 * k->nused, kids);
}

static int read_group_by(corr *k)
{
    struct fy_node *names[PLAN_MAX_COLS], *aliases = sg_get(k->map, "aliases");
    if (!sg_get(k->map, "group-by"))
        return 0;
    if (text_list(k, "group-by", names, PLAN_MAX_COLS - 8, &k->nkeys))
        return -1;
    for (int i = 0; i < k->nkeys; i++) {
        k->key_name[i] = sg_text(names[i]);
        struct fy_node *alias = sg_get(aliases, k->key_name[i]);
        int slot = alias ? 0 : sg_field(k->c, names[i], k->key_name[i]);
        if (slot < 0)
            return -1;
        k->keys[i] = alias ? alias_key(k, names[i], alias) : plan_ref(k->c->p, slot);
        if (!k->keys[i])
            return -1;
    }
    return 0;
}

/* An integer and one of s, m, h, d (sigma.md §7 #9: nothing else). */
static int read_timespan(corr *k)
{
    struct fy_node *t = sg_get(k->map, "timespan");
    const char *s = sg_text(t);
    static const struct { char unit; int64_t ms; } units[] = {
        {'s', 1000}, {'m', 60000}, {'h', 3600000}, {'d', 86400000},
    };
    if (!t)
        return sg_fail(k->c, k->map, "the correlation has no timespan");
    size_t digits = s ? strspn(s, "0123456789") : 0;
    for (size_t u = 0; digits && digits < 10 && u < sizeof units / sizeof units[0]; u++)
        if (s[digits] == units[u].unit && !s[digits + 1]) {
            k->span_ms = strtoll(s, NULL, 10) * units[u].ms;
            if (k->span_ms > 0)
                return 0;
        }
    return sg_fail(k->c, t, "timespan '%s' is not a number and a unit s, m, h or d (24h)",
                   s ? s : "");
}

static const struct { const char *name; int op; } ops[] = {
    {"gt", CMP_GT}, {"gte", CMP_GE}, {"lt", CMP_LT}, {"lte", CMP_LE}, {"eq", CMP_EQ},
    {"neq", CMP_NE},
};

/* One `op: N` of the condition as a filter over result column col. */
static int condition_item(corr *k, struct fy_node *key, struct fy_node *val, int col)
{
    const char *op = sg_text(key), *v = sg_text(val);
    size_t i = 0;
    while (i < sizeof ops / sizeof ops[0] && (!op || strcmp(ops[i].name, op)))
        i++;
    if (i == sizeof ops / sizeof ops[0])
        return sg_fail(k->c, key, "unknown condition '%s' (gt, gte, lt, lte, eq, neq, field)",
                       op ? op : "");
    char *end = NULL;
    long long n = v ? strtoll(v, &end, 10) : 0;
    if (!v || !*v || *end || strlen(v) > 15)
        return sg_fail(k->c, val ? val : key, "condition %s takes a whole number", op);
    expr *e = plan_cmp(k->c->p, ops[i].op, plan_ref(k->c->p, col), plan_lit_int(k->c->p, n));
    if (plan_post_filter(k->c->p, e))
        return sg_fail(k->c, key, "too many conditions");
    return 0;
}

/* `condition`: every comparison holds (sigma.md §7 #10), over the count
 * or the value column. Temporal correlations take none: every rule must
 * match. */
static int read_condition(corr *k, int col)
{
    struct fy_node *cond = sg_get(k->map, "condition");
    int temporal = k->type == C_TEMPORAL || k->type == C_ORDERED;
    if (!cond)
        return temporal ? 0 : sg_fail(k->c, k->map, "the correlation has no condition");
    if (temporal)
        return sg_fail(k->c, cond, "a condition on a temporal correlation is not supported: "
                       "every rule must match");
    if (!sg_is_map(cond))
        return sg_fail(k->c, cond, "condition must be a map such as gt: 2");
    int n = 0;
    void *it = NULL;
    for (struct fy_node_pair *p; (p = fy_node_mapping_iterate(cond, &it));) {
        const char *key = sg_text(fy_node_pair_key(p));
        if (key && !strcmp(key, "field"))
            continue;
        if (condition_item(k, fy_node_pair_key(p), fy_node_pair_value(p), col))
            return -1;
        n++;
    }
    return n ? 0 : sg_fail(k->c, cond, "condition compares nothing (gt, gte, lt, lte, eq, neq)");
}

/* The value column of value_count, value_sum and value_avg. */
static int value_column(corr *k)
{
    static const struct { int type, fn; const char *name; } cols[] = {
        {C_VALUE_COUNT, AGG_COUNT_DISTINCT, "value_count"},
        {C_VALUE_SUM, AGG_SUM, "value_sum"},
        {C_VALUE_AVG, AGG_AVG, "value_avg"},
    };
    struct fy_node *cond = sg_get(k->map, "condition"), *field = sg_get(cond, "field");
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        if (cols[i].type != k->type)
            continue;
        if (!sg_is_scalar(field) || sg_is_null(field))
            return sg_fail(k->c, field ? field : cond ? cond : k->map, "%s needs condition "
                           "field: the field whose values it counts", cols[i].name);
        int slot = sg_field(k->c, field, sg_text(field));
        return slot < 0 ? -1 : plan_aggregate(k->c->p, cols[i].fn, plan_ref(k->c->p, slot),
                                              cols[i].name);
    }
    if (field)
        return sg_fail(k->c, field, "condition field is for value_count, value_sum and value_avg");
    return -2;
}

static expr *when(sg_ctx *c, expr *cond, expr *then)
{
    expr *k[2] = {cond, then};
    return plan_node(c->p, EX_CASE, 0, 2, k);
}

/* Temporal: each rule matched in the group (its flag's maximum is 1);
 * ordered: the first rule's first match is no later than the second's
 * last. */
static int temporal_columns(corr *k, int time_slot)
{
    plan *p = k->c->p;
    if (k->type != C_TEMPORAL && k->type != C_ORDERED)
        return 0;
    if (k->type == C_ORDERED) {
        expr *t0 = when(k->c, k->used[0]->match, plan_ref(p, time_slot));
        expr *t1 = when(k->c, k->used[1]->match, plan_ref(p, time_slot));
        int first = plan_aggregate(p, AGG_MIN, t0, "first_rule_first");
        int last = plan_aggregate(p, AGG_MAX, t1, "second_rule_last");
        return plan_post_filter(p, plan_cmp(p, CMP_LE, plan_ref(p, first), plan_ref(p, last)));
    }
    /* Every aggregate before the first post filter (plan.h's order). */
    int col[SG_MAX_DOCS];
    for (int i = 0; i < k->nused; i++) {
        char name[32];
        snprintf(name, sizeof name, "rule_%d_matched", i + 1);
        expr *flag[3] = {k->used[i]->match, plan_lit_int(p, 1), plan_lit_int(p, 0)};
        if ((col[i] = plan_aggregate(p, AGG_MAX, plan_node(p, EX_CASE, 0, 3, flag), name)) < 0)
            return -1;
    }
    for (int i = 0; i < k->nused; i++)
        if (plan_post_filter(p, plan_cmp(p, CMP_EQ, plan_ref(p, col[i]), plan_lit_int(p, 1))))
            return -1;
    return 0;
}

/* The events: those of the referenced rules with every group-by field;
 * the others are counted for the run's notes. */
static int select_events(corr *k)
{
    plan *p = k->c->p;
    expr *any[SG_MAX_DOCS], *missing[PLAN_MAX_COLS];
    for (int i = 0; i < k->nused; i++)
        any[i] = k->used[i]->match;
    if (plan_filter(p, plan_logic(p, EX_OR, k->nused, any)))
        return -1;
    if (k->nkeys == 0)
        return 0;
    for (int i = 0; i < k->nkeys; i++) {
        expr *f = k->keys[i];
        missing[i] = plan_node(p, EX_ISNULL, 0, 1, &f);
    }
    expr *lacks = plan_logic(p, EX_OR, k->nkeys, missing);
    if (plan_note_step(p, lacks, "%llu events matched the correlation's rules but lack a "
                                 "group-by field, so were not counted (Sigma)") ||
        plan_filter(p, plan_not(p, lacks)))
        return -1;
    return 0;
}

/* Keys, count, the type's own columns, first and last seen; shown in
 * that order, busiest group first. */
static int aggregate(corr *k, int time_slot)
{
    plan *p = k->c->p;
    for (int i = 0; i < k->nkeys; i++)
        if (plan_group_key(p, k->keys[i], k->key_name[i]) < 0)
            return sg_fail(k->c, k->map, "too many group-by fields for one plan");
    int count = plan_aggregate(p, AGG_COUNT, NULL, "count");
    if (count < 0)
        return sg_fail(k->c, k->map, "the correlation's columns do not fit in one plan");
    int value = value_column(k);
    if (value == -1)
        return -1;
    int first = plan_aggregate(p, AGG_MIN, plan_ref(p, time_slot), "first_seen");
    int last = plan_aggregate(p, AGG_MAX, plan_ref(p, time_slot), "last_seen");
    if (first < 0 || last < 0 || temporal_columns(k, time_slot))
        return sg_fail(k->c, k->map, "the correlation's columns do not fit in one plan");
    if (read_condition(k, value >= 0 ? value : count))
        return -1;
    plan_sort_by(p, count, 1, SORT_VALUE);
    for (int i = 0; i < k->nkeys; i++)
        plan_project(p, i, k->key_name[i]);
    plan_project(p, count, "count");
    if (value >= 0)
        plan_project(p, value, plan_column_name(p, value));
    plan_project(p, first, "first_seen");
    plan_project(p, last, "last_seen");
    return 0;
}

int sg_correlation(sg_ctx *c, struct fy_node *root, sg_rule *rules, int n, int time_slot)
{
    corr k = {.c = c, .map = sg_get(root, "correlation")};
    if (!sg_is_map(k.map))
        return sg_fail(c, k.map ? k.map : root, "correlation must be a map (type, rules, "
                       "group-by, timespan, condition)");
    if (check_keys(&k) || read_type(&k) || read_rules(&k, rules, n) || read_group_by(&k) ||
        read_timespan(&k))
        return -1;
    struct fy_node *span = sg_get(k.map, "timespan");
    sg_warn(c, span, "timespan %s is counted once, over the %s up to now (as the seeds count), "
            "not in every sliding window of that length", sg_text(span), sg_text(span));
    if (plan_set_window(c->p, time_slot, k.span_ms) || select_events(&k))
        return sg_fail(c, k.map, "the correlation does not fit in one plan");
    return aggregate(&k, time_slot);
}
