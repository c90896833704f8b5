/* profile: reading tuning profiles (see profile.h) with libfyaml, which
 * gives each scalar's position, so every mistake is named by
 * file:line:col as a compiler would. */
#include "tune/profile.h"

#include <libfyaml.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/timeutil.h"

typedef struct loader {
    const char *path;
    char *err;
    size_t errlen;
    int *line, *col;
} loader;

static const char *const cond_key[TC__GLOBS] = {"process", "path", "host", "user", "hash"};

/* Where a node starts: its own scalar, or its first scalar inside. */
static void node_place(struct fy_node *n, int *line, int *col)
{
    *line = *col = 0;
    while (n && fy_node_get_type(n) != FYNT_SCALAR) {
        void *it = NULL;
        if (fy_node_get_type(n) == FYNT_SEQUENCE) {
            n = fy_node_sequence_iterate(n, &it);
        } else {
            struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
            n = p ? fy_node_pair_key(p) : NULL;
        }
    }
    const struct fy_mark *m = n ? fy_token_start_mark(fy_node_get_scalar_token(n)) : NULL;
    if (m) {
        *line = m->line + 1;
        *col = m->column + 1;
    }
}

static int fail(loader *l, struct fy_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(loader *l, struct fy_node *at, const char *fmt, ...)
{
    node_place(at, l->line, l->col);
    int n = snprintf(l->err, l->errlen, "%s:%d:%d: ", l->path, *l->line, *l->col);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < l->errlen)
        vsnprintf(l->err + n, l->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static char *scalar_dup(struct fy_node *n)
{
    size_t len;
    const char *s = fy_node_get_scalar(n, &len);
    char *d = xmalloc(len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

/* The scalars of a value that is one scalar or a list of them; a value
 * that is neither is named at its key `k` (an empty list has no place). */
static int scalars(loader *l, struct fy_node *k, struct fy_node *v, struct fy_node **out,
                   int max, const char *key)
{
    if (fy_node_get_type(v) == FYNT_SCALAR) {
        out[0] = v;
        return 1;
    }
    if (fy_node_get_type(v) != FYNT_SEQUENCE)
        return fail(l, k, "%s: a value or a list of values, not a mapping", key);
    int n = 0;
    void *it = NULL;
    for (struct fy_node *i; (i = fy_node_sequence_iterate(v, &it));) {
        if (fy_node_get_type(i) != FYNT_SCALAR)
            return fail(l, i, "%s: each item is one value", key);
        if (n == max)
            return fail(l, i, "%s: more than %d items", key, max);
        out[n++] = i;
    }
    return n ? n : fail(l, k, "%s: an empty list would match nothing", key);
}

static int read_globs(loader *l, tune_entry *e, int c, struct fy_node *k, struct fy_node *v)
{
    struct fy_node *item[64];
    int n = scalars(l, k, v, item, 64, cond_key[c]);
    if (n < 0)
        return -1;
    e->glob[c] = xcalloc((size_t)n + 1, sizeof *e->glob[c]);
    for (int i = 0; i < n; i++)
        if (!*(e->glob[c][i] = scalar_dup(item[i])))
            return fail(l, item[i], "%s: an empty pattern", cond_key[c]);
    return 0;
}

static int read_ports(loader *l, tune_entry *e, struct fy_node *k, struct fy_node *v)
{
    struct fy_node *item[32];
    int n = scalars(l, k, v, item, 32, "port");
    for (int i = 0; i < n; i++) {
        const char *s = fy_node_get_scalar0(item[i]);
        char *end;
        long p = strtol(s, &end, 10);
        if (end == s || *end || p < 0 || p > 65535)
            return fail(l, item[i], "port: '%s' is not a port number (0-65535)", s);
        e->port[e->nports++] = (int)p;
    }
    return n < 0 ? -1 : 0;
}

static int read_dst(loader *l, tune_entry *e, struct fy_node *k, struct fy_node *v)
{
    struct fy_node *item[CIDR_SET_MAX];
    int n = scalars(l, k, v, item, CIDR_SET_MAX, "destination");
    if (n < 0)
        return -1;
    e->dst = xcalloc(1, sizeof *e->dst);
    for (int i = 0; i < n; i++) {
        const char *s = fy_node_get_scalar0(item[i]);
        if (cidr_parse(s, &e->dst->net[e->dst->n++]))
            return fail(l, item[i], "destination: '%s' is not an address or network", s);
    }
    return 0;
}

static int read_expiry(loader *l, tune_entry *e, struct fy_node *v)
{
    const char *s = fy_node_get_type(v) == FYNT_SCALAR ? fy_node_get_scalar0(v) : "";
    char iso[32];
    int64_t ms;
    snprintf(iso, sizeof iso, "%.10sT00:00:00Z", s);
    if (strlen(s) != 10 || time_parse_iso(iso, strlen(iso), &ms))
        return fail(l, v, "expires: '%s' is not a date (YYYY-MM-DD)", s);
    e->expires_ms = ms + 86400000 - 1; /* the entry holds through that day, UTC */
    return 0;
}

static int read_cond(loader *l, tune_entry *e, struct fy_node *k, struct fy_node *v)
{
    const char *key = fy_node_get_scalar0(k);
    for (int c = 0; c < TC__GLOBS; c++)
        if (!strcmp(key, cond_key[c]))
            return read_globs(l, e, c, k, v); /* a key given twice: libfyaml refuses it */
    if (!strcmp(key, "port"))
        return read_ports(l, e, k, v);
    if (!strcmp(key, "destination"))
        return read_dst(l, e, k, v);
    if (!strcmp(key, "expires"))
        return read_expiry(l, e, v);
    if (!strcmp(key, "reason")) {
        if (fy_node_get_type(v) != FYNT_SCALAR || !*fy_node_get_scalar0(v))
            return fail(l, v, "reason: one line saying why this is allowed");
        e->reason = scalar_dup(v);
        return 0;
    }
    return fail(l, k, "unknown key '%s' (process, path, host, user, hash, destination, port, "
                "reason, expires)", key);
}

static int read_entry(loader *l, tune_set *t, struct fy_node *n)
{
    if (fy_node_get_type(n) != FYNT_MAPPING)
        return fail(l, n, "each allow entry is a mapping (process: ..., reason: ...)");
    t->e = xrealloc(t->e, (size_t)(t->n + 1) * sizeof *t->e);
    tune_entry *e = memset(&t->e[t->n++], 0, sizeof *t->e);
    e->expires_ms = INT64_MAX;
    int line, col;
    node_place(n, &line, &col);
    char where[512];
    snprintf(where, sizeof where, "%s:%d", l->path, line);
    e->where = xmalloc(strlen(where) + 1);
    strcpy(e->where, where);
    void *it = NULL;
    for (struct fy_node_pair *p; (p = fy_node_mapping_iterate(n, &it));) {
        struct fy_node *k = fy_node_pair_key(p);
        if (!k || fy_node_get_type(k) != FYNT_SCALAR)
            return fail(l, n, "a key of an allow entry is not a word");
        if (read_cond(l, e, k, fy_node_pair_value(p)))
            return -1;
    }
    int any = e->dst || e->nports;
    for (int c = 0; c < TC__GLOBS; c++)
        any |= e->glob[c] != NULL;
    if (!any)
        return fail(l, n, "an allow entry without a condition would allow every finding");
    return e->reason ? 0 : fail(l, n, "an allow entry needs a reason");
}

static int read_root(loader *l, tune_set *t, struct fy_node *root)
{
    if (!root || fy_node_get_type(root) != FYNT_MAPPING)
        return fail(l, root, "a profile is a mapping with an 'allow' list");
    struct fy_node *allow = NULL;
    void *it = NULL;
    for (struct fy_node_pair *p; (p = fy_node_mapping_iterate(root, &it));) {
        struct fy_node *k = fy_node_pair_key(p);
        const char *key = k && fy_node_get_type(k) == FYNT_SCALAR ? fy_node_get_scalar0(k) : "";
        if (!strcmp(key, "allow"))
            allow = fy_node_pair_value(p);
        else if (strcmp(key, "name") && strcmp(key, "description"))
            return fail(l, k ? k : root, "unknown key '%s' (name, description, allow)", key);
    }
    if (!allow || fy_node_get_type(allow) != FYNT_SEQUENCE)
        return fail(l, allow ? allow : root, "'allow' must be a list of entries");
    it = NULL;
    for (struct fy_node *n; (n = fy_node_sequence_iterate(allow, &it));)
        if (read_entry(l, t, n))
            return -1;
    return 0;
}

static void entries_free(tune_entry *e, int n)
{
    for (int i = 0; i < n; i++) {
        for (int c = 0; c < TC__GLOBS; c++) {
            for (int k = 0; e[i].glob[c] && e[i].glob[c][k]; k++)
                free(e[i].glob[c][k]);
            free(e[i].glob[c]);
        }
        free(e[i].dst);
        free(e[i].reason);
        free(e[i].where);
    }
}

/* A document libfyaml could not read: its first error, with its place. */
static int syntax_error(loader *l, struct fy_diag *diag)
{
    void *it = NULL;
    struct fy_diag_error *de = diag ? fy_diag_errors_iterate(diag, &it) : NULL;
    *l->line = de ? de->line : 0; /* libfyaml's errors count from 1 (its marks from 0) */
    *l->col = de ? de->column : 0;
    snprintf(l->err, l->errlen, "%s:%d:%d: %s", l->path, *l->line, *l->col,
             de && de->msg ? de->msg : "cannot be read as YAML");
    return -1;
}

int tune_load(tune_set *t, const char *path, char *err, size_t errlen, int *line, int *col)
{
    loader l = {path, err, errlen, line, col};
    *line = *col = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open the profile", path);
        return -1;
    }
    fclose(f);
    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = NULL;
    struct fy_diag *diag = fy_diag_create(&dc);
    if (diag)
        fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET, .diag = diag};
    struct fy_document *doc = fy_document_build_from_file(&cfg, path);
    int from = t->n;
    int rc = doc ? read_root(&l, t, fy_document_root(doc)) : syntax_error(&l, diag);
    if (rc) {
        entries_free(t->e + from, t->n - from); /* a profile that failed adds nothing */
        t->n = from;
    }
    fy_document_destroy(doc);
    fy_diag_destroy(diag);
    return rc;
}

void tune_free(tune_set *t)
{
    entries_free(t->e, t->n);
    free(t->e);
    t->e = NULL;
    t->n = 0;
}
