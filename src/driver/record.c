/* record: the per-record step (see record.h). */
#include "driver/record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/lines.h"

input_notes *input_notes_new(const char *shown)
{
    input_notes *n = xcalloc(1, sizeof *n);
    pthread_mutex_init(&n->lock, NULL);
    n->shown = shown;
    return n;
}

void input_notes_close(input_notes *n, const logger *log)
{
    if (n->n)
        log_line(log, "mailc2: %s: %llu record%s: %s (first at line %llu)", n->shown,
                 (unsigned long long)n->n, n->n == 1 ? "" : "s", n->first,
                 (unsigned long long)n->first_line);
    pthread_mutex_destroy(&n->lock);
    free(n);
}

static void note_add(input_notes *n, uint64_t lineno, const char *what)
{
    pthread_mutex_lock(&n->lock);
    if (!n->n++ || lineno < n->first_line) {
        n->first_line = lineno;
        snprintf(n->first, sizeof n->first, "%s", what);
    }
    pthread_mutex_unlock(&n->lock);
}

record_input *record_input_new(const decoder *dec, void *ctx, const char *shown,
                               input_notes *notes, const probe_lines *pre, int index)
{
    record_input *in = xcalloc(1, sizeof *in);
    *in = (record_input){.dec = dec, .ctx = ctx, .shown = shown, .notes = notes,
                         .seq = (uint64_t)index << RECORD_SEQ_BITS, .fd = -1};
    for (int i = 0; i < pre->n; i++)
        probe_lines_add(&in->pre, pre->line[i], pre->len[i], pre->lineno[i]);
    return in;
}

void record_input_free(record_input *in)
{
    probe_lines_free(&in->pre);
    free(in);
}

void *join_table(join_tables *t, const decoder *dec)
{
    for (int i = 0; i < t->n; i++)
        if (t->dec[i] == dec)
            return t->ctx[i];
    if (t->n == RECORD_TABLES)
        return NULL;
    t->dec[t->n] = dec;
    return t->ctx[t->n++] = dec->context->create();
}

view_decoder *record_open(const record_input *in, const plan *p, const input_settings *st,
                          exec_worker *w, int how, char *err, size_t errlen)
{
    view_decoder *vd = view_decoder_open(in->dec, p, st, err, errlen);
    if (!vd)
        return NULL;
    record_bind(w, vd->view.nreq);
    /* Replayed before the join table is attached, which counts joins; not
     * into a multi-line format, which would hold a partial record. */
    for (int i = 0; (how & RECORD_PREAMBLE) && !in->dec->finish && i < in->pre.n; i++) {
        char ignored[160];
        arena_reset(&w->scratch);
        (void)view_decode(vd, in->pre.line[i], in->pre.len[i], w->row, &w->scratch, ignored,
                          sizeof ignored);
    }
    if ((how & RECORD_ATTACH) && in->ctx && in->dec->context)
        in->dec->context->use(vd->state, in->ctx);
    return vd;
}

void record_bind(exec_worker *w, int nreq)
{
    for (int i = nreq; i < PLAN_FIRST_EVAL && i < w->p->nslots; i++)
        w->row[i] = mc_null();
}

/* The newest time, from the line's raw time where its decoder can read it
 * (decoder.h raw_time; then 1, the time in *ms), else by decoding it (0). */
static int newest_line(const record_src *s, json_line *line, int64_t *ms)
{
    gather *g = s->g;
    exec_worker *t = g->newest;
    const view_decoder *vd = g->newest_vd;
    arena_reset(&t->scratch);
    if (g->raw_time && vd->dec->raw_time && vd->view.nderived == 0 &&
        vd->dec->raw_time(vd->state, line, ms)) {
        if (*ms > g->newest_ms) /* one event at the end, not one per line */
            g->newest_ms = *ms;
        return 1;
    }
    char err[160];
    if (view_decode(g->newest_vd, line->text, line->len, t->row, &t->scratch,
                    err, sizeof err) == DECODE_OK)
        exec_event(t);
    return 0;
}

/* A try without join tables (driver/run.c) decodes one held candidate in
 * PROBE_EVERY against the empty table, so that input which needs the table
 * stops the try within its first blocks rather than once it is all read. */
enum { PROBE_EVERY = 64 };

static void probe_line(exec_worker *w, view_decoder *vd, const char *line, size_t len)
{
    char err[160];
    arena_reset(&w->scratch);
    (void)view_decode(vd, line, len, w->row, &w->scratch, err, sizeof err);
}

/* A line read raw, the thread's habit's way (json.h), with what the
 * block's pass found in it. */
static void line_begin(const record_src *s, json_line *raw, const char *line, size_t len)
{
    if (s->thread && s->thread->line)
        json_line_init_scanned(raw, line, s->thread->line, &s->thread->keys);
    else
        json_line_init(raw, line, len);
    if (s->thread)
        json_habit_begin(&s->thread->raw, raw);
}

static void line_end(const record_src *s, const json_line *raw)
{
    if (s->thread)
        json_habit_end(&s->thread->raw, raw);
}

/* A one-pass run's first look at a line: its join-table entries, its
 * time, and a copy when it may pass the plan. Bad records are counted when
 * the held lines are evaluated, as the prefilter's skipped lines are not.
 * A line of the block read from a plain file held open is held by its
 * place in the file. */
static int gather_line(exec_worker *w, const record_src *s, uint64_t lineno, const char *line,
                       size_t len)
{
    gather *g = s->g;
    json_line raw;
    line_begin(s, &raw, line, len);
    if (g->ctx)
        s->dec->context->add(g->ctx, &raw, s->seq | lineno);
    int64_t ms;
    int timed = g->newest && newest_line(s, &raw, &ms);
    if (!g->keep || atomic_load_explicit(&g->in->gave_up, memory_order_relaxed)) {
        line_end(s, &raw);
        return DECODE_SKIP;
    }
    arena_reset(&w->scratch);
    int pass = !s->pf || prefilter_pass(s->pf, w, &raw, timed ? &ms : NULL, NULL);
    line_end(s, &raw);
    if (!pass) {
        g->skipped++;
        return DECODE_SKIP;
    }
    int placed = g->in->fd >= 0 && line >= g->block && line < g->block + g->block_len;
    if (placed ? held_add_at(g->keep, g->in, g->in->fd, lineno,
                             g->block_at + (uint64_t)(line - g->block), len)
               : held_add(g->keep, g->in, lineno, line, len))
        atomic_store(&g->in->gave_up, 1);
    else if (g->probe && g->held++ % PROBE_EVERY == 0)
        probe_line(w, g->probe, line, len);
    return DECODE_SKIP;
}

void record_gathered(gather *g)
{
    if (g->newest && g->newest_ms != INT64_MIN) {
        g->newest->row[0] = mc_int(MC_TS, g->newest_ms);
        exec_event(g->newest);
    }
    g->newest_ms = INT64_MIN;
    if (g->skipped)
        atomic_fetch_add_explicit(&g->in->skipped, g->skipped, memory_order_relaxed);
    g->skipped = 0;
}

/* Where the prefilter passes nearly every line it tests (a high-
 * cardinality day: every connection a mail port), testing first is work
 * the parse does again: every TEST_SAMPLE lines tested, when more than nine
 * in ten passed, the next UNTESTED lines are decoded at once, and tested
 * only when the plan drops them or they are bad, so that each is counted
 * as testing first would count it (an event, a bad record, or a skipped
 * line: docs/prefilter.md). */
enum { TEST_SAMPLE = 1024, UNTESTED = 16 * 1024 };

static int test_first(record_thread *h)
{
    if (!h || !h->untested)
        return 1;
    h->untested--;
    return 0;
}

static void tested(record_thread *h, int pass)
{
    if (!h)
        return;
    h->passed += (uint32_t)pass;
    if (++h->tested < TEST_SAMPLE)
        return;
    if (h->passed > h->tested / 10 * 9)
        h->untested = UNTESTED;
    h->tested = h->passed = 0;
}

/* Whether the prefilter skips the line, tested late (its values in w->row
 * are spent). */
static int skipped_late(exec_worker *w, const record_src *s, const char *line, size_t len)
{
    json_line raw;
    json_line_init(&raw, line, len);
    arena_reset(&w->scratch);
    return !prefilter_pass(s->pf, w, &raw, NULL, NULL);
}

/* What is said of line `lineno`: a bad record, or a note (the first of
 * each input's is kept); in a block not numbered yet, once it is. */
static void said_now(const record_src *s, uint64_t lineno, int note, const char *msg)
{
    if (note)
        note_add(s->notes, lineno, msg);
    else
        diag_bad(s->d, s->seq | lineno, s->shown, lineno, "%s", msg);
}

__attribute__((format(printf, 4, 5))) static void say(const record_src *s, uint64_t lineno,
                                                      int note, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    record_thread *t = s->thread;
    if (!t || !t->defer) {
        said_now(s, lineno, note, msg);
        return;
    }
    if (t->nsaid == t->said_cap) {
        t->said_cap = t->said_cap ? 2 * t->said_cap : 16;
        t->said = xrealloc(t->said, t->said_cap * sizeof *t->said);
    }
    size_t n = strlen(msg) + 1;
    t->said[t->nsaid++] = (struct record_said){lineno, note, memcpy(xmalloc(n), msg, n)};
}

/* The block is numbered: what was said of its lines is said, numbered. */
static void say_numbered(const record_src *s, uint64_t first_line)
{
    record_thread *t = s->thread;
    for (size_t i = 0; i < t->nsaid; i++) {
        said_now(s, first_line + t->said[i].line, t->said[i].note, t->said[i].text);
        free(t->said[i].text);
    }
    t->nsaid = 0;
}

int record_line(exec_worker *w, const record_src *s, uint64_t lineno, char *line, size_t len)
{
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == len)
        return DECODE_SKIP; /* blank lines separate nothing and are not records */
    if (s->g)
        return gather_line(w, s, lineno, line, len);
    if (!s->vd)
        return DECODE_SKIP;
    char err[160] = "";
    arena_reset(&w->scratch);
    uint64_t proved = 0;
    int late = s->pf && !test_first(s->thread);
    if (s->pf && !late) {
        json_line raw;
        line_begin(s, &raw, line, len);
        int pass = prefilter_pass(s->pf, w, &raw, NULL, &proved);
        line_end(s, &raw);
        tested(s->thread, pass);
        if (!pass) {
            w->st.prefiltered++;
            return DECODE_SKIP;
        }
    }
    int rc = view_decode(s->vd, line, len, w->row, &w->scratch, err, sizeof err);
    if (rc == DECODE_SKIP)
        return rc;
    if (rc != DECODE_OK && late && skipped_late(w, s, line, len)) {
        w->st.prefiltered++;
        return DECODE_SKIP;
    }
    if (rc != DECODE_OK) {
        w->st.bad++;
        say(s, lineno, 0, "%s: %s", s->dec->name, err);
        return rc;
    }
    if (s->raw_slot >= 0)
        w->row[s->raw_slot] = mc_str(MC_STR, line, len);
    int passed = exec_event_known(w, proved);
    if (late && passed <= prefilter_last_step(s->pf) && passed < w->p->nsteps) {
        int limited = w->ctx.regex_limited; /* the late test clears it */
        if (skipped_late(w, s, line, len)) {
            w->st.prefiltered++;
            return DECODE_SKIP;
        }
        w->ctx.regex_limited = limited;
    }
    if (err[0] && s->notes)
        say(s, lineno, 1, "%s", err);
    w->st.events++;
    if (w->ctx.regex_limited) {
        /* Neither a match nor a miss: the record is left out, as an error. */
        w->st.bad++;
        say(s, lineno, 0,
            "a regular expression reached its match limit on this record (%u steps, "
            "--regex-limit); the record was left out",
            w->ctx.match_limit);
    }
    return rc;
}

/* The line p[0, len). Decoders may rely on a NUL after the line: a block
 * has room for a byte there (record.h), put back after (a block read for a
 * join table still goes to the workers). */
static void line_of(exec_worker *w, const record_src *s, uint64_t lineno, char *p, size_t len)
{
    char kept = p[len];
    p[len] = '\0';
    record_line(w, s, lineno, p, len);
    p[len] = kept;
}

/* The same, e at the line's newline or the block's end. */
static void line_at(exec_worker *w, const record_src *s, uint64_t lineno, char *p, char *e)
{
    if (e > p && e[-1] == '\r')
        e--;
    line_of(w, s, lineno, p, (size_t)(e - p));
}

/* Every line of a block: split, numbered and, where the thread's lines
 * were lately asked for keys the block's pass answers, each read with its
 * answers (json.h json_lines_scan), in one pass. The lines of a block
 * with more than RECORD_SCANNED lines are read a share at a time, those
 * after the first share counted on their own for the numbering. */
static void every_line(exec_worker *w, const record_src *s, char *block, size_t len,
                       uint64_t first_line, const record_numbering *num)
{
    record_thread *t = s->thread;
    t->keys = t->raw.scan;
    if (!t->lines)
        t->lines = xmalloc(RECORD_SCANNED * sizeof *t->lines);
    size_t used, n = json_lines_scan(&t->keys, block, len, t->lines, RECORD_SCANNED, &used);
    if (num)
        first_line = num->first(num->arg, n + count_lines(block + used, len - used), 1);
    for (size_t at = 0;;) {
        for (size_t i = 0; i < n; i++) {
            t->line = &t->lines[i];
            line_of(w, s, first_line++, block + at + t->line->start, t->line->len);
        }
        t->line = NULL;
        if ((at += used) >= len)
            return;
        n = json_lines_scan(&t->keys, block + at, len - at, t->lines, RECORD_SCANNED, &used);
    }
}

/* Every line of the block, or, where the prefilter searches it (not while
 * gathering), those it may pass, the lines between counted as skipped;
 * numbered from first_line, or, when num is given, from what num says
 * once the block's lines are counted: by the search, which reads every
 * byte anyway (the reader's own count was a pass of its own), with what
 * is said of a line meanwhile held (the line just found is read while it
 * is in the cache, not after the whole block); else first. */
static void lines_of(exec_worker *w, const record_src *s, char *block, size_t len,
                     uint64_t first_line, const record_numbering *num)
{
    if (!s->pf || s->g || !s->vd || !prefilter_blockwise(s->pf)) {
        if (s->vd || s->g)
            every_line(w, s, block, len, first_line, num);
        else if (num) /* nothing to read, but the blocks after it are numbered */
            num->first(num->arg, count_lines(block, len), 0);
        return;
    }
    uint64_t line = num ? 0 : first_line;
    s->thread->defer = num != NULL;
    for (char *p = block, *end = block + len;;) {
        uint64_t skipped;
        size_t start, at = prefilter_next(s->pf, w, p, (size_t)(end - p), &skipped, &start);
        if (p + at == end) { /* a last line without a newline is one more */
            skipped += p + start < end;
            w->st.prefiltered += skipped;
            line += skipped;
            break;
        }
        char *nl = memchr(p + at, '\n', (size_t)(end - p - at));
        w->st.prefiltered += skipped;
        line += skipped;
        line_at(w, s, line++, p + start, nl ? nl : end);
        p = nl ? nl + 1 : end;
    }
    if (num) {
        s->thread->defer = 0;
        /* Most blocks have nothing to say: they do not wait for the
         * blocks before them to be counted. */
        uint64_t first = num->first(num->arg, line, s->thread->nsaid > 0);
        say_numbered(s, first);
    }
}

void record_block(exec_worker *w, const record_src *s, char *block, size_t len,
                  uint64_t first_line)
{
    lines_of(w, s, block, len, first_line, NULL);
}

void record_block_numbered(exec_worker *w, const record_src *s, char *block, size_t len,
                           const record_numbering *num)
{
    lines_of(w, s, block, len, 0, num);
}

void record_thread_free(record_thread *t)
{
    free(t->lines);
    free(t->said); /* each said is freed when said */
    *t = (record_thread){0};
}

void record_finish(exec_worker *w, const record_src *s)
{
    arena_reset(&w->scratch);
    if (view_finish(s->vd, w->row, &w->scratch) != DECODE_OK)
        return;
    if (s->raw_slot >= 0)
        w->row[s->raw_slot] = mc_null(); /* its lines are gone */
    w->st.events++;
    exec_event(w);
}

void record_decoded(exec_worker *w, const view_binding *view)
{
    view_apply(view, w->row);
    w->st.events++;
    exec_event(w);
}

void record_bad(exec_worker *w, const record_src *s, uint64_t record, uint64_t offset,
                const char *msg)
{
    w->st.bad++;
    if (record)
        diag_bad(s->d, s->seq | record, s->shown, record, "%s: %s", s->dec->name, msg);
    else
        diag_bad_at(s->d, s->seq | offset, s->shown, offset, "%s: %s", s->dec->name, msg);
}

void record_chunk(exec_worker *w, const record_src *s, const held_chunk *c, held_reader *hr)
{
    char err[200];
    for (size_t i = 0; i < c->n; i++) {
        size_t len;
        char *line = held_line(hr, c, i, &len, err, sizeof err);
        if (line) {
            record_line(w, s, c->lineno[i], line, len);
        } else {
            w->st.bad++;
            diag_bad(s->d, s->seq | c->lineno[i], s->shown, c->lineno[i], "%s", err);
        }
    }
    hr->c = NULL; /* the chunk is freed next: a later one may get its address */
}

/* The end of a bound input's held lines. */
static void finish(exec_worker *w, record_input *in, view_decoder *vd, int raw_slot, diag *d)
{
    if (vd) {
        record_src src = {in->shown, in->dec, vd, raw_slot, d, in->notes, NULL, 0, NULL, NULL};
        record_finish(w, &src);
    }
    view_decoder_close(vd);
}

void record_replay(exec_worker *w, held *h, const plan *p, const input_settings *st, diag *d,
                   int raw_slot, int preamble)
{
    record_input *bound = NULL;
    view_decoder *vd = NULL;
    held_reader hr = {0};
    for (held_chunk *c = h->head; c; c = c->next) {
        record_input *in = (record_input *)c->tag;
        if (atomic_load(&in->gave_up))
            continue; /* read again instead */
        if (in != bound) {
            char err[200];
            finish(w, bound, vd, raw_slot, d);
            bound = in;
            vd = record_open(in, p, st, w, RECORD_ATTACH | (preamble ? RECORD_PREAMBLE : 0), err,
                             sizeof err);
        }
        record_src src = {in->shown, in->dec, vd, raw_slot, d, in->notes, NULL, in->seq, NULL, NULL};
        if (vd)
            record_chunk(w, &src, c, &hr);
    }
    held_reader_free(&hr);
    finish(w, bound, vd, raw_slot, d);
}
