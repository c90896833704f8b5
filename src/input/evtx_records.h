/* evtx_records: the records libevtx reads from a chunk's view (evtx_chunks.h),
 * in mailc2 itself or, where libevtx could do harm, in a child process.
 *
 * libevtx 20181227, Debian 12's, overruns a template value count of 2^30 or
 * more: it allocates 8 bytes per value and reads on past the chunk, and a
 * 128 KiB file took 24 GB before the kernel ended the run. The walk marks a
 * chunk that holds such a count where libevtx could meet one
 * (evtx_chunk.hazards: found from the fragment headers on, as libevtx
 * finds its template instances), without parsing the chunk's XML, so it
 * does not know which record meets it. Such a chunk is read by libevtx in
 * a child whose address space is bounded (1 GiB above what it inherits),
 * which sends each record back through a socket: there libevtx's
 * allocation is refused and it fails the record, or the child ends and a
 * new one goes on past that record. A record lost so is said by evtx.c, as
 * any record libevtx does not give. One child serves a pass over a file: a
 * child per chunk cost about 3 ms a chunk, mostly the copies of the pages
 * both processes write after a fork (BENCHMARKS.md, session 15). */
#ifndef MAILC2_EVTX_RECORDS_H
#define MAILC2_EVTX_RECORDS_H

#include <stddef.h>
#include <stdint.h>

/* A record as libevtx gave it: its number and event id, and its XML
 * (NUL-terminated), or NULL and why not. */
typedef struct evtx_got {
    uint64_t id;
    uint32_t eid;
    const char *xml;
    size_t len;
    const char *why;
} evtx_got;

typedef void (*evtx_got_fn)(void *ud, const evtx_got *g);

/* Each record libevtx gives from the EVTX file at `path`, by index as
 * libevtx numbers them (those in order, then those it recovers), to fn.
 * `processes`: XML only for event ids 1 and 4688 (the process pass's), the
 * others with xml and why NULL. Returns 0, or -1 when libevtx could not
 * open the file (err says why). */
int evtx_records(const char *path, int processes, evtx_got_fn fn, void *ud, char *err,
                 size_t errlen);

/* A child process, started when first needed and kept for the calls after,
 * that reads the file at `path` as evtx_records does: a pass over a file
 * starts one, whose copy of mailc2's memory is paid for once, not once per
 * chunk. The file may change between calls (the next chunk's view). */
typedef struct evtx_apart evtx_apart;

/* path_fd: the fd `path` names, which the child keeps (it closes the
 * others, so that no other thread's child holds a copy of its socket). */
evtx_apart *evtx_apart_new(const char *path, int path_fd, int processes);
void evtx_apart_free(evtx_apart *a); /* ends the child */

/* evtx_records in a's child. Returns how many indexes gave no record
 * because the child ended on them (each ends one child; the next goes on
 * past it), or -1 when no child could open the file (err says why). */
int evtx_records_apart(evtx_apart *a, evtx_got_fn fn, void *ud, char *err, size_t errlen);

#endif
