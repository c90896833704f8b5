/* modifier: a field item's key (`Image|endswith`) and what its modifiers
 * make of each value (sigma.md §4): where wildcards go, windash's dash
 * variants, and the UTF-16 and base64 encodings. The result is a pattern
 * per value (internal.h sg_pat) that match.c turns into expressions.
 *
 * Values follow Sigma's escapes (sigma.md §3): `\*` and `\?` are literal,
 * `\\` is one backslash, any other backslash is itself; `*` and `?`
 * otherwise are wildcards. */
#include "lang/sigma/internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

static const struct { const char *name; unsigned flag; } known[] = {
    {"contains", SGM_CONTAINS}, {"startswith", SGM_STARTSWITH}, {"endswith", SGM_ENDSWITH},
    {"all", SGM_ALL}, {"re", SGM_RE}, {"i", SGM_RE_I}, {"m", SGM_RE_M}, {"s", SGM_RE_S},
    {"cidr", SGM_CIDR}, {"windash", SGM_WINDASH}, {"exists", SGM_EXISTS}, {"gt", SGM_GT},
    {"gte", SGM_GTE}, {"lt", SGM_LT}, {"lte", SGM_LTE}, {"base64", SGM_BASE64},
    {"base64offset", SGM_BASE64OFFSET}, {"utf16le", SGM_UTF16LE}, {"wide", SGM_UTF16LE},
    {"utf16be", SGM_UTF16BE}, {"utf16", SGM_UTF16}, {"cased", SGM_CASED}, {"neq", SGM_NEQ},
    {"fieldref", SGM_FIELDREF},
};

/* Modifiers of the specification that the plan cannot run, with why. */
static const struct { const char *name; const char *why; } refused[] = {
    {"expand", "needs placeholder values, which mailc2 is not given"},
    {"minute", "compares a part of a date, which the plan cannot take apart"},
    {"hour", "compares a part of a date, which the plan cannot take apart"},
    {"day", "compares a part of a date, which the plan cannot take apart"},
    {"week", "compares a part of a date, which the plan cannot take apart"},
    {"month", "compares a part of a date, which the plan cannot take apart"},
    {"year", "compares a part of a date, which the plan cannot take apart"},
};

static int count_bits(unsigned f)
{
    int n = 0;
    for (; f; f &= f - 1)
        n++;
    return n;
}

/* One modifier name into m->flags, checked against those before it. */
static int add_mod(sg_ctx *c, struct fy_node *key, sg_mods *m, const char *name)
{
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        if (!strcmp(name, refused[i].name))
            return sg_fail(c, key, "modifier |%s is not supported: it %s", name, refused[i].why);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(name, known[i].name))
            continue;
        unsigned f = known[i].flag;
        if (m->flags & f)
            return sg_fail(c, key, "modifier |%s given twice", name);
        if ((f & SGM_B64) && (m->flags & SGM_PLACE))
            return sg_fail(c, key, "|%s after |contains, |startswith or |endswith would encode "
                           "the wildcards; put the encoding first", name);
        if ((f & SGM_UTF) && (m->flags & SGM_B64))
            return sg_fail(c, key, "|%s after |base64: encode to UTF-16 first, then base64",
                           name);
        if ((f & (SGM_RE_I | SGM_RE_M | SGM_RE_S)) && !(m->flags & SGM_RE))
            return sg_fail(c, key, "modifier |%s only follows |re", name);
        m->flags |= f;
        return 0;
    }
    return sg_fail(c, key, "unknown modifier |%s", name);
}

/* Combinations that mean nothing, or that the specification forbids. */
static int check_combination(sg_ctx *c, struct fy_node *key, const sg_mods *m)
{
    unsigned f = m->flags;
    static const struct { unsigned mod, allowed; const char *name; } alone[] = {
        {SGM_RE, SGM_RE | SGM_RE_I | SGM_RE_M | SGM_RE_S | SGM_ALL, "re"},
        {SGM_CIDR, SGM_CIDR | SGM_ALL, "cidr"},
        {SGM_EXISTS, SGM_EXISTS, "exists"},
        {SGM_NUMERIC, SGM_NUMERIC, "gt, gte, lt and lte"},
        {SGM_FIELDREF, SGM_FIELDREF | SGM_CASED | SGM_ALL, "fieldref"},
        {SGM_NEQ, SGM_NEQ | SGM_CASED | SGM_PLACE | SGM_WINDASH, "neq"},
    };
    for (size_t i = 0; i < sizeof alone / sizeof alone[0]; i++)
        if ((f & alone[i].mod) && (f & ~alone[i].allowed))
            return sg_fail(c, key, "|%s cannot be combined with the other modifiers here",
                           alone[i].name);
    if (count_bits(f & SGM_PLACE) > 1)
        return sg_fail(c, key, "only one of |contains, |startswith, |endswith");
    if (count_bits(f & SGM_NUMERIC) > 1)
        return sg_fail(c, key, "only one of |gt, |gte, |lt, |lte");
    if (count_bits(f & SGM_UTF) > 1)
        return sg_fail(c, key, "only one of |utf16, |utf16le, |utf16be, |wide");
    if (count_bits(f & SGM_B64) > 1)
        return sg_fail(c, key, "only one of |base64, |base64offset");
    if ((f & SGM_UTF) && !(f & SGM_B64))
        return sg_fail(c, key, "UTF-16 text holds NUL bytes no field value has: follow |utf16 "
                       "with |base64 or |base64offset");
    if ((f & SGM_BASE64OFFSET) && !(f & SGM_CONTAINS))
        return sg_fail(c, key, "|base64offset finds the value inside a longer text: add "
                       "|contains after it");
    if ((f & SGM_WINDASH) && (f & SGM_B64))
        return sg_fail(c, key, "|windash cannot be combined with |base64");
    return 0;
}

int sg_parse_mods(sg_ctx *c, struct fy_node *key, sg_mods *m)
{
    memset(m, 0, sizeof *m);
    const char *k = sg_text(key);
    if (!k)
        return sg_fail(c, key, "a field name must be text");
    const char *bar = strchr(k, '|');
    size_t flen = bar ? (size_t)(bar - k) : strlen(k);
    if (flen >= sizeof m->field)
        return sg_fail(c, key, "field name longer than %zu characters", sizeof m->field - 1);
    memcpy(m->field, k, flen);
    while (bar) {
        const char *next = strchr(bar + 1, '|');
        size_t n = next ? (size_t)(next - bar - 1) : strlen(bar + 1);
        char name[32];
        if (n == 0 || n >= sizeof name)
            return sg_fail(c, key, n ? "unknown modifier |%.20s..." : "empty modifier in '%s'",
                           n ? bar + 1 : k);
        memcpy(name, bar + 1, n);
        name[n] = '\0';
        if (add_mod(c, key, m, name))
            return -1;
        bar = next;
    }
    return check_combination(c, key, m);
}

/* A growable byte buffer for building one pattern. */
typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void put_char(buf *b, char ch)
{
    put(b, &ch, 1);
}

/* One literal byte in a PCRE2 pattern: punctuation escaped, the rest as is
 * (bytes of multi-byte UTF-8 characters included). */
static void put_re_literal(buf *b, unsigned char ch)
{
    int word = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
               ch >= 0x80;
    if (!word && ch != ' ')
        put_char(b, '\\');
    put_char(b, (char)ch);
}

static int is_word(int ch)
{
    return ch == '_' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
           (ch >= 'A' && ch <= 'Z');
}

/* windash: a `-` or `/` that starts a word (an option such as `-enc` or
 * `/c`) may be written with any dash Windows accepts. */
static int windash_at(const char *s, size_t i)
{
    return (s[i] == '-' || s[i] == '/') && (i == 0 || !is_word((unsigned char)s[i - 1])) &&
           is_word((unsigned char)s[i + 1]);
}

/* The pattern of a value read with Sigma's escapes; `lit` gets the
 * literal text while the value has no wildcard. Returns 1 when it had a
 * wildcard or a windash position. */
static int scan_value(const char *v, unsigned flags, buf *re, buf *lit)
{
    int special = 0;
    for (size_t i = 0; v[i]; i++) {
        char ch = v[i];
        if (ch == '\\' && (v[i + 1] == '*' || v[i + 1] == '?' || v[i + 1] == '\\'))
            ch = v[++i];
        else if (ch == '*' || ch == '?') {
            put(re, ch == '*' ? ".*" : ".", ch == '*' ? 2 : 1);
            special = 1;
            continue;
        }
        if ((flags & SGM_WINDASH) && windash_at(v, i)) {
            static const char dashes[] = "(?:-|/|\xe2\x80\x93|\xe2\x80\x94|\xe2\x80\x95)";
            put(re, dashes, sizeof dashes - 1);
            special = 1;
            continue;
        }
        put_re_literal(re, (unsigned char)ch);
        put_char(lit, ch);
    }
    return special;
}

/* UTF-8 text as UTF-16 bytes (little- or big-endian; |utf16 is
 * little-endian after a byte-order mark). -1 on text that is not UTF-8. */
static int to_utf16(const char *s, unsigned flags, buf *out)
{
    int be = (flags & SGM_UTF16BE) != 0;
    if (flags & SGM_UTF16)
        put(out, "\xff\xfe", 2);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned cp, extra = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : *p >= 0xc0 ? 1 : 0;
        if (*p >= 0x80 && *p < 0xc0)
            return -1;
        cp = extra ? *p & (0x3fu >> extra) : *p;
        for (unsigned k = 1; k <= extra; k++) {
            if ((p[k] & 0xc0) != 0x80)
                return -1;
            cp = cp << 6 | (p[k] & 0x3f);
        }
        p += extra + 1;
        unsigned units[2] = {cp, 0}, nu = 1;
        if (cp > 0xffff) {
            units[0] = 0xd800 | ((cp - 0x10000) >> 10);
            units[1] = 0xdc00 | ((cp - 0x10000) & 0x3ff);
            nu = 2;
        }
        for (unsigned u = 0; u < nu; u++) {
            char two[2] = {(char)(be ? units[u] >> 8 : units[u] & 0xff),
                           (char)(be ? units[u] & 0xff : units[u] >> 8)};
            put(out, two, 2);
        }
    }
    return 0;
}

static void base64(const unsigned char *s, size_t n, buf *out)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
                     (i + 2 < n ? s[i + 2] : 0);
        char q[4] = {digits[v >> 18 & 63], digits[v >> 12 & 63],
                     i + 1 < n ? digits[v >> 6 & 63] : '=', i + 2 < n ? digits[v & 63] : '='};
        put(out, q, 4);
    }
}

/* base64offset: the value may start at any of three byte offsets of the
 * encoded text. For each, encode it behind 0, 1 or 2 filler bytes and keep
 * only the characters that depend on the value alone: drop the leading
 * ones the filler shares, and the trailing ones that share bits with
 * whatever follows. */
static void base64_offset(const unsigned char *s, size_t n, int offset, buf *out)
{
    static const size_t skip[3] = {0, 2, 3}, trim[3] = {0, 3, 2};
    unsigned char *shifted = xmalloc(n + 3);
    memset(shifted, ' ', 3);
    memcpy(shifted + offset, s, n);
    buf full = {0};
    base64(shifted, n + (size_t)offset, &full);
    free(shifted);
    size_t end = full.n - trim[(n + (size_t)offset) % 3];
    if (full.s && end > skip[offset])
        put(out, full.s + skip[offset], end - skip[offset]);
    free(full.s);
}

/* Plain values are compared with the field lower-cased (ASCII), so they
 * are lower-cased once here. */
static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

static const char *keep(sg_ctx *c, const buf *b)
{
    return arena_strndup(&c->p->mem, b->s ? b->s : "", b->n);
}

/* A literal (encoded) text as a pattern, with the wildcards of the
 * placement modifier around it. */
static void literal_pattern(sg_ctx *c, unsigned flags, const buf *text, sg_pat *out)
{
    buf re = {0};
    if (flags & (SGM_CONTAINS | SGM_ENDSWITH))
        put(&re, ".*", 2);
    for (size_t i = 0; i < text->n; i++)
        put_re_literal(&re, (unsigned char)text->s[i]);
    if (flags & (SGM_CONTAINS | SGM_STARTSWITH))
        put(&re, ".*", 2);
    out->re = keep(c, &re);
    out->lit = (flags & SGM_PLACE) ? NULL : keep(c, text);
    if (out->lit && !(flags & SGM_CASED))
        lower_ascii((char *)out->lit);
    free(re.s);
}

static int encoded_patterns(sg_ctx *c, const sg_mods *m, struct fy_node *value, sg_pat *out)
{
    const char *v = sg_text(value);
    buf plain = {0}, re = {0}, bytes = {0};
    int special = scan_value(v, 0, &re, &plain);
    free(re.s);
    if (special) {
        free(plain.s);
        return sg_fail(c, value, "a value with wildcards cannot be base64-encoded");
    }
    if ((m->flags & SGM_UTF) && to_utf16(plain.s ? plain.s : "", m->flags, &bytes)) {
        free(plain.s);
        free(bytes.s);
        return sg_fail(c, value, "the value is not UTF-8 text");
    }
    if (!(m->flags & SGM_UTF))
        put(&bytes, plain.s ? plain.s : "", plain.n);
    free(plain.s);
    int n = m->flags & SGM_BASE64OFFSET ? 3 : 1;
    for (int i = 0; i < n; i++) {
        buf enc = {0};
        if (m->flags & SGM_BASE64OFFSET)
            base64_offset((unsigned char *)bytes.s, bytes.n, i, &enc);
        else
            base64((unsigned char *)bytes.s, bytes.n, &enc);
        literal_pattern(c, m->flags, &enc, &out[i]);
        free(enc.s);
    }
    free(bytes.s);
    return n;
}

static int all_ascii(const buf *b)
{
    for (size_t i = 0; i < b->n; i++)
        if ((unsigned char)b->s[i] >= 0x80)
            return 0;
    return 1;
}

int sg_patterns(sg_ctx *c, const sg_mods *m, struct fy_node *value, sg_pat *out)
{
    if (m->flags & SGM_B64)
        return encoded_patterns(c, m, value, out);
    buf re = {0}, lit = {0};
    if (m->flags & (SGM_CONTAINS | SGM_ENDSWITH))
        put(&re, ".*", 2);
    int special = scan_value(sg_text(value), m->flags, &re, &lit);
    if (m->flags & (SGM_CONTAINS | SGM_STARTSWITH))
        put(&re, ".*", 2);
    out->re = keep(c, &re);
    /* Plain equality lower-cases ASCII only; other text is matched by the
     * pattern, whose case folding knows Unicode. */
    int plain = !special && !(m->flags & SGM_PLACE) && ((m->flags & SGM_CASED) || all_ascii(&lit));
    out->lit = plain ? keep(c, &lit) : NULL;
    if (out->lit && !(m->flags & SGM_CASED))
        lower_ascii((char *)out->lit);
    free(re.s);
    free(lit.s);
    return 1;
}
