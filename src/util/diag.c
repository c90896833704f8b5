/* diag: bad-record messages and counts (see diag.h for the contract). */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>

void diag_init(diag *d, logger out, unsigned max_shown)
{
    d->out = out;
    d->max_shown = max_shown;
    d->bad = 0;
    pthread_mutex_init(&d->lock, NULL);
}

/* Takes the lock; the caller releases it with diag_done(). */
static int diag_should_show(diag *d)
{
    pthread_mutex_lock(&d->lock);
    d->bad++;
    return d->out.fn && d->bad <= d->max_shown;
}

static void diag_done(diag *d)
{
    pthread_mutex_unlock(&d->lock);
}

/* One message: `where: ` then the formatted text, or only a count. */
static void report(diag *d, const char *where, const char *fmt, va_list ap)
{
    if (diag_should_show(d)) {
        char msg[768];
        vsnprintf(msg, sizeof msg, fmt, ap);
        log_line(&d->out, "%s: %s", where, msg);
    }
    diag_done(d);
}

void diag_bad(diag *d, const char *file, uint64_t line, const char *fmt, ...)
{
    char where[512];
    snprintf(where, sizeof where, "%s:%llu", file, (unsigned long long)line);
    va_list ap;
    va_start(ap, fmt);
    report(d, where, fmt, ap);
    va_end(ap);
}

void diag_bad_at(diag *d, const char *file, uint64_t offset, const char *fmt, ...)
{
    char where[512];
    snprintf(where, sizeof where, "%s: offset %llu", file, (unsigned long long)offset);
    va_list ap;
    va_start(ap, fmt);
    report(d, where, fmt, ap);
    va_end(ap);
}

void diag_finish(diag *d)
{
    if (d->bad > d->max_shown)
        log_line(&d->out, "mailc2: %llu more bad records not shown",
                 (unsigned long long)(d->bad - d->max_shown));
}
