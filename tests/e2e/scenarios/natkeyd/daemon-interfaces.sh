# daemon-interfaces: interfaces= (config setup) restricts where natkeyd
# accepts IKE. A natkeyd gateway told to listen on its LAN interface only
# drops a road warrior's Main Mode arriving on its WAN interface (logged,
# no IKE SA); after a reload with interfaces=wan0 the same road warrior
# connects and pings through the tunnel.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

gw_conf() { # INTERFACES
	local etc
	etc=$(host_etc "$GW")
	mkdir -p "$etc"
	{
		nk_gw_setup | sed '/^$/d'
		printf '  interfaces="%s"\n\n' "$1"
	} >"$etc/ipsec.conf"
	cat >>"$etc/ipsec.conf" <<-EOF
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
	printf '@gw.natkeyd.test %%any : PSK "%s"\n' "$E2E_PSK_DEFAULT" >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
}

scenario() {
	local rw=${RWS%% *}
	natkeyd_require
	gw_conf lan0
	natkeyd_start "$GW"
	strongswan_rw "$rw"
	strongswan_start "$rw"
	# Main Mode 1 arrives on wan0: dropped, never answered.
	(on "$rw" swanctl --initiate --child net --timeout 8 >"$E2E_OUT/logs/$rw-initiate-refused.txt" 2>&1) &
	local ini=$!
	assert_log "$GW-natkeyd.out" 'bytes from [0-9.]+:[0-9]+ on wan0: not in interfaces=, dropped' \
		"natkeyd dropped IKE arriving on wan0 (interfaces=lan0)" 10
	wait "$ini"
	assert_output "$GW" $'(^|\n)rw: down' "no IKE SA from the dropped messages" "$NATKEYCTL" status
	! grep -q 'MAIN_R' "$E2E_OUT/logs/$GW-natkeyd.out" || fail "natkeyd answered a Main Mode it should have dropped"
	e2e_pass "no Main Mode state on the gateway"

	gw_conf wan0
	assert_output "$GW" 'reloaded /etc/ipsec.conf' "reload with interfaces=wan0" "$NATKEYCTL" reload
	strongswan_initiate "$rw"
	nk_wait_up "$GW" rw 20
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping through the tunnel once wan0 is listed"
	return 0
}
