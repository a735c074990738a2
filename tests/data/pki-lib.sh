#!/bin/sh
# Shared by the test-certificate generators (tests/data/pki/gen_pki.sh,
# tests/data/interop/gen_certs.sh): an openssl CA configuration and three
# steps. Source it from a scratch folder, after setting KEY_CMD if the keys
# must be in another form than PKCS#8 RSA 2048.
#   pki_conf EXTRA        write ca.cnf: the CA sections, v3_ca, then EXTRA
#                         (the caller's leaf extension sections)
#   pki_key NAME          NAME.key
#   pki_root NAME SUBJECT START END       self-signed CA NAME.pem
#   pki_sign NAME ISSUER EXT START END SUBJECT   NAME.pem signed by ISSUER
# Variables a section may use: ${ENV::SAN} (exported SAN while signing).

pki_conf() {
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
countryName = optional
organizationName = optional
organizationalUnitName = optional
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
CNF
	printf '%s\n' "$1" >>ca.cnf
}

pki_key() {
	${KEY_CMD:-openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out} "$1.key" 2>/dev/null
}

# One signing step: a fresh database and a random serial each time.
pki_ca() { # ARGS...
	: >index.txt
	printf '%s\n' "$(openssl rand -hex 8)" >serial
	SAN=${SAN:-unused} openssl ca -batch -config ca.cnf -notext "$@" 2>/dev/null
}

pki_root() { # NAME SUBJECT START END
	pki_key "$1"
	SAN=${SAN:-unused} openssl req -new -config ca.cnf -key "$1.key" -subj "$2" -out "$1.csr"
	pki_ca -selfsign -keyfile "$1.key" -extensions v3_ca -startdate "$3" -enddate "$4" \
		-in "$1.csr" -out "$1.pem"
}

pki_sign() { # NAME ISSUER EXT START END SUBJECT
	SAN=${SAN:-unused} openssl req -new -config ca.cnf -key "$1.key" -subj "$6" -out "$1.csr"
	pki_ca -cert "$2.pem" -keyfile "$2.key" -extensions "$3" -startdate "$4" -enddate "$5" \
		-in "$1.csr" -out "$1.pem"
}
