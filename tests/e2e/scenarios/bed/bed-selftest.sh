# bed-selftest: the harness's own abilities, without IPsec, so that a broken
# helper shows up here rather than as a puzzling peer failure: run-time NAT
# changes (port range, conntrack flush, UDP timeouts), delay and loss,
# daemon start/stop, captures and their assertions.
default_topology=rw-nat

# selftest_udp HOST DST PORT: send one UDP datagram (bash's /dev/udp).
selftest_udp() {
	on "$1" bash -c "echo natkeyd-selftest >/dev/udp/$2/$3"
}

scenario() {
	local nat=${NAT_rw%% *}

	# Masquerade port range: a datagram to port 500 leaves from the range.
	nat_port_range "$nat" 40000-40009
	selftest_udp rw "$GW_PUB" 500
	assert_output "$nat" "dport=500 .* dport=4000[0-9]" "NAT maps UDP into the configured port range" \
		conntrack -L -p udp
	assert_capture "$CAP_PUB" "udp.srcport>=40000 && udp.srcport<=40009 && udp.dstport==500" \
		"the capture sees the mapped source port"

	# Flushing conntrack forgets the mapping.
	nat_flush "$nat"
	assert_output "$nat" "0 flow entries" "conntrack -F emptied the table" conntrack -L -p udp
	nat_port_range "$nat" none

	# UDP conntrack timeouts.
	nat_udp_timeout "$nat" 7
	assert_output "$nat" "= 7" "UDP conntrack timeout set" sysctl net.netfilter.nf_conntrack_udp_timeout

	# Delay (netem) and loss (iptables statistic).
	link_netem "$nat" wan0 delay 300ms
	assert_output rw "time=[3-9][0-9]{2}" "netem delays the road warrior's traffic" \
		ping -c 1 -W 5 "$GW_PUB"
	link_netem "$nat" wan0 off
	link_loss "$nat" wan0 100
	assert_no_ping rw "$GW_PUB" "100% loss on the NAT's uplink"
	link_loss "$nat" wan0 0
	assert_ping rw "$GW_PUB" 2 "loss removed"

	# Daemons: start, observe, stop.
	daemon_start srv sleeper sleep 600
	daemon_running srv sleeper || fail "daemon_running does not see the sleeper"
	daemon_stop srv sleeper
	daemon_running srv sleeper && fail "the sleeper survived daemon_stop"
	e2e_pass "daemon start/stop"

	# Hosts are isolated: the server's own /run is private to it.
	on srv touch /run/selftest-marker
	[[ -e $(host_run srv)/selftest-marker && ! -e $(host_run rw)/selftest-marker ]] ||
		fail "per-host /run is not separate"
	e2e_pass "per-host /run"
	assert_capture_none "$CAP_PUB" "ip.src==10.0.0.0/8" "no private source address on the public link"

	# The natkeyd build folder is readable at the same path (when given).
	if [[ -n ${NATKEYD_BUILD:-} ]]; then
		[[ -d $NATKEYD_BUILD && -r $NATKEYD_BUILD/Makefile ]] ||
			fail "NATKEYD_BUILD=$NATKEYD_BUILD is not readable inside the guest"
		e2e_pass "natkeyd build folder visible in the guest" "$NATKEYD_BUILD"
	fi
}
