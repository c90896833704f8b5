/* lint: `mailc2 lint RULE` — compile a rule (or the built-in one) as `run`
 * and `convert` do and print what a detection engineer should know before
 * deploying it: one compiler-style warning per line with its fix below, or
 * JSON lines, and the count on stderr. Exit status 0 without warnings, 1
 * with some, 2 for a usage or rule error. */
#include <string.h>

#include "cli.h"
#include "common.h"

enum { OPT_LLANG = OPT_COMMAND_FIRST, OPT_FORMAT_OF };

static const struct option lint_options[] = {
    {"lang", required_argument, NULL, OPT_LLANG},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"format-of", required_argument, NULL, OPT_FORMAT_OF},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

typedef struct lint_args {
    const char *lang, *format;
    mc_lint_options o;
} lint_args;

/* 0 to go on, -1 after --help, or the exit status. */
static int parse(int argc, char **argv, lint_args *a)
{
    int opt;
    while ((opt = getopt_long(argc, argv, "h", lint_options, NULL)) != -1) {
        switch (opt) {
        case OPT_LLANG:     a->lang = optarg; break;
        case OPT_FORMAT:    a->format = optarg; break;
        case OPT_FORMAT_OF: a->o.format_of = optarg; break;
        case 'h':
        case OPT_HELP:      usage_lint(stdout); return -1;
        default:            return cli_usage_error("%s", "lint: see mailc2 lint --help");
        }
    }
    if (strcmp(a->format, "text") != 0 && strcmp(a->format, "jsonl") != 0)
        return cli_usage_error("lint: --format %s: text or jsonl", a->format);
    if (optind >= argc)
        return cli_usage_error("%s", "lint: which rule? (mailc2 lint RULE)");
    return 0;
}

typedef struct lint_out {
    const char *format;
    int failed;
} lint_out;

static void print_warning(void *ud, const mc_lint_warning *w)
{
    lint_out *out = ud;
    out->failed |= mc_lint_write(w, out->format, stdout) != 0;
}

static int lint(const mc_query *q, const lint_args *a)
{
    lint_out out = {a->format, 0};
    mc_error err;
    int n = mc_query_lint(q, &a->o, print_warning, &out, &err);
    if (n < 0) {
        fprintf(stderr, "mailc2: lint: %s\n", err.message);
        return EXIT_USAGE;
    }
    if (out.failed || fflush(stdout)) {
        fprintf(stderr, "mailc2: lint: could not write the warnings\n");
        return EXIT_WRITE;
    }
    fprintf(stderr, "%d warning%s\n", n, n == 1 ? "" : "s");
    return n ? EXIT_FOUND : EXIT_NOTHING;
}

int cmd_lint(int argc, char **argv)
{
    lint_args a = {.format = "text"};
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc < 0 ? EXIT_NOTHING : rc;
    mc_options o;
    mc_options_init(&o); /* no log: the lint reports, not the compiler's notes */
    mc_error err;
    mc_engine *e = mc_engine_open(&o, &err);
    mc_query *q = !e ? NULL
                  : strcmp(argv[optind], "builtin") == 0 ? mc_hunt(e, NULL, &err)
                                                          : cli_compile_rule(e, argv[optind], a.lang);
    rc = q ? lint(q, &a) : EXIT_USAGE;
    mc_query_free(q);
    mc_engine_close(e);
    return rc;
}
