/* zeek: what a Zeek log record means, shared by the TSV decoder (zeek.c)
 * and the JSON one (zeekjson.c): the keys the canonical fields come from and
 * how (fields.md §2, Zeek column).
 *
 * Ownership: values borrow from the record's text or from scratch. */
#ifndef MAILC2_ZEEK_H
#define MAILC2_ZEEK_H

#include "input/decoder.h"
#include "util/cidr.h"

enum zeek_key {
    ZK_TS, ZK_ORIG_H, ZK_ORIG_P, ZK_RESP_H, ZK_RESP_P, ZK_PROTO, ZK_SERVICE,
    ZK_ORIG_BYTES, ZK_RESP_BYTES, ZK_LOCAL_ORIG, ZK_LOCAL_RESP, ZK_DURATION, ZK__N
};
/* The Zeek names of the keys: "ts", "id.orig_h", ... */
extern const char *const zeek_key_name[ZK__N];

/* Which log a record is from: conn.log and smtp.log records are
 * connections; other logs are passed through with kind NULL. */
enum zeek_log { ZL_OTHER, ZL_CONN, ZL_SMTP };
enum zeek_log zeek_log_of(mc_value path);

/* ts as epoch seconds ("1521911721.789543") or ISO 8601 (JSON logs written
 * with iso8601 timestamps). Returns 0, or -1 with err naming the value. */
int zeek_time(mc_value ts, int64_t *ms, char *err, size_t errlen);
/* Canonical field `canon` from the key values k[ZK__N] (text or NULL). */
mc_value zeek_canonical(int canon, const mc_value *k, enum zeek_log log, int64_t ms,
                        const cidr_set *local,
                        arena *scratch);

/* The tally of Zeek's local flags against --local-nets (zeek_local.c): a
 * decoder context (no first pass) each Zeek decoder attaches to its state;
 * check counts one record (nothing when z is NULL). */
typedef struct zeek_local zeek_local;
void *zeek_local_create(void);
void zeek_local_report(const void *ctx, char *msg, size_t len);
void zeek_local_destroy(void *ctx);
void zeek_local_check(zeek_local *z, const mc_value *k, const cidr_set *local);

#endif
