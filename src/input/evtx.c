/* evtx: Windows EVTX files, read whole with libevtx (see wholefile.h).
 *
 * libevtx turns each record's binary XML into XML text; winxml parses it, so
 * an EVTX event gives exactly the fields the same event gives as XML. The
 * file is read from its path (it is read by offset): compressed EVTX and
 * EVTX on stdin must be written to a file first.
 *
 * Damage: libevtx is not given the file. Read whole, a damaged file header
 * loses every record, a stale chunk count hides the chunks past it, and a
 * chunk cut short or a record cut in the middle ends the chunk's records
 * without a word. So mailc2 walks the file in 64 KiB steps itself
 * (evtx_chunks.h), finds each chunk's records by their own framing, and
 * hands libevtx one chunk at a time behind a file header of its own making
 * (a memory file, memfd, that libevtx opens by its /proc/self/fd path: the
 * build links libevtx only, not the libbfio it would need to read memory);
 * libevtx's records (those it reads in order and those it "recovers" past a
 * break) are taken only when the walk found them, so stale copies in slack
 * space, which repeat or predate the live records, are never read. Every
 * damage is one message naming its byte offset (the driver counts it as a
 * bad record): a damaged file or chunk header (the records found are still
 * read), a stale chunk count, a record checksum that does not match, and
 * each stretch of records lost (a cut record, a file cut short, a chunk
 * with no record left), with the record numbers lost when the chunk header
 * says them. When records were lost, the file also fails (exit status 3, or
 * 5 with findings), its good records kept; a record whose XML cannot be
 * produced or parsed stays one bad record, named by its record number. A
 * chunk where libevtx could overrun a value count is read by libevtx in a
 * child process, one per pass over the file (evtx_records.h).
 *
 * Process context (winctx.h): when the plan reads cmdline or user, the file
 * is read twice. The first pass asks libevtx for each record's event id
 * only, and turns into XML just the records with id 1 or 4688, which go to
 * a process table; the second decodes every record, connection events
 * looking their process up in that table. Two passes, not one that keeps
 * process events as it meets them, because a process may be logged after
 * its connections (a wrapped log, chunks out of order) and the answer must
 * not depend on record order. The table is this file's own: the driver
 * gives whole-file readers no context (decoder.h), so a connection in one
 * EVTX file does not find a process created in another, and --no-enrich
 * does not reach here. */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/evtx_chunks.h"
#include "input/evtx_records.h"
#include "input/formats.h"
#include "input/wholefile.h"
#include "input/winctx.h"
#include "input/winxml.h"

static void bad(const wf_sink *sink, uint64_t record, uint64_t offset, const char *what,
                const char *detail)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s%s%s", what, *detail ? ": " : "", detail);
    sink->bad(sink->ud, record, offset, msg);
}

/* One file being read: the walk's state, and what each record found is
 * handed to. */
typedef struct evtx_file {
    int fd;
    uint64_t size;
    unsigned nslots;       /* 64 KiB slots the file holds, the last maybe cut short */
    unsigned signed_upto;  /* 1 + the last slot with a chunk signature */
    evtx_head head;
    unsigned char *slot;   /* the slot being read */
    evtx_chunk chunk;
    unsigned char *taken;  /* per record found: libevtx gave it */
    evtx_apart *apart;     /* the pass's child, for chunks libevtx could overrun */
    int view_fd;           /* the memory file that holds the chunk's view */
    char view_path[40];    /* its name for libevtx */
    /* The pass: `take` gets each record found; `sink` is NULL in the
     * process pass, which says nothing (the second pass does). */
    void (*take)(struct evtx_file *f, const evtx_got *g);
    const wf_sink *sink;
    winxml *x;
    mc_value *row;
    arena *scratch;
    char msg[256];         /* scratch for libevtx's messages */
    uint64_t lost;         /* records lost to damage, where the count is known */
    int lost_unknown;      /* a stretch lost whose record count is not known */
    uint64_t prev_last;    /* the last record of the last chunk that had any */
    int stale_said;
} evtx_file;

/* The second pass: XML from libevtx, fields from winxml. */
static void take_record(evtx_file *f, const evtx_got *g)
{
    arena_reset(f->scratch);
    if (!g->xml)
        bad(f->sink, g->id, 0, g->why ? g->why : "record has no XML", "");
    else if (winxml_decode(f->x, g->xml, g->len, f->row, f->scratch, f->msg, sizeof f->msg))
        bad(f->sink, g->id, 0, f->msg, "");
    else
        f->sink->event(f->sink->ud);
}

/* The first pass: process-creation records (event id 1 or 4688; winev
 * decides which are Sysmon's and Security's) into the process table that
 * f->x fills. Records that fail here are reported by the second pass. */
static void take_process(evtx_file *f, const evtx_got *g)
{
    if (!g->xml || (g->eid != 1 && g->eid != 4688))
        return;
    arena_reset(f->scratch);
    (void)winxml_decode(f->x, g->xml, g->len, NULL, f->scratch, f->msg, sizeof f->msg);
}

static uint64_t slot_offset(unsigned i)
{
    return EVTX_FILE_HEADER + (uint64_t)i * EVTX_CHUNK;
}

/* A message about the file's structure at byte `offset`. */
static void say(const evtx_file *f, uint64_t offset, const char *msg)
{
    f->sink->bad(f->sink->ud, 0, offset, msg);
}

/* "records A-B are lost" into `buf`, counting them; `from` or `to` 0 when
 * nothing says. Numbers that leave no room for a record (the stretch was
 * not one) lose nothing. */
static void lost_records(evtx_file *f, uint64_t from, uint64_t to, char *buf, size_t len)
{
    if (from && to && to < from) {
        snprintf(buf, len, "no record number is missing");
        return;
    }
    if (from && to) {
        f->lost += to - from + 1;
        if (to == from)
            snprintf(buf, len, "record %llu is lost", (unsigned long long)from);
        else
            snprintf(buf, len, "records %llu-%llu are lost", (unsigned long long)from,
                     (unsigned long long)to);
        return;
    }
    f->lost_unknown = 1;
    if (to)
        snprintf(buf, len, "the records before record %llu are lost", (unsigned long long)to + 1);
    else if (from)
        snprintf(buf, len, "the records from record %llu on are lost", (unsigned long long)from);
    else
        snprintf(buf, len, "its records are lost");
}

/* One stretch of chunk `i` that holds no readable record. */
static void say_gap(evtx_file *f, unsigned i, const evtx_gap *g)
{
    const evtx_chunk *c = &f->chunk;
    char lost[128], msg[320];
    uint64_t from = g->after ? g->after + 1 : c->first_id;
    uint64_t to = g->next ? g->next - 1 : c->last_id;
    lost_records(f, from, to, lost, sizeof lost);
    if (g->to > c->have)
        snprintf(msg, sizeof msg, "the file ends inside chunk %u, cutting the record here short: "
                                  "%s", i, lost);
    else
        snprintf(msg, sizeof msg, "chunk %u: %u bytes here are not a record (a damaged or cut "
                                  "record): %s", i, (unsigned)(g->to - g->from), lost);
    say(f, slot_offset(i) + g->from, msg);
}

/* The number of the first record of the chunk after slot `i`, or 0: read
 * only when chunk `i` is lost, to say which records went with it. */
static uint64_t next_first_id(const evtx_file *f, unsigned i)
{
    if (i + 1 >= f->nslots)
        return 0;
    uint64_t off = slot_offset(i + 1);
    size_t have = f->size - off < EVTX_CHUNK ? (size_t)(f->size - off) : EVTX_CHUNK;
    unsigned char *next = xmalloc(EVTX_CHUNK);
    uint64_t id = pread(f->fd, next, have, (off_t)off) == (ssize_t)have
                      ? evtx_slot_first_id(next, have) : 0;
    free(next);
    return id;
}

/* A chunk with no record left: the records between its neighbours' are
 * lost, when they follow each other (a wrapped log need not). */
static void say_lost_chunk(evtx_file *f, unsigned i, const char *why)
{
    char lost[128], msg[320];
    uint64_t next = next_first_id(f, i);
    uint64_t from = f->prev_last && next > f->prev_last ? f->prev_last + 1 : 0;
    lost_records(f, from, from ? next - 1 : 0, lost, sizeof lost);
    snprintf(msg, sizeof msg, "chunk %u: %s, and no record found: %s", i, why, lost);
    say(f, slot_offset(i), msg);
}

/* What the walk of chunk `i` found wrong, before its records are read. */
static void say_chunk(evtx_file *f, unsigned i)
{
    const evtx_chunk *c = &f->chunk;
    char msg[320];
    if (c->damage && !c->nrec) {
        say_lost_chunk(f, i, c->damage);
        return;
    }
    if (c->damage)
        snprintf(msg, sizeof msg, "chunk %u: %s; the %d records found by their own framing are "
                                  "read", i, c->damage, c->nrec);
    else if (!c->records_crc_ok && c->have == EVTX_CHUNK)
        snprintf(msg, sizeof msg, "chunk %u: record checksum mismatch: its records may have "
                                  "been altered", i);
    else
        msg[0] = '\0';
    if (msg[0])
        say(f, slot_offset(i), msg);
    if (!f->head.damage && !f->head.dirty && i >= f->head.nchunks && c->nrec && !f->stale_said) {
        f->stale_said = 1;
        snprintf(msg, sizeof msg, "the file header counts %u chunks, but chunk %u holds records: "
                                  "read all the same", f->head.nchunks, i);
        say(f, slot_offset(i), msg);
    }
    for (int g = 0; g < c->ngap; g++)
        say_gap(f, i, &c->gap[g]);
}

/* Hands f->take a record libevtx gave if the walk found it and it was not
 * taken yet (libevtx may give a record twice: in order and recovered). */
static void offer(void *ud, const evtx_got *g)
{
    evtx_file *f = ud;
    int k = evtx_chunk_find(&f->chunk, g->id);
    if (k < 0 || f->taken[k])
        return;
    f->taken[k] = 1;
    f->take(f, g);
}

/* libevtx over the chunk's view, through the memory file: in the pass's
 * child where it could overrun a count (evtx_records.h). */
static void read_view(evtx_file *f)
{
    size_t size = EVTX_FILE_HEADER + EVTX_CHUNK;
    memset(f->taken, 0, (size_t)f->chunk.nrec);
    f->msg[0] = '\0';
    if (pwrite(f->view_fd, f->chunk.view, size, 0) != (ssize_t)size) {
        snprintf(f->msg, sizeof f->msg, "cannot write its memory file: %s", strerror(errno));
        return;
    }
    if (!f->chunk.hazards)
        (void)evtx_records(f->view_path, f->take == take_process, offer, f, f->msg, sizeof f->msg);
    else if (evtx_records_apart(f->apart, offer, f, f->msg, sizeof f->msg) >= 0)
        snprintf(f->msg, sizeof f->msg, "libevtx failed on it in a child process (the chunk "
                                        "holds a template value count it would overrun)");
}

/* Records the walk found that libevtx did not give: each a bad record. */
static void say_untaken(evtx_file *f, unsigned i)
{
    for (int k = 0; k < f->chunk.nrec; k++) {
        if (f->taken[k])
            continue;
        char what[96];
        snprintf(what, sizeof what, "record at offset %llu: libevtx cannot read it",
                 (unsigned long long)(slot_offset(i) + f->chunk.rec[k].offset));
        bad(f->sink, f->chunk.rec[k].id, 0, what, f->msg);
    }
}

/* One pass over every slot the file holds, whatever its header counts. */
static void each_chunk(evtx_file *f)
{
    f->prev_last = 0;
    f->apart = evtx_apart_new(f->view_path, f->view_fd, f->take == take_process);
    for (unsigned i = 0; i < f->nslots; i++) {
        uint64_t off = slot_offset(i);
        size_t have = f->size - off < EVTX_CHUNK ? (size_t)(f->size - off) : EVTX_CHUNK;
        if (pread(f->fd, f->slot, have, (off_t)off) != (ssize_t)have) {
            char why[128];
            snprintf(why, sizeof why, "cannot read it (%s)", strerror(errno ? errno : EIO));
            if (f->sink)
                say_lost_chunk(f, i, why);
            continue;
        }
        int expected = (!f->head.damage && i < f->head.nchunks) || i + 1 < f->signed_upto;
        if (!evtx_chunk_load(&f->chunk, f->slot, have, expected))
            continue;
        if (f->sink)
            say_chunk(f, i);
        if (!f->chunk.nrec)
            continue;
        read_view(f);
        if (f->sink)
            say_untaken(f, i);
        f->prev_last = f->chunk.rec[f->chunk.nrec - 1].id;
    }
    evtx_apart_free(f->apart);
    f->apart = NULL;
}

/* A file that ends before the chunks its header counts: cut at a chunk
 * boundary, which no chunk can show. */
static void say_missing_chunks(evtx_file *f)
{
    if (f->head.damage || f->head.nchunks <= f->nslots)
        return;
    char msg[200];
    f->lost_unknown = 1;
    snprintf(msg, sizeof msg, "the file ends before chunk %u, but its header counts %u "
                              "chunks: chunks %u-%u and their records are lost", f->nslots,
             f->head.nchunks, f->nslots, f->head.nchunks - 1);
    say(f, f->size, msg);
}

/* Opens `path` and looks at its header and chunk signatures. */
static int evtx_open(evtx_file *f, const char *path, char *err, size_t errlen)
{
    struct stat st;
    unsigned char head[EVTX_FILE_HEADER], magic[8];
    memset(f, 0, sizeof *f);
    f->fd = open(path, O_RDONLY);
    if (f->fd < 0 || fstat(f->fd, &st) != 0) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        if (f->fd >= 0)
            close(f->fd);
        return -1;
    }
    f->size = (uint64_t)st.st_size;
    ssize_t got = pread(f->fd, head, sizeof head, 0);
    evtx_head_check(head, got > 0 ? (size_t)got : 0, &f->head);
    if (f->size > EVTX_FILE_HEADER)
        f->nslots = (unsigned)((f->size - EVTX_FILE_HEADER + EVTX_CHUNK - 1) / EVTX_CHUNK);
    for (unsigned i = 0; i < f->nslots; i++)
        if (pread(f->fd, magic, 8, (off_t)slot_offset(i)) == 8 && evtx_chunk_signed(magic))
            f->signed_upto = i + 1;
    if (f->head.damage && !f->signed_upto) {
        snprintf(err, errlen, "not a readable EVTX file (compressed EVTX must be decompressed "
                              "first): its file header has %s, and no chunk was found",
                 f->head.damage);
        close(f->fd);
        return -1;
    }
    f->view_fd = memfd_create("mailc2-evtx-chunk", MFD_CLOEXEC);
    if (f->view_fd < 0) {
        snprintf(err, errlen, "cannot make a memory file for libevtx: %s", strerror(errno));
        close(f->fd);
        return -1;
    }
    snprintf(f->view_path, sizeof f->view_path, "/proc/self/fd/%d", f->view_fd);
    if (access(f->view_path, R_OK) != 0) {
        snprintf(err, errlen, "cannot reach its memory file as %s (is /proc mounted?): %s",
                 f->view_path, strerror(errno));
        close(f->view_fd);
        close(f->fd);
        return -1;
    }
    f->slot = xmalloc(EVTX_CHUNK);
    f->taken = xmalloc(EVTX_MAX_RECORDS);
    evtx_chunk_init(&f->chunk);
    return 0;
}

static void evtx_close(evtx_file *f)
{
    evtx_chunk_free(&f->chunk);
    free(f->slot);
    free(f->taken);
    close(f->view_fd);
    close(f->fd);
}

/* The first pass, when connections want their process (see the top). */
static winctx *collect_processes(evtx_file *f)
{
    winctx *table = winctx_new(decoder_evtx.name);
    arena scratch;
    arena_init(&scratch);
    evtx_file pass = *f;
    pass.take = take_process;
    pass.sink = NULL;
    pass.x = winxml_new(NULL, 0);
    pass.scratch = &scratch;
    winxml_attach(pass.x, table, NULL);
    each_chunk(&pass);
    winxml_free(pass.x);
    arena_free(&scratch);
    return table;
}

int evtx_each(const char *path, const mc_field_req *fields, int nfields,
              const input_settings *settings, mc_value *row, arena *scratch,
              const wf_sink *sink, char *err, size_t errlen)
{
    (void)settings; /* Windows events carry their own direction */
    evtx_file f;
    if (evtx_open(&f, path, err, errlen))
        return -1;
    f.sink = sink;
    if (f.head.damage) {
        snprintf(f.msg, sizeof f.msg, "the file header has %s: its chunks are found by "
                                      "walking the file", f.head.damage);
        say(&f, 0, f.msg);
    }
    f.x = winxml_new(fields, nfields);
    winctx *table = NULL;
    if (sink->enrich && winxml_wants_process(f.x)) {
        table = collect_processes(&f);
        winxml_attach(f.x, NULL, winctx_processes(table) ? table : NULL);
    }
    f.take = take_record;
    f.row = row;
    f.scratch = scratch;
    each_chunk(&f);
    say_missing_chunks(&f);
    winxml_free(f.x);
    winctx_free(table);
    evtx_close(&f);
    if (!f.lost && !f.lost_unknown)
        return 0;
    if (f.lost_unknown)
        snprintf(err, errlen, "damaged: records lost (see the messages by offset); the others "
                              "were read");
    else
        snprintf(err, errlen, "damaged: %llu record%s lost (see the messages by offset); the "
                              "others were read", (unsigned long long)f.lost,
                 f.lost == 1 ? "" : "s");
    return -1;
}

/* ---- registry entry: detection and `mailc2 formats` ---- */

static int evtx_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    return len >= 8 && memcmp(line, "ElfFile", 8) == 0;
}

/* A file header, or, when it is damaged, the first chunk after it. */
static int evtx_probe_head(const unsigned char *head, size_t len)
{
    return (len >= 8 && memcmp(head, "ElfFile", 8) == 0) ||
           (len >= EVTX_FILE_HEADER + 8 && evtx_chunk_signed(head + EVTX_FILE_HEADER));
}

const decoder decoder_evtx = {
    .name = "evtx",
    .family = "sysmon",
    .describe = "Windows EVTX files (libevtx): Sysmon 1/3 and Security 4688/5156 as in winxml, "
                "other events passed through; connections get the command line and user of "
                "their Sysmon 1/4688 process in the same file; every chunk the file holds is "
                "read, and damage (a cut file, a damaged header, a cut record) loses only the "
                "records it touches, each loss said by byte offset",
    .probe = evtx_probe,
    .probe_head = evtx_probe_head,
    .bind = wholefile_bind,
    .decode = wholefile_line,
    .unbind = wholefile_unbind,
    .read_file = evtx_each,
};
