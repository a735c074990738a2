#!/usr/bin/env python3
"""loadtester-spoof.py DST RATE NET [GROUP]: send complete IKEv1 Main Mode
first messages (one proposal the swarm's gateways accept: AES-128, SHA2-256,
PSK, GROUP = 14 or 19, NAT-T vendor ID) with fresh random initiator cookies to
DST:500 at RATE datagrams per second (0 = as fast as it can), each from a
forged source address of NET (a /24, e.g. 203.0.113.0: .1 to .254, the
addresses used in turn) and a random source port, through a raw socket.
Nobody lives at those addresses: whatever the gateway answers goes nowhere.
Prints the number sent every 10 s and at the end (SIGTERM). Used by the
swarm-flood-bench scenario (issue 15's flood benchmark)."""
import os
import signal
import socket
import struct
import sys
import time

dst, rate, net = sys.argv[1], float(sys.argv[2]), sys.argv[3]
group = int(sys.argv[4]) if len(sys.argv) > 4 else 14
base = net.rsplit(".", 1)[0]
sent = 0


def report(*_):
    print(f"spoof: {sent} datagrams sent", flush=True)
    if _:
        sys.exit(0)


signal.signal(signal.SIGTERM, report)


def tv(attr, value):  # a TV attribute (AF bit set)
    return struct.pack("!HH", 0x8000 | attr, value)


attrs = (tv(1, 7) + tv(14, 128) + tv(2, 4) + tv(3, 1) + tv(4, group)
         + tv(11, 1) + tv(12, 28800))
transform = struct.pack("!BBHBBH", 0, 0, 8 + len(attrs), 1, 1, 0) + attrs
proposal = struct.pack("!BBHBBBB", 0, 0, 8 + len(transform), 1, 1, 0, 1) + transform
sa_body = struct.pack("!II", 1, 1) + proposal  # DOI IPsec, SIT_IDENTITY_ONLY
vid = bytes.fromhex("4a131c81070358455c5728f20e95452f")  # RFC 3947
payloads = (struct.pack("!BBH", 13, 0, 4 + len(sa_body)) + sa_body
            + struct.pack("!BBH", 0, 0, 4 + len(vid)) + vid)
isakmp_len = 28 + len(payloads)
tail = struct.pack("!8sBBBBII", bytes(8), 1, 0x10, 2, 0, 0, isakmp_len) + payloads
udp_len = 8 + isakmp_len
dst_b = socket.inet_aton(dst)

s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
start = time.monotonic()
last_report = start
batch = max(1, int(rate / 100)) if rate > 0 else 64
host = 0
while True:
    now = time.monotonic()
    due = int((now - start) * rate) if rate > 0 else sent + batch
    while sent < due:
        for _ in range(min(batch, due - sent)):
            host = host % 254 + 1
            src = f"{base}.{host}"
            rnd = os.urandom(10)
            sport = 1024 + int.from_bytes(rnd[8:], "big") % 64000
            # IPv4 header: the kernel fills in the checksum (and the id when 0).
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0, 64,
                             socket.IPPROTO_UDP, 0, socket.inet_aton(src), dst_b)
            udp = struct.pack("!HHHH", sport, 500, udp_len, 0)  # no checksum (IPv4)
            try:
                s.sendto(ip + udp + rnd[:8] + tail, (dst, 0))
            except OSError:
                pass
            sent += 1
    if now - last_report >= 10:
        report()
        last_report = now
    if rate > 0:
        time.sleep(0.01)
