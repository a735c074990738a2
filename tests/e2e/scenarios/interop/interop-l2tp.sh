# interop-l2tp: natkeyd's native-client profiles in the bed (issue 17), two
# rows on rw-nat, natkeyd the gateway:
#   l2tp            the documented L2TP/IPsec gateway profile
#                   (tests/data/clients/gw-l2tp.conf, natkeyd.conf(5)
#                   "CLIENT PROFILES", allow-legacy-algorithms=yes) against a
#                   strongSwan road warrior set up as Windows and Android L2TP
#                   clients are: its own private address as identity, Main
#                   Mode PSK, aes256-sha1-modp1024 then 3des-sha1-modp1024,
#                   transport mode for UDP 1701 only, ESP aes256-sha1 /
#                   3des-sha1 without PFS. natkeyd picks the client's first
#                   (legacy, MODP-1024) proposal; UDP 1701 datagrams go both
#                   ways through the transport SA (ESP in UDP 4500 on the
#                   public link, never a plain UDP 1701 packet there), other
#                   traffic stays outside it.
#   sha2-truncbug   a Libreswan road warrior with sha2-truncbug=yes and ESP
#                   HMAC-SHA2-256, natkeyd with sha2-truncbug=yes: both
#                   kernels hold auth-trunc hmac(sha256) with 96-bit ICVs,
#                   ping and a checksummed TCP transfer pass.
#   sha2-truncbug-mismatch  the control: the same Libreswan road warrior
#                   (sha2-truncbug=yes) against natkeyd without it: the SAs
#                   come up (the wire cannot tell), natkeyd's kernel holds
#                   128-bit ICVs, and no ping gets through (PASS = that).
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/interop-lib.sh"

# l2tp_nk_conf: natkeyd on $GW with the documented profile (only left= is
# the bed's gateway address), and the PSK for any peer.
l2tp_nk_conf() {
	local etc
	etc=$(host_etc "$GW")
	mkdir -p "$etc"
	sed -e "s|^\tleft=192\.0\.2\.1\$|\tleft=$GW_IP|" "$E2E_SRC/tests/data/clients/gw-l2tp.conf" \
		>"$etc/ipsec.conf" || fail "cannot write natkeyd's profile"
	grep -q "^	left=$GW_IP\$" "$etc/ipsec.conf" || fail "gw-l2tp.conf has no left= line to adapt"
	printf '%s %%any : PSK "%s"\n' "$GW_IP" "$E2E_PSK_DEFAULT" >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
	cp "$etc/ipsec.conf" "$E2E_OUT/logs/$GW-natkeyd-ipsec.conf"
}

# l2tp_client_conf HOST: strongSwan as a Windows/Android L2TP/IPsec client.
l2tp_client_conf() {
	local h=$1 etc ipv=IP_$1
	etc=$(host_etc "$h")
	strongswan_conf "$h"
	mkdir -p "$etc/swanctl"
	cat >"$etc/swanctl/swanctl.conf" <<-EOF
		connections {
		  l2tp {
		    version = 1
		    remote_addrs = $GW_PUB
		    proposals = aes256-sha1-modp1024,3des-sha1-modp1024
		    local {
		      auth = psk
		      id = ${!ipv}
		    }
		    remote {
		      auth = psk
		      id = $GW_PUB
		    }
		    children {
		      l2tp {
		        local_ts = dynamic[udp/1701]
		        remote_ts = dynamic[udp/1701]
		        esp_proposals = aes256-sha1,3des-sha1
		        mode = transport
		      }
		    }
		  }
		}
		secrets {
		  ike-1 {
		    id-1 = $GW_PUB
		    secret = "$E2E_PSK_DEFAULT"
		  }
		}
	EOF
	cp "$etc/swanctl/swanctl.conf" "$E2E_OUT/logs/$h-swanctl.conf"
}

l2tp_body() {
	local rw=${RWS%% *} t0 reply want cap o0 i0
	ix_nk=$GW ix_pe=$rw ix_conn=l2tp
	l2tp_nk_conf
	l2tp_client_conf "$rw"
	ix_natkeyd_start "$GW"
	assert_output "$GW" "^l2tp: down" "natkeyd loaded the L2TP profile" "$NATKEYCTL" status
	strongswan_start "$rw"
	t0=${EPOCHREALTIME/./}
	strongswan_initiate "$rw" l2tp 60
	nk_wait_up "$GW" l2tp 20
	ix_secs=$(((${EPOCHREALTIME/./} - t0) / 1000))
	echo "$((ix_secs / 1000)).$((ix_secs % 1000 / 100))" >"$IX_OUT/secs"
	assert_log "$GW-natkeyd.out" 'IKE SA established \(AES-CBC, SHA1, group 2' \
		"natkeyd took the client's first (legacy) Phase 1 proposal, aes256-sha1-modp1024"
	ix_kernel_sas "$rw" yes transport
	ix_kernel_sas "$GW" yes transport
	assert_xfrm_state "$GW" 'proto esp .* mode transport' "natkeyd's SAs are transport SAs"
	assert_xfrm_state "$GW" 'sel src [0-9.]+/32 dst [0-9.]+/32 proto udp (sport|dport) 1701' \
		"natkeyd's SA selectors are UDP 1701"
	assert_xfrm_state "$GW" 'enc cbc\(aes\) 0x[0-9a-f]{64}' "natkeyd's SAs use AES-256 (aes256-sha1)"

	# L2TP's UDP 1701, both ways through the SA: an echo on the gateway.
	daemon_start "$GW" l2tpecho socat UDP4-RECVFROM:1701,reuseaddr,fork EXEC:cat
	wait_until 10 eval "ip netns exec $GW ss -Hlun 'sport = :1701' | grep -q 1701" ||
		fail "the UDP 1701 echo on $GW did not listen"
	xfrm_packets "$rw"
	o0=$xfrm_out i0=$xfrm_in
	want="l2tp-hello-$ix_seq-$RANDOM"
	reply=$(on "$rw" timeout 20 socat -T 5 - "UDP4:$GW_PUB:1701,sourceport=1701,reuseaddr" <<<"$want" 2>>"$E2E_OUT/logs/l2tp-$rw.txt")
	[[ $reply == "$want" ]] || fail "UDP 1701 $rw -> $GW_PUB: echo '${reply:-nothing}', sent '$want'"
	e2e_pass "UDP 1701 $rw:1701 -> $GW_PUB:1701 and back through the transport SA" "$reply"
	xfrm_packets "$rw"
	((xfrm_out > o0 && xfrm_in > i0)) ||
		fail "the UDP 1701 exchange did not use $rw's SAs (out +$((xfrm_out - o0)) in +$((xfrm_in - i0)))"
	e2e_pass "$rw's ESP SA counters rose with the UDP 1701 exchange" "out +$((xfrm_out - o0)) in +$((xfrm_in - i0))"
	daemon_stop "$GW" l2tpecho KILL
	# Outside the selectors nothing is encrypted: ping goes in clear.
	xfrm_packets "$rw"
	o0=$xfrm_out
	assert_ping "$rw" "$GW_PUB" 2 "ping $rw -> $GW_PUB outside the L2TP SA"
	xfrm_packets "$rw"
	((xfrm_out == o0)) || fail "ping went through the UDP 1701 SA"
	e2e_pass "ping is not in the UDP 1701 SA" "out +0"
	assert_log "$rw-charon.log" 'CHILD_SA l2tp\{[0-9]+\} established' "strongSwan established the L2TP CHILD_SA"
	on "$GW" "$NATKEYCTL" status >"$E2E_OUT/logs/$GW-status.txt" 2>&1
	cap="$ix_id.${CAP_PUB%%:*}:${CAP_PUB#*:}"
	assert_capture_none "$cap" "udp.port == 1701" "no plain UDP 1701 on the public link"
	assert_capture_count "$cap" "udp.port == 4500 && !isakmp" 2 -1 "ESP in UDP 4500 on the public link"
	return 0
}

# truncbug_body NATKEYD_TRUNCBUG(yes|no): Libreswan always has sha2-truncbug=yes.
truncbug_body() {
	local rw=${RWS%% *} t0 etc nk=$1 o0 perr
	ix_nk=$GW ix_pe=$rw ix_conn=rw
	IX_ESP=aes128-sha256-modp2048
	ix_natkeyd_conf "$GW" r psk "sha2-truncbug=$nk"
	cp "$(host_etc "$GW")/ipsec.conf" "$E2E_OUT/logs/$GW-natkeyd-ipsec.conf"
	ix_libreswan_conf "$rw" r psk "sha2-truncbug=yes"
	etc=$(host_etc "$rw")
	sed -i 's/^  esp=aes128-sha1;modp2048$/  esp=aes128-sha2_256;modp2048/' "$etc/ipsec.conf"
	grep -q 'esp=aes128-sha2_256;modp2048' "$etc/ipsec.conf" || fail "Libreswan's esp= line not found"
	cp "$etc/ipsec.conf" "$E2E_OUT/logs/$rw-libreswan-ipsec.conf"
	ix_natkeyd_start "$GW"
	assert_output "$GW" "^rw: down" "natkeyd loaded conn rw" "$NATKEYCTL" status
	ix_start_peer libreswan "$rw"
	t0=${EPOCHREALTIME/./}
	ix_peer_initiate libreswan "$rw"
	nk_wait_up "$GW" rw 20
	ix_secs=$(((${EPOCHREALTIME/./} - t0) / 1000))
	echo "$((ix_secs / 1000)).$((ix_secs % 1000 / 100))" >"$IX_OUT/secs"
	ix_kernel_sas "$rw" yes tunnel
	ix_kernel_sas "$GW" yes tunnel
	assert_xfrm_state "$rw" 'auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} \(256 bits\) 96' \
		"Libreswan's kernel SAs truncate HMAC-SHA2-256 to 96 bits"
	if [[ $nk == no ]]; then
		assert_xfrm_state "$GW" 'auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} \(256 bits\) 128' \
			"natkeyd without sha2-truncbug installs RFC 4868's 128-bit ICVs"
		xfrm_packets "$rw"
		o0=$xfrm_out
		if on "$rw" ping -c 3 -W 2 "$SRV_IP" >>"$E2E_OUT/logs/ping-mismatch.txt" 2>&1; then
			fail "ping $rw -> $SRV_IP passed with mismatched ICV lengths: the truncation is not in effect"
		fi
		xfrm_packets "$rw"
		((xfrm_out - o0 >= 3)) || fail "the pings did not enter $rw's SA (out +$((xfrm_out - o0)))"
		perr=$(ip netns exec "$GW" awk '$1 == "XfrmInStateProtoError" { print $2 }' /proc/net/xfrm_stat)
		((${perr:-0} >= 3)) || fail "natkeyd's kernel counted ${perr:-0} ESP integrity failures, want >= 3"
		e2e_pass "with sha2-truncbug on one side only, no ping gets through" \
			"$rw SA out +$((xfrm_out - o0)), no reply; $GW XfrmInStateProtoError $perr"
		return 0
	fi
	assert_xfrm_state "$GW" 'auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} \(256 bits\) 96' \
		"natkeyd's kernel SAs truncate HMAC-SHA2-256 to 96 bits"
	assert_xfrm_state_none "$GW" 'auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} \(256 bits\) 128' \
		"natkeyd installed no 128-bit HMAC-SHA2-256 SA"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the truncbug SAs"
	ix_tcp "$rw" "$SRV" "$SRV_IP"
	assert_log "$rw-pluto.log" 'IPsec SA established tunnel mode' "Libreswan established the IPsec SA"
	return 0
}

scenario() {
	ix_init
	ix_nk_extra=() ix_pe_extra=()
	ix_plan strongswan r l2tp
	ix_run strongswan r l2tp l2tp_body
	ix_plan libreswan r sha2-truncbug sha2-truncbug-mismatch
	ix_run libreswan r sha2-truncbug truncbug_body yes
	ix_run libreswan r sha2-truncbug-mismatch truncbug_body no
	ix_verdict
}
