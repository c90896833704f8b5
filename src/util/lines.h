/* lines: counting the newlines of a buffer, for the line numbers of input
 * read in blocks (input/reader.c). */
#ifndef MAILC2_UTIL_LINES_H
#define MAILC2_UTIL_LINES_H

#include <stddef.h>
#include <stdint.h>

/* How many '\n' bytes p[0, n) holds. */
uint64_t count_newlines(const char *p, size_t n);

/* How many lines p[0, n) holds, a last one without its newline counted. */
uint64_t count_lines(const char *p, size_t n);

#endif
