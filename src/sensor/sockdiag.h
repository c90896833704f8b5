/* sockdiag: the fallback sensor where eBPF cannot load — polls the
 * kernel's TCP socket table over netlink (NETLINK_SOCK_DIAG, IPv4 and
 * IPv6) and reports each outbound socket not seen at the previous poll,
 * with the process that holds it (socket inode -> /proc/PID/fd).
 *
 * What it misses, by construction: a connection opened and closed between
 * two polls, and the process of a socket whose holder exited before the
 * /proc walk. Sockets open when watching starts are not reported. */
#ifndef MAILC2_SENSOR_SOCKDIAG_H
#define MAILC2_SENSOR_SOCKDIAG_H

#include <stddef.h>
#include <stdint.h>

struct nlmsghdr;

typedef struct diag_sock {
    int family;               /* AF_INET or AF_INET6 */
    int state;                /* TCP_ESTABLISHED, TCP_SYN_SENT, TCP_LISTEN, ... */
    uint8_t saddr[16], daddr[16];
    uint16_t sport, dport;    /* host order */
    uint32_t uid;
    uint64_t inode;           /* 0: no longer held by a process */
} diag_sock;

/* One inet_diag reply message -> s. 0, or -1 when it is not one (too
 * short, another message type). */
int sockdiag_parse(const struct nlmsghdr *h, diag_sock *s);

typedef struct sockdiag sockdiag;

/* NULL with the reason in why when netlink sock_diag is not allowed. */
sockdiag *sockdiag_open(const char *proc_root, char *why, size_t nwhy);
/* One poll: calls `fn` for each outbound socket new since the last poll,
 * with its holder's pid (0: not found). The first poll only learns what
 * is open. Returns the number reported, or a negative errno. */
int sockdiag_poll(sockdiag *d, void (*fn)(void *ud, const diag_sock *s, uint32_t pid),
                  void *ud);
void sockdiag_close(sockdiag *d);

#endif
