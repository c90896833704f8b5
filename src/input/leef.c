/* leef: IBM LEEF 1.0 and 2.0 events, alone or after a syslog header:
 *   LEEF:1.0|Vendor|Product|Version|EventID|key=value<TAB>key=value...
 *   LEEF:2.0|Vendor|Product|Version|EventID|^|key=value^key=value...
 * LEEF 2.0's sixth header field names the attribute delimiter: one
 * character, or its code as x5E / 0x5E; empty means tab.
 *
 * Attributes are named by their LEEF keys; qradar.c maps the predefined ones
 * onto AQL names (src -> sourceip, dstPort -> destinationport, usrName ->
 * username, devTime -> devicetime, srcBytes -> "Bytes Sent", identHostName
 * -> "Hostname") and matches a custom property to a key ignoring case and
 * spaces ("Process Name" reads processName). The header fields are natives
 * "leef_version", "vendor", "product", "product_version", "event_id".
 * devTime is epoch milliseconds or a date-time time_parse_log reads
 * (devTimeFormat "MMM dd yyyy HH:mm:ss" and ISO 8601); a record without
 * devTime has no time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/formats.h"
#include "input/qradar.h"
#include "value/convert.h"

enum { MAX_ATTRS = 256, HEADER = 5 };
static const char *const header_name[HEADER] = {
    "leef_version", "vendor", "product", "product_version", "event_id",
};

typedef struct leef {
    const mc_field_req *fields;
    const cidr_set *local;        /* the settings' local networks: direction */
    int nfields;
    int *type;                    /* qradar_native_type of each native field */
    int n;
    mc_value header[HEADER];
    mc_value key[MAX_ATTRS], val[MAX_ATTRS];
} leef;

/* The next '|'-terminated header field at *p. */
static int header_field(const char **p, const char *end, mc_value *out)
{
    const char *bar = memchr(*p, '|', (size_t)(end - *p));
    if (!bar)
        return -1;
    *out = mc_str(MC_STR, *p, (size_t)(bar - *p));
    *p = bar + 1;
    return 0;
}

/* LEEF 2.0's delimiter field: "^", "x5E", "0x5E" or "" (tab). */
static int delimiter(mc_value f, char *delim)
{
    const char *s = f.u.s;
    size_t n = f.len;
    if (n == 0) {
        *delim = '\t';
        return 0;
    }
    if (n == 1) {
        *delim = s[0];
        return 0;
    }
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s++;
        n--;
    }
    if ((n == 2 || n == 3) && (s[0] == 'x' || s[0] == 'X')) {
        char hex[3] = {s[1], n == 3 ? s[2] : '\0', '\0'};
        char *end;
        long v = strtol(hex, &end, 16);
        if (*end == '\0' && v > 0 && v < 256) {
            *delim = (char)v;
            return 0;
        }
    }
    return -1;
}

static int parse(leef *l, const char *line, size_t len, char *err, size_t errlen)
{
    const char *end = line + len, *p = value_find(line, len, "LEEF:");
    if (!p) {
        snprintf(err, errlen, "no LEEF: header");
        return -1;
    }
    p += 5;
    for (int i = 0; i < HEADER; i++)
        if (header_field(&p, end, &l->header[i])) {
            snprintf(err, errlen, "LEEF header has %d of its 5 '|' fields (truncated record?)", i);
            return -1;
        }
    char delim = '\t';
    mc_value d;
    const char *save = p;
    if (value_is(l->header[0], "2.0") && (header_field(&p, end, &d) || delimiter(d, &delim)))
        p = save; /* no delimiter field: tab */
    l->n = 0;
    while (p < end && l->n < MAX_ATTRS) {
        const char *stop = memchr(p, delim, (size_t)(end - p));
        if (!stop)
            stop = end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        if (eq) {
            l->key[l->n] = mc_str(MC_STR, p, (size_t)(eq - p));
            l->val[l->n++] = mc_str(MC_STR, eq + 1, (size_t)(stop - eq - 1));
        } else if (stop > p) {
            int shown = (int)(stop - p > 40 ? 40 : stop - p);
            snprintf(err, errlen, "attribute '%.*s' has no '='", shown, p);
            return -1;
        }
        p = stop + (stop < end);
    }
    return 0;
}

static mc_value attr(const leef *l, const char *name)
{
    for (int i = 0; i < HEADER; i++)
        if (strcmp(name, header_name[i]) == 0)
            return l->header[i];
    for (int i = 0; i < l->n; i++)
        if (qradar_same_name(name, strlen(name), l->key[i].u.s, l->key[i].len))
            return l->val[i].len ? l->val[i] : mc_null();
    return mc_null();
}

static void *leef_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    leef *l = xcalloc(1, sizeof *l);
    l->fields = fields;
    l->local = &settings->local;
    l->nfields = nfields;
    l->type = xcalloc((size_t)(nfields ? nfields : 1), sizeof *l->type);
    for (int i = 0; i < nfields; i++)
        l->type[i] = qradar_native_type(fields[i].name);
    return l;
}

static void leef_unbind(void *state)
{
    leef *l = state;
    free(l->type);
    free(l);
}

static int leef_decode(void *state, const char *line, size_t len, mc_value *row,
                       arena *scratch, char *err, size_t errlen)
{
    leef *l = state;
    (void)scratch; /* values borrow from the line */
    if (parse(l, line, len, err, errlen))
        return DECODE_BAD;
    mc_value k[QK__N];
    int64_t ms;
    for (int i = 0; i < QK__N; i++)
        k[i] = attr(l, qradar_key_name[i]);
    if (k[QK_DEVICETIME].type != MC_NULL && qradar_time(k[QK_DEVICETIME], &ms)) {
        mc_value t = k[QK_DEVICETIME];
        snprintf(err, errlen, "devTime '%.*s' is not a time (epoch ms or MMM dd yyyy HH:mm:ss)",
                 (int)(t.len > 40 ? 40 : t.len), t.u.s);
        return DECODE_BAD;
    }
    for (int i = 0; i < l->nfields; i++) {
        int source = l->fields[i].canon;
        row[i] = source >= 0   ? qradar_canonical(source, k, l->local)
                 : source == -1 ? qradar_native(l->type[i], attr(l, l->fields[i].name), k, l->local)
                                : mc_null();
    }
    return DECODE_OK;
}

static int leef_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    const char *p = value_find(line, len, "LEEF:");
    return p && (size_t)(line + len - p) > 8 &&
           (memcmp(p + 5, "1.0|", 4) == 0 || memcmp(p + 5, "2.0|", 4) == 0);
}

const decoder decoder_leef = {
    .name = "leef",
    .family = "qradar",
    .describe = "IBM LEEF 1.0/2.0 syslog; predefined keys (src, dstPort, usrName, devTime, "
                "srcBytes, identHostName) read as their AQL names, the same canonical fields "
                "as qradar-csv",
    .probe = leef_probe,
    .bind = leef_bind,
    .decode = leef_decode,
    .unbind = leef_unbind,
};
