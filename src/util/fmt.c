/* fmt: see fmt.h. */
#include "util/fmt.h"

#include <stdio.h>
#include <string.h>

/* Copies s[0, n) to buf[*len...], as much as fits before cap - 1. */
static void copy(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
    size_t room = cap - 1 - *len;
    n = n < room ? n : room;
    memcpy(buf + *len, s, n);
    *len += n;
}

/* The decimal digits of v, after a '-' when neg, into buf (NUL-terminated). */
static size_t digits(unsigned long long v, int neg, char buf[FMT_INT_MAX])
{
    char d[FMT_INT_MAX];
    size_t i = sizeof d;
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (neg)
        d[--i] = '-';
    memcpy(buf, d + i, sizeof d - i);
    buf[sizeof d - i] = '\0';
    return sizeof d - i;
}

size_t fmt_int(long long v, char buf[FMT_INT_MAX])
{
    return digits(v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v, v < 0, buf);
}

/* The rest of fmt from `from` by vsnprintf, with the arguments from the
 * start (again): fmt holds a conversion fmt_vappend does not copy itself. */
static size_t by_libc(char *buf, size_t cap, size_t from, const char *fmt, va_list again)
{
    int n = vsnprintf(buf + from, cap - from, fmt, again);
    if (n < 0) {
        buf[from] = '\0';
        return from;
    }
    return from + (size_t)n < cap ? from + (size_t)n : cap - 1;
}

size_t fmt_vappend(char *buf, size_t cap, size_t len, const char *fmt, va_list ap)
{
    if (len + 1 >= cap)
        return len;
    /* One pass, copying as it goes; a conversion it does not know starts
     * over with vsnprintf (a first pass to tell was a tenth of the call). */
    size_t from = len;
    va_list again;
    va_copy(again, ap);
    char num[FMT_INT_MAX];
    for (const char *p = fmt; *p;) {
        const char *pct = strchr(p, '%');
        size_t run = pct ? (size_t)(pct - p) : strlen(p);
        copy(buf, cap, &len, p, run);
        if (!pct)
            break;
        p = pct + 1;
        if (*p == 's') {
            const char *s = va_arg(ap, const char *);
            s = s ? s : "(null)"; /* as glibc's vsnprintf writes it */
            copy(buf, cap, &len, s, strlen(s));
            p++;
        } else if (*p == 'd') {
            copy(buf, cap, &len, num, fmt_int(va_arg(ap, int), num));
            p++;
        } else if (*p == '%') {
            copy(buf, cap, &len, "%", 1);
            p++;
        } else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'd') {
            copy(buf, cap, &len, num, fmt_int(va_arg(ap, long long), num));
            p += 3;
        } else if (p[0] == 'z' && p[1] == 'u') {
            copy(buf, cap, &len, num, digits(va_arg(ap, size_t), 0, num));
            p += 2;
        } else {
            len = by_libc(buf, cap, from, fmt, again);
            va_end(again);
            return len;
        }
    }
    va_end(again);
    buf[len] = '\0';
    return len;
}
