/* reader: bytes from a file or stdin, decompressed, split into lines.
 *
 * Compression is detected by magic bytes, never by file name: gzip (1f 8b,
 * via zlib; concatenated members are read through) and zstd (28 b5 2f fd,
 * via libzstd). "-" reads stdin. Lines are returned without their "\n" (and
 * without a "\r" before it); a final line without a newline is still a line.
 *
 * Ownership: the reader owns its buffers; a returned line is followed by a
 * NUL byte and stays valid until the next reader_next_line() or
 * reader_close(). */
#ifndef MAILC2_READER_H
#define MAILC2_READER_H

#include <stddef.h>
#include <stdint.h>

typedef struct reader reader;

enum reader_codec { READER_PLAIN, READER_GZIP, READER_ZSTD };

/* Returns NULL and writes a message naming the path to errbuf on failure. */
reader *reader_open(const char *path, char *errbuf, size_t errlen);
/* The same over an open descriptor, read from where it stands, named `name`
 * in messages ("-" is shown as "<stdin>"); own: close it at reader_close.
 * A regular file that ends before the size it had when opened is an error
 * ("shrank while being read"), the lines before it returned. */
reader *reader_open_fd(const char *name, int fd, int own, char *errbuf, size_t errlen);
/* The same over bytes in memory (borrowed until reader_close), named `name`
 * in messages. */
reader *reader_open_memory(const char *name, const void *data, size_t len, char *errbuf,
                           size_t errlen);
/* The same over a stream: `prefix` (copied; bytes already taken from it),
 * then what `pull` returns (bytes read, 0 at the end, -1 on error). */
reader *reader_open_stream(const char *name, const void *prefix, size_t prefix_len,
                           long (*pull)(void *ud, void *buf, size_t n), void *ud,
                           char *errbuf, size_t errlen);
/* Hands over the next block of whole lines, about `target` bytes (one line
 * however long it is): *block is malloc'd (capacity *cap, at least one byte
 * past *len), now the caller's; lines end in "\n" except a last one at the
 * end of input; *first_line numbers its first line. The reader goes on in
 * `spare` (a buffer of spare_cap bytes the reader now owns, or NULL), so
 * blocks pass between threads without copying. May follow
 * reader_next_line() calls. Returns 1, 0 at the end, -1 on error (message
 * in reader_error()). */
int reader_next_block(reader *r, size_t target, char **block, size_t *len, size_t *cap,
                      uint64_t *first_line, char *spare, size_t spare_cap);
/* The same, read at its place: the block is read with pread into *buf
 * (the caller's: *cap bytes, replaced by a larger one where a block needs
 * it, with a byte to spare after the block), the reader's buffer left out.
 * Only a plain regular file of more than a block can be, where the record
 * limit is 0 or a block or more; -2 when the reader cannot (or no longer:
 * the bytes the file had when opened are handed out), and then
 * reader_next_block reads on from where this left off. A file cut
 * meanwhile is an error ("shrank while being read"), as with
 * reader_next_block. Returns as reader_next_block otherwise, but that the
 * block's lines are not counted: its caller counts them (in a pass over
 * the block it makes anyway) and may say so with reader_lines_known; until
 * it does, the reader counts them itself, reading them again, when it
 * needs their number (reader_lineno, a message naming a line). */
int reader_place_block(reader *r, size_t target, char **buf, size_t *cap, size_t *len);
/* The blocks read at their place that end at decoded offset `end` (one's
 * end) hold the lines up to number `lineno`. */
void reader_lines_known(reader *r, uint64_t end, uint64_t lineno);
/* 1 = a line, 0 = end of input, -1 = read/decompression error (message in
 * reader_error()); after -1 the reader returns 0. */
int reader_next_line(reader *r, const char **line, size_t *len);
/* The first decoded bytes (at least 16 unless the input is shorter), for
 * binary formats told by their magic; call before reading lines. 0, or -1
 * on a read error (message in reader_error()). */
int reader_head(reader *r, const unsigned char **head, size_t *len);
/* Ends the input before the first line longer than `max` bytes (0, the
 * default: no limit): the lines before it are returned, then the end, and
 * reader_error() names that line. */
void reader_set_max_record(reader *r, size_t max);
uint64_t reader_lineno(const reader *r);      /* 1-based number of the last line */
uint64_t reader_bytes_in(const reader *r);    /* compressed bytes consumed so far */
/* The decoded offset of the next byte not yet returned (of the next block
 * or line): for a plain file opened at its start, its offset in the file. */
uint64_t reader_offset(const reader *r);
enum reader_codec reader_codec(const reader *r);
const char *reader_error(const reader *r);   /* "" when there was no error */
const char *reader_path(const reader *r);     /* as given; "-" shown as "<stdin>" */
void reader_close(reader *r);

#endif
