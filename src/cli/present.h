/* present: what the command does for a person at a terminal (see
 * present.c). */
#ifndef MAILC2_CLI_PRESENT_H
#define MAILC2_CLI_PRESENT_H

#include <stdio.h>

/* The width of the terminal `out` is, or 0 when it is not one. */
int cli_terminal_width(FILE *out);
/* Whether to colour what goes to `out`: a terminal, NO_COLOR unset, TERM not dumb. */
int cli_color(FILE *out);
/* Says on stderr that events are read from the terminal, when they are. */
void cli_stdin_note(int npaths, int quiet);

#endif
