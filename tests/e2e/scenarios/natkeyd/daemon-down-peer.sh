# daemon-down-peer: `natkeyctl down CONN IKE-SA` drops one road warrior of a
# gateway connection and no other (issue 14). natkeyd is the gateway
# (right=%any) for two strongSwan road warriors behind one NAT; the admin
# drops the first by the number of its IKE SA (from `status --json`): it
# hears the Deletes and loses its SAs, the gateway's kernel keeps exactly
# the second one's two SAs, and the second one's tunnel still carries
# traffic. An unknown number is refused (no-such-peer) and changes nothing.
default_topology=two-rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

# gw_sa_count: the number of ESP SAs in the gateway's kernel, in $n_sa.
gw_sa_count() {
	local s
	s=$(on "$GW" ip xfrm state)
	n_sa=$(grep -c '^src' <<<"$s" || true)
}

scenario() {
	local rw1 rw2 json serial o n_sa
	read -r rw1 rw2 <<<"$RWS"
	natkeyd_require
	nk_gw_rw_up
	for rw in $RWS; do
		assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP before the drop"
	done
	gw_sa_count
	((n_sa == 4)) || fail "the gateway has $n_sa ESP SAs before the drop, want 4"
	e2e_pass "two road warriors, four ESP SAs on the gateway" "$n_sa"

	# The number of rw1's IKE SA, as status --json shows it.
	json=$(nkctl "$GW" status --json 2>&1)
	printf '%s\n' "$json" >"$E2E_OUT/logs/$GW-status-before.json"
	[[ $json =~ \"serial\":([0-9]+),\"established\":true,\"local\":\{[^}]*\},\"remote\":\{[^}]*\"id\":\"@?$rw1\.natkeyd\.test\" ]] ||
		fail "no established IKE SA of $rw1 in status --json (logs/$GW-status-before.json)"
	serial=${BASH_REMATCH[1]}
	e2e_pass "status --json names $rw1's IKE SA" "#$serial"

	# An unknown number: refused, nothing changes.
	if o=$(nkctl "$GW" down rw 4000000000 2>&1); then
		fail "natkeyctl down rw 4000000000 succeeded: $o"
	fi
	[[ $o =~ no\ IKE\ SA\ \#4000000000 ]] || fail "unknown IKE SA: unexpected answer: $o"
	e2e_pass "an unknown IKE SA number is refused" "$o"

	assert_output "$GW" "rw: peer of IKE SA #$serial terminated" \
		"natkeyctl down rw $serial" "$NATKEYCTL" down rw "#$serial"
	assert_log "$GW-natkeyd.out" "down rw #$serial requested" "natkeyd logged the request"
	# rw1 heard its Deletes: strongSwan removed its SAs.
	e2e_rw1_clean() { ! on "$rw1" ip xfrm state | grep -q '^src'; }
	wait_until 10 e2e_rw1_clean || fail "$rw1 still has SAs after the drop"
	e2e_pass "$rw1 heard its Deletes and has no SA left"
	gw_sa_count
	((n_sa == 2)) || fail "the gateway has $n_sa ESP SAs after dropping $rw1, want 2 ($rw2's)"
	e2e_pass "the gateway keeps exactly $rw2's two SAs" "$n_sa"
	assert_ping_tunnel "$rw2" "$SRV_IP" 3 "ping $rw2 -> $SRV_IP after $rw1 was dropped"
	assert_capture_none "$CAP_PUB" "icmp.type==8 && ip.dst==$SRV_IP" "no cleartext ping on the public link"
	return 0
}
