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
 * change no row, so they are left out. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emit/emit_int.h"
#include "emit/ocsf.h"

enum sql_id { SQL_DUCKDB, SQL_POSTGRES, SQL_CLICKHOUSE, SQL_SPARK };

typedef struct sql_dialect {
    enum sql_id id;
    char quote;                 /* identifier quote */
    int backslash_escapes;      /* string literals take \ as an escape */
    const char *yes, *no;       /* boolean literals */
    const char *text, *dbl;     /* type names for CAST */
    int kleene;                 /* AND, OR and IN follow SQL's NULL rules */
} sql_dialect;

static const sql_dialect dialects[] = {
    [SQL_DUCKDB] = {SQL_DUCKDB, '"', 0, "TRUE", "FALSE", "VARCHAR", "DOUBLE", 1},
    [SQL_POSTGRES] = {SQL_POSTGRES, '"', 0, "TRUE", "FALSE", "text", "double precision", 1},
    [SQL_CLICKHOUSE] = {SQL_CLICKHOUSE, '"', 1, "1", "0", "String", "Float64", 0},
    [SQL_SPARK] = {SQL_SPARK, '`', 1, "TRUE", "FALSE", "STRING", "DOUBLE", 1},
};

typedef struct sql {
    emit_ctx *c;
    const sql_dialect *d;
    int post;                   /* fields are result columns (after the aggregate) */
    int truth;                  /* only TRUE counts here (WHERE, HAVING, WHEN, istrue):
                                   NULL and FALSE may be told apart or not */
} sql;

static void expr_sql(sql *s, const expr *e);
static void node_sql(sql *s, const expr *e);

static void ident(const sql *s, const char *name)
{
    FILE *o = s->c->out;
    fputc(s->d->quote, o);
    for (; *name; name++) {
        if (*name == s->d->quote)
            fputc(*name, o);
        fputc(*name, o);
    }
    fputc(s->d->quote, o);
}

static void string_lit(const sql *s, const char *text, size_t len)
{
    FILE *o = s->c->out;
    fputc('\'', o);
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\'' || (text[i] == '\\' && s->d->backslash_escapes))
            fputc(text[i] == '\'' ? '\'' : '\\', o);
        fputc(text[i], o);
    }
    fputc('\'', o);
}

static void cstring_lit(const sql *s, const char *text)
{
    string_lit(s, text, strlen(text));
}

/* Milliseconds since the epoch, now: the --now literal, else the engine's clock. */
static void now_ms(const sql *s)
{
    FILE *o = s->c->out;
    if (s->c->o->has_now) {
        fprintf(o, "%" PRId64, s->c->o->now_ms);
        return;
    }
    static const char *const clock[] = {
        [SQL_DUCKDB] = "epoch_ms(current_timestamp)",
        [SQL_POSTGRES] = "CAST(floor(extract(epoch FROM clock_timestamp()) * 1000) AS bigint)",
        [SQL_CLICKHOUSE] = "(toInt64(toUnixTimestamp(now())) * 1000)",
        [SQL_SPARK] = "unix_millis(current_timestamp())",
    };
    fputs(clock[s->d->id], o);
}

static void literal(const sql *s, const mc_value *v)
{
    FILE *o = s->c->out;
    switch (v->type) {
    case MC_NULL:  fputs("NULL", o); break;
    case MC_BOOL:  fputs(v->u.i ? s->d->yes : s->d->no, o); break;
    case MC_INT:
    case MC_TS:    fprintf(o, "%" PRId64, v->u.i); break; /* times are epoch ms */
    case MC_FLOAT: fprintf(o, "%.17g", v->u.f); break;
    default:       string_lit(s, v->u.s, v->len);
    }
}

/* An input field: its column, or what it means in the OCSF table. */
static void field(sql *s, int slot)
{
    const plan *p = s->c->p;
    if (s->c->o->schema != EMIT_SCHEMA_OCSF) {
        ident(s, p->slot_name[slot]);
        return;
    }
    const char *col = ocsf_column(view_slot_canon(p, slot));
    if (!col) {
        emit_refuse(s->c, "the field '%s' in an OCSF Network Activity table", p->slot_name[slot]);
        return;
    }
    if (col[0] == '\'') /* a constant of the class: every row is a connection */
        fputs(col, s->c->out);
    else if (s->d->id == SQL_DUCKDB || s->d->id == SQL_SPARK)
        fputs(col, s->c->out); /* nested structs: a path */
    else
        ident(s, col);      /* a flattened copy: one column per leaf */
}

/* A result column: the key, the aggregate or the post eval that makes it. */
static void agg_sql(sql *s, const plan_agg *a);

static void column(sql *s, int col)
{
    const plan *p = s->c->p;
    int post = s->post;
    s->post = 0;
    if (col < p->nkeys) {
        expr_sql(s, p->keys[col]);
    } else if (col < p->nkeys + p->naggs) {
        agg_sql(s, &p->aggs[col - p->nkeys]);
    } else {
        s->post = 1;
        for (int k = 0; k < p->npost; k++)
            if (p->post[k].slot == col)
                expr_sql(s, p->post[k].e);
    }
    s->post = post;
}

static void field_ref(sql *s, const expr *e)
{
    if (s->post) {
        column(s, e->slot);
        return;
    }
    const expr *def = emit_eval_def(s->c->p, e->slot);
    if (def) {
        fputc('(', s->c->out);
        expr_sql(s, def);
        fputc(')', s->c->out);
    } else {
        field(s, e->slot);
    }
}

static void kids(sql *s, const expr *e, unsigned from, const char *sep)
{
    for (unsigned k = from; k < e->nkids; k++) {
        if (k > from)
            fputs(sep, s->c->out);
        expr_sql(s, e->kids[k]);
    }
}

/* Whether e can be NULL: where ClickHouse's AND/OR would go wrong. */
static int nullable(const plan *p, const expr *e)
{
    switch (e->kind) {
    case EX_LIT:    return e->lit.type == MC_NULL;
    case EX_NOW:
    case EX_ISNULL:
    case EX_ISTRUE: return 0;
    case EX_FIELD: {
        const expr *def = emit_eval_def(p, e->slot);
        return def ? nullable(p, def) : 1;
    }
    case EX_AND:
    case EX_OR:
    case EX_NOT:
    case EX_CMP:
        for (unsigned k = 0; k < e->nkids; k++)
            if (nullable(p, e->kids[k]))
                return 1;
        return 0;
    default:        return 1;
    }
}

/* Kleene AND/OR for ClickHouse: FALSE 0, NULL 1, TRUE 2, so that AND is
 * the least and OR the greatest, then back to 0, NULL, 1. */
static void logic_encoded(sql *s, const expr *e)
{
    FILE *o = s->c->out;
    const char *pick = e->kind == EX_AND ? "least(" : "greatest(";
    fputs("(nullIf(", o);
    for (unsigned k = 1; k < e->nkids; k++)
        fputs(pick, o);
    for (unsigned k = 0; k < e->nkids; k++) {
        fputs(k ? ", ifNull(toUInt8(" : "ifNull(toUInt8(", o);
        expr_sql(s, e->kids[k]);
        fputs(") * 2, 1)", o);
        if (k)
            fputc(')', o);
    }
    fputs(", 1) = 2)", o);
}

static void logic(sql *s, const expr *e)
{
    if (!s->d->kleene && !s->truth && e->nkids > 1 && nullable(s->c->p, e)) {
        logic_encoded(s, e);
        return;
    }
    fputc('(', s->c->out);
    kids(s, e, 0, e->kind == EX_AND ? " AND " : " OR ");
    fputc(')', s->c->out);
}

static void in_list(sql *s, const expr *e)
{
    FILE *o = s->c->out;
    int exact = !s->d->kleene && !s->truth;
    if (exact) { /* ClickHouse: NULL IN (...) is 0, not NULL */
        fputs("if(isNull(", o);
        expr_sql(s, e->kids[0]);
        fputs("), NULL, ", o);
    }
    int was = s->truth;
    s->truth = 0;
    fputc('(', o);
    expr_sql(s, e->kids[0]);
    fputs(" IN (", o);
    kids(s, e, 1, ", ");
    fputs("))", o);
    s->truth = was;
    if (exact)
        fputc(')', o);
}

/* ClickHouse folds case by lower() on both sides, which is exact only when
 * the pattern's letters are all literals (no \W-style class names them). */
static int lower_pattern(sql *s, const char *pattern, char *buf, size_t len)
{
    size_t n = strlen(pattern);
    if (n >= len)
        return emit_refuse(s->c, "a case-insensitive regex this long (match() ignores (?i))");
    for (size_t i = 0; i < n; i++) {
        char ch = pattern[i];
        if (ch == '\\' && i + 1 < n && pattern[i + 1] >= 'A' && pattern[i + 1] <= 'Z')
            return emit_refuse(s->c, "the case-insensitive regex /%s/ (match() ignores (?i), "
                                     "and \\%c cannot be lowered)", pattern, pattern[i + 1]);
        buf[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
        if (ch == '\\' && i + 1 < n) {
            buf[i + 1] = pattern[i + 1];
            i++;
        }
    }
    buf[n] = '\0';
    return 0;
}

static void regex_call(sql *s, const expr *subject, const char *pattern, int caseless)
{
    FILE *o = s->c->out;
    char lowered[4096];
    switch (s->d->id) {
    case SQL_DUCKDB:
        fputs("regexp_matches(", o);
        expr_sql(s, subject);
        fputs(", ", o);
        cstring_lit(s, pattern);
        fputs(caseless ? ", 'i')" : ")", o);
        break;
    case SQL_POSTGRES:
        fputc('(', o);
        expr_sql(s, subject);
        fputs(caseless ? " ~* " : " ~ ", o);
        cstring_lit(s, pattern);
        fputc(')', o);
        break;
    case SQL_CLICKHOUSE:
        if (caseless && lower_pattern(s, pattern, lowered, sizeof lowered))
            return;
        fputs(caseless ? "match(lower(" : "match((", o);
        expr_sql(s, subject);
        fputs("), ", o);
        cstring_lit(s, caseless ? lowered : pattern);
        fputc(')', o);
        break;
    case SQL_SPARK:
        fputc('(', o);
        expr_sql(s, subject);
        fputs(" RLIKE ", o);
        fputs(caseless ? "concat('(?i)', " : "(", o);
        cstring_lit(s, pattern);
        fputs("))", o);
        break;
    }
}

static void regex(sql *s, const expr *e)
{
    int caseless;
    const char *pattern = emit_regex_caseless(e, &caseless);
    if (emit_regex_portable(s->c, pattern) == 0)
        regex_call(s, e->kids[0], pattern, caseless);
}

static void cidr(sql *s, const expr *e)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        xoom(0);
    int rc = emit_cidr_regex(s->c, e, m);
    fclose(m);
    if (rc == 0)
        regex_call(s, e->kids[0], text, 0);
    free(text);
}

/* Renders e where only TRUE counts. */
static void truth_sql(sql *s, const expr *e)
{
    int was = s->truth;
    s->truth = 1;
    expr_sql(s, e);
    s->truth = was;
}

static void istrue(sql *s, const expr *e)
{
    fputs(s->d->id == SQL_CLICKHOUSE ? "ifNull(" : "COALESCE(", s->c->out);
    truth_sql(s, e->kids[0]);
    fprintf(s->c->out, ", %s)", s->d->no);
}

static void case_sql(sql *s, const expr *e)
{
    FILE *o = s->c->out;
    fputs("CASE", o);
    unsigned k = 0;
    for (; k + 1 < e->nkids; k += 2) {
        fputs(" WHEN ", o);
        truth_sql(s, e->kids[k]);
        fputs(" THEN ", o);
        expr_sql(s, e->kids[k + 1]);
    }
    if (k < e->nkids) {
        fputs(" ELSE ", o);
        expr_sql(s, e->kids[k]);
    }
    fputs(" END", o);
}

static void cast_text(sql *s, const expr *a)
{
    FILE *o = s->c->out;
    if (s->d->id == SQL_CLICKHOUSE) {
        fputs("toString(", o);
        expr_sql(s, a);
        fputc(')', o);
        return;
    }
    fputs("CAST(", o);
    expr_sql(s, a);
    fprintf(o, " AS %s)", s->d->text);
}

/* A number from text or a number, NULL when it is not one (never an error:
 * mailc2's int() and float() give NULL). */
static void to_double(sql *s, const expr *a)
{
    FILE *o = s->c->out;
    switch (s->d->id) {
    case SQL_CLICKHOUSE:
        fputs("toFloat64OrNull(", o);
        cast_text(s, a);
        fputc(')', o);
        break;
    case SQL_POSTGRES:
        fputs("(CASE WHEN ", o);
        cast_text(s, a);
        fputs(" ~ '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$' THEN CAST(", o);
        cast_text(s, a);
        fputs(" AS double precision) END)", o);
        break;
    default:
        fputs("TRY_CAST(", o);
        expr_sql(s, a);
        fprintf(o, " AS %s)", s->d->dbl);
    }
}

static void to_int(sql *s, const expr *a)
{
    FILE *o = s->c->out;
    fputs(s->d->id == SQL_CLICKHOUSE ? "toInt64(trunc(" : "CAST(trunc(", o);
    to_double(s, a);
    fputs(s->d->id == SQL_CLICKHOUSE ? "))" : ") AS BIGINT)", o);
}

static void basename_sql(sql *s, const expr *a)
{
    FILE *o = s->c->out;
    fputs(s->d->id == SQL_CLICKHOUSE ? "replaceRegexpOne(" : "regexp_replace(", o);
    expr_sql(s, a);
    fputs(", ", o);
    cstring_lit(s, "^.*[\\\\/]");
    fputs(", '')", o);
}

static void call(sql *s, const expr *e)
{
    FILE *o = s->c->out;
    switch (e->op) {
    case FN_LOWER:
    case FN_UPPER:
        fputs(e->op == FN_LOWER ? "lower(" : "upper(", o);
        expr_sql(s, e->kids[0]);
        fputc(')', o);
        break;
    case FN_STR:      cast_text(s, e->kids[0]); break;
    case FN_FLOAT:    to_double(s, e->kids[0]); break;
    case FN_INT:      to_int(s, e->kids[0]); break;
    case FN_BASENAME: basename_sql(s, e->kids[0]); break;
    case FN_STRLEN:
        fputs("length(", o);
        cast_text(s, e->kids[0]);
        fputc(')', o);
        break;
    default:
        emit_refuse(s->c, "the function %s()", e->op == FN_CONCAT ? "concat"
                                              : e->op == FN_SUBSTRING ? "substring"
                                                                      : "dateformat");
    }
}

static const char *const cmp_sql[] = {" = ", " <> ", " < ", " <= ", " > ", " >= "};

/* AND and OR pass "only TRUE counts" to their operands (Kleene AND is TRUE
 * only when all are, OR when one is); every other node takes it away. */
static void expr_sql(sql *s, const expr *e)
{
    if (s->c->refused)
        return;
    if (e->kind == EX_AND || e->kind == EX_OR || e->kind == EX_ISTRUE) {
        node_sql(s, e);
        return;
    }
    int was = s->truth;
    if (e->kind != EX_IN) /* IN reads the flag itself, for its own node */
        s->truth = 0;
    node_sql(s, e);
    s->truth = was;
}

static void node_sql(sql *s, const expr *e)
{
    FILE *o = s->c->out;
    switch (e->kind) {
    case EX_LIT:    literal(s, &e->lit); break;
    case EX_FIELD:  field_ref(s, e); break;
    case EX_NOW:    now_ms(s); break;
    case EX_AND:
    case EX_OR:     logic(s, e); break;
    case EX_NOT:
        fputs("(NOT ", o);
        expr_sql(s, e->kids[0]);
        fputc(')', o);
        break;
    case EX_CMP:
        fputc('(', o);
        expr_sql(s, e->kids[0]);
        fputs(cmp_sql[e->op], o);
        expr_sql(s, e->kids[1]);
        fputc(')', o);
        break;
    case EX_ARITH:
        if (e->op == AR_DIV) {
            emit_refuse(s->c, "division (each engine rounds integers its own way)");
            return;
        }
        fputc('(', o);
        expr_sql(s, e->kids[0]);
        fputs(e->op == AR_ADD ? " + " : e->op == AR_SUB ? " - " : " * ", o);
        expr_sql(s, e->kids[1]);
        fputc(')', o);
        break;
    case EX_IN:     in_list(s, e); break;
    case EX_REGEX:  regex(s, e); break;
    case EX_ISNULL:
        fputc('(', o);
        expr_sql(s, e->kids[0]);
        fputs(" IS NULL)", o);
        break;
    case EX_CASE:   case_sql(s, e); break;
    case EX_CALL:   call(s, e); break;
    case EX_CIDR:   cidr(s, e); break;
    case EX_ISTRUE: istrue(s, e); break;
    default:        emit_refuse(s->c, "a regex capture group"); break;
    }
}

static void agg_sql(sql *s, const plan_agg *a)
{
    static const char *const fn[] = {"COUNT", "COUNT", "SUM", "MIN", "MAX", "AVG"};
    FILE *o = s->c->out;
    if (a->fn == AGG_FIRST || a->fn == AGG_TIMES) {
        emit_refuse(s->c, a->fn == AGG_FIRST ? "the aggregate first() (the order of events)"
                                             : "the aggregate times() (the earliest times as "
                                               "text)");
        return;
    }
    if (!a->arg) {
        fputs(s->d->id == SQL_CLICKHOUSE ? "count()" : "COUNT(*)", o);
        return;
    }
    fprintf(o, "%s(%s", fn[a->fn], a->fn == AGG_COUNT_DISTINCT ? "DISTINCT " : "");
    if (a->numeric) /* LogScale's min/max compare numbers, skipping others */
        to_double(s, a->arg);
    else
        expr_sql(s, a->arg);
    fputc(')', o);
}

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
            column(s, col);
        else
            field_ref(s, &(expr){.kind = EX_FIELD, .slot = col});
        fputs(" AS ", s->c->out);
        ident(s, name);
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
        field_ref(s, &t);
        fputs(" > ", o);
        now_ms(s);
        fprintf(o, " - %" PRId64 ")\n  AND (", p->window_ms);
        field_ref(s, &t);
        fputs(" <= ", o);
        now_ms(s);
        fputc(')', o);
        n++;
    }
    for (int k = 0; k < p->nsteps; k++) {
        if (p->steps[k].slot != STEP_FILTER)
            continue; /* evals are inlined; notes only count */
        fputs(n++ ? "\n  AND " : "\nWHERE ", o);
        truth_sql(s, p->steps[k].e);
    }
}

static void group_having(sql *s)
{
    const plan *p = s->c->p;
    FILE *o = s->c->out;
    for (int k = 0; k < p->nkeys; k++) {
        fputs(k ? ", " : "\nGROUP BY ", o);
        expr_sql(s, p->keys[k]);
    }
    s->post = 1;
    for (int k = 0, n = 0; k < p->npost; k++) {
        if (p->post[k].slot >= 0)
            continue;
        fputs(n++ ? "\n  AND " : "\nHAVING ", o);
        truth_sql(s, p->post[k].e);
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
        expr_sql(s, so->type == SORT_VALUE ? &ref : &wrapped);
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
    ident(&s, c->o->table ? c->o->table : "events");
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
