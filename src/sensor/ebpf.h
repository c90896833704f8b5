/* ebpf: the kernel sensor — loads connect.bpf.c (embedded as a bpftool
 * skeleton at build time), attaches it by the first program type the
 * kernel accepts, and turns each ring-buffer record into a sensor_event
 * with the kernel's copies of the executable path and command line.
 *
 * Built without clang, bpftool or libbpf, ebpf_open() says so and returns
 * NULL, and the rest of the library is unchanged. */
#ifndef MAILC2_SENSOR_EBPF_H
#define MAILC2_SENSOR_EBPF_H

#include <stddef.h>
#include <stdint.h>

#include "sensor/event.h"

typedef struct ebpf ebpf;

/* Called once per connection. `kimage` and `kargs` are what the kernel
 * copied ("" when it could not; kargs falls back to the task's name, comm);
 * all pointers are valid for the call. */
typedef void (*ebpf_fn)(void *ud, sensor_event *e, const char *kimage, const char *kargs);

/* ring_bytes: the ring buffer (a power of two, at least a page). NULL
 * with the reason in why when no program type loads and attaches; `tried`
 * (when not NULL) gets what was refused on the way even on success. */
ebpf *ebpf_open(size_t ring_bytes, ebpf_fn fn, void *ud, char *why, size_t nwhy, char *tried,
                size_t ntried);
/* "ebpf-fentry" or "ebpf-tp_btf". */
const char *ebpf_mode(const ebpf *b);
/* Waits up to timeout_ms and hands over what arrived: the number of
 * events, 0 on timeout or a signal, or a negative errno. */
int ebpf_poll(ebpf *b, int timeout_ms);
/* Events the kernel could not queue because the ring buffer was full. */
uint64_t ebpf_dropped(const ebpf *b);
void ebpf_close(ebpf *b);

#endif
