/* sigma: the plan as Sigma v2 YAML (sigma.md): detection rules, and for a
 * counted plan an event_count correlation over them in the same file, as
 * the seed t1071_003.sigma.yml is written.
 *
 * A rule's logsource is the plan's filter on the event kind (a connection
 * is network_connection); a Sigma plan's own rules (one per rule, an OR of
 * logsource and detection) are written back one document each, so the
 * Sigma front end reads the file to the same plan. The threshold is the
 * correlation: group-by the key fields, timespan the window, condition the
 * filter on the count.
 *
 * What decides a finding is written or refused; what only describes it is
 * not written and the file says so in a comment: aggregates other than
 * the count the condition tests (first_seen, sums), spreads, values
 * computed after the count, the sort. A group key computed from the other
 * keys (the hunt's protocol from the port), or missing on every event the
 * correlation counts (the hunt's src_ip and lacks, which exist only for
 * events without a host, process or user), adds no group and is left out;
 * Sigma does not count an event without a group-by field (sigma.md §5),
 * where the plan would group it under an empty key. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emit/sigma_int.h"
#include "view/view.h"

static const struct { const char *kind, *category; } categories[] = {
    {"conn", "network_connection"},
    {"proc", "process_creation"},
};

static const char *category_of(const plan *p, const expr *e)
{
    const char *kind = emit_kind_test(p, e);
    for (size_t i = 0; kind && i < sizeof categories / sizeof categories[0]; i++)
        if (strcmp(kind, categories[i].kind) == 0)
            return categories[i].category;
    return NULL;
}

typedef struct sg_rule {
    const char *title;         /* a Sigma plan's own, else NULL */
    const char *category, *product;
    const expr *const *conj;   /* the detection: AND of these */
    int n;
    const emit_event *event;   /* LogScale's event name the category came from */
} sg_rule;

/* The title of a Sigma plan's rule `match`: the front end's `rule`
 * column names the rule an event matched (a case over the matches). */
static const char *title_of(const plan *p, const expr *match)
{
    for (int s = 0; s < p->nsteps; s++) {
        const expr *e = p->steps[s].e;
        if (p->steps[s].slot < PLAN_FIRST_EVAL || e->kind != EX_CASE)
            continue;
        for (unsigned k = 0; k + 1 < e->nkids; k += 2)
            if (e->kids[k] == match && e->kids[k + 1]->kind == EX_LIT &&
                e->kids[k + 1]->lit.type == MC_STR)
                return e->kids[k + 1]->lit.u.s;
    }
    return NULL;
}

/* A Sigma plan's rule: (kind = K [and product]) and detection. */
static int rule_shape(const plan *p, const expr *e, sg_rule *r)
{
    if (strcmp(p->lang, "sigma") || e->kind != EX_AND || e->nkids != 2 ||
        e->kids[0]->kind != EX_AND || e->kids[0]->nkids > 2)
        return -1;
    const expr *src = e->kids[0];
    r->category = category_of(p, src->kids[0]);
    r->product = src->nkids == 2 ? emit_product_test(p, src->kids[1]) : NULL;
    r->conj = (const expr *const *)&e->kids[1];
    r->n = 1;
    r->title = title_of(p, e);
    r->event = NULL;
    return r->category && (src->nkids == 1 || r->product) ? 0 : -1;
}

/* The filter the Sigma front end adds for a correlation's group-by
 * fields (`not (k1 is null or ...)`), which it adds again on reading. */
static int is_lacks_filter(const plan *p, const expr *e)
{
    if (!p->has_agg || e->kind != EX_NOT || e->kids[0]->kind != EX_OR ||
        e->kids[0]->nkids != p->nkeys)
        return 0;
    for (int k = 0; k < p->nkeys; k++) {
        const expr *m = e->kids[0]->kids[k];
        if (m->kind != EX_ISNULL || m->kids[0]->kind != EX_FIELD || p->keys[k]->kind != EX_FIELD ||
            m->kids[0]->slot != p->keys[k]->slot)
            return 0;
    }
    return 1;
}

static void rule_doc(emit_ctx *c, const sg_rule *r, int i, int nrules)
{
    FILE *o = c->out;
    if (r->title) {
        fputs("title: '", o);
        for (const char *t = r->title; *t; t++)
            fputs(*t == '\'' ? "''" : *t == '\n' ? " " : (char[2]){*t, 0}, o);
        fputs("'\n", o);
    } else {
        fprintf(o, "title: mailc2 rule %d\n", i + 1);
    }
    fprintf(o, "name: mailc2_rule_%d\nlogsource:\n    category: %s\n", i + 1, r->category);
    if (r->product)
        fprintf(o, "    product: %s\n", r->product);
    sg_detection_write(c, r->conj, r->n, r->event, o);
    if (i + 1 < nrules)
        fputs("---\n", o);
}

/* The rule's logsource category when the plan has no kind filter:
 * LogScale's event name (view/logscale.c: a connection's kind, direction
 * and remote address family), whose direction and family the detection
 * states too (*ev); else, with --allow-loss, network_connection, the kind
 * of every field the seeds read, named as not carried. conj[k] is the
 * filter it came from, or k == n. */
static const char *category_elsewhere(emit_ctx *c, const expr **conj, int n, int *k,
                                      emit_event *ev)
{
    for (*k = 0; *k < n; (*k)++)
        if (emit_event_test(c->p, conj[*k], ev, 1) == 1 && strcmp(ev->kind, "conn") == 0)
            return "network_connection";
    if (emit_lose(c, "", "the event kind (the query reads events of every kind; the rule's "
                         "logsource is network_connection)"))
        return NULL;
    ev->kind = NULL;
    return "network_connection";
}

/* The filters as rules: a Sigma plan's own, or one rule whose logsource
 * is the kind filter and whose detection is every other filter. */
static int write_rules(emit_ctx *c, const expr **conj, int n)
{
    const plan *p = c->p;
    sg_rule r[64];
    emit_event ev = {0};
    int nrules = 0;
    if (n == 1 && conj[0]->kind == EX_OR && conj[0]->nkids <= 64) {
        while (nrules < conj[0]->nkids && rule_shape(p, conj[0]->kids[nrules], &r[nrules]) == 0)
            nrules++;
        nrules = nrules == conj[0]->nkids ? nrules : 0;
    }
    if (nrules == 0) {
        int k = 0;
        while (k < n && !category_of(p, conj[k]))
            k++;
        const char *category = k < n ? category_of(p, conj[k]) : NULL;
        if (!category && !(category = category_elsewhere(c, conj, n, &k, &ev)))
            return emit_refuse(c, "a plan with no filter on the event kind (a Sigma rule's "
                                  "logsource category: network_connection, process_creation)");
        r[0] = (sg_rule){NULL, category, NULL, conj, n - (k < n), ev.kind ? &ev : NULL};
        if (k < n)
            memmove(conj + k, conj + k + 1, (size_t)(n - k - 1) * sizeof *conj);
        nrules = 1;
        if (r[0].n == 0 && !ev.kind)
            return emit_refuse(c, "a rule with no test beyond its logsource");
    }
    for (int i = 0; i < nrules && !c->refused; i++)
        rule_doc(c, &r[i], i, nrules);
    return c->refused ? -1 : 0;
}

/* ---- the correlation --------------------------------------------------- */

static int is_key_field(const plan *p, int slot)
{
    for (int k = 0; k < p->nkeys; k++)
        if (p->keys[k]->kind == EX_FIELD && p->keys[k]->slot == slot && slot < p->nfields)
            return 1;
    return 0;
}

/* Every field `e` reads is a key field. */
static int reads_keys_only(const plan *p, const expr *e)
{
    if (e->kind == EX_FIELD)
        return is_key_field(p, e->slot);
    for (unsigned i = 0; i < e->nkids; i++)
        if (!reads_keys_only(p, e->kids[i]))
            return 0;
    return e->kind != EX_NOW;
}

/* `k is null`, or an AND holding one, for a key field k. */
static int needs_missing_key(const plan *p, const expr *e)
{
    if (e->kind == EX_ISNULL)
        return e->kids[0]->kind == EX_FIELD && is_key_field(p, e->kids[0]->slot);
    for (unsigned i = 0; e->kind == EX_AND && i < e->nkids; i++)
        if (needs_missing_key(p, e->kids[i]))
            return 1;
    return 0;
}

/* A computed key that adds no group to the field keys on the events
 * Sigma counts (the file's header comment). */
static int key_adds_nothing(const plan *p, const expr *key)
{
    const expr *def = key->kind == EX_FIELD ? emit_eval_def(p, key->slot) : key;
    if (!def || def->kind != EX_CASE)
        return 0;
    int missing = def->nkids % 2 == 0, constant = 1;
    for (unsigned k = 0; k < def->nkids; k++) {
        int cond = k + 1 < def->nkids && k % 2 == 0;
        if (cond) {
            missing &= needs_missing_key(p, def->kids[k]);
            constant &= reads_keys_only(p, def->kids[k]);
        } else {
            constant &= def->kids[k]->kind == EX_LIT;
        }
    }
    return missing || constant;
}

/* A group key on the process's file name: the taxonomy names only the
 * path, Image. Grouping by it splits a name run from several paths into
 * groups, so it is written only with --allow-loss, and said. */
static const char *name_as_path(emit_ctx *c, const char *key)
{
    if (emit_lose(c, "", "the group key '%s' as the file name (the taxonomy names the "
                         "image's path, Image: grouped by it, a name run from several paths "
                         "is split into groups)", key))
        return NULL;
    return "Image";
}

static int write_group_by(emit_ctx *c, FILE *left_out)
{
    const plan *p = c->p;
    fputs("    group-by:\n", c->out);
    for (int k = 0; k < p->nkeys && !c->refused; k++) {
        const expr *key = p->keys[k];
        if (key_adds_nothing(p, key)) {
            fprintf(left_out, " %s", p->col_name[k]);
            continue;
        }
        if (key->kind != EX_FIELD || key->slot >= p->nfields)
            return emit_refuse(c, "the group key '%s' (a computed value)", p->col_name[k]);
        const char *name = view_slot_canon(p, key->slot) == MC_C_PROC_NAME &&
                                   strcmp(p->lang, "sigma")
                               ? name_as_path(c, p->col_name[k])
                               : sg_field_name(c, key->slot);
        if (name)
            fprintf(c->out, "        - %s\n", name);
    }
    return c->refused ? -1 : 0;
}

/* The threshold: comparisons of the count with whole numbers. */
static int write_condition(emit_ctx *c, int count_col)
{
    static const char *const op[] = {"eq", "neq", "lt", "lte", "gt", "gte"};
    const plan *p = c->p;
    fputs("    condition:\n", c->out);
    if (p->npost == 0)
        fputs("        gte: 1\n", c->out); /* every group: Sigma needs a condition */
    for (int i = 0; i < p->npost; i++) {
        const plan_step *st = &p->post[i];
        int col = -1;
        if (st->slot != STEP_FILTER)
            continue; /* a computed column, listed as not written */
        const expr *e = emit_count_test(p, st->e, &col);
        if (!e || col != count_col)
            return emit_refuse(c, "this filter after the count (only the count compared with "
                                  "a whole number)");
        fprintf(c->out, "        %s: %" PRId64 "\n", op[e->op], e->kids[1]->lit.u.i);
    }
    return 0;
}

/* The window: the plan's, or a filter `time > now() - W` (AQL's starttime
 * > NOW() - 86400000), which keeps the events a timespan ending now keeps
 * and also those dated after now, named as not carried; with neither
 * (LogScale takes the range from the search), the search's range given
 * (--window), else 24h with --allow-loss, named as a placeholder. */
static int64_t window_of(emit_ctx *c, int64_t since)
{
    const plan *p = c->p;
    if (p->time_slot >= 0 && p->window_ms > 0)
        return p->window_ms;
    if (since)
        return emit_lose(c, "", "events dated after now (the filter on the time since now has "
                                "no end; a timespan ends now)") ? 0 : since;
    if (c->o->search_ms)
        return c->o->search_ms;
    if (emit_lose(c, "", "the search's time range (the query takes it from the search, not "
                         "its text; the timespan 1d is a placeholder for it)"))
        return 0;
    return 86400000;
}

static int timespan(emit_ctx *c, int64_t since)
{
    static const struct { int64_t ms; char unit; } units[] = {
        {86400000, 'd'}, {3600000, 'h'}, {60000, 'm'}, {1000, 's'},
    };
    const plan *p = c->p;
    int64_t window = window_of(c, since);
    if (window <= 0)
        return emit_refuse(c, "a count with no time window (a correlation needs a timespan)");
    if (p->window_ms > 0 && view_slot_canon(p, p->time_slot) != MC_C_TIME &&
        strcmp(p->slot_name[p->time_slot], "UtcTime") != 0)
        return emit_refuse(c, "a window over '%s' (Sigma's timespan is over the event time)",
                           p->slot_name[p->time_slot]);
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (window % units[i].ms == 0) {
            fprintf(c->out, "    timespan: %" PRId64 "%c\n", window / units[i].ms, units[i].unit);
            return 0;
        }
    return emit_refuse(c, "a window of %" PRId64 " ms (not whole seconds)", window);
}

/* The count(*) column, with the other aggregates listed as not written. */
static int count_column(emit_ctx *c, FILE *left_out)
{
    const plan *p = c->p;
    int col = -1;
    for (int a = 0; a < p->naggs; a++) {
        if (p->aggs[a].fn == AGG_COUNT && !p->aggs[a].arg && col < 0)
            col = p->nkeys + a;
        else
            fprintf(left_out, " %s", p->aggs[a].name);
    }
    for (int k = p->nkeys + p->naggs; k < p->ncols; k++)
        fprintf(left_out, " %s", p->col_name[k]);
    if (col < 0)
        return emit_refuse(c, "an aggregate without count() (event_count counts events)");
    return col;
}

static int write_correlation(emit_ctx *c, int nrules, FILE *left_out, int64_t since)
{
    const plan *p = c->p;
    if (p->limit >= 0 &&
        emit_lose(c, "", "a limit on the rows (%" PRId64 "; Sigma reports every group)", p->limit))
        return -1;
    int col = count_column(c, left_out);
    if (col < 0)
        return -1;
    fputs("title: mailc2 correlation\ncorrelation:\n    type: event_count\n    rules:\n", c->out);
    for (int i = 0; i < nrules; i++)
        fprintf(c->out, "        - mailc2_rule_%d\n", i + 1);
    if (write_group_by(c, left_out) || timespan(c, since) || write_condition(c, col))
        return -1;
    fputs("---\n", c->out);
    return 0;
}

/* One filter of the detection, or one the correlation carries instead:
 * `time > now() - W` of a counted plan is its timespan (*since), and a
 * test on AQL's Event Direction (local or remote by QRadar's network
 * hierarchy, which the taxonomy has no field for) only narrows the query,
 * so --allow-loss leaves it out. 1 when `e` stays in the detection. */
static int detection_filter(emit_ctx *c, const expr *e, int64_t *since)
{
    const plan *p = c->p;
    const char *locality = emit_locality_test(p, e);
    int64_t w = p->has_agg ? emit_since_test(p, e) : 0;
    if (w)
        *since = w;
    else if (locality)
        emit_lose(c, "", "the test on %s (local or remote by QRadar's network hierarchy; the "
                         "taxonomy has no such field)", locality);
    return !w && !locality;
}

/* The filters, without the ones the front ends add for the group keys
 * (Sigma's for its group-by, LogScale's for groupBy's): the Sigma front end
 * adds its own again on reading, and either drops the same events. */
static int filters(emit_ctx *c, const expr **conj, int max, int64_t *since)
{
    const plan *p = c->p;
    int n = 0;
    for (int s = 0; s < p->nsteps; s++) {
        const expr *e = p->steps[s].e;
        if (p->steps[s].slot != STEP_FILTER || is_lacks_filter(p, e) ||
            emit_is_groupby_null_filter(p, s))
            continue;
        if (e->kind == EX_AND && strcmp(p->lang, "sigma"))
            for (unsigned k = 0; k < e->nkids && n < max; k++)
                n += detection_filter(c, conj[n] = e->kids[k], since);
        else if (n < max)
            n += detection_filter(c, conj[n] = e, since);
    }
    return n;
}

static int count_rules(const plan *p, const expr **conj, int n)
{
    sg_rule r;
    if (n != 1 || conj[0]->kind != EX_OR || conj[0]->nkids > 64)
        return 1;
    for (unsigned i = 0; i < conj[0]->nkids; i++)
        if (rule_shape(p, conj[0]->kids[i], &r))
            return 1;
    return conj[0]->nkids;
}

int emit_sigma(emit_ctx *c)
{
    const plan *p = c->p;
    const expr *conj[PLAN_MAX_STEPS * 4];
    int64_t since = 0;
    int n = filters(c, conj, (int)(sizeof conj / sizeof conj[0]), &since);
    char *left = NULL;
    size_t len = 0;
    FILE *left_out = open_memstream(&left, &len);
    if (!left_out)
        xoom(0);
    char *body = NULL;
    size_t blen = 0;
    FILE *out = c->out;
    c->out = open_memstream(&body, &blen);
    if (!c->out)
        xoom(0);
    if (p->has_agg)
        write_correlation(c, count_rules(p, conj, n), left_out, since);
    else if (p->time_slot >= 0 && p->window_ms > 0)
        emit_refuse(c, "a time window on an event list (a detection rule has none)");
    if (!c->refused)
        write_rules(c, conj, n);
    fclose(c->out);
    fclose(left_out);
    c->out = out;
    fprintf(out, "# mailc2 convert --to sigma: a %s plan as Sigma v2 rules%s.\n", p->lang,
            p->has_agg ? " and an event_count correlation" : "");
    if (len || p->nsort)
        fprintf(out, "# Not written (they describe a finding, not decide it):%s%s\n",
                left ? left : "", p->nsort ? " the sort" : "");
    emit_write_lost(c, 0, "", "\n");
    fwrite(body, 1, blen, out);
    free(body);
    free(left);
    return c->refused ? -1 : 0;
}
