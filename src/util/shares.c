/* shares: see shares.h. */
#include "util/shares.h"

#include <pthread.h>
#include <stdlib.h>

#include "util/arena.h"

int shares_count(size_t n, int threads, size_t min_each, int max)
{
    int k = threads < 1 ? 1 : threads > max ? max : threads;
    if (n < (size_t)k * min_each)
        k = (int)(n / min_each) + 1;
    return k;
}

void shares_run(void *(*fn)(void *), void *args, size_t size, int n)
{
    if (n < 1)
        return;
    pthread_t *th = xmalloc(sizeof *th * (size_t)n);
    char *started = xmalloc((size_t)n);
    started[0] = 0;
    for (int i = 1; i < n; i++)
        started[i] = pthread_create(&th[i], NULL, fn, (char *)args + (size_t)i * size) == 0;
    for (int i = 0; i < n; i++)
        if (!started[i])
            fn((char *)args + (size_t)i * size); /* this thread's share, or one no thread took */
    for (int i = 1; i < n; i++)
        if (started[i])
            pthread_join(th[i], NULL);
    free(started);
    free(th);
}
