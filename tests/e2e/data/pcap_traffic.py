"""Loopback traffic for test_pcap.sh: a real SMTP exchange (smtplib
against a minimal SMTP server written here, greeting 220 and answering the
commands smtplib sends) over IPv4 and again over IPv6, then a peer on the
same port that is not SMTP at all (a client sending binary bytes, the server
echoing them), so the capture holds two 'smtp' sessions and a 'not-mail'
one."""
import smtplib
import socket
import sys
import threading

PORT = int(sys.argv[1])


def smtp_server(sock):
    conn, _ = sock.accept()
    f = conn.makefile("rwb")
    f.write(b"220 mail.test ESMTP ready\r\n"); f.flush()
    data = False
    for line in f:
        if data:
            if line == b".\r\n":
                data = False
                f.write(b"250 queued\r\n"); f.flush()
            continue
        verb = line[:4].upper()
        if verb in (b"EHLO", b"HELO"):
            f.write(b"250 mail.test\r\n")
        elif verb == b"DATA":
            data = True
            f.write(b"354 go on\r\n")
        elif verb == b"QUIT":
            f.write(b"221 bye\r\n"); f.flush()
            break
        else:
            f.write(b"250 ok\r\n")
        f.flush()
    conn.close()


def echo_server(sock):
    conn, _ = sock.accept()
    while True:
        chunk = conn.recv(4096)
        if not chunk:
            break
        conn.sendall(chunk)
    conn.close()


def serve(handler, host="127.0.0.1"):
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, PORT))
    sock.listen(1)
    t = threading.Thread(target=handler, args=(sock,))
    t.start()
    return sock, t


for host in ("127.0.0.1", "::1"):
    sock, t = serve(smtp_server, host)
    with smtplib.SMTP(host, PORT, timeout=10) as s:
        s.sendmail("a@test", ["b@test"], "Subject: hi\r\n\r\nhello\r\n")
    t.join(10)
    sock.close()

sock, t = serve(echo_server)
c = socket.create_connection(("127.0.0.1", PORT), timeout=10)
c.sendall(bytes(range(256)) * 4)
got = 0
while got < 1024:
    got += len(c.recv(4096))
c.close()
t.join(10)
sock.close()
