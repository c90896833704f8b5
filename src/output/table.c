/* table: the aligned table for a terminal (the `table` format, sink.h):
 * columns as wide as their widest cell, and, for a terminal's width, the
 * widest text columns shortened and empty ones hidden, with a note naming
 * them. Apart from text.c, which feeds it the buffered rows, because it is
 * the one format that sees every row before writing the first. */
#include <stdlib.h>
#include <string.h>

#include "output/text_int.h"

/* Display width of UTF-8 text as the table shows it: code points (not
 * bytes), so names with accents still align, and escapes at their length. */
static size_t text_width(const char *s, size_t len)
{
    size_t w = 0;
    char buf[5];
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        w += text_control(ch) ? strlen(text_escape_of(ch, buf)) : (ch & 0xc0) != 0x80;
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

/* Whether column c holds text (which may be shortened) rather than numbers. */
static int text_column(const mc_result *r, int c)
{
    for (size_t i = 0; i < r->nrows; i++) {
        int t = result_row(r, i)[c].type;
        if (t == MC_STR || t == MC_IP)
            return 1;
    }
    return 0;
}

enum { MIN_CUT = 12 }; /* a shortened column keeps at least this many characters */

/* The width of a table row with these column widths (0: not shown). */
static size_t row_width(const size_t *width, int ncols)
{
    size_t total = 0;
    for (int c = 0; c < ncols; c++)
        total += width[c] ? width[c] + 2 : 0;
    return total >= 2 ? total - 2 : 0;
}

/* Narrows the widest text columns, none below `least` characters (nor its
 * name), until the row fits `fit`; returns the row's width. */
static size_t narrow(const mc_result *r, size_t *width, size_t fit, size_t least)
{
    size_t total = row_width(width, r->ncols);
    while (total > fit) {
        int widest = -1;
        size_t floor = 0;
        for (int c = 0; c < r->ncols; c++) {
            size_t f = text_width(r->names[c], strlen(r->names[c]));
            f = f > least ? f : least;
            if (width[c] > f && text_column(r, c) && (widest < 0 || width[c] > width[widest])) {
                widest = c;
                floor = f;
            }
        }
        if (widest < 0)
            break;
        size_t cut = total - fit < width[widest] - floor ? total - fit : width[widest] - floor;
        size_t step = cut > 8 ? cut : (width[widest] - floor < 8 ? width[widest] - floor : 8);
        width[widest] -= step;
        total -= step;
    }
    return total;
}

/* Leaves out columns from the right, down to column `from`, until the row
 * fits; each marked in dropped[]. */
static size_t drop(const mc_result *r, size_t *width, size_t fit, int from, char *dropped)
{
    size_t total = row_width(width, r->ncols);
    for (int c = r->ncols - 1; c >= from && c > 0 && total > fit; c--)
        if (width[c]) {
            width[c] = 0;
            dropped[c] = 1;
            total = row_width(width, r->ncols);
        }
    return total;
}

enum { SOFT_CUT = 24 };

/* Fits the row to `fit` characters: a 330-character row of paths and
 * command lines wraps into unreadable lines on a terminal. Long text is
 * shortened to SOFT_CUT first (a path keeps its ends); then the text
 * columns after the last numeric one (a hunt's explanations follow its
 * score) are left out from the right; then text is cut to MIN_CUT; then
 * any column from the right. Numbers and times keep their width while
 * they are shown. */
static void fit_widths(const mc_result *r, size_t *width, size_t fit, char *dropped)
{
    int last_number = r->ncols - 1;
    while (last_number > 0 && text_column(r, last_number))
        last_number--;
    if (narrow(r, width, fit, SOFT_CUT) > fit &&
        drop(r, width, fit, last_number + 1, dropped) > fit &&
        narrow(r, width, fit, MIN_CUT) > fit)
        drop(r, width, fit, 1, dropped);
}

/* The byte offset of code point `n` of s (or len). */
static size_t point_at(const char *s, size_t len, size_t n)
{
    size_t seen = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80 && seen++ == n)
            return i;
    return len;
}

/* Writes visible text s[0, len) in `w` characters: whole when it fits; a
 * path keeps its head and its file name around "…"; other text ends "…". */
static void put_cut(const char *s, size_t len, size_t w, FILE *out)
{
    if (text_width(s, len) <= w || w < 2) {
        fwrite(s, 1, len, out);
        return;
    }
    size_t points = text_width(s, len);
    if (memchr(s, '\\', len) || memchr(s, '/', len)) {
        size_t tail = (w - 1) * 2 / 3, head = w - 1 - tail;
        fwrite(s, 1, point_at(s, len, head), out);
        fputs("\xe2\x80\xa6", out);
        size_t from = point_at(s, len, points - tail);
        fwrite(s + from, 1, len - from, out);
        return;
    }
    fwrite(s, 1, point_at(s, len, w - 1), out);
    fputs("\xe2\x80\xa6", out);
}

/* The cell as visible text (control characters escaped), in scratch. */
static size_t visible_cell(const mc_value *v, char *buf, char **out, size_t *cap)
{
    const char *s;
    size_t len;
    if (!value_format(v, buf, &s, &len)) {
        s = "-";
        len = 1;
    }
    if (*cap < 4 * len + 1) {
        *cap = 4 * len + 1;
        *out = xrealloc(*out, *cap);
    }
    size_t n = 0;
    char esc[5];
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        const char *e = text_control(ch) ? text_escape_of(ch, esc) : NULL;
        if (e)
            for (; *e; e++)
                (*out)[n++] = *e;
        else
            (*out)[n++] = (char)ch;
    }
    return n;
}

static void table_row(FILE *out, int color, const mc_value *row, int ncols, const size_t *width)
{
    char buf[VALUE_TEXT_MAX], *vis = NULL;
    size_t cap = 0;
    int last = ncols - 1;
    while (last > 0 && width[last] == 0)
        last--;
    for (int c = 0; c <= last; c++) {
        if (width[c] == 0)
            continue; /* hidden: no values */
        size_t len = visible_cell(&row[c], buf, &vis, &cap);
        /* Numbers align right, text left, as people scan them. */
        int right = row[c].type == MC_INT || row[c].type == MC_FLOAT;
        size_t w = text_width(vis, len);
        size_t gap = width[c] > w ? width[c] - w : 0;
        if (right)
            pad(gap, out);
        int dim = color && row[c].type == MC_NULL;
        fputs(dim ? "\033[2m" : "", out);
        put_cut(vis, len, width[c], out);
        fputs(dim ? "\033[0m" : "", out);
        if (c < last)
            pad((right ? 0 : gap) + 2, out);
    }
    free(vis);
    fputc('\n', out);
}

/* On a terminal, a column no row has a value in takes no room (width 0);
 * the footnote names them. */
static int hide_empty(const mc_result *r, size_t *width)
{
    int hidden = 0;
    for (int c = 0; r->nrows && c < r->ncols; c++) {
        size_t i = 0;
        while (i < r->nrows && result_row(r, i)[c].type == MC_NULL)
            i++;
        if (i == r->nrows) {
            width[c] = 0;
            hidden++;
        }
    }
    return hidden;
}

/* The footnote naming the columns not shown: those with no values
 * (dropped[c] 0) or those left out to fit the terminal (dropped[c] 1). */
static void hidden_note(FILE *out, const mc_result *r, const size_t *width, const char *dropped)
{
    const char *what[2] = {"no values", "not shown to fit the terminal"};
    int any[2] = {0, 0};
    for (int c = 0; c < r->ncols; c++)
        any[(int)dropped[c]] |= width[c] == 0;
    fputc('(', out);
    for (int k = 0; k < 2; k++) {
        if (!any[k])
            continue;
        fprintf(out, "%s%s: ", k && any[0] ? "; " : "", what[k]);
        for (int c = 0, n = 0; c < r->ncols; c++)
            if (width[c] == 0 && dropped[c] == k)
                fprintf(out, "%s%s", n++ ? ", " : "", r->names[c]);
    }
    fputs("; --wide shows every column whole)\n", out);
}

int table_write(FILE *out, const mc_result *r, int fit, int color)
{
    size_t *width = table_widths(r);
    char *dropped = xcalloc((size_t)r->ncols + 1, 1);
    int hidden = fit > 0 ? hide_empty(r, width) : 0;
    if (fit > 0)
        fit_widths(r, width, (size_t)fit, dropped);
    for (int c = 0; c < r->ncols; c++)
        hidden += dropped[c];
    int last = r->ncols - 1;
    while (last > 0 && width[last] == 0)
        last--;
    fputs(color ? "\033[1m" : "", out);
    for (int c = 0; c <= last; c++) {
        if (width[c] == 0)
            continue;
        size_t w = text_width(r->names[c], strlen(r->names[c]));
        put_cut(r->names[c], strlen(r->names[c]), width[c], out);
        if (c < last)
            pad((width[c] > w ? width[c] - w : 0) + 2, out);
    }
    fputs(color ? "\033[0m\n" : "\n", out);
    for (size_t i = 0; i < r->nrows && !ferror(out); i++)
        table_row(out, color, result_row(r, i), r->ncols, width);
    if (hidden)
        hidden_note(out, r, width, dropped);
    free(dropped);
    free(width);
    return ferror(out) ? -1 : 0;
}
