# daemon-subnets: a site-to-site link with two subnets on each side, as
# Libreswan's leftsubnets={a b} and strongSwan's leftsubnet=a,b write it.
# natkeyd (the road warrior's end, sites 10.1.0.0/24 and 10.2.0.0/24) runs
# one Main Mode and one Quick Mode per subnet pair (four IPsec SA pairs on
# one IKE SA) against a strongSwan gateway (10.9.0.0/24 with the server, and
# 10.8.0.0/24); traffic between every pair goes through its own SAs; all four
# are rekeyed (45 s lifetime) and torn down together.
default_topology=direct

source "$E2E_SRC/tests/e2e/scenarios/natkeyd-lib.sh"

# ping_pair SRC DST MSG: SRC's address pings DST through the tunnel.
ping_pair() {
	local out
	out=$(ip netns exec "$rw" ping -n -q -c 2 -W 2 -I "$1" "$2" 2>&1)
	[[ $out == *' 2 received'* ]] || fail "$3: $(grep -E 'transmitted|unreachable' <<<"$out" | head -n1)"
	e2e_pass "$3" "$(grep transmitted <<<"$out")"
}

ping_all() { # LABEL
	ping_pair 10.1.0.1 "$SRV_IP" "$1: 10.1.0.0/24 -> 10.9.0.0/24 (the server)"
	ping_pair 10.2.0.1 "$SRV_IP" "$1: 10.2.0.0/24 -> 10.9.0.0/24 (the server)"
	ping_pair 10.1.0.1 10.8.0.1 "$1: 10.1.0.0/24 -> 10.8.0.0/24"
	ping_pair 10.2.0.1 10.8.0.1 "$1: 10.2.0.0/24 -> 10.8.0.0/24"
}

# n_child: the number of installed SA pairs natkeyctl status shows.
n_child() {
	nk_out=$(on "$rw" "$NATKEYCTL" status 2>&1)
	n=$(grep -o 'SPIs in' <<<"$nk_out" | wc -l)
}

scenario() {
	rw=${RWS%% *}
	local n spis0 spis1
	natkeyd_require
	# The sites: two networks on each side (dummy interfaces).
	ip netns exec "$rw" ip link add site1 type dummy
	ip netns exec "$rw" ip link add site2 type dummy
	ip netns exec "$rw" ip addr add 10.1.0.1/24 dev site1
	ip netns exec "$rw" ip addr add 10.2.0.1/24 dev site2
	ip netns exec "$rw" ip link set site1 up
	ip netns exec "$rw" ip link set site2 up
	ip netns exec "$GW" ip link add site8 type dummy
	ip netns exec "$GW" ip addr add 10.8.0.1/24 dev site8
	ip netns exec "$GW" ip link set site8 up

	strongswan_gw "$GW" local_ts=10.9.0.0/24,10.8.0.0/24 remote_ts=10.1.0.0/24,10.2.0.0/24
	strongswan_start "$GW"
	natkeyd_rw_conf "$rw" auto=start remote_ts=10.9.0.0/24,10.8.0.0/24 extra=$'  leftsubnets={10.1.0.0/24 10.2.0.0/24}\n  lifetime=45s\n  rekeymargin=25s\n  rekeyfuzz=0%'
	natkeyd_start "$rw"
	nk_wait_up "$rw" gw 40
	wait_until 20 eval 'n_child; ((n >= 4))' || fail "natkeyd has $n SA pairs, expected 4 (status: $nk_out)"
	e2e_pass "four IPsec SA pairs, one per subnet pair" "$n"
	assert_log "$rw-natkeyd.out" 'gw: 4 pairs of subnets' "natkeyd made one conn per pair"
	local n_mm
	n_mm=$(grep -c 'IKE_ESTABLISHED' "$E2E_OUT/logs/$rw-natkeyd.out")
	[[ $n_mm == 1 ]] || fail "natkeyd established $n_mm IKE SAs, expected one for the four pairs"
	e2e_pass "one Main Mode for the four pairs" "$n_mm"
	ss_children() {
		ss_out=$(on "$GW" swanctl --list-sas 2>&1)
		ss_n=$(grep -c 'INSTALLED' <<<"$ss_out")
		((ss_n == 4))
	}
	wait_until 20 ss_children || fail "strongSwan holds $ss_n CHILD_SAs, expected 4: $ss_out"
	e2e_pass "strongSwan holds four CHILD_SAs under its one IKE_SA" "$(grep -E 'net: #|ESTABLISHED|local|remote' <<<"$ss_out" | tr -s ' ' | tr '\n' ';' | head -c 600)"
	xfrm_packets "$rw"
	local o0=$xfrm_out
	ping_all "before the rekey"
	xfrm_packets "$rw"
	((xfrm_out >= o0 + 8)) || fail "the pings did not go through ESP (out $o0 -> $xfrm_out)"
	e2e_pass "the pings went through the SAs" "ESP out $o0 -> $xfrm_out"

	# Rekey: natkeyd rekeys every pair (45 s lifetime, 25 s margin).
	spis0=$(grep -o 'SPIs in [0-9a-f]*' <<<"$nk_out" | sort | tr '\n' ' ')
	rekeyed() {
		n_child
		spis1=$(grep -o 'SPIs in [0-9a-f]*' <<<"$nk_out" | sort | tr '\n' ' ')
		local s
		for s in $spis0; do
			[[ $s == SPIs || $s == in ]] && continue
			[[ $spis1 == *"$s"* ]] && return 1
		done
		((n == 4))
	}
	wait_until 60 rekeyed || fail "not every pair was rekeyed within 60 s (before: $spis0; now: $spis1)"
	e2e_pass "all four pairs rekeyed" "$spis1"
	n_mm=$(grep -c 'IKE_ESTABLISHED' "$E2E_OUT/logs/$rw-natkeyd.out")
	[[ $n_mm == 1 ]] || fail "the rekeys made $n_mm IKE SAs"
	e2e_pass "the rekeys used the one IKE SA" "$n_mm"
	ping_all "after the rekey"

	# Teardown: all four go together.
	nkctl "$rw" down gw >"$E2E_OUT/logs/$rw-down.txt" 2>&1 || fail "natkeyctl down gw failed"
	assert_xfrm_state_none "$rw" 'proto esp' "no ESP SA left on $rw after down"
	wait_until 10 eval '! on "$GW" swanctl --list-sas 2>/dev/null | grep -q INSTALLED' ||
		fail "strongSwan still has CHILD_SAs after natkeyd's down"
	e2e_pass "strongSwan removed every CHILD_SA (natkeyd's Deletes)"
	return 0
}
