/* api: the library's handles (include/mailc2.h) as plain structs, shared by
 * the files of src/api/ only. */
#ifndef MAILC2_API_H
#define MAILC2_API_H

#include "tune/suppress.h"
#include "triage/triage.h"
#include "mailc2.h"

#include "driver/run.h"
#include "exec/result.h"
#include "input/settings.h"
#include "output/sink.h"
#include "util/log.h"

struct mc_engine {
    mc_options o;
    input_settings settings;
    tune_set tune;              /* the profiles' allow entries */
};

struct mc_query {
    plan *p;
    int64_t window_ms;          /* the hunt's window, for the summary; 0: none */
    int64_t threshold;          /* the hunt's "more than N"; -1: not the hunt */
    int64_t min_score;          /* triage: findings scoring less are left out */
    int by_count;               /* triage: the seeds' order, count first */
    char *text;                 /* the rule's text (NUL-terminated), for the lint's
                                   positions; NULL for the built-in hunt */
    size_t len;
    char *name;                 /* the rule's name as compiled; NULL: "builtin" */
};

struct mc_sink {
    sink s;                     /* what a run feeds */
    const mc_sink_ops *ops;     /* a caller's sink, or NULL (built-in) */
    void *ud;
    char name[256];             /* the built-in's output, in messages */
    char *columns;              /* mc_sink_columns: "a,b,c", or NULL for all */
    int keep_times;             /* HTML: findings keep their connection times */
};

struct mc_row {
    const mc_value *v;
    size_t n;
};

/* Fills err (when not NULL) and returns code. */
int api_fail(mc_error *err, int code, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The engine's log callback, for messages of one kind: a logger's ud. */
typedef struct api_log {
    const mc_engine *e;
    int kind;                   /* MC_LOG_* */
} api_log;
void api_log_line(void *ud, const char *line);
/* The run's report: counts and the notes a person should read. */
/* below_min_score: findings triage left out (--min-score). */
mc_report *api_report(const mc_engine *e, const mc_query *q, const run_info *info, size_t rows,
                      double secs, const tune_outcome *tuned, uint64_t below_min_score);

#endif
