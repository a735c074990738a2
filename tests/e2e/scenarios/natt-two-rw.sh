# natt-two-rw: natkeyd as the gateway for two strongSwan road warriors
# behind one NAPT (two-rw-nat): both come from the NAT's one public address,
# told apart only by their UDP ports (RFC 3947 s3: the port is part of the
# peer's identity on the wire; RFC 3948 s5.1). Each gets its own ESP-in-UDP
# SAs towards its own NAT port, both tunnels carry traffic at the same time,
# and neither road warrior's traffic reaches the other's port.
default_topology=two-rw-nat

source "$E2E_SRC/tests/e2e/natt-lib.sh"

scenario() {
	local rw ipvar n=0 ports="" line dport sel out
	local -A port_of=()
	for rw in $RWS; do ((n++)); done
	((n >= 2)) || fail "natt-two-rw needs two road warriors (RWS=$RWS)"
	natt_gw_setup natkeyd
	for rw in $RWS; do
		strongswan_conf "$rw"
		strongswan_rw "$rw"
		strongswan_start "$rw"
	done
	for rw in $RWS; do
		strongswan_initiate "$rw"
	done
	for rw in $RWS; do
		ipvar=IP_$rw
		assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through its tunnel"
		assert_ping "$SRV" "${!ipvar}" 3 "ping $SRV -> $rw through its tunnel"
	done
	assert_natt_kernel "$GW" $((2 * n))
	# Each road warrior's NAT port (conntrack) has its own pair of SAs.
	for rw in $RWS; do
		ipvar=IP_$rw
		line=$(ip netns exec "$NAT_rw" conntrack -L -p udp --orig-src "${!ipvar}" --orig-port-src 4500 2>/dev/null)
		[[ $line =~ sport=4500\ dport=4500\ src=[0-9.]+\ dst=[0-9.]+\ sport=4500\ dport=([0-9]+) ]] ||
			fail "no NAT mapping for $rw:4500: $line"
		port_of[$rw]=${BASH_REMATCH[1]}
		ports+=" ${port_of[$rw]}"
		assert_xfrm_state "$GW" "encap type espinudp sport 4500 dport ${port_of[$rw]} " "natkeyd's outbound SA towards $rw's NAT port ${port_of[$rw]}"
		assert_xfrm_state "$GW" "encap type espinudp sport ${port_of[$rw]} dport 4500 " "natkeyd's inbound SA from $rw's NAT port ${port_of[$rw]}"
		# The outbound SA to that port carries that road warrior's traffic.
		e2e_xfrm_out "$GW"
		dport= sel=
		while read -r line; do
			case $line in
			src\ *) dport= out=no; [[ $line == "src $GW_IP "* ]] && out=yes ;;
			encap\ type\ espinudp\ sport\ 4500\ dport\ *)
				[[ $out == yes ]] && dport=${line#*dport } dport=${dport%% *}
				;;
			sel\ src\ *) [[ $dport == "${port_of[$rw]}" ]] && sel=$line ;;
			esac
		done <<<"$e2e_xfrm"
		[[ $sel == "sel src $GW_NET dst ${!ipvar}/32 "* ]] ||
			fail "the SA towards NAT port ${port_of[$rw]} has selector '$sel', want dst ${!ipvar}/32 ($rw)"
		e2e_pass "the SA towards NAT port ${port_of[$rw]} carries $rw's traffic" "$sel"
	done
	[[ ${port_of[rw]} != "${port_of[rw2]}" ]] || fail "both road warriors share NAT port ${port_of[rw]}"
	e2e_pass "the road warriors have distinct NAT ports" "$ports"
	nkctl "$GW" status >"$E2E_OUT/logs/$GW-status.txt" 2>&1
	nkctl "$GW" status --json >"$E2E_OUT/logs/$GW-status.json" 2>&1
	for rw in $RWS; do
		natt_soft_output "$GW" "\"remote\":\\{\"address\":\"198\\.51\\.100\\.[0-9]+\",\"port\":${port_of[$rw]}," \
			"natkeyctl status --json lists $rw's endpoint (NAT port ${port_of[$rw]})" "$NATKEYCTL" status --json
	done
	for rw in $RWS; do
		assert_capture "$CAP_PUB" "ip.src==$GW_PUB && udp.dstport==${port_of[$rw]} && esp" "ESP in UDP from the gateway to $rw's NAT port" 6
	done
	assert_capture_none "$CAP_PUB" "ip.proto==50" "no plain ESP"
	natt_soft_output "$GW" '"ike_sas":\[\{[^]]*\},\{' "natkeyctl status --json lists both road warriors' IKE SAs" "$NATKEYCTL" status --json
	natt_soft_end
	return 0
}
