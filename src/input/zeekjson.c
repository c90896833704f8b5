/* zeekjson: Zeek logs written as JSON lines, with either key style: dotted
 * ("id.orig_h", Zeek's own JSON writer) or underscores ("id_orig_h", as
 * some JSON-streaming setups write them). ts is epoch seconds or ISO 8601.
 * The log is named by "_path" (zeek-cut/brimdata style) or "@stream", or
 * else recognised by its columns (conn_state -> conn; helo, mailfrom or
 * last_reply -> smtp). Meaning and decisions: zeek.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/formats.h"
#include "input/jpath.h"
#include "input/json.h"
#include "value/convert.h"
#include "input/zeek.h"

enum { PATH_KEYS = 2, HINTS = 4 };
static const char *const path_keys[PATH_KEYS] = {"_path", "@stream"};
static const struct { const char *key; enum zeek_log log; } hints[HINTS] = {
    {"conn_state", ZL_CONN}, {"helo", ZL_SMTP}, {"mailfrom", ZL_SMTP}, {"last_reply", ZL_SMTP},
};

typedef struct zeek_json {
    jpath jp;
    const mc_field_req *fields;
    const cidr_set *local;        /* the settings' local networks: direction */
    zeek_local *tally;            /* Zeek's local flags against them, or NULL */
    int nfields;
    int key[ZK__N][2];          /* leaf of each key: dotted, underscored */
    int path[PATH_KEYS], hint[HINTS];
    int (*native)[2];           /* per field: leaves, or -1 */
} zeek_json;

/* The leaf of `name` and, when it has dots, of its underscored spelling. */
static void add_both(zeek_json *z, const char *name, int leaf[2])
{
    char under[256];
    leaf[0] = jpath_add(&z->jp, name, 1);
    leaf[1] = -1;
    if (strchr(name, '.') && strlen(name) < sizeof under) {
        strcpy(under, name);
        for (char *c = under; *c; c++)
            if (*c == '.')
                *c = '_';
        leaf[1] = jpath_add(&z->jp, under, 0);
    }
}

static void *zeekjson_bind(const mc_field_req *fields, int nfields, const input_settings *settings)
{
    zeek_json *z = xcalloc(1, sizeof *z);
    jpath_init(&z->jp);
    z->fields = fields;
    z->local = &settings->local;
    z->nfields = nfields;
    for (int k = 0; k < ZK__N; k++)
        add_both(z, zeek_key_name[k], z->key[k]);
    for (int i = 0; i < PATH_KEYS; i++)
        z->path[i] = jpath_add(&z->jp, path_keys[i], 0);
    for (int i = 0; i < HINTS; i++)
        z->hint[i] = jpath_add(&z->jp, hints[i].key, 0);
    z->native = xcalloc((size_t)(nfields ? nfields : 1), sizeof *z->native);
    for (int i = 0; i < nfields; i++) {
        z->native[i][0] = z->native[i][1] = -1;
        if (fields[i].canon == -1)
            add_both(z, fields[i].name, z->native[i]);
    }
    return z;
}

static void zeekjson_unbind(void *state)
{
    zeek_json *z = state;
    jpath_free(&z->jp);
    free(z->native);
    free(z);
}

static mc_value either(zeek_json *z, const int leaf[2], arena *scratch)
{
    mc_value v = json_text(jpath_get(&z->jp, leaf[0]), scratch);
    return v.type == MC_NULL ? json_text(jpath_get(&z->jp, leaf[1]), scratch) : v;
}

static enum zeek_log log_of(zeek_json *z, arena *scratch)
{
    for (int i = 0; i < PATH_KEYS; i++) {
        mc_value p = json_text(jpath_get(&z->jp, z->path[i]), scratch);
        if (p.type != MC_NULL)
            return zeek_log_of(p);
    }
    for (int i = 0; i < HINTS; i++)
        if (jpath_get(&z->jp, z->hint[i])->type != JSON_ABSENT)
            return hints[i].log;
    return ZL_OTHER;
}

static int zeekjson_decode(void *state, const char *line, size_t len, mc_value *row,
                           arena *scratch, char *err, size_t errlen)
{
    zeek_json *z = state;
    json_error jerr;
    if (jpath_scan(&z->jp, line, len, &jerr)) {
        snprintf(err, errlen, "invalid JSON at byte %zu: %s", jerr.offset + 1, jerr.msg);
        return DECODE_BAD;
    }
    json_dup_note(&jerr, err, errlen); /* replaced if the record turns out bad */
    mc_value k[ZK__N];
    for (int i = 0; i < ZK__N; i++)
        k[i] = either(z, z->key[i], scratch);
    int64_t ms;
    if (zeek_time(k[ZK_TS], &ms, err, errlen))
        return DECODE_BAD;
    enum zeek_log log = log_of(z, scratch);
    zeek_local_check(z->tally, k, z->local);
    for (int i = 0; i < z->nfields; i++) {
        int source = z->fields[i].canon;
        row[i] = source >= 0 ? zeek_canonical(source, k, log, ms, z->local, scratch)
                             : either(z, z->native[i], scratch);
    }
    return DECODE_OK;
}

/* A JSON object with ts and a connection id or a log name. */
static int zeekjson_probe(const char *line, size_t len, const input_settings *settings)
{
    size_t i = strspn(line, " \t");
    if (i >= len || line[i] != '{')
        return 0;
    zeek_json *z = zeekjson_bind(NULL, 0, settings);
    json_error jerr;
    int yes = jpath_scan(&z->jp, line, len, &jerr) == 0 &&
              jpath_get(&z->jp, z->key[ZK_TS][0])->type != JSON_ABSENT &&
              (jpath_get(&z->jp, z->key[ZK_ORIG_H][0])->type != JSON_ABSENT ||
               jpath_get(&z->jp, z->key[ZK_ORIG_H][1])->type != JSON_ABSENT ||
               jpath_get(&z->jp, z->path[0])->type != JSON_ABSENT);
    zeekjson_unbind(z);
    return yes;
}

static void zeekjson_use(void *state, void *ctx)
{
    ((zeek_json *)state)->tally = ctx;
}

static const decoder_context tally = {zeek_local_create, NULL, NULL, zeekjson_use, zeek_local_report,
                                      zeek_local_destroy, NULL};

const decoder decoder_zeek_json = {
    .name = "zeek-json",
    .family = "zeek",
    .describe = "Zeek logs as JSON lines (id.orig_h or id_orig_h keys); conn and smtp records "
                "are connections, with the same canonical fields as zeek",
    .probe = zeekjson_probe,
    .bind = zeekjson_bind,
    .decode = zeekjson_decode,
    .unbind = zeekjson_unbind,
    .context = &tally,
};
