/* output: result rows as people and programs read them.
 *
 * table: aligned columns for a terminal; NULL shown as "-".
 * jsonl: one JSON object per row, keys in column order; NULL as null,
 *        integers as numbers, times as ISO 8601 UTC strings.
 * csv:   RFC 4180, header row, quoting only where needed; NULL empty.
 * Times are ISO 8601 UTC with milliseconds in every format. */
#ifndef MAILC2_OUTPUT_H
#define MAILC2_OUTPUT_H

#include <stdio.h>

#include "exec/result.h"

enum out_format { OUT_TABLE, OUT_JSONL, OUT_CSV };

/* Returns 0 and sets *f for "table", "jsonl" or "csv"; -1 otherwise. */
int out_parse_format(const char *name, enum out_format *f);
void out_write(const mc_result *r, enum out_format f, FILE *out);

/* A cell as text: points *s at the text (into buf or the value). NULL gives
 * len 0 and returns 0; otherwise returns 1. */
int out_cell_text(const mc_value *v, char *buf, size_t buflen, const char **s, size_t *len);

#endif
