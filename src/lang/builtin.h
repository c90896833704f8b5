/* builtin: the seed detection (T1071.003) written once as a plan over the
 * canonical fields, with its tuning exposed as parameters (`mailc2 hunt`).
 *
 * It is the union of the two seeds: mail ports 25, 465, 587, 110, 995, 143,
 * 993; outbound only; mail clients and browsers excluded by the base name of
 * the process image, case-insensitively; protocol labelled; grouped by host,
 * process image, user, destination IP and port, protocol; count, first and
 * last seen, bytes sent (NULL where the source has no byte counts); groups
 * with more than `threshold` connections; busiest first. After the shown
 * columns come three the triage score reads (src/triage/: the connection
 * times, hosts per destination, destinations per process), which ranks the
 * findings by score and drops them. */
#ifndef MAILC2_BUILTIN_H
#define MAILC2_BUILTIN_H

#include <stddef.h>

#include "plan/plan.h"

#define HUNT_MAX_PORTS 64
#define HUNT_MAX_ALLOW 64

typedef struct hunt_params {
    int64_t ports[HUNT_MAX_PORTS];
    int nports;
    const char *allow[HUNT_MAX_ALLOW];   /* extra process names to exclude */
    int nallow;
    int64_t threshold;                   /* keep count > threshold */
    int64_t window_ms;
} hunt_params;

void hunt_params_default(hunt_params *h);
/* "25,587,2525": replaces the port list. Returns 0, or -1 with err set. */
int hunt_parse_ports(hunt_params *h, const char *list, char *err, size_t errlen);
/* "a.exe,b.exe": adds process names. Returns 0, or -1 with err set. */
int hunt_parse_allow(hunt_params *h, char *list, char *err, size_t errlen);
plan *builtin_plan(const hunt_params *h);

#endif
