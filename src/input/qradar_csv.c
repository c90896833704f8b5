/* qradar_csv: QRadar Log Activity exported as CSV: a header row of column
 * display names ("Event Name", "Start Time", "Source IP", "Destination
 * Port", "Username", custom properties such as "Process Name" or "Bytes
 * Sent"), then one event per line. Names, types and canonical fields are
 * qradar.c's; an empty cell is NULL (QRadar shows a NULL as empty).
 * Start Time may be epoch milliseconds, ISO 8601 or the UI's
 * "Mar 14, 2021, 6:39:30 AM" (taken as UTC). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/csv.h"
#include "input/formats.h"
#include "input/qradar.h"
#include "value/convert.h"

enum { MAX_COLS = 256 };

typedef struct qcsv {
    const mc_field_req *fields;
    const cidr_set *local;        /* the settings' local networks: direction */
    int nfields;
    int ncols;
    char *colname[MAX_COLS];
    int key_col[QK__N];
    int *field_col;
    int *type;                    /* qradar_native_type of each native field */
    mc_value v[MAX_COLS];
} qcsv;

static int column_of(const qcsv *q, const char *name)
{
    for (int c = 0; c < q->ncols; c++)
        if (qradar_same_name(name, strlen(name), q->colname[c], strlen(q->colname[c])))
            return c;
    return -1;
}

static void *qcsv_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    qcsv *q = xcalloc(1, sizeof *q);
    q->fields = fields;
    q->local = &settings->local;
    q->nfields = nfields;
    q->field_col = xcalloc((size_t)(nfields ? nfields : 1), sizeof *q->field_col);
    q->type = xcalloc((size_t)(nfields ? nfields : 1), sizeof *q->type);
    for (int i = 0; i < nfields; i++)
        q->type[i] = qradar_native_type(fields[i].name);
    return q;
}

static void free_header(qcsv *q)
{
    for (int c = 0; c < q->ncols; c++)
        free(q->colname[c]);
    q->ncols = 0;
}

static void qcsv_unbind(void *state)
{
    qcsv *q = state;
    free_header(q);
    free(q->field_col);
    free(q->type);
    free(q);
}

static int header(qcsv *q, const char *line, size_t len, arena *scratch, char *err,
                  size_t errlen)
{
    if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
        line += 3;
        len -= 3;
    }
    int n = csv_split(line, len, ',', q->v, MAX_COLS, scratch, err, errlen);
    if (n < 0)
        return -1;
    free_header(q);
    for (int c = 0; c < n && c < MAX_COLS; c++) {
        char *name = xmalloc(q->v[c].len + 1);
        memcpy(name, q->v[c].u.s, q->v[c].len);
        name[q->v[c].len] = '\0';
        q->colname[q->ncols++] = name;
    }
    for (int k = 0; k < QK__N; k++)
        q->key_col[k] = column_of(q, qradar_key_name[k]);
    for (int i = 0; i < q->nfields; i++)
        q->field_col[i] = q->fields[i].canon == -1
                              ? column_of(q, q->fields[i].name)
                              : -1;
    return 0;
}

static mc_value cell(const qcsv *q, int c)
{
    return c >= 0 && q->v[c].len > 0 ? q->v[c] : mc_null();
}

static int qcsv_decode(void *state, const char *line, size_t len, mc_value *row,
                       arena *scratch, char *err, size_t errlen)
{
    qcsv *q = state;
    if (q->ncols == 0)
        return header(q, line, len, scratch, err, errlen) ? DECODE_BAD : DECODE_SKIP;
    int n = csv_split(line, len, ',', q->v, MAX_COLS, scratch, err, errlen);
    if (n < 0)
        return DECODE_BAD;
    if (n != q->ncols) {
        snprintf(err, errlen, "%d columns, the header has %d (truncated record?)", n, q->ncols);
        return DECODE_BAD;
    }
    mc_value k[QK__N];
    int64_t ms;
    for (int i = 0; i < QK__N; i++)
        k[i] = cell(q, q->key_col[i]);
    if (k[QK_STARTTIME].type != MC_NULL && qradar_time(k[QK_STARTTIME], &ms)) {
        mc_value t = k[QK_STARTTIME];
        snprintf(err, errlen, "Start Time '%.*s' is not a time", (int)(t.len > 40 ? 40 : t.len),
                 t.u.s);
        return DECODE_BAD;
    }
    for (int i = 0; i < q->nfields; i++) {
        int source = q->fields[i].canon;
        row[i] = source >= 0 ? qradar_canonical(source, k, q->local)
                             : qradar_native(q->type[i], cell(q, q->field_col[i]), k, q->local);
    }
    return DECODE_OK;
}

/* A header row naming a source address, a destination and a time. */
static int qcsv_probe(const char *line, size_t len, const input_settings *settings)
{
    qcsv *q = qcsv_bind(NULL, 0, settings);
    arena scratch;
    char err[160];
    arena_init(&scratch);
    int yes = header(q, line, len, &scratch, err, sizeof err) == 0 &&
              q->key_col[QK_SRCIP] >= 0 &&
              (q->key_col[QK_DSTIP] >= 0 || q->key_col[QK_DSTPORT] >= 0) &&
              (q->key_col[QK_STARTTIME] >= 0 || q->key_col[QK_DEVICETIME] >= 0);
    arena_free(&scratch);
    qcsv_unbind(q);
    return yes;
}

const decoder decoder_qradar_csv = {
    .name = "qradar-csv",
    .family = "qradar",
    .describe = "QRadar Log Activity CSV export (header of display names, AQL names accepted); "
                "canonical: time, host (Hostname), process (Process Name/Path), user, src/dst, "
                "direction (eventdirection), transport, bytes (Bytes Sent/Received)",
    .probe = qcsv_probe,
    .bind = qcsv_bind,
    .decode = qcsv_decode,
    .unbind = qcsv_unbind,
};
