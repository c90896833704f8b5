/* event: one outbound TCP connection as the sensor resolved it, and the
 * JSON line it becomes. The line is a Sysmon for Linux network connection
 * (event 3) in the flat shape the winjson decoder reads, so every rule
 * language sees it through the views it already has for Sysmon: Image,
 * CommandLine, User, ProcessId, SourceIp, DestinationIp, DestinationPort,
 * UtcTime and the rest (docs/fields.md §2).
 *
 * Ownership: the strings are borrowed from the caller for the call. */
#ifndef MAILC2_SENSOR_EVENT_H
#define MAILC2_SENSOR_EVENT_H

#include <stddef.h>
#include <stdint.h>

typedef struct sensor_event {
    int64_t time_ms;          /* UTC, ms since the epoch */
    uint32_t pid;             /* the process (tgid); 0: unknown */
    uint32_t uid;
    int family;               /* AF_INET or AF_INET6 */
    uint8_t saddr[16], daddr[16]; /* IPv4 in the first 4 bytes */
    uint16_t sport, dport;    /* host order; sport 0: not known */
    const char *host;         /* this machine's name */
    const char *image;        /* executable path; NULL: not known */
    const char *cmdline;      /* NULL: not known */
    const char *user;         /* user name, else the uid as text; NULL: none */
    const char *sensor;       /* which mode saw it: "ebpf-fentry", "sock_diag" */
} sensor_event;

/* Writes the event as one JSON object and a newline into buf. Returns the
 * length, or the length it needs (> cap - 1) when buf is too small, as
 * snprintf does. */
size_t event_json(const sensor_event *e, char *buf, size_t cap);

/* An address as text: IPv4 dotted, an IPv4-mapped IPv6 address as IPv4,
 * other IPv6 in RFC 5952 form (inet_ntop's). */
void event_address(int family, const uint8_t addr[16], char out[46]);

#endif
