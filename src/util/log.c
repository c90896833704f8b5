/* log: formatting a line for a logger (see log.h). */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

char *log_format(char *buf, size_t cap, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(buf, cap, fmt, ap);
    char *text = n < 0 ? NULL : (size_t)n < cap ? buf : malloc((size_t)n + 1);
    if (text && text != buf)
        vsnprintf(text, (size_t)n + 1, fmt, again); /* a message is never cut */
    va_end(again);
    return text;
}

void log_line(const logger *l, const char *fmt, ...)
{
    if (!l || !l->fn)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    char *text = log_format(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (text)
        l->fn(l->ud, text);
    if (text != buf)
        free(text);
}

void log_to_file(void *ud, const char *line)
{
    fputs(line, ud);
    fputc('\n', ud);
}
