/* diag: bad-record messages and counts (see diag.h for the contract). */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>

void diag_init(diag *d, logger out, unsigned max_shown)
{
    d->out = out;
    d->max_shown = max_shown;
    d->bad = 0;
    d->kept = NULL;
    d->nkept = 0;
    pthread_mutex_init(&d->lock, NULL);
}

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

/* Keeps a message among the max_shown lowest keys (a later one of equal
 * key after the earlier). */
static void keep(diag *d, uint64_t key, const char *text)
{
    unsigned at = d->nkept;
    while (at > 0 && d->kept[at - 1].key > key)
        at--;
    if (at == d->max_shown)
        return;
    if (d->nkept == d->max_shown)
        free(d->kept[--d->nkept].text);
    else if (!d->kept)
        d->kept = xcalloc(d->max_shown, sizeof *d->kept);
    memmove(&d->kept[at + 1], &d->kept[at], (d->nkept - at) * sizeof *d->kept);
    size_t n = strlen(text);
    d->kept[at] = (diag_msg){key, memcpy(xmalloc(n + 1), text, n + 1)};
    d->nkept++;
}

/* One message: `where: ` then the formatted text, or only a count. */
static void report(diag *d, uint64_t key, const char *where, const char *fmt, va_list ap)
{
    char msg[768], line[1300];
    vsnprintf(msg, sizeof msg, fmt, ap);
    snprintf(line, sizeof line, "%s: %s", where, msg);
    pthread_mutex_lock(&d->lock);
    d->bad++;
    if (d->out.fn && d->max_shown)
        keep(d, key, line);
    pthread_mutex_unlock(&d->lock);
}

void diag_bad(diag *d, uint64_t key, const char *file, uint64_t line, const char *fmt, ...)
{
    char where[512];
    snprintf(where, sizeof where, "%s:%llu", file, (unsigned long long)line);
    va_list ap;
    va_start(ap, fmt);
    report(d, key, where, fmt, ap);
    va_end(ap);
}

void diag_bad_at(diag *d, uint64_t key, const char *file, uint64_t offset, const char *fmt, ...)
{
    char where[512];
    snprintf(where, sizeof where, "%s: offset %llu", file, (unsigned long long)offset);
    va_list ap;
    va_start(ap, fmt);
    report(d, key, where, fmt, ap);
    va_end(ap);
}

/* Says the kept messages on `out` (NULL: drops them) and frees them. */
static void drain(diag *d, const logger *out)
{
    for (unsigned i = 0; i < d->nkept; i++) {
        log_line(out, "%s", d->kept[i].text);
        free(d->kept[i].text);
    }
    free(d->kept);
    d->kept = NULL;
    d->nkept = 0;
}

void diag_flush(diag *d)
{
    drain(d, &d->out);
}

void diag_forget(diag *d)
{
    drain(d, NULL);
    d->bad = 0;
}

void diag_finish(diag *d)
{
    diag_flush(d);
    if (d->bad > d->max_shown)
        log_line(&d->out, "mailc2: %llu more bad records not shown",
                 (unsigned long long)(d->bad - d->max_shown));
}
