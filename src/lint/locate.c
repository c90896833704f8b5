/* locate: a warning's token in the rule text (why text search: locate.h). */
#include "lint/locate.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static int ident_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_';
}

/* Whether needle sits at `at` as the flags ask. */
static int matches_at(const lint_src *s, size_t at, const char *needle, size_t n, int flags)
{
    if (at + n > s->len)
        return 0;
    const char *t = s->text + at;
    if ((flags & LOC_NOCASE) ? strncasecmp(t, needle, n) != 0 : strncmp(t, needle, n) != 0)
        return 0;
    if (!(flags & LOC_WORD))
        return 1;
    int before = at > 0 && ident_char(t[-1]) && ident_char(needle[0]);
    int after = at + n < s->len && ident_char(t[n]) && ident_char(needle[n - 1]);
    return !before && !after;
}

long loc_find(const lint_src *s, long from, const char *needle, int flags)
{
    size_t n = strlen(needle);
    if (!s->text || n == 0 || from < 0)
        return -1;
    for (size_t at = (size_t)from; at + n <= s->len; at++)
        if (matches_at(s, at, needle, n, flags))
            return (long)at;
    return -1;
}

long loc_find_last(const lint_src *s, long before, const char *needle, int flags)
{
    long found = -1, at = 0;
    while ((at = loc_find(s, at, needle, flags)) >= 0 && at < before) {
        found = at;
        at++;
    }
    return found;
}

long loc_conditions(const lint_src *s, const char *lang)
{
    long at = -1;
    if (lang && strcmp(lang, "aql") == 0)
        at = loc_find(s, 0, "WHERE", LOC_WORD | LOC_NOCASE);
    else if (lang && strcmp(lang, "sigma") == 0)
        at = loc_find(s, 0, "detection:", 0);
    return at < 0 ? 0 : at;
}

long loc_field(const lint_src *s, const char *lang, const char *name)
{
    /* AQL names are case-insensitive (aql.md §1); the others are exact. */
    int flags = LOC_WORD | (lang && strcmp(lang, "aql") == 0 ? LOC_NOCASE : 0);
    long at = loc_find(s, loc_conditions(s, lang), name, flags);
    if (at < 0)
        at = loc_find(s, 0, name, flags);
    if (at > 0 && s->text[at - 1] == '"')
        at--;
    return at;
}

void loc_line_col(const lint_src *s, long off, int *line, int *col)
{
    *line = *col = 0;
    if (!s->text || off < 0 || (size_t)off > s->len)
        return;
    *line = 1;
    long bol = 0;
    for (long i = 0; i < off; i++)
        if (s->text[i] == '\n') {
            (*line)++;
            bol = i + 1;
        }
    *col = (int)(off - bol) + 1;
}
