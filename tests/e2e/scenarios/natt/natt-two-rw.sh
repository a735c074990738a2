# natt-two-rw: natkeyd as the gateway for two strongSwan road warriors
# behind one NAPT (two-rw-nat): both come from the NAT's one public address,
# told apart only by their UDP ports (RFC 3947 s3: the port is part of the
# peer's identity on the wire; RFC 3948 s5.1). Each gets its own ESP-in-UDP
# SAs towards its own NAT port, both tunnels carry traffic at the same time,
# neither road warrior's traffic reaches the other's port, and natkeyctl
# status (text and --json) shows each road warrior's IKE SA with its own
# endpoint, NAT facts and IPsec SAs.
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
	# natkeyctl status --json: conn rw has one established IKE SA per road
	# warrior, each with its own peer endpoint (the NAT's public address and
	# that road warrior's NAT port), the peer behind the NAT, floated, and
	# its own UDP-encapsulated IPsec SA towards the same port (natkeyctl(8)).
	local natpub want=""
	natpub=$(ip -n "$NAT_rw" -4 -o addr show dev wan0 | awk '{print $4}')
	natpub=${natpub%/*}
	for rw in $RWS; do want+=" ${port_of[$rw]}"; done
	out=$(python3 - "$E2E_OUT/logs/$GW-status.json" "$natpub" $want <<-'PY'
		import json, sys
		doc = json.load(open(sys.argv[1]))
		natpub, ports = sys.argv[2], [int(p) for p in sys.argv[3:]]
		conns = [c for c in doc['connections'] if c['name'] == 'rw']
		if len(conns) != 1:
		    sys.exit('want one conn rw, have %s' % [c['name'] for c in doc['connections']])
		c = conns[0]
		ike = [s for s in c['ike_sas'] if s['established']]
		by_port = {s['remote']['port']: s for s in ike}
		for p in ports:
		    s = by_port.get(p)
		    if s is None:
		        sys.exit('no established IKE SA with peer port %d: %s' % (p, [(x['remote'], x['state']) for x in c['ike_sas']]))
		    if s['remote']['address'] != natpub or not s['floated'] or s['local']['port'] != 4500:
		        sys.exit('IKE SA #%d: remote %s, floated %s, local %s' % (s['serial'], s['remote'], s['floated'], s['local']))
		    n = s['nat']
		    if n['method'] != 'rfc3947' or not n['remote_behind_nat'] or n['local_behind_nat'] or n['keepalive_s'] != 0:
		        sys.exit('IKE SA #%d NAT facts %s' % (s['serial'], n))
		    kids = [k for k in c['child_sas'] if k['ike_sa'] == s['serial']]
		    if not kids or any(not k['udp_encap'] or k['remote'] != {'address': natpub, 'port': p} for k in kids):
		        sys.exit('IKE SA #%d (port %d) has IPsec SAs %s' % (s['serial'], p, kids))
		ids = {s['remote']['id'] for s in ike if s['remote']['port'] in ports}
		if None in ids or len(ids) != len(ports):
		    sys.exit('peer IDs %s' % ids)
		print(' '.join('#%d %s:%d id %s child %s' % (s['serial'], s['remote']['address'], s['remote']['port'], s['remote']['id'],
		      [k['spi_out'] for k in c['child_sas'] if k['ike_sa'] == s['serial']]) for p in ports for s in [by_port[p]]))
	PY
	) || fail "natkeyctl status --json on $GW does not list both road warriors: $out (logs/$GW-status.json)"
	e2e_pass "natkeyctl status --json lists each road warrior's IKE SA with its own NAT port, NAT facts and IPsec SA" "$out"
	for rw in $RWS; do
		assert_output "$GW" "(^|"$'\n'")rw: up, auto=add, $GW_IP:4500 -> ${natpub//./\\.}:${port_of[$rw]}, NAT: peer \\(RFC 3947\\), ESP-in-UDP [^"$'\n'"]*IKE #[0-9]+ MAIN_R3 main responder peer " \
			"natkeyctl status: a line for $rw's IKE SA (NAT port ${port_of[$rw]})" "$NATKEYCTL" status
	done
	for rw in $RWS; do
		assert_capture "$CAP_PUB" "ip.src==$GW_PUB && udp.dstport==${port_of[$rw]} && esp" "ESP in UDP from the gateway to $rw's NAT port" 6
	done
	assert_capture_none "$CAP_PUB" "ip.proto==50" "no plain ESP"
	return 0
}
