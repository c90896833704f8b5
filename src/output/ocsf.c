/* ocsf: the OCSF sink — each row of a result as one OCSF Detection Finding
 * (class_uid 2004, category Findings) on its own JSON line, so findings go
 * straight into the data lakes and SIEMs that read OCSF.
 *
 * Followed: OCSF 1.2.0, Detection Finding,
 *   https://schema.ocsf.io/1.2.0/classes/detection_finding
 *   (github.com/ocsf/ocsf-schema, tag v1.2.0: events/findings/
 *   detection_finding.json and finding.json, objects/finding_info.json,
 *   evidences.json, attack.json, analytic.json, metadata.json).
 *
 * Where a column goes:
 * - a canonical field (sink_meaning says which column holds one; without
 *   it, or where it says none, the column's name: dst_port, src_ip, or the
 *   hunt's process and command_line) goes where emit/ocsf.c's Network
 *   Activity table puts it, the actor and the endpoints inside evidences[0]
 *   and device at the top; bytes and durations have no place in the class;
 * - the hunt's own columns (finding_cols below): count, first_seen,
 *   last_seen (start_time, end_time, finding_info.first/last_seen_time),
 *   score (risk_score, and severity from it), score_parts (risk_details),
 *   why (finding_info.desc), next_steps (remediation.desc), protocol
 *   (dst_endpoint.svc_name), suppressed_by (status Suppressed, status_detail);
 * - any other column, a second column for a place already taken, and a
 *   value that does not fit its place (a port that is not a number, a time
 *   that is text) go under `unmapped` by column name. No column is dropped;
 *   a NULL in a placed column is left out, as OCSF leaves out the unknown.
 *
 * Severity from the triage score (0-100): below 25 Low (2), below 50
 * Medium (3), below 75 High (4), else Critical (5); risk_level_id takes the
 * same bands (1-4). Without a score severity_id is Unknown (0).
 *
 * Times are epoch milliseconds, each with a `_dt` twin in ISO 8601 UTC
 * (the datetime profile). `time` is the last connection's (else the
 * first's, else the wall clock), and finding_info.uid hashes the columns
 * that hold canonical fields (the group), so the same input gives the same
 * lines and a lake can match a finding across runs. A finding groups every
 * instance of a process image, so the process carries no pid (OCSF asks
 * for a pid or uid there; none is made up).
 *
 * Ownership: the sink owns its column table and a copy of the meaning it
 * is given (until end); the names from begin are borrowed until end, the
 * rows for the call. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "emit/ocsf.h"
#include "input/event.h"
#include "mailc2.h"
#include "output/sink.h"
#include "util/timeutil.h"
#include "value/convert.h"

enum { OCSF_MAX_LEAVES = 96, OCSF_PATH_MAX = 64, OCSF_MSG_MAX = 512 };

/* How a value has to look where it goes. */
enum place_type { T_STR, T_INT, T_PORT, T_TIME };

enum leaf_kind { LEAF_STR, LEAF_INT, LEAF_ISO, LEAF_TEXT, LEAF_RAW, LEAF_UNMAPPED };

/* One attribute of the finding, at a dotted path; a segment ending "[]"
 * is an array of one object. */
typedef struct leaf {
    char path[OCSF_PATH_MAX];
    int kind;
    mc_value v;                 /* LEAF_STR: written as a JSON string */
    int64_t n;                  /* LEAF_INT; LEAF_ISO: ms */
    const char *s;              /* LEAF_TEXT (s, len), LEAF_RAW */
    size_t len;
} leaf;

/* One row being turned into a finding. */
typedef struct finding {
    leaf f[OCSF_MAX_LEAVES];
    int n;
    const mc_value *row;
    char *unmapped;             /* per column: goes under unmapped */
    char msg[OCSF_MSG_MAX];
    char uid[32];
} finding;

typedef struct ocsf {
    FILE *out;
    int err;                    /* errno of the first failed write */
    char **mnames;              /* the meaning given (copies), until end */
    int *mcanon;
    int mcols;
    int mhunt;
    const char *const *names;   /* borrowed from begin until end */
    int ncols;
    int *canon;                 /* per column: its canonical field, or -1 */
    int hunt;                   /* the built-in hunt's findings */
} ocsf;

/* The hunt's finding columns that have a place of their own. */
static const struct {
    const char *name, *path;
    int type;
} finding_cols[] = {
    {"count", "count", T_INT}, {"first_seen", "start_time", T_TIME},
    {"last_seen", "end_time", T_TIME}, {"score", "risk_score", T_INT},
    {"score_parts", "risk_details", T_STR}, {"why", "finding_info.desc", T_STR},
    {"next_steps", "remediation.desc", T_STR},
    {"protocol", "evidences[].dst_endpoint.svc_name", T_STR},
    {"suppressed_by", "status_detail", T_STR},
};

/* The hunt's names for canonical fields that are not the field's own name. */
static const struct {
    const char *name;
    int canon;
} canon_aliases[] = {{"process", MC_C_PROC_PATH}, {"command_line", MC_C_CMDLINE}};

static const char attacks_json[] =
    "[{\"tactic\":{\"uid\":\"TA0011\",\"name\":\"Command and Control\","
    "\"src_url\":\"https://attack.mitre.org/tactics/TA0011/\"},"
    "\"technique\":{\"uid\":\"T1071\",\"name\":\"Application Layer Protocol\","
    "\"src_url\":\"https://attack.mitre.org/techniques/T1071/\"},"
    "\"sub_technique\":{\"uid\":\"T1071.003\",\"name\":\"Mail Protocols\","
    "\"src_url\":\"https://attack.mitre.org/techniques/T1071/003/\"}}]";

/* ---- the leaves of one finding ---- */

static const leaf *find_leaf(const finding *fd, const char *path)
{
    for (int i = 0; i < fd->n; i++)
        if (strcmp(fd->f[i].path, path) == 0)
            return &fd->f[i];
    return NULL;
}

/* A new leaf at path, or NULL when the path is taken or there is no room. */
static leaf *add_leaf(finding *fd, const char *path, int kind)
{
    if (fd->n == OCSF_MAX_LEAVES || strlen(path) >= OCSF_PATH_MAX || find_leaf(fd, path))
        return NULL;
    leaf *l = &fd->f[fd->n++];
    memset(l, 0, sizeof *l);
    snprintf(l->path, sizeof l->path, "%s", path);
    l->kind = kind;
    return l;
}

static void add_int(finding *fd, const char *path, int64_t n)
{
    leaf *l = add_leaf(fd, path, LEAF_INT);
    if (l)
        l->n = n;
}

static void add_text(finding *fd, const char *path, const char *s, size_t len, int kind)
{
    leaf *l = add_leaf(fd, path, kind);
    if (l) {
        l->s = s;
        l->len = len;
    }
}

static void add_str(finding *fd, const char *path, const char *s)
{
    add_text(fd, path, s, strlen(s), LEAF_TEXT);
}

/* A time in ms at path, and its ISO 8601 twin at path_dt. */
static void add_time(finding *fd, const char *path, int64_t ms)
{
    char dt[OCSF_PATH_MAX + 4];
    snprintf(dt, sizeof dt, "%s_dt", path);
    add_int(fd, path, ms);
    leaf *l = add_leaf(fd, dt, LEAF_ISO);
    if (l)
        l->n = ms;
}

/* Places cell v at path as `type` wants; -1 when it does not fit there
 * (or the path is taken), and then the column goes under unmapped. */
static int place(finding *fd, const char *path, int type, const mc_value *v)
{
    if (v->type == MC_NULL)
        return find_leaf(fd, path) ? -1 : 0;
    if (type == T_TIME) {
        if (v->type != MC_TS || find_leaf(fd, path))
            return -1;
        add_time(fd, path, v->u.i);
        return 0;
    }
    if (type == T_INT || type == T_PORT) {
        mc_value n = v->type == MC_INT ? *v : type == T_PORT ? value_port(*v) : value_uint(*v);
        if (n.type != MC_INT || (type == T_PORT && (n.u.i < 0 || n.u.i > 65535)))
            return -1;
        leaf *l = add_leaf(fd, path, LEAF_INT);
        return l ? (l->n = n.u.i, 0) : -1;
    }
    leaf *l = add_leaf(fd, path, LEAF_STR);
    return l ? (l->v = *v, 0) : -1;
}

/* ---- where a column goes ---- */

/* Where canonical field `canon` goes in a Detection Finding, from the
 * Network Activity table (emit/ocsf.c): the actor and endpoints into
 * evidences[0], device and time as they are; NULL when the class has no
 * place for it (traffic, duration, a constant of that class). */
static const char *canon_path(int canon, char *buf, size_t cap)
{
    static const char *const in_evidence[] = {"actor.", "src_endpoint.", "dst_endpoint."};
    const char *col = ocsf_column(canon);
    if (!col || col[0] == '\'')
        return NULL;
    if (strcmp(col, "time") == 0 || strncmp(col, "device.", 7) == 0)
        return col;
    for (size_t i = 0; i < sizeof in_evidence / sizeof in_evidence[0]; i++)
        if (strncmp(col, in_evidence[i], strlen(in_evidence[i])) == 0) {
            snprintf(buf, cap, "evidences[].%s", col);
            return buf;
        }
    return NULL;
}

static int canon_type(int canon)
{
    return canon == MC_C_TIME ? T_TIME
           : canon == MC_C_SRC_PORT || canon == MC_C_DST_PORT ? T_PORT : T_STR;
}

/* Column c of the row into its place, or flagged for unmapped. */
static void place_column(const ocsf *o, finding *fd, int c)
{
    const mc_value *v = &fd->row[c];
    char buf[OCSF_PATH_MAX];
    const char *path = o->canon[c] >= 0 ? canon_path(o->canon[c], buf, sizeof buf) : NULL;
    int type = path ? canon_type(o->canon[c]) : T_STR;
    for (size_t i = 0; !path && i < sizeof finding_cols / sizeof finding_cols[0]; i++)
        if (strcmp(o->names[c], finding_cols[i].name) == 0) {
            path = finding_cols[i].path;
            type = finding_cols[i].type;
        }
    if (!path || place(fd, path, type, v))
        fd->unmapped[c] = 1;
}

/* The canonical field column `name` holds: what the meaning says, else
 * its name (a canonical field's own, or the hunt's alias); -1: none. */
static int column_canon(const ocsf *o, const char *name)
{
    for (int i = 0; i < o->mcols; i++)
        if (strcmp(o->mnames[i], name) == 0 && o->mcanon[i] >= 0)
            return o->mcanon[i];
    for (size_t i = 0; i < sizeof canon_aliases / sizeof canon_aliases[0]; i++)
        if (strcmp(canon_aliases[i].name, name) == 0)
            return canon_aliases[i].canon;
    return mc_canon_lookup(name);
}

/* ---- what follows from the placed columns ---- */

static int cell_text(const leaf *l, char *buf, const char **s, size_t *len)
{
    if (!l)
        return 0;
    if (l->kind == LEAF_TEXT) {
        *s = l->s;
        *len = l->len;
        return 1;
    }
    mc_value v = l->kind == LEAF_INT ? mc_int(MC_INT, l->n) : l->v;
    return l->kind == LEAF_INT || l->kind == LEAF_STR ? value_format(&v, buf, s, len) : 0;
}

/* The process: its image's file name (OCSF's file wants a name and type). */
static void derive_process(finding *fd)
{
    const leaf *path = find_leaf(fd, "evidences[].actor.process.file.path");
    const leaf *name = find_leaf(fd, "evidences[].actor.process.file.name");
    if (!path && !name)
        return;
    mc_value base = name ? name->v : value_basename(path->v);
    leaf *l = add_leaf(fd, "evidences[].actor.process.file.name", LEAF_STR);
    if (l)
        l->v = base;
    l = add_leaf(fd, "evidences[].actor.process.name", LEAF_STR);
    if (l)
        l->v = base;
    add_int(fd, "evidences[].actor.process.file.type_id", 1);
    add_str(fd, "evidences[].actor.process.file.type", "Regular File");
}

/* severity_id and risk_level_id from the score (the bands at the top). */
static void derive_severity(finding *fd)
{
    static const char *const sev[] = {"Unknown", "Informational", "Low", "Medium", "High",
                                      "Critical"};
    static const char *const risk[] = {"Info", "Low", "Medium", "High", "Critical"};
    const leaf *score = find_leaf(fd, "risk_score");
    if (!score) {
        add_int(fd, "severity_id", 0);
        add_str(fd, "severity", sev[0]);
        return;
    }
    int band = score->n < 25 ? 0 : score->n < 50 ? 1 : score->n < 75 ? 2 : 3;
    add_int(fd, "severity_id", 2 + band);
    add_str(fd, "severity", sev[2 + band]);
    add_int(fd, "risk_level_id", 1 + band);
    add_str(fd, "risk_level", risk[1 + band]);
}

/* time and the finding's first and last seen, from start and end. */
static void derive_times(finding *fd)
{
    const leaf *start = find_leaf(fd, "start_time"), *end = find_leaf(fd, "end_time");
    if (start)
        add_time(fd, "finding_info.first_seen_time", start->n);
    if (end)
        add_time(fd, "finding_info.last_seen_time", end->n);
    add_time(fd, "time", end ? end->n : start ? start->n : time_now_ms());
}

/* "powershell.exe on WS-1 to 127.0.0.1:25 (SMTP), 4 connections": what a
 * reader of a list of findings needs first. */
static void derive_message(finding *fd, const char *title)
{
    static const struct { const char *path, *before, *after; } parts[] = {
        {"evidences[].actor.process.name", "", ""}, {"device.hostname", " on ", ""},
        {"evidences[].src_endpoint.ip", " from ", ""}, {"evidences[].dst_endpoint.ip", " to ", ""},
        {"evidences[].dst_endpoint.port", ":", ""},
        {"evidences[].dst_endpoint.svc_name", " (", ")"}, {"count", ", ", " connections"},
    };
    size_t at = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char buf[VALUE_TEXT_MAX];
        const char *s;
        size_t len;
        if (!cell_text(find_leaf(fd, parts[i].path), buf, &s, &len) || at >= sizeof fd->msg)
            continue;
        at += (size_t)snprintf(fd->msg + at, sizeof fd->msg - at, "%s%.*s%s",
                               at ? parts[i].before : "", (int)len, s, parts[i].after);
    }
    if (!at)
        snprintf(fd->msg, sizeof fd->msg, "%s", title);
    add_text(fd, "message", fd->msg, strlen(fd->msg), LEAF_TEXT);
}

/* finding_info.uid: FNV-1a over the columns that hold canonical fields
 * (the group), or over every cell when none does. */
static void derive_uid(const ocsf *o, finding *fd)
{
    uint64_t h = 14695981039346656037ULL;
    int any = 0;
    for (int pass = 0; pass < 2 && !any; pass++)
        for (int c = 0; c < o->ncols; c++) {
            if (pass == 0 && o->canon[c] < 0)
                continue;
            char buf[VALUE_TEXT_MAX];
            const char *s = "";
            size_t len = 0;
            value_format(&fd->row[c], buf, &s, &len);
            for (size_t i = 0; i <= len; i++) /* with a 0 byte between cells */
                h = (h ^ (i < len ? (unsigned char)s[i] : 0)) * 1099511628211ULL;
            any = 1;
        }
    snprintf(fd->uid, sizeof fd->uid, "mailc2-%016" PRIx64, h);
    add_text(fd, "finding_info.uid", fd->uid, strlen(fd->uid), LEAF_TEXT);
}

/* The class, its activity (Create) and the finding's description. */
static void add_header(finding *fd, int hunt)
{
    add_int(fd, "activity_id", 1);
    add_str(fd, "activity_name", "Create");
    add_int(fd, "category_uid", 2);
    add_str(fd, "category_name", "Findings");
    add_int(fd, "class_uid", 2004);
    add_str(fd, "class_name", "Detection Finding");
    add_int(fd, "type_uid", 2004 * 100 + 1);
    add_str(fd, "type_name", "Detection Finding: Create");
    add_str(fd, "finding_info.title", hunt ? "Command and control over mail protocols "
                                             "(T1071.003)" : "mailc2 query result");
    add_text(fd, "finding_info.types", hunt ? "[\"Command and Control\"]" : "[\"Query Result\"]",
             0, LEAF_RAW);
    add_str(fd, "finding_info.analytic.name", hunt ? "mailc2 built-in T1071.003 rule"
                                                   : "mailc2 run");
    add_int(fd, "finding_info.analytic.type_id", 1);
    add_str(fd, "finding_info.analytic.type", "Rule");
    if (hunt)
        add_text(fd, "finding_info.attacks", attacks_json, 0, LEAF_RAW);
}

static void add_trailer(finding *fd, int unmapped)
{
    int suppressed = find_leaf(fd, "status_detail") != NULL;
    add_int(fd, "status_id", suppressed ? 3 : 1);
    add_str(fd, "status", suppressed ? "Suppressed" : "New");
    if (find_leaf(fd, "device.hostname")) {
        add_int(fd, "device.type_id", 0);
        add_str(fd, "device.type", "Unknown");
    }
    add_str(fd, "metadata.version", "1.2.0");
    add_text(fd, "metadata.profiles", "[\"datetime\",\"host\"]", 0, LEAF_RAW);
    add_str(fd, "metadata.product.name", "mailc2");
    add_str(fd, "metadata.product.vendor_name", "mailc2");
    add_str(fd, "metadata.product.version", MAILC2_VERSION);
    if (unmapped)
        add_leaf(fd, "unmapped", LEAF_UNMAPPED);
}

static void build(const ocsf *o, finding *fd)
{
    add_header(fd, o->hunt);
    for (int c = 0; c < o->ncols; c++)
        place_column(o, fd, c);
    derive_process(fd);
    derive_severity(fd);
    derive_times(fd);
    derive_message(fd, find_leaf(fd, "finding_info.title")->s);
    derive_uid(o, fd);
    int unmapped = 0;
    for (int c = 0; c < o->ncols; c++)
        unmapped |= fd->unmapped[c];
    add_trailer(fd, unmapped);
}

/* ---- writing: the leaves as nested objects, in the order first named ---- */

static void put_unmapped(const ocsf *o, const finding *fd)
{
    int n = 0;
    fputc('{', o->out);
    for (int c = 0; c < o->ncols; c++) {
        if (!fd->unmapped[c])
            continue;
        fputs(n++ ? "," : "", o->out);
        out_json_string(o->names[c], strlen(o->names[c]), o->out);
        fputc(':', o->out);
        out_json_value(&fd->row[c], o->out);
    }
    fputc('}', o->out);
}

static void put_leaf(const ocsf *o, const finding *fd, const leaf *l)
{
    char buf[VALUE_TEXT_MAX], iso[TIME_ISO_LEN];
    const char *s;
    size_t len;
    switch (l->kind) {
    case LEAF_STR:
        value_format(&l->v, buf, &s, &len);
        out_json_string(s, len, o->out);
        break;
    case LEAF_INT: fprintf(o->out, "%" PRId64, l->n); break;
    case LEAF_ISO:
        time_format_iso(l->n, iso);
        out_json_string(iso, strlen(iso), o->out);
        break;
    case LEAF_TEXT: out_json_string(l->s, l->len, o->out); break;
    case LEAF_RAW: fputs(l->s, o->out); break;
    default: put_unmapped(o, fd); break;
    }
}

/* Whether a leaf before leaf i shares its path's first `upto` characters
 * as whole segments (that member was written with it). */
static int written_before(const finding *fd, int i, size_t upto)
{
    const char *p = fd->f[i].path;
    for (int j = 0; j < i; j++) {
        const char *q = fd->f[j].path;
        if (strncmp(q, p, upto) == 0 && (q[upto] == '.' || q[upto] == '\0'))
            return 1;
    }
    return 0;
}

/* The members of the object at the first plen characters of prefix. */
static void put_members(const ocsf *o, const finding *fd, const char *prefix, size_t plen)
{
    int first = 1;
    for (int i = 0; i < fd->n; i++) {
        const char *p = fd->f[i].path;
        if (strncmp(p, prefix, plen) != 0)
            continue;
        size_t seg = strcspn(p + plen, ".");
        if (written_before(fd, i, plen + seg))
            continue;
        int array = seg > 2 && memcmp(p + plen + seg - 2, "[]", 2) == 0;
        fputs(first ? "" : ",", o->out);
        first = 0;
        out_json_string(p + plen, array ? seg - 2 : seg, o->out);
        fputc(':', o->out);
        if (p[plen + seg] == '\0') {
            put_leaf(o, fd, &fd->f[i]);
            continue;
        }
        fputs(array ? "[{" : "{", o->out);
        put_members(o, fd, p, plen + seg + 1);
        fputs(array ? "}]" : "}", o->out);
    }
}

/* ---- the sink ---- */

static int checked(ocsf *o)
{
    if (!o->err && ferror(o->out))
        o->err = errno ? errno : EIO;
    return o->err ? -1 : 0;
}

static void forget_meaning(ocsf *o)
{
    for (int i = 0; i < o->mcols; i++)
        free(o->mnames[i]);
    free(o->mnames);
    free(o->mcanon);
    o->mnames = NULL;
    o->mcanon = NULL;
    o->mcols = o->mhunt = 0;
}

static void ocsf_meaning(void *ud, const sink_meaning *m)
{
    ocsf *o = ud;
    forget_meaning(o);
    o->mnames = xcalloc((size_t)m->ncols + 1, sizeof *o->mnames);
    o->mcanon = xcalloc((size_t)m->ncols + 1, sizeof *o->mcanon);
    for (int i = 0; i < m->ncols; i++) {
        size_t len = strlen(m->names[i]);
        o->mnames[i] = memcpy(xmalloc(len + 1), m->names[i], len + 1);
        o->mcanon[i] = m->canon[i];
    }
    o->mcols = m->ncols;
    o->mhunt = m->hunt;
}

static int ocsf_begin(void *ud, const char *const *names, int ncols)
{
    ocsf *o = ud;
    o->names = names;
    o->ncols = ncols;
    free(o->canon);
    o->canon = xcalloc((size_t)ncols + 1, sizeof *o->canon);
    o->hunt = o->mhunt;
    for (int c = 0; c < ncols; c++) {
        o->canon[c] = column_canon(o, names[c]);
        o->hunt |= strcmp(names[c], "score") == 0; /* triage ran: the hunt's columns */
    }
    return 0;
}

static int ocsf_row(void *ud, const mc_value *cells, int ncols)
{
    ocsf *o = ud;
    finding *fd = xcalloc(1, sizeof *fd);
    fd->row = cells;
    fd->unmapped = xcalloc((size_t)ncols + 1, 1);
    build(o, fd);
    fputc('{', o->out);
    put_members(o, fd, "", 0);
    fputs("}\n", o->out);
    free(fd->unmapped);
    free(fd);
    return checked(o);
}

static int ocsf_end(void *ud)
{
    ocsf *o = ud;
    if (fflush(o->out) != 0 && !o->err)
        o->err = errno ? errno : EIO;
    forget_meaning(o); /* it was for this result */
    return checked(o);
}

static void ocsf_free(void *ud)
{
    ocsf *o = ud;
    forget_meaning(o);
    free(o->canon);
    free(o);
}

static int ocsf_errno(void *ud)
{
    return ((const ocsf *)ud)->err;
}

static const sink_ops ocsf_ops = {ocsf_begin, ocsf_row, ocsf_end, ocsf_free, NULL, ocsf_errno,
                                  ocsf_meaning, NULL};

sink sink_ocsf(FILE *out)
{
    ocsf *o = xcalloc(1, sizeof *o);
    o->out = out;
    return (sink){&ocsf_ops, o};
}
