/* window: the events of a live watch's sliding window (include/mailc2.h
 * mc_window_*). Streaming aggregation by re-running: the window keeps the
 * raw JSON lines, and each report runs the compiled rule over them with
 * mc_run, so every rule language and every decoder works unchanged, and a
 * recorded file read later gives the same answer.
 *
 * The lines are a circular array in arrival order; they expire from the
 * oldest. Memory is bounded by max_events: past it the oldest line goes
 * early and is counted, and the report says so. */
#include <stdlib.h>
#include <string.h>

#include "mailc2.h"
#include "util/arena.h"
#include "util/timeutil.h"

typedef struct held {
    char *line;
    size_t len;
    int64_t time_ms;
} held;

struct mc_window {
    int64_t span_ms;
    held *ring;
    size_t cap, head, n;      /* the oldest at head */
    size_t bytes;             /* of the lines held */
    uint64_t evicted;
    char *joined;             /* the lines end to end, for mc_run */
};

mc_window *mc_window_new(int64_t span_ms, size_t max_events)
{
    mc_window *w = xcalloc(1, sizeof *w);
    w->span_ms = span_ms;
    w->cap = max_events ? max_events : 1;
    w->ring = xcalloc(w->cap, sizeof *w->ring);
    return w;
}

static void drop_oldest(mc_window *w)
{
    held *h = &w->ring[w->head];
    w->bytes -= h->len;
    free(h->line);
    h->line = NULL;
    w->head = (w->head + 1) % w->cap;
    w->n--;
}

void mc_window_add(mc_window *w, const char *line, size_t len, int64_t time_ms)
{
    if (w->n == w->cap) {
        drop_oldest(w);
        w->evicted++;
    }
    held *h = &w->ring[(w->head + w->n) % w->cap];
    h->line = xmalloc(len ? len : 1);
    memcpy(h->line, line, len);
    h->len = len;
    h->time_ms = time_ms;
    w->bytes += len;
    w->n++;
}

mc_input mc_window_input(mc_window *w, int64_t now_ms)
{
    while (w->n && w->ring[w->head].time_ms <= now_ms - w->span_ms)
        drop_oldest(w);
    w->joined = xrealloc(w->joined, w->bytes ? w->bytes : 1);
    size_t at = 0;
    for (size_t i = 0; i < w->n; i++) {
        const held *h = &w->ring[(w->head + i) % w->cap];
        memcpy(w->joined + at, h->line, h->len);
        at += h->len;
    }
    return mc_input_memory("<watch>", w->joined, at);
}

size_t mc_window_size(const mc_window *w)
{
    return w->n;
}

uint64_t mc_window_evicted(const mc_window *w)
{
    return w->evicted;
}

void mc_window_free(mc_window *w)
{
    if (!w)
        return;
    while (w->n)
        drop_oldest(w);
    free(w->ring);
    free(w->joined);
    free(w);
}

int mc_duration_parse(const char *text, int64_t *ms)
{
    return time_parse_duration(text, ms) || *ms <= 0 ? -1 : 0;
}
