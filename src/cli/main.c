/* main: dispatches `mailc2 SUBCOMMAND ...` (see usage() for the list). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mailc2.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"hunt", cmd_hunt},
    {"run", cmd_run},
    {"explain", cmd_explain},
    {"formats", cmd_formats},
    {"watch", cmd_watch},
    {"convert", cmd_convert},
    {"lint", cmd_lint},
};

/* MAILC2_SIMD (README "Vector units"): the library takes a value it does
 * not know as no limit; a misspelling is said here, once. */
static void check_simd_setting(void)
{
    const char *s = getenv("MAILC2_SIMD");
    if (s && *s && strcmp(s, "avx512") && strcmp(s, "avx2") && strcmp(s, "none"))
        fprintf(stderr, "mailc2: MAILC2_SIMD=%s is not avx512, avx2 or none; ignored\n", s);
}

int main(int argc, char **argv)
{
    check_simd_setting();
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_NOTHING;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("mailc2 %s\n", MAILC2_VERSION);
        return EXIT_NOTHING;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "mailc2: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
