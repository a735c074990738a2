# daemon-passthrough: a natkeyd road warrior sends everything through the
# tunnel (rightsubnet=0.0.0.0/0 to a strongSwan gateway) except its own LAN,
# which a type=passthrough conn keeps local: a ping to the LAN's router is
# answered without touching the ESP SAs while a ping to the protected server
# goes through them; with the passthrough conn down (natkeyctl down) the LAN
# ping disappears into the tunnel, and comes back with natkeyctl up.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

scenario() {
	local rw=${RWS%% *} nat_var lan_gw=10.1.0.1 lan_net=10.1.0.0/24 o0 i0
	nat_var=NAT_$rw
	natkeyd_require
	[[ $BEHIND_NAT == *rw* ]] || fail "daemon-passthrough needs a road warrior on a LAN behind a NAT (rw-nat)"
	strongswan_gw "$GW" local_ts=0.0.0.0/0
	strongswan_start "$GW"
	natkeyd_rw_conf "$rw" auto=start remote_ts=0.0.0.0/0 extra="conn lan
  leftsubnet=$lan_net
  rightsubnet=$lan_net
  authby=never
  type=passthrough
  auto=route"
	natkeyd_start "$rw"
	nk_wait_up "$rw" gw 40
	assert_log "$rw-natkeyd.out" '\[lan\] 3 of 3 passthrough policies installed' "the passthrough policies are in" 5
	assert_output "$rw" 'src 10\.1\.0\.0/24 dst 10\.1\.0\.0/24[^d]*dir out priority 100' \
		"the kernel holds the bypass policy, before the tunnel's" ip xfrm policy

	# Through the tunnel: everything else, e.g. the protected server.
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "the server is reached through the 0.0.0.0/0 tunnel"
	# The LAN stays local: answered, and the ESP counters do not move.
	xfrm_packets "$rw"
	o0=$xfrm_out i0=$xfrm_in
	assert_ping "$rw" "$lan_gw" 3 "the LAN router answers (passthrough)"
	xfrm_packets "$rw"
	[[ $xfrm_out == "$o0" && $xfrm_in == "$i0" ]] ||
		fail "LAN pings went through ESP (out $o0 -> $xfrm_out, in $i0 -> $xfrm_in)"
	e2e_pass "no LAN packet entered the tunnel" "ESP out $o0 -> $xfrm_out, in $i0 -> $xfrm_in"

	# Without the passthrough conn the tunnel swallows the LAN traffic.
	nkctl "$rw" down lan >"$E2E_OUT/logs/$rw-down-lan.txt" 2>&1 || fail "natkeyctl down lan failed"
	assert_log "$rw-natkeyd.out" '\[lan\] 3 policies removed' "natkeyctl down removed the passthrough policies" 5
	assert_no_ping "$rw" "$lan_gw" "without passthrough the LAN ping goes into the tunnel and is lost"
	xfrm_packets "$rw"
	((xfrm_out > o0)) || fail "the LAN ping did not enter the tunnel without passthrough (out $o0 -> $xfrm_out)"
	e2e_pass "the LAN ping entered the tunnel without passthrough" "ESP out $o0 -> $xfrm_out"
	nkctl "$rw" up lan >"$E2E_OUT/logs/$rw-up-lan.txt" 2>&1 || fail "natkeyctl up lan failed"
	assert_ping "$rw" "$lan_gw" 3 "natkeyctl up lan: the LAN is local again"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "and the tunnel still carries the rest"
	return 0
}
