/* csv: RFC 4180-style field splitting of one line (see csv.h). Unquoted
 * fields are slices of the line with no copy; a quoted field is a slice too
 * unless it contains "", which is then unescaped into scratch. */
#include "input/csv.h"

#include <stdio.h>
#include <string.h>

/* A quoted field starting at the quote p. Returns the byte after the
 * closing quote, or NULL when the line ends first. */
static const char *quoted(const char *p, const char *end, mc_value *v, arena *scratch)
{
    const char *start = ++p;
    int doubled = 0;
    for (;;) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (!q)
            return NULL;
        if (q + 1 < end && q[1] == '"') {
            doubled = 1;
            p = q + 2;
            continue;
        }
        size_t len = (size_t)(q - start);
        if (!doubled) {
            *v = mc_str(MC_STR, start, len);
            return q + 1;
        }
        char *buf = arena_alloc(scratch, len), *d = buf;
        for (const char *s = start; s < q; s++) {
            *d++ = *s;
            if (*s == '"')
                s++;
        }
        *v = mc_str(MC_STR, buf, (size_t)(d - buf));
        return q + 1;
    }
}

int csv_split(const char *line, size_t len, char sep, mc_value *out, int max, arena *scratch,
              char *err, size_t errlen)
{
    const char *p = line, *end = line + len;
    int n = 0;
    for (;;) {
        mc_value v;
        if (p < end && *p == '"') {
            const char *q = quoted(p, end, &v, scratch);
            if (!q) {
                snprintf(err, errlen, "field %d: unterminated quote (truncated record?)", n + 1);
                return -1;
            }
            if (q < end && *q != sep) {
                snprintf(err, errlen, "field %d: text after the closing quote", n + 1);
                return -1;
            }
            p = q;
        } else {
            const char *q = memchr(p, sep, (size_t)(end - p));
            v = mc_str(MC_STR, p, (size_t)((q ? q : end) - p));
            p = q ? q : end;
        }
        if (n < max)
            out[n] = v;
        n++;
        if (p >= end)
            return n;
        p++; /* the separator */
    }
}
