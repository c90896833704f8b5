/* sql_expr: the plan's expressions in one SQL dialect (sql_int.h): fields
 * of the native or the OCSF table, literals, SQL's three-valued logic (as
 * ClickHouse 18.16 needs it encoded), casts that do not fail, regular
 * expressions and networks, and the aggregates a result column holds. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emit/ocsf.h"
#include "emit/sql_int.h"

static void node_sql(sql *s, const expr *e);

void sql_ident(const sql *s, const char *name)
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
void sql_now(const sql *s)
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
        sql_ident(s, p->slot_name[slot]);
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
        sql_ident(s, col);      /* a flattened copy: one column per leaf */
}

/* A result column: the key, the aggregate or the post eval that makes it. */
static void agg_sql(sql *s, const plan_agg *a);

void sql_column(sql *s, int col)
{
    const plan *p = s->c->p;
    int post = s->post;
    s->post = 0;
    if (col < p->nkeys) {
        sql_expr(s, p->keys[col]);
    } else if (col < p->nkeys + p->naggs) {
        agg_sql(s, &p->aggs[col - p->nkeys]);
    } else {
        s->post = 1;
        for (int k = 0; k < p->npost; k++)
            if (p->post[k].slot == col)
                sql_expr(s, p->post[k].e);
    }
    s->post = post;
}

void sql_field_ref(sql *s, const expr *e)
{
    if (s->post) {
        sql_column(s, e->slot);
        return;
    }
    const expr *def = emit_eval_def(s->c->p, e->slot);
    if (def) {
        fputc('(', s->c->out);
        sql_expr(s, def);
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
        sql_expr(s, e->kids[k]);
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
        sql_expr(s, e->kids[k]);
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
        sql_expr(s, e->kids[0]);
        fputs("), NULL, ", o);
    }
    int was = s->truth;
    s->truth = 0;
    fputc('(', o);
    sql_expr(s, e->kids[0]);
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
        sql_expr(s, subject);
        fputs(", ", o);
        cstring_lit(s, pattern);
        fputs(caseless ? ", 'i')" : ")", o);
        break;
    case SQL_POSTGRES:
        fputc('(', o);
        sql_expr(s, subject);
        fputs(caseless ? " ~* " : " ~ ", o);
        cstring_lit(s, pattern);
        fputc(')', o);
        break;
    case SQL_CLICKHOUSE:
        if (caseless && lower_pattern(s, pattern, lowered, sizeof lowered))
            return;
        fputs(caseless ? "match(lower(" : "match((", o);
        sql_expr(s, subject);
        fputs("), ", o);
        cstring_lit(s, caseless ? lowered : pattern);
        fputc(')', o);
        break;
    case SQL_SPARK:
        fputc('(', o);
        sql_expr(s, subject);
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
void sql_truth(sql *s, const expr *e)
{
    int was = s->truth;
    s->truth = 1;
    sql_expr(s, e);
    s->truth = was;
}

static void istrue(sql *s, const expr *e)
{
    fputs(s->d->id == SQL_CLICKHOUSE ? "ifNull(" : "COALESCE(", s->c->out);
    sql_truth(s, e->kids[0]);
    fprintf(s->c->out, ", %s)", s->d->no);
}

static void case_sql(sql *s, const expr *e)
{
    FILE *o = s->c->out;
    fputs("CASE", o);
    unsigned k = 0;
    for (; k + 1 < e->nkids; k += 2) {
        fputs(" WHEN ", o);
        sql_truth(s, e->kids[k]);
        fputs(" THEN ", o);
        sql_expr(s, e->kids[k + 1]);
    }
    if (k < e->nkids) {
        fputs(" ELSE ", o);
        sql_expr(s, e->kids[k]);
    }
    fputs(" END", o);
}

static void cast_text(sql *s, const expr *a)
{
    FILE *o = s->c->out;
    if (s->d->id == SQL_CLICKHOUSE) {
        fputs("toString(", o);
        sql_expr(s, a);
        fputc(')', o);
        return;
    }
    fputs("CAST(", o);
    sql_expr(s, a);
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
        sql_expr(s, a);
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
    sql_expr(s, a);
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
        sql_expr(s, e->kids[0]);
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

/* `(a OP b)` for a two-operand expression. */
static void infix(sql *s, const expr *e, const char *op)
{
    fputc('(', s->c->out);
    sql_expr(s, e->kids[0]);
    fputs(op, s->c->out);
    sql_expr(s, e->kids[1]);
    fputc(')', s->c->out);
}

/* AND and OR pass "only TRUE counts" to their operands (Kleene AND is TRUE
 * only when all are, OR when one is); every other node takes it away. */
void sql_expr(sql *s, const expr *e)
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
    case EX_FIELD:  sql_field_ref(s, e); break;
    case EX_NOW:    sql_now(s); break;
    case EX_AND:
    case EX_OR:     logic(s, e); break;
    case EX_NOT:
        fputs("(NOT ", o);
        sql_expr(s, e->kids[0]);
        fputc(')', o);
        break;
    case EX_CMP:    infix(s, e, cmp_sql[e->op]); break;
    case EX_ARITH:
        if (e->op == AR_DIV) {
            emit_refuse(s->c, "division (each engine rounds integers its own way)");
            return;
        }
        infix(s, e, e->op == AR_ADD ? " + " : e->op == AR_SUB ? " - " : " * ");
        break;
    case EX_IN:     in_list(s, e); break;
    case EX_REGEX:  regex(s, e); break;
    case EX_ISNULL:
        fputc('(', o);
        sql_expr(s, e->kids[0]);
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
        sql_expr(s, a->arg);
    fputc(')', o);
}
