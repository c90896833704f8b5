/* expr: evaluation and printing of plan expressions (see expr.h for the
 * typing and NULL rules every front end relies on). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "plan/expr.h"
#include "util/arena.h"
#include "util/hash.h"
#include "util/timeutil.h"
#include "value/convert.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <math.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

void expr_ctx_init(expr_ctx *c, arena *scratch, int64_t now_ms, uint32_t match_limit)
{
    c->scratch = scratch;
    c->match_data = pcre2_match_data_create(32, NULL);
    c->match_ctx = pcre2_match_context_create(NULL);
    c->match_limit = match_limit ? match_limit : EXPR_MATCH_LIMIT;
    pcre2_set_match_limit(c->match_ctx, c->match_limit);
    pcre2_set_depth_limit(c->match_ctx, c->match_limit < EXPR_DEPTH_LIMIT ? c->match_limit
                                                                         : EXPR_DEPTH_LIMIT);
    c->regex_limited = 0;
    c->now_ms = now_ms;
    c->seen = NULL;
}

void expr_ctx_free(expr_ctx *c)
{
    pcre2_match_data_free(c->match_data);
    pcre2_match_context_free(c->match_ctx);
    c->match_data = NULL;
    free(c->seen);
    c->seen = NULL;
}

static int is_text(const mc_value *v) { return v->type == MC_STR || v->type == MC_IP; }

static mc_value eval_cmp(const expr *e, const mc_value *row, expr_ctx *c)
{
    mc_value a = expr_eval(e->kids[0], row, c);
    mc_value b = expr_eval(e->kids[1], row, c);
    int r;
    if (value_compare(&a, &b, &r))
        return mc_null();
    switch (e->op) {
    case CMP_EQ: return mc_bool(r == 0);
    case CMP_NE: return mc_bool(r != 0);
    case CMP_LT: return mc_bool(r < 0);
    case CMP_LE: return mc_bool(r <= 0);
    case CMP_GT: return mc_bool(r > 0);
    default:     return mc_bool(r >= 0);
    }
}

/* SQL IN: TRUE on a match; NULL when the operand is NULL or some literal was
 * not comparable; FALSE otherwise. */
static mc_value eval_in(const expr *e, const mc_value *row, expr_ctx *c)
{
    mc_value a = expr_eval(e->kids[0], row, c);
    if (a.type == MC_NULL)
        return mc_null();
    /* Text against a list of numbers (LogScale's RemotePort against
     * [25, 465, ...]) compares as numbers: the text is read as one once,
     * not once per element (value_compare would read it each time). */
    mc_value num;
    int read = 0; /* 1: num is a's number; -1: a is no number */
    int unknown = 0;
    for (unsigned k = 1; k < e->nkids; k++) {
        mc_value b = expr_eval(e->kids[k], row, c);
        const mc_value *x = &a;
        if (is_text(&a) && b.type != MC_NULL && !is_text(&b)) {
            if (!read)
                read = value_as_number(&a, &num) ? -1 : 1;
            x = &num;
        }
        int r;
        if ((x == &num && read < 0) || value_compare(x, &b, &r))
            unknown = 1;
        else if (r == 0)
            return mc_bool(1);
    }
    return unknown ? mc_null() : mc_bool(0);
}

/* A regex's answer on a text it has seen: a worker meets the same process
 * paths again and again (the LogScale seed's !regex(ImageFileName, ...) was
 * a sixth of a high-cardinality run, in the JIT's code and around it).
 * Direct-mapped by the text and the node; an answer cut short by a limit
 * is not kept. The nodes are the worker's plan's, which outlives it. */
enum { SEEN_SLOTS = 256, SEEN_BYTES = 112 };
struct regex_seen {
    const expr *e;
    uint32_t len;
    uint8_t answer;
    char text[SEEN_BYTES];
};

static mc_value eval_regex(const expr *e, const mc_value *row, expr_ctx *c)
{
    mc_value a = expr_eval(e->kids[0], row, c);
    if (!is_text(&a))
        return mc_null();
    struct regex_seen *m = NULL;
    if (a.len <= SEEN_BYTES) {
        if (!c->seen)
            c->seen = xcalloc(SEEN_SLOTS, sizeof *c->seen);
        m = &c->seen[(hash_bytes(a.u.s, a.len) ^ (uintptr_t)e) % SEEN_SLOTS];
        if (m->e == e && m->len == a.len && !memcmp(m->text, a.u.s, a.len))
            return mc_bool(m->answer);
    }
    int rc = pcre2_match(e->re, (PCRE2_SPTR)a.u.s, a.len, 0, 0, c->match_data, c->match_ctx);
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
        c->regex_limited = 1; /* a limit, not an answer */
        return mc_null();
    }
    if (m) {
        m->e = e;
        m->len = a.len;
        m->answer = rc >= 0;
        memcpy(m->text, a.u.s, a.len);
    }
    return mc_bool(rc >= 0);
}

static mc_value eval_capture(const expr *e, const mc_value *row, expr_ctx *c)
{
    mc_value a = expr_eval(e->kids[0], row, c);
    int rc = is_text(&a) ? pcre2_match(e->re, (PCRE2_SPTR)a.u.s, a.len, 0, 0, c->match_data,
                                       c->match_ctx)
                         : PCRE2_ERROR_NOMATCH;
    if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
        c->regex_limited = 1;
    if (rc < 0)
        return mc_null();
    uint32_t n = pcre2_get_ovector_count(c->match_data);
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(c->match_data);
    if ((uint32_t)e->slot >= n || ov[2 * e->slot] == PCRE2_UNSET)
        return mc_null();
    return mc_str(MC_STR, a.u.s + ov[2 * e->slot], ov[2 * e->slot + 1] - ov[2 * e->slot]);
}

static mc_value eval_cidr(const expr *e, const mc_value *row, expr_ctx *c)
{
    mc_value a = expr_eval(e->kids[0], row, c);
    char buf[64];
    cidr_net ip;
    if (!is_text(&a) || a.len >= sizeof buf)
        return mc_null();
    memcpy(buf, a.u.s, a.len);
    buf[a.len] = '\0';
    if (strchr(buf, '/') || cidr_parse(buf, &ip))
        return mc_bool(0); /* not an address: in no network */
    const cidr_net *nets = e->aux;
    for (int i = 0; i < e->naux; i++)
        if (cidr_contains(&nets[i], &ip))
            return mc_bool(1);
    return mc_bool(0);
}

static mc_value eval_logic(const expr *e, const mc_value *row, expr_ctx *c)
{
    /* Kleene logic: AND is FALSE if any side is FALSE, OR TRUE if any is TRUE. */
    int decisive = e->kind == EX_OR;
    int unknown = 0;
    for (unsigned k = 0; k < e->nkids; k++) {
        mc_value v = expr_eval(e->kids[k], row, c);
        if (v.type == MC_NULL)
            unknown = 1;
        else if ((v.u.i != 0) == decisive)
            return mc_bool(decisive);
    }
    return unknown ? mc_null() : mc_bool(!decisive);
}

unsigned expr_case_branch(const expr *e, const mc_value *row, expr_ctx *c)
{
    unsigned k = 0;
    for (; k + 1 < e->nkids; k += 2)
        if (expr_true(e->kids[k], row, c))
            break;
    return k / 2;
}

mc_value expr_case_value(const expr *e, unsigned branch, const mc_value *row, expr_ctx *c)
{
    unsigned k = 2 * branch + 1; /* the branch's result; the ELSE is the last kid */
    if (k >= e->nkids)
        k--;
    return k < e->nkids ? expr_eval(e->kids[k], row, c) : mc_null();
}

static mc_value eval_case(const expr *e, const mc_value *row, expr_ctx *c)
{
    return expr_case_value(e, expr_case_branch(e, row, c), row, c);
}

static mc_value text_map(mc_value a, expr_ctx *c, int upper)
{
    char *out = arena_strndup(c->scratch, a.u.s, a.len);
    for (uint32_t i = 0; i < a.len; i++) {
        char ch = out[i];
        if (upper && ch >= 'a' && ch <= 'z')
            out[i] = (char)(ch - 32);
        else if (!upper && ch >= 'A' && ch <= 'Z')
            out[i] = (char)(ch + 32);
    }
    return mc_str(a.type, out, a.len);
}

static mc_value to_text(mc_value a, expr_ctx *c)
{
    char buf[40];
    int n;
    if (a.type == MC_FLOAT)
        n = snprintf(buf, sizeof buf, "%.17g", a.u.f);
    else
        n = snprintf(buf, sizeof buf, "%" PRId64, a.u.i);
    return mc_str(MC_STR, arena_strndup(c->scratch, buf, (size_t)n), (size_t)n);
}

static mc_value eval_concat(const expr *e, const mc_value *row, expr_ctx *c)
{
    mc_value parts[32];
    size_t total = 0;
    unsigned n = e->nkids < 32 ? e->nkids : 32;
    for (unsigned k = 0; k < n; k++) {
        parts[k] = expr_eval(e->kids[k], row, c);
        if (parts[k].type != MC_NULL && !is_text(&parts[k]))
            parts[k] = to_text(parts[k], c);
        total += parts[k].type == MC_NULL ? 0 : parts[k].len;
    }
    char *out = arena_alloc(c->scratch, total + 1), *o = out;
    for (unsigned k = 0; k < n; k++)
        if (parts[k].type != MC_NULL) {
            memcpy(o, parts[k].u.s, parts[k].len);
            o += parts[k].len;
        }
    return mc_str(MC_STR, out, total);
}

static mc_value eval_substring(mc_value a, const expr *e, const mc_value *row, expr_ctx *c)
{
    mc_value from = expr_eval(e->kids[1], row, c), len = mc_null(), f, l;
    if (e->nkids > 2)
        len = expr_eval(e->kids[2], row, c);
    if (!is_text(&a) || value_as_number(&from, &f) || (e->nkids > 2 && value_as_number(&len, &l)))
        return mc_null();
    int64_t start = f.type == MC_FLOAT ? (int64_t)f.u.f : f.u.i;
    int64_t count = e->nkids > 2 ? (l.type == MC_FLOAT ? (int64_t)l.u.f : l.u.i) : a.len;
    if (start < 0)
        start = 0;
    if (start > a.len)
        start = a.len;
    if (count < 0)
        count = 0;
    if (count > a.len - start)
        count = a.len - start;
    return mc_str(MC_STR, a.u.s + start, (size_t)count);
}

/* Java SimpleDateFormat letters y M d H m s S, quoted 'text', in UTC. */
static mc_value eval_dateformat(mc_value a, const expr *e, const mc_value *row, expr_ctx *c)
{
    mc_value pat = expr_eval(e->kids[1], row, c), n;
    if (!is_text(&pat) || value_as_number(&a, &n))
        return mc_null();
    char iso[TIME_ISO_LEN];
    time_format_iso(n.type == MC_FLOAT ? (int64_t)n.u.f : n.u.i, iso);
    /* iso = YYYY-MM-DDTHH:MM:SS.mmmZ; offsets of each field in it */
    static const struct { char letter; int off, len; } fields[] = {
        {'y', 0, 4}, {'M', 5, 2}, {'d', 8, 2}, {'H', 11, 2}, {'m', 14, 2}, {'s', 17, 2},
        {'S', 20, 3},
    };
    char *out = arena_alloc(c->scratch, pat.len * 4 + 8), *o = out;
    for (uint32_t i = 0; i < pat.len;) {
        char ch = pat.u.s[i];
        uint32_t run = 1;
        while (i + run < pat.len && pat.u.s[i + run] == ch)
            run++;
        if (ch == '\'') {
            uint32_t j = i + 1;
            while (j < pat.len && pat.u.s[j] != '\'')
                *o++ = pat.u.s[j++];
            i = j + 1;
            continue;
        }
        int done = 0;
        for (size_t f = 0; f < sizeof fields / sizeof fields[0] && !done; f++)
            if (fields[f].letter == ch) {
                int len = fields[f].len;
                int skip = ch == 'y' && run == 2 ? 2 : 0; /* yy: last two digits */
                memcpy(o, iso + fields[f].off + skip, (size_t)(len - skip));
                o += len - skip;
                done = 1;
            }
        if (!done)
            for (uint32_t k = 0; k < run; k++)
                *o++ = ch;
        i += run;
    }
    return mc_str(MC_STR, out, (size_t)(o - out));
}

static mc_value eval_call(const expr *e, const mc_value *row, expr_ctx *c)
{
    if (e->op == FN_CONCAT)
        return eval_concat(e, row, c);
    mc_value a = expr_eval(e->kids[0], row, c), n;
    if (a.type == MC_NULL)
        return a;
    switch (e->op) {
    case FN_LOWER:
    case FN_UPPER:
        return is_text(&a) ? text_map(a, c, e->op == FN_UPPER) : a;
    case FN_BASENAME:
        if (!is_text(&a))
            return a;
        for (uint32_t i = a.len; i > 0; i--)
            if (a.u.s[i - 1] == '\\' || a.u.s[i - 1] == '/')
                return mc_str(MC_STR, a.u.s + i, a.len - i);
        return a;
    case FN_INT:
        if (value_as_number(&a, &n))
            return mc_null();
        /* A double outside int64's range has no integer (the cast would be
         * undefined): NULL, as for text that is no number. */
        if (n.type == MC_FLOAT)
            return n.u.f >= -0x1p63 && n.u.f < 0x1p63 ? mc_int(MC_INT, (int64_t)n.u.f) : mc_null();
        return mc_int(MC_INT, n.u.i);
    case FN_STRLEN:
        return is_text(&a) ? mc_int(MC_INT, a.len) : mc_int(MC_INT, to_text(a, c).len);
    case FN_SUBSTRING:
        return eval_substring(a, e, row, c);
    case FN_DATEFORMAT:
        return eval_dateformat(a, e, row, c);
    case FN_FLOAT:
        if (value_as_number(&a, &n))
            return mc_null();
        if (n.type != MC_FLOAT) {
            n.u.f = (double)n.u.i;
            n.type = MC_FLOAT;
        }
        return n;
    default:
        return is_text(&a) ? mc_str(MC_STR, a.u.s, a.len) : to_text(a, c);
    }
}

static mc_value eval_arith(const expr *e, const mc_value *row, expr_ctx *c)
{
    mc_value a0 = expr_eval(e->kids[0], row, c), b0 = expr_eval(e->kids[1], row, c), a, b;
    if (value_as_number(&a0, &a) || value_as_number(&b0, &b))
        return mc_null();
    if (a.type != MC_FLOAT && b.type != MC_FLOAT) {
        int64_t x = a.u.i, y = b.u.i, r;
        switch (e->op) {
        case AR_ADD: r = x + y; break;
        case AR_SUB: r = x - y; break;
        case AR_MUL: r = x * y; break;
        default:
            if (y == 0)
                return mc_null();
            r = x / y;
        }
        /* A time moved by a number is still a time; two times differ by ms. */
        int ts = (a.type == MC_TS) != (b.type == MC_TS) && e->op <= AR_SUB;
        return mc_int(ts ? MC_TS : MC_INT, r);
    }
    double x = a.type == MC_FLOAT ? a.u.f : (double)a.u.i;
    double y = b.type == MC_FLOAT ? b.u.f : (double)b.u.i;
    mc_value v = {.type = MC_FLOAT};
    switch (e->op) {
    case AR_ADD: v.u.f = x + y; break;
    case AR_SUB: v.u.f = x - y; break;
    case AR_MUL: v.u.f = x * y; break;
    default:
        if (y == 0)
            return mc_null();
        v.u.f = x / y;
    }
    return v;
}

mc_value expr_eval(const expr *e, const mc_value *row, expr_ctx *c)
{
    switch (e->kind) {
    case EX_LIT:    return e->lit;
    case EX_FIELD:  return row[e->slot];
    case EX_NOW:    return mc_int(MC_TS, c->now_ms);
    case EX_AND:
    case EX_OR:     return eval_logic(e, row, c);
    case EX_NOT: {
        mc_value v = expr_eval(e->kids[0], row, c);
        return v.type == MC_NULL ? v : mc_bool(!v.u.i);
    }
    case EX_CMP:    return eval_cmp(e, row, c);
    case EX_IN:     return eval_in(e, row, c);
    case EX_REGEX:  return eval_regex(e, row, c);
    case EX_ISNULL: return mc_bool(expr_eval(e->kids[0], row, c).type == MC_NULL);
    case EX_ISTRUE: return mc_bool(expr_true(e->kids[0], row, c));
    case EX_CASE:   return eval_case(e, row, c);
    case EX_CALL:   return eval_call(e, row, c);
    case EX_CAPTURE: return eval_capture(e, row, c);
    case EX_CIDR:   return eval_cidr(e, row, c);
    default:        return eval_arith(e, row, c);
    }
}

int expr_true(const expr *e, const mc_value *row, expr_ctx *c)
{
    mc_value v = expr_eval(e, row, c);
    return v.type == MC_BOOL && v.u.i;
}

int expr_only_slot(const expr *e, int seen)
{
    if (e->kind == EX_FIELD)
        return seen == -1 || seen == e->slot ? e->slot : -2;
    for (int i = 0; i < e->nkids && seen != -2; i++)
        seen = expr_only_slot(e->kids[i], seen);
    return seen;
}

int expr_reads_now(const expr *e)
{
    if (e->kind == EX_NOW)
        return 1;
    for (int i = 0; i < e->nkids; i++)
        if (expr_reads_now(e->kids[i]))
            return 1;
    return 0;
}

/* Whether k is slot's value as text: the field, or str() of it. */
static int text_of(const expr *k, int slot)
{
    if (k->kind == EX_CALL && k->op == FN_STR && k->nkids == 1)
        k = k->kids[0];
    return k->kind == EX_FIELD && k->slot == slot;
}

/* Whether k is a text literal no number or boolean equals: it has a byte no
 * formatted number has, is no number to value_as_number, nor "true" or
 * "false" (what str() makes of a boolean). */
static int only_text(const expr *k)
{
    const mc_value *v = &k->lit;
    if (k->kind != EX_LIT || v->type != MC_STR || v->len == 0)
        return 0;
    int wordy = 0;
    for (size_t i = 0; i < v->len && !wordy; i++)
        wordy = !strchr("0123456789+-.eEinfatyINFATY", v->u.s[i]);
    mc_value num;
    return wordy && value_as_number(v, &num) != 0 && !value_is(*v, "true") &&
           !value_is(*v, "false");
}

int expr_texts(const expr *e, int slot, const mc_value **out, int n, int max)
{
    int m = -1;
    switch (e->kind) {
    case EX_ISTRUE:
        return expr_texts(e->kids[0], slot, out, n, max);
    case EX_AND:
        for (int i = 0; i < e->nkids && m < 0; i++)
            m = expr_texts(e->kids[i], slot, out, n, max);
        return m;
    case EX_OR:
        for (int i = 0; i < e->nkids && n >= 0; i++)
            n = expr_texts(e->kids[i], slot, out, n, max);
        return n;
    case EX_CMP: {
        const expr *lit = e->op != CMP_EQ            ? NULL
                          : text_of(e->kids[0], slot) ? e->kids[1]
                          : text_of(e->kids[1], slot) ? e->kids[0]
                                                      : NULL;
        if (!lit || !only_text(lit) || n == max)
            return -1;
        out[n++] = &lit->lit;
        return n;
    }
    case EX_IN:
        if (!text_of(e->kids[0], slot) || n + e->nkids - 1 > max)
            return -1;
        for (int i = 1; i < e->nkids; i++) {
            if (!only_text(e->kids[i]))
                return -1;
            out[n++] = &e->kids[i]->lit;
        }
        return n;
    default:
        return -1;
    }
}
