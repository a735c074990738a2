# natkeyd-psk: natkeyd, configured by an ipsec.conf, as the road warrior of a
# strongSwan gateway: IKEv1 Main Mode with a pre-shared key, tunnel mode to
# the protected subnet, started by `natkeyctl up`. Behind a NAT (rw-nat) it
# must detect the NAT, float to UDP 4500 and use ESP-in-UDP; without one
# (direct), plain ESP on port 500. Ping through the tunnel; natkeyctl status
# (text and JSON) must show it, with the NAT facts.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

# natkeyd_psk_vs PEER [main|aggressive]: the scenario body against a
# strongSwan or Libreswan gateway (natkeyd-libreswan.sh and natkeyd-aggr.sh
# reuse it).
natkeyd_psk_vs() {
	local peer=$1 mode=${2:-main} aggr=no rw=${RWS%% *} nat=no who=none
	local we_nat=false peer_nat=false
	[[ $mode == aggressive ]] && aggr=yes
	# Who is behind a NAT (NAT-D, RFC 3947 s3.2): us (rw-nat), the gateway
	# (gw-static-nat) or both (both-nat).
	[[ $BEHIND_NAT == *rw* ]] && nat=yes we_nat=true who=local
	[[ $BEHIND_NAT == *gw* ]] && nat=yes peer_nat=true who=peer
	[[ $we_nat == true && $peer_nat == true ]] && who=both

	if [[ $peer == strongswan ]]; then
		strongswan_gw "$GW" aggressive=$aggr
		strongswan_start "$GW"
	else
		libreswan_gw "$GW" aggressive=$aggr remote_id=@$rw.natkeyd.test
		libreswan_start "$GW"
	fi
	natkeyd_rw_conf "$rw" extra="  aggressive=$aggr"
	natkeyd_start "$rw"
	assert_output "$rw" '^gw: down' "natkeyctl status lists the loaded connection" "$NATKEYCTL" status
	assert_output "$rw" 'initiating gw' "natkeyctl up gw" "$NATKEYCTL" up gw
	nk_wait_up "$rw" gw 40

	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through natkeyd's tunnel"
	if [[ $peer == strongswan ]]; then
		assert_log "$GW-charon.log" 'IKE_SA rw\[[0-9]+\] established' "strongSwan established the IKE SA with natkeyd"
	else
		assert_log "$GW-pluto.log" '(IKE|ISAKMP) SA established' "Libreswan established the IKE SA with natkeyd" 20
		assert_log "$GW-pluto.log" 'IPsec SA established tunnel mode' "Libreswan established the IPsec SA with natkeyd" 20
	fi
	assert_log "$rw-natkeyd.out" 'IKE_ESTABLISHED: gw: IKE SA established' "natkeyd logs the IKE SA"
	assert_log "$rw-natkeyd.out" 'IPSEC_ESTABLISHED: gw: IPsec SA established' "natkeyd logs the IPsec SA"

	nkctl "$rw" status >"$E2E_OUT/logs/$rw-status.txt" 2>&1
	nkctl "$rw" status --json >"$E2E_OUT/logs/$rw-status.json" 2>&1
	nkctl "$rw" sas >"$E2E_OUT/logs/$rw-sas.txt" 2>&1
	if [[ $nat == yes ]]; then
		assert_natt_kernel "$rw" 2
		assert_natt_kernel "$GW" 2
		assert_output "$rw" 'gw: up, auto=add, [0-9.]+:4500 -> '"$GW_PUB"':4500, NAT: '"$who"' \([^)]*\), ESP-in-UDP aes128-sha1-modp2048, SPIs in [0-9a-f]{8} out [0-9a-f]{8}, bytes in [1-9][0-9]* out [1-9][0-9]*' \
			"natkeyctl status: up, floated to 4500, NAT $who, ESP-in-UDP, traffic counted" "$NATKEYCTL" status
		assert_output "$rw" '"local_behind_nat":'"$we_nat"',"remote_behind_nat":'"$peer_nat" \
			"status --json: NAT facts (we behind NAT: $we_nat; peer: $peer_nat)" "$NATKEYCTL" status --json
		assert_output "$rw" '"udp_encap":true' "status --json: the child SA is UDP-encapsulated" "$NATKEYCTL" status --json
		assert_natt_phase1 "$CAP_PUB" "$GW_PUB" "$mode"
		assert_natt_float "$CAP_PUB" "$GW_PUB" "$mode" 3
	else
		assert_no_natt_kernel "$rw"
		assert_output "$rw" 'gw: up, auto=add, [0-9.]+:500 -> '"$GW_PUB"':500, NAT: none, ESP aes128-sha1-modp2048, SPIs in [0-9a-f]{8} out [0-9a-f]{8}' \
			"natkeyctl status: up on port 500, no NAT, plain ESP" "$NATKEYCTL" status
		assert_output "$rw" '"local_behind_nat":false,"remote_behind_nat":false' \
			"status --json: no NAT" "$NATKEYCTL" status --json
		assert_no_natt_float "$CAP_PUB" "$GW_PUB" 3
	fi
	# The engine's own read-out: negotiated proposals (ike=/esp= syntax) and
	# the Phase 1 rekey deadline of the initiator.
	assert_output "$rw" '"role":"initiator","proposal":"aes128-sha256-modp2048","age_s":[0-9]+,"rekey_in_s":[1-9][0-9]*' \
		"status --json: the IKE SA's negotiated proposal and rekey time" "$NATKEYCTL" status --json
	assert_output "$rw" '"proposal":"aes128-sha1-modp2048","bytes_in"' \
		"status --json: the child SA's negotiated proposal" "$NATKEYCTL" status --json
	assert_output "$rw" 'reqid 0x4e4b0001' "natkeyctl sas lists natkeyd's kernel SAs" "$NATKEYCTL" sas
	assert_capture_none "$CAP_PUB" "icmp.type==8 && ip.dst==$SRV_IP" "no cleartext ping on the public link"
	return 0
}

scenario() {
	natkeyd_psk_vs strongswan
}
