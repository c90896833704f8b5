/* kv: the key=value decoder engine (see kv.h). */
#include "input/kv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value/convert.h"

typedef struct kv_state {
    const kv_format *fmt;
    const mc_field_req *fields;
    int nfields;
    const cidr_set *local;
    kv_record r;
} kv_state;

mc_value kv_get(const kv_record *r, const char *key)
{
    size_t k = strlen(key);
    for (int i = 0; i < r->n; i++)
        if (r->key[i].len == k && !memcmp(r->key[i].u.s, key, k))
            return r->val[i];
    return mc_null();
}

int kv_split(const char *p, size_t len, char stop, kv_record *r)
{
    const char *end = p + len;
    r->n = 0;
    while (p < end && r->n < KV_MAX) {
        while (p < end && *p == ' ')
            p++;
        if (p == end || (stop && *p == stop))
            break;
        const char *k = p;
        while (p < end && *p != '=' && *p != ' ')
            p++;
        r->key[r->n] = mc_str(MC_STR, k, (size_t)(p - k));
        if (p == end || *p == ' ') {          /* a flag */
            r->val[r->n++] = mc_str(MC_STR, p, 0);
            continue;
        }
        p++;
        const char *v = p;
        if (p < end && *p == '"') {
            v = ++p;
            while (p < end && *p != '"')
                p++;
            r->val[r->n++] = mc_str(MC_STR, v, (size_t)(p - v));
            p += p < end;
            continue;
        }
        while (p < end && *p != ' ')
            p++;
        r->val[r->n++] = mc_str(MC_STR, v, (size_t)(p - v));
    }
    return r->n;
}

void *kv_bind(const kv_format *fmt, const mc_field_req *fields, int nfields,
              const input_settings *settings)
{
    kv_state *s = xcalloc(1, sizeof *s);
    s->fmt = fmt;
    s->fields = fields;
    s->nfields = nfields;
    s->local = &settings->local;
    return s;
}

void kv_unbind(void *state)
{
    free(state);
}

static mc_value get(const kv_record *r, const char *key)
{
    if (!key)
        return mc_null();
    mc_value v = kv_get(r, key);
    return v.type == MC_STR && v.len ? v : mc_null();
}

static mc_value canonical(const kv_state *s, int canon, int64_t ms, arena *scratch)
{
    const kv_format *f = s->fmt;
    const kv_record *r = &s->r;
    mc_value src = value_ip(get(r, f->src_ip)), dst = value_ip(get(r, f->dst_ip)), dir;
    switch (canon) {
    case MC_C_KIND:      return src.type && dst.type ? value_cstr("conn") : mc_null();
    case MC_C_TIME:      return ms == INT64_MIN ? mc_null() : mc_int(MC_TS, ms);
    case MC_C_USER:      return get(r, f->user);
    case MC_C_SRC_IP:    return src;
    case MC_C_SRC_PORT:  return value_port(get(r, f->src_port));
    case MC_C_DST_IP:    return dst;
    case MC_C_DST_PORT:  return value_port(get(r, f->dst_port));
    case MC_C_DIRECTION:
        dir = f->direction ? f->direction(r) : mc_null();
        return dir.type ? dir : value_net_direction(s->local, src, dst);
    case MC_C_TRANSPORT: return value_transport(get(r, f->proto));
    case MC_C_BYTES_OUT: return value_uint(get(r, f->bytes_out));
    case MC_C_BYTES_IN:  return value_uint(get(r, f->bytes_in));
    case MC_C_APP_PROTO: return value_lower(get(r, f->app), scratch);
    default:             return mc_null(); /* a firewall knows no process or host */
    }
}

int kv_decode(void *state, const char *line, size_t len, mc_value *row, arena *scratch,
              char *err, size_t errlen)
{
    kv_state *s = state;
    const char *p = s->fmt->start(line, len);
    int64_t ms;
    if (!p) {
        snprintf(err, errlen, "no key=value pairs where this format has them");
        return DECODE_BAD;
    }
    kv_split(p, len - (size_t)(p - line), s->fmt->stop, &s->r);
    int rc = s->fmt->time(&s->r, line, len, &ms, err, errlen);
    if (rc < 0)
        return DECODE_BAD;
    if (rc > 0)
        ms = INT64_MIN;
    for (int i = 0; i < s->nfields; i++) {
        int c = s->fields[i].canon;
        row[i] = c >= 0 ? canonical(s, c, ms, scratch)
                 : c == MC_FIELD_NATIVE ? kv_get(&s->r, s->fields[i].name) : mc_null();
    }
    return DECODE_OK;
}
