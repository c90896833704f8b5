/* run: `mailc2 run RULE`, `mailc2 explain RULE` and `mailc2 formats` —
 * load a rule file, compile it with its language's front end, and run or
 * print the plan. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/common.h"
#include "input/decoder.h"
#include "lang/lang.h"

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
    char *text = xmalloc(cap);
    while ((got = fread(text + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0)
            text = xrealloc(text, cap *= 2);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "mailc2: %s: read error\n", path);
        free(text);
        return NULL;
    }
    text[n] = '\0';
    *len = n;
    return text;
}

/* Compiles RULE; prints errors with a caret. NULL means exit 2. */
static plan *compile_rule(const char *path, const char *lang, const cli_common *c)
{
    const frontend *fe = frontend_find(lang, path);
    if (!fe) {
        if (lang)
            fprintf(stderr, "mailc2: --lang %s: unknown language (logscale or aql)\n", lang);
        else
            fprintf(stderr, "mailc2: %s: cannot tell the rule's language from its extension; "
                            "use --lang logscale or --lang aql\n", path);
        return NULL;
    }
    size_t len;
    char *text = read_rule(path, &len);
    if (!text)
        return NULL;
    lang_src src = {path, text, len};
    lang_opts o = {c && c->quiet ? NULL : lang_warn_print, stderr};
    lang_error e = {0};
    plan *p = fe->compile(&src, &o, &e);
    if (!p)
        lang_error_print(&src, &e, stderr);
    free(text);
    return p;
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
    plan *p = compile_rule(argv[optind], lang, &c);
    if (!p)
        return EXIT_USAGE;
    int rc = cli_execute(&c, p, argv + optind + 1, argc - optind - 1);
    plan_free(p);
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
    plan *p;
    if (optind >= argc || strcmp(argv[optind], "builtin") == 0) {
        hunt_params h;
        hunt_params_default(&h);
        p = builtin_plan(&h);
    } else if (!(p = compile_rule(argv[optind], lang, NULL))) {
        return EXIT_USAGE;
    }
    plan_print(p, stdout);
    plan_free(p);
    return EXIT_NOTHING;
}

int cmd_formats(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    for (const decoder *const *d = decoder_all(); *d; d++)
        printf("%-14s %s\n", (*d)->name, (*d)->describe);
    return EXIT_NOTHING;
}
