/* jpath: dotted-path lookups over json_scan (see jpath.h). A tree of key
 * tables mirrors the paths asked for; a scan fills the root's slots, then
 * each child table scans the object its parent found. Nested objects were
 * validated by the root scan, so child scans cannot fail on good input. */
#include "input/jpath.h"

#include <stdlib.h>
#include <string.h>

struct jpath_node {
    json_keys keys;
    json_slot slots[JSON_MAX_KEYS];
    jpath_node *child[JSON_MAX_KEYS];
};

static jpath_node *node_new(void)
{
    jpath_node *n = xcalloc(1, sizeof *n);
    json_keys_init(&n->keys);
    return n;
}

static void node_free(jpath_node *n)
{
    if (!n)
        return;
    for (unsigned i = 0; i < n->keys.n; i++)
        node_free(n->child[i]);
    json_keys_free(&n->keys);
    free(n);
}

void jpath_init(jpath *j)
{
    memset(j, 0, sizeof *j);
    j->root = node_new();
}

void jpath_free(jpath *j)
{
    node_free(j->root);
    free(j->leaf);
    memset(j, 0, sizeof *j);
}

/* Walks or builds the nested path; sets node and slot to its last key. */
static int add_nested(jpath_node *n, const char *path, jpath_node **node, int *slot)
{
    for (;;) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        int k = json_keys_add(&n->keys, path, len);
        if (k < 0)
            return -1;
        if (!dot) {
            *node = n;
            *slot = k;
            return 0;
        }
        if (!n->child[k])
            n->child[k] = node_new();
        n = n->child[k];
        path = dot + 1;
    }
}

int jpath_add(jpath *j, const char *path, int literal)
{
    struct jpath_leaf leaf = {0};
    if (literal || !strchr(path, '.')) {
        leaf.lit = j->root;
        leaf.lit_slot = json_keys_add(&j->root->keys, path, strlen(path));
        if (leaf.lit_slot < 0)
            return -1;
    }
    if (strchr(path, '.') && add_nested(j->root, path, &leaf.nest, &leaf.nest_slot))
        return -1;
    for (int i = 0; i < j->nleaves; i++)
        if (!memcmp(&j->leaf[i], &leaf, sizeof leaf))
            return i;
    if (j->nleaves == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 16;
        j->leaf = xrealloc(j->leaf, (size_t)j->cap * sizeof *j->leaf);
    }
    j->leaf[j->nleaves] = leaf;
    return j->nleaves++;
}

static void scan_children(jpath_node *n)
{
    for (unsigned k = 0; k < n->keys.n; k++) {
        jpath_node *c = n->child[k];
        if (!c)
            continue;
        const json_slot *s = &n->slots[k];
        json_error ignored;
        if (s->type != JSON_OBJECT || json_scan(&c->keys, s->p, s->len, c->slots, &ignored))
            memset(c->slots, 0, sizeof c->slots);
        scan_children(c);
    }
}

int jpath_scan(jpath *j, const char *line, size_t len, json_error *err)
{
    if (j->root->keys.n == 0)
        return json_scan(NULL, line, len, NULL, err);
    if (json_scan(&j->root->keys, line, len, j->root->slots, err))
        return -1;
    scan_children(j->root);
    return 0;
}

const json_slot *jpath_get(const jpath *j, int leaf)
{
    static const json_slot absent = {0};
    if (leaf < 0 || leaf >= j->nleaves)
        return &absent;
    const struct jpath_leaf *l = &j->leaf[leaf];
    const json_slot *s = l->lit ? &l->lit->slots[l->lit_slot] : &absent;
    if (s->type == JSON_ABSENT && l->nest)
        s = &l->nest->slots[l->nest_slot];
    return s;
}
