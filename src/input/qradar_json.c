/* qradar_json: the body of QRadar's Ariel API search results
 * (GET /api/ariel/searches/{id}/results): {"events":[{...},{...}]}, often
 * pretty-printed across lines, so it is read whole (wholefile.h), through
 * the reader (gzip and zstd work). Each element of "events" is one record,
 * keyed by AQL column names ("sourceip", "eventDirection", "starttime" in
 * epoch ms) and by the default names of function columns
 * ("qidname_qid"); names, types and canonical fields are qradar.c's. A bad
 * element is one bad record, named by the line it starts on; the others
 * are still read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/formats.h"
#include "input/json.h"
#include "input/qradar.h"
#include "input/reader.h"
#include "input/wholefile.h"

enum { MAX_MEMBERS = 256 };

typedef struct doc {
    char *text;
    size_t len, cap;
    uint64_t *line_at;          /* byte offset where each line starts */
    size_t nlines, lcap;
} doc;

static void append(doc *d, const char *s, size_t n)
{
    if (d->len + n + 1 > d->cap) {
        d->cap = (d->len + n + 1) * 2;
        d->text = xrealloc(d->text, d->cap);
    }
    memcpy(d->text + d->len, s, n);
    d->len += n;
    d->text[d->len] = '\0';
}

static int slurp(const char *path, doc *d, char *err, size_t errlen)
{
    reader *r = reader_open(path, err, errlen);
    const char *line;
    size_t len;
    if (!r)
        return -1;
    while (reader_next_line(r, &line, &len) == 1) {
        if (d->nlines == d->lcap) {
            d->lcap = d->lcap ? d->lcap * 2 : 256;
            d->line_at = xrealloc(d->line_at, d->lcap * sizeof *d->line_at);
        }
        d->line_at[d->nlines++] = d->len;
        append(d, line, len);
        append(d, "\n", 1);
    }
    int rc = *reader_error(r) ? -1 : 0;
    if (rc)
        snprintf(err, errlen, "%s", reader_error(r));
    reader_close(r);
    return rc;
}

static uint64_t line_of(const doc *d, const char *p)
{
    size_t off = (size_t)(p - d->text), lo = 0, hi = d->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (d->line_at[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo + 1;
}

/* ---- walking JSON text that may be cut off or damaged ---- */

static const char *ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

/* The end of the string opened at p, or NULL. */
static const char *skip_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return NULL;
}

/* The end of the value at p: a string, a bracketed value (brackets matched,
 * strings skipped) or a scalar; NULL when the text ends first. Scalars are
 * not checked here: json_scan checks each record. */
static const char *skip_value(const char *p, const char *end)
{
    if (p < end && *p == '"')
        return skip_string(p, end);
    if (p < end && (*p == '{' || *p == '[')) {
        int depth = 0;
        while (p < end) {
            if (*p == '"') {
                if (!(p = skip_string(p, end)))
                    return NULL;
                continue;
            }
            if (*p == '{' || *p == '[')
                depth++;
            else if ((*p == '}' || *p == ']') && --depth == 0)
                return p + 1;
            p++;
        }
        return NULL;
    }
    while (p < end && !strchr(",}] \t\r\n", *p))
        p++;
    return p < end ? p : NULL;
}

/* After the top-level '{': the '[' of the "events" member, or NULL. */
static const char *events_array(const char *p, const char *end)
{
    p = ws(p, end);
    if (p < end && *p == '[')
        return p;
    if (p >= end || *p != '{')
        return NULL;
    for (p = ws(p + 1, end); p < end && *p == '"';) {
        const char *key = p + 1, *after = skip_string(p, end);
        if (!after)
            return NULL;
        p = ws(after, end);
        if (p >= end || *p != ':')
            return NULL;
        p = ws(p + 1, end);
        if (after - key == 7 && memcmp(key, "events", 6) == 0 && p < end && *p == '[')
            return p;
        if (!(p = skip_value(p, end)))
            return NULL;
        p = ws(p, end);
        if (p < end && *p == ',')
            p = ws(p + 1, end);
    }
    return NULL;
}

/* ---- one event ---- */

typedef struct qjson {
    const mc_field_req *fields;
    int nfields;
    const cidr_set *local;        /* the settings' local networks: direction */
    int *type;                    /* qradar_native_type of each native field */
    int n;
    mc_value name[MAX_MEMBERS], val[MAX_MEMBERS];
} qjson;

/* A JSON string slice (inside the quotes) as text. */
static mc_value string_text(const char *p, size_t len, arena *scratch)
{
    if (!memchr(p, '\\', len))
        return mc_str(MC_STR, p, len);
    char *buf = arena_alloc(scratch, len + 1);
    return mc_str(MC_STR, buf, json_unescape(p, len, buf));
}

static mc_value value_text(const char *p, const char *end, arena *scratch)
{
    if (*p == '"')
        return string_text(p + 1, (size_t)(end - p - 2), scratch);
    if (end - p == 4 && memcmp(p, "null", 4) == 0)
        return mc_null();
    return mc_str(MC_STR, p, (size_t)(end - p));
}

/* The members of a validated object. */
static void members(qjson *q, const char *p, const char *end, arena *scratch)
{
    q->n = 0;
    for (p = ws(p + 1, end); p < end && *p == '"' && q->n < MAX_MEMBERS;) {
        const char *after = skip_string(p, end);
        q->name[q->n] = string_text(p + 1, (size_t)(after - p - 2), scratch);
        const char *v = ws(ws(after, end) + 1, end), *vend = skip_value(v, end);
        q->val[q->n++] = value_text(v, vend, scratch);
        p = ws(vend, end);
        p = p < end && *p == ',' ? ws(p + 1, end) : end;
    }
}

static mc_value member(const qjson *q, const char *name)
{
    for (int i = 0; i < q->n; i++)
        if (qradar_same_name(name, strlen(name), q->name[i].u.s, q->name[i].len))
            return q->val[i];
    return mc_null();
}

static int event(qjson *q, const char *p, const char *end, mc_value *row, arena *scratch,
                 char *err, size_t errlen)
{
    json_error jerr;
    if (json_scan(NULL, p, (size_t)(end - p), NULL, &jerr)) {
        snprintf(err, errlen, "event is not a valid JSON object (byte %zu of it: %s)",
                 jerr.offset + 1, jerr.msg);
        return -1;
    }
    members(q, p, end, scratch);
    mc_value k[QK__N];
    int64_t ms;
    for (int i = 0; i < QK__N; i++)
        k[i] = member(q, qradar_key_name[i]);
    if (k[QK_STARTTIME].type != MC_NULL && qradar_time(k[QK_STARTTIME], &ms)) {
        mc_value t = k[QK_STARTTIME];
        snprintf(err, errlen, "starttime '%.*s' is not a time", (int)(t.len > 40 ? 40 : t.len),
                 t.u.s);
        return -1;
    }
    for (int i = 0; i < q->nfields; i++) {
        int source = q->fields[i].canon;
        row[i] = source >= 0   ? qradar_canonical(source, k, q->local)
                 : source == -1 ? qradar_native(q->type[i], member(q, q->fields[i].name), k,
                                                q->local)
                                : mc_null();
    }
    return 0;
}

static void bad_at(const wf_sink *sink, const doc *d, const char *p, const char *msg)
{
    sink->bad(sink->ud, line_of(d, p), 0, msg);
}

/* Each element of the events array starting at '['. */
static void each_event(qjson *q, const doc *d, const char *p, mc_value *row, arena *scratch,
                       const wf_sink *sink)
{
    const char *end = d->text + d->len;
    char err[256];
    for (p = ws(p + 1, end); p < end && *p != ']';) {
        const char *e = skip_value(p, end);
        arena_reset(scratch);
        if (!e) {
            bad_at(sink, d, p, "event cut off before its end (truncated file?)");
            return;
        }
        if (*p != '{')
            bad_at(sink, d, p, "an element of \"events\" is not an object");
        else if (event(q, p, e, row, scratch, err, sizeof err))
            bad_at(sink, d, p, err);
        else
            sink->event(sink->ud);
        p = ws(e, end);
        if (p < end && *p == ',')
            p = ws(p + 1, end);
        else if (p < end && *p != ']') {
            bad_at(sink, d, p, "expected ',' or ']' between events");
            return;
        }
    }
    if (p >= end)
        bad_at(sink, d, end - 1, "the events array is not closed (truncated file?)");
}

int qradar_json_each(const char *path, const mc_field_req *fields, int nfields,
                     const input_settings *settings, mc_value *row, arena *scratch,
                     const wf_sink *sink, char *err, size_t errlen)
{
    doc d = {0};
    if (slurp(path, &d, err, errlen)) {
        free(d.text);
        free(d.line_at);
        return -1;
    }
    const char *start = d.text ? events_array(d.text, d.text + d.len) : NULL;
    if (start) {
        qjson q = {fields, nfields, &settings->local, NULL, 0, {{0}}, {{0}}};
        q.type = xcalloc((size_t)(nfields ? nfields : 1), sizeof *q.type);
        for (int i = 0; i < nfields; i++)
            q.type[i] = qradar_native_type(fields[i].name);
        each_event(&q, &d, start, row, scratch, sink);
        free(q.type);
    } else {
        snprintf(err, errlen, "no \"events\" array at the top of the JSON document");
    }
    free(d.text);
    free(d.line_at);
    return start ? 0 : -1;
}

/* ---- registry entry ---- */

/* A line opening the document's "events" member: `"events": [` (pretty
 * printed) or `{"events":[` (compact). */
static int qjson_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    const char *p = ws(line, line + len), *end = line + len;
    if (p < end && *p == '{')
        p = ws(p + 1, end);
    if ((size_t)(end - p) < 8 || memcmp(p, "\"events\"", 8) != 0)
        return 0;
    p = ws(p + 8, end);
    if (p >= end || *p != ':')
        return 0;
    p = ws(p + 1, end);
    return p < end && *p == '[';
}

const decoder decoder_qradar_json = {
    .name = "qradar-json",
    .family = "qradar",
    .describe = "QRadar Ariel API search results ({\"events\":[...]}, any layout); the same "
                "names and canonical fields as qradar-csv",
    .probe = qjson_probe,
    .bind = wholefile_bind,
    .decode = wholefile_line,
    .unbind = wholefile_unbind,
    .read_file = qradar_json_each,
};
