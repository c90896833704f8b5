/* held: candidate lines kept for a one-pass run (see held.h). Lines are
 * packed into chunks of about CHUNK_BYTES, so that a held line costs its
 * bytes plus sixteen, not an allocation. */
#include "driver/held.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

enum { CHUNK_BYTES = 256 << 10, CHUNK_LINES = 1024 };

void held_init(held *h, held_budget *b)
{
    h->budget = b;
    h->head = h->tail = NULL;
}

static size_t chunk_bytes(const held_chunk *c)
{
    return sizeof *c + c->cap + c->ncap * (sizeof *c->lineno + sizeof *c->start + sizeof *c->len);
}

/* Takes n bytes from the budget, or returns -1. */
static int take(held_budget *b, size_t n)
{
    size_t was = atomic_fetch_add(&b->used, n);
    if (b->limit && was + n > b->limit) {
        atomic_fetch_sub(&b->used, n);
        return -1;
    }
    return 0;
}

static held_chunk *chunk_new(held *h, const void *tag, size_t len)
{
    held_chunk *c = xcalloc(1, sizeof *c);
    c->tag = tag;
    c->cap = len + 1 > CHUNK_BYTES ? len + 1 : CHUNK_BYTES;
    c->ncap = CHUNK_LINES;
    if (take(h->budget, chunk_bytes(c))) {
        free(c);
        return NULL;
    }
    c->text = xmalloc(c->cap);
    c->lineno = xmalloc(c->ncap * sizeof *c->lineno);
    c->start = xmalloc(c->ncap * sizeof *c->start);
    c->len = xmalloc(c->ncap * sizeof *c->len);
    if (h->tail)
        h->tail->next = c;
    else
        h->head = c;
    h->tail = c;
    return c;
}

int held_add(held *h, const void *tag, uint64_t lineno, const char *line, size_t len)
{
    held_chunk *c = h->tail;
    if (!c || c->tag != tag || c->n == c->ncap || c->cap - c->used < len + 1)
        if (!(c = chunk_new(h, tag, len)))
            return -1;
    memcpy(c->text + c->used, line, len);
    c->text[c->used + len] = '\0';
    c->lineno[c->n] = lineno;
    c->start[c->n] = (uint32_t)c->used;
    c->len[c->n++] = (uint32_t)len;
    c->used += len + 1;
    return 0;
}

held_chunk *held_take(held *h)
{
    held_chunk *c = h->head;
    h->head = h->tail = NULL;
    return c;
}

void held_chunk_free(held_budget *b, held_chunk *c)
{
    atomic_fetch_sub(&b->used, chunk_bytes(c));
    free(c->text);
    free(c->lineno);
    free(c->start);
    free(c->len);
    free(c);
}

void held_drop(held *h, const void *tag)
{
    held_chunk **link = &h->head;
    h->tail = NULL;
    while (*link) {
        held_chunk *c = *link;
        if (c->tag == tag) {
            *link = c->next;
            held_chunk_free(h->budget, c);
        } else {
            h->tail = c;
            link = &c->next;
        }
    }
}

void held_free(held *h)
{
    for (held_chunk *c = h->head, *next; c; c = next) {
        next = c->next;
        held_chunk_free(h->budget, c);
    }
    h->head = h->tail = NULL;
}
