# natkeyd-nat-audit: natkeyd as the gateway keeps per-peer NAT facts and
# audits NAT-keepalives (issue 18). A strongSwan road warrior behind the
# NAT first keeps alive every 5 s (charon.keep_alive = 5s): the daemon's
# raw observer sees the 0xFF keepalives the kernel's UDP-encap socket
# consumes, `natkeyctl nat` counts them with their interval and says
# "fine", and the audit (nat-keepalive-audit=30s) stays quiet. Then the
# same road warrior comes back with keep_alive = 0s: no keepalive reaches
# the gateway, the audit warns once, and `natkeyctl nat` shows why.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

# nat_json: `natkeyctl nat --json` on the gateway into $nat_json.
nat_json() { nat_json=$(on "$GW" "$NATKEYCTL" nat --json 2>&1); }

nat_json_match() { nat_json && [[ $nat_json =~ $1 ]]; }

audit_lines() {
	local f=$E2E_OUT/logs/$GW-natkeyd.out
	audits=$(grep -c 'NAT_AUDIT' "$f" 2>/dev/null)
}

scenario() {
	local rw=${RWS%% *} etc n re serial moved_to nat_var
	nat_var=NAT_$rw
	natkeyd_require
	[[ $BEHIND_NAT == *rw* ]] || fail "natkeyd-nat-audit needs a road warrior behind a NAT (rw-nat)"
	etc=$(host_etc "$GW")
	mkdir -p "$etc"
	{
		nk_gw_setup | sed '1a\  nat-keepalive-audit=30s'
		cat <<-EOF
			conn rw
			  left=$GW_IP
			  leftid=@gw.natkeyd.test
			  leftsubnet=$GW_NET
			  right=%any
			$NK_GW_CLIENTS
			  authby=secret
			  ike=aes128-sha256-modp2048
			  esp=aes128-sha1-modp2048
			  auto=add
		EOF
	} >"$etc/ipsec.conf"
	cp "$etc/ipsec.conf" "$E2E_OUT/logs/$GW-ipsec.conf"
	printf '@gw.natkeyd.test %%any : PSK "%s"\n' "$E2E_PSK_DEFAULT" >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
	natkeyd_start "$GW"
	assert_log "$GW-natkeyd.out" 'natkeyd .* running' "natkeyd started" 5
	if grep -q 'NAT-keepalives received are not counted' "$E2E_OUT/logs/$GW-natkeyd.out"; then
		fail "natkeyd could not open its keepalive observer (logs/$GW-natkeyd.out)"
	fi

	# 1. Keepalives every 5 s: counted, fine, no warning.
	strongswan_conf "$rw" "keep_alive = 5s"
	strongswan_rw "$rw"
	strongswan_start "$rw"
	strongswan_initiate "$rw"
	nk_wait_up "$GW" rw 20
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping through the tunnel"
	if wait_until 40 nat_json_match '"keepalives":([5-9]|[1-9][0-9]+),"keepalive_interval_s":[456],'; then
		e2e_pass "natkeyctl nat --json counts the road warrior's keepalives, every ~5 s" \
			"${BASH_REMATCH[0]}"
	else
		printf '%s\n' "$nat_json" >"$E2E_OUT/logs/$GW-nat-failed.json"
		fail "no keepalives counted (logs/$GW-nat-failed.json)"
	fi
	[[ $nat_json =~ \"peer_nat\":\"(claimed|translated)\".*\"port_preserved\":\"no\" ]] ||
		fail "nat --json: the peer behind a port-moving NAT: $nat_json"
	e2e_pass "nat --json: peer behind a NAT that moves ports" "${BASH_REMATCH[0]}"
	# Past the audit threshold with keepalives flowing: no warning.
	sleep 35
	nkctl "$GW" nat >"$E2E_OUT/logs/$GW-nat-keepalive.txt" 2>&1
	nkctl "$GW" nat --json >"$E2E_OUT/logs/$GW-nat-keepalive.json" 2>&1
	audit_lines
	((audits == 0)) || fail "the audit warned although the road warrior keeps alive ($audits NAT_AUDIT lines)"
	e2e_pass "no audit warning for a road warrior that keeps alive" "35 s past the threshold"
	assert_output "$GW" 'behind NAT, port not preserved, keepalive every [456] s: fine' \
		"natkeyctl nat: keepalives fine" "$NATKEYCTL" nat
	assert_output "$GW" '"audit":"ok"' "nat --json: audit ok" "$NATKEYCTL" nat --json
	assert_output "$GW" '"facts":\{"peer_nat":"(claimed|translated)"' \
		"status --json carries the IKE SA's NAT facts" "$NATKEYCTL" status --json

	# The NAT reboots with another port range: the road warrior's next ESP
	# moves it (the kernel's MAPPING event); the change is in the history,
	# and the history stays with the SA over a reload.
	nat_port_range "${!nat_var}" 30000-39999
	nat_flush "${!nat_var}"
	ip netns exec "$rw" ping -n -q -c 6 -i 0.5 -W 1 "$SRV_IP" >"$E2E_OUT/logs/rebind-ping.txt" 2>&1
	re='"serial":([0-9]+),.*"mapping_changes":1,"history":\[\{"s_ago":[0-9]+,"from":"[0-9.]+:2[0-9]{4}","to":"([0-9.]+:3[0-9]{4})","idle_s":([0-9]+|null),"by":"esp"\}\]'
	if wait_until 15 nat_json_match "$re"; then
		e2e_pass "natkeyctl nat --json: the NAT's rebinding in the peer's history" "${BASH_REMATCH[0]}"
	else
		printf '%s\n' "$nat_json" >"$E2E_OUT/logs/$GW-nat-failed.json"
		fail "no mapping change in the history (logs/$GW-nat-failed.json)"
	fi
	serial=${BASH_REMATCH[1]} moved_to=${BASH_REMATCH[2]}
	nkctl "$GW" reload >"$E2E_OUT/logs/$GW-reload.txt" 2>&1 || fail "natkeyctl reload failed (logs/$GW-reload.txt)"
	nat_json
	[[ $nat_json =~ \"serial\":$serial,.*\"mapping_changes\":1,\"history\":\[\{[^]]*\"to\":\"$moved_to\" ]] ||
		fail "after reload the history is gone: $nat_json"
	e2e_pass "the history survives natkeyctl reload (same IKE SA #$serial)" "${BASH_REMATCH[0]}"
	assert_output "$GW" "$moved_to.*"$'\n'".*keepalive every [0-9]+ s" \
		"natkeyctl nat after the rebinding: the new endpoint, keepalives counted there" "$NATKEYCTL" nat
	# A rebinding right after a keepalive is a NAT reboot, not an idle
	# expiry: no binding lifetime from it, and no audit warning.
	audit_lines
	((audits == 0)) || fail "the audit warned after the NAT reboot ($audits NAT_AUDIT lines)"
	e2e_pass "no audit warning after the NAT reboot (keepalives still flow)"

	# 2. The same road warrior without keepalives.
	daemon_stop "$rw" charon
	# Its control socket stays behind: strongswan_start would find it at once.
	rm -f "$(host_run "$rw")/charon.vici" "$(host_run "$rw")/charon.pid"
	strongswan_conf "$rw" "keep_alive = 0s"
	strongswan_start "$rw"
	strongswan_initiate "$rw"
	nk_wait_up "$GW" rw 20
	assert_log "$GW-natkeyd.out" 'warn natt: \[rw #[0-9]+\] NAT_AUDIT: rw: peer [0-9.]+:[0-9]+: behind NAT, port not preserved, [^'$'\n'']*no keepalive for [0-9]+ s: the tunnel breaks once the NAT drops the idle binding; enable NAT-keepalives on the client' \
		"the audit flags the road warrior without keepalives" 60
	assert_output "$GW" 'no keepalive for [0-9]+ s' "natkeyctl nat shows why" "$NATKEYCTL" nat
	assert_output "$GW" '"audit":"no-keepalive"' "nat --json: audit no-keepalive" "$NATKEYCTL" nat --json
	# Once per peer, not per packet or per look.
	sleep 20
	audit_lines
	((audits == 1)) || fail "the audit warned $audits times, not once"
	e2e_pass "the audit warned once" "1 NAT_AUDIT line"
	nkctl "$GW" nat >"$E2E_OUT/logs/$GW-nat-nokeepalive.txt" 2>&1
	nkctl "$GW" nat --json >"$E2E_OUT/logs/$GW-nat-nokeepalive.json" 2>&1
	n=$(grep -c 'observer\|keepalive' "$E2E_OUT/logs/$GW-natkeyd.out")
	log "natkeyd log lines mentioning keepalives: $n"
	return 0
}
