/* harness: the shared steps of the fuzz targets (see harness.h). */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/record.h"
#include "driver/run.h"
#include "driver/source.h"
#include "exec/result.h"
#include "input/reader.h"
#include "lang/builtin.h"
#include "view/bind.h"

#ifndef MAILC2_SOURCE_DIR
#error "MAILC2_SOURCE_DIR must name the project root (the seeds and samples)"
#endif

enum {
    NPLANS = 3,
    NSAMPLES = 4,
    SAMPLE_LINES = 40,          /* of each sample, for running compiled rules */
    BLOCK = 1 << 16,            /* bytes of lines per block, as the driver's 1 MiB */
    MAX_BLOCKS = 64,            /* lines past 4 MiB are not read: fuzz inputs are smaller */
};

/* `now` is 2026-11-24T00:00:00Z, the day after the samples' events, so
 * that fuzzed records near their times pass AQL's window. The bounds are
 * small, so that a fuzzed rule or record cannot make one input take
 * seconds: libFuzzer reports a slow input as a timeout. */
static const exec_opts exec_bounds = {1795478400000LL, 0, 20000, {10000, 64u << 20}, 0, 1};

/* Every canonical field has a mapped column, so the generic decoder
 * (which needs --map) decodes too. */
static const char field_map[] =
    "kind=kind,time=ts,host=host,proc_path=image,proc_name=name,cmdline=cmd,user=user,"
    "src_ip=src,src_port=sport,dst_ip=dst,dst_port=dport,direction=dir,transport=proto,"
    "bytes_out=out,bytes_in=in,app_proto=app";

static const char *const sample_paths[NSAMPLES] = {
    "samples/falcon/workstations.ndjson",
    "samples/qradar/log_activity.csv",
    "samples/qradar/events.leef",
    /* Sysmon event XML, one event a line: the home family of Sigma rules,
     * whose raw names (EventID, ParentImage) only Sysmon records carry */
    "samples/sysmon/sysmon_atomic.xml",
};

static struct {
    int ready;
    input_settings settings;
    plan *plans[NPLANS];
    run_input samples[NSAMPLES];
    diag quiet;
    FILE *devnull;
    char tmp[64];               /* whole-file inputs are written here */
} h;

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz harness: %s: %s\n", what, detail);
    exit(2);
}

/* The file under the project root, whole, NUL-terminated; *len its size. */
static char *slurp(const char *rel, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", MAILC2_SOURCE_DIR, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open", path);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 4096)
            buf = xrealloc(buf, cap = cap * 2 + 4096);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        if (!got)
            break;
        n += got;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static plan *compile_seed(const char *lang, const char *rel)
{
    size_t len;
    char *text = slurp(rel, &len);
    lang_src src = {rel, text, len};
    lang_opts o = {NULL, NULL};
    lang_error e;
    plan *p = frontend_find(lang, NULL)->compile(&src, &o, &e);
    if (!p)
        die(rel, e.msg);
    free(text); /* a plan owns copies of its names */
    return p;
}

/* The first SAMPLE_LINES lines of a sample, as an input in memory. */
static run_input sample_input(const char *rel)
{
    size_t len;
    char *text = slurp(rel, &len);
    char *p = text;
    for (int i = 0; i < SAMPLE_LINES && p; i++)
        if ((p = memchr(p, '\n', len - (size_t)(p - text))))
            p++;
    if (p)
        len = (size_t)(p - text);
    return (run_input){RUN_IN_MEMORY, rel, text, len, NULL, NULL};
}

static void setup(void)
{
    if (h.ready)
        return;
    char err[256];
    if (input_settings_init(&h.settings, NULL, field_map, err, sizeof err))
        die("field map", err);
    hunt_params hp;
    hunt_params_default(&hp);
    hp.window_ms = 0;   /* fuzzed times are anywhere */
    hp.threshold = 0;   /* every group reaches the sort */
    h.plans[0] = builtin_plan(&hp);
    h.plans[1] = compile_seed("logscale", "tests/e2e/data/seeds/t1071_003.logscale");
    h.plans[2] = compile_seed("aql", "tests/e2e/data/seeds/t1071_003.aql");
    for (int i = 0; i < NSAMPLES; i++)
        h.samples[i] = sample_input(sample_paths[i]);
    diag_init(&h.quiet, (logger){NULL, NULL}, 0);
    if (!(h.devnull = fopen("/dev/null", "w")))
        die("cannot open", "/dev/null");
    snprintf(h.tmp, sizeof h.tmp, "/dev/shm/mailc2-fuzz-%ld", (long)getpid());
    h.ready = 1;
}

/* The input's lines as the reader hands them to the driver: blocks of
 * whole lines, each with room for a NUL past its end. Read once per input
 * and given to every decoder and plan (a reader costs two 1 MiB buffers). */
typedef struct blocks {
    char *text[MAX_BLOCKS];
    size_t len[MAX_BLOCKS];
    uint64_t first[MAX_BLOCKS];
    int n;
} blocks;

static void blocks_read(blocks *b, const uint8_t *data, size_t size)
{
    char err[256];
    b->n = 0;
    reader *r = reader_open_memory("fuzz", data, size, err, sizeof err);
    if (!r)
        return;
    size_t cap;
    while (b->n < MAX_BLOCKS && reader_next_block(r, BLOCK, &b->text[b->n], &b->len[b->n], &cap,
                                          &b->first[b->n], NULL, 0) == 1)
        b->n++;
    reader_close(r);
}

static void blocks_free(blocks *b)
{
    for (int i = 0; i < b->n; i++)
        free(b->text[i]);
}

/* Every line through `src` (record.h), block by block as the driver does. */
static void feed_blocks(exec_worker *w, const record_src *src, const blocks *b)
{
    for (int i = 0; i < b->n; i++)
        record_block(w, src, b->text[i], b->len[i], b->first[i]);
}

/* The non-blank lines among the first PROBE_LINES offered to the decoder's
 * probe, as detection does (source.h): without their "\r\n", a NUL after
 * each (put back afterwards). */
static void probe_each(const decoder *d, const blocks *b)
{
    int lines = 0;
    for (int i = 0; i < b->n && lines < PROBE_LINES; i++) {
        for (char *p = b->text[i], *end = p + b->len[i]; p < end && lines < PROBE_LINES;) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            char *e = nl ? nl : end;
            char *next = nl ? nl + 1 : end;
            if (e > p && e[-1] == '\r')
                e--;
            char kept = *e;
            *e = '\0';
            if (strspn(p, " \t") < (size_t)(e - p))
                d->probe(p, (size_t)(e - p), &h.settings);
            *e = kept;
            lines++;
            p = next;
        }
    }
}

/* The join table of a decoder with context, built as the first pass does. */
static void *context_build(const decoder *d, exec_worker *w, const blocks *b)
{
    if (!d->context)
        return NULL;
    void *ctx = d->context->create();
    if (d->context->add) {
        gather g = {ctx, NULL, NULL, 0, NULL, NULL, NULL, 0, 0, NULL, 0, 0, INT64_MIN}; /* the tables only */
        record_thread habit = {0}; /* lines searched while they are asked for few keys */
        record_src adds = {"fuzz", d, NULL, -1, &h.quiet, NULL, NULL, 0, &g, &habit};
        feed_blocks(w, &adds, b);
        record_thread_free(&habit);
    }
    return ctx;
}

static void context_close(const decoder *d, void *ctx)
{
    if (!ctx)
        return;
    char msg[512];
    d->context->report(ctx, msg, sizeof msg);
    d->context->destroy(ctx);
}

/* What a run of p over the blocks counted that the prefilter must not
 * change: the events matched and those each note counted. */
typedef struct counted {
    uint64_t matched, noted[PLAN_MAX_NOTES];
} counted;

/* A run of p over the blocks, on a decoder of its own (a multi-line
 * format's keeps a record between lines), its join table `ctx`. 0 when the
 * plan cannot be bound to d. */
static int run_lines(const decoder *d, const plan *p, const blocks *b, void *ctx,
                     int prefiltered, counted *c)
{
    char err[256];
    view_decoder *vd = view_decoder_open(d, p, &h.settings, err, sizeof err);
    if (!vd)
        return 0;
    if (ctx)
        d->context->use(vd->state, ctx);
    exec_worker w;
    exec_worker_init(&w, p, &exec_bounds);
    input_notes *notes = input_notes_new("fuzz");
    /* fuzzed too, where the plan has one: its lines skipped, blocks searched */
    prefilter *pf = prefiltered ? prefilter_new(p, vd, &h.settings) : NULL;
    record_thread habit = {0};
    record_src src = {"fuzz", d, vd, plan_find_field(p, PLAN_RAW_FIELD), &h.quiet, notes, pf,
                      0, NULL, &habit};
    feed_blocks(&w, &src, b);
    record_finish(&w, &src);
    record_thread_free(&habit);
    c->matched = w.st.matched;
    memcpy(c->noted, w.st.noted, sizeof c->noted);
    result_free(exec_finish(&w));
    input_notes_close(notes, &(logger){NULL, NULL});
    prefilter_free(pf);
    exec_worker_free(&w);
    view_decoder_close(vd);
    return 1;
}

/* p over the blocks with the prefilter and without: the same counts (abort
 * if not), whatever the lines hold. */
static void lines_with_plan(const decoder *d, const plan *p, const blocks *b)
{
    exec_worker w;
    exec_worker_init(&w, p, &exec_bounds);
    void *ctx = context_build(d, &w, b);
    exec_worker_free(&w);
    counted with, without;
    if (run_lines(d, p, b, ctx, 1, &with) && run_lines(d, p, b, ctx, 0, &without) &&
        memcmp(&with, &without, sizeof with))
        abort(); /* the prefilter changed what the plan counts */
    context_close(d, ctx);
}

void harness_lines(const decoder *const *decs, const uint8_t *data, size_t size)
{
    setup();
    blocks b;
    blocks_read(&b, data, size);
    for (const decoder *const *d = decs; *d; d++) {
        probe_each(*d, &b);
        for (int i = 0; i < NPLANS; i++)
            lines_with_plan(*d, h.plans[i], &b);
    }
    blocks_free(&b);
}

/* A whole-file decoder's records reach the record step as in the driver. */
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

static void whole_with_plan(const decoder *d, const plan *p)
{
    char err[512];
    whole_ud *u = xcalloc(1, sizeof *u); /* a view binding is large */
    exec_worker w;
    exec_worker_init(&w, p, &exec_bounds);
    u->w = &w;
    u->src = (record_src){"fuzz", d, NULL, -1, &h.quiet, NULL, NULL, 0, NULL, NULL};
    wf_sink sink = {whole_event, whole_bad, u, 1};
    if (view_bind(&u->view, p, decoder_family(d), &h.settings, err, sizeof err) == 0)
        d->read_file(h.tmp, u->view.req, u->view.nreq, &h.settings, w.row, &w.scratch, &sink,
                     err, sizeof err);
    result_free(exec_finish(&w));
    exec_worker_free(&w);
    free(u);
}

void harness_whole(const decoder *d, const uint8_t *data, size_t size)
{
    setup();
    FILE *f = fopen(h.tmp, "wb");
    if (!f)
        die("cannot write", h.tmp);
    if (fwrite(data, 1, size, f) != size || fclose(f))
        die("cannot write", h.tmp);
    for (int i = 0; i < NPLANS; i++)
        whole_with_plan(d, h.plans[i]);
    unlink(h.tmp);
}

/* now_latest: a first pass finds the newest time (as --now latest). */
static void run_over(const plan *p, const run_input *in, int nin, int now_latest)
{
    run_opts o = {0};
    o.now_ms = exec_bounds.now_ms;
    o.now_latest = now_latest;
    o.threads = 1;
    o.max_record = 1 << 20;
    o.max_memory = exec_bounds.groups.max_bytes;
    o.max_groups = exec_bounds.groups.max_groups;
    o.regex_limit = exec_bounds.regex_limit;
    o.settings = &h.settings;
    o.diag = &h.quiet;
    mc_result *out = NULL;
    run_info info;
    run_plan(p, in, nin, &o, &out, &info);
    result_free(out);
}

void harness_driver(const uint8_t *data, size_t size)
{
    setup();
    run_input in = {RUN_IN_MEMORY, "fuzz", data, size, NULL, NULL};
    run_over(h.plans[0], &in, 1, 0); /* the hunt here has no window */
}

void harness_query(const frontend *fe, const uint8_t *data, size_t size)
{
    setup();
    char *text = xmalloc(size + 1); /* front ends read NUL-terminated text */
    memcpy(text, data, size);
    text[size] = '\0';
    lang_src src = {"fuzz", text, size};
    lang_opts o = {lang_warn_print, h.devnull};
    lang_error e;
    plan *p = fe->compile(&src, &o, &e);
    if (p) {
        plan_print(p, h.devnull);
        run_over(p, h.samples, NSAMPLES, 1);
        plan_free(p);
    } else {
        lang_error_print(&src, &e, h.devnull);
    }
    free(text);
}
