/* present: how findings meet a person at a terminal — the table fitted to
 * the terminal's width (--wide: values whole), colour unless NO_COLOR, and
 * a word when the input is a terminal (`mailc2 hunt` with no path waits for
 * stdin, which looks like a hang). */
#include "present.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int cli_terminal_width(FILE *out)
{
    struct winsize ws;
    if (!isatty(fileno(out)))
        return 0;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *cols = getenv("COLUMNS");
    return cols && atoi(cols) > 0 ? atoi(cols) : 80;
}

int cli_color(FILE *out)
{
    const char *term = getenv("TERM");
    return isatty(fileno(out)) && !getenv("NO_COLOR") && !(term && !strcmp(term, "dumb"));
}

void cli_stdin_note(int npaths, int quiet)
{
    if (npaths == 0 && !quiet && isatty(0))
        fputs("mailc2: reading events from the terminal (stdin); give paths, or end with "
              "Ctrl-D\n", stderr);
}
