/* fuzz_sigma: the libFuzzer target for Sigma rules: the input is compiled as
 * a Sigma file (YAML documents: detection rules and a correlation); a plan
 * that compiles is printed and run over the bundled samples, so the YAML
 * reading, the modifiers, the condition parser, the Sigma view and the
 * executor are fuzzed together. */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness_query(frontend_find("sigma", NULL), data, size);
    return 0;
}
