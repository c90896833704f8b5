/* log: formatting a line for a logger (see log.h). */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void log_line(const logger *l, const char *fmt, ...)
{
    if (!l || !l->fn)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof buf) {
        l->fn(l->ud, buf);
        return;
    }
    /* Longer than the buffer: a message is never cut. */
    char *big = malloc((size_t)n + 1);
    if (!big)
        return;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    l->fn(l->ud, big);
    free(big);
}

void log_to_file(void *ud, const char *line)
{
    fputs(line, ud);
    fputc('\n', ud);
}
