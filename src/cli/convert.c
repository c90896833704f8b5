/* convert: `mailc2 convert RULE --to TARGET` — compile a rule (or the
 * built-in one) and write its plan as another engine's query. The text
 * comes from the plan, never from the rule's source, so what is converted
 * is exactly what `mailc2 run` executes. */
#include <string.h>

#include "cli.h"
#include "common.h"

enum { OPT_TO = OPT_COMMAND_FIRST, OPT_TABLE, OPT_SCHEMA, OPT_CLANG, OPT_ALLOW_LOSS,
       OPT_WINDOW };

static const struct option convert_options[] = {
    {"to", required_argument, NULL, OPT_TO},
    {"lang", required_argument, NULL, OPT_CLANG},
    {"table", required_argument, NULL, OPT_TABLE},
    {"schema", required_argument, NULL, OPT_SCHEMA},
    {"now", required_argument, NULL, OPT_NOW},
    {"allow-loss", no_argument, NULL, OPT_ALLOW_LOSS},
    {"window", required_argument, NULL, OPT_WINDOW},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

typedef struct convert_args {
    const char *to, *lang, *output;
    mc_convert_options o;
} convert_args;

/* 0 to go on, or the exit status. */
static int parse(int argc, char **argv, convert_args *a)
{
    int opt;
    while ((opt = getopt_long(argc, argv, "ho:", convert_options, NULL)) != -1) {
        switch (opt) {
        case OPT_TO:     a->to = optarg; break;
        case OPT_CLANG:  a->lang = optarg; break;
        case OPT_TABLE:  a->o.table = optarg; break;
        case OPT_SCHEMA: a->o.schema = optarg; break;
        case OPT_NOW:    a->o.now = optarg; break;
        case OPT_ALLOW_LOSS: a->o.allow_loss = 1; break;
        case OPT_WINDOW: a->o.window = optarg; break;
        case 'o':
        case OPT_OUTPUT: a->output = optarg; break;
        case 'h':
        case OPT_HELP:   usage_convert(stdout); return -1;
        default:         return cli_usage_error("%s", "convert: see mailc2 convert --help");
        }
    }
    if (optind >= argc)
        return cli_usage_error("%s", "convert: which rule? (mailc2 convert RULE --to TARGET)");
    if (!a->to)
        return cli_usage_error("%s", "convert: which target? (--to, see mailc2 convert --help)");
    return 0;
}

/* --allow-loss: each part left out, on stderr as well as in the query. */
static void not_carried(const char *what, void *arg)
{
    (void)arg;
    fprintf(stderr, "mailc2: convert: not carried: %s\n", what);
}

static int convert(mc_query *q, convert_args *a)
{
    FILE *out = a->output ? fopen(a->output, "w") : stdout;
    if (!out) {
        perror(a->output);
        return EXIT_WRITE;
    }
    mc_error err;
    a->o.not_carried = not_carried;
    int rc = mc_query_convert(q, a->to, &a->o, out, &err);
    if (rc)
        fprintf(stderr, "mailc2: convert: %s\n", err.message);
    int bad_write = ferror(out) || (out != stdout && fclose(out));
    if (!rc && bad_write) {
        fprintf(stderr, "mailc2: convert: could not write %s\n", a->output ? a->output : "stdout");
        return EXIT_WRITE;
    }
    return rc ? EXIT_USAGE : EXIT_NOTHING;
}

int cmd_convert(int argc, char **argv)
{
    convert_args a = {0};
    int rc = parse(argc, argv, &a);
    if (rc)
        return rc < 0 ? EXIT_NOTHING : rc;
    mc_options o;
    mc_options_init(&o); /* no log: conversion reads no input */
    mc_error err;
    mc_engine *e = mc_engine_open(&o, &err);
    mc_query *q = !e ? NULL
                  : strcmp(argv[optind], "builtin") == 0 ? mc_hunt(e, NULL, &err)
                                                          : cli_compile_rule(e, argv[optind], a.lang);
    rc = q ? convert(q, &a) : EXIT_USAGE;
    mc_query_free(q);
    mc_engine_close(e);
    return rc;
}
