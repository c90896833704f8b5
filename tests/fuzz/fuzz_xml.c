/* fuzz_xml: the libFuzzer target for XML: Sysmon and Windows events as XML
 * (libexpat), line by line, and the driver's detection over the same bytes. */
#include "harness.h"
#include "input/formats.h"

static const decoder *const lines[] = {
    &decoder_winxml,
    NULL,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness_lines(lines, data, size);
    harness_driver(data, size);
    return 0;
}
