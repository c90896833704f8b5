/* kql: the plan as a Kusto (KQL) query for Microsoft Sentinel or Defender
 * over the table --table names (default events), columns named as the
 * query's own fields, times in epoch milliseconds (the SQL targets' native
 * schema). Comparisons are KQL's case-sensitive ==, in (); lower()
 * becomes tolower(); regexes are `matches regex` (RE2, a search; (?i) for
 * case), networks a regex over the canonical address text (cidr.c). KQL
 * has no NULL string: a missing text column is the empty string, so the
 * plan's "is null" is isempty() and an empty value counts as missing.
 * NULL logic follows pipe.h; a case without an else gets "" when its
 * values are text (KQL's missing text). Refused, besides what pipe.c
 * refuses: any other case without an else (case() needs one), count distinct (dcount() is
 * an estimate), basename(), concat(), substring(), dateformat(). int() is
 * tested and converted as mailc2 reads numbers (to_int below). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <inttypes.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emit/pipe.h"

/* Words of the language that a column name must not be written as bare. */
static int keyword(const char *s)
{
    static const char *const words[] = {"and", "as", "by", "case", "count", "extend", "false", "in", "not", "or", "project", "sort", "summarize", "take", "true", "where"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(s, words[i]) == 0)
            return 1;
    return 0;
}

static void name(FILE *o, const char *s)
{
    int plain = *s && !(*s >= '0' && *s <= '9') && !keyword(s);
    for (const char *c = s; *c; c++)
        plain &= (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                 *c == '_';
    if (plain) {
        fputs(s, o);
        return;
    }
    fputs("['", o);
    for (; *s; s++)
        fputs(*s == '\'' ? "\\'" : *s == '\\' ? "\\\\" : (char[2]){*s, 0}, o);
    fputs("']", o);
}

static void string(FILE *o, const char *s, size_t n)
{
    fputc('"', o);
    for (size_t i = 0; i < n; i++)
        fputs(s[i] == '"' ? "\\\"" : s[i] == '\\' ? "\\\\" : (char[2]){s[i], 0}, o);
    fputc('"', o);
}

/* A verbatim string @"...": backslashes stay as the regex wrote them. */
static int regex(pipe_q *q, const expr *x, const char *pattern, int caseless, uint32_t flags)
{
    FILE *o = q->c->out;
    pipe_value(q, x);
    fprintf(o, " matches regex @\"%s%s%s", caseless ? "(?i)" : "",
            flags & PCRE2_MULTILINE ? "(?m)" : "", flags & PCRE2_DOTALL ? "(?s)" : "");
    for (; *pattern; pattern++)
        fputs(*pattern == '"' ? "\"\"" : (char[2]){*pattern, 0}, o);
    fputc('"', o);
    return q->c->refused ? -1 : 0;
}

static void now_ms(pipe_q *q)
{
    fputs("datetime_diff('millisecond', now(), datetime(1970-01-01))", q->c->out);
}

/* int(): the text is tested first, so that tolong() only ever reads what
 * mailc2 reads as a number (tolong() returns null where it cannot convert,
 * learn.microsoft.com, Kusto: tolong()). An integer goes to tolong() whole,
 * without its '+', so it stays exact past 2^53; a decimal or exponent
 * form is truncated toward zero by ceiling() on the double (todouble(),
 * ceiling()), not by tolong()'s own rounding of reals, which the
 * reference leaves unsaid. Verbatim @"" strings keep the backslashes. */
static const char to_int[] =
    "iff(tostring({x}) matches regex @\"^[+-]?[0-9]+$\", "
    "tolong(trim_start(@\"[+]\", tostring({x}))), "
    "iff(strlen(tostring({x})) < 64 and tostring({x}) matches regex "
    "@\"^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$\", "
    "tolong(iff(todouble({x}) < 0, ceiling(todouble({x})), -ceiling(-todouble({x})))), "
    "long(null)))";

static const pipe_dialect kql = {
    .and_ = " and ", .or_ = " or ", .not_ = "not",
    .cmp = {" == ", " != ", " < ", " <= ", " > ", " >= "},
    .isnull = {"isempty(", ")"}, .notnull = {"isnotempty(", ")"},
    .fn = {"tolower", "toupper", NULL, NULL, "todouble", "tostring", NULL, "strlen", NULL, NULL},
    .to_int = to_int,
    .case_fn = "case", .case_needs_else = 1, .in_op = " in (",
    .where = "| where ", .eval = "| extend ", .assign = " = ",
    .name = name, .string = string, .regex = regex, .cidr = pipe_cidr_regex, .now_ms = now_ms,
};

static int summarize(pipe_q *q)
{
    static const char *const fn[] = {"count", NULL, "sum", "min", "max", "avg"};
    const plan *p = q->c->p;
    FILE *o = q->c->out;
    if (pipe_key_evals(q))
        return -1;
    fputs("| summarize ", o);
    for (int a = 0; a < p->naggs; a++) {
        const plan_agg *g = &p->aggs[a];
        if (!fn[g->fn])
            return emit_refuse(q->c, "the count of distinct values '%s' (dcount() is an "
                                     "estimate)", g->name);
        fputs(a ? ", " : "", o);
        name(o, g->name);
        fprintf(o, " = %s(", fn[g->fn]);
        if (g->arg)
            name(o, pipe_agg_arg_name(p, a));
        fputc(')', o);
    }
    for (int k = 0; k < p->nkeys; k++) {
        const char *field = pipe_key_name(p, k);
        fputs(k ? ", " : " by ", o);
        if (strcmp(field, p->col_name[k])) {
            name(o, p->col_name[k]);
            fputs(" = ", o);
        }
        name(o, field);
    }
    fputc('\n', o);
    q->post = 1;
    for (int k = 0; k < p->npost && !q->c->refused; k++) {
        fputs("| where ", o);
        pipe_cond(q, p->post[k].e);
        fputc('\n', o);
    }
    return q->c->refused ? -1 : 0;
}

/* AQL puts NULL lowest: first ascending, last descending; the others last. */
static void sort_take(pipe_q *q)
{
    const plan *p = q->c->p;
    FILE *o = q->c->out;
    for (int i = 0; i < p->nsort; i++) {
        const plan_sort *s = &p->sort[i];
        int first = (p->collate & COLLATE_NULLS_LOW) && !s->desc;
        fputs(i ? ", " : "| sort by ", o);
        name(o, plan_column_name(p, s->col));
        fprintf(o, " %s nulls %s", s->desc ? "desc" : "asc", first ? "first" : "last");
    }
    fputs(p->nsort ? "\n" : "", o);
    if (p->limit >= 0)
        fprintf(o, "| take %" PRId64 "\n", p->limit);
}

static void project(pipe_q *q)
{
    const plan *p = q->c->p;
    FILE *o = q->c->out;
    for (int i = 0; i < p->nproj; i++) {
        const char *from = plan_column_name(p, p->proj[i]);
        fputs(i ? ", " : "| project ", o);
        name(o, p->proj_name[i]);
        if (from && strcmp(from, p->proj_name[i])) {
            fputs(" = ", o);
            name(o, from);
        }
    }
    fputs(p->nproj ? "\n" : "", o);
}

int emit_kql(emit_ctx *c)
{
    pipe_q q = {c, &kql, 0};
    if (pipe_check(&q))
        return -1;
    name(c->out, c->o->table ? c->o->table : "events");
    fputc('\n', c->out);
    pipe_window(&q);
    if (pipe_steps(&q) || (c->p->has_agg && summarize(&q)))
        return -1;
    sort_take(&q);
    project(&q);
    return c->refused ? -1 : 0;
}
