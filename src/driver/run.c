/* run: the driver from inputs to a finished result (see run.h). Each input
 * is opened (decompressing), its first records probed for a format, then
 * read in blocks of whole lines that go through the one record step
 * (record.h) on this thread or on the worker pool (pool.h).
 *
 * A first pass runs when the main one needs something from the whole input
 * first: the newest event time (--now latest), or the join tables of a
 * decoder with context (Falcon's process and user joins). It reads only the
 * inputs that have something to give. */
#include "driver/run.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "driver/pool.h"
#include "driver/source.h"

enum { MAX_CONTEXTS = 8, BLOCK_BYTES = 1 << 20 };

/* The join tables of each decoder that has them (decoder_context). */
typedef struct contexts {
    const decoder *dec[MAX_CONTEXTS];
    void *ctx[MAX_CONTEXTS];
    int n;
    int enabled;
} contexts;

typedef struct feed {
    const run_opts *o;
    const plan *plan;           /* NULL: decode nothing (join tables only) */
    exec_worker *w;             /* this thread's worker */
    uint64_t done, total;       /* bytes, for progress */
    contexts *cs;
    int building;               /* this pass builds the join tables */
    pool *workers;              /* blocks go to worker threads, or NULL */
    int raw_slot;               /* PLAN_RAW_FIELD's slot, or -1 */
    input_notes **notes;        /* each input's, said when the pass ends */
    int nnotes;
} feed;

static void note(const run_opts *o, const char *shown, const char *what)
{
    log_line(&o->log, "mailc2: %s%s%s", shown, *shown ? ": " : "", what);
}

static void *context_of(contexts *cs, const decoder *dec, int create)
{
    if (!dec->context || (!cs->enabled && dec->context->add))
        return NULL; /* --no-enrich turns joins off, not what a run reports */
    for (int i = 0; i < cs->n; i++)
        if (cs->dec[i] == dec)
            return cs->ctx[i];
    if (!create || cs->n == MAX_CONTEXTS)
        return NULL;
    cs->dec[cs->n] = dec;
    return cs->ctx[cs->n++] = dec->context->create();
}

static void contexts_close(contexts *cs, const logger *log)
{
    for (int i = 0; i < cs->n; i++) {
        char msg[512];
        cs->dec[i]->context->report(cs->ctx[i], msg, sizeof msg);
        if (msg[0])
            log_line(log, "mailc2: %s", msg);
        cs->dec[i]->context->destroy(cs->ctx[i]);
    }
    cs->n = 0;
}

static void progress(feed *fd, uint64_t bytes)
{
    if (fd->o->progress)
        fd->o->progress(fd->o->progress_ud, fd->done + bytes, fd->total);
}

/* Whole-file formats (EVTX, QRadar JSON; decoder.h read_file): their records
 * reach the same step, counters and messages as lines. */
typedef struct whole_ud {
    exec_worker *w;
    record_src src;
    view_binding view;
} whole_ud;

static void whole_event(void *ud)
{
    whole_ud *u = ud;
    record_decoded(u->w, &u->view);
}

static void whole_bad(void *ud, uint64_t record, uint64_t offset, const char *msg)
{
    whole_ud *u = ud;
    record_bad(u->w, &u->src, record, offset, msg);
}

static int decode_whole(feed *fd, const decoder *dec, const source *s)
{
    char err[512];
    whole_ud *u = xcalloc(1, sizeof *u); /* a view binding is large */
    u->w = fd->w;
    u->src = (record_src){s->shown, dec, NULL, NULL, -1, fd->o->diag, NULL, NULL};
    wf_sink sink = {whole_event, whole_bad, u, fd->cs->enabled};
    const input_settings *st = fd->o->settings;
    int rc = -1;
    if (!s->path)
        snprintf(err, sizeof err, "%s input cannot be read from %s; give a file", dec->name,
                 s->pull ? "a stream" : "memory");
    else if (view_bind(&u->view, fd->plan, decoder_family(dec), st, err, sizeof err) == 0 &&
             (record_bind(fd->w, u->view.nreq), 1))
        rc = dec->read_file(s->path, u->view.req, u->view.nreq, st, fd->w->row, &fd->w->scratch,
                            &sink, err, sizeof err);
    free(u);
    if (rc == 0)
        return 0;
    fd->w->st.files_failed++;
    note(fd->o, s->shown, err);
    return -1;
}

/* The blocks of a line format, after the probe's kept lines. */
static void decode_lines(feed *fd, reader *r, const decoder *dec, const source *s,
                         probe_lines *kept)
{
    char err[200];
    view_decoder *vd = NULL;
    if (fd->plan && !(vd = view_decoder_open(dec, fd->plan, fd->o->settings, err, sizeof err))) {
        fd->w->st.files_failed++;
        note(fd->o, s->shown, err);
        return;
    }
    if (vd)
        record_bind(fd->w, vd->view.nreq);
    void *ctx = context_of(fd->cs, dec, fd->building || !dec->context || !dec->context->add);
    if (vd && ctx && !fd->building)
        dec->context->use(vd->state, ctx);
    void *adding = fd->building && ctx && dec->context->add ? ctx : NULL;
    input_notes *notes = NULL;
    if (vd) {
        fd->notes = xrealloc(fd->notes, (size_t)(fd->nnotes + 1) * sizeof *fd->notes);
        notes = fd->notes[fd->nnotes++] = input_notes_new(s->shown);
    }
    /* The probe's kept lines and a header are decoded whole; the blocks
     * after them go through the prefilter. */
    record_src both = {s->shown, dec, vd, adding, fd->raw_slot, fd->o->diag, notes, NULL};
    record_src adds = {s->shown, dec, NULL, adding, -1, fd->o->diag, NULL, NULL};
    prefilter *pf = vd && !fd->o->no_prefilter ? prefilter_new(fd->plan, vd) : NULL;
    for (int i = 0; i < kept->n; i++)
        record_line(fd->w, &both, kept->lineno[i], kept->line[i], kept->len[i]);
    /* Header lines after the probe (Zeek's #fields, a CSV header) join the
     * preamble every worker replays; the first other line ends them. */
    const char *line;
    size_t llen;
    while (vd && kept->n < PREAMBLE_LINES && reader_next_line(r, &line, &llen) == 1) {
        probe_lines_add(kept, line, llen, reader_lineno(r));
        int k = kept->n - 1;
        if (record_line(fd->w, &both, kept->lineno[k], kept->line[k], kept->len[k]) != DECODE_SKIP)
            break;
    }
    both.pf = pf;
    pool_input *queued = fd->workers && vd && !dec->finish
                             ? pool_input_new(fd->workers, dec, fd->building ? NULL : ctx,
                                              s->shown, notes, kept)
                             : NULL;
    char *block, *spare = NULL;
    size_t len, cap, spare_cap = 0;
    uint64_t first;
    while (reader_next_block(r, BLOCK_BYTES, &block, &len, &cap, &first, spare, spare_cap) == 1) {
        if (queued) {
            if (adding)
                record_block(fd->w, &adds, block, len, first);
            spare = pool_block(fd->workers, queued, block, len, cap, first, &spare_cap);
        } else {
            record_block(fd->w, &both, block, len, first);
            spare = block;
            spare_cap = cap;
        }
        progress(fd, reader_bytes_in(r));
    }
    if (vd)
        record_finish(fd->w, &both);
    prefilter_free(pf);
    view_decoder_close(vd);
}

static int feed_source(feed *fd, source *s)
{
    if (s->failed || (fd->building && s->once))
        return fd->building ? 0 : (fd->w->st.files_failed++, -1);
    char err[512];
    reader *r = source_reader(s, &fd->o->log, err, sizeof err);
    if (!r) {
        fd->w->st.files_failed++;
        note(fd->o, "", err);
        return -1;
    }
    reader_set_max_record(r, fd->o->max_record);
    fd->w->st.files++;
    probe_lines kept;
    const decoder *dec = source_probe(r, fd->o->settings, &kept);
    int rc = 0;
    /* A join-table pass without a time to find reads only inputs with context. */
    int wanted = dec && (fd->plan || (fd->building && fd->cs->enabled && dec->context &&
                                      dec->context->add));
    if (wanted && dec->read_file && fd->plan)
        rc = decode_whole(fd, dec, s);
    else if (wanted && !dec->read_file)
        decode_lines(fd, r, dec, s, &kept);
    else if (!dec && kept.n) {
        fd->w->st.files_skipped++;
        note(fd->o, s->shown, "format not recognised; skipped (see `mailc2 formats`)");
    }
    probe_lines_free(&kept);
    const char *rerr = reader_error(r);
    if (*rerr) {
        fd->w->st.files_failed++;
        note(fd->o, "", rerr);
        rc = -1;
    }
    fd->done += reader_bytes_in(r);
    reader_close(r);
    return rc;
}

static int feed_all(feed *fd, source_list *l)
{
    int rc = RUN_OK;
    struct stat sb;
    fd->total = 0;
    for (int i = 0; i < l->n; i++) {
        if (l->s[i].path && stat(l->s[i].path, &sb) == 0)
            fd->total += (uint64_t)sb.st_size;
        fd->total += l->s[i].mem_len;
    }
    for (int i = 0; i < l->n; i++)
        if (feed_source(fd, &l->s[i]))
            rc = RUN_INPUT_ERROR;
    return rc;
}

/* After the pass's workers are done with them. */
static void feed_notes_close(feed *fd)
{
    for (int i = 0; i < fd->nnotes; i++)
        input_notes_close(fd->notes[i], &fd->o->log);
    free(fd->notes);
}

/* The newest time of any event is itself a query, max(time) over the input,
 * so it runs on the same workers as the main pass. */
static plan *newest_plan(const plan *p)
{
    const mc_field_req *f = &p->fields[p->time_slot];
    plan *t = plan_new(p->lang);
    plan_aggregate(t, AGG_MAX, plan_ref(t, plan_field(t, f->name, f->canon)), "newest");
    return t;
}

/* The first pass: builds the join tables and, for --now latest, finds the
 * newest time of any event (INT64_MIN when none has one). */
static int64_t first_pass(const plan *p, source_list *l, const run_opts *o, contexts *cs,
                          int find_newest)
{
    run_opts quiet = *o;
    diag silent;
    diag_init(&silent, (logger){NULL, NULL}, 0);
    quiet.diag = &silent;  /* the main pass reports bad records once */
    quiet.log = (logger){NULL, NULL};
    quiet.progress = NULL;
    plan *t = find_newest ? newest_plan(p) : plan_new(p->lang);
    exec_opts eo = {0};
    exec_worker w;
    exec_worker_init(&w, t, &eo);
    pool *workers = find_newest && o->threads > 1
                        ? pool_new(t, o->threads, &eo, o->settings, &silent, 0) : NULL;
    feed fd = {&quiet, find_newest ? t : NULL, &w, 0, 0, cs, 1, workers, -1, NULL, 0};
    feed_all(&fd, l);
    if (workers)
        pool_finish(workers, &w);
    feed_notes_close(&fd);
    int64_t ms = INT64_MIN;
    if (find_newest) {
        mc_result *r = exec_finish(&w);
        if (r->nrows && result_row(r, 0)[0].type == MC_TS)
            ms = result_row(r, 0)[0].u.i;
        result_free(r);
    }
    exec_worker_free(&w);
    plan_free(t);
    return ms;
}

typedef struct passes {
    int find_newest, joins;
} passes;

/* Whether an input of format `dec` has anything for the first pass. */
static int needs_first_pass(void *ud, const decoder *dec)
{
    const passes *ps = ud;
    return ps->find_newest || (ps->joins && dec->context && dec->context->add);
}

int run_plan(const plan *p, const run_input *in, int nin, const run_opts *o, mc_result **out,
             run_info *info)
{
    contexts cs = {.enabled = !o->no_enrich};
    passes ps = {o->now_latest && p->time_slot >= 0, cs.enabled};
    source_list l;
    sources_open(&l, in, nin, o->settings, needs_first_pass, &ps, o->max_memory, &o->log);
    info->now_ms = o->now_ms;
    if (ps.find_newest || ps.joins) {
        int64_t newest = first_pass(p, &l, o, &cs, ps.find_newest);
        if (ps.find_newest && newest != INT64_MIN)
            info->now_ms = newest;
    }
    exec_worker w;
    int nworkers = o->threads > 1 && pool_eligible(p) ? o->threads : 0;
    exec_opts eo = {info->now_ms, o->emulate_limits, o->regex_limit,
                    /* each worker's table and the merged one share the budget */
                    {o->max_groups, o->max_memory / (size_t)(nworkers + 1)}};
    exec_worker_init(&w, p, &eo);
    w.max_row_bytes = o->max_memory; /* the merged rows may use the whole budget */
    /* Whole-file formats still run on this thread, into `w`. */
    pool *workers =
        nworkers ? pool_new(p, nworkers, &eo, o->settings, o->diag, !o->no_prefilter) : NULL;
    feed fd = {o, p, &w, 0, 0, &cs, 0, workers, plan_find_field(p, PLAN_RAW_FIELD), NULL, 0};
    int rc = feed_all(&fd, &l);
    if (workers)
        pool_finish(workers, &w);
    feed_notes_close(&fd);
    if (o->progress)
        o->progress(o->progress_ud, fd.total, fd.total);
    contexts_close(&cs, &o->log);
    info->groups = w.agg ? agg_groups(w.agg) : 0;
    info->refused = w.agg ? agg_refused(w.agg) : 0;
    if (info->refused || w.st.rows_refused)
        rc = RUN_INPUT_ERROR; /* events not counted: the answer is incomplete */
    *out = exec_finish(&w);
    info->st = w.st;
    exec_worker_free(&w);
    sources_close(&l);
    return rc;
}
