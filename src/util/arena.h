/* arena: bump allocation for many small objects freed all at once.
 *
 * Two uses, one structure: group keys and result strings live in an arena
 * until the run ends; the per-event scratch (unescaped strings, lower-cased
 * text) is an arena reset before each record. Blocks never move, so a
 * pointer stays valid until arena_reset() or arena_free().
 *
 * Ownership: the arena owns every byte it hands out. Allocation failure
 * aborts the program with a message (there is no sane recovery mid-event). */
#ifndef MAILC2_ARENA_H
#define MAILC2_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct arena {
    arena_block *head;     /* current block; older blocks chain behind it */
    size_t total;          /* bytes reserved in all blocks */
} arena;

void arena_init(arena *a);
void *arena_alloc(arena *a, size_t n);            /* 8-byte aligned */
char *arena_strndup(arena *a, const char *s, size_t n); /* NUL-terminated copy */
/* Frees everything but keeps one block large enough for what was used, so a
 * per-event arena settles into a single block with no further malloc. */
void arena_reset(arena *a);
void arena_free(arena *a);
/* Moves every block of `from` into a, leaving from empty: what was
 * allocated from either now lives as long as a (a merge of two tables
 * without copying one's contents). */
void arena_adopt(arena *a, arena *from);

/* Running out of memory is the one condition the library does not return
 * from: every allocation goes through these wrappers (and any library that
 * allocates on our behalf, such as expat, reports its failure to xoom), so
 * it ends the process in one place, with one message. */
_Noreturn void xoom(size_t n);
/* malloc/realloc that end in xoom() on failure. The whole 2 MiB pages
 * inside an allocation are advised for huge pages (MADV_HUGEPAGE; why:
 * arena.c): a program embedding the library, with the kernel's huge pages
 * on `madvise`, may find such a heap range, freed and reused for small
 * chunks, still held in huge pages (its heap's peak at most). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* At least n bytes in whole huge pages (*cap: how many), aligned to one and
 * advised: a buffer the kernel fills and a scan reads again, each of whose
 * 4 KiB pages cost both a TLB miss (a block read at its place). Freed with
 * free(). */
void *xmalloc_pages(size_t n, size_t *cap);

#endif
