/* value: the one value type every layer shares — what a decoder writes,
 * what expressions compute, what a group key or a result cell holds, what
 * an output prints — and the operations on it that must agree everywhere:
 * reading a number from text, comparing, and formatting as text.
 *
 * Comparison typing: numbers (INT, FLOAT, TS, BOOL) compare numerically;
 * text (STR, IP) compares bytewise; text against a number is parsed as a
 * number, and text that is not one makes the comparison unknown.
 * Formatting: times as ISO 8601 UTC with milliseconds, floats with 15
 * significant digits, NULL as nothing (each output decides how to show it).
 *
 * Ownership: a value never owns its text. MC_STR/MC_IP point into the input
 * record, a scratch arena or a result; whoever keeps one longer copies it.
 * Conversions from source text (ports, addresses, directions) are in
 * value/convert.h. */
#ifndef MAILC2_VALUE_H
#define MAILC2_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum mc_type {
    MC_NULL = 0,
    MC_BOOL,   /* i: 0 or 1 */
    MC_INT,    /* i */
    MC_FLOAT,  /* f */
    MC_TS,     /* i: milliseconds since the epoch, UTC */
    MC_IP,     /* s/len: address text, IPv4 dotted or IPv6 */
    MC_STR,    /* s/len: bytes, not NUL-terminated */
};

typedef struct mc_value {
    uint8_t type;     /* enum mc_type */
    uint32_t len;     /* for MC_STR and MC_IP */
    union {
        int64_t i;
        double f;
        const char *s;
    } u;
} mc_value;

static inline mc_value mc_null(void) { mc_value v = {0}; return v; }
static inline mc_value mc_int(uint8_t type, int64_t i)
{
    mc_value v = {0};
    v.type = type;
    v.u.i = i;
    return v;
}
static inline mc_value mc_str(uint8_t type, const char *s, size_t len)
{
    mc_value v = {0};
    v.type = type;
    v.len = (uint32_t)len;
    v.u.s = s;
    return v;
}

static inline mc_value mc_bool(int b) { return mc_int(MC_BOOL, b != 0); }

/* Text to number: optional sign, digits, optional fraction/exponent. Returns
 * MC_INT or MC_FLOAT, or MC_NULL when `s` is not entirely a number. */
mc_value value_parse_number(const char *s, size_t len);
/* A number as it is (INT, FLOAT, TS, BOOL) or read from text; -1 when the
 * value is NULL or text that is not a number. */
int value_as_number(const mc_value *v, mc_value *out);
/* Three-way comparison used by CMP, IN, sorting and min/max: sets *res to
 * <0, 0, >0; returns -1 when the values are not comparable (NULL involved,
 * or text that is not a number against a number). */
int value_compare(const mc_value *a, const mc_value *b, int *res);

enum { VALUE_TEXT_MAX = 40 };   /* room a number or time needs as text */
/* The value as text: points *s at it (into buf[VALUE_TEXT_MAX] or the value
 * itself). NULL gives len 0 and returns 0; otherwise returns 1. */
int value_format(const mc_value *v, char *buf, const char **s, size_t *len);
/* A literal as `mailc2 explain` shows it: null, true, 25, 'text'. */
void value_print(const mc_value *v, FILE *out);

#endif
