/* pcap_session: TCP sessions of a capture — a table keyed by the two
 * endpoints, each session's counters, and the first bytes of each side in
 * sequence order (see pcap.c for the rules).
 *
 * Ownership: the table owns its sessions; a session handed to `done` is
 * freed right after the callback returns. */
#ifndef MAILC2_PCAP_SESSION_H
#define MAILC2_PCAP_SESSION_H

#include <stddef.h>
#include <stdint.h>

enum { SESSION_HEAD = 1024 };

typedef struct endpoint {
    unsigned char addr[16];
    int family;                 /* 4 or 6 */
    uint16_t port;
} endpoint;

typedef struct side {
    uint64_t pkts, frame_bytes, payload_bytes;
    uint32_t next_seq;          /* the next byte in order */
    int seq_known, gap, fin;
    unsigned char head[SESSION_HEAD];
    size_t nhead;
} side;

typedef struct session {
    endpoint client, server;
    int client_known;           /* a SYN said who opened it */
    uint32_t isn;               /* the client's first SYN sequence number */
    int64_t first_us, last_us;
    side c, s;                  /* from the client, from the server */
    int rst;
    struct session *next;       /* hash chain */
} session;

/* One TCP segment as the link and IP layers found it. */
typedef struct segment {
    endpoint src, dst;
    int64_t ts_us;
    uint32_t seq, frame_len;
    uint8_t flags;              /* TCP flags: FIN 1, SYN 2, RST 4, ACK 16 */
    const unsigned char *payload;
    size_t len;                 /* payload bytes captured */
    size_t wire;                /* payload bytes sent (the IP length says) */
} segment;

typedef struct session_table session_table;
typedef void session_done_fn(void *ud, const session *s);

/* Sessions end through `done`; at most max_open are open at once (beyond
 * it the idlest are ended early and counted). */
session_table *session_table_new(size_t max_open, session_done_fn *done, void *ud);
void session_add(session_table *t, const segment *seg);
/* Ends every session idle since before now_us - idle_us (a closed one
 * after a minute). */
void session_expire(session_table *t, int64_t now_us, int64_t idle_us);
/* Ends every open session; returns how many sessions were ended early for
 * want of room. Frees the table. */
uint64_t session_table_free(session_table *t);

#endif
