# natt-forged: packets from a new port that carry the tunnel's valid cookies
# (or SPI) but are not authenticated now move nothing (RFC 3947 s7,
# REQUIREMENTS 3947-7.c, 3948-2.3.d, 3948-4.a). natkeyd is the gateway, a
# strongSwan road warrior is behind the NAT. From the road warrior's host,
# through its NAT (so each gets a new public port), we send to the gateway's
# UDP 4500: an IKE message with the captured header (valid cookies and
# message ID) and a random body; an Informational with valid cookies and a
# random body; every captured IKE message replayed verbatim (authentic but
# old); a captured ESP packet replayed; a NAT-keepalive. Afterwards natkeyd's
# peer endpoint, its kernel SAs (SPIs and ports) and its status are
# unchanged, no MAPPING_CHANGED audit line, the tunnel still carries traffic
# both ways, and the gateway sent nothing to the new ports.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natt-lib.sh"

scenario() {
	local rw=${RWS%% *} nat=${NAT_rw%% *} ipvar old spis0 natpub mode port p out cap
	ipvar=IP_$rw
	cap=${CAP_RW/:/-}
	natpub=$(ip -n "$nat" -4 -o addr show dev wan0 | awk '{print $4}')
	natpub=${natpub%/*}

	natt_gw_setup natkeyd
	natt_rw_setup strongswan
	natt_connect strongswan natkeyd
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the tunnel"
	assert_natt_kernel "$GW" 2
	natt_gw_ports
	old=$natt_out_dport
	[[ -n $old && $natt_in_sport == "$old" ]] || fail "gateway SAs disagree on the peer's port: '$old' / '$natt_in_sport'"
	natt_spis "$GW"
	spis0=$natt_spi_list
	nkctl "$GW" status >"$E2E_OUT/logs/$GW-status-before.txt" 2>&1
	e2e_pass "before the injections: natkeyd's SAs use $natpub:$old" "SPIs $spis0"

	port=4501
	for mode in forge forgeinfo replay esp keepalive; do
		out=$(natt_inject "$rw" "$port" "$mode" "$cap" 2>&1) || fail "could not inject '$mode': $out"
		printf '%s\n' "$out" >>"$E2E_OUT/logs/injected.txt"
		e2e_pass "injected from $rw:$port ($mode)" "$out"
		port=$((port + 1))
		snooze 0.5
		# What natkeyctl shows must not follow an unauthenticated packet.
		natt_soft_output "$GW" "rw: up, auto=add, $GW_IP:4500 -> $natpub:$old, NAT: peer" \
			"after the $mode injection natkeyctl status still shows the real endpoint" "$NATKEYCTL" status
	done
	# The public ports the NAT gave the injections (none is $old).
	for ((p = 4501; p < port; p++)); do
		ip netns exec "$nat" conntrack -L -p udp --orig-src "${!ipvar}" --orig-port-src "$p" >>"$E2E_OUT/logs/injected.txt" 2>&1
	done
	snooze 3

	natt_gw_ports
	[[ $natt_out_dport == "$old" && $natt_in_sport == "$old" ]] ||
		fail "natkeyd moved its SAs after unauthenticated packets: out dport $natt_out_dport, in sport $natt_in_sport (was $old)"
	e2e_pass "natkeyd's kernel SAs still use the peer's real port $old" "out dport $natt_out_dport, in sport $natt_in_sport"
	natt_spis "$GW"
	[[ $natt_spi_list == "$spis0" ]] || fail "natkeyd's SAs changed: SPIs $natt_spi_list, were $spis0"
	e2e_pass "natkeyd's SAs are the same ones (no rekey, no delete)" "SPIs $natt_spi_list"
	assert_xfrm_state "$GW" 'replay-window [0-9]+ replay [1-9][0-9]* failed' "the gateway's kernel dropped the replayed ESP packet as a replay" 1
	natt_soft_output "$GW" "rw: up, auto=add, $GW_IP:4500 -> $natpub:$old, NAT: peer" \
		"natkeyctl status still shows the real endpoint" "$NATKEYCTL" status
	daemon_running "$GW" natkeyd || fail "natkeyd on $GW is no longer running"
	if grep -q 'MAPPING_CHANGED' "$E2E_OUT/logs/$GW-natkeyd.out"; then
		fail "natkeyd logged a mapping change: $(grep MAPPING_CHANGED "$E2E_OUT/logs/$GW-natkeyd.out" | head -n 3)"
	fi
	e2e_pass "no MAPPING_CHANGED audit line"
	assert_ping "$SRV" "${!ipvar}" 3 "ping $SRV -> $rw: the gateway still sends to the real port"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the tunnel afterwards"
	natt_gw_ports
	[[ $natt_out_dport == "$old" ]] || fail "the SAs moved to $natt_out_dport after the pings"
	nkctl "$GW" status >"$E2E_OUT/logs/$GW-status-after.txt" 2>&1

	# The injections reached the gateway from new ports, and it sent nothing
	# back to them: no ESP, no IKE (not even a retransmission to a replay).
	assert_capture "$CAP_PUB" "ip.src==$natpub && udp.dstport==4500 && !(udp.srcport==$old)" \
		"the injected packets reached the gateway from other ports" 5
	assert_capture_none "$CAP_PUB" "ip.src==$GW_PUB && esp && !(udp.dstport==$old)" \
		"the gateway sent no ESP to any other port"
	assert_capture_none "$CAP_PUB" "ip.src==$GW_PUB && udp.srcport==4500 && !(udp.dstport==$old)" \
		"the gateway sent nothing from 4500 to any other port (no answer to forged or replayed packets)"
	assert_capture_none "$CAP_PUB" "ip.src==$GW_PUB && udpencap.nat_keepalive" "the gateway (not behind a NAT) sends no keepalives"
	natt_soft_end
	return 0
}
