/* suppress: tuning profiles (profile.h) applied to a run's findings.
 *
 * A finding is a result row; which column holds the process, host, user,
 * destination or port comes from the plan (view_column_canon), so one
 * profile serves the built-in hunt, the seed AQL and LogScale and any rule
 * that groups by those fields. A condition on a field the result lacks
 * (a hash; a user the rule did not group by) matches nothing, so an entry
 * never allows more than it says. Expired entries do not suppress; what
 * they would have removed is counted, so the run can say so.
 *
 * Ownership: tune_apply frees `r` and returns a new result. */
#ifndef MAILC2_TUNE_SUPPRESS_H
#define MAILC2_TUNE_SUPPRESS_H

#include "exec/result.h"
#include "tune/profile.h"

/* What one run's profiles did: per entry (t->n of each, the caller's
 * arrays, zeroed) the rows it suppressed, and the rows it matched after
 * it expired (shown, since only a live entry suppresses). */
typedef struct tune_outcome {
    uint64_t *suppressed;
    uint64_t *expired;
} tune_outcome;

/* canon[c]: the canonical field (event.h) result column c holds, or -1.
 * now_ms decides expiry. show: keep suppressed rows, with a last column
 * `suppressed_by` ("file:line: reason"; NULL for the others). A row goes
 * to the first live entry that matches it. */
mc_result *tune_apply(const tune_set *t, mc_result *r, const int *canon, int64_t now_ms,
                      int show, tune_outcome *out);

#endif
