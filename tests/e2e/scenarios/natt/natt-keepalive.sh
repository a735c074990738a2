# natt-keepalive: NAT-keepalives keep an idle tunnel's NAT mapping open
# (RFC 3948 s2.3, s4; REQUIREMENTS 3948-2.3.a/c, 3948-4.c, 3947-3.2.e).
# natkeyd on both ends: the road warrior behind the NAT (nat_keepalive=20s),
# the gateway not behind one; no DPD. The NAT forgets UDP mappings after
# 30 s. After 2 idle minutes the gateway's side can still reach the road
# warrior (ping srv -> rw: only works if the NAT still maps the old port),
# with the same SAs (no renegotiation), the same NAT port, and during the
# idle time the public link carried nothing but 1-byte 0xFF keepalives on
# UDP 4500, about one per 20 s, all from the NATed side, none from the gateway,
# each with a zero UDP checksum (RFC 3948 s2.3).
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natt-lib.sh"

NATT_IDLE=120

scenario() {
	local rw=${RWS%% *} nat=${NAT_rw%% *} ipvar natpub old spis_gw spis_rw t0 t1 i win ports=""
	ipvar=IP_$rw
	natpub=$(ip -n "$nat" -4 -o addr show dev wan0 | awk '{print $4}')
	natpub=${natpub%/*}
	nat_udp_timeout "$nat" 30

	natt_gw_setup natkeyd dpdaction=none
	natt_rw_setup natkeyd nat_keepalive=20s dpdaction=none
	natt_connect natkeyd natkeyd
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the tunnel"
	assert_natt_kernel "$GW" 2
	assert_natt_kernel "$rw" 2
	assert_output "$rw" '"keepalive_s":20' "natkeyctl status --json on $rw: keepalive every 20 s" "$NATKEYCTL" status --json
	natt_gw_ports
	old=$natt_out_dport
	natt_nat_port
	[[ -n $old && $natt_nat_port == "$old" ]] || fail "NAT port '$natt_nat_port' and gateway SA port '$old' differ ($natt_ct_line)"
	natt_spis "$GW"
	spis_gw=$natt_spi_list
	natt_spis "$rw"
	spis_rw=$natt_spi_list
	e2e_pass "tunnel up through NAT port $old" "gw SPIs $spis_gw; rw SPIs $spis_rw"

	# Idle: no traffic from us; watch the NAT's mapping without touching it.
	t0=$EPOCHREALTIME
	log "idle for $NATT_IDLE s"
	for ((i = 0; i < NATT_IDLE / 10; i++)); do
		snooze 10
		natt_nat_port
		printf '%s +%ds: %s\n' "$(date +%T)" $(((i + 1) * 10)) "$natt_ct_line" >>"$E2E_OUT/logs/nat-conntrack-idle.txt"
		ports+=" ${natt_nat_port:-none}"
	done
	t1=$EPOCHREALTIME
	[[ ${ports// $old/} == "" ]] ||
		fail "the NAT lost or changed the mapping of $rw:4500 while idle (ports every 10 s:$ports; logs/nat-conntrack-idle.txt)"
	e2e_pass "the NAT kept mapping $rw:4500 to port $old through $NATT_IDLE idle seconds (30 s UDP timeout)" "every 10 s:$ports"

	assert_ping "$SRV" "${!ipvar}" 3 "after $NATT_IDLE idle s, ping $SRV -> $rw through the tunnel (gateway side first)"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "after $NATT_IDLE idle s, ping $rw -> $SRV_IP through the tunnel"
	natt_gw_ports
	[[ $natt_out_dport == "$old" && $natt_in_sport == "$old" ]] ||
		fail "the gateway's SAs use port $natt_out_dport/$natt_in_sport, were $old: the mapping changed"
	natt_spis "$GW"
	[[ $natt_spi_list == "$spis_gw" ]] || fail "gateway SAs renegotiated: SPIs $natt_spi_list, were $spis_gw"
	natt_spis "$rw"
	[[ $natt_spi_list == "$spis_rw" ]] || fail "road warrior SAs renegotiated: SPIs $natt_spi_list, were $spis_rw"
	e2e_pass "no renegotiation: both ends keep the same SAs and NAT port" "gw $spis_gw; rw $spis_rw"
	for h in "$GW" "$rw"; do
		[[ $(grep -c 'IKE_ESTABLISHED' "$E2E_OUT/logs/$h-natkeyd.out") == 1 ]] ||
			fail "natkeyd on $h established more than one IKE SA (logs/$h-natkeyd.out)"
		if grep -q 'MAPPING_CHANGED' "$E2E_OUT/logs/$h-natkeyd.out"; then
			fail "natkeyd on $h saw a mapping change (logs/$h-natkeyd.out)"
		fi
	done
	e2e_pass "one IKE SA each, no mapping change in either log"

	# RFC 3948 s4: the NATed side is never silent for more than the
	# interval. From the capture: the longest gap between two packets from
	# the NAT's mapped port to the gateway's 4500, from the last one before
	# the idle window to the end of it (keepalives or anything else).
	local pk ms src sp dst dp kind last=0 gap=0 kas=0 ta tb
	natt_ms_of "$t0"
	ta=$natt_ms
	natt_ms_of "$t1"
	tb=$natt_ms
	pk=$(natt_pcap_udp "${CAP_PUB%%:*}" "${CAP_PUB##*:}")
	while read -r ms src sp dst dp kind; do
		[[ $src == "$natpub" && $sp == "$old" && $dst == "$GW_PUB" && $dp == 4500 ]] || continue
		((ms <= tb)) || break
		((last > 0 && ms >= ta && ms - last > gap)) && gap=$((ms - last))
		[[ $kind == keepalive ]] && ((ms >= ta)) && kas=$((kas + 1))
		last=$ms
	done <<<"$pk"
	((last > 0 && tb - last > gap)) && gap=$((tb - last))
	log "MEASURE keepalive: $kas keepalives in $(((tb - ta) / 1000)) idle s; longest silence from $rw's NAT port $gap ms"
	((kas >= 1)) || fail "no keepalive from $rw's NAT port in $(((tb - ta) / 1000)) idle s"
	((gap <= 21000)) || fail "$rw's NAT port was silent for $gap ms while idle, want <= 20 s (+1 s)"
	e2e_pass "the NATed side never stays silent longer than the 20 s interval" "$kas keepalives, longest gap $gap ms"

	# The capture during the idle window (time stamps of the guest clock).
	win="frame.time_epoch >= ${t0} && frame.time_epoch <= ${t1}"
	natt_ms_of "$t0"
	i=$natt_ms
	natt_ms_of "$t1"
	i=$(((natt_ms - i) / 20000)) # keepalives due in the window, one per 20 s
	assert_capture_count "$CAP_PUB" "$win && ip.src==$natpub && udp.srcport==$old && udp.dstport==4500 && udpencap.nat_keepalive" \
		1 $((i + 1)) "at most one keepalive per 20 s from the NAT's mapped port while idle ($i due if nothing else is sent)"
	assert_capture_count "$CAP_PUB" "$win && udpencap.nat_keepalive && !(udp.length==9 && frame[42:1]==0xff)" 0 0 \
		"every keepalive is exactly one octet 0xFF"
	assert_capture_none "$CAP_PUB" "$win && ip && !udpencap.nat_keepalive" \
		"nothing but keepalives on the public link while idle (no IKE, no DPD, no ESP)"
	assert_capture_none "$CAP_PUB" "ip.src==$GW_PUB && udpencap.nat_keepalive" \
		"the gateway (not behind a NAT) never sends keepalives"
	assert_capture "$CAP_RW" "$win && ip.src==${!ipvar} && udp.srcport==4500 && udp.dstport==4500 && udpencap.nat_keepalive" \
		"keepalives leave $rw from port 4500 to 4500" 1
	# RFC 3948 s2.3 (3948-2.3.b): the IPv4 UDP checksum of a keepalive SHOULD
	# be zero. Seen before the NAT (what natkeyd sent) and after it (the NAT
	# leaves a zero checksum zero); IKE from the same socket keeps its checksum.
	assert_capture "$CAP_RW" "ip.src==${!ipvar} && udpencap.nat_keepalive && udp.checksum==0x0000" \
		"natkeyd's keepalives carry a zero UDP checksum" 1
	assert_capture_none "$CAP_RW" "ip.src==${!ipvar} && udpencap.nat_keepalive && udp.checksum!=0x0000" \
		"every keepalive natkeyd sent has udp.checksum == 0x0000"
	assert_capture_none "$CAP_PUB" "udpencap.nat_keepalive && udp.checksum!=0x0000" \
		"every keepalive on the public link (after the NAT) has udp.checksum == 0x0000"
	assert_capture "$CAP_RW" "ip.src==${!ipvar} && udp.srcport==4500 && isakmp && udp.checksum!=0x0000" \
		"IKE on 4500 from the same socket is still checksummed" 1
	return 0
}
