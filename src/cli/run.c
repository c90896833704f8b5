/* run: `mailc2 run RULE`, `mailc2 explain RULE` and `mailc2 formats` —
 * load a rule file, compile it with its language's front end, and run or
 * print the plan. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"

enum { OPT_LANG = OPT_COMMAND_FIRST };

static const struct option run_options[] = {
    {"lang", required_argument, NULL, OPT_LANG},
    CLI_COMMON_OPTIONS,
    {NULL, 0, NULL, 0},
};

/* The whole file, NUL-terminated; NULL with a message on failure. */
static char *read_rule(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "mailc2: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0, got;
    char *text = malloc(cap);
    while (text && (got = fread(text + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        char *bigger = cap - n - 1 == 0 ? realloc(text, cap *= 2) : text;
        if (!bigger)
            free(text);
        text = bigger;
    }
    int bad = ferror(f) || !text;
    fclose(f);
    if (bad) {
        fprintf(stderr, "mailc2: %s: %s\n", path, text ? "read error" : "out of memory");
        free(text);
        return NULL;
    }
    text[n] = '\0';
    *len = n;
    return text;
}

mc_query *cli_compile_rule(mc_engine *e, const char *path, const char *lang)
{
    size_t len;
    char *text = read_rule(path, &len);
    if (!text)
        return NULL;
    mc_error err;
    mc_query *q = mc_compile(e, lang, path, text, len, &err);
    if (!q && err.code == MC_E_RULE)
        mc_error_print(&err, text, len, stderr);
    else if (!q)
        fprintf(stderr, "mailc2: %s\n", err.message);
    free(text);
    return q;
}

int cmd_run(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    const char *lang = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", run_options, NULL)) != -1) {
        int rc = cli_common_option(&c, opt == 'h' ? OPT_HELP : opt, optarg);
        if (rc == 1 && opt == OPT_LANG) {
            lang = optarg;
            rc = 0;
        } else if (rc == 1) {
            rc = cli_usage_error("%s", "unrecognised option (see above)");
        }
        if (rc)
            return rc < 0 ? EXIT_NOTHING : rc;
    }
    if (optind >= argc)
        return cli_usage_error("%s", "run: which rule? (mailc2 run RULE [PATH...])");
    mc_engine *e = cli_engine(&c);
    if (!e)
        return EXIT_USAGE;
    mc_query *q = cli_compile_rule(e, argv[optind], lang);
    int rc = q ? cli_execute(&c, e, q, argv + optind + 1, argc - optind - 1) : EXIT_USAGE;
    mc_query_free(q);
    mc_engine_close(e);
    return rc;
}

int cmd_explain(int argc, char **argv)
{
    const char *lang = NULL;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", run_options, NULL)) != -1) {
        if (opt == OPT_LANG)
            lang = optarg;
        else if (opt == OPT_LOCAL_NETS)
            continue; /* no input is read */
        else if (opt == OPT_HELP || opt == 'h')
            return usage(stdout), EXIT_NOTHING;
        else
            return cli_usage_error("%s", "explain takes only --lang");
    }
    mc_options o;
    mc_options_init(&o); /* no log: explain shows the plan, not warnings */
    mc_error err;
    mc_engine *e = mc_engine_open(&o, &err);
    mc_query *q = !e ? NULL
                  : optind >= argc || strcmp(argv[optind], "builtin") == 0
                      ? mc_hunt(e, NULL, &err)
                      : cli_compile_rule(e, argv[optind], lang);
    if (q)
        mc_query_explain(q, stdout);
    mc_query_free(q);
    mc_engine_close(e);
    return q ? EXIT_NOTHING : EXIT_USAGE;
}

int cmd_formats(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; mc_format_name(i); i++)
        printf("%-14s %s\n", mc_format_name(i), mc_format_describe(i));
    return EXIT_NOTHING;
}
