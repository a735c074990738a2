#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/e2e/lib/wirecheck.py PCAP CHECK: capture checks tshark cannot
express, printed as a packet count like a tshark display filter's, so that
the e2e harness judges them with the same MIN/MAX rule (e2e_capture_count
runs this for filters written "@CHECK").

Checks on the cleartext ISAKMP messages carrying NAT-D payloads (RFC 3947
s3.2: Main Mode 3/4, Aggressive Mode 2; payload type 20, or 130 of the
drafts). Each NAT-D is HASH(CKY-I | CKY-R | IP | Port), a plain hash with
the negotiated hash algorithm (the HASH attribute of the responder's chosen
transform, or of the initiator's only transform); the first NAT-D is the
destination of the packet as its sender addressed it, the others the
sender's own endpoints (natt/natd.c and tests/vectors/natt_vectors.py).
  natd:remote-ok          messages whose first NAT-D is the hash of the
                          packet's destination address and port
  natd:remote-bad         messages with NAT-D payloads whose first NAT-D is
                          not (or whose hash algorithm is unknown)
  natd:local-match:SEL    messages selected by SEL (src=IP or dst=IP) that
                          carry the hash of the packet's own source address
                          and port among their other NAT-D payloads (the
                          sender is not behind a NAT)
  natd:local-nomatch:SEL  the same messages without it (behind a NAT)
The capture must be seen between the NATs (on the public link): after the
sender's source NAT, before the receiver's destination NAT.
Reads pcap (Ethernet, Linux cooked or raw IP), IPv4 and IPv6, UDP 500 and
4500 (behind the non-ESP marker). Exit status 2 on a capture it cannot read.
"""
import hashlib
import ipaddress
import struct
import sys

NATD_TYPES = (20, 130)
SA_TYPE = 1
# IKEv1 HASH attribute (RFC 2409 appendix A, RFC 4868).
HASHES = {1: "md5", 2: "sha1", 4: "sha256", 5: "sha384", 6: "sha512"}


def packets(path):
    """(src, dst, sport, dport, udp payload) of every UDP packet."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("not a pcap file")
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        raise ValueError("not a pcap file (pcapng is not read)")
    linktype = struct.unpack(end + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1:  # Ethernet
            etype, l3 = struct.unpack("!H", frame[12:14])[0], frame[14:]
            while etype == 0x8100 and len(l3) >= 4:
                etype, l3 = struct.unpack("!H", l3[2:4])[0], l3[4:]
        elif linktype == 113:  # Linux cooked
            etype, l3 = struct.unpack("!H", frame[14:16])[0], frame[16:]
        elif linktype in (101, 228, 229):  # raw IP
            l3 = frame
            etype = 0x86DD if l3[:1] and l3[0] >> 4 == 6 else 0x0800
        else:
            raise ValueError("link type %d not read" % linktype)
        if etype == 0x0800 and len(l3) >= 20:
            ihl = (l3[0] & 15) * 4
            if l3[9] != 17 or struct.unpack("!H", l3[6:8])[0] & 0x1FFF:
                continue
            src, dst, l4 = l3[12:16], l3[16:20], l3[ihl:]
        elif etype == 0x86DD and len(l3) >= 40:
            if l3[6] != 17:
                continue
            src, dst, l4 = l3[8:24], l3[24:40], l3[40:]
        else:
            continue
        if len(l4) < 8:
            continue
        sport, dport = struct.unpack("!HH", l4[:4])
        yield src, dst, sport, dport, l4[8:]


def isakmp(sport, dport, body):
    """The ISAKMP message in a UDP payload, or None (ESP, keepalive)."""
    if 4500 in (sport, dport):
        if len(body) < 4 or body[:4] != b"\0\0\0\0":
            return None
        body = body[4:]
    elif 500 not in (sport, dport):
        return None
    if len(body) < 28:
        return None
    return body


def payloads(msg):
    """(type, body) of each payload of a cleartext ISAKMP message."""
    np = msg[16]
    off = 28
    while np and off + 4 <= len(msg):
        plen = struct.unpack("!H", msg[off + 2:off + 4])[0]
        if plen < 4 or off + plen > len(msg):
            return
        yield np, msg[off + 4:off + plen]
        np = msg[off]
        off += plen


def sa_hashes(body):
    """The HASH attribute of each transform of an IKEv1 SA payload body."""
    out = []
    off = 8  # DOI, situation
    while off + 8 <= len(body):
        plen = struct.unpack("!H", body[off + 2:off + 4])[0]
        prop = body[off + 4:off + plen]
        if plen < 8 or len(prop) < 4:
            break
        spisz, ntr = prop[2], prop[3]
        t = 4 + spisz
        for _ in range(ntr):
            if t + 8 > len(prop):
                break
            tlen = struct.unpack("!H", prop[t + 2:t + 4])[0]
            attrs = prop[t + 8:t + tlen]
            a, h = 0, None
            while a + 4 <= len(attrs):
                at, av = struct.unpack("!HH", attrs[a:a + 4])
                if at & 0x8000:
                    if at & 0x7FFF == 2:
                        h = av
                    a += 4
                else:
                    a += 4 + av
            out.append(h)
            if tlen < 8:
                break
            t += tlen
        off += plen
        if body[off - plen] == 0:  # last proposal
            break
    return out


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    path, check = sys.argv[1], sys.argv[2]
    parts = check.split(":")
    if parts[0] != "natd" or len(parts) < 2 or parts[1] not in (
            "remote-ok", "remote-bad", "local-match", "local-nomatch"):
        sys.stderr.write("wirecheck: unknown check %r\n" % check)
        return 2
    sel = None
    if parts[1].startswith("local"):
        if len(parts) != 3 or not parts[2].startswith(("src=", "dst=")):
            sys.stderr.write("wirecheck: %s needs src=IP or dst=IP\n" % parts[1])
            return 2
        key, ip = parts[2].split("=", 1)
        sel = (key, ipaddress.ip_address(ip).packed)
    try:
        pk = list(packets(path))
    except (OSError, ValueError, struct.error) as e:
        sys.stderr.write("wirecheck: %s: %s\n" % (path, e))
        return 2
    # First pass: the negotiated hash per initiator cookie.
    chosen, offered = {}, {}
    msgs = []
    for src, dst, sport, dport, body in pk:
        m = isakmp(sport, dport, body)
        if m is None or m[19] & 1:  # encrypted
            continue
        pls = list(payloads(m))
        msgs.append((src, dst, sport, dport, m, pls))
        for t, b in pls:
            if t != SA_TYPE:
                continue
            hs = sa_hashes(b)
            if m[8:16] != bytes(8) and len(hs) == 1:
                chosen[m[:8]] = hs[0]
            elif m[8:16] == bytes(8):
                offered[m[:8]] = hs
    n = 0
    for src, dst, sport, dport, m, pls in msgs:
        natd = [b for t, b in pls if t in NATD_TYPES]
        if not natd:
            continue
        alg = chosen.get(m[:8])
        if alg is None and len(offered.get(m[:8], [])) == 1:
            alg = offered[m[:8]][0]
        name = HASHES.get(alg)

        def h(addr, port):
            return hashlib.new(name, m[:16] + addr + struct.pack("!H", port)).digest()

        remote_ok = name is not None and natd[0] == h(dst, dport)
        if parts[1] == "remote-ok":
            n += remote_ok
            continue
        if parts[1] == "remote-bad":
            n += not remote_ok
            continue
        if (src if sel[0] == "src" else dst) != sel[1]:
            continue
        local = name is not None and h(src, sport) in natd[1:]
        n += local if parts[1] == "local-match" else not local
    print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
