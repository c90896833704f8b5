/* sink: where a result's rows go, behind one interface — begin (the
 * column names), one call per row, end — so that the built-in text formats,
 * a program embedding the library and later outputs (HTML) are fed the same
 * way. A callback returns 0 to go on, nonzero to stop (a write failed).
 *
 * The text formats:
 * table: aligned columns for a terminal; NULL shown as "-".
 * jsonl: one JSON object per row, keys in column order; NULL as null,
 *        integers as numbers, times as ISO 8601 UTC strings.
 * csv:   RFC 4180, header row, quoting only where needed; NULL empty.
 * html:  one self-contained page (html.c): the run's notes, the findings
 *        table (sortable, filterable) and each finding's details.
 * ocsf:  one OCSF Detection Finding (class 2004) per row, as JSON lines
 *        (ocsf.c): columns placed by what they mean (sink_meaning), the
 *        rest under `unmapped`.
 * Times are ISO 8601 UTC with milliseconds in every format (value.h).
 *
 * Ownership: a sink owns its state; sink_free() releases it (not the FILE
 * it writes to). */
#ifndef MAILC2_SINK_H
#define MAILC2_SINK_H

#include <stdio.h>

#include "exec/result.h"

/* What a result's columns mean, for a sink that places them by meaning
 * (OCSF): names[c] holds canonical field canon[c] (input/event.h) or -1.
 * Borrowed for the call: a sink keeps its own copy. */
typedef struct sink_meaning {
    const char *const *names;
    const int *canon;
    int ncols;
    int hunt;                   /* the built-in hunt's findings (T1071.003) */
} sink_meaning;

typedef struct sink_ops {
    int (*begin)(void *ud, const char *const *names, int ncols);
    int (*row)(void *ud, const mc_value *cells, int ncols);
    int (*end)(void *ud);
    void (*free)(void *ud);     /* NULL: nothing to free */
    /* After end: the run's notes (the report's), for a sink that shows
     * them (HTML); NULL: it does not. Returns as the others do. */
    int (*notes)(void *ud, const char *const *notes, size_t n);
    int (*errnum)(void *ud);    /* errno of a failed write, or 0; NULL: 0 */
    /* Before begin: what the columns mean; NULL: the sink does not ask. */
    void (*meaning)(void *ud, const sink_meaning *m);
    /* Between begin and end, in place of row for each: every row of r,
     * on up to `threads` threads; NULL: row by row. */
    int (*rows)(void *ud, const mc_result *r, int threads);
} sink_ops;

typedef struct sink {
    const sink_ops *ops;
    void *ud;
} sink;

enum out_format { OUT_TABLE, OUT_JSONL, OUT_CSV, OUT_HTML, OUT_OCSF };

/* Returns 0 and sets *f for "table", "jsonl" (or "json"), "csv", "html" or "ocsf";
 * -1 otherwise. */
int out_parse_format(const char *name, enum out_format *f);
/* A sink writing format f to out (table, jsonl or csv). */
sink sink_text(enum out_format f, FILE *out);
/* A table for a terminal `width` characters wide (0: values whole): the
 * widest text columns are shortened ("…" in the middle of a path, at the
 * end of other text) so a row fits; color: bold names, dim NULLs. Other
 * formats and sinks are not affected. */
void sink_text_fit(sink *s, int width, int color);
/* s[0, len) as a JSON string, always valid UTF-8 (invalid bytes become
 * U+FFFD): the one JSON string writer, for rows and run summaries. */
void out_json_string(const char *s, size_t len, FILE *out);
/* One cell as a JSON value, as the jsonl rows write it: null, a number for
 * integers, booleans and finite floats, a string (out_json_string) else. */
void out_json_value(const mc_value *v, FILE *out);
/* The HTML report to out. */
sink sink_html(FILE *out);
/* OCSF Detection Findings, one JSON line per row, to out. */
sink sink_ocsf(FILE *out);
/* A built-in sink for format f. */
sink sink_open(enum out_format f, FILE *out);
/* The errno of the sink's first failed write, or 0. */
int sink_errno(const sink *s);
/* Tells a sink that asks what the columns mean (OCSF); nothing for others. */
void sink_mean(const sink *s, const sink_meaning *m);
/* Hands the run's notes to a sink that shows them; 0 when it does not. */
int sink_notes(const sink *s, const char *const *notes, size_t n);
void sink_free(sink *s);
/* Feeds r through s: begin, each row (the sink's rows on up to `threads`
 * threads, where it has them), end. Returns 0, or the first nonzero a
 * callback returned (and stops there). */
int sink_write(const sink *s, const mc_result *r, int threads);

#endif
