# natkeyd-gw: natkeyd as the gateway (responder, right=%any) for strongSwan
# road warriors (two on two-rw-nat, one connection for both). Behind the NAT (rw-nat) the road warrior floats to 4500 and
# natkeyd must answer there, see the peer behind the NAT, accept its private
# address as traffic selector (RFC 3947 s5.2: NAT-OA) and install ESP-in-UDP
# towards the NAT's port; without NAT (direct) plain ESP.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

scenario() {
	local rw=${RWS%% *} nat=no
	[[ $BEHIND_NAT == *rw* ]] && nat=yes
	natkeyd_require
	nk_gw_rw_up
	for rw in $RWS; do
		assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the tunnel to natkeyd"
	done
	rw=${RWS%% *}
	nkctl "$GW" status >"$E2E_OUT/logs/$GW-status.txt" 2>&1
	nkctl "$GW" status --json >"$E2E_OUT/logs/$GW-status.json" 2>&1
	if [[ $nat == yes ]]; then
		local nsa=0 r
		for r in $RWS; do ((nsa += 2)); done
		assert_natt_kernel "$GW" "$nsa"
		assert_natt_kernel "$rw" 2
		assert_output "$GW" 'rw: up, auto=add, '"$GW_IP"':4500 -> [0-9.]+:[0-9]+, NAT: peer \(RFC 3947\), ESP-in-UDP aes128-sha1-modp2048, SPIs in [0-9a-f]{8} out [0-9a-f]{8}' \
			"natkeyctl status on the gateway: the peer is behind a NAT, ESP-in-UDP" "$NATKEYCTL" status
		assert_output "$GW" '"local_behind_nat":false,"remote_behind_nat":true' \
			"status --json on the gateway: the NAT is on the peer's side" "$NATKEYCTL" status --json
		assert_natt_phase1 "$CAP_PUB" "$GW_PUB" main
		assert_natt_float "$CAP_PUB" "$GW_PUB" main 3
	else
		assert_no_natt_kernel "$GW"
		assert_output "$GW" 'rw: up, auto=add, '"$GW_IP"':500 -> [0-9.]+:500, NAT: none, ESP aes128-sha1-modp2048, ' \
			"natkeyctl status on the gateway: plain ESP" "$NATKEYCTL" status
		assert_no_natt_float "$CAP_PUB" "$GW_PUB" 3
	fi
	assert_capture_none "$CAP_PUB" "icmp.type==8 && ip.dst==$SRV_IP" "no cleartext ping on the public link"
	return 0
}
