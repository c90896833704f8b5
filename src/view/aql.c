/* aql: the AQL view (fields.md §3, aql.md §5). AQL's names are QRadar's
 * columns and properties. On a QRadar export the record's own value wins
 * where QRadar computed it (custom properties, eventdirection); the
 * address, port, time, byte and user columns read the canonical field on
 * every input, since the QRadar decoders compute those the same way. A
 * name with no meaning outside QRadar (qid, magnitude, a custom property)
 * is NULL elsewhere. */
#include "value/convert.h"
#include "view/view_lang.h"

/* eventdirection from the settings' local networks: L2L, L2R, R2L, R2R;
 * NULL when an address is missing (aql.md §5). */
static mc_value locality(const mc_value *a, const cidr_set *local)
{
    return value_locality(local, a[0], a[1]);
}

/* eventcount: every input record is one event (aql.md §2: no coalescing). */
static mc_value one(const mc_value *a, const cidr_set *local)
{
    (void)a, (void)local;
    return mc_int(MC_INT, 1);
}

#define EVERYWHERE(n, c) {n, NULL, c, 1, NULL, {-1, -1, -1}}
#define AT_HOME(n, native, c) {n, native, c, 0, NULL, {-1, -1, -1}}
#define QRADAR_ONLY(n) {n, NULL, -1, 0, NULL, {-1, -1, -1}}
#define LOCALITY(n) {n, "eventdirection", -1, 0, locality, {MC_C_SRC_IP, MC_C_DST_IP, -1}}

static const view_entry entries[] = {
    EVERYWHERE("sourceip", MC_C_SRC_IP),
    EVERYWHERE("destinationip", MC_C_DST_IP),
    EVERYWHERE("sourceport", MC_C_SRC_PORT),
    EVERYWHERE("destinationport", MC_C_DST_PORT),
    EVERYWHERE("username", MC_C_USER),
    EVERYWHERE("starttime", MC_C_TIME),
    EVERYWHERE("devicetime", MC_C_TIME),
    EVERYWHERE("endtime", MC_C_TIME),
    EVERYWHERE("protocolid", MC_C_TRANSPORT),
    EVERYWHERE("sourcebytes", MC_C_BYTES_OUT),
    EVERYWHERE("destinationbytes", MC_C_BYTES_IN),
    EVERYWHERE("firstpackettime", MC_C_TIME),
    EVERYWHERE("lastpackettime", MC_C_TIME),
    EVERYWHERE("app_conformance", MC_C_APP_CONFORMANCE),
    LOCALITY("eventdirection"),
    LOCALITY("event direction"),
    {"flowdirection", "flowdirection", -1, 0, locality, {MC_C_SRC_IP, MC_C_DST_IP, -1}},
    {"eventcount", "eventcount", -1, 0, one, {-1, -1, -1}},
    AT_HOME("process name", "Process Name", MC_C_PROC_NAME),
    AT_HOME("process path", "Process Path", MC_C_PROC_PATH),
    AT_HOME("bytes sent", "Bytes Sent", MC_C_BYTES_OUT),
    AT_HOME("bytes received", "Bytes Received", MC_C_BYTES_IN),
    AT_HOME("hostname", "Hostname", MC_C_HOST),
    AT_HOME("command", "Command", MC_C_CMDLINE),
    QRADAR_ONLY("qid"), QRADAR_ONLY("category"), QRADAR_ONLY("highlevelcategory"),
    QRADAR_ONLY("logsourceid"), QRADAR_ONLY("devicetype"), QRADAR_ONLY("magnitude"),
    QRADAR_ONLY("credibility"), QRADAR_ONLY("severity"), QRADAR_ONLY("relevance"),
    QRADAR_ONLY("payload"), QRADAR_ONLY("identityip"), QRADAR_ONLY("hasidentity"),
    QRADAR_ONLY("domainid"), QRADAR_ONLY("sourcemac"), QRADAR_ONLY("destinationmac"),
    QRADAR_ONLY("postnatsourceip"), QRADAR_ONLY("postnatdestinationip"),
    QRADAR_ONLY("prenatsourceip"), QRADAR_ONLY("prenatdestinationip"),
    QRADAR_ONLY("applicationid"), QRADAR_ONLY("flowtype"), QRADAR_ONLY("flowsource"),
};

const view_lang view_aql = {
    .lang = "aql",
    .home = "qradar",
    .ignore_case = 1,
    .unknown_elsewhere = MC_FIELD_NULL,
    .entry = entries,
    .nentries = (int)(sizeof entries / sizeof entries[0]),
};
