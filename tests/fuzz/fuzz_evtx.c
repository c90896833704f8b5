/* fuzz_evtx: the libFuzzer target for EVTX files (libevtx), read whole
 * from a temporary file as the driver reads a path. */
#include "harness.h"
#include "input/formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness_whole(&decoder_evtx, data, size);
    return 0;
}
