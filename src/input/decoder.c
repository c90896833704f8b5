/* decoder: the registry of input formats, in probing order (most specific
 * first, so a generic format never shadows a precise one). */
#include "input/decoder.h"

#include "input/formats.h"

static const decoder *const registry[] = {
    &decoder_evtx,
    &decoder_pcap,
    &decoder_falcon,
    &decoder_winxml,
    &decoder_winjson,
    &decoder_zeek,
    &decoder_zeek_json,
    &decoder_suricata,
    &decoder_panos,
    &decoder_asa,
    &decoder_fortigate,
    &decoder_netfilter,
    &decoder_filterlog,
    &decoder_winfw,
    &decoder_audit,
    &decoder_nfdump,
    &decoder_nfdump_json,
    &decoder_qradar_json,
    &decoder_qradar_csv,
    &decoder_leef,
    &decoder_generic,
    NULL,
};

const decoder *const *decoder_all(void)
{
    return registry;
}

const decoder *decoder_detect(const char *line, size_t len, const input_settings *settings)
{
    for (const decoder *const *d = registry; *d; d++)
        if ((*d)->probe(line, len, settings))
            return *d;
    return NULL;
}

const decoder *decoder_detect_head(const unsigned char *head, size_t len)
{
    for (const decoder *const *d = registry; *d; d++)
        if ((*d)->probe_head && (*d)->probe_head(head, len))
            return *d;
    return NULL;
}

const char *decoder_family(const decoder *d)
{
    return d->family ? d->family : d->name;
}
