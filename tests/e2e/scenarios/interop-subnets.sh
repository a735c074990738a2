# daemon-subnets: a site-to-site link with two subnets on each side, as
# Libreswan's leftsubnets={a b} and strongSwan's leftsubnet=a,b write it.
# natkeyd (the road warrior's end, sites 10.11.0.0/24 and 10.12.0.0/24) runs
# one Main Mode and one Quick Mode per subnet pair (four IPsec SA pairs on
# one IKE SA) against a strongSwan gateway (10.9.0.0/24 with the server, and
# 10.18.0.0/24); traffic between every pair goes through its own SAs; all four
# are rekeyed (45 s lifetime) and torn down together. The same against
# Libreswan: daemon-subnets-libreswan.sh (subnets_scenario libreswan).
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
	ping_pair 10.11.0.1 "$SRV_IP" "$1: 10.11.0.0/24 -> 10.9.0.0/24 (the server)"
	ping_pair 10.12.0.1 "$SRV_IP" "$1: 10.12.0.0/24 -> 10.9.0.0/24 (the server)"
	ping_pair 10.11.0.1 10.18.0.1 "$1: 10.11.0.0/24 -> 10.18.0.0/24"
	ping_pair 10.12.0.1 10.18.0.1 "$1: 10.12.0.0/24 -> 10.18.0.0/24"
}

# n_child: the number of installed SA pairs natkeyctl status shows.
n_child() {
	nk_out=$(on "$rw" "$NATKEYCTL" status 2>&1)
	n=$(grep -o 'SPIs in' <<<"$nk_out" | wc -l)
}

# peer_children PEER: the peer's installed IPsec SAs in $ss_n (4 = all).
peer_children() {
	if [[ $1 == strongswan ]]; then
		ss_out=$(on "$GW" swanctl --list-sas 2>&1)
		ss_n=$(grep -c 'INSTALLED' <<<"$ss_out")
	else
		ss_out=$(on "$GW" "$LIBRESWAN_DIR/whack" --trafficstatus 2>&1)
		ss_n=$(grep -c 'type=ESP' <<<"$ss_out")
	fi
	((ss_n == 4))
}

scenario() { subnets_scenario strongswan; }

subnets_scenario() { # PEER
	local peer=$1 n spis0 spis1
	rw=${RWS%% *}
	natkeyd_require
	# The sites: two networks on each side (dummy interfaces).
	ip netns exec "$rw" ip link add site1 type dummy
	ip netns exec "$rw" ip link add site2 type dummy
	ip netns exec "$rw" ip addr add 10.11.0.1/24 dev site1
	ip netns exec "$rw" ip addr add 10.12.0.1/24 dev site2
	ip netns exec "$rw" ip link set site1 up
	ip netns exec "$rw" ip link set site2 up
	ip netns exec "$GW" ip link add site8 type dummy
	ip netns exec "$GW" ip addr add 10.18.0.1/24 dev site8
	ip netns exec "$GW" ip link set site8 up

	if [[ $peer == strongswan ]]; then
		strongswan_gw "$GW" local_ts=10.9.0.0/24,10.18.0.0/24 remote_ts=10.11.0.0/24,10.12.0.0/24
		strongswan_start "$GW"
	else
		# right= is the road warrior's public address (its own on
		# direct, its NAT's elsewhere: 198.51.100.2 in every topology).
		libreswan_setup "$GW" "$E2E_PSK_DEFAULT"
		cat >>"$(host_etc "$GW")/ipsec.conf" <<-EOF
			conn rw
			  ikev2=no
			  authby=secret
			  left=$GW_IP
			  leftid=@gw.natkeyd.test
			  leftsubnets={10.9.0.0/24 10.18.0.0/24}
			  right=198.51.100.2
			  rightid=@$rw.natkeyd.test
			  rightsubnets={10.11.0.0/24 10.12.0.0/24}
			  ike=aes128-sha2_256;modp2048
			  esp=aes128-sha1;modp2048
			  pfs=yes
			  rekey=no
			  encapsulation=auto
			  leftupdown=$LIBRESWAN_DIR/_updown
			  auto=add
		EOF
		libreswan_start "$GW"
	fi
	natkeyd_rw_conf "$rw" auto=start remote_ts=10.9.0.0/24,10.18.0.0/24 extra=$'  leftsubnets={10.11.0.0/24 10.12.0.0/24}\n  lifetime=45s\n  rekeymargin=25s\n  rekeyfuzz=0%'
	natkeyd_start "$rw"
	nk_wait_up "$rw" gw 40
	wait_until 20 eval 'n_child; ((n >= 4))' || fail "natkeyd has $n SA pairs, expected 4 (status: $nk_out)"
	e2e_pass "four IPsec SA pairs, one per subnet pair" "$n"
	assert_log "$rw-natkeyd.out" 'gw: 4 pairs of subnets' "natkeyd made one conn per pair"
	local n_mm
	n_mm=$(grep -c 'IKE_ESTABLISHED' "$E2E_OUT/logs/$rw-natkeyd.out")
	[[ $n_mm == 1 ]] || fail "natkeyd established $n_mm IKE SAs, expected one for the four pairs"
	e2e_pass "one Main Mode for the four pairs" "$n_mm"
	wait_until 20 peer_children "$peer" || fail "$peer holds $ss_n IPsec SAs, expected 4: $ss_out"
	e2e_pass "$peer holds four IPsec SAs (one per pair)" "$(tr -s ' ' <<<"$ss_out" | tr '\n' ';' | head -c 700)"
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
	peer_none() { peer_children "$peer"; ((ss_n == 0)); }
	wait_until 10 peer_none || fail "$peer still has $ss_n IPsec SAs after natkeyd's down: $ss_out"
	e2e_pass "$peer removed every IPsec SA (natkeyd's Deletes)"
	return 0
}
