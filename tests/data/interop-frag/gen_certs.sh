#!/bin/sh
# Regenerate the certificates of the IKE fragmentation rows
# (tests/e2e/scenarios/interop/interop-frag.sh): the largest Phase 1 messages a
# road warrior meets, RSA 4096-bit end-entity certificates under two
# intermediate CAs (root -> int1 -> int2 -> gw, rw), so that Main Mode 5
# and 6 do not fit one 1500-byte datagram. subjectAltName
# DNS:HOST.natkeyd.test as in tests/data/interop; keys in PKCS#1
# (strongSwan's pkcs1 plugin reads them); valid 2025-01-01 .. 2037-12-31
# (Libreswan 4.10 treats dates after 2038 as expired). ca.pem is the root;
# the intermediates are int1.pem and int2.pem (every peer is given them as
# CA certificates: natkeyd does not send a chain yet). Needs only the
# openssl CLI. The outputs are committed.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
KEY_CMD="openssl genrsa -traditional -out"
. "$dir/../pki-lib.sh"
# 4096-bit keys: pki_key runs $KEY_CMD NAME.key, genrsa takes the bits last.
pki_key() { openssl genrsa -traditional -out "$1.key" 4096 2>/dev/null; }

pki_conf '[ v3_leaf ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:${ENV::SAN}'

pki_root ca "/O=natkeyd test/CN=natkeyd fragmentation root CA" 20250101000000Z 20371231235959Z
pki_key int1
pki_sign int1 ca v3_ca 20250101000000Z 20371231235959Z "/O=natkeyd test/CN=natkeyd intermediate CA 1"
pki_key int2
pki_sign int2 int1 v3_ca 20250101000000Z 20371231235959Z "/O=natkeyd test/CN=natkeyd intermediate CA 2"
for h in gw rw; do
	pki_key "$h"
	SAN=$h.natkeyd.test pki_sign "$h" int2 v3_leaf 20250101000000Z 20371231235959Z \
		"/O=natkeyd test/CN=$h.natkeyd.test"
done
cp ca.pem int1.pem int2.pem gw.pem gw.key rw.pem rw.key "${PKI_OUT:-$dir}/"
