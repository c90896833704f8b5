/* score: the triage score of one finding, as small pure functions over
 * plain values, so each part can be pinned on constructed cases.
 *
 * A finding of the hunt (a group of outbound connections to a mail port)
 * scores 0-100:
 *
 *   score = min(100, periodicity + rarity + process + protocol)
 *
 *   periodicity 0-25  the rhythm of the group's connections, as RITA judges
 *                     beacons: over the intervals between consecutive
 *                     connections (at least 4 connections), regularity =
 *                     (1 - |Bowley skew|) x max(0, 1 - 4 x MAD / median),
 *                     and volume = min(1, connections / hours in the
 *                     window); points = 25 x regularity x (1 + volume) / 2.
 *   rarity      0-30  hosts talking to the destination (before the
 *                     threshold; a loopback address is the host itself):
 *                     1 host 20, 2 hosts 10, more 0 (a shared relay); plus
 *                     the process's mail destinations on its host: 2 give
 *                     5, 3 or more 10 (fan-out).
 *   process     0-40  where it runs from (a temporary or download folder
 *                     15, another user-writable folder 10), what it is (a
 *                     scripting or living-off-the-land binary 10; a raw
 *                     socket tool, nc or telnet, 15 more) and what its
 *                     command line says (Send-MailMessage or smtplib 20, a
 *                     mail URL 15, credentials in the command line 10, a
 *                     base64 blob 10); capped at 40.
 *   protocol    0-40  where a packet capture tells (not_mail known): any
 *                     session that speaks no mail protocol on a mail port
 *                     gives 20 + 20 x its share of the sessions; the
 *                     strongest single sign.
 *
 * Every part fills a triage_part: its points and one line saying why.
 * docs/triage.md explains the choices. */
#ifndef MAILC2_TRIAGE_SCORE_H
#define MAILC2_TRIAGE_SCORE_H

#include <stddef.h>
#include <stdint.h>

enum { SCORE_WHY_MAX = 512 };

/* What the process part found, which the next steps also read (explain.c)
 * without judging the path again. */
enum { SCORE_LOLBIN = 1, SCORE_RAW_TOOL = 2, SCORE_WRITABLE = 4 };

typedef struct triage_part {
    int points;
    unsigned facts;              /* SCORE_* (the process part's) */
    char why[SCORE_WHY_MAX];     /* one line; "" when the part adds nothing */
} triage_part;

/* The shape of a group's intervals (ms), for periodicity. */
typedef struct interval_stats {
    size_t n;                    /* intervals: connections - 1 */
    double median, skew, mad;    /* Bowley skew in [-1, 1]; MAD in ms */
} interval_stats;

/* Intervals between times t[0..n) (ascending, ms). 0 with *s filled, -1
 * when there are fewer than 3 intervals (no quartiles to speak of). */
int score_intervals(const int64_t *t, size_t n, interval_stats *s);

/* window_ms: the rule's look-back (0: unknown, then the span of t). */
void score_periodicity(const int64_t *t, size_t n, int64_t window_ms, triage_part *out);

/* hosts: distinct hosts talking to the destination (0: unknown);
 * loopback: the destination is the host itself; dsts: the process's
 * distinct mail destinations on its host. */
void score_rarity(int64_t hosts, int loopback, int64_t dsts, const char *dst, triage_part *out);

/* path: the process image (NULL: the source has none); cmdline may be NULL.
 * out->facts: SCORE_LOLBIN for a scripting or living-off-the-land binary,
 * SCORE_RAW_TOOL too for a raw socket tool, SCORE_WRITABLE for a path in a
 * user-writable folder. */
void score_process(const char *path, const char *cmdline, triage_part *out);

/* not_mail: sessions that were not mail, or -1 when the source cannot tell;
 * count: the group's sessions. */
void score_protocol(int64_t not_mail, int64_t count, triage_part *out);

/* Whether the path lies in a user-writable folder: 2 temporary or
 * downloads, 1 other user-writable, 0 neither. */
int score_writable_path(const char *path);
/* Whether the address text is a loopback address (127/8, ::1). */
int score_is_loopback(const char *ip);

#endif
