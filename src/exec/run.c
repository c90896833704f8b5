/* run: the single-threaded driver from input paths to a finished result
 * (see run.h). The loop per file is: open (decompressing), probe the first
 * records for a format, then decode each line into the worker's row and hand
 * it to exec_event(). */
#include "exec/run.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/decoder.h"
#include "input/paths.h"
#include "input/reader.h"

enum { PROBE_LINES = 8 };

typedef struct feed {
    const run_opts *o;
    const mc_field_req *fields;
    int nfields;
    mc_value *row;
    arena *scratch;
    void (*on_event)(void *ud);
    void *ud;
    exec_stats *st;
    uint64_t done, total;       /* bytes, for progress */
    const char **family;        /* told the decoder family of each file */
} feed;

static void note(const run_opts *o, const char *fmt, const char *a, const char *b)
{
    if (!o->log)
        return;
    fputs("mailc2: ", o->log);
    fprintf(o->log, fmt, a, b);
    fputc('\n', o->log);
}

static void decode_line(feed *fd, const decoder *dec, void *bound, const char *shown,
                        uint64_t lineno, const char *line, size_t len)
{
    char err[160];
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == len)
        return; /* blank lines separate nothing and are not records */
    arena_reset(fd->scratch);
    if (dec->decode(bound, line, len, fd->row, fd->scratch, err, sizeof err) != DECODE_OK) {
        fd->st->bad++;
        diag_bad(fd->o->diag, shown, lineno, "%s: %s", dec->name, err);
        return;
    }
    fd->st->events++;
    fd->on_event(fd->ud);
    if (fd->o->progress && (fd->st->events & 0xffff) == 0)
        fd->o->progress(fd->o->progress_ud, fd->done, fd->total);
}

/* Reads up to PROBE_LINES non-blank lines, keeping copies to replay. */
static const decoder *probe(reader *r, char **kept, size_t *klen, uint64_t *kline, int *nkept)
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
            dec = decoder_detect(line, len);
    }
    return dec;
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
    const decoder *dec = probe(r, kept, klen, kline, &nkept);
    if (dec) {
        if (fd->family)
            *fd->family = decoder_family(dec);
        void *bound = dec->bind(fd->fields, fd->nfields);
        for (int i = 0; i < nkept; i++)
            decode_line(fd, dec, bound, shown, kline[i], kept[i], klen[i]);
        const char *line;
        size_t len;
        while (reader_next_line(r, &line, &len) == 1)
            decode_line(fd, dec, bound, shown, reader_lineno(r), line, len);
        dec->unbind(bound);
    } else if (nkept) {
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
        note(o, "cannot spool stdin to %s%s", path, " for --now latest");
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

static void inputs_open(inputs *in, const char *const *paths, int n, const run_opts *o)
{
    paths_expand(paths, n, &in->list);
    in->spooled = NULL;
    for (int i = 0; i < in->list.n && o->now_latest; i++)
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

/* First pass of --now latest: the newest time of any event. */
typedef struct newest {
    mc_value *row;
    int64_t ms;
} newest;

static void see_time(void *ud)
{
    newest *nw = ud;
    if (nw->row[0].type == MC_TS && nw->row[0].u.i > nw->ms)
        nw->ms = nw->row[0].u.i;
}

static int64_t find_newest(const plan *p, const inputs *in, const run_opts *o)
{
    run_opts quiet = *o;
    diag silent;
    diag_init(&silent, NULL, 0);
    quiet.diag = &silent;  /* the second pass reports bad records once */
    quiet.log = NULL;
    mc_value row[1];
    arena scratch;
    arena_init(&scratch);
    exec_stats st;
    exec_stats_init(&st);
    newest nw = {row, INT64_MIN};
    feed fd = {&quiet, &p->fields[p->time_slot], 1, row, &scratch, see_time, &nw, &st, 0, 0, NULL};
    feed_all(&fd, in);
    arena_free(&scratch);
    return nw.ms;
}

static void on_event(void *ud)
{
    exec_event(ud);
}

int run_plan(const plan *p, const char *const *paths, int npaths, const run_opts *o,
             mc_result **out, run_info *info)
{
    inputs in;
    inputs_open(&in, paths, npaths, o);
    info->now_ms = o->now_ms;
    if (o->now_latest && p->time_slot >= 0) {
        info->now_ms = find_newest(p, &in, o);
        if (info->now_ms == INT64_MIN)
            info->now_ms = o->now_ms;
    }
    exec_worker w;
    exec_worker_init(&w, p, info->now_ms);
    feed fd = {o, p->fields, p->nfields, w.row, &w.scratch, on_event, &w, &w.st, 0, 0,
               &w.ctx.family};
    int rc = feed_all(&fd, &in);
    if (o->progress)
        o->progress(o->progress_ud, fd.total, fd.total);
    info->groups = w.agg ? agg_groups(w.agg) : 0;
    *out = exec_finish(&w);
    info->st = w.st;
    exec_worker_free(&w);
    inputs_close(&in);
    return rc;
}
