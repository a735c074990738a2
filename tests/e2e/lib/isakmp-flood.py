#!/usr/bin/env python3
"""isakmp-flood.py DST PORT RATE [SECONDS]: send 28-byte ISAKMP headers (a
random initiator cookie, zero responder cookie, Main Mode, first payload SA
but none present) to
DST:PORT at RATE datagrams per second, forever or for SECONDS. Prints the
number sent every 10 s and at the end (SIGTERM). Used by the swarm scenarios
(tests/e2e/lib/loadtester-swarm.sh): traffic that costs no authentication."""
import os
import signal
import socket
import struct
import sys
import time

dst, port, rate = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
limit = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
sent = 0


def report(*_):
    print(f"flood: {sent} datagrams sent", flush=True)
    if _:
        sys.exit(0)


signal.signal(signal.SIGTERM, report)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect((dst, port))
# ICookie(8) RCookie(8)=0 NextPayload=1 (SA, which is not there: the header
# alone passes a header check) Version=0x10 Exch=2 (Main Mode)
# Flags=0 MessageID=0 Length=28
tail = struct.pack("!8sBBBBII", bytes(8), 1, 0x10, 2, 0, 0, 28)
start = time.monotonic()
last_report = start
batch = max(1, int(rate / 100))  # send in bursts, 100 bursts a second
while True:
    now = time.monotonic()
    if limit and now - start >= limit:
        break
    due = int((now - start) * rate)
    while sent < due:
        for _ in range(min(batch, due - sent)):
            try:
                s.send(os.urandom(8) + tail)
            except OSError:
                pass
            sent += 1
    if now - last_report >= 10:
        report()
        last_report = now
    time.sleep(0.01)
report()
