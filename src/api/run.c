/* run: mc_run — a query over inputs through the driver, its rows into a
 * sink, and the run report. */
#include "api/api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/timeutil.h"
#include "view/view.h"

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static run_input *driver_inputs(const mc_input *in, size_t nin)
{
    static const int kinds[] = {[MC_INPUT_PATH] = RUN_IN_PATH,
                                [MC_INPUT_MEMORY] = RUN_IN_MEMORY,
                                [MC_INPUT_STREAM] = RUN_IN_STREAM};
    run_input *r = xcalloc(nin ? nin : 1, sizeof *r);
    for (size_t i = 0; i < nin; i++)
        r[i] = (run_input){kinds[in[i].kind % 3], in[i].name, in[i].data, in[i].len, in[i].read,
                           in[i].ud};
    return r;
}

/* The canonical field each column of r holds (view_column_canon), -1 else. */
static void column_canon(const mc_query *q, const mc_result *r, int canon[PLAN_MAX_COLS])
{
    for (int c = 0; c < r->ncols && c < PLAN_MAX_COLS; c++)
        canon[c] = view_column_canon(q->p, c);
}

/* The findings the profiles leave (or mark, with show_suppressed). */
static mc_result *tuned_rows(const mc_engine *e, const mc_query *q, mc_result *r,
                             tune_outcome *tuned)
{
    int canon[PLAN_MAX_COLS];
    column_canon(q, r, canon);
    return tune_apply(&e->tune, r, canon, time_now_ms(), e->o.show_suppressed, tuned);
}

/* Tells the sink what r's columns mean (an OCSF sink places them so). */
static void tell_meaning(mc_sink *sink, const mc_query *q, const mc_result *r)
{
    int canon[PLAN_MAX_COLS];
    column_canon(q, r, canon);
    sink_meaning m = {(const char *const *)r->names, canon,
                      r->ncols < PLAN_MAX_COLS ? r->ncols : PLAN_MAX_COLS, q->threshold >= 0};
    sink_mean(&sink->s, &m);
}

static int check_inputs(const mc_input *in, size_t nin, mc_error *err)
{
    for (size_t i = 0; i < nin; i++)
        if (in[i].kind < MC_INPUT_PATH || in[i].kind > MC_INPUT_STREAM ||
            (in[i].kind == MC_INPUT_PATH && !in[i].name) ||
            (in[i].kind == MC_INPUT_STREAM && !in[i].read))
            return api_fail(err, MC_E_USAGE, in[i].name, "input %zu is not a path, memory or "
                            "stream as mc_input_* make them", i);
    return nin > INT32_MAX ? api_fail(err, MC_E_USAGE, NULL, "too many inputs") : 0;
}

static int write_failed(mc_sink *sink, mc_error *err)
{
    int e = sink_errno(&sink->s);
    if (e)
        return api_fail(err, MC_E_WRITE, sink->name, "%s: write error: %s", sink->name,
                        strerror(e));
    return api_fail(err, MC_E_WRITE, sink->name, "%s stopped the run", sink->name);
}

/* The result with only the sink's --columns, in their order; NULL with err
 * set when one is not a column of r. */
static mc_result *chosen_columns(const mc_sink *sink, const mc_result *r, mc_error *err)
{
    int cols[PLAN_MAX_COLS + 1], n = 0;
    const char *names[PLAN_MAX_COLS + 1];
    char list[1024];
    snprintf(list, sizeof list, "%s", sink->columns);
    for (char *save, *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        int c = 0;
        while (c < r->ncols && strcmp(r->names[c], name))
            c++;
        if (c == r->ncols || n == PLAN_MAX_COLS) {
            char have[600] = "";
            for (int k = 0; k < r->ncols; k++)
                snprintf(have + strlen(have), sizeof have - strlen(have), "%s%s", k ? ", " : "",
                         r->names[k]);
            api_fail(err, MC_E_USAGE, NULL, "--columns: the result has no column '%s' (it has: %s)",
                     name, have);
            return NULL;
        }
        names[n] = r->names[c];
        cols[n++] = c;
    }
    return result_project(r, cols, names, n);
}

static int deliver(mc_sink *sink, const mc_result *r, int threads, mc_error *err)
{
    if (sink->columns) {
        mc_result *some = chosen_columns(sink, r, err);
        if (!some)
            return MC_E_USAGE;
        mc_sink whole = *sink;
        whole.columns = NULL;
        int rc = deliver(&whole, some, threads, err);
        result_free(some);
        return rc;
    }
    return sink_write(&sink->s, r, threads) == 0 ? MC_OK : write_failed(sink, err);
}

/* The report's notes to a built-in sink that shows them (HTML). */
static int deliver_notes(mc_sink *sink, const mc_report *rep, mc_error *err)
{
    size_t n = mc_report_nnotes(rep);
    const char **notes = xmalloc(sizeof *notes * (n ? n : 1));
    for (size_t i = 0; i < n; i++)
        notes[i] = mc_report_note(rep, i);
    int rc = sink_notes(&sink->s, notes, n);
    free(notes);
    return rc ? write_failed(sink, err) : MC_OK;
}

/* Whether triage will reorder the result whole (a sort before it is lost
 * work): an aggregate with the columns triage reads, as the run shows them. */
static int triaged(const plan *p)
{
    if (!p->has_agg)
        return 0;
    const char *names[PLAN_MAX_COLS];
    int n = p->nproj ? p->nproj : p->ncols;
    for (int c = 0; c < n; c++)
        names[c] = p->nproj ? p->proj_name[c] : p->col_name[c];
    return triage_applies(names, n);
}

int mc_run(mc_engine *e, const mc_query *q, const mc_input *in, size_t nin, mc_sink *sink,
           mc_report **report, mc_error *err)
{
    if (report)
        *report = NULL;
    if (check_inputs(in, nin, err))
        return MC_E_USAGE;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    api_log bad = {e, MC_LOG_BAD}, notes = {e, MC_LOG_NOTE};
    diag d;
    diag_init(&d, (logger){e->o.log ? api_log_line : NULL, &bad}, e->o.max_errors);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    run_opts o = {.now_ms = e->o.now_ms, .now_latest = e->o.now_latest,
                  .no_enrich = e->o.no_enrich,
                  .threads = e->o.threads ? e->o.threads : (int)(cpus > 0 ? cpus : 1),
                  .emulate_limits = e->o.emulate_limits,
                  .max_record = (size_t)e->o.max_record, .max_memory = (size_t)e->o.max_memory,
                  .spill_dir = e->o.temp_dir,
                  .max_groups = (size_t)e->o.max_groups, .regex_limit = e->o.regex_limit,
                  .no_prefilter = e->o.no_prefilter,
                  .unordered = triaged(q->p),
                  .settings = &e->settings, .diag = &d,
                  .log = {e->o.log ? api_log_line : NULL, &notes},
                  .progress = e->o.progress, .progress_ud = e->o.progress_ud};
    run_input *rin = driver_inputs(in, nin);
    mc_result *r;
    run_info info;
    int rc = run_plan(q->p, rin, (int)nin, &o, &r, &info) == RUN_OK ? MC_OK : MC_E_INPUT;
    free(rin);
    diag_flush(&d);
    d.out = o.log; /* how many were not shown is a note, not a bad record */
    diag_finish(&d);
    if (rc == MC_E_INPUT)
        api_fail(err, MC_E_INPUT, NULL, "some input could not be read or counted (see the messages)");
    uint64_t below = 0;
    if (triage_applies(r->names, r->ncols)) {
        triage_opts to = {q->window_ms, q->threshold, q->min_score, q->by_count, sink->keep_times,
                          o.threads};
        triage_apply(r, &to, &below);
    }
    tune_outcome tuned = {xcalloc((size_t)e->tune.n + 1, sizeof(uint64_t)),
                          xcalloc((size_t)e->tune.n + 1, sizeof(uint64_t))};
    if (e->tune.n)
        r = tuned_rows(e, q, r, &tuned);
    tell_meaning(sink, q, r);
    int wrc = deliver(sink, r, o.threads, err);
    mc_report *rep = api_report(e, q, &info, r->nrows, seconds_since(&t0), &tuned, below);
    free(tuned.suppressed);
    free(tuned.expired);
    result_free(r);
    if (!wrc && !sink->ops)
        wrc = deliver_notes(sink, rep, err);
    if (!wrc && sink->ops && sink->ops->report && sink->ops->report(sink->ud, rep))
        wrc = api_fail(err, MC_E_WRITE, sink->name, "%s stopped the run", sink->name);
    if (report)
        *report = rep;
    else
        mc_report_free(rep);
    return wrc ? wrc : rc;
}
