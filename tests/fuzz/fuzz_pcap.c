/* fuzz_pcap: the libFuzzer target for packet captures, pcap and pcapng
 * (libpcap, then mailc2's TCP sessions and mail-protocol conformance),
 * read whole from a temporary file as the driver reads a path. */
#include "harness.h"
#include "input/formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness_whole(&decoder_pcap, data, size);
    return 0;
}
