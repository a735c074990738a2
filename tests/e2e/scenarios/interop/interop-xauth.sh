# interop-xauth: natkeyd as a "Cisco IPsec" gateway (XAUTH + Mode Config,
# issue 16) in the interoperability matrix. natkeyd is the gateway on $GW
# (conn rw: pool 10.3.0.0/24, DNS 10.9.0.53, a default domain, Cisco Unity
# with the split include 10.9.0.0/24); the peer's road warrior behind the
# NAT logs in as alice and pulls an address.
#
# rw-nat guest, one row each:
#   xauth-psk      strongSwan, Main Mode group PSK + XAUTH (KEY_ID group
#                  identity "vpngroup", as iOS sends it)
#   xauth-aggr     strongSwan, Aggressive Mode group PSK + XAUTH (the same
#                  KEY_ID; aggressive_psk_responder=yes on natkeyd)
#   xauth-rsa      strongSwan, Main Mode RSA certificates + XAUTH
#                  (authby=xauthrsasig)
#   xauth-hybrid   strongSwan, hybrid RSA (authby=hybridrsasig): natkeyd
#                  signs, the client has no key and logs in by XAUTH only
#   xauth-pam      strongSwan, Main Mode group PSK + XAUTH, xauthby=pam:
#                  alice is a user of the guest (pam_unix)
#   xauth-psk      Libreswan, Main Mode PSK + XAUTH
#   xauth-badpw    strongSwan with a wrong password: asked 3 times, refused,
#                  no SA and no policy left, the password in no log line
#   xauth-noanswer strongSwan without XAUTH never answers natkeyd's REQUEST
#                  with credentials (nothing, or an empty REPLY); natkeyd
#                  asks again, gives up (~25 s), nothing left in the kernel
# two-rw-nat guest:
#   xauth-pool     a pool of one address: alice (rw) gets it, bob (rw2) is
#                  refused with natkeyd's "address pool exhausted" line,
#                  alice's tunnel keeps working
#
# Each row that comes up checks: the virtual IP on the client's interface,
# natkeyctl status (user, virtual IP) and leases, the gateway's policies on
# the virtual IP, the DNS server and the split include the client received
# (strongSwan: its attribute log, the DNS server in its resolv.conf, the
# CHILD_SA narrowed to the split include; Libreswan: its log), ping and a 2 MB checksummed TCP transfer each way
# from the virtual IP, NAT-T (RFC 3947 VIDs and NAT-D in Phase 1,
# ESP-in-UDP SAs in both kernels, no cleartext on the public link), and a
# clean teardown (the client deletes: natkeyd's kernel empty, the lease
# offline, still alice's).
default_topology=rw-nat
# 8 rows on rw-nat, one of which waits ~30 s for natkeyd to give up.
e2e_timeout=600

source "$E2E_SRC/tests/e2e/interop-lib.sh"

XA_VIP=10.3.0.1
XA_DNS=10.9.0.53
XA_DOMAIN=corp.natkeyd.test
XA_PW="alice password"

# xa_nk_conf SETUP [extra ipsec.conf lines...]: natkeyd's gateway conn "rw".
xa_nk_conf() {
	local setup=$1 etc l
	shift
	etc=$(host_etc "$GW")
	mkdir -p "$etc"
	{
		echo "# natkeyd XAUTH + Mode Config gateway, interop $setup (interop-xauth.sh)"
		echo "conn rw"
		echo "  left=$GW_IP"
		echo "  leftid=@gw.natkeyd.test"
		echo "  leftsubnet=$GW_NET"
		echo "  right=%any"
		echo "  xauth=server"
		echo "  rightsourceip=10.3.0.0/24"
		echo "  modecfgdns=$XA_DNS"
		echo "  modecfgdomains=$XA_DOMAIN"
		echo "  cisco-unity=yes"
		case $setup in
		xauth-rsa)
			echo "  authby=xauthrsasig"
			echo "  leftcert=$IX_TMP/keys/$GW.pem"
			echo "  rightid=@*.natkeyd.test"
			;;
		xauth-hybrid)
			echo "  authby=hybridrsasig"
			echo "  leftcert=$IX_TMP/keys/$GW.pem"
			;;
		xauth-aggr)
			echo "  authby=xauthpsk"
			echo "  aggressive=yes"
			echo "  aggressive_psk_responder=yes"
			;;
		*) echo "  authby=xauthpsk" ;;
		esac
		[[ $setup == xauth-pam ]] && printf '  xauthby=pam\n  pam-service=natkeyd\n'
		echo "  ike=$IX_IKE"
		echo "  esp=$IX_ESP"
		echo "  pfs=yes"
		echo "  auto=add"
		for l in "$@"; do echo "  $l"; done
	} >"$etc/ipsec.conf"
	{
		if [[ $setup == xauth-rsa || $setup == xauth-hybrid ]]; then
			ix_keys "$GW"
			printf ': RSA %s\n' "$IX_TMP/keys/$GW.key"
			mkdir -p "$etc/ipsec.d/cacerts"
			cp "$IX_TMP/keys/ca.pem" "$etc/ipsec.d/cacerts/"
		else
			printf '@gw.natkeyd.test %%any : PSK "%s"\n' "$E2E_PSK_DEFAULT"
		fi
		if [[ $setup != xauth-pam ]]; then
			printf 'alice : XAUTH "%s"\n' "$XA_PW"
			printf 'bob : XAUTH "bob password"\n'
		fi
	} >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
	cp "$etc/ipsec.conf" "$E2E_OUT/logs/$GW-natkeyd-ipsec.conf"
}

# xa_pam_users: alice and bob as users of the guest (its root is a tmpfs
# overlay), and the PAM service natkeyd uses ($GW's /etc/pam.d).
xa_pam_users() {
	local etc u
	etc=$(host_etc "$GW")
	for u in alice bob; do
		id "$u" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$u" ||
			fail "useradd $u failed in the guest"
		printf '%s:%s password\n' "$u" "$u" | chpasswd || fail "chpasswd $u failed in the guest"
	done
	mkdir -p "$etc/pam.d"
	printf 'auth required pam_unix.so\naccount required pam_unix.so\n' >"$etc/pam.d/natkeyd"
	cp "$etc/pam.d/natkeyd" "$E2E_OUT/logs/$GW-pam.d-natkeyd"
}

# xa_ss_conf HOST SETUP USER PASSWORD [noxauth]: strongSwan as the XAUTH +
# Mode Config client (conn c, child net), with the unity and resolve
# plugins so that it asks for the split include and the DNS servers.
xa_ss_conf() {
	local h=$1 setup=$2 user=$3 pw=$4 noxauth=${5:-} etc auth=psk id=keyid:vpngroup aggr=no certs='' sendcert=''
	etc=$(host_etc "$h")
	strongswan_conf "$h" \
		"load = random nonce openssl pem pkcs1 x509 pubkey kernel-netlink socket-default vici xauth-generic unity resolve" \
		"install_virtual_ip = yes" "cisco_unity = yes" \
		"plugins {" "  resolve {" "    file = $IX_TMP/resolv-$h.conf" "  }" "}"
	rm -f "$IX_TMP/resolv-$h.conf"
	: >"$IX_TMP/resolv-$h.conf"
	mkdir -p "$etc/swanctl/x509" "$etc/swanctl/x509ca" "$etc/swanctl/rsa"
	[[ $setup == xauth-aggr ]] && aggr=yes
	if [[ $setup == xauth-hybrid ]]; then
		# Hybrid: no key of its own; the gateway's certificate against the CA.
		ix_keys "$h"
		cp "$IX_TMP/keys/ca.pem" "$etc/swanctl/x509ca/"
	elif [[ $setup == xauth-rsa ]]; then
		auth=pubkey id=$h.natkeyd.test certs="certs = $h.pem" sendcert="send_cert = always"
		ix_keys "$h"
		cp "$IX_TMP/keys/$h.pem" "$etc/swanctl/x509/"
		cp "$IX_TMP/keys/ca.pem" "$etc/swanctl/x509ca/"
		cp "$IX_TMP/keys/$h.key" "$etc/swanctl/rsa/"
	fi
	{
		cat <<-EOF
			connections {
			  c {
			    version = 1
			    aggressive = $aggr
			    remote_addrs = $GW_PUB
			    proposals = $IX_IKE
			    vips = 0.0.0.0
			    $sendcert
		EOF
		if [[ $setup == xauth-hybrid ]]; then
			# Hybrid RSA: the client's only round is XAUTH, the gateway signs.
			cat <<-EOF
				    local {
				      auth = xauth
				      xauth_id = $user
				    }
				    remote {
				      auth = pubkey
				      id = gw.natkeyd.test
				    }
			EOF
		else
			cat <<-EOF
				    local {
				      auth = $auth
				      id = $id
				      $certs
				    }
			EOF
		fi
		[[ $noxauth || $setup == xauth-hybrid ]] || cat <<-EOF
			    local-xauth {
			      auth = xauth
			      xauth_id = $user
			    }
		EOF
		[[ $setup == xauth-hybrid ]] || cat <<-EOF
			    remote {
			      auth = $auth
			      id = gw.natkeyd.test
			    }
		EOF
		cat <<-EOF
			    children {
			      net {
			        remote_ts = $GW_NET
			        esp_proposals = $IX_ESP
			        mode = tunnel
			      }
			    }
			  }
			}
			secrets {
		EOF
		[[ $setup == xauth-rsa || $setup == xauth-hybrid ]] || cat <<-EOF
			  ike-gw {
			    id-local = $id
			    id-remote = gw.natkeyd.test
			    secret = "$E2E_PSK_DEFAULT"
			  }
		EOF
		cat <<-EOF
			  xauth-$user {
			    id = $user
			    secret = "$pw"
			  }
			}
		EOF
	} >"$etc/swanctl/swanctl.conf"
	cp "$etc/swanctl/swanctl.conf" "$E2E_OUT/logs/$h-swanctl.conf"
}

# xa_ls_conf HOST: Libreswan as the XAUTH + Mode Config client (conn gw;
# the user and password come with whack --initiate).
xa_ls_conf() {
	local h=$1
	libreswan_setup "$h" "$E2E_PSK_DEFAULT"
	cat >>"$(host_etc "$h")/ipsec.conf" <<-EOF
		conn gw
		  ikev2=no
		  authby=secret
		  left=%defaultroute
		  leftid=@$h.natkeyd.test
		  leftxauthclient=yes
		  leftmodecfgclient=yes
		  modecfgpull=yes
		  right=$GW_PUB
		  rightid=@gw.natkeyd.test
		  rightxauthserver=yes
		  rightmodecfgserver=yes
		  rightsubnet=$GW_NET
		  ike=aes128-sha2_256;modp2048
		  esp=aes128-sha1;modp2048
		  pfs=yes
		  encapsulation=auto
		  leftupdown=$LIBRESWAN_DIR/_updown
		  auto=add
	EOF
	cp "$(host_etc "$h")/ipsec.conf" "$E2E_OUT/logs/$h-libreswan-ipsec.conf"
}

# xa_no_kernel_state WHAT: natkeyd's kernel holds no SA and no IPsec
# policy (its IKE socket bypasses aside).
xa_no_kernel_state() {
	assert_output "$GW" '^0$' "$1: no SA in the gateway's kernel" \
		bash -c 'ip xfrm state | grep -c "^src" || true'
	assert_output "$GW" '^0$' "$1: no IPsec policy in the gateway's kernel" \
		bash -c 'ip xfrm policy | grep -c "tmpl src" || true'
}

# xa_up_checks PEER RW USER VIP PHASE1(main|aggressive): the checks of a row
# whose tunnel is up.
xa_up_checks() {
	local peer=$1 rw=$2 user=$3 vip=$4 mode=$5 cap
	cap="$ix_id.${CAP_PUB%%:*}:${CAP_PUB#*:}"
	assert_output "$rw" "inet ${vip//./\\.}/32" "$rw has the virtual IP natkeyd gave $user" ip -4 addr show
	assert_output "$GW" "user $user, virtual IP ${vip//./\\.}" \
		"natkeyctl status on the gateway: $user and $vip" "$NATKEYCTL" status
	assert_output "$GW" "rw: ${vip//./\\.} xauth:$user online" "natkeyctl leases: $user's lease online" \
		"$NATKEYCTL" leases
	assert_output "$GW" "src ${GW_NET//./\\.} dst ${vip//./\\.}/32" \
		"the gateway's policies use the virtual IP $vip" ip xfrm policy
	assert_log "$GW-natkeyd.out" "XAUTH user '$user' authenticated" "natkeyd logs the XAUTH verdict for $user"
	if [[ $peer == strongswan ]]; then
		assert_log "$rw-charon.log" 'processing INTERNAL_IP4_DNS attribute' \
			"strongSwan received the DNS server (INTERNAL_IP4_DNS)"
		assert_log "$rw-charon.log" 'processing UNITY_SPLIT_INCLUDE attribute' \
			"strongSwan received the split include (UNITY_SPLIT_INCLUDE)"
		assert_log "$rw-charon.log" "narrowed CHILD_SA to UNITY_SPLIT_INCLUDE ${GW_NET//./\\.}" \
			"strongSwan routes only the split include through the tunnel"
		xa_resolv() { grep -q "nameserver ${XA_DNS//./\\.}" "$IX_TMP/resolv-$rw.conf" 2>/dev/null; }
		wait_until 5 xa_resolv || fail "strongSwan did not install DNS server $XA_DNS ($IX_TMP/resolv-$rw.conf)"
		e2e_pass "strongSwan installed the DNS server natkeyd sent" "nameserver $XA_DNS"
		assert_log "$rw-charon.log" 'CHILD_SA net\{[0-9]+\} established' "strongSwan established the CHILD_SA"
	else
		assert_log "$rw-pluto.log" "Received DNS server ${XA_DNS//./\\.}" \
			"Libreswan received the DNS server (INTERNAL_IP4_DNS)" 5
		assert_log "$rw-pluto.log" "Received subnet ${GW_NET//./\\.}" \
			"Libreswan received the split include (UNITY_SPLIT_INCLUDE)" 5
		assert_log "$rw-pluto.log" 'IPsec SA established tunnel mode' "Libreswan established the IPsec SA"
	fi
	ix_kernel_sas "$rw" yes tunnel
	ix_kernel_sas "$GW" yes tunnel
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw ($vip) -> $SRV_IP through natkeyd's XAUTH tunnel"
	ix_ping_via "$SRV" "$vip" "$rw" "ping $SRV -> $vip (the other way) through the tunnel"
	ix_tcp "$rw" "$SRV" "$SRV_IP"
	assert_natt_phase1 "$cap" "$GW_PUB" "$mode"
	assert_capture_none "$cap" "icmp.type==8 && (ip.dst==$SRV_IP || ip.src==$SRV_IP)" \
		"no cleartext ping on the public link"
	assert_capture_none "$cap" "tcp" "no cleartext TCP on the public link"
	assert_capture_none "$cap" "ip.proto==50" "no plain ESP on the public link (ESP-in-UDP only)"
	if grep -q "$XA_PW" "$E2E_OUT/logs/$GW-natkeyd.out"; then
		fail "the XAUTH password appears in natkeyd's log"
	fi
	e2e_pass "the XAUTH password appears in no natkeyd log line" "$GW-natkeyd.out"
}

# xa_teardown PEER RW USER VIP: the client deletes its SAs; natkeyd's
# kernel is empty, the lease offline but still the user's.
xa_teardown() {
	local peer=$1 rw=$2 user=$3 vip=$4
	if [[ $peer == strongswan ]]; then
		on "$rw" swanctl --terminate --ike c --timeout 20 >>"$E2E_OUT/logs/$rw-swanctl.log" 2>&1 ||
			fail "swanctl --terminate failed on $rw"
	else
		on "$rw" "$LIBRESWAN_DIR/whack" --name gw --terminate >>"$E2E_OUT/logs/$rw-whack.log" 2>&1 ||
			fail "whack --terminate failed on $rw"
	fi
	xa_gone() { [[ $(on "$GW" ip xfrm state | grep -c '^src') == 0 ]]; }
	wait_until 20 xa_gone || fail "natkeyd's kernel still holds SAs 20 s after the client's Deletes"
	xa_no_kernel_state "teardown"
	assert_output "$GW" "rw: ${vip//./\\.} xauth:$user offline" \
		"natkeyctl leases: $user's lease offline, kept for $user" "$NATKEYCTL" leases
	assert_log "$GW-natkeyd.out" "PEER_DELETE" "natkeyd acted on the client's Deletes"
}

# xa_body PEER SETUP: one row.
xa_body() {
	local peer=$1 setup=$2 rw=${RWS%% *} mode=main pw=$XA_PW t0 meth
	ix_nk=$GW ix_pe=$rw ix_conn=rw
	[[ $setup == xauth-aggr ]] && mode=aggressive
	[[ $setup == xauth-badpw ]] && pw="not her password"
	[[ $setup == xauth-pam ]] && xa_pam_users
	xa_nk_conf "$setup"
	ix_natkeyd_start "$GW"
	assert_output "$GW" "^rw: down" "natkeyd loaded conn rw" "$NATKEYCTL" status
	if [[ $peer == libreswan ]]; then
		xa_ls_conf "$rw"
		libreswan_start "$rw"
		t0=${EPOCHREALTIME/./}
		on "$rw" "$LIBRESWAN_DIR/whack" --name gw --initiate --xauthname alice --xauthpass "$pw" \
			>>"$E2E_OUT/logs/$rw-whack.log" 2>&1 ||
			fail "Libreswan on $rw could not bring up gw (logs/$rw-whack.log, logs/$rw-pluto.log)"
	else
		xa_ss_conf "$rw" "$setup" alice "$pw" "$([[ $setup == xauth-noanswer ]] && echo noxauth)"
		strongswan_start "$rw"
		t0=${EPOCHREALTIME/./}
		if [[ $setup == xauth-badpw || $setup == xauth-noanswer ]]; then
			if on "$rw" swanctl --initiate --child net --timeout 60 >>"$E2E_OUT/logs/$rw-swanctl.log" 2>&1; then
				fail "strongSwan brought the tunnel up ($setup)"
			fi
			e2e_pass "strongSwan got no tunnel ($setup)" "swanctl --initiate failed"
		else
			strongswan_initiate "$rw" net 60
		fi
	fi
	case $setup in
	xauth-badpw)
		assert_log "$GW-natkeyd.out" "XAUTH user 'alice': wrong password \\(try 2 of 3\\)" \
			"natkeyd asks again after a wrong password" 20
		assert_log "$GW-natkeyd.out" "XAUTH failed for user 'alice' after 3 tries" \
			"natkeyd refuses alice after 3 tries" 20
		xa_no_kernel_state "refused"
		assert_output "$GW" 'rw: down' "natkeyctl status: the conn is down" "$NATKEYCTL" status
		if grep -q "$pw" "$E2E_OUT/logs/$GW-natkeyd.out"; then
			fail "the XAUTH password appears in natkeyd's log"
		fi
		e2e_pass "the wrong password appears in no natkeyd log line" "$GW-natkeyd.out"
		return 0
		;;
	xauth-noanswer)
		assert_log "$GW-natkeyd.out" "asking the peer for its user name and password" \
			"natkeyd asked for the password" 10
		assert_log "$GW-natkeyd.out" "gave up in XAUTH_S1" \
			"natkeyd gave up on the client that never answers XAUTH" 90
		xa_no_kernel_state "never answered"
		# charon tries again with a new IKE SA: stop it, and natkeyd's
		# last IKE SA goes too (the client's Delete, or the same timeout).
		daemon_stop "$rw" charon TERM
		xa_down() { nk_status_match "$GW" '(^|'$'\n'')rw: down'; }
		wait_until 60 xa_down || fail "natkeyctl status: conn rw not down 60 s after the client stopped: $nk_out"
		e2e_pass "natkeyctl status: the conn is down" "rw: down"
		xa_no_kernel_state "client gone"
		return 0
		;;
	esac
	nk_wait_up "$GW" rw 20
	ix_secs=$(((${EPOCHREALTIME/./} - t0) / 1000))
	echo "$((ix_secs / 1000)).$((ix_secs % 1000 / 100))" >"$IX_OUT/secs"
	on "$GW" "$NATKEYCTL" status >"$E2E_OUT/logs/$GW-status.txt" 2>&1
	[[ $setup == xauth-pam ]] &&
		assert_log "$GW-natkeyd.out" "XAUTH user 'alice': PAM says yes" "PAM (pam_unix) accepted alice"
	xa_up_checks "$peer" "$rw" alice "$XA_VIP" "$mode"
	# The Phase 1 method natkeyd chose, on the wire.
	case $setup in
	xauth-rsa) meth=65005 ;;   # XAUTHInitRSA
	xauth-hybrid) meth=64221 ;; # HybridInitRSA
	*) meth=65001 ;;           # XAUTHInitPreShared
	esac
	assert_capture "$ix_id.${CAP_PUB%%:*}:${CAP_PUB#*:}" \
		"ip.src==$GW_PUB && isakmp.ike.attr.authentication_method == $meth" \
		"natkeyd chose Phase 1 authentication method $meth"
	xa_teardown "$peer" "$rw" alice "$XA_VIP"
	return 0
}

# xa_pool_body: two-rw-nat, a pool of one address.
xa_pool_body() {
	local rw=${RWS%% *} rw2=${RWS##* } t0
	ix_nk=$GW ix_pe=$rw ix_conn=rw
	xa_nk_conf xauth-psk
	sed -i 's|^  rightsourceip=.*|  rightaddresspool=10.3.0.1-10.3.0.1|' "$(host_etc "$GW")/ipsec.conf"
	cp "$(host_etc "$GW")/ipsec.conf" "$E2E_OUT/logs/$GW-natkeyd-ipsec.conf"
	ix_natkeyd_start "$GW"
	xa_ss_conf "$rw" xauth-psk alice "$XA_PW"
	xa_ss_conf "$rw2" xauth-psk bob "bob password"
	strongswan_start "$rw"
	strongswan_start "$rw2"
	t0=${EPOCHREALTIME/./}
	strongswan_initiate "$rw" net 60
	nk_wait_up "$GW" rw 20
	ix_secs=$(((${EPOCHREALTIME/./} - t0) / 1000))
	echo "$((ix_secs / 1000)).$((ix_secs % 1000 / 100))" >"$IX_OUT/secs"
	if on "$rw2" swanctl --initiate --child net --timeout 40 >>"$E2E_OUT/logs/$rw2-swanctl.log" 2>&1; then
		fail "bob got a tunnel from a pool of one address already leased to alice"
	fi
	e2e_pass "bob (rw2) got no tunnel" "swanctl --initiate failed"
	assert_log "$GW-natkeyd.out" "address pool exhausted \\(1 of 1 addresses in use\\): no address for bob" \
		"natkeyd refuses bob: address pool exhausted" 20
	assert_output "$rw2" '^0$' "rw2 has no virtual IP" bash -c 'ip -4 addr show | grep -c "inet 10\.3\." || true'
	assert_output "$GW" "rw: 10\\.3\\.0\\.1 xauth:alice online" "alice keeps the only lease" "$NATKEYCTL" leases
	# charon on rw2 keeps trying: stopped here, or it takes the address
	# as soon as alice leaves (which is right, but not this row's teardown).
	daemon_stop "$rw2" charon TERM
	xa_up_checks strongswan "$rw" alice "$XA_VIP" main
	xa_teardown strongswan "$rw" alice "$XA_VIP"
	return 0
}

scenario() {
	local s
	ix_init
	ix_nk_extra=() ix_pe_extra=()
	if [[ $E2E_TOPOLOGY == two-rw-nat ]]; then
		ix_plan strongswan r xauth-pool
		ix_run strongswan r xauth-pool xa_pool_body
		ix_verdict
		return
	fi
	ix_plan strongswan r xauth-psk xauth-aggr xauth-rsa xauth-hybrid xauth-pam
	for s in xauth-psk xauth-aggr xauth-rsa xauth-hybrid xauth-pam; do
		ix_run strongswan r "$s" xa_body strongswan "$s"
	done
	ix_plan libreswan r xauth-psk
	ix_run libreswan r xauth-psk xa_body libreswan xauth-psk
	ix_plan strongswan r xauth-badpw xauth-noanswer
	for s in xauth-badpw xauth-noanswer; do
		ix_run strongswan r "$s" xa_body strongswan "$s"
	done
	ix_verdict
}
