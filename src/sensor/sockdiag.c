/* sockdiag: netlink socket-table polling (see sockdiag.h). Each poll
 * dumps TCP sockets of both families, keeps the sorted inode list to diff
 * with the next poll, and treats a socket as inbound when its local port
 * is one some socket listens on (an accepted connection); only the rest,
 * the connections this host opened, are reported. */
#include "sensor/sockdiag.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdio.h>

#include "sensor/proc.h"
#include "util/arena.h"

enum { TCP_LISTEN_STATE = 10 };

/* A growable array of sockets, or of (inode, pid) pairs. */
typedef struct socks {
    diag_sock *v;
    size_t n, cap;
} socks;

typedef struct owner {
    uint64_t inode;
    uint32_t pid;
} owner;

typedef struct owners {
    owner *v;
    size_t n, cap;
} owners;

struct sockdiag {
    int fd;
    uint32_t seq;
    const char *proc_root;
    uint64_t *seen;           /* inodes of the last poll, sorted */
    size_t nseen;
    int primed;               /* the first poll has run */
    char *buf;                /* netlink replies */
};

enum { REPLY_BYTES = 32768 };

int sockdiag_parse(const struct nlmsghdr *h, diag_sock *s)
{
    if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
        return -1;
    const struct inet_diag_msg *m = NLMSG_DATA(h);
    memset(s, 0, sizeof *s);
    s->family = m->idiag_family;
    s->state = m->idiag_state;
    size_t alen = s->family == AF_INET6 ? 16 : 4;
    memcpy(s->saddr, m->id.idiag_src, alen);
    memcpy(s->daddr, m->id.idiag_dst, alen);
    s->sport = ntohs(m->id.idiag_sport);
    s->dport = ntohs(m->id.idiag_dport);
    s->uid = m->idiag_uid;
    s->inode = m->idiag_inode;
    return 0;
}

sockdiag *sockdiag_open(const char *proc_root, char *why, size_t nwhy)
{
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0) {
        snprintf(why, nwhy, "netlink sock_diag is not available: %s", strerror(errno));
        return NULL;
    }
    sockdiag *d = xcalloc(1, sizeof *d);
    d->fd = fd;
    d->proc_root = proc_root;
    d->buf = xmalloc(REPLY_BYTES); /* malloc's alignment suits nlmsghdr */
    return d;
}

static int request(sockdiag *d, int family)
{
    struct {
        struct nlmsghdr h;
        struct inet_diag_req_v2 r;
    } req;
    memset(&req, 0, sizeof req);
    req.h.nlmsg_len = sizeof req;
    req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.h.nlmsg_seq = ++d->seq;
    req.r.sdiag_family = (uint8_t)family;
    req.r.sdiag_protocol = IPPROTO_TCP;
    req.r.idiag_states = ~0u;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    return sendto(d->fd, &req, sizeof req, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0
               ? -errno : 0;
}

static void push_sock(socks *all, const diag_sock *s)
{
    if (all->n == all->cap)
        all->v = xrealloc(all->v, (all->cap = all->cap ? 2 * all->cap : 64) * sizeof *all->v);
    all->v[all->n++] = *s;
}

/* Every TCP socket of one family into `all`; 0 or a negative errno. */
static int dump(sockdiag *d, int family, socks *all)
{
    int err = request(d, family);
    for (;;) {
        if (err)
            return err;
        ssize_t got = recv(d->fd, d->buf, REPLY_BYTES, 0);
        if (got < 0)
            return errno == EINTR ? 0 : -errno;
        unsigned n = (unsigned)got; /* NLMSG_OK compares it with a __u32 */
        for (struct nlmsghdr *h = (struct nlmsghdr *)d->buf; NLMSG_OK(h, n);
             h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE)
                return 0;
            if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(h);
                return e->error ? e->error : -EPROTO;
            }
            diag_sock s;
            if (sockdiag_parse(h, &s) == 0)
                push_sock(all, &s);
        }
    }
}

static int cmp_inode(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_owner(const void *a, const void *b)
{
    return cmp_inode(&((const owner *)a)->inode, &((const owner *)b)->inode);
}

static int was_seen(const sockdiag *d, uint64_t inode)
{
    return d->seen && bsearch(&inode, d->seen, d->nseen, sizeof *d->seen, cmp_inode) != NULL;
}

/* An accepted connection's local port is one some socket listens on:
 * the listening ports as a bitmap, one bit per port. */
static void listening_ports(const socks *all, uint8_t ports[65536 / 8])
{
    memset(ports, 0, 65536 / 8);
    for (size_t i = 0; i < all->n; i++)
        if (all->v[i].state == TCP_LISTEN_STATE)
            ports[all->v[i].sport / 8] |= (uint8_t)(1u << (all->v[i].sport % 8));
}

static void add_owner(void *ud, uint64_t inode, uint32_t pid)
{
    owners *o = ud;
    if (o->n == o->cap)
        o->v = xrealloc(o->v, (o->cap = o->cap ? 2 * o->cap : 256) * sizeof *o->v);
    o->v[o->n++] = (owner){inode, pid};
}

static uint32_t owner_of(const owners *o, uint64_t inode)
{
    owner key = {inode, 0};
    const owner *hit = o->v ? bsearch(&key, o->v, o->n, sizeof *o->v, cmp_owner) : NULL;
    return hit ? hit->pid : 0;
}

/* Replaces the seen list with this poll's inodes. */
static void remember(sockdiag *d, const socks *all)
{
    d->seen = xrealloc(d->seen, (all->n ? all->n : 1) * sizeof *d->seen);
    d->nseen = 0;
    for (size_t i = 0; i < all->n; i++)
        if (all->v[i].inode)
            d->seen[d->nseen++] = all->v[i].inode;
    qsort(d->seen, d->nseen, sizeof *d->seen, cmp_inode);
}

/* The new outbound sockets: held by a process, not listening, not
 * accepted, not seen at the last poll. */
static size_t pick_new(const sockdiag *d, socks *all, diag_sock **fresh)
{
    size_t n = 0;
    uint8_t listening[65536 / 8];
    listening_ports(all, listening);
    *fresh = xmalloc((all->n ? all->n : 1) * sizeof **fresh);
    for (size_t i = 0; i < all->n; i++) {
        const diag_sock *s = &all->v[i];
        int inbound = listening[s->sport / 8] & (1u << (s->sport % 8));
        if (s->inode && s->state != TCP_LISTEN_STATE && !was_seen(d, s->inode) && !inbound)
            (*fresh)[n++] = *s;
    }
    return n;
}

int sockdiag_poll(sockdiag *d, void (*fn)(void *ud, const diag_sock *s, uint32_t pid),
                  void *ud)
{
    socks all = {0};
    int err = dump(d, AF_INET, &all);
    if (!err)
        err = dump(d, AF_INET6, &all);
    if (err) {
        free(all.v);
        return err;
    }
    diag_sock *fresh;
    size_t nfresh = d->primed ? pick_new(d, &all, &fresh) : 0;
    if (nfresh) {
        owners o = {0};
        proc_sockets(d->proc_root, add_owner, &o);
        if (o.v)
            qsort(o.v, o.n, sizeof *o.v, cmp_owner);
        for (size_t i = 0; i < nfresh; i++)
            fn(ud, &fresh[i], owner_of(&o, fresh[i].inode));
        free(o.v);
    }
    if (d->primed)
        free(fresh);
    d->primed = 1;
    remember(d, &all);
    free(all.v);
    return (int)nfresh;
}

void sockdiag_close(sockdiag *d)
{
    if (!d)
        return;
    close(d->fd);
    free(d->seen);
    free(d->buf);
    free(d);
}
