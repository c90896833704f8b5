/* meta: a Sigma document's metadata (sigma.md §1), checked where a
 * mistake would mislead: the title every rule needs, the id and name a
 * correlation refers to, and the fields with a fixed form (level, status,
 * dates, tags). Keys the specification does not know are kept and
 * ignored, as it allows custom fields. */
#include <string.h>

#include "lang/sigma/internal.h"

static const char *const levels[] = {"informational", "low", "medium", "high", "critical", NULL};
static const char *const statuses[] = {"stable", "test", "experimental", "deprecated",
                                       "unsupported", NULL};

static int one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list))
            return 1;
    return 0;
}

static int is_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* 8-4-4-4-12 hexadecimal digits. */
static int is_uuid(const char *s)
{
    if (strlen(s) != 36)
        return 0;
    for (int i = 0; i < 36; i++)
        if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' : !is_hex(s[i]))
            return 0;
    return 1;
}

/* YYYY-MM-DD with a month 01-12 and a day 01-31. */
static int is_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int month = (s[5] - '0') * 10 + s[6] - '0', day = (s[8] - '0') * 10 + s[9] - '0';
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* A scalar that must be text, or absent (NULL, no error). */
static int text(sg_ctx *c, struct fy_node *root, const char *key, const char **out)
{
    struct fy_node *v = sg_get(root, key);
    *out = NULL;
    if (!v)
        return 0;
    if (!sg_is_scalar(v) || sg_is_null(v))
        return sg_fail(c, v ? v : root, "%s must be text", key);
    *out = sg_text(v);
    return 0;
}

static int check_form(sg_ctx *c, struct fy_node *root, const char *key,
                      int (*ok)(const char *), const char *form)
{
    const char *s;
    if (text(c, root, key, &s))
        return -1;
    if (s && !ok(s))
        return sg_fail(c, sg_get(root, key), "%s '%s' is not %s", key, s, form);
    return 0;
}

static int is_level(const char *s) { return one_of(s, levels); }
static int is_status(const char *s) { return one_of(s, statuses); }

static int check_tags(sg_ctx *c, struct fy_node *root)
{
    struct fy_node *tags = sg_get(root, "tags");
    if (!tags)
        return 0;
    if (!sg_is_seq(tags))
        return sg_fail(c, tags, "tags must be a list");
    void *it = NULL;
    for (struct fy_node *t; (t = fy_node_sequence_iterate(tags, &it));)
        if (!sg_is_scalar(t) || !strchr(sg_text(t), '.'))
            return sg_fail(c, t, "a tag is namespace.name text (attack.t1071.003)");
    return 0;
}

int sg_meta(sg_ctx *c, sg_rule *r)
{
    if (!sg_is_map(r->root))
        return sg_fail(c, r->root, "a Sigma rule is a map (title, logsource, detection, ...)");
    if (text(c, r->root, "title", &r->title) || text(c, r->root, "id", &r->id) ||
        text(c, r->root, "name", &r->name) || text(c, r->root, "author", &r->author))
        return -1;
    if (!r->title || !*r->title)
        return sg_fail(c, r->root, "a Sigma rule needs a title");
    if (r->id && !is_uuid(r->id))
        return sg_fail(c, sg_get(r->root, "id"), "id '%s' is not a UUID", r->id);
    if (check_form(c, r->root, "level", is_level,
                   "a level (informational, low, medium, high, critical)") ||
        check_form(c, r->root, "status", is_status,
                   "a status (stable, test, experimental, deprecated, unsupported)") ||
        check_form(c, r->root, "date", is_date, "a date YYYY-MM-DD") ||
        check_form(c, r->root, "modified", is_date, "a date YYYY-MM-DD"))
        return -1;
    return check_tags(c, r->root);
}
