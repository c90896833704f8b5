/* sigma_item: one test of the plan as one Sigma field item
 * (`Field|modifiers: value or values`, sigma.md §3, §4), the leaves of the
 * detection sigma_detect.c writes.
 *
 * A Sigma item is two-valued: TRUE when the event has the field and the
 * value matches, FALSE otherwise. So an item stands for exactly the events
 * on which a plan test is TRUE; the detection writer handles FALSE (and
 * with it the plan's NULL) through |exists. The item is read back by the
 * Sigma front end (src/lang/sigma/match.c) to the same test: plain values
 * are lower-cased text compared with the field's text, |cased keeps the
 * case, wildcard lists are an anchored case-insensitive pattern, |re a
 * search. Field names are the Sigma view's (src/view/sigma.c); the two
 * canonical fields the taxonomy names only through another are written
 * through it: direction as Initiated, and proc_name (event.h: the base name
 * of proc_path) as a pattern over Image. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <arpa/inet.h>
#include <inttypes.h>
#include <pcre2.h>
#include <string.h>

#include "emit/sigma_int.h"
#include "view/view.h"

/* The field under lower(), str() and float(): its slot, or -1. */
static int subject(const plan *p, const expr *s, int *caseless, int *numeric)
{
    *caseless = *numeric = 0;
    if (s->kind == EX_CALL && s->op == FN_FLOAT)
        *numeric = 1, s = s->kids[0];
    if (s->kind == EX_CALL && s->op == FN_LOWER)
        *caseless = 1, s = s->kids[0];
    if (s->kind == EX_CALL && s->op == FN_STR)
        s = s->kids[0];
    return s->kind == EX_FIELD && s->slot < p->nfields ? s->slot : -1;
}

static int all_lits(const expr *e, unsigned from)
{
    for (unsigned k = from; k < e->nkids; k++)
        if (e->kids[k]->kind != EX_LIT || e->kids[k]->lit.type == MC_NULL)
            return 0;
    return from < e->nkids;
}

int sg_atom(const plan *p, const expr *e, sg_atom_t *a)
{
    memset(a, 0, sizeof *a);
    a->e = e;
    int numeric;
    const expr *s = e->kind == EX_NOT ? e->kids[0] : e;
    if (s->kind == EX_ISNULL) {
        a->kind = e->kind == EX_NOT ? SG_A_EXISTS : SG_A_MISSING;
        a->slot = subject(p, s->kids[0], &a->caseless, &numeric);
        return a->slot >= 0 && !a->caseless && !numeric ? 0 : -1;
    }
    if (e->kind == EX_NOT || e->nkids == 0)
        return -1;
    a->slot = subject(p, e->kids[0], &a->caseless, &numeric);
    if (a->slot < 0)
        return -1;
    if ((e->kind == EX_CMP && e->op == CMP_EQ) || e->kind == EX_IN)
        a->kind = SG_A_EQ;
    else if (e->kind == EX_CMP && e->op != CMP_NE && numeric && !a->caseless)
        a->kind = SG_A_NUM;
    else if (e->kind == EX_REGEX && !a->caseless && !numeric)
        return a->kind = SG_A_RE, 0;
    else if (e->kind == EX_CIDR && !a->caseless && !numeric)
        return a->kind = SG_A_CIDR, 0;
    else
        return -1;
    return all_lits(e, 1) && (a->kind == SG_A_NUM || !numeric) ? 0 : -1;
}

/* What the front end writes without a backslash (modifier.c). */
static int is_word(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (unsigned char)ch >= 0x80 || ch == ' ';
}

/* ---- values ---------------------------------------------------------- */

/* A YAML single-quoted scalar. A Sigma value (sigma = 1) also escapes
 * literal wildcards (`\*`, `\?`) and doubles a literal backslash where
 * it would escape what follows, including the wildcard a placement
 * modifier adds after the value; wild[i] marks s[i] as a wildcard. */
static int quoted(sg_item_ctx *w, const char *s, const char *wild, size_t n, int sigma)
{
    FILE *o = w->out;
    fputc('\'', o);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        int literal = !wild || !wild[i];
        if (ch < 0x20 || ch == 0x7f)
            return emit_refuse(w->c, "a value with control characters in a YAML line");
        if (sigma && literal && (ch == '*' || ch == '?'))
            fputc('\\', o);
        if (sigma && literal && ch == '\\' &&
            (i + 1 == n || s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\'))
            fputc('\\', o);
        fputs(ch == '\'' ? "''" : (char[2]){(char)ch, 0}, o);
    }
    fputc('\'', o);
    return 0;
}

static int is_number_text(const char *s, size_t n)
{
    if (n == 0 || n > 18 || (s[0] == '0' && n > 1))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Text that lower() leaves as it is (ASCII, no capitals). */
static int lower_ascii(const mc_value *v)
{
    for (uint32_t i = 0; i < v->len; i++)
        if ((v->u.s[i] >= 'A' && v->u.s[i] <= 'Z') || (unsigned char)v->u.s[i] >= 0x80)
            return 0;
    return 1;
}

/* One literal as a Sigma value; caseless: it must already be lower case,
 * since the plan compared lower(field) with it. */
static int lit_value(sg_item_ctx *w, const mc_value *v, int caseless)
{
    if (v->type == MC_INT) {
        fprintf(w->out, "%" PRId64, v->u.i);
        return 0;
    }
    if (v->type != MC_STR && v->type != MC_IP)
        return emit_refuse(w->c, "a literal that is neither text nor a whole number");
    if (caseless && !lower_ascii(v))
        return emit_refuse(w->c, "lower() compared with text that is not lower-case ASCII");
    if (is_number_text(v->u.s, v->len)) {
        fwrite(v->u.s, 1, v->len, w->out);
        return 0;
    }
    return quoted(w, v->u.s, NULL, v->len, 1);
}

/* After "Key:": one value inline, or each of a list on its own line. */
static void value_sep(sg_item_ctx *w, int n)
{
    if (n == 1)
        fputc(' ', w->out);
    else
        fprintf(w->out, "%*s- ", w->indent + 4, "");
}

/* ---- the items -------------------------------------------------------- */

const char *sg_field_name(emit_ctx *c, int slot)
{
    const plan *p = c->p;
    const char *n = p->slot_name[slot];
    if (strcmp(p->lang, "sigma") == 0 && p->fields[slot].canon < 0 &&
        strcmp(n, PLAN_RAW_FIELD) != 0 && strcmp(n, VIEW_SIGMA_PRODUCT) != 0)
        return n;
    const char *name = view_name_of("sigma", view_slot_canon(p, slot));
    if (!name)
        emit_refuse(c, "the field '%s' (Sigma's taxonomy has no name for it)", n);
    return name;
}

/* proc_name = v, for each v: Image ends in a path separator and v, or is v. */
static int proc_name_item(sg_item_ctx *w, const sg_atom_t *a)
{
    /* Plain groups: Sigma's regex subset has no (?:...) (sigma.md §4). */
    fprintf(w->out, "%*sImage|re%s: '(^|[\\\\/])(", w->indent, "", a->caseless ? "|i" : "");
    for (unsigned k = 1; k < a->e->nkids; k++) {
        const mc_value *v = &a->e->kids[k]->lit;
        if (v->type != MC_STR || (a->caseless && !lower_ascii(v)))
            return emit_refuse(w->c, "this test of proc_name");
        fputs(k > 1 ? "|" : "", w->out);
        for (uint32_t i = 0; i < v->len; i++) {
            unsigned char ch = (unsigned char)v->u.s[i];
            int word = is_word((char)ch);
            if (ch < 0x20 || ch == 0x7f)
                return emit_refuse(w->c, "a value with control characters in a YAML line");
            fputs(word ? "" : "\\", w->out);
            fputs(ch == '\'' ? "''" : (char[2]){(char)ch, 0}, w->out);
        }
    }
    fputs(")$'\n", w->out);
    return 0;
}

/* direction = 'out' / 'in': Sysmon's Initiated 'true' / 'false' (view sigma.c). */
static int direction_item(sg_item_ctx *w, const sg_atom_t *a)
{
    const expr *e = a->e;
    if (e->nkids != 2 || e->kids[1]->lit.type != MC_STR)
        return emit_refuse(w->c, "this test of direction (only = 'out' or = 'in')");
    const mc_value *v = &e->kids[1]->lit;
    int out = v->len == 3 && memcmp(v->u.s, "out", 3) == 0;
    if (!out && !(v->len == 2 && memcmp(v->u.s, "in", 2) == 0))
        return emit_refuse(w->c, "this test of direction (only = 'out' or = 'in')");
    fprintf(w->out, "%*sInitiated: '%s'\n", w->indent, "", out ? "true" : "false");
    return 0;
}

static int eq_item(sg_item_ctx *w, const sg_atom_t *a, const char *name)
{
    const expr *e = a->e;
    int text = 0, n = (int)e->nkids - 1;
    for (int k = 1; k <= n; k++)
        text |= e->kids[k]->lit.type != MC_INT;
    fprintf(w->out, "%*s%s%s:", w->indent, "", name, text && !a->caseless ? "|cased" : "");
    fputs(n == 1 ? "" : "\n", w->out);
    for (int k = 1; k <= n && !w->c->refused; k++) {
        value_sep(w, n);
        lit_value(w, &e->kids[k]->lit, a->caseless);
        fputc('\n', w->out);
    }
    return w->c->refused ? -1 : 0;
}

static int num_item(sg_item_ctx *w, const sg_atom_t *a, const char *name)
{
    static const char *const mod[] = {NULL, NULL, "lt", "lte", "gt", "gte"};
    const mc_value *v = &a->e->kids[1]->lit;
    if (v->type != MC_INT)
        return emit_refuse(w->c, "a numeric comparison with a value that is not a whole number");
    fprintf(w->out, "%*s%s|%s: %" PRId64 "\n", w->indent, "", name, mod[a->e->op], v->u.i);
    return 0;
}

static int cidr_item(sg_item_ctx *w, const sg_atom_t *a, const char *name)
{
    const cidr_net *nets = a->e->aux;
    fprintf(w->out, "%*s%s|cidr:", w->indent, "", name);
    fputs(a->e->naux == 1 ? "" : "\n", w->out);
    for (int i = 0; i < a->e->naux; i++) {
        char text[INET6_ADDRSTRLEN];
        inet_ntop(nets[i].family == 4 ? AF_INET : AF_INET6, nets[i].addr, text, sizeof text);
        value_sep(w, a->e->naux);
        fprintf(w->out, "'%s/%u'\n", text, nets[i].bits);
    }
    return 0;
}

/* A pattern the Sigma front end made from wildcard values, ^(?:A|B)$ with
 * each alternative only literals (word characters, spaces, \X), `.*` and
 * `.`, read back as those values: `*`, `?` and the text. Values that all
 * start (end) with `*` are written with |endswith (|startswith), both with
 * |contains. Returns 1 when the pattern has another shape. */
typedef struct wvalue {
    char *s, *wild;   /* the value's characters; wild[i]: s[i] is * or ? */
    size_t n;
} wvalue;

static int wild_alt(const char *re, size_t len, wvalue *v)
{
    v->n = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = re[i];
        int word = is_word(ch);
        int wildcard = ch == '.';
        if (ch == '\\' && i + 1 < len && !is_word(re[i + 1]))
            ch = re[++i]; /* \d, \w...: a class, not a literal */
        else if (wildcard && i + 1 < len && re[i + 1] == '*')
            ch = '*', i++;
        else if (wildcard)
            ch = '?';
        else if (!word || ch == '\\')
            return 1;
        if (v->s)
            v->s[v->n] = ch, v->wild[v->n] = (char)wildcard;
        v->n++;
    }
    return 0;
}

/* Splits the body into alternatives, each checked (vals NULL) or read
 * into vals[i]. Returns the count, or -1 for another shape. */
static int wild_alts(const char *body, size_t len, wvalue *vals)
{
    int n = 0;
    size_t from = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && body[i] == '\\') {
            i++;
            continue;
        }
        if (i < len && body[i] != '|')
            continue;
        wvalue probe = {0};
        if (wild_alt(body + from, i - from, vals ? &vals[n] : &probe))
            return -1;
        n++, from = i + 1;
    }
    return n;
}

static int placement(const wvalue *v, int n, size_t *skip_head, size_t *skip_tail)
{
    int head = 1, tail = 1;
    for (int i = 0; i < n; i++) {
        head &= v[i].n >= 1 && v[i].wild[0] && v[i].s[0] == '*';
        tail &= v[i].n >= 2 && v[i].wild[v[i].n - 1] && v[i].s[v[i].n - 1] == '*';
    }
    *skip_head = (size_t)head, *skip_tail = (size_t)tail;
    return head && tail ? 3 : head ? 1 : tail ? 2 : 0;
}

static int sg_wildcards(sg_item_ctx *w, const expr *e, const char *name)
{
    static const char *const mod[] = {"", "|endswith", "|startswith", "|contains"};
    const char *re = e->re_src;
    size_t len = strlen(re);
    if (!(e->re_flags & PCRE2_DOTALL) || (e->re_flags & PCRE2_MULTILINE) || len < 6 ||
        strncmp(re, "^(?:", 4) || strcmp(re + len - 2, ")$"))
        return 1;
    int n = wild_alts(re + 4, len - 6, NULL);
    if (n <= 0)
        return 1;
    wvalue *v = xcalloc((size_t)n, sizeof *v);
    for (int i = 0; i < n; i++)
        v[i].s = xmalloc(len), v[i].wild = xmalloc(len);
    wild_alts(re + 4, len - 6, v);
    size_t head, tail;
    int m = placement(v, n, &head, &tail);
    fprintf(w->out, "%*s%s%s%s:", w->indent, "", name, mod[m],
            e->re_flags & PCRE2_CASELESS ? "" : "|cased");
    fputs(n == 1 ? "" : "\n", w->out);
    for (int i = 0; i < n; i++) {
        value_sep(w, n);
        if (!w->c->refused)
            quoted(w, v[i].s + head, v[i].wild + head, v[i].n - head - (m >= 2 ? tail : 0), 1);
        fputc('\n', w->out);
        free(v[i].s), free(v[i].wild);
    }
    free(v);
    return w->c->refused ? -1 : 0;
}

static int re_item(sg_item_ctx *w, const sg_atom_t *a, const char *name)
{
    const expr *e = a->e;
    uint32_t f = e->re_flags;
    if (f & ~(uint32_t)(PCRE2_CASELESS | PCRE2_MULTILINE | PCRE2_DOTALL))
        return emit_refuse(w->c, "a regex option beyond i, m and s");
    if (sg_wildcards(w, e, name) == 0)
        return 0;
    int caseless; /* a leading (?i), as LogScale writes it, is the i modifier */
    const char *re = emit_regex_caseless(e, &caseless);
    if (emit_regex_portable(w->c, re))
        return -1;
    fprintf(w->out, "%*s%s|re%s%s%s: ", w->indent, "", name, caseless ? "|i" : "",
            f & PCRE2_MULTILINE ? "|m" : "", f & PCRE2_DOTALL ? "|s" : "");
    if (quoted(w, re, NULL, strlen(re), 0))
        return -1;
    fputc('\n', w->out);
    return 0;
}

int sg_item_write(sg_item_ctx *w, const sg_atom_t *a)
{
    int canon = strcmp(w->c->p->lang, "sigma") ? view_slot_canon(w->c->p, a->slot) : -1;
    if (canon == MC_C_DIRECTION && a->kind == SG_A_EQ)
        return direction_item(w, a);
    if (canon == MC_C_PROC_NAME && a->kind == SG_A_EQ)
        return proc_name_item(w, a);
    const char *name = canon == MC_C_PROC_NAME && (a->kind == SG_A_EXISTS || a->kind == SG_A_MISSING)
                       ? "Image" /* proc_name is there when proc_path is */
                       : sg_field_name(w->c, a->slot);
    if (!name)
        return -1;
    switch (a->kind) {
    case SG_A_EXISTS:
    case SG_A_MISSING:
        fprintf(w->out, "%*s%s|exists: %s\n", w->indent, "", name,
                a->kind == SG_A_EXISTS ? "true" : "false");
        return 0;
    case SG_A_EQ:   return eq_item(w, a, name);
    case SG_A_NUM:  return num_item(w, a, name);
    case SG_A_CIDR: return cidr_item(w, a, name);
    default:        return re_item(w, a, name);
    }
}
