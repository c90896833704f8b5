/* logscale: the plan as a CrowdStrike LogScale query: filter stages
 * (logscale_cond.c), evals as `F := case {...}`, groupBy() with the
 * aggregates, the threshold, sort().
 *
 * Fields are named by the LogScale view (a plan of another language is
 * renamed through the canonical field each name means). The window is a
 * test() of @timestamp against now() (the time in ms when the query is
 * issued: library.humio.com, functions-now), so the query carries it
 * whatever range the search is given, as long as the range covers it, which
 * a leading comment says. groupBy drops an event that lacks a key, where
 * the plan groups it under NULL: a key nothing keeps present is refused,
 * and with --allow-loss written and named. The filter groupBy adds for its
 * keys is left to groupBy, which adds it again when read back. LogScale's
 * caps (groupBy's limit, sort's 200 rows) are the plan's own for a LogScale
 * plan; another plan gets the largest LogScale allows (limit=max, 20,000
 * rows), as ES|QL's LIMIT 10000. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emit/logscale_int.h"
#include "util/timeutil.h"
#include "view/view.h"

void ls_stage(emit_ctx *c)
{
    fputs(ftell(c->out) > 0 ? "| " : "", c->out);
}

const char *ls_field_name(emit_ctx *c, int slot)
{
    const plan *p = c->p;
    const expr *def = emit_eval_def(p, slot);
    if (def || (strcmp(p->lang, "logscale") == 0 && p->fields[slot].canon < 0))
        return p->slot_name[slot];
    const char *name = view_name_of("logscale", view_slot_canon(p, slot));
    if (!name)
        emit_refuse(c, "the field '%s' (LogScale has no name for it)", p->slot_name[slot]);
    return name ? name : "";
}

void ls_value(emit_ctx *c, const mc_value *v, int quote)
{
    char buf[64];
    const char *s = buf;
    size_t n = 0, plain = !quote;
    if (v->type == MC_STR || v->type == MC_IP)
        s = v->u.s, n = v->len;
    else if (v->type == MC_INT)
        n = (size_t)snprintf(buf, sizeof buf, "%" PRId64, v->u.i);
    else
        return (void)emit_refuse(c, "a %s literal", v->type == MC_NULL ? "NULL" : "non-text");
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '.'))
            plain = 0;
    fputs(plain && n ? "" : "\"", c->out);
    for (size_t i = 0; i < n; i++)
        fputs(s[i] == '"' || s[i] == '\\' ? (char[3]){'\\', s[i], 0} : (char[2]){s[i], 0}, c->out);
    fputs(plain && n ? "" : "\"", c->out);
}

/* `NAME := case { cond => "v"; ...; * => "v" }`: the extension the
 * LogScale front end reads as `case { cond | NAME := "v"; ... }`. */
static int case_ls(emit_ctx *c, const char *name, const expr *e)
{
    if (e->kind != EX_CASE)
        return emit_refuse(c, "the computed field '%s' (only a case of tests)", name);
    ls_stage(c);
    fprintf(c->out, "%s := case {\n", name);
    unsigned k = 0;
    for (; k + 1 < e->nkids && !c->refused; k += 2) {
        fputs("    ", c->out);
        ls_cond(c, e->kids[k]); /* a branch is taken where its condition is TRUE */
        fputs(" => ", c->out);
        ls_value(c, &e->kids[k + 1]->lit, 1);
        fputs(";\n", c->out);
    }
    if (k < e->nkids) {
        fputs("    * => ", c->out);
        ls_value(c, &e->kids[k]->lit, 1);
        fputs("\n", c->out);
    }
    fputs("  }\n", c->out);
    return c->refused ? -1 : 0;
}

/* The window: test()s of @timestamp against now(), or --now's time. */
static void window_ls(emit_ctx *c)
{
    const plan *p = c->p;
    const char *t = view_name_of("logscale", MC_C_TIME);
    char dur[32], now[32] = "now()";
    if (c->o->has_now)
        snprintf(now, sizeof now, "%" PRId64, c->o->now_ms);
    time_format_duration(p->window_ms, dur, sizeof dur);
    fprintf(c->out, "// the search's time range must cover the last %s\n", dur);
    fprintf(c->out, "test(%s > %s - %" PRId64 ")\n", t, now, p->window_ms);
    fprintf(c->out, "| test(%s <= %s)\n", t, now);
}

/* A group key an event may lack: groupBy leaves such events out, where the
 * plan groups them under NULL. */
static int lacking_key(emit_ctx *c, int k)
{
    const plan *p = c->p;
    if (emit_key_present(p, k))
        return 0;
    return emit_lose(c, "", "the events lacking %s (groupBy leaves them out; the plan groups "
                            "them)", p->col_name[k]);
}

/* A computed key (AQL's CASE ... AS MailProtocol) as an eval first, then
 * grouped by its name. */
static int key_evals(emit_ctx *c)
{
    const plan *p = c->p;
    for (int k = 0; k < p->nkeys && !c->refused; k++) {
        if (p->keys[k]->kind == EX_FIELD)
            continue;
        if (plan_find_field(p, p->col_name[k]) >= 0)
            return emit_refuse(c, "the computed group key '%s', named as a field it would "
                                  "overwrite", p->col_name[k]);
        case_ls(c, p->col_name[k], p->keys[k]);
    }
    return c->refused ? -1 : 0;
}

/* Whether result column `col` is read after the aggregate (the threshold,
 * the sort): a column only shown may be left out. */
static int used_after(const plan *p, int col)
{
    for (int k = 0; k < p->nsort; k++)
        if (p->sort[k].col == col)
            return 1;
    for (int k = 0; k < p->npost; k++) {
        const expr *e = p->post[k].e;
        while (e->kind == EX_ISTRUE || (e->kind == EX_CALL && e->op == FN_FLOAT))
            e = e->kids[0];
        if (e->kind == EX_CMP && (e->kids[0]->kind != EX_FIELD || e->kids[0]->slot == col))
            return 1;
    }
    return 0;
}

/* min/max of a field whose values are numbers (the time, a port, bytes):
 * LogScale's numeric min/max give the same. */
static int numeric_field(const plan *p, const expr *arg)
{
    static const int numbers[] = {MC_C_TIME, MC_C_SRC_PORT, MC_C_DST_PORT, MC_C_TRANSPORT,
                                  MC_C_BYTES_OUT, MC_C_BYTES_IN, MC_C_DURATION};
    int canon = arg->kind == EX_FIELD ? view_slot_canon(p, arg->slot) : -1;
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
        if (canon == numbers[i])
            return 1;
    return 0;
}

/* Whether LogScale names input field `slot` (ls_field_name would). */
static int has_name(const plan *p, int slot)
{
    int own = strcmp(p->lang, "logscale") == 0 && p->fields[slot].canon < 0;
    return emit_eval_def(p, slot) || own || view_name_of("logscale", view_slot_canon(p, slot));
}

/* One aggregate in groupBy's function list: 1 when written, 0 when left
 * out (a column only shown, whose input LogScale cannot read). */
static int aggregate_ls(emit_ctx *c, const plan_agg *g, int col, int first)
{
    static const char *const fn[] = {"count", "count", "sum", "min", "max", "avg", NULL};
    const plan *p = c->p;
    int minmax = g->fn == AGG_MIN || g->fn == AGG_MAX;
    if (!fn[g->fn] || g->fn == AGG_COUNT_DISTINCT ||
        (minmax && !g->numeric && !numeric_field(p, g->arg)))
        return emit_refuse(c, "the aggregate '%s'", g->name);
    if (g->arg && (g->arg->kind != EX_FIELD || !has_name(p, g->arg->slot))) {
        if (used_after(p, col))
            return emit_refuse(c, "the aggregate '%s' (LogScale cannot read its input)", g->name);
        return emit_lose(c, "", "the column %s (LogScale cannot read its input)", g->name);
    }
    fprintf(c->out, "%s      %s(", first ? "" : ",\n", fn[g->fn]);
    if (g->arg)
        fprintf(c->out, "%s, ", ls_field_name(c, g->arg->slot));
    fprintf(c->out, "as=%s)", g->name);
    return c->refused ? -1 : 1;
}

static int groupby_ls(emit_ctx *c)
{
    const plan *p = c->p;
    for (int k = 0; k < p->nkeys; k++)
        if (lacking_key(c, k))
            return -1;
    if (key_evals(c))
        return -1;
    ls_stage(c);
    fputs("groupBy(\n    [", c->out);
    for (int k = 0; k < p->nkeys; k++)
        fprintf(c->out, "%s%s", k ? ", " : "",
                p->keys[k]->kind == EX_FIELD ? ls_field_name(c, p->keys[k]->slot) : p->col_name[k]);
    fputs("],\n    function=[\n", c->out);
    for (int a = 0, n = 0; a < p->naggs && !c->refused; a++) {
        int rc = aggregate_ls(c, &p->aggs[a], p->nkeys + a, n == 0);
        if (rc < 0)
            return -1;
        n += rc;
    }
    /* another plan's groups are all wanted: GroupMaxLimit, 1,000,000 by
     * default (functions-groupby); a LogScale plan's limit as it was */
    fputs("\n    ]", c->out);
    if (strcmp(p->lang, "logscale") || p->group_limit == 1000000)
        fputs(",\n    limit=max", c->out);
    else if (p->group_limit != 20000)
        fprintf(c->out, ",\n    limit=%" PRId64, p->group_limit);
    fputs("\n  )\n", c->out);
    return c->refused ? -1 : 0;
}

/* The threshold: `COL op n`, from istrue(float(COL) op n) or a test on a
 * count, which is never NULL. */
static int post_ls(emit_ctx *c, const expr *e)
{
    static const char *const cmp[] = {"=", "!=", "<", "<=", ">", ">="};
    int col;
    const expr *t = e->kind == EX_ISTRUE ? e->kids[0] : emit_count_test(c->p, e, &col);
    const expr *f = t && t->kind == EX_CMP ? t->kids[0] : NULL;
    if (f && f->kind == EX_CALL && f->op == FN_FLOAT)
        f = f->kids[0];
    if (!f || f->kind != EX_FIELD || t->kids[1]->kind != EX_LIT)
        return emit_refuse(c, "this filter after groupBy");
    fprintf(c->out, "| %s %s ", plan_column_name(c->p, f->slot), cmp[t->op]);
    ls_value(c, &t->kids[1]->lit, 0);
    fputc('\n', c->out);
    return 0;
}

/* sort(): a LogScale plan's own limit (200 when none); another plan's
 * rows are all wanted, and sort keeps at most StateRowLimit, 20,000 by
 * default (functions-sort), the most it returns, as ES|QL's LIMIT 10000. */
static int sort_ls(emit_ctx *c)
{
    const plan *p = c->p;
    int64_t limit = p->limit < 0 && strcmp(p->lang, "logscale") ? 20000 : p->limit;
    if (p->nsort > 1 || (p->nsort == 0 && p->limit >= 0))
        return emit_refuse(c, "this sort or limit");
    if (p->nsort == 0)
        return 0;
    fprintf(c->out, "| sort(%s, order=%s", plan_column_name(p, p->sort[0].col),
            p->sort[0].desc ? "desc" : "asc");
    if (limit >= 0)
        fprintf(c->out, ", limit=%" PRId64, limit);
    fputs(")\n", c->out);
    return 0;
}

/* Another plan's AND of filters is a run of stages too. */
static int add_filter(const plan *p, const expr *e, const expr **run, int n, int max)
{
    if (strcmp(p->lang, "logscale") && e->kind == EX_AND) {
        for (unsigned k = 0; k < e->nkids && n < max; k++)
            run[n++] = e->kids[k];
        return n;
    }
    if (n < max)
        run[n++] = e;
    return n;
}

/* The steps before the aggregate: runs of filters as stages (ls_and),
 * evals between them. */
static int steps_ls(emit_ctx *c)
{
    const plan *p = c->p;
    const expr *run[PLAN_MAX_STEPS * 4];
    int n = 0, max = (int)(sizeof run / sizeof run[0]);
    for (int s = 0; s < p->nsteps && !c->refused; s++) {
        const plan_step *st = &p->steps[s];
        if (st->slot == STEP_NOTE || emit_is_groupby_null_filter(p, s))
            continue;
        if (st->slot == STEP_FILTER) {
            n = add_filter(p, st->e, run, n, max);
            continue;
        }
        if (ls_and(c, run, n, 1))
            return -1;
        n = 0;
        case_ls(c, p->slot_name[st->slot], st->e);
    }
    return ls_and(c, run, n, 1);
}

static int query_ls(emit_ctx *c)
{
    const plan *p = c->p;
    if (steps_ls(c))
        return -1;
    if (!p->has_agg)
        return emit_refuse(c, "a plan without groupBy (an event list)");
    if (groupby_ls(c))
        return -1;
    for (int k = 0; k < p->npost; k++)
        if (p->post[k].slot >= 0 || post_ls(c, p->post[k].e))
            return emit_refuse(c, "a value computed after groupBy");
    return sort_ls(c);
}

/* The window's comment leads, then the query, whose first stage has no
 * "| " (ls_stage reads the position in the stream). */
int emit_logscale(emit_ctx *c)
{
    const plan *p = c->p;
    char *text = NULL;
    size_t len = 0;
    FILE *out = c->out;
    c->out = open_memstream(&text, &len);
    if (!c->out)
        xoom(0);
    int lost = c->nlost, rc = 0;
    if (p->time_slot >= 0 && p->window_ms > 0 && view_slot_canon(p, p->time_slot) != MC_C_TIME)
        rc = emit_refuse(c, "a window on '%s' (not the event time)", p->slot_name[p->time_slot]);
    else if (p->time_slot >= 0 && p->window_ms > 0)
        window_ls(c);
    rc = rc ? rc : query_ls(c);
    fclose(c->out);
    c->out = out;
    emit_write_lost(c, lost, "", "\n");
    fwrite(text, 1, len, out);
    free(text);
    return rc;
}
