/* aql: the plan as a QRadar AQL query. AQL's logic is SQL's three-valued
 * logic, the plan's own, so expressions map one to one; fields are named
 * by the AQL view (a plan of another language is renamed through the
 * canonical field each name means, and a name AQL has none for is refused).
 * The text is what the AQL front end reads back to the same plan: filters
 * ANDed in WHERE, keys in GROUP BY by their names, the threshold in HAVING;
 * MATCHES carries a regex the front end anchored (^(?:...)$). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <arpa/inet.h>
#include <inttypes.h>
#include <pcre2.h>
#include <string.h>

#include "emit/emit_int.h"
#include "view/view.h"

typedef struct aql {
    emit_ctx *c;
    int post;       /* fields are result columns */
    int truth;      /* only TRUE counts: istrue() may be dropped */
    int keep_tests; /* inside a NOT or a CASE condition: a test left out
                       would not only widen the query */
} aql;

static void expr_aql(aql *a, const expr *e);

static void name_aql(aql *a, const char *name)
{
    FILE *o = a->c->out;
    int plain = name[0] && !(name[0] >= '0' && name[0] <= '9');
    for (const char *s = name; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            plain = 0;
    if (plain) {
        fputs(name, o);
        return;
    }
    fputc('"', o);
    for (; *name; name++)
        fputs(*name == '"' ? "\"\"" : (char[2]){*name, 0}, o);
    fputc('"', o);
}

static void string_body(aql *a, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        fputs(s[i] == '\'' ? "''" : (char[2]){s[i], 0}, a->c->out);
}

static void string_aql(aql *a, const char *s, size_t len)
{
    fputc('\'', a->c->out);
    string_body(a, s, len);
    fputc('\'', a->c->out);
}

/* The AQL name of input field `slot`. LogScale's ContextTimeStamp is the
 * time in seconds (view/logscale.c): starttime, the time in ms, over
 * 1000.0, a division in doubles as the view's. */
static void field_aql(aql *a, int slot)
{
    const plan *p = a->c->p;
    const char *name = p->slot_name[slot];
    if (emit_derived(p, slot) == EMIT_D_SECONDS) {
        fprintf(a->c->out, "(%s / 1000.0)", view_name_of("aql", MC_C_TIME));
        return;
    }
    if (strcmp(p->lang, "aql") != 0 || p->fields[slot].canon >= 0)
        name = view_name_of("aql", view_slot_canon(p, slot));
    if (!name) {
        emit_refuse(a->c, "the field '%s' (AQL has no name for it)", p->slot_name[slot]);
        return;
    }
    name_aql(a, name);
}

static void ref_aql(aql *a, const expr *e)
{
    const plan *p = a->c->p;
    if (a->post) {
        name_aql(a, plan_column_name(p, e->slot));
        return;
    }
    const expr *def = emit_eval_def(p, e->slot);
    if (def) {
        fputc('(', a->c->out);
        expr_aql(a, def);
        fputc(')', a->c->out);
    } else {
        field_aql(a, e->slot);
    }
}

static void list_aql(aql *a, const expr *e, unsigned from, const char *sep)
{
    for (unsigned k = from; k < e->nkids; k++) {
        fputs(k > from ? sep : "", a->c->out);
        expr_aql(a, e->kids[k]);
    }
}

/* MATCHES covers the whole value: a pattern the front end wrapped as
 * ^(?:P)$ is written as P; any other is searched for anywhere, the .*
 * around it crossing lines. The plan's m and s options are inline flags
 * on P (Java's and PCRE's (?m), (?s), (?-s:...)), so that `$` and `.`
 * inside mean what the plan's do. */
static void regex_aql(aql *a, const expr *e)
{
    FILE *o = a->c->out;
    int caseless, lines = (e->re_flags & PCRE2_MULTILINE) != 0;
    int dotall = (e->re_flags & PCRE2_DOTALL) != 0;
    const char *re = emit_regex_caseless(e, &caseless);
    size_t n = strlen(re);
    expr_aql(a, e->kids[0]);
    fputs(caseless ? " IMATCHES '" : " MATCHES '", o);
    if (n >= 6 && strncmp(re, "^(?:", 4) == 0 && strcmp(re + n - 2, ")$") == 0) {
        fprintf(o, "%s%s", lines ? "(?m)" : "", dotall ? "(?s)" : "");
        string_body(a, re + 4, n - 6);
        fputc('\'', o);
        return;
    }
    fprintf(o, "(?s).*(?%s%s:", lines ? "m" : "", dotall ? "" : "-s");
    string_body(a, re, n);
    fputs(").*'", o);
}

/* INCIDR takes IPv4 and IPv6 networks (IBM, "CIDR IP addresses in AQL
 * queries"); the AQL view's destinationip holds either family. */
static void cidr_aql(aql *a, const expr *e)
{
    const cidr_net *nets = e->aux;
    fputc('(', a->c->out);
    for (int i = 0; i < e->naux; i++) {
        char text[INET6_ADDRSTRLEN];
        inet_ntop(nets[i].family == 4 ? AF_INET : AF_INET6, nets[i].addr, text, sizeof text);
        fprintf(a->c->out, "%sINCIDR('%s/%u', ", i ? " OR " : "", text, nets[i].bits);
        expr_aql(a, e->kids[0]);
        fputc(')', a->c->out);
    }
    fputc(')', a->c->out);
}

static void call_aql(aql *a, const expr *e)
{
    static const char *const fn[] = {"LOWER", "UPPER", NULL, "LONG", "DOUBLE", "STR",
                                     "CONCAT", "STRLEN", "SUBSTRING", "DATEFORMAT"};
    if (!fn[e->op]) {
        emit_refuse(a->c, "basename()");
        return;
    }
    fprintf(a->c->out, "%s(", fn[e->op]);
    list_aql(a, e, 0, ", ");
    fputc(')', a->c->out);
}

static void case_aql(aql *a, const expr *e)
{
    unsigned k = 0;
    fputs("CASE", a->c->out);
    for (; k + 1 < e->nkids; k += 2) {
        fputs(" WHEN ", a->c->out);
        int was = a->truth;
        a->truth = 1;
        a->keep_tests++;
        expr_aql(a, e->kids[k]);
        a->keep_tests--;
        a->truth = was;
        fputs(" THEN ", a->c->out);
        expr_aql(a, e->kids[k + 1]);
    }
    if (k < e->nkids) {
        fputs(" ELSE ", a->c->out);
        expr_aql(a, e->kids[k]);
    }
    fputs(" END", a->c->out);
}

/* An operand of a comparison or arithmetic: nested arithmetic in
 * parentheses, so that the tree's grouping survives AQL's precedence. */
static void operand_aql(aql *a, const expr *e)
{
    int group = e->kind == EX_ARITH || e->kind == EX_CMP;
    fputs(group ? "(" : "", a->c->out);
    expr_aql(a, e);
    fputs(group ? ")" : "", a->c->out);
}

/* ---- what AQL's events have no field for --------------------------------- */

/* The kind and the direction by who opened a connection (LogScale's event
 * name and ConnectionDirection, Sigma's logsource category and Initiated)
 * have no AQL field: every event is an `events` row, and AQL's Event
 * Direction is by networks (aql.md §5). A test on one only narrows the
 * query where it is one of an AND's tests outside any NOT (AND and OR are
 * monotone), so there --allow-loss leaves it out, said in a comment
 * (skip = 1); anywhere else it is refused. Returns 1 when `e` is such a
 * test. */
static int left_out(aql *a, const expr *e, int skip)
{
    const plan *p = a->c->p;
    const char *kind = emit_kind_test(p, e), *dir = emit_direction_test(p, e);
    if (!kind && !dir)
        return 0;
    char what[200];
    if (kind)
        snprintf(what, sizeof what, "the test kind = '%s' (AQL's events hold every kind of "
                                    "event and name none)", kind);
    else
        snprintf(what, sizeof what, "the test that a connection is %s (AQL's Event Direction "
                                    "is by networks, not by who opened it)",
                 strcmp(dir, "out") ? "inbound" : "outbound");
    if (skip && !a->keep_tests)
        emit_lose(a->c, "", "%s", what);
    else
        emit_refuse(a->c, "%s", what);
    return 1;
}

/* LogScale's event name: its address family is AQL's (destinationip holds
 * either, view/logscale.c names IPv6 by a colon in the remote address);
 * its kind and direction are left out as left_out() says. */
static void event_aql(aql *a, const emit_event *ev, const char *name)
{
    if (a->keep_tests) {
        emit_refuse(a->c, "the kind and direction of #event_simpleName=%s", name);
        return;
    }
    emit_lose(a->c, "", "the kind and direction of #event_simpleName=%s (AQL's events name "
                          "no kind, and its Event Direction is by networks, not by who opened "
                          "a connection)", name);
    const char *dst = view_name_of("aql", MC_C_DST_IP);
    if (ev->family == 6)
        fprintf(a->c->out, "INCIDR('::/0', %s)", dst);
    else
        fprintf(a->c->out, "(%s IS NULL OR NOT INCIDR('::/0', %s))", dst, dst);
}

/* Sigma's logsource product (view/sigma.c: the system a process path
 * belongs to, NULL when the path says neither): `product is null or
 * product = X` holds unless the path is the other system's. */
static void product_aql(aql *a, const char *os)
{
    const char *path = view_name_of("aql", MC_C_PROC_PATH);
    fputc('(', a->c->out);
    name_aql(a, path);
    fputs(" IS NULL OR NOT ", a->c->out);
    name_aql(a, path);
    fputs(" MATCHES ", a->c->out);
    const char *re = emit_os_paths(emit_other_os(os));
    string_aql(a, re, strlen(re));
    fputc(')', a->c->out);
}

/* A test on a field AQL lacks, written in AQL's terms: 1 when `e` is one. */
static int derived_aql(aql *a, const expr *e)
{
    const plan *p = a->c->p;
    emit_event ev;
    const char *os = emit_product_test(p, e);
    if (os && emit_other_os(os)) {
        product_aql(a, os);
        return 1;
    }
    if (emit_event_test(p, e, &ev, 1) == 1) {
        const expr *t = e->kind == EX_ISTRUE ? e->kids[0] : e;
        event_aql(a, &ev, t->kids[1]->lit.u.s);
        return 1;
    }
    return left_out(a, e, 0);
}

/* An AND whose kids AQL may leave out (left_out) are skipped. */
static void and_aql(aql *a, const expr *e)
{
    fputc('(', a->c->out);
    for (unsigned k = 0, n = 0; k < e->nkids; k++) {
        const expr *kid = e->kids[k];
        if (left_out(a, kid, 1))
            continue;
        fputs(n++ ? " AND " : "", a->c->out);
        expr_aql(a, kid);
    }
    fputc(')', a->c->out);
}

/* Whether two expressions are the same tree. */
static int same(const expr *x, const expr *y)
{
    int cmp = 0;
    if (x->kind != y->kind || x->op != y->op || x->nkids != y->nkids ||
        (x->kind == EX_FIELD && x->slot != y->slot) ||
        (x->kind == EX_LIT && (x->lit.type != y->lit.type ||
                               value_compare(&x->lit, &y->lit, &cmp) || cmp)))
        return 0;
    for (unsigned k = 0; k < x->nkids; k++)
        if (!same(x->kids[k], y->kids[k]))
            return 0;
    return 1;
}

/* The one value the tests of `e` read besides literals (`lower(F)` of
 * `lower(F) IN (...)`, the same in each test of an AND or OR): `e` is NULL
 * exactly when it is. NULL when there is no such value. */
static const expr *sole_operand(const expr *e)
{
    switch (e->kind) {
    case EX_AND:
    case EX_OR: {
        const expr *x = sole_operand(e->kids[0]);
        for (unsigned k = 1; x && k < e->nkids; k++) {
            const expr *y = sole_operand(e->kids[k]);
            x = y && same(x, y) ? x : NULL;
        }
        return x;
    }
    case EX_CMP:
        if (e->kids[1]->kind == EX_LIT && e->kids[1]->lit.type != MC_NULL)
            return e->kids[0];
        return NULL;
    case EX_IN:
        for (unsigned k = 1; k < e->nkids; k++)
            if (e->kids[k]->kind != EX_LIT || e->kids[k]->lit.type == MC_NULL)
                return NULL;
        return e->kids[0];
    case EX_REGEX:
    case EX_CIDR:
        return e->kids[0];
    default:
        return NULL;
    }
}

/* istrue(t): where only TRUE counts, t itself; elsewhere (under a NOT)
 * TRUE or FALSE, never NULL: `NOT X IS NULL AND t` when t is NULL exactly
 * when its one operand X is. */
static void istrue_aql(aql *a, const expr *e)
{
    const expr *x = sole_operand(e->kids[0]);
    if (a->truth) {
        expr_aql(a, e->kids[0]);
        return;
    }
    if (!x) {
        emit_refuse(a->c, "istrue() (a NULL that must count as FALSE) outside WHERE");
        return;
    }
    fputs("(NOT ", a->c->out);
    expr_aql(a, x);
    fputs(" IS NULL AND ", a->c->out);
    expr_aql(a, e->kids[0]);
    fputc(')', a->c->out);
}

static const char *const cmp_aql[] = {" = ", " != ", " < ", " <= ", " > ", " >= "};
static const char *const arith_aql[] = {" + ", " - ", " * ", " / "};

static void node_aql(aql *a, const expr *e)
{
    FILE *o = a->c->out;
    if (derived_aql(a, e))
        return;
    switch (e->kind) {
    case EX_LIT:
        if (e->lit.type == MC_STR || e->lit.type == MC_IP)
            string_aql(a, e->lit.u.s, e->lit.len);
        else if (e->lit.type == MC_INT || e->lit.type == MC_TS)
            fprintf(o, "%" PRId64, e->lit.u.i);
        else
            value_print(&e->lit, o);
        break;
    case EX_FIELD: ref_aql(a, e); break;
    case EX_NOW:   fputs("NOW()", o); break;
    case EX_AND:   and_aql(a, e); break;
    case EX_OR:
        fputc('(', o);
        list_aql(a, e, 0, " OR ");
        fputc(')', o);
        break;
    case EX_NOT:
        fputs("NOT ", o);
        a->keep_tests++;
        expr_aql(a, e->kids[0]);
        a->keep_tests--;
        break;
    case EX_CMP:
    case EX_ARITH:
        operand_aql(a, e->kids[0]);
        fputs(e->kind == EX_CMP ? cmp_aql[e->op] : arith_aql[e->op], o);
        operand_aql(a, e->kids[1]);
        break;
    case EX_IN:
        expr_aql(a, e->kids[0]);
        fputs(" IN (", o);
        list_aql(a, e, 1, ", ");
        fputc(')', o);
        break;
    case EX_ISNULL:
        expr_aql(a, e->kids[0]);
        fputs(" IS NULL", o);
        break;
    case EX_REGEX: regex_aql(a, e); break;
    case EX_CASE:  case_aql(a, e); break;
    case EX_CALL:  call_aql(a, e); break;
    case EX_CIDR:  cidr_aql(a, e); break;
    case EX_ISTRUE: istrue_aql(a, e); break;
    default: emit_refuse(a->c, "a regex capture group"); break;
    }
}

/* AND and OR keep "only TRUE counts" for their operands; others drop it. */
static void expr_aql(aql *a, const expr *e)
{
    if (a->c->refused)
        return;
    int was = a->truth;
    if (e->kind != EX_AND && e->kind != EX_OR && e->kind != EX_ISTRUE)
        a->truth = 0;
    node_aql(a, e);
    a->truth = was;
}

static void agg_aql(aql *a, const plan_agg *g)
{
    static const char *const fn[] = {"COUNT", "UNIQUECOUNT", "SUM", "MIN", "MAX", "AVG", "FIRST"};
    fprintf(a->c->out, "%s(", fn[g->fn]);
    if (g->numeric) { /* LogScale's min/max: numbers only; DOUBLE() of others is NULL */
        fputs("DOUBLE(", a->c->out);
        expr_aql(a, g->arg);
        fputc(')', a->c->out);
    } else if (g->arg)
        expr_aql(a, g->arg);
    else
        fputc('*', a->c->out);
    fputc(')', a->c->out);
}

static void select_aql(aql *a)
{
    const plan *p = a->c->p;
    int n = p->nproj ? p->nproj : plan_ncolumns(p);
    fputs("SELECT", a->c->out);
    for (int i = 0, shown = 0; i < n && !a->c->refused; i++) {
        int col = p->nproj ? p->proj[i] : i;
        const char *name = p->nproj ? p->proj_name[i] : plan_column_name(p, col);
        if (!name[0])
            continue; /* an unused slot */
        fputs(shown++ ? ",\n  " : "\n  ", a->c->out);
        const expr ref = {.kind = EX_FIELD, .slot = col};
        if (!p->has_agg)
            ref_aql(a, &ref);
        else if (col < p->nkeys)
            expr_aql(a, p->keys[col]);
        else if (col < p->nkeys + p->naggs)
            agg_aql(a, &p->aggs[col - p->nkeys]);
        else
            emit_refuse(a->c, "a value computed after the aggregate ('%s')", name);
        fputs(" AS ", a->c->out);
        name_aql(a, name);
    }
}

static void where_aql(aql *a)
{
    const plan *p = a->c->p;
    int n = 0;
    if (p->time_slot >= 0 && p->window_ms > 0 && view_slot_canon(p, p->time_slot) != MC_C_TIME)
        return (void)emit_refuse(a->c, "a window on '%s' (AQL's LAST reads starttime)",
                                 p->slot_name[p->time_slot]);
    int lost = a->c->nlost;
    for (int s = 0; s < p->nsteps; s++) {
        if (p->steps[s].slot != STEP_FILTER || left_out(a, p->steps[s].e, 1))
            continue;
        fputs(n++ ? "\n  AND " : "\nWHERE\n  ", a->c->out);
        a->truth = 1;
        expr_aql(a, p->steps[s].e);
        a->truth = 0;
    }
    emit_write_lost(a->c, lost, "\n  ", ""); /* in the body: QRadar refuses a comment after it */
}

static void group_aql(aql *a)
{
    const plan *p = a->c->p;
    for (int k = 0; k < p->nkeys; k++) {
        fputs(k ? ", " : "\nGROUP BY ", a->c->out);
        if (p->keys[k]->kind == EX_FIELD && !emit_eval_def(p, p->keys[k]->slot))
            expr_aql(a, p->keys[k]);
        else
            name_aql(a, p->col_name[k]); /* its alias in the SELECT list */
    }
    a->post = 1;
    a->truth = 1;
    for (int k = 0, n = 0; k < p->npost; k++) {
        fputs(n++ ? " AND " : "\nHAVING ", a->c->out);
        expr_aql(a, p->post[k].e);
    }
    a->truth = 0;
}

static void order_aql(aql *a)
{
    const plan *p = a->c->p;
    for (int k = 0; k < p->nsort; k++) {
        fputs(k ? ", " : "\nORDER BY ", a->c->out);
        name_aql(a, plan_column_name(p, p->sort[k].col));
        fputs(p->sort[k].desc ? " DESC" : " ASC", a->c->out);
        if (p->sort[k].type != SORT_VALUE && !emit_count_column(p, p->sort[k].col))
            emit_refuse(a->c, "a sort that reads values as numbers or text");
    }
    if (p->limit >= 0)
        fprintf(a->c->out, "\nLIMIT %" PRId64, p->limit);
}

/* The window as LAST, the clause after LIMIT, in its largest whole unit.
 * LAST ends at the search's end as mailc2's window ends at the clock
 * without --now; the comment says so, inside the query (QRadar refuses a
 * comment after the last clause). A --now is lost (emit_lose). */
static void last_aql(aql *a)
{
    static const struct { int64_t ms; const char *unit; } units[] = {
        {86400000, "DAYS"}, {3600000, "HOURS"}, {60000, "MINUTES"}, {1000, "SECONDS"}};
    const plan *p = a->c->p;
    if (p->time_slot < 0 || p->window_ms <= 0)
        return;
    fputc('\n', a->c->out);
    if (!a->c->o->has_now)
        fputs("/* LAST counts back from the search's end, as mailc2 without --now does from "
              "the clock */\n", a->c->out);
    else if (emit_lose(a->c, NULL, "a window on '%s' from --now (AQL's LAST counts from the "
                                   "search's end)", p->slot_name[p->time_slot]))
        return;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (p->window_ms % units[i].ms == 0) {
            fprintf(a->c->out, "LAST %" PRId64 " %s", p->window_ms / units[i].ms, units[i].unit);
            return;
        }
    emit_refuse(a->c, "a window of %" PRId64 " ms (LAST counts whole seconds)", p->window_ms);
}

int emit_aql(emit_ctx *c)
{
    aql a = {c, 0, 0, 0};
    select_aql(&a);
    fputs("\nFROM events", c->out);
    where_aql(&a);
    if (c->p->has_agg)
        group_aql(&a);
    a.post = c->p->has_agg;
    order_aql(&a);
    last_aql(&a);
    fputc('\n', c->out);
    return c->refused ? -1 : 0;
}
