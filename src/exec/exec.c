/* exec: the per-event loop of the plan executor (see exec.h). Kept small on
 * purpose: the hot path is decode -> window -> steps -> aggregate, with no
 * allocation once the scratch arena and group table have warmed up. */
#include "exec/exec.h"
#include "exec/memo.h"
#include "exec/spread.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void exec_stats_init(exec_stats *st)
{
    memset(st, 0, sizeof *st);
    st->newest_ms = INT64_MIN;
}

void exec_stats_add(exec_stats *d, const exec_stats *s)
{
    d->files += s->files;
    d->files_failed += s->files_failed;
    d->files_skipped += s->files_skipped;
    d->events += s->events;
    d->bad += s->bad;
    d->untimed += s->untimed;
    d->outside_window += s->outside_window;
    d->matched += s->matched;
    d->prefiltered += s->prefiltered;
    d->rows_refused += s->rows_refused;
    for (int n = 0; n < PLAN_MAX_NOTES; n++)
        d->noted[n] += s->noted[n];
    if (s->newest_ms > d->newest_ms)
        d->newest_ms = s->newest_ms;
}

/* A step whose answer is a function of one field's value (memo.h): a
 * filter's answer, or a CASE eval's branch (its conditions read the one
 * field; the branch's value may read any and is evaluated each time).
 * slot: the field, or -1 for a step evaluated in full each time. */
enum { NULL_TESTS = 16 };
typedef struct step_memo {
    int slot;
    value_memo m;
    struct null_tests {        /* a step that asks only which fields are NULL */
        int n;                 /* 0: not such a step */
        int slot[NULL_TESTS];
        uint8_t is_null[NULL_TESTS];
    } nulls;
} step_memo;

/* `F IS NULL` or `NOT F IS NULL`: its field's slot and which answer it
 * wants, or 0. */
static int null_test(const expr *e, int *slot, uint8_t *is_null)
{
    int negated = e->kind == EX_NOT;
    if (negated)
        e = e->kids[0];
    if (e->kind != EX_ISNULL || e->kids[0]->kind != EX_FIELD)
        return 0;
    *slot = e->kids[0]->slot;
    *is_null = (uint8_t)!negated;
    return 1;
}

/* A note or a filter that is a null test or an AND of them (LogScale's
 * groupBy drops the events that lack one of its keys: a note per key and
 * one filter, on every event) is answered off the row, not walked as a
 * tree: that walk was 6% of a high-cardinality LogScale run. Neither test
 * is ever UNKNOWN, so the AND of them is plain. */
static void null_tests_of(const plan_step *st, struct null_tests *t)
{
    t->n = 0;
    const expr *e = st->e;
    int and = e->kind == EX_AND, n = and ? e->nkids : 1;
    if (st->slot >= 0 || n > NULL_TESTS)
        return;
    for (int i = 0; i < n; i++)
        if (!null_test(and ? e->kids[i] : e, &t->slot[i], &t->is_null[i]))
            return;
    t->n = n;
}

static int nulls_hold(const struct null_tests *t, const mc_value *row)
{
    for (int i = 0; i < t->n; i++)
        if ((row[t->slot[i]].type == MC_NULL) != t->is_null[i])
            return 0;
    return 1;
}

static int memo_slot(const plan_step *st)
{
    const expr *e = st->e;
    if (st->slot == STEP_FILTER)
        return expr_reads_now(e) ? -1 : expr_only_slot(e, -1);
    if (st->slot < 0 || e->kind != EX_CASE || e->nkids / 2 >= 255)
        return -1;
    int seen = -1;
    for (unsigned k = 0; k + 1 < e->nkids && seen != -2; k += 2)
        seen = expr_reads_now(e->kids[k]) ? -2 : expr_only_slot(e->kids[k], seen);
    return seen;
}

/* A filter's answer from the memo, or evaluated and kept (a regex cut
 * short by its limit is no answer to keep). */
static int memo_filter(exec_worker *w, step_memo *m, const expr *e)
{
    uint8_t *known = memo_answer(&m->m, w->row[m->slot]);
    if (known && *known)
        return *known - 1;
    int ok = expr_true(e, w->row, &w->ctx);
    if (known && !w->ctx.regex_limited)
        *known = (uint8_t)(1 + ok);
    return ok;
}

/* A note's or a filter's answer: off the row, from the memo, or evaluated. */
static int step_true(exec_worker *w, step_memo *m, const expr *e)
{
    if (m->nulls.n)
        return nulls_hold(&m->nulls, w->row);
    return m->slot >= 0 ? memo_filter(w, m, e) : expr_true(e, w->row, &w->ctx);
}

static mc_value memo_case(exec_worker *w, step_memo *m, const expr *e)
{
    uint8_t *known = memo_answer(&m->m, w->row[m->slot]);
    unsigned branch;
    if (known && *known) {
        branch = *known - 1u;
    } else {
        branch = expr_case_branch(e, w->row, &w->ctx);
        if (known && !w->ctx.regex_limited)
            *known = (uint8_t)(1 + branch);
    }
    return expr_case_value(e, branch, w->row, &w->ctx);
}

static mc_result *new_rows(const plan *p)
{
    return result_new(p->nslots, p->slot_name);
}

void exec_worker_init(exec_worker *w, const plan *p, const exec_opts *o)
{
    memset(w, 0, sizeof *w);
    w->p = p;
    w->emulate = o->emulate;
    w->unordered = o->unordered;
    w->threads = o->threads;
    w->window_ms = p->window_ms || !o->emulate ? p->window_ms : p->default_window_ms;
    w->row = xcalloc((size_t)p->nslots + 1, sizeof *w->row);
    arena_init(&w->scratch);
    expr_ctx_init(&w->ctx, &w->scratch, o->now_ms, o->regex_limit);
    w->memo = xcalloc((size_t)p->nsteps + 1, sizeof *w->memo);
    for (int s = 0; s < p->nsteps; s++) {
        w->memo[s].slot = memo_slot(&p->steps[s]);
        null_tests_of(&p->steps[s], &w->memo[s].nulls);
    }
    if (p->has_agg) {
        w->agg = agg_new(p, &o->groups);
        agg_threads(w->agg, o->threads);
    } else
        w->rows = new_rows(p);
    /* Rows without an aggregate are kept whole until the sort: the same
     * budget as a group table, so a query over a huge input stops growing
     * at --max-memory and says how many rows it left out. */
    w->max_row_bytes = o->groups.max_bytes;
    exec_stats_init(&w->st);
}

void exec_worker_set_now(exec_worker *w, int64_t now_ms)
{
    w->ctx.now_ms = now_ms;
}

void exec_worker_free(exec_worker *w)
{
    free(w->row);
    for (int s = 0; w->memo && s < w->p->nsteps; s++)
        memo_free(&w->memo[s].m);
    free(w->memo);
    arena_free(&w->scratch);
    expr_ctx_free(&w->ctx);
    agg_free(w->agg);
    result_free(w->rows);
    memset(w, 0, sizeof *w);
}

/* The scan's window: now - window < time <= now. */
static int in_window(exec_worker *w)
{
    const plan *p = w->p;
    if (p->time_slot < 0)
        return 1;
    const mc_value *t = &w->row[p->time_slot];
    if (t->type != MC_TS) {
        w->st.untimed++;
        return w->window_ms <= 0;
    }
    if (t->u.i > w->st.newest_ms)
        w->st.newest_ms = t->u.i;
    int64_t now = w->ctx.now_ms;
    if (w->window_ms > 0 && (t->u.i > now || t->u.i <= now - w->window_ms)) {
        w->st.outside_window++;
        return 0;
    }
    return 1;
}

static void aggregate(exec_worker *w)
{
    const plan *p = w->p;
    mc_value keys[PLAN_MAX_COLS], args[PLAN_MAX_COLS];
    for (int k = 0; k < p->nkeys; k++)
        keys[k] = expr_value(p->keys[k], w->row, &w->ctx);
    for (int a = 0; a < p->naggs; a++)
        args[a] = p->aggs[a].arg ? expr_value(p->aggs[a].arg, w->row, &w->ctx) : mc_null();
    agg_add(w->agg, keys, args);
}

static void keep_row(exec_worker *w, const mc_value *row)
{
    if (w->max_row_bytes && result_bytes(w->rows) > w->max_row_bytes)
        w->st.rows_refused++;
    else
        result_add_row(w->rows, row);
}

void exec_event(exec_worker *w)
{
    exec_event_known(w, 0);
}

int exec_event_known(exec_worker *w, uint64_t known)
{
    const plan *p = w->p;
    w->ctx.regex_limited = 0;
    if (!in_window(w))
        return 0;
    for (int s = 0; s < p->nsteps; s++) {
        const plan_step *step = &p->steps[s];
        if (s < 64 && (known >> s & 1))
            continue;
        step_memo *m = &w->memo[s];
        if (step->slot >= 0)
            w->row[step->slot] = m->slot >= 0 ? memo_case(w, m, step->e)
                                              : expr_eval(step->e, w->row, &w->ctx);
        else if (step->slot == STEP_NOTE)
            w->st.noted[step->note] += step_true(w, m, step->e);
        else if (!step_true(w, m, step->e))
            return s;
        if (w->ctx.regex_limited)
            return s; /* unknown, not "no match": left out, and the caller says so */
    }
    w->st.matched++;
    if (w->agg)
        aggregate(w);
    else
        keep_row(w, w->row);
    return p->nsteps;
}

void exec_worker_merge(exec_worker *dst, exec_worker *src)
{
    exec_stats_add(&dst->st, &src->st);
    if (dst->agg) {
        agg_merge(dst->agg, src->agg);
        return;
    }
    for (size_t i = 0; i < src->rows->nrows; i++)
        keep_row(dst, result_row(src->rows, i));
}

/* Post-aggregate steps over each result row, in place: evals fill their
 * column (kept in r), filters keep the row only when TRUE. */
static void apply_post(exec_worker *w, mc_result *r)
{
    const plan *p = w->p;
    size_t kept = 0, rowsz = sizeof *r->cells * (size_t)r->ncols;
    mc_value row[PLAN_MAX_COLS];
    for (size_t i = 0; i < r->nrows; i++) {
        arena_reset(&w->scratch);
        memcpy(row, result_row(r, i), rowsz);
        int keep = 1;
        for (int s = 0; s < p->npost && keep; s++) {
            if (p->post[s].slot >= 0)
                row[p->post[s].slot] = expr_eval(p->post[s].e, row, &w->ctx);
            else
                keep = expr_true(p->post[s].e, row, &w->ctx);
        }
        if (!keep)
            continue;
        for (int s = 0; s < p->npost; s++)
            if (p->post[s].slot >= 0)
                result_own(r, &row[p->post[s].slot]);
        memcpy(r->cells + kept++ * (size_t)r->ncols, row, rowsz);
    }
    r->nrows = kept;
}

/* A SIEM past its group limit keeps the groups with the highest values of
 * the first function (logscale.md §5); only with --emulate-limits. */
static void emulate_group_limit(const plan *p, mc_result *r, int threads)
{
    if (!p->group_limit || r->nrows <= (size_t)p->group_limit ||
        p->naggs == 0)
        return;
    result_order top = {p->nkeys, 1, SORT_NUMBER};
    result_sort(r, &top, 1, p->collate, (size_t)p->group_limit, threads);
}

mc_result *exec_finish(exec_worker *w)
{
    const plan *p = w->p;
    mc_result *r;
    if (w->agg) {
        r = result_new(p->ncols, p->col_name);
        agg_emit(w->agg, r);
        if (w->emulate)
            emulate_group_limit(p, r, w->threads);
        spread_apply(p, r, w->threads);
        apply_post(w, r);
    } else {
        r = w->rows;
        w->rows = new_rows(p);
    }
    /* Groups come out in hash order, so aggregates are always sorted (ties
     * by every column); plain events keep their input order unless sorted. */
    result_order order[PLAN_MAX_COLS];
    for (int s = 0; s < p->nsort; s++)
        order[s] = (result_order){p->sort[s].col, p->sort[s].desc, p->sort[s].type};
    int64_t limit = p->limit;
    if (limit < 0 && w->emulate && p->default_row_limit)
        limit = p->default_row_limit;
    size_t keep = limit >= 0 ? (size_t)limit : SIZE_MAX;
    if ((p->has_agg || p->nsort) && !(w->unordered && keep == SIZE_MAX))
        result_sort(r, order, p->nsort, p->collate, keep, w->threads);
    else
        result_truncate(r, keep);
    if (p->nproj)
        result_select(r, p->proj, p->proj_name, p->nproj);
    return r;
}
