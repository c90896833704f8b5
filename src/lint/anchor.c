/* anchor: whether a regular expression that excludes processes by name is
 * anchored at the start of the file name — at the value's start (^, \A)
 * or at a path separator (\\, /, [\\/], (^|\\)) — or would also match a
 * name that merely ends the same way (`chrome\.exe$` matches
 * `mychrome.exe`). PCRE syntax read just far enough for that: inline
 * flags, groups, alternatives, a leading `.*`; anything else counts as a
 * literal, which errs towards "not anchored" only when nothing anchors.
 *
 * anchor_example() builds the name a warning shows: the first
 * alternative's literal text (`outlook.exe`). */
#include "lint/anchor.h"

#include <ctype.h>
#include <string.h>

/* Inline flags "(?i)", "(?im-s)": their length, or 0. */
static size_t flags_len(const char *s, size_t n)
{
    if (n < 4 || s[0] != '(' || s[1] != '?')
        return 0;
    size_t i = 2;
    while (i < n && (isalpha((unsigned char)s[i]) || s[i] == '-'))
        i++;
    return i > 2 && i < n && s[i] == ')' ? i + 1 : 0;
}

/* A path separator: \\, /, \/ or a class of only those. */
static size_t sep_len(const char *s, size_t n)
{
    if (n >= 2 && s[0] == '\\' && (s[1] == '\\' || s[1] == '/'))
        return 2;
    if (n >= 1 && s[0] == '/')
        return 1;
    if (n < 3 || s[0] != '[')
        return 0;
    size_t i = 1;
    while (i < n && s[i] != ']') {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '\\' || s[i + 1] == '/'))
            i += 2;
        else if (s[i] == '/')
            i++;
        else
            return 0;
    }
    return i > 1 && i < n ? i + 1 : 0;
}

static size_t caret_len(const char *s, size_t n)
{
    if (n >= 1 && s[0] == '^')
        return 1;
    return n >= 2 && s[0] == '\\' && s[1] == 'A' ? 2 : 0;
}

/* "(" or "(?:" opening a plain group; 0 for lookaround and the rest. */
static size_t group_open(const char *s, size_t n)
{
    if (n < 1 || s[0] != '(')
        return 0;
    if (n < 2 || s[1] != '?')
        return 1;
    return n >= 3 && s[2] == ':' ? 3 : 0;
}

/* Index of the ')' closing the group whose content starts at `from`,
 * skipping escapes and classes; n when it is not closed. `bar`, when not
 * NULL, receives the index of the first top-level '|' (n when none). */
static size_t group_close(const char *s, size_t from, size_t n, size_t *bar)
{
    int depth = 0, in_class = 0;
    if (bar)
        *bar = n;
    for (size_t i = from; i < n; i++) {
        if (s[i] == '\\') {
            i++;
        } else if (in_class) {
            in_class = s[i] != ']';
        } else if (s[i] == '[') {
            in_class = 1;
        } else if (s[i] == '(') {
            depth++;
        } else if (s[i] == ')' && depth-- == 0) {
            return i;
        } else if (s[i] == '|' && depth == 0 && bar && *bar == n) {
            *bar = i;
        }
    }
    return n;
}

static int alts_anchored(const char *s, size_t n, int after_start);

static int anchored(const char *s, size_t n, int after_start)
{
    size_t k;
    if ((k = flags_len(s, n)))
        return anchored(s + k, n - k, after_start);
    if ((k = caret_len(s, n)))
        return anchored(s + k, n - k, 1);
    if (sep_len(s, n))
        return 1;
    if (n >= 2 && s[0] == '.' && (s[1] == '*' || s[1] == '+'))
        return anchored(s + 2, n - 2, 0);
    if ((k = group_open(s, n))) {
        size_t end = group_close(s, k, n, NULL);
        return alts_anchored(s + k, end - k, after_start);
    }
    return after_start;
}

static int alts_anchored(const char *s, size_t n, int after_start)
{
    size_t bar;
    group_close(s, 0, n, &bar);
    if (!anchored(s, bar, after_start))
        return 0;
    return bar >= n || alts_anchored(s + bar + 1, n - bar - 1, after_start);
}

int anchor_name_start(const char *re)
{
    return alts_anchored(re, strlen(re), 0);
}

/* Appends the literal text of s[0, n) to buf until a character that is
 * not one of a file name (an escape other than \., a class, a quantifier).
 * Returns how far it read. */
static size_t literal(const char *s, size_t n, char *buf, size_t len)
{
    size_t used = strlen(buf), i = 0;
    for (; i < n && used + 1 < len; i++) {
        char ch = s[i];
        if (ch == '\\' && i + 1 < n && s[i + 1] == '.')
            ch = s[++i];
        else if (!isalnum((unsigned char)ch) && ch != '_' && ch != '-' && ch != ' ')
            break;
        buf[used++] = ch;
    }
    buf[used] = '\0';
    return i;
}

int anchor_example(const char *re, char *buf, size_t len)
{
    size_t n = strlen(re), k;
    buf[0] = '\0';
    while ((k = flags_len(re, n)) || (k = caret_len(re, n)) ||
           (n >= 2 && re[0] == '.' && re[1] == '*' && (k = 2)))
        re += k, n -= k;
    if ((k = group_open(re, n))) {
        size_t bar, end = group_close(re, k, n, &bar);
        const char *alt = re + k;
        while (alt[0] == '.' && alt[1] == '*')
            alt += 2;
        literal(alt, (size_t)(re + (bar < end ? bar : end) - alt), buf, len);
        if (end < n)
            literal(re + end + 1, n - end - 1, buf, len);
    } else {
        literal(re, n, buf, len);
    }
    return buf[0] ? 0 : -1;
}
