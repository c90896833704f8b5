/* output: the three row formats (see output.h). They share one way of
 * turning a cell into text, out_cell_text(), so a time or number prints the
 * same in a table, a CSV field and a JSON string. */
#include "output/output.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"

int out_parse_format(const char *name, enum out_format *f)
{
    static const struct { const char *name; enum out_format f; } known[] = {
        {"table", OUT_TABLE}, {"jsonl", OUT_JSONL}, {"json", OUT_JSONL}, {"csv", OUT_CSV},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(name, known[i].name) == 0) {
            *f = known[i].f;
            return 0;
        }
    return -1;
}

int out_cell_text(const mc_value *v, char *buf, size_t buflen, const char **s, size_t *len)
{
    int n = 0;
    switch (v->type) {
    case MC_NULL:
        *s = "";
        *len = 0;
        return 0;
    case MC_STR:
    case MC_IP:
        *s = v->u.s;
        *len = v->len;
        return 1;
    case MC_TS:
        if (buflen >= TIME_ISO_LEN) {
            time_format_iso(v->u.i, buf);
            n = TIME_ISO_LEN - 1;
        }
        break;
    case MC_BOOL:  n = snprintf(buf, buflen, "%s", v->u.i ? "true" : "false"); break;
    case MC_FLOAT: n = snprintf(buf, buflen, "%.15g", v->u.f); break;
    default:       n = snprintf(buf, buflen, "%" PRId64, v->u.i); break;
    }
    *s = buf;
    *len = n < 0 ? 0 : (size_t)n;
    return 1;
}

static void csv_field(const char *s, size_t len, FILE *out)
{
    if (!memchr(s, ',', len) && !memchr(s, '"', len) && !memchr(s, '\n', len) &&
        !memchr(s, '\r', len)) {
        fwrite(s, 1, len, out);
        return;
    }
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            fputc('"', out);
        fputc(s[i], out);
    }
    fputc('"', out);
}

static void write_csv(const mc_result *r, FILE *out)
{
    for (int c = 0; c < r->ncols; c++) {
        if (c)
            fputc(',', out);
        csv_field(r->names[c], strlen(r->names[c]), out);
    }
    fputc('\n', out);
    char buf[64];
    const char *s;
    size_t len;
    for (size_t i = 0; i < r->nrows; i++) {
        const mc_value *row = result_row(r, i);
        for (int c = 0; c < r->ncols; c++) {
            if (c)
                fputc(',', out);
            out_cell_text(&row[c], buf, sizeof buf, &s, &len);
            if (len == 0 && r->ncols == 1)
                fputs("\"\"", out); /* a blank line would read as no row at all */
            else
                csv_field(s, len, out);
        }
        fputc('\n', out);
    }
}

static void json_string(const char *s, size_t len, FILE *out)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", out);
        else if (ch == '\t')
            fputs("\\t", out);
        else if (ch == '\r')
            fputs("\\r", out);
        else if (ch < 0x20)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

static void write_jsonl(const mc_result *r, FILE *out)
{
    char buf[64];
    const char *s;
    size_t len;
    for (size_t i = 0; i < r->nrows; i++) {
        const mc_value *row = result_row(r, i);
        fputc('{', out);
        for (int c = 0; c < r->ncols; c++) {
            if (c)
                fputc(',', out);
            json_string(r->names[c], strlen(r->names[c]), out);
            fputc(':', out);
            if (!out_cell_text(&row[c], buf, sizeof buf, &s, &len))
                fputs("null", out);
            else if (row[c].type == MC_INT || row[c].type == MC_BOOL ||
                     (row[c].type == MC_FLOAT && len && strspn(s, "-0123456789.e+") == len))
                fwrite(s, 1, len, out);
            else
                json_string(s, len, out);
        }
        fputs("}\n", out);
    }
}

/* Display width of UTF-8 text, counting code points (not bytes), so names
 * with accents still align. */
static size_t text_width(const char *s, size_t len)
{
    size_t w = 0;
    for (size_t i = 0; i < len; i++)
        w += ((unsigned char)s[i] & 0xc0) != 0x80;
    return w;
}

static void pad(size_t n, FILE *out)
{
    while (n--)
        fputc(' ', out);
}

static void write_table(const mc_result *r, FILE *out)
{
    size_t *width = xcalloc((size_t)r->ncols, sizeof *width);
    char buf[64];
    const char *s;
    size_t len;
    for (int c = 0; c < r->ncols; c++)
        width[c] = text_width(r->names[c], strlen(r->names[c]));
    for (size_t i = 0; i < r->nrows; i++)
        for (int c = 0; c < r->ncols; c++) {
            size_t w = out_cell_text(&result_row(r, i)[c], buf, sizeof buf, &s, &len)
                           ? text_width(s, len) : 1;
            if (w > width[c])
                width[c] = w;
        }
    for (int c = 0; c < r->ncols; c++) {
        fputs(r->names[c], out);
        if (c + 1 < r->ncols)
            pad(width[c] - text_width(r->names[c], strlen(r->names[c])) + 2, out);
    }
    fputc('\n', out);
    for (size_t i = 0; i < r->nrows; i++) {
        const mc_value *row = result_row(r, i);
        for (int c = 0; c < r->ncols; c++) {
            if (!out_cell_text(&row[c], buf, sizeof buf, &s, &len)) {
                s = "-";
                len = 1;
            }
            /* Numbers align right, text left, as people scan them. */
            int right = row[c].type == MC_INT || row[c].type == MC_FLOAT;
            size_t gap = width[c] - text_width(s, len);
            if (right)
                pad(gap, out);
            fwrite(s, 1, len, out);
            if (c + 1 < r->ncols)
                pad((right ? 0 : gap) + 2, out);
        }
        fputc('\n', out);
    }
    free(width);
}

void out_write(const mc_result *r, enum out_format f, FILE *out)
{
    switch (f) {
    case OUT_CSV:   write_csv(r, out); break;
    case OUT_JSONL: write_jsonl(r, out); break;
    default:        write_table(r, out); break;
    }
}
