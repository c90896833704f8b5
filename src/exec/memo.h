/* memo: a small answer (0-254) kept per value, for a test whose answer is
 * a function of one field's value alone.
 *
 * A detection's tests mostly read an event name, a port or a process
 * name, which take few values over millions of events, so evaluating the
 * expression again on each event (a walk of its tree, a comparison with
 * each element of an in() list) is work already done. The prefilter keeps
 * its raw-line tests' answers here, and the executor the answers of its
 * filter steps and of its CASE steps' branch choices (exec.c).
 *
 * Bounded: every integer in [0, MEMO_SMALL) (ports, the ephemeral local
 * ones included) has a byte; other values share MEMO_SLOTS direct-mapped
 * places (a later value takes the place of an earlier one); a text longer
 * than MEMO_BYTES is not kept. Made when first used.
 *
 * Ownership: a memo owns its tables; one thread's. */
#ifndef MAILC2_EXEC_MEMO_H
#define MAILC2_EXEC_MEMO_H

#include <stdint.h>

#include "util/hash.h"
#include "value/value.h"

enum { MEMO_SLOTS = 256, MEMO_BYTES = 108, MEMO_SMALL = 65536 };

typedef struct memo_seen {
    uint8_t used, type, answer, len;
    hash_ends ends;            /* compared first (util/hash.h) */
    char bytes[MEMO_BYTES];    /* the value's text, or its number's bytes */
} memo_seen;

typedef struct value_memo {
    memo_seen *seen;           /* MEMO_SLOTS, by the value's hash */
    uint8_t *small;            /* integers [0, MEMO_SMALL) */
} value_memo;

/* The place of v's answer: 0 while not known (the caller may store
 * 1 + answer there once it has one it may keep), else 1 + the answer. NULL
 * when v cannot be kept. Valid until the next call. */
uint8_t *memo_answer(value_memo *m, mc_value v);
void memo_free(value_memo *m);

#endif
