/* event: what a decoder hands to the executor — typed values in slots.
 *
 * The plan names the fields it needs (native names as the source writes
 * them, or canonical fields, design §4); the decoder binds that list once and
 * then fills one mc_value per requested field for each record. A field the
 * record lacks is MC_NULL, never invented.
 *
 * Ownership: string values borrow. They point into the input line or into
 * the per-event scratch arena, and live until the next record is decoded.
 * Whoever keeps a value longer (a group key, a result cell) copies it. */
#ifndef MAILC2_EVENT_H
#define MAILC2_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "value/value.h"

/* Canonical fields of a network-connection event (fields.md §1). */
enum mc_canon {
    MC_C_KIND,       /* "conn" network connection, "proc" process start */
    MC_C_TIME,       /* MC_TS */
    MC_C_HOST,
    MC_C_PROC_PATH,
    MC_C_PROC_NAME,  /* base name of proc_path */
    MC_C_CMDLINE,
    MC_C_USER,
    MC_C_SRC_IP, MC_C_SRC_PORT,
    MC_C_DST_IP, MC_C_DST_PORT,
    MC_C_DIRECTION,  /* "out", "in"; NULL when unknown */
    MC_C_TRANSPORT,  /* IANA number */
    MC_C_BYTES_OUT, MC_C_BYTES_IN,
    MC_C_APP_PROTO,
    MC_C_APP_CONFORMANCE, /* how the bytes follow a mail protocol (pcap) */
    MC_C_DURATION,   /* ms from a session's first packet to its last */
    MC_C__COUNT
};

const char *mc_canon_name(enum mc_canon c);
/* Returns the canonical field called `name`, or -1. */
int mc_canon_lookup(const char *name);

/* One field a decoder is asked to fill, already resolved for its format
 * (src/view/ decides, once per input, where each of a query's fields comes
 * from): a canonical field to compute (canon >= 0), the record's own field
 * `name` (MC_FIELD_NATIVE), or nothing (MC_FIELD_NULL: this format has no
 * such field). Decoders never see a query language. */
enum { MC_FIELD_NATIVE = -1, MC_FIELD_NULL = -2 };

typedef struct mc_field_req {
    const char *name;
    int canon;
} mc_field_req;

#endif
