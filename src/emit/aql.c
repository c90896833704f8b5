/* aql: the plan as a QRadar AQL query. AQL's logic is SQL's three-valued
 * logic, the plan's own, so expressions map one to one; fields are named
 * by the AQL view (a plan of another language is renamed through the
 * canonical field each name means, and a name AQL has none for is refused).
 * The text is what the AQL front end reads back to the same plan: filters
 * ANDed in WHERE, keys in GROUP BY by their names, the threshold in HAVING;
 * MATCHES carries a regex the front end anchored (^(?:...)$). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <inttypes.h>
#include <pcre2.h>
#include <string.h>

#include "emit/emit_int.h"
#include "view/view.h"

typedef struct aql {
    emit_ctx *c;
    int post;       /* fields are result columns */
    int truth;      /* only TRUE counts: istrue() may be dropped */
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

/* The AQL name of input field `slot`. */
static void field_aql(aql *a, int slot)
{
    const plan *p = a->c->p;
    const char *name = p->slot_name[slot];
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
 * ^(?:P)$ is written as P; any other is searched for anywhere. */
static void regex_aql(aql *a, const expr *e)
{
    FILE *o = a->c->out;
    int caseless;
    const char *re = emit_regex_caseless(e, &caseless);
    size_t n = strlen(re);
    expr_aql(a, e->kids[0]);
    fputs(caseless ? " IMATCHES " : " MATCHES ", o);
    if (n >= 6 && strncmp(re, "^(?:", 4) == 0 && strcmp(re + n - 2, ")$") == 0) {
        string_aql(a, re + 4, n - 6);
        return;
    }
    fputs("'(?s).*(?:", o);
    string_body(a, re, n);
    fputs(").*'", o);
}

static void cidr_aql(aql *a, const expr *e)
{
    static const char *const fam[] = {"", "", "", "", "%u.%u.%u.%u", ""};
    const cidr_net *nets = e->aux;
    fputc('(', a->c->out);
    for (int i = 0; i < e->naux; i++) {
        if (nets[i].family != 4) {
            emit_refuse(a->c, "an IPv6 network in INCIDR");
            return;
        }
        fputs(i ? " OR INCIDR('" : "INCIDR('", a->c->out);
        fprintf(a->c->out, fam[4], nets[i].addr[0], nets[i].addr[1], nets[i].addr[2],
                nets[i].addr[3]);
        fprintf(a->c->out, "/%u', ", nets[i].bits);
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
        expr_aql(a, e->kids[k]);
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

static const char *const cmp_aql[] = {" = ", " != ", " < ", " <= ", " > ", " >= "};
static const char *const arith_aql[] = {" + ", " - ", " * ", " / "};

static void node_aql(aql *a, const expr *e)
{
    FILE *o = a->c->out;
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
    case EX_AND:
    case EX_OR:
        fputc('(', o);
        list_aql(a, e, 0, e->kind == EX_AND ? " AND " : " OR ");
        fputc(')', o);
        break;
    case EX_NOT:
        fputs("NOT ", o);
        expr_aql(a, e->kids[0]);
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
    case EX_ISTRUE:
        if (!a->truth) {
            emit_refuse(a->c, "istrue() (a NULL that must count as FALSE) outside WHERE");
            return;
        }
        expr_aql(a, e->kids[0]);
        break;
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
    for (int s = 0; s < p->nsteps; s++) {
        if (p->steps[s].slot != STEP_FILTER)
            continue;
        fputs(n++ ? "\n  AND " : "\nWHERE\n  ", a->c->out);
        a->truth = 1;
        expr_aql(a, p->steps[s].e);
        a->truth = 0;
    }
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
        if (p->sort[k].type != SORT_VALUE)
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
    aql a = {c, 0, 0};
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
