/* pool: worker threads over chunks of lines (see pool.h). A bounded queue
 * between the reader and the workers keeps memory flat: the reader waits
 * when every worker is busy and the queue is full. */
#include "exec/pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "view/bind.h"

enum { CHUNK_BYTES = 1 << 20, CHUNK_LINES = 8192, MAX_THREADS = 64, MAX_BOUND = 8 };

typedef struct chunk {
    char *text;               /* lines, each followed by '\0' */
    size_t len, cap;
    uint32_t off[CHUNK_LINES + 1];
    uint64_t lineno[CHUNK_LINES];
    int n;
    const decoder *dec;
    void *ctx;
    const char *shown;
    struct chunk *next;
} chunk;

typedef struct worker {
    pthread_t thread;
    struct pool *pl;
    exec_worker w;
    view_decoder *bound[MAX_BOUND];
    int nbound;
} worker;

struct pool {
    const plan *p;
    const input_settings *settings;
    diag *d;
    pthread_mutex_t lock;     /* the queue and the free list */
    pthread_cond_t ready, room;
    chunk *head, *tail, *free;
    int queued, max_queued, done;
    chunk *filling;           /* the reader's current chunk */
    worker *workers;
    int nworkers;
    int raw_slot;             /* PLAN_RAW_FIELD's slot, or -1 */
};

int pool_eligible(const plan *p)
{
    if (!p->has_agg)
        return 0; /* plain rows keep input order */
    for (int a = 0; a < p->naggs; a++)
        if (p->aggs[a].fn == AGG_FIRST)
            return 0;
    return 1;
}

/* A bound decoder per decoder the worker has met; NULL when the plan
 * cannot be bound to it (the reading thread said why). */
static view_decoder *bound_for(worker *wk, const chunk *c)
{
    for (int i = 0; i < wk->nbound; i++)
        if (wk->bound[i]->dec == c->dec)
            return wk->bound[i];
    if (wk->nbound == MAX_BOUND) /* more formats than expected: rebind the last */
        view_decoder_close(wk->bound[--wk->nbound]);
    char err[200];
    view_decoder *b = view_decoder_open(c->dec, wk->pl->p, wk->pl->settings, err, sizeof err);
    if (!b)
        return NULL;
    if (c->ctx && c->dec->context)
        c->dec->context->use(b->state, c->ctx);
    return wk->bound[wk->nbound++] = b;
}

static void run_chunk(worker *wk, const chunk *c)
{
    view_decoder *bound = bound_for(wk, c);
    exec_worker *w = &wk->w;
    char err[160];
    for (int i = 0; i < c->n; i++) {
        const char *line = c->text + c->off[i];
        size_t len = c->off[i + 1] - c->off[i] - 1;
        arena_reset(&w->scratch);
        int rc = bound ? view_decode(bound, line, len, w->row, &w->scratch, err, sizeof err)
                       : DECODE_SKIP;
        if (rc == DECODE_SKIP)
            continue;
        if (rc != DECODE_OK) {
            w->st.bad++;
            diag_bad(wk->pl->d, c->shown, c->lineno[i], "%s: %s", c->dec->name, err);
            continue;
        }
        if (wk->pl->raw_slot >= 0)
            w->row[wk->pl->raw_slot] = mc_str(MC_STR, line, len);
        w->st.events++;
        exec_event(w);
    }
}

static void *work(void *arg)
{
    worker *wk = arg;
    pool *pl = wk->pl;
    pthread_mutex_lock(&pl->lock);
    for (;;) {
        while (!pl->head && !pl->done)
            pthread_cond_wait(&pl->ready, &pl->lock);
        chunk *c = pl->head;
        if (!c)
            break;
        pl->head = c->next;
        if (!pl->head)
            pl->tail = NULL;
        pl->queued--;
        pthread_cond_signal(&pl->room);
        pthread_mutex_unlock(&pl->lock);
        run_chunk(wk, c);
        pthread_mutex_lock(&pl->lock);
        c->next = pl->free;
        pl->free = c;
    }
    pthread_mutex_unlock(&pl->lock);
    return NULL;
}

pool *pool_new(const plan *p, int threads, int64_t now_ms, int emulate,
               const input_settings *s, diag *d)
{
    pool *pl = xcalloc(1, sizeof *pl);
    pl->p = p;
    pl->settings = s;
    pl->d = d;
    pl->raw_slot = plan_find_field(p, PLAN_RAW_FIELD);
    pthread_mutex_init(&pl->lock, NULL);
    pthread_cond_init(&pl->ready, NULL);
    pthread_cond_init(&pl->room, NULL);
    pl->nworkers = threads < MAX_THREADS ? threads : MAX_THREADS;
    pl->max_queued = 2 * pl->nworkers;
    pl->workers = xcalloc((size_t)pl->nworkers, sizeof *pl->workers);
    for (int i = 0; i < pl->nworkers; i++) {
        pl->workers[i].pl = pl;
        exec_worker_init(&pl->workers[i].w, p, now_ms, emulate);
        pthread_create(&pl->workers[i].thread, NULL, work, &pl->workers[i]);
    }
    return pl;
}

static chunk *take_free(pool *pl)
{
    pthread_mutex_lock(&pl->lock);
    chunk *c = pl->free;
    if (c)
        pl->free = c->next;
    pthread_mutex_unlock(&pl->lock);
    if (!c) {
        c = xcalloc(1, sizeof *c);
        c->cap = CHUNK_BYTES;
        c->text = xmalloc(c->cap);
    }
    c->len = 0;
    c->n = 0;
    c->next = NULL;
    return c;
}

static void flush(pool *pl)
{
    chunk *c = pl->filling;
    if (!c)
        return;
    pl->filling = NULL;
    c->off[c->n] = (uint32_t)c->len;
    pthread_mutex_lock(&pl->lock);
    while (pl->queued >= pl->max_queued)
        pthread_cond_wait(&pl->room, &pl->lock);
    if (pl->tail)
        pl->tail->next = c;
    else
        pl->head = c;
    pl->tail = c;
    pl->queued++;
    pthread_cond_signal(&pl->ready);
    pthread_mutex_unlock(&pl->lock);
}

void pool_line(pool *pl, const decoder *dec, void *ctx, const char *shown, uint64_t lineno,
               const char *line, size_t len)
{
    chunk *c = pl->filling;
    if (c && (c->dec != dec || c->ctx != ctx || c->shown != shown || c->n == CHUNK_LINES ||
              c->len + len + 1 > c->cap)) {
        flush(pl);
        c = NULL;
    }
    if (!c) {
        c = pl->filling = take_free(pl);
        c->dec = dec;
        c->ctx = ctx;
        c->shown = shown;
    }
    if (c->len + len + 1 > c->cap) { /* one line longer than a chunk */
        c->cap = c->len + len + 1;
        c->text = xrealloc(c->text, c->cap);
    }
    c->off[c->n] = (uint32_t)c->len;
    c->lineno[c->n++] = lineno;
    memcpy(c->text + c->len, line, len);
    c->len += len;
    c->text[c->len++] = '\0';
}

static void free_chunks(chunk *c)
{
    while (c) {
        chunk *next = c->next;
        free(c->text);
        free(c);
        c = next;
    }
}

void pool_finish(pool *pl, exec_worker *into)
{
    flush(pl);
    pthread_mutex_lock(&pl->lock);
    pl->done = 1;
    pthread_cond_broadcast(&pl->ready);
    pthread_mutex_unlock(&pl->lock);
    for (int i = 0; i < pl->nworkers; i++) {
        worker *wk = &pl->workers[i];
        pthread_join(wk->thread, NULL);
        for (int b = 0; b < wk->nbound; b++)
            view_decoder_close(wk->bound[b]);
        exec_worker_merge(into, &wk->w);
        exec_worker_free(&wk->w);
    }
    free_chunks(pl->free);
    pthread_mutex_destroy(&pl->lock);
    pthread_cond_destroy(&pl->ready);
    pthread_cond_destroy(&pl->room);
    free(pl->workers);
    free(pl);
}
