/* held: candidate lines kept for a one-pass run (see held.h). Lines are
 * packed into chunks of about CHUNK_BYTES, so that a held line costs its
 * bytes plus twenty, not an allocation; a line held by place costs twenty. */
#define _GNU_SOURCE /* O_TMPFILE, mkostemp */
#include "driver/held.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/arena.h"

enum { CHUNK_BYTES = 256 << 10, CHUNK_LINES = 1024 };

void held_init(held *h, held_budget *b)
{
    h->budget = b;
    h->head = h->tail = NULL;
    h->spill_fd = -1;
    h->spill_end = 0;
    h->spill_failed = 0;
}

static size_t chunk_bytes(const held_chunk *c)
{
    return sizeof *c + c->cap + c->ncap * (sizeof *c->lineno + sizeof *c->start + sizeof *c->len);
}

/* Takes n bytes from the budget, or returns -1. */
static int take(held_budget *b, size_t n)
{
    size_t was = atomic_fetch_add(&b->used, n);
    if (b->limit && was + n > b->limit) {
        atomic_fetch_sub(&b->used, n);
        return -1;
    }
    return 0;
}

const char *held_spill_dir(const held_budget *b)
{
    return b->dir && *b->dir ? b->dir : "/tmp";
}

/* A new file with no name in dir, for this process alone: O_TMPFILE where
 * the file system has it, else a name unlinked at once. -1 with errno. */
static int spill_open(const char *dir)
{
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
#endif
    size_t n = strlen(dir) + sizeof "/mailc2-held-XXXXXX";
    char *path = xmalloc(n);
    snprintf(path, n, "%s/mailc2-held-XXXXXX", dir);
    int made = mkostemp(path, O_CLOEXEC);
    if (made >= 0)
        unlink(path);
    free(path);
    return made;
}

static int write_at(int fd, const char *p, size_t n, uint64_t at)
{
    while (n) {
        ssize_t k = pwrite(fd, p, n, (off_t)at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k == 0)
            errno = ENOSPC;
        if (k <= 0)
            return -1;
        p += k, n -= (size_t)k, at += (uint64_t)k;
    }
    return 0;
}

/* Copies an array of n elements of `size` bytes into one of that length:
 * the chunk's lines are final, and its room for more would cost memory
 * as long as the chunk. */
static void *fit(void *a, size_t n, size_t size)
{
    void *b = xmalloc(n * size);
    memcpy(b, a, n * size);
    free(a);
    return b;
}

/* The store spills no more (its chunks spilled so far stay readable), and
 * the run's budget keeps the first reason given, for the run to tell. */
static void spill_failed(held *h)
{
    int none = 0;
    atomic_compare_exchange_strong(&h->budget->spill_errno, &none, errno);
    h->spill_failed = 1;
}

/* Writes the lines of a chunk of copies to the spill file and makes it a
 * chunk of places there, giving its text back to the budget; a spill that
 * fails leaves the chunk as it was and the store's copies in memory. */
static void spill(held *h, held_chunk *c)
{
    if (h->spill_fd < 0 && (h->spill_fd = spill_open(held_spill_dir(h->budget))) < 0) {
        spill_failed(h);
        return;
    }
    for (size_t i = 0; i < c->n; i++)
        c->text[c->start[i] + c->len[i]] = '\n'; /* what held_line checks after a line */
    if (write_at(h->spill_fd, c->text, c->used, h->spill_end)) {
        spill_failed(h);
        for (size_t i = 0; i < c->n; i++)
            c->text[c->start[i] + c->len[i]] = '\0';
        return;
    }
    for (size_t i = 0; i < c->n; i++)
        c->start[i] += h->spill_end;
    h->spill_end += c->used;
    size_t was = chunk_bytes(c);
    free(c->text);
    c->text = NULL;
    c->cap = c->used = 0;
    c->fd = h->spill_fd;
    c->lineno = fit(c->lineno, c->n, sizeof *c->lineno);
    c->start = fit(c->start, c->n, sizeof *c->start);
    c->len = fit(c->len, c->n, sizeof *c->len);
    c->ncap = c->n;
    atomic_fetch_sub(&h->budget->used, was - chunk_bytes(c));
}

/* A new chunk at the tail: of copies (fd < 0; room for a line of len
 * bytes) or of places in fd. The tail it follows is done: a full chunk of
 * copies is spilled when the run holds more than the budget's `spill`. */
static held_chunk *chunk_new(held *h, const void *tag, int fd, size_t len)
{
    held_chunk *t = h->tail;
    if (t && t->text && !h->spill_failed && h->budget->spill &&
        atomic_load(&h->budget->used) > h->budget->spill)
        spill(h, t);
    held_chunk *c = xcalloc(1, sizeof *c);
    c->tag = tag;
    c->fd = fd;
    c->cap = fd >= 0 ? 0 : len + 1 > CHUNK_BYTES ? len + 1 : CHUNK_BYTES;
    c->ncap = CHUNK_LINES;
    if (take(h->budget, chunk_bytes(c))) {
        free(c);
        return NULL;
    }
    c->text = c->cap ? xmalloc(c->cap) : NULL;
    c->lineno = xmalloc(c->ncap * sizeof *c->lineno);
    c->start = xmalloc(c->ncap * sizeof *c->start);
    c->len = xmalloc(c->ncap * sizeof *c->len);
    if (h->tail)
        h->tail->next = c;
    else
        h->head = c;
    h->tail = c;
    return c;
}

/* The tail chunk if it takes one more line of this kind, else a new one. */
static held_chunk *chunk_for(held *h, const void *tag, int fd, size_t len)
{
    held_chunk *c = h->tail;
    if (c && c->tag == tag && c->fd == fd && c->n < c->ncap &&
        (fd >= 0 || c->cap - c->used >= len + 1))
        return c;
    return chunk_new(h, tag, fd, len);
}

int held_add(held *h, const void *tag, uint64_t lineno, const char *line, size_t len)
{
    held_chunk *c = len <= UINT32_MAX ? chunk_for(h, tag, -1, len) : NULL;
    if (!c)
        return -1;
    memcpy(c->text + c->used, line, len);
    c->text[c->used + len] = '\0';
    c->lineno[c->n] = lineno;
    c->start[c->n] = c->used;
    c->len[c->n++] = (uint32_t)len;
    c->used += len + 1;
    return 0;
}

int held_add_at(held *h, const void *tag, int fd, uint64_t lineno, uint64_t at, size_t len)
{
    held_chunk *c = len <= UINT32_MAX ? chunk_for(h, tag, fd, len) : NULL;
    if (!c)
        return -1;
    c->lineno[c->n] = lineno;
    c->start[c->n] = at;
    c->len[c->n++] = (uint32_t)len;
    return 0;
}

held_chunk *held_take(held *h)
{
    held_chunk *c = h->head;
    h->head = h->tail = NULL;
    return c;
}

void held_chunk_free(held_budget *b, held_chunk *c)
{
    atomic_fetch_sub(&b->used, chunk_bytes(c));
    free(c->text);
    free(c->lineno);
    free(c->start);
    free(c->len);
    free(c);
}

void held_drop(held *h, const void *tag)
{
    held_chunk **link = &h->head;
    h->tail = NULL;
    while (*link) {
        held_chunk *c = *link;
        if (c->tag == tag) {
            *link = c->next;
            held_chunk_free(h->budget, c);
        } else {
            h->tail = c;
            link = &c->next;
        }
    }
}

void held_free(held *h)
{
    for (held_chunk *c = h->head, *next; c; c = next) {
        next = c->next;
        held_chunk_free(h->budget, c);
    }
    h->head = h->tail = NULL;
    if (h->spill_fd >= 0)
        close(h->spill_fd);
    h->spill_fd = -1;
    h->spill_end = 0;
    h->spill_failed = 0;
}

/* A run of lines read with one pread: up to READ_BYTES (or one line), and
 * no gap between two lines wider than READ_GAP, past which reading the gap
 * costs more than a second call. A call costs here about what copying
 * 64 KiB does: the 1 GB day's hunt read its 128,000 candidates back in
 * 31,700 calls with gaps of 8 KiB, and ran 5% faster with 64 KiB (wider
 * gaps and longer reads, no faster: BENCHMARKS.md, session 19). */
enum { READ_BYTES = 1 << 20, READ_GAP = 64 << 10 };

static uint64_t line_end(const held_chunk *c, size_t i)
{
    return c->start[i] + c->len[i];
}

/* Reads lines [i, to) of c with their terminators (the byte after each). */
static int read_run(held_reader *r, const held_chunk *c, size_t i, char *err, size_t errlen)
{
    size_t to = i + 1;
    while (to < c->n && line_end(c, to) + 1 - c->start[i] <= READ_BYTES &&
           c->start[to] - line_end(c, to - 1) <= READ_GAP)
        to++;
    size_t want = (size_t)(line_end(c, to - 1) + 1 - c->start[i]);
    if (r->cap < want + 1) {
        free(r->buf);
        r->cap = want + 1 > READ_BYTES + 1 ? want + 1 : READ_BYTES + 1;
        r->buf = xmalloc(r->cap);
    }
    size_t got = 0;
    while (got < want) {
        ssize_t k = pread(c->fd, r->buf + got, want - got, (off_t)(c->start[i] + got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            snprintf(err, errlen, "reading it again: %s", strerror(errno));
            return -1;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    r->c = c;
    r->from = i;
    r->to = to;
    r->base = c->start[i];
    r->got = got;
    return 0;
}

char *held_line(held_reader *r, const held_chunk *c, size_t i, size_t *len, char *err,
                size_t errlen)
{
    *len = c->len[i];
    if (c->fd < 0)
        return c->text + c->start[i];
    if ((r->c != c || i < r->from || i >= r->to) && read_run(r, c, i, err, errlen))
        return NULL;
    /* The byte after the line was its newline (or "\r\n"), or the end of
     * the file; anything else is a file that changed since it was read. */
    uint64_t at = c->start[i] - r->base, end = at + c->len[i];
    char after = end < r->got ? r->buf[end] : '\n';
    if (end > r->got || (after != '\n' && after != '\r')) {
        snprintf(err, errlen, "the file changed after its first read: this line is no longer "
                 "where it was, and was left out");
        return NULL;
    }
    r->buf[end] = '\0';
    return r->buf + at;
}

void held_reader_free(held_reader *r)
{
    free(r->buf);
    memset(r, 0, sizeof *r);
}
