/* rule: a Sigma file into one plan (sigma.md §1). Each YAML document is a
 * detection rule (its logsource and detection, ANDed) or a correlation
 * rule over them. Without a correlation the plan lists the events any
 * rule matches, with the rule's `fields` (or the fields it reads) as
 * columns; with one, correl.c adds the aggregate. What one plan cannot
 * hold (two correlations, a correlation beside rules it does not use) is
 * refused by name. */
#include "lang/sigma/sigma.h"

#include <stdlib.h>
#include <string.h>

#include "lang/sigma/internal.h"
#include "util/arena.h"
#include "view/view.h"

/* The logsource categories whose events the decoders produce, as the
 * canonical kind they have (event.h). */
static const struct { const char *category, *kind; } categories[] = {
    {"network_connection", "conn"},
    {"process_creation", "proc"},
};

static expr *kind_is(sg_ctx *c, const char *kind)
{
    return plan_cmp(c->p, CMP_EQ, plan_ref(c->p, plan_field(c->p, "kind", MC_C_KIND)),
                    plan_lit_str(c->p, kind));
}

/* product: the process path tells Windows from Linux (view sigma.c); an
 * event without one is not excluded, since nothing says it is another
 * system. */
static expr *product_is(sg_ctx *c, struct fy_node *at, const char *product)
{
    int slot = sg_field(c, at, VIEW_SIGMA_PRODUCT);
    if (slot < 0)
        return NULL;
    expr *f = plan_ref(c->p, slot);
    expr *either[2] = {plan_node(c->p, EX_ISNULL, 0, 1, &f),
                       plan_cmp(c->p, CMP_EQ, plan_ref(c->p, slot), plan_lit_str(c->p, product))};
    return plan_logic(c->p, EX_OR, 2, either);
}

static const char *text_of_key(sg_ctx *c, struct fy_node *map, const char *key)
{
    struct fy_node *v = sg_get(map, key);
    if (v && !sg_is_scalar(v)) {
        sg_fail(c, v, "logsource %s must be text", key);
        return NULL;
    }
    return v ? sg_text(v) : "";
}

/* The events a logsource names, as a filter; TRUE-less NULL with no
 * error when it names none we can test. */
static int logsource(sg_ctx *c, struct fy_node *ls, expr **out)
{
    *out = NULL;
    if (!sg_is_map(ls))
        return sg_fail(c, ls, "logsource must be a map (category, product, service)");
    const char *cat = text_of_key(c, ls, "category"), *prod = text_of_key(c, ls, "product");
    const char *svc = text_of_key(c, ls, "service");
    if (!cat || !prod || !svc)
        return -1;
    expr *parts[2];
    int n = 0;
    if (*cat) {
        size_t i = 0;
        while (i < sizeof categories / sizeof categories[0] && strcmp(categories[i].category, cat))
            i++;
        if (i == sizeof categories / sizeof categories[0])
            return sg_fail(c, sg_get(ls, "category"), "logsource category '%s' is not one "
                           "mailc2 reads (network_connection, process_creation)", cat);
        parts[n++] = kind_is(c, categories[i].kind);
    }
    if (*prod && strcmp(prod, "windows") && strcmp(prod, "linux"))
        return sg_fail(c, sg_get(ls, "product"), "logsource product '%s' is not one mailc2 "
                       "tells apart (windows, linux)", prod);
    if (*prod && !(parts[n++] = product_is(c, ls, prod)))
        return -1;
    if (*svc && strcmp(svc, "sysmon") && strcmp(svc, "security"))
        return sg_fail(c, sg_get(ls, "service"), "logsource service '%s' is not one mailc2 "
                       "reads (sysmon, security)", svc);
    if (n)
        *out = plan_logic(c->p, EX_AND, n, parts);
    return 0;
}

/* A detection rule's match: its logsource and its detection. */
static int detection_rule(sg_ctx *c, sg_rule *r)
{
    struct fy_node *ls = sg_get(r->root, "logsource"), *det = sg_get(r->root, "detection");
    if (!ls)
        return sg_fail(c, r->root, "rule '%s' has no logsource", r->title);
    expr *source, *match = NULL;
    if (logsource(c, ls, &source) || !(match = sg_detection(c, det)))
        return -1;
    expr *both[2] = {source, match};
    r->match = source ? plan_logic(c->p, EX_AND, 2, both) : match;
    return 0;
}

/* Sigma's own "match" message carries the rule's author where the rule
 * gives one (the DRL 1.1 asks messages based on matches to keep it): a
 * note counting the events each rule matched. '%' would be read as a
 * format by the note's printf, so it is doubled. */
static void author_note(sg_ctx *c, const sg_rule *r)
{
    if (!r->author || !r->match)
        return;
    char msg[400], *o = msg;
    const char *parts[] = {"Sigma rule \"", r->title, "\" by ", r->author, NULL};
    for (int i = 0; parts[i]; i++)
        for (const char *s = parts[i]; *s && o < msg + sizeof msg - 40; s++) {
            if (i % 2 && *s == '%')
                *o++ = '%';
            *o++ = *s;
        }
    snprintf(o, (size_t)(msg + sizeof msg - o), " matched %%llu events");
    plan_note_step(c->p, r->match, msg);
}

/* Adds column `name` once. */
static int show(sg_ctx *c, struct fy_node *at, const char *name)
{
    for (int i = 0; i < c->p->nproj; i++)
        if (!strcmp(c->p->proj_name[i], name))
            return 0;
    int slot = sg_field(c, at, name);
    if (slot < 0)
        return -1;
    if (plan_project(c->p, slot, name))
        return sg_fail(c, at, "more than %d columns", PLAN_MAX_COLS);
    return 0;
}

/* The columns of an event list: each rule's `fields`, or else the time
 * and every field the rules read. */
static int event_columns(sg_ctx *c, sg_rule *rules, int n, int time_slot)
{
    int nread = c->p->nfields;
    for (int i = 0; i < n; i++) {
        struct fy_node *fields = sg_get(rules[i].root, "fields");
        void *it = NULL;
        if (fields && !sg_is_seq(fields))
            return sg_fail(c, fields, "fields must be a list of field names");
        for (struct fy_node *f; fields && (f = fy_node_sequence_iterate(fields, &it));)
            if (!sg_is_scalar(f) || show(c, f, sg_text(f)))
                return sg_is_scalar(f) ? -1 : sg_fail(c, f, "a field name is text");
    }
    if (c->p->nproj)
        return 0;
    if (plan_project(c->p, time_slot, "UtcTime"))
        return -1;
    for (int s = 0; s < nread; s++) {
        const mc_field_req *f = &c->p->fields[s];
        int internal = !strcmp(f->name, PLAN_RAW_FIELD) || !strcmp(f->name, VIEW_SIGMA_PRODUCT);
        if (f->canon < 0 && !internal && show(c, rules[0].root, f->name))
            return -1;
    }
    return 0;
}

/* A file of detection rules: the events any of them matches, with a
 * `rule` column naming the first that does when there are several. */
static int event_list(sg_ctx *c, sg_rule *rules, int n, int time_slot)
{
    /* No window: a detection rule has no time span; the time only dates
     * the events, for --now latest. */
    plan_set_window(c->p, time_slot, 0);
    expr **kids = xmalloc(sizeof *kids * (size_t)(2 * n + 1));
    for (int i = 0; i < n; i++)
        kids[i] = rules[i].match;
    int rc = plan_filter(c->p, plan_logic(c->p, EX_OR, n, kids));
    for (int i = 0; i < n; i++) {
        kids[2 * i] = rules[i].match;
        kids[2 * i + 1] = plan_lit_str(c->p, rules[i].title);
    }
    int which = n > 1 ? plan_eval(c->p, "rule", plan_node(c->p, EX_CASE, 0, 2 * n, kids)) : 0;
    free(kids);
    if (rc || which < 0)
        return sg_fail(c, rules[0].root, "the rules do not fit in one plan");
    if (n > 1 && plan_project(c->p, which, "rule"))
        return -1;
    return event_columns(c, rules, n, time_slot);
}

/* Two documents may not share a name or an id: a correlation could not
 * tell which it means. */
static int check_unique(sg_ctx *c, const sg_rule *rules, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++) {
            if (rules[i].name && rules[j].name && !strcmp(rules[i].name, rules[j].name))
                return sg_fail(c, sg_get(rules[i].root, "name"), "name '%s' is given to two "
                               "rules", rules[i].name);
            if (rules[i].id && rules[j].id && !strcmp(rules[i].id, rules[j].id))
                return sg_fail(c, sg_get(rules[i].root, "id"), "id '%s' is given to two rules",
                               rules[i].id);
        }
    return 0;
}

/* What a document is: a detection rule, a correlation (match stays NULL),
 * or something this front end refuses. */
static int read_rule(sg_ctx *c, sg_rule *r, int *ncorr)
{
    if (sg_meta(c, r))
        return -1;
    int det = sg_get(r->root, "detection") != NULL, corr = sg_get(r->root, "correlation") != NULL;
    if (sg_get(r->root, "filter"))
        return sg_fail(c, sg_get(r->root, "filter"), "Sigma filters (meta-filters over other "
                       "rules) are not supported; add the filter to the rule's detection");
    if (det && corr)
        return sg_fail(c, sg_get(r->root, "correlation"), "a document is a detection rule or a "
                       "correlation rule, not both");
    if (!det && !corr)
        return sg_fail(c, r->root, "rule '%s' has neither detection nor correlation", r->title);
    *ncorr += corr;
    return det ? detection_rule(c, r) : 0;
}

static int compile_docs(sg_ctx *c, const sg_yaml *y)
{
    sg_rule rules[SG_MAX_DOCS];
    int ndet = 0, ncorr = 0;
    struct fy_node *corr = NULL;
    memset(rules, 0, sizeof rules);
    for (int i = 0; i < y->n; i++) {
        sg_rule r = {.root = fy_document_root(y->doc[i])};
        if (!r.root)
            return sg_fail(c, NULL, "YAML document %d is empty", i + 1);
        if (read_rule(c, &r, &ncorr))
            return -1;
        if (!r.match && ncorr > 1)
            return sg_fail(c, sg_get(r.root, "correlation"), "a second correlation rule: one "
                           "file compiles to one plan, which holds one aggregate");
        if (!r.match)
            corr = r.root;
        else
            rules[ndet++] = r;
    }
    if (check_unique(c, rules, ndet))
        return -1;
    if (ndet == 0)
        return sg_fail(c, corr, "the correlation has no detection rule in this file to count");
    int time_slot = sg_field(c, NULL, "UtcTime");
    if (time_slot < 0 || (corr ? sg_correlation(c, corr, rules, ndet, time_slot)
                               : event_list(c, rules, ndet, time_slot)))
        return -1;
    for (int i = 0; i < ndet; i++)
        author_note(c, &rules[i]);
    return 0;
}

plan *sigma_compile(const lang_src *src, const lang_opts *o, lang_error *e)
{
    sg_ctx c = {plan_new("sigma"), src, o, e};
    sg_yaml y;
    int rc = sg_yaml_open(&c, &y);
    if (rc == 0)
        rc = compile_docs(&c, &y);
    sg_yaml_close(&y);
    if (rc) {
        plan_free(c.p);
        return NULL;
    }
    return c.p;
}
