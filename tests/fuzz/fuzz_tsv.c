/* fuzz_tsv: the libFuzzer target for TSV: Zeek's logs (the #fields header and
 * its rows), line by line, and the driver's detection over the same bytes. */
#include "harness.h"
#include "input/formats.h"

static const decoder *const lines[] = {
    &decoder_zeek,
    NULL,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness_lines(lines, data, size);
    harness_driver(data, size);
    return 0;
}
