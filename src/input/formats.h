/* formats: the decoders beyond Falcon (issue 6 and the QRadar inputs of
 * issue 5), for the registry in decoder.c. Their header, comment and footer
 * lines (Zeek's #fields, a CSV header row) return DECODE_SKIP. */
#ifndef MAILC2_FORMATS_H
#define MAILC2_FORMATS_H

#include "input/decoder.h"

extern const decoder decoder_evtx;
extern const decoder decoder_winxml;
extern const decoder decoder_winjson;
extern const decoder decoder_zeek;
extern const decoder decoder_zeek_json;
extern const decoder decoder_suricata;
extern const decoder decoder_panos;
extern const decoder decoder_asa;
extern const decoder decoder_qradar_csv;
extern const decoder decoder_qradar_json;
extern const decoder decoder_leef;
extern const decoder decoder_generic;
extern const decoder decoder_pcap;
extern const decoder decoder_fortigate;
extern const decoder decoder_netfilter;
extern const decoder decoder_filterlog;
extern const decoder decoder_winfw;
extern const decoder decoder_audit;
extern const decoder decoder_nfdump;
extern const decoder decoder_nfdump_json;

#endif
