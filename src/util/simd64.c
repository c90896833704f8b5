/* simd64: which vector unit the scanners use (see simd64.h). Asked once:
 * the scanners ask for every line, and the answer is the machine's. */
#include "util/simd64.h"

#include <stdlib.h>
#include <string.h>

/* The level MAILC2_SIMD allows: the tests set it to run the narrower
 * builds of each scanner on a CPU that has the wider one. Another value
 * limits nothing (the command line says it is ignored). */
static int allowed(void)
{
    const char *s = getenv("MAILC2_SIMD");
    if (s && !strcmp(s, "avx2"))
        return SIMD64_AVX2;
    if (s && !strcmp(s, "none"))
        return SIMD64_NONE;
    return SIMD64_AVX512;
}

static int detect(void)
{
    int level = SIMD64_NONE;
#ifdef SIMD64_BUILT
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
        __builtin_cpu_supports("bmi2") &&
        __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("pclmul"))
        level = SIMD64_AVX2;
    if (level && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
        level = SIMD64_AVX512;
#endif
    int cap = allowed();
    return level < cap ? level : cap;
}

int simd64_level(void)
{
    static int level = -1; /* the same answer whichever thread writes it */
    int l = __atomic_load_n(&level, __ATOMIC_RELAXED);
    if (l < 0) {
        l = detect();
        __atomic_store_n(&level, l, __ATOMIC_RELAXED);
    }
    return l;
}
