/* watch: `mailc2 watch` — runs a rule live on this machine. The sensor
 * (mc_sensor_*) hands over each outbound TCP connection as a Sysmon-shaped
 * JSON line; the lines of the last --window are kept (mc_window_*) and, at
 * every --report-every and on exit, the compiled rule runs over them with
 * mc_run, now being the clock. The rows printed are those new or changed
 * since the last report (mc_sink_changes). --record writes every line to
 * a file that `hunt` and `run` read back with the same findings. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "common.h"

enum {
    OPT_RULE = OPT_COMMAND_FIRST, OPT_LANG, OPT_WINDOW, OPT_EVERY, OPT_RECORD, OPT_SENSOR,
    OPT_MAX_EVENTS, OPT_PORTS, OPT_ALLOW, OPT_THRESHOLD,
};

static const struct option watch_options[] = {
    {"rule", required_argument, NULL, OPT_RULE},
    {"lang", required_argument, NULL, OPT_LANG},
    {"window", required_argument, NULL, OPT_WINDOW},
    {"report-every", required_argument, NULL, OPT_EVERY},
    {"record", required_argument, NULL, OPT_RECORD},
    {"sensor", required_argument, NULL, OPT_SENSOR},
    {"max-events", required_argument, NULL, OPT_MAX_EVENTS},
    {"ports", required_argument, NULL, OPT_PORTS},
    {"allow", required_argument, NULL, OPT_ALLOW},
    {"threshold", required_argument, NULL, OPT_THRESHOLD},
    CLI_COMMON_OPTIONS,
    {NULL, 0, NULL, 0},
};

typedef struct watch {
    cli_common c;
    mc_hunt_options hunt;     /* the built-in rule's tuning */
    const char *rule, *lang, *record;
    int64_t window_ms, every_ms;
    size_t max_events;
    mc_sensor_options sensor;
} watch;

/* The one global: set by SIGINT/SIGTERM, read by the loop (a handler can
 * reach nothing else). */
static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int sensor_mode(const char *arg, int *mode)
{
    static const char *const names[] = {"auto", "ebpf", "sock_diag"};
    for (int i = 0; i < 3; i++)
        if (strcmp(arg, names[i]) == 0)
            return *mode = i, 0; /* MC_SENSOR_AUTO, _EBPF, _SOCK_DIAG in order */
    return cli_usage_error("--sensor: '%s' is not auto, ebpf or sock_diag", arg);
}

static int watch_option(watch *w, int opt, const char *arg)
{
    char *end;
    switch (opt) {
    case OPT_RULE: w->rule = arg; return 0;
    case OPT_LANG: w->lang = arg; return 0;
    case OPT_RECORD: w->record = arg; return 0;
    case OPT_PORTS: w->hunt.ports = arg; return 0;
    case OPT_ALLOW: w->hunt.allow = arg; return 0;
    case OPT_THRESHOLD: w->hunt.threshold = arg; return 0;
    case OPT_SENSOR: return sensor_mode(arg, &w->sensor.mode);
    case OPT_WINDOW:
        w->hunt.window = arg;
        return mc_duration_parse(arg, &w->window_ms)
                   ? cli_usage_error("--window: '%s' is not a duration like 90m, 24h or 7d", arg)
                   : 0;
    case OPT_EVERY:
        return mc_duration_parse(arg, &w->every_ms)
                   ? cli_usage_error("--report-every: '%s' is not a duration like 500ms, 10s "
                                     "or 1m", arg)
                   : 0;
    case OPT_MAX_EVENTS:
        w->max_events = (size_t)strtoull(arg, &end, 10);
        return end == arg || *end || *arg == '-' || w->max_events == 0
                   ? cli_usage_error("--max-events: '%s' is not a whole number > 0", arg)
                   : 0;
    case OPT_NOW: return cli_usage_error("%s", "watch: --now is the clock; it cannot be set");
    default: return cli_usage_error("%s", "unrecognised option (see above)");
    }
}

/* Flags into w; 0, or the exit code (-1: --help was printed). */
static int parse(watch *w, int argc, char **argv)
{
    cli_common_init(&w->c);
    mc_sensor_options_init(&w->sensor);
    w->window_ms = 24 * 3600 * 1000;
    w->every_ms = 10 * 1000;
    w->max_events = 200000;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", watch_options, NULL)) != -1) {
        int rc = opt == OPT_NOW ? 1 /* refused below */
                                : cli_common_option(&w->c, opt == 'h' ? OPT_HELP : opt, optarg);
        if (rc == 1)
            rc = watch_option(w, opt, optarg);
        if (rc)
            return rc;
    }
    if (optind < argc)
        return cli_usage_error("watch: '%s': watch reads no files (it is the sensor)",
                               argv[optind]);
    if (w->rule && (w->hunt.ports || w->hunt.allow || w->hunt.threshold))
        return cli_usage_error("%s", "watch: --ports, --allow and --threshold tune the "
                               "built-in rule, not --rule");
    return 0;
}

/* Only bad records and rule warnings: the per-report notes would repeat. */
static void print_log(void *ud, int kind, const char *msg)
{
    (void)ud;
    if (kind != MC_LOG_NOTE)
        fprintf(stderr, "%s\n", msg);
}

static mc_query *compile(watch *w, mc_engine *e)
{
    if (w->rule)
        return cli_compile_rule(e, w->rule, w->lang);
    mc_error err;
    mc_query *q = mc_hunt(e, &w->hunt, &err);
    if (!q)
        cli_usage_error("%s", err.message);
    return q;
}

typedef struct session {
    mc_query *q;
    mc_sensor *sensor;
    mc_window *window;
    mc_sink *sink;
    FILE *out, *record;
    uint64_t findings;        /* rows of the last report */
    int failed;               /* an exit code once something failed */
} session;

/* One report: the rule over the window, now = the clock. */
static void report(const watch *w, session *s, int last)
{
    mc_options o = w->c.o;
    o.now_ms = mc_time_now_ms();
    o.now_latest = 0;
    o.log = print_log;
    mc_error err;
    mc_engine *e = mc_engine_open(&o, &err);
    if (!e) {
        fprintf(stderr, "mailc2: %s\n", err.message);
        s->failed = EXIT_USAGE;
        return;
    }
    mc_input in = mc_window_input(s->window, o.now_ms);
    mc_report *r = NULL;
    int rc = mc_run(e, s->q, &in, 1, s->sink, &r, &err);
    s->findings = r ? mc_report_count(r, MC_COUNT_ROWS) : 0;
    if (last && !w->c.quiet && r)
        for (size_t i = 0; i < mc_report_nnotes(r); i++)
            fprintf(stderr, "mailc2: %s\n", mc_report_note(r, i));
    if (rc == MC_E_WRITE) {
        fprintf(stderr, "mailc2: %s\n", err.message);
        s->failed = EXIT_WRITE;
    }
    mc_report_free(r);
    mc_engine_close(e);
}

/* --record: each line as it comes, written through at each report. */
static void record(session *s, const char *line, size_t len, const char *path, int flush)
{
    if (!s->record)
        return;
    if ((len && fwrite(line, 1, len, s->record) != len) || (flush && fflush(s->record) != 0)) {
        fprintf(stderr, "mailc2: %s: write error: %s\n", path, strerror(errno));
        s->failed = EXIT_WRITE;
    }
}

/* Events into the window until a signal or a failure, reporting on time. */
static void loop(const watch *w, session *s)
{
    int64_t next_report = mc_time_now_ms() + w->every_ms;
    while (!stop_requested && !s->failed) {
        int64_t wait = next_report - mc_time_now_ms();
        wait = wait < 0 ? 0 : wait > 1000 ? 1000 : wait; /* a long --report-every fits an int */
        const char *line;
        size_t len;
        int64_t when;
        mc_error err;
        int rc = mc_sensor_next(s->sensor, (int)wait, &line, &len, &when, &err);
        if (rc < 0) {
            fprintf(stderr, "mailc2: %s\n", err.message);
            s->failed = EXIT_INPUT;
        } else if (rc == 1) {
            mc_window_add(s->window, line, len, when);
            record(s, line, len, w->record, 0);
        }
        if (mc_time_now_ms() >= next_report) {
            record(s, NULL, 0, w->record, 1);
            report(w, s, 0);
            next_report = mc_time_now_ms() + w->every_ms; /* a slow report is not caught up */
        }
    }
}

static void summary(const watch *w, const session *s)
{
    const mc_sensor *m = s->sensor;
    fprintf(stderr, "mailc2: watch stopped (%s): %llu events seen, %llu dropped by the ring "
            "buffer, %llu pushed out of the window early (--max-events %zu), %llu without an "
            "executable path (%llu resolved from the kernel's copy after the process exited); "
            "%llu finding(s) at the end, %llu row(s) reported\n",
            mc_sensor_mode(m), (unsigned long long)mc_sensor_count(m, MC_SENSOR_SEEN),
            (unsigned long long)mc_sensor_count(m, MC_SENSOR_DROPPED),
            (unsigned long long)mc_window_evicted(s->window), w->max_events,
            (unsigned long long)mc_sensor_count(m, MC_SENSOR_NO_PROCESS),
            (unsigned long long)mc_sensor_count(m, MC_SENSOR_FROM_KERNEL),
            (unsigned long long)s->findings, (unsigned long long)mc_sink_changes_count(s->sink));
}

/* Opens the outputs and the sensor; 0 or an exit code. */
static int start(const watch *w, session *s)
{
    s->out = stdout;
    if (w->c.output && !(s->out = fopen(w->c.output, "w")))
        return fprintf(stderr, "mailc2: %s: %s\n", w->c.output, strerror(errno)), EXIT_USAGE;
    if (w->record && !(s->record = fopen(w->record, "w")))
        return fprintf(stderr, "mailc2: %s: %s\n", w->record, strerror(errno)), EXIT_USAGE;
    const char *fmt = w->c.format ? w->c.format : isatty(fileno(s->out)) ? "table" : "jsonl";
    mc_error err;
    s->sink = mc_sink_changes(fmt, s->out, w->c.output ? w->c.output : "<stdout>", &err);
    if (s->sink)
        s->sensor = mc_sensor_open(&w->sensor, &err);
    if (!s->sink || !s->sensor)
        return fprintf(stderr, "mailc2: watch: %s\n", err.message), EXIT_INPUT;
    s->window = mc_window_new(w->window_ms, w->max_events);
    if (!w->c.quiet)
        fprintf(stderr, "mailc2: watching outbound TCP connections with %s%s%s; reports every "
                "%.3gs over the last %.3gh (Ctrl-C stops)\n", mc_sensor_mode(s->sensor),
                *mc_sensor_note(s->sensor) ? ": " : "", mc_sensor_note(s->sensor),
                (double)w->every_ms / 1000, (double)w->window_ms / 3600000);
    return 0;
}

/* Closes a file written to; a failure (a full disk) is said and fails
 * the run, unless a failure was said already. */
static void close_output(session *s, FILE *f, const char *path)
{
    if (f && f != stdout && (ferror(f) | fclose(f)) != 0 && !s->failed) {
        fprintf(stderr, "mailc2: %s: write error: %s\n", path, strerror(errno));
        s->failed = EXIT_WRITE;
    }
}

static void finish(const watch *w, session *s)
{
    mc_window_free(s->window);
    mc_sensor_close(s->sensor);
    mc_sink_free(s->sink);
    close_output(s, s->record, w->record);
    close_output(s, s->out, w->c.output);
    mc_query_free(s->q);
}

int cmd_watch(int argc, char **argv)
{
    watch w = {0};
    int rc = parse(&w, argc, argv);
    if (rc)
        return rc < 0 ? EXIT_NOTHING : rc;
    /* Before anything slow (loading the eBPF program takes a while): a
     * signal that came earlier would be lost, or kill the process. */
    struct sigaction sa = {.sa_handler = on_stop}; /* no SA_RESTART: waits end */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    w.c.o.log = print_log; /* rule warnings when it compiles */
    mc_error err;
    mc_engine *e = mc_engine_open(&w.c.o, &err);
    if (!e)
        return cli_usage_error("%s", err.message);
    session s = {.q = compile(&w, e)};
    mc_engine_close(e);
    rc = s.q ? start(&w, &s) : EXIT_USAGE;
    if (!rc) {
        loop(&w, &s);
        if (!s.failed)
            report(&w, &s, 1);
        summary(&w, &s);
    }
    finish(&w, &s);
    return rc ? rc : s.failed ? s.failed : s.findings ? EXIT_FOUND : EXIT_NOTHING;
}
