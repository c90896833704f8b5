/* fmt: printf-style text appended to a fixed buffer, fast for the few
 * conversions sentences are made of.
 *
 * Why not vsnprintf alone: triage writes a dozen sentences for each
 * finding, and a hunt may have 10^5 findings; vsnprintf's general
 * machinery was a tenth of such a run. A format with only %s, %d, %lld,
 * %zu and %% is copied here directly; any other (widths, precisions,
 * floats) goes to vsnprintf. Either way the result is vsnprintf's. */
#ifndef MAILC2_FMT_H
#define MAILC2_FMT_H

#include <stdarg.h>
#include <stddef.h>

enum { FMT_INT_MAX = 21 }; /* "-9223372036854775808" and its NUL */

/* v's decimal digits (and sign) into buf, NUL-terminated; returns their
 * number. */
size_t fmt_int(long long v, char buf[FMT_INT_MAX]);

/* Appends to buf[len...], cut at cap - 1 bytes and NUL-terminated (cap > len);
 * returns the new length. */
size_t fmt_vappend(char *buf, size_t cap, size_t len, const char *fmt, va_list ap);

#endif
