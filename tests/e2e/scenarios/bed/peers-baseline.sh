# peers-baseline: the reference peers against each other. strongSwan road
# warrior(s) (charon + swanctl) initiate IKEv1 Main Mode with a pre-shared key,
# tunnel mode, to a Libreswan (pluto) gateway that protects $GW_NET
# (peers-reverse: the other way round).
#
# Behind a NAT it proves the whole RFC 3947/3948 sequence from the capture
# (vendor ID, NAT-D, float to 4500 with the non-ESP marker, ESP in UDP) and
# from the kernel (espinudp SAs whose counters move with a ping through the
# tunnel); without NAT, plain ESP and nothing on 4500.
default_topology=rw-nat

# peers_baseline MODE [RW_IMPL GW_IMPL]: the scenario body for Main Mode
# (main) or Aggressive Mode (aggressive), with strongSwan road warriors and a
# Libreswan gateway by default; peers-baseline-aggr.sh and peers-reverse.sh
# reuse it.
peers_baseline() {
	local mode=$1 rwi=${2:-strongswan} gwi=${3:-libreswan} aggr=no rw nat=no gw_nat=no
	[[ $mode == aggressive ]] && aggr=yes
	[[ $BEHIND_NAT == *rw* ]] && nat=yes
	[[ $BEHIND_NAT == *gw* ]] && gw_nat=yes
	# Who sent what, for tests/e2e/extract-corpus.
	printf 'CORPUS_INITIATOR=%s\nCORPUS_RESPONDER=%s\nE2E_TOPOLOGY=%s\n' "$rwi" "$gwi" "$E2E_TOPOLOGY" \
		>"$E2E_OUT/corpus.env"

	if [[ $gwi == libreswan ]]; then
		if [[ $mode == aggressive ]]; then
			# Libreswan matches an Aggressive Mode peer by its ID in message 1.
			libreswan_gw "$GW" aggressive=yes remote_id="@${RWS%% *}.natkeyd.test"
		else
			libreswan_gw "$GW"
		fi
		libreswan_start "$GW"
	else
		strongswan_gw "$GW" aggressive=$aggr
		strongswan_start "$GW"
	fi
	for rw in $RWS; do
		if [[ $rwi == strongswan ]]; then
			strongswan_rw "$rw" aggressive=$aggr
			strongswan_start "$rw"
		else
			libreswan_rw "$rw" aggressive=$aggr
			libreswan_start "$rw"
		fi
	done
	for rw in $RWS; do
		if [[ $rwi == strongswan ]]; then strongswan_initiate "$rw"; else libreswan_initiate "$rw"; fi
	done

	# NAT detection as each side reports it: strongSwan logs it outright;
	# Libreswan (at its default log level) shows it in the SA it installs
	# (ESPinUDP towards the peer's NAT-mapped address and port).
	for rw in $RWS; do
		if [[ $rwi == strongswan ]]; then
			[[ $nat == yes ]] &&
				assert_log "$rw-charon.log" 'local host is behind NAT[^'$'\n'']*' "strongSwan on $rw sees itself behind NAT"
			[[ $gw_nat == yes ]] &&
				assert_log "$rw-charon.log" 'remote host is behind NAT' "strongSwan on $rw sees the gateway behind NAT"
		elif [[ $nat == yes || $gw_nat == yes ]]; then
			assert_log "$rw-pluto.log" 'IPsec SA established tunnel mode \{ESPinUDP[^}]*NATD=[0-9.]+:[0-9]+' \
				"Libreswan on $rw installed ESP-in-UDP SAs" 10
		fi
	done
	if [[ $gwi == libreswan && ( $nat == yes || $gw_nat == yes ) ]]; then
		# Within 10 s: the road warrior reports its tunnel up when it sends
		# Quick Mode's last message; pluto logs its SA once that arrived (a
		# busy guest logged it 0.6 s after the check, CI preview of 2fc662b).
		assert_log "$GW-pluto.log" 'tunnel mode \{ESPinUDP[^}]*NATD=[0-9.]+:[0-9]+' \
			"Libreswan on $GW installed ESP-in-UDP SAs towards the NAT's address and port" 10
	elif [[ $gwi == strongswan ]]; then
		[[ $nat == yes ]] &&
			assert_log "$GW-charon.log" 'remote host is behind NAT' "strongSwan on $GW sees the road warrior behind NAT"
		[[ $gw_nat == yes ]] &&
			assert_log "$GW-charon.log" 'local host is behind NAT[^'$'\n'']*' "strongSwan on $GW sees itself behind NAT"
	fi

	# The kernel's view, then traffic through the tunnel.
	local nsa=0
	for rw in $RWS; do ((nsa += 2)); done
	for rw in $RWS; do
		if [[ $nat == yes || $gw_nat == yes ]]; then
			assert_natt_kernel "$rw" 2
		else
			assert_no_natt_kernel "$rw"
		fi
	done
	if [[ $nat == yes || $gw_nat == yes ]]; then
		assert_natt_kernel "$GW" "$nsa"
	else
		assert_no_natt_kernel "$GW"
	fi
	local nrw=0
	for rw in $RWS; do ((nrw++)); done
	if ((nrw > 1)) && [[ $nat == yes ]]; then
		# Behind one NAT the gateway tells the road warriors apart only by
		# the NAT's port: one distinct destination port per road warrior.
		local line ports=" " np=0
		e2e_xfrm_out "$GW"
		while read -r line; do
			[[ $line =~ ^encap\ type\ espinudp\ sport\ 4500\ dport\ ([0-9]+) ]] || continue
			[[ $ports == *" ${BASH_REMATCH[1]} "* ]] && continue
			ports+="${BASH_REMATCH[1]} "
			((np++))
		done <<<"$e2e_xfrm"
		((np == nrw)) || fail "$GW's outbound SAs use $np distinct NAT ports ($ports) for $nrw road warriors"
		e2e_pass "$GW reaches the $nrw road warriors through distinct NAT ports:$ports"
	fi
	for rw in $RWS; do
		assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP (protected subnet) through the tunnel"
	done

	# The wire, checked on the host with tshark after the run.
	assert_natt_phase1 "$CAP_PUB" "$GW_PUB" "$mode"
	if [[ $nat == yes || $gw_nat == yes ]]; then
		assert_natt_float "$CAP_PUB" "$GW_PUB" "$mode" 3
		assert_natt_initiator_ports "$CAP_RW" "$mode"
	else
		assert_no_natt_float "$CAP_PUB" "$GW_PUB" 3
	fi
	assert_capture_none "$CAP_PUB" "icmp.type==8 && ip.dst==$SRV_IP" "no cleartext ping on the public link"
	return 0
}

scenario() {
	peers_baseline main
}
