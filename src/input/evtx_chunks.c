/* evtx_chunks: checks the EVTX file header, walks a chunk's records by their
 * own framing and builds the one-chunk view libevtx reads (evtx_chunks.h).
 *
 * Why walk the records rather than trust the chunk header: the header's
 * free-space offset and record numbers say where the records are, but a cut
 * file or a damaged header says nothing true; the records' own magic, size
 * and repeated size find them either way, and their identifiers (increasing
 * inside a chunk) tell live records from stale copies in the slack space,
 * which hold older identifiers. */
#include "input/evtx_chunks.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/arena.h"

static const unsigned char file_magic[8] = "ElfFile";
static const unsigned char chunk_magic[8] = "ElfChnk";
static const unsigned char record_magic[4] = {0x2a, 0x2a, 0, 0};

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v);
    put16(p + 2, v >> 16);
}

static void put64(unsigned char *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t crc(const unsigned char *p, size_t n, uint32_t start)
{
    return (uint32_t)crc32(start, p, (uInt)n);
}

/* The file header's checksum covers its first 120 bytes; the chunk
 * header's, bytes 0-119 and 128-511 (124 holds the checksum itself). */
static uint32_t file_header_crc(const unsigned char *h)
{
    return crc(h, 120, 0);
}

static uint32_t chunk_header_crc(const unsigned char *c)
{
    return crc(c + 128, 384, crc(c, 120, 0));
}

void evtx_head_check(const unsigned char *head, size_t len, evtx_head *h)
{
    memset(h, 0, sizeof *h);
    if (len < 128)
        h->damage = "been cut short";
    else if (memcmp(head, file_magic, 8) != 0)
        h->damage = "no ElfFile signature";
    else if (file_header_crc(head) != get32(head + 124))
        h->damage = "a checksum mismatch";
    if (h->damage)
        return;
    h->nchunks = (unsigned)head[42] | (unsigned)head[43] << 8;
    h->dirty = head[120] & 1;
}

int evtx_chunk_signed(const unsigned char *slot)
{
    return memcmp(slot, chunk_magic, 8) == 0;
}

void evtx_chunk_init(evtx_chunk *c)
{
    memset(c, 0, sizeof *c);
    c->view = xmalloc(EVTX_FILE_HEADER + EVTX_CHUNK);
    c->rec = xmalloc(EVTX_MAX_RECORDS * sizeof *c->rec);
    c->gap = xmalloc((EVTX_MAX_RECORDS + 1) * sizeof *c->gap);
    c->seen = xmalloc(EVTX_CHUNK / 8);
    c->work = xmalloc(EVTX_CHUNK * sizeof *c->work);
}

void evtx_chunk_free(evtx_chunk *c)
{
    free(c->view);
    free(c->rec);
    free(c->gap);
    free(c->seen);
    free(c->work);
    memset(c, 0, sizeof *c);
}

/* The size of a well-framed record at `p` that ends by `limit`, else 0. */
static uint32_t record_at(const unsigned char *slot, uint32_t p, uint32_t limit)
{
    if (p + 24 > limit || memcmp(slot + p, record_magic, 4) != 0)
        return 0;
    uint32_t size = get32(slot + p + 4);
    if (size < EVTX_RECORD_MIN || size > limit - p || get32(slot + p + size - 4) != size)
        return 0;
    return size;
}

/* The next record after `p` (records start on 8-byte boundaries) that can
 * follow record `last`: a higher identifier, and not so much higher that
 * the skipped bytes could not have held the records between. Returns its
 * offset, or `limit` when there is none. */
static uint32_t next_record(const unsigned char *slot, uint32_t p, uint32_t limit, uint64_t last)
{
    for (uint32_t q = (p + 8) & ~7u; q + 24 <= limit; q += 8) {
        if (!record_at(slot, q, limit))
            continue;
        uint64_t id = get64(slot + q + 8);
        if (last == 0 || (id > last && id - last <= 1 + (q - p) / EVTX_RECORD_MIN))
            return q;
    }
    return limit;
}

static void add_gap(evtx_chunk *c, uint32_t from, uint32_t to, uint64_t after, uint64_t next)
{
    c->gap[c->ngap++] = (evtx_gap){from, to, after, next};
}

/* Walks the records from the first up to `limit`. With a sound header the
 * records end at its free-space offset, so every stretch before that which
 * is not a record is a gap; without one, the first stretch after which no
 * record follows is where the records end. */
static void walk(evtx_chunk *c, const unsigned char *slot, uint32_t limit, int sound)
{
    uint32_t p = EVTX_CHUNK_HEADER;
    uint64_t last = sound && c->first_id ? c->first_id - 1 : 0;
    while (p < limit) {
        uint32_t size = record_at(slot, p, limit);
        uint64_t id = size ? get64(slot + p + 8) : 0;
        if (size && id > last && c->nrec < EVTX_MAX_RECORDS) {
            c->rec[c->nrec++] = (evtx_rec){p, id};
            last = id;
            p += size;
            continue;
        }
        uint32_t q = next_record(slot, p, limit, last);
        if (q == limit && !sound)
            break;
        uint64_t next = q < limit ? get64(slot + q + 8) : 0;
        add_gap(c, p, q == limit ? c->end : q, c->nrec ? last : 0, next);
        p = q;
    }
    if (!sound)
        c->end = p;
    else if (p < c->end && (!c->ngap || c->gap[c->ngap - 1].to != c->end))
        add_gap(c, p, c->end, c->nrec ? last : 0, 0); /* the file ends before the records do */
}

/* What is wrong with a chunk header; NULL when sound. */
static const char *header_damage(const unsigned char *slot, size_t have)
{
    if (!evtx_chunk_signed(slot))
        return "no ElfChnk signature";
    if (have < EVTX_CHUNK_HEADER)
        return "header cut short";
    if (chunk_header_crc(slot) != get32(slot + 124))
        return "header checksum mismatch";
    uint32_t free_at = get32(slot + 48);
    if (free_at < EVTX_CHUNK_HEADER || free_at > EVTX_CHUNK)
        return "free-space offset out of range";
    return NULL;
}

/* A file header for a file of this one chunk: libevtx then needs nothing
 * from the real one. */
static void view_file_header(unsigned char *h, uint64_t next_id)
{
    memcpy(h, file_magic, 8);
    put64(h + 24, next_id);
    put32(h + 32, 128);                /* header size */
    put16(h + 36, 1);                  /* minor version */
    put16(h + 38, 3);                  /* major version */
    put16(h + 40, EVTX_FILE_HEADER);   /* header block size */
    put16(h + 42, 1);                  /* chunks */
    put32(h + 124, file_header_crc(h));
}

/* A chunk header that says what the walk found, for a chunk whose own
 * header is damaged or whose records the file cuts short. */
static void view_chunk_header(unsigned char *v, const evtx_chunk *c)
{
    const evtx_rec *last = &c->rec[c->nrec - 1];
    uint32_t end = last->offset + get32(v + last->offset + 4);
    memcpy(v, chunk_magic, 8);
    put64(v + 8, c->rec[0].id);        /* record numbers: the identifiers will do */
    put64(v + 16, last->id);
    put64(v + 24, c->rec[0].id);
    put64(v + 32, last->id);
    put32(v + 40, 128);                /* header size */
    put32(v + 44, last->offset);
    put32(v + 48, end);                /* free space */
    put32(v + 52, crc(v + EVTX_CHUNK_HEADER, end - EVTX_CHUNK_HEADER, 0));
    put32(v + 124, chunk_header_crc(v));
}

/* Where libevtx would read the value count of a template instance at `p`
 * (binary XML token 0x0c), following its own checks: the definition's
 * offset, at 6, must not lie past the instance's 10 bytes; a definition
 * placed right there comes first, 24 bytes and its data size (at 20) long.
 * 0: none. */
static uint32_t template_count_at(const unsigned char *v, uint32_t p)
{
    if (v[p] != 0x0c || p + 10 >= EVTX_CHUNK)
        return 0;
    uint32_t after = p + 10, def = get32(v + p + 6);
    if (def > after || (uint64_t)def + 24 >= EVTX_CHUNK)
        return 0;
    uint64_t at = def < after ? after : (uint64_t)after + 24 + get32(v + def + 20);
    return at + 4 < EVTX_CHUNK ? (uint32_t)at : 0;
}

/* libevtx 20181227 checks a count N as N * 4 in 32 bits: from 2^30 on it
 * wraps, and a wrap that passes lets libevtx allocate N entries and read N
 * descriptors on past the chunk (a 128 KiB file took 24 GB before the
 * kernel ended mailc2). */
static int overruns(const unsigned char *v, uint32_t at)
{
    uint32_t n = get32(v + at);
    return n >= 1u << 30 && (uint64_t)at + 4 + (uint32_t)(n * 4u) < EVTX_CHUNK;
}

static void push(evtx_chunk *c, uint32_t p, int *nwork)
{
    if (c->seen[p >> 3] & (1u << (p & 7)))
        return;
    c->seen[p >> 3] |= (unsigned char)(1u << (p & 7));
    c->work[(*nwork)++] = p;
}

/* Where libevtx can meet a template instance: right after a fragment header
 * (token 0x0f, 4 bytes), or at the start of a substituted value of type
 * binary XML (0x21), whose place its instance's descriptors give (sizes of
 * 2 bytes and types, after the count; the values follow them). Element
 * content holds no instance, and a value that starts with a fragment header
 * is in the first set. So every instance libevtx could read is found from
 * the fragment headers on, as libevtx finds it, and only those: real logs
 * hold bytes shaped like an overrun count elsewhere in their values
 * (omer_sysmon.evtx: 8 places in 2 of its 9 chunks). Past a budget of
 * descriptors (a chunk written to be slow) the chunk counts as one that
 * overruns. Returns the places found that overrun; `first`, the first. */
static int count_hazards(evtx_chunk *c, const unsigned char *v, uint32_t *first)
{
    enum { BUDGET = 1 << 20 };
    int n = 0, nwork = 0;
    long budget = BUDGET;
    *first = 0;
    memset(c->seen, 0, EVTX_CHUNK / 8);
    const unsigned char *end = v + EVTX_CHUNK - 4;
    for (const unsigned char *h = v; (h = memchr(h, 0x0f, (size_t)(end - h))); h++)
        if (h[4] == 0x0c)
            push(c, (uint32_t)(h - v) + 4, &nwork);
    while (nwork) {
        uint32_t p = c->work[--nwork], at = template_count_at(v, p);
        if (!at)
            continue;
        if (overruns(v, at)) {
            if (!n++)
                *first = at;
            continue;
        }
        uint32_t count = get32(v + at);
        uint64_t value = (uint64_t)at + 4 + 4 * (uint64_t)count;
        for (uint32_t k = 0; k < count && value < EVTX_CHUNK; k++) {
            if (--budget < 0) { /* as if this instance overran */
                if (!n++)
                    *first = at;
                return n;
            }
            const unsigned char *d = v + at + 4 + 4 * k;
            if (d[2] == 0x21 && v[value] == 0x0c)
                push(c, (uint32_t)value, &nwork);
            value += (uint32_t)d[0] | (uint32_t)d[1] << 8;
        }
    }
    return n;
}

static void build_view(evtx_chunk *c, const unsigned char *slot)
{
    unsigned char *v = c->view + EVTX_FILE_HEADER;
    memset(c->view, 0, EVTX_FILE_HEADER + EVTX_CHUNK);
    view_file_header(c->view, c->rec[c->nrec - 1].id + 1);
    memcpy(v, slot, c->have);
    if (c->damage || c->have < EVTX_CHUNK)
        view_chunk_header(v, c);
    c->hazards = count_hazards(c, v, &c->hazard_at); /* in the bytes libevtx is given */
}

int evtx_chunk_load(evtx_chunk *c, const unsigned char *slot, size_t have, int expected)
{
    if (!expected && (have < 8 || !evtx_chunk_signed(slot)) &&
        !record_at(slot, EVTX_CHUNK_HEADER, (uint32_t)have))
        return 0;
    c->have = have;
    c->nrec = c->ngap = 0;
    c->first_id = c->last_id = 0;
    c->records_crc_ok = 0;
    c->damage = have >= 8 ? header_damage(slot, have) : "header cut short";
    c->end = c->damage ? (uint32_t)have : get32(slot + 48);
    if (!c->damage) {
        c->first_id = get64(slot + 24);
        c->last_id = get64(slot + 32);
        c->records_crc_ok = c->end <= have && crc(slot + EVTX_CHUNK_HEADER,
                                                  c->end - EVTX_CHUNK_HEADER, 0) ==
                                                  get32(slot + 52);
    }
    uint32_t limit = c->end < have ? c->end : (uint32_t)have;
    walk(c, slot, limit, !c->damage);
    if (c->nrec)
        build_view(c, slot);
    return 1;
}

uint64_t evtx_slot_first_id(const unsigned char *slot, size_t have)
{
    if (have >= 8 && !header_damage(slot, have))
        return get64(slot + 24);
    return record_at(slot, EVTX_CHUNK_HEADER, (uint32_t)have)
               ? get64(slot + EVTX_CHUNK_HEADER + 8) : 0;
}

int evtx_chunk_find(const evtx_chunk *c, uint64_t id)
{
    int lo = 0, hi = c->nrec - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (c->rec[mid].id == id)
            return mid;
        if (c->rec[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}
