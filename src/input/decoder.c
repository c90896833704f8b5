/* decoder: the registry of input formats, in probing order (most specific
 * first, so a generic format never shadows a precise one). */
#include "input/decoder.h"

static const decoder *const registry[] = {
    &decoder_falcon,
    NULL,
};

const decoder *const *decoder_all(void)
{
    return registry;
}

const decoder *decoder_detect(const char *line, size_t len)
{
    for (const decoder *const *d = registry; *d; d++)
        if ((*d)->probe(line, len))
            return *d;
    return NULL;
}

const char *decoder_family(const decoder *d)
{
    return d->family ? d->family : d->name;
}
