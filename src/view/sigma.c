/* sigma: the Sigma view (sigma.md §8, fields.md §3). Sigma rules name the
 * fields of the Sysmon taxonomy (network_connection, process_creation), so
 * the home family is Sysmon. The taxonomy names that mean a canonical field
 * read that field on every input, Sysmon included: the Windows decoders
 * then complete them the same way everywhere (a connection's user from its
 * process, Security 5156's Application as Image), and a rule written for
 * Sysmon runs unchanged on Falcon, QRadar or Zeek. Sysmon's string forms
 * of direction and protocol are derived from the canonical ones. Any other
 * name (EventID, ParentImage, Hashes) reads the record's own field. */
#include <string.h>

#include "value/convert.h"
#include "view/view_lang.h"

/* Initiated: Sysmon writes "true" when the process opened the connection. */
static mc_value initiated(const mc_value *a, const cidr_set *local)
{
    (void)local;
    if (a[0].type == MC_NULL)
        return mc_null();
    return value_is(a[0], "out") ? value_cstr("true") : value_is(a[0], "in") ? value_cstr("false")
                                                                         : mc_null();
}

/* Protocol: Sysmon's name for the IANA transport number. */
static mc_value protocol(const mc_value *a, const cidr_set *local)
{
    (void)local;
    if (a[0].type != MC_INT)
        return a[0];
    return a[0].u.i == 6 ? value_cstr("tcp") : a[0].u.i == 17 ? value_cstr("udp") : a[0];
}

/* The operating system a process path belongs to, for a rule's logsource
 * product: a drive letter or a backslash is Windows, a leading slash Linux;
 * NULL when the event names no process (a network sensor) or only a bare
 * name, so that the product says nothing about it. */
static mc_value product(const mc_value *a, const cidr_set *local)
{
    (void)local;
    if (a[0].type != MC_STR || a[0].len == 0)
        return mc_null();
    const char *s = a[0].u.s;
    if (memchr(s, '\\', a[0].len) || (a[0].len >= 2 && s[1] == ':'))
        return value_cstr("windows");
    return s[0] == '/' ? value_cstr("linux") : mc_null();
}

#define CANON(n, c) {n, NULL, c, 1, NULL, {-1, -1, -1}}
#define DERIVED(n, fn, c) {n, NULL, -1, 1, fn, {c, -1, -1}}

static const view_entry entries[] = {
    CANON("UtcTime", MC_C_TIME),
    CANON("Computer", MC_C_HOST),
    CANON("Image", MC_C_PROC_PATH),
    CANON("CommandLine", MC_C_CMDLINE),
    CANON("User", MC_C_USER),
    CANON("SourceIp", MC_C_SRC_IP),
    CANON("SourcePort", MC_C_SRC_PORT),
    CANON("DestinationIp", MC_C_DST_IP),
    CANON("DestinationPort", MC_C_DST_PORT),
    CANON("app_conformance", MC_C_APP_CONFORMANCE),
    DERIVED("Initiated", initiated, MC_C_DIRECTION),
    DERIVED("Protocol", protocol, MC_C_TRANSPORT),
    DERIVED(VIEW_SIGMA_PRODUCT, product, MC_C_PROC_PATH),
};

const view_lang view_sigma = {
    .lang = "sigma",
    .home = "sysmon",
    .ignore_case = 0,
    .unknown_elsewhere = MC_FIELD_NATIVE,
    .entry = entries,
    .nentries = (int)(sizeof entries / sizeof entries[0]),
};
