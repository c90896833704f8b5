/* check: an AQL query -> plan, clause by clause in AQL's evaluation order
 * (aql.md §3): window, WHERE, GROUP BY, aggregates, HAVING, ORDER BY,
 * LIMIT, projection. SQL's three-valued logic is the plan's own, so AQL
 * needs no wrapping: NULL NOT IN (...) drops the row as QRadar would. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lang/aql/aql.h"
#include "lang/aql/check.h"

const aql_ast *aql_alias(aql_check *c, const char *name)
{
    for (int i = 0; i < c->q->nitems; i++) {
        const aql_item *it = &c->q->item[i];
        if (it->alias && aql_same_name(it->alias, name) && it->e->kind != Q_STAR &&
            !(it->e->kind == Q_COLUMN && aql_same_name(it->e->text, name)))
            return it->e;
    }
    return NULL;
}

static const aql_item *alias_item(const aql_check *c, const char *name)
{
    for (int i = 0; i < c->q->nitems; i++)
        if (c->q->item[i].alias && aql_same_name(c->q->item[i].alias, name))
            return &c->q->item[i];
    return NULL;
}

/* Two expressions are the same when written the same, up to case and
 * blanks (`count(*)` = `COUNT( * )`). */
static int same_text(const aql_ast *a, const aql_ast *b)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < a->srclen && (a->src[i] == ' ' || a->src[i] == '\t' || a->src[i] == '\n'))
            i++;
        while (j < b->srclen && (b->src[j] == ' ' || b->src[j] == '\t' || b->src[j] == '\n'))
            j++;
        if (i == a->srclen || j == b->srclen)
            return i == a->srclen && j == b->srclen;
        char x = a->src[i], y = b->src[j];
        if ((x | 0x20) != (y | 0x20) || ((x | 0x20) < 'a' && x != y))
            return 0;
        i++;
        j++;
    }
}

static const char *written(aql_check *c, const aql_ast *n)
{
    if (n->kind == Q_COLUMN)
        return arena_strndup(&c->p->mem, n->text, n->len);
    return arena_strndup(&c->p->mem, n->src, n->srclen);
}

int aql_agg_fn(const aql_ast *call)
{
    static const struct { const char *name; int fn; } fns[] = {
        {"count", AGG_COUNT}, {"sum", AGG_SUM}, {"min", AGG_MIN}, {"max", AGG_MAX},
        {"avg", AGG_AVG}, {"uniquecount", AGG_COUNT_DISTINCT},
        {"distinctcount", AGG_COUNT_DISTINCT}, {"first", AGG_FIRST},
    };
    if (call->kind != Q_CALL)
        return -1;
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (aql_same_name(call->text, fns[i].name))
            return fns[i].fn == AGG_COUNT && call->distinct ? AGG_COUNT_DISTINCT : fns[i].fn;
    return -1;
}

/* Unaliased aggregates are named FUNC_arg, as Ariel names them (§3). */
static const char *agg_name(aql_check *c, const aql_ast *call)
{
    char buf[128];
    const aql_ast *arg = call->nkids ? call->kids[0] : NULL;
    if (!arg || arg->kind == Q_STAR)
        snprintf(buf, sizeof buf, "%s", call->text);
    else
        snprintf(buf, sizeof buf, "%s_%.*s", call->text, (int)(arg->kind == Q_COLUMN ? arg->len
                 : arg->srclen), arg->kind == Q_COLUMN ? arg->text : arg->src);
    for (char *s = buf; *s && *s != '_'; s++)
        *s = (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s);
    return arena_strndup(&c->p->mem, buf, strlen(buf));
}

int aql_agg_column(aql_check *c, const aql_ast *call, const char *name)
{
    for (int a = 0; a < plan_naggs(c->p); a++)
        if (same_text(c->agg_ast[a], call))
            return plan_nkeys(c->p) + a;
    int fn = aql_agg_fn(call);
    if (call->nkids != 1)
        aql_fail(c, call, "%s() takes one argument", call->text);
    int saved = c->mode;
    c->mode = MODE_EVENT;
    expr *arg = call->kids[0]->kind == Q_STAR ? NULL : aql_expr(c, call->kids[0]);
    c->mode = saved;
    if (!arg && fn != AGG_COUNT)
        aql_fail(c, call, "only COUNT takes *");
    int col = plan_aggregate(c->p, fn, arg, name ? name : agg_name(c, call));
    if (col < 0)
        aql_fail(c, call, "too many aggregates");
    c->agg_ast[plan_naggs(c->p) - 1] = call;
    return col;
}

static int item_column(aql_check *c, int i);

int aql_row_column(aql_check *c, const aql_ast *n)
{
    if (n->kind == Q_COLUMN) {
        const aql_item *it = alias_item(c, n->text);
        if (it)
            return item_column(c, (int)(it - c->q->item));
    }
    for (int k = 0; k < plan_nkeys(c->p); k++)
        if (same_text(c->key_ast[k], n) ||
            (n->kind == Q_COLUMN && aql_same_name(plan_column_name(c->p, k), n->text)))
            return k;
    if (aql_agg_fn(n) >= 0)
        return aql_agg_column(c, n, NULL);
    for (int i = 0; i < c->q->nitems; i++)
        if (c->item_col[i] >= 0 && same_text(c->q->item[i].e, n))
            return c->item_col[i];
    return -1;
}

/* ---- aggregate queries --------------------------------------------------- */

/* Names outlive the parser, so they are copied into the plan. */
static const char *item_name(aql_check *c, int i)
{
    const aql_item *it = &c->q->item[i];
    if (it->alias)
        return arena_strndup(&c->p->mem, it->alias, strlen(it->alias));
    if (aql_agg_fn(it->e) >= 0)
        return agg_name(c, it->e);
    return written(c, it->e);
}

/* A select item's result column: a key, an aggregate, FIRST_<col> for a
 * column neither grouped nor aggregated (aql.md §3), or a computed column. */
static int item_column(aql_check *c, int i)
{
    if (c->item_col[i] >= 0)
        return c->item_col[i];
    if (c->item_col[i] == -2)
        aql_fail(c, c->q->item[i].e, "alias '%s' is defined through itself", c->q->item[i].alias);
    const aql_item *it = &c->q->item[i];
    c->item_col[i] = -2;
    int col = -1;
    for (int k = 0; k < plan_nkeys(c->p) && col < 0; k++)
        if (same_text(c->key_ast[k], it->e))
            col = k;
    if (col < 0 && aql_agg_fn(it->e) >= 0)
        col = aql_agg_column(c, it->e, item_name(c, i));
    if (col < 0 && it->e->kind == Q_COLUMN && !alias_item(c, it->e->text) &&
        aql_row_column(c, it->e) < 0) {
        char name[160];
        snprintf(name, sizeof name, "FIRST_%s", it->e->text);
        int saved = c->mode;
        c->mode = MODE_EVENT;
        expr *arg = aql_expr(c, it->e);
        c->mode = saved;
        col = plan_aggregate(c->p, AGG_FIRST, arg, it->alias ? it->alias : name);
        c->agg_ast[plan_naggs(c->p) - 1] = it->e;
    }
    if (col < 0)
        col = plan_post_eval(c->p, item_name(c, i), aql_expr(c, it->e));
    if (col < 0)
        aql_fail(c, it->e, "too many columns");
    c->item_col[i] = col;
    return col;
}

/* Walks an expression for aggregate calls, so that every aggregate exists
 * before the first computed column (the plan's layout, plan.h). */
static void collect_aggs(aql_check *c, const aql_ast *n, const char *alias)
{
    if (aql_agg_fn(n) >= 0) {
        aql_agg_column(c, n, alias);
        return;
    }
    for (int i = 0; i < n->nkids; i++)
        collect_aggs(c, n->kids[i], NULL);
}

/* GROUP BY may name a select alias (the seed groups by MailProtocol). Keys
 * are laid out in SELECT order so that ties break as aql.md §3 says. */
static void group_keys(aql_check *c)
{
    const aql_query *q = c->q;
    int done[AQL_MAX_LIST] = {0};
    int order[AQL_MAX_LIST], n = 0;
    for (int i = 0; i < q->nitems; i++)
        for (int g = 0; g < q->ngroup; g++) {
            const aql_ast *ge = q->group[g];
            int hit = same_text(ge, q->item[i].e) ||
                      (ge->kind == Q_COLUMN && q->item[i].alias &&
                       aql_same_name(ge->text, q->item[i].alias));
            if (hit && !done[g]) {
                done[g] = 1;
                order[n++] = g;
            }
        }
    for (int g = 0; g < q->ngroup; g++)
        if (!done[g])
            order[n++] = g;
    c->mode = MODE_EVENT;
    for (int k = 0; k < n; k++) {
        const aql_ast *ge = q->group[order[k]];
        const aql_item *it = ge->kind == Q_COLUMN ? alias_item(c, ge->text) : NULL;
        const aql_ast *e = it ? it->e : ge;
        if (aql_agg_fn(e) >= 0)
            aql_fail(c, ge, "cannot GROUP BY an aggregate");
        const char *name = it ? it->alias : written(c, ge);
        for (int i = 0; i < q->nitems && !it; i++)
            if (same_text(q->item[i].e, ge) && q->item[i].alias)
                name = q->item[i].alias;
        if (plan_group_key(c->p, aql_expr(c, e), name) < 0)
            aql_fail(c, ge, "too many GROUP BY keys");
        c->key_ast[k] = e;
    }
}

static void order_by(aql_check *c)
{
    for (int o = 0; o < c->q->norder; o++) {
        const aql_ast *e = c->q->order[o].e;
        int col;
        if (c->aggregating) {
            col = aql_row_column(c, e);
            if (col < 0) {
                char name[32];
                snprintf(name, sizeof name, "__order%d", o + 1);
                col = plan_post_eval(c->p, name, aql_expr(c, e));
            }
        } else {
            const aql_item *it = e->kind == Q_COLUMN ? alias_item(c, e->text) : NULL;
            col = plan_eval(c->p, "__order", aql_expr(c, it ? it->e : e));
        }
        if (col < 0 || plan_sort_by(c->p, col, c->q->order[o].desc, SORT_VALUE) < 0)
            aql_fail(c, e, "too many ORDER BY columns");
    }
}

static void aggregate_query(aql_check *c)
{
    const aql_query *q = c->q;
    group_keys(c);
    c->mode = MODE_ROW;
    for (int i = 0; i < q->nitems; i++) {
        if (q->item[i].e->kind == Q_STAR)
            aql_fail(c, q->item[i].e, "SELECT * cannot be combined with GROUP BY or aggregates");
        collect_aggs(c, q->item[i].e, aql_agg_fn(q->item[i].e) >= 0 ? item_name(c, i) : NULL);
    }
    if (q->having)
        collect_aggs(c, q->having, NULL);
    for (int o = 0; o < q->norder; o++)
        collect_aggs(c, q->order[o].e, NULL);
    for (int i = 0; i < q->nitems; i++)
        if (q->item[i].e->kind == Q_COLUMN)
            item_column(c, i); /* FIRST_ columns are aggregates: before computed ones */
    for (int i = 0; i < q->nitems; i++)
        item_column(c, i);
    if (q->having)
        plan_post_filter(c->p, aql_expr(c, q->having));
    order_by(c);
    for (int i = 0; i < q->nitems; i++)
        if (plan_project(c->p, c->item_col[i], plan_column_name(c->p, c->item_col[i])) < 0)
            aql_fail(c, q->item[i].e, "too many columns");
}

static int has_aggregate(const aql_ast *n)
{
    if (aql_agg_fn(n) >= 0)
        return 1;
    for (int i = 0; i < n->nkids; i++)
        if (has_aggregate(n->kids[i]))
            return 1;
    return 0;
}

/* ---- plain queries ------------------------------------------------------- */

static const char *const star_columns[] = {
    "starttime", "sourceip", "sourceport", "destinationip", "destinationport",
    "eventdirection", "username", "protocolid", "Process Name", "Process Path", "Bytes Sent",
};

static void plain_query(aql_check *c)
{
    const aql_query *q = c->q;
    c->mode = MODE_EVENT;
    for (int i = 0; i < q->nitems; i++) {
        const aql_ast *e = q->item[i].e;
        if (e->kind == Q_STAR) {
            for (size_t s = 0; s < sizeof star_columns / sizeof star_columns[0]; s++) {
                aql_ast col = {.kind = Q_COLUMN, .text = star_columns[s], .quoted = 1,
                               .line = e->line, .col = e->col};
                col.len = strlen(col.text);
                if (plan_project(c->p, aql_column(c, &col), star_columns[s]) < 0)
                    aql_fail(c, e, "too many columns");
            }
            continue;
        }
        int slot = e->kind == Q_COLUMN && !alias_item(c, e->text) ? aql_column(c, e)
                   : plan_eval(c->p, item_name(c, i), aql_expr(c, e));
        if (slot < 0 || plan_project(c->p, slot, item_name(c, i)) < 0)
            aql_fail(c, e, "too many columns");
    }
    order_by(c);
}

/* ---- WHERE and the time clause ------------------------------------------- */

static int mentions(const aql_ast *n, const char *column)
{
    if (n->kind == Q_COLUMN && aql_same_name(n->text, column))
        return 1;
    for (int i = 0; i < n->nkids; i++)
        if (mentions(n->kids[i], column))
            return 1;
    return 0;
}

static expr *loopback(aql_check *c, int field)
{
    static const char *const nets[] = {"127.0.0.0/8", "::1/128"};
    char err[100];
    return plan_cidr(c->p, plan_ref(c->p, plan_field(c->p, mc_canon_name(field), field)), nets, 2,
                     err, sizeof err);
}

/* Before a direction filter: count connections to a loopback address,
 * which are L2L and so never L2R — the seeds' Atomic tests to 127.0.0.1 are such
 * (aql.md §6 #6). The run reports the count when the filter drops them. */
static void direction_note(aql_check *c, const aql_ast *conjunct)
{
    if (!mentions(conjunct, "eventdirection") && !mentions(conjunct, "event direction"))
        return;
    expr *k[2] = {loopback(c, MC_C_DST_IP), plan_not(c->p, aql_expr(c, conjunct))};
    plan_note_step(c->p, plan_node(c->p, EX_AND, 0, 2, k),
                   "%llu loopback connections (like the seeds' Atomic tests to 127.0.0.1) are "
                   "L2L, so the rule's direction filter removed them; the LogScale seed counts "
                   "them");
}

/* Top-level ANDs become separate filters, in order: `explain` shows each
 * clause, and a note can sit just before the one it is about. */
static void where(aql_check *c, const aql_ast *n)
{
    if (n->kind == Q_BINARY && n->op == Q_AND) {
        where(c, n->kids[0]);
        where(c, n->kids[1]);
        return;
    }
    direction_note(c, n);
    expr *cond = aql_expr(c, n);
    /* A NULL makes the condition unknown and drops the event (aql.md §3);
     * the run says how many connections, since a source lacking a column
     * (a firewall's "Process Name") loses every one of them. */
    char text[90], msg[200];
    size_t t = 0;
    for (size_t i = 0; i < n->srclen && t + 4 < sizeof text; i++) {
        int blank = n->src[i] == ' ' || n->src[i] == '\n' || n->src[i] == '\t' || n->src[i] == '\r';
        if (!blank || (t && text[t - 1] != ' '))
            text[t++] = blank ? ' ' : n->src[i];
    }
    strcpy(text + t, t + 4 >= sizeof text ? "..." : "");
    snprintf(msg, sizeof msg, "%%llu connections had no value for `%s` and were dropped "
             "(NULL makes it unknown)", text);
    expr *conn[2] = {plan_node(c->p, EX_ISNULL, 0, 1, &cond),
                     plan_cmp(c->p, CMP_EQ, plan_ref(c->p, plan_field(c->p, "kind", MC_C_KIND)),
                              plan_lit_str(c->p, "conn"))};
    plan_note_step(c->p, plan_node(c->p, EX_AND, 0, 2, conn), msg);
    if (plan_filter(c->p, cond) < 0)
        aql_fail(c, n, "WHERE has too many conditions");
}

static void time_clause(aql_check *c)
{
    const aql_query *q = c->q;
    plan *p = c->p;
    int time = plan_field(p, mc_canon_name(MC_C_TIME), MC_C_TIME);
    if (plan_set_window(p, time, q->last_ms) < 0)
        aql_fail(c, NULL, "too many fields (at most %d)", PLAN_MAX_FIELDS);
    expr *t = plan_ref(p, time);
    if (q->has_start)
        plan_filter(p, plan_cmp(p, CMP_GE, t, plan_lit_int(p, q->start_ms)));
    if (q->has_stop)
        plan_filter(p, plan_cmp(p, CMP_LT, t, plan_lit_int(p, q->stop_ms)));
    if (q->last_ms || q->has_start)
        return;
    plan_set_default_window(p, 5 * 60 * 1000);
    lang_warn(c->opts, c->src, 1, 1, "no LAST or START clause: QRadar would search only the "
              "last 5 minutes; mailc2 searches all the input unless --emulate-limits applies "
              "the 5 minutes (aql.md §2)");
}

plan *aql_compile(const lang_src *src, const lang_opts *o, lang_error *e)
{
    aql_parser *parser;
    aql_query *q = aql_parse(src, o, &parser, e);
    if (!q) {
        aql_parse_free(parser);
        return NULL;
    }
    aql_check *c = xcalloc(1, sizeof *c);
    c->src = src;
    c->opts = o;
    c->err = e;
    c->q = q;
    c->p = plan_new("aql");
    /* NULL sorts lowest; addresses order as addresses (aql.md §3). */
    plan_set_collate(c->p, COLLATE_NULLS_LOW | COLLATE_IP_ADDRESS);
    for (int i = 0; i < AQL_MAX_LIST; i++)
        c->item_col[i] = -1;
    plan *result = c->p;
    if (setjmp(c->fail)) {
        plan_free(c->p);
        result = NULL;
    } else {
        time_clause(c);
        if (q->where)
            where(c, q->where);
        int agg = q->ngroup > 0 || q->distinct || (q->having != NULL);
        for (int i = 0; i < q->nitems; i++)
            agg |= has_aggregate(q->item[i].e);
        c->aggregating = agg;
        if (q->distinct && !q->ngroup) /* DISTINCT groups by every item */
            for (int i = 0; i < q->nitems; i++)
                q->group[q->ngroup++] = q->item[i].e;
        if (agg)
            aggregate_query(c);
        else
            plain_query(c);
        if (plan_set_limit(c->p, q->limit) < 0)
            aql_fail(c, NULL, "LIMIT must be a whole number");
    }
    aql_parse_free(parser);
    free(c);
    return result;
}
