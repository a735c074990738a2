# conform-conflict: two natkeyd road warriors behind one NAT, the second
# claiming the first one's inner address (leftsubnet=10.1.0.2/32): natkeyd
# as the gateway refuses the second one's Quick Mode, so it cannot steer the
# first one's traffic to itself (RFC 3948 s5.1, REQUIREMENTS 3948-5.1.a).
# The first tunnel keeps working both ways, traffic to 10.1.0.2 goes into
# the first road warrior's SA, and the second gets no IPsec SA.
default_topology=two-rw-nat

source "$E2E_SRC/tests/e2e/natt-lib.sh"

scenario() {
	local rw=${RWS%% *} rw2=${RWS##* } n
	[[ $rw2 != "$rw" ]] || fail "conform-conflict needs two road warriors (RWS=$RWS)"
	natt_gw_setup natkeyd dpdaction=none
	natt_rw_setup natkeyd dpdaction=none
	natkeyd_rw_conf "$rw2" extra="  leftsubnet=$IP_rw/32
  dpdaction=none"
	natkeyd_start "$rw2"
	natt_connect natkeyd natkeyd
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through its tunnel"

	# The second road warrior asks for the first one's address.
	assert_output "$rw2" 'initiating gw' "natkeyctl up gw on $rw2 (client ID $IP_rw/32)" "$NATKEYCTL" up gw
	# Wait for the outcome either way: refused, or (wrongly) installed.
	conform_settled() {
		grep -q 'INVALID-ID-INFORMATION' "$E2E_OUT/logs/$rw2-natkeyd.out" ||
			[[ $(ip -n "$rw2" xfrm state | grep -c '^src') -ge 2 ]]
	}
	wait_until 20 conform_settled
	snooze 2
	n=$(ip -n "$GW" xfrm state | grep -c '^src')
	((n == 2)) || fail "the gateway holds $n SAs, want 2 (the first road warrior's pair)"
	n=$(ip -n "$rw2" xfrm state | grep -c '^src')
	((n == 0)) || fail "$rw2 holds $n SAs"
	e2e_pass "$rw2 got no IPsec SA; the gateway still holds only $rw's pair" "2 SAs on $GW, none on $rw2"
	assert_log "$GW-natkeyd.out" "refused client ${IP_rw//./\\.}/32 of $rw2\\.natkeyd\\.test at [0-9.:]+: overlaps another peer's" \
		"the gateway refused $rw2's Quick Mode for $IP_rw"
	assert_log "$rw2-natkeyd.out" 'INVALID-ID-INFORMATION' "$rw2 was told (INVALID-ID-INFORMATION)"

	# The first tunnel, both ways: traffic for 10.1.0.2 reaches rw's SA.
	assert_ping "$SRV" "$IP_rw" 3 "ping $SRV -> $IP_rw still goes to $rw"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP after $rw2's attempt"
	assert_xfrm_state "$GW" "sel src $GW_NET dst $IP_rw/32" "the gateway's SA towards $IP_rw is still there"
	return 0
}
