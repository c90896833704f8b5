/* json_lines_simd: json_lines.c's pass, written once over util/simd64.h's
 * operations and built for each vector unit (no include guard:
 * json_lines.c includes it once per SIMD64). */
#if defined(SIMD64) && defined(SIMD64_BUILT)

/* The line t[a->start, end) settled into out[n]. */
static VATTR void V(settle)(scan *s, size_t end)
{
    const line_acc *a = &s->cur;
    const char *line = s->t + a->start;
    size_t len = end - a->start;
    if (len && line[len - 1] == '\r')
        len--;
    json_lines_line *o = &s->out[s->n++];
    o->start = (uint32_t)a->start;
    o->len = (uint32_t)len;
    o->flat = len >= 2 && line[0] == '{' && line[len - 1] == '}' && a->brackets == 2 &&
              !a->u_escape && a->nplaces <= PLACES;
    if (!o->flat)
        return;
    int found[JSON_LINES_KEYS];
    mc_value v[JSON_LINES_KEYS];
    for (int k = 0; k < s->k->n; k++)
        found[k] = JSON_RAW_NONE;
    for (int i = 0; i < a->nplaces; i++) {
        int k = a->key[i];
        V(json_needle_at)(line, len, a->place[i] - a->start, s->k->key[k], s->k->klen[k], &found[k],
                       &v[k]);
    }
    for (int k = 0; k < s->k->n; k++) {
        o->kind[k] = (unsigned char)found[k];
        o->null[k] = found[k] == JSON_RAW_VALUE && v[k].type == MC_NULL;
        o->at[k] = found[k] == JSON_RAW_VALUE && !o->null[k] ? (uint32_t)(v[k].u.s - line) : 0;
        o->vlen[k] = found[k] == JSON_RAW_VALUE ? v[k].len : 0;
    }
}

/* A key's second byte (its first is its opening quote), held in a
 * register through the pass, and the distance to its closing quote. */
typedef struct V(needle) {
    V(vec) second;
    unsigned last;
} V(needle);

/* The places in t[a, a + 64), whose quotes are q, where the key may begin:
 * a quote, its second byte (from1: the bytes from a + 1 on), and a quote
 * where its closing quote belongs, compared there rather than shifted in
 * from the quote masks (a shift of a mask per key, with the moves between
 * mask and general registers, was most of the pass). The rest of the key
 * is compared where the line is settled. */
static INLINE VATTR uint64_t V(places_of)(const char *t, size_t a, size_t len, const int whole,
                                          V(vec) from1, uint64_t q, const V(needle) *nd,
                                          V(vec) quote)
{
    V(vec) closing = V(from)(t, a + nd->last, len, whole);
    return q & V(eq_both)(from1, nd->second, closing, quote);
}

/* Marks of t[*at, len) into m[0, MARKS), from *at on: how many. whole (a
 * constant where it is inlined): only while every byte loaded lies within
 * len (a + 128, past the farthest closing quote), so that no load is
 * masked and no place is tested against len; the last 128 bytes go
 * through the loop built without it. */
static INLINE VATTR int V(mark_with)(const char *t, size_t len, size_t *at, unsigned *carry,
                                     const V(needle) *nd, mark *m, const int nk, const int whole)
{
    const V(vec) nl = V(splat)('\n'), fold = V(splat)(0x20), open = V(splat)('{'),
                 close = V(splat)('}'), bslash = V(splat)('\\'), u = V(splat)('u'),
                 quote = V(splat)('"');
    int n = 0;
    for (; (whole ? *at + 128 <= len : *at < len) && n < MARKS; *at += 64) {
        size_t a = *at;
        V(vec) x = V(from)(t, a, len, whole), from1 = V(from)(t, a + 1, len, whole);
        uint64_t q = V(eq)(x, quote);
        uint64_t live = whole ? ~UINT64_C(0) : bytes_live(a, len), any = 0,
                 places[JSON_LINES_KEYS];
        for (int i = 0; i < nk; i++)
            any |= places[i] = V(places_of)(t, a, len, whole, from1, q, &nd[i], quote) & live;
        V(vec) folded = V(or)(x, fold); /* [ to {, ] to } */
        uint64_t brackets = (V(eq)(folded, open) | V(eq)(folded, close)) & live;
        uint64_t bs = V(eq)(x, bslash), u_escape = 0;
        if (bs | *carry)
            u_escape = escaped(bs, carry) & V(eq)(x, u);
        uint64_t ends = V(eq)(x, nl) & live;
        if (!(ends | brackets | u_escape | any))
            continue; /* most 64 bytes of a line: nothing to note */
        m[n].at = a;
        m[n].ends = ends;
        m[n].brackets = brackets;
        m[n].u_escape = u_escape;
        for (int i = 0; i < nk; i++)
            m[n].places[i] = places[i];
        n++;
    }
    return n;
}

/* The marks m[0, n) go to their lines, each line settled at its newline:
 * 1 when out[] is full (*used then says where the next line begins). */
static VATTR int V(settle_marks)(scan *s, const mark *m, int n, int nk, size_t *used)
{
    for (int i = 0; i < n; i++) {
        uint64_t ends = m[i].ends, rest = ~UINT64_C(0);
        for (; ends; ends &= ends - 1) {
            unsigned b = (unsigned)__builtin_ctzll(ends);
            uint64_t upto = b == 63 ? ~UINT64_C(0) : (UINT64_C(2) << b) - 1;
            gather_bits(&s->cur, m[i].at, upto & rest, m[i].brackets, m[i].u_escape,
                        m[i].places, nk);
            rest &= ~upto;
            V(settle)(s, m[i].at + b);
            line_start(&s->cur, m[i].at + b + 1);
            if (s->n == s->max) {
                *used = m[i].at + b + 1;
                return 1;
            }
        }
        gather_bits(&s->cur, m[i].at, rest, m[i].brackets, m[i].u_escape, m[i].places, nk);
    }
    return 0;
}

/* The pass, for nk keys (a constant where it is inlined, so that each
 * count of keys is a loop of its own). */
static INLINE VATTR size_t V(scan_with)(scan *s, size_t len, size_t *used, const int nk)
{
    V(needle) nd[JSON_LINES_KEYS];
    for (int i = 0; i < nk; i++) {
        nd[i].second = V(splat)(s->k->key[i][1]);
        nd[i].last = (unsigned)s->k->klen[i] - 1;
    }
    unsigned carry = 0;
    line_start(&s->cur, 0);
    mark m[MARKS];
    for (size_t at = 0; at < len;) {
        int n = at + 128 <= len ? V(mark_with)(s->t, len, &at, &carry, nd, m, nk, 1)
                                : V(mark_with)(s->t, len, &at, &carry, nd, m, nk, 0);
        if (V(settle_marks)(s, m, n, nk, used))
            return s->n;
    }
    if (s->cur.start < len)
        V(settle)(s, len); /* a last line without a newline */
    *used = len;
    return s->n;
}

static VATTR size_t V(scan)(scan *s, size_t len, size_t *used)
{
    switch (s->k->n) {
    case 1: return V(scan_with)(s, len, used, 1);
    case 2: return V(scan_with)(s, len, used, 2);
    case 3: return V(scan_with)(s, len, used, 3);
    default: return V(scan_with)(s, len, used, 4);
    }
}
#endif
