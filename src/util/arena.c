/* arena: bump allocator (see arena.h) and the aborting malloc wrappers. */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "util/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct arena_block {
    arena_block *next;
    size_t used, cap;
    max_align_t data[];
};

enum { ARENA_MIN_BLOCK = 64 * 1024 };

/* Asks for huge pages under a large allocation: an arena grows by
 * doubling, so a table of 10^5-10^6 groups fills blocks of tens of
 * megabytes, and a result of as many rows is arrays as large. Page faults
 * were 12-21% of such a run's profile on the benchmark VM (BENCHMARKS.md
 * "Session 6"), where a 4 KiB page's first touch costs about as much as a
 * 2 MiB page's; a 2 MiB page faults once where 4 KiB pages fault 512
 * times. An allocation holding no whole huge page is left as it is (no
 * call). Where the kernel says no, nothing changes. */
enum { HUGE_PAGE = 2 << 20 };

static void *huge_pages(void *p, size_t n)
{
    uintptr_t from = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t to = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);
#ifdef MADV_HUGEPAGE
    if (to > from)
        (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
    (void)from, (void)to;
#endif
    return p;
}

_Noreturn void xoom(size_t n)
{
    fprintf(stderr, "mailc2: out of memory (allocating %zu bytes)\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        xoom(n);
    return huge_pages(p, n);
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        xoom(n * size);
    return huge_pages(p, n * size);
}

void *xrealloc(void *p, size_t n)
{
    void *was = p;
    p = realloc(p, n ? n : 1);
    if (!p)
        xoom(n);
    return p == was ? p : huge_pages(p, n); /* in place, a block keeps the advice it had */
}

void *xmalloc_pages(size_t n, size_t *cap)
{
    size_t whole = (n + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
    void *p;
    if (whole < n || posix_memalign(&p, HUGE_PAGE, whole ? whole : HUGE_PAGE))
        xoom(n);
    *cap = whole ? whole : HUGE_PAGE;
    return huge_pages(p, *cap);
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

void arena_init(arena *a)
{
    a->head = NULL;
    a->total = 0;
}

static arena_block *arena_new_block(arena *a, size_t need)
{
    size_t cap = a->total > ARENA_MIN_BLOCK ? a->total : ARENA_MIN_BLOCK;
    if (cap < need)
        cap = need;
    arena_block *b = xmalloc(sizeof *b + cap);
    b->used = 0;
    b->cap = cap;
    b->next = a->head;
    a->head = b;
    a->total += cap;
    return b;
}

void *arena_alloc(arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    arena_block *b = a->head;
    if (!b || b->cap - b->used < n)
        b = arena_new_block(a, n);
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void arena_adopt(arena *a, arena *from)
{
    if (!from->head)
        return;
    if (!a->head) {
        *a = *from;
        arena_init(from);
        return;
    }
    arena_block *last = from->head; /* behind a's current block, which a goes on filling */
    while (last->next)
        last = last->next;
    last->next = a->head->next;
    a->head->next = from->head;
    a->total += from->total;
    arena_init(from);
}

void arena_reset(arena *a)
{
    if (!a->head)
        return;
    if (!a->head->next) {
        a->head->used = 0;
        return;
    }
    size_t total = a->total;
    arena_free(a);
    arena_new_block(a, total);
}

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}
