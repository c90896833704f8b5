/* harness: what every fuzz target under tests/fuzz/ shares — the plans a
 * decoder is bound to and the steps that drive the library's internal API
 * the way the driver does (src/driver/run.c, record.c), so that a fuzzer
 * reaches the code a user's file or rule reaches, and nothing else.
 *
 * Decoders are bound through the view of three plans — the built-in hunt
 * (canonical fields), the LogScale seed (Falcon's native names) and the AQL
 * seed (QRadar's) — and every decoded record runs through the executor.
 * Rule text is compiled by a front end; a plan that compiles is printed (as
 * `mailc2 explain` does) and run over a few lines of each bundled sample.
 *
 * The same code builds without libFuzzer as a replay program (replay.c),
 * which ctest runs over every input that once crashed a target
 * (tests/fuzz/regress/<target>/), so each crash stays a regression test.
 *
 * Ownership: the harness keeps its plans and samples for the life of the
 * process; each call frees everything else it made. */
#ifndef MAILC2_FUZZ_HARNESS_H
#define MAILC2_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "input/decoder.h"
#include "lang/lang.h"

/* The line decoders of `decs` (NULL-terminated), each bound to each plan,
 * over the input as a file's bytes: every line probed, the join table
 * built when the decoder has one, every record decoded and executed, once
 * with the plan's prefilter and once without; the two must count the same
 * matches and notes (abort if not: a line the prefilter skipped mattered). */
void harness_lines(const decoder *const *decs, const uint8_t *data, size_t size);
/* A whole-file decoder (decoder.h read_file) over the input written to a
 * temporary file, bound to each plan, its records executed. */
void harness_whole(const decoder *d, const uint8_t *data, size_t size);
/* The driver itself (run_plan) over the input in memory with the hunt:
 * decompression, format detection, the first pass and the record step. */
void harness_driver(const uint8_t *data, size_t size);
/* The input as a rule in the front end's language; a plan that compiles is
 * printed and run over the samples. */
void harness_query(const frontend *fe, const uint8_t *data, size_t size);

#endif
