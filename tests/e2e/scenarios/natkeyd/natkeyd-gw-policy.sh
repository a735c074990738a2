# natkeyd-gw-policy: what a strongSwan road warrior behind a NAT (10.1.0.2)
# may claim as its client from a natkeyd gateway (right=%any, issue 14):
#  1. without an allow-list its private address is refused: strongSwan is
#     told INVALID_ID_INFORMATION, natkeyd logs one line naming the peer and
#     the claim, nothing reaches the kernel;
#  2. with virtual-private= and rightsubnet=vhost:%priv (natkeyctl reload),
#     a claim of an Internet host (8.8.8.8/32) and one of the gateway's own
#     LAN are refused the same way;
#  3. its own private address comes up, pings pass, and the gateway's kernel
#     policy has the priority of its prefix lengths (/24 <-> /32: 3875).
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

# gw_conf yes|no: the gateway's ipsec.conf, with or without the allow-list.
gw_conf() {
	local etc
	etc=$(host_etc "$GW")
	mkdir -p "$etc"
	{
		[[ $1 == yes ]] && nk_gw_setup
		cat <<-EOF
			conn rw
			  left=$GW_IP
			  leftid=@gw.natkeyd.test
			  leftsubnet=$GW_NET
			  right=%any
			  rightid=@*.natkeyd.test
			  authby=secret
			  ike=aes128-sha256-modp2048
			  esp=aes128-sha1-modp2048
			  auto=add
		EOF
		[[ $1 == yes ]] && echo "  rightsubnet=vhost:%priv"
	} >"$etc/ipsec.conf"
	printf '@gw.natkeyd.test %%any : PSK "%s"\n' "$E2E_PSK_DEFAULT" >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
	cp "$etc/ipsec.conf" "$E2E_OUT/logs/$GW-ipsec.conf.$1"
}

# claim_refused LOCAL_TS REGEX MESSAGE: the road warrior claims LOCAL_TS; it
# must fail, with natkeyd's refusal line matching REGEX.
claim_refused() {
	local rw=${RWS%% *} ts=$1 re=$2 msg=$3
	strongswan_rw "$rw" local_ts="$ts"
	on "$rw" swanctl --load-all --noprompt >>"$E2E_OUT/logs/$rw-swanctl.log" 2>&1 ||
		fail "swanctl --load-all failed on $rw"
	if on "$rw" swanctl --initiate --child net --timeout 20 >>"$E2E_OUT/logs/$rw-swanctl.log" 2>&1; then
		fail "$msg: strongSwan brought up a tunnel claiming $ts"
	fi
	assert_log "$GW-natkeyd.out" "$re" "$msg" 10
	on "$rw" swanctl --terminate --ike gw --timeout 5 >>"$E2E_OUT/logs/$rw-swanctl.log" 2>&1 || true
}

scenario() {
	local rw=${RWS%% *} n
	[[ $BEHIND_NAT == *rw* ]] || fail "natkeyd-gw-policy needs a road warrior behind a NAT (rw-nat)"
	natkeyd_require
	gw_conf no
	natkeyd_start "$GW"
	strongswan_rw "$rw"
	strongswan_start "$rw"

	claim_refused dynamic \
		'rw: refused client 10\.1\.0\.2/32 of rw\.natkeyd\.test at 198\.51\.100\.2:[0-9]+: not its own address, and no allow-list' \
		"no allow-list: the NATed road warrior's private address is refused, one line naming peer and claim"
	assert_log "$rw-charon.log" 'INVALID_ID_INFORMATION' "strongSwan was told INVALID_ID_INFORMATION" 5
	assert_xfrm_state_none "$GW" 'proto esp' "nothing installed on the gateway for a refused claim"
	assert_output "$GW" 'a road warrior may claim as its client its own address as the wire shows it \(no virtual-private=/rightsubnet= allow-list' \
		"--check-config says what the connection accepts" "$NATKEYD" --check-config

	gw_conf yes
	assert_output "$GW" 'reloaded' "natkeyctl reload with virtual-private= and vhost:%priv" "$NATKEYCTL" reload
	claim_refused 8.8.8.8/32 \
		'rw: refused client 8\.8\.8\.8/32 of rw\.natkeyd\.test at 198\.51\.100\.2:[0-9]+: outside the allow-list' \
		"an Internet host's address is refused"
	claim_refused 10.9.0.0/25 \
		'rw: refused client 10\.9\.0\.0/25 of rw\.natkeyd\.test at 198\.51\.100\.2:[0-9]+: (a network where vhost|overlaps what this gateway protects)' \
		"the gateway's own LAN is refused"

	strongswan_rw "$rw"
	on "$rw" swanctl --load-all --noprompt >>"$E2E_OUT/logs/$rw-swanctl.log" 2>&1 || fail "swanctl --load-all failed on $rw"
	strongswan_initiate "$rw"
	nk_wait_up "$GW" rw 20
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP with its own private address as client"
	assert_output "$GW" $'src 10\\.9\\.0\\.0/24 dst 10\\.1\\.0\\.2/32[[:space:]]*\n[[:space:]]*dir out priority 3875' \
		"the gateway's policy priority follows the prefix lengths" ip xfrm policy
	n=$(grep -c 'refused client' "$E2E_OUT/logs/$GW-natkeyd.out")
	((n >= 3)) || fail "expected at least 3 refusal lines, found $n"
	e2e_pass "one refusal line per refused claim" "$n"
}
