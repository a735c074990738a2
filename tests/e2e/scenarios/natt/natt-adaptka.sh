# natt-adaptka: adaptive NAT-keepalive (nat_keepalive=auto, docs/nat-traversal.md
# "Adaptive keepalive") keeps an idle tunnel's NAT mapping open. natkeyd on
# both ends; the road warrior behind a NAT whose UDP mappings live 60 s
# (nf_conntrack_udp_timeout inside the NAT's namespace), configured with
# nat_keepalive=auto and nat_binding_lifetime=60s: it keeps alive every 30 s
# (half the lifetime). After 4 idle minutes the gateway's side still reaches
# the road warrior first, with the same SAs and the same NAT port; the public
# link carried only keepalives, one per 30 s at most and never a silence
# longer than 30 s (+1 s), fewer than RFC 3948's fixed 20 s would have sent,
# and both ends announced the natkeyd Vendor ID. Issue 18's 10 idle minutes:
# E2E_VAR_NATT_IDLE=600 (about 12 minutes; CI runs 4). E2E_VAR_NATT_UDP_TIMEOUT sets the
# NAT's timeout and the configured lifetime (30 gives a 15 s interval).
default_topology=rw-nat
e2e_timeout=960

source "$E2E_SRC/tests/e2e/natt-lib.sh"

NATT_IDLE=${NATT_IDLE:-240}
NATT_UDP_TIMEOUT=${NATT_UDP_TIMEOUT:-60}

scenario() {
	local rw=${RWS%% *} nat=${NAT_rw%% *} ipvar natpub old spis_gw spis_rw t0 t1 i win ports=""
	local to=$NATT_UDP_TIMEOUT iv=$((NATT_UDP_TIMEOUT / 2))
	ipvar=IP_$rw
	natpub=$(ip -n "$nat" -4 -o addr show dev wan0 | awk '{print $4}')
	natpub=${natpub%/*}
	nat_udp_timeout "$nat" "$to"

	natt_gw_setup natkeyd dpdaction=none
	natt_rw_setup natkeyd nat_keepalive=auto nat_binding_lifetime=${to}s dpdaction=none
	natt_connect natkeyd natkeyd
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the tunnel"
	assert_log "$rw-natkeyd.out" "nat_keepalive=auto: NAT binding lifetime $to s \\(configured\\), keepalive every $iv s" \
		"natkeyd on $rw: auto keepalive every $iv s from the configured $to s lifetime"
	natt_gw_ports
	old=$natt_out_dport
	natt_nat_port
	[[ -n $old && $natt_nat_port == "$old" ]] || fail "NAT port '$natt_nat_port' and gateway SA port '$old' differ ($natt_ct_line)"
	natt_spis "$GW"
	spis_gw=$natt_spi_list
	natt_spis "$rw"
	spis_rw=$natt_spi_list
	e2e_pass "tunnel up through NAT port $old" "gw SPIs $spis_gw; rw SPIs $spis_rw"

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
	e2e_pass "the NAT kept mapping $rw:4500 to port $old through $NATT_IDLE idle seconds ($to s UDP timeout)" "every 10 s:$ports"

	assert_ping "$SRV" "${!ipvar}" 3 "after $NATT_IDLE idle s, ping $SRV -> $rw through the tunnel (gateway side first)"
	natt_gw_ports
	[[ $natt_out_dport == "$old" && $natt_in_sport == "$old" ]] ||
		fail "the gateway's SAs use port $natt_out_dport/$natt_in_sport, were $old: the mapping changed"
	natt_spis "$GW"
	[[ $natt_spi_list == "$spis_gw" ]] || fail "gateway SAs renegotiated: SPIs $natt_spi_list, were $spis_gw"
	natt_spis "$rw"
	[[ $natt_spi_list == "$spis_rw" ]] || fail "road warrior SAs renegotiated: SPIs $natt_spi_list, were $spis_rw"
	for h in "$GW" "$rw"; do
		if grep -q 'MAPPING_CHANGED' "$E2E_OUT/logs/$h-natkeyd.out"; then
			fail "natkeyd on $h saw a mapping change (logs/$h-natkeyd.out)"
		fi
	done
	e2e_pass "no renegotiation, no mapping change" "gw $spis_gw; rw $spis_rw"

	# The longest silence of the NAT's mapped port and the keepalives in the
	# idle window, from the public capture.
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
	log "MEASURE adaptka: $kas keepalives in $(((tb - ta) / 1000)) idle s (auto, lifetime $to s; fixed 20 s: $(((tb - ta) / 20000))); longest silence from $rw's NAT port $gap ms"
	((kas >= (tb - ta) / (iv * 1000) - 1)) || fail "only $kas keepalives from $rw's NAT port in $(((tb - ta) / 1000)) idle s, want one per $iv s"
	((gap <= iv * 1000 + 1000)) || fail "$rw's NAT port was silent for $gap ms while idle, want <= $iv s (+1 s)"
	e2e_pass "auto: a keepalive every $iv s (half the $to s lifetime), never a longer silence" "$kas keepalives in $(((tb - ta) / 1000)) s, longest gap $gap ms"
	if ((iv > 20)); then
		((kas < (tb - ta) / 20000)) || fail "auto sent $kas keepalives in $(((tb - ta) / 1000)) s, not fewer than a fixed 20 s interval ($(((tb - ta) / 20000)))"
		e2e_pass "auto sent fewer keepalives than RFC 3948's fixed 20 s" "$kas vs $(((tb - ta) / 20000)) in $(((tb - ta) / 1000)) idle s"
	fi

	win="frame.time_epoch >= ${t0} && frame.time_epoch <= ${t1}"
	i=$(((tb - ta) / (iv * 1000)))
	assert_capture_count "$CAP_PUB" "$win && ip.src==$natpub && udp.srcport==$old && udp.dstport==4500 && udpencap.nat_keepalive" \
		1 $((i + 1)) "at most one keepalive per $iv s from the NAT's mapped port while idle ($i due)"
	assert_capture_none "$CAP_PUB" "$win && ip && !udpencap.nat_keepalive" \
		"nothing but keepalives on the public link while idle (no IKE, no DPD, no ESP)"
	# The natkeyd Vendor ID, MD5("natkeyd NAT-T diagnostics 1"), from both ends.
	assert_capture "$CAP_PUB" "ip.src==$natpub && isakmp.vid_bytes == 36:09:5b:a3:1d:6c:a4:d9:26:40:8b:c8:c7:d7:f2:33" \
		"$rw announces the natkeyd Vendor ID" 1
	assert_capture "$CAP_PUB" "ip.src==$GW_PUB && isakmp.vid_bytes == 36:09:5b:a3:1d:6c:a4:d9:26:40:8b:c8:c7:d7:f2:33" \
		"the gateway answers with the natkeyd Vendor ID" 1
	return 0
}
