# natt-forceencaps: forceencaps=yes makes natkeyd encapsulate without a NAT
# (REQUIREMENTS 3947-4.a "or encapsulation forced", 3947-5.1.b/c: a peer
# forcing encapsulation fakes its NAT-D so the other side sees a NAT).
# Topology direct. natkeyd road warrior with forceencaps=yes, a strongSwan
# gateway with defaults: the float to UDP 4500 behind the marker, ESP in UDP
# 4500 both ways, no IP protocol 50, espinudp SAs on both ends, ping through.
default_topology=direct

source "$E2E_SRC/tests/e2e/natt-lib.sh"

scenario() {
	local rw=${RWS%% *} ipvar
	ipvar=IP_$rw
	[[ $BEHIND_NAT == none ]] || fail "natt-forceencaps needs a topology without NAT (BEHIND_NAT=$BEHIND_NAT)"
	natt_gw_setup strongswan
	natt_rw_setup natkeyd forceencaps=yes
	natt_connect natkeyd strongswan
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the forced ESP-in-UDP tunnel"
	assert_ping "$SRV" "${!ipvar}" 3 "ping $SRV -> $rw through the tunnel"
	assert_natt_kernel "$rw" 2
	assert_natt_kernel "$GW" 2
	assert_xfrm_state "$rw" "encap type espinudp sport 4500 dport 4500" "$rw's SAs: espinudp 4500 -> 4500"
	assert_xfrm_state "$GW" "encap type espinudp sport 4500 dport 4500" "the gateway's SAs: espinudp 4500 -> 4500 (no NAT moves ports)"
	assert_log "$GW-charon.log" 'remote host is behind NAT' "strongSwan sees natkeyd's faked NAT-D as a NAT"
	assert_output "$rw" '"udp_encap":true' "status --json: the child SA is UDP-encapsulated" "$NATKEYCTL" status --json
	assert_natt_phase1 "$CAP_PUB" "$GW_PUB" main
	assert_natt_float "$CAP_PUB" "$GW_PUB" main 3
	assert_natt_initiator_ports "$CAP_PUB" main
	assert_capture_none "$CAP_PUB" "icmp.type==8 || icmp.type==0" "no cleartext ping or reply on the public link"
	nkctl "$rw" status >"$E2E_OUT/logs/$rw-status.txt" 2>&1
	nkctl "$rw" status --json >"$E2E_OUT/logs/$rw-status.json" 2>&1
	return 0
}
