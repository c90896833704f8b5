/* source: the inputs of one run as its passes read them.
 *
 * Paths are expanded (directories, paths.h). A run reads each input once
 * (held.h); an input is read a second time only when its candidate lines
 * went past their memory budget, or when it is a whole-file format (EVTX)
 * and --now latest needs its newest time first. For that, a regular file's
 * descriptor is held from the start to the end of the run (up to
 * HELD_FILES of them), so a file renamed or deleted meanwhile is still the
 * file read; past that count a file is reopened by path, and a change is
 * reported.
 *
 * "-" (stdin), FIFOs, process substitution and character devices are
 * streams: read once, never into a temporary file, which a full disk would
 * cut short. Memory buffers are read as often as needed.
 *
 * Ownership: a source list owns its names, its kept bytes and its
 * descriptors (closed by sources_close). */
#ifndef MAILC2_DRIVER_SOURCE_H
#define MAILC2_DRIVER_SOURCE_H

#include <stdio.h>
#include <sys/stat.h>

#include "driver/run.h"
#include "input/decoder.h"
#include "input/reader.h"

/* A probe reads up to PROBE_LINES lines; the header lines that follow
 * (records a decoder skips: `#fields`, a CSV header) are kept too, up to
 * PREAMBLE_LINES in all, so that every worker can replay them. */
enum { PROBE_LINES = 8, PREAMBLE_LINES = 64 };

enum { HELD_FILES = 64 };

typedef struct source {
    char *shown;                 /* the name in messages */
    char *path;                  /* a file to open, or NULL */
    int fd;                      /* a regular file held open; -1: none */
    int *pull_fd;                /* a stream's descriptor, for its pull (stable storage) */
    struct stat id;              /* a reopened file as first seen (st_ino 0: not yet) */
    const void *mem;             /* bytes in memory (mem_len of them) */
    size_t mem_len;
    long (*pull)(void *ud, void *buf, size_t n);  /* a stream */
    void *ud;
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

void sources_open(source_list *l, const run_input *in, int nin, const logger *log);
void sources_close(source_list *l);
/* Whether the source can be read a second time (not a stream). */
int source_again(const source *s);
/* A reader over the source, from its start; NULL with err filled. A file
 * reopened by path that changed since the last pass is said on `log`. */
reader *source_reader(source *s, const logger *log, char *err, size_t errlen);
/* Reads up to PROBE_LINES non-blank lines, keeping copies, until a decoder
 * accepts one; returns it or NULL. probe_lines_free() releases the copies. */
const decoder *source_probe(reader *r, const input_settings *st, probe_lines *kept);
void probe_lines_free(probe_lines *kept);
/* Keeps a copy of one more line. */
void probe_lines_add(probe_lines *kept, const char *line, size_t len, uint64_t lineno);

#endif
