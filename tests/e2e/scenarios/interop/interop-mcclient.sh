# interop-mcclient: natkeyd as XAUTH + Mode Config client (issue 16, client
# side) through rw-nat, against strongSwan 5.9 and Libreswan 4.10 as
# "Cisco IPsec" gateways (group PSK + XAUTH user alice, Main Mode, address
# pool, DNS servers, Cisco Unity). One row per gateway (setup mcclient-i):
#   - natkeyd authenticates by XAUTH, pulls an address, installs it on the
#     interface towards the gateway (eth0, as strongSwan does) and a route to
#     the gateway's LAN (split-include, else rightsubnet=) with the virtual
#     IP as source (proto 78); its Quick Mode selector is the virtual IP;
#   - ping and a checksummed TCP transfer from the virtual IP to the server;
#   - natkeyctl status / --json show the virtual IP and the DNS servers;
#     leftupdown= gets PLUTO_PEER_DNS_INFO; no resolv.conf written;
#   - NAT-T on the wire: RFC 3947 in Main Mode, the Transaction exchange,
#     Quick Mode and ESP on UDP 4500 (non-ESP marker), no plain ESP;
#   - teardown: `natkeyctl down`, a reload that changes the conn (one that
#     keeps it keeps the address), and SIGTERM to natkeyd each leave no
#     address, no route, no SA and no policy on the road warrior.
# One more row against strongSwan (setup mcclient-hybrid): hybrid RSA
# (draft-ietf-ipsec-isakmp-hybrid-auth-05, HybridInitRSA): strongSwan signs
# with its certificate, natkeyd (leftauth=xauth, rightauth=pubkey: no
# certificate, no PSK) verifies it against its CA and logs in by XAUTH
# only; the same checks, plus the method on the wire. Libreswan 4.10 has
# no hybrid RSA.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/interop-lib.sh"

MCC_POOL4=10.3.0 # strongSwan hands out 10.3.0.1, Libreswan 10.3.0.10

# mcc_gw_strongswan HOST [hybrid]: swanctl.conf for an XAUTH + Mode Config
# gateway; group PSK + XAUTH, or with "hybrid" hybrid RSA (its certificate
# signs, the client's only round is XAUTH).
mcc_gw_strongswan() {
	local h=$1 hybrid=${2:-} etc auth
	etc=$(host_etc "$h")
	strongswan_conf "$h" "load = random nonce openssl pem pkcs1 x509 pubkey kernel-netlink socket-default vici xauth-generic unity attr"
	if [[ $hybrid ]]; then
		ix_keys "$h"
		mkdir -p "$etc/swanctl/x509" "$etc/swanctl/rsa"
		cp "$IX_TMP/keys/$h.pem" "$etc/swanctl/x509/"
		cp "$IX_TMP/keys/$h.key" "$etc/swanctl/rsa/"
		auth=$(printf '    send_cert = always\n    local {\n      auth = pubkey\n      certs = %s.pem\n      id = gw.natkeyd.test\n    }\n    remote {\n      auth = xauth\n    }' "$h")
	else
		auth=$(printf '    local {\n      auth = psk\n      id = gw.natkeyd.test\n    }\n    remote {\n      auth = psk\n    }\n    remote-xauth {\n      auth = xauth\n    }')
	fi
	cat >"$etc/swanctl/swanctl.conf" <<-EOF
		connections {
		  c {
		    version = 1
		    local_addrs = $GW_IP
		    proposals = $IX_IKE
		    pools = p
		$auth
		    children {
		      net {
		        local_ts = $GW_NET
		        esp_proposals = $IX_ESP
		        mode = tunnel
		      }
		    }
		  }
		}
		pools {
		  p {
		    addrs = $MCC_POOL4.0/24
		    dns = 10.9.0.53, 10.9.0.54
		    split_include = $GW_NET
		  }
		}
		secrets {
		  ike-1 {
		    id-local = gw.natkeyd.test
		    secret = "$E2E_PSK_DEFAULT"
		  }
		  xauth-alice {
		    id = alice
		    secret = "alice password"
		  }
		}
	EOF
	cp "$etc/swanctl/swanctl.conf" "$E2E_OUT/logs/$h-swanctl.conf"
}

# mcc_gw_libreswan HOST: ipsec.conf + passwd for an XAUTH + Mode Config gateway.
mcc_gw_libreswan() {
	local h=$1 etc
	etc=$(host_etc "$h")
	libreswan_setup "$h" "$E2E_PSK_DEFAULT"
	printf 'alice:%s:c\n' "$(openssl passwd -6 'alice password')" >"$etc/ipsec.d/passwd"
	chmod 600 "$etc/ipsec.d/passwd"
	cat >>"$etc/ipsec.conf" <<-EOF
		conn c
		  ikev2=no
		  authby=secret
		  ike=aes128-sha2_256;modp2048
		  esp=aes128-sha1;modp2048
		  pfs=yes
		  encapsulation=auto
		  left=$GW_IP
		  leftid=@gw.natkeyd.test
		  leftsubnet=$GW_NET
		  leftxauthserver=yes
		  leftmodecfgserver=yes
		  right=%any
		  rightid=%any
		  rightxauthclient=yes
		  rightmodecfgclient=yes
		  rightaddresspool=$MCC_POOL4.10-$MCC_POOL4.20
		  modecfgpull=yes
		  modecfgdns=10.9.0.53,10.9.0.54
		  modecfgdomains=corp.example
		  xauthby=file
		  cisco-unity=yes
		  rekey=no
		  leftupdown=$LIBRESWAN_DIR/_updown
		  auto=add
	EOF
	cp "$etc/ipsec.conf" "$E2E_OUT/logs/$h-libreswan-ipsec.conf"
}

# mcc_natkeyd HOST [hybrid]: natkeyd's client conn "gw" and its leftupdown=
# script, which keeps the environment of its last run in
# $IX_TMP/mcc-updown.env. With "hybrid": hybrid RSA in strongSwan's spelling
# (leftauth=xauth, rightauth=pubkey), no certificate and no PSK of its own,
# the CA in ipsec.d/cacerts.
mcc_natkeyd() {
	local h=$1 hybrid=${2:-} etc auth='authby=xauthpsk' auth2='xauth=client'
	etc=$(host_etc "$h")
	if [[ $hybrid ]]; then
		auth='leftauth=xauth' auth2='rightauth=pubkey'
		ix_keys "$h"
		mkdir -p "$etc/ipsec.d/cacerts"
		cp "$IX_TMP/keys/ca.pem" "$etc/ipsec.d/cacerts/"
	fi
	mkdir -p "$etc"
	cat >"$IX_TMP/mcc-updown.sh" <<-'EOF'
		#!/bin/sh
		env | sort >/tmp/interop/mcc-updown.env.tmp && mv /tmp/interop/mcc-updown.env.tmp /tmp/interop/mcc-updown.env
	EOF
	chmod 755 "$IX_TMP/mcc-updown.sh"
	rm -f "$IX_TMP/mcc-updown.env"
	cat >"$etc/ipsec.conf" <<-EOF
		# natkeyd as XAUTH + Mode Config client (interop-mcclient.sh)
		conn gw
		  left=$(ix_var "IP_$h")
		  leftid=@$h.natkeyd.test
		  leftsourceip=%config
		  leftupdown=$IX_TMP/mcc-updown.sh
		  right=$GW_PUB
		  rightid=@gw.natkeyd.test
		  rightsubnet=$GW_NET
		  $auth
		  $auth2
		  xauth_identity=alice
		  cisco-unity=yes
		  ike=$IX_IKE
		  esp=$IX_ESP
		  pfs=yes
		  auto=add
	EOF
	{
		[[ $hybrid ]] || printf '@%s.natkeyd.test @gw.natkeyd.test : PSK "%s"\n' "$h" "$E2E_PSK_DEFAULT"
		printf 'alice : XAUTH "alice password"\n'
	} >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
	cp "$etc/ipsec.conf" "$E2E_OUT/logs/$h-natkeyd-ipsec.conf"
}

# mcc_clean HOST WHAT: nothing of the tunnel is left on HOST.
mcc_clean() {
	local h=$1 what=$2
	assert_output "$h" '^0$' "$what: no virtual IP left on $h" \
		bash -c "ip -4 addr show | grep -c 'inet ${MCC_POOL4//./\\.}\\.' || true"
	assert_output "$h" '^0$' "$what: no natkeyd route (proto 78) left on $h" \
		bash -c 'ip -4 route show proto 78 | grep -c . || true'
	assert_output "$h" '^0$' "$what: no SA left in $h's kernel" \
		bash -c 'ip xfrm state | grep -c "^src" || true'
	assert_output "$h" '^0$' "$what: no IPsec policy left in $h's kernel" \
		bash -c 'ip xfrm policy | grep -c "tmpl src" || true'
}

# mcc_body PEER [hybrid]: one row.
mcc_body() {
	local peer=$1 hybrid=${2:-} rw=${RWS%% *} vip cap t0 re conf
	if [[ $peer == strongswan ]]; then
		vip=$MCC_POOL4.1
		mcc_gw_strongswan "$GW" "$hybrid"
	else
		vip=$MCC_POOL4.10
		mcc_gw_libreswan "$GW"
	fi
	mcc_natkeyd "$rw" "$hybrid"
	ix_start_peer "$peer" "$GW"
	ix_natkeyd_start "$rw"
	t0=${EPOCHREALTIME/./}
	assert_output "$rw" 'initiating gw' "natkeyctl up gw" "$NATKEYCTL" up gw
	nk_wait_up "$rw" gw 60
	ix_secs=$(((${EPOCHREALTIME/./} - t0) / 1000))
	echo "$((ix_secs / 1000)).$((ix_secs % 1000 / 100))" >"$IX_OUT/secs"
	re=${vip//./\\.}
	assert_log "$rw-natkeyd.out" "XAUTH accepted for user 'alice'" "the $peer gateway accepted alice's XAUTH password"
	if [[ $hybrid ]]; then
		assert_log "$rw-natkeyd.out" "peer authenticated by certificate .*gw\.natkeyd\.test.*, RSA signature" \
			"natkeyd verified strongSwan's certificate and SIG_R"
	fi
	assert_log "$rw-natkeyd.out" "Mode Config gave us $re, DNS 10\\.9\\.0\\.53,10\\.9\\.0\\.54" \
		"natkeyd received $vip and both DNS servers from $peer"
	assert_output "$rw" "inet $re/32 scope global eth0" "the virtual IP $vip is on $rw's eth0" ip -4 addr show dev eth0
	assert_output "$rw" "10\\.9\\.0\\.0/24 via 10\\.1\\.0\\.1 dev eth0 proto 78 src $re" \
		"route to $GW_NET via the tunnel with source $vip (proto 78)" ip -4 route show
	assert_log "$rw-natkeyd.out" "gw: virtual IP $re/32 on eth0, routes 10\\.9\\.0\\.0/24 through the tunnel" \
		"natkeyd's log names the address, the interface and the route"
	assert_output "$rw" "src $re/32 dst 10\\.9\\.0\\.0/24" "natkeyd's Quick Mode selector is the virtual IP" ip xfrm policy
	assert_output "$rw" "virtual IP $re, DNS 10\\.9\\.0\\.53,10\\.9\\.0\\.54" "natkeyctl status shows the virtual IP and DNS" \
		"$NATKEYCTL" status
	assert_output "$rw" "\"virtual_ip\":\"$re\",\"dns\":\\[\"10\\.9\\.0\\.53\",\"10\\.9\\.0\\.54\"\\]" \
		"natkeyctl status --json shows the virtual IP and DNS" "$NATKEYCTL" status --json
	ix_kernel_sas "$rw" yes tunnel
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw ($vip) -> $SRV_IP through the SA"
	ix_tcp "$rw" "$SRV" "$SRV_IP"
	if [[ $peer == strongswan ]]; then
		# strongSwan 5.9 sends the pool's split_include twice (8 bytes each).
		assert_log "$rw-natkeyd.out" "Mode Config gave us $re, DNS [0-9.,]+, [12] split networks?" \
			"strongSwan's UNITY_SPLIT_INCLUDE reached natkeyd"
	else
		assert_log "$rw-natkeyd.out" "Mode Config gave us $re, DNS [0-9.,]+, domain corp\\.example" \
			"Libreswan's UNITY_DEF_DOMAIN reached natkeyd"
	fi
	wait_until 10 test -s "$IX_TMP/mcc-updown.env"
	assert_output "$rw" "PLUTO_PEER_DNS_INFO=10\\.9\\.0\\.53 10\\.9\\.0\\.54" \
		"leftupdown= got PLUTO_PEER_DNS_INFO" cat "$IX_TMP/mcc-updown.env"
	assert_output "$rw" "PLUTO_MY_SOURCEIP=$re" "leftupdown= got PLUTO_MY_SOURCEIP" cat "$IX_TMP/mcc-updown.env"
	assert_output "$rw" '^$' "natkeyd wrote no resolv.conf" bash -c 'grep -l "10\.9\.0\.53" /etc/resolv.conf 2>/dev/null; true'
	cap="$ix_id.${CAP_PUB%%:*}:${CAP_PUB#*:}"
	assert_natt_phase1 "$cap" "$GW_PUB" main
	assert_natt_float "$cap" "$GW_PUB" main 3
	assert_capture_count "$cap" "!icmp && udp.port==4500 && udpencap.non_esp_marker && isakmp.exchangetype==6" 2 -1 \
		"the XAUTH / Mode Config Transaction exchanges on UDP 4500 behind the non-ESP marker"
	assert_capture_none "$cap" "udp.port==500 && isakmp.exchangetype==6" "no Transaction exchange on port 500"
	if [[ $hybrid ]]; then
		# HybridInitRSA offered by natkeyd (MM1) and chosen by strongSwan
		# (MM2); both in the clear (MM5/MM6 are encrypted).
		assert_capture "$cap" "ip.src==$GW_PUB && isakmp.ike.attr.authentication_method == 64221" \
			"strongSwan chose Phase 1 authentication method 64221 (HybridInitRSA)"
		assert_capture "$cap" "ip.dst==$GW_PUB && isakmp.ike.attr.authentication_method == 64221" \
			"natkeyd offered HybridInitRSA"
	fi
	# Teardown by `down`, then by stopping natkeyd.
	assert_output "$rw" 'terminat|down' "natkeyctl down gw" "$NATKEYCTL" down gw
	wait_until 10 eval "! ip -n $rw -4 addr show | grep -q 'inet $re/'"
	mcc_clean "$rw" "after natkeyctl down"
	assert_log "$rw-natkeyd.out" "gw: virtual IP $re removed, 1 route removed" "natkeyd logs the removal"
	assert_output "$rw" 'initiating gw' "natkeyctl up gw again" "$NATKEYCTL" up gw
	nk_wait_up "$rw" gw 60
	assert_output "$rw" "inet $re/32" "the virtual IP is back after up" ip -4 addr show dev eth0
	# A reload that keeps the conn keeps its address; one that changes it
	# (here: another rightsubnet=) takes address and route away with the
	# old tunnel.
	assert_output "$rw" '0 changed \(re-established\), 1 unchanged' "natkeyctl reload, conn unchanged" \
		"$NATKEYCTL" reload
	assert_output "$rw" "inet $re/32" "the virtual IP stays over a reload that keeps the conn" ip -4 addr show dev eth0
	# In place (same inode): natkeyd's /etc/ipsec.conf is a bind mount of it.
	conf=$(host_etc "$rw")/ipsec.conf
	# (the copy lives outside /etc/netns: ip netns exec bind-mounts every file there)
	sed "s|rightsubnet=$GW_NET|rightsubnet=10.9.0.0/25|" "$conf" >"$IX_TMP/mcc-ipsec.conf" &&
		cat "$IX_TMP/mcc-ipsec.conf" >"$conf"
	assert_output "$rw" '1 changed \(re-established\)' "natkeyctl reload, conn changed" "$NATKEYCTL" reload
	wait_until 10 eval "! ip -n $rw -4 addr show | grep -q 'inet $re/'"
	mcc_clean "$rw" "after a reload that changed the conn"
	assert_output "$rw" 'initiating gw' "natkeyctl up gw after the reload" "$NATKEYCTL" up gw
	nk_wait_up "$rw" gw 60
	assert_output "$rw" "inet $re/32" "the virtual IP is back after the reload" ip -4 addr show dev eth0
	daemon_stop "$rw" natkeyd TERM
	mcc_clean "$rw" "after natkeyd stopped (SIGTERM)"
	return 0
}

scenario() {
	local p
	ix_init
	for p in strongswan libreswan; do
		ix_plan "$p" i mcclient-i
		ix_run "$p" i mcclient-i mcc_body "$p"
	done
	ix_plan strongswan i mcclient-hybrid
	ix_run strongswan i mcclient-hybrid mcc_body strongswan hybrid
	ix_verdict
}
