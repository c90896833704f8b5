"""Minimal mail servers on 127.0.0.1 for tests/e2e/test_watch.sh: SMTP on
25, POP3 on 110, IMAP on 143, each speaking just enough of its protocol
for nc, curl's IMAP and Python's smtplib to finish a session. Each waits
0.8 s before its greeting, so a connection lives long enough for the
sock_diag fallback (100 ms polls) to see it too, even on a machine busy
with the other tests (at 0.3 s, one poll in a few hundred came too late
under `ctest -j2`).

usage: python3 servers.py READY_FILE   (written once all three listen)"""
import socket
import sys
import threading
import time

GREETING_DELAY = 0.8


def smtp(conn, lines):
    conn.sendall(b"220 mail.test ESMTP\r\n")
    in_data = False
    for line in lines:
        if in_data:
            if line == b".":
                in_data = False
                conn.sendall(b"250 queued\r\n")
            continue
        verb = line[:4].upper()
        if verb == b"EHLO":
            conn.sendall(b"250-mail.test\r\n250 8BITMIME\r\n")
        elif verb == b"DATA":
            in_data = True
            conn.sendall(b"354 go on\r\n")
        elif verb == b"QUIT":
            conn.sendall(b"221 bye\r\n")
            return
        else:
            conn.sendall(b"250 ok\r\n")


def pop3(conn, lines):
    conn.sendall(b"+OK POP3 ready\r\n")
    for line in lines:
        conn.sendall(b"+OK\r\n")
        if line[:4].upper() == b"QUIT":
            return


def imap(conn, lines):
    conn.sendall(b"* OK IMAP4rev1 ready\r\n")
    for line in lines:
        tag, _, rest = line.partition(b" ")
        verb = rest.split(b" ")[0].upper()
        if verb == b"CAPABILITY":
            conn.sendall(b"* CAPABILITY IMAP4rev1\r\n")  # LOGIN, no SASL
        elif verb == b"LIST":
            conn.sendall(b'* LIST (\\HasNoChildren) "/" INBOX\r\n')
        elif verb == b"LOGOUT":
            conn.sendall(b"* BYE\r\n" + tag + b" OK done\r\n")
            return
        conn.sendall(tag + b" OK done\r\n")


def lines_of(conn):
    buf = b""
    while True:
        data = conn.recv(4096)
        if not data:
            return
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            yield line.rstrip(b"\r")


def session(conn, speak):
    with conn:
        try:
            time.sleep(GREETING_DELAY)
            speak(conn, lines_of(conn))
        except OSError:
            pass


def serve(listener, speak):
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=session, args=(conn, speak), daemon=True).start()


def main():
    listeners = []
    for port, speak in ((25, smtp), (110, pop3), (143, imap)):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen(64)
        listeners.append((s, speak))
    for s, speak in listeners:
        threading.Thread(target=serve, args=(s, speak), daemon=True).start()
    with open(sys.argv[1], "w") as ready:
        ready.write("ready\n")
    while True:
        time.sleep(60)


main()
