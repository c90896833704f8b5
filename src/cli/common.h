/* common: what every running subcommand shares — the output and run flags,
 * running a query over the inputs, printing rows, notes and the summary,
 * and turning the outcome into an exit code. Over include/mailc2.h only. */
#ifndef MAILC2_CLI_COMMON_H
#define MAILC2_CLI_COMMON_H

#include <getopt.h>
#include <time.h>

#include "mailc2.h"

/* Option codes above any short option character. */
enum {
    OPT_NOW = 256, OPT_FORMAT, OPT_OUTPUT, OPT_MAX_ERRORS, OPT_PROGRESS, OPT_NO_PROGRESS,
    OPT_QUIET, OPT_EMULATE_LIMITS, OPT_NO_ENRICH, OPT_MAP, OPT_THREADS, OPT_LOCAL_NETS,
    OPT_MAX_RECORD, OPT_MAX_MEMORY, OPT_MAX_GROUPS, OPT_REGEX_LIMIT, OPT_NO_PREFILTER, OPT_PROFILE,
    OPT_SHOW_SUPPRESSED, OPT_WIDE, OPT_COLUMNS, OPT_SUMMARY_JSON, OPT_HELP,
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
    {"max-record", required_argument, NULL, OPT_MAX_RECORD},                \
    {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},                \
    {"max-groups", required_argument, NULL, OPT_MAX_GROUPS},                \
    {"regex-limit", required_argument, NULL, OPT_REGEX_LIMIT},              \
    {"no-prefilter", no_argument, NULL, OPT_NO_PREFILTER},                  \
    {"profile", required_argument, NULL, OPT_PROFILE},                      \
    {"show-suppressed", no_argument, NULL, OPT_SHOW_SUPPRESSED},            \
    {"wide", no_argument, NULL, OPT_WIDE},                                  \
    {"columns", required_argument, NULL, OPT_COLUMNS},                      \
    {"summary-json", required_argument, NULL, OPT_SUMMARY_JSON},            \
    {"help", no_argument, NULL, OPT_HELP}

/* The run's start, so that short runs draw no bar at all. */
typedef struct cli_progress {
    struct timespec start;
    int drawn;
} cli_progress;

typedef struct cli_common {
    mc_options o;             /* what the engine gets */
    const char *format;       /* NULL: table on a terminal, jsonl otherwise */
    const char *output;
    int progress;             /* -1 = when stderr is a terminal */
    int quiet;
    cli_progress bar;
    const char *profiles[16];  /* --profile, in order */
    int wide;                 /* --wide: table values whole, not fitted */
    const char *columns;      /* --columns */
    const char *summary_json; /* --summary-json FILE */
} cli_common;

void cli_common_init(cli_common *c);
/* Handles a common option: 0 done, EXIT_USAGE on a bad value, -1 after
 * printing --help, 1 when `opt` is not a common option. */
int cli_common_option(cli_common *c, int opt, const char *arg);
int cli_usage_error(const char *fmt, const char *arg);
/* Opens the engine, or prints why not (NULL: exit with EXIT_USAGE). */
mc_engine *cli_engine(cli_common *c);
/* Runs q over paths (stdin when npaths is 0), prints rows and the summary;
 * returns the exit code. */
/* Compiles the rule file at path (lang NULL: by its extension); prints
 * errors with a caret. NULL means exit 2. */
mc_query *cli_compile_rule(mc_engine *e, const char *path, const char *lang);
int cli_execute(cli_common *c, mc_engine *e, const mc_query *q, char *const *paths, int npaths);

#endif
