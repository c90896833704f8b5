/* pcap_session: the session table (see pcap_session.h). A chained hash on
 * the endpoints, written here because it is the capture reader's inner
 * loop and needs no more than insert, find and sweep. */
#include "input/pcap_session.h"

#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/hash.h"

struct session_table {
    session **bucket;
    size_t nbuckets, open, max_open;
    uint64_t early;
    session_done_fn *done;
    void *ud;
};

static int same_endpoint(const endpoint *a, const endpoint *b)
{
    return a->family == b->family && a->port == b->port &&
           !memcmp(a->addr, b->addr, a->family == 6 ? 16 : 4);
}

static uint64_t hash_endpoint(const endpoint *e)
{
    unsigned char k[18];
    size_t n = e->family == 6 ? 16 : 4;
    memcpy(k, e->addr, n);
    memcpy(k + n, &e->port, 2);
    return hash_bytes(k, n + 2);
}

/* The same for both directions of a session. */
static size_t bucket_of(const session_table *t, const endpoint *a, const endpoint *b)
{
    return (size_t)((hash_endpoint(a) + hash_endpoint(b)) % t->nbuckets);
}

session_table *session_table_new(size_t max_open, session_done_fn *done, void *ud)
{
    session_table *t = xcalloc(1, sizeof *t);
    t->nbuckets = 65521;
    t->bucket = xcalloc(t->nbuckets, sizeof *t->bucket);
    t->max_open = max_open;
    t->done = done;
    t->ud = ud;
    return t;
}

/* A closed session stays a while for its last ACKs and retransmissions. */
enum { CLOSED_IDLE_US = 60 * 1000000 };

static int closed(const session *s)
{
    return s->rst || (s->c.fin && s->s.fin);
}

static void end_session(session_table *t, session **link)
{
    session *s = *link;
    *link = s->next;
    t->open--;
    t->done(t->ud, s);
    free(s);
}

/* Copies a segment's payload into the side's head in sequence order. */
static void take_bytes(side *d, const segment *g)
{
    d->pkts++;
    d->frame_bytes += g->frame_len;
    d->payload_bytes += g->wire;
    if (g->flags & 2) {
        d->next_seq = g->seq + 1;
        d->seq_known = 1;
        return;
    }
    if (!g->wire)
        return;
    if (!d->seq_known) {
        d->next_seq = g->seq;
        d->seq_known = 1;
    }
    uint32_t behind = d->next_seq - g->seq;       /* bytes already seen */
    if (behind > (uint32_t)1 << 31) {             /* ahead of what we have */
        d->gap = 1;
        return;
    }
    if (behind >= g->wire || d->gap)
        return;                                   /* a retransmission */
    size_t fresh = g->wire - behind, room = SESSION_HEAD - d->nhead;
    size_t have = behind < g->len ? g->len - behind : 0; /* captured, not cut by snaplen */
    size_t copy = have < room ? have : room;
    memcpy(d->head + d->nhead, g->payload + behind, copy);
    d->nhead += copy;
    if (have < fresh && d->nhead < SESSION_HEAD)
        d->gap = 1;                               /* the capture cut the bytes short */
    d->next_seq += (uint32_t)fresh;
}

static session *open_session(session_table *t, const segment *g, size_t b)
{
    if (t->open >= t->max_open) { /* no room: end every session older than this one */
        size_t before = t->open;
        session_expire(t, g->ts_us, 0);
        t->early += before - t->open;
    }
    session *s = xcalloc(1, sizeof *s);
    int syn = (g->flags & 0x12) == 0x02, synack = (g->flags & 0x12) == 0x12;
    /* The client: a SYN's sender, a SYN-ACK's receiver, else the higher port. */
    int from_client = syn || (!synack && g->src.port >= g->dst.port);
    s->client = from_client ? g->src : g->dst;
    s->server = from_client ? g->dst : g->src;
    s->client_known = syn || synack;
    s->isn = syn ? g->seq : 0;
    s->first_us = g->ts_us;
    s->next = t->bucket[b];
    t->bucket[b] = s;
    t->open++;
    return s;
}

void session_add(session_table *t, const segment *g)
{
    size_t b = bucket_of(t, &g->src, &g->dst);
    session **link = &t->bucket[b], *s;
    for (; (s = *link); link = &s->next)
        if ((same_endpoint(&s->client, &g->src) && same_endpoint(&s->server, &g->dst)) ||
            (same_endpoint(&s->client, &g->dst) && same_endpoint(&s->server, &g->src)))
            break;
    /* A new SYN on a closed session's endpoints is a new session, unless it
     * repeats the first SYN (a retry after a refusal, as tshark sees it). */
    if (s && closed(s) && (g->flags & 0x12) == 0x02 && !(s->client_known && g->seq == s->isn)) {
        end_session(t, link);
        s = NULL;
    }
    if (!s) {
        s = open_session(t, g, b);
        link = &t->bucket[b];
    }
    int from_client = same_endpoint(&s->client, &g->src);
    side *d = from_client ? &s->c : &s->s;
    take_bytes(d, g);
    s->last_us = g->ts_us;
    d->fin |= (g->flags & 1) != 0;
    s->rst |= (g->flags & 4) != 0;
}

void session_expire(session_table *t, int64_t now_us, int64_t idle_us)
{
    for (size_t b = 0; b < t->nbuckets && t->open; b++)
        for (session **link = &t->bucket[b]; *link;)
            if ((*link)->last_us <= now_us - idle_us ||
                (closed(*link) && (*link)->last_us <= now_us - CLOSED_IDLE_US))
                end_session(t, link);
            else
                link = &(*link)->next;
}

uint64_t session_table_free(session_table *t)
{
    session_expire(t, INT64_MAX, 0);
    uint64_t early = t->early;
    free(t->bucket);
    free(t);
    return early;
}
