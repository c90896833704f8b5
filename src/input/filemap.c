/* filemap: see filemap.h. */
#define _GNU_SOURCE /* MADV_POPULATE_READ, MAP_ANONYMOUS */
#include "input/filemap.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22 /* Linux 5.14; older kernels say EINVAL, and faults do it */
#endif

/* More maps at once than this are read, not mapped: a run maps one file per
 * source it reads at a time. */
enum { WATCHED = 16 };

struct filemap {
    char *map;                 /* page-aligned, map_len bytes */
    size_t map_len;
    const char *bytes;         /* the file's byte `at` */
    uintptr_t released;        /* the pages before it are given back */
    int slot;                  /* in watched[] */
};

/* The live mappings, for the SIGBUS handler: a slot is claimed (start 1),
 * then its cut cleared, its end and its start set, before its map is read;
 * it is freed (start 0) after the map is unmapped. */
static struct {
    _Atomic uintptr_t start, end;
    atomic_int cut;
} watched[WATCHED];
static struct sigaction before;  /* the handler SIGBUS had */
static pthread_mutex_t installing = PTHREAD_MUTEX_INITIALIZER;
static size_t page;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
    uintptr_t a = (uintptr_t)si->si_addr;
    for (int i = 0; i < WATCHED; i++) {
        uintptr_t s = atomic_load(&watched[i].start);
        if (s > 1 && a >= s && a < atomic_load(&watched[i].end)) {
            /* Zeros where the file was cut, and the read goes on. */
            void *at = (void *)(a & ~(uintptr_t)(page - 1));
            if (mmap(at, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
                MAP_FAILED)
                break;
            atomic_store(&watched[i].cut, 1);
            return;
        }
    }
    /* Not ours: as before filemap (the fault happens again). */
    sigaction(SIGBUS, &before, NULL);
    if (before.sa_flags & SA_SIGINFO)
        before.sa_sigaction(sig, si, uc);
    else if (before.sa_handler != SIG_DFL && before.sa_handler != SIG_IGN)
        before.sa_handler(sig);
}

/* Whether SIGBUS comes to on_sigbus, made so when another handler took it
 * since (a library's, a test framework's). */
static int install(void)
{
    pthread_mutex_lock(&installing);
    struct sigaction now, sa = {0};
    int ok = sigaction(SIGBUS, NULL, &now) == 0;
    if (ok && !(now.sa_flags & SA_SIGINFO && now.sa_sigaction == on_sigbus)) {
        page = (size_t)sysconf(_SC_PAGESIZE);
        sa.sa_sigaction = on_sigbus;
        sa.sa_flags = SA_SIGINFO | SA_RESTART;
        sigemptyset(&sa.sa_mask);
        ok = sigaction(SIGBUS, &sa, &before) == 0;
    }
    pthread_mutex_unlock(&installing);
    return ok;
}

static int watch(const char *start, size_t len)
{
    for (int i = 0; i < WATCHED; i++) {
        uintptr_t free_slot = 0;
        if (!atomic_compare_exchange_strong(&watched[i].start, &free_slot, 1))
            continue;
        atomic_store(&watched[i].cut, 0);
        atomic_store(&watched[i].end, (uintptr_t)start + len);
        atomic_store(&watched[i].start, (uintptr_t)start);
        return i;
    }
    return -1;
}

filemap *filemap_open(int fd, uint64_t at, uint64_t len)
{
    if (len == 0 || len > SIZE_MAX / 2 || !install())
        return NULL; /* no handler: nothing is mapped */
    uint64_t from = at & ~(uint64_t)(page - 1);
    size_t map_len = (size_t)(at - from + len);
    char *map = mmap(NULL, map_len, PROT_READ, MAP_SHARED, fd, (off_t)from);
    if (map == MAP_FAILED)
        return NULL;
    filemap *m = malloc(sizeof *m);
    int slot = m ? watch(map, map_len) : -1;
    if (slot < 0) {
        free(m);
        munmap(map, map_len);
        return NULL;
    }
    (void)madvise(map, map_len, MADV_SEQUENTIAL);
    *m = (filemap){map, map_len, map + (at - from), (uintptr_t)map, slot};
    return m;
}

const char *filemap_bytes(const filemap *m)
{
    return m->bytes;
}

/* p[0, len) widened to whole pages. */
static void *pages(const char *p, size_t len, size_t *n)
{
    uintptr_t from = (uintptr_t)p & ~(uintptr_t)(page - 1);
    *n = (size_t)((uintptr_t)p + len - from);
    return (void *)from;
}

void filemap_ahead(const char *p, size_t len)
{
    size_t n;
    void *at = pages(p, len, &n);
    (void)madvise(at, n, MADV_POPULATE_READ); /* past a cut: EFAULT, and the read faults */
}

/* The kernel maps more than a block asks for: a fault or a populate maps
 * the 64 KiB around the page (fault_around_bytes), and a page-cache folio
 * of 2 MiB (ext4 keeps large folios) is mapped whole, by one huge page
 * entry, where the map is aligned to it. So pages are given back in whole
 * 2 MiB windows behind every block in hand: a window the blocks still read
 * can touch is not given back, and one given back is not mapped again (a
 * block that gave back its own windows saw its neighbours map them again,
 * and a 4 GB day left 100-150 MB of the file mapped: BENCHMARKS.md,
 * session 16). Several windows go at once: each call unmaps huge page
 * entries and flushes the other cores' TLBs, a third of a LogScale run's
 * CPU when every 1 MiB block made one (session 17). */
enum { WINDOW = 2 << 20, BATCH = 8 << 20 };

void filemap_release_before(filemap *m, uint64_t end)
{
    uintptr_t last = (uintptr_t)m->map + m->map_len;
    uintptr_t to = end < (uint64_t)(last - (uintptr_t)m->bytes) ? (uintptr_t)m->bytes + end : last;
    to &= ~(uintptr_t)(WINDOW - 1);
    if (to <= m->released || to - m->released < BATCH)
        return;
    (void)madvise((void *)m->released, (size_t)(to - m->released), MADV_DONTNEED);
    m->released = to;
}

int filemap_cut(const filemap *m)
{
    return atomic_load(&watched[m->slot].cut);
}

void filemap_close(filemap *m)
{
    if (!m)
        return;
    munmap(m->map, m->map_len);
    atomic_store(&watched[m->slot].start, 0);
    free(m);
}
