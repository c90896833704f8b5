/* run: the driver from input paths to a finished result (see run.h). The
 * loop per file is: open (decompressing), probe the first records for a
 * format, then decode each line into the worker's row and hand it to
 * exec_event() — or, with worker threads (pool.h), queue the lines for them.
 *
 * A first pass runs when the main one needs something from the whole input
 * first: the newest event time (--now latest), or the side tables of a
 * decoder with context (Falcon's process and user joins). It reads only the
 * files that have something to give. */
#include "exec/run.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec/pool.h"
#include "input/decoder.h"
#include "input/paths.h"
#include "input/reader.h"
#include "view/bind.h"

enum { PROBE_LINES = 8, MAX_CONTEXTS = 8 };

/* The side tables of each decoder that has them (decoder_context). */
typedef struct contexts {
    const decoder *dec[MAX_CONTEXTS];
    void *ctx[MAX_CONTEXTS];
    int n;
    int enabled;
} contexts;

typedef struct feed {
    const run_opts *o;
    const plan *plan;           /* NULL: decode nothing (context pass only) */
    mc_value *row;
    arena *scratch;
    void (*on_event)(void *ud);
    void *ud;
    exec_stats *st;
    uint64_t done, total;       /* bytes, for progress */
    contexts *cs;
    int building;               /* this pass builds the contexts */
    pool *workers;              /* main pass on several threads, or NULL */
    int raw_slot;               /* PLAN_RAW_FIELD's slot, or -1 */
    uint64_t lines;             /* queued to the workers, for progress */
} feed;

static void note(const run_opts *o, const char *fmt, const char *a, const char *b)
{
    if (!o->log)
        return;
    fputs("mailc2: ", o->log);
    fprintf(o->log, fmt, a, b);
    fputc('\n', o->log);
}

static void *context_of(contexts *cs, const decoder *dec, int create)
{
    if (!cs->enabled || !dec->context)
        return NULL;
    for (int i = 0; i < cs->n; i++)
        if (cs->dec[i] == dec)
            return cs->ctx[i];
    if (!create || cs->n == MAX_CONTEXTS)
        return NULL;
    cs->dec[cs->n] = dec;
    return cs->ctx[cs->n++] = dec->context->create();
}

static void contexts_close(contexts *cs, FILE *log)
{
    for (int i = 0; i < cs->n; i++) {
        char msg[512];
        cs->dec[i]->context->report(cs->ctx[i], msg, sizeof msg);
        if (log && msg[0])
            fprintf(log, "mailc2: %s\n", msg);
        cs->dec[i]->context->destroy(cs->ctx[i]);
    }
    cs->n = 0;
}

static void decode_line(feed *fd, const decoder *dec, view_decoder *bound, const char *shown,
                        uint64_t lineno, const char *line, size_t len)
{
    char err[160];
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == len)
        return; /* blank lines separate nothing and are not records */
    void *ctx = fd->building ? context_of(fd->cs, dec, 1) : NULL;
    if (ctx)
        dec->context->add(ctx, line, len);
    if (!fd->plan)
        return;
    if (fd->workers) {
        pool_line(fd->workers, dec, fd->building ? NULL : context_of(fd->cs, dec, 0), shown,
                  lineno, line, len);
        if (fd->o->progress && (++fd->lines & 0xffff) == 0)
            fd->o->progress(fd->o->progress_ud, fd->done, fd->total);
        return;
    }
    arena_reset(fd->scratch);
    int rc = view_decode(bound, line, len, fd->row, fd->scratch, err, sizeof err);
    if (rc == DECODE_SKIP)
        return;
    if (rc != DECODE_OK) {
        fd->st->bad++;
        diag_bad(fd->o->diag, shown, lineno, "%s: %s", dec->name, err);
        return;
    }
    if (fd->raw_slot >= 0)
        fd->row[fd->raw_slot] = mc_str(MC_STR, line, len);
    fd->st->events++;
    fd->on_event(fd->ud);
    if (fd->o->progress && (fd->st->events & 0xffff) == 0)
        fd->o->progress(fd->o->progress_ud, fd->done, fd->total);
}

/* Reads up to PROBE_LINES non-blank lines, keeping copies to replay. */
static const decoder *probe(reader *r, const input_settings *s, char **kept, size_t *klen,
                            uint64_t *kline, int *nkept)
{
    const char *line;
    size_t len;
    const decoder *dec = NULL;
    *nkept = 0;
    while (!dec && *nkept < PROBE_LINES && reader_next_line(r, &line, &len) == 1) {
        kept[*nkept] = xmalloc(len + 1);
        memcpy(kept[*nkept], line, len);
        kept[*nkept][len] = '\0';
        klen[*nkept] = len;
        kline[*nkept] = reader_lineno(r);
        (*nkept)++;
        if (strspn(line, " \t\r") < len)
            dec = decoder_detect(line, len, s);
    }
    return dec;
}

static void decode_file(feed *fd, reader *r, const decoder *dec, const char *shown,
                        char **kept, const size_t *klen, const uint64_t *kline, int nkept)
{
    char err[200];
    /* Bound here even when workers decode, so that a plan this format
     * cannot serve is reported once, by this thread. */
    view_decoder *bound = NULL;
    if (fd->plan && !(bound = view_decoder_open(dec, fd->plan, fd->o->settings, err, sizeof err))) {
        fd->st->files_failed++;
        note(fd->o, "%s: %s", shown, err);
        return;
    }
    void *ctx = context_of(fd->cs, dec, 0);
    if (bound && ctx && !fd->building)
        dec->context->use(bound->state, ctx);
    for (int i = 0; i < nkept; i++)
        decode_line(fd, dec, bound, shown, kline[i], kept[i], klen[i]);
    const char *line;
    size_t len;
    while (reader_next_line(r, &line, &len) == 1)
        decode_line(fd, dec, bound, shown, reader_lineno(r), line, len);
    view_decoder_close(bound);
}

/* Whole-file formats (EVTX, QRadar JSON; decoder.h read_file): their records
 * reach the same counters and messages as decoded lines. */
typedef struct whole_ud {
    feed *fd;
    const decoder *dec;
    const char *shown;
    view_binding view;
} whole_ud;

static void whole_event(void *ud)
{
    whole_ud *w = ud;
    view_apply(&w->view, w->fd->row);
    w->fd->st->events++;
    w->fd->on_event(w->fd->ud);
}

static void whole_bad(void *ud, uint64_t record, uint64_t offset, const char *msg)
{
    whole_ud *w = ud;
    w->fd->st->bad++;
    if (record)
        diag_bad(w->fd->o->diag, w->shown, record, "%s: %s", w->dec->name, msg);
    else
        diag_bad_at(w->fd->o->diag, w->shown, offset, "%s: %s", w->dec->name, msg);
}

static int decode_whole(feed *fd, wf_reader each, const decoder *dec, const char *path,
                        const char *shown)
{
    char err[512];
    whole_ud *w = xcalloc(1, sizeof *w); /* a view binding is too big for the stack */
    w->fd = fd;
    w->dec = dec;
    w->shown = shown;
    wf_sink sink = {whole_event, whole_bad, w, fd->cs->enabled};
    const input_settings *s = fd->o->settings;
    int rc = -1;
    if (strcmp(path, "-") == 0)
        snprintf(err, sizeof err, "%s input cannot be read from stdin; give a file", dec->name);
    else if (view_bind(&w->view, fd->plan, decoder_family(dec), s, err, sizeof err) == 0)
        rc = each(path, w->view.req, w->view.nreq, s, fd->row, fd->scratch, &sink, err,
                  sizeof err);
    free(w);
    if (rc == 0)
        return 0;
    fd->st->files_failed++;
    note(fd->o, "%s: %s", shown, err);
    return -1;
}

static int feed_file(feed *fd, const char *path, const char *shown)
{
    char err[512];
    reader *r = reader_open(path, err, sizeof err);
    if (!r) {
        fd->st->files_failed++;
        note(fd->o, "%s%s", err, "");
        return -1;
    }
    fd->st->files++;
    char *kept[PROBE_LINES];
    size_t klen[PROBE_LINES];
    uint64_t kline[PROBE_LINES];
    int nkept, rc = 0;
    const decoder *dec = probe(r, fd->o->settings, kept, klen, kline, &nkept);
    /* A context pass without a time to find reads only files with context. */
    int wanted = dec && (fd->plan || (fd->building && fd->cs->enabled && dec->context));
    wf_reader whole = dec ? dec->read_file : NULL;
    if (wanted && whole && fd->plan)
        rc = decode_whole(fd, whole, dec, path, shown);
    else if (wanted && !whole)
        decode_file(fd, r, dec, shown, kept, klen, kline, nkept);
    else if (!dec && nkept) {
        fd->st->files_skipped++;
        note(fd->o, "%s: format not recognised%s; skipped (see `mailc2 formats`)", shown, "");
    }
    for (int i = 0; i < nkept; i++)
        free(kept[i]);
    const char *rerr = reader_error(r);
    if (*rerr) {
        fd->st->files_failed++;
        note(fd->o, "%s%s", rerr, "");
        rc = -1;
    }
    fd->done += reader_bytes_in(r);
    reader_close(r);
    return rc;
}

/* Copies stdin to a temporary file so that it can be read twice. */
static char *spool_stdin(const run_opts *o)
{
    const char *dir = getenv("TMPDIR");
    char *path = xmalloc(strlen(dir ? dir : "/tmp") + 32);
    sprintf(path, "%s/mailc2-stdin-XXXXXX", dir ? dir : "/tmp");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    char buf[1 << 16];
    size_t n;
    while (f && (n = fread(buf, 1, sizeof buf, stdin)) > 0)
        if (fwrite(buf, 1, n, f) != n)
            break;
    if (!f || ferror(stdin) || fclose(f) != 0) {
        note(o, "cannot spool stdin to %s%s", path, " for a second pass");
        unlink(path);
        free(path);
        return NULL;
    }
    return path;
}

typedef struct inputs {
    path_list list;
    char *spooled;              /* temp copy of stdin, if any */
} inputs;

static void inputs_open(inputs *in, const char *const *paths, int n, const run_opts *o,
                        int two_passes)
{
    paths_expand(paths, n, &in->list);
    in->spooled = NULL;
    for (int i = 0; i < in->list.n && two_passes; i++)
        if (strcmp(in->list.path[i], "-") == 0 && !in->spooled)
            in->spooled = spool_stdin(o);
}

static void inputs_close(inputs *in)
{
    if (in->spooled) {
        unlink(in->spooled);
        free(in->spooled);
    }
    paths_free(&in->list);
}

static int feed_all(feed *fd, const inputs *in)
{
    int rc = RUN_OK;
    struct stat sb;
    fd->total = 0;
    for (int i = 0; i < in->list.n; i++)
        if (stat(in->list.path[i], &sb) == 0)
            fd->total += (uint64_t)sb.st_size;
    for (int i = 0; i < in->list.n; i++) {
        const char *path = in->list.path[i], *shown = path;
        if (strcmp(path, "-") == 0) {
            shown = "<stdin>";
            if (in->spooled)
                path = in->spooled;
        }
        if (feed_file(fd, path, shown))
            rc = RUN_INPUT_ERROR;
    }
    return rc;
}

/* The newest time of any event is itself a query, max(time) over the input,
 * so it runs on the same workers as the main pass. */
static plan *newest_plan(const plan *p)
{
    const mc_field_req *f = &p->fields[p->time_slot];
    plan *t = plan_new(p->lang);
    int slot = plan_field(t, f->name, f->canon);
    plan_aggregate(t, AGG_MAX, plan_ref(t, slot), "newest");
    return t;
}

static void on_event(void *ud)
{
    exec_event(ud);
}

/* The first pass: builds the decoders' contexts and, for --now latest,
 * finds the newest time of any event (INT64_MIN when none has one). */
static int64_t first_pass(const plan *p, const inputs *in, const run_opts *o, contexts *cs,
                          int find_newest)
{
    run_opts quiet = *o;
    diag silent;
    diag_init(&silent, NULL, 0);
    quiet.diag = &silent;  /* the main pass reports bad records once */
    quiet.log = NULL;
    quiet.progress = NULL;
    plan *t = find_newest ? newest_plan(p) : plan_new(p->lang);
    exec_worker w;
    exec_worker_init(&w, t, 0, 0);
    pool *workers = find_newest && o->threads > 1
                        ? pool_new(t, o->threads, 0, 0, o->settings, &silent) : NULL;
    feed fd = {&quiet, find_newest ? t : NULL, w.row, &w.scratch, on_event,
               &w, &w.st, 0, 0, cs, 1, workers, -1, 0};
    feed_all(&fd, in);
    if (workers)
        pool_finish(workers, &w);
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

int run_plan(const plan *p, const char *const *paths, int npaths, const run_opts *o,
             mc_result **out, run_info *info)
{
    contexts cs = {.enabled = !o->no_enrich};
    int find_newest = o->now_latest && p->time_slot >= 0;
    int two_passes = find_newest || cs.enabled;
    inputs in;
    inputs_open(&in, paths, npaths, o, two_passes);
    info->now_ms = o->now_ms;
    if (two_passes) {
        int64_t newest = first_pass(p, &in, o, &cs, find_newest);
        if (find_newest && newest != INT64_MIN)
            info->now_ms = newest;
    }
    exec_worker w;
    exec_worker_init(&w, p, info->now_ms, o->emulate_limits);
    /* Whole-file formats still run on this thread, into `w`. */
    pool *workers = o->threads > 1 && pool_eligible(p)
                        ? pool_new(p, o->threads, info->now_ms, o->emulate_limits, o->settings,
                                   o->diag)
                        : NULL;
    feed fd = {o, p, w.row, &w.scratch, on_event, &w, &w.st, 0, 0,
               &cs, 0, workers, plan_find_field(p, PLAN_RAW_FIELD), 0};
    int rc = feed_all(&fd, &in);
    if (workers)
        pool_finish(workers, &w);
    if (o->progress)
        o->progress(o->progress_ud, fd.total, fd.total);
    contexts_close(&cs, o->log);
    info->groups = w.agg ? agg_groups(w.agg) : 0;
    *out = exec_finish(&w);
    info->st = w.st;
    exec_worker_free(&w);
    inputs_close(&in);
    return rc;
}
