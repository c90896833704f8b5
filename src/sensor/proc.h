/* proc: what /proc says about a live process, for events the kernel could
 * not describe whole (and for the sock_diag fallback, which knows only a
 * socket): the executable, the command line, the user name, and which
 * process holds a socket inode. Each returns -1 when the process is gone
 * or not readable; the caller says so rather than guessing.
 *
 * Ownership: results are written into the caller's buffers. */
#ifndef MAILC2_SENSOR_PROC_H
#define MAILC2_SENSOR_PROC_H

#include <stddef.h>
#include <stdint.h>

/* readlink of /proc/PID/exe, the " (deleted)" mark kept. */
int proc_exe(const char *root, uint32_t pid, char *buf, size_t cap);
/* /proc/PID/cmdline with its NUL separators as spaces, at most cap - 1
 * bytes. An empty command line (a kernel thread, a zombie) is -1. */
int proc_cmdline(const char *root, uint32_t pid, char *buf, size_t cap);
/* Turns a NUL-separated argument block of n bytes into one line: NULs
 * between arguments become spaces, trailing NULs are dropped. Returns the
 * new length. */
size_t proc_join_args(char *args, size_t n);
/* The user's name from the password database, else the uid as digits. */
void proc_user(uint32_t uid, char *buf, size_t cap);

/* Socket inode -> process: walks /proc/[0-9]*\/fd once and calls `found`
 * for each descriptor that is a socket, with its inode and the pid. */
void proc_sockets(const char *root, void (*found)(void *ud, uint64_t inode, uint32_t pid),
                  void *ud);

#endif
