/* strmap: string-keyed hash map (see strmap.h). */
#include "util/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"

void strmap_init(strmap *m)
{
    memset(m, 0, sizeof *m);
    arena_init(&m->mem);
}

void strmap_free(strmap *m)
{
    free(m->slot);
    arena_free(&m->mem);
    memset(m, 0, sizeof *m);
}

static strmap_entry *find(const strmap *m, const char *key, size_t len, uint64_t h)
{
    size_t j = h & (m->cap - 1);
    for (;; j = (j + 1) & (m->cap - 1)) {
        strmap_entry *e = &m->slot[j];
        if (!e->key || (e->hash == h && e->len == len && !memcmp(e->key, key, len)))
            return e;
    }
}

void *strmap_get(const strmap *m, const char *key, size_t len)
{
    if (!m->cap)
        return NULL;
    strmap_entry *e = find(m, key, len, hash_bytes(key, len));
    return e->key ? e->value : NULL;
}

static void grow(strmap *m)
{
    strmap old = *m;
    m->cap = m->cap ? m->cap * 2 : 64;
    m->slot = xcalloc(m->cap, sizeof *m->slot);
    for (size_t i = 0; i < old.cap; i++)
        if (old.slot[i].key)
            *find(m, old.slot[i].key, old.slot[i].len, old.slot[i].hash) = old.slot[i];
    free(old.slot);
}

/* key's entry, added (with a NULL value) when new. */
static strmap_entry *entry_of(strmap *m, const char *key, size_t len)
{
    if ((m->n + 1) * 4 > m->cap * 3)
        grow(m);
    uint64_t h = hash_bytes(key, len);
    strmap_entry *e = find(m, key, len, h);
    if (!e->key) {
        e->key = arena_strndup(&m->mem, key, len);
        e->len = (uint32_t)len;
        e->hash = h;
        e->value = NULL;
        m->n++;
    }
    return e;
}

void **strmap_slot(strmap *m, const char *key, size_t len)
{
    return &entry_of(m, key, len)->value;
}

const char *strmap_intern(strmap *m, const char *s, size_t len)
{
    return entry_of(m, s, len)->key;
}

void strmap_put(strmap *m, const char *key, size_t len, void *value)
{
    *strmap_slot(m, key, len) = value;
}

void strmap_reserve(strmap *m, size_t n)
{
    while (n * 4 > m->cap * 3)
        grow(m);
}

void strmap_merge(strmap *m, strmap *from, void *(*pick)(void *had, void *got))
{
    if (!m->n) { /* the first thread's table: taken whole */
        strmap t = *m;
        *m = *from;
        *from = t;
        return;
    }
    strmap_reserve(m, m->n + from->n); /* before the merge (room for no shared key), not as it fills */
    for (size_t i = 0; i < from->cap; i++) {
        const strmap_entry *f = &from->slot[i];
        if (!f->key)
            continue;
        strmap_entry *e = find(m, f->key, f->len, f->hash);
        if (e->key) {
            e->value = pick(e->value, f->value);
        } else {
            *e = *f;
            m->n++;
        }
    }
    arena_adopt(&m->mem, &from->mem);
    free(from->slot);
    from->slot = NULL;
    from->cap = from->n = 0;
}

const strmap_entry *strmap_next(const strmap *m, size_t *i)
{
    while (*i < m->cap)
        if (m->slot[(*i)++].key)
            return &m->slot[*i - 1];
    return NULL;
}
