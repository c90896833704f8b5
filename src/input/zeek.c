/* zeek: Zeek logs in their default TSV form (the "#separator", "#fields"
 * header, then one record per line), and the meaning of a Zeek record shared
 * with zeekjson.c (see zeek.h).
 *
 * Decisions a hunter should know:
 * - conn.log and smtp.log records are connections (kind "conn"), and so are
 *   conn_long.log's (the long-connection summaries Zeek writes while a
 *   connection lasts: like QRadar's flow records, each interval is a row,
 *   with its bytes so far); every other
 *   log (dns, known_services, ...) is decoded with kind NULL. conn.log and
 *   smtp.log of the same traffic describe the same sessions: give a hunt one
 *   of them, or it counts each SMTP session twice. mailc2 does not dedupe.
 * - smtp.log has no proto column; SMTP runs over TCP, so transport is 6 and
 *   app_proto "smtp". conn.log: transport from proto, app_proto = service
 *   (lower case, as Zeek lists it, e.g. "ssl,smtp"), bytes = orig_bytes /
 *   resp_bytes (payload bytes).
 * - direction: local_orig T -> "out"; F with local_resp T -> "in"; F/F ->
 *   NULL. When Zeek had no Site::local_nets (local_orig "-" or absent), the
 *   initiator's address decides: local -> "out", including local -> local
 *   (fields.md §1: src is the initiator, and for a network sensor a
 *   connection its own side initiated is outbound for that side; the
 *   endpoint-log rule in winev.c is the same).
 * - A record whose ts is not a time is bad: Zeek's test baselines mask ts as
 *   XXXXXXXXXX.XXXXXX, and a connection without a time cannot be placed in a
 *   window. "-" is NULL and "(empty)" the empty string (fields.md §5 #9). */
#include "input/zeek.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/formats.h"
#include "value/convert.h"
#include "util/timeutil.h"

const char *const zeek_key_name[ZK__N] = {
    "ts", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service",
    "orig_bytes", "resp_bytes", "local_orig", "local_resp", "duration",
};

enum zeek_log zeek_log_of(mc_value path)
{
    if (value_is(path, "conn") || value_is(path, "conn_long"))
        return ZL_CONN;
    return value_is(path, "smtp") ? ZL_SMTP : ZL_OTHER;
}

int zeek_time(mc_value ts, int64_t *ms, char *err, size_t errlen)
{
    if (ts.type == MC_STR &&
        (time_parse_epoch_s(ts.u.s, ts.len, ms) == 0 || time_parse_iso(ts.u.s, ts.len, ms) == 0))
        return 0;
    if (ts.type == MC_NULL)
        snprintf(err, errlen, "no ts");
    else
        snprintf(err, errlen, "ts '%.*s' is not a time", (int)(ts.len > 40 ? 40 : ts.len), ts.u.s);
    return -1;
}

static mc_value direction(const mc_value *k, const cidr_set *local)
{
    mc_value lo = k[ZK_LOCAL_ORIG], lr = k[ZK_LOCAL_RESP];
    if (value_is(lo, "T") || value_is(lo, "true"))
        return value_cstr("out");
    if (value_is(lo, "F") || value_is(lo, "false"))
        return value_is(lr, "T") || value_is(lr, "true") ? value_cstr("in") : mc_null();
    return value_net_direction(local, value_ip(k[ZK_ORIG_H]), value_ip(k[ZK_RESP_H]));
}

/* `duration` is decimal seconds ("1.000123"). */
static mc_value seconds_to_ms(mc_value text)
{
    int64_t ms;
    return text.type == MC_STR && time_parse_epoch_s(text.u.s, text.len, &ms) == 0
               ? mc_int(MC_INT, ms) : mc_null();
}

mc_value zeek_canonical(int canon, const mc_value *k, enum zeek_log log, int64_t ms,
                        const cidr_set *local, arena *scratch)
{
    switch (canon) {
    case MC_C_KIND:      return log == ZL_OTHER ? mc_null() : value_cstr("conn");
    case MC_C_TIME:      return mc_int(MC_TS, ms);
    case MC_C_SRC_IP:    return value_ip(k[ZK_ORIG_H]);
    case MC_C_SRC_PORT:  return value_port(k[ZK_ORIG_P]);
    case MC_C_DST_IP:    return value_ip(k[ZK_RESP_H]);
    case MC_C_DST_PORT:  return value_port(k[ZK_RESP_P]);
    case MC_C_DIRECTION: return direction(k, local);
    case MC_C_TRANSPORT:
        return log == ZL_SMTP ? mc_int(MC_INT, 6) : value_transport(k[ZK_PROTO]);
    case MC_C_BYTES_OUT: return value_uint(k[ZK_ORIG_BYTES]);
    case MC_C_BYTES_IN:  return value_uint(k[ZK_RESP_BYTES]);
    case MC_C_APP_PROTO:
        return log == ZL_SMTP ? value_cstr("smtp") : value_lower(k[ZK_SERVICE], scratch);
    case MC_C_DURATION:  return seconds_to_ms(k[ZK_DURATION]);
    default:             return mc_null(); /* host, process, user: a network sensor has none */
    }
}

/* ---- TSV ---- */

enum { MAX_COLS = 256 };

typedef struct zeek_tsv {
    const mc_field_req *fields;
    const cidr_set *local;        /* the settings' local networks: direction */
    zeek_local *tally;            /* Zeek's local flags against them, or NULL */
    int nfields;
    char sep;
    char *unset, *empty, *path;      /* header values, malloc'd */
    int ncols;
    char *colname[MAX_COLS];
    int key_col[ZK__N];              /* column of each key, -1 */
    int *field_col;                  /* column of each native field, -1 */
    const char *col[MAX_COLS];
    size_t collen[MAX_COLS];
} zeek_tsv;

static void free_header(zeek_tsv *z)
{
    for (int i = 0; i < z->ncols; i++)
        free(z->colname[i]);
    z->ncols = 0;
}

static void *zeek_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    zeek_tsv *z = xcalloc(1, sizeof *z);
    z->fields = fields;
    z->local = &settings->local;
    z->nfields = nfields;
    z->sep = '\t';
    z->unset = xstrdup("-");
    z->empty = xstrdup("(empty)");
    z->path = xstrdup("");
    z->field_col = xcalloc((size_t)(nfields ? nfields : 1), sizeof *z->field_col);
    return z;
}

static void zeek_unbind(void *state)
{
    zeek_tsv *z = state;
    free_header(z);
    free(z->unset);
    free(z->empty);
    free(z->path);
    free(z->field_col);
    free(z);
}

/* Splits at the separator into z->col[]; returns the number of columns. */
static int split(zeek_tsv *z, const char *line, size_t len)
{
    int n = 0;
    const char *p = line, *end = line + len;
    for (;;) {
        const char *q = memchr(p, z->sep, (size_t)(end - p));
        if (n < MAX_COLS) {
            z->col[n] = p;
            z->collen[n] = (size_t)((q ? q : end) - p);
        }
        n++;
        if (!q)
            return n;
        p = q + 1;
    }
}

/* "\x09" -> tab; a plain character stands for itself. */
static char separator_of(const char *s, size_t len)
{
    if (len == 4 && s[0] == '\\' && s[1] == 'x')
        return (char)strtol(s + 2, NULL, 16);
    return len ? s[0] : '\t';
}

static void bind_columns(zeek_tsv *z)
{
    for (int k = 0; k < ZK__N; k++) {
        z->key_col[k] = -1;
        for (int c = 0; c < z->ncols; c++)
            if (strcmp(z->colname[c], zeek_key_name[k]) == 0)
                z->key_col[k] = c;
    }
    for (int i = 0; i < z->nfields; i++) {
        z->field_col[i] = -1;
        if (z->fields[i].canon != -1)
            continue;
        for (int c = 0; c < z->ncols; c++)
            if (strcmp(z->colname[c], z->fields[i].name) == 0)
                z->field_col[i] = c;
    }
}

static void set_text(char **dst, const char *s, size_t len)
{
    free(*dst);
    *dst = xmalloc(len + 1);
    memcpy(*dst, s, len);
    (*dst)[len] = '\0';
}

static int header_is(const zeek_tsv *z, const char *name)
{
    return z->collen[0] == strlen(name) && memcmp(z->col[0], name, z->collen[0]) == 0;
}

/* A "#name<sep>value..." header line. */
static void header(zeek_tsv *z, const char *line, size_t len)
{
    if (len > 11 && memcmp(line, "#separator ", 11) == 0) {
        z->sep = separator_of(line + 11, len - 11);
        return;
    }
    int n = split(z, line, len);
    if (n < 2)
        return;
    if (header_is(z, "#unset_field"))
        set_text(&z->unset, z->col[1], z->collen[1]);
    else if (header_is(z, "#empty_field"))
        set_text(&z->empty, z->col[1], z->collen[1]);
    else if (header_is(z, "#path"))
        set_text(&z->path, z->col[1], z->collen[1]);
    else if (header_is(z, "#fields")) {
        free_header(z);
        for (int c = 1; c < n && c < MAX_COLS; c++) {
            z->colname[z->ncols] = NULL;
            set_text(&z->colname[z->ncols++], z->col[c], z->collen[c]);
        }
        bind_columns(z);
    }
}

/* A column's value: the unset marker is NULL, the empty marker "". */
static mc_value column(const zeek_tsv *z, int c)
{
    if (c < 0)
        return mc_null();
    mc_value v = mc_str(MC_STR, z->col[c], z->collen[c]);
    if (value_is(v, z->unset))
        return mc_null();
    return value_is(v, z->empty) ? mc_str(MC_STR, "", 0) : v;
}

static int zeek_decode(void *state, const char *line, size_t len, mc_value *row,
                       arena *scratch, char *err, size_t errlen)
{
    zeek_tsv *z = state;
    if (len > 0 && line[0] == '#') {
        header(z, line, len);
        return DECODE_SKIP;
    }
    if (z->ncols == 0) {
        snprintf(err, errlen, "record before the #fields header");
        return DECODE_BAD;
    }
    int n = split(z, line, len);
    if (n != z->ncols) {
        snprintf(err, errlen, "%d columns, but #fields names %d (truncated record?)", n, z->ncols);
        return DECODE_BAD;
    }
    mc_value k[ZK__N];
    for (int i = 0; i < ZK__N; i++)
        k[i] = column(z, z->key_col[i]);
    int64_t ms;
    if (zeek_time(k[ZK_TS], &ms, err, errlen))
        return DECODE_BAD;
    enum zeek_log log = zeek_log_of(value_cstr(z->path));
    zeek_local_check(z->tally, k, z->local);
    for (int i = 0; i < z->nfields; i++) {
        int source = z->fields[i].canon;
        row[i] = source >= 0 ? zeek_canonical(source, k, log, ms, z->local, scratch)
                             : column(z, z->field_col[i]);
    }
    return DECODE_OK;
}

static int zeek_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    return len > 11 && memcmp(line, "#separator ", 11) == 0;
}

static void zeek_use(void *state, void *ctx)
{
    ((zeek_tsv *)state)->tally = ctx;
}

static const decoder_context tally = {zeek_local_create, NULL, NULL, zeek_use, zeek_local_report,
                                      zeek_local_destroy, NULL};

const decoder decoder_zeek = {
    .name = "zeek",
    .family = "zeek",
    .describe = "Zeek TSV logs (#fields header); conn.log and smtp.log records are connections: "
                "time, src/dst ip and port, direction (local_orig or addresses), transport, "
                "bytes, app_proto; no host, process or user",
    .probe = zeek_probe,
    .bind = zeek_bind,
    .decode = zeek_decode,
    .unbind = zeek_unbind,
    .context = &tally,
};
