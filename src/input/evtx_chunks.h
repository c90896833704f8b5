/* evtx_chunks: the EVTX file laid out by hand, so that damage loses only
 * what is damaged.
 *
 * libevtx reads a file through its header: a damaged file header loses the
 * whole file, a stale chunk count hides the chunks past it, and a chunk cut
 * short or a record cut in the middle silently ends the chunk's records.
 * Here mailc2 walks the file itself instead: the 4096-byte file header is
 * only checked, every 64 KiB slot the file holds is looked at, and each
 * chunk's records are found by their own framing (magic 0x00002a2a, size at
 * 4 and again in the last four bytes, identifier at 8). For each chunk it
 * builds a view, a sound file header of one chunk followed by the chunk's
 * bytes, that libevtx opens from memory (evtx.c); libevtx turns the records
 * into XML, and only the records this walk found are taken from it. The
 * walk also counts the places where libevtx could overrun a value count
 * (count_hazards): libevtx reads such a chunk in a child (evtx_records.h).
 *
 * Ownership: an evtx_chunk owns its view and record arrays (evtx_chunk_init,
 * evtx_chunk_free); evtx_chunk_load refills them for each slot. */
#ifndef MAILC2_EVTX_CHUNKS_H
#define MAILC2_EVTX_CHUNKS_H

#include <stddef.h>
#include <stdint.h>

enum {
    EVTX_FILE_HEADER = 4096,
    EVTX_CHUNK = 65536,
    EVTX_CHUNK_HEADER = 512, /* the first record starts here */
    EVTX_RECORD_MIN = 32,    /* a 24-byte record header, some XML, the size again */
    EVTX_MAX_RECORDS = (EVTX_CHUNK - EVTX_CHUNK_HEADER) / EVTX_RECORD_MIN,
};

/* The file header, as far as it can be trusted. */
typedef struct evtx_head {
    const char *damage; /* NULL when sound, else what is wrong with it */
    unsigned nchunks;   /* its chunk count (0 when damaged) */
    int dirty;          /* not closed cleanly: the count may lag behind the file */
} evtx_head;

/* `head` is the file's first `len` bytes. */
void evtx_head_check(const unsigned char *head, size_t len, evtx_head *h);

/* One record the walk found: where it starts in the chunk and its number. */
typedef struct evtx_rec {
    uint32_t offset;
    uint64_t id;
} evtx_rec;

/* Bytes of the record area the walk could not read as records: from `from`
 * to `to` (chunk offsets), between record `after` and record `next` (0: no
 * such record, the gap starts the chunk or ends it). */
typedef struct evtx_gap {
    uint32_t from, to;
    uint64_t after, next;
} evtx_gap;

typedef struct evtx_chunk {
    unsigned char *view;     /* EVTX_FILE_HEADER + EVTX_CHUNK bytes, for libevtx */
    size_t have;             /* chunk bytes the file holds (< EVTX_CHUNK: cut short) */
    const char *damage;      /* what is wrong with the chunk header, or NULL */
    int records_crc_ok;      /* the record checksum matches (sound header only) */
    uint64_t first_id, last_id; /* the header's record numbers (sound header only) */
    uint32_t end;            /* where its records end (the header's, or the walk's) */
    evtx_rec *rec;           /* the records found, identifiers increasing */
    int nrec;
    evtx_gap *gap;           /* the stretches that hold no readable record */
    int ngap;
    int hazards;             /* places libevtx could overrun (evtx_chunks.c) */
    uint32_t hazard_at;      /* the first one's chunk offset */
    unsigned char *seen;     /* the search for them: places looked at (bits) */
    uint32_t *work;          /* and places to look at */
} evtx_chunk;

void evtx_chunk_init(evtx_chunk *c);
void evtx_chunk_free(evtx_chunk *c);

/* Looks at one 64 KiB slot, `have` bytes of it held by the file. A slot
 * that is not a chunk (all zeros, or stale bytes without a chunk signature
 * or a first record) returns 0 unless `expected` (the file header counts it,
 * or a chunk follows it), and then counts as a chunk whose header is lost.
 * Returns 1 for a chunk: its records walked, gaps noted, its view built. */
int evtx_chunk_load(evtx_chunk *c, const unsigned char *slot, size_t have, int expected);

/* The index of record `id` among the records found, or -1. */
int evtx_chunk_find(const evtx_chunk *c, uint64_t id);

/* The number of the first record of a slot (`have` bytes): its sound
 * header's, else the one at the first record's place; 0 when neither. */
uint64_t evtx_slot_first_id(const unsigned char *slot, size_t have);

/* Whether `slot` (at least 8 bytes) starts with the chunk signature. */
int evtx_chunk_signed(const unsigned char *slot);

#endif
