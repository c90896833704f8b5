/* limits: caps after which the SIEM drops rows without a word.
 *
 * - limit-groups: LogScale's groupBy() keeps 20,000 groups unless told
 *   otherwise (limit=max: GroupMaxLimit, 1,000,000); past it the answer is
 *   a subset and its counts are lower bounds (logscale.md §5).
 * - limit-rows: an explicit row limit (AQL's LIMIT, LogScale's
 *   sort(limit=100)) and LogScale's default of 200 rows for sort(), table()
 *   and a plain event list (the newest 200 events; logscale.md §5). IBM documents no default AQL row limit
 *   (aql.md §3), so an AQL query without LIMIT gets no warning.
 * mailc2 computes the exact answer unless --emulate-limits; the SIEM does
 * not, hence the warnings. */
#include <stdio.h>
#include <string.h>

#include "lint/locate.h"

/* GroupMaxLimit's default; the StateRowLimit sort() and table() may ask
 * for; the newest events a query without an aggregate shows [doc L22]. */
enum { LOGSCALE_GROUP_MAX = 1000000, LOGSCALE_STATE_ROWS = 20000, LOGSCALE_EVENTS = 200 };

static int is_lang(const lint_ctx *c, const char *lang)
{
    return c->p->lang && strcmp(c->p->lang, lang) == 0;
}

static void groups(lint_ctx *c)
{
    const plan *p = c->p;
    if (!p->has_agg || p->group_limit <= 0 || p->group_limit >= LOGSCALE_GROUP_MAX)
        return;
    lint_add(c, "limit-groups", loc_find(c->src, 0, "groupBy", LOC_WORD | LOC_NOCASE),
             "write groupBy(..., limit=max) (up to GroupMaxLimit, 1,000,000 by default) or a "
             "limit above the number of groups you expect",
             "groupBy() keeps at most %lld groups: past that LogScale silently returns a subset "
             "of the groups, and their counts are lower bounds", (long long)p->group_limit);
}

/* Where a LogScale row limit is written or implied: the last limit=, else
 * the function that has a default one. */
static long logscale_row_place(const lint_src *s, int explicit_limit)
{
    static const char *const fns[] = {"sort", "table", "head", "tail"};
    long at = explicit_limit ? loc_find_last(s, (long)s->len + 1, "limit", LOC_WORD) : -1;
    for (size_t i = 0; at < 0 && i < sizeof fns / sizeof fns[0]; i++)
        at = loc_find_last(s, (long)s->len + 1, fns[i], LOC_WORD | LOC_NOCASE);
    return at;
}

static void rows(lint_ctx *c)
{
    const plan *p = c->p;
    int aql = is_lang(c, "aql");
    int event_list = !aql && !p->has_agg && p->limit < 0 && !p->default_row_limit;
    int64_t n = p->limit >= 0 ? p->limit : event_list ? LOGSCALE_EVENTS : p->default_row_limit;
    if (n <= 0)
        return;
    long at = aql ? loc_find(c->src, 0, "LIMIT", LOC_WORD | LOC_NOCASE)
                  : logscale_row_place(c->src, p->limit >= 0);
    if (at < 0 && c->src->text)
        at = 0; /* an event list: the whole query */
    char fix[300];
    if (aql)
        snprintf(fix, sizeof fix, "remove LIMIT, or raise it above the rows you expect");
    else if (event_list)
        snprintf(fix, sizeof fix, "end the query with an aggregate (groupBy()), or with "
                 "table([...], limit=N) for up to %d rows", LOGSCALE_STATE_ROWS);
    else
        snprintf(fix, sizeof fix, "write an explicit, higher limit (sort() and table() take up "
                 "to %d, the StateRowLimit)", LOGSCALE_STATE_ROWS);
    lint_add(c, "limit-rows", at, fix,
             "the result is cut to %lld rows%s: the SIEM drops the rows past it without saying so",
             (long long)n, p->limit >= 0 ? "" : " (the default when no limit is written)");
}

void lint_limits(lint_ctx *c)
{
    if (is_lang(c, "logscale"))
        groups(c);
    if (is_lang(c, "logscale") || is_lang(c, "aql"))
        rows(c);
}
