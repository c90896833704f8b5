/* triage: ranking a run's findings for a responder — the score of each
 * (score.h), why it fired, what the data lacked, and what to check next —
 * added as columns to any result that has the built-in hunt's columns
 * (host, process, dst_ip, count, times, dst_hosts, proc_dsts, ...), then
 * the rows ordered by score and count.
 *
 * It runs in the façade after the executor, on the finished result: it
 * reads rows and never reaches back into a run.
 *
 * Ownership: triage_apply gives `r` new cells in the layout below (its
 * strings are not copied; the added text ends in its arena). */
#ifndef MAILC2_TRIAGE_H
#define MAILC2_TRIAGE_H

#include "exec/result.h"
#include "triage/score.h"

typedef struct triage_opts {
    int64_t window_ms;      /* the rule's look-back; 0: unknown */
    int64_t threshold;      /* the rule's "more than N"; -1: unknown */
    int64_t min_score;      /* rows scoring less are left out (counted) */
    int by_count;           /* order by count (the seeds' order), not score */
    int keep_times;         /* keep the `times` column (HTML timelines) */
    int threads;            /* threads the scoring may use (1: this one) */
} triage_opts;

/* One finding as the explanations read it; NULL strings where the row has
 * no such column or a NULL there. */
typedef struct triage_finding {
    const char *host, *src_ip, *process, *user, *dst_ip, *protocol, *lacks, *command_line;
    int64_t dst_port, count;
    int64_t not_mail;       /* -1: not known */
    int64_t dst_hosts, proc_dsts;
    const int64_t *times;
    size_t ntimes;
} triage_finding;

enum { TRIAGE_PERIODICITY, TRIAGE_RARITY, TRIAGE_PROCESS, TRIAGE_PROTOCOL, TRIAGE_NPARTS };

/* Every part of f's score; returns the score (0-100). */
int triage_score(const triage_finding *f, int64_t window_ms, triage_part part[TRIAGE_NPARTS]);

/* The columns added: "periodicity 16 + rarity 20" (or "0"); the rule's
 * conditions that held, each part's reasons and what the data lacked; the
 * investigation steps for the finding's class. Each fills buf[cap]. */
void triage_parts_text(const triage_part part[TRIAGE_NPARTS], char *buf, size_t cap);
void triage_why(const triage_finding *f, const triage_opts *o, const triage_part part[TRIAGE_NPARTS],
                char *buf, size_t cap);
void triage_next_steps(const triage_finding *f, const triage_part part[TRIAGE_NPARTS], char *buf,
                       size_t cap);

/* Whether a result with these n columns has the columns triage reads. */
int triage_applies(const char *const *names, int n);
/* r's columns but the helpers (times unless o->keep_times, dst_hosts,
 * proc_dsts), then score, score_parts, why, next_steps (then times), rows
 * below o->min_score left out and counted in *below, ordered by score then
 * count (or count alone with o->by_count), ties by every column. */
void triage_apply(mc_result *r, const triage_opts *o, uint64_t *below);

#endif
