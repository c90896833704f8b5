#!/bin/sh
# test_shared_data.sh - every file in ../shared/data (the real public samples
# described in PROVENANCE.md) through `mailc2 hunt`, checked against counts
# made without mailc2: events decoded, bad records, and outbound connections
# to mail ports (the sum of the count column of the built-in hunt with
# --threshold 0; --window 100000d because some files span more than a day).
# Usage: sh test_shared_data.sh MAILC2 PROJECT_ROOT SCRATCH
# Exit: 0 pass, 1 fail, 77 skip (no ../shared/data beside the checkout).
#
# How the numbers were counted (none of this shares code with mailc2):
# - EVTX: PROVENANCE.md's event counts, made with libevtx's evtxexport; no EVTX
#   sample has a mail port.
# - everything else: a throwaway python3 script (json, re, ipaddress from the
#   standard library) that reads each file on its own terms: Sysmon EID 3 with
#   Initiated=true and Security 5156 with Direction %%14593 to a mail port;
#   Zeek conn/smtp records with local_orig T (or unset and a local originator)
#   to a mail port; Suricata flow records from a local source; PAN-OS TRAFFIC
#   end/drop/deny from a local source; ASA 302013/302015 (outbound: the "to"
#   side initiates), 106100 and 106023 from a local source. "Local" is RFC 1918,
#   100.64/10, loopback, link-local, fc00::/7. Its results agree with the
#   per-file notes of PROVENANCE.md where those give a number.
set -u
bin=$1 root=$2 tmp=$3
data=$root/../shared/data
if [ ! -d "$data" ]; then
    echo "SKIP: $data is absent (shared data is not beside this checkout)"
    exit 77
fi
mkdir -p "$tmp" || exit 1
fails=0
checked=$tmp/checked
: >"$checked"

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# check FILE EVENTS BAD MAIL_CONNECTIONS
check() {
    echo "$1" >>"$checked"
    "$bin" hunt --now latest --window 100000d --threshold 0 --format csv --no-prefilter "$data/$1" \
        >"$tmp/out.csv" 2>"$tmp/err"
    python3 "$root/tests/e2e/seed_columns.py" "$tmp/out.csv" # no triage text, with commas
    summary=$(grep '^mailc2: [0-9]* files,' "$tmp/err")
    events=$(echo "$summary" | sed -n 's/.* \([0-9]*\) events,.*/\1/p')
    bad=$(echo "$summary" | sed -n 's/.* \([0-9]*\) bad records,.*/\1/p')
    # Sum the column named count. Fields are split on commas, so the column
    # is found from the end, where no field can hold a comma: count is
    # followed by first_seen, last_seen, bytes_out, command_line and lacks,
    # of which only command_line may be quoted text with commas; none of
    # these files has a process, so it is empty here.
    conns=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "count") back = NF - i }
                     NR > 1 { s += $(NF - back) } END { print s + 0 }' "$tmp/out.csv")
    if [ "$events/$bad/$conns" != "$2/$3/$4" ]; then
        fail "$1: $events events, $bad bad, $conns mail-port connections; want $2/$3/$4"
        cat "$tmp/err"
    fi
}

# evtx/ (PROVENANCE.md: evtxexport counts; no mail ports)
check evtx/eas_DE_RDP_Tunnel_5156.evtx 101 0 0
check evtx/eas_DE_sysmon-3-rdp-tun.evtx 73 0 0
check evtx/eas_LM_sysmon_psexec_smb_meterpreter.evtx 10 0 0
check evtx/eas_PanacheSysmon_vs_AtomicRedTeam01.evtx 565 0 0
check evtx/eas_tunna_iis_rdp_smb_tunneling_sysmon_3.evtx 12 0 0
check evtx/omer_sysmon.evtx 358 0 0

# falcon/: 23 events (PROVENANCE.md), no mail ports.
check falcon/elastic_fdr_test-fdr_network_process_subset.ndjson 23 0 0

# sysmon/: the proxylogon subset has 8 mail-port records; 4 are outbound
# (MSExchangeHMWorker.exe: Sysmon to 192.168.2.5:25, :587 and 127.0.0.1:25,
# and its 5156 to 127.0.0.1:25); the FrontendTransport ones are inbound.
check sysmon/mordor_proxylogon_ssrf_rce_poc_network_subset.json 383 0 4
check sysmon/mordor_empire_persistence_registry_run_keys_elevated_user.json 657 0 0
# 93 rows; one SyslogMessage is cut at 2012 characters (no </Event>): bad.
# 16 others hold "&lt unknown process&gt " (no ';'), which mailc2 repairs.
check sysmon/mordor_linux_sysmon_syslog_log4shell_jndi_reference.json 92 1 0

# zeek/: 1188 smtp.log records, all from local hosts to 25/587 (PROVENANCE.md).
check zeek/wrccdc2018_smtp.log 1188 0 1188
check zeek/wrccdc2018_smtp.json 1188 0 1188
# known_services is not a connection log: 1579 records, no connections.
check zeek/wrccdc2018_known_services.log 1579 0 0
check zeek/mordor_apt29_day1_SCRANTON_conn.log 134 0 0
# Zeek's test baselines mask ts as XXXXXXXXXX.XXXXXX: every record is bad
# (PROVENANCE.md: "a parser must report them as bad values"), so the 11 + 1 +
# 1 + 2 + 2 mail-port records in them cannot be counted.
check zeek/zeekbaseline_protocols.pop3.basic_conn.log 0 11 0
check zeek/zeekbaseline_protocols.imap.starttls_conn.log 0 1 0
check zeek/zeekbaseline_protocols.pop3.starttls_conn.log 0 1 0
check zeek/zeekbaseline_frameworks.netcontrol.packetfilter_conn.log 0 5 0
check zeek/zeekbaseline_protocols.smtp.basic_smtp.log 0 2 0

# suricata/: 12 events, one flow record (DHCPv6), no mail ports.
check suricata/elastic_suricata_test-eve-small.json 12 0 0

# firewall/: ASA 73 lines; port 25 twice: line 26 (106100 permit,
# 10.0.0.13 -> 192.168.33.31, outbound) and line 63 (106023 deny from
# 192.0.2.95, inbound), so 1 outbound.
check firewall/beats_cisco_asa_sample.log 73 0 1
check firewall/beats_panos_traffic_first12.log 12 0 0
# FortiGate 13 lines, netfilter 24, pfSense filterlog 19 (PROVENANCE.md: no
# mail ports in any; FortiGate's srcintf="port25" and app="icmp6/25/0" are
# not port 25), Windows Firewall 15 records after its 4 header lines.
check firewall/beats_fortigate_traffic.log 13 0 0
check firewall/elastic_iptables_raw.log 24 0 0
check firewall/elastic_pfsense_filterlog_bsd.log 19 0 0
check firewall/plaso_windows_firewall.log 15 0 0

# qradar/: the Ariel mock response: 2 events, UDP 546/547, no mail ports.
check qradar/demisto_qradar_v3_ariel_search_results.json 2 0 0

# pcap/: checked session by session against tshark in test_pcap.sh.
echo "note: pcap/ files are checked by test_pcap.sh (against tshark)"

# Every file must have been checked above.
for f in $(cd "$data" && find . -type f ! -name '*.md' ! -path './pcap/*' | sed 's|^\./||' | sort); do
    grep -qx "$f" "$checked" || fail "$f: no expected counts in this test"
done

# EVTX process context: the Meterpreter powershell connection to 4444 in the
# psexec file (PROVENANCE.md) carries the command line of its Sysmon 1 event,
# `"powershell.exe" -noni -nop -w hidden ...`, unless --no-enrich.
psexec=$data/evtx/eas_LM_sysmon_psexec_smb_meterpreter.evtx
"$bin" hunt --now latest --threshold 0 --ports 4444 --format csv "$psexec" >"$tmp/join.csv" 2>/dev/null
grep -q ',4444,.*"""powershell.exe"" -noni -nop -w hidden' "$tmp/join.csv" ||
    fail "evtx join: the 4444 connection lacks powershell's command line"
"$bin" hunt --no-enrich --now latest --threshold 0 --ports 4444 --format csv "$psexec" \
    >"$tmp/nojoin.csv" 2>/dev/null
grep -q 'powershell.exe"" -noni' "$tmp/nojoin.csv" && fail "evtx: --no-enrich still joined"

if [ "$fails" -eq 0 ]; then
    echo "test_shared_data: all files match"
    exit 0
fi
echo "test_shared_data: $fails failures"
exit 1
