/* pcap: packet captures (pcap and pcapng, read with libpcap) as TCP
 * sessions — one connection event per session, with the bytes each way and
 * how closely the session follows a mail protocol (mailproto.h).
 *
 * Link layers: Ethernet (VLAN tags skipped), Linux cooked v1 and v2, BSD
 * loopback/NULL, raw IPv4/IPv6. A session is keyed by its two addresses and
 * ports; its client is the sender of the first SYN (else of the SYN-ACK's
 * peer, else the side with the higher port, else the first sender). It ends
 * with a FIN from both sides or an RST, after IDLE_MS without packets, or
 * at the end of the capture, and becomes an event then. Each side's first
 * HEAD bytes are kept in sequence order (retransmissions skipped; a gap
 * stops the copy) so the greeting and first commands can be read.
 *
 * Fields: the canonical connection (time = first packet, src = client,
 * direction from the local networks, bytes_out/in = TCP payload bytes each
 * way, app_proto = the protocol of the label, app_conformance = the label)
 * and Zeek-like native names: ts, id.orig_h, id.orig_p, id.resp_h,
 * id.resp_p, proto, duration, orig_bytes, resp_bytes, orig_pkts, resp_pkts,
 * orig_frame_bytes, resp_frame_bytes (frame lengths, as tshark counts them),
 * app_conformance, sni. There is no process: sources group by address.
 *
 * The file is read through mailc2's reader (so gzip and zstd captures work)
 * handed to libpcap as a FILE. A capture cut short or damaged is reported
 * with the byte offset where reading stopped; the sessions read so far are
 * kept. */
#define _GNU_SOURCE /* fopencookie */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/formats.h"
#include "input/mailproto.h"
#include "input/pcap_session.h"
#include "input/reader.h"
#include "input/wholefile.h"
#include "value/convert.h"

enum { LINK_NONE = -1 };

/* ---- bytes to libpcap through the reader ---- */

typedef struct cookie {
    reader *r;
    char *block;              /* raw bytes from the reader (reader_next_block) */
    size_t len, cap, pos;
    uint64_t offset;          /* bytes handed to libpcap */
} cookie;

static ssize_t cookie_read(void *ud, char *buf, size_t n)
{
    cookie *c = ud;
    size_t done = 0;
    while (done < n) {
        if (c->pos == c->len) {
            uint64_t first;
            char *spare = c->block; /* recycled: the reader takes it back */
            c->block = NULL;
            c->pos = c->len = 0;
            if (reader_next_block(c->r, 1 << 16, &c->block, &c->len, &c->cap, &first, spare,
                                  c->cap) != 1) {
                c->block = NULL;
                break;
            }
        }
        size_t k = c->len - c->pos < n - done ? c->len - c->pos : n - done;
        memcpy(buf + done, c->block + c->pos, k);
        c->pos += k;
        done += k;
    }
    c->offset += done;
    return (ssize_t)done;
}

/* ---- packets to segments ---- */

/* Where the IP header starts for link type dlt, or -1 (not IP). */
static long ip_offset(int dlt, const unsigned char *p, uint32_t n)
{
    size_t off;
    unsigned type;
    switch (dlt) {
    case DLT_NULL:
    case DLT_LOOP:
        return n >= 4 ? 4 : -1;                      /* a 4-byte family word */
    case DLT_RAW:
    case DLT_IPV4: case DLT_IPV6:
        return 0;
    case DLT_LINUX_SLL:
        return n >= 16 && (p[14] << 8 | p[15]) != 0 ? 16 : -1;
    case DLT_LINUX_SLL2:
        return n >= 20 ? 20 : -1;
    case DLT_EN10MB:
        if (n < 14)
            return -1;
        off = 12;
        type = (unsigned)p[off] << 8 | p[off + 1];
        while ((type == 0x8100 || type == 0x88a8 || type == 0x9100) && off + 6 <= n) {
            off += 4;                                 /* VLAN tags */
            type = (unsigned)p[off] << 8 | p[off + 1];
        }
        return type == 0x0800 || type == 0x86dd ? (long)off + 2 : -1;
    default:
        return -1;
    }
}

/* IPv4 or IPv6, then TCP, into seg; 1 a TCP segment, 0 not TCP (or a
 * later fragment), -1 damaged. */
static int parse_ip(const unsigned char *p, size_t n, segment *seg)
{
    size_t hl, wire;
    int proto;
    if (n >= 20 && p[0] >> 4 == 4) {
        hl = (size_t)(p[0] & 15) * 4;
        size_t total = (size_t)p[2] << 8 | p[3];
        if (hl < 20 || total < hl || n < hl)
            return -1;
        if (((p[6] & 0x1f) << 8 | p[7]) != 0)
            return 0;                                 /* a later fragment */
        wire = total;
        n = total < n ? total : n;
        proto = p[9];
        seg->src.family = seg->dst.family = 4;
        memcpy(seg->src.addr, p + 12, 4);
        memcpy(seg->dst.addr, p + 16, 4);
    } else if (n >= 40 && p[0] >> 4 == 6) {
        size_t total = 40 + ((size_t)p[4] << 8 | p[5]);
        wire = total;
        n = total < n ? total : n;
        proto = p[6];
        hl = 40;
        while ((proto == 0 || proto == 43 || proto == 60) && hl + 8 <= n) {
            proto = p[hl];                            /* extension headers */
            hl += 8 + (size_t)p[hl + 1] * 8;
        }
        if (proto == 44)
            return 0;                                 /* fragments: not reassembled */
        seg->src.family = seg->dst.family = 6;
        memcpy(seg->src.addr, p + 8, 16);
        memcpy(seg->dst.addr, p + 24, 16);
    } else {
        return n ? -1 : 0;
    }
    if (proto != 6)
        return 0;
    if (hl + 20 > n)
        return -1;
    const unsigned char *t = p + hl;
    size_t thl = (size_t)(t[12] >> 4) * 4;
    if (thl < 20 || hl + thl > n)
        return -1;
    seg->src.port = (uint16_t)(t[0] << 8 | t[1]);
    seg->dst.port = (uint16_t)(t[2] << 8 | t[3]);
    seg->seq = (uint32_t)t[4] << 24 | (uint32_t)t[5] << 16 | (uint32_t)t[6] << 8 | t[7];
    seg->flags = t[13];
    seg->payload = t + thl;
    seg->len = n - hl - thl;
    seg->wire = wire > hl + thl ? wire - hl - thl : 0;
    return 1;
}

/* ---- sessions to events ---- */

enum nat {
    N_TS, N_ORIG_H, N_ORIG_P, N_RESP_H, N_RESP_P, N_PROTO, N_DURATION, N_ORIG_BYTES,
    N_RESP_BYTES, N_ORIG_PKTS, N_RESP_PKTS, N_ORIG_FRAME, N_RESP_FRAME, N_CONFORMANCE, N_SNI,
    N__COUNT, N_CANON = 100, N_NONE = 101,
};
static const char *const nat_name[N__COUNT] = {
    "ts", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "duration",
    "orig_bytes", "resp_bytes", "orig_pkts", "resp_pkts", "orig_frame_bytes",
    "resp_frame_bytes", "app_conformance", "sni",
};

typedef struct capture {
    const mc_field_req *fields;
    int nfields;
    int *src;                   /* per field: enum nat, or N_CANON / N_NONE */
    const cidr_set *local;
    mc_value *row;
    arena *scratch;
    const wf_sink *sink;
    uint64_t sessions;
} capture;

static mc_value addr_text(const endpoint *e, arena *scratch)
{
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(e->family == 6 ? AF_INET6 : AF_INET, e->addr, buf, sizeof buf);
    return value_ip(value_text(arena_strndup(scratch, buf, strlen(buf)), strlen(buf)));
}

static mc_value count(uint64_t n)
{
    return mc_int(MC_INT, (int64_t)n);
}

typedef struct facts {
    const session *s;
    mc_value src, dst;
    const char *label;
    char sni[256];
} facts;

static mc_value canonical(const capture *cap, const facts *f, int canon)
{
    const session *s = f->s;
    const char *proto;
    switch (canon) {
    case MC_C_KIND: return value_cstr("conn");
    case MC_C_TIME: return mc_int(MC_TS, s->first_us / 1000);
    case MC_C_SRC_IP: return f->src;
    case MC_C_SRC_PORT: return count(s->client.port);
    case MC_C_DST_IP: return f->dst;
    case MC_C_DST_PORT: return count(s->server.port);
    case MC_C_DIRECTION: return value_net_direction(cap->local, f->src, f->dst);
    case MC_C_TRANSPORT: return count(6);
    case MC_C_BYTES_OUT: return count(s->c.payload_bytes);
    case MC_C_BYTES_IN: return count(s->s.payload_bytes);
    case MC_C_APP_PROTO:
        proto = mailproto_protocol(f->label);
        return proto ? value_cstr(proto) : mc_null();
    case MC_C_APP_CONFORMANCE: return value_cstr(f->label);
    case MC_C_DURATION: return count((uint64_t)(s->last_us - s->first_us) / 1000);
    default: return mc_null(); /* no host, process or user on the wire */
    }
}

static mc_value native(const capture *cap, const facts *f, int which)
{
    const session *s = f->s;
    char buf[32];
    switch (which) {
    case N_TS:
        snprintf(buf, sizeof buf, "%lld.%06lld", (long long)(s->first_us / 1000000),
                 (long long)(s->first_us % 1000000));
        return value_text(arena_strndup(cap->scratch, buf, strlen(buf)), strlen(buf));
    case N_ORIG_H: return f->src;
    case N_ORIG_P: return count(s->client.port);
    case N_RESP_H: return f->dst;
    case N_RESP_P: return count(s->server.port);
    case N_PROTO: return value_cstr("tcp");
    case N_DURATION: {
        mc_value v = {.type = MC_FLOAT};
        v.u.f = (double)(s->last_us - s->first_us) / 1e6;
        return v;
    }
    case N_ORIG_BYTES: return count(s->c.payload_bytes);
    case N_RESP_BYTES: return count(s->s.payload_bytes);
    case N_ORIG_PKTS: return count(s->c.pkts);
    case N_RESP_PKTS: return count(s->s.pkts);
    case N_ORIG_FRAME: return count(s->c.frame_bytes);
    case N_RESP_FRAME: return count(s->s.frame_bytes);
    case N_CONFORMANCE: return value_cstr(f->label);
    case N_SNI:
        return f->sni[0] ? value_text(arena_strndup(cap->scratch, f->sni, strlen(f->sni)),
                                      strlen(f->sni))
                         : mc_null();
    default: return mc_null();
    }
}

static void session_done(void *ud, const session *s)
{
    capture *cap = ud;
    arena_reset(cap->scratch);
    facts f = {.s = s};
    f.src = addr_text(&s->client, cap->scratch);
    f.dst = addr_text(&s->server, cap->scratch);
    f.label = mailproto_classify(s->c.head, s->c.nhead, s->s.head, s->s.nhead, f.sni,
                                 sizeof f.sni);
    for (int i = 0; i < cap->nfields; i++)
        cap->row[i] = cap->src[i] == N_CANON ? canonical(cap, &f, cap->fields[i].canon)
                      : cap->src[i] == N_NONE ? mc_null()
                                              : native(cap, &f, cap->src[i]);
    cap->sessions++;
    cap->sink->event(cap->sink->ud);
}

static void resolve_fields(capture *cap)
{
    cap->src = xcalloc((size_t)(cap->nfields ? cap->nfields : 1), sizeof *cap->src);
    for (int i = 0; i < cap->nfields; i++) {
        const mc_field_req *f = &cap->fields[i];
        cap->src[i] = f->canon >= 0 ? N_CANON : N_NONE;
        for (int k = 0; k < N__COUNT && f->canon == MC_FIELD_NATIVE; k++)
            if (strcmp(f->name, nat_name[k]) == 0)
                cap->src[i] = k;
    }
}

/* ---- the capture ---- */

enum { MAX_OPEN = 1 << 20, SWEEP_EVERY = 1 << 14 };
static const int64_t IDLE_US = (int64_t)2 * 3600 * 1000000;

static void read_packets(pcap_t *p, capture *cap, cookie *ck, session_table *t)
{
    int dlt = pcap_datalink(p);
    struct pcap_pkthdr *h;
    const u_char *data;
    uint64_t n = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        n++;
        long off = ip_offset(dlt, data, h->caplen);
        segment seg = {.ts_us = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec,
                       .frame_len = h->len};
        int got = off < 0 ? 0 : parse_ip(data + off, h->caplen - (size_t)off, &seg);
        if (got < 0)
            cap->sink->bad(cap->sink->ud, n, 0, "damaged IP or TCP header; packet skipped");
        else if (got)
            session_add(t, &seg);
        if (n % SWEEP_EVERY == 0)
            session_expire(t, seg.ts_us, IDLE_US);
    }
    if (rc == PCAP_ERROR) {
        char msg[PCAP_ERRBUF_SIZE + 64];
        snprintf(msg, sizeof msg, "after packet %llu: %s; the packets before it are kept",
                 (unsigned long long)n, pcap_geterr(p));
        cap->sink->bad(cap->sink->ud, 0, ck->offset, msg);
    }
}

int pcap_each(const char *path, const mc_field_req *fields, int nfields,
                     const input_settings *settings, mc_value *row, arena *scratch,
                     const wf_sink *sink, char *err, size_t errlen)
{
    cookie ck = {.r = reader_open(path, err, errlen)};
    if (!ck.r)
        return -1;
    cookie_io_functions_t io = {.read = cookie_read};
    FILE *f = fopencookie(&ck, "r", io);
    if (f)
        setvbuf(f, NULL, _IONBF, 0); /* so the offset counted is libpcap's position */
    char perr[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = f ? pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO, perr)
                  : NULL;
    if (!p) {
        snprintf(err, errlen, "not a readable capture: %s", f ? perr : "cannot open a stream");
        if (f)
            fclose(f);
        free(ck.block);
        reader_close(ck.r);
        return -1;
    }
    capture cap = {fields, nfields, NULL, &settings->local, row, scratch, sink, 0};
    resolve_fields(&cap);
    session_table *t = session_table_new(MAX_OPEN, session_done, &cap);
    read_packets(p, &cap, &ck, t);
    uint64_t early = session_table_free(t);
    if (early)
        sink->bad(sink->ud, 0, ck.offset, "more than 1048576 sessions open at once: some were "
                                          "ended early and may be counted twice");
    if (*reader_error(ck.r))
        sink->bad(sink->ud, 0, ck.offset, reader_error(ck.r));
    pcap_close(p); /* closes f */
    free(ck.block);
    reader_close(ck.r);
    free(cap.src);
    return 0;
}

/* pcap (either byte order, micro- or nanosecond) and pcapng magic. */
static int pcap_probe_head(const unsigned char *h, size_t n)
{
    static const unsigned char magic[][4] = {
        {0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4}, {0x4d, 0x3c, 0xb2, 0xa1},
        {0xa1, 0xb2, 0x3c, 0x4d}, {0x0a, 0x0d, 0x0d, 0x0a},
    };
    for (size_t i = 0; n >= 4 && i < sizeof magic / sizeof magic[0]; i++)
        if (!memcmp(h, magic[i], 4))
            return 1;
    return 0;
}

static int pcap_probe(const char *line, size_t len, const input_settings *settings)
{
    (void)line, (void)len, (void)settings;
    return 0; /* told by its first bytes (pcap_probe_head), never by a line */
}

const decoder decoder_pcap = {
    .name = "pcap",
    .family = "pcap",
    .describe = "packet captures, pcap and pcapng (libpcap; gzip/zstd too): one event per TCP "
                "session with bytes and packets each way and app_conformance, how the session "
                "follows SMTP, POP3 or IMAP (smtp, smtp-starttls, pop3, pop3-stls, imap, "
                "imap-starttls, tls with its SNI, not-mail, no-data, unknown)",
    .probe = pcap_probe,
    .probe_head = pcap_probe_head,
    .bind = wholefile_bind,
    .decode = wholefile_line,
    .unbind = wholefile_unbind,
    .read_file = pcap_each,
};
