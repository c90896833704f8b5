/* main: dispatches `mailc2 SUBCOMMAND ...` (see usage() for the list). */
#include <stdio.h>
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

int main(int argc, char **argv)
{
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
