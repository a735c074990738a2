# natkeyd-xauth-gw: natkeyd as a "Cisco IPsec" gateway (issue 16): strongSwan
# road warriors behind the NAT authenticate with the group PSK and one group
# identity (KEY_ID "vpngroup", as iOS sends it) in Main Mode
# (XAUTHInitPreShared), then by XAUTH as alice (and bob on two-rw-nat),
# pull an address from natkeyd's pool by Mode Config and bring their
# tunnels up from it. Checks: each road warrior has its own virtual IP and
# pings the server behind the gateway from it; the user and the virtual IP
# in natkeyctl status and --json; the gateway's policies on the virtual
# IPs; NAT-T; no password in natkeyd's log.
# Kept for two road warriors behind one NAT (two-rw-nat); the single-client
# cases (wrong password, PAM, RSA, Aggressive Mode, ...) are rows of the
# interoperability matrix (interop-xauth.sh).
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

# xauth_rw HOST USER PASSWORD: swanctl.conf for an XAUTH + Mode Config client.
xauth_rw() {
	local h=$1 user=$2 pw=$3 retc
	# XAUTH needs charon's xauth-generic; the bed's default keeps the
	# virtual IP off the interface, this scenario wants it there.
	strongswan_conf "$h" "load = random nonce openssl pem pkcs1 x509 pubkey kernel-netlink socket-default vici xauth-generic" \
		"install_virtual_ip = yes"
	retc=$(host_etc "$h")
	cat >"$retc/swanctl/swanctl.conf" <<-EOF
		connections {
		  gw {
		    version = 1
		    remote_addrs = $GW_PUB
		    proposals = aes128-sha256-modp2048
		    vips = 0.0.0.0
		    local {
		      auth = psk
		      id = keyid:vpngroup
		    }
		    local-xauth {
		      auth = xauth
		      xauth_id = $user
		    }
		    remote {
		      auth = psk
		      id = @gw.natkeyd.test
		    }
		    children {
		      net {
		        remote_ts = $GW_NET
		        esp_proposals = aes128-sha1-modp2048
		        mode = tunnel
		      }
		    }
		  }
		}
		secrets {
		  ike-gw {
		    id-local = keyid:vpngroup
		    id-remote = @gw.natkeyd.test
		    secret = "$E2E_PSK_DEFAULT"
		  }
		  xauth-$user {
		    id = $user
		    secret = "$pw"
		  }
		}
	EOF
}

# xauth_libreswan_rw HOST: ipsec.conf for a Libreswan XAUTH + Mode Config
# client (the user and password come with whack --initiate).
xauth_libreswan_rw() {
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
}

scenario() {
	local rw etc i=0 n=0 users=(alice bob)
	natkeyd_require
	etc=$(host_etc "$GW")
	mkdir -p "$etc"
	cat >"$etc/ipsec.conf" <<-EOF
		# natkeyd XAUTH + Mode Config gateway (natkeyd-xauth-gw.sh)
		conn rw
		  left=$GW_IP
		  leftid=@gw.natkeyd.test
		  leftsubnet=$GW_NET
		  right=%any
		  authby=xauthpsk
		  xauth=server
		  rightsourceip=10.3.0.0/24
		  modecfgdns=10.9.0.53
		  ike=aes128-sha256-modp2048
		  esp=aes128-sha1-modp2048
		  pfs=yes
		  auto=add
	EOF
	{
		printf '@gw.natkeyd.test %%any : PSK "%s"\n' "$E2E_PSK_DEFAULT"
		printf 'alice : XAUTH "alice password"\n'
		printf 'bob : XAUTH "bob password"\n'
	} >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
	cp "$etc/ipsec.conf" "$E2E_OUT/logs/$GW-ipsec.conf"
	natkeyd_start "$GW"

	# One after the other, so alice gets 10.3.0.1 and bob 10.3.0.2.
	for rw in $RWS; do
		if [[ ${XAUTH_PEER:-} == libreswan ]]; then
			xauth_libreswan_rw "$rw"
			libreswan_start "$rw"
			on "$rw" "$LIBRESWAN_DIR/whack" --name gw --initiate --xauthname "${users[i]}" \
				--xauthpass "${users[i]} password" >>"$E2E_OUT/logs/$rw-whack.log" 2>&1 ||
				fail "Libreswan on $rw could not bring up gw (logs/$rw-whack.log, logs/$rw-pluto.log)"
		else
			xauth_rw "$rw" "${users[i]}" "${users[i]} password"
			strongswan_start "$rw"
			strongswan_initiate "$rw" net
		fi
		((i += 1))
	done
	nk_wait_up "$GW" rw 20
	nkctl "$GW" status >"$E2E_OUT/logs/$GW-status.txt" 2>&1
	nkctl "$GW" status --json >"$E2E_OUT/logs/$GW-status.json" 2>&1
	i=0
	for rw in $RWS; do
		local vip="10.3.0.$((i + 1))" user=${users[i]}
		strongswan_sas "$rw" >"$E2E_OUT/logs/$rw-sas.txt" 2>&1
		assert_output "$rw" "inet ${vip//./\\.}/32" "$rw has the virtual IP natkeyd gave $user" ip -4 addr show
		assert_output "$GW" "user $user, virtual IP ${vip//./\\.}" \
			"natkeyctl status on the gateway: $user and $vip" "$NATKEYCTL" status
		assert_output "$GW" "\"xauth_user\":\"$user\",\"virtual_ip\":\"${vip//./\\.}\"" \
			"status --json on the gateway: $user and $vip" "$NATKEYCTL" status --json
		assert_output "$GW" "src 10\\.9\\.0\\.0/24 dst ${vip//./\\.}/32" \
			"the gateway's policies use $vip" ip xfrm policy
		assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw ($vip) -> $SRV_IP through natkeyd's XAUTH tunnel"
		assert_log "$GW-natkeyd.out" "XAUTH user '$user' authenticated" "natkeyd logs the XAUTH verdict for $user"
		((i += 1))
		((n += 2))
	done
	assert_output "$GW" "rw: 10\\.3\\.0\\.1 xauth:alice online" "natkeyctl leases: alice's lease" \
		"$NATKEYCTL" leases
	assert_output "$GW" '"address":"10\.3\.0\.1","owner":"xauth:alice","online":true' \
		"natkeyctl leases --json: alice's lease" "$NATKEYCTL" leases --json
	assert_natt_kernel "$GW" "$n"
	assert_natt_phase1 "$CAP_PUB" "$GW_PUB" main
	assert_capture_none "$CAP_PUB" "icmp.type==8 && ip.dst==$SRV_IP" "no cleartext ping on the public link"
	if grep -q 'alice password\|bob password' "$E2E_OUT/logs/$GW-natkeyd.out"; then
		fail "an XAUTH password appears in natkeyd's log"
	fi
	return 0
}
