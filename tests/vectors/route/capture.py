#!/usr/bin/env python3
# Capture the kernel's rtnetlink replies that tests/xfrm/check_xfrm_route.c replays.
# Run as root on a Linux host: it builds a scratch network namespace (veth
# pairs only, documentation addresses), sends RTM_GETROUTE requests built
# here independently of xfrm/route.c, writes every reply byte for byte and
# removes the namespace. Nothing leaves the namespace: route lookups send no
# packets. Usage: capture.py OUTDIR
import os
import socket
import struct
import subprocess
import sys

NS = "natkeyd-route-cap"
NLMSG_ERROR, NLMSG_DONE = 2, 3
RTM_GETROUTE = 26
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
RTA_DST = 1
SEQ_DUMP, SEQ_GET = 7, 8


def ip(*args):
    subprocess.run(["ip", "-n", NS] + list(args), check=True)


def request(family, dst, seq):
    rtm = struct.pack("=BBBBBBBBI", family, 0, 0, 0, 0, 0, 0, 0, 0)
    flags = NLM_F_REQUEST
    attrs = b""
    if dst is None:
        flags |= NLM_F_DUMP
    else:
        raw = socket.inet_pton(family, dst)
        rtm = struct.pack("=BBBBBBBBI", family, len(raw) * 8, 0, 0, 0, 0, 0, 0, 0)
        attrs = struct.pack("=HH", 4 + len(raw), RTA_DST) + raw
    body = rtm + attrs
    return struct.pack("=IHHII", 16 + len(body), RTM_GETROUTE, flags, seq, 0) + body


def query(family, dst):
    seq = SEQ_DUMP if dst is None else SEQ_GET
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)  # NETLINK_ROUTE
    s.bind((0, 0))
    s.send(request(family, dst, seq))
    out = b""
    while True:
        chunk = s.recv(65536)
        out += chunk
        off, last = 0, None
        while off + 16 <= len(chunk):
            ln, typ = struct.unpack_from("=IH", chunk, off)
            last = typ
            off += (ln + 3) & ~3
        if dst is not None or last in (NLMSG_DONE, NLMSG_ERROR):
            break
    s.close()
    return out


def main():
    outdir = sys.argv[1]
    subprocess.run(["ip", "netns", "del", NS], stderr=subprocess.DEVNULL)
    subprocess.run(["ip", "netns", "add", NS], check=True)
    try:
        ip("link", "set", "lo", "up")
        ip("link", "add", "v0", "type", "veth", "peer", "name", "v1")
        ip("link", "add", "v2", "type", "veth", "peer", "name", "v3")
        for i in ("v0", "v1", "v2", "v3"):
            ip("link", "set", i, "up")
        ip("addr", "add", "192.0.2.10/24", "dev", "v0")
        ip("addr", "add", "198.51.100.7/24", "dev", "v2")
        ip("-6", "addr", "add", "2001:db8::10/64", "dev", "v0", "nodad")
        ip("route", "add", "default", "via", "192.0.2.1", "dev", "v0", "metric", "100")
        ip("route", "add", "default", "via", "198.51.100.1", "dev", "v2", "metric", "200",
           "src", "198.51.100.7")
        ip("-6", "route", "add", "default", "via", "2001:db8::1", "dev", "v0")
        subprocess.run(["ip", "netns", "exec", NS, sys.executable, __file__, "--inner", outdir],
                       check=True)
    finally:
        subprocess.run(["ip", "netns", "del", NS])


def inner(outdir):
    caps = {
        "dump4-two-defaults.bin": (socket.AF_INET, None),
        "get4-gateway.bin": (socket.AF_INET, "192.0.2.1"),
        "get4-local.bin": (socket.AF_INET, "192.0.2.10"),
        "dump6.bin": (socket.AF_INET6, None),
        "get6-gateway.bin": (socket.AF_INET6, "2001:db8::1"),
        "get6-local.bin": (socket.AF_INET6, "2001:db8::10"),
    }
    for name, (fam, dst) in caps.items():
        open(os.path.join(outdir, name), "wb").write(query(fam, dst))
    subprocess.run(["ip", "route", "del", "default", "via", "192.0.2.1"], check=True)
    open(os.path.join(outdir, "dump4-prefsrc.bin"), "wb").write(query(socket.AF_INET, None))
    subprocess.run(["ip", "route", "del", "default"], check=True)
    open(os.path.join(outdir, "dump4-none.bin"), "wb").write(query(socket.AF_INET, None))
    open(os.path.join(outdir, "get4-unreach.bin"), "wb").write(
        query(socket.AF_INET, "203.0.113.5"))


if __name__ == "__main__":
    if sys.argv[1] == "--inner":
        inner(sys.argv[2])
    else:
        main()
