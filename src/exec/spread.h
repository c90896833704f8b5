/* spread: the plan's counts across groups (plan_spread in plan.h) — for
 * each group, how many distinct values the groups sharing some of its
 * columns hold, e.g. how many hosts talk to its destination. They need every
 * group at once, so they run on the merged result, before the post steps.
 *
 * Ownership: fills columns of the caller's result in place. */
#ifndef MAILC2_SPREAD_H
#define MAILC2_SPREAD_H

#include "exec/result.h"

/* Fills each spread's column of every row of r (grouped rows, laid out as
 * the plan's result columns), the spreads on up to `threads` threads. */
void spread_apply(const plan *p, mc_result *r, int threads);

#endif
