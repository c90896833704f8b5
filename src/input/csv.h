/* csv: one line of comma-separated values (RFC 4180 quoting: a field in
 * double quotes may hold the separator, and "" stands for one quote), split
 * into text values. Hand-written for the hot CSV decoders (PAN-OS, QRadar
 * export, generic). Records spanning lines (a newline inside quotes) are
 * not supported: each line is one record.
 *
 * Ownership: values borrow from the line, or from scratch for a quoted
 * field that held "". */
#ifndef MAILC2_CSV_H
#define MAILC2_CSV_H

#include "input/event.h"

/* Splits line into out[0..max-1] (MC_STR each, possibly empty). Returns the
 * number of fields in the line (which may exceed max; the extra ones are not
 * stored), or -1 with err filled for an unterminated quote or text after a
 * closing quote. */
int csv_split(const char *line, size_t len, char sep, mc_value *out, int max, arena *scratch,
              char *err, size_t errlen);

#endif
