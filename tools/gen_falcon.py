#!/usr/bin/env python3
"""gen_falcon.py - mailc2's synthetic CrowdStrike Falcon telemetry.

mailc2 never ships data copied from elsewhere: every Falcon event in
samples/falcon/ and every benchmark day is written by this script. The events
have the shape a LogScale export of enriched Falcon Data Replicator (FDR) data
has: one JSON object per line, every value a JSON string even when it is a
number ("RemotePort":"25", "ContextTimeStamp":"1795392000.123" in seconds with
three decimals, "timestamp":"1795392000456" in milliseconds), Windows paths in
\\Device\\HarddiskVolumeN\\ form, and ComputerName, ImageFileName and UserName
already joined onto the network events (docs: fields.md, "Falcon"). --fdr
also writes the raw form, as FDR ships it, in which they are missing and
mailc2 must join them back from ProcessRollup2, user-identity events and
the aid_master table.

Output is deterministic: fixed seeds, fixed dates, no wall clock. Running the
same command twice writes byte-identical files.

Usage:
  python3 tools/gen_falcon.py --samples DIR     # the bundled sample set
  python3 tools/gen_falcon.py --bench N OUT      # ~N events, many hosts, OUT or '-'
  python3 tools/gen_falcon.py --fdr N DIR        # ~N events as DIR/raw (an FDR bundle:
                                                 # no ImageFileName/UserName/ComputerName
                                                 # on network events) and DIR/enriched

The sample scenario (which connections must fire, which must not, and why)
is written out by hand in samples/README.md; keep the two in step. So is the
--fdr scenario ("Raw FDR bundle" there; tests/e2e/test_fdr_join.sh checks it).
"""

import argparse
import calendar
import gzip
import hashlib
import json
import os
import random
import sys

SEED = 1071003          # T1071.003
BENCH_SEED = 1071004
CID = "c0ffee00d15ea5e5a1b2c3d4e5f60718"

MS_DAY = 86400000
DAY21 = calendar.timegm((2026, 11, 21, 0, 0, 0)) * 1000
DAY22 = calendar.timegm((2026, 11, 22, 0, 0, 0)) * 1000
DAY23 = calendar.timegm((2026, 11, 23, 0, 0, 0)) * 1000

# The newest event of the whole sample set (a ProcessRollup2, timed by its
# `timestamp` because it has no ContextTimeStamp). `--now latest` anchors here.
NOW = DAY23 + 86399873                  # 2026-11-23T23:59:59.873Z
WINDOW_START = NOW - MS_DAY             # excluded; NOW - MS_DAY + 1 is included

MAIL_PORTS = {25, 465, 587, 110, 995, 143, 993}
# The only processes of the sample set that may touch a mail port; the random
# noise must never, so that samples/README.md can be derived by hand.
MAIL_PORT_PROCS = {"OUTLOOK.EXE", "thunderbird.exe", "eM Client.exe", "msedge.exe",
                   "chrome.exe", "firefox.exe", "ScanToMail.exe", "InvoiceViewer.exe",
                   "outlook.exe", "SyncAgent.exe", "powershell.exe", "python.exe",
                   "sqlservr.exe", "DatabaseMail.exe", "smtp", "smtpd", "master", "nc",
                   "curl", "python3", "perl"}

# Addresses: RFC 1918 inside, RFC 5737 / RFC 3849 documentation ranges outside.
RELAY = "10.20.0.25"
RELAY6 = "2001:db8:20:14:a:b:c:25"      # no zero groups: one spelling only
DNS_SRV = "10.20.0.53"
DC = "10.20.0.10"
IMAP_EXT = "203.0.113.10"
IMAP_EXT6 = "2001:db8:c0:2:1:1:1:993"
SMTP_EXT = "203.0.113.11"
MASQ_C2 = "203.0.113.50"
INVOICE_C2 = "198.51.100.77"
OLD_POP = "10.10.8.14"
WEB_IPS = ["192.0.2.%d" % i for i in range(10, 60, 3)] + \
          ["198.51.100.%d" % i for i in range(120, 160, 4)]
WEB6 = ["2001:db8:5e:%x:0:0:0:1" % i for i in range(1, 9)]

WIN_SYS = "\\Device\\HarddiskVolume3\\Windows\\System32\\"
WIN_PF = "\\Device\\HarddiskVolume3\\Program Files\\"
WIN_PF86 = "\\Device\\HarddiskVolume3\\Program Files (x86)\\"
SQL_BINN = ("\\Device\\HarddiskVolume2\\Program Files\\Microsoft SQL Server\\"
            "MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\")

P = {
    "outlook": WIN_PF + "Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
    "thunderbird": WIN_PF + "Mozilla Thunderbird\\thunderbird.exe",
    "emclient": WIN_PF86 + "eM Client\\eM Client.exe",
    "msedge": WIN_PF86 + "Microsoft\\Edge\\Application\\msedge.exe",
    "chrome": WIN_PF + "Google\\Chrome\\Application\\chrome.exe",
    "firefox": WIN_PF + "Mozilla Firefox\\firefox.exe",
    "teams": "\\Device\\HarddiskVolume3\\Program Files\\WindowsApps\\"
             "MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe",
    "svchost": WIN_SYS + "svchost.exe",
    "lsass": WIN_SYS + "lsass.exe",
    "explorer": "\\Device\\HarddiskVolume3\\Windows\\explorer.exe",
    "powershell": WIN_SYS + "WindowsPowerShell\\v1.0\\powershell.exe",
    "taskhostw": WIN_SYS + "taskhostw.exe",
    "onedrive": "\\Device\\HarddiskVolume3\\Program Files\\Microsoft OneDrive\\OneDrive.exe",
    "python": "\\Device\\HarddiskVolume3\\Users\\cnakamura\\AppData\\Local\\Programs\\"
              "Python\\Python312\\python.exe",
    "scan": WIN_PF86 + "ScanUtility\\ScanToMail.exe",
    "syncagent": WIN_PF + "Contoso\\SyncAgent\\SyncAgent.exe",
    "invoice": "\\Device\\HarddiskVolume3\\Users\\amoreau\\Downloads\\"
               "Invoice_2026-11, signed\\InvoiceViewer.exe",
    "fake_outlook": "\\Device\\HarddiskVolume3\\Users\\bwilson\\AppData\\Roaming\\"
                    "Microsoft\\Windows\\outlook.exe",
    "sqlservr": SQL_BINN + "sqlservr.exe",
    "dbmail": SQL_BINN + "DatabaseMail.exe",
    "sqlagent": SQL_BINN + "SQLAGENT.EXE",
    "mssense": WIN_PF + "Windows Defender Advanced Threat Protection\\MsSense.exe",
    "nc": "/usr/bin/nc",
    "curl": "/usr/bin/curl",
    "python3": "/usr/bin/python3",
    "perl": "/usr/bin/perl",
    "pf_smtp": "/usr/lib/postfix/sbin/smtp",
    "pf_smtpd": "/usr/lib/postfix/sbin/smtpd",
    "pf_master": "/usr/lib/postfix/sbin/master",
    "sshd": "/usr/sbin/sshd",
    "node": "/usr/bin/node",
    "apt": "/usr/lib/apt/methods/http",
    "resolved": "/usr/lib/systemd/systemd-resolved",
    "bash": "/usr/bin/bash",
    "cron": "/usr/sbin/cron",
}

DOMAINS = ["www.example.com", "cdn.example.net", "login.example.org",
           "api.example.com", "static.example.net", "news.example.org",
           "docs.example.com", "telemetry.example.net", "update.example.org",
           "teams.example.com", "files.example.net", "intranet.corp.example"]


def ts_text(ms):
    """Milliseconds -> Falcon ContextTimeStamp text: seconds, 3 decimals."""
    return "%d.%03d" % (ms // 1000, ms % 1000)


def at(day, hms):
    """at(DAY23, "09:30:12.004") -> ms since the epoch."""
    h, m, s = hms.split(":")
    sec, _, frac = s.partition(".")
    return day + ((int(h) * 60 + int(m)) * 60 + int(sec)) * 1000 + int((frac + "000")[:3])


def hexhash(kind, text):
    return getattr(hashlib, kind)(text.encode()).hexdigest()


class Host:
    def __init__(self, rng, name, platform, ip, users, role):
        self.name = name
        self.platform = platform            # "Win" or "Lin"
        self.ip = ip
        self.users = users                  # {login: sid or uid}
        self.role = role
        self.aid = "%032x" % rng.getrandbits(128)
        self.aip = "203.0.113.%d" % rng.randrange(200, 250)
        self.cfg_build = "1007.3.0019507.1" if platform == "Win" else "1007.8.0018904.1"
        self.cfg_hash = str(rng.randrange(10**9, 4 * 10**9))

    def ip_suffix(self):
        return int(self.ip.rsplit(".", 1)[1])


class Proc:
    """One process instance: what a ProcessRollup2 announces."""
    def __init__(self, host, path, user, cmd, pid, raw_pid, parent, start):
        self.host, self.path, self.user, self.cmd = host, path, user, cmd
        self.pid, self.raw_pid, self.parent, self.start = pid, raw_pid, parent, start


class Gen:
    """Builds events. Each event is (time_ms, dict); files are sorted later."""

    def __init__(self, seed):
        self.rng = random.Random(seed)

    # --- identifiers -------------------------------------------------------
    def uuid(self):
        r = self.rng.getrandbits(128)
        h = "%032x" % r
        return "%s-%s-11f1-%s-%s" % (h[:8], h[8:12], h[16:20], h[20:32])

    def lag(self):
        return self.rng.randrange(20, 420)

    def proc(self, host, path, user, cmd, start, parent=None):
        if host.platform == "Win":
            pid = self.rng.randrange(10**11, 10**12)
            raw = self.rng.randrange(1000, 30000, 4)
        else:
            pid = self.rng.randrange(10**13, 10**14)
            raw = self.rng.randrange(300, 400000)
        return Proc(host, path, user, cmd, pid, raw, parent, start)

    # --- events ------------------------------------------------------------
    def _base(self, host, simple, name_win, name_lin, t, context=True):
        ev = {
            "ComputerName": host.name,
            "ConfigBuild": host.cfg_build,
            "ConfigStateHash": host.cfg_hash,
            "Entitlements": "15",
            "aid": host.aid,
            "aip": host.aip,
            "cid": CID,
            "event_platform": host.platform,
            "event_simpleName": simple,
            "id": self.uuid(),
            "name": name_win if host.platform == "Win" else name_lin,
            "timestamp": str(t + self.lag()),
        }
        if host.platform == "Win":
            ev["EffectiveTransmissionClass"] = "3"
        if context:
            ev["ContextTimeStamp"] = ts_text(t)
        return ev

    def pr2(self, p, lag=None):
        """ProcessRollup2. Like real FDR it has no ContextTimeStamp: its time
        is `timestamp` (ms), shortly after ProcessStartTime."""
        h = p.host
        t = p.start + (self.lag() if lag is None else lag)
        ev = self._base(h, "ProcessRollup2", "ProcessRollup2V19", "ProcessRollup2LinV6",
                        p.start, context=False)
        ev["timestamp"] = str(t)            # replaces _base's start + lag
        parent = p.parent
        ev.update({
            "CommandLine": p.cmd,
            "ImageFileName": p.path,
            "MD5HashData": hexhash("md5", p.path),
            "SHA1HashData": "0000000000000000000000000000000000000000",
            "SHA256HashData": hexhash("sha256", p.path),
            "ParentProcessId": str(parent.pid if parent else p.pid - 7919),
            "ProcessEndTime": "",
            "ProcessStartTime": ts_text(p.start),
            "RawProcessId": str(p.raw_pid),
            "SourceProcessId": str(parent.pid if parent else p.pid - 7919),
            "SourceThreadId": str(self.rng.randrange(10**11, 10**14)),
            "TargetProcessId": str(p.pid),
        })
        if p.user is not None:
            ev["UserName"] = p.user
        if parent is not None:
            ev["ParentBaseFileName"] = parent.path.replace("/", "\\").rsplit("\\", 1)[-1]
        if h.platform == "Win":
            system = p.user is None or p.user.startswith(("NT ", "NT SERVICE"))
            ev.update({
                "AuthenticationId": "999" if system else str(self.rng.randrange(10**6, 10**7)),
                "ImageSubsystem": "2" if p.path.endswith(("exe", "EXE")) else "3",
                "IntegrityLevel": "16384" if system else "8192",
                "ProcessCreateFlags": "1024",
                "ProcessParameterFlags": "24577",
                "ProcessSxsFlags": "64",
                "SessionId": "0" if system else "1",
                "TokenType": "1",
                "UserSid": h.users.get(p.user, "S-1-5-18"),
                "WindowFlags": "128",
            })
        else:
            uid = h.users.get(p.user, "0")
            ev.update({"GID": uid, "RGID": uid, "RUID": uid, "SVGID": uid,
                       "SVUID": uid, "UID": uid,
                       "ProcessGroupId": str(p.pid),
                       "SessionProcessId": str(p.pid)})
        return (t, ev)

    def _net(self, p, simple, t, local_ip, lport, rip, rport, direction, proto):
        """Any Network* event: addresses as local/remote, oriented by
        ConnectionDirection (0 out, 1 in, 2 neither), as Falcon writes them."""
        h = p.host
        v6 = simple.endswith("IP6")
        ev = self._base(h, simple, simple + "V5", simple + "LinV5", t)
        ev.update({
            "ConnectionDirection": direction,
            "ConnectionFlags": "0",
            "ContextProcessId": str(p.pid),
            "InContext": "0",
            "LocalPort": str(lport),
            "Protocol": proto,
            "RemotePort": str(rport),
            "ImageFileName": p.path,
            "ContextBaseFileName": p.path.replace("/", "\\").rsplit("\\", 1)[-1],
        })
        if v6:
            ev["LocalAddressIP6"] = local_ip
            ev["RemoteAddressIP6"] = rip
        else:
            ev["LocalAddressIP4"] = local_ip
            ev["RemoteAddressIP4"] = rip
        if p.user is not None:
            ev["UserName"] = p.user
        return (t, ev)

    def eport(self):
        return self.rng.randrange(49152, 65535)

    def connect(self, p, t, rip, rport, proto="6", direction="0"):
        v6 = ":" in rip
        simple = "NetworkConnectIP6" if v6 else "NetworkConnectIP4"
        local = ("2001:db8:10:%x:0:0:0:%x" % (3, p.host.ip_suffix())) if v6 else p.host.ip
        if direction == "1":
            local = "0:0:0:0:0:0:0:0" if v6 else "0.0.0.0"
            return self._net(p, simple, t, local, 0, rip, rport, direction, proto)
        return self._net(p, simple, t, local, self.eport(), rip, rport, direction, proto)

    def close(self, p, t, rip, rport):
        simple = "NetworkCloseIP6" if ":" in rip else "NetworkCloseIP4"
        local = "0:0:0:0:0:0:0:0" if ":" in rip else p.host.ip
        return self._net(p, simple, t, local, self.eport(), rip, rport, "2", "6")

    def accept(self, p, t, rip, lport):
        return self._net(p, "NetworkReceiveAcceptIP4", t,
                         p.host.ip, lport, rip, self.eport(), "1", "6")

    def listen(self, p, t, lport):
        return self._net(p, "NetworkListenIP4", t,
                         "0.0.0.0", lport, "0.0.0.0", 0, "2", "6")

    def dns(self, p, t, domain):
        h = p.host
        ev = self._base(h, "DnsRequest", "DnsRequestV4", "DnsRequestLinV2", t)
        ev.update({
            "ContextProcessId": str(p.pid),
            "DomainName": domain,
            "DualRequest": "0",
            "InterfaceIndex": "0" if h.platform == "Lin" else "7",
            "RequestType": "1",
        })
        return (t, ev)


# ----------------------------------------------------------------------------
# The sample scenario
# ----------------------------------------------------------------------------

def sample_scenario(g):
    """Returns {file name: [(time_ms, event), ...]} for the bundled sample set.
    Every counted connection is planted at an explicit time below; everything
    drawn at random is noise that can never reach a mail port."""
    rng = g.rng
    files = {"workstations.ndjson": [], "servers.ndjson": [],
             "lnx-app-01-backfill.ndjson": []}
    WS = files["workstations.ndjson"]
    SRV = files["servers.ndjson"]
    OLD = files["lnx-app-01-backfill.ndjson"]

    fin = Host(rng, "WS-FIN-0142", "Win", "10.30.1.142",
               {"CORP\\amoreau": "S-1-5-21-3817290154-2466911738-1020442971-1142"},
               "workstation")
    eng = Host(rng, "WS-ENG-0077", "Win", "10.30.2.77",
               {"CORP\\bwilson": "S-1-5-21-3817290154-2466911738-1020442971-1077"},
               "workstation")
    ops = Host(rng, "WS-OPS-0213", "Win", "10.30.3.213",
               {"CORP\\cnakamura": "S-1-5-21-3817290154-2466911738-1020442971-1213"},
               "workstation")
    lnx = Host(rng, "LNX-APP-01", "Lin", "10.20.5.11",
               {"root": "0", "postfix": "113", "svc-report": "1002",
                "svc-monitor": "1003", "www-data": "33", "_apt": "42",
                "systemd-resolve": "991"}, "linux")
    sql = Host(rng, "SQL-PRD-02", "Win", "10.20.6.12",
               {"NT SERVICE\\MSSQLSERVER": "S-1-5-80-3880718306-3832830129-1677859214-2598158968-1052248003",
                "NT SERVICE\\SQLSERVERAGENT": "S-1-5-80-344959196-2060754871-2302487193-2804545603-1466107430",
                "NT AUTHORITY\\SYSTEM": "S-1-5-18"}, "sql")

    def boot(host, path, user, cmd, start, parent=None, out=None, emit=True):
        p = g.proc(host, path, user, cmd, start, parent)
        if emit:
            (out if out is not None else (WS if host.role == "workstation" else SRV)).append(g.pr2(p))
        return p

    # ---- background on every Windows host (all day, never mail ports) ----
    for h in (fin, eng, ops, sql):
        svc = boot(h, P["svchost"], "NT AUTHORITY\\SYSTEM",
                   "C:\\WINDOWS\\system32\\svchost.exe -k NetworkService -p -s Dnscache",
                   DAY23 - 3 * MS_DAY, emit=False)
        svc2 = boot(h, P["svchost"], "NT AUTHORITY\\SYSTEM",
                    "C:\\WINDOWS\\system32\\svchost.exe -k netsvcs -p -s wuauserv",
                    DAY23 - 3 * MS_DAY, emit=False)
        lsass = boot(h, P["lsass"], "NT AUTHORITY\\SYSTEM", "C:\\WINDOWS\\system32\\lsass.exe",
                     DAY23 - 3 * MS_DAY, emit=False)
        out = WS if h.role == "workstation" else SRV
        for _ in range(40):
            t = DAY23 + rng.randrange(60000, MS_DAY - 120000)
            out.append(g.connect(svc, t, DNS_SRV, 53, proto="17"))
            out.append(g.dns(svc, t - 3, rng.choice(DOMAINS)))
        for _ in range(12):
            t = DAY23 + rng.randrange(60000, MS_DAY - 120000)
            out.append(g.connect(svc2, t, rng.choice(WEB_IPS), 443))
        for _ in range(8):
            t = DAY23 + rng.randrange(60000, MS_DAY - 120000)
            out.append(g.connect(lsass, t, DC, rng.choice([88, 389, 3268])))

    # ---- workstations: a working day ---------------------------------------
    def workday(h, user, login, logout, browsers, clients):
        """browsers: [(path, n443)], clients: [(path, [(dst, port, n)])]"""
        explorer = boot(h, P["explorer"], user, "C:\\WINDOWS\\Explorer.EXE", login)
        procs = {"explorer": explorer}
        for path, n443 in browsers:
            b = boot(h, path, user, '"%s" --profile-directory=Default' %
                     path.replace("\\Device\\HarddiskVolume3", "C:"),
                     login + rng.randrange(30000, 300000), explorer)
            procs[path] = b
            for _ in range(n443):
                t = rng.randrange(b.start + 2000, logout)
                ip = rng.choice(WEB_IPS + WEB6[:2])
                WS.append(g.connect(b, t, ip, 443))
                WS.append(g.dns(b, t - 40, rng.choice(DOMAINS)))
            for _ in range(n443 // 6):
                WS.append(g.connect(b, rng.randrange(b.start + 2000, logout),
                                    rng.choice(WEB_IPS), 80))
        teams = boot(h, P["teams"], user, '"ms-teams.exe" msteams:system-initiated',
                     login + 45000, explorer)
        for _ in range(25):
            WS.append(g.connect(teams, rng.randrange(teams.start + 1000, logout),
                                rng.choice(WEB_IPS), 443))
        od = boot(h, P["onedrive"], user, '"OneDrive.exe" /background', login + 52000, explorer)
        for _ in range(10):
            WS.append(g.connect(od, rng.randrange(od.start + 1000, logout),
                                rng.choice(WEB_IPS), 443))
        for path, sessions in clients:
            c = boot(h, path, user, '"%s"' % path.replace("\\Device\\HarddiskVolume3", "C:"),
                     login + rng.randrange(60000, 240000), explorer)
            procs[path] = c
            for dst, port, n in sessions:
                for _ in range(n):
                    t = rng.randrange(c.start + 2000, logout)
                    WS.append(g.connect(c, t, dst, port))
        # a few short-lived system tasks
        for _ in range(6):
            boot(h, P["taskhostw"], user, "taskhostw.exe -RegisterDevice -ProtectionStateChanged",
                 rng.randrange(login, logout), None)
        return procs

    # WS-FIN-0142: Outlook (IMAP/SMTP accounts), Edge, Chrome; ScanToMail
    # near miss; the InvoiceViewer.exe positive (path with a comma).
    U = "CORP\\amoreau"
    fp = workday(fin, U, at(DAY23, "07:52:10.331"), at(DAY23, "17:48:02.090"),
                 [(P["msedge"], 60), (P["chrome"], 30)],
                 [(P["outlook"], [(IMAP_EXT, 993, 30), (SMTP_EXT, 587, 9),
                                  (IMAP_EXT6, 993, 6)])])
    edge = fp[P["msedge"]]
    for hms in ("09:12:44.120", "11:40:03.908", "13:05:51.200", "15:33:17.004", "16:10:09.777"):
        WS.append(g.connect(edge, at(DAY23, hms), IMAP_EXT, 993))
    scan = boot(fin, P["scan"], U, '"C:\\Program Files (x86)\\ScanUtility\\ScanToMail.exe" /tray',
                at(DAY23, "08:01:15.500"), fp["explorer"])
    for hms in ("10:22:31.418", "14:47:05.263"):
        WS.append(g.connect(scan, at(DAY23, hms), RELAY, 587))
    scan_trunc = g.connect(scan, at(DAY23, "16:05:40.731"), RELAY, 587)   # written truncated
    inv = boot(fin, P["invoice"], U,
               '"C:\\Users\\amoreau\\Downloads\\Invoice_2026-11, signed\\InvoiceViewer.exe"',
               at(DAY23, "11:02:47.118"), fp["explorer"])
    WS.append(g.dns(inv, at(DAY23, "11:03:01.002"), "mx.invoice-portal.example"))
    inv_times = {465: ["11:03:02.517", "11:48:19.006", "12:33:40.250",
                       "13:18:55.999", "14:04:12.730", "14:49:30.001"],
                 587: ["11:25:41.873", "12:11:00.400", "12:56:18.125",
                       "13:41:33.666", "14:26:51.090", "15:12:08.555"]}
    for port, hmss in inv_times.items():
        for hms in hmss:
            WS.append(g.connect(inv, at(DAY23, hms), INVOICE_C2, port))

    # WS-ENG-0077: Thunderbird, Firefox; the Atomic Red Team Send-MailMessage
    # runs; a masquerading outlook.exe; SyncAgent with ConnectionDirection 1.
    U = "CORP\\bwilson"
    ep = workday(eng, U, at(DAY23, "08:15:40.112"), at(DAY23, "18:20:55.500"),
                 [(P["firefox"], 70)],
                 [(P["thunderbird"], [(IMAP_EXT, 993, 20), (SMTP_EXT, 465, 7)])])
    ff = ep[P["firefox"]]
    for hms in ("09:40:10.010", "12:02:33.333", "16:45:00.500", "17:01:12.120"):
        WS.append(g.connect(ff, at(DAY23, hms), SMTP_EXT, 465))
    for hms in ("10:05:05.050", "13:13:13.130", "15:15:15.150"):
        WS.append(g.connect(ff, at(DAY23, hms), IMAP_EXT, 995))
    ps_parent = boot(eng, P["powershell"], U,
                     '"C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" '
                     '-NoProfile -Command "Import-Module invoke-atomicredteam; '
                     'Invoke-AtomicTest T1071.003"',
                     at(DAY23, "10:12:58.400"), ep["explorer"])
    WS.append(g.connect(ps_parent, at(DAY23, "10:13:02.250"), WEB_IPS[3], 443))
    art_cmd = ('"powershell.exe" & {Send-MailMessage -From test@corp.example '
               '-To test@corp.example -Subject "T1071.003 Atomic Test" '
               '-Body "Atomic Red Team Test" -SmtpServer 127.0.0.1}')
    for start, conn in (("10:14:06.300", "10:14:07.512"), ("10:16:40.001", "10:16:41.090"),
                        ("10:21:02.150", "10:21:03.377"), ("14:02:54.620", "14:02:55.804")):
        ps = boot(eng, P["powershell"], U, art_cmd, at(DAY23, start), ps_parent)
        WS.append(g.connect(ps, at(DAY23, conn), "127.0.0.1", 25))
    fake = boot(eng, P["fake_outlook"], U,
                '"C:\\Users\\bwilson\\AppData\\Roaming\\Microsoft\\Windows\\outlook.exe" -k',
                at(DAY23, "09:03:33.003"), ep["explorer"])
    for i in range(9):
        WS.append(g.connect(fake, at(DAY23, "09:05:00.000") + i * 3600000 + rng.randrange(0, 60000),
                            MASQ_C2, 587))
    sync = boot(eng, P["syncagent"], "NT AUTHORITY\\SYSTEM",
                '"C:\\Program Files\\Contoso\\SyncAgent\\SyncAgent.exe" --service',
                DAY23 - MS_DAY, emit=False)
    for i in range(6):
        WS.append(g.connect(sync, at(DAY23, "08:30:00.000") + i * 5400000 + rng.randrange(0, 9000),
                            IMAP_EXT, 993, direction="1"))

    # WS-OPS-0213: eM Client, Chrome; python.exe smtplib report (fires) and
    # a python.exe test script on 2525 (does not).
    U = "CORP\\cnakamura"
    op = workday(ops, U, at(DAY23, "06:48:03.903"), at(DAY23, "19:02:41.020"),
                 [(P["chrome"], 70)],
                 [(P["emclient"], [(IMAP_EXT, 143, 15), (SMTP_EXT, 587, 5), (IMAP_EXT, 995, 10)])])
    ch = op[P["chrome"]]
    for hms in ("08:20:20.200", "10:40:40.400", "13:30:30.300", "17:17:17.170"):
        WS.append(g.connect(ch, at(DAY23, hms), SMTP_EXT, 587))
    sched = boot(ops, P["svchost"], "NT AUTHORITY\\SYSTEM",
                 "C:\\WINDOWS\\system32\\svchost.exe -k netsvcs -p -s Schedule",
                 DAY23 - 2 * MS_DAY, emit=False)
    py_cmd = ('"C:\\Users\\cnakamura\\AppData\\Local\\Programs\\Python\\Python312\\python.exe" '
              'C:\\ops\\scripts\\send_shift_report.py --smtp 10.20.0.25 --port 25')
    py_conn = ["07:00:04.118", "08:00:03.902", "09:00:05.555", "10:00:04.004",
               "11:00:03.871", "12:00:06.090", "13:00:04.444", "14:00:03.313",
               "15:00:05.125", "16:00:04.686", "17:00:03.030", "18:00:04.999"]
    for hms in py_conn:
        t = at(DAY23, hms)
        py = boot(ops, P["python"], U, py_cmd, t - 1700, sched)
        WS.append(g.connect(py, t, RELAY, 25))
    py_bad = g.connect(boot(ops, P["python"], U, py_cmd, at(DAY23, "12:30:02.000"), sched),
                       at(DAY23, "12:30:03.210"), RELAY, 25)     # written with a bad escape
    pyt = boot(ops, P["python"], U,
               '"C:\\Users\\cnakamura\\AppData\\Local\\Programs\\Python\\Python312\\python.exe" '
               'C:\\ops\\dev\\notify_test.py --smtp 10.20.0.25 --port 2525 --loop 15',
               at(DAY23, "15:20:00.250"), op["explorer"])
    for i in range(15):
        WS.append(g.connect(pyt, at(DAY23, "15:20:01.000") + i * 20000 + rng.randrange(0, 900),
                            RELAY, 2525))

    # The newest event of the set: a ProcessRollup2 (no ContextTimeStamp).
    last = g.proc(eng, P["taskhostw"], "CORP\\bwilson",
                  "taskhostw.exe Install $(Arg0)", NOW - 212, None)
    WS.append(g.pr2(last, lag=212))

    # ---- LNX-APP-01 ---------------------------------------------------------
    def lin_boot(path, user, cmd, start, parent=None, out=SRV):
        return boot(lnx, path, user, cmd, start, parent, out=out)

    resolved = g.proc(lnx, P["resolved"], "systemd-resolve", "/usr/lib/systemd/systemd-resolved",
                      DAY23 - 9 * MS_DAY)
    sshd = g.proc(lnx, P["sshd"], "root", "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
                  DAY23 - 9 * MS_DAY)
    node = g.proc(lnx, P["node"], "www-data", "/usr/bin/node /srv/app/server.js",
                  DAY23 - 4 * MS_DAY)
    master = g.proc(lnx, P["pf_master"], "root", "/usr/lib/postfix/sbin/master -w",
                    DAY23 - 9 * MS_DAY)
    for _ in range(60):
        t = DAY23 + rng.randrange(0, MS_DAY - 60000)
        SRV.append(g.connect(node, t, rng.choice(["10.20.7.21", "10.20.7.22"]),
                             rng.choice([5432, 6379])))
    for _ in range(30):
        t = DAY23 + rng.randrange(0, MS_DAY - 60000)
        SRV.append(g.dns(resolved, t, rng.choice(DOMAINS)))
        SRV.append(g.connect(resolved, t + 2, DNS_SRV, 53, proto="17"))
    for _ in range(14):
        t = DAY23 + rng.randrange(0, MS_DAY - 60000)
        SRV.append(g.accept(sshd, t, "10.30.%d.%d" % (rng.randrange(1, 4), rng.randrange(2, 250)), 22))
    SRV.append(g.listen(master, at(DAY23, "03:00:01.417"), 25))
    smtpd = g.proc(lnx, P["pf_smtpd"], "postfix", "smtpd -n smtp -t inet -u -c", DAY23 - MS_DAY)
    for _ in range(20):                       # inbound SMTP: ConnectionDirection 1
        t = DAY23 + rng.randrange(0, MS_DAY - 60000)
        SRV.append(g.accept(smtpd, t, "10.20.%d.%d" % (rng.randrange(0, 8), rng.randrange(2, 250)), 25))
    # apt update at 06:25
    apt = lin_boot(P["apt"], "_apt", "/usr/lib/apt/methods/http", at(DAY23, "06:25:00.120"))
    for i in range(8):
        SRV.append(g.connect(apt, at(DAY23, "06:25:01.000") + i * 700, rng.choice(WEB_IPS), 80))
    # postfix smtp client relaying over IPv6 (fires: an MTA on a server)
    pf_times = [["02:14:09.310", "05:40:51.047", "08:03:12.775", "09:59:59.999"],
                ["13:27:45.618", "16:42:03.090", "19:15:27.256", "22:48:00.001"]]
    for k, batch in enumerate(pf_times):
        smtp = lin_boot(P["pf_smtp"], "postfix", "smtp -t unix -u -c", at(DAY23, batch[0]) - 900)
        for hms in batch:
            t = at(DAY23, hms)
            SRV.append(g.connect(smtp, t, RELAY6, 25))
            SRV.append(g.close(smtp, t + 180, RELAY6, 25))
    # Atomic Red Team: nc to 127.0.0.1:110 and curl to 127.0.0.1:143
    bash = lin_boot(P["bash"], "root", "-bash", at(DAY23, "09:28:30.700"), sshd)
    for start, conn in (("09:30:11.870", "09:30:12.004"), ("09:30:44.500", "09:30:44.610"),
                        ("09:31:20.801", "09:31:20.918")):
        nc = lin_boot(P["nc"], "root", "nc 127.0.0.1 110", at(DAY23, start), bash)
        t = at(DAY23, conn)
        SRV.append(g.connect(nc, t, "127.0.0.1", 110))
        SRV.append(g.close(nc, t + 5012, "127.0.0.1", 110))
    for start, conn in (("09:35:02.040", "09:35:02.197"), ("09:35:30.611", "09:35:30.700"),
                        ("09:36:05.300", "09:36:05.411"), ("09:36:49.950", "09:36:50.102")):
        cu = lin_boot(P["curl"], "root",
                      "curl -s --connect-timeout 5 imap://127.0.0.1:143/ --user test:test",
                      at(DAY23, start), bash)
        t = at(DAY23, conn)
        SRV.append(g.connect(cu, t, "127.0.0.1", 143))
        SRV.append(g.close(cu, t + 3, "127.0.0.1", 143))
    # cron jobs that straddle midnight 22/23 (window boundary)
    cron = g.proc(lnx, P["cron"], "root", "/usr/sbin/cron -f -P", DAY23 - 9 * MS_DAY)
    rep = lin_boot(P["python3"], "svc-report",
                   "/usr/bin/python3 /opt/report/send_nightly.py --relay 10.20.0.25",
                   at(DAY22, "23:59:58.311"), cron, out=OLD)
    OLD.append(g.connect(rep, WINDOW_START + 1, RELAY, 25))          # first one inside
    for hms in ("00:00:02.310", "00:00:04.552"):
        SRV.append(g.connect(rep, at(DAY23, hms), RELAY, 25))
    mon = lin_boot(P["perl"], "svc-monitor",
                   "/usr/bin/perl /opt/monitor/notify_smtp.pl --relay 10.20.0.25",
                   at(DAY22, "23:59:58.020"), cron, out=OLD)
    OLD.append(g.connect(mon, WINDOW_START, RELAY, 25))              # exactly 24 h: out
    for hms in ("00:00:01.002", "00:00:03.118"):
        SRV.append(g.connect(mon, at(DAY23, hms), RELAY, 25))

    # ---- LNX-APP-01 backfill: 2026-11-21 and 2026-11-22 ----------------------
    bash_old = lin_boot(P["bash"], "root", "-bash", at(DAY21, "15:58:00.010"), sshd, out=OLD)
    for i, hms in enumerate(("16:02:11.100", "16:02:14.350", "16:02:17.902",
                             "16:02:21.004", "16:02:24.560", "16:02:28.077")):
        nc = lin_boot(P["nc"], "root", "nc -w 3 10.10.8.14 110", at(DAY21, hms) - 120,
                      bash_old, out=OLD)
        OLD.append(g.connect(nc, at(DAY21, hms), OLD_POP, 110))
        OLD.append(g.close(nc, at(DAY21, hms) + 3001, OLD_POP, 110))
    bash22 = lin_boot(P["bash"], "root", "-bash", at(DAY22, "20:03:40.000"), sshd, out=OLD)
    for start, conn in (("20:05:00.010", "20:05:00.123"), ("20:05:31.333", "20:05:31.456")):
        nc = lin_boot(P["nc"], "root", "nc 127.0.0.1 110", at(DAY22, start), bash22, out=OLD)
        OLD.append(g.connect(nc, at(DAY22, conn), "127.0.0.1", 110))
    for _ in range(10):
        t = DAY22 + rng.randrange(0, MS_DAY - 120000)
        OLD.append(g.dns(resolved, t, rng.choice(DOMAINS)))
        OLD.append(g.connect(node, t + 500, "10.20.7.21", 5432))

    # ---- SQL-PRD-02 ---------------------------------------------------------
    S = "NT SERVICE\\MSSQLSERVER"
    sqlservr = g.proc(sql, P["sqlservr"], S, '"C:\\Program Files\\Microsoft SQL Server\\'
                      'MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe" -sMSSQLSERVER',
                      DAY23 - 20 * MS_DAY)
    agent = g.proc(sql, P["sqlagent"], "NT SERVICE\\SQLSERVERAGENT", "SQLAGENT.EXE -i MSSQLSERVER",
                   DAY23 - 20 * MS_DAY)
    for hh in range(24):                      # hourly Database Mail alert via sqlservr.exe
        t = DAY23 + hh * 3600000 + 5000 + 41 * hh     # hh:00:05.000 + 41 ms per hour
        SRV.append(g.connect(sqlservr, t, RELAY, 587))
    for _ in range(80):                       # clients of the database (inbound 1433)
        t = DAY23 + rng.randrange(0, MS_DAY - 60000)
        SRV.append(g.accept(sqlservr, t, "10.20.5.%d" % rng.choice([11, 12, 13]), 1433))
    for _ in range(20):
        t = DAY23 + rng.randrange(0, MS_DAY - 60000)
        SRV.append(g.connect(agent, t, DC, 445))
    # DatabaseMail.exe: instance 1 started before the day (no ProcessRollup2 in
    # the set, so no UserName on its events); instance 2 launched at 13:00.
    db1 = g.proc(sql, P["dbmail"], None, "DatabaseMail.exe", DAY23 - 300000)
    for hms in ("00:00:06.045", "00:02:11.502", "00:04:40.990", "00:06:02.116", "00:07:55.870"):
        SRV.append(g.connect(db1, at(DAY23, hms), RELAY, 587))
    db2 = boot(sql, P["dbmail"], S,
               '"C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\'
               'DatabaseMail.exe" MSSQLSERVER', at(DAY23, "13:00:01.250"), None)
    for hms in ("13:00:03.007", "13:01:47.482", "13:04:12.640", "13:06:30.333", "13:09:05.808"):
        SRV.append(g.connect(db2, at(DAY23, hms), RELAY, 587))
    sense = g.proc(sql, P["mssense"], "NT AUTHORITY\\SYSTEM", "MsSense.exe", DAY23 - 20 * MS_DAY)
    for _ in range(20):
        t = DAY23 + rng.randrange(0, MS_DAY - 60000)
        SRV.append(g.connect(sense, t, rng.choice(WEB_IPS), 443))

    bad = {"truncated": scan_trunc, "bad_escape": py_bad}
    return files, bad


def dump(ev):
    return json.dumps(ev, sort_keys=True, separators=(",", ":"))


def write_samples(outdir):
    g = Gen(SEED)
    files, bad = sample_scenario(g)
    os.makedirs(outdir, exist_ok=True)
    report = []
    for fname, evs in files.items():
        evs.sort(key=lambda te: (te[0], te[1]["id"]))
        for t, ev in evs:
            assert t < NOW or (t == NOW and ev["event_simpleName"] == "ProcessRollup2"), fname
            if ev.get("RemotePort", "").isdigit() and int(ev["RemotePort"]) in MAIL_PORTS:
                assert ev["ContextBaseFileName"] in MAIL_PORT_PROCS, ev
        lines = [dump(ev) for _, ev in evs]
        if fname == "workstations.ndjson":
            lines = insert_malformed(lines, evs, bad, report, fname)
        path = os.path.join(outdir, fname)
        with open(path, "w", encoding="ascii", newline="\n") as f:
            for ln in lines:
                f.write(ln + "\n")
    for r in report:
        print(r, file=sys.stderr)


def insert_malformed(lines, evs, bad, report, fname):
    """Puts the deliberately broken lines in time order among the good ones."""
    def pos_of(t):
        for i, (tt, _) in enumerate(evs):
            if tt > t:
                return i
        return len(evs)

    t_trunc, ev_trunc = bad["truncated"]
    text = dump(ev_trunc)
    cut = text.index('"id":"') + 20          # everything up to the middle of "id"
    trunc_line = text[:cut]
    t_esc, ev_esc = bad["bad_escape"]
    esc_line = dump(ev_esc).replace("\\\\", "\\")          # raw backslashes: \D, \U ...
    not_json = ("2026-11-23T12:00:00.000Z WARN export stream interrupted; "
                "resuming at offset 1048576")
    inserts = [(pos_of(t_trunc), 0, trunc_line, "truncated JSON"),
               (pos_of(t_esc), 0, esc_line, "invalid escape"),
               (pos_of(at(DAY23, "12:00:00.000")), 0, not_json, "not JSON"),
               (pos_of(at(DAY23, "12:00:00.000")), 1, "", "empty line (not a bad record)")]
    out = []
    for i, ln in enumerate(lines + [None]):
        for pos, _, text, what in sorted(inserts, key=lambda x: x[1]):
            if pos == i:
                out.append(text)
                report.append("%s:%d: %s" % (fname, len(out), what))
        if ln is not None:
            out.append(ln)
    return out


# ----------------------------------------------------------------------------
# Benchmark day
# ----------------------------------------------------------------------------

def write_bench(n, out):
    """About n events for one UTC day (2026-11-23) over many hosts, time
    ordered. ~3% are connections to mail ports, almost all from mail clients;
    a few hosts carry the positives of the sample set (Atomic Red Team runs,
    a smtplib script, Database Mail)."""
    g = Gen(BENCH_SEED)
    rng = g.rng
    n_hosts = max(6, n // 2500)
    hosts = []
    for i in range(n_hosts):
        kind = "linux" if i % 10 == 7 else ("sql" if i % 25 == 11 else "workstation")
        if kind == "linux":
            h = Host(rng, "LNX-%04d" % i, "Lin", "10.21.%d.%d" % (i // 250, i % 250 + 2),
                     {"root": "0", "www-data": "33"}, kind)
            user = "root"
        elif kind == "sql":
            h = Host(rng, "SQL-%04d" % i, "Win", "10.22.%d.%d" % (i // 250, i % 250 + 2),
                     {"NT SERVICE\\MSSQLSERVER": "S-1-5-80-1"}, kind)
            user = "NT SERVICE\\MSSQLSERVER"
        else:
            user = "CORP\\user%05d" % i
            h = Host(rng, "WS-%05d" % i, "Win", "10.30.%d.%d" % (i // 250, i % 250 + 2),
                     {user: "S-1-5-21-1-2-3-%d" % (10000 + i)}, kind)
        h.user = user
        if kind == "linux":
            pl = [(P["node"], "www-data"), (P["resolved"], "systemd-resolve"),
                  (P["sshd"], "root"), (P["curl"], "root")]
        elif kind == "sql":
            pl = [(P["sqlservr"], user), (P["svchost"], "NT AUTHORITY\\SYSTEM"),
                  (P["sqlagent"], "NT SERVICE\\SQLSERVERAGENT")]
        else:
            pl = [(P["chrome"], user), (P["msedge"], user), (P["teams"], user),
                  (P["svchost"], "NT AUTHORITY\\SYSTEM"), (P["onedrive"], user)]
        h.procs = [g.proc(h, path, u, path.rsplit("\\", 1)[-1], DAY23 - MS_DAY) for path, u in pl]
        client = {0: P["outlook"], 1: P["thunderbird"], 2: P["emclient"]}.get(i % 4)
        h.client = g.proc(h, client, user, client, DAY23 - MS_DAY) if client and kind == "workstation" else None
        hosts.append(h)

    # planted positives: (host index, path, user, dst, port, count)
    planted = []
    for i, h in enumerate(hosts):
        if h.role == "workstation" and i % 37 == 5:
            planted.append((h, P["powershell"], h.user, "127.0.0.1", 25, 3 + i % 4))
        if h.role == "workstation" and i % 29 == 3:
            planted.append((h, WIN_PF + "Python312\\python.exe", h.user, RELAY, 25, 6 + i % 7))
        if h.role == "linux" and i % 3 == 1:
            planted.append((h, P["nc"], "root", "127.0.0.1", 110, 3 + i % 3))
            planted.append((h, P["curl"], "root", "127.0.0.1", 143, 2 + i % 3))
        if h.role == "sql":
            planted.append((h, P["sqlservr"], h.user, RELAY, 587, 24))
    slices = 96
    slice_ms = MS_DAY // slices
    plan = [[] for _ in range(slices)]
    for h, path, user, dst, port, count in planted:
        p = g.proc(h, path, user, path, DAY23)
        for _ in range(count):
            t = DAY23 + rng.randrange(0, MS_DAY - 1000)
            plan[(t - DAY23) // slice_ms].append((p, t, dst, port))

    per_slice = n / slices / n_hosts
    fh = sys.stdout if out == "-" else open(out, "w", encoding="ascii", newline="\n")
    written = 0
    try:
        for s in range(slices):
            base = DAY23 + s * slice_ms
            evs = []
            for h in hosts:
                k = int(per_slice) + (1 if rng.random() < per_slice - int(per_slice) else 0)
                for _ in range(k):
                    t = base + rng.randrange(0, slice_ms)
                    r = rng.random()
                    p = rng.choice(h.procs)
                    if r < 0.03 and h.client is not None:
                        evs.append(g.connect(h.client, t, IMAP_EXT, rng.choice([993, 587, 143])))
                    elif r < 0.03:
                        evs.append(g.connect(p, t, rng.choice(WEB_IPS), 443))
                    elif r < 0.50:
                        port = rng.choice([443, 443, 443, 80, 53, 445, 5432, 8080])
                        evs.append(g.connect(p, t, rng.choice(WEB_IPS), port,
                                             proto="17" if port == 53 else "6"))
                    elif r < 0.78:
                        evs.append(g.dns(p, t, rng.choice(DOMAINS)))
                    elif r < 0.86:
                        q = g.proc(h, p.path, p.user, p.cmd, t, p)
                        evs.append(g.pr2(q))
                    elif r < 0.93:
                        evs.append(g.accept(p, t, rng.choice(WEB_IPS), rng.choice([22, 443, 1433, 25])))
                    else:
                        evs.append(g.close(p, t, rng.choice(WEB_IPS), 443))
            for p, t, dst, port in plan[s]:
                evs.append(g.connect(p, t, dst, port))
            evs.sort(key=lambda te: te[0])
            fh.write("".join(dump(ev) + "\n" for _, ev in evs))
            written += len(evs)
    finally:
        if fh is not sys.stdout:
            fh.close()
    print("gen_falcon: wrote %d events for %d hosts (%d planted groups)" %
          (written, n_hosts, len(planted)), file=sys.stderr)


# ----------------------------------------------------------------------------
# FDR bundle: one day written raw (as Falcon Data Replicator ships it) and
# enriched (as LogScale's view has it), from one scenario
# ----------------------------------------------------------------------------

FDR_SEED = 1071005
FDR_LOOKBACK_MS = 7 * MS_DAY        # the bundle's process look-back: DAY23 - 7 d ...
FDR_SLICES = 96                     # 15 min each
FDR_PARTS = 8                       # raw/data/part-0N: 3 h of DAY23 each
FDR_HELD_PARTS = (1, 3, 5, 7)       # these write their process/identity events last
FDR_GZ_PART = 5                     # part-05.ndjson.gz: gzip, as FDR ships files
# The deliberately unjoinable processes: an inventory agent on hosts 1..4,
# running since before the look-back, so no ProcessRollup2 of it is in the
# bundle. Each makes exactly FDR_UNJOINABLE_CONNS connections to port 443.
FDR_UNJOINABLE_HOSTS = (1, 2, 3, 4)
FDR_UNJOINABLE_CONNS = 6

DOMAIN_SID = "S-1-5-21-3817290154-2466911738-1020442971-"
SYSTEM = "NT AUTHORITY\\SYSTEM"
MSSQL = "NT SERVICE\\MSSQLSERVER"
SQLAGENT = "NT SERVICE\\SQLSERVERAGENT"
SID_MSSQL = "S-1-5-80-3880718306-3832830129-1677859214-2598158968-1052248003"
SID_SQLAGENT = "S-1-5-80-344959196-2060754871-2302487193-2804545603-1466107430"
INVAGENT = WIN_PF86 + "Contoso\\InventoryAgent\\InvAgent.exe"

# Keys LogScale's view has and raw FDR lacks (fields.md §2): ComputerName on
# every event; ImageFileName and UserName on everything but the events that
# announce them (process events keep ImageFileName, identity events UserName).
PROCESS_EVENTS = ("ProcessRollup2", "SyntheticProcessRollup2")
IDENTITY_EVENTS = ("UserIdentity", "UserLogon")


def raw_form(ev):
    """The raw FDR form of an enriched event."""
    name = ev.get("event_simpleName")
    drop = {"ComputerName"}
    if name not in PROCESS_EVENTS:
        drop.add("ImageFileName")
    if name not in IDENTITY_EVENTS:
        drop.add("UserName")
    return {k: v for k, v in ev.items() if k not in drop}


class FdrDay:
    """The --fdr scenario. Every process has a UserSid; `named` (per host)
    holds the SIDs that have a user-identity event in the bundle, and only
    those processes have a UserName in the enriched view, so the join can
    rebuild exactly what the enriched view shows."""

    def __init__(self, n):
        self.n = n
        self.g = Gen(FDR_SEED)
        self.rng = self.g.rng
        self.lookback = []          # (t, ev), t < DAY23
        self.day = []               # planted (t, ev) on DAY23
        self.hosts = []
        self.build_hosts()
        self.plant()

    # --- processes and events ------------------------------------------------
    def proc(self, h, path, user, cmd, start, parent=None):
        p = self.g.proc(h, path, user, cmd, start, parent)
        p.sid = h.users[user]
        return p

    def put(self, te):
        (self.lookback if te[0] < DAY23 else self.day).append(te)

    def pr2(self, p, synthetic_at=None):
        h = p.host
        t, ev = self.g.pr2(p)
        ev["UserSid"] = p.sid
        if p.sid not in h.named:
            ev.pop("UserName", None)
        if synthetic_at is not None:    # announced at a sensor restart
            t = synthetic_at
            ev["event_simpleName"] = "SyntheticProcessRollup2"
            ev["name"] = ("SyntheticProcessRollup2V2" if h.platform == "Win"
                          else "SyntheticProcessRollup2LinV2")
            ev["ContextTimeStamp"] = ts_text(t)
            ev["timestamp"] = str(t + self.g.lag())
            ev["SyntheticPR2Flags"] = "8"
        return (t, ev)

    def boot(self, h, path, user, cmd, start, parent=None):
        """A process of DAY23 (or of the look-back) and its ProcessRollup2."""
        p = self.proc(h, path, user, cmd, start, parent)
        self.put(self.pr2(p))
        return p

    def service(self, h, path, user, cmd):
        """A long-running process started at boot, announced by a
        ProcessRollup2 at its start or, on hosts whose sensor restarted
        later, by a SyntheticProcessRollup2 at the restart."""
        p = self.proc(h, path, user, cmd, h.boot + self.rng.randrange(5000, 600000))
        self.put(self.pr2(p, synthetic_at=h.sensor_restart))
        return p

    def fix(self, p, te):
        """A network or DNS event as the enriched view has it on this host."""
        ev = te[1]
        if p.sid not in p.host.named:
            ev.pop("UserName", None)
        if not p.host.cbfn:
            ev.pop("ContextBaseFileName", None)
        return te

    def conn(self, p, t, rip, rport, **kw):
        self.put(self.fix(p, self.g.connect(p, t, rip, rport, **kw)))

    def close(self, p, t, rip, rport):
        self.put(self.fix(p, self.g.close(p, t, rip, rport)))

    def identity(self, h, user, t, logon_type=None):
        """UserIdentity (timed by `timestamp`, like ProcessRollup2) or, with a
        logon type, UserLogon (a sensor event with ContextTimeStamp). The
        UserName is spelt as the enriched view spells it."""
        g = self.g
        sid = h.users[user]
        if logon_type is None:
            ev = g._base(h, "UserIdentity", "UserIdentityV12", "UserIdentityLinV1", t,
                         context=False)
        else:
            ev = g._base(h, "UserLogon", "UserLogonV10", "UserLogonLinV2", t)
            ev["LogonType"] = logon_type
            ev["LogonTime"] = ts_text(t)
        ev["UserName"] = user
        ev["UserSid"] = sid
        if h.platform == "Win":
            domain = user.split("\\", 1)[0]
            ev["LogonDomain"] = domain
            ev["AuthenticationId"] = "999" if sid == "S-1-5-18" else str(self.rng.randrange(10**6, 10**7))
            ev["AuthenticationPackage"] = "Kerberos" if domain == "CORP" else "Negotiate"
            if domain == "CORP":
                ev["UserPrincipal"] = user.split("\\", 1)[1] + "@corp.example"
        else:
            ev["UID"] = sid
        h.named.add(sid)
        self.put((t, ev))

    # --- hosts -----------------------------------------------------------------
    def build_hosts(self):
        rng = self.rng
        n_hosts = max(16, self.n // 2500)
        linux_seen = 0
        for i in range(n_hosts):
            kind = "linux" if i % 8 == 7 else ("sql" if i % 25 == 11 else "workstation")
            if kind == "linux":
                li = linux_seen
                linux_seen += 1
                svc = "svc-report" if li == 0 else "deploy"    # uid 1001 differs by host
                users = {"root": "0", "www-data": "33", "systemd-resolve": "991",
                         "postfix": "113", svc: "1001"}
                if li == 0:
                    users["svc-monitor"] = "1003"
                h = Host(rng, "LNX-%04d" % i, "Lin", "10.21.%d.%d" % (i // 250, i % 250 + 2),
                         users, kind)
                h.li, h.svc = li, svc
                h.user = "root"
            elif kind == "sql":
                h = Host(rng, "SQL-%04d" % i, "Win", "10.22.%d.%d" % (i // 250, i % 250 + 2),
                         {MSSQL: SID_MSSQL, SQLAGENT: SID_SQLAGENT, SYSTEM: "S-1-5-18"}, kind)
                h.user = MSSQL
            else:
                user = "CORP\\user%05d" % i
                h = Host(rng, "WS-%05d" % i, "Win", "10.30.%d.%d" % (i // 250, i % 250 + 2),
                         {user: DOMAIN_SID + str(10000 + i), SYSTEM: "S-1-5-18"}, kind)
                h.user = user
            h.index = i
            h.named = set()
            h.cbfn = i % 2 == 0                 # newer sensors write ContextBaseFileName
            h.boot = DAY23 - rng.randrange(3 * MS_DAY, 6 * MS_DAY + MS_DAY // 2)
            h.sensor_restart = (h.boot + rng.randrange(3600000, 4 * 3600000)
                                if i % 5 == 0 else None)
            h.recent = []
            self.hosts.append(h)
            self.setup_host(h)
        # an aid_master row of a host that sent nothing today
        self.offline = Host(rng, "WS-OFFLINE-9999", "Win", "10.30.255.250", {}, "workstation")

    def setup_host(self, h):
        rng = self.rng
        t0 = h.boot + 20000
        # who has a user-identity event (SQLSERVERAGENT never does; the
        # uid-1001 "deploy" account logs in over SSH at 10:00 on DAY23 only)
        for user in sorted(h.users):
            if user == SQLAGENT or (h.role == "linux" and user == "deploy"):
                continue
            self.identity(h, user, t0 + rng.randrange(0, 120000))
        if h.role == "linux" and h.svc == "deploy":
            self.identity(h, "deploy", at(DAY23, "10:00:00.000") + rng.randrange(0, 60000), "10")
        if h.role == "workstation":
            self.identity(h, h.user, at(DAY23, "07:30:00.000") + rng.randrange(0, 3600000), "2")
        if h.role == "linux":
            pl = [(P["node"], "www-data", "/usr/bin/node /srv/app/server.js"),
                  (P["resolved"], "systemd-resolve", "/usr/lib/systemd/systemd-resolved"),
                  (P["sshd"], "root", "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"),
                  (P["curl"], "root", "/usr/bin/curl -s https://api.example.com/health")]
        elif h.role == "sql":
            pl = [(P["sqlservr"], MSSQL, '"C:\\Program Files\\Microsoft SQL Server\\'
                   'MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe" -sMSSQLSERVER'),
                  (P["svchost"], SYSTEM, "C:\\WINDOWS\\system32\\svchost.exe -k NetworkService"),
                  (P["sqlagent"], SQLAGENT, "SQLAGENT.EXE -i MSSQLSERVER")]
        else:
            u = h.user
            pl = [(P["chrome"], u, '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"'),
                  (P["msedge"], u, '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"'),
                  (P["teams"], u, '"ms-teams.exe" msteams:system-initiated'),
                  (P["svchost"], SYSTEM, "C:\\WINDOWS\\system32\\svchost.exe -k NetworkService"),
                  (P["onedrive"], u, '"OneDrive.exe" /background')]
        h.procs = [self.service(h, path, user, cmd) for path, user, cmd in pl]
        client = {0: P["outlook"], 1: P["thunderbird"], 2: P["emclient"]}.get(h.index % 4)
        h.client = (self.service(h, client, h.user, '"%s"' % client)
                    if client and h.role == "workstation" else None)

    # --- the planted behaviour -------------------------------------------------
    def plant(self):
        rng = self.rng
        self.unjoinable = []
        collide_with = self.hosts[0].procs[0]        # chrome on host 0
        for h in self.hosts:
            i = h.index
            if h.role == "workstation":
                u = h.user
                if i % 37 == 5:     # Atomic Red Team T1071.003 test 1
                    parent = self.boot(h, P["powershell"], u,
                                       '"C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" '
                                       '-NoProfile -Command "Import-Module invoke-atomicredteam; '
                                       'Invoke-AtomicTest T1071.003"',
                                       at(DAY23, "10:12:58.400") + rng.randrange(0, 3600000))
                    art = ('"powershell.exe" & {Send-MailMessage -From test@corp.example '
                           '-To test@corp.example -Subject "T1071.003 Atomic Test" '
                           '-Body "Atomic Red Team Test" -SmtpServer 127.0.0.1}')
                    t = parent.start
                    for k in range(3 + i % 4):
                        t += rng.randrange(60000, 600000)
                        run = self.proc(h, P["powershell"], u, art, t, parent)
                        if k == 0 and i == 5:
                            # same TargetProcessId as chrome.exe on host 0:
                            # only aid tells the two apart
                            run.pid = collide_with.pid
                        self.put(self.pr2(run))
                        self.conn(run, t + rng.randrange(900, 1400), "127.0.0.1", 25)
                if i % 29 == 3:     # a scheduled smtplib report, a new python.exe each hour
                    path = WIN_PF + "Python312\\python.exe"
                    cmd = '"C:\\Program Files\\Python312\\python.exe" C:\\ops\\send_report.py --smtp 10.20.0.25'
                    for k in range(6 + i % 7):
                        t = at(DAY23, "07:00:02.000") + k * 3600000 + rng.randrange(0, 3000)
                        run = self.boot(h, path, u, cmd, t - 1700)
                        self.conn(run, t, RELAY, 25)
                if i % 6 == 2:      # a browser's IMAP (client list)
                    for _ in range(5):
                        self.conn(h.procs[1], DAY23 + rng.randrange(8, 18) * 3600000
                                  + rng.randrange(0, 3600000), IMAP_EXT, 993)
                if i % 6 == 4:
                    for _ in range(4):
                        self.conn(h.procs[0], DAY23 + rng.randrange(8, 18) * 3600000
                                  + rng.randrange(0, 3600000), SMTP_EXT, 587)
                if i % 41 == 9:     # outlook.exe by name, not path: excluded by both rules
                    fake = self.boot(h, "\\Device\\HarddiskVolume3\\Users\\user%05d\\AppData\\"
                                     "Roaming\\Microsoft\\Windows\\outlook.exe" % i, u,
                                     "outlook.exe -k", at(DAY23, "09:03:33.003"))
                    for k in range(9):
                        self.conn(fake, at(DAY23, "09:05:00.000") + k * 3600000
                                  + rng.randrange(0, 60000), MASQ_C2, 587)
                if i % 31 == 4:     # not a mail port
                    pyt = self.boot(h, P["python"], u, "python.exe notify_test.py --port 2525",
                                    at(DAY23, "15:20:00.250"))
                    for k in range(15):
                        self.conn(pyt, at(DAY23, "15:20:01.000") + k * 20000
                                  + rng.randrange(0, 900), RELAY, 2525)
                if i % 23 == 6:     # inbound (ConnectionDirection 1): hunt no, seed yes
                    sync = self.service(h, P["syncagent"], SYSTEM,
                                        '"C:\\Program Files\\Contoso\\SyncAgent\\SyncAgent.exe" --service')
                    for k in range(6):
                        self.conn(sync, at(DAY23, "08:30:00.000") + k * 5400000
                                  + rng.randrange(0, 9000), IMAP_EXT, 993, direction="1")
                if i % 13 == 2:     # below the threshold
                    scan = self.boot(h, P["scan"], u, "ScanToMail.exe /tray",
                                     at(DAY23, "08:01:15.500"))
                    for hms in ("10:22:31.418", "14:47:05.263"):
                        self.conn(scan, at(DAY23, hms), RELAY, 587)
                if i % 43 == 10:    # a beacon from a mail attachment (path with a comma)
                    inv = self.boot(h, P["invoice"].replace("amoreau", "user%05d" % i), u,
                                    '"InvoiceViewer.exe"', at(DAY23, "11:02:47.118"))
                    for port, first in ((465, "11:03:02.517"), (587, "11:25:41.873")):
                        for k in range(6):
                            self.conn(inv, at(DAY23, first) + k * 2717000
                                      + rng.randrange(0, 900), INVOICE_C2, port)
                if i in FDR_UNJOINABLE_HOSTS:
                    agent = self.proc(h, INVAGENT, SYSTEM, '"InvAgent.exe" --daemon',
                                      DAY23 - 30 * MS_DAY)      # no ProcessRollup2 anywhere
                    self.unjoinable.append(agent)
                    for k in range(FDR_UNJOINABLE_CONNS):
                        self.conn(agent, DAY23 + k * 4 * 3600000 + rng.randrange(60000, 3600000),
                                  rng.choice(WEB_IPS), 443)
            elif h.role == "linux":
                li = h.li
                sshd = h.procs[2]
                if li % 2 == 0:     # Atomic Red Team: nc POP3, curl IMAP to 127.0.0.1
                    bash = self.boot(h, P["bash"], "root", "-bash",
                                     at(DAY23, "09:28:30.700") + li * 60000, sshd)
                    t = bash.start
                    for _ in range(3 + li % 3):
                        t += rng.randrange(20000, 60000)
                        nc = self.boot(h, P["nc"], "root", "nc 127.0.0.1 110", t, bash)
                        self.conn(nc, t + 130, "127.0.0.1", 110)
                        self.close(nc, t + 5130, "127.0.0.1", 110)
                    for _ in range(3 + li % 2):
                        t += rng.randrange(20000, 60000)
                        cu = self.boot(h, P["curl"], "root",
                                       "curl -s --connect-timeout 5 imap://127.0.0.1:143/ --user test:test",
                                       t, bash)
                        self.conn(cu, t + 150, "127.0.0.1", 143)
                        self.close(cu, t + 153, "127.0.0.1", 143)
                else:               # the MTA over IPv6; a uid-1001 job (another user than li 0's)
                    smtp = self.boot(h, P["pf_smtp"], "postfix", "smtp -t unix -u -c",
                                     at(DAY23, "02:00:00.000"))
                    for k in range(8):
                        t = at(DAY23, "02:14:09.310") + k * 9000000 + rng.randrange(0, 60000)
                        self.conn(smtp, t, RELAY6, 25)
                        self.close(smtp, t + 180, RELAY6, 25)
                    for k in range(4):
                        t = at(DAY23, "03:00:01.000") + k * 3600000 + rng.randrange(0, 2000)
                        job = self.boot(h, P["python3"], "deploy",
                                        "/usr/bin/python3 /opt/deploy/notify.py", t - 800)
                        self.conn(job, t, RELAY, 25)
                if li == 0:
                    # window edge: inside at now - 24 h + 1 ms, outside at now - 24 h
                    cron = self.service(h, P["cron"], "root", "/usr/sbin/cron -f -P")
                    rep = self.boot(h, P["python3"], "svc-report",
                                    "/usr/bin/python3 /opt/report/send_nightly.py --relay 10.20.0.25",
                                    at(DAY22, "23:59:58.311"), cron)
                    self.conn(rep, WINDOW_START + 1, RELAY, 25)
                    for hms in ("00:00:02.310", "00:00:04.552"):
                        self.conn(rep, at(DAY23, hms), RELAY, 25)
                    mon = self.boot(h, P["perl"], "svc-monitor",
                                    "/usr/bin/perl /opt/monitor/notify_smtp.pl --relay 10.20.0.25",
                                    at(DAY22, "23:59:58.020"), cron)
                    self.conn(mon, WINDOW_START, RELAY, 25)
                    for hms in ("00:00:01.002", "00:00:03.118"):
                        self.conn(mon, at(DAY23, hms), RELAY, 25)
                    # an old burst, two days before now (the seed has no window)
                    bash = self.boot(h, P["bash"], "root", "-bash", at(DAY21, "15:58:00.010"), sshd)
                    for hms in ("16:02:11.100", "16:02:14.350", "16:02:17.902",
                                "16:02:21.004", "16:02:24.560", "16:02:28.077"):
                        nc = self.boot(h, P["nc"], "root", "nc -w 3 10.10.8.14 110",
                                       at(DAY21, hms) - 120, bash)
                        self.conn(nc, at(DAY21, hms), OLD_POP, 110)
            else:
                sqlservr = h.procs[0]
                for hh in range(24):
                    self.conn(sqlservr, DAY23 + hh * 3600000 + 5000 + 41 * hh, RELAY, 587)
                # Database Mail, launched by the agent: its SID has no
                # user-identity event, so UserName is missing on both sides
                dbm = self.boot(h, P["dbmail"], SQLAGENT, '"DatabaseMail.exe" MSSQLSERVER',
                                at(DAY23, "13:00:01.250"), h.procs[2])
                for hms in ("13:00:03.007", "13:01:47.482", "13:04:12.640",
                            "13:06:30.333", "13:09:05.808"):
                    self.conn(dbm, at(DAY23, hms), RELAY, 587)
        # the newest event of the bundle: `--now latest` anchors here
        h0 = self.hosts[0]
        last = self.proc(h0, P["taskhostw"], h0.user, "taskhostw.exe Install $(Arg0)", NOW - 212)
        self.day.append((NOW, self.pr2(last)[1]))
        self.day[-1][1]["timestamp"] = str(NOW)

    # --- noise, by 15-minute slice ----------------------------------------------
    def noise(self, s, per_host):
        g, rng = self.g, self.rng
        base = DAY23 + s * (MS_DAY // FDR_SLICES)
        span = MS_DAY // FDR_SLICES - (1000 if s == FDR_SLICES - 1 else 0)   # < NOW
        out = []
        for h in self.hosts:
            k = int(per_host) + (1 if rng.random() < per_host - int(per_host) else 0)
            for _ in range(k):
                t = base + rng.randrange(0, span)
                r = rng.random()
                p = rng.choice(h.procs + h.recent)
                if r < 0.03 and h.client is not None:
                    out.append(self.fix(h.client, g.connect(h.client, t, IMAP_EXT,
                                                            rng.choice([993, 587, 143]))))
                elif r < 0.03:
                    out.append(self.fix(p, g.connect(p, t, rng.choice(WEB_IPS), 443)))
                elif r < 0.50:
                    port = rng.choice([443, 443, 443, 80, 53, 445, 5432, 8080])
                    out.append(self.fix(p, g.connect(p, t, rng.choice(WEB_IPS), port,
                                                     proto="17" if port == 53 else "6")))
                elif r < 0.78:
                    out.append(self.fix(p, g.dns(p, t, rng.choice(DOMAINS))))
                elif r < 0.86:      # a child process: later noise may come from it
                    q = self.proc(h, p.path, p.user, p.cmd, t, p)
                    out.append(self.pr2(q))
                    h.recent = (h.recent + [q])[-6:]
                elif r < 0.93:
                    out.append(self.fix(p, g.accept(p, t, rng.choice(WEB_IPS),
                                                    rng.choice([22, 443, 1433, 25]))))
                else:
                    out.append(self.fix(p, g.close(p, t, rng.choice(WEB_IPS), 443)))
        return out


class FdrWriter:
    """Writes each event to enriched/events.ndjson and its raw form to the
    raw/ file it belongs in, and counts what mailc2's join should report."""

    def __init__(self, outdir):
        self.outdir = outdir
        for sub in ("enriched", "raw/data", "raw/aidmaster"):
            os.makedirs(os.path.join(outdir, sub), exist_ok=True)
        self.enriched = open(os.path.join(outdir, "enriched", "events.ndjson"), "w",
                             encoding="ascii", newline="\n")
        self.events = self.raw_lines = self.network = self.process = self.identity = 0
        self.mail_conns = 0         # NetworkConnectIP4/IP6 to a mail port, any direction
        self.unjoinable = set()
        self.net_by_proc = {}       # (aid, ContextProcessId) -> network events
        self.proc_keys = set()      # (aid, TargetProcessId) of process events
        self.files = []

    def count(self, raw):
        name = raw.get("event_simpleName", "")
        self.raw_lines += 1
        if name.startswith(("NetworkConnect", "NetworkReceiveAccept")):
            self.network += 1
            key = (raw["aid"], raw["ContextProcessId"])
            self.net_by_proc[key] = self.net_by_proc.get(key, 0) + 1
            port = raw.get("RemotePort", "")
            if name.startswith("NetworkConnect") and port.isdigit() and int(port) in MAIL_PORTS:
                self.mail_conns += 1
        elif name in PROCESS_EVENTS:
            self.process += 1
            self.proc_keys.add((raw["aid"], raw["TargetProcessId"]))
        elif name in IDENTITY_EVENTS and raw.get("UserName") and raw.get("UserSid"):
            self.identity += 1

    def write_enriched(self, evs):
        for _, ev in evs:
            port = ev.get("RemotePort", "")
            if (ev["event_simpleName"].startswith("NetworkConnect") and
                    ev.get("ConnectionDirection") == "0" and port.isdigit() and
                    int(port) in MAIL_PORTS):
                # only the planted processes reach a mail port, never an
                # unjoinable one: raw and enriched must give the same rows
                name = ev["ImageFileName"].replace("/", "\\").rsplit("\\", 1)[-1]
                assert name in MAIL_PORT_PROCS, ev
                assert (ev["aid"], ev["ContextProcessId"]) not in self.unjoinable, ev
        self.enriched.write("".join(dump(ev) + "\n" for _, ev in evs))
        self.events += len(evs)

    def open_raw(self, rel):
        """A raw file to write lines to; a .gz name is gzipped (mtime 0, no
        name in the header, so the bytes depend on the content only)."""
        path = os.path.join(self.outdir, "raw", rel)
        self.files.append(["raw/" + rel, 0])
        if rel.endswith(".gz"):
            raw = open(path, "wb")
            z = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6)
            return (z, raw)
        return (open(path, "wb"), None)

    def write_raw(self, fh, evs):
        for raw in evs:
            self.count(raw)
        self.files[-1][1] += len(evs)
        fh[0].write("".join(dump(raw) + "\n" for raw in evs).encode("ascii"))

    def close_raw(self, fh):
        fh[0].close()
        if fh[1] is not None:
            fh[1].close()

    def raw_file(self, rel, evs):
        fh = self.open_raw(rel)
        self.write_raw(fh, evs)
        self.close_raw(fh)


def aid_master_row(h):
    win = h.platform == "Win"
    row = {
        "AgentVersion": "7.18.17106.0" if win else "7.17.17005.0",
        "ComputerName": h.name,
        "ConfigBuild": h.cfg_build,
        "FirstSeen": "%d.000" % ((h.boot - 90 * MS_DAY) // 1000) if hasattr(h, "boot") else "1790000000.000",
        "MachineDomain": "corp.example" if win else "",
        "OU": "Workstations" if h.role == "workstation" else "Servers",
        "ProductType": "1" if h.role == "workstation" else ("3" if win else ""),
        "SiteName": "HQ",
        "Time": "%d.000" % (NOW // 1000),
        "Version": ("Windows 11" if h.role == "workstation" else "Windows Server 2022") if win
                   else "Debian GNU/Linux 12",
        "aid": h.aid,
        "aip": h.aip,
        "cid": CID,
        "event_platform": h.platform,
    }
    return row


def write_fdr(n, outdir):
    """About n events for 2026-11-23 (plus a 7-day process look-back), as a
    raw FDR bundle in OUTDIR/raw and as LogScale's enriched view in
    OUTDIR/enriched; OUTDIR/manifest.json says what the join must find."""
    day = FdrDay(n)
    w = FdrWriter(outdir)
    for t, ev in day.lookback + day.day:
        assert t < NOW or (t == NOW and ev["event_simpleName"] == "ProcessRollup2"), ev
    for t, ev in day.lookback:      # nothing older than the look-back is in the bundle
        assert t >= DAY23 - FDR_LOOKBACK_MS, ev
    assert all(p.start < DAY23 - FDR_LOOKBACK_MS for p in day.unjoinable)
    unjoinable = {(p.host.aid, str(p.pid)) for p in day.unjoinable}
    w.unjoinable = unjoinable

    # raw/aidmaster: one row per aid, no event_simpleName
    w.raw_file("aidmaster/aid_master.json",
               [aid_master_row(h) for h in day.hosts + [day.offline]])
    w.raw_lines -= len(day.hosts) + 1       # aid_master rows are not events
    # the look-back: process and identity events in one file, the rest
    # (older connections) in another
    day.lookback.sort(key=lambda te: (te[0], te[1]["id"]))
    w.write_enriched(day.lookback)
    procs = [raw_form(ev) for _, ev in day.lookback
             if ev["event_simpleName"] in PROCESS_EVENTS + IDENTITY_EVENTS]
    rest = [raw_form(ev) for _, ev in day.lookback
            if ev["event_simpleName"] not in PROCESS_EVENTS + IDENTITY_EVENTS]
    w.raw_file("data/backfill-2026-11-16_22.ndjson", rest)
    w.raw_file("data/process-lookback.ndjson", procs)   # sorts after every part-*

    # DAY23: planted events by slice, noise added slice by slice
    slice_ms = MS_DAY // FDR_SLICES
    plan = [[] for _ in range(FDR_SLICES)]
    for te in day.day:
        plan[min((te[0] - DAY23) // slice_ms, FDR_SLICES - 1)].append(te)
    fixed = len(day.lookback) + len(day.day)
    per_host = max(0, n - fixed) / FDR_SLICES / len(day.hosts)
    per_part = FDR_SLICES // FDR_PARTS
    for part in range(FDR_PARTS):
        fh = w.open_raw("data/part-%02d.ndjson" % part + (".gz" if part == FDR_GZ_PART else ""))
        held = []       # a held part writes its process and identity events last
        for s in range(part * per_part, (part + 1) * per_part):
            evs = plan[s] + day.noise(s, per_host)
            evs.sort(key=lambda te: (te[0], te[1]["id"]))
            w.write_enriched(evs)
            lines = []
            for _, ev in evs:
                if part in FDR_HELD_PARTS and ev["event_simpleName"] in PROCESS_EVENTS + IDENTITY_EVENTS:
                    held.append(raw_form(ev))
                else:
                    lines.append(raw_form(ev))
            w.write_raw(fh, lines)
        w.write_raw(fh, held)
        w.close_raw(fh)
    w.enriched.close()

    joined = sum(c for k, c in w.net_by_proc.items() if k in w.proc_keys)
    missing = {k: c for k, c in w.net_by_proc.items() if k not in w.proc_keys}
    assert set(missing) == unjoinable, (sorted(missing), sorted(unjoinable))
    assert sum(missing.values()) == len(FDR_UNJOINABLE_HOSTS) * FDR_UNJOINABLE_CONNS
    assert w.raw_lines == w.events
    manifest = {
        "events": w.events,
        "network_events": w.network,
        "joined": joined,
        "unjoined": w.network - joined,
        "unjoinable_processes": len(unjoinable),
        "process_events": w.process,
        "identity_events": w.identity,
        "hosts": len(day.hosts) + 1,
        "hosts_with_events": len(day.hosts),
        "mail_port_connections": w.mail_conns,
        "now": NOW,
        "files": [{"path": p, "lines": k} for p, k in w.files] +
                 [{"path": "enriched/events.ndjson", "lines": w.events}],
    }
    with open(os.path.join(outdir, "manifest.json"), "w", encoding="ascii", newline="\n") as f:
        f.write(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print("gen_falcon: wrote %d events for %d hosts, raw and enriched; %d of %d network "
          "events join their process (%d ProcessRollup2, %d user-identity events, %d hosts "
          "in aid_master); %d deliberately unjoinable" %
          (w.events, len(day.hosts), joined, w.network, w.process, w.identity,
           len(day.hosts) + 1, w.network - joined), file=sys.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    grp = ap.add_mutually_exclusive_group(required=True)
    grp.add_argument("--samples", metavar="DIR", help="write the bundled sample set into DIR")
    grp.add_argument("--bench", nargs=2, metavar=("N", "OUT"),
                     help="write about N events to OUT ('-' = stdout)")
    grp.add_argument("--fdr", nargs=2, metavar=("N", "DIR"),
                     help="write about N events twice into DIR: raw/ (an FDR bundle) and "
                          "enriched/ (LogScale's view), with DIR/manifest.json")
    a = ap.parse_args(argv)
    if a.samples:
        write_samples(a.samples)
    elif a.fdr:
        n = int(a.fdr[0])
        if n < 1:
            ap.error("N must be positive")
        write_fdr(n, a.fdr[1])
    else:
        n = int(a.bench[0])
        if n < 1:
            ap.error("N must be positive")
        write_bench(n, a.bench[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
