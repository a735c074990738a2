# daemon-sigterm: SIGTERM while a tunnel is up (auto=start) and another
# connection is routed (auto=route, trap policies only): natkeyd sends its
# Deletes, removes every SA and policy it owns and exits within a few
# seconds; IPsec state that is not natkeyd's (another reqid) is untouched.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

scenario() {
	local rw=${RWS%% *} pid t0 foreign_sa foreign_pol extra owned='reqid 13135[0-9]{5}'
	extra=$'conn trap\n  left='"$IP_rw"$'\n  leftid=@'"$rw"$'.natkeyd.test\n  right=203.0.113.9\n  rightid=@gw.natkeyd.test\n  rightsubnet=10.77.0.0/24\n  authby=secret\n  ike=aes128-sha256-modp2048\n  esp=aes128-sha1-modp2048\n  auto=route'

	# Someone else's IPsec state on the same host (reqid 7).
	ip -n "$rw" xfrm state add src 203.0.113.5 dst 203.0.113.6 proto esp spi 0x5001 reqid 7 mode tunnel \
		enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff auth-trunc 'hmac(sha1)' 0x00112233445566778899aabbccddeeff00112233 96 ||
		fail "cannot add the foreign SA"
	ip -n "$rw" xfrm policy add src 10.66.0.0/24 dst 10.67.0.0/24 dir out priority 10 \
		tmpl src 203.0.113.5 dst 203.0.113.6 proto esp reqid 7 mode tunnel || fail "cannot add the foreign policy"
	foreign_sa=$(ip -n "$rw" xfrm state)
	foreign_pol=$(ip -n "$rw" xfrm policy)

	strongswan_gw "$GW"
	strongswan_start "$GW"
	natkeyd_rw_conf "$rw" auto=start extra="$extra"
	natkeyd_start "$rw"
	nk_wait_up "$rw" gw 40
	assert_output "$rw" $'(^|\n)trap: routed, auto=route' "the auto=route connection is routed" "$NATKEYCTL" status
	assert_output "$rw" $'src 10.1.0.2/32 dst 10.77.0.0/24[[:space:]]*\n[[:space:]]*dir out priority 3875[^\n]*\n[[:space:]]*tmpl src 10.1.0.2 dst 203.0.113.9\n[[:space:]]*proto esp reqid 1313538050 mode tunnel' \
		"trap policy of the routed connection in the kernel" ip xfrm policy
	assert_ping_tunnel "$rw" "$SRV_IP" 2

	pid=$(<"$(host_run "$rw")/natkeyd.pid")
	e2e_now_ms
	t0=$e2e_ms
	kill -TERM "$pid"
	wait_until 5 eval '! pid_alive '"$pid" || fail "natkeyd still running 5 s after SIGTERM"
	e2e_now_ms
	e2e_pass "natkeyd exited after SIGTERM" "$((e2e_ms - t0)) ms"
	assert_log "$rw-natkeyd.out" 'info daemon: natkeyd stopped' "natkeyd logged a clean stop"
	assert_log "$GW-charon.log" 'received DELETE' "strongSwan received natkeyd's Deletes" 10

	local st pol
	st=$(ip -n "$rw" xfrm state)
	pol=$(ip -n "$rw" xfrm policy)
	printf '%s\n---\n%s\n' "$st" "$pol" >"$E2E_OUT/logs/$rw-xfrm-after-sigterm.txt"
	[[ $st =~ $owned || $pol =~ $owned ]] && fail "natkeyd state left after SIGTERM (logs/$rw-xfrm-after-sigterm.txt): ${BASH_REMATCH[0]}"
	e2e_pass "no SA or policy with natkeyd's reqids left"
	[[ $st == "$foreign_sa" ]] || fail "foreign SAs changed (logs/$rw-xfrm-after-sigterm.txt)"
	[[ $pol == *"${foreign_pol%%$'\n'*}"* && $pol == *'reqid 7 mode tunnel'* ]] ||
		fail "foreign policy gone (logs/$rw-xfrm-after-sigterm.txt)"
	e2e_pass "foreign SA and policy untouched"
	[[ ! -e $(host_run "$rw")/natkeyd.ctl && ! -e $(host_run "$rw")/natkeyd.pid ]] ||
		fail "control socket or pid file left behind"
	e2e_pass "control socket and pid file removed"
	o=$(nkctl "$rw" status 2>&1)
	local rc=$?
	[[ $rc == 3 && $o == 'natkeyctl: natkeyd is not running'* ]] ||
		fail "natkeyctl without daemon: want exit 3 and a clear message, got $rc: $o"
	e2e_pass "natkeyctl says natkeyd is not running" "$o"
	return 0
}
