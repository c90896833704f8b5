/* text_int: what the text sinks' files share (text.c, table.c); not an
 * API. */
#ifndef MAILC2_TEXT_INT_H
#define MAILC2_TEXT_INT_H

#include <stdio.h>

#include "exec/result.h"

/* Control characters from a record never reach a terminal raw (text.c):
 * whether ch is one, and its escape (\t, \n, \r or \xNN) in buf. */
int text_control(unsigned char ch);
const char *text_escape_of(unsigned char ch, char buf[5]);

/* Writes r as an aligned table (fit: the terminal's width, 0: values
 * whole; color: bold names, dim NULLs); -1 when a write failed. */
int table_write(FILE *out, const mc_result *r, int fit, int color);

#endif
