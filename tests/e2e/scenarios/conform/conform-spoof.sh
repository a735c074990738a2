# conform-spoof: a tunnel-mode packet that decrypts under a valid SA but
# whose inner source is outside the peer's selector is dropped by the
# gateway's kernel, with the SA and policies natkeyd installed (RFC 3948
# s3.1.1, REQUIREMENTS 3948-3.1.1.a). natkeyd on both ends, the road warrior
# (10.1.0.2) behind the NAT, tunnel to 10.9.0.0/24. The road warrior's own
# outbound SA is re-installed with the same SPI and keys but without its
# selector, and a second outbound policy sends a spoofed source, 10.77.0.5,
# through it: the gateway decrypts those packets (its inbound SA counter
# rises), drops them (xfrm_stat), and nothing from 10.77.0.5 reaches the
# protected subnet; the road warrior's real address still gets through the
# same re-installed SA.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natt-lib.sh"

SPOOF=10.77.0.5

# conform_xfrm_drops HOST: the sum of HOST's inbound policy/selector drop
# counters (/proc/net/xfrm_stat) into $xfrm_drops; the lines in $xfrm_stat_lines.
conform_xfrm_drops() {
	local name n
	xfrm_drops=0
	xfrm_stat_lines=$(ip netns exec "$1" cat /proc/net/xfrm_stat)
	while read -r name n; do
		case $name in
		XfrmInNoPols | XfrmInTmplMismatch | XfrmInStateMismatch | XfrmInPolBlock) ((xfrm_drops += n)) ;;
		esac
	done <<<"$xfrm_stat_lines"
}

scenario() {
	local rw=${RWS%% *} out spi reqid auth akey atrunc enc ekey encap line o got d0 in0
	natt_gw_setup natkeyd dpdaction=none
	natt_rw_setup natkeyd dpdaction=none
	natt_connect natkeyd natkeyd
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through natkeyd's tunnel"
	assert_xfrm_state "$GW" "sel src $IP_rw/32 dst $GW_NET" "the gateway's inbound SA carries the road warrior's selector"

	# The road warrior's outbound SA, as natkeyd installed it.
	out=$(ip -n "$rw" xfrm state get src "$IP_rw" dst "$GW_PUB" proto esp spi \
		"$(ip -n "$rw" xfrm state | awk -v s="$IP_rw" -v d="$GW_PUB" \
			'$1 == "src" { m = ($2 == s && $4 == d) } m && $1 == "proto" { print $4; exit }')" 2>&1)
	printf '%s\n' "$out" >"$E2E_OUT/logs/rw-out-sa.txt"
	while read -r line; do
		case $line in
		proto\ esp\ *)
			[[ $line =~ spi\ (0x[0-9a-f]+).*reqid\ ([0-9]+) ]] && spi=${BASH_REMATCH[1]} reqid=${BASH_REMATCH[2]}
			;;
		auth-trunc\ *)
			# "auth-trunc ALG KEY [(N bits)] TRUNC"
			read -r _ auth akey _ <<<"$line"
			atrunc=${line##* }
			;;
		enc\ *) read -r _ enc ekey _ <<<"$line" ;;
		encap\ *) encap=$line ;;
		esac
	done <<<"$out"
	[[ -n $spi && -n $reqid && -n $akey && -n $ekey && $encap =~ sport\ ([0-9]+)\ dport\ ([0-9]+) ]] ||
		fail "could not read $rw's outbound SA (logs/rw-out-sa.txt)"
	encap="encap espinudp ${BASH_REMATCH[1]} ${BASH_REMATCH[2]} 0.0.0.0"
	# The same SA (SPI, keys, encapsulation), without a selector, with a
	# sequence number past what the gateway has seen.
	ip -n "$rw" xfrm state delete src "$IP_rw" dst "$GW_PUB" proto esp spi "$spi" ||
		fail "xfrm state delete on $rw"
	ip -n "$rw" xfrm state add src "$IP_rw" dst "$GW_PUB" proto esp spi "$spi" reqid "$reqid" \
		mode tunnel replay-window 0 replay-oseq 1000 \
		auth-trunc "$auth" "$akey" "$atrunc" enc "$enc" "$ekey" $encap ||
		fail "xfrm state add on $rw (auth $auth, enc $enc, $encap)"
	ip -n "$rw" addr add "$SPOOF/32" dev eth0 || fail "address $SPOOF on $rw"
	ip -n "$rw" xfrm policy add src "$SPOOF/32" dst "$SRV_IP/32" dir out priority 100 \
		tmpl src "$IP_rw" dst "$GW_PUB" proto esp reqid "$reqid" mode tunnel ||
		fail "spoofing policy on $rw"
	ip -n "$rw" xfrm state >"$E2E_OUT/logs/rw-xfrm-spoofing.txt"
	ip -n "$rw" xfrm policy >>"$E2E_OUT/logs/rw-xfrm-spoofing.txt"
	capture_start "$GW" lan0

	# The spoofed source: sent encrypted, decrypted by the gateway, dropped.
	conform_xfrm_drops "$GW"
	d0=$xfrm_drops
	printf '%s\n' "$xfrm_stat_lines" >"$E2E_OUT/logs/gw-xfrm-stat-before.txt"
	xfrm_packets "$GW"
	in0=$xfrm_in
	o=$(ip netns exec "$rw" ping -n -q -I "$SPOOF" -c 5 -i 0.2 -W 1 "$SRV_IP" 2>&1)
	printf '%s\n' "$o" >>"$E2E_OUT/logs/ping-spoof.txt"
	got=0
	[[ $o =~ ([0-9]+)\ received ]] && got=${BASH_REMATCH[1]}
	((got == 0)) || fail "ping from the spoofed source $SPOOF got $got answers"
	xfrm_packets "$GW"
	((xfrm_in - in0 >= 5)) ||
		fail "the gateway's inbound SA counted only $((xfrm_in - in0)) packets: the spoofed packets did not arrive encrypted"
	conform_xfrm_drops "$GW"
	printf '%s\n' "$xfrm_stat_lines" >"$E2E_OUT/logs/gw-xfrm-stat-after.txt"
	((xfrm_drops - d0 >= 5)) ||
		fail "the gateway's xfrm_stat shows $((xfrm_drops - d0)) policy/selector drops, want >= 5 (logs/gw-xfrm-stat-*.txt)"
	e2e_pass "5 packets from $SPOOF under the road warrior's SA: decrypted by the gateway and dropped" \
		"inbound SA +$((xfrm_in - in0)) packets, xfrm_stat drops +$((xfrm_drops - d0)): $(awk '$2 != 0' <<<"$xfrm_stat_lines" | tr '\n\t' '  ')"

	# The real source, through the same re-installed SA: accepted.
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw ($IP_rw) -> $SRV_IP through the re-installed SA"
	assert_capture_none "$GW:lan0" "ip.src==$SPOOF" "nothing from $SPOOF reaches the protected subnet"
	assert_capture "$GW:lan0" "ip.src==$IP_rw && icmp.type==8 && ip.dst==$SRV_IP" \
		"the road warrior's own pings reach the protected subnet" 3
	return 0
}
