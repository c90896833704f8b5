/* source: preparing a run's inputs (see source.h). */
#include "driver/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input/paths.h"

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
static void add_path(source_list *l, const char *path, int *held, const logger *log)
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
}

void sources_open(source_list *l, const run_input *in, int nin, const logger *log)
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
                add_path(l, paths.path[k], &held, log);
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
        note(log, s->shown, "changed since it was first read; read again as it is now");
    s->id = sb;
}

int source_again(const source *s)
{
    return !s->pull;
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
        return reader_open_stream(s->shown, NULL, 0, s->pull, s->ud, err, errlen);
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
