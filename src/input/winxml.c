/* winxml: Windows event XML -> named values (libexpat) -> winev fields; and
 * the line decoder "winxml" for files of such events (see winxml.h).
 *
 * One expat parser per bound decoder, reset for each record. Names and
 * values are copied into the per-record scratch arena, so nothing of expat's
 * buffers outlives a callback. At most MAX_PAIRS values per event are kept
 * (a Sysmon event has about 20). A record that expat refuses is retried once
 * with bare '&' escaped (see repair_ampersands); if that fails too, the
 * first error is reported. */
#include "input/winxml.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/formats.h"
#include "value/convert.h"
#include "input/winev.h"

#define MAX_PAIRS 256

enum section { SEC_NONE, SEC_SYSTEM, SEC_EVENTDATA, SEC_USERDATA };

struct winxml {
    XML_Parser p;
    winev ev;
    arena *scratch;
    int depth, section, not_event;
    int collect_depth;          /* depth of the element whose text is wanted, or 0 */
    const char *collect_name;
    char *text;                 /* its text so far */
    size_t tlen, tcap;
    int npairs;
    const char *name[MAX_PAIRS];
    mc_value val[MAX_PAIRS];
    mc_value vals[WINEV_MAX_NAMES];
};

static void add_pair(winxml *x, const char *name, const char *value, size_t len)
{
    if (x->npairs == MAX_PAIRS)
        return;
    x->name[x->npairs] = name;
    x->val[x->npairs] = mc_str(MC_STR, arena_strndup(x->scratch, value, len), len);
    x->npairs++;
}

static const char *attr(const XML_Char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], name) == 0)
            return atts[i + 1];
    return NULL;
}

static void add_attr(winxml *x, const XML_Char **atts, const char *att, const char *as)
{
    const char *v = attr(atts, att);
    if (v)
        add_pair(x, as, v, strlen(v));
}

static void collect(winxml *x, const char *name)
{
    x->collect_depth = x->depth;
    x->collect_name = arena_strndup(x->scratch, name, strlen(name));
    x->tlen = 0;
}

/* A child of <System>: attributes for a few, text for the rest. */
static void system_child(winxml *x, const XML_Char *el, const XML_Char **atts)
{
    if (strcmp(el, "Provider") == 0)
        add_attr(x, atts, "Name", "Provider");
    else if (strcmp(el, "TimeCreated") == 0)
        add_attr(x, atts, "SystemTime", "TimeCreated");
    else if (strcmp(el, "Execution") == 0) {
        add_attr(x, atts, "ProcessID", "ExecutionProcessID");
        add_attr(x, atts, "ThreadID", "ExecutionThreadID");
    } else if (strcmp(el, "Security") == 0)
        add_attr(x, atts, "UserID", "UserID");
    else if (strcmp(el, "Correlation") != 0)
        collect(x, el);
}

static void XMLCALL on_start(void *ud, const XML_Char *el, const XML_Char **atts)
{
    winxml *x = ud;
    x->depth++;
    if (x->depth == 1) {
        x->not_event = strcmp(el, "Event") != 0;
    } else if (x->depth == 2) {
        x->section = strcmp(el, "System") == 0      ? SEC_SYSTEM
                     : strcmp(el, "EventData") == 0 ? SEC_EVENTDATA
                     : strcmp(el, "UserData") == 0  ? SEC_USERDATA
                                                    : SEC_NONE;
    } else if (x->depth == 3 && x->section == SEC_SYSTEM) {
        system_child(x, el, atts);
    } else if (x->depth == 3 && x->section == SEC_EVENTDATA) {
        const char *name = attr(atts, "Name");
        collect(x, name ? name : el);
    } else if (x->depth >= 4 && x->section == SEC_USERDATA) {
        collect(x, el);
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *el)
{
    winxml *x = ud;
    (void)el;
    if (x->collect_depth == x->depth) {
        add_pair(x, x->collect_name, x->text ? x->text : "", x->tlen);
        x->collect_depth = 0;
    }
    if (x->depth == 2)
        x->section = SEC_NONE;
    x->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    winxml *x = ud;
    if (!x->collect_depth || len <= 0)
        return;
    if (x->tlen + (size_t)len > x->tcap) {
        x->tcap = (x->tlen + (size_t)len) * 2;
        x->text = xrealloc(x->text, x->tcap);
    }
    memcpy(x->text + x->tlen, s, (size_t)len);
    x->tlen += (size_t)len;
}

static void reset(winxml *x, arena *scratch)
{
    XML_ParserReset(x->p, "UTF-8");
    XML_SetUserData(x->p, x);
    XML_SetElementHandler(x->p, on_start, on_end);
    XML_SetCharacterDataHandler(x->p, on_text);
    x->scratch = scratch;
    x->depth = x->section = x->not_event = x->collect_depth = 0;
    x->npairs = 0;
}

winxml *winxml_new(const mc_field_req *fields, int nfields)
{
    winxml *x = xcalloc(1, sizeof *x);
    x->p = XML_ParserCreate("UTF-8");
    if (!x->p)
        xoom(sizeof *x); /* expat's only failure here is memory */
    winev_bind(&x->ev, fields, nfields);
    return x;
}

void winxml_free(winxml *x)
{
    if (!x)
        return;
    XML_ParserFree(x->p);
    free(x->text);
    free(x);
}

static mc_value lookup(const winxml *x, const char *name)
{
    for (int i = 0; i < x->npairs; i++)
        if (strcmp(x->name[i], name) == 0)
            return x->val[i];
    return mc_null();
}

/* Does the '&' at p start an entity or character reference (&name; &#n;)? */
static int is_reference(const char *p, const char *end)
{
    const char *q = p + 1;
    if (q < end && *q == '#')
        q++;
    const char *start = q;
    while (q < end && (((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z') || (*q >= '0' && *q <= '9')))
        q++;
    return q > start && q < end && *q == ';';
}

/* A copy with every '&' that starts no reference written as "&amp;", or
 * NULL when there is none. Sysmon for Linux writes "&lt unknown process&gt "
 * (no semicolons); taking such text literally keeps the event. */
static char *repair_ampersands(const char *xml, size_t len, size_t *outlen, arena *scratch)
{
    size_t bare = 0;
    for (const char *p = xml; (p = memchr(p, '&', len - (size_t)(p - xml))); p++)
        bare += !is_reference(p, xml + len);
    if (!bare)
        return NULL;
    char *out = arena_alloc(scratch, len + 4 * bare), *d = out;
    for (size_t i = 0; i < len; i++) {
        *d++ = xml[i];
        if (xml[i] == '&' && !is_reference(xml + i, xml + len)) {
            memcpy(d, "amp;", 4);
            d += 4;
        }
    }
    *outlen = (size_t)(d - out);
    return out;
}

static int parse(winxml *x, const char *xml, size_t len, arena *scratch)
{
    reset(x, scratch);
    return XML_Parse(x->p, xml, (int)len, 1) == XML_STATUS_OK ? 0 : -1;
}

static void parse_error(winxml *x, char *err, size_t errlen)
{
    enum XML_Error code = XML_GetErrorCode(x->p);
    int cut = code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN;
    snprintf(err, errlen, "XML: %s at byte %lu of the event%s", XML_ErrorString(code),
             (unsigned long)XML_GetCurrentByteIndex(x->p) + 1,
             cut ? " (truncated record?)" : "");
}

int winxml_decode(winxml *x, const char *xml, size_t len, mc_value *row, arena *scratch,
                  char *err, size_t errlen)
{
    if (len > (size_t)INT32_MAX) {
        snprintf(err, errlen, "XML event larger than 2 GiB");
        return -1;
    }
    if (parse(x, xml, len, scratch)) {
        parse_error(x, err, errlen);
        size_t fixed_len;
        char *fixed = repair_ampersands(xml, len, &fixed_len, scratch);
        if (!fixed || parse(x, fixed, fixed_len, scratch))
            return -1;
    }
    if (x->not_event) {
        snprintf(err, errlen, "XML root element is not <Event>");
        return -1;
    }
    for (int k = 0; k < x->ev.nnames; k++)
        x->vals[k] = lookup(x, x->ev.name[k]);
    winev_row(&x->ev, x->vals, row, scratch);
    return 0;
}

/* The next "<Event" that opens an Event element (not <EventData>, <EventID>). */
static const char *event_tag(const char *p, const char *end)
{
    static const char tag[] = "<Event";
    const size_t n = sizeof tag - 1;
    while ((p = memchr(p, '<', (size_t)(end - p))) && (size_t)(end - p) > n) {
        char c = p[n];
        if (memcmp(p, tag, n) == 0 && (c == '>' || c == ' ' || c == '\t' || c == '/'))
            return p;
        p++;
    }
    return NULL;
}

int winxml_find(const char *line, size_t len, const char **xml, size_t *xlen, char *err,
                size_t errlen)
{
    const char *end = line + len, *start = event_tag(line, end);
    if (!start)
        return 0;
    const char *close = value_find(start, (size_t)(end - start), "</Event>");
    const char *stop = close ? close + 8 : end;
    if (close && event_tag(stop, end)) {
        snprintf(err, errlen, "more than one <Event> on a line: mailc2 reads one event per line "
                              "(split the file at \"</Event>\")");
        return -1;
    }
    *xml = start;
    *xlen = (size_t)(stop - start);
    return 1;
}

/* ---- the line decoder ---- */

static int winxml_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    const char *xml;
    size_t xlen;
    char err[8];
    return winxml_find(line, len, &xml, &xlen, err, sizeof err) != 0 &&
           value_find(line, len, "<System") != NULL;
}

static void *winxml_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    (void)settings; /* Windows events carry their own direction */
    return winxml_new(fields, nfields);
}

static void winxml_unbind(void *state)
{
    winxml_free(state);
}

void winxml_attach(winxml *x, winctx *collect, winctx *join)
{
    x->ev.collect = collect;
    x->ev.join = join;
}

int winxml_wants_process(const winxml *x)
{
    return x->ev.wants_process;
}

static void attach_state(void *state, winctx *collect, winctx *join)
{
    winxml_attach(state, collect, join);
}

static void *context_create(void)
{
    return winctx_context_new(&decoder_winxml, attach_state);
}

static const decoder_context winxml_context = {
    context_create, winctx_context_add, winctx_context_merge, winctx_context_use,
    winctx_context_report, winctx_context_destroy, winctx_context_consulted,
};

static int winxml_line(void *state, const char *line, size_t len, mc_value *row,
                       arena *scratch, char *err, size_t errlen)
{
    const char *xml;
    size_t xlen;
    int found = winxml_find(line, len, &xml, &xlen, err, errlen);
    if (found == 0) {
        size_t i = strspn(line, " \t");
        if (i < len && line[i] == '<' && (value_find(line, len, "<?xml") ||
                                          value_find(line, len, "Events>")))
            return DECODE_SKIP; /* the XML declaration or an <Events> wrapper line */
        snprintf(err, errlen, "no <Event> element on the line");
        return DECODE_BAD;
    }
    if (found < 0)
        return DECODE_BAD;
    return winxml_decode(state, xml, xlen, row, scratch, err, errlen) ? DECODE_BAD : DECODE_OK;
}

const decoder decoder_winxml = {
    .name = "winxml",
    .family = "sysmon",
    .describe = "Windows/Sysmon events as XML, one <Event> per line (wevtutil /f:xml, "
                "Get-WinEvent ToXml, Sysmon for Linux syslog); Sysmon 1/3, Security 4688/5156: "
                "all canonical fields but bytes and app_proto; connections get the command "
                "line and user of their Sysmon 1/4688 process",
    .probe = winxml_probe,
    .bind = winxml_bind,
    .decode = winxml_line,
    .unbind = winxml_unbind,
    .context = &winxml_context,
};
