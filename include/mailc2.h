/* mailc2.h: the library behind the `mailc2` command, for programs that
 * embed the engine.
 *
 * The flow is parse -> plan -> run -> output:
 *
 *   hunt_params h;  hunt_params_default(&h);
 *   plan *p = builtin_plan(&h);
 *   // or a rule: frontend_find(NULL, "x.aql")->compile(&src, &opts, &err)
 *   run_opts o = {.now_ms = time_now_ms(), .threads = 2, .diag = &d, .log = stderr};
 *   mc_result *r;  run_info info;
 *   int rc = run_plan(p, paths, npaths, &o, &r, &info);
 *   out_write(r, OUT_JSONL, stdout);
 *   result_free(r);  plan_free(p);
 *
 * Ownership follows one rule throughout: whoever creates a thing frees it
 * with the matching *_free(); values inside a result belong to the result. */
#ifndef MAILC2_H
#define MAILC2_H

#define MAILC2_VERSION "0.1.0"

#include "driver/run.h"
#include "lang/builtin.h"
#include "lang/lang.h"
#include "output/output.h"
#include "plan/plan.h"
#include "util/diag.h"
#include "util/timeutil.h"

#endif
