# interop-frag: IKEv1 fragmentation against strongSwan and Libreswan
# (issue 17). RSA
# 4096-bit end-entity certificates under two intermediate CAs
# (tests/data/interop-frag), Main Mode RSA tunnel through rw-nat, on a path
# that drops IP fragments: Main Mode 5 and 6 (~2 KB each) do not fit one
# 1500-byte datagram, so they arrive only as IKE fragments.
#
# For each peer (strongSwan 5.9, Libreswan 4.10):
#   frag-i     natkeyd initiates (fragmentation=yes): its first MM5 is lost,
#              its first retransmission goes out in IKE fragments, the peer
#              answers MM6 in fragments; tunnel up, ping and TCP through it.
#   frag-r     natkeyd responds to the peer's road warrior (strongSwan
#              fragments MM5 at once, Libreswan from its first
#              retransmission): natkeyd reassembles it and answers MM6 in
#              fragments at once.
# and against strongSwan:
#   nofrag-i   natkeyd initiates with fragmentation=no: fails, and natkeyd's
#              log says why (MM5 unanswered after its retransmissions,
#              set fragmentation=yes).
#
# Where the fragments are dropped: `iptables -A FORWARD -f -j DROP` (which
# matches second and further fragments) in the
# NAT's own namespace never matches on Linux, because the NAT's connection
# tracking reassembles IP fragments (nf_defrag_ipv4) before the filter
# table sees them, and re-fragments on the way out. The rule therefore sits
# on inet, the router between the NAT and the gateway, which tracks no
# connections: the same path as a home router that drops fragments.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/interop-lib.sh"
IX_DATA=$E2E_SRC/tests/data/interop-frag

# frag_drop_on ROUTER: drop every IP fragment ROUTER forwards.
frag_drop_on() {
	ip netns exec "$1" iptables-legacy -F FORWARD &&
		ip netns exec "$1" iptables-legacy -A FORWARD -f -j DROP ||
		fail "cannot add the fragment-drop rule on $1"
	log "IP fragments dropped on $1 (iptables -A FORWARD -f -j DROP)"
}

# frag_dropped ROUTER: packets the fragment-drop rule dropped, in $frag_n.
frag_dropped() {
	frag_n=$(ip netns exec "$1" iptables-legacy -L FORWARD -v -x -n 2>/dev/null |
		awk '$3 == "DROP" && / -f / { s += $1 } END { print s + 0 }')
}

# frag_cas HOST PEER: the intermediates as CA certificates on HOST
# (so that these rows test fragmentation only; interop-pki tests the chain).
frag_cas() {
	local etc i
	etc=$(host_etc "$1")
	case $2 in
	natkeyd)
		mkdir -p "$etc/ipsec.d/cacerts"
		cp "$IX_DATA/int1.pem" "$IX_DATA/int2.pem" "$etc/ipsec.d/cacerts/"
		;;
	strongswan)
		mkdir -p "$etc/swanctl/x509ca"
		cp "$IX_DATA/int1.pem" "$IX_DATA/int2.pem" "$etc/swanctl/x509ca/"
		;;
	libreswan)
		for i in int1 int2; do
			certutil -A -d "sql:$etc/ipsec.d" -n "natkeyd-test-$i" -t 'CT,,' -a -i "$IX_DATA/$i.pem" \
				>>"$E2E_OUT/logs/$1-certutil.log" 2>&1 || fail "certutil could not import $i on $1"
		done
		;;
	esac
}

# frag_peer_conf PEER HOST ROLE: the peer's configuration with the chain.
frag_peer_conf() {
	if [[ $1 == strongswan ]]; then
		ix_strongswan_conf "$2" "$3" rsa
		frag_cas "$2" strongswan
		cp "$(host_etc "$2")/swanctl/swanctl.conf" "$E2E_OUT/logs/$2-swanctl.conf"
	else
		ix_libreswan_conf "$2" "$3" rsa "fragmentation=yes"
		frag_cas "$2" libreswan
		cp "$(host_etc "$2")/ipsec.conf" "$E2E_OUT/logs/$2-libreswan-ipsec.conf"
	fi
}

# frag_body PEER ROLE MODE: one row; MODE is natkeyd's fragmentation= value.
frag_body() {
	local peer=$1 role=$2 mode=$3 rw=${RWS%% *} cap t0 nl=$'\n'
	if [[ $role == i ]]; then ix_nk=$rw ix_pe=$GW ix_conn=gw; else ix_nk=$GW ix_pe=$rw ix_conn=rw; fi
	ix_natkeyd_conf "$ix_nk" "$role" rsa "fragmentation=$mode"
	frag_cas "$ix_nk" natkeyd
	frag_peer_conf "$peer" "$ix_pe" "$role"
	cp "$(host_etc "$ix_nk")/ipsec.conf" "$E2E_OUT/logs/$ix_nk-natkeyd-ipsec.conf"
	frag_drop_on inet
	t0=${EPOCHREALTIME/./}
	if [[ $role == i ]]; then
		ix_start_peer "$peer" "$ix_pe"
		ix_natkeyd_start "$ix_nk"
		assert_output "$ix_nk" 'initiating gw' "natkeyctl up gw" "$NATKEYCTL" up gw
	else
		ix_natkeyd_start "$ix_nk"
		ix_start_peer "$peer" "$ix_pe"
		ix_peer_initiate "$peer" "$ix_pe"
	fi
	if [[ $mode == no ]]; then
		assert_log "$ix_nk-natkeyd.out" 'message unanswered after [0-9]+ retransmissions' \
			"natkeyd gave up on the large message and says so" 60
		assert_log "$ix_nk-natkeyd.out" 'fragmentation=no, set fragmentation=yes' \
			"natkeyd's log suggests fragmentation=yes"
		frag_dropped inet
		((frag_n > 0)) || fail "no IP fragment was dropped on inet: the row proves nothing"
		e2e_pass "the path dropped the IP fragments of the large message" "$frag_n dropped"
		if nk_status_match "$ix_nk" "(^|$nl)$ix_conn: up"; then
			fail "the tunnel came up without fragmentation: the path did not need it"
		fi
		e2e_pass "no tunnel with fragmentation=no on this path" "$nk_out"
		return 0
	fi
	nk_wait_up "$ix_nk" "$ix_conn" 60
	ix_secs=$(((${EPOCHREALTIME/./} - t0) / 1000))
	echo "$((ix_secs / 1000)).$((ix_secs % 1000 / 100))" >"$IX_OUT/secs"
	ix_kernel_sas "$rw" yes tunnel
	ix_kernel_sas "$GW" yes tunnel
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the SA"
	ix_tcp "$rw" "$SRV" "$SRV_IP"
	if [[ $peer == strongswan ]]; then
		assert_log "$ix_pe-charon.log" 'received fragment #[0-9]+, reassembled fragmented IKE message' \
			"strongSwan reassembled natkeyd's fragments"
		assert_log "$ix_pe-charon.log" 'splitting IKE message \([0-9]+ bytes\) into [0-9]+ fragments' \
			"strongSwan sent its large message in fragments"
	else
		assert_log "$ix_pe-pluto.log" 'IPsec SA established tunnel mode' "Libreswan established the IPsec SA"
	fi
	assert_log "$ix_nk-natkeyd.out" 'reassembled a [0-9]+-byte message from [0-9]+ fragments' \
		"natkeyd reassembled strongSwan's fragments"
	if [[ $role == i ]]; then
		assert_log "$ix_nk-natkeyd.out" 'resending a [0-9]+-byte message in [0-9]+ fragments' \
			"natkeyd switched to fragments on its first retransmission"
	else
		assert_log "$ix_nk-natkeyd.out" 'sending a [0-9]+-byte message in [0-9]+ fragments' \
			"natkeyd answered in fragments at once (the peer had sent fragments)"
	fi
	cap="$ix_id.${CAP_PUB%%:*}:${CAP_PUB#*:}"
	assert_capture_count "$cap" "isakmp.frag.packetid" 3 -1 "IKE fragments on the public link"
	# iptables -f matches second and further fragments: a lone first
	# fragment may cross, useless without the rest. inet:gw0 sees the
	# gateway's packets before inet drops them: count what inet forwarded
	# towards the gateway.
	assert_capture_none "$cap" "ip.frag_offset > 0 && ip.dst == $GW_PUB" \
		"no second IP fragment crossed the fragment-dropping router"
	return 0
}

scenario() {
	local p
	ix_init
	ix_nk_extra=() ix_pe_extra=()
	for p in strongswan libreswan; do
		ix_plan "$p" i frag-i
		ix_run "$p" i frag-i frag_body "$p" i yes
		ix_plan "$p" r frag-r
		ix_run "$p" r frag-r frag_body "$p" r yes
	done
	ix_plan strongswan i nofrag-i
	ix_run strongswan i nofrag-i frag_body strongswan i no
	ix_verdict
}
