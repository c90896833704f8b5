/* run: drives a plan over the user's inputs — expands paths, detects each
 * input's format, decodes records into workers (one per thread, merged at
 * the end), and finishes the result.
 *
 * Inputs are paths (files, directories, "-" for stdin), bytes in memory, or
 * streams read through a callback. `--now latest` needs the newest event
 * before the window can apply, and Falcon's and Windows' joins need the
 * process and user events first: the inputs concerned are read once, their
 * candidate lines held (held.h; copies past 64 MiB spilled to a file in
 * opts->spill_dir) until the tables and the time are known, within half of
 * --max-memory. Bad
 * records go to opts->diag; inputs that cannot be read or whose format is
 * not recognised are reported on opts->log, as is what the joins achieved. */
#ifndef MAILC2_DRIVER_RUN_H
#define MAILC2_DRIVER_RUN_H

#include <stdio.h>

#include "exec/exec.h"
#include "input/settings.h"
#include "util/diag.h"
#include "util/log.h"

enum { RUN_OK = 0, RUN_INPUT_ERROR = 3 };

enum run_input_kind { RUN_IN_PATH, RUN_IN_MEMORY, RUN_IN_STREAM };

typedef struct run_input {
    int kind;                   /* enum run_input_kind */
    const char *name;           /* PATH: the path; else the name in messages */
    const void *data;           /* MEMORY */
    size_t len;
    long (*read)(void *ud, void *buf, size_t n); /* STREAM: bytes, 0 at the end, -1 */
    void *ud;
} run_input;

typedef struct run_opts {
    int64_t now_ms;             /* the window's `now`, unless now_latest */
    int now_latest;             /* now := newest event time in the input */
    int no_enrich;              /* skip decoders' joins (Falcon context) */
    int threads;                /* main-pass worker threads; <= 1: this one */
    int emulate_limits;         /* apply the SIEM's caps and default window */
    size_t max_record;          /* longest line in bytes (reader.h); 0: no limit */
    size_t max_memory;          /* bytes for the group tables and (half) for the held
                                   lines of a one-pass run; 0: no limit */
    const char *spill_dir;      /* where held lines past 64 MiB go (held.h); NULL: /tmp */
    size_t max_groups;          /* groups in the result's table; 0: no limit */
    uint32_t regex_limit;       /* PCRE2 match limit (expr.h); 0: the default */
    int no_prefilter;           /* parse every line (driver/prefilter.h) */
    int unordered;              /* the caller reorders the result whole (exec.h) */
    const input_settings *settings; /* local networks, field map (settings.h) */
    diag *diag;
    logger log;                 /* notes about whole inputs; no fn = silent */
    void (*progress)(void *ud, uint64_t done, uint64_t total);
    void *progress_ud;
} run_opts;

typedef struct run_info {
    exec_stats st;
    int64_t now_ms;             /* the `now` the window used */
    size_t groups;              /* groups before post-aggregate filters (aggregate plans) */
    uint64_t refused;           /* events not counted: the group table was full */
} run_info;

/* Returns RUN_OK, or RUN_INPUT_ERROR when some input could not be read (the
 * others were still processed and *out holds their result). */
int run_plan(const plan *p, const run_input *in, int nin, const run_opts *o, mc_result **out,
             run_info *info);

#endif
