/* suppress: matching findings against allow entries (see suppress.h). */
#define _GNU_SOURCE /* FNM_CASEFOLD: Windows names ignore case */
#include "tune/suppress.h"

#include <fnmatch.h>
#include <string.h>

#include "input/event.h"
#include "value/convert.h"

/* The text of column `col` of `row`, NUL-terminated in buf; NULL when the
 * result has no such column or the value is NULL. */
static const char *cell(const mc_value *row, int col, char *buf, size_t cap)
{
    if (col < 0)
        return NULL;
    char num[VALUE_TEXT_MAX];
    const char *s;
    size_t len;
    if (!value_format(&row[col], num, &s, &len))
        return NULL;
    if (len >= cap)
        len = cap - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

/* The file name of a Windows or POSIX path (value_basename, on C text). */
static const char *base_name(const char *path)
{
    return value_basename(mc_str(MC_STR, path, strlen(path))).u.s;
}

static int any_glob(char *const *globs, const char *text)
{
    for (int i = 0; text && globs[i]; i++)
        if (fnmatch(globs[i], text, FNM_NOESCAPE | FNM_CASEFOLD) == 0)
            return 1;
    return 0;
}

typedef struct cols {
    int at[MC_C__COUNT];         /* the result column of each canonical field, or -1 */
} cols;

static int glob_matches(const tune_entry *e, int c, const mc_value *row, const cols *k)
{
    char buf[4096];
    const char *text = NULL;
    switch (c) {
    case TC_PROCESS:
        if ((text = cell(row, k->at[MC_C_PROC_NAME], buf, sizeof buf)) == NULL &&
            (text = cell(row, k->at[MC_C_PROC_PATH], buf, sizeof buf)) != NULL)
            text = base_name(text);
        break;
    case TC_PATH: text = cell(row, k->at[MC_C_PROC_PATH], buf, sizeof buf); break;
    case TC_HOST: text = cell(row, k->at[MC_C_HOST], buf, sizeof buf); break;
    case TC_USER: text = cell(row, k->at[MC_C_USER], buf, sizeof buf); break;
    default: break; /* no result carries a hash yet: a hash condition matches nothing */
    }
    return any_glob(e->glob[c], text);
}

static int matches(const tune_entry *e, const mc_value *row, const cols *k)
{
    for (int c = 0; c < TC__GLOBS; c++)
        if (e->glob[c] && !glob_matches(e, c, row, k))
            return 0;
    char buf[128];
    if (e->dst) {
        const char *ip = cell(row, k->at[MC_C_DST_IP], buf, sizeof buf);
        if (!ip || cidr_set_has(e->dst, ip, strlen(ip)) != 1)
            return 0;
    }
    if (e->nports) {
        const char *port = cell(row, k->at[MC_C_DST_PORT], buf, sizeof buf);
        int hit = 0;
        for (int i = 0; port && i < e->nports && !hit; i++) {
            char want[8];
            snprintf(want, sizeof want, "%d", e->port[i]);
            hit = strcmp(port, want) == 0;
        }
        if (!hit)
            return 0;
    }
    return 1;
}

/* The first live entry matching `row`, or -1; counts the expired entries
 * that match it before one that lives (or none). */
static int first_match(const tune_set *t, const mc_value *row, const cols *k, int64_t now,
                       tune_outcome *out)
{
    for (int i = 0; i < t->n; i++) {
        if (!matches(&t->e[i], row, k))
            continue;
        if (t->e[i].expires_ms >= now)
            return i;
        out->expired[i]++;
    }
    return -1;
}

mc_result *tune_apply(const tune_set *t, mc_result *r, const int *canon, int64_t now_ms,
                      int show, tune_outcome *out)
{
    cols k;
    for (int c = 0; c < MC_C__COUNT; c++)
        k.at[c] = -1;
    for (int c = r->ncols - 1; c >= 0; c--)
        if (canon[c] >= 0 && canon[c] < MC_C__COUNT)
            k.at[canon[c]] = c;
    const char *names[PLAN_MAX_COLS + 1];
    for (int c = 0; c < r->ncols; c++)
        names[c] = r->names[c];
    names[r->ncols] = "suppressed_by";
    mc_result *kept = result_new(r->ncols + (show ? 1 : 0), names);
    mc_value row[PLAN_MAX_COLS + 1];
    char why[600];
    for (size_t i = 0; i < r->nrows; i++) {
        memcpy(row, result_row(r, i), sizeof *row * (size_t)r->ncols);
        int hit = first_match(t, row, &k, now_ms, out);
        const tune_entry *e = hit >= 0 ? &t->e[hit] : NULL;
        if (e)
            out->suppressed[hit]++;
        if (e && !show)
            continue;
        snprintf(why, sizeof why, "%s: %s", e ? e->where : "", e ? e->reason : "");
        row[r->ncols] = e ? mc_str(MC_STR, why, strlen(why)) : mc_null();
        result_add_row(kept, row);
    }
    result_free(r);
    return kept;
}
