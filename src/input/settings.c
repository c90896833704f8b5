/* settings: parsing --local-nets and --map into one value (see settings.h). */
#include "input/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

static int map_pair(input_settings *s, const char *item, size_t len, char *err, size_t errlen)
{
    const char *eq = memchr(item, '=', len);
    char canon[32];
    if (!eq || eq == item || eq + 1 == item + len || (size_t)(eq - item) >= sizeof canon) {
        snprintf(err, errlen, "--map: '%.*s' is not canonical=native", (int)len, item);
        return -1;
    }
    memcpy(canon, item, (size_t)(eq - item));
    canon[eq - item] = '\0';
    int c = mc_canon_lookup(canon);
    if (c < 0) {
        snprintf(err, errlen, "--map: '%s' is not a canonical field (time, host, proc_path, "
                              "proc_name, cmdline, user, src_ip, src_port, dst_ip, dst_port, "
                              "direction, transport, bytes_out, bytes_in, app_proto, app_conformance, duration, kind)", canon);
        return -1;
    }
    size_t nlen = len - (size_t)(eq + 1 - item);
    free(s->map[c]);
    s->map[c] = xmalloc(nlen + 1);
    memcpy(s->map[c], eq + 1, nlen);
    s->map[c][nlen] = '\0';
    s->mapped = 1;
    return 0;
}

static int map_parse(input_settings *s, const char *spec, char *err, size_t errlen)
{
    for (const char *p = spec; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (map_pair(s, p, len, err, errlen))
            return -1;
        p += len + (comma != NULL);
    }
    return 0;
}

int input_settings_init(input_settings *s, const char *local_nets, const char *map,
                        char *err, size_t errlen)
{
    char why[200];
    memset(s, 0, sizeof *s);
    if (cidr_set_parse(&s->local, local_nets, why, sizeof why)) {
        snprintf(err, errlen, "--local-nets: %s", why);
        return -1;
    }
    if (map && map_parse(s, map, err, errlen)) {
        input_settings_free(s);
        return -1;
    }
    return 0;
}

void input_settings_free(input_settings *s)
{
    for (int c = 0; c < MC_C__COUNT; c++) {
        free(s->map[c]);
        s->map[c] = NULL;
    }
    s->mapped = 0;
}
