/* sql: the plan as one SQL SELECT, for DuckDB, PostgreSQL, ClickHouse and
 * Spark SQL. The plan's logic is SQL's three-valued logic already (expr.h),
 * so most of it maps one to one; the dialect table below holds what the
 * engines disagree on: quoting, string escapes, booleans, casts that do not
 * fail, regular-expression calls, and ClickHouse 18.16's AND/OR and IN,
 * which are not Kleene logic on NULL (NULL OR 0 is 0, NULL AND 0 is NULL,
 * NULL IN (...) is 0) and its match(), which ignores an inline (?i).
 *
 * The query reads one table (--table): with the native schema its columns
 * are the plan's own field names (times as epoch milliseconds), with the
 * OCSF schema the Network Activity columns of emit/ocsf.c. Eval steps are
 * inlined where used, filters are ANDed in the WHERE clause, the threshold
 * is a HAVING clause; notes (counts the run reports) have no SQL form and
 * change no row, so they are left out. This file writes the statement;
 * sql_expr.c the expressions in it. */
#include <inttypes.h>
#include <string.h>

#include "emit/sql_int.h"

static const sql_dialect dialects[] = {
    [SQL_DUCKDB] = {SQL_DUCKDB, '"', 0, "TRUE", "FALSE", "VARCHAR", "DOUBLE", 1},
    [SQL_POSTGRES] = {SQL_POSTGRES, '"', 0, "TRUE", "FALSE", "text", "double precision", 1},
    [SQL_CLICKHOUSE] = {SQL_CLICKHOUSE, '"', 1, "1", "0", "String", "Float64", 0},
    [SQL_SPARK] = {SQL_SPARK, '`', 1, "TRUE", "FALSE", "STRING", "DOUBLE", 1},
};

static void select_list(sql *s)
{
    const plan *p = s->c->p;
    int n = p->nproj ? p->nproj : plan_ncolumns(p);
    fputs("SELECT", s->c->out);
    for (int i = 0, shown = 0; i < n; i++) {
        int col = p->nproj ? p->proj[i] : i;
        const char *name = p->nproj ? p->proj_name[i] : plan_column_name(p, col);
        if (!p->has_agg && !p->nproj && !name[0])
            continue; /* an unused slot */
        fputs(shown++ ? ",\n  " : "\n  ", s->c->out);
        if (p->has_agg)
            sql_column(s, col);
        else
            sql_field_ref(s, &(expr){.kind = EX_FIELD, .slot = col});
        fputs(" AS ", s->c->out);
        sql_ident(s, name);
    }
}

static void where(sql *s)
{
    const plan *p = s->c->p;
    FILE *o = s->c->out;
    int n = 0;
    if (p->time_slot >= 0 && p->window_ms > 0) {
        const expr t = {.kind = EX_FIELD, .slot = p->time_slot};
        fputs("\nWHERE (", o);
        sql_field_ref(s, &t);
        fputs(" > ", o);
        sql_now(s);
        fprintf(o, " - %" PRId64 ")\n  AND (", p->window_ms);
        sql_field_ref(s, &t);
        fputs(" <= ", o);
        sql_now(s);
        fputc(')', o);
        n++;
    }
    for (int k = 0; k < p->nsteps; k++) {
        if (p->steps[k].slot != STEP_FILTER)
            continue; /* evals are inlined; notes only count */
        fputs(n++ ? "\n  AND " : "\nWHERE ", o);
        sql_truth(s, p->steps[k].e);
    }
}

static void group_having(sql *s)
{
    const plan *p = s->c->p;
    FILE *o = s->c->out;
    for (int k = 0; k < p->nkeys; k++) {
        fputs(k ? ", " : "\nGROUP BY ", o);
        sql_expr(s, p->keys[k]);
    }
    s->post = 1;
    for (int k = 0, n = 0; k < p->npost; k++) {
        if (p->post[k].slot >= 0)
            continue;
        fputs(n++ ? "\n  AND " : "\nHAVING ", o);
        sql_truth(s, p->post[k].e);
    }
    s->post = 0;
}

static void order_limit(sql *s)
{
    const plan *p = s->c->p;
    FILE *o = s->c->out;
    for (int k = 0; k < p->nsort; k++) {
        const plan_sort *so = &p->sort[k];
        fputs(k ? ", " : "\nORDER BY ", o);
        expr ref = {.kind = EX_FIELD, .slot = so->col};
        s->post = p->has_agg;
        const expr wrapped = {.kind = EX_CALL, .op = so->type == SORT_NUMBER ? FN_FLOAT : FN_STR,
                              .nkids = 1, .kids = (expr *[]){&ref}};
        sql_expr(s, so->type == SORT_VALUE ? &ref : &wrapped);
        s->post = 0;
        int low = (p->collate & COLLATE_NULLS_LOW) != 0;
        /* AQL puts NULL lowest, the others last either way (plan.h) */
        fputs(so->desc ? " DESC NULLS LAST" : low ? " ASC NULLS FIRST" : " ASC NULLS LAST", o);
    }
    if (p->limit >= 0)
        fprintf(o, "\nLIMIT %" PRId64, p->limit);
}

static int emit_sql(emit_ctx *c, enum sql_id id)
{
    sql s = {c, &dialects[id], 0, 0};
    const plan *p = c->p;
    if (p->nsort && (p->collate & COLLATE_IP_ADDRESS))
        for (int k = 0; k < p->nsort; k++) {
            int canon = p->has_agg && p->sort[k].col < p->nkeys &&
                                p->keys[p->sort[k].col]->kind == EX_FIELD
                            ? view_slot_canon(p, p->keys[p->sort[k].col]->slot)
                            : -1;
            if (canon == MC_C_SRC_IP || canon == MC_C_DST_IP)
                return emit_refuse(c, "AQL's order of addresses as addresses in ORDER BY");
        }
    select_list(&s);
    fputs("\nFROM ", c->out);
    sql_ident(&s, c->o->table ? c->o->table : "events");
    where(&s);
    if (p->has_agg)
        group_having(&s);
    order_limit(&s);
    fputc('\n', c->out);
    if (p->nspreads) /* a window over the groups: not one SELECT's GROUP BY */
        emit_refuse(c, "the count across groups '%s'", plan_column_name(p, p->spread[0].col));
    return c->refused ? -1 : 0;
}

int emit_sql_duckdb(emit_ctx *c) { return emit_sql(c, SQL_DUCKDB); }
int emit_sql_postgres(emit_ctx *c) { return emit_sql(c, SQL_POSTGRES); }
int emit_sql_clickhouse(emit_ctx *c) { return emit_sql(c, SQL_CLICKHOUSE); }
int emit_sql_spark(emit_ctx *c) { return emit_sql(c, SQL_SPARK); }
