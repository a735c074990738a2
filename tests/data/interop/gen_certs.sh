#!/bin/sh
# Regenerate the certificates of the interop matrix's RSA setups
# (tests/e2e/interop-lib.sh): a test CA and one leaf per IKE host of the
# e2e topologies (gw, rw, rw2), each with subjectAltName DNS:HOST.natkeyd.test
# so that the FQDN identities @HOST.natkeyd.test match the certificate.
# RSA 2048, keys in PKCS#1 (strongSwan's pkcs1 plugin reads them), valid
# 2025-01-01 .. 2037-12-31 (Libreswan 4.10 caps an IKE SA at the certificate's
# expiry and treats dates after 2038 as already expired). Needs only the
# openssl CLI. The outputs are
# committed.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

key() { openssl genrsa -traditional -out "$1.key" 2048 2>/dev/null; }

cat >ca.cnf <<'CNF'
[ ca ]
default_ca = ca_default
[ ca_default ]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = policy_any
copy_extensions = none
unique_subject = no
[ policy_any ]
organizationName = optional
commonName = supplied
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_leaf ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:${ENV::SAN}
CNF

key ca
SAN=unused openssl req -new -x509 -config ca.cnf -key ca.key -subj "/O=natkeyd test/CN=natkeyd interop CA" \
	-extensions v3_ca -days 3980 -set_serial 1 -out ca.pem
for h in gw rw rw2; do
	key "$h"
	SAN=$h.natkeyd.test openssl req -new -config ca.cnf -key "$h.key" \
		-subj "/O=natkeyd test/CN=$h.natkeyd.test" -out "$h.csr"
	: >index.txt
	openssl rand -hex 8 >serial
	SAN=$h.natkeyd.test openssl ca -batch -config ca.cnf -notext -cert ca.pem -keyfile ca.key \
		-extensions v3_leaf -startdate 20250101000000Z -enddate 20371231235959Z \
		-in "$h.csr" -out "$h.pem" 2>/dev/null
done
cp ca.pem ca.key gw.pem gw.key rw.pem rw.key rw2.pem rw2.key "$dir/"
