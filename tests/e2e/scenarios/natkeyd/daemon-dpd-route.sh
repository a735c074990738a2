# daemon-dpd-route: no cleartext after the peer dies (issue 14). An
# auto=route connection with dpdaction=clear: the tunnel comes up on
# traffic, then the gateway's IKE daemon is killed (no Delete). natkeyd
# declares it dead and clears the SAs; the trap policies that the SA
# policies had replaced must be back at once, so the next packets to the
# protected subnet ACQUIRE (and wait) instead of leaving in clear text. On
# the public link and on the road warrior's own link no echo request to the
# protected subnet is ever seen in clear text.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

scenario() {
	local rw=${RWS%% *} acq
	strongswan_gw "$GW"
	strongswan_start "$GW"
	natkeyd_rw_conf "$rw" auto=route extra=$'  dpddelay=2s\n  dpdtimeout=6s\n  dpdaction=clear'
	natkeyd_start "$rw"
	assert_output "$rw" $'(^|\n)gw: routed, auto=route' "routed before any traffic" "$NATKEYCTL" status

	# Traffic: ACQUIRE, the tunnel comes up and carries it.
	ip netns exec "$rw" ping -n -q -c 12 -i 0.5 -W 2 "$SRV_IP" >"$E2E_OUT/logs/dpd-ping1.txt" 2>&1
	nk_wait_up "$rw" gw 20
	assert_ping_tunnel "$rw" "$SRV_IP" 3

	# The gateway's IKE daemon dies without a word; its kernel SAs stay.
	daemon_stop "$GW" charon KILL
	wait_until 40 grep -q 'DPD_DEAD' "$E2E_OUT/logs/$rw-natkeyd.out" ||
		fail "natkeyd never declared the dead gateway dead (logs/$rw-natkeyd.out)"
	e2e_pass "natkeyd declared the gateway dead" \
		"$(grep -m1 'DPD_DEAD' "$E2E_OUT/logs/$rw-natkeyd.out")"
	assert_xfrm_state_none "$rw" 'reqid 1313538049' "DPD clear removed the SAs"

	# Traffic after the death: held by the trap (ACQUIRE), never in clear.
	acq=$(grep -c 'kernel event 1' "$E2E_OUT/logs/$rw-natkeyd.out")
	ip netns exec "$rw" ping -n -q -c 8 -i 0.5 -W 1 "$SRV_IP" >"$E2E_OUT/logs/dpd-ping2.txt" 2>&1
	# (The captures are judged on the host after the run, whatever
	# fails below.)
	assert_capture_none "$CAP_PUB" "icmp.type==8 && ip.dst==$SRV_IP" "no cleartext echo request on the public link"
	[[ $CAP_RW != "$CAP_PUB" ]] &&
		assert_capture_none "$CAP_RW" "icmp.type==8 && ip.dst==$SRV_IP" "no cleartext echo request on the road warrior's link"
	(($(grep -c 'kernel event 1' "$E2E_OUT/logs/$rw-natkeyd.out") > acq)) ||
		fail "no ACQUIRE for the packets after the death: they found no trap (logs/$rw-natkeyd.out)"
	e2e_pass "the packets after the death hit the trap and ACQUIREd" "$acq ACQUIREs before"

	assert_output "$rw" $'dst 10.9.0.0/24[[:space:]]*\n[[:space:]]*dir out priority 3875[^\n]*\n[[:space:]]*tmpl src [0-9.]+ dst 192.0.2.1' \
		"the trap (out policy with its template) is back after DPD clear" ip xfrm policy

	return 0
}
