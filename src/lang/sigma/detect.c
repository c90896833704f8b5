/* detect: a rule's `detection` map (sigma.md §2) — its searches, each a
 * map of field items (AND), a list of such maps (OR) or a list of
 * keywords, and its condition over them — as one expression. */
#include "lang/sigma/internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

int sg_field(sg_ctx *c, struct fy_node *at, const char *name)
{
    int slot = plan_field(c->p, name, -1);
    if (slot < 0)
        sg_fail(c, at, "more than %d fields in one file's rules", PLAN_MAX_FIELDS);
    return slot;
}

/* A map of field items: all of them. */
static expr *field_map(sg_ctx *c, struct fy_node *map)
{
    int n = fy_node_mapping_item_count(map), k = 0;
    if (n <= 0)
        return sg_error(c, map, "an empty map in a search list matches everything");
    expr **kids = xmalloc(sizeof *kids * (size_t)n), *e = NULL;
    void *it = NULL;
    for (struct fy_node_pair *p; (p = fy_node_mapping_iterate(map, &it)); k++)
        if (!(kids[k] = sg_field_item(c, fy_node_pair_key(p), fy_node_pair_value(p))))
            break;
    if (k == n)
        e = plan_logic(c->p, EX_AND, n, kids);
    free(kids);
    return e;
}

/* A list: of maps (any of them), or of keywords. */
static expr *search_list(sg_ctx *c, struct fy_node *list)
{
    int n = fy_node_sequence_item_count(list), maps = 0, k = 0;
    if (n <= 0)
        return sg_error(c, list, "an empty search matches nothing");
    void *it = NULL;
    for (struct fy_node *v; (v = fy_node_sequence_iterate(list, &it));)
        maps += sg_is_map(v);
    if (maps == 0)
        return sg_keywords(c, list, list, 0);
    if (maps != n)
        return sg_error(c, list, "a search list holds either maps or keywords, not both");
    expr **kids = xmalloc(sizeof *kids * (size_t)n), *e = NULL;
    it = NULL;
    for (struct fy_node *v; (v = fy_node_sequence_iterate(list, &it)) &&
                            (kids[k] = field_map(c, v));)
        k++;
    if (k == n)
        e = plan_logic(c->p, EX_OR, n, kids);
    free(kids);
    return e;
}

static int valid_id(const char *s)
{
    if (!s || !(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return 0;
    for (; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9')))
            return 0;
    return 1;
}

static expr *search(sg_ctx *c, struct fy_node *key, struct fy_node *value)
{
    const char *id = sg_text(key);
    if (!valid_id(id))
        return sg_error(c, key, "'%s' is not a search identifier (letters, digits, _)",
                        id ? id : "");
    if (sg_is_map(value) && fy_node_mapping_item_count(value) == 0)
        return sg_error(c, key, "an empty map matches everything; say what to match");
    if (sg_is_map(value))
        return field_map(c, value);
    if (sg_is_seq(value))
        return search_list(c, value);
    return sg_fail(c, value ? value : key, "search '%s' must be a map of fields or a list", id),
           NULL;
}

expr *sg_detection(sg_ctx *c, struct fy_node *det)
{
    if (!sg_is_map(det))
        return sg_error(c, det, "detection must be a map of searches and a condition");
    const char *ids[SG_MAX_SEARCHES];
    expr *exprs[SG_MAX_SEARCHES];
    int n = 0;
    struct fy_node *cond = NULL;
    void *it = NULL;
    for (struct fy_node_pair *p; (p = fy_node_mapping_iterate(det, &it));) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        const char *id = sg_text(k);
        if (id && !strcmp(id, "condition")) {
            if (sg_is_null(v))
                return sg_error(c, k, "the condition is empty");
            cond = v;
            continue;
        }
        if (id && !strcmp(id, "timeframe"))
            return sg_error(c, k, "detection timeframe is Sigma 1 aggregation; write a "
                            "correlation rule with a timespan instead");
        if (n == SG_MAX_SEARCHES)
            return sg_error(c, k, "more than %d searches in one detection", SG_MAX_SEARCHES);
        if (!(exprs[n] = search(c, k, v)))
            return NULL;
        ids[n++] = id;
    }
    if (!cond)
        return sg_error(c, det, "detection has no condition");
    if (!sg_is_seq(cond))
        return sg_condition(c, cond, ids, exprs, n);
    /* A list of conditions: any of them (sigma.md §2). */
    int m = fy_node_sequence_item_count(cond), k = 0;
    if (m <= 0)
        return sg_error(c, cond, "an empty list of conditions");
    expr **kids = xmalloc(sizeof *kids * (size_t)m), *e = NULL;
    it = NULL;
    for (struct fy_node *v; (v = fy_node_sequence_iterate(cond, &it)) &&
                            (kids[k] = sg_condition(c, v, ids, exprs, n));)
        k++;
    if (k == m)
        e = plan_logic(c->p, EX_OR, m, kids);
    free(kids);
    return e;
}
