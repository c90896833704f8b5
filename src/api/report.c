/* report: what a run saw, as data (include/mailc2.h mc_report) — the
 * counts, and the notes a person should read after the rows: the summary
 * line, skipped inputs, what the time window removed, what the plan asked
 * to count, and where the source SIEM would have answered differently
 * (design §4). Built here once, so the command line, an HTML report or a
 * program embedding the library say the same thing. */
#include "api/api.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "output/sink.h"
#include "util/timeutil.h"

struct mc_report {
    uint64_t count[MC_COUNT_GROUPS + 1];
    int64_t now_ms;
    char **note;                /* grows: a profile's entries each may add one */
    size_t nnotes;
};

static void add(mc_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(mc_report *r, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t n = strlen(buf);
    r->note = xrealloc(r->note, (r->nnotes + 1) * sizeof *r->note);
    r->note[r->nnotes] = xmalloc(n + 1);
    memcpy(r->note[r->nnotes++], buf, n + 1);
}

static void summary(mc_report *r, const mc_engine *e, const mc_query *q, const exec_stats *st,
                    size_t rows, double secs)
{
    char window[96] = "";
    if (q->window_ms) {
        char now[TIME_ISO_LEN], dur[32];
        time_format_iso(r->now_ms, now);
        time_format_duration(q->window_ms, dur, sizeof dur);
        snprintf(window, sizeof window, " (window %s to %s%s)", dur, now,
                 e->o.now_latest ? ", latest event" : "");
    }
    add(r, "%" PRIu64 " files, %" PRIu64 " events, %" PRIu64 " bad records, %zu findings in "
           "%.2f s%s", st->files, st->events, st->bad, rows, secs, window);
    if (st->files_skipped)
        add(r, "%" PRIu64 " files skipped: format not recognised", st->files_skipped);
    if (st->prefiltered)
        add(r, "%" PRIu64 " lines could not pass the query's first filters and were skipped "
               "unparsed (not counted as events; a malformed one among them is not counted as "
               "bad: --no-prefilter parses every line)", st->prefiltered);
}

/* What the time window removed: nothing leaves the run unsaid. */
static void window_notes(mc_report *r, const exec_stats *st)
{
    uint64_t removed = st->outside_window + st->untimed;
    if (removed && removed < st->events)
        add(r, "the time window kept %" PRIu64 " of %" PRIu64 " events (%" PRIu64 " outside it, "
               "%" PRIu64 " without a time)", st->events - removed, st->events,
            st->outside_window, st->untimed);
    if (!st->events || removed != st->events)
        return;
    if (st->untimed == st->events) {
        add(r, "no event carried a time, so the time window kept none of them");
        return;
    }
    char newest[64] = "";
    if (st->newest_ms != INT64_MIN) {
        char iso[TIME_ISO_LEN];
        time_format_iso(st->newest_ms, iso);
        snprintf(newest, sizeof newest, " (newest event %s)", iso);
    }
    add(r, "the time window removed every event%s; use --now latest to anchor the window at "
           "the newest event, or --now TIME", newest);
}

static void plan_notes(mc_report *r, const mc_engine *e, const plan *p, const run_info *info,
                       size_t rows)
{
    for (int n = 0; n < p->nnotes; n++)
        if (info->st.noted[n]) {
            char msg[512];
            snprintf(msg, sizeof msg, p->note[n].msg, (unsigned long long)info->st.noted[n]);
            add(r, "%s", msg);
        }
    if (info->refused)
        add(r, "the group table reached its limit at %zu groups (--max-groups %" PRIu64
               ", --max-memory %" PRIu64 "): %" PRIu64 " events of groups past it were not "
               "counted, so findings may be missing", info->groups, e->o.max_groups,
            e->o.max_memory, info->refused);
    if (info->st.rows_refused)
        add(r, "the rows reached the memory limit (--max-memory %" PRIu64 "): %" PRIu64
               " matching events were left out, so rows may be missing; aggregate the query or "
               "raise --max-memory", e->o.max_memory, info->st.rows_refused);
    if (p->group_limit && info->groups > (size_t)p->group_limit)
        add(r, "%zu groups exceed the aggregate's limit of %" PRId64 "; %s", info->groups,
            p->group_limit, e->o.emulate_limits
                                ? "kept the top groups by the first function, as the SIEM would"
                                : "the SIEM would return a partial answer (--emulate-limits)");
    if (p->default_row_limit && rows > (size_t)p->default_row_limit && !e->o.emulate_limits)
        add(r, "%zu rows; the SIEM shows only %" PRId64 " by default (--emulate-limits applies "
               "that)", rows, p->default_row_limit);
}

/* What each tuning entry did (suppress.h): nothing left out unsaid. */
static void tune_notes(mc_report *r, const mc_engine *e, const tune_outcome *t)
{
    for (int i = 0; i < e->tune.n; i++) {
        const tune_entry *en = &e->tune.e[i];
        if (t->suppressed[i])
            add(r, "%s: allowed %" PRIu64 " finding%s (%s)%s", en->where, t->suppressed[i],
                t->suppressed[i] == 1 ? "" : "s", en->reason,
                e->o.show_suppressed ? "; listed with suppressed_by" : "; --show-suppressed lists them");
        if (t->expired[i]) {
            char day[TIME_ISO_LEN];
            time_format_iso(en->expires_ms, day);
            add(r, "%s: expired on %.10s, so the %" PRIu64 " finding%s it matches %s shown (%s)",
                en->where, day, t->expired[i], t->expired[i] == 1 ? "" : "s",
                t->expired[i] == 1 ? "is" : "are", en->reason);
        }
    }
}

mc_report *api_report(const mc_engine *e, const mc_query *q, const run_info *info, size_t rows,
                      double secs, const tune_outcome *tuned, uint64_t below_min_score)
{
    mc_report *r = xcalloc(1, sizeof *r);
    const exec_stats *st = &info->st;
    r->now_ms = info->now_ms;
    uint64_t counts[] = {st->files, st->events, st->bad, st->files_skipped, st->files_failed,
                         st->matched, rows, info->groups};
    memcpy(r->count, counts, sizeof counts);
    summary(r, e, q, st, rows, secs);
    window_notes(r, st);
    plan_notes(r, e, q->p, info, rows);
    tune_notes(r, e, tuned);
    if (below_min_score)
        add(r, "%" PRIu64 " finding%s scored below --min-score %" PRId64 " and %s left out",
            below_min_score, below_min_score == 1 ? "" : "s", q->min_score,
            below_min_score == 1 ? "was" : "were");
    return r;
}

uint64_t mc_report_count(const mc_report *r, int which)
{
    return which >= 0 && which <= MC_COUNT_GROUPS ? r->count[which] : 0;
}

int64_t mc_report_now(const mc_report *r)
{
    return r->now_ms;
}

size_t mc_report_nnotes(const mc_report *r)
{
    return r->nnotes;
}

const char *mc_report_note(const mc_report *r, size_t i)
{
    return i < r->nnotes ? r->note[i] : NULL;
}

int mc_report_write_json(const mc_report *r, int exit_status, FILE *out)
{
    static const char *const names[] = {"files", "events", "bad_records", "files_skipped",
                                        "files_failed", "matched", "findings", "groups"};
    char now[TIME_ISO_LEN];
    time_format_iso(r->now_ms, now);
    fprintf(out, "{\"now\":\"%s\"", now);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        fprintf(out, ",\"%s\":%" PRIu64, names[i], r->count[i]);
    fprintf(out, ",\"exit_status\":%d,\"notes\":[", exit_status);
    for (size_t i = 0; i < r->nnotes; i++) {
        fputs(i ? "," : "", out);
        out_json_string(r->note[i], strlen(r->note[i]), out);
    }
    fputs("]}\n", out);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}

void mc_report_free(mc_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nnotes; i++)
        free(r->note[i]);
    free(r->note);
    free(r);
}
