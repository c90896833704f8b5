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
 * Lines of a plain file held open (driver/source.h) are held by place: their
 * offsets, not their bytes, read back with pread when they are evaluated
 * (held_line). Half of a high-cardinality day's lines may be candidates:
 * copying them cost a fifth of the run, in page faults, and as much memory
 * as the lines (BENCHMARKS.md "Session 6"). A compressed input or a
 * stream has no place to read back from, so its lines are copied; once the
 * run holds more than budget->spill bytes, each full chunk of copies is
 * written to the store's spill file and becomes a chunk of places in it,
 * so that a day of copies costs the disk, not memory, its bytes. The
 * spill file is unlinked from its birth, in the budget's directory; where it
 * cannot be made or written, the copies stay in memory (the budget says
 * why, for the run to tell).
 *
 * Memory is bounded: all stores of a run share one budget (held_budget,
 * from --max-memory), which a spilled line costs its numbers only; a store
 * that would go past it gives up (held_add returns -1) and its input is
 * read again instead, or, for a stream, the rest of its candidates are
 * counted as not evaluated.
 *
 * Ownership: a store owns its chunks and its spill file; it borrows the
 * budget and the opaque tag each chunk carries (the input the lines came
 * from). Chunks handed over by held_take are the taker's to free, but
 * their lines may be in the store's spill file, which held_free closes:
 * the store must be freed only after every chunk taken from it was read
 * back. */
#ifndef MAILC2_DRIVER_HELD_H
#define MAILC2_DRIVER_HELD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct held_budget {
    size_t limit;              /* 0: none */
    size_t spill;              /* past this many bytes used, copies are spilled; 0: never */
    const char *dir;           /* where the spill file is made (borrowed); NULL: /tmp */
    _Atomic size_t used;
    _Atomic int spill_errno;   /* why a spill file could not be made or written; 0: it could */
} held_budget;

typedef struct held_chunk {
    const void *tag;           /* the input of every line in the chunk */
    int fd;                    /* >= 0: lines held by place in this file (borrowed) */
    char *text;                /* fd < 0: the lines, each followed by a NUL */
    size_t used, cap;
    uint64_t *lineno;
    uint64_t *start;           /* each line's offset in text, or in the file */
    uint32_t *len;
    size_t n, ncap;
    struct held_chunk *next;
} held_chunk;

typedef struct held {
    held_budget *budget;
    held_chunk *head, *tail;
    int spill_fd;              /* -1: none yet */
    uint64_t spill_end;        /* its size */
    int spill_failed;          /* it could not be made or written: copies stay in memory */
} held;

void held_init(held *h, held_budget *b);
/* Keeps a copy of line[0, len) of input `tag`; -1 when the budget would be
 * exceeded (nothing kept). */
int held_add(held *h, const void *tag, uint64_t lineno, const char *line, size_t len);
/* Keeps the place of the line at offset `at` of the plain file fd (held
 * open until the held lines are evaluated); -1 as held_add. */
int held_add_at(held *h, const void *tag, int fd, uint64_t lineno, uint64_t at, size_t len);
/* Frees every chunk of input `tag` (an input given up), returning their
 * bytes to the budget. */
void held_drop(held *h, const void *tag);
/* Hands over every chunk (a list by `next`), leaving the store empty. */
held_chunk *held_take(held *h);
/* Frees one chunk taken from a store with budget b. */
void held_chunk_free(held_budget *b, held_chunk *c);
/* Frees every chunk, and closes the spill file. */
void held_free(held *h);
/* Where b's spill file is made. */
const char *held_spill_dir(const held_budget *b);

/* Reads a chunk's lines back, in order: lines held by place are read by
 * runs of nearby lines, one pread each, into a buffer kept for the next. */
typedef struct held_reader {
    char *buf;
    size_t cap;
    const held_chunk *c;       /* lines [from, to) of c are in buf */
    size_t from, to;
    uint64_t base;             /* the file offset of buf[0] */
    uint64_t got;              /* bytes read at base */
} held_reader;

/* Line i of c, followed by a NUL (valid until the next call), its length in
 * *len; NULL when the file no longer holds it there (err says why). */
char *held_line(held_reader *r, const held_chunk *c, size_t i, size_t *len, char *err,
                size_t errlen);
void held_reader_free(held_reader *r);

#endif
