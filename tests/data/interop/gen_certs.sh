#!/bin/sh
# Regenerate the certificates of the interop matrix's RSA setups
# (tests/e2e/interop-lib.sh): a test CA and one leaf per IKE host of the
# e2e topologies (gw, rw, rw2), each with subjectAltName DNS:HOST.natkeyd.test
# so that the FQDN identities @HOST.natkeyd.test match the certificate.
# RSA 2048, keys in PKCS#1 (strongSwan's pkcs1 plugin reads them), valid
# 2025-01-01 .. 2037-12-31 (Libreswan 4.10 caps an IKE SA at the certificate's
# expiry and treats dates after 2038 as already expired). Needs only the
# openssl CLI. The outputs are committed.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
KEY_CMD="openssl genrsa -traditional -out"
. "$dir/../pki-lib.sh"

pki_conf '[ v3_leaf ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:${ENV::SAN}'

pki_root ca "/O=natkeyd test/CN=natkeyd interop CA" 20250101000000Z 20371231235959Z
for h in gw rw rw2; do
	pki_key "$h"
	SAN=$h.natkeyd.test pki_sign "$h" ca v3_leaf 20250101000000Z 20371231235959Z \
		"/O=natkeyd test/CN=$h.natkeyd.test"
done
cp ca.pem ca.key gw.pem gw.key rw.pem rw.key rw2.pem rw2.key "${PKI_OUT:-$dir}/"
