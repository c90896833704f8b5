/* hash: the one hash of byte strings the tables share (the group table,
 * count-distinct sets, strmap and so the join tables).
 *
 * Eight bytes at a time, each word mixed by a multiply and a shift, then a
 * final avalanche so that the low bits, which pick a table slot, depend on
 * every byte. Keys are tens of bytes and hashed once per event or more;
 * FNV-1a's byte at a time was the first version. Not for anything an
 * attacker could use to collide keys on purpose beyond making a run slower. */
#ifndef MAILC2_UTIL_HASH_H
#define MAILC2_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t hash_bytes(const void *key, size_t n)
{
    const unsigned char *p = key;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;
    for (; n >= 8; p += 8, n -= 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 29;
    }
    if (n) {
        w = 0;
        memcpy(&w, p, n);
        h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/* A byte string's ends: its first and last 8 bytes (4 and 4 under 8;
 * under 4, its first, middle and last byte). With its length they are
 * every byte of one of up to 16, which most keys and field values are: a
 * table that keeps them compares those without a memcmp call, and hashes
 * them with three multiplies whatever the length (hash_bytes: one per 8
 * bytes, each waiting on the last). */
typedef struct hash_ends {
    uint64_t a, b;
} hash_ends;

static inline hash_ends hash_ends_of(const void *key, size_t n)
{
    const unsigned char *p = key;
    hash_ends e = {0, 0};
    if (n >= 8) {
        memcpy(&e.a, p, 8);
        memcpy(&e.b, p + n - 8, 8);
    } else if (n >= 4) {
        uint32_t x, y;
        memcpy(&x, p, 4);
        memcpy(&y, p + n - 4, 4);
        e.a = x;
        e.b = y;
    } else if (n > 0) {
        e.a = (uint64_t)p[0] | (uint64_t)p[n / 2] << 8 | (uint64_t)p[n - 1] << 16;
    }
    return e;
}

/* A hash of a string by its ends and length (the bytes between the ends
 * of a longer one are left out: they are compared, not hashed). */
static inline uint64_t hash_ends_mix(hash_ends e, size_t n)
{
    uint64_t h = (e.a ^ 0x9E3779B97F4A7C15ULL) * 0xC2B2AE3D27D4EB4FULL;
    h ^= (e.b + n) * 0x165667B19E3779F9ULL;
    h ^= h >> 32;
    return h * 0xD6E8FEB86659FD93ULL;
}

/* Whether string p (n bytes, ends e) is the one kept as bytes q with ends
 * k and length kn. */
static inline int hash_ends_same(hash_ends e, const void *p, size_t n, hash_ends k,
                                 const void *q, size_t kn)
{
    return n == kn && e.a == k.a && e.b == k.b &&
           (n <= 16 || !memcmp((const char *)p + 8, (const char *)q + 8, n - 16));
}

#endif
