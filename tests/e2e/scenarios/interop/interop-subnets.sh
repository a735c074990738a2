# interop-subnets: matrix rows (issue 20) for a site-to-site link with two
# subnets on each side, as Libreswan's leftsubnets={a b} and strongSwan's
# leftsubnet=a,b write it, against strongSwan and against Libreswan on this
# guest's topology (the suite runs direct and both-nat).
#
# natkeyd (the road warrior's end, sites 10.11.0.0/24 and 10.12.0.0/24)
# initiates one Main Mode and one Quick Mode per subnet pair (four IPsec SA
# pairs on one IKE SA) towards the peer's gateway (10.9.0.0/24 with the
# server, and 10.18.0.0/24). Each row checks:
#   - four SA pairs on both ends, one Main Mode;
#   - traffic between every subnet pair, through ESP;
#   - natkeyd rekeys all four (45 s lifetime) on the one IKE SA, traffic
#     between every pair again;
#   - `natkeyctl down` tears all four down together: no ESP SA and no
#     policy of the sites left on natkeyd's host, and the peer removes its
#     SAs and policies (natkeyd's Deletes).
# Was: the e2e scenarios daemon-subnets and daemon-subnets-libreswan.
default_topology=direct

source "$E2E_SRC/tests/e2e/interop-lib.sh"

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

# site_policies HOST: HOST's kernel policies between the sites that lead
# into an SA (a template with the tunnel's addresses), in $pol_n; trap
# policies (template 0.0.0.0 to 0.0.0.0, reqid 0: they lead into no SA,
# they make the kernel ask the daemon for one) in $trap_n. Libreswan leaves
# such traps for its leftsubnets= instances after natkeyd's Deletes: its own
# policy, not a leftover of natkeyd's tunnel, so the peer's side is judged
# by $pol_n; natkeyd's side must have neither.
site_policies() {
	local r
	pol_out=$(ip -n "$1" xfrm policy 2>&1)
	# (no process substitution: the guest has no /dev/fd)
	r=$(awk '
		/^src / { if (site) { if (trap) t++; else n++ } site = ($0 ~ /^src 10\.(11|12|9|18)\.0\.0\/24 dst 10\.(11|12|9|18)\.0\.0\/24/); trap = 0; next }
		/tmpl src 0\.0\.0\.0 dst 0\.0\.0\.0/ { trap = 1 }
		END { if (site) { if (trap) t++; else n++ } print n + 0, t + 0 }' <<<"$pol_out")
	pol_n=${r% *} trap_n=${r#* }
}

# subnets_sites: two networks on each side (dummy interfaces), fresh for
# every row (ix_reset empties the kernels' IPsec state, not the links).
subnets_sites() {
	local h l a
	for l in "$rw site1 10.11.0.1/24" "$rw site2 10.12.0.1/24" "$GW site8 10.18.0.1/24"; do
		read -r h l a <<<"$l"
		ip netns exec "$h" ip link del "$l" 2>/dev/null
		if ! { ip netns exec "$h" ip link add "$l" type dummy &&
			ip netns exec "$h" ip addr add "$a" dev "$l" &&
			ip netns exec "$h" ip link set "$l" up; }; then
			fail "cannot add $l ($a) on $h"
		fi
	done
}

# subnets_body PEER: one row.
subnets_body() {
	local peer=$1 n spis0 spis1 n_mm t0
	rw=${RWS%% *}
	natkeyd_require
	subnets_sites
	if [[ $peer == strongswan ]]; then
		strongswan_gw "$GW" local_ts=10.9.0.0/24,10.18.0.0/24 remote_ts=10.11.0.0/24,10.12.0.0/24
		strongswan_start "$GW"
	else
		# right= is the road warrior's public address (its own on
		# direct, its NAT's elsewhere: 198.51.100.2 in every topology).
		libreswan_setup "$GW" "$E2E_PSK_DEFAULT"
		cat >>"$(host_etc "$GW")/ipsec.conf" <<-EOC
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
		EOC
		libreswan_start "$GW"
	fi
	natkeyd_rw_conf "$rw" auto=start remote_ts=10.9.0.0/24,10.18.0.0/24 extra=$'  leftsubnets={10.11.0.0/24 10.12.0.0/24}\n  lifetime=45s\n  rekeymargin=25s\n  rekeyfuzz=0%'
	cp "$(host_etc "$rw")/ipsec.conf" "$E2E_OUT/logs/$rw-natkeyd-ipsec.conf"
	t0=${EPOCHREALTIME/./}
	natkeyd_start "$rw"
	nk_wait_up "$rw" gw 40
	wait_until 20 eval 'n_child; ((n >= 4))' || fail "natkeyd has $n SA pairs, expected 4 (status: $nk_out)"
	t0=$(((${EPOCHREALTIME/./} - t0) / 1000))
	echo "$((t0 / 1000)).$((t0 % 1000 / 100))" >"$IX_OUT/secs"
	e2e_pass "four IPsec SA pairs, one per subnet pair" "$n"
	assert_log "$rw-natkeyd.out" 'gw: 4 pairs of subnets' "natkeyd made one conn per pair"
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
	xfrm_packets "$rw"
	o0=$xfrm_out
	ping_all "after the rekey"
	xfrm_packets "$rw"
	((xfrm_out >= o0 + 8)) || fail "after the rekey the pings did not go through ESP (out $o0 -> $xfrm_out)"
	e2e_pass "after the rekey the pings went through the SAs" "ESP out $o0 -> $xfrm_out"

	# Teardown: all four go together, on both ends, SAs and policies.
	site_policies "$rw"
	((pol_n >= 8)) || fail "natkeyd's host has $pol_n site policies before down, expected 8 or more: $pol_out"
	site_policies "$GW"
	((pol_n >= 8)) || fail "$GW ($peer) has $pol_n site policies into SAs before down, expected 8 or more: $pol_out"
	nkctl "$rw" down gw >"$E2E_OUT/logs/$rw-down.txt" 2>&1 || fail "natkeyctl down gw failed"
	assert_xfrm_state_none "$rw" 'proto esp' "no ESP SA left on $rw after down"
	wait_until 10 eval 'site_policies "$rw"; ((pol_n + trap_n == 0))' ||
		fail "$pol_n site policies (and $trap_n traps) left on $rw after down: $pol_out"
	e2e_pass "no policy between the sites left on $rw after down"
	peer_none() { peer_children "$peer"; ((ss_n == 0)); }
	wait_until 10 peer_none || fail "$peer still has $ss_n IPsec SAs after natkeyd's down: $ss_out"
	e2e_pass "$peer removed every IPsec SA (natkeyd's Deletes)"
	wait_until 10 eval 'e2e_xfrm_out "$GW"; [[ ! $e2e_xfrm =~ proto\ esp ]]' ||
		fail "ESP SAs left in $GW's kernel after natkeyd's down: $e2e_xfrm"
	e2e_pass "no ESP SA left in $GW's kernel"
	wait_until 10 eval 'site_policies "$GW"; ((pol_n == 0))' ||
		fail "$pol_n site policies into SAs left on $GW ($peer) after natkeyd's down: $pol_out"
	e2e_pass "no policy into an SA between the sites left on $GW ($peer)" \
		"$trap_n trap policies of the peer (template 0.0.0.0, reqid 0: no SA behind them)"
	return 0
}

scenario() {
	local p
	ix_init
	for p in strongswan libreswan; do
		ix_plan "$p" i subnets
		ix_run "$p" i subnets subnets_body "$p"
	done
	ix_verdict
}
