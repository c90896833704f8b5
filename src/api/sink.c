/* sink: the public sinks and rows (include/mailc2.h) over the output
 * layer's sink interface: a built-in text format, or a caller's callbacks
 * seen through an adapter. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

size_t mc_row_ncols(const mc_row *r)
{
    return r->n;
}

int mc_cell_type(const mc_row *r, size_t col)
{
    static const int types[] = {
        [MC_NULL] = MC_CELL_NULL, [MC_BOOL] = MC_CELL_BOOL, [MC_INT] = MC_CELL_INT,
        [MC_FLOAT] = MC_CELL_FLOAT, [MC_TS] = MC_CELL_TIME, [MC_IP] = MC_CELL_IP,
        [MC_STR] = MC_CELL_TEXT,
    };
    return col < r->n ? types[r->v[col].type] : MC_CELL_NULL;
}

const char *mc_cell_text(const mc_row *r, size_t col, char buf[MC_CELL_TEXT_MAX], size_t *len)
{
    const char *s = "";
    *len = 0;
    if (col < r->n)
        value_format(&r->v[col], buf, &s, len);
    return s;
}

int64_t mc_cell_int(const mc_row *r, size_t col)
{
    if (col >= r->n)
        return 0;
    int t = r->v[col].type;
    return t == MC_INT || t == MC_BOOL || t == MC_TS ? r->v[col].u.i : 0;
}

double mc_cell_float(const mc_row *r, size_t col)
{
    if (col >= r->n)
        return 0;
    mc_value n;
    return value_as_number(&r->v[col], &n) ? 0 : n.type == MC_FLOAT ? n.u.f : (double)n.u.i;
}

/* A caller's callbacks behind the output layer's interface. */
static int user_begin(void *ud, const char *const *names, int ncols)
{
    const mc_sink *s = ud;
    return s->ops->begin ? s->ops->begin(s->ud, names, (size_t)ncols) : 0;
}

static int user_row(void *ud, const mc_value *cells, int ncols)
{
    const mc_sink *s = ud;
    mc_row row = {cells, (size_t)ncols};
    return s->ops->row ? s->ops->row(s->ud, &row) : 0;
}

static int user_end(void *ud)
{
    const mc_sink *s = ud;
    return s->ops->end ? s->ops->end(s->ud) : 0;
}

static const sink_ops user_ops = {user_begin, user_row, user_end, NULL, NULL, NULL, NULL, NULL};

mc_sink *mc_sink_new(const mc_sink_ops *ops, void *ud)
{
    mc_sink *s = xcalloc(1, sizeof *s);
    s->ops = ops;
    s->ud = ud;
    s->s = (sink){&user_ops, s};
    snprintf(s->name, sizeof s->name, "the sink");
    return s;
}

mc_sink *mc_sink_open(const char *format, FILE *out, const char *name, mc_error *err)
{
    enum out_format f;
    if (out_parse_format(format, &f)) {
        api_fail(err, MC_E_USAGE, NULL, "--format: '%s' is not table, jsonl, csv, html or ocsf",
                 format);
        return NULL;
    }
    mc_sink *s = xcalloc(1, sizeof *s);
    s->s = sink_open(f, out);
    s->keep_times = f == OUT_HTML; /* its timelines */
    snprintf(s->name, sizeof s->name, "%s", name ? name : "output");
    return s;
}

int mc_sink_columns(mc_sink *s, const char *list)
{
    size_t n = strlen(list);
    if (!n || list[0] == ',' || list[n - 1] == ',' || strstr(list, ",,"))
        return -1;
    free(s->columns);
    s->columns = xmalloc(n + 1);
    memcpy(s->columns, list, n + 1);
    return 0;
}

void mc_sink_fit(mc_sink *s, int width, int color)
{
    sink_text_fit(&s->s, width > 0 ? width : 0, color);
}

void mc_sink_free(mc_sink *s)
{
    if (!s)
        return;
    sink_free(&s->s);
    free(s->columns);
    free(s);
}
