/* pool: worker threads over blocks of lines (see pool.h). The workers read
 * an input's blocks themselves, one worker at a time: the one that takes a
 * block from the reader (read at its place in a plain file straight into
 * the worker's buffer, else copied out of the reader's) runs it, with the
 * bytes in its own cache, while another reads the next (a reading thread
 * handing blocks over cost a third thread on two cores and a transfer of
 * every byte between them).
 * Held lines (pool_resolve) go through a bounded queue. */
#include "driver/pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_THREADS = 64 };

/* The blocks read at their place are numbered by the workers that run
 * them (record_numbering): each counts its block's lines in the pass that
 * searches it, where the reader's own count, as it handed the block out,
 * was a pass over every byte of its own, a tenth of a LogScale run
 * (BENCHMARKS.md). A block's first line is known once every block before
 * it is counted: a chain, one link per block, in a ring of LINKS; no block
 * is read at its place while the ring is full of links not numbered. A
 * worker that needs its block's number is told it (its link's owner). */
enum { LINKS = 2 * MAX_THREADS };
struct worker;
typedef struct link {
    uint64_t lines, end;        /* end: its end's offset in the input */
    int counted;
    struct worker *owner;       /* waiting for the number, or NULL */
} link;

typedef struct block {
    char *text;
    size_t len, cap;
    int placed;                 /* read at its place (reader_place_block): numbered
                                   by the chain; text is its worker's spare */
    uint64_t first_line;        /* not placed: its first line's number */
    uint64_t link;              /* placed: its link in the chain */
    uint64_t at;                /* its offset in the input */
    record_input *in;
    held_chunk *chunk;          /* held lines to evaluate instead of text, or NULL */
    struct block *next;
} block;

typedef struct worker {
    pthread_t thread;
    struct pool *pl;
    exec_worker w;
    record_input *in;           /* the input `vd` is bound for */
    view_decoder *vd;
    prefilter *pf;              /* for vd, or NULL */
    /* Gathering: */
    exec_worker newest;         /* when the pool finds the newest time */
    view_decoder *newest_vd;    /* bound for `in` */
    join_tables tables;         /* this worker's */
    held keep;
    held_reader back;           /* reads held lines back */
    record_thread rec;          /* its state across blocks (record.h) */
    block own;                  /* the block it read (pool_read) */
    uint64_t own_first;         /* its first line, once numbered (number_block) */
    int own_numbered;
    char *spare;                /* the buffer its next read goes on in (a block
                                   read at its place: still its own) */
    size_t spare_cap;
} worker;

struct pool {
    const plan *p;
    const input_settings *settings;
    diag *d;
    int raw_slot;               /* PLAN_RAW_FIELD's slot, or -1 */
    int prefilter;              /* skip lines that cannot pass */
    pool_gather g;
    pthread_mutex_t lock;       /* the queue, the free list, the source */
    pthread_cond_t ready, room;
    /* The input the workers read (pool_read): */
    reader *src;                /* NULL: none now */
    record_input *src_in;
    size_t src_target;          /* bytes a block holds, about */
    int src_busy;               /* a worker is reading it */
    int src_stop;               /* pool_read's tick said to read no more */
    unsigned src_reads;         /* blocks read so far, to wake pool_read */
    int src_placed;             /* its blocks read at their place still running:
                                   the chain numbers them before the reader is
                                   told (pool_read) */
    uint64_t src_bytes;         /* bytes read from the input so far */
    pthread_cond_t src_read;    /* a read ended */
    /* The chain numbering its blocks read at their place: */
    link links[LINKS];
    uint64_t chain_next;        /* links handed out */
    uint64_t chain_done;        /* the first link not numbered */
    uint64_t chain_first;       /* its first line */
    uint64_t chain_end;         /* where the blocks numbered end (0: none yet) */
    pthread_cond_t numbered;    /* chain_done moved on */
    block *head, *tail, *free;
    record_input *inputs;       /* every input seen, freed at the end */
    int queued, max_queued, done;
    int idle;                   /* workers waiting for a block */
    worker *workers;
    int nworkers;
    int gathered;               /* pool_gathered took the workers' tables and times */
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

/* The worker's decoder, bound for the block's input (and, gathering, the
 * newest-time decoder). NULL when the plan cannot be bound to it (the
 * reading thread said why). */
static view_decoder *bound_for(worker *wk, record_input *in)
{
    if (wk->in == in)
        return wk->vd;
    pool *pl = wk->pl;
    view_decoder_close(wk->vd);
    view_decoder_close(wk->newest_vd);
    prefilter_free(wk->pf);
    wk->pf = NULL;
    wk->newest_vd = NULL;
    wk->in = in;
    char err[200];
    wk->vd = record_open(in, pl->p, pl->settings, &wk->w,
                         RECORD_PREAMBLE | (in->gather && !in->probe ? 0 : RECORD_ATTACH), err,
                         sizeof err);
    if (wk->vd && pl->prefilter)
        wk->pf = prefilter_new(pl->p, wk->vd, pl->settings);
    if (wk->vd && in->gather && pl->g.newest)
        wk->newest_vd = record_open(in, pl->g.newest, pl->settings, &wk->newest,
                                    RECORD_PREAMBLE, err, sizeof err);
    return wk->vd;
}

/* This worker's join table for decoder dec, created when first needed. */
static void *table_for(worker *wk, const decoder *dec)
{
    if (!wk->pl->g.joins || !dec->context || !dec->context->add)
        return NULL;
    return join_table(&wk->tables, dec);
}

/* Held lines of an input not given up, evaluated now that it is bound with
 * its join table; the chunk is freed. */
static void run_chunk(worker *wk, block *b)
{
    view_decoder *vd = atomic_load(&b->in->gave_up) ? NULL : bound_for(wk, b->in);
    record_src s = {b->in->shown, b->in->dec, vd, wk->pl->raw_slot, wk->pl->d, b->in->notes,
                    NULL, b->in->seq, NULL, NULL};
    if (vd)
        record_chunk(&wk->w, &s, b->chunk, &wk->back);
    held_chunk_free(wk->pl->g.budget, b->chunk);
    b->chunk = NULL;
}

/* record_numbering for the worker's block read at its place: its link counts
 * `lines`, and the chain is numbered as far as it is counted. */
static uint64_t number_block(void *arg, uint64_t lines, int need)
{
    worker *wk = arg;
    pool *pl = wk->pl;
    pthread_mutex_lock(&pl->lock);
    link *mine = &pl->links[wk->own.link % LINKS];
    *mine = (link){lines, mine->end, 1, need ? wk : NULL};
    wk->own_numbered = 0;
    uint64_t was = pl->chain_done;
    for (link *l; pl->chain_done < pl->chain_next &&
                  (l = &pl->links[pl->chain_done % LINKS])->counted;
         pl->chain_done++) {
        if (l->owner) {
            l->owner->own_first = pl->chain_first;
            l->owner->own_numbered = 1;
        }
        pl->chain_first += l->lines;
        pl->chain_end = l->end;
    }
    if (pl->chain_done != was) {
        pthread_cond_broadcast(&pl->numbered);
        pthread_cond_broadcast(&pl->ready); /* the ring has room again */
    }
    while (need && !wk->own_numbered)
        pthread_cond_wait(&pl->numbered, &pl->lock);
    uint64_t first = need ? wk->own_first : 0;
    pthread_mutex_unlock(&pl->lock);
    return first;
}

/* The reader is told what the chain counted (r is the worker's: its read
 * turn, or the end of its input). */
static void chain_told(pool *pl, reader *r)
{
    if (pl->chain_end)
        reader_lines_known(r, pl->chain_end, pl->chain_first - 1);
}

static void run_block(worker *wk, block *b)
{
    if (b->chunk) {
        run_chunk(wk, b);
        return;
    }
    view_decoder *vd = bound_for(wk, b->in);
    if (!vd && !b->placed)
        return; /* one read at its place is still counted, for the blocks after it */
    gather g = {NULL, NULL, NULL, wk->pl->prefilter, &wk->keep, b->in, NULL, 0, 0,
                b->text, b->len, b->at, INT64_MIN};
    if (b->in->gather) {
        g.ctx = b->in->probe ? NULL : table_for(wk, b->in->dec);
        g.probe = b->in->probe ? vd : NULL;
        g.newest = wk->newest_vd ? &wk->newest : NULL;
        g.newest_vd = wk->newest_vd;
    }
    record_src s = {b->in->shown, b->in->dec, vd, wk->pl->raw_slot, wk->pl->d, b->in->notes,
                    vd ? wk->pf : NULL, b->in->seq, vd && b->in->gather ? &g : NULL, &wk->rec};
    if (b->placed)
        record_block_numbered(&wk->w, &s, b->text, b->len,
                              &(record_numbering){number_block, wk});
    else
        record_block(&wk->w, &s, b->text, b->len, b->first_line);
    record_gathered(&g);
}

/* pool_read's thread is woken once every TICK_READS blocks read, once a
 * read ends after it said to stop, and when the reading ends: woken after
 * each block (and after each block read at its place was run), it took a
 * core from a worker on two (a reschedule and futex calls per MiB, 3% of a
 * LogScale run), for a progress bar and a try's check whether to stop,
 * which 8 MiB later serve as well. */
enum { TICK_READS = 8 };

/* Reads the source's next block as the worker's own (the pool locked; it
 * is unlocked while reading). 0 when the source ended (or failed: the
 * caller of pool_read asks the reader). */
static int read_own(worker *wk)
{
    pool *pl = wk->pl;
    reader *r = pl->src;
    record_input *in = pl->src_in;
    uint64_t at = reader_offset(r);
    size_t target = pl->src_target;
    pl->src_busy = 1;
    chain_told(pl, r);
    /* With the chain all numbered, a block read at its place starts it
     * again from the reader's count. */
    uint64_t next_line = pl->chain_done == pl->chain_next ? reader_lineno(r) + 1 : 0;
    pthread_mutex_unlock(&pl->lock);
    char *text;
    size_t len, cap = 0;
    uint64_t first = 0; /* placed: numbered by the chain */
    int placed = 0;
    int got = reader_place_block(r, target, &wk->spare, &wk->spare_cap, &len);
    if (got == -2) {
        got = reader_next_block(r, target, &text, &len, &cap, &first, wk->spare, wk->spare_cap);
        wk->spare = NULL; /* the reader goes on in it, or freed it */
        wk->spare_cap = 0;
    } else {
        text = wk->spare; /* still the worker's */
        cap = wk->spare_cap;
        placed = 1;
    }
    uint64_t bytes = reader_bytes_in(r);
    pthread_mutex_lock(&pl->lock);
    pl->src_busy = 0;
    pl->src_bytes = bytes;
    pl->src_reads++;
    if (got != 1)
        pl->src = NULL;
    else
        wk->own = (block){text, len, cap, placed, first, pl->chain_next, at, in, NULL, NULL};
    if (got == 1 && placed) {
        if (next_line)
            pl->chain_first = next_line;
        pl->links[pl->chain_next++ % LINKS] = (link){0, at + len, 0, NULL};
        pl->src_placed++;
    }
    pthread_cond_broadcast(&pl->ready); /* the next read may start */
    if (got != 1 || pl->src_stop || pl->src_reads % TICK_READS == 0)
        pthread_cond_signal(&pl->src_read);
    return got == 1;
}

/* Puts b last in the queue, for a worker (the pool locked). */
static void queue_block(pool *pl, block *b)
{
    b->next = NULL;
    if (pl->tail)
        pl->tail->next = b;
    else
        pl->head = b;
    pl->tail = b;
    pl->queued++;
    pthread_cond_signal(&pl->ready);
}

/* A block the worker copied out of its input (decompressed, or read from
 * a stream) goes to the queue, and the reader reads on, while a worker
 * waits with nothing to do or fewer blocks wait than there are other
 * workers: decompression is the slowest step of a compressed input, and
 * the worker that read a block ran it while the next read went to the
 * other core, whose caches held none of the decompressor's window (a zstd
 * day took as long on two threads as on one: BENCHMARKS.md, session 16);
 * and a worker that finished its block while the other read found none
 * waiting (each idle a fifth of a zstd hunt: session 17). The handed
 * block's buffer comes back on the free list as a later read's spare.
 * Called with the pool locked; 1 when handed over. */
static int hand_over(pool *pl, worker *wk)
{
    if (wk->own.placed || (pl->idle == 0 && pl->queued >= pl->nworkers - 1) ||
        pl->queued >= pl->max_queued)
        return 0;
    block *b = pl->free;
    if (b)
        pl->free = b->next;
    else
        b = xcalloc(1, sizeof *b);
    wk->spare = b->text; /* read_own left it NULL: the reader took it */
    wk->spare_cap = b->cap;
    *b = wk->own;
    queue_block(pl, b);
    return 1;
}

/* Whether a worker may read the source's next block now. */
static int readable(const pool *pl)
{
    return pl->src && !pl->src_busy && !pl->src_stop && pl->chain_next - pl->chain_done < LINKS;
}

static void *work(void *arg)
{
    worker *wk = arg;
    pool *pl = wk->pl;
    int reading = 0; /* it handed its last block over: it reads on first */
    pthread_mutex_lock(&pl->lock);
    for (;;) {
        block *b = pl->head;
        if (b && !(reading && readable(pl))) {
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
        } else if (readable(pl)) {
            if (!read_own(wk) || (reading = hand_over(pl, wk)))
                continue;
            pthread_mutex_unlock(&pl->lock);
            run_block(wk, &wk->own);
            if (!wk->own.placed)
                wk->spare = wk->own.text, wk->spare_cap = wk->own.cap;
            pthread_mutex_lock(&pl->lock);
            if (wk->own.placed && --pl->src_placed == 0 && !pl->src)
                pthread_cond_signal(&pl->src_read); /* the reading ended: pool_read returns */
        } else if (pl->done && !pl->src) {
            break;
        } else {
            pl->idle++;
            pthread_cond_wait(&pl->ready, &pl->lock);
            pl->idle--;
        }
    }
    pthread_mutex_unlock(&pl->lock);
    return NULL;
}

static void start(pool *pl, void *(*fn)(void *))
{
    pl->done = 0;
    for (int i = 0; i < pl->nworkers; i++)
        pthread_create(&pl->workers[i].thread, NULL, fn, &pl->workers[i]);
}

/* Waits for every queued block and stops the threads. */
static void stop(pool *pl)
{
    pthread_mutex_lock(&pl->lock);
    pl->done = 1;
    pthread_cond_broadcast(&pl->ready);
    pthread_mutex_unlock(&pl->lock);
    for (int i = 0; i < pl->nworkers; i++)
        pthread_join(pl->workers[i].thread, NULL);
}

/* Unbinds a worker, so that its next block binds again. */
static void unbind(worker *wk)
{
    view_decoder_close(wk->vd);
    view_decoder_close(wk->newest_vd);
    prefilter_free(wk->pf);
    wk->vd = wk->newest_vd = NULL;
    wk->pf = NULL;
    wk->in = NULL;
}

pool *pool_new(const plan *p, int threads, const exec_opts *o, const input_settings *s,
               diag *d, int prefilter, const pool_gather *g)
{
    pool *pl = xcalloc(1, sizeof *pl);
    pl->prefilter = prefilter;
    pl->p = p;
    pl->settings = s;
    pl->d = d;
    pl->raw_slot = plan_find_field(p, PLAN_RAW_FIELD);
    if (g)
        pl->g = *g;
    pthread_mutex_init(&pl->lock, NULL);
    pthread_cond_init(&pl->ready, NULL);
    pthread_cond_init(&pl->room, NULL);
    pthread_cond_init(&pl->src_read, NULL);
    pthread_cond_init(&pl->numbered, NULL);
    pl->nworkers = threads < MAX_THREADS ? threads : MAX_THREADS;
    pl->max_queued = 2 * pl->nworkers;
    pl->workers = xcalloc((size_t)pl->nworkers, sizeof *pl->workers);
    exec_opts quiet = {0};
    for (int i = 0; i < pl->nworkers; i++) {
        worker *wk = &pl->workers[i];
        wk->pl = pl;
        exec_worker_init(&wk->w, p, o);
        if (g && g->newest)
            exec_worker_init(&wk->newest, g->newest, &quiet);
        held_init(&wk->keep, g ? g->budget : NULL);
    }
    start(pl, work);
    return pl;
}

void pool_input_add(pool *pl, record_input *in)
{
    in->next = pl->inputs; /* only the reading thread adds */
    pl->inputs = in;
}

static void enqueue(pool *pl, block *b)
{
    pthread_mutex_lock(&pl->lock);
    while (pl->queued >= pl->max_queued)
        pthread_cond_wait(&pl->room, &pl->lock);
    queue_block(pl, b);
    pthread_mutex_unlock(&pl->lock);
}

void pool_read(pool *pl, record_input *in, reader *r, size_t target,
               int (*tick)(void *ud, uint64_t bytes), void *ud)
{
    pthread_mutex_lock(&pl->lock);
    pl->src = r;
    pl->src_in = in;
    pl->src_target = target;
    pl->src_stop = 0;
    pl->src_bytes = 0;
    pl->chain_end = 0;
    pthread_cond_broadcast(&pl->ready);
    while (pl->src || pl->src_busy || pl->src_placed) {
        unsigned seen = pl->src_reads;
        while (pl->src_reads == seen && (pl->src || pl->src_busy || pl->src_placed))
            pthread_cond_wait(&pl->src_read, &pl->lock);
        uint64_t bytes = pl->src_bytes;
        pthread_mutex_unlock(&pl->lock);
        int stop = tick(ud, bytes);
        pthread_mutex_lock(&pl->lock);
        if (stop)
            pl->src_stop = 1; /* no read starts; the one under way ends */
        if (pl->src_stop && !pl->src_busy)
            pl->src = NULL;
    }
    chain_told(pl, r); /* every block read at its place is numbered */
    pthread_mutex_unlock(&pl->lock);
}

/* The run's table for decoder dec: the one its inputs carry. */
static void *run_table(pool *pl, const decoder *dec)
{
    for (record_input *in = pl->inputs; in; in = in->next)
        if (in->dec == dec && in->ctx)
            return in->ctx;
    return NULL;
}

void pool_gathered(pool *pl, exec_worker *newest)
{
    stop(pl);
    for (int i = 0; i < pl->nworkers; i++) {
        worker *wk = &pl->workers[i];
        join_tables *t = &wk->tables;
        for (int i = 0; i < t->n; i++) {
            void *into = run_table(pl, t->dec[i]);
            if (into)
                t->dec[i]->context->merge(into, t->ctx[i]);
            t->dec[i]->context->destroy(t->ctx[i]);
        }
        t->n = 0;
        if (pl->g.newest) {
            exec_worker_merge(newest, &wk->newest);
            exec_worker_free(&wk->newest);
        }
        unbind(wk);
    }
    for (record_input *in = pl->inputs; in; in = in->next)
        in->gather = 0;
    pl->gathered = 1;
}

/* What gathering left on a worker that pool_gathered did not take (a try
 * thrown away, driver/run.c). */
static void drop_gathering(pool *pl, worker *wk)
{
    join_tables *t = &wk->tables;
    for (int i = 0; i < t->n; i++)
        t->dec[i]->context->destroy(t->ctx[i]);
    t->n = 0;
    if (pl->g.newest && !pl->gathered)
        exec_worker_free(&wk->newest);
}

/* Held chunks in input order: (input, first line). */
static int chunk_order(const void *a, const void *b)
{
    const held_chunk *x = *(held_chunk *const *)a, *y = *(held_chunk *const *)b;
    uint64_t kx = ((const record_input *)x->tag)->seq | x->lineno[0];
    uint64_t ky = ((const record_input *)y->tag)->seq | y->lineno[0];
    return kx < ky ? -1 : kx > ky;
}

void pool_resolve(pool *pl, int64_t now_ms)
{
    size_t n = 0, cap = 0;
    held_chunk **all = NULL;
    for (int i = 0; i < pl->nworkers; i++) {
        exec_worker_set_now(&pl->workers[i].w, now_ms);
        for (held_chunk *c = held_take(&pl->workers[i].keep); c; c = c->next) {
            if (n == cap)
                all = xrealloc(all, (cap = cap ? cap * 2 : 64) * sizeof *all);
            all[n++] = c;
        }
    }
    /* Queued in the order they were read, as the blocks were: bad records
     * are reported in about the same order as by one thread. */
    if (n)
        qsort(all, n, sizeof *all, chunk_order);
    start(pl, work);
    for (size_t i = 0; i < n; i++) {
        block *b = xcalloc(1, sizeof *b);
        b->in = (record_input *)all[i]->tag;
        b->chunk = all[i];
        all[i]->next = NULL;
        enqueue(pl, b);
    }
    free(all);
}

void pool_finish(pool *pl, exec_worker *into)
{
    stop(pl);
    for (int i = 0; i < pl->nworkers; i++) {
        worker *wk = &pl->workers[i];
        unbind(wk);
        drop_gathering(pl, wk);
        exec_worker_merge(into, &wk->w);
        exec_worker_free(&wk->w);
        /* Only now that every worker stopped: the chunks pool_resolve took
         * from this store may have been read from its spill file (held.h). */
        held_free(&wk->keep);
        held_reader_free(&wk->back);
        record_thread_free(&wk->rec);
        free(wk->spare);
    }
    for (block *b = pl->free, *next; b; b = next) {
        next = b->next;
        free(b->text);
        free(b);
    }
    for (record_input *in = pl->inputs, *next; in; in = next) {
        next = in->next;
        record_input_free(in);
    }
    pthread_mutex_destroy(&pl->lock);
    pthread_cond_destroy(&pl->ready);
    pthread_cond_destroy(&pl->room);
    pthread_cond_destroy(&pl->src_read);
    pthread_cond_destroy(&pl->numbered);
    free(pl->workers);
    free(pl);
}
