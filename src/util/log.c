/* log: formatting a line for a logger (see log.h). */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/arena.h"

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

/* Messages quote file names and record values, which may hold control
 * characters (an escape sequence an attacker wrote): those become \xNN,
 * line breaks of a multi-line message excepted. */
static char *visible(char *text)
{
    size_t n = 0, extra = 0;
    for (; text[n]; n++)
        extra += ((unsigned char)text[n] < 0x20 && text[n] != '\n') || text[n] == 0x7f ? 3 : 0;
    if (!extra)
        return NULL;
    char *out = malloc(n + extra + 1), *o = out;
    for (size_t i = 0; out && i < n; i++) {
        unsigned char ch = (unsigned char)text[i];
        if ((ch < 0x20 && ch != '\n') || ch == 0x7f)
            o += sprintf(o, "\\x%02x", ch);
        else
            *o++ = (char)ch;
    }
    if (out)
        *o = '\0';
    return out;
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
    char *shown = text ? visible(text) : NULL;
    if (text)
        l->fn(l->ud, shown ? shown : text);
    free(shown);
    if (text != buf)
        free(text);
}

void log_to_file(void *ud, const char *line)
{
    fputs(line, ud);
    fputc('\n', ud);
}

static void held_line(void *ud, const char *line)
{
    log_held *h = ud;
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 8;
        h->line = xrealloc(h->line, h->cap * sizeof *h->line);
    }
    h->line[h->n++] = xstrdup(line);
}

logger log_held_to(log_held *h)
{
    return (logger){held_line, h};
}

void log_held_say(log_held *h, const logger *l)
{
    for (size_t i = 0; i < h->n; i++) {
        if (l && l->fn)
            l->fn(l->ud, h->line[i]);
        free(h->line[i]);
    }
    free(h->line);
    *h = (log_held){0};
}
