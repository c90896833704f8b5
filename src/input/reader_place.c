/* reader_place: a plain file's blocks read at their place (reader.h
 * reader_place_block): each block is read with pread straight into its
 * caller's buffer, and its lines are not counted, so that a worker takes a
 * block without the reader's buffer, a copy between buffers or a pass of
 * the reader's own to count its lines (its caller counts them in the pass
 * it makes anyway).
 *
 * Why pread, not mmap: the file was mapped here before (sessions 12-18),
 * as on an earlier machine mapping beat copying. On the paravirtualised
 * machines the benchmarks run on now, page-table changes are the
 * hypervisor's work, and their cost swings with the host's load: two
 * threads counting the newlines of the 1 GB day took 0.15-0.17 s mapped
 * (MADV_POPULATE_READ a MiB at a time) against 0.06 s with pread into a
 * reused 1 MiB buffer, which the scan then reads from the cache, and
 * 0.035 s either way minutes later (BENCHMARKS.md, session 19). A buffer
 * also bounds the resident set with no pages to give back, and a file cut
 * under the read is a short read, not a SIGBUS to catch. */
#include "input/reader_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/lines.h"

/* Whether r's next blocks can be read at their place: a plain regular file
 * not read to its end yet (a small one is, while its format is probed) nor
 * past the size it had when opened, no record limit below a block (only a
 * block of one line can then hold a longer line), no error. The bytes read
 * into the reader's buffer but not handed out yet are read again, and
 * counted once. */
static int can_place(reader *r, size_t target)
{
    if (r->placing)
        return !r->place_over && !r->done;
    if (r->codec != READER_PLAIN || r->fd < 0 || r->eof || r->done || r->cut ||
        r->prefix_len || r->base + r->start >= r->size_at_open ||
        (r->max_record && r->max_record < target))
        return 0;
    r->placing = 1;
    r->base += r->start;
    r->place_counted = r->base;
    r->bytes_in = r->base;
    r->start = r->end = r->scan = r->open_at = r->open_seen = 0;
    return 1;
}

/* Reads up to n bytes at decoded offset `at` into p: how many (fewer only
 * where the file now ends: it shrank), or -1 on a read error (r's
 * message). */
static ssize_t read_at(reader *r, char *p, size_t n, uint64_t at)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = pread(r->fd, p + got, n - got, (off_t)(r->fd_start + at + got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            r->done = 1;
            return reader_fail(r, "read error: %s", strerror(errno));
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    return (ssize_t)got;
}

/* The lines of the bytes [from, to) handed out, which end a block: read
 * again to be counted (only where no caller said how many they hold). */
static uint64_t place_lines(const reader *r, uint64_t from, uint64_t to)
{
    enum { CHUNK = 1 << 16 };
    char *buf = from < to ? xmalloc(CHUNK) : NULL;
    uint64_t n = 0;
    while (from < to) {
        size_t want = to - from < CHUNK ? (size_t)(to - from) : CHUNK;
        ssize_t k = pread(r->fd, buf, want, (off_t)(r->fd_start + from));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break; /* cut since: its lines were never handed out whole */
        n += count_newlines(buf, (size_t)k);
        from += (uint64_t)k;
        if (from == to && buf[k - 1] != '\n')
            n++; /* the file's last line, without its newline */
    }
    free(buf);
    return n;
}

/* The bytes the file had when opened are all handed out: what it gained
 * since is read from where they end. */
static void place_over(reader *r)
{
    r->lineno += reader_place_uncounted(r);
    r->place_counted = r->base;
    r->place_over = 1;
    r->fd_read = r->size_at_open;
    if (lseek(r->fd, (off_t)(r->fd_start + r->size_at_open), SEEK_SET) < 0)
        r->eof = 1;
}

uint64_t reader_place_uncounted(const reader *r)
{
    return r->placing && !r->place_over ? place_lines(r, r->place_counted, r->base) : 0;
}

void reader_lines_known(reader *r, uint64_t end, uint64_t lineno)
{
    if (r->placing && !r->place_over && end > r->place_counted && end <= r->base) {
        r->place_counted = end;
        r->lineno = lineno;
    }
}

/* *buf holds at least n bytes: in huge pages, which took a LogScale run
 * from 0.12 to 0.11 s (the kernel's copy and the search each walk 256
 * fewer pages a block; BENCHMARKS.md, session 19). */
static void room(char **buf, size_t *cap, size_t n)
{
    if (*cap >= n)
        return;
    free(*buf);
    *buf = xmalloc_pages(n, cap);
}

/* Where the block read into p[0, have) ends: at its last newline, or,
 * when p[0, got) held none (a line longer than a block), at the first
 * newline after them, so that the block is that line alone; else NULL.
 * `all`: p[0, have) is the rest of the file, a last line without its
 * newline included. */
static const char *block_end(const char *p, size_t got, size_t have, int all)
{
    const char *nl = got ? memchr(p + got, '\n', have - got) : reader_last_newline(p, have);
    return all && have && (got == 0 || !nl) ? p + have - 1 : nl;
}

int reader_place_block(reader *r, size_t target, char **buf, size_t *cap, size_t *len)
{
    if (!can_place(r, target))
        return -2;
    uint64_t off = r->base, left = r->size_at_open - off;
    if (left == 0) {
        place_over(r);
        return -2;
    }
    /* Whole lines: read on, twice as far each time, while the bytes hold no
     * newline (one line longer than the block). */
    size_t want = left < target ? (size_t)left : target, got = 0;
    const char *nl;
    for (;;) {
        if (got == 0)
            room(buf, cap, want + 1);
        else if (*cap < want + 1)
            *buf = xrealloc(*buf, *cap = want + 1); /* a line longer than a block */
        ssize_t k = read_at(r, *buf + got, want - got, off + got);
        if (k < 0)
            return -1;
        size_t have = got + (size_t)k;
        nl = block_end(*buf, got, have, have == left);
        if (have < want) { /* the file shrank: its whole lines read are kept */
            if (nl)
                break; /* the next read finds the end and says so */
            r->done = 1;
            return reader_fail(r, "shrank while being read (%llu bytes when opened, %llu "
                                  "read); the records before are kept",
                               (unsigned long long)r->size_at_open,
                               (unsigned long long)(off + have));
        }
        if (nl || (r->max_record && want > r->max_record))
            break;
        got = want;
        want = left - want < want ? (size_t)left : 2 * want;
    }
    size_t n = nl ? (size_t)(nl - *buf) + 1 : want;
    if (r->max_record && (!nl || n - (*nl == '\n') > r->max_record)) {
        r->done = r->cut = 1;
        reader_too_long(r, r->lineno + reader_place_uncounted(r) + 1);
        return 0;
    }
    (*buf)[n] = '\0'; /* read, not decoded: the byte after a last line without its newline */
    *len = n;
    r->base += n;
    r->bytes_in += n;
    return 1;
}
