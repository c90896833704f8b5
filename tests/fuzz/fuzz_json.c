/* fuzz_json: the libFuzzer target for JSON lines: Falcon, Sysmon/Windows
 * JSON, Suricata eve, Zeek JSON, nfdump JSON and generic JSON (--map) line by
 * line, QRadar's Ariel JSON as a whole file, and the driver's detection over
 * the same bytes. */
#include "harness.h"
#include "input/formats.h"

static const decoder *const lines[] = {
    &decoder_falcon,
    &decoder_winjson,
    &decoder_suricata,
    &decoder_zeek_json,
    &decoder_nfdump_json,
    &decoder_generic,
    NULL,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness_lines(lines, data, size);
    harness_whole(&decoder_qradar_json, data, size);
    harness_driver(data, size);
    return 0;
}
