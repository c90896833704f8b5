/* json_raw: reading a value from a JSON line without parsing it (see
 * json.h "Raw reading"). Written by hand because it is the hot path of the
 * driver's prefilter and of a decoder's raw time: a search for the key and
 * a few bytes of grammar for its value, where a full parse of the line
 * costs most of a run (BENCHMARKS.md). */
#include "input/json.h"

#include <string.h>

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

static int one_of(char c, const char *set)
{
    return c != '\0' && strchr(set, c) != NULL;
}

int json_raw_value(const char *p, const char *end, mc_value *v)
{
    p = skip_ws(p, end);
    if (p == end || *p != ':')
        return JSON_RAW_NONE;
    p = skip_ws(p + 1, end);
    if (p == end)
        return JSON_RAW_UNSURE;
    if (*p == '"') {
        const char *q = p + 1;
        while (q < end && *q != '"' && *q != '\\')
            q++;
        if (q == end || *q == '\\')
            return JSON_RAW_UNSURE;
        *v = mc_str(MC_STR, p + 1, (size_t)(q - p - 1));
        return JSON_RAW_VALUE;
    }
    if (end - p >= 4 && !memcmp(p, "null", 4)) {
        *v = mc_null();
        return JSON_RAW_VALUE;
    }
    const char *q = p;
    while (q < end && (one_of(*q, "+-.eE") || (*q >= '0' && *q <= '9')))
        q++;
    if (q == p || (q < end && !one_of(*q, " \t\r\n,}]")))
        return JSON_RAW_UNSURE; /* object, array, true, false, or not JSON */
    *v = mc_str(MC_STR, p, (size_t)(q - p));
    return JSON_RAW_VALUE;
}

size_t json_raw_rare(const char *needle, size_t nlen)
{
    for (size_t i = nlen - 1; i >= 1; i--)
        if ((needle[i] >= 'A' && needle[i] <= 'Z') || (needle[i] >= '0' && needle[i] <= '9'))
            return i;
    return nlen >= 2 ? nlen - 2 : 0;
}

const char *json_raw_find(const char *needle, size_t nlen, size_t rare, const char *p,
                          const char *end)
{
    char c = needle[rare];
    for (const char *s = p + rare; s < end && (s = memchr(s, c, (size_t)(end - s))); s++) {
        const char *start = s - rare;
        if ((size_t)(end - start) >= nlen && !memcmp(start, needle, nlen))
            return start;
    }
    return NULL;
}

int json_raw_key(const char *line, size_t len, const char *key, size_t klen, mc_value *v)
{
    const char *end = line + len;
    int found = JSON_RAW_NONE;
    size_t rare = json_raw_rare(key, klen);
    for (const char *p = line; (p = json_raw_find(key, klen, rare, p, end)); p += klen) {
        mc_value got;
        int k = json_raw_value(p + klen, end, &got);
        if (k == JSON_RAW_NONE)
            continue;
        if (k == JSON_RAW_UNSURE || found == JSON_RAW_VALUE)
            return JSON_RAW_UNSURE; /* a repeated key: the parse keeps the last */
        found = JSON_RAW_VALUE;
        *v = got;
    }
    return found;
}

int json_has_u_escape(const char *line, size_t len)
{
    const char *end = line + len;
    for (const char *s = line; (s = memchr(s, '\\', (size_t)(end - s))); s += 2)
        if (s + 1 < end && s[1] == 'u')
            return 1;
        else if (s + 1 >= end)
            break;
    return 0;
}

int json_raw_flat(const char *line, size_t len)
{
    const char *open = memchr(line, '{', len);
    return open && !memchr(open + 1, '{', len - (size_t)(open - line) - 1) &&
           !json_has_u_escape(line, len);
}
