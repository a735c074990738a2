# daemon-route: no cleartext leaks. An auto=route connection installs its
# policies before any SA exists: the first packet triggers an ACQUIRE and
# natkeyd negotiates; after `natkeyctl down` the policies are back at once
# and the next packet negotiates again. On the public link and on the road
# warrior's own LAN no echo request to the protected subnet is ever seen in
# clear text.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

scenario() {
	local rw=${RWS%% *} o spis1
	strongswan_gw "$GW"
	strongswan_start "$GW"
	natkeyd_rw_conf "$rw" auto=route
	natkeyd_start "$rw"
	assert_output "$rw" $'(^|\n)gw: routed, auto=route' "routed before any traffic" "$NATKEYCTL" status
	assert_xfrm_state_none "$rw" 'reqid 1313538049' "no SA yet"

	# Traffic before the tunnel exists: held by the policy, ACQUIRE, IKE.
	ip netns exec "$rw" ping -n -q -c 12 -i 0.5 -W 2 "$SRV_IP" >"$E2E_OUT/logs/route-ping1.txt" 2>&1
	assert_log "$rw-natkeyd.out" 'kernel event 1' "natkeyd got the kernel's ACQUIRE"
	nk_wait_up "$rw" gw 20
	o=$(<"$E2E_OUT/logs/route-ping1.txt")
	[[ $o =~ ([0-9]+)\ received ]] && ((BASH_REMATCH[1] > 0)) || fail "no reply once the ACQUIRE'd tunnel was up: $o"
	e2e_pass "traffic flows once the ACQUIRE'd tunnel is up" "$(grep transmitted <<<"$o")"
	assert_ping_tunnel "$rw" "$SRV_IP" 3
	spis1=$(nkctl "$rw" status | grep -o 'SPIs in [0-9a-f]* out [0-9a-f]*')

	# Down: SAs deleted, policies back immediately, traffic negotiates anew.
	assert_output "$rw" 'gw terminated' "natkeyctl down gw" "$NATKEYCTL" down gw
	assert_output "$rw" $'(^|\n)gw: routed' "routed again after down" "$NATKEYCTL" status
	assert_output "$rw" $'dst 10.9.0.0/24[[:space:]]*\n[[:space:]]*dir out priority 3875[^\n]*\n[[:space:]]*tmpl src [0-9.]+ dst 192.0.2.1' \
		"the out policy is in place while no SA exists" ip xfrm policy
	ip netns exec "$rw" ping -n -q -c 12 -i 0.5 -W 2 "$SRV_IP" >"$E2E_OUT/logs/route-ping2.txt" 2>&1
	nk_wait_up "$rw" gw 20
	local spis2
	spis2=$(nkctl "$rw" status | grep -o 'SPIs in [0-9a-f]* out [0-9a-f]*')
	[[ -n $spis2 && $spis2 != "$spis1" ]] || fail "no new SAs after down + traffic ($spis1 / $spis2)"
	e2e_pass "traffic after down negotiated new SAs" "$spis1 -> $spis2"
	assert_ping_tunnel "$rw" "$SRV_IP" 3

	assert_capture_none "$CAP_PUB" "icmp.type==8 && ip.dst==$SRV_IP" "no cleartext echo request on the public link"
	[[ $CAP_RW != "$CAP_PUB" ]] &&
		assert_capture_none "$CAP_RW" "icmp.type==8 && ip.dst==$SRV_IP" "no cleartext echo request on the road warrior's link"
	return 0
}
