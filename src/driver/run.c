/* run: the driver from inputs to a finished result (see run.h). Each input
 * is opened (decompressing), its first records probed for a format, then
 * read in blocks of whole lines that go through the one record step
 * (record.h) on this thread or on the worker pool (pool.h).
 *
 * One pass (held.h): when events cannot be evaluated before the whole
 * input is read — the newest event time (--now latest), the join tables of
 * a decoder with context (Falcon's processes and users, Windows process
 * creations) — the lines of those inputs are gathered: every line feeds the
 * tables and the newest time, and the candidates are held; then the held
 * lines are evaluated. An input is read a second time only when its
 * candidates go past their budget (a stream cannot be: the rest of its
 * candidates is reported as not evaluated), or when it is a whole-file
 * format and --now latest needs its newest time first.
 *
 * Join tables cost a third of a Falcon run, and exported telemetry often
 * carries on every event what they would add. So when every input can be
 * read again, the run first tries without them (their decoders say when a
 * decode consulted the empty table: decoder.h `consulted`); the first such
 * decode stops the try, which is thrown away unsaid (its messages were
 * held), and the run starts over with the tables. Raw FDR stops the try
 * within its first blocks: events are decoded as they are read, or, where
 * they are held for --now latest, one candidate in 64 is (record.c). Input
 * whose events need the tables only late is found when the held lines are
 * evaluated, and is then read twice. */
#include "driver/run.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "driver/pool.h"
#include "driver/source.h"

enum { BLOCK_BYTES = 1 << 20 };

/* Held lines past this many bytes spill their copies to a file (held.h),
 * or past a quarter of their budget if that is less, so that a small
 * --max-memory spills before it gives up. A run that holds a few tens of
 * MB (a compressed GB of the seed queries' input, which hold one line in
 * ten) writes little or nothing; one that holds a day of a compressed
 * high-cardinality export keeps about this in memory instead of
 * gigabytes, the rest costing a write and a read of page cache. At 64 MiB
 * a hunt of a gzipped 4 GB day peaked at 110 MB, past issue 11's 100;
 * at 32, 81 MB, no slower (BENCHMARKS.md, session 17). The bound is on
 * the run's sum (the budget all stores share), not per store, so that it
 * does not grow with the threads. */
enum { SPILL_BYTES = 32 << 20 };

/* The join tables of each decoder that has them (decoder_context). */
typedef struct contexts {
    join_tables t;
    int enabled;
} contexts;

typedef struct feed {
    const run_opts *o;
    const plan *plan;
    exec_worker *w;             /* this thread's worker */
    uint64_t done, total;       /* bytes, for progress */
    contexts *cs;
    pool *workers;              /* blocks go to worker threads, or NULL */
    int raw_slot;               /* PLAN_RAW_FIELD's slot, or -1 */
    input_notes **notes;        /* each input's, said when the run ends */
    int nnotes;
    /* One pass (held.h): */
    const plan *newest;         /* max(time), for --now latest; NULL: not wanted */
    exec_worker *tw;            /* this thread's newest time */
    held keep;                  /* the lines this thread held */
    record_input **gathered;    /* per source: its input when gathered */
    char *whole;                /* per source: a whole-file format read for its time */
    record_input *mine;         /* the inputs read on this thread, freed at the end */
    int index;                  /* the source being read */
    int again;                  /* the second read of inputs that need one */
    int attempt;                /* tables that can say they were consulted are not built */
    const decoder *spoiled;     /* ... and one of these was: the try is thrown away */
    record_thread thread;       /* this thread's state across blocks */
} feed;

static void note(const run_opts *o, const char *shown, const char *what)
{
    log_line(&o->log, "mailc2: %s%s%s", shown, *shown ? ": " : "", what);
}

static void *context_of(contexts *cs, const decoder *dec)
{
    if (!dec->context || (!cs->enabled && dec->context->add))
        return NULL; /* --no-enrich turns joins off, not what a run reports */
    return join_table(&cs->t, dec);
}

static void contexts_close(contexts *cs, const logger *log)
{
    for (int i = 0; i < cs->t.n; i++) {
        char msg[512];
        cs->t.dec[i]->context->report(cs->t.ctx[i], msg, sizeof msg);
        if (msg[0])
            log_line(log, "mailc2: %s", msg);
        cs->t.dec[i]->context->destroy(cs->t.ctx[i]);
    }
    cs->t.n = 0;
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
    int quiet;       /* the read for the newest time: the second read says all */
} whole_ud;

static void whole_event(void *ud)
{
    whole_ud *u = ud;
    record_decoded(u->w, &u->view);
}

static void whole_bad(void *ud, uint64_t record, uint64_t offset, const char *msg)
{
    whole_ud *u = ud;
    if (!u->quiet)
        record_bad(u->w, &u->src, record, offset, msg);
}

/* A whole-file input through plan p into worker w; `quiet` for the read
 * that finds the newest time, whose bad records and failure the second
 * read, of every record, says and counts (once). */
static int decode_whole(feed *fd, const decoder *dec, const source *s, const plan *p,
                        exec_worker *w, int quiet)
{
    char err[512];
    whole_ud *u = xcalloc(1, sizeof *u); /* a view binding is large */
    u->w = w;
    u->quiet = quiet;
    u->src = (record_src){s->shown, dec, NULL, -1, fd->o->diag, NULL, NULL,
                          (uint64_t)fd->index << RECORD_SEQ_BITS, NULL, NULL};
    wf_sink sink = {whole_event, whole_bad, u, fd->cs->enabled};
    const input_settings *st = fd->o->settings;
    int rc = -1;
    if (!s->path)
        snprintf(err, sizeof err, "%s input cannot be read from %s; give a file", dec->name,
                 s->pull ? "a stream" : "memory");
    else if (view_bind(&u->view, p, decoder_family(dec), st, err, sizeof err) == 0 &&
             (record_bind(w, u->view.nreq), 1))
        rc = dec->read_file(s->path, u->view.req, u->view.nreq, st, w->row, &w->scratch, &sink,
                            err, sizeof err);
    free(u);
    if (rc == 0 || quiet)
        return 0;
    fd->w->st.files_failed++;
    note(fd->o, s->shown, err);
    return -1;
}

/* Whether lines of format dec are gathered before they are evaluated. */
static int gathers(const feed *fd, const decoder *dec)
{
    const decoder_context *c = dec->context;
    return !fd->again &&
           (fd->newest || (fd->cs->enabled && c && c->add && !(fd->attempt && c->consulted)));
}

/* The format whose table a try without tables consulted, or NULL. */
static const decoder *spoiled(const contexts *cs)
{
    for (int i = 0; i < cs->t.n; i++) {
        const decoder_context *c = cs->t.dec[i]->context;
        if (c->add && c->consulted && c->consulted(cs->t.ctx[i]))
            return cs->t.dec[i];
    }
    return NULL;
}

/* The probe's kept lines, then the header lines after them (Zeek's
 * #fields, a CSV header), which join the preamble every worker replays; the
 * first other line ends them. Gathered lines are only classified here. */
static void decode_head(feed *fd, reader *r, view_decoder *vd, record_src *both,
                        probe_lines *kept)
{
    const char *line;
    size_t llen;
    char err[160];
    if (!both->g)
        for (int i = 0; i < kept->n; i++)
            record_line(fd->w, both, kept->lineno[i], kept->line[i], kept->len[i]);
    while (!vd->dec->finish && kept->n < PREAMBLE_LINES && reader_next_line(r, &line, &llen) == 1) {
        probe_lines_add(kept, line, llen, reader_lineno(r));
        int k = kept->n - 1;
        int rc;
        if (both->g) {
            arena_reset(&fd->w->scratch);
            rc = view_decode(vd, kept->line[k], kept->len[k], fd->w->row, &fd->w->scratch, err,
                             sizeof err);
        } else {
            rc = record_line(fd->w, both, kept->lineno[k], kept->line[k], kept->len[k]);
        }
        if (rc != DECODE_SKIP)
            break;
    }
}

/* This thread's gathering of input `in`: its lines so far (the preamble). */
static void gather_open(feed *fd, record_input *in, gather *g, record_src *both)
{
    char err[200];
    int builds = in->dec->context && in->dec->context->add && !in->probe;
    *g = (gather){builds ? in->ctx : NULL, NULL, NULL, !fd->o->no_prefilter, &fd->keep, in,
                  in->probe ? both->vd : NULL, 0, 0, NULL, 0, 0, INT64_MIN};
    if (fd->newest && (g->newest_vd = record_open(in, fd->newest, fd->o->settings, fd->tw, 0,
                                                  err, sizeof err)))
        g->newest = fd->tw;
    both->g = g;
    for (int i = 0; i < in->pre.n; i++)
        record_line(fd->w, both, in->pre.lineno[i], in->pre.line[i], in->pre.len[i]);
}

static void gather_close(feed *fd, gather *g)
{
    record_gathered(g);
    if (g->newest_vd && g->newest_vd->dec->finish) {
        arena_reset(&fd->tw->scratch);
        if (view_finish(g->newest_vd, fd->tw->row, &fd->tw->scratch) == DECODE_OK)
            exec_event(fd->tw);
    }
    view_decoder_close(g->newest_vd);
}

/* After each block read: the progress, and whether a try stops (a table it
 * goes without was consulted). */
static int block_read(void *ud, uint64_t bytes)
{
    feed *fd = ud;
    progress(fd, bytes);
    return fd->attempt && (fd->spoiled = spoiled(fd->cs)) != NULL;
}

/* The blocks of an input run on this thread. */
static void read_here(feed *fd, reader *r, record_src *both)
{
    char *block, *spare = NULL;
    size_t len, cap, spare_cap = 0;
    uint64_t first, at = reader_offset(r);
    while (!fd->spoiled &&
           reader_next_block(r, BLOCK_BYTES, &block, &len, &cap, &first, spare, spare_cap) == 1) {
        if (both->g)
            both->g->block = block, both->g->block_len = len, both->g->block_at = at;
        record_block(fd->w, both, block, len, first);
        spare = block;
        spare_cap = cap;
        at = reader_offset(r);
        if (block_read(fd, reader_bytes_in(r)))
            break;
    }
    if (fd->spoiled)
        free(spare); /* the try stopped before handing it back to the reader */
}

/* The blocks of a line format, after the probe's kept lines. */
static void decode_lines(feed *fd, reader *r, const decoder *dec, const source *s,
                         probe_lines *kept)
{
    char err[200];
    view_decoder *vd = view_decoder_open(dec, fd->plan, fd->o->settings, err, sizeof err);
    if (!vd) {
        fd->w->st.files_failed++;
        note(fd->o, s->shown, err);
        return;
    }
    record_bind(fd->w, vd->view.nreq);
    void *ctx = context_of(fd->cs, dec);
    int gathering = gathers(fd, dec);
    /* A try gathering for the newest time builds no table either. */
    int probe = gathering && fd->attempt && ctx && dec->context->consulted;
    if (ctx && (!gathering || probe))
        dec->context->use(vd->state, ctx);
    if (fd->attempt && ctx)
        fd->spoiled = spoiled(fd->cs); /* a decoder may know at once (falcon.c) */
    fd->notes = xrealloc(fd->notes, (size_t)(fd->nnotes + 1) * sizeof *fd->notes);
    input_notes *notes = fd->notes[fd->nnotes++] = input_notes_new(s->shown);
    record_src both = {s->shown, dec, vd, fd->raw_slot, fd->o->diag, notes, NULL,
                       (uint64_t)fd->index << RECORD_SEQ_BITS, NULL, &fd->thread};
    gather g;
    both.g = gathering ? &g : NULL; /* decode_head only classifies */
    decode_head(fd, r, vd, &both, kept);
    record_input *in = record_input_new(dec, ctx, s->shown, notes, kept, fd->index);
    prefilter *pf = !fd->o->no_prefilter ? prefilter_new(fd->plan, vd, fd->o->settings) : NULL;
    in->gather = gathering;
    in->probe = probe;
    /* A plain file held open is read back by place (held.h). */
    in->fd = gathering && s->fd >= 0 && reader_codec(r) == READER_PLAIN ? s->fd : -1;
    /* Without a prefilter every line is a candidate: a file is read again
     * rather than held whole (the seed AQL query; --no-prefilter). */
    in->again = gathering && !pf && source_again(s);
    atomic_store(&in->gave_up, in->again);
    if (gathering) {
        fd->gathered[fd->index] = in;
        gather_open(fd, in, &g, &both);
    }
    both.pf = pf;
    int pooled = fd->workers && !dec->finish;
    if (pooled)
        pool_input_add(fd->workers, in);
    else
        in->next = fd->mine, fd->mine = in;
    if (pooled && !fd->spoiled)
        pool_read(fd->workers, in, r, BLOCK_BYTES, block_read, fd);
    else if (!pooled)
        read_here(fd, r, &both);
    in->lines = reader_lineno(r);
    if (gathering)
        gather_close(fd, &g);
    else
        record_finish(fd->w, &both);
    prefilter_free(pf);
    view_decoder_close(vd);
}

static int feed_source(feed *fd, source *s)
{
    if (s->failed)
        return fd->again ? 0 : (fd->w->st.files_failed++, -1);
    char err[512];
    reader *r = source_reader(s, &fd->o->log, err, sizeof err);
    if (!r) {
        fd->w->st.files_failed++;
        note(fd->o, "", err);
        return -1;
    }
    reader_set_max_record(r, fd->o->max_record);
    fd->w->st.files += !fd->again;
    probe_lines kept;
    const decoder *dec = source_probe(r, fd->o->settings, &kept);
    int rc = 0;
    if (dec && dec->read_file && fd->newest && !fd->again) {
        fd->whole[fd->index] = 1; /* its events after `now` is known */
        rc = decode_whole(fd, dec, s, fd->newest, fd->tw, 1);
    }
    else if (dec && dec->read_file)
        rc = decode_whole(fd, dec, s, fd->plan, fd->w, 0);
    else if (dec)
        decode_lines(fd, r, dec, s, &kept);
    else if (kept.n) {
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
    for (fd->index = 0; fd->index < l->n && !fd->spoiled; fd->index++)
        if (feed_source(fd, &l->s[fd->index]))
            rc = RUN_INPUT_ERROR;
    return rc;
}

/* After the run's workers are done with them. */
static void feed_close(feed *fd)
{
    for (int i = 0; i < fd->nnotes; i++)
        input_notes_close(fd->notes[i], &fd->o->log);
    free(fd->notes);
    held_free(&fd->keep);
    for (record_input *in = fd->mine, *next; in; in = next) {
        next = in->next;
        record_input_free(in);
    }
    free(fd->gathered);
    free(fd->whole);
    record_thread_free(&fd->thread);
}

/* The newest time of any event is itself a query, max(time) over the input,
 * gathered with the lines. */
static plan *newest_plan(const plan *p)
{
    const mc_field_req *f = &p->fields[p->time_slot];
    plan *t = plan_new(p->lang);
    plan_aggregate(t, AGG_MAX, plan_ref(t, plan_field(t, f->name, f->canon)), "newest");
    return t;
}

static int64_t newest_of(exec_worker *tw)
{
    int64_t ms = INT64_MIN;
    mc_result *r = exec_finish(tw);
    if (r->nrows && result_row(r, 0)[0].type == MC_TS)
        ms = result_row(r, 0)[0].u.i;
    result_free(r);
    return ms;
}

/* The inputs to read again: whole-file formats whose newest time was all
 * the first read took, and inputs whose candidates went past the budget
 * (a stream cannot be: said, and counted as an input error). */
static int mark_again(feed *fd, source_list *l)
{
    int rc = RUN_OK;
    for (int i = 0; i < l->n; i++) {
        source *s = &l->s[i];
        record_input *in = fd->gathered[i];
        int gave_up = in && atomic_load(&in->gave_up);
        int whole = fd->whole[i];
        if (in && !gave_up)
            fd->w->st.prefiltered += atomic_load(&in->skipped);
        if (!gave_up && !whole) {
            s->failed = 1; /* done: not read again */
        } else if (gave_up && !source_again(s)) {
            /* Its held lines are dropped too: which of them were held when
             * the budget ran out depends on the threads' timing. */
            char what[300];
            snprintf(what, sizeof what, "its candidate lines went past half of --max-memory "
                     "before the end, so none of its %llu lines was evaluated (a stream is read "
                     "once: give it as a file, which is then read a second time, or raise "
                     "--max-memory)", (unsigned long long)in->lines);
            note(fd->o, s->shown, what);
            fd->w->st.files_failed++;
            s->failed = 1;
            rc = RUN_INPUT_ERROR;
        } else if (gave_up && !in->again) {
            note(fd->o, s->shown, "its candidate lines went past half of --max-memory; read a "
                 "second time");
        }
    }
    return rc;
}

/* Says, once, that held copies could not be spilled (held.h): they were
 * kept in memory instead, where they may have gone past their budget. */
static void spill_note(feed *fd)
{
    int err = atomic_load(&fd->keep.budget->spill_errno);
    if (!err)
        return;
    char what[1024];
    snprintf(what, sizeof what, "candidate lines could not be spilled to a temporary file in "
             "%s (%s): they were held in memory instead; set TMPDIR to a writable directory "
             "with room", held_spill_dir(fd->keep.budget), strerror(err));
    note(fd->o, "", what);
}

/* The gathered lines, evaluated now that the join tables and `now` are
 * known; then the inputs that need a second read. */
static int resolve(feed *fd, source_list *l, int64_t *now_ms)
{
    if (fd->workers)
        pool_gathered(fd->workers, fd->tw);
    spill_note(fd);
    if (fd->newest) {
        int64_t newest = newest_of(fd->tw);
        if (newest != INT64_MIN)
            *now_ms = newest;
        exec_worker_set_now(fd->w, *now_ms);
    }
    record_replay(fd->w, &fd->keep, fd->plan, fd->o->settings, fd->o->diag, fd->raw_slot, 0);
    if (fd->workers)
        pool_resolve(fd->workers, *now_ms);
    int rc = mark_again(fd, l);
    fd->again = 1;
    if (feed_all(fd, l) != RUN_OK)
        rc = RUN_INPUT_ERROR;
    return rc;
}

/* One try at the run over the sources l; an attempt (see the header) sets
 * *over to the format that needs its tables when the try must be thrown
 * away, and then gives no result. */
static int run_try(const plan *p, source_list *l, const run_opts *o, int attempt,
                   const decoder **over, mc_result **out, run_info *info)
{
    contexts cs = {.enabled = !o->no_enrich};
    info->now_ms = o->now_ms;
    int nworkers = o->threads > 1 && pool_eligible(p) ? o->threads : 0;
    exec_opts eo = {info->now_ms, o->emulate_limits, o->regex_limit,
                    /* each worker's table and the merged one share the budget */
                    {o->max_groups, o->max_memory / (size_t)(nworkers + 1)}, o->unordered,
                    o->threads};
    exec_worker w, tw;
    exec_worker_init(&w, p, &eo);
    w.max_row_bytes = o->max_memory; /* the merged rows may use the whole budget */
    plan *t = o->now_latest && p->time_slot >= 0 ? newest_plan(p) : NULL;
    exec_opts quiet = {0};
    if (t)
        exec_worker_init(&tw, t, &quiet);
    /* Held lines may use half of the budget. */
    held_budget budget = {.limit = o->max_memory / 2, .spill = SPILL_BYTES, .dir = o->spill_dir};
    if (budget.limit && budget.limit / 4 < budget.spill)
        budget.spill = budget.limit / 4;
    pool_gather g = {t, &budget, cs.enabled};
    /* Whole-file formats still run on this thread, into `w`. */
    pool *workers = nworkers ? pool_new(p, nworkers, &eo, o->settings, o->diag,
                                        !o->no_prefilter, &g) : NULL;
    feed fd = {.o = o, .plan = p, .w = &w, .cs = &cs, .workers = workers,
               .raw_slot = plan_find_field(p, PLAN_RAW_FIELD), .newest = t,
               .tw = t ? &tw : NULL, .attempt = attempt,
               .gathered = xcalloc((size_t)l->n + 1, sizeof *fd.gathered),
               .whole = xcalloc((size_t)l->n + 1, sizeof *fd.whole)};
    held_init(&fd.keep, &budget);
    int rc = feed_all(&fd, l);
    if (!fd.spoiled && resolve(&fd, l, &info->now_ms) != RUN_OK)
        rc = RUN_INPUT_ERROR;
    if (workers)
        pool_finish(workers, &w);
    if (attempt)
        *over = fd.spoiled ? fd.spoiled : spoiled(&cs);
    feed_close(&fd);
    if (t) {
        exec_worker_free(&tw);
        plan_free(t);
    }
    if (o->progress && !(attempt && *over))
        o->progress(o->progress_ud, fd.total, fd.total);
    contexts_close(&cs, &o->log);
    info->groups = w.agg ? agg_groups(w.agg) : 0;
    info->refused = w.agg ? agg_refused(w.agg) : 0;
    if (info->refused || w.st.rows_refused)
        rc = RUN_INPUT_ERROR; /* events not counted: the answer is incomplete */
    *out = exec_finish(&w);
    info->st = w.st;
    exec_worker_free(&w);
    if (attempt && *over) {
        result_free(*out);
        *out = NULL;
    }
    return rc;
}

/* Whether a try without join tables can be thrown away and run again. */
static int may_attempt(const run_opts *o, const source_list *l)
{
    if (o->no_enrich)
        return 0;
    for (int i = 0; i < l->n; i++)
        if (!l->s[i].failed && !source_again(&l->s[i]))
            return 0;
    return 1;
}

int run_plan(const plan *p, const run_input *in, int nin, const run_opts *o, mc_result **out,
             run_info *info)
{
    source_list l;
    sources_open(&l, in, nin, &o->log);
    if (may_attempt(o, &l)) {
        int *failed = xcalloc((size_t)l.n + 1, sizeof *failed);
        for (int i = 0; i < l.n; i++)
            failed[i] = l.s[i].failed;
        log_held said = {0};
        run_opts quiet = *o;
        quiet.log = log_held_to(&said);
        const decoder *over = NULL;
        int rc = run_try(p, &l, &quiet, 1, &over, out, info);
        log_held_say(&said, over ? NULL : &o->log);
        for (int i = 0; i < l.n; i++)
            l.s[i].failed = failed[i]; /* a try marks the sources it is done with */
        free(failed);
        if (!over) {
            sources_close(&l);
            return rc;
        }
        diag_forget(o->diag);
        log_line(&o->log, "mailc2: %s: events lack fields its join tables fill; the inputs are "
                 "read again, with the tables", over->name);
    }
    int rc = run_try(p, &l, o, 0, NULL, out, info);
    sources_close(&l);
    return rc;
}
