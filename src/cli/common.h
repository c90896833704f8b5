/* common: what every running subcommand shares — the output and run flags,
 * executing a plan over the inputs, printing rows, notes and the summary,
 * and turning the outcome into an exit code. */
#ifndef MAILC2_CLI_COMMON_H
#define MAILC2_CLI_COMMON_H

#include <getopt.h>

#include "mailc2.h"

/* Option codes above any short option character. */
enum {
    OPT_NOW = 256, OPT_FORMAT, OPT_OUTPUT, OPT_MAX_ERRORS, OPT_PROGRESS, OPT_NO_PROGRESS,
    OPT_QUIET, OPT_EMULATE_LIMITS, OPT_NO_ENRICH, OPT_MAP, OPT_THREADS, OPT_LOCAL_NETS,
    OPT_HELP,
    OPT_COMMAND_FIRST, /* subcommands number their own options from here */
};

#define CLI_COMMON_OPTIONS                                                  \
    {"now", required_argument, NULL, OPT_NOW},                              \
    {"format", required_argument, NULL, OPT_FORMAT},                        \
    {"output", required_argument, NULL, OPT_OUTPUT},                        \
    {"max-errors", required_argument, NULL, OPT_MAX_ERRORS},                \
    {"progress", no_argument, NULL, OPT_PROGRESS},                          \
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},                    \
    {"quiet", no_argument, NULL, OPT_QUIET},                                \
    {"emulate-limits", no_argument, NULL, OPT_EMULATE_LIMITS},              \
    {"no-enrich", no_argument, NULL, OPT_NO_ENRICH},                        \
    {"map", required_argument, NULL, OPT_MAP},                              \
    {"threads", required_argument, NULL, OPT_THREADS},                      \
    {"local-nets", required_argument, NULL, OPT_LOCAL_NETS},                \
    {"help", no_argument, NULL, OPT_HELP}

typedef struct cli_common {
    int64_t now_ms;
    int now_latest;
    int format;               /* enum out_format, or -1 = by terminal */
    const char *output;
    unsigned max_errors;
    int progress;             /* -1 = when stderr is a terminal */
    int quiet;
    int emulate_limits;
    int no_enrich;            /* no Falcon process/user/host joins */
    int threads;              /* main-pass threads; 0 = one per online CPU */
    const char *local_nets;   /* networks counted as local: decoders' direction
                                 and AQL's eventdirection (NULL: defaults) */
    const char *map;          /* the generic decoder's --map (NULL: none) */
    int64_t window_ms;        /* for the summary line; 0 = no window */
} cli_common;

void cli_common_init(cli_common *c);
/* Handles a common option: 0 done, EXIT_USAGE on a bad value, -1 after
 * printing --help, 1 when `opt` is not a common option. */
int cli_common_option(cli_common *c, int opt, const char *arg);
int cli_usage_error(const char *fmt, const char *arg);
/* Runs `p` over paths (stdin when npaths is 0), prints rows and the
 * summary; returns the exit code. */
int cli_execute(const cli_common *c, plan *p, char *const *paths, int npaths);

#endif
