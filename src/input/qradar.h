/* qradar: what a QRadar event record means, shared by the three QRadar
 * inputs (Log Activity CSV export, Ariel API JSON, LEEF syslog).
 *
 * Names. A record's values are named by AQL column names ("sourceip"), by
 * the UI's display names ("Source IP"), by custom property names ("Process
 * Name", "Bytes Sent") or by LEEF keys ("src", "srcBytes"). Two names are
 * the same field when they are equal ignoring case and spaces ("Event
 * Direction" = "eventdirection" = "eventDirection"), or when the table of
 * aliases in qradar.c says so ("Log Source Time" = "devicetime", "src" =
 * "sourceip", "srcBytes" = "Bytes Sent", "identHostName" = "Hostname").
 * A query's field is found under any of its names.
 *
 * Types of native values: addresses MC_IP, ports and counters MC_INT,
 * starttime / devicetime / endtime MC_TS, protocolid the IANA number;
 * everything else (custom properties included) text, as QRadar has it.
 * eventdirection, when the record lacks it, is computed from the addresses
 * and the local networks of the settings (L2L, L2R, R2L, R2R; aql.md §5).
 *
 * Ownership: values borrow from the record text or from scratch. */
#ifndef MAILC2_QRADAR_H
#define MAILC2_QRADAR_H

#include "input/event.h"
#include "util/cidr.h"

enum qradar_key {
    QK_STARTTIME, QK_DEVICETIME, QK_SRCIP, QK_SRCPORT, QK_DSTIP, QK_DSTPORT, QK_USER,
    QK_DIRECTION, QK_PROTOCOL, QK_PROTONAME, QK_HOSTNAME, QK_PROC_NAME, QK_PROC_PATH,
    QK_BYTES_SENT, QK_BYTES_RECV, QK__N
};
/* The AQL or custom property name of each key. */
extern const char *const qradar_key_name[QK__N];

/* Are these two names the same field (see above)? */
int qradar_same_name(const char *a, size_t alen, const char *b, size_t blen);
/* starttime-style text: epoch milliseconds, or a date-time time_parse_log
 * reads. */
int qradar_time(mc_value text, int64_t *ms);
/* Canonical field `canon` from the key values k[QK__N] (text or NULL). */
mc_value qradar_canonical(int canon, const mc_value *k, const cidr_set *local);
/* How a native field is typed, decided once from its name when a decoder
 * is bound (enum qradar_type). */
enum qradar_type { QT_TEXT, QT_IP, QT_INT, QT_TIME, QT_STARTTIME, QT_PROTOCOL, QT_DIRECTION };
int qradar_native_type(const char *name);
/* The typed value of a native field of that type whose text is `text`
 * (NULL when the record lacks it); k gives the addresses for a computed
 * eventdirection. */
mc_value qradar_native(int type, mc_value text, const mc_value *k, const cidr_set *local);

#endif
