/* esql: the plan as an Elasticsearch ES|QL query (FROM the index --table
 * names, default events; fields named as the query's own, times in epoch
 * milliseconds as the SQL targets' native schema). Comparisons are
 * case-sensitive (==, IN), lower() is TO_LOWER(), NULL tests are IS NULL
 * and NULL logic follows pipe.h. A regex becomes RLIKE, whose Lucene
 * expressions match the whole value and know fewer constructs: the
 * pattern is rewritten (.* where PCRE's search is unanchored, (?: as (,
 * \d as [0-9], Lucene's operator characters # @ & < > ~ escaped) and a
 * case-insensitive one compares TO_LOWER() of the value with the pattern
 * lowered; Lucene's . also matches a newline. The m option's ^ and $
 * (at a line's start and end) are written as optional lines around it. Networks are CIDR_MATCH()
 * over TO_IP(). ES|QL returns at most 10,000 rows: a plan without a limit
 * is written with LIMIT 10000. Refused, besides what pipe.c refuses:
 * count distinct (COUNT_DISTINCT is an estimate), regex escapes, anchors
 * and groups Lucene lacks (\w, \s, \b, a ^ or $ inside, (?=...), a
 * top-level | between anchored branches), basename(), concat(),
 * substring(), dateformat(). int() is tested and converted as mailc2
 * reads numbers (to_int below). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <arpa/inet.h>
#include <inttypes.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emit/pipe.h"

/* Words of the language that a column name must not be written as bare. */
static int keyword(const char *s)
{
    static const char *const words[] = {"and", "as", "asc", "by", "desc", "first", "from", "in", "is", "last", "like", "limit", "not", "null", "nulls", "or", "rlike", "true", "false", "where"};
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
    fputc('`', o);
    for (; *s; s++)
        fputs(*s == '`' ? "``" : (char[2]){*s, 0}, o);
    fputc('`', o);
}

static void string(FILE *o, const char *s, size_t n)
{
    fputc('"', o);
    for (size_t i = 0; i < n; i++)
        fputs(s[i] == '"' ? "\\\"" : s[i] == '\\' ? "\\\\" : s[i] == '\n' ? "\\n" : (char[2]){s[i], 0}, o);
    fputc('"', o);
}

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static char lower_if(char c, int lower)
{
    return lower && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* `\c` in PCRE as Lucene writes it: a punctuation character stays
 * escaped, \d is [0-9] (0-9 inside a class). */
static int escape(pipe_q *q, char c, int in_class, FILE *o)
{
    if (c && !is_alnum(c) && (unsigned char)c < 0x80)
        return fprintf(o, "\\%c", c), 0;
    if (c == 'd')
        return fputs(in_class ? "0-9" : "[0-9]", o), 0;
    return emit_refuse(q->c, "the regex escape '\\%c' in Lucene's RLIKE", c);
}

/* A character class, from its '[' to its ']': the index after it. */
static size_t klass(pipe_q *q, const char *re, size_t i, size_t n, int lower, FILE *o)
{
    fputc('[', o);
    i++;
    if (i < n && re[i] == '^')
        fputc(re[i++], o);
    for (int first = 1; i < n && (first || re[i] != ']'); i++, first = 0) {
        if (re[i] == '\\' && i + 1 < n) {
            if (escape(q, re[++i], 1, o))
                return n;
            continue;
        }
        if (re[i] == '[')
            return emit_refuse(q->c, "a POSIX class or nested [ in Lucene's RLIKE"), n;
        fputc(lower_if(re[i], lower), o);
    }
    fputc(']', o);
    return i + 1;
}

/* Whether re[from, to) has a | outside groups and classes. */
static int top_alternation(const char *re, size_t from, size_t to)
{
    int depth = 0, in_class = 0;
    for (size_t i = from; i < to; i++) {
        if (re[i] == '\\')
            i++;
        else if (in_class)
            in_class = re[i] != ']';
        else if (re[i] == '[')
            in_class = 1;
        else if (re[i] == '(' || re[i] == ')')
            depth += re[i] == '(' ? 1 : -1;
        else if (re[i] == '|' && depth == 0)
            return 1;
    }
    return 0;
}

static int body(pipe_q *q, const char *re, size_t from, size_t to, int lower, FILE *o)
{
    for (size_t i = from; i < to && !q->c->refused;) {
        char c = re[i];
        if (c == '\\' && i + 1 < to) {
            escape(q, re[i + 1], 0, o);
            i += 2;
        } else if (c == '[') {
            i = klass(q, re, i, to, lower, o);
        } else if (c == '(' && i + 1 < to && re[i + 1] == '?') {
            if (i + 2 >= to || re[i + 2] != ':')
                return emit_refuse(q->c, "the regex group '(?%c' in Lucene's RLIKE", re[i + 2]);
            fputc('(', o);
            i += 3;
        } else if (c == '^' || c == '$') {
            return emit_refuse(q->c, "a regex anchor inside the pattern in Lucene's RLIKE");
        } else {
            if (strchr("#@&<>~\"", c))
                fputc('\\', o);
            fputc(lower_if(c, lower), o);
            i++;
        }
    }
    return q->c->refused ? -1 : 0;
}

/* PCRE's search as one Lucene expression over the whole value. With the
 * m option ^ also matches after a newline and $ before one: (.*\n)? and
 * (\n.*)? around the body say that, Lucene's . matching newlines too. */
static int lucene(pipe_q *q, const char *re, int lower, int lines, FILE *o)
{
    size_t n = strlen(re), from = re[0] == '^', to = n, slashes = 0;
    while (n >= 2 + slashes && re[n - 2 - slashes] == '\\')
        slashes++;
    if (n > from && re[n - 1] == '$' && slashes % 2 == 0)
        to = n - 1;
    int alt = top_alternation(re, from, to);
    if (alt && (from || to < n))
        return emit_refuse(q->c, "a top-level | between anchored branches in Lucene's RLIKE");
    fputs(!from ? ".*" : lines ? "(.*\n)?" : "", o);
    fputs(alt ? "(" : "", o);
    body(q, re, from, to, lower, o);
    fputs(alt ? ")" : "", o);
    fputs(to == n ? ".*" : lines ? "(\n.*)?" : "", o);
    return q->c->refused ? -1 : 0;
}

static int regex(pipe_q *q, const expr *x, const char *pattern, int caseless, uint32_t flags)
{
    FILE *o = q->c->out;
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m)
        xoom(0);
    int rc = lucene(q, pattern, caseless, (flags & PCRE2_MULTILINE) != 0, m);
    fclose(m);
    if (rc == 0) {
        fputs(caseless ? "TO_LOWER(" : "", o);
        pipe_value(q, x);
        fputs(caseless ? ") RLIKE " : " RLIKE ", o);
        string(o, text, len);
    }
    free(text);
    return q->c->refused ? -1 : 0;
}

static int cidr(pipe_q *q, const expr *e)
{
    const cidr_net *nets = e->aux;
    FILE *o = q->c->out;
    fputs("CIDR_MATCH(TO_IP(", o);
    pipe_value(q, e->kids[0]);
    fputc(')', o);
    for (int i = 0; i < e->naux; i++) {
        char text[INET6_ADDRSTRLEN];
        inet_ntop(nets[i].family == 4 ? AF_INET : AF_INET6, nets[i].addr, text, sizeof text);
        fprintf(o, ", \"%s/%u\"", text, nets[i].bits);
    }
    fputc(')', o);
    return q->c->refused ? -1 : 0;
}

static void now_ms(pipe_q *q)
{
    fputs("TO_LONG(NOW())", q->c->out);
}

/* int(): the text is tested first, so that TO_LONG only ever reads what
 * mailc2 reads as a number (TO_LONG gives null and a warning where it
 * cannot parse, elastic.co, ES|QL TO_LONG). RLIKE matches the whole
 * value (Lucene regexp syntax), so no anchors; in a class '-' is escaped.
 * An integer goes to TO_LONG whole, its '+' removed by REPLACE (a Java
 * regex), so it stays exact past 2^53; a decimal or exponent form is
 * truncated toward zero by CEIL/FLOOR of TO_DOUBLE, a whole double that
 * TO_LONG converts as it is. */
static const char to_int[] =
    "CASE(TO_STRING({x}) RLIKE \"[+\\\\-]?[0-9]+\", "
    "TO_LONG(REPLACE(TO_STRING({x}), \"^[+]\", \"\")), "
    "LENGTH(TO_STRING({x})) < 64 AND TO_STRING({x}) RLIKE "
    "\"[+\\\\-]?([0-9]+\\\\.?[0-9]*|\\\\.[0-9]+)([eE][+\\\\-]?[0-9]+)?\", "
    "TO_LONG(CASE(TO_DOUBLE({x}) < 0, CEIL(TO_DOUBLE({x})), FLOOR(TO_DOUBLE({x})))), NULL)";

static const pipe_dialect esql = {
    .and_ = " AND ", .or_ = " OR ", .not_ = "NOT ",
    .cmp = {" == ", " != ", " < ", " <= ", " > ", " >= "},
    .isnull = {"(", " IS NULL)"}, .notnull = {"(", " IS NOT NULL)"},
    .fn = {"TO_LOWER", "TO_UPPER", NULL, NULL, "TO_DOUBLE", "TO_STRING", NULL, "LENGTH", NULL,
           NULL},
    .to_int = to_int,
    .case_fn = "CASE", .in_op = " IN (",
    .where = "| WHERE ", .eval = "| EVAL ", .assign = " = ",
    .name = name, .string = string, .regex = regex, .cidr = cidr, .now_ms = now_ms,
};

static void rename_to(FILE *o, const char *from, const char *to)
{
    if (!from || strcmp(from, to) == 0)
        return;
    fputs("| RENAME ", o);
    name(o, from);
    fputs(" AS ", o);
    name(o, to);
    fputc('\n', o);
}

static int stats(pipe_q *q)
{
    static const char *const fn[] = {"COUNT", NULL, "SUM", "MIN", "MAX", "AVG"};
    const plan *p = q->c->p;
    FILE *o = q->c->out;
    if (pipe_key_evals(q))
        return -1;
    fputs("| STATS ", o);
    for (int a = 0; a < p->naggs; a++) {
        const plan_agg *g = &p->aggs[a];
        if (!fn[g->fn])
            return emit_refuse(q->c, "the count of distinct values '%s' (COUNT_DISTINCT is an "
                                     "estimate)", g->name);
        fputs(a ? ", " : "", o);
        name(o, g->name);
        fprintf(o, " = %s(", fn[g->fn]);
        if (g->arg)
            name(o, pipe_agg_arg_name(p, a));
        else
            fputc('*', o);
        fputc(')', o);
    }
    for (int k = 0; k < p->nkeys; k++) {
        fputs(k ? ", " : " BY ", o);
        name(o, pipe_key_name(p, k));
    }
    fputc('\n', o);
    for (int k = 0; k < p->nkeys; k++)
        rename_to(o, pipe_key_name(p, k), p->col_name[k]);
    q->post = 1;
    for (int k = 0; k < p->npost && !q->c->refused; k++) {
        fputs("| WHERE ", o);
        pipe_cond(q, p->post[k].e);
        fputc('\n', o);
    }
    return q->c->refused ? -1 : 0;
}

/* AQL puts NULL lowest: first ascending, last descending; the others last. */
static void sort_limit(pipe_q *q)
{
    const plan *p = q->c->p;
    FILE *o = q->c->out;
    for (int i = 0; i < p->nsort; i++) {
        const plan_sort *s = &p->sort[i];
        int first = (p->collate & COLLATE_NULLS_LOW) && !s->desc;
        fputs(i ? ", " : "| SORT ", o);
        name(o, plan_column_name(p, s->col));
        fprintf(o, " %s NULLS %s", s->desc ? "DESC" : "ASC", first ? "FIRST" : "LAST");
    }
    fputs(p->nsort ? "\n" : "", o);
    /* Without LIMIT ES|QL keeps 1,000 rows; 10,000 is the most it returns. */
    fprintf(o, "| LIMIT %" PRId64 "\n", p->limit >= 0 ? p->limit : 10000);
}

static void keep(pipe_q *q)
{
    const plan *p = q->c->p;
    FILE *o = q->c->out;
    for (int i = 0; i < p->nproj; i++)
        rename_to(o, plan_column_name(p, p->proj[i]), p->proj_name[i]);
    for (int i = 0; i < p->nproj; i++) {
        fputs(i ? ", " : "| KEEP ", o);
        name(o, p->proj_name[i]);
    }
    fputs(p->nproj ? "\n" : "", o);
}

int emit_esql(emit_ctx *c)
{
    pipe_q q = {c, &esql, 0};
    if (pipe_check(&q))
        return -1;
    fputs("FROM ", c->out);
    name(c->out, c->o->table ? c->o->table : "events");
    fputc('\n', c->out);
    pipe_window(&q);
    if (pipe_steps(&q) || (c->p->has_agg && stats(&q)))
        return -1;
    sort_limit(&q);
    keep(&q);
    return c->refused ? -1 : 0;
}
