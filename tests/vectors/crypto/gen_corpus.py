#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Seed corpus of tests/fuzz/fuzz_crypto_peer.c (replayed by `make check`).

    /usr/bin/python3 tests/vectors/crypto/gen_corpus.py

writes the seed files tests/vectors/crypto/corpus/*.bin: byte 0 selects the
entry point (0 cert DER, 1 ID match, 2 DH peer value, 3 RSA SIG), the rest is
the input.  Files named by their SHA-1 were added by libFuzzer runs
(--enable-fuzzing; tests/fuzz/fuzz_crypto_peer tests/vectors/crypto/corpus) and
are kept: this script only (re)writes the seeds.
"""
import hashlib
import ipaddress
import os
import random

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

import sys

sys.dont_write_bytecode = True
from gen_sig import raw_sign  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PKI = os.path.join(HERE, "..", "..", "data", "pki")
OUT = os.path.join(HERE, "corpus")
rnd = random.Random(0xF022)

# RFC 3526 s3, 2048-bit MODP prime (group 14), index 2 in the fuzz group table.
P14 = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
    "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B"
    "0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA4836"
    "1C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804"
    "F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6"
    "955817183995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF", 16)


def main():
    os.makedirs(OUT, exist_ok=True)

    def put(name, data):
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)

    gw = x509.load_pem_x509_certificate(open(os.path.join(PKI, "gw.pem"), "rb").read())
    leaf2 = x509.load_pem_x509_certificate(open(os.path.join(PKI, "leaf2.pem"), "rb").read())
    gw_der = gw.public_bytes(serialization.Encoding.DER)
    put("cert-gw.bin", b"\x00" + gw_der)
    put("cert-leaf2.bin", b"\x00" + leaf2.public_bytes(serialization.Encoding.DER))
    put("cert-truncated.bin", b"\x00" + gw_der[:300])
    put("cert-empty.bin", b"\x00")

    put("id-ipv4.bin", b"\x01\x01" + ipaddress.ip_address("192.0.2.1").packed)
    put("id-ipv6.bin", b"\x01\x05" + ipaddress.ip_address("2001:db8::1").packed)
    put("id-fqdn.bin", b"\x01\x02gw.example.org")
    put("id-user-fqdn.bin", b"\x01\x03vpn@example.org")
    put("id-dn.bin", b"\x01\x09" + gw.subject.public_bytes())
    put("id-dn-garbage.bin", b"\x01\x09\x30\x82\xff\xff\x31")

    x = rnd.getrandbits(256)
    put("dh-modp2048.bin", b"\x02\x02" + pow(2, x, P14).to_bytes(256, "big"))
    put("dh-modp2048-pminus1.bin", b"\x02\x02" + (P14 - 1).to_bytes(256, "big"))
    pub = ec.derive_private_key(x % (2**255), ec.SECP256R1()).public_key().public_numbers()
    put("dh-ecp256.bin", b"\x02\x05" + pub.x.to_bytes(32, "big") + pub.y.to_bytes(32, "big"))
    put("dh-ecp256-offcurve.bin", b"\x02\x05" + pub.x.to_bytes(32, "big") +
        (pub.y + 1).to_bytes(32, "big"))
    put("dh-short.bin", b"\x02\x07\x01\x02\x03")

    key = serialization.load_pem_private_key(open(os.path.join(PKI, "gw.key"), "rb").read(), None)
    h = hashlib.sha1(b"natkeyd fuzz").digest()
    sig = raw_sign(key, h)
    put("sig-valid.bin", b"\x03" + sig)
    put("sig-flipped.bin", b"\x03" + sig[:-1] + bytes([sig[-1] ^ 1]))
    put("sig-short.bin", b"\x03" + sig[:100])


if __name__ == "__main__":
    main()
