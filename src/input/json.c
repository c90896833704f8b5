/* json.c: the JSON-lines decoder behind json.h -- a hand-written, validating
 * single-pass scanner that records slices for the wanted top-level keys.
 *
 * Why ours and not a library: this is the hot path (every event of every
 * input goes through it). General JSON libraries build a tree of every value
 * and allocate per call; the plan needs a handful of top-level keys. Here one
 * pass over the line validates all of it per RFC 8259 and only remembers
 * (pointer, length, type) for the keys asked for. Nothing is allocated per
 * call; strings are scanned 8 bytes at a time (SWAR), key lookup is a hash
 * into the 256-entry open-addressing table of json_keys.
 *
 * Validation: strict RFC 8259 grammar (numbers, literals, escapes, \uXXXX
 * with proper surrogate pairs, no raw control characters in strings), depth
 * limit JSON_MAX_DEPTH, a single top-level object and nothing after it but
 * whitespace. Deliberately lenient on two points: bytes >= 0x80 inside strings
 * are not checked for valid UTF-8 (telemetry is dirty; json_unescape copies
 * them as they are), and a UTF-8 byte order mark at the very start of the
 * line is skipped (RFC 8259 section 8.1 allows ignoring it).
 *
 * Error offsets: the byte where the scan went wrong; for "unterminated
 * string" that is the opening quote of the string, for "unexpected end of
 * line" it is the line length. */
#include "input/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

typedef struct scanner {
    const char *base; /* start of the line, for offsets */
    const char *end;
    json_error *err;
} scanner;

static const char *fail(const scanner *s, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static const char *fail(const scanner *s, const char *at, const char *fmt, ...)
{
    if (s->err) {
        va_list ap;
        s->err->offset = (size_t)(at - s->base);
        va_start(ap, fmt);
        vsnprintf(s->err->msg, sizeof s->err->msg, fmt, ap);
        va_end(ap);
    }
    return NULL;
}

static const char *truncated(const scanner *s)
{
    return fail(s, s->end, "unexpected end of line (truncated record?)");
}

static inline int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

static inline const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

static inline int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Four hex digits at p: >= 0 the value, -1 a bad digit, -2 the line ended
 * before a bad digit was seen. */
static long hex4(const char *p, const char *end)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        if (p + i >= end) return -2;
        int h = hexval((unsigned char)p[i]);
        if (h < 0) return -1;
        v = v << 4 | h;
    }
    return v;
}

/* ---- key hashing (shared by json_keys_add and the scanner) ---- */

/* A key name's slot: by its ends (util/hash.h). */
static inline uint32_t key_hash(hash_ends e, size_t n)
{
    return (uint32_t)(hash_ends_mix(e, n) >> 32);
}

/* The index of key p (n bytes, ends e) in k, or -1. */
static inline int find_key(const json_keys *k, hash_ends e, const char *p, size_t n)
{
    uint32_t h = key_hash(e, n);
    unsigned i = h & 255u;
    int ki;
    /* At most JSON_MAX_KEYS of 256 entries are used: an empty one is met. */
    while ((ki = k->table[i]) >= 0) {
        if (k->hash[ki] == h && hash_ends_same(e, p, n, k->ends[ki], k->name[ki], k->len[ki]))
            return ki;
        i = (i + 1) & 255u;
    }
    return -1;
}

void json_keys_init(json_keys *k)
{
    k->n = 0;
    for (int i = 0; i < JSON_MAX_KEYS; i++) {
        k->name[i] = NULL;
        k->len[i] = 0;
        k->hash[i] = 0;
        k->ends[i] = (hash_ends){0, 0};
    }
    for (int i = 0; i < 256; i++) k->table[i] = -1;
}

int json_keys_add(json_keys *k, const char *name, size_t len)
{
    if (len > UINT32_MAX) return -1;
    hash_ends e = hash_ends_of(name, len);
    int ki = find_key(k, e, name, len);
    if (ki >= 0) return ki;
    uint32_t h = key_hash(e, len);
    if (k->n >= JSON_MAX_KEYS) return -1;
    char *copy = malloc(len + 1);
    if (!copy) return -1;
    if (len) memcpy(copy, name, len);
    copy[len] = '\0';
    ki = (int)k->n++;
    k->name[ki] = copy;
    k->len[ki] = (uint32_t)len;
    k->hash[ki] = h;
    k->ends[ki] = e;
    unsigned i = h & 255u;
    while (k->table[i] >= 0) i = (i + 1) & 255u;
    k->table[i] = (int16_t)ki;
    return ki;
}

void json_keys_free(json_keys *k)
{
    for (unsigned i = 0; i < k->n && i < JSON_MAX_KEYS; i++) free(k->name[i]);
    json_keys_init(k);
}

/* ---- unescaping ---- */

static inline size_t put_utf8(char *d, unsigned long cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | cp >> 6);
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | cp >> 12);
        d[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | cp >> 18);
    d[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    d[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Decodes one unit at *pp (a byte or one escape) into out[0..3], advancing
 * *pp. Never writes more bytes than it consumes, and tolerates input that was
 * not validated: a malformed escape is copied as its backslash, a lone
 * surrogate becomes U+FFFD. */
static size_t unescape_one(const char **pp, const char *end, char *out)
{
    const char *p = *pp;
    if (*p != '\\' || p + 1 >= end) {
        out[0] = *p;
        *pp = p + 1;
        return 1;
    }
    char c;
    switch (p[1]) {
    case '"': c = '"'; break;
    case '\\': c = '\\'; break;
    case '/': c = '/'; break;
    case 'b': c = '\b'; break;
    case 'f': c = '\f'; break;
    case 'n': c = '\n'; break;
    case 'r': c = '\r'; break;
    case 't': c = '\t'; break;
    case 'u': {
        long cp = hex4(p + 2, end);
        if (cp < 0) goto raw;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end - (p + 6) >= 6 && p[6] == '\\' && p[7] == 'u') {
                long lo = hex4(p + 8, end);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    *pp = p + 12;
                    return put_utf8(out, 0x10000 + ((unsigned long)(cp - 0xD800) << 10) +
                                             (unsigned long)(lo - 0xDC00));
                }
            }
            cp = 0xFFFD;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        *pp = p + 6;
        return put_utf8(out, (unsigned long)cp);
    }
    default:
        goto raw;
    }
    out[0] = c;
    *pp = p + 2;
    return 1;
raw:
    out[0] = '\\';
    *pp = p + 1;
    return 1;
}

size_t json_unescape(const char *p, size_t len, char *dst)
{
    const char *end = p + len;
    char *d = dst;
    while (p < end) {
        const char *bs = memchr(p, '\\', (size_t)(end - p));
        if (!bs) {
            memcpy(d, p, (size_t)(end - p));
            d += end - p;
            break;
        }
        memcpy(d, p, (size_t)(bs - p));
        d += bs - p;
        p = bs;
        d += unescape_one(&p, end, d);
    }
    return (size_t)(d - dst);
}

/* Does the escaped key text [p, p+n) decode to name[0..nlen)? */
static int escaped_key_equals(const char *p, size_t n, const char *name, size_t nlen)
{
    const char *end = p + n;
    size_t j = 0;
    char u[4];
    while (p < end) {
        size_t m = unescape_one(&p, end, u);
        if (m > nlen - j || memcmp(name + j, u, m) != 0) return 0;
        j += m;
    }
    return j == nlen;
}

static int find_escaped_key(const json_keys *k, const char *p, size_t n)
{
    /* Rare: a linear walk, decoding on the fly, no buffer needed. */
    for (unsigned i = 0; i < k->n; i++)
        if (escaped_key_equals(p, n, k->name[i], k->len[i])) return (int)i;
    return -1;
}

/* ---- the scanner ---- */

/* p at the backslash of an escape inside the string opened at `open`.
 * Returns the byte after the escape (a whole surrogate pair counts as one). */
static const char *scan_escape(const scanner *s, const char *open, const char *p)
{
    const char *end = s->end;
    if (p + 1 >= end) return fail(s, open, "unterminated string");
    unsigned char c = (unsigned char)p[1];
    switch (c) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        return p + 2;
    case 'u':
        break;
    default:
        if (c >= 0x20 && c < 0x7F) return fail(s, p, "invalid escape '\\%c' in string", c);
        return fail(s, p, "invalid escape (byte 0x%02x after '\\') in string", c);
    }
    long cp = hex4(p + 2, end);
    if (cp == -2) return fail(s, open, "unterminated string");
    if (cp < 0) return fail(s, p, "invalid \\u escape");
    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(s, p, "unpaired surrogate");
    if (cp < 0xD800 || cp > 0xDFFF) return p + 6;
    /* A high surrogate: the low half must follow at once as \uDC00-\uDFFF. */
    const char *q = p + 6;
    if (q >= end || (q[0] == '\\' && q + 1 >= end)) return fail(s, open, "unterminated string");
    if (q[0] != '\\' || q[1] != 'u') return fail(s, p, "unpaired surrogate");
    long lo = hex4(q + 2, end);
    if (lo == -2) return fail(s, open, "unterminated string");
    if (lo < 0) return fail(s, q, "invalid \\u escape");
    if (lo < 0xDC00 || lo > 0xDFFF) return fail(s, p, "unpaired surrogate");
    return q + 6;
}

/* p at the opening quote. Returns the byte after the closing quote; sets
 * *escaped when a backslash was seen. */
/* Inlined: it runs for every key and value, and Falcon's are short, so a
 * call per string cost ~8% of a scan (callgrind, BENCHMARKS.md). */
static inline __attribute__((always_inline)) const char *
scan_string(const scanner *s, const char *p, uint8_t *escaped)
{
    const char *open = p++;
    const char *end = s->end;
    uint8_t esc = 0;
    for (;;) {
        unsigned char c = 0;
#ifdef __SSE2__
        /* 16 bytes at a time (x86-64 always has SSE2) while none is '"',
         * '\\' or < 0x20: a Falcon value of 20 to 64 bytes takes one to
         * four steps, not three to eight. */
        if (end - p >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
            __m128i low = _mm_set1_epi8(0x1F);
            unsigned m = (unsigned)_mm_movemask_epi8(
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                          _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                             _mm_cmpeq_epi8(_mm_max_epu8(v, low), low)));
            if (!m) {
                p += 16;
                continue;
            }
            p += __builtin_ctz(m);
            c = (unsigned char)*p;
        } else
#endif
        {
            /* 8 bytes at a time while none is '"', '\\' or < 0x20. */
            while (end - p >= 8) {
                uint64_t v, q, b;
                memcpy(&v, p, 8);
                q = v ^ (ONES * '"');
                b = v ^ (ONES * '\\');
                uint64_t t = (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((v - ONES * 0x20) & ~v)) & HIGHS;
                if (t) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                    /* The lowest flagged byte is always a real hit (borrows
                     * only run upwards): jump straight to it. */
                    p += __builtin_ctzll(t) >> 3;
#endif
                    break;
                }
                p += 8;
            }
            while (p < end && (c = (unsigned char)*p) >= 0x20 && c != '"' && c != '\\') p++;
            if (p >= end) return fail(s, open, "unterminated string");
        }
        if (c == '"') {
            *escaped = esc;
            return p + 1;
        }
        if (c == '\\') {
            esc = 1;
            p = scan_escape(s, open, p);
            if (!p) return NULL;
            continue;
        }
        return fail(s, p, "control character in string");
    }
}

static const char *scan_number(const scanner *s, const char *p)
{
    const char *end = s->end;
    if (*p == '-') p++;
    if (p >= end) return truncated(s);
    if (*p == '0') {
        p++;
    } else if (is_digit((unsigned char)*p)) {
        while (p < end && is_digit((unsigned char)*p)) p++;
    } else {
        return fail(s, p, "invalid number");
    }
    if (p < end && *p == '.') {
        p++;
        if (p >= end) return truncated(s);
        if (!is_digit((unsigned char)*p)) return fail(s, p, "invalid number");
        while (p < end && is_digit((unsigned char)*p)) p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-')) p++;
        if (p >= end) return truncated(s);
        if (!is_digit((unsigned char)*p)) return fail(s, p, "invalid number");
        while (p < end && is_digit((unsigned char)*p)) p++;
    }
    /* "01", "1.2.3", "0x1F", "1e5e" ...: the number cannot go on like this. */
    if (p < end && (is_digit((unsigned char)*p) || is_alpha((unsigned char)*p) ||
                    *p == '.' || *p == '+' || *p == '-'))
        return fail(s, p, "invalid number");
    return p;
}

static const char *scan_literal(const scanner *s, const char *p, const char *word, size_t n)
{
    size_t avail = (size_t)(s->end - p);
    if (avail >= n) {
        if (memcmp(p, word, n) == 0) {
            const char *q = p + n;
            if (q < s->end && (is_alpha((unsigned char)*q) || is_digit((unsigned char)*q)))
                return fail(s, p, "invalid literal");
            return q;
        }
    } else if (memcmp(p, word, avail) == 0) {
        return truncated(s);
    }
    return fail(s, p, "invalid literal");
}

static const char *scan_object(const scanner *s, const char *p, int depth, const json_keys *k,
                               json_slot *slots);
static const char *scan_array(const scanner *s, const char *p, int depth);

static const char *scan_value(const scanner *s, const char *p, int depth, uint8_t *type,
                              uint8_t *escaped)
{
    if (p >= s->end) return truncated(s);
    switch (*p) {
    case '"':
        *type = JSON_STRING;
        return scan_string(s, p, escaped);
    case '{':
        *type = JSON_OBJECT;
        return scan_object(s, p, depth + 1, NULL, NULL);
    case '[':
        *type = JSON_ARRAY;
        return scan_array(s, p, depth + 1);
    case 't':
        *type = JSON_TRUE;
        return scan_literal(s, p, "true", 4);
    case 'f':
        *type = JSON_FALSE;
        return scan_literal(s, p, "false", 5);
    case 'n':
        *type = JSON_NULL;
        return scan_literal(s, p, "null", 4);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        *type = JSON_NUMBER;
        return scan_number(s, p);
    case '+': case '.':
        return fail(s, p, "invalid number");
    default:
        return fail(s, p, "expected a value");
    }
}

static const char *scan_array(const scanner *s, const char *p, int depth)
{
    const char *end = s->end;
    if (depth > JSON_MAX_DEPTH) return fail(s, p, "nesting deeper than %d", JSON_MAX_DEPTH);
    p = skip_ws(p + 1, end);
    if (p < end && *p == ']') return p + 1;
    for (;;) {
        uint8_t type, esc;
        p = scan_value(s, p, depth, &type, &esc);
        if (!p) return NULL;
        p = skip_ws(p, end);
        if (p >= end) return truncated(s);
        if (*p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (*p == ']') return p + 1;
        return fail(s, p, "expected ',' or ']' in array");
    }
}

/* With k (the top level only), wanted keys have their value recorded. */
static const char *scan_object(const scanner *s, const char *p, int depth, const json_keys *k,
                               json_slot *slots)
{
    const char *end = s->end;
    if (depth > JSON_MAX_DEPTH) return fail(s, p, "nesting deeper than %d", JSON_MAX_DEPTH);
    p = skip_ws(p + 1, end);
    if (p < end && *p == '}') return p + 1;
    for (;;) {
        if (p >= end) return truncated(s);
        if (*p != '"') return fail(s, p, "expected a string key");
        const char *key = p + 1;
        uint8_t kesc = 0;
        p = scan_string(s, p, &kesc);
        if (!p) return NULL;
        size_t klen = (size_t)(p - 1 - key);
        p = skip_ws(p, end);
        if (p >= end) return truncated(s);
        if (*p != ':') return fail(s, p, "expected ':' after key");
        p = skip_ws(p + 1, end);
        const char *val = p;
        uint8_t type = JSON_ABSENT, vesc = 0;
        p = scan_value(s, p, depth, &type, &vesc);
        if (!p) return NULL;
        if (k) {
            int ki = kesc ? find_escaped_key(k, key, klen)
                          : find_key(k, hash_ends_of(key, klen), key, klen);
            if (ki >= 0) {
                json_slot *sl = &slots[ki];
                if (sl->type != JSON_ABSENT && !s->err->dup && depth == 1) {
                    s->err->dup = key;
                    s->err->dup_len = (uint32_t)klen;
                }
                if (type == JSON_STRING) {
                    sl->p = val + 1;
                    sl->len = (uint32_t)(p - val - 2);
                } else {
                    sl->p = val;
                    sl->len = (uint32_t)(p - val);
                }
                sl->type = type;
                sl->escaped = vesc;
            }
        }
        p = skip_ws(p, end);
        if (p >= end) return truncated(s);
        if (*p == ',') {
            p = skip_ws(p + 1, end);
            continue;
        }
        if (*p == '}') return p + 1;
        return fail(s, p, "expected ',' or '}' in object");
    }
}

int json_scan(const json_keys *k, const char *line, size_t len, json_slot *slots,
              json_error *err)
{
    scanner s = {line, line + len, err};
    err->dup = NULL;
    if (k && k->n == 0) k = NULL;
    if (k) memset(slots, 0, k->n * sizeof *slots);
    if (len > UINT32_MAX) {
        /* Slot lengths are 32-bit. */
        fail(&s, line, "line longer than 4 GiB");
        return -1;
    }
    const char *p = line, *end = line + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    p = skip_ws(p, end);
    if (p >= end || *p != '{') {
        fail(&s, p, "expected a JSON object");
        return -1;
    }
    p = scan_object(&s, p, 1, k, slots);
    if (!p) return -1;
    p = skip_ws(p, end);
    if (p < end) {
        fail(&s, p, "trailing characters after object");
        return -1;
    }
    return 0;
}

void json_dup_note(const json_error *e, char *note, size_t len)
{
    if (!e->dup) {
        note[0] = '\0';
        return;
    }
    int n = e->dup_len > 64 ? 64 : (int)e->dup_len;
    snprintf(note, len, "key \"%.*s%s\" appears more than once; the last value was used", n,
             e->dup, e->dup_len > 64 ? "..." : "");
}

mc_value json_text(const json_slot *s, arena *scratch)
{
    if (s->type == JSON_ABSENT || s->type == JSON_NULL)
        return mc_null();
    if (s->type == JSON_STRING && s->escaped) {
        char *buf = arena_alloc(scratch, s->len + 1);
        return mc_str(MC_STR, buf, json_unescape(s->p, s->len, buf));
    }
    return mc_str(MC_STR, s->p, s->len);
}

