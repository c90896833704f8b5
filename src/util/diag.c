/* diag: bad-record messages and counts (see diag.h for the contract). */
#include "util/diag.h"

#include <stdarg.h>

void diag_init(diag *d, FILE *out, unsigned max_shown)
{
    d->out = out;
    d->max_shown = max_shown;
    d->bad = 0;
}

static int diag_should_show(diag *d)
{
    d->bad++;
    return d->out && d->bad <= d->max_shown;
}

void diag_bad(diag *d, const char *file, uint64_t line, const char *fmt, ...)
{
    if (!diag_should_show(d))
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(d->out, "%s:%llu: ", file, (unsigned long long)line);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
    va_end(ap);
}

void diag_bad_at(diag *d, const char *file, uint64_t offset, const char *fmt, ...)
{
    if (!diag_should_show(d))
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(d->out, "%s: offset %llu: ", file, (unsigned long long)offset);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
    va_end(ap);
}

void diag_finish(diag *d)
{
    if (d->out && d->bad > d->max_shown)
        fprintf(d->out, "mailc2: %llu more bad records not shown\n",
                (unsigned long long)(d->bad - d->max_shown));
}
