/* triage: scoring a result's findings and adding the columns (see
 * triage.h). Columns are found by name, so a rule that groups as the hunt
 * does gets the same treatment; the three helper columns the hunt's plan
 * computes for the score (times, dst_hosts, proc_dsts) are dropped here. */
#include "triage/triage.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/shares.h"

/* The columns triage reads, by name; the first REQUIRED must be present. */
enum { C_COUNT, C_TIMES, C_DST_HOSTS, C_PROC_DSTS, C_PROCESS, C_DST_IP, C_REQUIRED,
       C_HOST = C_REQUIRED, C_SRC_IP, C_USER, C_DST_PORT, C_PROTOCOL, C_LACKS, C_COMMAND_LINE,
       C_NOT_MAIL, C__COUNT };

static const char *const col_name[C__COUNT] = {
    "count", "times", "dst_hosts", "proc_dsts", "process", "dst_ip", "host", "src_ip", "user",
    "dst_port", "protocol", "lacks", "command_line", "not_mail",
};

typedef struct cols {
    int at[C__COUNT];            /* result column, or -1 */
} cols;

static void find_cols(const char *const *names, int n, cols *k)
{
    for (int c = 0; c < C__COUNT; c++) {
        k->at[c] = -1;
        for (int i = 0; i < n; i++)
            if (strcmp(names[i], col_name[c]) == 0)
                k->at[c] = i;
    }
}

int triage_applies(const char *const *names, int n)
{
    cols k;
    find_cols(names, n, &k);
    for (int c = 0; c < C_REQUIRED; c++)
        if (k.at[c] < 0)
            return 0;
    return 1;
}

/* Text cells as NUL-terminated strings, copied into buf (cut at cap). */
static const char *text_of(const mc_value *row, int col, char *buf, size_t cap)
{
    if (col < 0 || row[col].type == MC_NULL)
        return NULL;
    char num[VALUE_TEXT_MAX];
    const char *s;
    size_t len;
    value_format(&row[col], num, &s, &len);
    if (len >= cap)
        len = cap - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

static int64_t int_of(const mc_value *row, int col, int64_t none)
{
    if (col < 0)
        return none;
    mc_value n;
    if (value_as_number(&row[col], &n))
        return none;
    return n.type == MC_FLOAT ? (int64_t)n.u.f : n.u.i;
}

/* "t1,t2,..." into t[0..PLAN_TIMES_MAX); returns how many. */
static size_t parse_times(const mc_value *v, int64_t *t)
{
    if (v->type != MC_STR)
        return 0;
    size_t n = 0;
    const char *p = v->u.s, *end = v->u.s + v->len;
    while (p < end && n < PLAN_TIMES_MAX) {
        int64_t x = 0;
        int neg = *p == '-';
        p += neg;
        for (; p < end && *p >= '0' && *p <= '9'; p++)
            x = x * 10 + (*p - '0');
        t[n++] = neg ? -x : x;
        p++; /* the comma */
    }
    return n;
}

/* Room for the text cells of one finding; the strings point into it. */
typedef struct finding_buf {
    char host[512], src[64], process[2048], user[512], dst[64], proto[32], lacks[64];
    char cmd[8192];
    int64_t times[PLAN_TIMES_MAX];
} finding_buf;

static void read_finding(const mc_value *row, const cols *k, finding_buf *b, triage_finding *f)
{
    const int *at = k->at;
    f->host = text_of(row, at[C_HOST], b->host, sizeof b->host);
    f->src_ip = text_of(row, at[C_SRC_IP], b->src, sizeof b->src);
    f->process = text_of(row, at[C_PROCESS], b->process, sizeof b->process);
    f->user = text_of(row, at[C_USER], b->user, sizeof b->user);
    f->dst_ip = text_of(row, at[C_DST_IP], b->dst, sizeof b->dst);
    f->protocol = text_of(row, at[C_PROTOCOL], b->proto, sizeof b->proto);
    f->lacks = text_of(row, at[C_LACKS], b->lacks, sizeof b->lacks);
    f->command_line = text_of(row, at[C_COMMAND_LINE], b->cmd, sizeof b->cmd);
    f->dst_port = int_of(row, at[C_DST_PORT], 0);
    f->count = int_of(row, at[C_COUNT], 0);
    f->not_mail = int_of(row, at[C_NOT_MAIL], -1);
    f->dst_hosts = int_of(row, at[C_DST_HOSTS], 0);
    f->proc_dsts = int_of(row, at[C_PROC_DSTS], 0);
    f->times = b->times;
    f->ntimes = parse_times(&row[at[C_TIMES]], b->times);
}

int triage_score(const triage_finding *f, int64_t window_ms, triage_part part[TRIAGE_NPARTS])
{
    score_periodicity(f->times, f->ntimes, window_ms, &part[TRIAGE_PERIODICITY]);
    score_rarity(f->dst_hosts, score_is_loopback(f->dst_ip), f->proc_dsts, f->dst_ip,
                 &part[TRIAGE_RARITY]);
    score_process(f->process, f->command_line, &part[TRIAGE_PROCESS]);
    score_protocol(f->not_mail, f->count, &part[TRIAGE_PROTOCOL]);
    int sum = 0;
    for (int i = 0; i < TRIAGE_NPARTS; i++)
        sum += part[i].points;
    return sum > 100 ? 100 : sum;
}

/* The output's columns: what to keep of r (src[]), then the added ones. */
typedef struct layout {
    int src[PLAN_MAX_COLS + 8];  /* r's column, or -1 for an added one */
    const char *name[PLAN_MAX_COLS + 8];
    int n, score, count;
} layout;

static void plan_layout(const mc_result *r, const cols *k, const triage_opts *o, layout *l)
{
    l->n = 0;
    for (int c = 0; c < r->ncols && c < PLAN_MAX_COLS; c++) {
        if (c == k->at[C_TIMES] || c == k->at[C_DST_HOSTS] || c == k->at[C_PROC_DSTS])
            continue;
        if (c == k->at[C_COUNT])
            l->count = l->n;
        l->src[l->n] = c;
        l->name[l->n++] = r->names[c];
    }
    static const char *const added[] = {"score", "score_parts", "why", "next_steps"};
    l->score = l->n;
    for (int i = 0; i < 4; i++) {
        l->src[l->n] = -1;
        l->name[l->n++] = added[i];
    }
    if (o->keep_times) {
        l->src[l->n] = k->at[C_TIMES];
        l->name[l->n++] = "times";
    }
}

/* The added columns of one kept finding (text in its share's arena, which
 * the result adopts). */
typedef struct added {
    int score;
    mc_value parts, why, steps;
} added;

/* A share of the rows scored on one thread: add[from, to) filled, their
 * text in the share's own arena (a result's arena is not shared between
 * threads; it adopts the shares' when they are done). */
typedef struct score_share {
    const mc_result *r;
    const cols *k;
    const triage_opts *o;
    added *add;
    size_t from, to;
    arena mem;
    size_t kept;        /* rows of the share scoring at least min_score */
    const layout *l;    /* the second pass (fill_share_run): rows laid out */
    mc_value *out;      /* where the share's first kept row goes */
} score_share;

static mc_value keep_text(arena *mem, const char *s)
{
    size_t n = strlen(s);
    return mc_str(MC_STR, arena_strndup(mem, s, n), n);
}

static void *score_share_run(void *arg)
{
    score_share *sh = arg;
    finding_buf *b = xmalloc(sizeof *b);
    char parts[256], *why = xmalloc(4096), *steps = xmalloc(2048);
    size_t kept = 0; /* counted here, stored once: sh[] is read by the other shares */
    for (size_t i = sh->from; i < sh->to; i++) {
        triage_finding f;
        triage_part part[TRIAGE_NPARTS];
        read_finding(result_row(sh->r, i), sh->k, b, &f);
        added *a = &sh->add[i];
        a->score = triage_score(&f, sh->o->window_ms, part);
        if (a->score < sh->o->min_score)
            continue; /* left out by fill_share_run */
        kept++;
        triage_parts_text(part, parts, sizeof parts);
        triage_why(&f, sh->o, part, why, 4096);
        triage_next_steps(&f, part, steps, 2048);
        a->parts = keep_text(&sh->mem, parts);
        a->why = keep_text(&sh->mem, why);
        a->steps = keep_text(&sh->mem, steps);
    }
    sh->kept = kept;
    free(b);
    free(why);
    free(steps);
    return NULL;
}

/* Lays out a share's kept rows at sh->out: the columns kept of r, then
 * the added ones. Rows are built anew on the threads rather than moved in
 * place on one: widening 2x10^5 rows in place was a serial third of a
 * second, most of it faulting in the grown array's pages. */
static void *fill_share_run(void *arg)
{
    score_share *sh = arg;
    const layout *l = sh->l;
    mc_value *out = sh->out;
    for (size_t i = sh->from; i < sh->to; i++) {
        const added *a = &sh->add[i];
        if (a->score < sh->o->min_score)
            continue;
        const mc_value *src = result_row(sh->r, i);
        for (int c = 0; c < l->n; c++)
            out[c] = l->src[c] >= 0 ? src[l->src[c]] : mc_null();
        out[l->score] = mc_int(MC_INT, a->score);
        out[l->score + 1] = a->parts;
        out[l->score + 2] = a->why;
        out[l->score + 3] = a->steps;
        out += l->n;
    }
    return NULL;
}

/* Scores every row and lays out those scoring at least min_score, in
 * order, as r's new cells in layout l, each on o->threads threads where
 * there are enough rows for it to pay (the text of 2x10^5 findings was a
 * serial second after the parallel scan), counting the others in *below. */
enum { SHARE_MIN_ROWS = 2048, MAX_SHARES = 16 };

static void score_rows(mc_result *r, const cols *k, const triage_opts *o, const layout *l,
                       uint64_t *below)
{
    int n = shares_count(r->nrows, o->threads, SHARE_MIN_ROWS, MAX_SHARES);
    added *add = xmalloc(sizeof *add * (r->nrows ? r->nrows : 1));
    score_share sh[MAX_SHARES];
    for (int i = 0; i < n; i++) {
        sh[i] = (score_share){r, k, o, add, r->nrows * (size_t)i / (size_t)n,
                              r->nrows * (size_t)(i + 1) / (size_t)n, {0}, 0, l, NULL};
        arena_init(&sh[i].mem);
    }
    shares_run(score_share_run, sh, sizeof *sh, n);
    size_t kept = 0;
    for (int i = 0; i < n; i++)
        kept += sh[i].kept;
    mc_value *cells = xmalloc(sizeof *cells * (kept ? kept : 1) * (size_t)l->n);
    size_t at = 0;
    for (int i = 0; i < n; i++) {
        sh[i].out = cells + at * (size_t)l->n;
        at += sh[i].kept;
    }
    shares_run(fill_share_run, sh, sizeof *sh, n);
    for (int i = 0; i < n; i++)
        arena_adopt(&r->mem, &sh[i].mem);
    *below += r->nrows - kept;
    free(add);
    result_adopt_cells(r, cells, kept, l->name, l->n);
}

void triage_apply(mc_result *r, const triage_opts *o, uint64_t *below)
{
    cols k;
    find_cols(r->names, r->ncols, &k);
    layout l;
    plan_layout(r, &k, o, &l);
    score_rows(r, &k, o, &l, below);
    result_order order[2] = {{l.score, 1, SORT_VALUE}, {l.count, 1, SORT_VALUE}};
    if (o->by_count)
        result_sort(r, order + 1, 1, 0, SIZE_MAX, o->threads);
    else
        result_sort(r, order, 2, 0, SIZE_MAX, o->threads);
}
