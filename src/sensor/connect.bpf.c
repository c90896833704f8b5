/* connect.bpf.c: the kernel half of the live sensor. An fentry program on
 * tcp_connect(), which every outbound TCP connection (IPv4 and IPv6) passes
 * once, after the kernel has chosen the source address and port; else a
 * BTF tracepoint (below). Both attach through BTF alone, so they need no
 * tracefs (often not mounted) and no kprobe events. It copies what user space cannot learn after the
 * process is gone: ids, addresses, the command line and the executable's
 * path, into a ring buffer; a full buffer is counted in `dropped`.
 *
 * The kernel structures are declared here with only the fields read, and
 * preserve_access_index makes every access a CO-RE relocation that libbpf
 * fixes against the running kernel's BTF: no vmlinux.h is generated. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "connect.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define TCP_SYN_SENT 2

struct in6_addr {
    __u8 s6_addr[16];
} __attribute__((preserve_access_index));

struct sock_common {
    __be32 skc_daddr;
    __be32 skc_rcv_saddr;
    __be16 skc_dport;
    __u16 skc_num;
    unsigned short skc_family;
    struct in6_addr skc_v6_daddr;
    struct in6_addr skc_v6_rcv_saddr;
} __attribute__((preserve_access_index));

struct sock {
    struct sock_common __sk_common;
    __u16 sk_protocol;
} __attribute__((preserve_access_index));

struct qstr {
    const unsigned char *name;
} __attribute__((preserve_access_index));

struct dentry {
    struct dentry *d_parent;
    struct qstr d_name;
} __attribute__((preserve_access_index));

struct vfsmount {
    struct dentry *mnt_root;
} __attribute__((preserve_access_index));

struct mount {
    struct mount *mnt_parent;
    struct dentry *mnt_mountpoint;
    struct vfsmount mnt;
} __attribute__((preserve_access_index));

struct path {
    struct vfsmount *mnt;
    struct dentry *dentry;
} __attribute__((preserve_access_index));

struct file {
    struct path f_path;
} __attribute__((preserve_access_index));

struct mm_struct {
    unsigned long arg_start, arg_end;
    struct file *exe_file;
} __attribute__((preserve_access_index));

struct task_struct {
    struct mm_struct *mm;
} __attribute__((preserve_access_index));

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 22);   /* user space may resize before load */
} events SEC(".maps");

__u64 dropped = 0;   /* events lost to a full ring buffer */

static void copy_addresses(struct connect_event *e, struct sock *sk)
{
    e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
    e->dport = BPF_CORE_READ(sk, __sk_common.skc_dport);
    e->sport = bpf_htons(BPF_CORE_READ(sk, __sk_common.skc_num));
    if (e->family == AF_INET6) {
        BPF_CORE_READ_INTO(&e->saddr, sk, __sk_common.skc_v6_rcv_saddr);
        BPF_CORE_READ_INTO(&e->daddr, sk, __sk_common.skc_v6_daddr);
    } else {
        BPF_CORE_READ_INTO((__be32 *)e->saddr, sk, __sk_common.skc_rcv_saddr);
        BPF_CORE_READ_INTO((__be32 *)e->daddr, sk, __sk_common.skc_daddr);
    }
}

static void copy_args(struct connect_event *e, struct mm_struct *mm)
{
    unsigned long start = BPF_CORE_READ(mm, arg_start), end = BPF_CORE_READ(mm, arg_end);
    unsigned long n = end > start ? end - start : 0;
    if (n > CONNECT_ARGS)
        n = CONNECT_ARGS;
    if (n && bpf_probe_read_user(e->args, n, (void *)start) == 0)
        e->args_len = n;
}

/* The executable's path, leaf first, up to the root, crossing a mount
 * point where a mount's root is reached; path_whole says whether the
 * global root was. The index is the loop counter so that the verifier
 * sees one bounded loop. */
static void copy_path(struct connect_event *e, struct mm_struct *mm)
{
    struct file *f = BPF_CORE_READ(mm, exe_file);
    if (!f)
        return;
    struct dentry *d = BPF_CORE_READ(f, f_path.dentry);
    struct vfsmount *vm = BPF_CORE_READ(f, f_path.mnt);
    unsigned long off = bpf_core_field_offset(struct mount, mnt);
    struct mount *m = (struct mount *)((char *)vm - off);
    int i;
    for (i = 0; i < CONNECT_PARTS; i++) {
        if (d == BPF_CORE_READ(vm, mnt_root)) {
            struct mount *up = BPF_CORE_READ(m, mnt_parent);
            if (up == m)
                break;
            d = BPF_CORE_READ(m, mnt_mountpoint);
            m = up;
            vm = (struct vfsmount *)((char *)up + off);
        }
        struct dentry *parent = BPF_CORE_READ(d, d_parent);
        if (d == parent)
            break;
        if (bpf_probe_read_kernel_str(e->parts[i], CONNECT_PART, BPF_CORE_READ(d, d_name.name)) < 0)
            e->parts[i][0] = '\0';
        d = parent;
    }
    e->nparts = i;
    e->path_whole = i < CONNECT_PARTS;
}

static __always_inline int on_connect(struct sock *sk)
{
    struct connect_event *e = bpf_ringbuf_reserve(&events, sizeof *e, 0);
    if (!e) {
        __sync_fetch_and_add(&dropped, 1);
        return 0;
    }
    /* Too large to clear at once: each field is set, and user space reads
     * only the nparts components and args_len bytes filled. */
    e->nparts = e->args_len = 0;
    e->path_whole = 0;
    __builtin_memset(e->saddr, 0, sizeof e->saddr);
    __builtin_memset(e->daddr, 0, sizeof e->daddr);
    __u64 id = bpf_get_current_pid_tgid();
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    e->boot_ns = bpf_ktime_get_boot_ns();
    e->pid = id >> 32;
    e->uid = (__u32)bpf_get_current_uid_gid();
    bpf_get_current_comm(e->comm, sizeof e->comm);
    copy_addresses(e, sk);
    struct mm_struct *mm = BPF_CORE_READ(task, mm);
    if (mm) {
        copy_args(e, mm);
        copy_path(e, mm);
    }
    bpf_ringbuf_submit(e, 0);
    return 0;
}

/* The first choice: every connect, with its source port. */
SEC("fentry/tcp_connect")
int BPF_PROG(fentry_tcp_connect, struct sock *sk)
{
    return on_connect(sk);
}

/* Where fentry is refused (kernels without BPF trampolines; the 6.18
 * kernel this was written on answers EPERM at load, as root): the
 * tracepoint as a BTF raw tracepoint. The kernel moves a socket to
 * SYN_SENT before it picks the source port, so that is 0 here. */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tp_inet_sock_set_state, struct sock *sk, int oldstate, int newstate)
{
    if (newstate != TCP_SYN_SENT || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
        return 0;
    return on_connect(sk);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
