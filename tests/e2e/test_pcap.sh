#!/bin/sh
# Packet captures against tshark, an independent dissector: for every capture
# under ../shared/data/pcap/ and for captures this test makes itself on
# loopback, mailc2's TCP sessions (client, server, packets and frame bytes
# each way) and their app_conformance labels must equal what tshark's own
# dissection gives. The expected label comes from tshark's fields alone:
# SMTP/POP/IMAP request commands seen -> smtp/pop3/imap (with -starttls /
# -stls when STARTTLS / STLS is among them); else a TLS ClientHello -> tls;
# else no payload -> no-data; else not-mail. Damaged and truncated captures
# must name the offset and keep the sessions before it.
#   test_pcap.sh MAILC2 ROOT SCRATCH
set -u
bin=$1 root=$2 tmp=$3
rm -rf "$tmp" && mkdir -p "$tmp"
command -v tshark >/dev/null 2>&1 || { echo "SKIP: tshark is not installed (Debian package tshark)"; exit 77; }
fails=0 checked=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

query="$tmp/sessions.logscale"
printf '%s\n' 'select([id.orig_h, id.orig_p, id.resp_h, id.resp_p, orig_pkts, resp_pkts, orig_frame_bytes, resp_frame_bytes, app_conformance])' >"$query"

# tshark's view of each TCP stream, in the same columns.
tshark_sessions() {
    tshark -r "$1" -T fields -E separator='|' -E aggregator=';' -Y tcp \
        -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport \
        -e frame.len -e tcp.len -e tcp.flags.syn -e tcp.flags.ack \
        -e smtp.req.command -e pop.request.command -e imap.request.command -e tls.handshake.type \
        -e smtp.req.parameter \
        2>/dev/null | awk -F'|' '
    {
        s = $1; src = $2 $3; dst = $5 $6
        if (!(s in a)) { order[++n] = s; a[s] = src; ap[s] = $4; b[s] = dst; bp[s] = $7 }
        # The client (the rule mailc2 documents): the sender of a SYN without
        # ACK, else the receiver of a SYN-ACK, else the side with the higher port.
        if ($10 == "1" && $11 == "0" && !(s in syn)) { syn[s] = 1; a[s] = src; ap[s] = $4; b[s] = dst; bp[s] = $7 }
        else if ($10 == "1" && $11 == "1" && !(s in syn)) { syn[s] = 2; a[s] = dst; ap[s] = $7; b[s] = src; bp[s] = $4 }
        else if (!(s in syn) && pk[s, src ":" $4] + pk[s, dst ":" $7] == 0 && $4 + 0 < $7 + 0) { a[s] = dst; ap[s] = $7; b[s] = src; bp[s] = $4 }
        key = src ":" $4
        pk[s, key]++; by[s, key] += $8; pay[s] += $9
        # tshark cuts SMTP commands at 4 letters: STARTTLS is "STAR" + "TLS".
        cmds = toupper($12 ";" $13 ";" $14)
        if (toupper($12) ~ /(^|;)STAR(;|$)/ && toupper($16) ~ /(^|;)TLS/) tls_up[s] = 1
        if ($12 != "") smtp[s] = 1
        if ($13 != "") pop[s] = 1
        if ($14 != "") imap[s] = 1
        if (cmds ~ /(^|;)(STARTTLS|STLS)(;|$)/) tls_up[s] = 1
        if ($15 ~ /(^|;)1(;|$)/) hello[s] = 1
    }
    END {
        for (i = 1; i <= n; i++) {
            s = order[i]; c = a[s] ":" ap[s]; v = b[s] ":" bp[s]
            if (smtp[s]) l = tls_up[s] ? "smtp-starttls" : "smtp"
            else if (pop[s]) l = tls_up[s] ? "pop3-stls" : "pop3"
            else if (imap[s]) l = tls_up[s] ? "imap-starttls" : "imap"
            else if (hello[s]) l = "tls"
            else if (pay[s] == 0) l = "no-data"
            else l = "not-mail"
            printf "%s,%s,%s,%s,%d,%d,%d,%d,%s\n", a[s], ap[s], b[s], bp[s], pk[s, c], pk[s, v], by[s, c], by[s, v], l
        }
    }' | sort
}

mailc2_sessions() {
    "$bin" run --lang logscale --format csv "$query" "$1" 2>"$2" | tail -n +2 | sort
}

compare() {
    name=$(basename "$1")
    tshark_sessions "$1" >"$tmp/$name.tshark"
    mailc2_sessions "$1" "$tmp/$name.err" >"$tmp/$name.mailc2"
    if ! diff "$tmp/$name.tshark" "$tmp/$name.mailc2" >"$tmp/$name.diff"; then
        fail "$name: sessions differ from tshark's (< tshark, > mailc2)"
        cat "$tmp/$name.diff"
    fi
    grep -q ' 0 bad records' "$tmp/$name.err" || { fail "$name: bad records reported"; cat "$tmp/$name.err"; }
    [ -s "$tmp/$name.tshark" ] || fail "$name: no TCP session at all"
    checked=$((checked + 1))
    echo "$name: $(wc -l <"$tmp/$name.mailc2") sessions: $(cut -d, -f9 "$tmp/$name.mailc2" | sort | uniq -c | tr -s ' ' | tr '\n' ' ')"
}

shared=$root/../shared/data/pcap
if [ -d "$shared" ]; then
    for f in "$shared"/*.pcap; do compare "$f"; done
else
    echo "note: $shared is absent; only the captures made here are checked"
fi

# Captures made here: an SMTP exchange (smtplib against a small server), a
# port-25 peer that speaks no mail, and a TLS handshake on 465. Binding
# ports below 1024 and capturing need root.
if [ "$(id -u)" -eq 0 ] && command -v tcpdump >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1 &&
    command -v openssl >/dev/null 2>&1; then
    # One capture per link type: Ethernet (lo), Linux cooked v1 and v2 (any).
    cap="$tmp/loopback.pcap"
    filter='tcp port 25 or tcp port 465'
    tcpdump -i lo -U -w "$cap" "$filter" 2>"$tmp/tcpdump.err" &
    dump=$!
    tcpdump -i any -y LINUX_SLL -U -w "$tmp/sll.pcap" "$filter" 2>"$tmp/sll.err" &
    sll=$!
    tcpdump -i any -y LINUX_SLL2 -U -w "$tmp/sll2.pcap" "$filter" 2>"$tmp/sll2.err" &
    sll2=$!
    for _ in $(seq 50); do
        grep -q listening "$tmp/tcpdump.err" && grep -q listening "$tmp/sll.err" &&
            grep -q listening "$tmp/sll2.err" && break
        sleep 0.1
    done
    python3 "$root/tests/e2e/data/pcap_traffic.py" 25 >"$tmp/traffic.log" 2>&1 ||
        fail "the loopback traffic did not run: $(cat "$tmp/traffic.log")"
    openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=mail.test -days 1 \
        -keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1
    openssl s_server -accept 465 -key "$tmp/key.pem" -cert "$tmp/cert.pem" -quiet \
        >/dev/null 2>&1 &
    srv=$!
    sleep 1
    echo Q | timeout 5 openssl s_client -connect 127.0.0.1:465 -servername smtp.mail.test \
        >/dev/null 2>&1
    kill "$srv" 2>/dev/null
    sleep 1
    kill "$dump" "$sll" "$sll2" 2>/dev/null; wait "$dump" "$sll" "$sll2" 2>/dev/null
    editcap -F pcapng "$cap" "$tmp/loopback.pcapng"
    for f in "$cap" "$tmp/sll.pcap" "$tmp/sll2.pcap" "$tmp/loopback.pcapng"; do
        compare "$f"
        labels=$(cut -d, -f9 "$tmp/$(basename "$f").mailc2" | sort | tr '\n' ' ')
        [ "$labels" = "not-mail smtp smtp tls " ] ||
            fail "$(basename "$f") labels: '$labels', want 'not-mail smtp smtp tls '"
    done
    "$bin" run --lang logscale --format csv /dev/stdin "$cap" >"$tmp/sni.csv" 2>/dev/null <<'EOF'
app_conformance=tls | select([sni])
EOF
    grep -qx 'smtp.mail.test' "$tmp/sni.csv" || fail "the ClientHello's SNI was not read"
    # Truncated: the sessions before the cut are kept, the offset named.
    size=$(wc -c <"$cap")
    head -c $((size - 30)) "$cap" >"$tmp/cut.pcap"
    "$bin" run --lang logscale --format csv "$query" "$tmp/cut.pcap" >"$tmp/cut.csv" 2>"$tmp/cut.err"
    grep -q 'cut.pcap: offset [0-9]*: pcap: after packet [0-9]*: truncated' "$tmp/cut.err" ||
        { fail "truncated capture: no message with the offset"; cat "$tmp/cut.err"; }
    [ "$(tail -n +2 "$tmp/cut.csv" | wc -l)" -eq 4 ] || fail "truncated capture: want the 4 sessions kept"
    # Damaged: a packet record claiming 1 GB; libpcap stops there.
    cp "$cap" "$tmp/bad.pcap"
    printf '\377\377\377\077' | dd of="$tmp/bad.pcap" bs=1 seek=32 conv=notrunc 2>/dev/null
    "$bin" run --lang logscale --format csv "$query" "$tmp/bad.pcap" >/dev/null 2>"$tmp/bad.err"
    grep -q 'bad.pcap: offset [0-9]*: pcap: after packet 0' "$tmp/bad.err" ||
        { fail "damaged capture: no message with the offset"; cat "$tmp/bad.err"; }
    # Compressed captures read the same.
    gzip -c "$cap" >"$tmp/loopback.pcap.gz"
    mailc2_sessions "$tmp/loopback.pcap.gz" /dev/null >"$tmp/gz.mailc2"
    cmp -s "$tmp/gz.mailc2" "$tmp/loopback.pcap.mailc2" || fail "a gzip capture reads differently"
else
    echo "note: not root or tcpdump/python3/openssl missing: the loopback captures were not made"
fi

[ "$checked" -gt 0 ] || { echo "SKIP: no capture to check (../shared absent and no loopback capture)"; exit 77; }
[ "$fails" -eq 0 ] || exit 1
echo "ok: $checked captures agree with tshark"
