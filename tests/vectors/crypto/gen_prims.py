#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Reference values for the primitives (tests/ike/crypto/check_crypto.c).

Hash/HMAC/prf expansion: Python hashlib/hmac.  CBC: python3-cryptography
(plus the NIST SP 800-38A F.2.1 AES-128-CBC vector, self-checked).  MODP DH:
the primes are read from the RFC texts (RFC 2409 6.2, RFC 3526 s2-s5) and the
values computed with Python's pow(); private values are searched so that a
public value and a shared secret start with a zero octet (left-padding is
exercised).  ECP DH: the RFC 5114 A.6-A.8 test data (the 256/384/521-bit
random ECP groups are NIST P-256/384/521 = IKE groups 19/20/21) read from
the RFC text and cross-checked with python3-cryptography, plus searched
leading-zero cases.

    /usr/bin/python3 tests/vectors/crypto/gen_prims.py [RFC_DIR] \
        > tests/vectors/crypto/prims_vectors.h

RFC_DIR defaults to /work/shared/rfc (needed only to regenerate).
"""
import hashlib
import hmac
import random
import re
import sys

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

RFC_DIR = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/rfc"
rnd = random.Random(0xC0FFEE)


def rb(n):
    return bytes(rnd.getrandbits(8) for _ in range(n))


def c_bytes(b, indent="\t\t\t"):
    if not b:
        return "{ 0 }"
    rows = [", ".join("0x%02x" % x for x in b[i:i + 12]) for i in range(0, len(b), 12)]
    if len(rows) == 1:
        return "{ " + rows[0] + " }"
    return "{\n" + ",\n".join(indent + r for r in rows) + ",\n" + indent[:-1] + "}"


def field(name, b):
    print("\t\t.%s = %s," % (name, c_bytes(b)))
    print("\t\t.%s_len = %d," % (name, len(b)))


HASHES = [("IKE_HASH_MD5", hashlib.md5), ("IKE_HASH_SHA1", hashlib.sha1),
          ("IKE_HASH_SHA2_256", hashlib.sha256), ("IKE_HASH_SHA2_384", hashlib.sha384),
          ("IKE_HASH_SHA2_512", hashlib.sha512)]


def emit_hashes():
    print("struct hash_vector {\n\tenum ike_hash_alg alg;")
    for f in ["msg", "key", "digest", "mac", "expand"]:
        print("\tuint8_t %s[400];\n\tsize_t %s_len;" % (f, f))
    print("};\n")
    print("static const struct hash_vector hash_vectors[] = {")
    cases = []
    for enum, h in HASHES:
        # RFC 2202 / 4231 style "Jefe" case, and a key longer than the block.
        cases.append((enum, h, b"what do ya want for nothing?", b"Jefe"))
        cases.append((enum, h, rb(200), rb(131)))
    for enum, h, msg, key in cases:
        dig = h(msg).digest()
        mac = hmac.new(key, msg, h).digest()
        # RFC 2409 App. B: BLOCK1 = prf(K, data), BLOCKn+1 = prf(K, BLOCKn | data)
        out, blk = b"", b""
        while len(out) < 150:
            blk = hmac.new(key, blk + msg, h).digest()
            out += blk
        print("\t{")
        print("\t\t.alg = %s," % enum)
        field("msg", msg)
        field("key", key)
        field("digest", dig)
        field("mac", mac)
        field("expand", out[:150])
        print("\t},")
    print("};\n")


def emit_ciphers():
    print("struct cbc_vector {\n\tenum ike_cipher_alg alg;\n\tunsigned int key_bits;")
    for f in ["key", "iv", "pt", "ct"]:
        print("\tuint8_t %s[80];\n\tsize_t %s_len;" % (f, f))
    print("};\n")
    print("static const struct cbc_vector cbc_vectors[] = {")
    nist_key = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")
    nist_iv = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
    nist_pt = bytes.fromhex("6bc1bee22e409f96e93d7e117393172a")
    nist_ct = bytes.fromhex("7649abac8119b246cee98e9b12e9197d")
    cases = [("IKE_CIPHER_AES_CBC", 128, nist_key, nist_iv, nist_pt, nist_ct)]
    for bits in (128, 192, 256):
        cases.append(("IKE_CIPHER_AES_CBC", bits, rb(bits // 8), rb(16), rb(64), None))
    cases.append(("IKE_CIPHER_3DES_CBC", 0, rb(24), rb(8), rb(40), None))
    for enum, bits, key, iv, pt, ct in cases:
        if enum == "IKE_CIPHER_AES_CBC":
            alg = algorithms.AES(key)
        else:
            alg = algorithms.TripleDES(key)
        enc = Cipher(alg, modes.CBC(iv)).encryptor()
        got = enc.update(pt) + enc.finalize()
        if ct is not None:
            assert got == ct, "NIST SP 800-38A F.2.1 self-check failed"
        print("\t{")
        print("\t\t.alg = %s,\n\t\t.key_bits = %d," % (enum, bits))
        field("key", key)
        field("iv", iv)
        field("pt", pt)
        field("ct", got)
        print("\t},")
    print("};\n")


def hex_block(lines):
    return bytes.fromhex("".join("".join(l.split()) for l in lines))


def rfc_prime(path, start_pat):
    """Hex lines after `start_pat` and 'hexadecimal value is' up to 'generator'."""
    text = open(path).read().splitlines()
    i = next(n for n, l in enumerate(text) if re.search(start_pat, l))
    i = next(n for n in range(i, len(text)) if "hexadecimal value is" in text[n])
    hexl = []
    for l in text[i + 1:]:
        if "generator" in l:
            break
        if re.fullmatch(r"\s*([0-9A-Fa-f]{8}\s*)+", l):
            hexl.append(l)
    return int(hex_block(hexl).hex(), 16)


MODP = [
    ("IKE_DH_MODP_1024", "rfc2409.txt", r"^6\.2 Second Oakley Group"),
    ("IKE_DH_MODP_1536", "rfc3526.txt", r"^2\.\s+1536-bit MODP Group"),
    ("IKE_DH_MODP_2048", "rfc3526.txt", r"^3\.\s+2048-bit MODP Group"),
    ("IKE_DH_MODP_3072", "rfc3526.txt", r"^4\.\s+3072-bit MODP Group"),
    ("IKE_DH_MODP_4096", "rfc3526.txt", r"^5\.\s+4096-bit MODP Group"),
]


def i2b(x, n):
    return x.to_bytes(n, "big")


def emit_modp():
    print("struct modp_vector {\n\tenum ike_dh_group group;")
    for f in ["p", "xa", "ya", "xb", "yb", "z"]:
        print("\tuint8_t %s[512];\n\tsize_t %s_len;" % (f, f))
    print("};\n")
    print("static const struct modp_vector modp_vectors[] = {")
    for enum, fname, pat in MODP:
        p = rfc_prime(RFC_DIR + "/" + fname, pat)
        n = (p.bit_length() + 7) // 8
        assert pow(2, (p - 1) // 2, p) == 1  # 2 generates the order-q subgroup
        while True:  # public value with a leading zero octet
            xa = rnd.getrandbits(256) | 1 << 255
            ya = pow(2, xa, p)
            if ya < 1 << (8 * (n - 1)):
                break
        while True:  # shared secret with a leading zero octet
            xb = rnd.getrandbits(256) | 1 << 255
            yb = pow(2, xb, p)
            z = pow(yb, xa, p)
            if z < 1 << (8 * (n - 1)):
                break
        assert z == pow(ya, xb, p)
        print("\t{\n\t\t.group = %s," % enum)
        field("p", i2b(p, n))
        field("xa", i2b(xa, 32))
        field("ya", i2b(ya, n))
        field("xb", i2b(xb, 32))
        field("yb", i2b(yb, n))
        field("z", i2b(z, n))
        print("\t},")
    print("};\n")


def rfc5114_section(name):
    text = open(RFC_DIR + "/rfc5114.txt").read().splitlines()
    start = next(n for n, l in enumerate(text) if l.startswith(name))
    vals, cur = {}, None
    for l in text[start + 1:]:
        if re.match(r"^A\.\d", l) or l.startswith("Normative"):
            break
        m = re.match(r"^\s+(\w+)\s+=\s*(.*)$", l)
        if m:
            cur = m.group(1)
            vals[cur] = m.group(2)
        elif cur and re.fullmatch(r"\s*([0-9A-Fa-f]{4,8}\s*)+", l):
            vals[cur] += l
    return {k: int("".join(v.split()), 16) for k, v in vals.items()}


ECP = [("IKE_DH_ECP_256", "A.6.", ec.SECP256R1(), 32),
       ("IKE_DH_ECP_384", "A.7.", ec.SECP384R1(), 48),
       ("IKE_DH_ECP_521", "A.8.", ec.SECP521R1(), 66)]
ECP_P = {32: 2**256 - 2**224 + 2**192 + 2**96 - 1,
         48: 2**384 - 2**128 - 2**96 + 2**32 - 1,
         66: 2**521 - 1}


def ec_pub(d, curve, n):
    k = ec.derive_private_key(d, curve)
    nums = k.public_key().public_numbers()
    return k, i2b(nums.x, n) + i2b(nums.y, n)


def emit_ecp():
    print("struct ecp_vector {\n\tenum ike_dh_group group;\n\tconst char *src;")
    for f in ["p", "da", "qa", "db", "qb", "z"]:
        print("\tuint8_t %s[140];\n\tsize_t %s_len;" % (f, f))
    print("};\n")
    print("static const struct ecp_vector ecp_vectors[] = {")
    for enum, sec, curve, n in ECP:
        v = rfc5114_section(sec)
        cases = [("RFC 5114 " + sec.rstrip("."), v["dA"], v["dB"], v["x_Z"])]
        # Searched case: public x and shared x both starting with a zero octet.
        while True:
            da = rnd.getrandbits(8 * n - 16) + 1
            ka, qa = ec_pub(da, curve, n)
            if qa[0] == 0:
                break
        while True:
            db = rnd.getrandbits(8 * n - 16) + 1
            kb, qb = ec_pub(db, curve, n)
            z = ka.exchange(ec.ECDH(), kb.public_key())
            if z[0] == 0:
                break
        cases.append(("searched leading zeros", da, db, int(z.hex(), 16)))
        for src, da, db, z in cases:
            ka, qa = ec_pub(da, curve, n)
            kb, qb = ec_pub(db, curve, n)
            assert ka.exchange(ec.ECDH(), kb.public_key()) == i2b(z, n)
            dlen = (da.bit_length() + 7) // 8
            print("\t{\n\t\t.group = %s,\n\t\t.src = \"%s\"," % (enum, src))
            field("p", i2b(ECP_P[n], n))
            field("da", i2b(da, max(dlen, 1)))
            field("qa", qa)
            field("db", i2b(db, n))
            field("qb", qb)
            field("z", i2b(z, n))
            print("\t},")
    print("};\n")


def check_rfc5114_publics():
    # The RFC lists the public values; make sure our reading of the text and
    # python3-cryptography agree on them (A.6-A.8 list x_qA, y_qA, then the
    # B values under the labels x_qB, y_qB).
    for enum, sec, curve, n in ECP:
        v = rfc5114_section(sec)
        _, qa = ec_pub(v["dA"], curve, n)
        _, qb = ec_pub(v["dB"], curve, n)
        assert qa == i2b(v["x_qA"], n) + i2b(v["y_qA"], n), sec
        assert qb == i2b(v["x_qB"], n) + i2b(v["y_qB"], n), sec


def main():
    check_rfc5114_publics()
    print("/* Generated by tests/vectors/crypto/gen_prims.py - do not edit. */")
    print("/* clang-format off */")
    print("#ifndef NATKEYD_TESTS_PRIMS_VECTORS_H\n#define NATKEYD_TESTS_PRIMS_VECTORS_H\n")
    print("#include \"ike/crypto/crypto.h\"\n")
    emit_hashes()
    emit_ciphers()
    emit_modp()
    emit_ecp()
    print("#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))\n")
    print("/* clang-format on */")
    print("#endif")


if __name__ == "__main__":
    main()
