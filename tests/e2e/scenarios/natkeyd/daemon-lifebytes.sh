# daemon-lifebytes: lifebytes= and marginbytes= of ipsec.conf reach the
# kernel. natkeyd, the road warrior of a strongSwan gateway, offers a Phase 2
# byte lifetime of 64M (RFC 2407 s4.5: 65536 kilobytes) with a margin of 8M;
# both of its kernel SAs must carry the hard byte limit 67108864 and the soft
# limit 67108864 - 8388608 = 58720256 (the rekey trigger), and
# --check-config prints both keys back in bytes.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

scenario() {
	local rw=${RWS%% *} n
	natkeyd_require
	strongswan_gw "$GW"
	strongswan_start "$GW"
	natkeyd_rw_conf "$rw" extra=$'  lifebytes=64M\n  marginbytes=8M'
	assert_output "$rw" $'\tlifebytes=67108864\n\tmarginbytes=8388608\n\tcommitbit=no\n' \
		"--check-config prints the byte lifetimes in bytes" "$NATKEYD" --check-config
	natkeyd_start "$rw"
	assert_output "$rw" 'initiating gw' "natkeyctl up gw" "$NATKEYCTL" up gw
	nk_wait_up "$rw" gw 40
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the tunnel"
	assert_xfrm_state "$rw" 'limit: soft 58720256\(bytes\), hard 67108864\(bytes\)' \
		"natkeyd's SA carries lifebytes as its hard and lifebytes-marginbytes as its soft byte limit"
	n=$(ip -n "$rw" -s xfrm state | grep -c 'limit: soft 58720256(bytes), hard 67108864(bytes)')
	[[ $n == 2 ]] || fail "byte limits on $n of natkeyd's SAs, want both (inbound and outbound)"
	e2e_pass "both SAs carry the byte limits" "$n SAs"
	return 0
}
