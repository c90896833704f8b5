/* zeek_local: where Zeek's own idea of "local" (local_orig / local_resp,
 * from its Site::local_nets) disagrees with the engine's --local-nets. A
 * disagreement matters: mailc2 takes a Zeek record's direction from Zeek,
 * but AQL's eventdirection (L2R, ...) is computed from --local-nets, so the
 * AQL seed's `"Event Direction" = 'L2R'` silently misses traffic from a
 * network --local-nets does not cover. The tally is a decoder context
 * without a first pass (decoder.h): every worker's decoder state adds to
 * it, and the run reports it once. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/zeek.h"
#include "util/arena.h"
#include "value/convert.h"

struct zeek_local {
    atomic_ullong zeek_local, zeek_remote;    /* Zeek says local / remote, we do not */
    pthread_mutex_t lock;                      /* the first examples */
    char first_local[64], first_remote[64];
};

void *zeek_local_create(void)
{
    zeek_local *z = xcalloc(1, sizeof *z);
    pthread_mutex_init(&z->lock, NULL);
    return z;
}

void zeek_local_destroy(void *ctx)
{
    zeek_local *z = ctx;
    pthread_mutex_destroy(&z->lock);
    free(z);
}

static void example(zeek_local *z, char *slot, mc_value ip)
{
    pthread_mutex_lock(&z->lock);
    if (!slot[0])
        snprintf(slot, 64, "%.*s", (int)ip.len, ip.u.s);
    pthread_mutex_unlock(&z->lock);
}

/* One side: Zeek's flag against --local-nets. */
static void side(zeek_local *z, mc_value flag, mc_value addr, const cidr_set *local)
{
    int said_local = value_is(flag, "T") || value_is(flag, "true");
    int said_remote = value_is(flag, "F") || value_is(flag, "false");
    mc_value ip = value_ip(addr);
    int ours = said_local || said_remote ? value_ip_local(local, ip) : -1;
    if (said_local && ours == 0) {
        atomic_fetch_add(&z->zeek_local, 1);
        example(z, z->first_local, ip);
    } else if (said_remote && ours == 1) {
        atomic_fetch_add(&z->zeek_remote, 1);
        example(z, z->first_remote, ip);
    }
}

void zeek_local_check(zeek_local *z, const mc_value *k, const cidr_set *local)
{
    if (!z)
        return;
    side(z, k[ZK_LOCAL_ORIG], k[ZK_ORIG_H], local);
    side(z, k[ZK_LOCAL_RESP], k[ZK_RESP_H], local);
}

void zeek_local_report(const void *ctx, char *msg, size_t len)
{
    const zeek_local *z = ctx;
    unsigned long long l = atomic_load(&z->zeek_local), r = atomic_load(&z->zeek_remote);
    msg[0] = '\0';
    if (!l && !r)
        return;
    int n = 0;
    if (l)
        n = snprintf(msg, len, "zeek: %llu times Zeek marks an address local that --local-nets "
                               "does not (first %s)", l, z->first_local);
    if (r && n >= 0 && (size_t)n < len)
        snprintf(msg + n, len - (size_t)n, "%s%llu times Zeek marks an address remote that "
                 "--local-nets holds (first %s)", n ? "; " : "zeek: ", r, z->first_remote);
    size_t used = strlen(msg);
    snprintf(msg + used, len - used, ": directions follow Zeek, AQL's Event Direction follows "
                                     "--local-nets");
}
