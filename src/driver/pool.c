/* pool: worker threads over blocks of lines (see pool.h). A bounded queue
 * between the reader and the workers keeps memory flat: the reader waits
 * when every worker is busy and the queue is full. */
#include "driver/pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_THREADS = 64 };

struct pool_input {
    const decoder *dec;
    void *ctx;
    const char *shown;
    input_notes *notes;
    probe_lines pre;            /* copies of the lines the reading thread probed */
    struct pool_input *next;
};

typedef struct block {
    char *text;
    size_t len, cap;
    uint64_t first_line;
    pool_input *in;
    struct block *next;
} block;

typedef struct worker {
    pthread_t thread;
    struct pool *pl;
    exec_worker w;
    pool_input *in;             /* the input `vd` is bound for */
    view_decoder *vd;
    prefilter *pf;              /* for vd, or NULL */
} worker;

struct pool {
    const plan *p;
    const input_settings *settings;
    diag *d;
    int raw_slot;               /* PLAN_RAW_FIELD's slot, or -1 */
    int prefilter;              /* skip lines that cannot pass */
    pthread_mutex_t lock;       /* the queue and the free list */
    pthread_cond_t ready, room;
    block *head, *tail, *free;
    pool_input *inputs;         /* every input seen, freed at the end */
    int queued, max_queued, done;
    worker *workers;
    int nworkers;
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

/* The worker's decoder, bound for the block's input: a new input gets a new
 * binding, its join table, and its probed lines replayed uncounted (a CSV
 * header names the columns). NULL when the plan cannot be bound to it (the
 * reading thread said why). */
static view_decoder *bound_for(worker *wk, pool_input *in)
{
    if (wk->in == in)
        return wk->vd;
    view_decoder_close(wk->vd);
    prefilter_free(wk->pf);
    wk->pf = NULL;
    wk->in = in;
    char err[200];
    wk->vd = view_decoder_open(in->dec, wk->pl->p, wk->pl->settings, err, sizeof err);
    if (!wk->vd)
        return NULL;
    if (wk->pl->prefilter)
        wk->pf = prefilter_new(wk->pl->p, wk->vd);
    record_bind(&wk->w, wk->vd->view.nreq);
    /* Replayed before the join table is attached, which counts joins. */
    for (int i = 0; i < in->pre.n; i++) {
        arena_reset(&wk->w.scratch);
        (void)view_decode(wk->vd, in->pre.line[i], in->pre.len[i], wk->w.row, &wk->w.scratch,
                          err, sizeof err);
    }
    if (in->ctx && in->dec->context)
        in->dec->context->use(wk->vd->state, in->ctx);
    return wk->vd;
}

static void run_block(worker *wk, block *b)
{
    view_decoder *vd = bound_for(wk, b->in);
    if (!vd)
        return;
    record_src s = {b->in->shown, b->in->dec, vd, NULL, wk->pl->raw_slot, wk->pl->d,
                    b->in->notes, wk->pf};
    record_block(&wk->w, &s, b->text, b->len, b->first_line);
}

static void *work(void *arg)
{
    worker *wk = arg;
    pool *pl = wk->pl;
    pthread_mutex_lock(&pl->lock);
    for (;;) {
        while (!pl->head && !pl->done)
            pthread_cond_wait(&pl->ready, &pl->lock);
        block *b = pl->head;
        if (!b)
            break;
        pl->head = b->next;
        if (!pl->head)
            pl->tail = NULL;
        pl->queued--;
        pthread_cond_signal(&pl->room);
        pthread_mutex_unlock(&pl->lock);
        run_block(wk, b);
        pthread_mutex_lock(&pl->lock);
        b->next = pl->free;
        pl->free = b;
    }
    pthread_mutex_unlock(&pl->lock);
    return NULL;
}

pool *pool_new(const plan *p, int threads, const exec_opts *o, const input_settings *s,
               diag *d, int prefilter)
{
    pool *pl = xcalloc(1, sizeof *pl);
    pl->prefilter = prefilter;
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
        exec_worker_init(&pl->workers[i].w, p, o);
        pthread_create(&pl->workers[i].thread, NULL, work, &pl->workers[i]);
    }
    return pl;
}

pool_input *pool_input_new(pool *pl, const decoder *dec, void *ctx, const char *shown,
                           input_notes *notes, const probe_lines *preamble)
{
    pool_input *in = xcalloc(1, sizeof *in);
    in->dec = dec;
    in->ctx = ctx;
    in->shown = shown;
    in->notes = notes;
    for (int i = 0; i < preamble->n; i++) {
        in->pre.line[i] = xmalloc(preamble->len[i] + 1);
        memcpy(in->pre.line[i], preamble->line[i], preamble->len[i] + 1);
        in->pre.len[i] = preamble->len[i];
        in->pre.lineno[i] = preamble->lineno[i];
    }
    in->pre.n = preamble->n;
    in->next = pl->inputs; /* only the reading thread adds */
    pl->inputs = in;
    return in;
}

char *pool_block(pool *pl, pool_input *in, char *text, size_t len, size_t cap,
                 uint64_t first_line, size_t *spare_cap)
{
    pthread_mutex_lock(&pl->lock);
    block *b = pl->free;
    if (b)
        pl->free = b->next;
    pthread_mutex_unlock(&pl->lock);
    char *spare = b ? b->text : NULL;
    *spare_cap = b ? b->cap : 0;
    if (!b)
        b = xcalloc(1, sizeof *b);
    *b = (block){text, len, cap, first_line, in, NULL};
    pthread_mutex_lock(&pl->lock);
    while (pl->queued >= pl->max_queued)
        pthread_cond_wait(&pl->room, &pl->lock);
    if (pl->tail)
        pl->tail->next = b;
    else
        pl->head = b;
    pl->tail = b;
    pl->queued++;
    pthread_cond_signal(&pl->ready);
    pthread_mutex_unlock(&pl->lock);
    return spare;
}

void pool_finish(pool *pl, exec_worker *into)
{
    pthread_mutex_lock(&pl->lock);
    pl->done = 1;
    pthread_cond_broadcast(&pl->ready);
    pthread_mutex_unlock(&pl->lock);
    for (int i = 0; i < pl->nworkers; i++) {
        worker *wk = &pl->workers[i];
        pthread_join(wk->thread, NULL);
        view_decoder_close(wk->vd);
        prefilter_free(wk->pf);
        exec_worker_merge(into, &wk->w);
        exec_worker_free(&wk->w);
    }
    for (block *b = pl->free, *next; b; b = next) {
        next = b->next;
        free(b->text);
        free(b);
    }
    for (pool_input *in = pl->inputs, *next; in; in = next) {
        next = in->next;
        probe_lines_free(&in->pre);
        free(in);
    }
    pthread_mutex_destroy(&pl->lock);
    pthread_cond_destroy(&pl->ready);
    pthread_cond_destroy(&pl->room);
    free(pl->workers);
    free(pl);
}
