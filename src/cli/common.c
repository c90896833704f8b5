/* common: shared flags, execution, output and summary for the subcommands
 * that run a plan (see common.h). */
#include "cli/common.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "input/settings.h"

void cli_common_init(cli_common *c)
{
    memset(c, 0, sizeof *c);
    c->now_ms = time_now_ms();
    c->format = -1;
    c->max_errors = 10;
    c->progress = -1;
}

int cli_usage_error(const char *fmt, const char *arg)
{
    fputs("mailc2: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'mailc2 --help'.\n", stderr);
    return EXIT_USAGE;
}

int cli_common_option(cli_common *c, int opt, const char *arg)
{
    char *end;
    switch (opt) {
    case OPT_NOW:
        c->now_latest = strcmp(arg, "latest") == 0;
        if (!c->now_latest && time_parse_iso(arg, strlen(arg), &c->now_ms))
            return cli_usage_error("--now: '%s' is neither 'latest' nor an ISO 8601 time "
                                   "(2026-11-23T12:00:00Z)", arg);
        return 0;
    case OPT_FORMAT: {
        enum out_format f;
        if (out_parse_format(arg, &f))
            return cli_usage_error("--format: '%s' is not table, jsonl or csv", arg);
        c->format = (int)f;
        return 0;
    }
    case OPT_OUTPUT: c->output = arg; return 0;
    case OPT_MAX_ERRORS: {
        long n = strtol(arg, &end, 10);
        if (end == arg || *end || n < 0)
            return cli_usage_error("--max-errors: '%s' is not a whole number >= 0", arg);
        c->max_errors = (unsigned)n;
        return 0;
    }
    case OPT_PROGRESS: c->progress = 1; return 0;
    case OPT_NO_PROGRESS: c->progress = 0; return 0;
    case OPT_QUIET: c->quiet = 1; return 0;
    case OPT_EMULATE_LIMITS: c->emulate_limits = 1; return 0;
    case OPT_NO_ENRICH: c->no_enrich = 1; return 0;
    case OPT_LOCAL_NETS:
    case OPT_MAP: {
        input_settings s;
        char err[400];
        int bad = opt == OPT_MAP ? input_settings_init(&s, NULL, arg, err, sizeof err)
                                 : input_settings_init(&s, arg, NULL, err, sizeof err);
        input_settings_free(&s);
        if (bad)
            return cli_usage_error("%s", err);
        *(opt == OPT_MAP ? &c->map : &c->local_nets) = arg;
        return 0;
    }
    case OPT_THREADS: {
        long n = strtol(arg, &end, 10);
        if (end == arg || *end || n < 0 || n > 64)
            return cli_usage_error("--threads: '%s' is not a number from 0 (one per CPU) to 64",
                                   arg);
        c->threads = (int)n;
        return 0;
    }
    case OPT_HELP: usage(stdout); return -1;
    default: return 1;
    }
}

/* The run's start, so that short runs draw no bar at all. */
typedef struct progress {
    struct timespec start;
    int drawn;
} progress;

static void progress_bar(void *ud, uint64_t done, uint64_t total)
{
    progress *pr = ud;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double elapsed = (double)(now.tv_sec - pr->start.tv_sec) +
                     (double)(now.tv_nsec - pr->start.tv_nsec) / 1e9;
    if (total == 0 || (!pr->drawn && elapsed < 1.0))
        return;
    if (done >= total) {
        fputs("\r\033[K", stderr); /* leave the terminal as it was */
        return;
    }
    pr->drawn = 1;
    int pct = (int)(done * 100 / total);
    if (pct > 100)
        pct = 100;
    char bar[31];
    memset(bar, ' ', 30);
    memset(bar, '#', (size_t)(pct * 30 / 100));
    bar[30] = '\0';
    fprintf(stderr, "\r[%s] %3d%% %" PRIu64 " MB", bar, pct, done >> 20);
}

/* What the time window removed: nothing leaves the run unsaid. */
static void window_note(const exec_stats *st)
{
    uint64_t removed = st->outside_window + st->untimed;
    if (removed && removed < st->events)
        fprintf(stderr, "mailc2: the time window kept %" PRIu64 " of %" PRIu64 " events (%" PRIu64
                        " outside it, %" PRIu64 " without a time)\n",
                st->events - removed, st->events, st->outside_window, st->untimed);
    if (!st->events || removed != st->events)
        return;
    if (st->untimed == st->events) {
        fputs("mailc2: no event carried a time, so the time window kept none of them\n", stderr);
        return;
    }
    fprintf(stderr, "mailc2: the time window removed every event");
    if (st->newest_ms != INT64_MIN) {
        char newest[TIME_ISO_LEN];
        time_format_iso(st->newest_ms, newest);
        fprintf(stderr, " (newest event %s)", newest);
    }
    fputs("; use --now latest to anchor the window at the newest event, or --now TIME\n", stderr);
}

/* What the plan asked to be told, and where the source SIEM would have
 * answered differently (design §4). */
static void plan_notes(const cli_common *c, const plan *p, const run_info *info, size_t rows)
{
    for (int n = 0; n < p->nnotes; n++)
        if (info->st.noted[n]) {
            fputs("mailc2: ", stderr);
            fprintf(stderr, p->note[n].msg, (unsigned long long)info->st.noted[n]);
            fputc('\n', stderr);
        }
    if (p->group_limit && info->groups > (size_t)p->group_limit)
        fprintf(stderr, "mailc2: %zu groups exceed the aggregate's limit of %" PRId64 "; %s\n",
                info->groups, p->group_limit,
                c->emulate_limits ? "kept the top groups by the first function, as the SIEM would"
                                  : "the SIEM would return a partial answer (--emulate-limits)");
    if (p->default_row_limit && rows > (size_t)p->default_row_limit && !c->emulate_limits)
        fprintf(stderr, "mailc2: %zu rows; the SIEM shows only %" PRId64 " by default "
                        "(--emulate-limits applies that)\n", rows, p->default_row_limit);
}

static void summary(const cli_common *c, const run_info *info, size_t rows, double secs)
{
    const exec_stats *st = &info->st;
    fprintf(stderr, "mailc2: %" PRIu64 " files, %" PRIu64 " events, %" PRIu64 " bad records, "
                    "%zu findings in %.2f s", st->files, st->events, st->bad, rows, secs);
    if (c->window_ms) {
        char now[TIME_ISO_LEN], window[32];
        time_format_iso(info->now_ms, now);
        time_format_duration(c->window_ms, window, sizeof window);
        fprintf(stderr, " (window %s to %s%s)", window, now, c->now_latest ? ", latest event" : "");
    }
    fputc('\n', stderr);
    if (st->files_skipped)
        fprintf(stderr, "mailc2: %" PRIu64 " files skipped: format not recognised\n",
                st->files_skipped);
    window_note(st);
}

static int write_rows(const cli_common *c, const mc_result *r)
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

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int cli_execute(const cli_common *c, plan *p, char *const *paths, int npaths)
{
    static const char *const stdin_only[] = {"-"};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    diag d;
    diag_init(&d, stderr, c->max_errors);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    run_opts o = {.now_ms = c->now_ms, .now_latest = c->now_latest, .no_enrich = c->no_enrich,
                  .threads = c->threads ? c->threads : (int)(cpus > 0 ? cpus : 1),
                  .diag = &d, .log = c->quiet ? NULL : stderr};
    progress pr = {t0, 0};
    if (c->progress == 1 || (c->progress == -1 && !c->quiet && isatty(STDERR_FILENO))) {
        o.progress = progress_bar;
        o.progress_ud = &pr;
    }
    o.emulate_limits = c->emulate_limits;
    input_settings settings;
    char err[400];
    if (input_settings_init(&settings, c->local_nets, c->map, err, sizeof err))
        return cli_usage_error("%s", err); /* checked with the options already */
    o.settings = &settings;

    mc_result *r;
    run_info info;
    int nin = npaths ? npaths : 1;
    run_input *in = xcalloc((size_t)nin, sizeof *in);
    for (int i = 0; i < nin; i++)
        in[i] = (run_input){RUN_IN_PATH, npaths ? paths[i] : stdin_only[0], NULL, 0, NULL, NULL};
    int rc = run_plan(p, in, nin, &o, &r, &info);
    free(in);
    if (!c->quiet)
        diag_finish(&d);
    int wrc = write_rows(c, r);
    size_t rows = r->nrows;
    if (!c->quiet) {
        summary(c, &info, rows, seconds_since(&t0));
        plan_notes(c, p, &info, rows);
    }
    result_free(r);
    input_settings_free(&settings);
    if (wrc)
        return wrc;
    if (rc == RUN_INPUT_ERROR)
        return EXIT_INPUT;
    return rows ? EXIT_FOUND : EXIT_NOTHING;
}
