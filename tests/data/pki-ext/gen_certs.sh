#!/bin/sh
# Regenerate the PKI of the certificate-policy tests (issue 17): the unit
# tests of tests/ike/crypto/check_crypto_pki.c and the matrix rows of
# tests/e2e/scenarios/interop/interop-pki.sh. Needs only the openssl CLI; the
# outputs are committed.
#
#   ca (root) -> int1 -> int2 -> gw, rw        RSA 2048, SAN DNS:HOST.natkeyd.test
#                               revoked/rw      rw's identity, listed in int2's CRL
#                               rw-eku          EKU emailProtection only
#                               rw-aia          rw's identity, OCSP URL in its AIA
#   ocsp/index.txt: openssl ocsp's database for int2 (revoked/rw revoked)
#   crls/int2.crl.pem (revokes revoked/rw), crls/int1.crl.pem, crls/ca.crl.der (DER, empty)
#   ecdsa/ca (P-256 root) -> ecdsa/gw, ecdsa/rw (P-256), ecdsa/p384 (P-384)
#
# Certificates valid 2025-01-01 .. 2037-12-31 (Libreswan 4.10 treats dates
# after 2038 as expired); CRLs issued 2025-01-01, next update 2037-12-01,
# except crls-stale/int2.crl.pem (next update 2025-02-01: expired).
# Keys are PKCS#1 / SEC1 ("traditional") PEM, which strongSwan's pkcs1 and
# pem plugins read. ca.pem, int1.pem, int2.pem are the chain for the matrix;
# revoked/ and ecdsa/ have their own ca.pem so that tests/e2e/interop-lib.sh
# can use each folder as IX_DATA.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
out=${PKI_OUT:-$dir}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
. "$dir/../pki-lib.sh"
pki_key() { openssl genrsa -traditional -out "$1.key" 2048 2>/dev/null; }
ec_key() { openssl ecparam -name "$2" -genkey -noout -out "$1.key" 2>/dev/null; }

pki_conf '[ v3_leaf ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:${ENV::SAN}
[ v3_eku ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = emailProtection
subjectAltName = DNS:${ENV::SAN}
[ v3_aia ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:${ENV::SAN}
authorityInfoAccess = OCSP;URI:http://127.0.0.1:8888/ocsp
[ v3_ecleaf ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
subjectAltName = DNS:${ENV::SAN}
[ crl_ext ]
authorityKeyIdentifier = keyid'
V="20250101000000Z 20371231235959Z"
# shellcheck disable=SC2086 # $V is two words on purpose
{
	pki_root ca "/O=natkeyd test/CN=natkeyd pki root CA" $V
	pki_key int1
	pki_sign int1 ca v3_ca $V "/O=natkeyd test/CN=natkeyd pki intermediate 1"
	pki_key int2
	pki_sign int2 int1 v3_ca $V "/O=natkeyd test/CN=natkeyd pki intermediate 2"
	for h in gw rw; do
		pki_key "$h"
		SAN=$h.natkeyd.test pki_sign "$h" int2 v3_leaf $V "/O=natkeyd test/CN=$h.natkeyd.test"
	done
	pki_key revoked
	SAN=rw.natkeyd.test pki_sign revoked int2 v3_leaf $V "/O=natkeyd test/OU=revoked/CN=rw.natkeyd.test"
	pki_key rw-eku
	SAN=rw.natkeyd.test pki_sign rw-eku int2 v3_eku $V "/O=natkeyd test/OU=eku/CN=rw.natkeyd.test"
	pki_key rw-aia
	SAN=rw.natkeyd.test pki_sign rw-aia int2 v3_aia $V "/O=natkeyd test/OU=aia/CN=rw.natkeyd.test"
}

# The OCSP responder's database for int2 (openssl ocsp -index): rw and
# rw-aia valid, revoked/rw revoked (keyCompromise, 2025-06-01).
ocsp_line() { # STATUS CERT [REVOKED]
	printf '%s\t%s\t%s\t%s\tunknown\t%s\n' "$1" \
		"$(date -u -d "$(openssl x509 -in "$2" -noout -enddate | cut -d= -f2)" +%y%m%d%H%M%SZ)" \
		"${3:-}" "$(openssl x509 -in "$2" -noout -serial | cut -d= -f2)" \
		"$(openssl x509 -in "$2" -noout -subject -nameopt compat | sed 's/^subject=//')"
}
mkdir -p ocsp
{
	ocsp_line V rw.pem
	ocsp_line V rw-aia.pem
	ocsp_line R revoked.pem 250601000000Z,keyCompromise
} >ocsp/index.txt

# crl ISSUER OUT NEXTUPDATE [REVOKED.pem]: a CRL of ISSUER.
crl() {
	export SAN=unused
	: >index.txt
	echo 1000 >crlnumber
	if [ -n "${4:-}" ]; then
		openssl ca -batch -config ca.cnf -cert "$1.pem" -keyfile "$1.key" -revoke "$4" \
			-crl_reason keyCompromise >/dev/null 2>&1
	fi
	# -crl_lastupdate/-crl_nextupdate: OpenSSL 3.0+.
	openssl ca -batch -config ca.cnf -gencrl -cert "$1.pem" -keyfile "$1.key" -crlexts crl_ext \
		-crl_lastupdate 20250101000000Z -crl_nextupdate "$3" -out "$2" 2>/dev/null
}
sed -i 's/^serial = serial$/serial = serial\ncrlnumber = crlnumber/' ca.cnf
mkdir -p crls crls-stale
crl int2 crls/int2.crl.pem 20371201000000Z revoked.pem
crl int2 crls-stale/int2.crl.pem 20250201000000Z revoked.pem
crl int1 crls/int1.crl.pem 20371201000000Z
crl ca ca.crl.pem 20371201000000Z
openssl crl -in ca.crl.pem -outform DER -out crls/ca.crl.der

mkdir -p ecdsa
ec_key ecca prime256v1
openssl req -new -config ca.cnf -key ecca.key -subj "/O=natkeyd test/CN=natkeyd ECDSA root CA" -out ecca.csr
pki_ca -selfsign -keyfile ecca.key -extensions v3_ca -startdate 20250101000000Z \
	-enddate 20371231235959Z -in ecca.csr -out ecca.pem
for h in gw rw p384; do
	if [ "$h" = p384 ]; then ec_key "ec$h" secp384r1; else ec_key "ec$h" prime256v1; fi
	SAN=$h.natkeyd.test openssl req -new -config ca.cnf -key "ec$h.key" \
		-subj "/O=natkeyd test/CN=$h.natkeyd.test" -out "ec$h.csr"
	SAN=$h.natkeyd.test pki_ca -cert ecca.pem -keyfile ecca.key -extensions v3_ecleaf \
		-startdate 20250101000000Z -enddate 20371231235959Z -in "ec$h.csr" -out "ec$h.pem"
done

mkdir -p "$out/crls" "$out/crls-stale" "$out/revoked" "$out/ecdsa"
mkdir -p "$out/ocsp"
cp ca.pem int1.pem int2.pem int1.key int2.key gw.pem gw.key rw.pem rw.key rw-eku.pem rw-eku.key \
	rw-aia.pem rw-aia.key "$out/"
cp ocsp/index.txt "$out/ocsp/"
cat gw.pem int2.pem int1.pem >"$out/gw-chain.pem"
cat rw.pem int2.pem int1.pem >"$out/rw-chain.pem"
cp crls/int2.crl.pem crls/int1.crl.pem crls/ca.crl.der "$out/crls/"
cp crls-stale/int2.crl.pem "$out/crls-stale/"
cp ca.pem "$out/revoked/ca.pem"
cp revoked.pem "$out/revoked/rw.pem"
cp revoked.key "$out/revoked/rw.key"
cp ecca.pem "$out/ecdsa/ca.pem"
for h in gw rw p384; do
	cp "ec$h.pem" "$out/ecdsa/$h.pem"
	cp "ec$h.key" "$out/ecdsa/$h.key"
done
echo "PKI written to $out"
