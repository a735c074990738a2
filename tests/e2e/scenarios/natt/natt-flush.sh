# natt-flush: natkeyd as the gateway (not behind a NAT) follows a road
# warrior whose NAT forgets its mapping mid-tunnel (conntrack -F, and a new
# masquerade port range so the public port really changes): RFC 3947 s7 /
# REQUIREMENTS 3947-7.a, 3947-8.b. While a ping runs through the tunnel:
# traffic resumes within 1 s of the road warrior's first ESP packet from the
# new port, natkeyd writes the audit line (old and new endpoint), its kernel
# SAs carry the new port, natkeyctl status shows it, and no packet of the
# protected traffic leaves the road warrior unencrypted (capture on its own
# link: only IKE and ESP-in-UDP). The road warrior is strongSwan here;
# natt-flush-nk runs the same with natkeyd on both ends.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natt-lib.sh"

# natt_flush_body RW_IMPL: the scenario with RW_IMPL as the road warrior.
natt_flush_body() {
	local rwi=$1 rw=${RWS%% *} nat=${NAT_rw%% *} ipvar old new pid line
	local t_flush t_moved t_in=0 t_out=0 t_reply=0 lost=0 natpub recov ms spis_gw spis_rw
	ipvar=IP_$rw
	natpub=$(ip -n "$nat" -4 -o addr show dev wan0 | awk '{print $4}')
	natpub=${natpub%/*}

	# The gateway runs a short DPD: its R-U-THERE after the move is the IKE
	# traffic that must reach the new port (dpdaction=none, the default, would
	# send none, and the road warrior's own DPD is not timed to this scenario).
	natt_gw_setup natkeyd dpdaction=clear dpddelay=2s dpdtimeout=60s
	natt_rw_setup "$rwi"
	natt_connect "$rwi" natkeyd
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the tunnel before the flush"
	assert_natt_kernel "$GW" 2
	natt_gw_ports
	old=$natt_out_dport
	[[ -n $old && $natt_in_sport == "$old" ]] ||
		fail "gateway SAs disagree on the peer's port before the flush: out dport '$old', in sport '$natt_in_sport'"
	natt_nat_port
	[[ $natt_nat_port == "$old" ]] ||
		fail "the NAT maps $rw:4500 to port '$natt_nat_port', natkeyd's SAs use '$old' ($natt_ct_line)"
	e2e_pass "before the flush: NAT maps $rw:4500 to $natpub:$old, natkeyd's SAs use it" "$natt_ct_line"
	# The SAs before the move: the same ones (SPIs) must carry the traffic
	# after it, moved in place; a renegotiation would bring new SPIs.
	natt_spis "$GW"
	spis_gw=$natt_spi_list
	natt_spis "$rw"
	spis_rw=$natt_spi_list
	[[ $spis_gw =~ ^0x[0-9a-f]+\ 0x[0-9a-f]+\ $ ]] || fail "the gateway holds ESP SAs '$spis_gw' before the flush, want one pair"
	[[ $spis_rw == "$spis_gw" ]] || fail "road warrior SPIs '$spis_rw' and gateway SPIs '$spis_gw' differ before the flush"
	e2e_pass "before the flush: one SA pair on both ends" "SPIs $spis_gw"

	# A ping every 0.2 s through the whole event (-D: time stamps, -O: losses).
	ip netns exec "$rw" ping -D -O -n -i 0.2 -W 1 -c 60 "$SRV_IP" >"$E2E_OUT/logs/ping-flush.txt" 2>&1 &
	pid=$!
	snooze 3
	nat_port_range "$nat" 30000-39999
	t_flush=${EPOCHREALTIME}
	nat_flush "$nat"
	natt_gw_moved() { natt_gw_ports && [[ $natt_out_dport != "$old" && $natt_in_sport == "$natt_out_dport" ]]; }
	if wait_until 10 natt_gw_moved; then
		new=$natt_out_dport
		t_moved=$EPOCHREALTIME
		e2e_pass "natkeyd moved both kernel SAs from port $old to $new" \
			"out dport $natt_out_dport, in sport $natt_in_sport"
		natt_spis "$GW"
		[[ $natt_spi_list == "$spis_gw" ]] ||
			fail "the gateway's SAs after the move have SPIs '$natt_spi_list', before '$spis_gw': not moved in place"
		e2e_pass "the moved SAs are the same SAs (SPIs unchanged)" "SPIs $natt_spi_list"
	else
		printf '%s\n' "$e2e_xfrm" >"$E2E_OUT/logs/failed-xfrm-$GW.txt"
		wait "$pid"
		fail "natkeyd's SAs still use port $old (out dport '$natt_out_dport', in sport '$natt_in_sport') 10 s after the flush (logs/failed-xfrm-$GW.txt)"
	fi
	((new >= 30000 && new <= 39999)) || fail "new port $new is not from the NAT's new range 30000-39999"
	# natkeyctl status must agree with the kernel as soon as natkeyd moved
	# the SAs (not only after the next IKE packet).
	natt_soft_output "$GW" "rw: up, auto=add, $GW_IP:4500 -> $natpub:$new, NAT: peer" \
		"natkeyctl status shows the new endpoint as soon as the SAs moved" "$NATKEYCTL" status
	wait "$pid"

	# Measurements. Capture on the public link: the road warrior's first ESP
	# from the new port, and the gateway's first ESP back to it.
	local ms src sp dst dp kind pk
	pk=$(natt_pcap_udp "${CAP_PUB%%:*}" "${CAP_PUB##*:}")
	printf '%s\n' "$pk" >"$E2E_OUT/logs/flush-udp-packets.txt"
	while read -r ms src sp dst dp kind; do
		[[ $kind == esp ]] || continue
		if ((t_in == 0)) && [[ $src == "$natpub" && $sp == "$new" && $dst == "$GW_PUB" ]]; then
			t_in=$ms
		elif ((t_out == 0)) && [[ $src == "$GW_PUB" && $dst == "$natpub" && $dp == "$new" ]]; then
			t_out=$ms
		fi
	done <<<"$pk"
	((t_in > 0)) || fail "no ESP from $natpub:$new on $CAP_PUB (logs/flush-udp-packets.txt)"
	((t_out > 0)) || fail "no ESP from the gateway to $natpub:$new on $CAP_PUB"
	recov=$((t_out - t_in))
	log "MEASURE flush recovery: first ESP in from port $new to first ESP out to it: $recov ms"
	((recov >= 0 && recov <= 1000)) ||
		fail "the gateway answered the new port $recov ms after the road warrior's first ESP from it, want <= 1000"
	e2e_pass "traffic resumes within 1 s of the road warrior's first ESP from the new port" "$recov ms (capture $CAP_PUB)"
	# When natkeyd wrote its audit line (its log's UTC time of day), relative
	# to the first ESP from the new port: the move itself, without the wait
	# for the next ping.
	natt_ms_of "$t_flush"
	t_flush=$natt_ms
	line=$(grep -m1 'MAPPING_CHANGED' "$E2E_OUT/logs/$GW-natkeyd.out")
	if [[ $line =~ ^([0-9]{2}):([0-9]{2}):([0-9]{2})\.([0-9]{3}) ]]; then
		ms=$((t_in - t_in % 86400000 + ((10#${BASH_REMATCH[1]} * 60 + 10#${BASH_REMATCH[2]}) * 60 + 10#${BASH_REMATCH[3]}) * 1000 + 10#${BASH_REMATCH[4]}))
		t_reply=$((ms - t_in))
	fi
	lost=$(grep -c 'no answer yet' "$E2E_OUT/logs/ping-flush.txt")
	log "MEASURE flush: first ESP from the new port $((t_in - t_flush)) ms after conntrack -F; natkeyd's audit line $t_reply ms after it; gateway's first ESP to the new port $recov ms after it; $lost of 60 pings unanswered within 1 s"
	e2e_pass "flush timeline" \
		"first ESP from port $new $((t_in - t_flush)) ms after conntrack -F, audit line +$t_reply ms, first ESP back +$recov ms, $lost/60 pings lost"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the tunnel after the flush"
	assert_ping "$SRV" "${!ipvar}" 3 "ping $SRV -> $rw (gateway-side traffic reaches the new port)"

	# An idle moment longer than the gateway's DPD delay.
	snooze 4
	assert_xfrm_state "$GW" "encap type espinudp sport 4500 dport $new" "gateway's outbound SA: espinudp to the new port"
	assert_xfrm_state "$GW" "encap type espinudp sport $new dport 4500" "gateway's inbound SA: espinudp from the new port"
	assert_xfrm_state_none "$GW" "port $old " "no SA of the gateway keeps the old port $old"
	# Still the same SA pair on both ends: no renegotiation since the flush.
	natt_spis "$GW"
	[[ $natt_spi_list == "$spis_gw" ]] ||
		fail "after the flush the gateway holds SPIs '$natt_spi_list', before it '$spis_gw' (renegotiated, not moved)"
	natt_spis "$rw"
	[[ $natt_spi_list == "$spis_rw" ]] ||
		fail "after the flush $rw holds SPIs '$natt_spi_list', before it '$spis_rw' (renegotiated, not moved)"
	e2e_pass "after the flush both ends still hold the SA pair of before (SPIs unchanged)" "SPIs $natt_spi_list"
	nkctl "$GW" status >"$E2E_OUT/logs/$GW-status.txt" 2>&1

	# Nothing in the clear, on the road warrior's own link nor on the public one.
	assert_capture "$CAP_RW" "ip.src==${!ipvar} && udp.srcport==4500 && esp" "ESP in UDP from $rw on its own link" 60
	assert_capture_none "$CAP_RW" "ip.src==${!ipvar} && !(udp.port==4500) && !(udp.port==500)" \
		"nothing but IKE and ESP-in-UDP leaves $rw during the whole event"
	assert_capture_none "$CAP_RW" "icmp.type==8 && ip.dst==$SRV_IP" "no cleartext ping on $rw's link"
	assert_capture_none "$CAP_PUB" "icmp.type==8 || icmp.type==0" "no cleartext ping or reply on the public link"
	assert_capture "$CAP_PUB" "ip.src==$natpub && udp.srcport==$new && esp" "ESP in UDP from the NAT's new port" 10
	assert_capture "$CAP_PUB" "ip.dst==$natpub && udp.dstport==$new && esp" "ESP in UDP from the gateway to the new port" 10
	# RFC 3947 s3 / REQUIREMENTS 3947-3.c: once moved, natkeyd uses the new
	# endpoint for everything (ESP, DPD, Delete at the end), nothing to the old.
	assert_capture_none "$CAP_PUB" "frame.time_epoch >= $t_moved && ip.src==$GW_PUB && udp.dstport==$old" \
		"after the move the gateway sends nothing to the old port $old"
	# Not one packet but all of them: natkeyd sends IKE to no other port, its
	# Informationals after the move (an R-U-THERE every 2 s, DPD delay 2 s,
	# for the 8+ s the scenario still runs, and the Deletes of its teardown)
	# are several, and the road warrior answers them from the new port.
	# !icmp: at teardown the gateway's daemon may be gone before the road
	# warrior's last Delete arrives; the kernel's port-unreachable quotes that
	# Delete, and tshark dissects the quoted packet as IKE (CI of 76a550a).
	assert_capture_none "$CAP_PUB" "frame.time_epoch >= $t_moved && ip.src==$GW_PUB && !icmp && udpencap.non_esp_marker && !(ip.dst==$natpub && udp.dstport==$new)" \
		"after the move natkeyd sends IKE to no endpoint but $natpub:$new"
	assert_capture "$CAP_PUB" "frame.time_epoch >= $t_moved && ip.src==$GW_PUB && ip.dst==$natpub && udp.dstport==$new && isakmp.exchangetype==5" \
		"after the move natkeyd's IKE messages (DPD, Delete) go to the new port" 4
	assert_capture "$CAP_PUB" "frame.time_epoch >= $t_moved && ip.src==$natpub && udp.srcport==$new && ip.dst==$GW_PUB && isakmp.exchangetype==5" \
		"the road warrior answers natkeyd's DPD from the new port" 3

	# natkeyd's own account: audit line, status (soft checks: all reported).
	natt_soft_log "$GW-natkeyd.out" "audit natt: \[rw #[0-9]+\] MAPPING_CHANGED: rw: peer moved from [0-9.]+:$old to [0-9.]+:$new" \
		"natkeyd audits the mapping change (old and new port)"
	# The endpoint, not only the port (REQUIREMENTS 3947-8.b: enough to audit
	# an address change too, which a port-only line cannot show).
	natt_soft_log "$GW-natkeyd.out" "audit natt: .*MAPPING_CHANGED: .*$natpub:$old.*$natpub:$new" \
		"the audit line names the old and new endpoint (address:port)"
	natt_soft_output "$GW" "rw: up, auto=add, $GW_IP:4500 -> $natpub:$new, NAT: peer" \
		"natkeyctl status on the gateway shows the new endpoint" "$NATKEYCTL" status
	natt_soft_output "$GW" "\"remote\":\\{\"address\":\"$natpub\",\"port\":$new," \
		"natkeyctl status --json shows the new port" "$NATKEYCTL" status --json
	nkctl "$GW" status >"$E2E_OUT/logs/$GW-status.txt" 2>&1
	natt_soft_end
	return 0
}

scenario() {
	natt_flush_body strongswan
}
