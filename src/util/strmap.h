/* strmap: a hash map from byte-string keys to pointers.
 *
 * Open addressing with linear probing, grown by doubling at 3/4 load. Keys
 * are copied into the map's arena; values are the caller's (typically in the
 * same arena via strmap_arena()). strmap_free() releases the table, the keys
 * and that arena. */
#ifndef MAILC2_STRMAP_H
#define MAILC2_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

typedef struct strmap_entry {
    uint64_t hash;
    const char *key;        /* NULL: empty slot */
    uint32_t len;
    void *value;
} strmap_entry;

typedef struct strmap {
    strmap_entry *slot;
    size_t cap, n;
    arena mem;
} strmap;

void strmap_init(strmap *m);
void strmap_free(strmap *m);
/* The value stored under key, or NULL. */
void *strmap_get(const strmap *m, const char *key, size_t len);
/* Stores value under key (replacing any earlier value). */
void strmap_put(strmap *m, const char *key, size_t len, void *value);
/* The place of key's value, the key added with a NULL value when new: one
 * lookup where reading the value, then storing one, would take two. */
void **strmap_slot(strmap *m, const char *key, size_t len);
/* Room for n keys without growing on the way (each growth moves every
 * key). */
void strmap_reserve(strmap *m, size_t n);
/* The map's copy of s (NUL-terminated), added when new: one copy of a
 * string that many records repeat. It lives as long as the map's arena
 * (across strmap_merge, which adopts it). */
const char *strmap_intern(strmap *m, const char *s, size_t len);
/* Moves every entry of `from` into m, leaving from empty: from's arena
 * (its keys, and the values the caller put there) becomes m's, so nothing
 * is copied. For a key in both, pick(had, got) returns the value m keeps. */
void strmap_merge(strmap *m, strmap *from, void *(*pick)(void *had, void *got));
/* The entry after slot *i (start with *i = 0), or NULL after the last. */
const strmap_entry *strmap_next(const strmap *m, size_t *i);
static inline arena *strmap_arena(strmap *m) { return &m->mem; }

#endif
