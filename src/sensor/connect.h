/* connect.h: the record the kernel program (connect.bpf.c) hands user space
 * (ebpf.c) through the ring buffer, one per outbound TCP connect. Shared by
 * both sides, so it uses only fixed-size kernel types; addresses and ports
 * are in network order as the socket holds them.
 *
 * The kernel copies the executable's path (as name components, leaf
 * first) and the start of the command line at connect time, so a process
 * that exits before user space reads /proc still has them. */
#ifndef MAILC2_SENSOR_CONNECT_H
#define MAILC2_SENSOR_CONNECT_H

#include <linux/types.h>

enum {
    CONNECT_COMM = 16,        /* the kernel's TASK_COMM_LEN */
    CONNECT_ARGS = 256,       /* command line bytes copied (NUL-separated) */
    CONNECT_PARTS = 16,       /* path components copied */
    CONNECT_PART = 64,        /* bytes per component, NUL included */
};

struct connect_event {
    __u64 boot_ns;            /* bpf_ktime_get_boot_ns() at the connect */
    __u32 pid;                /* the process (tgid) */
    __u32 uid;
    __u16 family;             /* AF_INET or AF_INET6 */
    __u16 sport, dport;       /* network order */
    __u16 nparts;             /* path components filled, leaf first */
    __u16 args_len;           /* bytes of args filled */
    __u8 path_whole;          /* 1: the components reach the root */
    __u8 pad[5];
    __u8 saddr[16], daddr[16]; /* IPv4 in the first 4 bytes */
    char comm[CONNECT_COMM];
    char args[CONNECT_ARGS];
    char parts[CONNECT_PARTS][CONNECT_PART];
};

#endif
