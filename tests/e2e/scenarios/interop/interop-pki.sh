# interop-pki: certificate policy against strongSwan and Libreswan (issue 17),
# one guest on rw-nat, PKI tests/data/pki-ext (root -> int1 -> int2 -> leaves).
#
#   chain-i / chain-r   (strongSwan, Libreswan) Main Mode RSA, the peer has
#              only the root CA: the tunnel comes up only if natkeyd sends
#              its two intermediates. natkeyd's road warrior (i) names them
#              in its leftcert= file; its gateway (r) finds them in its CA
#              folder. Both send CERTREQs naming their CAs.
#   crl-r      (strongSwan) the road warrior's certificate is listed in
#              int2's CRL (ipsec.d/crls): natkeyd refuses it with one log
#              line naming the certificate, its serial and the CRL.
#   ocsp-r / ocsp-revoked-r (strongSwan) natkeyd's gateway asks an
#              `openssl ocsp` responder on srv (ocspuri=, no CRLs): the good
#              certificate gets its tunnel, the revoked one is refused with
#              one log line naming it, the revocation and the responder.
#   ecdsa-i / ecdsa-r (strongSwan) ECDSA P-256 certificates, RFC 4754
#              method 9; Libreswan: not applicable (no IKEv1 ECDSA).
default_topology=rw-nat
e2e_timeout=600

source "$E2E_SRC/tests/e2e/interop-lib.sh"
PKI_DATA=$E2E_SRC/tests/data/pki-ext

# The peers trust the root only (ix_*_conf install $IX_DATA/ca.pem).
pki_nk_cas() { # HOST: natkeyd's CA folder: root + intermediates (to verify the peer's leaf)
	local etc
	etc=$(host_etc "$1")
	mkdir -p "$etc/ipsec.d/cacerts"
	cp "$PKI_DATA/ca.pem" "$PKI_DATA/int1.pem" "$PKI_DATA/int2.pem" "$etc/ipsec.d/cacerts/"
}

pki_peer_conf() { # PEER HOST ROLE
	if [[ $1 == strongswan ]]; then
		ix_strongswan_conf "$2" "$3" rsa
		cp "$(host_etc "$2")/swanctl/swanctl.conf" "$E2E_OUT/logs/$2-swanctl.conf"
	else
		ix_libreswan_conf "$2" "$3" rsa
		cp "$(host_etc "$2")/ipsec.conf" "$E2E_OUT/logs/$2-libreswan-ipsec.conf"
	fi
}

pki_roles() { # ROLE: sets ix_nk ix_pe ix_conn
	local rw=${RWS%% *}
	if [[ $1 == i ]]; then ix_nk=$rw ix_pe=$GW ix_conn=gw; else ix_nk=$GW ix_pe=$rw ix_conn=rw; fi
}

pki_up() { # PEER ROLE
	if [[ $2 == i ]]; then
		ix_start_peer "$1" "$ix_pe"
		ix_natkeyd_start "$ix_nk"
		assert_output "$ix_nk" 'initiating gw' "natkeyctl up gw" "$NATKEYCTL" up gw
	else
		ix_natkeyd_start "$ix_nk"
		ix_start_peer "$1" "$ix_pe"
		ix_peer_initiate "$1" "$ix_pe"
	fi
}

pki_tunnel_ok() {
	local rw=${RWS%% *}
	nk_wait_up "$ix_nk" "$ix_conn" 60
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the SA"
}

# chain_body PEER ROLE
chain_body() {
	local peer=$1 role=$2 t0
	pki_roles "$role"
	IX_DATA=$PKI_DATA
	if [[ $role == i ]]; then
		ix_natkeyd_conf "$ix_nk" "$role" rsa "leftsendcert=always"
		# leftcert= names the chain file: leaf, int2, int1.
		cp "$PKI_DATA/$ix_nk-chain.pem" "$IX_TMP/keys/"
		sed -i "s|leftcert=.*|leftcert=$IX_TMP/keys/$ix_nk-chain.pem|" "$(host_etc "$ix_nk")/ipsec.conf"
	else
		ix_natkeyd_conf "$ix_nk" "$role" rsa "rightca=\"O=natkeyd test, CN=natkeyd pki intermediate 2\""
	fi
	pki_nk_cas "$ix_nk"
	pki_peer_conf "$peer" "$ix_pe" "$role"
	cp "$(host_etc "$ix_nk")/ipsec.conf" "$E2E_OUT/logs/$ix_nk-natkeyd-ipsec.conf"
	t0=${EPOCHREALTIME/./}
	pki_up "$peer" "$role"
	pki_tunnel_ok
	t0=$(((${EPOCHREALTIME/./} - t0) / 1000))
	echo "$((t0 / 1000)).$((t0 % 1000 / 100))" >"$IX_OUT/secs"
	if [[ $peer == strongswan ]]; then
		assert_log "$ix_pe-charon.log" 'authentication of .'"$ix_nk"'\.natkeyd\.test. with (RSA|RSA_EMSA).* successful' \
			"strongSwan (trusting only the root) verified natkeyd's certificate"
	else
		assert_log "$ix_pe-pluto.log" 'IPsec SA established tunnel mode' \
			"Libreswan (trusting only the root) established the IPsec SA"
	fi
	return 0
}

# crl_body: the strongSwan road warrior's certificate is revoked.
crl_body() {
	local rw=${RWS%% *} etc
	pki_roles r
	IX_DATA=$PKI_DATA
	ix_natkeyd_conf "$ix_nk" r rsa
	pki_nk_cas "$ix_nk"
	etc=$(host_etc "$ix_nk")
	mkdir -p "$etc/ipsec.d/crls"
	cp "$PKI_DATA"/crls/* "$etc/ipsec.d/crls/"
	IX_DATA=$PKI_DATA/revoked
	rm -f "$IX_TMP/keys/$rw.pem" "$IX_TMP/keys/$rw.key"
	pki_peer_conf strongswan "$ix_pe" r
	ix_natkeyd_start "$ix_nk"
	ix_start_peer strongswan "$ix_pe"
	on "$ix_pe" swanctl --initiate --child net --timeout 20 >>"$E2E_OUT/logs/$ix_pe-swanctl.log" 2>&1 &&
		fail "strongSwan brought the tunnel up with a revoked certificate"
	assert_log "$ix_nk-natkeyd.out" 'peer certificate rejected: certificate "[^"]*OU=revoked[^"]*" \(serial [0-9A-F]+\): revoked \(CRL of [^)]*natkeyd pki intermediate 2' \
		"natkeyd refused the revoked certificate, naming it, its serial and the CRL" 30
	if nk_status_match "$ix_nk" "(^|$'\n')rw: up"; then
		fail "natkeyd brought the tunnel up with a revoked certificate"
	fi
	e2e_pass "no tunnel with the revoked certificate" ""
	rm -f "$IX_TMP/keys/$rw.pem" "$IX_TMP/keys/$rw.key"
	return 0
}

pki_ocsp_listening() { ip netns exec "$SRV" ss -ltn 2>/dev/null | grep -q ':8888 '; }

# ocsp_body good|revoked: natkeyd's gateway, strongSwan's road warrior.
ocsp_body() {
	local which=$1 rw=${RWS%% *} pid uri
	pki_roles r
	IX_DATA=$PKI_DATA
	uri="http://$SRV_IP:8888/ocsp"
	ix_natkeyd_conf "$ix_nk" r rsa "ocspuri=$uri"
	pki_nk_cas "$ix_nk"
	cp "$(host_etc "$ix_nk")/ipsec.conf" "$E2E_OUT/logs/$ix_nk-natkeyd-ipsec.conf"
	[[ $which == revoked ]] && IX_DATA=$PKI_DATA/revoked
	rm -f "$IX_TMP/keys/$rw.pem" "$IX_TMP/keys/$rw.key"
	pki_peer_conf strongswan "$ix_pe" r
	# The responder for int2's certificates, signing with int2's key.
	(cd "$PKI_DATA" && exec ip netns exec "$SRV" openssl ocsp -index ocsp/index.txt -CA int2.pem \
		-rsigner int2.pem -rkey int2.key -port 8888 -ndays 1) >"$E2E_OUT/logs/$SRV-ocsp.log" 2>&1 &
	pid=$!
	wait_until 10 pki_ocsp_listening || log "the OCSP responder on $SRV is not listening yet"
	ix_natkeyd_start "$ix_nk"
	ix_start_peer strongswan "$ix_pe"
	if [[ $which == good ]]; then
		ix_peer_initiate strongswan "$ix_pe"
		pki_tunnel_ok
		assert_log "$ix_nk-natkeyd.out" "OCSP $uri: good" "natkeyd asked the responder: good" 5
	else
		on "$ix_pe" swanctl --initiate --child net --timeout 30 >>"$E2E_OUT/logs/$ix_pe-swanctl.log" 2>&1 &&
			fail "strongSwan brought the tunnel up with a certificate revoked by OCSP"
		assert_log "$ix_nk-natkeyd.out" 'peer certificate rejected: certificate "O=natkeyd test, OU=revoked, CN=rw\.natkeyd\.test" \(serial [0-9A-F]+\): revoked on 2025-06-01 00:00:00 UTC, reason keyCompromise \(OCSP '"$uri"'\)' \
			"natkeyd refused the certificate the OCSP responder says is revoked, naming it" 30
		if nk_status_match "$ix_nk" "(^|$'\n')rw: up"; then
			fail "natkeyd brought the tunnel up with a revoked certificate"
		fi
		e2e_pass "no tunnel with the certificate revoked by OCSP" ""
	fi
	assert_log "$SRV-ocsp.log" 'Received request' "the responder on $SRV received natkeyd's OCSP request"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$IX_TMP/keys/$rw.pem" "$IX_TMP/keys/$rw.key"
	return 0
}

# ecdsa_body ROLE: ECDSA P-256 against strongSwan.
ecdsa_body() {
	local role=$1 t0 etc key
	pki_roles "$role"
	IX_DATA=$PKI_DATA/ecdsa
	rm -rf "$IX_TMP/keys"
	ix_natkeyd_conf "$ix_nk" "$role" rsa
	etc=$(host_etc "$ix_nk")
	printf ': ECDSA %s\n' "$IX_TMP/keys/$ix_nk.key" >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
	pki_peer_conf strongswan "$ix_pe" "$role"
	# strongSwan reads EC keys from swanctl/ecdsa, not swanctl/rsa.
	etc=$(host_etc "$ix_pe")
	mkdir -p "$etc/swanctl/ecdsa"
	for key in "$etc"/swanctl/rsa/*.key; do mv "$key" "$etc/swanctl/ecdsa/"; done
	cp "$(host_etc "$ix_nk")/ipsec.conf" "$E2E_OUT/logs/$ix_nk-natkeyd-ipsec.conf"
	t0=${EPOCHREALTIME/./}
	pki_up strongswan "$role"
	pki_tunnel_ok
	t0=$(((${EPOCHREALTIME/./} - t0) / 1000))
	echo "$((t0 / 1000)).$((t0 % 1000 / 100))" >"$IX_OUT/secs"
	assert_log "$ix_pe-charon.log" 'authentication of .'"$ix_nk"'\.natkeyd\.test. with ECDSA.* successful' \
		"strongSwan verified natkeyd's ECDSA signature"
	assert_log "$ix_nk-natkeyd.out" 'peer authenticated by certificate "O=natkeyd test, CN='"$ix_pe"'\.natkeyd\.test" \(serial [0-9A-F]+\), ECDSA-256 signature' \
		"natkeyd verified the peer's ECDSA-256 signature (RFC 4754 method 9)"
	rm -rf "$IX_TMP/keys"
	return 0
}

scenario() {
	local p r
	ix_init
	ix_nk_extra=() ix_pe_extra=()
	for p in strongswan libreswan; do
		for r in i r; do
			ix_plan "$p" "$r" chain
			rm -rf "$IX_TMP/keys"
			ix_run "$p" "$r" chain chain_body "$p" "$r"
		done
	done
	ix_plan strongswan r crl
	rm -rf "$IX_TMP/keys"
	ix_run strongswan r crl crl_body
	ix_plan strongswan r ocsp ocsp-revoked
	ix_run strongswan r ocsp ocsp_body good
	ix_run strongswan r ocsp-revoked ocsp_body revoked
	for r in i r; do
		ix_plan strongswan "$r" ecdsa
		ix_run strongswan "$r" ecdsa ecdsa_body "$r"
		ix_plan libreswan "$r" ecdsa
		ix_na libreswan "$r" ecdsa "Libreswan 4.10 has no IKEv1 ECDSA (RFC 4754 methods 9-11 are IKEv2-only there)"
	done
	ix_verdict
}
