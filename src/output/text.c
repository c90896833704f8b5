/* text: the built-in table, CSV and JSON-lines sinks (see sink.h; table.c
 * lays the table out). Every cell becomes text through value_format(), so a
 * time or number prints the same in all three. A write error is caught
 * after each row and at the end (fflush), kept as errno, and stops the run. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "output/sink.h"
#include "output/text_int.h"
#include "util/shares.h"
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
int text_control(unsigned char ch)
{
    return ch < 0x20 || ch == 0x7f;
}

const char *text_escape_of(unsigned char ch, char buf[5])
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
    return text_control(ch) && ch != '\t' && ch != '\n' && ch != '\r';
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
        const char *e = twice ? "\"\"" : text_escape_of(ch, buf);
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
    else if (t->f == OUT_CSV) {
        csv_row(t, cells, ncols);
        put_row(t);
    } else
        json_row(t, t->names, cells, ncols);
    return checked(t);
}

static int text_end(void *ud)
{
    text *t = ud;
    if (t->f == OUT_TABLE && (table_write(t->out, t->rows, t->fit, t->color) || checked(t)))
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

/* CSV rows are made on the run's threads, a batch of rows each, and
 * written in order after every batch: making a high-cardinality hunt's
 * 5x10^5 rows of about 1 KB took a second on one thread after the scan.
 * A batch bounds the memory to BATCH_ROWS rows a thread. */
enum { BATCH_ROWS = 4096, MAX_SHARES = 64 };

typedef struct csv_share {
    text t;                     /* its own row buffer; writes nothing */
    const mc_result *r;
    size_t from, to;
} csv_share;

static void *csv_share_run(void *arg)
{
    csv_share *s = arg;
    for (size_t i = s->from; i < s->to; i++)
        csv_row(&s->t, result_row(s->r, i), s->r->ncols);
    return NULL;
}

static int text_rows(void *ud, const mc_result *r, int threads)
{
    text *t = ud;
    int n = threads < 1 ? 1 : threads > MAX_SHARES ? MAX_SHARES : threads;
    if (t->f != OUT_CSV || n == 1 || r->nrows <= BATCH_ROWS) {
        for (size_t i = 0; i < r->nrows; i++)
            if (text_row(t, result_row(r, i), r->ncols))
                return -1;
        return 0;
    }
    csv_share sh[MAX_SHARES];
    memset(sh, 0, sizeof sh);
    int rc = 0;
    for (size_t at = 0; at < r->nrows && !rc; at += (size_t)n * BATCH_ROWS) {
        for (int k = 0; k < n; k++) {
            size_t from = at + (size_t)k * BATCH_ROWS, to = from + BATCH_ROWS;
            sh[k].r = r;
            sh[k].from = from < r->nrows ? from : r->nrows;
            sh[k].to = to < r->nrows ? to : r->nrows;
        }
        shares_run(csv_share_run, sh, sizeof sh[0], n);
        for (int k = 0; k < n; k++) {
            fwrite(sh[k].t.row, 1, sh[k].t.len, t->out);
            sh[k].t.len = 0;
        }
        rc = checked(t);
    }
    for (int k = 0; k < n; k++)
        free(sh[k].t.row);
    return rc;
}

static const sink_ops text_ops = {text_begin, text_row, text_end, text_free, NULL, text_errno,
                                  NULL,       text_rows};

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
