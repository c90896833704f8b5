/* record: the per-record step (see record.h). */
#include "driver/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

input_notes *input_notes_new(const char *shown)
{
    input_notes *n = xcalloc(1, sizeof *n);
    pthread_mutex_init(&n->lock, NULL);
    n->shown = shown;
    return n;
}

void input_notes_close(input_notes *n, const logger *log)
{
    if (n->n)
        log_line(log, "mailc2: %s: %llu record%s: %s (first at line %llu)", n->shown,
                 (unsigned long long)n->n, n->n == 1 ? "" : "s", n->first,
                 (unsigned long long)n->first_line);
    pthread_mutex_destroy(&n->lock);
    free(n);
}

static void note_add(input_notes *n, uint64_t lineno, const char *what)
{
    pthread_mutex_lock(&n->lock);
    if (!n->n++ || lineno < n->first_line) {
        n->first_line = lineno;
        snprintf(n->first, sizeof n->first, "%s", what);
    }
    pthread_mutex_unlock(&n->lock);
}

void record_bind(exec_worker *w, int nreq)
{
    for (int i = nreq; i < PLAN_FIRST_EVAL && i < w->p->nslots; i++)
        w->row[i] = mc_null();
}

int record_line(exec_worker *w, const record_src *s, uint64_t lineno, char *line, size_t len)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == len)
        return DECODE_SKIP; /* blank lines separate nothing and are not records */
    if (s->ctx)
        s->dec->context->add(s->ctx, line, len);
    if (!s->vd)
        return DECODE_SKIP;
    char err[160] = "";
    arena_reset(&w->scratch);
    if (s->pf && !prefilter_pass(s->pf, w, line, len)) {
        w->st.prefiltered++;
        return DECODE_SKIP;
    }
    int rc = view_decode(s->vd, line, len, w->row, &w->scratch, err, sizeof err);
    if (rc == DECODE_SKIP)
        return rc;
    if (rc != DECODE_OK) {
        w->st.bad++;
        diag_bad(s->d, s->shown, lineno, "%s: %s", s->dec->name, err);
        return rc;
    }
    if (err[0] && s->notes)
        note_add(s->notes, lineno, err);
    if (s->raw_slot >= 0)
        w->row[s->raw_slot] = mc_str(MC_STR, line, len);
    w->st.events++;
    exec_event(w);
    if (w->ctx.regex_limited) {
        /* Neither a match nor a miss: the record is left out, as an error. */
        w->st.bad++;
        diag_bad(s->d, s->shown, lineno, "a regular expression reached its match limit on this "
                                         "record (%u steps, --regex-limit); the record was "
                                         "left out",
                 w->ctx.match_limit);
    }
    return rc;
}

void record_block(exec_worker *w, const record_src *s, char *block, size_t len,
                  uint64_t first_line)
{
    uint64_t lineno = first_line;
    for (char *p = block, *end = block + len; p < end; lineno++) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *e = nl ? nl : end; /* a last line without a newline: the block has room */
        char *next = nl ? nl + 1 : end;
        if (e > p && e[-1] == '\r')
            e--;
        /* Decoders may rely on a NUL after the line; the byte is put back so
         * that a block read for a join table can still go to the workers. */
        char kept = *e;
        *e = '\0';
        record_line(w, s, lineno, p, (size_t)(e - p));
        *e = kept;
        p = next;
    }
}

void record_finish(exec_worker *w, const record_src *s)
{
    arena_reset(&w->scratch);
    if (view_finish(s->vd, w->row, &w->scratch) != DECODE_OK)
        return;
    if (s->raw_slot >= 0)
        w->row[s->raw_slot] = mc_null(); /* its lines are gone */
    w->st.events++;
    exec_event(w);
}

void record_decoded(exec_worker *w, const view_binding *view)
{
    view_apply(view, w->row);
    w->st.events++;
    exec_event(w);
}

void record_bad(exec_worker *w, const record_src *s, uint64_t record, uint64_t offset,
                const char *msg)
{
    w->st.bad++;
    if (record)
        diag_bad(s->d, s->shown, record, "%s: %s", s->dec->name, msg);
    else
        diag_bad_at(s->d, s->shown, offset, "%s: %s", s->dec->name, msg);
}
