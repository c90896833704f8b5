/* timeutil: ISO 8601 and epoch parsing and formatting (see timeutil.h).
 * Hand-written because strptime is locale-bound and knows neither fractions
 * nor offsets portably, and this runs once per event. */
#include "util/timeutil.h"
#include "util/fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Reads exactly n digits at s[*i]. */
static int digits(const char *s, size_t len, size_t *i, int n, int *out)
{
    int v = 0;
    for (int k = 0; k < n; k++, (*i)++) {
        if (*i >= len || s[*i] < '0' || s[*i] > '9')
            return -1;
        v = v * 10 + (s[*i] - '0');
    }
    *out = v;
    return 0;
}

static int expect(const char *s, size_t len, size_t *i, char c)
{
    if (*i >= len || s[*i] != c)
        return -1;
    (*i)++;
    return 0;
}

/* Fraction after '.' or ',': any number of digits, kept to milliseconds. */
static int fraction_ms(const char *s, size_t len, size_t *i)
{
    int ms = 0, n = 0;
    while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
        if (n < 3)
            ms = ms * 10 + (s[*i] - '0');
        n++;
        (*i)++;
    }
    for (; n < 3; n++)
        ms *= 10;
    return ms;
}

static int offset_minutes(const char *s, size_t len, size_t *i, int *off)
{
    *off = 0;
    if (*i == len)
        return 0;
    if (s[*i] == 'Z' || s[*i] == 'z') {
        (*i)++;
        return 0;
    }
    if (s[*i] != '+' && s[*i] != '-')
        return -1;
    int sign = s[(*i)++] == '-' ? -1 : 1, hh, mm = 0;
    if (digits(s, len, i, 2, &hh))
        return -1;
    if (*i < len && s[*i] == ':')
        (*i)++;
    if (*i < len && digits(s, len, i, 2, &mm))
        return -1;
    *off = sign * (hh * 60 + mm);
    return 0;
}

int time_parse_iso(const char *s, size_t len, int64_t *ms)
{
    size_t i = 0;
    int y, mo, d, h, mi, se, off;
    if (digits(s, len, &i, 4, &y) || expect(s, len, &i, '-') ||
        digits(s, len, &i, 2, &mo) || expect(s, len, &i, '-') ||
        digits(s, len, &i, 2, &d))
        return -1;
    if (i >= len || (s[i] != 'T' && s[i] != 't' && s[i] != ' '))
        return -1;
    i++;
    if (digits(s, len, &i, 2, &h) || expect(s, len, &i, ':') ||
        digits(s, len, &i, 2, &mi) || expect(s, len, &i, ':') ||
        digits(s, len, &i, 2, &se))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    int frac = 0;
    if (i < len && (s[i] == '.' || s[i] == ',')) {
        i++;
        frac = fraction_ms(s, len, &i);
    }
    if (offset_minutes(s, len, &i, &off) || i != len)
        return -1;
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - (int64_t)off * 60;
    *ms = secs * 1000 + frac;
    return 0;
}

/* 1 or 2 digits (hours and days written without a leading zero). */
static int digits12(const char *s, size_t len, size_t *i, int *out)
{
    if (digits(s, len, i, 1, out))
        return -1;
    int more;
    if (*i < len && s[*i] >= '0' && s[*i] <= '9' && digits(s, len, i, 1, &more) == 0)
        *out = *out * 10 + more;
    return 0;
}

static int month_name(const char *s, size_t len, size_t *i, int *mo)
{
    static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    if (*i + 3 > len)
        return -1;
    char m[3];
    for (int k = 0; k < 3; k++)
        m[k] = (char)(s[*i + k] | 0x20);
    for (int k = 0; k < 12; k++)
        if (memcmp(names + 3 * k, m, 3) == 0) {
            *mo = k + 1;
            *i += 3;
            return 0;
        }
    return -1;
}

static int skip_spaces(const char *s, size_t len, size_t *i)
{
    size_t start = *i;
    while (*i < len && s[*i] == ' ')
        (*i)++;
    return *i > start ? 0 : -1;
}

/* hh:mm:ss[.fff] with a 1- or 2-digit hour; the fraction to *frac. */
static int clock_time(const char *s, size_t len, size_t *i, int *h, int *mi, int *se, int *frac)
{
    if (digits12(s, len, i, h) || expect(s, len, i, ':') || digits(s, len, i, 2, mi) ||
        expect(s, len, i, ':') || digits(s, len, i, 2, se))
        return -1;
    *frac = 0;
    if (*i < len && s[*i] == '.') {
        (*i)++;
        *frac = fraction_ms(s, len, i);
    }
    return 0;
}

/* " AM" / " PM" after a 12-hour clock. */
static int meridiem(const char *s, size_t len, size_t *i, int *h)
{
    if (skip_spaces(s, len, i) || *i + 2 > len || (s[*i + 1] | 0x20) != 'm')
        return -1;
    char c = (char)(s[*i] | 0x20);
    if ((c != 'a' && c != 'p') || *h < 1 || *h > 12)
        return -1;
    *h = *h % 12 + (c == 'p' ? 12 : 0);
    *i += 2;
    return 0;
}

static int civil_ms(int y, int mo, int d, int h, int mi, int se, int frac, int64_t *ms)
{
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    *ms = (days * 86400 + h * 3600 + mi * 60 + se) * 1000 + frac;
    return 0;
}

/* YYYY/MM/DD hh:mm:ss[.fff] */
static int parse_slashed(const char *s, size_t len, int64_t *ms)
{
    size_t i = 0;
    int y, mo, d, h, mi, se, frac;
    if (digits(s, len, &i, 4, &y) || expect(s, len, &i, '/') || digits12(s, len, &i, &mo) ||
        expect(s, len, &i, '/') || digits12(s, len, &i, &d) || skip_spaces(s, len, &i) ||
        clock_time(s, len, &i, &h, &mi, &se, &frac) || i != len)
        return -1;
    return civil_ms(y, mo, d, h, mi, se, frac, ms);
}

/* Mon DD YYYY hh:mm:ss  or  Mon D, YYYY[,] h:mm:ss AM|PM */
static int parse_month_first(const char *s, size_t len, int64_t *ms)
{
    size_t i = 0;
    int y, mo, d, h, mi, se, frac, comma;
    if (month_name(s, len, &i, &mo) || skip_spaces(s, len, &i) || digits12(s, len, &i, &d))
        return -1;
    comma = i < len && s[i] == ',';
    i += (size_t)comma;
    if (skip_spaces(s, len, &i) || digits(s, len, &i, 4, &y))
        return -1;
    if (i < len && s[i] == ',')
        i++;
    if (skip_spaces(s, len, &i) || clock_time(s, len, &i, &h, &mi, &se, &frac))
        return -1;
    if (i < len && meridiem(s, len, &i, &h))
        return -1;
    if (i != len)
        return -1;
    return civil_ms(y, mo, d, h, mi, se, frac, ms);
}

int time_parse_log(const char *s, size_t len, int64_t *ms)
{
    if (time_parse_iso(s, len, ms) == 0 || parse_slashed(s, len, ms) == 0)
        return 0;
    return parse_month_first(s, len, ms);
}

int time_parse_epoch_s(const char *s, size_t len, int64_t *ms)
{
    size_t i = 0;
    int neg = 0;
    if (i < len && s[i] == '-') {
        neg = 1;
        i++;
    }
    size_t start = i;
    int64_t secs = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 15)
        secs = secs * 10 + (s[i++] - '0');
    if (i == start)
        return -1;
    int frac = 0;
    if (i < len && s[i] == '.') {
        i++;
        frac = fraction_ms(s, len, &i);
    }
    if (i != len)
        return -1;
    *ms = (secs * 1000 + frac) * (neg ? -1 : 1);
    return 0;
}

int time_parse_duration(const char *s, int64_t *ms)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0)
        return -1;
    static const struct { const char *unit; double ms; } units[] = {
        {"ms", 1}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3}, {"d", 86400e3}, {"w", 604800e3},
    };
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        if (strcmp(end, units[k].unit) == 0) {
            *ms = (int64_t)(v * units[k].ms);
            return 0;
        }
    }
    return -1;
}

void time_format_iso(int64_t ms, char buf[TIME_ISO_LEN])
{
    int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int frac = (int)(ms - secs * 1000);
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    /* By hand, not snprintf: a hunt's CSV has three times a row, and
     * snprintf was a quarter of writing it. */
    static const char shape[] = "0000-00-00T00:00:00.000Z";
    const unsigned field[][3] = {
        /* value, its first place, its digits */
        {(unsigned)((y % 10000 + 10000) % 10000), 0, 4}, {m, 5, 2}, {d, 8, 2},
        {(unsigned)(rem / 3600), 11, 2}, {(unsigned)(rem / 60 % 60), 14, 2},
        {(unsigned)(rem % 60), 17, 2}, {(unsigned)frac, 20, 3},
    };
    memcpy(buf, shape, sizeof shape);
    for (size_t f = 0; f < sizeof field / sizeof field[0]; f++)
        for (unsigned v = field[f][0], i = field[f][2]; i-- > 0; v /= 10)
            buf[field[f][1] + i] = (char)('0' + v % 10);
}

void time_format_duration(int64_t ms, char *buf, size_t buflen)
{
    static const struct { const char *unit; int64_t ms; } units[] = {
        {"d", 86400000}, {"h", 3600000}, {"m", 60000}, {"s", 1000},
    };
    const char *unit = "ms";
    int64_t n = ms;
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
        /* "24h" reads better than "1d"; days start at two. */
        if (ms != 0 && ms % units[k].ms == 0 && (k > 0 || ms >= 2 * units[k].ms)) {
            n = ms / units[k].ms;
            unit = units[k].unit;
            break;
        }
    /* By hand, not snprintf: triage says the window of each finding. */
    char text[FMT_INT_MAX + 2];
    size_t len = fmt_int((long long)n, text);
    size_t ulen = strlen(unit);
    memcpy(text + len, unit, ulen);
    len += ulen;
    if (!buflen)
        return;
    len = len < buflen - 1 ? len : buflen - 1;
    memcpy(buf, text, len);
    buf[len] = '\0';
}

int64_t time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
