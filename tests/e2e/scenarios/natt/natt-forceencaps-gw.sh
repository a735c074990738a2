# natt-forceencaps-gw: natkeyd as the gateway accepts a road warrior that
# forces encapsulation without a NAT (strongSwan encap=yes fakes its NAT-D
# hash, RFC 3947 s5.1: the responder then sees a "NAT" and must use the UDP
# modes the peer proposes), and installs ESP-in-UDP. Topology direct: the
# float to 4500, ESP in UDP both ways, espinudp SAs, ping through; and the
# gateway, not behind a NAT, sends no keepalives.
default_topology=direct

source "$E2E_SRC/tests/e2e/natt-lib.sh"

scenario() {
	local rw=${RWS%% *} ipvar
	ipvar=IP_$rw
	[[ $BEHIND_NAT == none ]] || fail "natt-forceencaps-gw needs a topology without NAT (BEHIND_NAT=$BEHIND_NAT)"
	natt_gw_setup natkeyd
	natt_rw_setup strongswan encap=yes
	natt_connect strongswan natkeyd
	assert_log "$rw-charon.log" 'faking NAT situation to enforce UDP encapsulation' "strongSwan forces encapsulation"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the forced ESP-in-UDP tunnel"
	assert_ping "$SRV" "${!ipvar}" 3 "ping $SRV -> $rw through the tunnel"
	assert_natt_kernel "$GW" 2
	assert_natt_kernel "$rw" 2
	assert_xfrm_state "$GW" "encap type espinudp sport 4500 dport 4500" "natkeyd's SAs: espinudp 4500 -> 4500"
	assert_log "$GW-natkeyd.out" 'NAT_DETECTED: NAT detected \(RFC 3947\): we not behind NAT, peer behind NAT' \
		"natkeyd takes the faked NAT-D as the peer being behind a NAT"
	assert_output "$GW" "rw: up, auto=add, $GW_IP:4500 -> ${!ipvar}:4500, NAT: peer" \
		"natkeyctl status: floated, NAT on the peer's side" "$NATKEYCTL" status
	assert_output "$GW" '"udp_encap":true' "status --json: udp_encap" "$NATKEYCTL" status --json
	assert_natt_phase1 "$CAP_PUB" "$GW_PUB" main
	assert_natt_float "$CAP_PUB" "$GW_PUB" main 3
	assert_capture_none "$CAP_PUB" "ip.src==$GW_PUB && udpencap.nat_keepalive" "natkeyd (not behind a NAT) sends no keepalives"
	assert_capture_none "$CAP_PUB" "icmp.type==8 || icmp.type==0" "no cleartext ping or reply on the public link"
	nkctl "$GW" status >"$E2E_OUT/logs/$GW-status.txt" 2>&1
	return 0
}
