/* value: number reading, comparison and text of the shared value type
 * (see value.h). */
#include "value/value.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "util/timeutil.h"

static int is_text(const mc_value *v) { return v->type == MC_STR || v->type == MC_IP; }

mc_value value_parse_number(const char *s, size_t len)
{
    size_t i = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    size_t digits = i;
    int64_t n = 0;
    int overflow = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (n > (INT64_MAX - 9) / 10)
            overflow = 1; /* read on as digits; strtod below takes the value */
        if (!overflow)
            n = n * 10 + (s[i] - '0');
        i++;
    }
    int have_int = i > digits;
    if (i == len && have_int && !overflow)
        return mc_int(MC_INT, s[0] == '-' ? -n : n);
    /* "digits.digits" with at most 2^53 as a whole and 22 after the point
     * (Falcon's "1795392000.327"): the digits as one integer over a power
     * of ten, both exact in a double, so one correctly rounded division
     * gives what strtod would, without its cost (a min/max of such a time
     * over 10^6 groups parsed it twice an event). */
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (have_int && !overflow && i < len && s[i] == '.') {
        size_t j = i + 1;
        int64_t m = n;
        while (j < len && s[j] >= '0' && s[j] <= '9' && m <= ((INT64_C(1) << 53) - 9) / 10 &&
               j - i <= 22)
            m = m * 10 + (s[j++] - '0');
        if (j == len && j > i + 1) {
            mc_value v = {.type = MC_FLOAT};
            v.u.f = (s[0] == '-' ? -1.0 : 1.0) * ((double)m / p10[j - i - 1]);
            return v;
        }
    }
    /* Not a plain integer: accept a decimal or exponent form via strtod on a
     * bounded copy, since `s` is not NUL-terminated. */
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return mc_null();
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (!strpbrk(buf, "0123456789") || strpbrk(buf, "xXnN \t"))
        return mc_null();
    char *end;
    double d = strtod(buf, &end);
    if (*end != '\0')
        return mc_null();
    mc_value v = {.type = MC_FLOAT};
    v.u.f = d;
    return v;
}

int value_as_number(const mc_value *v, mc_value *out)
{
    if (is_text(v))
        *out = value_parse_number(v->u.s, v->len);
    else
        *out = *v;
    return out->type == MC_NULL ? -1 : 0;
}

static int cmp_num(const mc_value *a, const mc_value *b)
{
    if (a->type != MC_FLOAT && b->type != MC_FLOAT)
        return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    double x = a->type == MC_FLOAT ? a->u.f : (double)a->u.i;
    double y = b->type == MC_FLOAT ? b->u.f : (double)b->u.i;
    return (x > y) - (x < y);
}

int value_compare(const mc_value *a, const mc_value *b, int *res)
{
    if (a->type == MC_NULL || b->type == MC_NULL)
        return -1;
    if (is_text(a) && is_text(b)) {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = n ? memcmp(a->u.s, b->u.s, n) : 0;
        *res = c ? c : (a->len > b->len) - (a->len < b->len);
        return 0;
    }
    mc_value x, y;
    if (value_as_number(a, &x) || value_as_number(b, &y))
        return -1;
    *res = cmp_num(&x, &y);
    return 0;
}

int value_format(const mc_value *v, char *buf, const char **s, size_t *len)
{
    int n = 0;
    switch (v->type) {
    case MC_NULL:
        *s = "";
        *len = 0;
        return 0;
    case MC_STR:
    case MC_IP:
        *s = v->u.s;
        *len = v->len;
        return 1;
    case MC_TS:
        time_format_iso(v->u.i, buf);
        n = TIME_ISO_LEN - 1;
        break;
    case MC_BOOL:  n = snprintf(buf, VALUE_TEXT_MAX, "%s", v->u.i ? "true" : "false"); break;
    case MC_FLOAT: n = snprintf(buf, VALUE_TEXT_MAX, "%.15g", v->u.f); break;
    default:       n = (int)fmt_int(v->u.i, buf); break; /* not snprintf: slow for counts */
    }
    *s = buf;
    *len = n < 0 ? 0 : (size_t)n;
    return 1;
}

void value_print(const mc_value *v, FILE *out)
{
    char iso[TIME_ISO_LEN];
    switch (v->type) {
    case MC_NULL:  fputs("null", out); break;
    case MC_BOOL:  fputs(v->u.i ? "true" : "false", out); break;
    case MC_INT:   fprintf(out, "%" PRId64, v->u.i); break;
    case MC_FLOAT: fprintf(out, "%g", v->u.f); break;
    case MC_TS:
        time_format_iso(v->u.i, iso);
        fputs(iso, out);
        break;
    default:
        fputc('\'', out);
        fwrite(v->u.s, 1, v->len, out);
        fputc('\'', out);
    }
}
