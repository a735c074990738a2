# daemon-updown: natkeyd as the gateway runs its leftupdown= script, off the
# event loop, with the environment strongSwan's and Libreswan's scripts read,
# when a road warrior behind a NAT comes up (up-*), when the road warrior's
# NAT changes its mapping (update-*: the kernel saw authenticated ESP from a
# new port, natkeyd moved its SAs), when natkeyd rekeys the IPsec SA (rekey-*;
# 45 s lifetime) and when the road warrior goes (down-*). Every call's
# environment is written to logs/updown-calls.txt by the script. The
# gateway forwards nothing by default (FORWARD policy DROP): leftfirewall=yes
# opens the tunnel's traffic while it is up (strongSwan's iptables rules,
# matched by IPsec policy and reqid) and closes it when it goes.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

# ud_call VERB-REGEX: the calls file holds a call whose PLUTO_VERB matches.
ud_call() {
	[[ -f $E2E_OUT/logs/updown-calls.txt ]] &&
		grep -Eq "^PLUTO_VERB=($1)\$" "$E2E_OUT/logs/updown-calls.txt"
}

# ud_block VERB-REGEX: the environment of the last call matching, in $ud.
ud_block() {
	ud=$(awk -v re="^PLUTO_VERB=($1)\$" '
		/^--- call/ { buf = ""; next }
		{ buf = buf $0 "\n" }
		$0 ~ re { hit = 1 }
		/^--- end/ { if (hit) last = buf; hit = 0 }
		END { printf "%s", last }' "$E2E_OUT/logs/updown-calls.txt")
	[[ -n $ud ]]
}

# ud_has NAME REGEX MSG: the variable NAME of $ud matches REGEX.
ud_has() {
	local line
	line=$(grep -E "^$1=" <<<"$ud" | head -n1)
	[[ $line =~ ^$1=($2)$ ]] || fail "$3: $1 is '${line#*=}' (call: $(tr '\n' ' ' <<<"$ud"))"
	e2e_pass "$3" "$line"
}

scenario() {
	local rw=${RWS%% *} etc nat_var rw_pub script ip_var rw_ip
	nat_var=NAT_$rw
	natkeyd_require
	[[ $BEHIND_NAT == *rw* ]] || fail "daemon-updown needs a road warrior behind a NAT (rw-nat)"
	rw_pub=198.51.100.2
	ip_var=IP_$rw
	rw_ip=${!ip_var}
	etc=$(host_etc "$GW")
	mkdir -p "$etc"
	script=/tmp/natkeyd-updown-$GW.sh
	cat >"$script" <<-EOF
		#!/bin/sh
		# Appends this call's environment (what updown scripts read), then
		# takes its time: natkeyd must not wait for it.
		{
		  echo "--- call \$\$"
		  env | grep -E '^(PLUTO_|NATKEYD_|SPI_)' | sort
		  echo "--- end"
		} >>"$E2E_OUT/logs/updown-calls.txt"
		sleep 3
	EOF
	chmod 755 "$script"
	cp "$script" "$E2E_OUT/logs/natkeyd-updown.sh"
	nk_gw_setup >"$etc/ipsec.conf"
	cat >>"$etc/ipsec.conf" <<-EOF
		conn rw
		  left=$GW_IP
		  leftid=@gw.natkeyd.test
		  leftsubnet=$GW_NET
		  leftupdown=$script
		  leftfirewall=yes
		  right=%any
		$NK_GW_CLIENTS
		  authby=secret
		  ike=aes128-sha256-modp2048
		  esp=aes128-sha1-modp2048
		  lifetime=45s
		  rekeymargin=25s
		  rekeyfuzz=0%
		  auto=add
	EOF
	printf '@gw.natkeyd.test %%any : PSK "%s"\n' "$E2E_PSK_DEFAULT" >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
	# This UML kernel filters with iptables-legacy only (no
	# NF_TABLES_IPV4): the admin's "iptables" is legacy here, as Debian's
	# alternatives allow (the guest's root is a throw-away overlay;
	# natkeyd's scripts find /usr/local/sbin first in their PATH).
	# iptables-legacy needs CAP_NET_RAW, which natkeyd keeps (not
	# effective) for its scripts when a conn has leftupdown/leftfirewall.
	mkdir -p /usr/local/sbin
	ln -sf /usr/sbin/iptables-legacy /usr/local/sbin/iptables
	on "$GW" iptables-legacy -P FORWARD DROP || fail "iptables -P FORWARD DROP failed on $GW"
	assert_output "$GW" '-P FORWARD DROP' "the gateway forwards nothing by itself" iptables-legacy -S FORWARD
	natkeyd_start "$GW"
	strongswan_rw "$rw"
	strongswan_start "$rw"
	strongswan_initiate "$rw"
	nk_wait_up "$GW" rw 20

	# up
	wait_until 15 ud_call 'up-client|up-host' || fail "no up call of the updown script"
	# The script sleeps 3 s; natkeyd answers meanwhile.
	local t0 t1
	t0=${EPOCHREALTIME/./}
	nkctl "$GW" status >"$E2E_OUT/logs/updown-status-during-script.txt" 2>&1 ||
		fail "natkeyctl status failed while the script ran"
	t1=${EPOCHREALTIME/./}
	grep -q 'updown up-client: done' "$E2E_OUT/logs/$GW-natkeyd.out" &&
		fail "the up script finished before natkeyctl was answered (the check proves nothing)"
	((t1 - t0 < 2000000)) || fail "natkeyctl status took $(((t1 - t0) / 1000)) ms while the script ran"
	e2e_pass "natkeyd answered natkeyctl while the up script was still running" "$(((t1 - t0) / 1000)) ms"
	ud_block 'up-client|up-host' || fail "no up call"
	ud_has PLUTO_VERB 'up-client' "up: PLUTO_VERB"
	ud_has PLUTO_CONNECTION 'rw' "up: PLUTO_CONNECTION"
	ud_has PLUTO_ME "$GW_IP" "up: PLUTO_ME is the gateway"
	ud_has PLUTO_MY_ID '@gw.natkeyd.test' "up: PLUTO_MY_ID"
	ud_has PLUTO_MY_CLIENT "$GW_NET" "up: PLUTO_MY_CLIENT is leftsubnet"
	ud_has PLUTO_PEER "$rw_pub" "up: PLUTO_PEER is the road warrior's NAT"
	ud_has PLUTO_PEER_ID "@$rw.natkeyd.test" "up: PLUTO_PEER_ID"
	ud_has PLUTO_PEER_CLIENT "$rw_ip/32" "up: PLUTO_PEER_CLIENT is the road warrior's own address"
	ud_has PLUTO_PEER_CLIENT_MASK '255.255.255.255' "up: PLUTO_PEER_CLIENT_MASK"
	ud_has PLUTO_REQID '[0-9]+' "up: PLUTO_REQID"
	ud_has SPI_IN '0x[0-9a-f]{8}' "up: SPI_IN"
	ud_has PLUTO_UDP_ENC '[0-9]+' "up: PLUTO_UDP_ENC (ESP in UDP)"
	ud_has NATKEYD_NAT 'peer' "up: NATKEYD_NAT"
	assert_log "$GW-natkeyd.out" '\[rw\] updown up-client: done' "natkeyd logged the script's success" 10
	assert_log "$GW-natkeyd.out" '\[rw\] updown leftfirewall up-client: done' "leftfirewall's rules went in" 10
	assert_output "$GW" "-A FORWARD -s $rw_ip/32 -d $GW_NET -m policy --dir in --pol ipsec --reqid [0-9]+ --proto esp -m comment --comment \"natkeyd rw\" -j ACCEPT" \
		"leftfirewall: the inbound FORWARD rule" iptables-legacy -S FORWARD
	assert_output "$GW" "-A FORWARD -s $GW_NET -d $rw_ip/32 -m policy --dir out --pol ipsec --reqid [0-9]+ --proto esp -m comment --comment \"natkeyd rw\" -j ACCEPT" \
		"leftfirewall: the outbound FORWARD rule" iptables-legacy -S FORWARD
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping while the script ran"

	# update: the NAT reboots with another port range.
	nat_port_range "${!nat_var}" 30000-39999
	nat_flush "${!nat_var}"
	ip netns exec "$rw" ping -n -q -c 6 -i 0.5 -W 1 "$SRV_IP" >"$E2E_OUT/logs/updown-rebind-ping.txt" 2>&1
	assert_log "$GW-natkeyd.out" 'MAPPING_CHANGED: rw: peer moved' "natkeyd followed the new mapping" 10
	wait_until 15 ud_call 'update-client' || fail "no update call after the mapping change"
	ud_block 'update-client' || fail "no update call"
	ud_has NATKEYD_PEER_PORT '3[0-9]{4}' "update: the new NAT port"
	ud_has NATKEYD_OLD_PEER "$rw_pub" "update: NATKEYD_OLD_PEER"
	ud_has NATKEYD_OLD_PEER_PORT '[0-9]+' "update: NATKEYD_OLD_PEER_PORT"
	ud_has PLUTO_UDP_ENC '3[0-9]{4}' "update: PLUTO_UDP_ENC follows"

	# rekey: natkeyd (45 s lifetime, the responder's rekey) replaces the pair.
	wait_until 60 ud_call 'rekey-client' || fail "no rekey call within 60 s"
	ud_block 'rekey-client' || fail "no rekey call"
	ud_has NATKEYD_OLD_SPI_IN '0x[0-9a-f]{8}' "rekey: the replaced SPI"
	ud_has SPI_IN '0x[0-9a-f]{8}' "rekey: the new SPI"
	ud_has PLUTO_PEER_CLIENT "$rw_ip/32" "rekey: the same tunnel"
	ud_call 'down-client' && fail "a down call before the road warrior left (a rekey is not down + up)"
	e2e_pass "no down call across the rekey"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping through the rekeyed SAs"

	# down: the road warrior terminates.
	on "$rw" swanctl --terminate --ike gw >"$E2E_OUT/logs/$rw-terminate.txt" 2>&1
	wait_until 15 ud_call 'down-client' || fail "no down call after the road warrior left"
	ud_block 'down-client' || fail "no down call"
	ud_has PLUTO_PEER "$rw_pub" "down: PLUTO_PEER"
	ud_has PLUTO_CONNECTION 'rw' "down: PLUTO_CONNECTION"
	assert_log "$GW-natkeyd.out" '\[rw\] updown leftfirewall down-client: done' "leftfirewall's rules went out" 10
	local fw
	fw=$(on "$GW" iptables-legacy -S FORWARD 2>&1)
	[[ $fw != *natkeyd* ]] || fail "leftfirewall rules left after down: $fw"
	e2e_pass "no natkeyd rule left in FORWARD after down" "$(tr '\n' ';' <<<"$fw")"
	local n_up
	n_up=$(grep -c '^PLUTO_VERB=up-' "$E2E_OUT/logs/updown-calls.txt")
	[[ $n_up == 1 ]] || fail "the script saw $n_up up calls, expected 1"
	e2e_pass "exactly one up call for one tunnel" "$n_up"
	return 0
}
