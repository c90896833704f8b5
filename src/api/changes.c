/* changes: mc_sink_changes, the sink `mailc2 watch` reports through. Each
 * report is a run over the whole window, so most of its rows were already
 * shown; this sink writes only rows that the previous run did not have
 * (cell for cell): new findings and findings whose count or times moved.
 * Comparing with the previous run only keeps its memory to two results.
 *
 * The rows go to a built-in text sink: one for the whole watch in CSV (so
 * it has one header; its rows do not read the column names, which belong
 * to each run), a new one per run for JSON lines and a table (so each
 * report's table is aligned on its own). */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "util/strmap.h"

typedef struct changes {
    enum out_format f;
    FILE *out;
    sink text;                /* the built-in writer; .ops NULL: not begun */
    const char *const *names;
    int ncols;
    strmap prev, cur;         /* the rows of the previous run and of this one */
    char *key;                /* the row being looked up, cells joined */
    size_t key_cap;
    uint64_t written;
    int err;                  /* errno of a failed write of a closed writer */
} changes;

static void text_open(changes *c)
{
    if (c->text.ops)
        return;
    c->text = sink_text(c->f, c->out);
    c->text.ops->begin(c->text.ud, c->names, c->ncols);
}

static int ch_begin(void *ud, const char *const *names, int ncols)
{
    changes *c = ud;
    c->names = names;
    c->ncols = ncols;
    return 0; /* the header waits for the first new row */
}

/* The row's cells as text, separated by a byte no cell text holds. */
static size_t row_key(changes *c, const mc_value *cells, int ncols)
{
    size_t n = 0;
    for (int i = 0; i < ncols; i++) {
        char buf[VALUE_TEXT_MAX];
        const char *s;
        size_t len;
        value_format(&cells[i], buf, &s, &len);
        if (n + len + 2 > c->key_cap)
            c->key = xrealloc(c->key, c->key_cap = 2 * (n + len + 2));
        memcpy(c->key + n, s, len);
        n += len;
        c->key[n++] = cells[i].type == MC_NULL ? '\x1e' : '\x1f';
    }
    return n;
}

static int ch_row(void *ud, const mc_value *cells, int ncols)
{
    changes *c = ud;
    size_t n = row_key(c, cells, ncols);
    strmap_put(&c->cur, c->key ? c->key : "", n, c);
    if (c->key && strmap_get(&c->prev, c->key, n))
        return 0;
    text_open(c);
    c->written++;
    return c->text.ops->row(c->text.ud, cells, ncols);
}

static int ch_end(void *ud)
{
    changes *c = ud;
    strmap_free(&c->prev);
    c->prev = c->cur;
    strmap_init(&c->cur);
    if (!c->text.ops)
        return 0;
    int rc = c->text.ops->end(c->text.ud);
    if (c->f != OUT_CSV) {
        c->err = c->err ? c->err : sink_errno(&c->text);
        sink_free(&c->text);
        c->text.ops = NULL;
    }
    return rc;
}

static void ch_free(void *ud)
{
    changes *c = ud;
    if (c->text.ops)
        sink_free(&c->text);
    strmap_free(&c->prev);
    strmap_free(&c->cur);
    free(c->key);
    free(c);
}

/* The text sink of the current report writes; its failure is ours. */
static int ch_errnum(void *ud)
{
    const changes *c = ud;
    return c->err ? c->err : c->text.ops ? sink_errno(&c->text) : 0;
}

static const sink_ops changes_ops = {ch_begin, ch_row, ch_end, ch_free, NULL, ch_errnum, NULL, NULL};

mc_sink *mc_sink_changes(const char *format, FILE *out, const char *name, mc_error *err)
{
    enum out_format f;
    /* A page is written once, whole; a watch writes rows as they change,
     * and an OCSF finding's update is an activity of its own, not written. */
    if (out_parse_format(format, &f) || f == OUT_HTML || f == OUT_OCSF) {
        api_fail(err, MC_E_USAGE, NULL, "--format: '%s' is not table, jsonl or csv", format);
        return NULL;
    }
    changes *c = xcalloc(1, sizeof *c);
    c->f = f;
    c->out = out;
    strmap_init(&c->prev);
    strmap_init(&c->cur);
    mc_sink *s = xcalloc(1, sizeof *s);
    s->s = (sink){&changes_ops, c};
    snprintf(s->name, sizeof s->name, "%s", name ? name : "output");
    return s;
}

uint64_t mc_sink_changes_count(const mc_sink *s)
{
    return s->s.ops == &changes_ops ? ((const changes *)s->s.ud)->written : 0;
}
