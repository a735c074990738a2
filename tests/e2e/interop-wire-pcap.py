#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/e2e/interop-wire-pcap.py VARIANT ROLE TOPOLOGY PUB.pcap RW.pcap

Craft the two captures of one interoperability matrix row (Main Mode PSK,
tunnel) for tests/e2e/interop-wire-selftest: PUB as seen on the public
link, RW on the road warrior's own link (before its NAT). ROLE is natkeyd's
(i: natkeyd is the road warrior and initiates, r: natkeyd is the gateway);
TOPOLOGY rw-nat (the road warrior behind a NAPT that moves its ports) or
direct (no NAT). VARIANT "good" is what a correct row puts on the wire; every
other variant breaks one property the row's wire assertions claim
(tests/e2e/interop-wire.sh), so the assertions must fail on it:

  plain-esp         ESP as IP protocol 50 next to the ESP in UDP
  no-natd           Main Mode 3/4 without NAT-D payloads
  natd-wrong-port   the gateway's first NAT-D hashes port 500, not the NAT's
  natd-wrong-alg    NAT-D hashed with SHA-1, the SA negotiated SHA2-256
  natd-no-nat       the road warrior's NAT-D hashes its public endpoint
  natd-nat-direct   (direct) the road warrior's NAT-D hashes another address
  cleartext-ping    an ICMP echo request to the server on the public link
  cleartext-reply   the reverse ping: an echo reply from the road warrior
  cleartext-tcp     a TCP segment on the public link
  no-float          Main Mode 5/6 and Quick Mode stay on port 500
  no-esp-in-udp     no ESP in UDP 4500 towards the gateway
  float-direct      (direct) ESP in UDP 4500 although there is no NAT
  no-rfc-vid        Main Mode 1 without the RFC 3947 vendor ID
  no-draft-vid      natkeyd's Main Mode 1 without draft-02\\n / draft-03
  no-dpd-vid        natkeyd's first message without the DPD vendor ID
  resp-draft-vid    natkeyd as responder echoes a draft VID too
  initiator-port    the road warrior floats from source port 500
  delete-on-500     natkeyd's Deletes (Informational) on port 500
  delete-only-icmp  no Deletes from natkeyd, only ICMP errors quoting the
                    peer's own Deletes (same addresses, same ports)
  resp-vid-icmp     Main Mode 2 without the RFC 3947 VID, and an ICMP error
                    from the gateway quoting Main Mode 1 (which has it)
  resp-draft-icmp   (role r) a correct Main Mode 2, and an ICMP error from
                    the gateway quoting Main Mode 1 with its draft VIDs

Addresses: the rw-nat topology's (tests/e2e/topologies/rw-nat.topo).
Cookies, nonces and ciphertext are fixed pseudo-random bytes.
"""
import hashlib
import random
import struct
import sys

RW_PRIV = "10.1.0.2"
NAT_PUB = "198.51.100.2"
GW = "192.0.2.1"
SRV = "10.9.0.10"
NAT_P500, NAT_P4500 = 20500, 24500

VID = {
    "rfc3947": hashlib.md5(b"RFC 3947").digest(),
    "d02n": hashlib.md5(b"draft-ietf-ipsec-nat-t-ike-02\n").digest(),
    "d03": hashlib.md5(b"draft-ietf-ipsec-nat-t-ike-03").digest(),
    "dpd": bytes.fromhex("afcad71368a1f1c96b8696fc77570100"),
}
rnd = random.Random(3947)


def rbytes(n):
    return bytes(rnd.getrandbits(8) for _ in range(n))


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), rnd.getrandbits(16), 0x4000,
                    64, proto, 0, ip4(src), ip4(dst))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def udp(src, dst, sport, dport, payload):
    return ipv4(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)


def payload_chain(pls):
    out = b""
    for i, (t, body) in enumerate(pls):
        nxt = pls[i + 1][0] if i + 1 < len(pls) else 0
        out += struct.pack("!BBH", nxt, 0, 4 + len(body)) + body
    return out


def isakmp(icky, rcky, xchg, pls, flags=0, msgid=0, enc_np=0):
    if flags & 1:  # encrypted: the first payload type, then ciphertext
        body, np = rbytes(64), enc_np
    else:
        body, np = payload_chain(pls), pls[0][0] if pls else 0
    return struct.pack("!8s8sBBBBII", icky, rcky, np, 0x10, xchg, flags, msgid, 28 + len(body)) + body


def sa_payload(hashes):
    trans = b""
    for i, h in enumerate(hashes):
        attrs = b"".join(struct.pack("!HH", 0x8000 | t, v) for t, v in
                         ((1, 7), (14, 128), (2, h), (3, 1), (4, 14), (11, 1), (12, 3600)))
        body = struct.pack("!BBH", i + 1, 1, 0) + attrs
        trans += struct.pack("!BBH", 3 if i + 1 < len(hashes) else 0, 0, 4 + len(body)) + body
    prop = struct.pack("!BBBB", 1, 1, 0, len(hashes)) + trans
    return struct.pack("!II", 1, 1) + struct.pack("!BBH", 0, 0, 4 + len(prop)) + prop


def natd(alg, icky, rcky, addr, port):
    return hashlib.new(alg, icky + rcky + ip4(addr) + struct.pack("!H", port)).digest()


def main():
    if len(sys.argv) != 6:
        sys.stderr.write(__doc__)
        return 2
    var, role, topo, pub_path, rw_path = sys.argv[1:]
    nat = topo == "rw-nat"
    icky, rcky = rbytes(8), rbytes(8)
    # The road warrior's endpoints: its own, and as the public link shows it.
    rw_own = RW_PRIV if nat else NAT_PUB
    pub500 = NAT_P500 if nat else 500
    pub4500 = NAT_P4500 if nat else 4500
    float_ = nat and var != "no-float"
    if var == "float-direct":
        float_ = True
    alg = "sha1" if var == "natd-wrong-alg" else "sha256"
    # Each packet: (direction, kind, ike, payload): kind ike500, ike4500,
    # espudp, esp, icmp, tcp; direction "out" = road warrior -> gateway.
    pk = []

    def ike(d, msg, on4500):
        pk.append((d, "ike4500" if on4500 else "ike500", msg))

    vids_i = ["rfc3947", "d02n", "d03", "dpd"]
    if var == "no-rfc-vid":
        vids_i.remove("rfc3947")
    if var == "no-draft-vid" and role == "i":
        vids_i = [v for v in vids_i if v not in ("d02n", "d03")]
    if var == "no-dpd-vid" and role == "i":
        vids_i.remove("dpd")
    vids_r = ["rfc3947", "dpd"]
    if var == "resp-vid-icmp":
        vids_r.remove("rfc3947")
    if var == "no-dpd-vid" and role == "r":
        vids_r.remove("dpd")
    if var == "resp-draft-vid":
        vids_r.append("d03")
    mm1 = isakmp(icky, bytes(8), 2, [(1, sa_payload([4, 2]))] + [(13, VID[v]) for v in vids_i])
    ike("out", mm1, False)
    if var in ("resp-vid-icmp", "resp-draft-icmp"):
        pk.append(("in", "icmperr500", mm1))
    ike("in", isakmp(icky, rcky, 2, [(1, sa_payload([4]))] + [(13, VID[v]) for v in vids_r]), False)
    # NAT-D: the initiator's (road warrior) and the responder's (gateway).
    if var == "natd-no-nat":
        own = natd(alg, icky, rcky, NAT_PUB, pub500)
    elif var == "natd-nat-direct":
        own = natd(alg, icky, rcky, RW_PRIV, 500)
    else:
        own = natd(alg, icky, rcky, rw_own, 500)
    nd_i = [natd(alg, icky, rcky, GW, 500), own]
    nd_r = [natd(alg, icky, rcky, NAT_PUB, 500 if var == "natd-wrong-port" and nat else pub500),
            natd(alg, icky, rcky, GW, 500)]
    if var == "no-natd":
        nd_i = nd_r = []
    ke = [(4, rbytes(256)), (10, rbytes(32))]
    ike("out", isakmp(icky, rcky, 2, ke + [(20, h) for h in nd_i]), False)
    ike("in", isakmp(icky, rcky, 2, ke + [(20, h) for h in nd_r]), False)
    ike("out", isakmp(icky, rcky, 2, [], flags=1, enc_np=5), float_)
    ike("in", isakmp(icky, rcky, 2, [], flags=1, enc_np=5), float_)
    mid = rnd.getrandbits(32)
    for d in ("out", "in", "out"):
        ike(d, isakmp(icky, rcky, 32, [], flags=1, msgid=mid, enc_np=8), float_)
    spi_o, spi_i = rnd.getrandbits(32) | 1, rnd.getrandbits(32) | 1
    for seq in range(1, 7):
        if var != "no-esp-in-udp":
            pk.append(("out", "espudp" if float_ else "esp", struct.pack("!II", spi_o, seq) + rbytes(80)))
        pk.append(("in", "espudp" if float_ else "esp", struct.pack("!II", spi_i, seq) + rbytes(80)))
    if var == "plain-esp":
        pk.append(("out", "esp", struct.pack("!II", spi_o, 7) + rbytes(80)))
        pk.append(("in", "esp", struct.pack("!II", spi_i, 7) + rbytes(80)))
    if var == "cleartext-ping":
        pk.append(("out", "icmp", struct.pack("!BBHHH", 8, 0, 0, 1, 1) + rbytes(48)))
    if var == "cleartext-reply":
        pk.append(("out", "icmpreply", struct.pack("!BBHHH", 0, 0, 0, 1, 1) + rbytes(48)))
    if var == "cleartext-tcp":
        pk.append(("out", "tcp", struct.pack("!HHIIBBHHH", 40000, 5002, 1, 0, 0x50, 0x18, 65535, 0, 0) + rbytes(100)))
    # natkeyd's Deletes at the end (ESP, then ISAKMP).
    dd = "out" if role == "i" else "in"
    for _ in range(2):
        msg = isakmp(icky, rcky, 5, [], flags=1, msgid=rnd.getrandbits(32), enc_np=8)
        if var == "delete-only-icmp":
            # The peer's Delete to natkeyd (gone): port unreachable back.
            pk.append((dd, "icmperr4500", msg))
        else:
            ike(dd, msg, float_ and var != "delete-on-500")

    def frames(view):
        rw_addr = NAT_PUB if view == "pub" else rw_own
        for d, kind, data in pk:
            if kind in ("ike4500", "espudp"):
                rp = pub4500 if view == "pub" else 4500
                if var == "initiator-port" and kind == "ike4500" and view == "rw":
                    rp = 500
                body = (b"\0\0\0\0" + data) if kind == "ike4500" else data
                ports = (rp, 4500)
            elif kind == "ike500":
                ports, body = (pub500 if view == "pub" else 500, 500), data
            if kind in ("ike500", "ike4500", "espudp"):
                if d == "out":
                    yield udp(rw_addr, GW, ports[0], ports[1], body)
                else:
                    yield udp(GW, rw_addr, ports[1], ports[0], body)
            elif kind == "esp":
                yield ipv4(rw_addr, GW, 50, data) if d == "out" else ipv4(GW, rw_addr, 50, data)
            elif kind == "icmp":
                yield ipv4(rw_addr, SRV, 1, data)
            elif kind == "icmpreply":
                yield ipv4(rw_addr, SRV, 1, data)
            elif kind == "tcp":
                yield ipv4(rw_addr, SRV, 6, data)
            elif kind in ("icmperr500", "icmperr4500"):
                # An ICMP port unreachable from the side in direction d,
                # quoting the other side's message to it.
                if kind == "icmperr4500":
                    rp, gp, data = pub4500 if view == "pub" else 4500, 4500, b"\0\0\0\0" + data
                else:
                    rp, gp = pub500 if view == "pub" else 500, 500
                if d == "out":
                    inner = udp(GW, rw_addr, gp, rp, data)
                    src, dst = rw_addr, GW
                else:
                    inner = udp(rw_addr, GW, rp, gp, data)
                    src, dst = GW, rw_addr
                icmp = struct.pack("!BBHI", 3, 3, 0, 0) + inner
                icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
                yield ipv4(src, dst, 1, icmp)

    for path, view in ((pub_path, "pub"), (rw_path, "rw")):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
            t = 1700000000.0
            for fr in frames(view):
                eth = b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00" + fr
                t += 0.01
                f.write(struct.pack("<IIII", int(t), int(t % 1 * 1e6), len(eth), len(eth)) + eth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
