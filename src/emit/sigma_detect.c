/* sigma_detect: a filter of the plan as a Sigma detection — named searches
 * and a condition over them (sigma.md §2).
 *
 * Sigma's logic is two-valued: a search matches or not, and `not` of a
 * search that tests a missing field is true. The plan's is SQL's: a test
 * of a missing field is NULL, and NOT NULL is NULL. So the condition is
 * written for the events on which the plan's filter is TRUE (T) and, under
 * a NOT, for those on which it is FALSE (F): F(a and b) = F(a) or F(b),
 * F(a or b) = F(a) and F(b), and F of a test of field x is
 * `x|exists: true` and not the test. A part that is already two-valued
 * (istrue(), is null, and logic over them, which is all the Sigma front
 * end builds) is simply negated, so a Sigma plan's tree comes back
 * node for node: a map of items is an AND, a list of maps an OR, `1 of` a
 * one-map list. `x is null or not T` (the plan's "missing, or not this
 * value") is Sigma's own `not T`. */
#include <stdlib.h>
#include <string.h>

#include "emit/sigma_int.h"
#include "view/view.h"

typedef struct sgd {
    emit_ctx *c;
    FILE *searches;   /* the searches, in the order the condition names them */
    FILE *cond;
    int nsel, nfilter;
    int depth;        /* nesting: compound conditions inside are parenthesized */
} sgd;

static int t_cond(sgd *d, const expr *e, int neg);
static int f_cond(sgd *d, const expr *e);

/* A test under istrue(), where the front end wraps one value's test in a
 * one-kid AND or OR (|cidr, |re), or a bare test. */
static int item_of(const plan *p, const expr *e, sg_atom_t *a)
{
    if (e->kind == EX_ISTRUE) {
        e = e->kids[0];
        while ((e->kind == EX_AND || e->kind == EX_OR) && e->nkids == 1)
            e = e->kids[0];
    }
    return sg_atom(p, e, a);
}

/* AND of items on distinct fields (a YAML map has each key once). */
static int is_map(const plan *p, const expr *e)
{
    sg_atom_t a[2];
    if (e->kind != EX_AND)
        return item_of(p, e, a) == 0;
    for (unsigned i = 0; i < e->nkids; i++) {
        if (item_of(p, e->kids[i], &a[0]))
            return 0;
        for (unsigned j = 0; j < i; j++)
            if (item_of(p, e->kids[j], &a[1]) == 0 && a[1].slot == a[0].slot)
                return 0;
    }
    return 1;
}

/* A new search's name, written into the condition, and its header. */
static void search_name(sgd *d, int neg)
{
    int n = neg ? ++d->nfilter : ++d->nsel;
    const char *base = neg ? "filter" : "selection";
    char name[32];
    snprintf(name, sizeof name, n > 1 ? "%s_%d" : "%s", base, n);
    fputs(name, d->cond);
    fprintf(d->searches, "    %s:\n", name);
}

/* The items of kids[0..n) as one map at `indent`; a list entry's first
 * line is written after its "- ". */
static int map_items(sgd *d, const expr *const *kids, int n, int indent, int entry)
{
    for (int i = 0; i < n; i++) {
        sg_atom_t a;
        item_of(d->c->p, kids[i], &a);
        char *text = NULL;
        size_t len = 0;
        sg_item_ctx w = {d->c, open_memstream(&text, &len), indent};
        if (!w.out)
            xoom(0);
        int rc = sg_item_write(&w, &a);
        fclose(w.out);
        if (entry && i == 0 && rc == 0)
            fprintf(d->searches, "%*s- %s", indent - 2, "", text + indent);
        else if (rc == 0)
            fputs(text, d->searches);
        free(text);
        if (rc)
            return -1;
    }
    return 0;
}

/* One map search: the items of an AND, or one item. */
static int map_search(sgd *d, const expr *e, int neg)
{
    search_name(d, neg);
    if (e->kind == EX_AND)
        return map_items(d, (const expr *const *)e->kids, e->nkids, 8, 0);
    return map_items(d, &e, 1, 8, 0);
}

/* A list of maps: any of them. */
static int list_search(sgd *d, const expr *e, int neg)
{
    search_name(d, neg);
    for (unsigned i = 0; i < e->nkids; i++) {
        const expr *m = e->kids[i];
        int rc = m->kind == EX_AND ? map_items(d, (const expr *const *)m->kids, m->nkids, 10, 1)
                                   : map_items(d, &m, 1, 10, 1);
        if (rc)
            return -1;
    }
    return 0;
}

static void open_paren(sgd *d, int compound)
{
    if (compound && d->depth > 0)
        fputc('(', d->cond);
    d->depth++;
}

static void close_paren(sgd *d, int compound)
{
    d->depth--;
    if (compound && d->depth > 0)
        fputc(')', d->cond);
}

/* kids joined by `op`, each written by T (or F when `f`). */
static int join(sgd *d, const expr *const *k, int n, const char *op, int f, int neg)
{
    open_paren(d, n > 1);
    for (int i = 0; i < n && !d->c->refused; i++) {
        fputs(i ? op : "", d->cond);
        if (f ? f_cond(d, k[i]) : t_cond(d, k[i], neg))
            return -1;
    }
    close_paren(d, n > 1);
    return d->c->refused ? -1 : 0;
}

/* Where the run of items on distinct fields starting at k[i] ends (i + 1
 * when k[i] is no item). */
static int run_end(const plan *p, const expr *const *k, int i, int n)
{
    sg_atom_t a, b;
    if (item_of(p, k[i], &a))
        return i + 1;
    int j = i + 1;
    for (; j < n && item_of(p, k[j], &b) == 0; j++) {
        int dup = 0;
        for (int x = i; x < j; x++)
            dup |= item_of(p, k[x], &a) == 0 && a.slot == b.slot;
        if (dup)
            break;
    }
    return j;
}

/* T of an AND: runs of items on distinct fields are one map each (what a
 * plan of another language filters one test at a time reads as one
 * selection); anything else is its own operand. */
static int t_and(sgd *d, const expr *const *k, int n, int neg)
{
    const plan *p = d->c->p;
    int runs = 0;
    for (int i = 0; i < n; runs++)
        i = run_end(p, k, i, n);
    open_paren(d, runs > 1);
    for (int i = 0, r = 0; i < n && !d->c->refused; r++) {
        int j = run_end(p, k, i, n);
        sg_atom_t a;
        fputs(r ? " and " : "", d->cond);
        if (item_of(p, k[i], &a) == 0) {
            search_name(d, neg);
            map_items(d, k + i, j - i, 8, 0);
        } else if (t_cond(d, k[i], neg)) {
            return -1;
        }
        i = j;
    }
    close_paren(d, runs > 1);
    return d->c->refused ? -1 : 0;
}

/* `x is null or not T(x)`: the plan's "missing, or not this value", where
 * T is NULL exactly when x is missing; Sigma's `not T` says the same. */
static const expr *missing_or_not(const plan *p, const expr *e)
{
    sg_atom_t miss, t;
    if (e->kind != EX_OR || e->nkids != 2 || sg_atom(p, e->kids[0], &miss) ||
        miss.kind != SG_A_MISSING || e->kids[1]->kind != EX_NOT ||
        sg_atom(p, e->kids[1]->kids[0], &t) || t.slot != miss.slot ||
        (t.kind != SG_A_EQ && t.kind != SG_A_RE))
        return NULL;
    return e->kids[1]->kids[0];
}

static int two_valued(const expr *e)
{
    if (e->kind == EX_ISTRUE || e->kind == EX_ISNULL)
        return 1;
    if (e->kind != EX_AND && e->kind != EX_OR && e->kind != EX_NOT)
        return 0;
    for (unsigned i = 0; i < e->nkids; i++)
        if (!two_valued(e->kids[i]))
            return 0;
    return 1;
}

static int all_maps(const plan *p, const expr *e)
{
    for (unsigned i = 0; i < e->nkids; i++)
        if (!is_map(p, e->kids[i]))
            return 0;
    return 1;
}

static int t_cond(sgd *d, const expr *e, int neg)
{
    const plan *p = d->c->p;
    sg_atom_t a;
    const expr *t;
    if (e->kind == EX_ISTRUE && item_of(p, e, &a))
        return t_cond(d, e->kids[0], neg);
    if (item_of(p, e, &a) == 0 || (e->kind == EX_AND && is_map(p, e)))
        return map_search(d, e, neg);
    if (e->kind == EX_AND)
        return t_and(d, (const expr *const *)e->kids, e->nkids, neg);
    if ((t = missing_or_not(p, e))) {
        fputs("not ", d->cond);
        return map_search(d, t, 1);
    }
    if (e->kind == EX_OR && all_maps(p, e))
        return list_search(d, e, neg);
    if (e->kind == EX_OR)
        return join(d, (const expr *const *)e->kids, e->nkids, " or ", 0, neg);
    if (e->kind == EX_NOT)
        return f_cond(d, e->kids[0]);
    if (e->kind == EX_CMP && e->op == CMP_NE) {
        expr eq = *e;
        eq.op = CMP_EQ;
        return f_cond(d, &eq);
    }
    return emit_refuse(d->c, "this test (Sigma items compare a field with values, patterns "
                             "or networks)");
}

/* F of one test of field x: x is there and the test fails. */
static int f_atom(sgd *d, const expr *e)
{
    sg_atom_t a;
    if (sg_atom(d->c->p, e, &a) || (a.kind != SG_A_EQ && a.kind != SG_A_RE))
        return emit_refuse(d->c, "the negation of this test in SQL's three-valued logic");
    const expr *x = e->kids[0];
    while (x->kind == EX_CALL)
        x = x->kids[0];
    expr there = {.kind = EX_ISNULL, .nkids = 1, .kids = (expr **)&x};
    expr exists = {.kind = EX_NOT, .nkids = 1};
    expr *kid = &there;
    exists.kids = &kid;
    open_paren(d, 1);
    if (map_search(d, &exists, 0))
        return -1;
    fputs(" and not ", d->cond);
    int rc = map_search(d, e, 1);
    close_paren(d, 1);
    return rc;
}

static int f_cond(sgd *d, const expr *e)
{
    if (two_valued(e)) {
        fputs("not ", d->cond);
        d->depth++;
        int rc = t_cond(d, e, 1);
        d->depth--;
        return rc;
    }
    if (e->kind == EX_NOT)
        return t_cond(d, e->kids[0], 0);
    if (e->kind == EX_AND || e->kind == EX_OR)
        return join(d, (const expr *const *)e->kids, e->nkids, e->kind == EX_AND ? " or " : " and ",
                    1, 1);
    if (e->kind == EX_CMP && e->op == CMP_NE) {
        expr eq = *e;
        eq.op = CMP_EQ;
        return t_cond(d, &eq, 0);
    }
    return f_atom(d, e);
}

/* LogScale's event name beyond its kind (view/logscale.c): the direction
 * as Sysmon's Initiated, and the remote address family, IPv6 exactly when
 * the address is one (so IPv4 also where it is missing). */
static void event_items(sgd *d, const emit_event *ev, int first)
{
    const char *dst = view_name_of("sigma", MC_C_DST_IP);
    fputs(first ? "" : " and ", d->cond);
    search_name(d, 0);
    fprintf(d->searches, "        Initiated: '%s'\n",
            strcmp(ev->direction, "out") ? "false" : "true");
    if (ev->family != 6) { /* IPv4, or no address: not an IPv6 one */
        fputs(" and not ", d->cond);
        search_name(d, 1);
    }
    fprintf(d->searches, "        %s|cidr: '::/0'\n", dst);
}

int sg_detection_write(emit_ctx *c, const expr *const *conj, int n, const emit_event *ev,
                       FILE *out)
{
    char *searches = NULL, *cond = NULL;
    size_t slen = 0, clen = 0;
    sgd d = {c, open_memstream(&searches, &slen), open_memstream(&cond, &clen), 0, 0, 0};
    if (!d.searches || !d.cond)
        xoom(0);
    /* with more to AND after it, one filter is an AND's operand (parenthesized) */
    int rc = n == 0 ? 0 : n == 1 && !ev ? t_cond(&d, conj[0], 0) : t_and(&d, conj, n, 0);
    if (rc == 0 && ev)
        event_items(&d, ev, n == 0);
    fclose(d.searches);
    fclose(d.cond);
    if (rc == 0 && !c->refused) {
        fputs("detection:\n", out);
        fwrite(searches, 1, slen, out);
        fprintf(out, "    condition: %s\n", cond);
    }
    free(searches);
    free(cond);
    return c->refused ? -1 : 0;
}
