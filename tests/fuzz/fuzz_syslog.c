/* fuzz_syslog: the libFuzzer target for syslog and firewall lines: LEEF,
 * Cisco ASA, PAN-OS, FortiGate and netfilter key=value, pfSense filterlog,
 * Windows Firewall and Linux audit (events over several lines), and the
 * driver's detection over the same bytes. */
#include "harness.h"
#include "input/formats.h"

static const decoder *const lines[] = {
    &decoder_leef,
    &decoder_asa,
    &decoder_panos,
    &decoder_fortigate,
    &decoder_netfilter,
    &decoder_filterlog,
    &decoder_winfw,
    &decoder_audit,
    NULL,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness_lines(lines, data, size);
    harness_driver(data, size);
    return 0;
}
