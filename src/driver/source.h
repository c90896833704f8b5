/* source: the inputs of one run as its passes read them.
 *
 * Paths are expanded (directories, paths.h); "-" is stdin, read as a
 * stream. A stream is read once: its first bytes are kept, its format is
 * probed from them, and only when that format needs the first pass (the
 * caller says, `needs_first_pass`) is the stream copied to a temporary file
 * so that both passes can read it. Memory buffers are read as often as
 * needed.
 *
 * Ownership: a source list owns its names, its kept bytes and its
 * temporary files (removed by sources_close). */
#ifndef MAILC2_DRIVER_SOURCE_H
#define MAILC2_DRIVER_SOURCE_H

#include <stdio.h>

#include "driver/run.h"
#include "input/decoder.h"
#include "input/reader.h"

/* A probe reads up to PROBE_LINES lines; the header lines that follow
 * (records a decoder skips: `#fields`, a CSV header) are kept too, up to
 * PREAMBLE_LINES in all, so that every worker can replay them. */
enum { PROBE_LINES = 8, PREAMBLE_LINES = 64 };

typedef struct source {
    char *shown;                 /* the name in messages */
    char *path;                  /* a file to open, or NULL */
    const void *mem;             /* bytes in memory (mem_len of them) */
    size_t mem_len;
    long (*pull)(void *ud, void *buf, size_t n);  /* a stream */
    void *ud;
    unsigned char *kept;         /* a stream's first bytes, read to probe it */
    size_t nkept;
    int spooled;                 /* path is our temporary copy of a stream */
    int once;                    /* a stream still unread: the main pass only */
    int failed;                  /* could not be prepared (reported) */
} source;

typedef struct source_list {
    source *s;
    int n;
} source_list;

/* The lines a probe read, kept to be decoded in order. */
typedef struct probe_lines {
    char *line[PREAMBLE_LINES];
    size_t len[PREAMBLE_LINES];
    uint64_t lineno[PREAMBLE_LINES];
    int n;
} probe_lines;

void sources_open(source_list *l, const run_input *in, int nin, const input_settings *st,
                  int (*needs_first_pass)(void *ud, const decoder *dec), void *ud,
                  const logger *log);
void sources_close(source_list *l);
/* A reader over the source; NULL with err filled. */
reader *source_reader(const source *s, char *err, size_t errlen);
/* Reads up to PROBE_LINES non-blank lines, keeping copies, until a decoder
 * accepts one; returns it or NULL. probe_lines_free() releases the copies. */
const decoder *source_probe(reader *r, const input_settings *st, probe_lines *kept);
void probe_lines_free(probe_lines *kept);
/* Keeps a copy of one more line. */
void probe_lines_add(probe_lines *kept, const char *line, size_t len, uint64_t lineno);

#endif
