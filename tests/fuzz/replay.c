/* replay: a fuzz target's LLVMFuzzerTestOneInput as an ordinary program,
 * run by ctest over the inputs that once crashed the target
 * (tests/fuzz/regress/<target>/), so that each stays a regression test in
 * every build — under the ASan+UBSan build of tests/run.sh too — without
 * clang or libFuzzer. Each argument is a file, read whole and given to the
 * target once. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0, got;
    do {
        if (cap - n < 4096)
            buf = xrealloc(buf, cap = cap * 2 + 4096);
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got);
    int bad = ferror(f);
    fclose(f);
    if (!bad)
        LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    if (bad)
        fprintf(stderr, "%s: read error\n", path);
    return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        if (replay(argv[i]))
            rc = 1;
        else
            printf("replayed %s\n", argv[i]);
    }
    return rc;
}
