/* nfdump: NetFlow/IPFIX records as `nfdump -r FILE -o csv` prints them —
 * QRadar's "Network Activity (flow data)" for sites that collect flows
 * (nfcapd) or make them from captures (nfpcapd). A header `ts,te,td,sa,da,
 * sp,dp,pr,flg,...,ipkt,ibyt,opkt,obyt,...` names the columns (native
 * fields); after the records nfdump prints a `Summary` block, which is not
 * records.
 *
 * One record is one flow: sa:sp -> da:dp, its first packet `ts`, its length
 * `td` seconds; bytes are `ibyt` (sa to da) and `obyt` (back, where the
 * exporter is bidirectional; 0 from nfpcapd, whose flows are one way: the
 * reply is its own record, from the server's port). Times are written
 * without a zone: taken as UTC (run nfdump with TZ=UTC). Direction from the
 * local networks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/csv.h"
#include "input/formats.h"
#include "util/timeutil.h"
#include "value/convert.h"

enum { N_MAX = 64, N_NAME = 16 };
enum { K_TS, K_TD, K_SA, K_DA, K_SP, K_DP, K_PR, K_IBYT, K_OBYT, K__N };
static const char *const key_name[K__N] = {"ts", "td", "sa", "da", "sp", "dp", "pr", "ibyt",
                                           "obyt"};
static const char header_start[] = "ts,te,td,sa,da,sp,dp,pr,";

typedef struct nfdump {
    const mc_field_req *fields;
    const cidr_set *local;
    int nfields;
    char name[N_MAX][N_NAME];
    int ncols;
    int key[K__N];              /* column of each key, -1 */
    int *col;                   /* column of each native field, -1 */
    mc_value v[N_MAX];
} nfdump;

static int column(const nfdump *n, const char *name)
{
    for (int c = 0; c < n->ncols; c++)
        if (!strcmp(n->name[c], name))
            return c;
    return -1;
}

/* The header names the columns; every lookup is resolved here, once. */
static void header(nfdump *n, int count)
{
    n->ncols = count < N_MAX ? count : N_MAX;
    for (int c = 0; c < n->ncols; c++)
        snprintf(n->name[c], N_NAME, "%.*s", (int)n->v[c].len, n->v[c].u.s);
    for (int k = 0; k < K__N; k++)
        n->key[k] = column(n, key_name[k]);
    for (int i = 0; i < n->nfields; i++)
        n->col[i] = n->fields[i].canon == MC_FIELD_NATIVE ? column(n, n->fields[i].name) : -1;
}

static mc_value get(const nfdump *n, int k)
{
    int c = n->key[k];
    mc_value v = c >= 0 ? n->v[c] : mc_null();
    while (v.type && v.len && v.u.s[0] == ' ') { /* nfdump pads some numbers */
        v.u.s++;
        v.len--;
    }
    return v.type && v.len ? v : mc_null();
}

static mc_value duration_ms(mc_value td)
{
    int64_t ms;
    return td.type && time_parse_epoch_s(td.u.s, td.len, &ms) == 0 ? mc_int(MC_INT, ms)
                                                                   : mc_null();
}

static mc_value canonical(const nfdump *n, int canon, int64_t ms)
{
    mc_value src = value_ip(get(n, K_SA)), dst = value_ip(get(n, K_DA));
    switch (canon) {
    case MC_C_KIND:      return src.type && dst.type ? value_cstr("conn") : mc_null();
    case MC_C_TIME:      return mc_int(MC_TS, ms);
    case MC_C_SRC_IP:    return src;
    case MC_C_SRC_PORT:  return value_port(get(n, K_SP));
    case MC_C_DST_IP:    return dst;
    case MC_C_DST_PORT:  return value_port(get(n, K_DP));
    case MC_C_DIRECTION: return value_net_direction(n->local, src, dst);
    case MC_C_TRANSPORT: return value_transport(get(n, K_PR));
    case MC_C_BYTES_OUT: return value_uint(get(n, K_IBYT));
    case MC_C_BYTES_IN:  return value_uint(get(n, K_OBYT));
    case MC_C_DURATION:  return duration_ms(get(n, K_TD));
    default:             return mc_null();
    }
}

/* nfdump's closing block: "Summary", its header, its one line of numbers,
 * or "No matching flows". */
static int summary_line(const char *line, size_t len)
{
    static const char *const fixed[] = {"Summary", "No matching flows", "flows,bytes,packets"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (len >= strlen(fixed[i]) && !memcmp(line, fixed[i], strlen(fixed[i])))
            return 1;
    size_t i = 0;
    while (i < len && ((line[i] >= '0' && line[i] <= '9') || line[i] == '.' || line[i] == ','))
        i++;
    return len && i == len;
}

static int nfdump_decode(void *state, const char *line, size_t len, mc_value *row,
                         arena *scratch, char *err, size_t errlen)
{
    nfdump *n = state;
    if (summary_line(line, len))
        return DECODE_SKIP;
    int count = csv_split(line, len, ',', n->v, N_MAX, scratch, err, errlen);
    if (count < 0)
        return DECODE_BAD;
    if (len >= sizeof header_start - 1 && !memcmp(line, header_start, sizeof header_start - 1)) {
        header(n, count);
        return DECODE_SKIP;
    }
    if (count < n->ncols) {
        snprintf(err, errlen, "%d fields, the header has %d", count, n->ncols);
        return DECODE_BAD;
    }
    mc_value ts = get(n, K_TS);
    int64_t ms;
    if (!ts.type || time_parse_iso(ts.u.s, ts.len, &ms)) {
        snprintf(err, errlen, "ts '%.*s' is not a time", ts.type ? (int)ts.len : 0,
                 ts.type ? ts.u.s : "");
        return DECODE_BAD;
    }
    for (int i = 0; i < n->nfields; i++) {
        int c = n->fields[i].canon;
        row[i] = c >= 0 ? canonical(n, c, ms) : n->col[i] >= 0 ? n->v[n->col[i]] : mc_null();
    }
    return DECODE_OK;
}

static int nfdump_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)settings;
    return len >= sizeof header_start - 1 && !memcmp(line, header_start, sizeof header_start - 1);
}

static void *nfdump_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    nfdump *n = xcalloc(1, sizeof *n);
    n->fields = fields;
    n->nfields = nfields;
    n->local = &settings->local;
    n->col = xcalloc((size_t)(nfields ? nfields : 1), sizeof *n->col);
    for (int k = 0; k < K__N; k++)
        n->key[k] = -1;
    for (int i = 0; i < nfields; i++)
        n->col[i] = -1;
    return n;
}

static void nfdump_unbind(void *state)
{
    nfdump *n = state;
    free(n->col);
    free(n);
}

const decoder decoder_nfdump = {
    .name = "nfdump",
    .family = "nfdump",
    .describe = "NetFlow/IPFIX flows as nfdump -o csv prints them: time (ts, taken as UTC), "
                "src/dst ip and port, transport, bytes each way (ibyt/obyt), duration (td); "
                "the Summary block is skipped",
    .probe = nfdump_probe,
    .bind = nfdump_bind,
    .decode = nfdump_decode,
    .unbind = nfdump_unbind,
};
