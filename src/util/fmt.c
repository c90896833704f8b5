/* fmt: see fmt.h. */
#include "util/fmt.h"

#include <stdio.h>
#include <string.h>

/* Whether every conversion in fmt is one fmt_vappend copies itself. */
static int plain(const char *fmt)
{
    for (const char *p = strchr(fmt, '%'); p; p = strchr(p, '%')) {
        p++;
        if (*p == 's' || *p == 'd' || *p == '%')
            p++;
        else if (!strncmp(p, "lld", 3))
            p += 3;
        else if (!strncmp(p, "zu", 2))
            p += 2;
        else
            return 0;
    }
    return 1;
}

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

size_t fmt_vappend(char *buf, size_t cap, size_t len, const char *fmt, va_list ap)
{
    if (len + 1 >= cap)
        return len;
    if (!plain(fmt)) {
        int n = vsnprintf(buf + len, cap - len, fmt, ap);
        return n < 0 ? len : len + (size_t)n < cap ? len + (size_t)n : cap - 1;
    }
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
        } else if (*p == 'l') {
            copy(buf, cap, &len, num, fmt_int(va_arg(ap, long long), num));
            p += 3;
        } else {
            copy(buf, cap, &len, num, digits(va_arg(ap, size_t), 0, num));
            p += 2;
        }
    }
    buf[len] = '\0';
    return len;
}
