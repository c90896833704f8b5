/* ocsf: canonical fields → OCSF Network Activity (4001) columns (ocsf.h).
 * Direction and transport are left out on purpose: OCSF keeps them as
 * numbers (connection_info.direction_id 1 in / 2 out, protocol_num) where
 * the plan compares mailc2's words, and a plan that reads them is refused
 * rather than rewritten behind the user's back. */
#include <stddef.h>

#include "emit/ocsf.h"
#include "input/event.h"

const char *ocsf_column(int canon)
{
    switch (canon) {
    case MC_C_KIND:      return "'conn'"; /* every row of the class is a connection */
    case MC_C_TIME:      return "time";
    case MC_C_HOST:      return "device.hostname";
    case MC_C_PROC_PATH: return "actor.process.file.path";
    case MC_C_PROC_NAME: return "actor.process.file.name";
    case MC_C_CMDLINE:   return "actor.process.cmd_line";
    case MC_C_USER:      return "actor.user.name";
    case MC_C_SRC_IP:    return "src_endpoint.ip";
    case MC_C_SRC_PORT:  return "src_endpoint.port";
    case MC_C_DST_IP:    return "dst_endpoint.ip";
    case MC_C_DST_PORT:  return "dst_endpoint.port";
    case MC_C_BYTES_OUT: return "traffic.bytes_out";
    case MC_C_BYTES_IN:  return "traffic.bytes_in";
    case MC_C_DURATION:  return "duration";
    default:             return NULL;
    }
}
