/* prefilter: skips the lines of a JSON-lines input that cannot pass the
 * plan's first filters, without parsing them. Parsing JSON is most of a
 * run's time, and most lines of a telemetry file are events a detection
 * drops at its first test (BENCHMARKS.md).
 *
 * Which filters: each filter step whose expression, or a part of it joined
 * by AND (any part not TRUE drops the event), reads exactly one field, a
 * field the decoder says comes from top-level JSON keys (decoder.h
 * raw_field: the value of one of them, as written, through a conversion
 * such as a port number; or of the first of them present, as Falcon's
 * process name is ContextBaseFileName, else the base name of
 * ImageFileName, else a join table's, which only the parse can tell) and
 * no derived value overwrites, and that does not read NOW() (a one-pass
 * run skips lines before it knows it). A filter TRUE on NULL (LogScale's
 * `f != v`, the hunt's process name, which may be unknown) is used too:
 * it fails where the key is there with a value it is not TRUE on.
 *
 * Notes: a note counts the events it is TRUE on, so it must see every
 * event it would count. A filter after notes skips a line only when each
 * of those notes is FALSE on it for every value its fields may take (each
 * occurrence of their keys, NULL where a key is absent, or the first key
 * present's, the event time as the decoder's raw_time reads it); a note
 * that reads another field, or NOW() other than under IS NULL (AQL's
 * `starttime > NOW() - n IS NULL`, which is the same for every now), ends
 * the filters used. So the seed AQL query's notes ("N connections had no
 * value for ...") stay exact while lines that are no connection, or
 * connect to another port, are skipped.
 *
 * The test is exact, not a pattern: every occurrence of "KEY" followed by
 * ':' gives a value token, and the filter's own expression is evaluated on
 * its conversion by the executor's evaluator. A line is skipped only
 * when, for some filter used, no occurrence passes and none was
 * undecidable. Undecidable,
 * so the line is parsed: a `\u` escape anywhere (a key can be spelled with
 * escapes), a string value holding a backslash, a value that is an object,
 * an array, true or false, and a regex that reached its limit. A repeated
 * key passes when any of its values does (the decoder uses the last).
 *
 * What a skipped line means: it is counted as a record read, not parsed, so
 * a malformed line among them is not reported as bad; the run says how many
 * lines were skipped, and --no-prefilter parses every line.
 *
 * Ownership: a prefilter borrows the plan; prefilter_free() releases it. */
#ifndef MAILC2_DRIVER_PREFILTER_H
#define MAILC2_DRIVER_PREFILTER_H

#include "exec/exec.h"
#include "input/json.h"
#include "util/needles.h"
#include "view/bind.h"

typedef struct prefilter prefilter;

/* The prefilter of plan p over the input vd decodes, or NULL when no filter
 * of p can be tested on raw lines of this decoder. */
prefilter *prefilter_new(const plan *p, const view_decoder *vd, const input_settings *st);
void prefilter_free(prefilter *pf);

/* 1 when the line may pass the filters (parse it), 0 when it cannot.
 * Evaluates on w's row and scratch, which the decoder overwrites next.
 * Keeps its tests' answers on the values it has seen: one thread's.
 * time: the line's event time as the decoder's raw_time read it (INT64_MIN:
 * none), when the caller has (a one-pass run's newest time), or NULL.
 * proved (when not NULL, and the line may pass): the plan's filter steps
 * (bit s: step s) TRUE on the line whatever its parse, to be skipped by
 * exec_event_known: each of their parts is a test, TRUE on every value its
 * key has on the line. The executor evaluated them again on the parsed
 * event, a tenth of a run that passes half its lines. */
int prefilter_pass(prefilter *pf, exec_worker *w, json_line *line, const int64_t *time,
                   uint64_t *proved);
/* The last plan step a test of pf is (a part of): an event the plan drops
 * after it passed that step is one prefilter_pass passes. */
int prefilter_last_step(const prefilter *pf);

/* Whether prefilter_next can pass over lines: the filters give needles of
 * which a line that may pass holds one: the key of a first test on a
 * converted field (a port, a number; no note before it), a line stopping
 * only where its value may pass the test; else the literals of a first
 * test of the form `f = 'lit'` or `f in ('a', 'b')` on a field read as
 * written. A value equal to such a literal is written as its bytes or with
 * a \u escape: no literal holds a byte JSON escapes otherwise, or a
 * number's or a boolean's text. */
int prefilter_blockwise(const prefilter *pf);

/* The offset in p[0, n), whole lines of JSON, of a byte of the first line
 * that may pass the filters (one holding a literal or a \u escape), or n
 * when none may; *skipped: the lines before that line (the newlines before
 * it), *line_start: where it begins. A line passed over fails the filters
 * as prefilter_pass would say; a line it stops in still goes through
 * prefilter_pass. Only when prefilter_blockwise. */
size_t prefilter_next(prefilter *pf, exec_worker *w, const char *p, size_t n, uint64_t *skipped,
                      size_t *line_start);

#endif
