# daemon-reload: a reload keeps an unchanged tunnel up while traffic flows.
# natkeyd (auto=start) runs a tunnel to a strongSwan gateway; while a ping
# runs through it, natkeyctl reload adds a connection, SIGHUP reloads the
# same file, and a broken file is refused with the running configuration
# kept. No ping may be lost and the SPIs must not change. Then a reload that
# removes the connection tears the tunnel down (Delete to the peer, kernel
# SAs gone). Also checks `status --json` as a script would (python json).
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

# spis HOST: the "SPIs in X out Y" of conn gw into $spis.
nk_spis() {
	nk_out=$(on "$1" "$NATKEYCTL" status 2>&1)
	[[ $nk_out =~ gw:\ up.*(SPIs\ in\ [0-9a-f]+\ out\ [0-9a-f]+) ]] && spis=${BASH_REMATCH[1]}
}

scenario() {
	local rw=${RWS%% *} spis spis0 pidf o extra
	pidf=$(host_run "$rw")/natkeyd.pid
	extra=$'conn extra\n  left='"$IP_rw"$'\n  leftid=@'"$rw"$'.natkeyd.test\n  right=203.0.113.9\n  rightid=@gw.natkeyd.test\n  authby=secret\n  ike=aes128-sha256-modp2048\n  esp=aes128-sha1-modp2048\n  auto=add'

	strongswan_gw "$GW"
	strongswan_start "$GW"
	natkeyd_rw_conf "$rw" auto=start
	natkeyd_start "$rw"
	nk_wait_up "$rw" gw 40
	nk_spis "$rw" || fail "no SPIs in natkeyctl status: $nk_out"
	spis0=$spis
	e2e_pass "tunnel up by auto=start" "$spis0"

	# status --json parsed as a script would.
	assert_output "$rw" '^ok gw up nat-local=True nat-remote=False encap=True spi_in=[0-9a-f]{8}$' \
		"status --json parses and carries state, NAT facts, encapsulation" \
		sh -c "$NATKEYCTL status --json | python3 -c 'import json,sys; d=json.load(sys.stdin); c=d[\"connections\"][0]; k=c[\"child_sas\"][0]; print(\"ok\", c[\"name\"], c[\"state\"], \"nat-local=%s nat-remote=%s encap=%s spi_in=%s\" % (c[\"nat\"][\"local_behind_nat\"], c[\"nat\"][\"remote_behind_nat\"], k[\"udp_encap\"], k[\"spi_in\"]))'"

	# Traffic through the tunnel during all the reloads below.
	(ip netns exec "$rw" ping -n -i 0.2 -c 40 -W 2 "$SRV_IP" >"$E2E_OUT/logs/reload-ping.txt" 2>&1) &
	local ping_pid=$!
	snooze 1

	natkeyd_rw_conf "$rw" auto=start extra="$extra"
	assert_output "$rw" 'reloaded /etc/ipsec.conf: 1 added, 0 removed, 0 changed \(re-established\), 1 unchanged \(kept up\)' \
		"natkeyctl reload adds the new connection, keeps gw" "$NATKEYCTL" reload
	assert_output "$rw" $'(^|\n)extra: down, auto=add' "the added connection is loaded" "$NATKEYCTL" status

	kill -HUP "$(<"$pidf")"
	assert_log "$rw-natkeyd.out" 'reloaded /etc/ipsec.conf: 0 added, 0 removed, 0 changed \(re-established\), 2 unchanged' \
		"SIGHUP reloads: nothing changed, both kept" 10

	# A broken file: refused, the running configuration stays.
	printf 'conn broken\n  left=%s\n  bogus_key=1\n  auto=add\n' "$IP_rw" >>"$(host_etc "$rw")/ipsec.conf"
	o=$(nkctl "$rw" reload 2>&1)
	local rc=$?
	[[ $rc == 1 && $o == *'reload-failed: reload refused, the running configuration stays: /etc/ipsec.conf:'*bogus_key* ]] ||
		fail "broken reload: want exit 1 and the error naming the file and key, got $rc: $o"
	e2e_pass "a broken configuration is refused with one message naming file and key" "$o"
	assert_output "$rw" $'(^|\n)gw: up' "gw still up after the refused reload" "$NATKEYCTL" status

	wait "$ping_pid"
	o=$(<"$E2E_OUT/logs/reload-ping.txt")
	[[ $o == *'40 packets transmitted, 40 received'* ]] ||
		fail "pings lost during reloads: $(grep transmitted <<<"$o")"
	e2e_pass "no ping lost while reloading three times" "$(grep transmitted <<<"$o")"
	nk_spis "$rw"
	[[ $spis == "$spis0" ]] || fail "SPIs changed across reloads: $spis0 -> $spis"
	e2e_pass "the unchanged tunnel kept its SAs" "$spis"
	assert_output "$GW" 'rw: #1, ESTABLISHED' "strongSwan still has the first and only IKE SA" swanctl --list-sas

	# Removing the connection tears it down, Delete sent.
	natkeyd_rw_conf "$rw" auto=start conn=other remote=203.0.113.9
	assert_output "$rw" '1 added, 2 removed, 0 changed' "reload with gw (and extra) removed, other added" "$NATKEYCTL" reload
	assert_log "$GW-charon.log" 'received DELETE' "strongSwan received natkeyd's Delete" 10
	assert_xfrm_state_none "$rw" 'reqid 1313538049' "the removed connection's kernel SAs are gone"
	return 0
}
