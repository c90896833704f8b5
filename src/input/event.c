/* event: the names of the canonical fields (fields.md §1). */
#include "input/event.h"

#include <string.h>

static const char *const canon_names[MC_C__COUNT] = {
    [MC_C_KIND] = "kind",           [MC_C_TIME] = "time",
    [MC_C_HOST] = "host",           [MC_C_PROC_PATH] = "proc_path",
    [MC_C_PROC_NAME] = "proc_name", [MC_C_CMDLINE] = "cmdline",
    [MC_C_USER] = "user",           [MC_C_SRC_IP] = "src_ip",
    [MC_C_SRC_PORT] = "src_port",   [MC_C_DST_IP] = "dst_ip",
    [MC_C_DST_PORT] = "dst_port",   [MC_C_DIRECTION] = "direction",
    [MC_C_TRANSPORT] = "transport", [MC_C_BYTES_OUT] = "bytes_out",
    [MC_C_BYTES_IN] = "bytes_in",   [MC_C_APP_PROTO] = "app_proto",
    [MC_C_APP_CONFORMANCE] = "app_conformance", [MC_C_DURATION] = "duration",
};

const char *mc_canon_name(enum mc_canon c)
{
    return (unsigned)c < MC_C__COUNT ? canon_names[c] : "?";
}

int mc_canon_lookup(const char *name)
{
    for (int c = 0; c < MC_C__COUNT; c++)
        if (strcmp(canon_names[c], name) == 0)
            return c;
    return -1;
}
