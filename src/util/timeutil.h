/* timeutil: the one place where mailc2 reads and writes times.
 *
 * Internally a time is int64 milliseconds since the Unix epoch, UTC. Output
 * is ISO 8601 UTC with milliseconds (2026-11-23T09:15:02.123Z). Input accepts
 * the forms telemetry and users write: ISO 8601 with `T` or space, optional
 * fraction (any number of digits; kept to ms), `Z` or `±hh:mm` / `±hhmm`
 * offset, or none (taken as UTC). */
#ifndef MAILC2_TIMEUTIL_H
#define MAILC2_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#define TIME_ISO_LEN 25 /* "YYYY-MM-DDTHH:MM:SS.mmmZ" + NUL */

/* Returns 0 and sets *ms, or -1 when `s` is not an ISO 8601 date-time. */
int time_parse_iso(const char *s, size_t len, int64_t *ms);
/* The date-times log formats print, all taken as UTC unless an offset is
 * written: ISO 8601 (as above); `YYYY/MM/DD hh:mm:ss[.fff]` (PAN-OS);
 * `Mon DD YYYY hh:mm:ss[.fff]` (Cisco ASA); `Mon D, YYYY[,] h:mm:ss[.fff] AM|PM`
 * (QRadar's UI and CSV export). Month names are English, any case. */
int time_parse_log(const char *s, size_t len, int64_t *ms);
/* Decimal seconds ("1763900000.123") to ms, truncating extra digits. */
int time_parse_epoch_s(const char *s, size_t len, int64_t *ms);
/* Durations: a number with unit ms, s, m, h, d or w ("24h", "90m"). */
int time_parse_duration(const char *s, int64_t *ms);
/* The largest whole unit: "7d", "24h", "90m", "30s" or "1500ms". */
void time_format_duration(int64_t ms, char *buf, size_t buflen);
/* Writes TIME_ISO_LEN-1 characters plus NUL into buf. */
void time_format_iso(int64_t ms, char buf[TIME_ISO_LEN]);
int64_t time_now_ms(void);

#endif
