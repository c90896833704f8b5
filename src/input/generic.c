/* generic: any CSV (header row) or JSON-lines file, read through a map the
 * user gives with --map canonical=native,... (settings.h). Without a
 * map it accepts no file; with one, it accepts what no specific decoder
 * claimed (it is last in the registry) and whose first record names at
 * least one mapped field.
 *
 * Canonical values are converted from the mapped text: time as epoch
 * seconds (10 digits, or with a fraction), epoch milliseconds (12 or more
 * digits) or any date-time time_parse_log reads; addresses, ports, bytes
 * and transport as every decoder converts them (values.h); proc_name
 * defaults to the base name of proc_path. Unmapped kind: "conn" for a
 * record with a destination port. Unmapped direction: from the addresses
 * (values.h); a mapped one is read as out/outbound/egress/L2R/L2L -> "out",
 * in/inbound/ingress/R2L -> "in". Native fields are the CSV column names or
 * JSON keys (dotted for nested objects), exactly as written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/csv.h"
#include "input/formats.h"
#include "input/jpath.h"
#include "input/json.h"
#include "value/convert.h"
#include "util/timeutil.h"

enum { MAX_COLS = 256 };

/* ---- state ---- */

typedef struct generic {
    const mc_field_req *fields;
    const cidr_set *local;        /* the settings' local networks: direction */
    char *const *map;             /* the settings' map: native name per canonical field */
    int nfields;
    int json;                   /* else CSV */
    char sep;
    jpath jp;
    int canon_leaf[MC_C__COUNT], *native_leaf;
    int ncols;
    char *colname[MAX_COLS];
    int canon_col[MC_C__COUNT], *native_col;
    mc_value v[MAX_COLS];
} generic;

static void *generic_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    generic *g = xcalloc(1, sizeof *g);
    g->fields = fields;
    g->local = &settings->local;
    g->map = settings->map;
    g->nfields = nfields;
    g->json = -1;
    jpath_init(&g->jp);
    g->native_leaf = xcalloc((size_t)(nfields ? nfields : 1), sizeof *g->native_leaf);
    g->native_col = xcalloc((size_t)(nfields ? nfields : 1), sizeof *g->native_col);
    for (int c = 0; c < MC_C__COUNT; c++)
        g->canon_leaf[c] = g->map[c] ? jpath_add(&g->jp, g->map[c], 1) : -1;
    for (int i = 0; i < nfields; i++)
        g->native_leaf[i] = fields[i].canon == -1
                                ? jpath_add(&g->jp, fields[i].name, 1)
                                : -1;
    return g;
}

static void generic_unbind(void *state)
{
    generic *g = state;
    for (int c = 0; c < g->ncols; c++)
        free(g->colname[c]);
    jpath_free(&g->jp);
    free(g->native_leaf);
    free(g->native_col);
    free(g);
}

static int column_of(const generic *g, const char *name)
{
    for (int c = 0; name && c < g->ncols; c++)
        if (strcmp(g->colname[c], name) == 0)
            return c;
    return -1;
}

/* A CSV header: the separator is a tab when the line has tabs and no comma. */
static int header(generic *g, const char *line, size_t len, arena *scratch, char *err,
                  size_t errlen)
{
    g->sep = memchr(line, '\t', len) && !memchr(line, ',', len) ? '\t' : ',';
    int n = csv_split(line, len, g->sep, g->v, MAX_COLS, scratch, err, errlen);
    if (n < 0)
        return -1;
    for (int c = 0; c < n && c < MAX_COLS; c++) {
        g->colname[c] = xmalloc(g->v[c].len + 1);
        memcpy(g->colname[c], g->v[c].u.s, g->v[c].len);
        g->colname[c][g->v[c].len] = '\0';
        g->ncols = c + 1;
    }
    for (int c = 0; c < MC_C__COUNT; c++)
        g->canon_col[c] = column_of(g, g->map[c]);
    for (int i = 0; i < g->nfields; i++)
        g->native_col[i] = g->fields[i].canon == -1
                               ? column_of(g, g->fields[i].name)
                               : -1;
    return 0;
}

/* ---- one record ---- */

static mc_value mapped(const generic *g, int c, arena *scratch)
{
    if (g->json)
        return json_text(jpath_get(&g->jp, g->canon_leaf[c]), scratch);
    int col = g->canon_col[c];
    return col >= 0 && g->v[col].len ? g->v[col] : mc_null();
}

static int parse_time(mc_value t, int64_t *ms)
{
    mc_value n = value_uint(t);
    if (n.type == MC_INT && t.len >= 12) {
        *ms = n.u.i;
        return 0;
    }
    return time_parse_epoch_s(t.u.s, t.len, ms) == 0 ? 0 : time_parse_log(t.u.s, t.len, ms);
}

static mc_value direction(const generic *g, arena *scratch)
{
    static const char *const out[] = {"out", "outbound", "egress", "L2R", "L2L"};
    static const char *const in[] = {"in", "inbound", "ingress", "R2L"};
    if (!g->map[MC_C_DIRECTION])
        return value_net_direction(g->local, value_ip(mapped(g, MC_C_SRC_IP, scratch)),
                                 value_ip(mapped(g, MC_C_DST_IP, scratch)));
    mc_value d = mapped(g, MC_C_DIRECTION, scratch);
    for (size_t i = 0; i < sizeof out / sizeof out[0]; i++)
        if (value_ieq(d, out[i]))
            return value_cstr("out");
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        if (value_ieq(d, in[i]))
            return value_cstr("in");
    return mc_null();
}

static mc_value canonical(const generic *g, int c, int64_t ms, arena *scratch)
{
    mc_value v = mapped(g, c, scratch);
    switch (c) {
    case MC_C_KIND:
        if (g->map[c])
            return v;
        return value_port(mapped(g, MC_C_DST_PORT, scratch)).type == MC_INT ? value_cstr("conn")
                                                                           : mc_null();
    case MC_C_TIME:      return ms == INT64_MIN ? mc_null() : mc_int(MC_TS, ms);
    case MC_C_PROC_NAME:
        return g->map[c] ? v : value_basename(mapped(g, MC_C_PROC_PATH, scratch));
    case MC_C_SRC_IP: case MC_C_DST_IP:     return value_ip(v);
    case MC_C_SRC_PORT: case MC_C_DST_PORT: return value_port(v);
    case MC_C_TRANSPORT:                    return value_transport(v);
    case MC_C_BYTES_OUT: case MC_C_BYTES_IN: return value_uint(v);
    case MC_C_DIRECTION:                    return direction(g, scratch);
    case MC_C_APP_PROTO:                    return value_lower(v, scratch);
    default:                                return v;
    }
}

static mc_value native(const generic *g, int i, arena *scratch)
{
    if (g->json)
        return json_text(jpath_get(&g->jp, g->native_leaf[i]), scratch);
    int col = g->native_col[i];
    return col >= 0 ? g->v[col] : mc_null();
}

/* Splits or scans the record into g; 0, or -1 with err. */
static int read_record(generic *g, const char *line, size_t len, arena *scratch, char *err,
                       size_t errlen)
{
    if (g->json) {
        json_error jerr;
        if (jpath_scan(&g->jp, line, len, &jerr) == 0) {
            json_dup_note(&jerr, err, errlen);
            return 0;
        }
        snprintf(err, errlen, "invalid JSON at byte %zu: %s", jerr.offset + 1, jerr.msg);
        return -1;
    }
    int n = csv_split(line, len, g->sep, g->v, MAX_COLS, scratch, err, errlen);
    if (n >= 0 && n != g->ncols)
        snprintf(err, errlen, "%d columns, the header has %d (truncated record?)", n, g->ncols);
    return n == g->ncols ? 0 : -1;
}

static int generic_decode(void *state, const char *line, size_t len, mc_value *row,
                          arena *scratch, char *err, size_t errlen)
{
    generic *g = state;
    if (g->json < 0) {
        size_t i = strspn(line, " \t");
        g->json = i < len && line[i] == '{';
        if (!g->json)
            return header(g, line, len, scratch, err, errlen) ? DECODE_BAD : DECODE_SKIP;
    }
    if (read_record(g, line, len, scratch, err, errlen))
        return DECODE_BAD;
    int64_t ms = INT64_MIN;
    mc_value t = mapped(g, MC_C_TIME, scratch);
    if (t.type != MC_NULL && parse_time(t, &ms)) {
        snprintf(err, errlen, "%s '%.*s' is not a time", g->map[MC_C_TIME],
                 (int)(t.len > 40 ? 40 : t.len), t.u.s);
        return DECODE_BAD;
    }
    for (int i = 0; i < g->nfields; i++) {
        int source = g->fields[i].canon;
        row[i] = source >= 0 ? canonical(g, source, ms, scratch)
                 : source == -1 ? native(g, i, scratch) : mc_null();
    }
    return DECODE_OK;
}

/* With a map: a JSON object or CSV header that names a mapped field. */
static int generic_probe(const char *line, size_t len, const input_settings *settings)
{
    if (!settings->mapped)
        return 0;
    generic *g = generic_bind(NULL, 0, settings);
    arena scratch;
    char err[160];
    arena_init(&scratch);
    size_t i = strspn(line, " \t");
    int yes = 0;
    g->json = i < len && line[i] == '{';
    if (g->json ? read_record(g, line, len, &scratch, err, sizeof err) == 0
                : header(g, line, len, &scratch, err, sizeof err) == 0)
        for (int c = 0; c < MC_C__COUNT && !yes; c++)
            yes = g->map[c] &&
                  (g->json ? jpath_get(&g->jp, g->canon_leaf[c])->type != JSON_ABSENT
                           : g->canon_col[c] >= 0);
    arena_free(&scratch);
    generic_unbind(g);
    return yes;
}

const decoder decoder_generic = {
    .name = "generic",
    .describe = "any CSV (header row) or JSON lines, with --map canonical=native,...; the "
                "canonical fields mapped (proc_name from proc_path, direction from addresses "
                "when not mapped)",
    .probe = generic_probe,
    .bind = generic_bind,
    .decode = generic_decode,
    .unbind = generic_unbind,
};
