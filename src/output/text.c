/* text: the built-in table, CSV and JSON-lines sinks (see sink.h). Every
 * cell becomes text through value_format(), so a time or number prints the
 * same in all three. A write error is caught after each row and at the end
 * (fflush), kept as errno, and stops the run. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output/sink.h"

typedef struct text {
    enum out_format f;
    FILE *out;
    int err;                    /* errno of the first failed write */
    mc_result *rows;            /* table: buffered to align columns */
    const char *const *names;   /* borrowed from begin until end */
} text;

static int checked(text *t)
{
    if (!t->err && ferror(t->out))
        t->err = errno ? errno : EIO;
    return t->err ? -1 : 0;
}

/* Control characters from a record never reach a terminal raw (a field
 * may carry an escape sequence an attacker wrote): tables and CSV show them
 * as \t, \n, \r or \xNN (CSV keeps tab, newline and return inside quotes,
 * as RFC 4180 allows); JSON escapes them as JSON does. */
static int control(unsigned char ch)
{
    return ch < 0x20 || ch == 0x7f;
}

static const char *escape_of(unsigned char ch, char buf[5])
{
    if (ch == '\t' || ch == '\n' || ch == '\r')
        return ch == '\t' ? "\\t" : ch == '\n' ? "\\n" : "\\r";
    snprintf(buf, 5, "\\x%02x", ch);
    return buf;
}

/* Writes s with its control characters escaped (all but those in keep). */
static void put_visible(const char *s, size_t len, const char *keep, FILE *out)
{
    char buf[5];
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (control(ch) && !(ch && strchr(keep, ch)))
            fputs(escape_of(ch, buf), out);
        else
            fputc(ch, out);
    }
}

static void csv_field(const char *s, size_t len, FILE *out)
{
    if (!memchr(s, ',', len) && !memchr(s, '"', len) && !memchr(s, '\n', len) &&
        !memchr(s, '\r', len)) {
        put_visible(s, len, "\t", out);
        return;
    }
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            fputc('"', out);
        put_visible(s + i, 1, "\t\n\r", out);
    }
    fputc('"', out);
}

static void csv_names(text *t, const char *const *names, int ncols)
{
    for (int c = 0; c < ncols; c++) {
        if (c)
            fputc(',', t->out);
        csv_field(names[c], strlen(names[c]), t->out);
    }
    fputc('\n', t->out);
}

static void csv_row(text *t, const mc_value *row, int ncols)
{
    char buf[VALUE_TEXT_MAX];
    const char *s;
    size_t len;
    for (int c = 0; c < ncols; c++) {
        if (c)
            fputc(',', t->out);
        value_format(&row[c], buf, &s, &len);
        if (len == 0 && ncols == 1)
            fputs("\"\"", t->out); /* a blank line would read as no row at all */
        else
            csv_field(s, len, t->out);
    }
    fputc('\n', t->out);
}

/* The length of a valid UTF-8 sequence at s, or 0. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
    size_t n = s[0] < 0x80 ? 1 : (s[0] >> 5) == 6 ? 2 : (s[0] >> 4) == 14 ? 3
                                 : (s[0] >> 3) == 30 ? 4 : 0;
    if (!n || n > len || (n == 2 && s[0] < 0xc2) || (n == 4 && s[0] > 0xf4))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if (n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)))
        return 0; /* overlong, or a UTF-16 surrogate */
    if (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90)))
        return 0;
    return n;
}

/* JSON output is always valid UTF-8: a byte that starts no valid sequence
 * becomes U+FFFD. */
static void json_string(const char *s, size_t len, FILE *out)
{
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        size_t seq = ch >= 0x80 ? utf8_seq((const unsigned char *)s + i, len - i) : 1;
        if (!seq) {
            fputs("\\ufffd", out);
            continue;
        }
        if (seq > 1) {
            fwrite(s + i, 1, seq, out);
            i += seq - 1;
            continue;
        }
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

static void json_row(text *t, const char *const *names, const mc_value *row, int ncols)
{
    char buf[VALUE_TEXT_MAX];
    const char *s;
    size_t len;
    fputc('{', t->out);
    for (int c = 0; c < ncols; c++) {
        if (c)
            fputc(',', t->out);
        json_string(names[c], strlen(names[c]), t->out);
        fputc(':', t->out);
        if (!value_format(&row[c], buf, &s, &len))
            fputs("null", t->out);
        else if (row[c].type == MC_INT || row[c].type == MC_BOOL ||
                 (row[c].type == MC_FLOAT && len && strspn(s, "-0123456789.e+") == len))
            fwrite(s, 1, len, t->out);
        else
            json_string(s, len, t->out);
    }
    fputs("}\n", t->out);
}

/* Display width of UTF-8 text as the table shows it: code points (not
 * bytes), so names with accents still align, and escapes at their length. */
static size_t text_width(const char *s, size_t len)
{
    size_t w = 0;
    char buf[5];
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        w += control(ch) ? strlen(escape_of(ch, buf)) : (ch & 0xc0) != 0x80;
    }
    return w;
}

static void pad(size_t n, FILE *out)
{
    while (n--)
        fputc(' ', out);
}

static size_t *table_widths(const mc_result *r)
{
    size_t *width = xcalloc((size_t)r->ncols, sizeof *width);
    char buf[VALUE_TEXT_MAX];
    const char *s;
    size_t len;
    for (int c = 0; c < r->ncols; c++)
        width[c] = text_width(r->names[c], strlen(r->names[c]));
    for (size_t i = 0; i < r->nrows; i++)
        for (int c = 0; c < r->ncols; c++) {
            size_t w = value_format(&result_row(r, i)[c], buf, &s, &len) ? text_width(s, len) : 1;
            if (w > width[c])
                width[c] = w;
        }
    return width;
}

static void table_row(text *t, const mc_value *row, int ncols, const size_t *width)
{
    char buf[VALUE_TEXT_MAX];
    const char *s;
    size_t len;
    for (int c = 0; c < ncols; c++) {
        if (!value_format(&row[c], buf, &s, &len)) {
            s = "-";
            len = 1;
        }
        /* Numbers align right, text left, as people scan them. */
        int right = row[c].type == MC_INT || row[c].type == MC_FLOAT;
        size_t gap = width[c] - text_width(s, len);
        if (right)
            pad(gap, t->out);
        put_visible(s, len, "", t->out);
        if (c + 1 < ncols)
            pad((right ? 0 : gap) + 2, t->out);
    }
    fputc('\n', t->out);
}

static int write_table(text *t)
{
    const mc_result *r = t->rows;
    size_t *width = table_widths(r);
    for (int c = 0; c < r->ncols; c++) {
        fputs(r->names[c], t->out);
        if (c + 1 < r->ncols)
            pad(width[c] - text_width(r->names[c], strlen(r->names[c])) + 2, t->out);
    }
    fputc('\n', t->out);
    for (size_t i = 0; i < r->nrows && !checked(t); i++)
        table_row(t, result_row(r, i), r->ncols, width);
    free(width);
    return checked(t);
}

static int text_begin(void *ud, const char *const *names, int ncols)
{
    text *t = ud;
    t->names = names;
    if (t->f == OUT_TABLE)
        t->rows = result_new(ncols, names);
    else if (t->f == OUT_CSV)
        csv_names(t, names, ncols);
    return checked(t);
}

static int text_row(void *ud, const mc_value *cells, int ncols)
{
    text *t = ud;
    if (t->f == OUT_TABLE)
        result_add_row(t->rows, cells);
    else if (t->f == OUT_CSV)
        csv_row(t, cells, ncols);
    else
        json_row(t, t->names, cells, ncols);
    return checked(t);
}

static int text_end(void *ud)
{
    text *t = ud;
    if (t->f == OUT_TABLE && write_table(t))
        return -1;
    if (fflush(t->out) != 0 && !t->err)
        t->err = errno ? errno : EIO;
    return checked(t);
}

static void text_free(void *ud)
{
    text *t = ud;
    result_free(t->rows);
    free(t);
}

static int text_errno(void *ud)
{
    return ((const text *)ud)->err;
}

static const sink_ops text_ops = {text_begin, text_row, text_end, text_free, NULL, text_errno};

sink sink_text(enum out_format f, FILE *out)
{
    text *t = xcalloc(1, sizeof *t);
    t->f = f;
    t->out = out;
    return (sink){&text_ops, t};
}
