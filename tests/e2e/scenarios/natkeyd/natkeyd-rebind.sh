# natkeyd-rebind: natkeyd as the gateway follows a road warrior whose NAT
# changed its port mapping (NAT reboot: conntrack flushed, new port range).
# The road warrior's next ESP-in-UDP packet arrives from a new port; the
# kernel authenticates it and reports XFRM_MSG_MAPPING; natkeyd (RFC 3947
# s7: follow authenticated ESP) audits the change and moves its SAs to the
# new port, so the replies reach the road warrior again.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

scenario() {
	local rw=${RWS%% *} etc nat_var port0 port1
	nat_var=NAT_$rw
	natkeyd_require
	[[ $BEHIND_NAT == *rw* ]] || fail "natkeyd-rebind needs a road warrior behind a NAT (rw-nat)"
	etc=$(host_etc "$GW")
	mkdir -p "$etc"
	nk_gw_setup >"$etc/ipsec.conf"
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
	natkeyd_start "$GW"
	strongswan_rw "$rw"
	strongswan_start "$rw"
	strongswan_initiate "$rw"
	nk_wait_up "$GW" rw 20
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping before the NAT rebinds"
	e2e_xfrm_out "$GW"
	[[ $e2e_xfrm =~ encap\ type\ espinudp\ sport\ 4500\ dport\ ([0-9]+) ]] || fail "no espinudp SA on $GW"
	port0=${BASH_REMATCH[1]}
	e2e_pass "gateway sends ESP-in-UDP to the NAT's port" "$port0"

	# The NAT reboots with another port range: every mapping changes.
	nat_port_range "${!nat_var}" 30000-39999
	nat_flush "${!nat_var}"
	ip netns exec "$rw" ping -n -q -c 6 -i 0.5 -W 1 "$SRV_IP" >"$E2E_OUT/logs/rebind-warmup.txt" 2>&1
	assert_log "$GW-natkeyd.out" 'audit natt: .*MAPPING_CHANGED: rw: peer moved from [0-9.]+:[0-9]+ to [0-9.]+:3[0-9]{4}' \
		"natkeyd audited the mapping change" 10
	assert_xfrm_state "$GW" 'encap type espinudp sport 4500 dport 3[0-9]{4}' "the gateway's SA now sends to the new port" 10
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping after the NAT rebound, through the moved SAs"
	assert_output "$GW" 'rw: up, .*-> [0-9.]+:3[0-9]{4}, NAT: peer' "natkeyctl status shows the peer's new port" "$NATKEYCTL" status
	return 0
}
