/* reader_map: a plain file's blocks read in place (reader.h
 * reader_map_block), its pages mapped by input/filemap.c rather than read
 * into the reader's buffer; filemap.h says why. */
#include "input/reader_int.h"

#include <string.h>
#include <unistd.h>

#include "util/lines.h"

/* Whether r's next blocks can be read in place: a plain regular file not
 * read to its end yet (a small one is, while its format is probed) nor
 * past the size it had when opened, no record limit below a block (only a
 * block of one line can then hold a longer line), no error. The bytes read
 * but not handed out yet are read again from the map, and counted once. */
static int can_map(reader *r, size_t target)
{
    if (r->map)
        return !r->map_over && !r->done;
    if (r->codec != READER_PLAIN || r->fd < 0 || r->eof || r->done || r->cut ||
        r->prefix_len || r->base + r->start >= r->size_at_open ||
        (r->max_record && r->max_record < target))
        return 0;
    r->map = filemap_open(r->fd, r->fd_start, r->size_at_open);
    if (!r->map)
        return 0;
    r->base += r->start;
    r->map_counted = r->base;
    r->bytes_in = r->base;
    r->start = r->end = r->scan = r->open_at = r->open_seen = 0;
    return 1;
}

/* The mapped bytes are all handed out: what the file gained since it was
 * opened is read from where they end. */
static void map_over(reader *r)
{
    r->lineno += reader_map_uncounted(r);
    r->map_counted = r->base;
    r->map_over = 1;
    r->fd_read = r->size_at_open;
    if (lseek(r->fd, (off_t)(r->fd_start + r->size_at_open), SEEK_SET) < 0)
        r->eof = 1;
}

/* The lines of mapped bytes [from, to), which end a block. */
static uint64_t map_lines(const reader *r, uint64_t from, uint64_t to)
{
    return from < to ? count_lines(filemap_bytes(r->map) + from, (size_t)(to - from)) : 0;
}

uint64_t reader_map_uncounted(const reader *r)
{
    return r->map && !r->map_over ? map_lines(r, r->map_counted, r->base) : 0;
}

void reader_lines_known(reader *r, uint64_t end, uint64_t lineno)
{
    if (r->map && !r->map_over && end > r->map_counted && end <= r->base) {
        r->map_counted = end;
        r->lineno = lineno;
    }
}

int reader_map_block(reader *r, size_t target, const char **block, size_t *len)
{
    if (!can_map(r, target))
        return -2;
    if (filemap_cut(r->map)) {
        r->done = 1;
        return reader_fail(r, "shrank while being read (%llu bytes when opened); the records "
                              "before are kept",
                           (unsigned long long)r->size_at_open);
    }
    uint64_t off = r->base, left = r->size_at_open - off;
    if (left == 0) {
        map_over(r);
        return -2;
    }
    const char *p = filemap_bytes(r->map) + off;
    size_t n = left < target ? (size_t)left : target;
    const char *nl = n < left ? reader_last_newline(p, n) : p + n - 1;
    if (!nl && !(nl = memchr(p + n, '\n', (size_t)(left - n))))
        nl = p + left - 1; /* one line, the file's last */
    n = (size_t)(nl - p) + 1;
    if (r->max_record && n - (*nl == '\n') > r->max_record) {
        r->done = r->cut = 1;
        reader_too_long(r, r->lineno + reader_map_uncounted(r) + 1);
        return 0;
    }
    filemap_ahead(p, n);
    *block = p;
    *len = n;
    r->base += n;
    r->bytes_in += n;
    return 1;
}

void reader_release_before(reader *r, uint64_t end)
{
    if (r->map)
        filemap_release_before(r->map, end);
}
