#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Seed corpus of tests/fuzz/fuzz_engine_protected.c (input format there).

Run from the source root: python3 tests/fuzz/gen_engine_corpus.py
Writes tests/fuzz/corpus/engine_protected/*. Bodies are RFC 2408/2407
payload bodies; $CI0 $CI1 $CR0 $CR1 $SPI $SPO $MID are replaced by the
target with the real cookies, SPIs and M-ID.
"""
import os
import struct

OUT = "tests/fuzz/corpus/engine_protected"
SA, KE, ID, NONCE, N, D, VID, NATOA = 1, 4, 5, 10, 11, 12, 13, 21
COOKIES = b"$CI0$CI1$CR0$CR1"


def msg(what, msgid, flags, payloads):
    out = bytes([what]) + struct.pack(">I", msgid) + bytes([flags])
    for t, body in payloads:
        out += bytes([t]) + struct.pack(">H", len(body)) + body
    return out


def notify(ntype, proto=1, spi=COOKIES, data=b""):
    return struct.pack(">IBBH", 1, proto, len(spi), ntype) + spi + data


def delete(proto, spis, size):
    return struct.pack(">IBBH", 1, proto, size, len(spis)) + b"".join(spis)


def attr(t, v):
    return struct.pack(">HH", 0x8000 | t, v)


def sa_esp(spi=b"\xd0\x00\x02\x00", trans_id=12, attrs=None):
    if attrs is None:
        attrs = attr(1, 1) + attr(2, 3600) + attr(4, 1) + attr(5, 2) + attr(6, 128)
    t = struct.pack(">BBH", 0, 0, 8 + len(attrs)) + struct.pack(">BBH", 1, trans_id, 0) + attrs
    p = struct.pack(">BBBB", 1, 3, len(spi), 1) + spi + t
    prop = struct.pack(">BBH", 0, 0, 4 + len(p)) + p
    return struct.pack(">II", 1, 1) + prop


def idv4(a, port=0, proto=0, t=1):
    return struct.pack(">BBH", t, proto, port) + bytes(int(x) for x in a.split("."))


RW, GW = "203.0.113.5", "198.51.100.1"
SEEDS = {
    # Informational, rw -> gw
    "info_delete_esp": msg(0, 0x11111111, 0, [(D, delete(3, [b"$SPI"], 4))]),
    "info_delete_esp_other": msg(0, 0x11111112, 0, [(D, delete(3, [b"$SPO"], 4))]),
    "info_delete_ike": msg(0, 0x11111113, 0, [(D, delete(1, [COOKIES], 16))]),
    "info_delete_many": msg(0, 0x11111114, 0, [(D, delete(3, [b"$SPI", b"\0\0\0\1", b"$SPO"], 4))]),
    "info_delete_short": msg(0, 0x11111115, 0, [(D, struct.pack(">IBBH", 1, 3, 4, 65535) + b"$SPI")]),
    "info_rut": msg(0, 0x22222221, 0, [(N, notify(36136, data=b"\x00\x00\x00\x05"))]),
    "info_rut_replayed": msg(0, 0x22222222, 1, [(N, notify(36136, data=b"\x00\x00\x00\x06"))]),
    "info_rut_timers": msg(0, 0x22222223, 2, [(N, notify(36136, data=b"\x00\x00\x00\x07"))]),
    "info_ack": msg(0, 0x22222224, 2, [(N, notify(36137, data=b"\x00\x00\x00\x01"))]),
    "info_rut_bad_spi": msg(0, 0x22222225, 0, [(N, notify(36136, spi=b"\x01" * 255, data=b"\0\0\0\1"))]),
    "info_initial_contact": msg(0, 0x33333331, 0, [(N, notify(24578))]),
    "info_connected": msg(0, 0x33333332, 0, [(N, notify(16384, proto=3, spi=b"$SPO"))]),
    "info_error": msg(0, 0x33333333, 0, [(N, notify(14, proto=3, spi=b"$SPI"))]),
    "info_error_ike": msg(0, 0x33333334, 0, [(N, notify(24, proto=1))]),
    "info_mixed": msg(0, 0x33333335, 4, [(N, notify(24578)), (D, delete(3, [b"$SPI"], 4)),
                                          (N, notify(36136, data=b"\0\0\0\x09")), (VID, b"x" * 16)]),
    "info_empty": msg(0, 0x33333336, 0, []),
    "info_unknown_payload": msg(0, 0x33333337, 0, [(200, b"\xff" * 40)]),
    # Informational, gw -> rw
    "info_to_rw_delete": msg(3, 0x44444441, 0, [(D, delete(3, [b"$SPO"], 4))]),
    "info_to_rw_rut": msg(3, 0x44444442, 2, [(N, notify(36136, data=b"\0\0\0\2"))]),
    "info_to_rw_delete_ike": msg(3, 0x44444443, 0, [(D, delete(1, [COOKIES], 16))]),
    # Quick Mode 1, rw -> gw
    "qm1_basic": msg(1, 0x55555551, 0, [(SA, sa_esp()), (NONCE, b"n" * 32),
                                         (ID, idv4(RW)), (ID, idv4(GW))]),
    "qm1_no_ids": msg(1, 0x55555552, 0, [(SA, sa_esp()), (NONCE, b"n" * 32)]),
    "qm1_lifetimes": msg(1, 0x55555553, 4, [(SA, sa_esp()), (NONCE, b"n" * 32),
                                             (ID, idv4(RW)), (ID, idv4(GW))]),
    "qm1_claims_other": msg(1, 0x55555554, 0, [(SA, sa_esp()), (NONCE, b"n" * 32),
                                                (ID, idv4("8.8.8.8")), (ID, idv4(GW))]),
    "qm1_subnet": msg(1, 0x55555555, 0, [(SA, sa_esp()), (NONCE, b"n" * 32),
                                          (ID, idv4(RW)), (ID, struct.pack(">BBH", 4, 0, 0) + bytes([10, 9, 0, 0, 255, 255, 255, 0]))]),
    "qm1_natoa": msg(1, 0x55555556, 0, [(SA, sa_esp(attrs=attr(1, 1) + attr(2, 3600) + attr(4, 3) + attr(5, 2) + attr(6, 128))),
                                         (NONCE, b"n" * 32), (NATOA, idv4("10.0.0.2")), (NATOA, idv4(GW))]),
    "qm1_ke_no_pfs": msg(1, 0x55555557, 0, [(SA, sa_esp()), (NONCE, b"n" * 32), (KE, b"k" * 64)]),
    "qm1_bad_transform": msg(1, 0x55555558, 0, [(SA, sa_esp(trans_id=99, attrs=attr(16000, 1))), (NONCE, b"n" * 8)]),
    "qm1_tiny_nonce": msg(1, 0x55555559, 0, [(SA, sa_esp()), (NONCE, b"n")]),
    "qm1_truncated_sa": msg(1, 0x5555555a, 0, [(SA, sa_esp()[:20]), (NONCE, b"n" * 32)]),
    # Quick Mode 2, gw -> rw (answering the rw's own QM1)
    "qm2_basic": msg(2, 0, 0, [(SA, sa_esp(spi=b"\xc0\x00\x02\x00")), (NONCE, b"r" * 32)]),
    "qm2_with_ids": msg(2, 0, 0, [(SA, sa_esp(spi=b"\xc0\x00\x02\x00")), (NONCE, b"r" * 32),
                                   (ID, idv4(RW)), (ID, idv4(GW))]),
    "qm2_timers": msg(2, 0, 6, [(SA, sa_esp(spi=b"\xc0\x00\x02\x00")), (NONCE, b"r" * 32)]),
    "qm2_error_notify": msg(2, 0, 0, [(SA, sa_esp()), (NONCE, b"r" * 32), (N, notify(14, proto=3, spi=b"$SPI"))]),
    "qm2_zero_spi": msg(2, 0, 0, [(SA, sa_esp(spi=b"\0\0\0\0")), (NONCE, b"r" * 32)]),
}

os.makedirs(OUT, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
print(f"{len(SEEDS)} seeds in {OUT}")
