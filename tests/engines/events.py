#!/usr/bin/env python3
"""events.py - the events the SQL engines and `mailc2 run` are compared on.

  python3 events.py gen FILE.ndjson         Falcon JSON lines (LogScale export shape)
  python3 events.py table LANG FILE.ndjson  one JSON row per event: the table an SQL
                                            engine reads for a rule in LANG (aql,
                                            logscale, sigma), then a schema line
  python3 events.py schema LANG             that table's columns, [[name, text|int]...]
  python3 events.py pg LANG TABLE ROWS.jsonl PostgreSQL statements creating and filling it
  python3 events.py ch LANG TABLE            ClickHouse column list for CREATE TABLE
  python3 events.py norm FORMAT FILE        rows of a result (csv, jsoncompact, jsonl:
                                            one array a line), normalised and sorted

`table` is the ingestion a SIEM does: each language's columns hold what mailc2's
views give that language's field names on Falcon input (src/view/, fields.md
section 3): LogScale reads the Falcon fields as written, AQL and Sigma read the
canonical fields (ports as numbers, times as epoch milliseconds, the base name
of the image, QRadar's event direction from the local networks, Sigma's
Initiated and logsource product). It shares no code with mailc2.

The events are generated, not random: every case below is there for a reason
(see CASES), and a group's size walks around the threshold (more than 2)."""
import csv
import datetime
import ipaddress
import json
import sys

NOW_S = 1767225600  # 2026-01-01T00:00:00Z, the --now of the test
LOCAL = [ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
    "169.254.0.0/16", "::1/128", "fc00::/7", "fe80::/10")]

# (image, why)
IMAGES = [
    ("C:\\Users\\bob\\AppData\\Local\\Temp\\upd.exe", "plain C2 candidate"),
    ("C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", "mail client, upper case"),
    ("C:\\Tools\\Outlook.exe", "mail client, mixed case"),
    ("C:\\Program Files\\eM Client\\em client.exe", "space in the name"),
    ("C:\\Apps\\eM_Client.exe", "LogScale's eM.Client matches, AQL's list does not"),
    ("C:\\Program Files\\Google\\Chrome\\chrome.exe", "browser"),
    ("/usr/bin/python3", "Linux script"),
    ("/usr/lib/thunderbird/thunderbird-bin", "Linux mail client"),
    ("/usr/bin/FIREFOX", "Linux, upper case: Sigma's endswith ignores case"),
    (None, "no image"),
]
# (remote address, why)
REMOTES = [("203.0.113.10", "external"), ("198.51.100.7", "external"),
           ("10.1.2.3", "RFC 1918"), ("127.0.0.1", "loopback"),
           ("100.64.1.1", "RFC 6598"), (None, "no address")]
# (port as written, why)
PORTS = [("25", "text"), (587, "number"), ("993", "text"), (110, "number"),
         ("8080", "not mail"), (None, "no port")]
HOSTS = ["WS-01", "WS-02", None]
USERS = ["alice", "SYSTEM", None]


def gen(path):
    lines = []
    n = 0
    for i, (image, _) in enumerate(IMAGES):
        for j, (remote, _) in enumerate(REMOTES):
            for k, (port, _) in enumerate(PORTS):
                host = HOSTS[(i + j) % 3]
                user = USERS[(j + k) % 3]
                size = (i + 2 * j + 3 * k) % 5  # 0..4 events: around "more than 2"
                for e in range(size):
                    n += 1
                    # Mostly inside the 24 hours before now; every 13th a day
                    # older, every 17th ahead of now (AQL's window has no end).
                    age = 600 + 97 * n
                    if n % 13 == 0:
                        age += 2 * 86400
                    if n % 17 == 0:
                        age = -3600
                    ev = {"event_simpleName": "NetworkConnectIP4",
                          "ContextTimeStamp": "%d.%03d" % (NOW_S - age, n % 1000),
                          "LocalAddressIP4": "10.0.0.5", "LocalPort": str(49152 + n)}
                    if n % 11 == 0:  # inbound: direction, addresses and ports swap
                        ev["event_simpleName"] = "NetworkReceiveAcceptIP4"
                    for key, val in (("ImageFileName", image), ("RemoteAddressIP4", remote),
                                     ("RemotePort", port), ("ComputerName", host),
                                     ("UserName", user)):
                        if val is not None:
                            ev[key] = val
                    lines.append(json.dumps(ev))
    lines.append(json.dumps({"event_simpleName": "ProcessRollup2", "ComputerName": "WS-01",
                             "ImageFileName": "C:\\x\\upd.exe", "ContextTimeStamp": "%d.000" % NOW_S}))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def local(ip):
    a = ipaddress.ip_address(ip)
    return any(a in net for net in LOCAL)


def port(v):
    return None if v is None else int(str(v))


def canonical(ev):
    name = ev.get("event_simpleName", "")
    out = name.startswith("NetworkConnect")
    inb = name.startswith("NetworkReceiveAccept")
    kind = "conn" if out or inb else ("proc" if name == "ProcessRollup2" else None)
    s, ms = ev["ContextTimeStamp"].split(".")
    lip, rip = ev.get("LocalAddressIP4"), ev.get("RemoteAddressIP4")
    lport, rport = port(ev.get("LocalPort")), port(ev.get("RemotePort"))
    image = ev.get("ImageFileName")
    return {"kind": kind, "time": int(s) * 1000 + int(ms), "host": ev.get("ComputerName"),
            "image": image, "user": ev.get("UserName"),
            "name": image.replace("\\", "/").rsplit("/", 1)[-1] if image else None,
            "direction": "out" if out else ("in" if inb else None),
            "src_ip": rip if inb else lip, "dst_ip": lip if inb else rip,
            "dst_port": lport if inb else rport}


def product(image):
    if not image:
        return None
    if "\\" in image or image[1:2] == ":":
        return "windows"
    return "linux" if image.startswith("/") else None


def direction(src, dst):
    if src is None or dst is None:
        return None
    return ("L" if local(src) else "R") + "2" + ("L" if local(dst) else "R")


SCHEMAS = {
    "logscale": [("#event_simpleName", "text"), ("RemotePort", "text"),
                 ("ImageFileName", "text"), ("ComputerName", "text"),
                 ("RemoteAddressIP4", "text"), ("UserName", "text"),
                 ("ContextTimeStamp", "text")],
    "aql": [("starttime", "int"), ("destinationport", "int"), ("Event Direction", "text"),
            ("Process Name", "text"), ("sourceip", "text"), ("destinationip", "text"),
            ("username", "text"), ("Bytes Sent", "int")],
    "sigma": [("kind", "text"), ("logsource.product", "text"), ("Initiated", "text"),
              ("DestinationPort", "int"), ("Image", "text"), ("DestinationIp", "text"),
              ("UtcTime", "int"), ("Computer", "text"), ("User", "text")],
}


def row(lang, ev):
    c = canonical(ev)
    if lang == "logscale":  # Falcon's own fields, as written
        return {"#event_simpleName": ev.get("event_simpleName"),
                "RemotePort": None if ev.get("RemotePort") is None else str(ev["RemotePort"]),
                "ImageFileName": ev.get("ImageFileName"), "ComputerName": ev.get("ComputerName"),
                "RemoteAddressIP4": ev.get("RemoteAddressIP4"), "UserName": ev.get("UserName"),
                "ContextTimeStamp": ev.get("ContextTimeStamp")}
    if lang == "aql":
        return {"starttime": c["time"], "destinationport": c["dst_port"],
                "Event Direction": direction(c["src_ip"], c["dst_ip"]),
                "Process Name": c["name"], "sourceip": c["src_ip"], "destinationip": c["dst_ip"],
                "username": c["user"], "Bytes Sent": None}
    return {"kind": c["kind"], "logsource.product": product(c["image"]),
            "Initiated": {"out": "true", "in": "false"}.get(c["direction"]),
            "DestinationPort": c["dst_port"], "Image": c["image"], "DestinationIp": c["dst_ip"],
            "UtcTime": c["time"], "Computer": c["host"], "User": c["user"]}


def table(lang, path):
    with open(path) as f:
        for i, line in enumerate(f):
            r = row(lang, json.loads(line))
            r["_row"] = i
            print(json.dumps(r))


def norm_value(v):
    if v is None or v == "" or v == "\\N":
        return ""
    s = str(v)
    try:
        t = datetime.datetime.strptime(s.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z")
        return str(int(round(t.timestamp() * 1000)))
    except ValueError:
        pass
    try:
        t = datetime.datetime.strptime(s.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z")
        return str(int(t.timestamp() * 1000))
    except ValueError:
        pass
    try:
        x = float(s)
        return str(int(x)) if x == int(x) else "%.3f" % x
    except ValueError:
        return s


def norm(fmt, path):
    with open(path) as f:
        if fmt == "csv":
            rows = list(csv.reader(f))[1:]
        elif fmt == "jsoncompact":
            rows = json.load(f)["data"]
        else:  # one JSON array per line
            rows = [json.loads(line) for line in f if line.strip()]
    out = sorted("\t".join(norm_value(v) for v in r) for r in rows)
    print("\n".join(out))


def pg_ident(name):
    return '"' + name.replace('"', '""') + '"'


def pg_value(v):
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(v)
    return "'" + v.replace("'", "''") + "'"


def pg(lang, name, path):
    cols = SCHEMAS[lang]
    print("CREATE TABLE %s (%s);" % (pg_ident(name), ", ".join(
        "%s %s" % (pg_ident(c), "bigint" if t == "int" else "text") for c, t in cols)))
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            print("INSERT INTO %s VALUES (%s);" % (pg_ident(name), ", ".join(
                pg_value(r[c]) for c, _ in cols)))


def ch(lang):
    print(", ".join('"%s" Nullable(%s)' % (c, "Int64" if t == "int" else "String")
                    for c, t in SCHEMAS[lang]) + ", _row UInt64")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "gen":
        gen(sys.argv[2])
    elif cmd == "table":
        table(sys.argv[2], sys.argv[3])
    elif cmd == "pg":
        pg(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "ch":
        ch(sys.argv[2])
    elif cmd == "schema":
        print(json.dumps(SCHEMAS[sys.argv[2]]))
    else:
        norm(sys.argv[2], sys.argv[3])
