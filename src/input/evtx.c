/* evtx: Windows EVTX files, read whole with libevtx (see wholefile.h).
 *
 * libevtx turns each record's binary XML into XML text; winxml parses it, so
 * an EVTX event gives exactly the fields the same event gives as XML. The
 * file is read from its path (libevtx needs to seek): compressed EVTX and
 * EVTX on stdin must be written to a file first.
 *
 * Damage: libevtx skips a chunk whose header is unreadable and reads the
 * others, so mailc2 checks each chunk's "ElfChnk" signature itself and
 * reports a damaged chunk once, by byte offset, as a bad record ("its records
 * are lost"); a record whose XML cannot be produced or parsed is one bad
 * record named by its record number. Records libevtx "recovers" from slack
 * space are not read: they repeat or predate the live records.
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
#include <libevtx.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/formats.h"
#include "input/wholefile.h"
#include "input/winctx.h"
#include "input/winxml.h"

enum { FILE_HEADER = 4096, CHUNK = 65536 };

static void libevtx_message(libevtx_error_t **e, char *buf, size_t len)
{
    buf[0] = '\0';
    if (*e && libevtx_error_sprint(*e, buf, len) < 0)
        snprintf(buf, len, "libevtx error");
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
    libevtx_error_free(e);
}

static void bad(const wf_sink *sink, uint64_t record, uint64_t offset, const char *what,
                const char *detail)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s%s%s", what, *detail ? ": " : "", detail);
    sink->bad(sink->ud, record, offset, msg);
}

/* Reports chunks whose signature is gone; libevtx drops their records. */
static void check_chunks(const char *path, const wf_sink *sink)
{
    FILE *f = fopen(path, "rb");
    unsigned char head[FILE_HEADER], magic[8];
    if (!f)
        return;
    if (fread(head, 1, sizeof head, f) == sizeof head) {
        unsigned nchunks = (unsigned)head[42] | (unsigned)head[43] << 8;
        for (unsigned i = 0; i < nchunks; i++) {
            long off = FILE_HEADER + (long)i * CHUNK;
            if (fseek(f, off, SEEK_SET) || fread(magic, 1, 8, f) != 8)
                break;
            if (memcmp(magic, "ElfChnk", 8) != 0) {
                char what[96];
                snprintf(what, sizeof what, "chunk %u has no ElfChnk signature: its records are "
                                            "lost", i);
                bad(sink, 0, (uint64_t)off, what, "");
            }
        }
    }
    fclose(f);
}

/* One record: XML from libevtx, fields from winxml. */
static void read_record(libevtx_record_t *rec, winxml *x, mc_value *row, arena *scratch,
                        const wf_sink *sink)
{
    libevtx_error_t *e = NULL;
    uint64_t id = 0;
    size_t size = 0;
    char msg[256];
    libevtx_record_get_identifier(rec, &id, &e);
    libevtx_error_free(&e);
    arena_reset(scratch);
    if (libevtx_record_get_utf8_xml_string_size(rec, &size, &e) != 1 || size == 0) {
        libevtx_message(&e, msg, sizeof msg);
        bad(sink, id, 0, "record has no XML", msg);
        return;
    }
    uint8_t *xml = arena_alloc(scratch, size);
    if (libevtx_record_get_utf8_xml_string(rec, xml, size, &e) != 1) {
        libevtx_message(&e, msg, sizeof msg);
        bad(sink, id, 0, "record XML", msg);
        return;
    }
    if (winxml_decode(x, (const char *)xml, strlen((const char *)xml), row, scratch, msg,
                      sizeof msg)) {
        bad(sink, id, 0, msg, "");
        return;
    }
    sink->event(sink->ud);
}

/* The first pass: process-creation records (event id 1 or 4688; winev
 * decides which are Sysmon's and Security's) into `table`. Records that
 * fail here are reported by the second pass. */
static void collect_processes(libevtx_file_t *file, winctx *table)
{
    libevtx_error_t *e = NULL;
    int n = 0;
    if (libevtx_file_get_number_of_records(file, &n, &e) != 1)
        libevtx_error_free(&e);
    winxml *x = winxml_new(NULL, 0);
    winxml_attach(x, table, NULL);
    arena scratch;
    arena_init(&scratch);
    char msg[160];
    for (int i = 0; i < n; i++) {
        libevtx_record_t *rec = NULL;
        uint32_t eid = 0;
        size_t size = 0;
        if (libevtx_file_get_record_by_index(file, i, &rec, &e) != 1) {
            libevtx_error_free(&e);
            continue;
        }
        if (libevtx_record_get_event_identifier(rec, &eid, &e) == 1 && (eid == 1 || eid == 4688) &&
            libevtx_record_get_utf8_xml_string_size(rec, &size, &e) == 1 && size > 0) {
            arena_reset(&scratch);
            uint8_t *xml = arena_alloc(&scratch, size);
            if (libevtx_record_get_utf8_xml_string(rec, xml, size, &e) == 1)
                (void)winxml_decode(x, (const char *)xml, strlen((const char *)xml), NULL,
                                    &scratch, msg, sizeof msg);
        }
        libevtx_error_free(&e);
        libevtx_record_free(&rec, &e);
        libevtx_error_free(&e);
    }
    arena_free(&scratch);
    winxml_free(x);
}

static void read_records(libevtx_file_t *file, winxml *x, mc_value *row, arena *scratch,
                         const wf_sink *sink)
{
    libevtx_error_t *e = NULL;
    int n = 0;
    char msg[256], what[64];
    if (libevtx_file_get_number_of_records(file, &n, &e) != 1)
        libevtx_error_free(&e);
    for (int i = 0; i < n; i++) {
        libevtx_record_t *rec = NULL;
        if (libevtx_file_get_record_by_index(file, i, &rec, &e) != 1) {
            libevtx_message(&e, msg, sizeof msg);
            snprintf(what, sizeof what, "record at index %d", i);
            bad(sink, (uint64_t)i + 1, 0, what, msg);
            continue;
        }
        read_record(rec, x, row, scratch, sink);
        libevtx_record_free(&rec, &e);
        libevtx_error_free(&e);
    }
}

int evtx_each(const char *path, const mc_field_req *fields, int nfields,
              const input_settings *settings, mc_value *row, arena *scratch,
              const wf_sink *sink, char *err, size_t errlen)
{
    (void)settings; /* Windows events carry their own direction */
    libevtx_file_t *file = NULL;
    libevtx_error_t *e = NULL;
    char msg[256];
    if (libevtx_file_initialize(&file, &e) != 1 ||
        libevtx_file_open(file, path, LIBEVTX_OPEN_READ, &e) != 1) {
        libevtx_message(&e, msg, sizeof msg);
        snprintf(err, errlen, "not a readable EVTX file (compressed EVTX must be decompressed "
                              "first): %s", msg);
        libevtx_file_free(&file, &e);
        libevtx_error_free(&e);
        return -1;
    }
    check_chunks(path, sink);
    winxml *x = winxml_new(fields, nfields);
    winctx *table = NULL;
    if (sink->enrich && winxml_wants_process(x)) {
        table = winctx_new(decoder_evtx.name);
        collect_processes(file, table);
        winxml_attach(x, NULL, winctx_processes(table) ? table : NULL);
    }
    read_records(file, x, row, scratch, sink);
    winxml_free(x);
    winctx_free(table);
    libevtx_file_close(file, &e);
    libevtx_error_free(&e);
    libevtx_file_free(&file, &e);
    libevtx_error_free(&e);
    return 0;
}

/* ---- registry entry: detection and `mailc2 formats` ---- */

static int evtx_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    return len >= 8 && memcmp(line, "ElfFile", 8) == 0;
}

const decoder decoder_evtx = {
    .name = "evtx",
    .family = "sysmon",
    .describe = "Windows EVTX files (libevtx): Sysmon 1/3 and Security 4688/5156 as in winxml, "
                "other events passed through; connections get the command line and user of "
                "their Sysmon 1/4688 process in the same file; a damaged chunk loses only its "
                "records",
    .probe = evtx_probe,
    .bind = wholefile_bind,
    .decode = wholefile_line,
    .unbind = wholefile_unbind,
    .read_file = evtx_each,
};
