/* fuzz_csv: the libFuzzer target for CSV: QRadar's Log Activity export,
 * nfdump's CSV and generic CSV (--map), line by line, and the driver's
 * detection over the same bytes. */
#include "harness.h"
#include "input/formats.h"

static const decoder *const lines[] = {
    &decoder_qradar_csv,
    &decoder_nfdump,
    &decoder_generic,
    NULL,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness_lines(lines, data, size);
    harness_driver(data, size);
    return 0;
}
