/* html: the HTML report sink — one self-contained page (inline style and
 * script, a Content-Security-Policy that forbids every fetch) holding the
 * run's notes, the findings table (sortable, filterable) and, per finding,
 * a timeline of its connections (inline SVG, from the `times` column), its
 * score's parts, why it fired, its command line, what the data lacked and
 * the next steps. Any result prints: columns it lacks are left out.
 *
 * Rows are kept until the run's notes arrive (sink_ops.notes), since the
 * summary comes first on the page. Every value from the data goes through
 * put_text(), which escapes it: a command line may hold `<script>`. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output/html_page.h"
#include "output/sink.h"
#include "util/timeutil.h"

typedef struct html {
    FILE *out;
    int err;                    /* errno of the first failed write */
    mc_result *rows;
} html;

/* Text as HTML: markup characters as entities, control characters shown
 * as \xNN (they never reach the reader raw). */
static void put_text(FILE *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default:
            if ((ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f)
                fprintf(out, "\\x%02x", ch);
            else
                fputc(ch, out);
        }
    }
}

static void put_str(FILE *out, const char *s)
{
    put_text(out, s, strlen(s));
}

static void put_cell(FILE *out, const mc_value *v)
{
    char num[VALUE_TEXT_MAX];
    const char *s;
    size_t len;
    if (value_format(v, num, &s, &len))
        put_text(out, s, len);
}

static int col_of(const mc_result *r, const char *name)
{
    for (int c = 0; c < r->ncols; c++)
        if (strcmp(r->names[c], name) == 0)
            return c;
    return -1;
}

/* Columns too long for the table: they go to each finding's details. */
static int is_long(const char *name)
{
    static const char *const long_cols[] = {"why", "next_steps", "command_line", "times",
                                            "score_parts", "suppressed_by"};
    for (size_t i = 0; i < sizeof long_cols / sizeof long_cols[0]; i++)
        if (strcmp(name, long_cols[i]) == 0)
            return 1;
    return 0;
}

/* The table's columns in order: score first where there is one. */
static int table_cols(const mc_result *r, int *cols)
{
    int n = 0, score = col_of(r, "score");
    if (score >= 0)
        cols[n++] = score;
    for (int c = 0; c < r->ncols; c++)
        if (c != score && !is_long(r->names[c]))
            cols[n++] = c;
    return n;
}

static void put_notes(FILE *out, const char *const *notes, size_t n)
{
    fputs("<h2>Run summary</h2>\n<ul class=\"notes\">\n", out);
    for (size_t i = 0; i < n; i++) {
        fputs("<li>", out);
        put_str(out, notes[i]);
        fputs("</li>\n", out);
    }
    fputs("</ul>\n", out);
}

static const char *score_class(const mc_value *v)
{
    int64_t s = v->type == MC_INT ? v->u.i : 0;
    return s >= 40 ? "score hi" : s >= 20 ? "score mid" : "score lo";
}

static void put_table(FILE *out, const mc_result *r)
{
    int cols[PLAN_MAX_COLS + 8], n = table_cols(r, cols), score = col_of(r, "score");
    fputs("<h2>Findings</h2>\n<input id=\"filter\" type=\"search\" placeholder=\"filter the "
          "findings\" aria-label=\"filter\"> <span id=\"shown\"></span>\n"
          "<table id=\"findings\"><thead><tr><th data-col=\"n\">#</th>", out);
    for (int i = 0; i < n; i++) {
        fputs("<th data-col=\"", out);
        put_str(out, r->names[cols[i]]);
        fputs("\">", out);
        put_str(out, r->names[cols[i]]);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < r->nrows; i++) {
        const mc_value *row = result_row(r, i);
        fprintf(out, "<tr data-i=\"%zu\"><td class=\"num\"><a href=\"#f%zu\">%zu</a></td>", i,
                i + 1, i + 1);
        for (int k = 0; k < n; k++) {
            const mc_value *v = &row[cols[k]];
            int num = v->type == MC_INT || v->type == MC_FLOAT;
            fprintf(out, "<td%s>", cols[k] == score ? "" : num ? " class=\"num\"" : "");
            if (cols[k] == score)
                fprintf(out, "<span class=\"%s\">", score_class(v));
            put_cell(out, v);
            fputs(cols[k] == score ? "</span></td>" : "</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

/* "t1,t2,..." (ms) into t[]; returns how many (at most cap). */
static size_t read_times(const mc_value *v, int64_t *t, size_t cap)
{
    size_t n = 0;
    if (v->type != MC_STR)
        return 0;
    const char *p = v->u.s, *end = v->u.s + v->len;
    while (p < end && n < cap) {
        int64_t x = 0;
        for (; p < end && *p >= '0' && *p <= '9'; p++)
            x = x * 10 + (*p - '0');
        t[n++] = x;
        p++;
    }
    return n;
}

/* The connections on a line from the first to the last, one tick each. */
static void put_timeline(FILE *out, const mc_value *v)
{
    int64_t t[PLAN_TIMES_MAX];
    size_t n = read_times(v, t, PLAN_TIMES_MAX);
    if (!n)
        return;
    const double width = 640, left = 10, right = 630;
    double span = (double)(t[n - 1] - t[0]);
    fprintf(out, "<svg class=\"timeline\" width=\"%.0f\" height=\"46\" viewBox=\"0 0 %.0f 46\" "
                 "role=\"img\" aria-label=\"%zu connections\">"
                 "<line x1=\"%.0f\" y1=\"20\" x2=\"%.0f\" y2=\"20\" stroke=\"#8c959f\"/>",
            width, width, n, left, right);
    for (size_t i = 0; i < n; i++) {
        double x = span > 0 ? left + (right - left) * (double)(t[i] - t[0]) / span
                            : (left + right) / 2;
        fprintf(out, "<line x1=\"%.1f\" y1=\"8\" x2=\"%.1f\" y2=\"32\" stroke=\"#b00020\" "
                     "stroke-width=\"2\"/>", x, x);
    }
    char a[TIME_ISO_LEN], b[TIME_ISO_LEN];
    time_format_iso(t[0], a);
    time_format_iso(t[n - 1], b);
    fprintf(out, "<text x=\"%.0f\" y=\"44\" font-size=\"10\">%s</text>"
                 "<text x=\"%.0f\" y=\"44\" font-size=\"10\" text-anchor=\"end\">%s</text></svg>\n",
            left, a, right, b);
}

/* The next steps, "1. a; 2. b", as a list: cut before each "; N. ". */
static void put_steps(FILE *out, const mc_value *v)
{
    const char *s = v->u.s, *end = v->u.s + v->len;
    fputs("<ol>", out);
    while (s < end) {
        const char *cut = s;
        while (cut < end && !(cut + 3 < end && cut[0] == ';' && cut[1] == ' ' &&
                              cut[2] >= '0' && cut[2] <= '9' && cut[3] == '.'))
            cut++;
        const char *item = s;
        while (item < cut && ((*item >= '0' && *item <= '9') || *item == '.' || *item == ' '))
            item++;
        fputs("<li>", out);
        put_text(out, item, (size_t)(cut - item));
        fputs("</li>", out);
        s = cut < end ? cut + 2 : end;
    }
    fputs("</ol>\n", out);
}

static void put_field(FILE *out, const mc_result *r, const mc_value *row, const char *name,
                      const char *label)
{
    int c = col_of(r, name);
    if (c < 0 || row[c].type == MC_NULL)
        return;
    fprintf(out, "<dt>%s</dt><dd>", label);
    if (strcmp(name, "command_line") == 0) {
        fputs("<pre>", out);
        put_cell(out, &row[c]);
        fputs("</pre>", out);
    } else if (strcmp(name, "next_steps") == 0 && row[c].type == MC_STR) {
        put_steps(out, &row[c]);
    } else {
        put_cell(out, &row[c]);
    }
    fputs("</dd>\n", out);
}

static void put_title(FILE *out, const mc_result *r, const mc_value *row, size_t i)
{
    static const char *const parts[] = {"score", "host", "src_ip", "process", "dst_ip",
                                        "dst_port"};
    static const char *const sep[] = {"score ", " · ", " ", " · ", " → ", ":"};
    fprintf(out, "<section class=\"finding\" id=\"f%zu\"><h3>#%zu", i + 1, i + 1);
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
        int c = col_of(r, parts[k]);
        if (c < 0 || row[c].type == MC_NULL)
            continue;
        fputs(k ? sep[k] : " · score ", out);
        put_cell(out, &row[c]);
    }
    fputs("</h3>\n", out);
}

static void put_details(FILE *out, const mc_result *r)
{
    if (r->nrows)
        fputs("<h2>Each finding</h2>\n", out);
    int times = col_of(r, "times");
    for (size_t i = 0; i < r->nrows; i++) {
        const mc_value *row = result_row(r, i);
        put_title(out, r, row, i);
        if (times >= 0)
            put_timeline(out, &row[times]);
        fputs("<dl>\n", out);
        put_field(out, r, row, "score_parts", "Score");
        put_field(out, r, row, "why", "Why it fired");
        put_field(out, r, row, "command_line", "Command line");
        put_field(out, r, row, "lacks", "What the data lacked");
        put_field(out, r, row, "next_steps", "What to check next");
        put_field(out, r, row, "suppressed_by", "Allowed by");
        fputs("</dl></section>\n", out);
    }
}

static void put_page(html *h, const char *const *notes, size_t nnotes)
{
    FILE *out = h->out;
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                 "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
                 "<title>mailc2 report</title>\n<style>\n%s</style></head>\n<body>\n"
                 "<h1>mailc2: T1071.003 findings</h1>\n", html_page_style);
    put_notes(out, notes, nnotes);
    put_table(out, h->rows);
    put_details(out, h->rows);
    fprintf(out, "<script>\n%s</script>\n</body></html>\n", html_page_script);
}

static int checked(html *h)
{
    if (!h->err && ferror(h->out))
        h->err = errno ? errno : EIO;
    return h->err ? -1 : 0;
}

static int html_begin(void *ud, const char *const *names, int ncols)
{
    html *h = ud;
    result_free(h->rows);
    h->rows = result_new(ncols, names);
    return 0;
}

static int html_row(void *ud, const mc_value *cells, int ncols)
{
    (void)ncols;
    result_add_row(((html *)ud)->rows, cells);
    return 0;
}

static int html_end(void *ud)
{
    (void)ud;
    return 0; /* the page is written with the notes */
}

static int html_notes(void *ud, const char *const *notes, size_t n)
{
    html *h = ud;
    if (!h->rows)
        h->rows = result_new(0, NULL);
    put_page(h, notes, n);
    if (fflush(h->out) != 0 && !h->err)
        h->err = errno ? errno : EIO;
    return checked(h);
}

static int html_errno(void *ud)
{
    return ((html *)ud)->err;
}

static void html_free(void *ud)
{
    html *h = ud;
    result_free(h->rows);
    free(h);
}

static const sink_ops html_ops = {html_begin, html_row, html_end, html_free, html_notes,
                                  html_errno, NULL, NULL};

sink sink_html(FILE *out)
{
    html *h = xcalloc(1, sizeof *h);
    h->out = out;
    return (sink){&html_ops, h};
}
