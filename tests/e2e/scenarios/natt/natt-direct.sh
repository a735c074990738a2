# natt-direct: without a NAT natkeyd does not encapsulate (RFC 3947 s5.1:
# SHOULD NOT use UDP-Encapsulated modes when no NAT is detected). natkeyd
# road warrior, strongSwan gateway, topology direct: both announce NAT-T and
# exchange NAT-D payloads, but the hashes match, so no side claims a NAT
# (natkeyd logs no NAT_DETECTED, status says NAT: none, strongSwan does not
# see one either), everything stays on UDP 500, ESP is IP protocol 50 and
# the kernel SAs carry no encap.
default_topology=direct

source "$E2E_SRC/tests/e2e/natt-lib.sh"

scenario() {
	local rw=${RWS%% *} ipvar
	ipvar=IP_$rw
	[[ $BEHIND_NAT == none ]] || fail "natt-direct needs a topology without NAT (BEHIND_NAT=$BEHIND_NAT)"
	natt_gw_setup strongswan
	natt_rw_setup natkeyd
	natt_connect natkeyd strongswan
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the tunnel"
	assert_ping "$SRV" "${!ipvar}" 3 "ping $SRV -> $rw through the tunnel"

	# NAT-T was negotiated (VIDs, NAT-D both ways), and found no NAT.
	assert_natt_phase1 "$CAP_PUB" "$GW_PUB" main
	assert_capture "$CAP_PUB" "ip.src==${!ipvar} && isakmp.exchangetype==2 && isakmp.vid_bytes==$NATT_VID_D03" \
		"natkeyd also announces draft-03"
	if grep -q 'NAT_DETECTED' "$E2E_OUT/logs/$rw-natkeyd.out"; then
		fail "natkeyd claims a NAT: $(grep NAT_DETECTED "$E2E_OUT/logs/$rw-natkeyd.out")"
	fi
	e2e_pass "natkeyd's NAT-D found no NAT (no NAT_DETECTED line)"
	if grep -Eq 'host is behind NAT|faking NAT' "$E2E_OUT/logs/$GW-charon.log"; then
		fail "strongSwan saw a NAT: $(grep -E 'behind NAT|faking NAT' "$E2E_OUT/logs/$GW-charon.log" | head -n 2)"
	fi
	e2e_pass "strongSwan's NAT-D check of natkeyd's hashes found no NAT"
	assert_output "$rw" "gw: up, auto=add, ${!ipvar}:500 -> $GW_PUB:500, NAT: none, ESP aes128-sha1" \
		"natkeyctl status: port 500, NAT: none, plain ESP" "$NATKEYCTL" status
	assert_output "$rw" '"local_behind_nat":false,"remote_behind_nat":false' "status --json: no NAT" "$NATKEYCTL" status --json
	assert_output "$rw" '"udp_encap":false' "status --json: the child SA is not encapsulated" "$NATKEYCTL" status --json

	# Wire and kernel: plain ESP, nothing on 4500, no keepalives.
	assert_no_natt_float "$CAP_PUB" "$GW_PUB" 3
	assert_no_natt_kernel "$rw"
	assert_no_natt_kernel "$GW"
	assert_capture_none "$CAP_PUB" "udpencap.nat_keepalive" "no NAT-keepalives without a NAT"
	assert_capture_none "$CAP_PUB" "icmp.type==8 || icmp.type==0" "no cleartext ping or reply on the public link"
	nkctl "$rw" status >"$E2E_OUT/logs/$rw-status.txt" 2>&1
	return 0
}
