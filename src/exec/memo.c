/* memo: answers kept per value (see memo.h). */
#include "exec/memo.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/hash.h"

uint8_t *memo_answer(value_memo *m, mc_value v)
{
    if (v.type == MC_INT && v.u.i >= 0 && v.u.i < MEMO_SMALL) {
        if (!m->small)
            m->small = xcalloc(MEMO_SMALL, 1);
        return &m->small[v.u.i];
    }
    /* The key: a text's bytes where they are (a copy into a buffer first
     * was most of the prefilter's lookup), a number's own. */
    const void *key = "";
    size_t n = 0;
    if (v.type == MC_STR || v.type == MC_IP) {
        if (v.len > MEMO_BYTES)
            return NULL;
        key = v.u.s, n = v.len;
    } else if (v.type != MC_NULL) {
        key = &v.u, n = sizeof v.u;
    }
    if (!m->seen)
        m->seen = xcalloc(MEMO_SLOTS, sizeof *m->seen);
    /* By the value's ends: an event name or a port is hashed in three
     * multiplies and compared without a memcmp call. A longer text is
     * hashed whole: paths that share their ends (a volume, ".exe") would
     * take each other's one place. */
    hash_ends e = hash_ends_of(key, n);
    uint64_t h = n <= 16 ? hash_ends_mix(e, n) : hash_bytes(key, n);
    memo_seen *s = &m->seen[(h ^ v.type) % MEMO_SLOTS];
    if (s->used && s->type == v.type && hash_ends_same(e, key, n, s->ends, s->bytes, s->len))
        return &s->answer;
    s->used = 1;
    s->type = v.type;
    s->len = (uint8_t)n;
    s->ends = e;
    memcpy(s->bytes, key, n);
    s->answer = 0;
    return &s->answer;
}

void memo_free(value_memo *m)
{
    free(m->seen);
    free(m->small);
    m->seen = NULL;
    m->small = NULL;
}
