/* cli: the `mailc2` command — one function per subcommand, over the
 * library in include/mailc2.h. Exit codes are the contract of the tool. */
#ifndef MAILC2_CLI_H
#define MAILC2_CLI_H

#include <stdio.h>

enum {
    EXIT_NOTHING = 0,   /* ran; no findings */
    EXIT_FOUND = 1,     /* ran; findings (like grep) */
    EXIT_USAGE = 2,     /* bad flags or rule */
    EXIT_INPUT = 3,     /* an input could not be read (others were); no findings */
    EXIT_WRITE = 4,     /* the results could not be written (disk full, I/O error) */
    EXIT_FOUND_INPUT = 5, /* findings, and an input could not be read: neither hides the other */
};

int cmd_hunt(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_formats(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_lint(int argc, char **argv);
void usage(FILE *out);
void usage_convert(FILE *out);
void usage_lint(FILE *out);

#endif
