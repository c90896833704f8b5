/* run: drives a plan over the user's inputs — expands paths, detects each
 * file's format, decodes records into workers (one per thread, merged at
 * the end), and finishes the result.
 *
 * `--now latest` needs the newest event before the window can apply, and
 * Falcon's joins need the process and user events first, so either costs a
 * first pass over the files concerned (stdin is spooled to a temporary file
 * for it). Bad records go to opts->diag; files that cannot be
 * read or whose format is not recognised are reported on opts->log. */
#ifndef MAILC2_RUN_H
#define MAILC2_RUN_H

#include <stdio.h>

#include "exec/exec.h"
#include "input/settings.h"
#include "util/diag.h"

enum { RUN_OK = 0, RUN_INPUT_ERROR = 3 };

typedef struct run_opts {
    int64_t now_ms;             /* the window's `now`, unless now_latest */
    int now_latest;             /* now := newest event time in the input */
    int no_enrich;              /* skip decoders' joins (Falcon context) */
    int threads;                /* main-pass worker threads; <= 1: this one */
    int emulate_limits;         /* apply the SIEM's caps and default window */
    const input_settings *settings; /* local networks, field map (settings.h) */
    diag *diag;
    FILE *log;                  /* notes about whole files; NULL = silent */
    void (*progress)(void *ud, uint64_t done, uint64_t total);
    void *progress_ud;
} run_opts;

typedef struct run_info {
    exec_stats st;
    int64_t now_ms;             /* the `now` the window used */
    size_t groups;              /* groups before post-aggregate filters (aggregate plans) */
} run_info;

/* Returns RUN_OK, or RUN_INPUT_ERROR when some input could not be read (the
 * others were still processed and *out holds their result). */
int run_plan(const plan *p, const char *const *paths, int npaths, const run_opts *o,
             mc_result **out, run_info *info);

#endif
