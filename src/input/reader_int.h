/* reader_int: the reader's insides, shared by its two files: reader.c
 * (opening, decompressing, lines and blocks read into buffers) and
 * reader_place.c (a plain file's blocks read at their place). Not an API. */
#ifndef MAILC2_READER_INT_H
#define MAILC2_READER_INT_H

#include <stdint.h>

#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include "input/reader.h"

struct reader {
    char *path;       /* as given */
    const char *shown; /* for messages: path, or "<stdin>" */
    /* Where raw bytes come from: `prefix` first (bytes already read, owned),
     * then a file descriptor, a memory buffer or a callback. */
    unsigned char *prefix;
    size_t prefix_len, prefix_pos;
    int fd;
    int own_fd;
    uint64_t size_at_open, fd_read; /* a regular file: to tell one that shrank */
    uint64_t fd_start;  /* a regular file: the offset it was opened at */
    int placing;        /* its blocks are read at their place (reader_place_block) */
    uint64_t place_counted; /* placing: lineno counts the lines before this
                               decoded offset (reader_lines_known) */
    int place_over;     /* the bytes it had when opened are all handed out: read on */
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    long (*pull)(void *ud, void *buf, size_t n);
    void *pull_ud;
    enum reader_codec codec;

    unsigned char *in;
    size_t in_cap, in_pos, in_len;
    int in_eof;

    char *buf;
    size_t cap, start, end, scan;
    uint64_t base;    /* the decoded offset of buf[0] */
    int eof;    /* no more decoded data will come */
    int done;   /* every line returned, or failed: only 0 from now on */

    uint64_t lineno, bytes_in;
    size_t max_record; /* longest line kept whole; 0: no limit */
    int cut;           /* ended early at a line past max_record */
    size_t open_at, open_seen; /* the open (unterminated) line starts at
                                  open_at; buf[.., open_seen) was searched */

    struct inflate_state *z; /* gzip; NULL otherwise */
    int z_member_done; /* between gzip members */
    ZSTD_DStream *zs;
    size_t zret; /* last ZSTD_decompressStream hint; 0 = frame complete */

    char err[512];
};

/* Sets r's message, "PATH: " and then fmt's; returns -1. */
int reader_fail(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The lines of the bytes handed out at their place past place_counted,
 * which no one has said the number of yet (reader_lines_known). */
uint64_t reader_place_uncounted(const reader *r);
/* The error of a line past max_record, named by its number. */
void reader_too_long(reader *r, uint64_t lineno);
/* The last newline in p[0, n), or NULL. */
const char *reader_last_newline(const char *p, size_t n);

#endif
