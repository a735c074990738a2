#!/bin/sh
# Regenerate the test PKI of tests/ike/crypto/check_crypto_sig.c (run from anywhere):
#   ca        trusted root            -> gw (good leaf), expired (2020-2021),
#                                        sub-ca (intermediate) -> leaf2
#   other-ca  untrusted root          -> rogue (same names as gw)
# Validity of the good certificates: 2025-01-01 .. 2099-12-31 (the tests pass
# their own "now", so the files never age out). Needs only the openssl CLI.
# The outputs are committed; after regenerating, also rerun
# tests/vectors/crypto/gen_sig.py (its vectors use gw.key).
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; }

cat > ca.cnf <<'CNF'
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
countryName = optional
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
[ v3_gw ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
subjectAltName = IP:192.0.2.1, IP:2001:db8::1, DNS:gw.example.org, email:vpn@example.org
[ v3_leaf2 ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:road.example.net, IP:198.51.100.7
CNF

# sign NAME ISSUER EXT START END SUBJECT
sign() {
	openssl req -new -config ca.cnf -key "$1.key" -subj "$6" -out "$1.csr"
	: > index.txt
	printf '%s\n' "$(openssl rand -hex 8)" > serial
	openssl ca -batch -config ca.cnf -notext -cert "$2.pem" -keyfile "$2.key" \
		-extensions "$3" -startdate "$4" -enddate "$5" -in "$1.csr" -out "$1.pem" 2>/dev/null
}
# root NAME SUBJECT
root() {
	key "$1"
	openssl req -new -config ca.cnf -key "$1.key" -subj "$2" -out "$1.csr"
	: > index.txt
	printf '%s\n' "$(openssl rand -hex 8)" > serial
	openssl ca -batch -selfsign -config ca.cnf -notext -keyfile "$1.key" -extensions v3_ca \
		-startdate 20250101000000Z -enddate 20991231235959Z -in "$1.csr" -out "$1.pem" 2>/dev/null
}

root ca "/O=natkeyd test/CN=natkeyd test root CA"
root other-ca "/O=natkeyd test/CN=natkeyd test root CA"
key gw; sign gw ca v3_gw 20250101000000Z 20991231235959Z "/O=natkeyd test/CN=gw.example.org"
key expired; sign expired ca v3_gw 20200101000000Z 20210101000000Z "/O=natkeyd test/CN=gw.example.org"
key rogue; sign rogue other-ca v3_gw 20250101000000Z 20991231235959Z "/O=natkeyd test/CN=gw.example.org"
key sub-ca; sign sub-ca ca v3_ca 20250101000000Z 20991231235959Z "/O=natkeyd test/CN=natkeyd test sub CA"
key leaf2; sign leaf2 sub-ca v3_leaf2 20250101000000Z 20991231235959Z "/O=natkeyd test/OU=road/CN=road.example.net"

for n in ca other-ca gw expired rogue sub-ca leaf2; do
	cp "$n.pem" "$n.key" "$dir/"
done
echo "test PKI written to $dir"
