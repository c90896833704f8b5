/* json_raw_simd: json_raw.c's loops over a line's bytes, written once over
 * util/simd64.h's operations and built for each vector unit (no include
 * guard: json_raw.c includes it once per SIMD64). */
#if defined(SIMD64) && defined(SIMD64_BUILT)

/* Which of 64 bytes (n of them the line's) are quotes, backslashes,
 * colons and brackets (masks, json_raw.c); bytes past n read as 0, which
 * is none of them. */
static INLINE VATTR void V(masks)(const char *p, size_t n, masks *m)
{
    V(vec) x = V(from)(p, 0, n, n == 64);
    m->quote = V(eq)(x, V(splat)('"'));
    m->bslash = V(eq)(x, V(splat)('\\'));
    m->colon = V(eq)(x, V(splat)(':'));
    m->brack = V(eq)(V(and)(x, V(splat)((char)0xD9)), V(splat)(0x59));
}

static VATTR int V(index)(json_line *l)
{
    return index_with(l, V(masks), prefix_xor_clmul, 1);
}

/* json_raw_value, its commonest case first: `:"` then text that holds a
 * quote or a backslash in its first 64 bytes, read by one compare of them
 * rather than byte by byte (each line's time and name are such strings). */
static INLINE VATTR int V(value)(const char *p, const char *end, mc_value *v)
{
    if (end - p >= 2 && p[0] == ':' && p[1] == '"') {
        const char *s = p + 2;
        size_t n = (size_t)(end - s);
        V(vec) x = V(from)(s, 0, n, n >= 64);
        uint64_t stop = (V(eq)(x, V(splat)('"')) | V(eq)(x, V(splat)('\\'))) & bytes_live(0, n);
        if (stop) {
            size_t k = (size_t)__builtin_ctzll(stop);
            if (s[k] == '\\')
                return JSON_RAW_UNSURE;
            *v = mc_str(MC_STR, s, k);
            return JSON_RAW_VALUE;
        }
        if (n <= 64)
            return JSON_RAW_UNSURE; /* the line ends in the string */
    }
    return json_raw_value(p, end, v);
}

/* What the needle key (klen >= 3) found at t[i] says, into *found. */
VATTR void V(json_needle_at)(const char *t, size_t len, size_t i, const char *key, size_t klen,
                             int *found, mc_value *v)
{
    if (i + klen > len || !V(same)(t + i, key, klen))
        return;
    mc_value val;
    int kind = V(value)(t + i + klen, t + len, &val);
    if (kind == JSON_RAW_NONE)
        return; /* a string value, not a key */
    if (t[i - 1] == '\\' || *found != JSON_RAW_NONE || kind != JSON_RAW_VALUE)
        *found = JSON_RAW_UNSURE;
    else
        *found = JSON_RAW_VALUE, *v = val;
}

/* The places in t[at, at + 64) where the needle key may begin: its first
 * letter, its last and its closing quote where they belong (from1: the
 * bytes from at + 1). */
static INLINE VATTR uint64_t V(needle_places)(const char *t, size_t at, size_t len, int whole,
                                              V(vec) from1, V(vec) first, V(vec) last,
                                              size_t klen)
{
    return V(eq_both)(from1, first, V(from)(t, at + klen - 2, len, whole), last) &
           V(eq)(V(from)(t, at + klen - 1, len, whole), V(splat)('"'));
}

/* The answers of q's one or two keys (pair) on l; with `check`, also
 * whether l is flat (the return; 1 without). pair and check are constants
 * where it is inlined, so each use is a loop of its own, its needles in
 * registers. */
static INLINE VATTR int V(search_with)(const json_line *l, sought *q, const int pair,
                                       const int check)
{
    const char *t = l->text;
    const size_t len = l->len, klen0 = q->klen[0], klen1 = pair ? q->klen[1] : 0;
    const V(vec) fold = V(splat)(0x20), open = V(splat)('{'), close = V(splat)('}'),
                 bslash = V(splat)('\\'), u = V(splat)('u');
    const V(vec) first0 = V(splat)(q->key[0][1]), last0 = V(splat)(q->key[0][klen0 - 2]),
                 first1 = V(splat)(pair ? q->key[1][1] : 0),
                 last1 = V(splat)(pair ? q->key[1][klen1 - 2] : 0);
    size_t reach = klen0 > klen1 ? klen0 : klen1, brackets = 0;
    int found0 = JSON_RAW_NONE, found1 = JSON_RAW_NONE;
    uint64_t u_escape = 0;
    unsigned carry = 0;
    for (size_t at = 0; at < len; at += 64) {
        int whole = at + 64 + reach <= len;
        V(vec) from1 = V(from)(t, at + 1, len, whole);
        for (uint64_t c = V(needle_places)(t, at, len, whole, from1, first0, last0, klen0); c;
             c &= c - 1)
            V(json_needle_at)(t, len, at + (size_t)__builtin_ctzll(c), q->key[0], klen0,
                              &found0, &q->v[0]);
        for (uint64_t c =
                 pair ? V(needle_places)(t, at, len, whole, from1, first1, last1, klen1) : 0;
             c; c &= c - 1)
            V(json_needle_at)(t, len, at + (size_t)__builtin_ctzll(c), q->key[1], klen1,
                              &found1, &q->v[1]);
        if (check) {
            V(vec) x = V(from)(t, at, len, whole);
            V(vec) folded = V(or)(x, fold); /* [ to {, ] to } */
            brackets += (size_t)__builtin_popcountll(V(eq)(folded, open) | V(eq)(folded, close));
            uint64_t bs = V(eq)(x, bslash);
            if (bs | carry)
                u_escape |= escaped(bs, &carry) & V(eq)(x, u);
        }
        if (!pair && !check && found0 == JSON_RAW_UNSURE)
            break;
    }
    q->found[0] = found0;
    q->found[1] = found1;
    return !check || (brackets == 2 && !u_escape);
}

static VATTR int V(search)(const json_line *l, sought *q, int check)
{
    if (q->n == 1)
        return check ? V(search_with)(l, q, 0, 1) : V(search_with)(l, q, 0, 0);
    return check ? V(search_with)(l, q, 1, 1) : V(search_with)(l, q, 1, 0);
}

#endif
