/* log: where the library's messages go — one line at a time, to whatever
 * the embedding program wants (a FILE, a list, a GUI), never printed by the
 * library itself (include/mailc2.h, mc_options.log).
 *
 * Ownership: a logger borrows its `ud`. */
#ifndef MAILC2_LOG_H
#define MAILC2_LOG_H

#include <stdarg.h>
#include <stddef.h>

typedef void log_fn(void *ud, const char *line);

typedef struct logger {
    log_fn *fn;                 /* NULL: silent */
    void *ud;
} logger;

/* Formats fmt whole, however long: into buf (cap bytes) when it fits, else
 * into malloc'd memory. Returns the text (free it when it is not buf), or
 * NULL on an encoding error. */
char *log_format(char *buf, size_t cap, const char *fmt, va_list ap);
/* Formats one line (no newline) and hands it over. */
void log_line(const logger *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A log_fn for a FILE* ud: the line and a newline. */
void log_to_file(void *ud, const char *line);

/* Lines kept to be said later, or never: a run that may start over says
 * nothing of its first try until the try stands (driver/run.c). */
typedef struct log_held {
    char **line;
    size_t n, cap;
} log_held;

/* A logger whose lines h keeps (h starts zeroed). */
logger log_held_to(log_held *h);
/* Says h's lines on l (a NULL l: drops them), in order, and frees them. */
void log_held_say(log_held *h, const logger *l);

#endif
