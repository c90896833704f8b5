/* held: the candidate lines of a one-pass run, kept until the run can
 * evaluate them.
 *
 * A run whose main pass needs the whole input first (the Falcon join
 * tables, the newest event for --now latest) reads each input once: every
 * line feeds the join tables and the newest time, and the lines that may
 * pass the plan's first filters (the prefilter's candidates, or every line
 * when there is no prefilter) are copied here, with their line numbers. When
 * the input is read, the tables are complete and `now` is known, and the
 * held lines go through the plan (design §5). A file whose every line is a
 * candidate (no prefilter) is read again instead of held whole.
 *
 * Memory is bounded: all stores of a run share one budget (held_budget,
 * from --max-memory); a store that would go past it gives up (held_add
 * returns -1) and its input is read again instead, or, for a stream, the
 * rest of its candidates are counted as not evaluated.
 *
 * Ownership: a store owns its chunks; it borrows the budget and the
 * opaque tag each chunk carries (the input the lines came from). */
#ifndef MAILC2_DRIVER_HELD_H
#define MAILC2_DRIVER_HELD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct held_budget {
    size_t limit;              /* 0: none */
    _Atomic size_t used;
} held_budget;

typedef struct held_chunk {
    const void *tag;           /* the input of every line in the chunk */
    char *text;                /* the lines, each followed by a NUL */
    size_t used, cap;
    uint64_t *lineno;
    uint32_t *start, *len;     /* each line's offset in text and length */
    size_t n, ncap;
    struct held_chunk *next;
} held_chunk;

typedef struct held {
    held_budget *budget;
    held_chunk *head, *tail;
} held;

void held_init(held *h, held_budget *b);
/* Keeps a copy of line[0, len) of input `tag`; -1 when the budget would be
 * exceeded (nothing kept). */
int held_add(held *h, const void *tag, uint64_t lineno, const char *line, size_t len);
/* Frees every chunk of input `tag` (an input given up), returning their
 * bytes to the budget. */
void held_drop(held *h, const void *tag);
/* Hands over every chunk (a list by `next`), leaving the store empty. */
held_chunk *held_take(held *h);
/* Frees one chunk taken from a store with budget b. */
void held_chunk_free(held_budget *b, held_chunk *c);
/* Frees every chunk. */
void held_free(held *h);

#endif
