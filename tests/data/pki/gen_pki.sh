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
. "$dir/../pki-lib.sh"

pki_conf '[ v3_gw ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
subjectAltName = IP:192.0.2.1, IP:2001:db8::1, DNS:gw.example.org, email:vpn@example.org
[ v3_leaf2 ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:road.example.net, IP:198.51.100.7'

good="20250101000000Z 20991231235959Z"
# shellcheck disable=SC2086 # $good is two words on purpose
{
	pki_root ca "/O=natkeyd test/CN=natkeyd test root CA" $good
	pki_root other-ca "/O=natkeyd test/CN=natkeyd test root CA" $good
	pki_key gw; pki_sign gw ca v3_gw $good "/O=natkeyd test/CN=gw.example.org"
	pki_key expired
	pki_sign expired ca v3_gw 20200101000000Z 20210101000000Z "/O=natkeyd test/CN=gw.example.org"
	pki_key rogue; pki_sign rogue other-ca v3_gw $good "/O=natkeyd test/CN=gw.example.org"
	pki_key sub-ca; pki_sign sub-ca ca v3_ca $good "/O=natkeyd test/CN=natkeyd test sub CA"
	pki_key leaf2
	pki_sign leaf2 sub-ca v3_leaf2 $good "/O=natkeyd test/OU=road/CN=road.example.net"
}

for n in ca other-ca gw expired rogue sub-ca leaf2; do
	cp "$n.pem" "$n.key" "${PKI_OUT:-$dir}/"
done
echo "test PKI written to ${PKI_OUT:-$dir}"
