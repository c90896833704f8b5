/* shares: one job cut into shares, run side by side.
 *
 * Why one helper: the end of a run (triage's scores, the sort, the spreads)
 * splits its rows or its steps into shares for the run's threads, and each
 * must start the threads, do one share itself, run here any share no thread
 * could be had for, and wait: the same steps everywhere. */
#ifndef MAILC2_SHARES_H
#define MAILC2_SHARES_H

#include <stddef.h>

/* How many shares n items are cut into: one for each min_each items begun,
 * at most one a thread and at most max (always at least 1). */
int shares_count(size_t n, int threads, size_t min_each, int max);

/* Calls fn(args + i * size) for each i in [0, n): share 0 on this thread,
 * the others on threads of their own; returns once all have returned. */
void shares_run(void *(*fn)(void *), void *args, size_t size, int n);

#endif
