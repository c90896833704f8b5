#!/usr/bin/env python3
"""connect_storm.py: a loopback connect storm, to measure `mailc2 watch`'s
overhead and losses (see the report in BENCHMARKS.md or the watch commit).

  python3 tools/connect_storm.py RATE SECONDS [PORT]

Listens on 127.0.0.1:PORT (default 2525), then opens and closes RATE TCP
connections a second to it for SECONDS, paced per millisecond slot, and
prints how many it made and the rate reached. Each connection is one
outbound connect for the sensor: count the recorded events whose
DestinationPort is PORT and compare."""
import socket
import sys
import threading
import time


def accept_all(listener):
    while True:
        conn, _ = listener.accept()
        conn.close()


def main():
    rate, seconds = int(sys.argv[1]), float(sys.argv[2])
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 2525
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(4096)
    threading.Thread(target=accept_all, args=(listener,), daemon=True).start()
    made = failed = 0
    start = time.monotonic()
    while True:
        elapsed = time.monotonic() - start
        if elapsed >= seconds:
            break
        due = int(elapsed * rate) + 1
        if made + failed >= due:
            time.sleep(0.0005)
            continue
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")  # RST: no TIME_WAIT pile
        try:
            s.connect(("127.0.0.1", port))
            made += 1
        except OSError:
            failed += 1
        s.close()
    took = time.monotonic() - start
    print("made %d connections (%d failed) in %.2f s: %.0f/s" % (made, failed, took, made / took))


main()
