# daemon-resolve: natkeyd with left=%defaultroute and right= a host name, as
# admins port them from strongSwan/Libreswan. The road warrior's ipsec.conf
# names the gateway gw.natkeyd.test, which only the namespace's /etc/hosts
# knows (nsswitch.conf: files only, so no DNS query is sent anywhere), and
# %defaultroute must become the source address of rw's route to it.
#  - --check-config shows both resolutions as comments, the values as written;
#  - the tunnel comes up to the resolved address and carries a ping;
#  - a reload with the same resolution keeps the conn; after /etc/hosts moves
#    the name to the gateway's second address, a reload counts the conn as
#    changed and the tunnel comes up to the new address;
#  - `natkeyctl up` of a conn that is down resolves the name again;
#  - an unresolvable name, a left= name of another host and a missing default
#    route are each one error line naming conn, key and value.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

GW_PUB2=192.0.2.2 # the gateway's second public address

# nk_hosts HOST ADDR: HOST's /etc/hosts maps gw.natkeyd.test to ADDR (written
# in place: the bind mount of a running natkeyd sees it).
nk_hosts() {
	printf '127.0.0.1 localhost\n%s gw.natkeyd.test\n' "$2" >"$(host_etc "$1")/hosts"
}

# nk_check_fail HOST CONF REGEX MESSAGE: natkeyd --check-config of CONF (text)
# on HOST exits 1 with one stderr line matching REGEX.
nk_check_fail() {
	local h=$1 text=$2 re=$3 msg=$4 dir err rc
	dir=$(host_run "$h")
	printf '%s\n' "$text" >"$dir/check.conf"
	printf ': PSK "resolve test"\n' >"$dir/check.secrets"
	chmod 600 "$dir/check.secrets"
	# `on` binds the host's run folder over /run.
	err=$(on "$h" "$NATKEYD" --check-config -c /run/check.conf -s /run/check.secrets 2>&1 >/dev/null)
	rc=$?
	printf '== %s (exit %s)\n%s\n' "$msg" "$rc" "$err" >>"$E2E_OUT/logs/resolve-errors.txt"
	[[ $rc == 1 ]] || fail "$msg: exit status $rc, want 1 (logs/resolve-errors.txt)"
	[[ $(grep -c '' <<<"$err") == 1 ]] || fail "$msg: not one line on stderr (logs/resolve-errors.txt)"
	[[ $err =~ $re ]] || fail "$msg: '$err' does not match /$re/"
	e2e_pass "$msg" "$err"
}

scenario() {
	local rw=${RWS%% *} etc ip_re gw_re gw2_re
	natkeyd_require
	etc=$(host_etc "$rw")
	ip_re=${IP_rw//./\\.} gw_re=${GW_PUB//./\\.} gw2_re=${GW_PUB2//./\\.}

	printf 'hosts: files\n' >"$etc/nsswitch.conf"
	nk_hosts "$rw" "$GW_PUB"
	ip -n "$GW" addr add "$GW_PUB2/24" dev wan0 || fail "cannot add $GW_PUB2 to $GW"
	strongswan_gw "$GW" local=%any
	strongswan_start "$GW"
	natkeyd_rw_conf "$rw" local=%defaultroute remote=gw.natkeyd.test

	assert_output "$rw" $'\t# left=%defaultroute resolves to '"$ip_re"$'\n\tleft=%defaultroute\n' \
		"--check-config: %defaultroute resolves to rw's source address, printed as a comment" \
		"$NATKEYD" --check-config
	assert_output "$rw" $'\t# right=gw\\.natkeyd\\.test resolves to '"$gw_re"$'\n\tright=gw\\.natkeyd\\.test\n' \
		"--check-config: the host name resolves through /etc/hosts, the value stays the name" \
		"$NATKEYD" --check-config

	natkeyd_start "$rw"
	assert_output "$rw" 'initiating gw' "natkeyctl up gw" "$NATKEYCTL" up gw
	nk_wait_up "$rw" gw 40
	assert_output "$rw" "gw: up, auto=add, $ip_re:4500 -> $gw_re:4500, NAT: local" \
		"the tunnel runs between the resolved addresses (floated to 4500 behind the NAT)" "$NATKEYCTL" status
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the tunnel to gw.natkeyd.test"
	assert_log "$GW-charon.log" 'IKE_SA rw\[[0-9]+\] established between 192\.0\.2\.1\[' \
		"strongSwan established the IKE SA on its first address"

	# Same resolution: unchanged, kept up.
	assert_output "$rw" 'reloaded /etc/ipsec.conf: 0 added, 0 removed, 0 changed \(re-established\), 1 unchanged \(kept up\)' \
		"a reload that resolves to the same addresses keeps the conn" "$NATKEYCTL" reload
	assert_output "$rw" $'(^|\n)gw: up' "gw still up after the reload" "$NATKEYCTL" status

	# The name moves: the reload sees a changed conn.
	nk_hosts "$rw" "$GW_PUB2"
	assert_output "$rw" 'reloaded /etc/ipsec.conf: 0 added, 0 removed, 1 changed \(re-established\), 0 unchanged' \
		"a reload after gw.natkeyd.test moved counts the conn as changed" "$NATKEYCTL" reload
	assert_output "$rw" $'\t# right=gw\\.natkeyd\\.test resolves to '"$gw2_re"$'\n' \
		"--check-config shows the new resolution" "$NATKEYD" --check-config
	assert_output "$rw" 'initiating gw' "natkeyctl up gw (to the new address)" "$NATKEYCTL" up gw
	nk_wait_up "$rw" gw 40
	assert_output "$rw" "gw: up, auto=add, $ip_re:4500 -> $gw2_re:4500" \
		"the tunnel now runs to the gateway's second address" "$NATKEYCTL" status
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping through the tunnel to $GW_PUB2"

	# `up` of a conn that is down resolves the name again, without a reload.
	assert_output "$rw" 'gw terminated' "natkeyctl down gw" "$NATKEYCTL" down gw
	nk_hosts "$rw" "$GW_PUB"
	assert_output "$rw" 'initiating gw' "natkeyctl up gw after the name moved back" "$NATKEYCTL" up gw
	assert_log "$rw-natkeyd.out" "\[gw\] right=gw\.natkeyd\.test now resolves to $gw_re \(was $gw2_re\)" \
		"natkeyctl up resolved the name again" 10
	nk_wait_up "$rw" gw 40
	assert_output "$rw" "gw: up, auto=add, $ip_re:4500 -> $gw_re:4500" \
		"the tunnel is back on the first address" "$NATKEYCTL" status
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping through the tunnel after the re-resolution"
	assert_capture_none "$CAP_PUB" "icmp.type==8 && ip.dst==$SRV_IP" "no cleartext ping on the public link"

	# Errors: one line naming conn, key and value.
	nk_check_fail "$rw" $'conn bad\n  left=%defaultroute\n  right=nosuch.natkeyd.test\n  auto=add' \
		'^natkeyd: .*check\.conf:1: conn bad: right=nosuch\.natkeyd\.test: cannot resolve the host name \(Name or service not known\)$' \
		"an unresolvable right= name is one error line"
	nk_check_fail "$rw" $'conn notme\n  left=gw.natkeyd.test\n  right=%any\n  auto=add' \
		"^natkeyd: .*check\\.conf:1: conn notme: left=gw\\.natkeyd\\.test: resolves to $gw_re, not an address of this host" \
		"a left= name of another host is one error line"
	# inet has no default route (only its connected networks).
	nk_check_fail inet $'conn nodefault\n  left=%defaultroute\n  right=%any\n  auto=add' \
		'^natkeyd: .*check\.conf:1: conn nodefault: left=%defaultroute: no IPv4 default route' \
		"no default route is one error line"
	return 0
}
