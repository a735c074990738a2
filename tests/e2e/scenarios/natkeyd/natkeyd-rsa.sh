# natkeyd-rsa: Main Mode with RSA signatures (RFC 2409 s5.1). natkeyd, the
# road warrior, authenticates with leftcert= (road.example.net, issued by the
# test PKI's sub CA) and its key from an `: RSA FILE` line of ipsec.secrets,
# and verifies the strongSwan gateway's certificate (gw.example.org, root CA)
# against the CA directory given with --cacerts. Ping through the tunnel.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

scenario() {
	local rw=${RWS%% *} pki=$E2E_SRC/tests/data/pki etc gwetc nat=no
	[[ $BEHIND_NAT == *rw* ]] && nat=yes
	natkeyd_require

	# strongSwan gateway with gw.pem; trusts the root and the sub CA.
	gwetc=$(host_etc "$GW")
	strongswan_conf "$GW"
	mkdir -p "$gwetc/swanctl/x509" "$gwetc/swanctl/x509ca" "$gwetc/swanctl/rsa"
	cp "$pki/gw.pem" "$gwetc/swanctl/x509/gw.pem"
	cp "$pki/ca.pem" "$pki/sub-ca.pem" "$gwetc/swanctl/x509ca/"
	openssl rsa -in "$pki/gw.key" -traditional -out "$gwetc/swanctl/rsa/gw.key" 2>>"$E2E_OUT/logs/openssl.log" ||
		fail "cannot convert gw.key to PKCS#1 (logs/openssl.log)"
	cat >"$gwetc/swanctl/swanctl.conf" <<-EOF
		connections {
		  rw {
		    version = 1
		    local_addrs = $GW_IP
		    proposals = aes128-sha256-modp2048
		    local {
		      auth = pubkey
		      certs = gw.pem
		      id = gw.example.org
		    }
		    remote {
		      auth = pubkey
		      id = %any
		    }
		    children {
		      net {
		        local_ts = $GW_NET
		        remote_ts = 10.0.0.0/8,198.51.100.0/24,203.0.113.0/24,192.0.2.0/24
		        esp_proposals = aes128-sha1-modp2048
		        mode = tunnel
		      }
		    }
		  }
		}
	EOF
	strongswan_start "$GW"

	# natkeyd: certificate, key by reference, its own CA directory.
	etc=$(host_etc "$rw")
	mkdir -p "$(host_run "$rw")/cacerts"
	cp "$pki/ca.pem" "$(host_run "$rw")/cacerts/"
	cat >"$etc/ipsec.conf" <<-EOF
		conn gw
		  left=$IP_rw
		  leftid=@road.example.net
		  leftcert=$pki/leaf2.pem
		  right=$GW_PUB
		  rightid=@gw.example.org
		  rightsubnet=$GW_NET
		  authby=rsasig
		  ike=aes128-sha256-modp2048
		  esp=aes128-sha1-modp2048
		  auto=start
	EOF
	printf ': RSA %s\n' "$pki/leaf2.key" >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
	cp "$etc/ipsec.conf" "$E2E_OUT/logs/$rw-ipsec.conf"
	NK_ARGS="--cacerts /run/cacerts" natkeyd_start "$rw"
	nk_wait_up "$rw" gw 40

	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the RSA-authenticated tunnel"
	assert_log "$GW-charon.log" 'authentication of .road.example.net. with RSA.* successful' \
		"strongSwan verified natkeyd's RSA signature and certificate"
	assert_log "$GW-charon.log" 'IKE_SA rw\[[0-9]+\] established' "strongSwan established the IKE SA"
	if [[ $nat == yes ]]; then
		assert_natt_kernel "$rw" 2
		assert_natt_float "$CAP_PUB" "$GW_PUB" main 3
	fi
	assert_capture "$CAP_PUB" "isakmp.exchangetype==2 && isakmp.flag_e==1" "encrypted Main Mode messages 5/6 (CERT and SIG inside)" 2
	assert_capture_none "$CAP_PUB" "icmp.type==8 && ip.dst==$SRV_IP" "no cleartext ping on the public link"
	return 0
}
