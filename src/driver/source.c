/* source: preparing a run's inputs (see source.h). */
#include "driver/source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/paths.h"

enum { PROBE_BYTES = 1 << 20 };

static long read_fd(void *ud, void *buf, size_t n)
{
    int fd = *(const int *)ud;
    for (;;) {
        ssize_t got = read(fd, buf, n);
        if (got >= 0 || errno != EINTR)
            return got;
    }
}

static const int stdin_fd = 0;

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *d = xmalloc(n + 1);
    memcpy(d, s, n + 1);
    return d;
}

static void note(const logger *log, const char *shown, const char *what)
{
    log_line(log, "mailc2: %s: %s", shown, what);
}

/* Copies the stream (kept bytes, then the rest) to a temporary file. */
static int spool(source *s, const logger *log)
{
    const char *dir = getenv("TMPDIR");
    char *path = xmalloc(strlen(dir ? dir : "/tmp") + 32);
    sprintf(path, "%s/mailc2-stream-XXXXXX", dir ? dir : "/tmp");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    int ok = f && fwrite(s->kept, 1, s->nkept, f) == s->nkept;
    char buf[1 << 16];
    long got = 0;
    while (ok && (got = s->pull(s->ud, buf, sizeof buf)) > 0)
        ok = fwrite(buf, 1, (size_t)got, f) == (size_t)got;
    ok = ok && got == 0;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok) {
        note(log, s->shown, "cannot copy it to a temporary file for the first pass");
        if (fd >= 0)
            unlink(path);
        free(path);
        return -1;
    }
    s->path = path;
    s->spooled = 1;
    return 0;
}

/* Reads a stream's first bytes, probes them, and spools the stream when its
 * format needs the first pass. */
static void prepare_stream(source *s, const input_settings *st,
                           int (*needs)(void *, const decoder *), void *ud, const logger *log)
{
    s->kept = xmalloc(PROBE_BYTES);
    long got = 1;
    while (s->nkept < PROBE_BYTES && got > 0)
        if ((got = s->pull(s->ud, s->kept + s->nkept, PROBE_BYTES - s->nkept)) > 0)
            s->nkept += (size_t)got;
    if (got < 0) {
        note(log, s->shown, "read error");
        s->failed = 1;
        return;
    }
    char err[300];
    reader *r = reader_open_memory(s->shown, s->kept, s->nkept, err, sizeof err);
    probe_lines kept;
    const decoder *dec = r ? source_probe(r, st, &kept) : NULL;
    if (r)
        probe_lines_free(&kept);
    reader_close(r);
    if (dec && needs(ud, dec) && spool(s, log))
        s->failed = 1;
    s->once = !s->path;
}

static source *add(source_list *l)
{
    l->s = xrealloc(l->s, (size_t)(l->n + 1) * sizeof *l->s);
    source *s = &l->s[l->n++];
    memset(s, 0, sizeof *s);
    return s;
}

void sources_open(source_list *l, const run_input *in, int nin, const input_settings *st,
                  int (*needs_first_pass)(void *ud, const decoder *dec), void *ud,
                  const logger *log)
{
    l->s = NULL;
    l->n = 0;
    path_list paths = {0}; /* one list, so a file named twice is read once */
    for (int i = 0; i < nin; i++) {
        if (in[i].kind == RUN_IN_PATH) {
            int from = paths.n;
            paths_add(&paths, in[i].name);
            for (int k = from; k < paths.n; k++) {
                source *s = add(l);
                int is_stdin = strcmp(paths.path[k], "-") == 0;
                s->shown = dup_str(is_stdin ? "<stdin>" : paths.path[k]);
                if (is_stdin) {
                    s->pull = read_fd;
                    s->ud = (void *)&stdin_fd;
                    prepare_stream(s, st, needs_first_pass, ud, log);
                } else {
                    s->path = dup_str(paths.path[k]);
                }
            }
            continue;
        }
        source *s = add(l);
        s->shown = dup_str(in[i].name ? in[i].name : "<memory>");
        if (in[i].kind == RUN_IN_MEMORY) {
            s->mem = in[i].data;
            s->mem_len = in[i].len;
        } else {
            s->pull = in[i].read;
            s->ud = in[i].ud;
            prepare_stream(s, st, needs_first_pass, ud, log);
        }
    }
    for (int i = 0; i < paths.nnotes; i++)
        log_line(log, "mailc2: %s", paths.note[i]);
    paths_free(&paths);
}

void sources_close(source_list *l)
{
    for (int i = 0; i < l->n; i++) {
        source *s = &l->s[i];
        if (s->spooled)
            unlink(s->path);
        free(s->path);
        free(s->shown);
        free(s->kept);
    }
    free(l->s);
    l->n = 0;
}

reader *source_reader(const source *s, char *err, size_t errlen)
{
    if (s->path)
        return reader_open(s->path, err, errlen);
    if (s->pull)
        return reader_open_stream(s->shown, s->kept, s->nkept, s->pull, s->ud, err, errlen);
    return reader_open_memory(s->shown, s->mem, s->mem_len, err, errlen);
}

const decoder *source_probe(reader *r, const input_settings *st, probe_lines *kept)
{
    const char *line;
    size_t len;
    const unsigned char *head;
    kept->n = 0;
    const decoder *dec = reader_head(r, &head, &len) == 0 ? decoder_detect_head(head, len) : NULL;
    if (dec)
        return dec; /* a binary format: no lines to keep */
    while (!dec && kept->n < PROBE_LINES && reader_next_line(r, &line, &len) == 1) {
        probe_lines_add(kept, line, len, reader_lineno(r));
        if (strspn(line, " \t\r") < len)
            dec = decoder_detect(line, len, st);
    }
    return dec;
}

void probe_lines_add(probe_lines *kept, const char *line, size_t len, uint64_t lineno)
{
    int k = kept->n++;
    kept->line[k] = xmalloc(len + 1);
    memcpy(kept->line[k], line, len);
    kept->line[k][len] = '\0';
    kept->len[k] = len;
    kept->lineno[k] = lineno;
}

void probe_lines_free(probe_lines *kept)
{
    for (int i = 0; i < kept->n; i++)
        free(kept->line[i]);
    kept->n = 0;
}
