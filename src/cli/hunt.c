/* hunt: `mailc2 hunt`, `mailc2 explain` and `mailc2 formats` — parse flags,
 * build the built-in plan, run it, print rows and a summary. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "input/decoder.h"
#include "mailc2.h"

typedef struct hunt_cli {
    hunt_params params;
    run_opts run;
    int64_t now_ms;
    int now_latest;
    int format;               /* enum out_format, or -1 = by terminal */
    const char *output;
    unsigned max_errors;
    int progress;             /* -1 = when stderr is a terminal */
    int quiet;
} hunt_cli;

enum { OPT_PORTS = 256, OPT_ALLOW, OPT_THRESHOLD, OPT_WINDOW, OPT_NOW, OPT_FORMAT,
       OPT_OUTPUT, OPT_MAX_ERRORS, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_QUIET, OPT_HELP };

static const struct option hunt_options[] = {
    {"ports", required_argument, NULL, OPT_PORTS},
    {"allow", required_argument, NULL, OPT_ALLOW},
    {"threshold", required_argument, NULL, OPT_THRESHOLD},
    {"window", required_argument, NULL, OPT_WINDOW},
    {"now", required_argument, NULL, OPT_NOW},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"max-errors", required_argument, NULL, OPT_MAX_ERRORS},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

static int bad_usage(const char *fmt, const char *arg)
{
    fputs("mailc2: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'mailc2 --help'.\n", stderr);
    return EXIT_USAGE;
}

static int parse_count(const char *s, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end || v < 0)
        return -1;
    *out = v;
    return 0;
}

static int parse_option(hunt_cli *c, int opt, char *arg)
{
    char err[200];
    int64_t n;
    switch (opt) {
    case OPT_PORTS:
        return hunt_parse_ports(&c->params, arg, err, sizeof err) ? bad_usage("%s", err) : 0;
    case OPT_ALLOW:
        return hunt_parse_allow(&c->params, arg, err, sizeof err) ? bad_usage("%s", err) : 0;
    case OPT_THRESHOLD:
        if (parse_count(arg, &c->params.threshold))
            return bad_usage("--threshold: '%s' is not a whole number >= 0", arg);
        return 0;
    case OPT_WINDOW:
        if (time_parse_duration(arg, &c->params.window_ms) || c->params.window_ms <= 0)
            return bad_usage("--window: '%s' is not a duration like 90m, 24h or 7d", arg);
        return 0;
    case OPT_NOW:
        c->now_latest = strcmp(arg, "latest") == 0;
        if (!c->now_latest && time_parse_iso(arg, strlen(arg), &c->now_ms))
            return bad_usage("--now: '%s' is neither 'latest' nor an ISO 8601 time "
                             "(2026-11-23T12:00:00Z)", arg);
        return 0;
    case OPT_FORMAT: {
        enum out_format f;
        if (out_parse_format(arg, &f))
            return bad_usage("--format: '%s' is not table, jsonl or csv", arg);
        c->format = (int)f;
        return 0;
    }
    case OPT_OUTPUT: c->output = arg; return 0;
    case OPT_MAX_ERRORS:
        if (parse_count(arg, &n))
            return bad_usage("--max-errors: '%s' is not a whole number >= 0", arg);
        c->max_errors = (unsigned)n;
        return 0;
    case OPT_PROGRESS: c->progress = 1; return 0;
    case OPT_NO_PROGRESS: c->progress = 0; return 0;
    case OPT_QUIET: c->quiet = 1; return 0;
    case OPT_HELP: usage(stdout); return -1;
    default: return bad_usage("%s", "invalid option");
    }
}

/* Returns 0 to go on, EXIT_USAGE on an error, -1 after --help. */
static int parse_args(hunt_cli *c, int argc, char **argv)
{
    memset(c, 0, sizeof *c);
    hunt_params_default(&c->params);
    c->now_ms = time_now_ms();
    c->format = -1;
    c->max_errors = 10;
    c->progress = -1;
    int opt;
    opterr = 1;
    while ((opt = getopt_long(argc, argv, "h", hunt_options, NULL)) != -1) {
        if (opt == 'h')
            opt = OPT_HELP;
        if (opt == '?')
            return bad_usage("%s", "unrecognised option (see above)");
        int rc = parse_option(c, opt, optarg);
        if (rc)
            return rc;
    }
    return 0;
}

static void progress_bar(void *ud, uint64_t done, uint64_t total)
{
    (void)ud;
    if (total == 0)
        return;
    int pct = (int)(done * 100 / total);
    if (pct > 100)
        pct = 100;
    char bar[31];
    memset(bar, ' ', 30);
    memset(bar, '#', (size_t)(pct * 30 / 100));
    bar[30] = '\0';
    fprintf(stderr, "\r[%s] %3d%% %" PRIu64 " MB", bar, pct, done >> 20);
    if (done >= total)
        fputs("\r\033[K", stderr);
}

static void summary(const hunt_cli *c, const run_info *info, size_t findings, double secs)
{
    const exec_stats *st = &info->st;
    char now[TIME_ISO_LEN], window[32];
    time_format_iso(info->now_ms, now);
    time_format_duration(c->params.window_ms, window, sizeof window);
    fprintf(stderr,
            "mailc2: %" PRIu64 " files, %" PRIu64 " events, %" PRIu64 " bad records, "
            "%zu findings in %.2f s (window %s to %s%s)\n",
            st->files, st->events, st->bad, findings, secs, window, now,
            c->now_latest ? ", latest event" : "");
    if (st->files_skipped)
        fprintf(stderr, "mailc2: %" PRIu64 " files skipped: format not recognised\n",
                st->files_skipped);
    if (st->events && st->outside_window + st->untimed == st->events) {
        fprintf(stderr, "mailc2: the time window removed every event");
        if (st->newest_ms != INT64_MIN) {
            char newest[TIME_ISO_LEN];
            time_format_iso(st->newest_ms, newest);
            fprintf(stderr, " (newest event %s)", newest);
        }
        fputs("; use --now latest to anchor the window at the newest event, "
              "or --now TIME\n", stderr);
    }
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int write_rows(const hunt_cli *c, const mc_result *r)
{
    FILE *out = stdout;
    if (c->output && !(out = fopen(c->output, "w"))) {
        perror(c->output);
        return EXIT_USAGE;
    }
    int fmt = c->format >= 0 ? c->format : isatty(fileno(out)) ? OUT_TABLE : OUT_JSONL;
    out_write(r, (enum out_format)fmt, out);
    if (out != stdout && fclose(out) != 0) {
        perror(c->output);
        return EXIT_USAGE;
    }
    return 0;
}

int cmd_hunt(int argc, char **argv)
{
    hunt_cli c;
    int rc = parse_args(&c, argc, argv);
    if (rc)
        return rc < 0 ? EXIT_NOTHING : rc;
    static const char *const stdin_only[] = {"-"};
    const char *const *paths = optind < argc ? (const char *const *)argv + optind : stdin_only;
    int npaths = optind < argc ? argc - optind : 1;

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    diag d;
    diag_init(&d, stderr, c.max_errors);
    c.run.now_ms = c.now_ms;
    c.run.now_latest = c.now_latest;
    c.run.diag = &d;
    c.run.log = c.quiet ? NULL : stderr;
    if (c.progress == 1 || (c.progress == -1 && !c.quiet && isatty(STDERR_FILENO)))
        c.run.progress = progress_bar;

    plan *p = builtin_plan(&c.params);
    mc_result *r;
    run_info info;
    rc = run_plan(p, paths, npaths, &c.run, &r, &info);
    if (!c.quiet)
        diag_finish(&d);
    int wrc = write_rows(&c, r);
    if (!c.quiet)
        summary(&c, &info, r->nrows, seconds_since(&t0));
    size_t findings = r->nrows;
    result_free(r);
    plan_free(p);
    if (wrc)
        return wrc;
    if (rc == RUN_INPUT_ERROR)
        return EXIT_INPUT;
    return findings ? EXIT_FOUND : EXIT_NOTHING;
}

int cmd_explain(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "builtin") != 0)) {
        fprintf(stderr, "mailc2: explain: only the built-in rule exists so far "
                        "(`mailc2 explain builtin`)\n");
        return EXIT_USAGE;
    }
    hunt_params h;
    hunt_params_default(&h);
    plan *p = builtin_plan(&h);
    plan_print(p, stdout);
    plan_free(p);
    return EXIT_NOTHING;
}

int cmd_formats(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    for (const decoder *const *d = decoder_all(); *d; d++)
        printf("%-10s %s\n", (*d)->name, (*d)->describe);
    return EXIT_NOTHING;
}
