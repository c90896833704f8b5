/* source: preparing a run's inputs (see source.h). */
#include "driver/source.h"

#include <errno.h>
#include <fcntl.h>
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

/* Reads the rest of a stream into memory so that both passes can read it. */
static void hold_stream(source *s, size_t max_memory, const logger *log)
{
    size_t cap = s->nkept;
    long got = 1;
    while (got > 0) {
        if (s->nkept == cap) {
            if (max_memory && cap >= max_memory) {
                char msg[400];
                snprintf(msg, sizeof msg, "its format needs the first pass (Falcon joins or "
                         "--now latest), which reads it twice, and it is larger than "
                         "--max-memory (%zu bytes); not read: give it as a file, raise "
                         "--max-memory, or use --now TIME with --no-enrich", max_memory);
                note(log, s->shown, msg);
                s->failed = 1;
                return;
            }
            cap = cap * 2 > cap + PROBE_BYTES ? cap * 2 : cap + PROBE_BYTES;
            if (max_memory && cap > max_memory)
                cap = max_memory > s->nkept ? max_memory : s->nkept + 1;
            s->kept = xrealloc(s->kept, cap);
        }
        got = s->pull(s->ud, s->kept + s->nkept, cap - s->nkept);
        if (got > 0)
            s->nkept += (size_t)got;
    }
    if (got < 0) {
        note(log, s->shown, "read error");
        s->failed = 1;
        return;
    }
    s->mem = s->kept;
    s->mem_len = s->nkept;
    s->pull = NULL;
}

/* Reads a stream's first bytes, probes them, and holds the stream in
 * memory when its format needs the first pass. */
static void prepare_stream(source *s, const input_settings *st,
                           int (*needs)(void *, const decoder *), void *ud, size_t max_memory,
                           const logger *log)
{
    s->kept = xmalloc(PROBE_BYTES);
    long got = 1;
    while (s->nkept < PROBE_BYTES && got > 0)
        if ((got = s->pull(s->ud, s->kept + s->nkept, PROBE_BYTES - s->nkept)) > 0)
            s->nkept += (size_t)got;
    if (got < 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "cannot read: %s", strerror(errno));
        note(log, s->shown, msg);
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
    if (dec && needs(ud, dec))
        hold_stream(s, max_memory, log);
    s->once = !s->mem;
}

static source *add(source_list *l)
{
    l->s = xrealloc(l->s, (size_t)(l->n + 1) * sizeof *l->s);
    source *s = &l->s[l->n++];
    memset(s, 0, sizeof *s);
    s->fd = -1;
    return s;
}

/* A stream read through a descriptor: stdin, or a path that is not a
 * regular file (a FIFO, `<(cmd)`, a device), opened once. */
static void open_fd_stream(source *s, int fd)
{
    s->pull_fd = xmalloc(sizeof *s->pull_fd);
    *s->pull_fd = fd;
    s->pull = read_fd;
    s->ud = s->pull_fd;
}

/* One expanded path: held open (a regular file), a stream, or left to fail
 * with the user's spelling when it is opened. */
static void add_path(source_list *l, const char *path, int *held, const input_settings *st,
                     int (*needs)(void *, const decoder *), void *ud, size_t max_memory,
                     const logger *log)
{
    source *s = add(l);
    if (strcmp(path, "-") == 0) {
        s->shown = dup_str("<stdin>");
        if (fcntl(0, F_GETFL) < 0) {
            note(log, s->shown, "cannot read: standard input is closed");
            s->failed = 1;
            return;
        }
        open_fd_stream(s, 0);
        prepare_stream(s, st, needs, ud, max_memory, log);
        return;
    }
    s->shown = dup_str(path);
    s->path = dup_str(path);
    struct stat sb;
    if (stat(path, &sb) != 0 || S_ISDIR(sb.st_mode) || (S_ISREG(sb.st_mode) && *held >= HELD_FILES))
        return; /* opened (and any error said) when read */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    if (S_ISREG(sb.st_mode)) {
        s->fd = fd;
        (*held)++;
        return;
    }
    free(s->path);
    s->path = NULL; /* read through the descriptor only: opening it again would wait */
    open_fd_stream(s, fd);
    prepare_stream(s, st, needs, ud, max_memory, log);
}

void sources_open(source_list *l, const run_input *in, int nin, const input_settings *st,
                  int (*needs_first_pass)(void *ud, const decoder *dec), void *ud,
                  size_t max_memory, const logger *log)
{
    l->s = NULL;
    l->n = 0;
    int held = 0;
    path_list paths = {0}; /* one list, so a file named twice is read once */
    for (int i = 0; i < nin; i++) {
        if (in[i].kind == RUN_IN_PATH) {
            int from = paths.n;
            paths_add(&paths, in[i].name);
            for (int k = from; k < paths.n; k++)
                add_path(l, paths.path[k], &held, st, needs_first_pass, ud, max_memory, log);
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
            prepare_stream(s, st, needs_first_pass, ud, max_memory, log);
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
        if (s->fd >= 0)
            close(s->fd);
        if (s->pull_fd && *s->pull_fd > 0)
            close(*s->pull_fd);
        free(s->pull_fd);
        free(s->path);
        free(s->shown);
        free(s->kept);
    }
    free(l->s);
    l->n = 0;
}

/* A file reopened by path: says when it is not the file the last pass read. */
static void check_same(source *s, const logger *log)
{
    struct stat sb;
    if (stat(s->path, &sb) != 0)
        return; /* opening it says why */
    if (s->id.st_ino && (sb.st_dev != s->id.st_dev || sb.st_ino != s->id.st_ino ||
                         sb.st_size != s->id.st_size || sb.st_mtime != s->id.st_mtime))
        note(log, s->shown, "changed since the first pass; the main pass reads it as it is now");
    s->id = sb;
}

reader *source_reader(source *s, const logger *log, char *err, size_t errlen)
{
    if (s->fd >= 0) {
        int fd = dup(s->fd);
        if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0) {
            snprintf(err, errlen, "%s: cannot read it again: %s", s->shown, strerror(errno));
            if (fd >= 0)
                close(fd);
            return NULL;
        }
        return reader_open_fd(s->shown, fd, 1, err, errlen);
    }
    if (s->path) {
        check_same(s, log);
        return reader_open(s->path, err, errlen);
    }
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
