/* wholefile: input formats that cannot be decoded a line at a time.
 *
 * EVTX is binary (chunks of binary XML), and QRadar's Ariel JSON is one
 * document, often pretty-printed across lines. Each still has a `decoder` in
 * the registry, so that detection and `mailc2 formats` treat every format
 * alike; its decode() refuses single lines, and its `read_file` member
 * (decoder.h) takes the path instead.
 *
 * A reader fills `row` (bound to `fields` as decode() would) and calls
 * sink->event for each record; a bad record goes to sink->bad with where it
 * was and what was wrong: `record` is the line number (text formats) or the
 * EVTX record number, or 0 when only the byte `offset` is known (an EVTX
 * chunk). The driver prints `file:record: name: msg` (diag_bad) or
 * `file: offset N: name: msg` (diag_bad_at). It resets `scratch` before each
 * record.
 *
 * Ownership: the reader owns nothing after it returns; values in `row` borrow
 * until the next sink call. */
#ifndef MAILC2_WHOLEFILE_H
#define MAILC2_WHOLEFILE_H

#include <stdint.h>

#include "input/decoder.h"

/* What a whole-file format puts in its decoder's bind, decode and unbind:
 * no state, and a line is refused. */
void *wholefile_bind(const mc_field_req *fields, int nfields, const input_settings *settings);
int wholefile_line(void *state, const char *line, size_t len, mc_value *row, arena *scratch,
                   char *err, size_t errlen);
void wholefile_unbind(void *state);

int evtx_each(const char *path, const mc_field_req *fields, int nfields,
              const input_settings *settings, mc_value *row, arena *scratch,
              const wf_sink *sink, char *err, size_t errlen);
int qradar_json_each(const char *path, const mc_field_req *fields, int nfields,
                     const input_settings *settings, mc_value *row, arena *scratch,
                     const wf_sink *sink, char *err, size_t errlen);
int pcap_each(const char *path, const mc_field_req *fields, int nfields,
              const input_settings *settings, mc_value *row, arena *scratch,
              const wf_sink *sink, char *err, size_t errlen);

#endif
