/* sensor: the live sensor behind include/mailc2.h — chooses the mode
 * (eBPF, else sock_diag), resolves each connection's process while it
 * lives, and queues the events as JSON lines for mc_sensor_next.
 *
 * Resolution prefers /proc (the whole command line, the path as the
 * process sees it) and falls back to what the kernel copied at connect
 * time when the process is already gone: short-lived clients (nc, curl)
 * often exit before user space reads the event. Both are counted. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "sensor/ebpf.h"
#include "sensor/event.h"
#include "sensor/proc.h"
#include "sensor/sockdiag.h"
#include "util/arena.h"

enum { LINE_MAX_BYTES = 16384, USER_CACHE = 64 };

typedef struct user_name {
    uint32_t uid;
    char name[64];
} user_name;

struct mc_sensor {
    mc_sensor_options o;
    ebpf *bpf;                /* eBPF mode, else */
    sockdiag *diag;           /* sock_diag mode */
    int64_t next_poll_ms;
    char mode[16];
    char note[768];
    char host[256];
    char *queue;              /* waiting, from queue_pos to queue_len: each an
                                 int64_t time (ms) then the JSON line */
    size_t queue_pos, queue_len, queue_cap;
    char line[LINE_MAX_BYTES];
    uint64_t count[MC_SENSOR_FROM_KERNEL + 1];
    user_name users[USER_CACHE];
    size_t nusers;
};

void mc_sensor_options_init(mc_sensor_options *o)
{
    memset(o, 0, sizeof *o);
    o->poll_ms = 100;
    o->ring_bytes = 16u << 20;
}

static const char *user_of(mc_sensor *s, uint32_t uid)
{
    for (size_t i = 0; i < s->nusers; i++)
        if (s->users[i].uid == uid)
            return s->users[i].name;
    user_name *u = &s->users[s->nusers < USER_CACHE ? s->nusers++ : uid % USER_CACHE];
    u->uid = uid;
    proc_user(uid, u->name, sizeof u->name);
    return u->name;
}

static void enqueue(mc_sensor *s, int64_t time_ms, const char *text, size_t len)
{
    if (s->queue_pos == s->queue_len)
        s->queue_pos = s->queue_len = 0; /* all read: start over */
    size_t need = sizeof time_ms + len;
    if (s->queue_len + need > s->queue_cap) {
        s->queue_cap = 2 * (s->queue_len + need);
        s->queue = xrealloc(s->queue, s->queue_cap);
    }
    memcpy(s->queue + s->queue_len, &time_ms, sizeof time_ms);
    memcpy(s->queue + s->queue_len + sizeof time_ms, text, len);
    s->queue_len += need;
}

/* Fills the process fields of e from /proc, else from the kernel's
 * copies, and queues its line. */
static void deliver(mc_sensor *s, sensor_event *e, const char *kimage, const char *kargs)
{
    char image[4096], args[LINE_MAX_BYTES / 2];
    int live = e->pid && proc_exe("/proc", e->pid, image, sizeof image) == 0;
    if (live && proc_cmdline("/proc", e->pid, args, sizeof args) == 0)
        e->cmdline = args;
    else
        e->cmdline = kargs && *kargs ? kargs : NULL;
    e->image = live ? image : kimage && *kimage ? kimage : NULL;
    s->count[MC_SENSOR_FROM_KERNEL] += !live && e->image;
    s->count[MC_SENSOR_NO_PROCESS] += !e->image;
    e->user = user_of(s, e->uid);
    e->host = s->host;
    size_t n = event_json(e, s->line, sizeof s->line);
    if (n < sizeof s->line)
        enqueue(s, e->time_ms, s->line, n);
}

static void on_kernel_event(void *ud, sensor_event *e, const char *kimage, const char *kargs)
{
    deliver(ud, e, kimage, kargs);
}

static void on_new_socket(void *ud, const diag_sock *d, uint32_t pid)
{
    mc_sensor *s = ud;
    sensor_event e = {.time_ms = mc_time_now_ms(), .pid = pid, .uid = d->uid,
                      .family = d->family, .sport = d->sport, .dport = d->dport,
                      .sensor = "sock_diag"};
    memcpy(e.saddr, d->saddr, sizeof e.saddr);
    memcpy(e.daddr, d->daddr, sizeof e.daddr);
    deliver(s, &e, NULL, NULL);
}

static int open_ebpf(mc_sensor *s, char *why, size_t nwhy)
{
    char tried[256] = "";
    s->bpf = ebpf_open(s->o.ring_bytes, on_kernel_event, s, why, nwhy, tried, sizeof tried);
    if (!s->bpf)
        return -1;
    snprintf(s->mode, sizeof s->mode, "%s", ebpf_mode(s->bpf));
    if (*tried)
        snprintf(s->note, sizeof s->note, "%s; the BTF tracepoint inet_sock_set_state runs "
                 "instead (it fires before the kernel picks the source port, so SourcePort is "
                 "left out)", tried);
    return 0;
}

static int open_sockdiag(mc_sensor *s, const char *ebpf_why, mc_error *err)
{
    char why[256];
    s->diag = sockdiag_open("/proc", why, sizeof why);
    if (!s->diag)
        return api_fail(err, MC_E_INPUT, NULL, "no sensor can run: %s%s%s", ebpf_why,
                        *ebpf_why ? "; " : "", why);
    /* The first poll only learns which connections are already open: run
     * it now, so that every connection opened once the caller says it is
     * watching is new (a client started at once was taken for an old one
     * when the first poll came late on a busy machine). */
    int n = sockdiag_poll(s->diag, on_new_socket, s);
    if (n < 0)
        return api_fail(err, MC_E_INPUT, NULL, "sock_diag: %s", strerror(-n));
    s->next_poll_ms = mc_time_now_ms() + s->o.poll_ms;
    snprintf(s->mode, sizeof s->mode, "sock_diag");
    snprintf(s->note, sizeof s->note, "%s%spolling sockets every %u ms: connections opened "
             "and closed between two polls are missed, and their times are the poll's%s",
             ebpf_why, *ebpf_why ? "; " : "", s->o.poll_ms,
             geteuid() != 0 ? "; not root: other users' processes are not named" : "");
    return 0;
}

mc_sensor *mc_sensor_open(const mc_sensor_options *o, mc_error *err)
{
    mc_sensor *s = xcalloc(1, sizeof *s);
    mc_sensor_options_init(&s->o);
    if (o) {
        s->o.mode = o->mode;
        s->o.poll_ms = o->poll_ms ? o->poll_ms : s->o.poll_ms;
        s->o.ring_bytes = o->ring_bytes ? o->ring_bytes : s->o.ring_bytes;
    }
    if (gethostname(s->host, sizeof s->host) != 0)
        snprintf(s->host, sizeof s->host, "localhost");
    size_t ring = s->o.ring_bytes;
    int rc = (ring & (ring - 1)) || ring < 4096
                 ? api_fail(err, MC_E_USAGE, NULL, "the ring buffer size %zu is not a power "
                            "of two of at least 4096 bytes", ring)
             : s->o.mode < MC_SENSOR_AUTO || s->o.mode > MC_SENSOR_SOCK_DIAG
                 ? api_fail(err, MC_E_USAGE, NULL, "sensor mode %d is not MC_SENSOR_AUTO, "
                            "_EBPF or _SOCK_DIAG", s->o.mode)
                 : 0;
    char why[512] = "";
    if (!rc && s->o.mode != MC_SENSOR_SOCK_DIAG && open_ebpf(s, why, sizeof why) == 0)
        return s;
    if (!rc && s->o.mode == MC_SENSOR_EBPF)
        rc = api_fail(err, MC_E_INPUT, NULL, "%s", why);
    if (!rc && open_sockdiag(s, why, err) == 0)
        return s;
    mc_sensor_close(s);
    return NULL;
}

const char *mc_sensor_mode(const mc_sensor *s)
{
    return s->mode;
}

const char *mc_sensor_note(const mc_sensor *s)
{
    return s->note;
}

/* The next queued line, if any. */
static int pop(mc_sensor *s, const char **line, size_t *len, int64_t *time_ms)
{
    if (s->queue_pos == s->queue_len)
        return 0;
    memcpy(time_ms, s->queue + s->queue_pos, sizeof *time_ms);
    char *start = s->queue + s->queue_pos + sizeof *time_ms;
    char *nl = memchr(start, '\n', s->queue_len - s->queue_pos - sizeof *time_ms);
    *line = start;
    *len = (size_t)(nl - start) + 1;
    s->queue_pos += sizeof *time_ms + *len;
    s->count[MC_SENSOR_SEEN]++;
    return 1;
}

/* sock_diag: polls when due, else sleeps until then or the timeout. */
static int poll_diag(mc_sensor *s, int timeout_ms, mc_error *err)
{
    int64_t now = mc_time_now_ms();
    if (now < s->next_poll_ms) {
        int64_t wait = s->next_poll_ms - now;
        poll(NULL, 0, (int)(wait < timeout_ms ? wait : timeout_ms)); /* a signal ends it */
        if (mc_time_now_ms() < s->next_poll_ms)
            return 0;
    }
    s->next_poll_ms = mc_time_now_ms() + s->o.poll_ms;
    int n = sockdiag_poll(s->diag, on_new_socket, s);
    return n < 0 ? api_fail(err, MC_E_INPUT, NULL, "sock_diag: %s", strerror(-n)) : 0;
}

int mc_sensor_next(mc_sensor *s, int timeout_ms, const char **line, size_t *len,
                   int64_t *time_ms, mc_error *err)
{
    if (pop(s, line, len, time_ms))
        return 1;
    if (s->bpf) {
        int n = ebpf_poll(s->bpf, timeout_ms);
        if (n < 0)
            return api_fail(err, MC_E_INPUT, NULL, "reading the eBPF ring buffer: %s",
                            strerror(-n));
    } else if (poll_diag(s, timeout_ms, err)) {
        return MC_E_INPUT;
    }
    return pop(s, line, len, time_ms);
}

uint64_t mc_sensor_count(const mc_sensor *s, int which)
{
    if (which == MC_SENSOR_DROPPED)
        return s->bpf ? ebpf_dropped(s->bpf) : 0;
    return which >= 0 && which <= MC_SENSOR_FROM_KERNEL ? s->count[which] : 0;
}

void mc_sensor_close(mc_sensor *s)
{
    if (!s)
        return;
    ebpf_close(s->bpf);
    sockdiag_close(s->diag);
    free(s->queue);
    free(s);
}
