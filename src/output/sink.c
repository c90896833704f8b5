/* sink: feeding a result through a sink, and format names (see sink.h). */
#include "output/sink.h"

#include <string.h>

int out_parse_format(const char *name, enum out_format *f)
{
    static const struct { const char *name; enum out_format f; } known[] = {
        {"table", OUT_TABLE}, {"jsonl", OUT_JSONL}, {"json", OUT_JSONL}, {"csv", OUT_CSV},
        {"html", OUT_HTML}, {"ocsf", OUT_OCSF},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(name, known[i].name) == 0) {
            *f = known[i].f;
            return 0;
        }
    return -1;
}

int sink_write(const sink *s, const mc_result *r, int threads)
{
    int rc = s->ops->begin(s->ud, r->names, r->ncols);
    if (!rc && s->ops->rows)
        rc = s->ops->rows(s->ud, r, threads);
    for (size_t i = 0; i < r->nrows && !rc && !s->ops->rows; i++)
        rc = s->ops->row(s->ud, result_row(r, i), r->ncols);
    return rc ? rc : s->ops->end(s->ud);
}

sink sink_open(enum out_format f, FILE *out)
{
    return f == OUT_HTML ? sink_html(out) : f == OUT_OCSF ? sink_ocsf(out) : sink_text(f, out);
}

int sink_errno(const sink *s)
{
    return s->ops && s->ops->errnum ? s->ops->errnum(s->ud) : 0;
}

void sink_mean(const sink *s, const sink_meaning *m)
{
    if (s->ops && s->ops->meaning)
        s->ops->meaning(s->ud, m);
}

int sink_notes(const sink *s, const char *const *notes, size_t n)
{
    return s->ops && s->ops->notes ? s->ops->notes(s->ud, notes, n) : 0;
}

void sink_free(sink *s)
{
    if (s->ops && s->ops->free)
        s->ops->free(s->ud);
    s->ops = NULL;
    s->ud = NULL;
}
