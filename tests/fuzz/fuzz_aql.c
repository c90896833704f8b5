/* fuzz_aql: the libFuzzer target for QRadar AQL rules: the input is
 * compiled as rule text; a plan that compiles is printed and run over the
 * bundled samples, so the executor is fuzzed too. */
#include "harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    harness_query(frontend_find("aql", NULL), data, size);
    return 0;
}
