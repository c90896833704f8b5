/* reader.c: the line reader behind reader.h -- a file or stdin, plain, gzip
 * or zstd (told apart by magic bytes), decompressed as a stream into one
 * growing buffer and cut into lines with memchr (a plain file's blocks may
 * be read at their place instead: reader_place.c; the struct is reader_int.h's).
 *
 * Buffers: `in` holds compressed input (gzip/zstd only; plain data is read
 * straight into `buf`). `buf[start, end)` is decoded data not yet returned;
 * `scan` is how far a newline has already been searched for, so a long line
 * is not searched again on every refill. A line longer than the buffer makes
 * it grow (doubling), up to the record limit (reader_set_max_record): the
 * input ends before a line past it, with a message naming that line, so that a
 * file without newlines (or /dev/zero) cannot take all memory. One byte is always kept free past `end`, so each
 * returned line is followed by a '\0' (not promised by reader.h, but free).
 *
 * gzip is inflated with ISA-L (igzip), which decodes deflate two to three
 * times as fast as zlib on this kind of text; inflating was most of the
 * time of a gzip run (BENCHMARKS.md). Its gzip mode parses each member's
 * header and checks its CRC-32 and length. */
#include "input/reader_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include "util/arena.h"
#include "util/lines.h"

#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define IN_CAP  (1u << 20) /* compressed read size */
#define BUF_CAP (1u << 20) /* initial decoded buffer */
#define FIRST_READ (1u << 16) /* in reader_open, for the magic; < BUF_CAP */
#else
/* Fuzz builds (tests/fuzz/) open a reader per input many thousand times a
 * second: small buffers keep the sanitizer's cost of mapping 1 MiB ones
 * out of the way, and make buffer growth and refills happen on small
 * inputs, where a fuzzer reaches them. */
#define IN_CAP  (1u << 12)
#define BUF_CAP (1u << 13)
#define FIRST_READ (1u << 12)
#endif


int reader_fail(reader *r, const char *fmt, ...)
{
    int n = snprintf(r->err, sizeof r->err, "%s: ", r->shown);
    if (n < 0 || (size_t)n >= sizeof r->err) n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err + n, sizeof r->err - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static ssize_t read_some(reader *r, void *dst, size_t n)
{
    if (r->prefix_pos < r->prefix_len) {
        size_t k = r->prefix_len - r->prefix_pos < n ? r->prefix_len - r->prefix_pos : n;
        memcpy(dst, r->prefix + r->prefix_pos, k);
        r->prefix_pos += k;
        return (ssize_t)k;
    }
    if (r->mem) {
        size_t k = r->mem_len - r->mem_pos < n ? r->mem_len - r->mem_pos : n;
        memcpy(dst, r->mem + r->mem_pos, k);
        r->mem_pos += k;
        return (ssize_t)k;
    }
    if (r->pull) {
        long got = r->pull(r->pull_ud, dst, n);
        return got >= 0 && (size_t)got <= n ? (ssize_t)got : reader_fail(r, "read error (callback)");
    }
    for (;;) {
        ssize_t got = read(r->fd, dst, n);
        if (got == 0 && r->fd_read < r->size_at_open)
            return reader_fail(r, "shrank while being read (%llu bytes when opened, %llu read); "
                                  "the records before are kept",
                               (unsigned long long)r->size_at_open,
                               (unsigned long long)r->fd_read);
        if (got >= 0) {
            r->fd_read += (uint64_t)got;
            return got;
        }
        if (errno == EINTR) continue;
        if (errno == EISDIR) return reader_fail(r, "is a directory");
        return reader_fail(r, "read error: %s", strerror(errno));
    }
}

/* Refills `in` once it is used up. */
static int read_in(reader *r)
{
    if (r->in_pos < r->in_len || r->in_eof) return 0;
    r->in_pos = r->in_len = 0;
    ssize_t got = read_some(r, r->in, r->in_cap);
    if (got < 0) return -1;
    if (got == 0) r->in_eof = 1;
    r->in_len = (size_t)got;
    return 0;
}

void reader_too_long(reader *r, uint64_t lineno)
{
    reader_fail(r, "line %llu: a record longer than the limit of %zu bytes (--max-record); "
                   "the rest of this input is not read",
                (unsigned long long)lineno, r->max_record);
}

const char *reader_last_newline(const char *p, size_t n)
{
    while (n > 0)
        if (p[--n] == '\n')
            return p + n;
    return NULL;
}

/* Ends the input before the first line past the record limit (one that
 * ended in the bytes just read, or the one still open at `end`), keeping
 * the lines before it, with a message naming it. Only bytes not searched
 * before are searched, so a long line costs one pass, not one per refill. */
static void check_record(reader *r)
{
    size_t from = r->open_seen > r->start ? r->open_seen : r->start;
    if (r->open_at < r->start)
        r->open_at = r->start;
    if (r->end - r->open_at <= r->max_record) {
        /* No line since open_at can be past the limit: only where the open
         * line now starts matters, not each newline (a memchr call per line
         * was a tenth of the reading thread). */
        const char *nl = reader_last_newline(r->buf + from, r->end - from);
        if (nl)
            r->open_at = (size_t)(nl - r->buf) + 1;
        r->open_seen = r->end;
        return;
    }
    int too_long = 0;
    for (char *nl; !too_long && from < r->end && (nl = memchr(r->buf + from, '\n', r->end - from));) {
        size_t at = (size_t)(nl - r->buf);
        too_long = at - r->open_at > r->max_record;
        if (!too_long)
            r->open_at = from = at + 1;
    }
    r->open_seen = r->end;
    if (!too_long && r->end - r->open_at <= r->max_record)
        return;
    reader_too_long(r, r->lineno + 1 + count_newlines(r->buf + r->start, r->open_at - r->start));
    r->end = r->open_seen = r->open_at;
    if (r->scan > r->end)
        r->scan = r->end;
    r->cut = 1;
}

/* Makes room after `end`: drops returned lines, grows for long ones. */
static int make_room(reader *r)
{
    if (r->start > 0) {
        r->base += r->start;
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->scan -= r->start;
        r->open_at = r->open_at > r->start ? r->open_at - r->start : 0;
        r->open_seen = r->open_seen > r->start ? r->open_seen - r->start : 0;
        r->start = 0;
    }
    if (r->cap - 1 - r->end < r->cap / 4) {
        size_t ncap = r->cap * 2;
        char *nb = ncap > r->cap ? realloc(r->buf, ncap) : NULL;
        if (!nb) return reader_fail(r, "out of memory (line of %zu bytes)", r->end);
        r->buf = nb;
        r->cap = ncap;
    }
    return 0;
}

static int fill_plain(reader *r)
{
    ssize_t got = read_some(r, r->buf + r->end, r->cap - 1 - r->end);
    if (got < 0) return -1;
    r->end += (size_t)got;
    r->bytes_in += (uint64_t)got;
    return got > 0;
}

/* What ISA-L's inflate error code means, in zlib's words where it has them. */
static const char *gzip_error(int ret)
{
    switch (ret) {
    case ISAL_INVALID_BLOCK: return "invalid block type or lengths";
    case ISAL_INVALID_SYMBOL: return "invalid code";
    case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
    case ISAL_INVALID_WRAPPER: return "incorrect header check";
    case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
    case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
    default: return "invalid data";
    }
}

static int fill_gzip(reader *r)
{
    for (;;) {
        if (read_in(r) < 0) return -1;
        int drained = r->in_pos == r->in_len; /* and in_eof */
        if (drained && r->z_member_done) return 0;
        /* Out of input inside a member: the inflater may still hold output it had
         * no room for, so it is asked once more before the cut is said. */
        if (r->z_member_done) {
            /* Zero padding after a member is skipped, as gzip(1) does. */
            while (r->in_pos < r->in_len && r->in[r->in_pos] == 0) {
                r->in_pos++;
                r->bytes_in++;
            }
            if (r->in_pos == r->in_len) continue;
            /* Another member follows (concatenated .gz files). */
            if (r->in[r->in_pos] != 0x1f) return reader_fail(r, "trailing garbage after gzip data");
            isal_inflate_reset(r->z);
            r->z->crc_flag = ISAL_GZIP;
            r->z_member_done = 0;
        }
        size_t avail_in = r->in_len - r->in_pos, avail_out = r->cap - 1 - r->end;
        if (avail_in > UINT32_MAX) avail_in = UINT32_MAX;
        if (avail_out > UINT32_MAX) avail_out = UINT32_MAX;
        r->z->next_in = r->in + r->in_pos;
        r->z->avail_in = (uint32_t)avail_in;
        r->z->next_out = (uint8_t *)r->buf + r->end;
        r->z->avail_out = (uint32_t)avail_out;
        int ret = isal_inflate(r->z);
        size_t used = avail_in - r->z->avail_in, made = avail_out - r->z->avail_out;
        r->in_pos += used;
        r->bytes_in += used;
        r->end += made;
        if (ret < 0)
            return reader_fail(r, "corrupt gzip data (%s)", gzip_error(ret));
        if (r->z->block_state == ISAL_BLOCK_FINISH)
            r->z_member_done = 1; /* its CRC-32 and length checked */
        if (made > 0) return 1;
        if (drained && !r->z_member_done) return reader_fail(r, "truncated gzip stream");
    }
}

static int fill_zstd(reader *r)
{
    for (;;) {
        if (read_in(r) < 0) return -1;
        if (r->in_pos == r->in_len && r->zret == 0) return 0; /* in_eof, frames complete */
        ZSTD_inBuffer ib = {r->in, r->in_len, r->in_pos};
        ZSTD_outBuffer ob = {r->buf + r->end, r->cap - 1 - r->end, 0};
        size_t ret = ZSTD_decompressStream(r->zs, &ob, &ib);
        if (ZSTD_isError(ret)) return reader_fail(r, "corrupt zstd data (%s)", ZSTD_getErrorName(ret));
        r->bytes_in += ib.pos - r->in_pos;
        r->in_pos = ib.pos;
        r->end += ob.pos;
        r->zret = ret;
        if (ob.pos > 0) return 1;
        /* Nothing came out although there was room: more input is needed. */
        if (r->in_pos == r->in_len && r->in_eof) {
            if (ret == 0) return 0;
            return reader_fail(r, "truncated zstd stream");
        }
    }
}

static int fill(reader *r)
{
    if (r->cut) return 0;
    if (make_room(r) < 0) return -1;
    int got = r->codec == READER_GZIP   ? fill_gzip(r)
              : r->codec == READER_ZSTD ? fill_zstd(r)
                                        : fill_plain(r);
    if (got > 0 && r->max_record)
        check_record(r);
    return got;
}

static void set_errbuf(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_errbuf(char *errbuf, size_t errlen, const char *fmt, ...)
{
    if (!errbuf || errlen == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(errbuf, errlen, fmt, ap);
    va_end(ap);
}

/* A reader over an origin already set in *init (fd, memory or callback, and
 * a prefix): reads the magic and sets up decompression. Takes ownership of
 * init's path and prefix, also on failure. */
static reader *open_origin(const reader *init, char *errbuf, size_t errlen)
{
    reader *r = calloc(1, sizeof *r);
    /* A small file gets buffers its size, not 2 MiB: 100,000 small logs
     * would otherwise cost 200 GB of allocation churn. They grow as needed. */
    size_t hint = init->size_at_open, cap = BUF_CAP;
    if (hint && hint < BUF_CAP / 2)
        cap = (hint + 2 + 4095) & ~(size_t)4095;
    if (r) {
        *r = *init;
        r->in_cap = cap < IN_CAP ? cap - 1 : IN_CAP;
        r->in = malloc(r->in_cap);
        r->buf = malloc(cap);
    }
    if (!r || !r->path || !r->in || !r->buf) {
        set_errbuf(errbuf, errlen, "%s: out of memory", init->path ? init->path : "?");
        if (r)
            reader_close(r);
        else if (init->own_fd)
            close(init->fd);
        if (!r) {
            free(init->path);
            free(init->prefix);
        }
        return NULL;
    }
    r->shown = strcmp(r->path, "-") == 0 ? "<stdin>" : r->path;
    r->cap = cap;
    r->in[0] = r->in[1] = 0; /* the magic test below reads them */
    size_t first = FIRST_READ < r->in_cap ? FIRST_READ : r->in_cap;

    /* Enough bytes for the magic (pipes may deliver them a few at a time). */
    while (r->in_len < 4 && !r->in_eof) {
        ssize_t got = read_some(r, r->in + r->in_len, first - r->in_len);
        if (got < 0) goto fail;
        if (got == 0) r->in_eof = 1;
        r->in_len += (size_t)got;
    }
    const unsigned char *m = r->in;
    if (r->in_len >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
        r->codec = READER_GZIP;
        r->z = xmalloc(sizeof *r->z);
        isal_inflate_init(r->z);
        r->z->crc_flag = ISAL_GZIP;
    } else if (r->in_len >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) {
        r->codec = READER_ZSTD;
        r->zs = ZSTD_createDStream();
        if (!r->zs || ZSTD_isError(ZSTD_initDStream(r->zs))) {
            reader_fail(r, "cannot initialise zstd");
            goto fail;
        }
        r->zret = 1;
    } else {
        /* Plain: what was read is data; later reads go straight to buf. */
        r->codec = READER_PLAIN;
        memcpy(r->buf, r->in, r->in_len);
        r->end = r->in_len;
        r->bytes_in = r->in_len;
        r->eof = r->in_eof;
        free(r->in);
        r->in = NULL;
        r->in_len = 0;
    }
    return r;

fail:
    set_errbuf(errbuf, errlen, "%s", r->err);
    reader_close(r);
    return NULL;
}

reader *reader_open(const char *path, char *errbuf, size_t errlen)
{
    if (!path) {
        set_errbuf(errbuf, errlen, "(null): no path given");
        return NULL;
    }
    if (strcmp(path, "-") == 0)
        return reader_open_fd(path, 0, 0, errbuf, errlen);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        set_errbuf(errbuf, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    return reader_open_fd(path, fd, 1, errbuf, errlen);
}

reader *reader_open_fd(const char *name, int fd, int own, char *errbuf, size_t errlen)
{
    const char *shown = strcmp(name, "-") == 0 ? "<stdin>" : name;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        set_errbuf(errbuf, errlen, "%s: cannot read: %s", shown, strerror(errno));
        if (own) close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        set_errbuf(errbuf, errlen, "%s: is a directory", shown);
        if (own) close(fd);
        return NULL;
    }
    reader init = {.path = strdup(name), .fd = fd, .own_fd = own};
    if (S_ISREG(st.st_mode)) {
        off_t at = lseek(fd, 0, SEEK_CUR);
        init.fd_start = at > 0 ? (uint64_t)at : 0;
        init.size_at_open = (uint64_t)st.st_size > (uint64_t)(at > 0 ? at : 0)
                                ? (uint64_t)st.st_size - (uint64_t)(at > 0 ? at : 0) : 0;
#ifdef POSIX_FADV_SEQUENTIAL
        (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    }
    return open_origin(&init, errbuf, errlen);
}

reader *reader_open_memory(const char *name, const void *data, size_t len, char *errbuf,
                           size_t errlen)
{
    reader init = {.path = strdup(name), .mem = data, .mem_len = len, .fd = -1};
    return open_origin(&init, errbuf, errlen);
}

reader *reader_open_stream(const char *name, const void *prefix, size_t prefix_len,
                           long (*pull)(void *ud, void *buf, size_t n), void *ud,
                           char *errbuf, size_t errlen)
{
    reader init = {.path = strdup(name), .pull = pull, .pull_ud = ud, .fd = -1};
    if (prefix_len && (init.prefix = malloc(prefix_len)))
        memcpy(init.prefix, prefix, prefix_len);
    init.prefix_len = init.prefix ? prefix_len : 0;
    return open_origin(&init, errbuf, errlen);
}

int reader_next_block(reader *r, size_t target, char **block, size_t *len, size_t *cap,
                      uint64_t *first_line, char *spare, size_t spare_cap)
{
    if (r->done) {
        free(spare);
        return 0;
    }
    /* Whole lines up to about `target` bytes, or one line however long. A
     * read or decompression error still hands over the whole lines read
     * before it (a cut archive keeps what it holds); only the cut line is
     * dropped, and the next call reports the error. */
    const char *last = NULL;
    int failed = 0;
    while (!r->eof) {
        if (r->end - r->start >= target &&
            (last = reader_last_newline(r->buf + r->start, r->end - r->start)))
            break;
        int got = fill(r);
        if (got < 0) {
            failed = 1;
            last = reader_last_newline(r->buf + r->start, r->end - r->start);
            r->end = last ? (size_t)(last - r->buf) + 1 : r->start;
            r->scan = r->scan < r->end ? r->scan : r->end;
            r->open_seen = r->open_seen < r->end ? r->open_seen : r->end;
            r->eof = 1;
            break;
        }
        if (got == 0) r->eof = 1;
    }
    size_t s = r->start, e = last ? (size_t)(last - r->buf) + 1 : r->end;
    if (e == s) {
        r->done = 1;
        if (failed) {
            free(spare);
            return -1;
        }
        free(spare);
        return 0;
    }
    /* The caller takes the buffer; the reader goes on in `spare` with the
     * incomplete tail (one byte kept free past the data, as always). */
    size_t tail = r->end - e, ncap = spare_cap > tail * 2 + 2 ? spare_cap : tail * 2 + BUF_CAP;
    char *next = ncap == spare_cap && spare ? spare : realloc(spare, ncap);
    if (!next) {
        r->done = 1;
        return reader_fail(r, "out of memory (block of %zu bytes)", tail);
    }
    memcpy(next, r->buf + e, tail);
    *block = r->buf;
    if (s)
        memmove(*block, *block + s, e - s);
    *len = e - s;
    *cap = r->cap;
    *first_line = r->lineno + 1;
    r->lineno += count_newlines(*block, *len) + (e == r->end && r->eof && (*block)[*len - 1] != '\n');
    r->base += e;
    r->buf = next;
    r->cap = ncap;
    r->start = r->scan = r->open_at = 0;
    r->end = r->open_seen = tail;
    if (r->eof && tail == 0)
        r->done = 1;
    return 1;
}

int reader_next_line(reader *r, const char **line, size_t *len)
{
    if (r->done) return 0;
    for (;;) {
        char *nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
        size_t s = r->start, e;
        if (nl) {
            e = (size_t)(nl - r->buf);
            r->start = r->scan = e + 1;
        } else if (r->eof) {
            r->done = 1;
            if (s == r->end) return 0;
            e = r->end; /* a last line without a newline */
            r->start = r->scan = r->end;
        } else {
            r->scan = r->end;
            int got = fill(r);
            if (got < 0) {
                r->done = 1;
                return -1;
            }
            if (got == 0) r->eof = 1;
            continue;
        }
        if (e > s && r->buf[e - 1] == '\r') e--;
        r->buf[e] = '\0';
        *line = r->buf + s;
        *len = e - s;
        r->lineno++;
        return 1;
    }
}

int reader_head(reader *r, const unsigned char **head, size_t *len)
{
    while (!r->eof && !r->done && r->end - r->start < 16) {
        int got = fill(r);
        if (got < 0) {
            r->done = 1;
            return -1;
        }
        if (got == 0)
            r->eof = 1;
    }
    *head = (const unsigned char *)r->buf + r->start;
    *len = r->end - r->start;
    return 0;
}

void reader_set_max_record(reader *r, size_t max)
{
    r->max_record = max;
}

uint64_t reader_lineno(const reader *r) { return r->lineno + reader_place_uncounted(r); }
uint64_t reader_bytes_in(const reader *r) { return r->bytes_in; }
uint64_t reader_offset(const reader *r) { return r->base + r->start; }
enum reader_codec reader_codec(const reader *r) { return r->codec; }
const char *reader_error(const reader *r) { return r->err; }
const char *reader_path(const reader *r) { return r->shown; }

void reader_close(reader *r)
{
    if (!r) return;
    free(r->z);
    if (r->zs) ZSTD_freeDStream(r->zs);
    if (r->own_fd) close(r->fd);
    free(r->prefix);
    free(r->path);
    free(r->in);
    free(r->buf);
    free(r);
}
