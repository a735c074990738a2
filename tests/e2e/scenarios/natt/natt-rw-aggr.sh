# natt-rw-aggr: natkeyd as the road warrior behind the NAT in Aggressive
# Mode (REQUIREMENTS 3947-4.k, 3947-3.2.d): the RFC 3947 and draft vendor
# IDs in AM1, the responder's NAT-D in AM2 (AM3's are encrypted), AM3
# already on UDP 4500 behind the non-ESP marker from port 4500, Quick Mode
# and ESP in UDP on 4500, the NAT's mapping in the gateway's SAs, ping both
# ways. strongSwan gateway with aggressive = yes.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natt-lib.sh"

scenario() {
	local rw=${RWS%% *} ipvar v
	ipvar=IP_$rw
	natt_gw_setup strongswan aggressive=yes
	natt_rw_setup natkeyd aggressive=yes
	natt_connect natkeyd strongswan
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the tunnel"
	assert_ping "$SRV" "${!ipvar}" 3 "ping $SRV -> $rw through the tunnel"
	assert_natt_kernel "$GW" 2
	assert_natt_kernel "$rw" 2
	assert_xfrm_state "$rw" "encap type espinudp sport 4500 dport 4500" "$rw's SAs: espinudp 4500 -> 4500"
	natt_gw_ports
	natt_nat_port
	[[ -n $natt_nat_port && $natt_out_dport == "$natt_nat_port" && $natt_in_sport == "$natt_nat_port" ]] ||
		fail "gateway SAs use ports $natt_out_dport/$natt_in_sport, the NAT maps $rw:4500 to '$natt_nat_port'"
	e2e_pass "the gateway's SAs use the NAT's mapping of $rw:4500 (port $natt_nat_port)" "$natt_ct_line"
	assert_log "$rw-natkeyd.out" 'NAT_DETECTED: NAT detected \(RFC 3947\): we behind NAT, peer not behind NAT' "natkeyd logs that it is behind the NAT"
	assert_log "$rw-natkeyd.out" 'FLOAT: gw: NAT-T RFC 3947, moving IKE to port 4500' "natkeyd logs the float"
	assert_output "$rw" '"exchange":"aggressive"' "status --json: Aggressive Mode" "$NATKEYCTL" status --json
	assert_output "$rw" "gw: up, auto=add, ${!ipvar}:4500 -> $GW_PUB:4500, NAT: local \(RFC 3947\), ESP-in-UDP" \
		"natkeyctl status: floated, NAT on our side, ESP-in-UDP" "$NATKEYCTL" status
	for v in "$NATT_VID_RFC3947" "$NATT_VID_D03" "$NATT_VID_D02N"; do
		assert_capture "$CAP_RW" "ip.src==${!ipvar} && udp.dstport==500 && isakmp.exchangetype==4 && isakmp.rspi==00:00:00:00:00:00:00:00 && isakmp.vid_bytes==$v" \
			"natkeyd's Aggressive Mode message 1 carries the NAT-T vendor ID $v"
	done
	assert_natt_phase1 "$CAP_PUB" "$GW_PUB" aggressive
	assert_natt_float "$CAP_PUB" "$GW_PUB" aggressive 3
	assert_natt_initiator_ports "$CAP_RW" aggressive
	assert_capture_none "$CAP_PUB" "udp.port==500 && isakmp.exchangetype==4 && isakmp.flag_e==1" "no encrypted Aggressive Mode message on port 500"
	assert_capture_none "$CAP_RW" "icmp.type==8 || icmp.type==0" "no cleartext ping or reply on $rw's link"
	nkctl "$rw" status >"$E2E_OUT/logs/$rw-status.txt" 2>&1
	return 0
}
