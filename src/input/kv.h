/* kv: decoders for logs of `key=value` pairs (FortiGate traffic logs,
 * netfilter kernel lines), written once: a format is a table saying which
 * keys hold the connection's parts, plus where its pairs start and how its
 * time and direction are read.
 *
 * Native fields are the keys, as written (case counts). A value may be
 * "quoted"; a word without `=` is a flag (netfilter's DF, SYN) and reads as
 * the empty text. A format may stop reading at a character (netfilter's
 * `[` opens an ICMP error's copy of another packet, which is not this
 * record's connection). */
#ifndef MAILC2_KV_H
#define MAILC2_KV_H

#include "input/decoder.h"

enum { KV_MAX = 128 };

typedef struct kv_record {
    int n;
    mc_value key[KV_MAX], val[KV_MAX];
} kv_record;

typedef struct kv_format {
    const char *src_ip, *dst_ip, *src_port, *dst_port, *proto;
    const char *bytes_out, *bytes_in, *user, *app;   /* NULL: the format has none */
    char stop;                                       /* 0: read to the end */
    /* Where the pairs begin, or NULL: not this format. */
    const char *(*start)(const char *line, size_t len);
    /* The event time: 0 and *ms; 1 when the line carries none that can be
     * read (an RFC 3164 stamp has no year), the time is then NULL; -1 with
     * err for a time that is not one. */
    int (*time)(const kv_record *r, const char *line, size_t len, int64_t *ms, char *err,
                size_t errlen);
    /* "out", "in" or NULL where the record says; NULL: from the addresses. */
    mc_value (*direction)(const kv_record *r);
} kv_format;

/* The value of `key`, or NULL when the record lacks it. */
mc_value kv_get(const kv_record *r, const char *key);
/* Splits p[0, len) into r; returns the number of pairs. */
int kv_split(const char *p, size_t len, char stop, kv_record *r);

/* The decoder members, over a format table passed as the state's format. */
void *kv_bind(const kv_format *fmt, const mc_field_req *fields, int nfields,
              const input_settings *settings);
int kv_decode(void *state, const char *line, size_t len, mc_value *row, arena *scratch,
              char *err, size_t errlen);
void kv_unbind(void *state);

#endif
