#!/bin/sh
# The committed test certificates can be regenerated: both generators (which
# share tests/data/pki-lib.sh) run into scratch folders and their output has
# the chains, names and dates the tests rely on.
set -eu
src=${srcdir:-.}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir "$t/pki" "$t/interop"
PKI_OUT=$t/pki sh "$src/tests/data/pki/gen_pki.sh" >/dev/null
PKI_OUT=$t/interop sh "$src/tests/data/interop/gen_certs.sh" >/dev/null
fail=0
check() { # what command...
	what=$1; shift
	if "$@" >/dev/null 2>&1; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}
p=$t/pki i=$t/interop
check "gw chains to ca" openssl verify -CAfile "$p/ca.pem" "$p/gw.pem"
check "leaf2 chains through sub-ca" openssl verify -CAfile "$p/ca.pem" -untrusted "$p/sub-ca.pem" "$p/leaf2.pem"
check "rogue does not chain to ca" sh -c "! openssl verify -CAfile '$p/ca.pem' '$p/rogue.pem'"
check "expired ended in 2021" sh -c "openssl x509 -in '$p/expired.pem' -noout -enddate | grep -q 2021"
check "gw names 192.0.2.1" sh -c "openssl x509 -in '$p/gw.pem' -noout -ext subjectAltName | grep -q 192.0.2.1"
for h in gw rw rw2; do
	check "interop $h chains to its ca" openssl verify -CAfile "$i/ca.pem" "$i/$h.pem"
	check "interop $h names $h.natkeyd.test" sh -c "openssl x509 -in '$i/$h.pem' -noout -ext subjectAltName | grep -q 'DNS:$h.natkeyd.test'"
	check "interop $h key is PKCS#1" grep -q 'BEGIN RSA PRIVATE KEY' "$i/$h.key"
done
check "interop certificates end before 2038" sh -c "openssl x509 -in '$i/gw.pem' -noout -enddate | grep -q 2037"
exit $fail
