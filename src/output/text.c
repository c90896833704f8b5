/* text: the built-in table, CSV and JSON-lines sinks (see sink.h). Every
 * cell becomes text through value_format(), so a time or number prints the
 * same in all three. A write error is caught after each row and at the end
 * (fflush), kept as errno, and stops the run. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "output/sink.h"
#include "util/utf8.h"

typedef struct text {
    enum out_format f;
    FILE *out;
    int err;                    /* errno of the first failed write */
    mc_result *rows;            /* table: buffered to align columns */
    const char *const *names;   /* borrowed from begin until end */
    int fit;                    /* table: the terminal's width; 0: values whole */
    int color;                  /* table: bold names, dim NULLs (a colour terminal) */
    char *row;                  /* CSV: the row being built (put) */
    size_t len, cap;
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

/* A CSV row is built here and written with one fwrite: a call per field
 * and separator (each taking the stream's lock) was a fifth of writing a
 * hunt's 2x10^5 rows. */
static void put(text *t, const char *s, size_t len)
{
    if (!len)
        return;
    if (t->len + len > t->cap) {
        t->cap = (t->len + len) * 2;
        t->row = xrealloc(t->row, t->cap);
    }
    memcpy(t->row + t->len, s, len);
    t->len += len;
}

static void put_row(text *t)
{
    fwrite(t->row, 1, t->len, t->out);
    t->len = 0;
}

/* Whether ch needs an escape in CSV: a control character but tab, newline
 * and return (which quotes keep). */
static int csv_escape(unsigned char ch)
{
    return control(ch) && ch != '\t' && ch != '\n' && ch != '\r';
}

/* s with its control characters escaped, quotes doubled when `quoted`, a
 * run of plain bytes at a time. */
static void put_escaped(text *t, const char *s, size_t len, int quoted)
{
    char buf[5];
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        int twice = quoted && ch == '"';
        if (!twice && !csv_escape(ch))
            continue;
        put(t, s + run, i - run);
        const char *e = twice ? "\"\"" : escape_of(ch, buf);
        put(t, e, strlen(e));
        run = i + 1;
    }
    put(t, s + run, len - run);
}

/* What a field asks for (RFC 4180): quotes (a comma, quote or line break)
 * and escapes (csv_escape), 16 bytes a step where SSE2 is, the rest a byte
 * at a time: the explanations are most of a hunt's CSV bytes, and a test
 * per byte was a tenth of the run. */
enum { NEEDS_QUOTES = 1, NEEDS_ESCAPES = 2 };
static int csv_needs(const char *s, size_t len)
{
    int need = 0;
    size_t i = 0;
#ifdef __SSE2__
    /* 16 bytes a step where x86-64's SSE2 is (always): a control byte is
     * at most 0x1F (max with it leaves it) or DEL. */
    const __m128i low = _mm_set1_epi8(0x1F);
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i q = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
                                              _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                              _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
        __m128i c = _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(v, low), low),
                                 _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)));
        need |= _mm_movemask_epi8(q) ? NEEDS_QUOTES : 0;
        if (_mm_movemask_epi8(c))
            for (int k = 0; k < 16; k++)
                need |= csv_escape((unsigned char)s[i + k]) ? NEEDS_ESCAPES : 0;
    }
#endif
    for (; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        need |= ch == ',' || ch == '"' || ch == '\n' || ch == '\r' ? NEEDS_QUOTES : 0;
        need |= csv_escape(ch) ? NEEDS_ESCAPES : 0;
    }
    return need;
}

static void csv_field(text *t, const char *s, size_t len)
{
    int need = csv_needs(s, len);
    if (need & NEEDS_QUOTES)
        put(t, "\"", 1);
    if (need & NEEDS_ESCAPES) {
        put_escaped(t, s, len, need & NEEDS_QUOTES);
    } else {
        /* Quotes doubled, the runs between them copied whole. */
        size_t run = 0;
        for (const char *q; (q = memchr(s + run, '"', len - run));) {
            size_t upto = (size_t)(q - s) + 1;
            put(t, s + run, upto - run);
            put(t, "\"", 1);
            run = upto;
        }
        put(t, s + run, len - run);
    }
    if (need & NEEDS_QUOTES)
        put(t, "\"", 1);
}

static void csv_names(text *t, const char *const *names, int ncols)
{
    for (int c = 0; c < ncols; c++) {
        if (c)
            put(t, ",", 1);
        csv_field(t, names[c], strlen(names[c]));
    }
    put(t, "\n", 1);
    put_row(t);
}

static void csv_row(text *t, const mc_value *row, int ncols)
{
    char buf[VALUE_TEXT_MAX];
    const char *s;
    size_t len;
    for (int c = 0; c < ncols; c++) {
        if (c)
            put(t, ",", 1);
        value_format(&row[c], buf, &s, &len);
        if (len == 0 && ncols == 1)
            put(t, "\"\"", 2); /* a blank line would read as no row at all */
        else
            csv_field(t, s, len);
    }
    put(t, "\n", 1);
    put_row(t);
}

/* JSON output is always valid UTF-8: a byte that starts no valid sequence
 * becomes U+FFFD. */
void out_json_string(const char *s, size_t len, FILE *out)
{
    fputc('"', out);
    size_t run = 0; /* plain bytes go out a run at a time (put_escaped) */
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch < 0x80 && ch != '"' && ch != '\\')
            continue;
        size_t seq = ch >= 0x80 ? utf8_seq((const unsigned char *)s + i, len - i) : 1;
        if (seq > 1) {
            i += seq - 1;
            continue;
        }
        fwrite(s + run, 1, i - run, out);
        run = i + 1;
        if (!seq)
            fputs("\\ufffd", out);
        else if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", out);
        else if (ch == '\t')
            fputs("\\t", out);
        else if (ch == '\r')
            fputs("\\r", out);
        else
            fprintf(out, "\\u%04x", ch);
    }
    fwrite(s + run, 1, len - run, out);
    fputc('"', out);
}

void out_json_value(const mc_value *v, FILE *out)
{
    char buf[VALUE_TEXT_MAX];
    const char *s;
    size_t len;
    if (!value_format(v, buf, &s, &len))
        fputs("null", out);
    else if (v->type == MC_INT || v->type == MC_BOOL ||
             (v->type == MC_FLOAT && len && strspn(s, "-0123456789.e+") == len))
        fwrite(s, 1, len, out);
    else
        out_json_string(s, len, out);
}

static void json_row(text *t, const char *const *names, const mc_value *row, int ncols)
{
    fputc('{', t->out);
    for (int c = 0; c < ncols; c++) {
        if (c)
            fputc(',', t->out);
        out_json_string(names[c], strlen(names[c]), t->out);
        fputc(':', t->out);
        out_json_value(&row[c], t->out);
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
        const char *e = control(ch) ? escape_of(ch, esc) : NULL;
        if (e)
            for (; *e; e++)
                (*out)[n++] = *e;
        else
            (*out)[n++] = (char)ch;
    }
    return n;
}

static void table_row(text *t, const mc_value *row, int ncols, const size_t *width)
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
            pad(gap, t->out);
        int dim = t->color && row[c].type == MC_NULL;
        fputs(dim ? "\033[2m" : "", t->out);
        put_cut(vis, len, width[c], t->out);
        fputs(dim ? "\033[0m" : "", t->out);
        if (c < last)
            pad((right ? 0 : gap) + 2, t->out);
    }
    free(vis);
    fputc('\n', t->out);
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
static void hidden_note(text *t, const size_t *width, const char *dropped)
{
    const char *what[2] = {"no values", "not shown to fit the terminal"};
    int any[2] = {0, 0};
    for (int c = 0; c < t->rows->ncols; c++)
        any[(int)dropped[c]] |= width[c] == 0;
    fputc('(', t->out);
    for (int k = 0; k < 2; k++) {
        if (!any[k])
            continue;
        fprintf(t->out, "%s%s: ", k && any[0] ? "; " : "", what[k]);
        for (int c = 0, n = 0; c < t->rows->ncols; c++)
            if (width[c] == 0 && dropped[c] == k)
                fprintf(t->out, "%s%s", n++ ? ", " : "", t->rows->names[c]);
    }
    fputs("; --wide shows every column whole)\n", t->out);
}

static int write_table(text *t)
{
    const mc_result *r = t->rows;
    size_t *width = table_widths(r);
    char *dropped = xcalloc((size_t)r->ncols + 1, 1);
    int hidden = t->fit > 0 ? hide_empty(r, width) : 0;
    if (t->fit > 0)
        fit_widths(r, width, (size_t)t->fit, dropped);
    for (int c = 0; c < r->ncols; c++)
        hidden += dropped[c];
    int last = r->ncols - 1;
    while (last > 0 && width[last] == 0)
        last--;
    fputs(t->color ? "\033[1m" : "", t->out);
    for (int c = 0; c <= last; c++) {
        if (width[c] == 0)
            continue;
        size_t w = text_width(r->names[c], strlen(r->names[c]));
        put_cut(r->names[c], strlen(r->names[c]), width[c], t->out);
        if (c < last)
            pad((width[c] > w ? width[c] - w : 0) + 2, t->out);
    }
    fputs(t->color ? "\033[0m\n" : "\n", t->out);
    for (size_t i = 0; i < r->nrows && !checked(t); i++)
        table_row(t, result_row(r, i), r->ncols, width);
    if (hidden)
        hidden_note(t, width, dropped);
    free(dropped);
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
    free(t->row);
    free(t);
}

static int text_errno(void *ud)
{
    return ((const text *)ud)->err;
}

static const sink_ops text_ops = {text_begin, text_row, text_end, text_free, NULL, text_errno, NULL};

sink sink_text(enum out_format f, FILE *out)
{
    text *t = xcalloc(1, sizeof *t);
    t->f = f;
    t->out = out;
    return (sink){&text_ops, t};
}

void sink_text_fit(sink *s, int width, int color)
{
    if (s->ops != &text_ops)
        return;
    ((text *)s->ud)->fit = width;
    ((text *)s->ud)->color = color;
}
