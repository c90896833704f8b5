/* winjson: Windows/Sysmon events as JSON lines, in the shapes exporters
 * write, all turned into the same winev fields as EVTX and XML:
 *   - Winlogbeat / Elastic ECS: winlog.event_id, winlog.channel,
 *     winlog.computer_name, winlog.provider_name, winlog.event_data.<Name>,
 *     time @timestamp;
 *   - NXLog / Mordor flat JSON: EventID, Channel, SourceName, Hostname,
 *     TimeCreated or @timestamp, and the EventData names at the top level;
 *   - Splunk search export: {"result":{EventCode, ComputerName, _time, ...}};
 *   - an XML <Event> carried in a string (Sentinel's Syslog table
 *     SyslogMessage, a shipper's message, Splunk's _raw): parsed as winxml.
 * The shape is decided per record, so a file may mix them.
 *
 * Native fields use the XML names (EventID, Computer, Image, ...), whatever
 * the shape: the sysmon family is one vocabulary.
 *
 * Process context as in winxml (winctx.h): the decoder_context reads every
 * line of a winjson input as the driver gathers it, whatever the shape, and
 * connection events get the command line and user of their process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/formats.h"
#include "input/jpath.h"
#include "input/json.h"
#include "value/convert.h"
#include "input/winev.h"
#include "input/winxml.h"

enum shape { SH_FLAT, SH_SPLUNK, SH_BEAT, SH__N };
enum { MAX_CAND = 4 };

/* Other names under which a shape writes a System value. */
static const struct { int key; const char *flat[3]; const char *beat; } aliases[] = {
    {WK_EVENTID, {"EventID", "EventCode", NULL}, "winlog.event_id"},
    {WK_CHANNEL, {"Channel", NULL, NULL}, "winlog.channel"},
    {WK_PROVIDER, {"SourceName", "ProviderName", NULL}, "winlog.provider_name"},
    {WK_COMPUTER, {"Computer", "Hostname", "ComputerName"}, "winlog.computer_name"},
    {WK_TIMECREATED, {"TimeCreated", "@timestamp", "_time"}, "@timestamp"},
};

/* Keys that may hold a whole XML event. */
static const char *const xml_keys[] = {"SyslogMessage", "message", "result._raw", "_raw"};
#define NXML (sizeof xml_keys / sizeof xml_keys[0])

typedef struct winjson {
    winev ev;
    jpath jp;
    winxml *xml;
    int winlog, result, xml_leaf[NXML];
    int cand[SH__N][WINEV_MAX_NAMES][MAX_CAND]; /* leaf ids, -1 = none */
    mc_value vals[WINEV_MAX_NAMES];
} winjson;

static void add_cand(winjson *w, int shape, int k, const char *path)
{
    for (int c = 0; c < MAX_CAND; c++)
        if (w->cand[shape][k][c] < 0) {
            w->cand[shape][k][c] = jpath_add(&w->jp, path, 0);
            return;
        }
}

static void add_prefixed(winjson *w, int shape, int k, const char *prefix, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s%s", prefix, name);
    add_cand(w, shape, k, path);
}

static int alias_of(int k)
{
    for (size_t a = 0; a < sizeof aliases / sizeof aliases[0]; a++)
        if (aliases[a].key == k)
            return (int)a;
    return -1;
}

/* Where each winev name is found in each shape. */
static void bind_names(winjson *w)
{
    memset(w->cand, -1, sizeof w->cand);
    for (int k = 0; k < w->ev.nnames; k++) {
        int a = alias_of(k);
        const char *name = w->ev.name[k];
        for (int i = 0; a >= 0 && i < 3 && aliases[a].flat[i]; i++) {
            add_cand(w, SH_FLAT, k, aliases[a].flat[i]);
            add_prefixed(w, SH_SPLUNK, k, "result.", aliases[a].flat[i]);
        }
        if (a >= 0) {
            add_cand(w, SH_BEAT, k, aliases[a].beat);
            continue;
        }
        add_cand(w, SH_FLAT, k, name);
        add_prefixed(w, SH_SPLUNK, k, "result.", name);
        add_prefixed(w, SH_BEAT, k, "winlog.event_data.", name);
    }
}

static void *winjson_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    (void)settings; /* Windows events carry their own direction */
    winjson *w = xcalloc(1, sizeof *w);
    winev_bind(&w->ev, fields, nfields);
    jpath_init(&w->jp);
    w->winlog = jpath_add(&w->jp, "winlog", 0);
    w->result = jpath_add(&w->jp, "result", 0);
    for (size_t i = 0; i < NXML; i++)
        w->xml_leaf[i] = jpath_add(&w->jp, xml_keys[i], 0);
    bind_names(w);
    w->xml = winxml_new(fields, nfields);
    return w;
}

static void winjson_unbind(void *state)
{
    winjson *w = state;
    jpath_free(&w->jp);
    winxml_free(w->xml);
    free(w);
}

/* A string value holding an <Event> element, unescaped into scratch. */
static int carried_xml(winjson *w, arena *scratch, mc_value *text)
{
    for (size_t i = 0; i < NXML; i++) {
        const json_slot *s = jpath_get(&w->jp, w->xml_leaf[i]);
        if (s->type != JSON_STRING)
            continue;
        mc_value v = json_text(s, scratch);
        if (value_find(v.u.s, v.len, "<Event") && value_find(v.u.s, v.len, "<System")) {
            *text = v;
            return 1;
        }
    }
    return 0;
}

static int decode_xml(winjson *w, mc_value text, mc_value *row, arena *scratch, char *err,
                      size_t errlen)
{
    const char *xml;
    size_t xlen;
    int found = winxml_find(text.u.s, text.len, &xml, &xlen, err, errlen);
    if (found <= 0)
        return DECODE_BAD;
    return winxml_decode(w->xml, xml, xlen, row, scratch, err, errlen) ? DECODE_BAD : DECODE_OK;
}

static int winjson_decode(void *state, const char *line, size_t len, mc_value *row,
                          arena *scratch, char *err, size_t errlen)
{
    winjson *w = state;
    json_error jerr;
    if (jpath_scan(&w->jp, line, len, &jerr)) {
        snprintf(err, errlen, "invalid JSON at byte %zu: %s", jerr.offset + 1, jerr.msg);
        return DECODE_BAD;
    }
    json_dup_note(&jerr, err, errlen); /* replaced if the record turns out bad */
    mc_value xml;
    if (carried_xml(w, scratch, &xml))
        return decode_xml(w, xml, row, scratch, err, errlen);
    int shape = jpath_get(&w->jp, w->winlog)->type == JSON_OBJECT   ? SH_BEAT
                : jpath_get(&w->jp, w->result)->type == JSON_OBJECT ? SH_SPLUNK
                                                                    : SH_FLAT;
    for (int k = 0; k < w->ev.nnames; k++) {
        w->vals[k] = mc_null();
        for (int c = 0; c < MAX_CAND && w->vals[k].type == MC_NULL; c++)
            w->vals[k] = json_text(jpath_get(&w->jp, w->cand[shape][k][c]), scratch);
    }
    if (w->vals[WK_EVENTID].type == MC_NULL) {
        snprintf(err, errlen, "no event id (EventID, EventCode or winlog.event_id)");
        return DECODE_BAD;
    }
    winev_row(&w->ev, w->vals, row, scratch);
    return DECODE_OK;
}

static void winjson_attach(void *state, winctx *collect, winctx *join)
{
    winjson *w = state;
    w->ev.collect = collect;
    w->ev.join = join;
    winxml_attach(w->xml, collect, join); /* for XML carried in a string */
}

static void *context_create(void)
{
    return winctx_context_new(&decoder_winjson, winjson_attach);
}

static const decoder_context winjson_context = {
    context_create, winctx_context_add, winctx_context_merge, winctx_context_use,
    winctx_context_report, winctx_context_destroy, winctx_context_consulted,
};

/* A JSON object with a Windows event id, a winlog object, a Splunk result,
 * or an XML event in a string. */
static int winjson_probe(const char *line, size_t len, const input_settings *settings)
{
    size_t i = strspn(line, " \t");
    if (i >= len || line[i] != '{')
        return 0;
    static const mc_field_req none[1] = {{"EventID", MC_FIELD_NATIVE}};
    winjson *w = winjson_bind(none, 1, settings);
    arena scratch;
    arena_init(&scratch);
    mc_value row[1], xml;
    char err[160];
    json_error jerr;
    int yes = 0;
    if (jpath_scan(&w->jp, line, len, &jerr) == 0) {
        yes = carried_xml(w, &scratch, &xml) ||
              jpath_get(&w->jp, w->winlog)->type == JSON_OBJECT ||
              winjson_decode(w, line, len, row, &scratch, err, sizeof err) == DECODE_OK;
    }
    arena_free(&scratch);
    winjson_unbind(w);
    return yes;
}

const decoder decoder_winjson = {
    .name = "winjson",
    .family = "sysmon",
    .describe = "Windows/Sysmon events as JSON lines (Winlogbeat/ECS, NXLog/Mordor, Splunk "
                "export, Sentinel Syslog with Sysmon for Linux XML); Sysmon 1/3, Security "
                "4688/5156: all canonical fields but bytes and app_proto; connections get the "
                "command line and user of their Sysmon 1/4688 process",
    .probe = winjson_probe,
    .bind = winjson_bind,
    .decode = winjson_decode,
    .unbind = winjson_unbind,
    .context = &winjson_context,
};
