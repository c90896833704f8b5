/* spl: the plan as a Splunk SPL search over the events of one index
 * (--table, default events) whose fields are the query's own names, with
 * times in epoch milliseconds as the SQL targets' native schema has them.
 * Every test is an eval expression in `| where` (case-sensitive, unlike
 * the search command): match() for regexes (PCRE, a search, (?i) for
 * case), isnull()/isnotnull(), in(). NULL follows pipe.h; a group key
 * that may be missing is filled before stats, which would leave such
 * events out, and made null again after (MISSING_KEY). Refused, besides
 * what pipe.c refuses: a sort on a column that may be missing (SPL places
 * those by its own rule), basename(), concat(), substring(), dateformat().
 * int() is tested and converted as mailc2 reads numbers (to_int below). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <inttypes.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "emit/pipe.h"

static int plain_name(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

/* In an eval expression a name that is not a plain word is single-quoted. */
static void eval_name(FILE *o, const char *name)
{
    fprintf(o, plain_name(name) ? "%s" : "'%s'", name);
}

/* In a command's arguments (stats, rename, table, sort) it is double-quoted. */
static void arg_name(FILE *o, const char *name)
{
    fprintf(o, plain_name(name) ? "%s" : "\"%s\"", name);
}

static void string(FILE *o, const char *s, size_t n)
{
    fputc('"', o);
    for (size_t i = 0; i < n; i++)
        fputs(s[i] == '"' ? "\\\"" : s[i] == '\\' ? "\\\\" : (char[2]){s[i], 0}, o);
    fputc('"', o);
}

static void regex_text(FILE *o, const char *pattern, int caseless, uint32_t flags)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%s%s%s", caseless ? "(?i)" : "", flags & PCRE2_MULTILINE ? "(?m)" : "",
             flags & PCRE2_DOTALL ? "(?s)" : "");
    fputc('"', o);
    for (const char *s = buf; *s; s++)
        fputc(*s, o);
    for (; *pattern; pattern++)
        fputs(*pattern == '"' ? "\\\"" : *pattern == '\\' ? "\\\\" : (char[2]){*pattern, 0}, o);
    fputc('"', o);
}

static int regex(pipe_q *q, const expr *x, const char *pattern, int caseless, uint32_t flags)
{
    fputs("match(", q->c->out);
    pipe_value(q, x);
    fputs(", ", q->c->out);
    regex_text(q->c->out, pattern, caseless, flags);
    fputc(')', q->c->out);
    return q->c->refused ? -1 : 0;
}

static void now_ms(pipe_q *q)
{
    fputs("(now() * 1000)", q->c->out);
}

/* int(): the text is tested first with match() (PCRE, so anchored here),
 * so that tonumber() only ever reads what mailc2 reads as a number
 * (docs.splunk.com, Search Reference: conversion functions tonumber,
 * tostring; text functions ltrim, len; comparison and conditional
 * functions if, match, null). A decimal or exponent form is truncated
 * toward zero by ceiling()/floor() (mathematical functions). SPL computes
 * in doubles (Search Reference: eval, numeric calculations), so an integer
 * past 2^53 is rounded there as anywhere in Splunk. */
static const char to_int[] =
    "if(match(tostring({x}), \"^[+-]?[0-9]+$\"), tonumber(ltrim(tostring({x}), \"+\")), "
    "if(len(tostring({x})) < 64 AND match(tostring({x}), "
    "\"^[+-]?([0-9]+\\\\.?[0-9]*|\\\\.[0-9]+)([eE][+-]?[0-9]+)?$\"), "
    "if(tonumber(tostring({x})) < 0, ceiling(tonumber(tostring({x}))), "
    "floor(tonumber(tostring({x})))), null()))";

static const pipe_dialect spl = {
    .and_ = " AND ", .or_ = " OR ", .not_ = "NOT ",
    .cmp = {"==", "!=", "<", "<=", ">", ">="},
    .isnull = {"isnull(", ")"}, .notnull = {"isnotnull(", ")"},
    .fn = {"lower", "upper", NULL, NULL, "tonumber", "tostring", NULL, "len", NULL, NULL},
    .to_int = to_int,
    .case_fn = "case", .case_else = "true()", .in_function = 1,
    .where = "| where ", .eval = "| eval ", .assign = "=",
    .name = eval_name, .string = string, .regex = regex, .cidr = pipe_cidr_regex, .now_ms = now_ms,
};

/* What a missing group key is while stats runs: stats leaves out an event
 * without a by field, where the plan groups it under NULL, so a key that
 * may be missing is filled with this text first and made null again after
 * (docs.splunk.com, Search Reference: fillnull "value=<string>
 * <field-list>", a field that did not exist is created; eval's if() and
 * null()). An event whose key really is this text joins the NULL group. */
#define MISSING_KEY "mailc2:null"

/* The keys that may be missing, as fillnull's field list or (restore)
 * an eval that turns MISSING_KEY back into null. Nothing when none may. */
static void missing_keys(pipe_q *q, int restore)
{
    const plan *p = q->c->p;
    FILE *o = q->c->out;
    int n = 0;
    for (int k = 0; k < p->nkeys; k++) {
        if (emit_key_present(p, k))
            continue;
        const char *key = pipe_key_name(p, k);
        if (n++)
            fputs(restore ? ", " : " ", o);
        else
            fputs(restore ? "| eval " : "| fillnull value=\"" MISSING_KEY "\" ", o);
        if (restore) {
            eval_name(o, key);
            fputs("=if(", o);
            eval_name(o, key);
            fputs("==\"" MISSING_KEY "\", null(), ", o);
            eval_name(o, key);
            fputc(')', o);
        } else {
            arg_name(o, key);
        }
    }
    fputs(n ? "\n" : "", o);
}

static int stats(pipe_q *q)
{
    static const char *const fn[] = {"count", "dc", "sum", "min", "max", "avg"};
    const plan *p = q->c->p;
    FILE *o = q->c->out;
    if (pipe_key_evals(q))
        return -1;
    missing_keys(q, 0);
    fputs("| stats ", o);
    for (int a = 0; a < p->naggs; a++) {
        const plan_agg *g = &p->aggs[a];
        fprintf(o, "%s%s", a ? ", " : "", fn[g->fn]);
        if (g->arg) {
            fputc('(', o);
            arg_name(o, pipe_agg_arg_name(p, a));
            fputc(')', o);
        }
        fputs(" AS ", o);
        arg_name(o, g->name);
    }
    for (int k = 0; k < p->nkeys; k++) {
        fputs(k ? " " : " by ", o);
        arg_name(o, pipe_key_name(p, k));
    }
    fputc('\n', o);
    missing_keys(q, 1);
    for (int k = 0; k < p->nkeys; k++)
        if (strcmp(pipe_key_name(p, k), p->col_name[k])) {
            fputs("| rename ", o);
            arg_name(o, pipe_key_name(p, k));
            fputs(" AS ", o);
            arg_name(o, p->col_name[k]);
            fputc('\n', o);
        }
    q->post = 1;
    for (int k = 0; k < p->npost && !q->c->refused; k++) {
        fputs("| where ", o);
        pipe_cond(q, p->post[k].e);
        fputc('\n', o);
    }
    return q->c->refused ? -1 : 0;
}

/* A column that is never missing: a count, or a key the filters keep. */
static int always_there(const plan *p, int col)
{
    if (!p->has_agg)
        return 0;
    if (col < p->nkeys)
        return emit_key_present(p, col);
    return emit_count_column(p, col);
}

static int sort_head(pipe_q *q)
{
    static const char *const type[] = {"", "num(", "str("};
    const plan *p = q->c->p;
    FILE *o = q->c->out;
    for (int i = 0; i < p->nsort; i++) {
        const plan_sort *s = &p->sort[i];
        if (!always_there(p, s->col))
            return emit_refuse(q->c, "a sort on '%s', which may be missing (SPL orders missing "
                                     "values by its own rule)", plan_column_name(p, s->col));
        fputs(i ? " " : "| sort 0 ", o);
        fprintf(o, "%s%s", s->desc ? "-" : "+", type[s->type]);
        arg_name(o, plan_column_name(p, s->col));
        fputs(s->type ? ")" : "", o);
    }
    fputs(p->nsort ? "\n" : "", o);
    if (p->limit >= 0)
        fprintf(o, "| head %" PRId64 "\n", p->limit);
    return 0;
}

static void table(pipe_q *q)
{
    const plan *p = q->c->p;
    FILE *o = q->c->out;
    for (int i = 0; i < p->nproj; i++) {
        const char *from = plan_column_name(p, p->proj[i]);
        if (from && strcmp(from, p->proj_name[i])) {
            fputs("| rename ", o);
            arg_name(o, from);
            fputs(" AS ", o);
            arg_name(o, p->proj_name[i]);
            fputc('\n', o);
        }
    }
    for (int i = 0; i < p->nproj; i++) {
        fputs(i ? " " : "| table ", o);
        arg_name(o, p->proj_name[i]);
    }
    fputs(p->nproj ? "\n" : "", o);
}

int emit_spl(emit_ctx *c)
{
    pipe_q q = {c, &spl, 0};
    if (pipe_check(&q))
        return -1;
    fputs("search index=", c->out);
    string(c->out, c->o->table ? c->o->table : "events", strlen(c->o->table ? c->o->table : "events"));
    fputc('\n', c->out);
    pipe_window(&q);
    if (pipe_steps(&q) || (c->p->has_agg && stats(&q)) || sort_head(&q))
        return -1;
    table(&q);
    return c->refused ? -1 : 0;
}
