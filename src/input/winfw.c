/* winfw: the Windows Firewall log (pfirewall.log), W3C-style: `#Version`,
 * `#Software: Microsoft Windows Firewall`, `#Fields: date time action
 * protocol src-ip dst-ip src-port dst-port size ... path`, then one record
 * per line, space-separated, `-` for none. Native fields are the column
 * names of `#Fields` (the standard layout until one is read).
 *
 * Decisions: a connection is logged when it opens (OPEN, ALLOW) and when it
 * closes (CLOSE), so only OPEN, ALLOW and DROP are connections — else every
 * session counts twice; CLOSE and INFO-EVENTS-LOST records are kind NULL.
 * `path` SEND is outbound, RECEIVE inbound, otherwise the local networks
 * decide. Times are written in local time with no zone (`#Time Format:
 * Local`): taken as UTC. `size` is one packet's size, not a byte count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/formats.h"
#include "util/timeutil.h"
#include "value/convert.h"

enum { W_MAX = 32, W_NAME = 32 };

static const char *const standard[] = {
    "date", "time", "action", "protocol", "src-ip", "dst-ip", "src-port", "dst-port", "size",
    "tcpflags", "tcpsyn", "tcpack", "tcpwin", "icmptype", "icmpcode", "info", "path",
};
enum { K_DATE, K_TIME, K_ACTION, K_PROTO, K_SRC, K_DST, K_SPORT, K_DPORT, K_PATH, K__N };
static const char *const key_name[K__N] = {
    "date", "time", "action", "protocol", "src-ip", "dst-ip", "src-port", "dst-port", "path",
};

typedef struct winfw {
    const mc_field_req *fields;
    const cidr_set *local;
    int nfields;
    char name[W_MAX][W_NAME];   /* the columns, from #Fields */
    int ncols;
    int key[K__N];              /* column of each key, -1 */
    int *col;                   /* column of each native field, -1 */
    mc_value v[W_MAX];
} winfw;

static int column(const winfw *w, const char *name)
{
    for (int c = 0; c < w->ncols; c++)
        if (!strcmp(w->name[c], name))
            return c;
    return -1;
}

/* Names the columns and resolves every lookup once per header. */
static void set_columns(winfw *w, const char *const *names, int n)
{
    w->ncols = n < W_MAX ? n : W_MAX;
    for (int c = 0; c < w->ncols; c++)
        snprintf(w->name[c], W_NAME, "%s", names[c]);
    for (int k = 0; k < K__N; k++)
        w->key[k] = column(w, key_name[k]);
    for (int i = 0; i < w->nfields; i++)
        w->col[i] = w->fields[i].canon == MC_FIELD_NATIVE ? column(w, w->fields[i].name) : -1;
}

static int split(const char *p, size_t len, mc_value *out, int max)
{
    const char *end = p + len;
    int n = 0;
    while (p < end && n < max) {
        while (p < end && *p == ' ')
            p++;
        const char *s = p;
        while (p < end && *p != ' ')
            p++;
        if (p > s)
            out[n++] = (p - s == 1 && *s == '-') ? mc_null() : mc_str(MC_STR, s, (size_t)(p - s));
    }
    return n;
}

static void fields_header(winfw *w, const char *line, size_t len)
{
    mc_value v[W_MAX];
    char names[W_MAX][W_NAME];
    const char *ptr[W_MAX];
    int n = split(line + 8, len - 8, v, W_MAX);
    for (int c = 0; c < n; c++) {
        snprintf(names[c], W_NAME, "%.*s", (int)v[c].len, v[c].type ? v[c].u.s : "");
        ptr[c] = names[c];
    }
    set_columns(w, ptr, n);
}

static mc_value get(const winfw *w, int k)
{
    return w->key[k] >= 0 ? w->v[w->key[k]] : mc_null();
}

static mc_value canonical(const winfw *w, int canon, int64_t ms)
{
    mc_value src = value_ip(get(w, K_SRC)), dst = value_ip(get(w, K_DST)), act = get(w, K_ACTION);
    int conn = src.type && dst.type &&
               (value_is(act, "OPEN") || value_is(act, "ALLOW") || value_is(act, "DROP"));
    switch (canon) {
    case MC_C_KIND:      return conn ? value_cstr("conn") : mc_null();
    case MC_C_TIME:      return mc_int(MC_TS, ms);
    case MC_C_SRC_IP:    return src;
    case MC_C_SRC_PORT:  return value_port(get(w, K_SPORT));
    case MC_C_DST_IP:    return dst;
    case MC_C_DST_PORT:  return value_port(get(w, K_DPORT));
    case MC_C_TRANSPORT: return value_transport(get(w, K_PROTO));
    case MC_C_DIRECTION:
        if (value_is(get(w, K_PATH), "SEND"))
            return value_cstr("out");
        if (value_is(get(w, K_PATH), "RECEIVE"))
            return value_cstr("in");
        return value_net_direction(w->local, src, dst);
    default:             return mc_null();
    }
}

static int winfw_decode(void *state, const char *line, size_t len, mc_value *row,
                        arena *scratch, char *err, size_t errlen)
{
    winfw *w = state;
    (void)scratch;
    if (len && line[0] == '#') {
        if (len > 8 && !memcmp(line, "#Fields:", 8))
            fields_header(w, line, len);
        return DECODE_SKIP;
    }
    memset(w->v, 0, sizeof w->v);
    split(line, len, w->v, W_MAX);
    mc_value d = get(w, K_DATE), t = get(w, K_TIME);
    char stamp[40];
    int64_t ms;
    snprintf(stamp, sizeof stamp, "%.*sT%.*sZ", d.type ? (int)d.len : 0, d.type ? d.u.s : "",
             t.type ? (int)t.len : 0, t.type ? t.u.s : "");
    if (time_parse_iso(stamp, strlen(stamp), &ms)) {
        snprintf(err, errlen, "date and time '%s' are not a time", stamp);
        return DECODE_BAD;
    }
    for (int i = 0; i < w->nfields; i++) {
        int c = w->fields[i].canon;
        row[i] = c >= 0 ? canonical(w, c, ms) : w->col[i] >= 0 ? w->v[w->col[i]] : mc_null();
    }
    return DECODE_OK;
}

static int winfw_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    static const char sw[] = "#Software: Microsoft Windows Firewall";
    return len >= sizeof sw - 1 && !memcmp(line, sw, sizeof sw - 1);
}

static void *winfw_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    winfw *w = xcalloc(1, sizeof *w);
    w->fields = fields;
    w->nfields = nfields;
    w->local = &settings->local;
    w->col = xcalloc((size_t)(nfields ? nfields : 1), sizeof *w->col);
    set_columns(w, standard, (int)(sizeof standard / sizeof *standard));
    return w;
}

static void winfw_unbind(void *state)
{
    winfw *w = state;
    free(w->col);
    free(w);
}

const decoder decoder_winfw = {
    .name = "winfw",
    .family = "winfw",
    .describe = "Windows Firewall log (pfirewall.log, W3C #Fields): OPEN, ALLOW and DROP are "
                "connections (not CLOSE); src/dst ip and port, transport, direction from path "
                "(SEND out, RECEIVE in) else addresses; local time taken as UTC",
    .probe = winfw_probe,
    .bind = winfw_bind,
    .decode = winfw_decode,
    .unbind = winfw_unbind,
};
