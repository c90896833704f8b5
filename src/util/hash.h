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

#endif
