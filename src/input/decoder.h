/* decoder: the interface every input format implements, and the registry
 * that picks one for a file by looking at its content.
 *
 * A decoder is bound once to the fields a plan needs (bind), then turns one
 * record into values in those slots (decode). Detection is by content, not
 * file name: each decoder's probe looks at one record and says whether it is
 * its format.
 *
 * Ownership: bind() returns state the decoder owns; unbind() frees it.
 * decode() writes borrowed values (see event.h). */
#ifndef MAILC2_DECODER_H
#define MAILC2_DECODER_H

#include <stdio.h>

#include "input/event.h"
#include "input/json.h"
#include "input/settings.h"

enum { DECODE_OK = 0, DECODE_BAD = -1, DECODE_SKIP = 1 /* a record, but not an event */ };

/* Where a field comes from in a raw JSON line (decoder raw_keys): the
 * value of a top-level key, as json_text reads it, through its key's
 * conversion (NULL: as written), such that with every key present the
 * field is never NULL but where a conversion gives NULL (the notes of a
 * query rely on this to see a field is not NULL). Which key:
 *   first = 0: one of them, which the decoder picks by what is not read
 *     raw (a connection's direction picks its remote or local port), and
 *     NULL when that one is absent;
 *   first = 1: the first present and not null (Falcon's process name:
 *     ContextBaseFileName, else the base name of ImageFileName); NULL
 *     when none is, or, with joined, a value a join table may give, which
 *     only the parse can tell. */
enum { RAW_KEYS_MAX = 2 };
typedef struct raw_field {
    int nkeys;
    const char *key[RAW_KEYS_MAX];
    mc_value (*conv[RAW_KEYS_MAX])(mc_value raw);
    int first, joined;
} raw_field;

/* Optional side tables. A decoder whose events refer to other records
 * (Falcon network events to their process) is given every input of its
 * format before its events are evaluated, to build a context that its
 * decode then consults (falcon_ctx.h). A context without `add` gathers
 * nothing: it is only shared by the main pass's decoder states (every worker
 * attaches it with `use`), to gather what the run should report (Zeek's
 * view of local addresses against --local-nets), joins or not. */
typedef struct decoder_context {
    void *(*create)(void);
    /* NULL: nothing to gather. line: the line and its JSON keys when asked
     * (json.h; any line format may come). seq orders the run's lines (input, line) so
     * that tables built by several threads and merged are the same as one
     * thread's. */
    void (*add)(void *ctx, json_line *line, uint64_t seq);
    void (*merge)(void *into, void *from);    /* moves from's entries into into */
    void (*use)(void *state, void *ctx);      /* after bind */
    /* What the joins achieved, as one line for the run report (empty when
     * there is nothing to say). */
    void (*report)(const void *ctx, char *msg, size_t len);
    void (*destroy)(void *ctx);
    /* Whether a decode has looked something up in ctx since it was made. A
     * run whose inputs can be read again first tries without building the
     * tables (most exported telemetry carries every field on the event):
     * a table consulted while empty means the answer needs them, and the
     * run starts over with them (driver/run.c). NULL: always built. */
    int (*consulted)(const void *ctx);
} decoder_context;

/* Formats that cannot be decoded a line at a time (EVTX is binary; QRadar's
 * Ariel JSON is one document) read the whole file instead: they fill `row`
 * as decode() would and call sink->event per record, sink->bad per bad
 * record (`record` = line or record number, or 0 when only the byte
 * `offset` is known). The driver resets `scratch` between records. */
typedef struct wf_sink {
    void (*event)(void *ud);
    void (*bad)(void *ud, uint64_t record, uint64_t offset, const char *msg);
    void *ud;
    int enrich;       /* joins wanted (not --no-enrich): e.g. EVTX's process table */
} wf_sink;

/* Returns 0 when the file was read (bad records included), -1 when it could
 * not be read at all (err says why, naming no path: the caller adds it). */
typedef int (*wf_reader)(const char *path, const mc_field_req *fields, int nfields,
                         const input_settings *settings, mc_value *row, arena *scratch,
                         const wf_sink *sink, char *err, size_t errlen);

typedef struct decoder {
    const char *name;
    const char *family;    /* the source family whose field names its records
                              carry ("falcon", "qradar", "sysmon", ...; NULL =
                              name): what a view resolves against (src/view/) */
    const char *describe;  /* one line for `mailc2 formats` */
    int (*probe)(const char *line, size_t len, const input_settings *settings);
    /* Binary formats: is this the start of the input? (NULL: lines only) */
    int (*probe_head)(const unsigned char *head, size_t len);
    /* `fields` are resolved (event.h) and, like `settings`, borrowed for as
     * long as the state lives. */
    void *(*bind)(const mc_field_req *fields, int nfields, const input_settings *settings);
    /* Fills row[0..nfields-1]. On DECODE_BAD writes what was wrong to err;
     * on DECODE_OK err may hold a note about a good record (a repeated key),
     * which the run reports once per input with the count, or be "";
     * DECODE_SKIP: a valid record that is not an event (a header, a table
     * row such as Falcon's aid_master). */
    int (*decode)(void *state, const char *line, size_t len, mc_value *row,
                  arena *scratch, char *err, size_t errlen);
    void (*unbind)(void *state);
    const decoder_context *context;           /* NULL: none */
    /* Formats whose events span several lines (Linux audit): read in order
     * on one thread, and asked once at the end of an input for an event
     * still pending (DECODE_OK fills row). NULL: one line, one event. */
    int (*finish)(void *state, mc_value *row, arena *scratch);
    wf_reader read_file;                      /* NULL: decode() reads lines */
    /* A line's event time read without parsing it, for --now latest, which
     * needs the time of every line (driver/record.c): for a state bound to
     * the event time alone, 1 with *ms its value as decode() would give it
     * (INT64_MIN: an event without a time), 0 when only decode() can tell
     * (a line that is not plainly one object, or is no event). A
     * malformed line whose time reads plainly counts, as the lines the
     * prefilter skips are not validated. NULL: always decode. */
    int (*raw_time)(const void *state, json_line *line, int64_t *ms);
    /* Where field `field` comes from in a raw JSON line, for testing lines
     * before parsing them (driver/prefilter.h): fills *out (raw_field,
     * above) and returns out->nkeys, 0 when the field is computed
     * otherwise. NULL: no field is. */
    int (*raw_keys)(const void *state, int field, raw_field *out);
} decoder;

/* The first registered decoder whose probe accepts the record, or NULL. */
const decoder *decoder_detect(const char *line, size_t len, const input_settings *settings);
/* The first decoder whose probe_head accepts the input's first bytes, or NULL. */
const decoder *decoder_detect_head(const unsigned char *head, size_t len);
/* NULL-terminated list of every decoder. */
const decoder *const *decoder_all(void);

/* The family of `d` (its name when it declares none). */
const char *decoder_family(const decoder *d);

extern const decoder decoder_falcon;

#endif
