# natt-natcheck: `natkeyctl natcheck` (RFC 5780 NAT behaviour discovery,
# issue 18) on the road warrior, behind the NAT kinds the bed builds with
# iptables-legacy, against coturn on the public side with two addresses
# (192.0.2.1 and 192.0.2.3, ports 3478 and 3479; Binding needs no auth):
#  1. port-preserving MASQUERADE: behind a NAT, port preserved, mapping
#     endpoint-independent, filtering address-and-port-dependent (conntrack
#     lets in only replies), no hairpinning;
#  2. MASQUERADE --random: mapping address-and-port-dependent (a new port
#     per destination), port not preserved;
#  3. port-preserving MASQUERADE with UDP conntrack timeouts of 15 s: the
#     binding lifetime is measured with RESPONSE-PORT probes within 20% of
#     15 s, the verdict asks for a keep-alive of 10 s, and --save writes
#     that lifetime to the state file (nat_binding_lifetime=natcheck).
# No natkeyd daemon is involved (natcheck does not need it).
default_topology=rw-nat

NATCHECK_TIMEOUT_S=15
STUN_ALT=192.0.2.3

# natcheck_run LABEL ARGS...: run natcheck on the road warrior into $nc_out
# (also logs/natcheck-LABEL.txt).
natcheck_run() {
	local label=$1
	shift
	log "natcheck $label: $*"
	nc_out=$(on "${RWS%% *}" "$NATKEYCTL" natcheck --server "$GW_IP:3478" "$@" 2>&1)
	nc_rc=$?
	printf '%s\n(exit %s)\n' "$nc_out" "$nc_rc" >"$E2E_OUT/logs/natcheck-$label.txt"
}

# stun_listening: coturn's alternate address and port are bound.
stun_listening() {
	[[ $(ip netns exec "$GW" ss -Hlun 2>/dev/null) == *"$STUN_ALT:3479"* ]]
}

# nc_expect LABEL REGEX MESSAGE: the last natcheck output matches.
nc_expect() {
	[[ $nc_out =~ $2 ]] || fail "natcheck $1: $3: no /$2/ in: $(head -c 600 <<<"$nc_out")"
	e2e_pass "natcheck $1: $3" "${BASH_REMATCH[0]}"
}

scenario() {
	local nat=${NAT_rw%% *} life state
	NATKEYCTL=${NATKEYD_BUILD:-}/tools/natkeyctl/natkeyctl
	[[ -x $NATKEYCTL ]] || fail "natkeyctl not built: set NATKEYD_BUILD (have '$NATKEYCTL')"
	command -v turnserver >/dev/null || fail "coturn is not installed (scripts/packages/bed.txt)"

	# The STUN server: the gateway host, with a second public address.
	ip -n "$GW" addr add "$STUN_ALT/24" dev wan0 || fail "cannot add $STUN_ALT on $GW"
	daemon_start "$GW" turn turnserver -n --listening-ip "$GW_IP" --listening-ip "$STUN_ALT" \
		--listening-port 3478 --alt-listening-port 3479 --no-tls --no-dtls --no-cli \
		--no-tcp --no-tcp-relay --no-auth --log-file stdout --simple-log
	wait_until 15 stun_listening ||
		fail "coturn did not listen on $STUN_ALT:3479 (logs/$GW-turn.out)"

	# 1. Port-preserving MASQUERADE.
	nat_port_range "$nat" none
	nat_flush "$nat"
	natcheck_run masquerade --max-lifetime 0
	[[ $nc_rc == 0 ]] || fail "natcheck masquerade: exit $nc_rc: $nc_out"
	nc_expect masquerade "server: +$GW_IP:3478 \\(other address $STUN_ALT:3479, RFC 5780\\)" \
		"coturn offers RFC 5780 (OTHER-ADDRESS)"
	nc_expect masquerade "mapped: +198\\.51\\.100\\.2:[0-9]+ \\(port preserved\\)" \
		"mapped to the NAT's address, port preserved"
	nc_expect masquerade $'NAT: +yes\n' "behind a NAT"
	nc_expect masquerade $'mapping: +endpoint-independent\n' "endpoint-independent mapping"
	nc_expect masquerade $'filtering: +address-and-port-dependent\n' \
		"address-and-port-dependent filtering"
	nc_expect masquerade $'hairpinning: +no\n' "no hairpinning"

	# 2. MASQUERADE --random: a random port for every new flow.
	ip netns exec "$nat" iptables-legacy -t nat -I POSTROUTING 1 -o wan0 -p udp \
		-j MASQUERADE --random || fail "cannot add MASQUERADE --random on $nat"
	nat_flush "$nat"
	natcheck_run random --max-lifetime 0 --json
	[[ $nc_rc == 0 ]] || fail "natcheck random: exit $nc_rc: $nc_out"
	nc_expect random '"behind_nat":true,"port_preserved":false' "behind a NAT, port not preserved"
	nc_expect random '"mapping":"address-and-port-dependent","filtering":"address-and-port-dependent"' \
		"address-and-port-dependent mapping and filtering"
	ip netns exec "$nat" iptables-legacy -t nat -D POSTROUTING 1 ||
		fail "cannot remove MASQUERADE --random on $nat"

	# 3. A NAT that forgets idle UDP mappings after 15 s.
	nat_udp_timeout "$nat" "$NATCHECK_TIMEOUT_S"
	nat_flush "$nat"
	natcheck_run lifetime --max-lifetime 60 --json --save "$E2E_OUT/natcheck-state"
	[[ $nc_rc == 0 ]] || fail "natcheck lifetime: exit $nc_rc: $nc_out"
	nc_expect lifetime '"mapping":"endpoint-independent"' "endpoint-independent mapping"
	nc_expect lifetime '"lifetime":\{"method":"response-port","known":true,"exceeds_max":false,"ms":([0-9]+)' \
		"binding lifetime measured with RESPONSE-PORT probes"
	life=${BASH_REMATCH[1]}
	((life * 10 >= NATCHECK_TIMEOUT_S * 8000 && life * 10 <= NATCHECK_TIMEOUT_S * 12000)) ||
		fail "natcheck lifetime: measured $life ms, not within 20% of the $NATCHECK_TIMEOUT_S s UDP timeout"
	e2e_pass "natcheck lifetime: $life ms for a $NATCHECK_TIMEOUT_S s conntrack UDP timeout (within 20%)"
	# --save: the measured lifetime, in the state file natkeyd reads for
	# nat_binding_lifetime=natcheck, is the one reported.
	state=$(cat "$E2E_OUT/natcheck-state" 2>/dev/null) ||
		fail "natcheck --save wrote no $E2E_OUT/natcheck-state"
	state+=$'\n' # $(...) drops the last line's newline
	[[ $state == *$'\nlifetime_ms='"$life"$'\n'* &&
		$state == *$'\nmapping=endpoint-independent\n'* &&
		$state == *$'\nserver='"$GW_IP"$':3478\n'* ]] ||
		fail "natcheck --save: the state file does not hold the result: $state"
	e2e_pass "natcheck --save: lifetime_ms=$life in the state file"
	nc_expect lifetime '"keepalive_s":10,' "keep-alive of 10 s suggested"
	nc_expect lifetime '"verdict":"NAT rebinds after ~1[2-8] s idle: keep-alive every 10 s is needed' \
		"the verdict names the lifetime and the keep-alive"
}
