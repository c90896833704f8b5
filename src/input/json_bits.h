/* json_bits: what the two hand-written raw JSON readers share (json_raw.c,
 * one line; json_lines.c, a block of lines): which bytes a run of
 * backslashes escapes, and the confirmation of a key's place, each built
 * for the vector units of util/simd64.h. */
#ifndef MAILC2_INPUT_JSON_BITS_H
#define MAILC2_INPUT_JSON_BITS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "value/value.h"

#include "util/simd64.h"
#define INLINE inline __attribute__((always_inline))

/* The bytes a backslash escapes: the one after each run of an odd number
 * of backslashes. *carry: the 64 bytes before ended in such a run (so the
 * first byte here is escaped); set for the next 64. Without a branch per
 * run (Falcon paths hold many): adding a run's first bit to the run
 * carries it to the byte after the run, which is escaped when it lies an
 * odd number of places from the start. */
static INLINE uint64_t escaped(uint64_t bs, unsigned *carry)
{
    const uint64_t even = 0x5555555555555555ULL;
    uint64_t in = *carry;
    bs &= ~in; /* an escaped backslash starts no run */
    uint64_t starts = bs & ~(bs << 1), from_even, from_odd;
    (void)__builtin_add_overflow(bs, starts & even, &from_even);
    *carry = __builtin_add_overflow(bs, starts & ~even, &from_odd);
    return in | (((from_even & ~even) | (from_odd & even)) & ~bs);
}

/* json_raw.c's, for json_lines.c: whether a needle of key may be searched
 * for; and what the needle key found at t[i] of the line t[0, len) says,
 * into *found and *v (a search's answer: json_raw.c). */
int json_key_searchable(const char *key, size_t klen);
#ifdef SIMD64_BUILT
v512_attr void v512_json_needle_at(const char *t, size_t len, size_t i, const char *key,
                                   size_t klen, int *found, mc_value *v);
v256_attr void v256_json_needle_at(const char *t, size_t len, size_t i, const char *key,
                                   size_t klen, int *found, mc_value *v);
#endif

#endif
