/* ebpf: loading and reading the kernel sensor (see ebpf.h). Two program
 * types are tried in order, each one loaded alone (the other's autoload
 * off): fentry on tcp_connect, then the BTF tracepoint inet_sock_set_state.
 * Neither needs tracefs, kprobe events or a vmlinux.h on the build
 * machine; both need BTF in the running kernel and root (CAP_BPF and
 * CAP_PERFMON). libbpf's own messages are silenced: the library prints
 * nothing, and the reasons come back as text. */
#include "sensor/ebpf.h"

#include <stdio.h>
#include <string.h>

#ifdef MAILC2_EBPF

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/libbpf.h>

#include "connect.skel.h"
#include "sensor/connect.h"
#include "sensor/proc.h"
#include "util/arena.h"

struct ebpf {
    struct connect_bpf *skel;
    struct ring_buffer *ring;
    const char *mode;
    int64_t boot_to_real_ns;  /* CLOCK_REALTIME - CLOCK_BOOTTIME at open */
    ebpf_fn fn;
    void *ud;
};

static int64_t clock_ns(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
    (void)level, (void)fmt, (void)ap;
    return 0;
}

/* The path from its components (leaf first), or "" when the kernel did
 * not reach the root. */
static void join_path(const struct connect_event *ce, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    if (!ce->path_whole || ce->nparts == 0)
        return;
    for (int i = ce->nparts - 1; i >= 0 && len < cap; i--)
        len += (size_t)snprintf(buf + len, cap - len, "/%.*s", CONNECT_PART, ce->parts[i]);
}

static int on_record(void *ctx, void *data, size_t size)
{
    ebpf *b = ctx;
    const struct connect_event *ce = data;
    if (size < sizeof *ce)
        return 0;
    sensor_event e = {0};
    e.time_ms = ((int64_t)ce->boot_ns + b->boot_to_real_ns) / 1000000;
    e.pid = ce->pid;
    e.uid = ce->uid;
    e.family = ce->family == AF_INET6 ? AF_INET6 : AF_INET;
    memcpy(e.saddr, ce->saddr, sizeof e.saddr);
    memcpy(e.daddr, ce->daddr, sizeof e.daddr);
    e.sport = ntohs(ce->sport);
    e.dport = ntohs(ce->dport);
    e.sensor = b->mode;
    char image[CONNECT_PARTS * CONNECT_PART + 2], args[CONNECT_ARGS + 1];
    join_path(ce, image, sizeof image);
    size_t nargs = ce->args_len <= CONNECT_ARGS ? ce->args_len : CONNECT_ARGS;
    memcpy(args, ce->args, nargs);
    if (proc_join_args(args, nargs) == 0) /* a kernel thread, or args not readable */
        snprintf(args, sizeof args, "%.*s", CONNECT_COMM, ce->comm);
    b->fn(b->ud, &e, image, args);
    return 0;
}

/* Opens, loads and attaches one program of the skeleton; 0 or -errno. */
static int load_one(ebpf *b, int fentry, size_t ring_bytes)
{
    b->skel = connect_bpf__open();
    if (!b->skel)
        return -errno;
    bpf_program__set_autoload(b->skel->progs.fentry_tcp_connect, fentry);
    bpf_program__set_autoload(b->skel->progs.tp_inet_sock_set_state, !fentry);
    int err = bpf_map__set_max_entries(b->skel->maps.events, (uint32_t)ring_bytes);
    if (!err)
        err = connect_bpf__load(b->skel);
    if (!err)
        err = connect_bpf__attach(b->skel);
    if (err) {
        connect_bpf__destroy(b->skel);
        b->skel = NULL;
        return err < 0 ? err : -EINVAL;
    }
    b->mode = fentry ? "ebpf-fentry" : "ebpf-tp_btf";
    return 0;
}

ebpf *ebpf_open(size_t ring_bytes, ebpf_fn fn, void *ud, char *why, size_t nwhy, char *tried,
                size_t ntried)
{
    libbpf_set_print(quiet);
    ebpf *b = xcalloc(1, sizeof *b);
    b->fn = fn;
    b->ud = ud;
    int fentry_err = load_one(b, 1, ring_bytes);
    if (fentry_err && tried)
        snprintf(tried, ntried, "fentry/tcp_connect refused: %s", strerror(-fentry_err));
    int tp_err = fentry_err ? load_one(b, 0, ring_bytes) : 0;
    if (tp_err) {
        snprintf(why, nwhy, "the eBPF program did not load (fentry/tcp_connect: %s; "
                 "tp_btf/inet_sock_set_state: %s)%s", strerror(-fentry_err), strerror(-tp_err),
                 geteuid() != 0 ? ": it needs root (CAP_BPF and CAP_PERFMON)" : "");
        free(b);
        return NULL;
    }
    b->ring = ring_buffer__new(bpf_map__fd(b->skel->maps.events), on_record, b, NULL);
    if (!b->ring) {
        snprintf(why, nwhy, "the eBPF ring buffer did not open: %s", strerror(errno));
        connect_bpf__destroy(b->skel);
        free(b);
        return NULL;
    }
    b->boot_to_real_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
    return b;
}

const char *ebpf_mode(const ebpf *b)
{
    return b->mode;
}

int ebpf_poll(ebpf *b, int timeout_ms)
{
    int n = ring_buffer__poll(b->ring, timeout_ms);
    return n == -EINTR ? 0 : n;
}

uint64_t ebpf_dropped(const ebpf *b)
{
    return __atomic_load_n(&b->skel->bss->dropped, __ATOMIC_RELAXED);
}

void ebpf_close(ebpf *b)
{
    if (!b)
        return;
    ring_buffer__free(b->ring);
    connect_bpf__destroy(b->skel);
    free(b);
}

#else /* built without the eBPF toolchain */

ebpf *ebpf_open(size_t ring_bytes, ebpf_fn fn, void *ud, char *why, size_t nwhy, char *tried,
                size_t ntried)
{
    (void)ring_bytes, (void)fn, (void)ud, (void)tried, (void)ntried;
    snprintf(why, nwhy, "eBPF is not built in: %s", MAILC2_EBPF_MISSING);
    return NULL;
}

const char *ebpf_mode(const ebpf *b)
{
    (void)b;
    return "";
}

int ebpf_poll(ebpf *b, int timeout_ms)
{
    (void)b, (void)timeout_ms;
    return 0;
}

uint64_t ebpf_dropped(const ebpf *b)
{
    (void)b;
    return 0;
}

void ebpf_close(ebpf *b)
{
    (void)b;
}

#endif
