# topology-smoke: the topology itself, without IPsec. Every road warrior
# reaches the gateway's public address; private addresses are not routed on
# the public side; NAT hosts translate (their conntrack shows it) and the
# capture sees only public addresses on the public link.
default_topology=rw-nat

scenario() {
	local rw
	for rw in $RWS; do
		assert_ping "$rw" "$GW_PUB" 2 "$rw reaches the gateway's public address"
	done
	assert_ping "$GW" "$SRV_IP" 2 "gateway reaches the protected subnet"
	if [[ $BEHIND_NAT == *rw* ]]; then
		for rw in $RWS; do
			local ip_var=IP_$rw
			assert_no_ping "$GW" "${!ip_var}" "the gateway cannot reach $rw's private address"
		done
		local nat_var=NAT_$RWS nat
		nat=${!nat_var}
		assert_output "${nat%% *}" "src=${IP_rw} dst=${GW_PUB}" "conntrack on ${nat%% *} holds the road warrior's mapping" \
			conntrack -L -p icmp
		assert_capture_none "$CAP_PUB" "ip.src==10.0.0.0/8" "no private source address on the public link"
	fi
	assert_capture "$CAP_PUB" "icmp.type==8" "echo requests seen on the public link" 2
}
