# shellcheck shell=bash
# tests/e2e/interop-lib.sh: the interoperability matrix (issue 8), natkeyd
# against strongSwan (charon) and Libreswan (pluto), IKEv1. Sourced by the
# tests/e2e/scenarios/interop-*.sh scenarios; extends
# scenarios/natkeyd-lib.sh (natkeyd_start, nk_wait_up, nkctl).
#
# One guest runs several combinations in sequence (peer x role x setup on
# the guest's topology). Each combination runs in a subshell: a failed
# assertion ends that combination only (and still fails the scenario), then
# every daemon is stopped and the kernel, NAT and configuration are reset
# before the next one. Per combination:
#   $E2E_OUT/interop/results.tsv   id peer version role topology setup
#                                  result seconds reason (tab-separated)
#   $E2E_OUT/interop/ID/           its logs, state dumps, configs
#   pcap/ID.HOST-IFACE.pcap        its own captures (capture names
#                                  "ID.HOST:IFACE" in assertions), so that
#                                  tests/e2e/interop-report can attribute
#                                  the capture assertions to it.
#
# Setups: psk (Main Mode PSK tunnel), rsa (Main Mode RSA certificates,
# tunnel), aggr (Aggressive Mode PSK tunnel), transport (Main Mode PSK,
# transport mode). Roles: i (natkeyd initiates: road warrior on $RWS) and
# r (natkeyd responds: gateway on $GW).

# shellcheck source=scenarios/natkeyd-lib.sh
source "$E2E_SRC/tests/e2e/scenarios/natkeyd-lib.sh"

IX_DATA=$E2E_SRC/tests/data/interop
IX_TMP=/tmp/interop # shared by every namespace (/run is per host)
IX_OUT=$E2E_OUT/interop
IX_IKE=aes128-sha256-modp2048
IX_ESP=aes128-sha1-modp2048
IX_TCP_MB=${IX_TCP_MB:-3}
ix_seq=0

# ------------------------------------------------------------------ setup

ix_peer_version() {
	case $1 in
	strongswan) dpkg-query -W -f '${Version}' charon-systemd 2>/dev/null ||
		dpkg-query -W -f '${Version}' strongswan-charon 2>/dev/null || echo '?' ;;
	libreswan) cat "${E2E_PEERS:-/nonexistent}/libreswan/VERSION" 2>/dev/null || echo '?' ;;
	natkeyd) "$NATKEYD" --version 2>/dev/null | head -n1 || echo '?' ;;
	esac
}

ix_init() {
	mkdir -p "$IX_OUT" "$IX_TMP"
	[[ -f $IX_OUT/results.tsv ]] || : >"$IX_OUT/results.tsv"
	# The payload of the TCP transfers, once per guest.
	[[ -s $IX_TMP/payload ]] || head -c $((IX_TCP_MB * 1048576)) /dev/urandom >"$IX_TMP/payload"
	read -r ix_sum _ < <(sha256sum "$IX_TMP/payload")
	printf 'strongswan\t%s\nlibreswan\t%s\nnatkeyd\t%s\n' "$(ix_peer_version strongswan)" \
		"$(ix_peer_version libreswan)" "$(ix_peer_version natkeyd)" >"$IX_OUT/versions.tsv"
}

# ix_record ID PEER ROLE SETUP RESULT SECONDS REASON
ix_record() {
	local ver
	ver=$(ix_peer_version "$2")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$ver" "$3" "$E2E_TOPOLOGY" "$4" "$5" "$6" \
		"${7//$'\t'/ }" >>"$IX_OUT/results.tsv"
}

# ix_na PEER ROLE SETUP REASON: a combination the peer cannot do, listed.
ix_na() {
	ix_seq=$((ix_seq + 1))
	ix_record "$(ix_id "$1" "$2" "$3")" "$1" "$2" "$3" n/a - "$4"
	log "interop: $1 $2 $3 on $E2E_TOPOLOGY: not applicable: $4"
}

ix_id() { printf 'ix%02d-%s-%s-%s' "$ix_seq" "${1:0:2}" "$2" "$3"; }

# ------------------------------------------------------------------ captures

# ix_cap_begin NAME HOST IFACE: a capture of its own for one combination.
ix_cap_begin() {
	local n=$1.$2-$3
	mkdir -p "$E2E_RUN/captures" "$E2E_RUN/pcap" "$E2E_OUT/pcap"
	(exec ip netns exec "$2" tcpdump -i "$3" -n -U -s 0 -Z root -w "$E2E_RUN/pcap/$n.pcap") \
		</dev/null >/dev/null 2>"$E2E_OUT/logs/tcpdump-$n.err" &
	echo $! >"$E2E_RUN/captures/$n"
}

ix_cap_wait() {
	local n=$1.$2-$3 line
	ix_listening() { read -r line 2>/dev/null <"$E2E_OUT/logs/tcpdump-$n.err" && [[ $line == *listening* ]]; }
	wait_until 30 ix_listening || log "interop: tcpdump $n did not report listening"
}

ix_cap_end() {
	local n=$1.$2-$3 p
	read -r p 2>/dev/null <"$E2E_RUN/captures/$n" || return 0
	kill -INT "$p" 2>/dev/null
	wait_until 10 eval '! pid_alive '"$p" || kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	rm -f "$E2E_RUN/captures/$n" "$E2E_OUT/logs/tcpdump-$n.err"
	cp "$E2E_RUN/pcap/$n.pcap" "$E2E_OUT/pcap/" 2>/dev/null
}

# ------------------------------------------------------------------ configs

ix_host_nat() { [[ -n $(ix_var "NAT_$1") ]]; }
ix_var() { local v=$1; printf '%s' "${!v:-}"; }

# ix_etc_reset HOST: remove every IKE daemon's configuration of HOST.
ix_etc_reset() {
	local etc
	etc=$(host_etc "$1")
	rm -rf "$etc/ipsec.conf" "$etc/ipsec.secrets" "$etc/ipsec.d" "$etc/swanctl" "$etc/strongswan.conf"
	rm -rf "$(host_run "$1")"/pluto "$(host_run "$1")"/charon.* "$(host_run "$1")"/natkeyd.*
	mkdir -p "$etc"
}

# ix_keys HOST: HOST's certificate and key (tests/data/interop), copied with
# mode 600 under $IX_TMP/keys.
ix_keys() {
	local h=$1
	mkdir -p "$IX_TMP/keys"
	cp "$IX_DATA/$h.pem" "$IX_DATA/ca.pem" "$IX_TMP/keys/" &&
		cp "$IX_DATA/$h.key" "$IX_TMP/keys/$h.key" && chmod 600 "$IX_TMP/keys/$h.key" ||
		fail "no certificate for $h in tests/data/interop (tests/data/interop/gen_certs.sh)"
}

# ix_natkeyd_conf HOST ROLE SETUP [extra ipsec.conf lines...]: natkeyd's
# ipsec.conf + ipsec.secrets, conn "gw" (road warrior, ROLE i) or "rw"
# (gateway for road warriors, ROLE r).
ix_natkeyd_conf() {
	local h=$1 role=$2 setup=$3 etc ip_var l
	shift 3
	etc=$(host_etc "$h")
	mkdir -p "$etc"
	ip_var=IP_$h
	{
		echo "# natkeyd, interop $role $setup (tests/e2e/interop-lib.sh)"
		if [[ $role == i ]]; then
			echo "conn gw"
			echo "  left=${!ip_var}"
			echo "  leftid=@$h.natkeyd.test"
			echo "  right=$GW_PUB"
			echo "  rightid=@gw.natkeyd.test"
			[[ $setup == transport ]] || echo "  rightsubnet=$GW_NET"
		else
			echo "conn rw"
			echo "  left=$GW_IP"
			echo "  leftid=@gw.natkeyd.test"
			[[ $setup == transport ]] || echo "  leftsubnet=$GW_NET"
			echo "  right=%any"
		fi
		[[ $setup == transport ]] && echo "  type=transport"
		[[ $setup == aggr ]] && echo "  aggressive=yes"
		if [[ $setup == rsa ]]; then
			echo "  authby=rsasig"
			echo "  leftcert=$IX_TMP/keys/$h.pem"
		else
			echo "  authby=secret"
		fi
		echo "  ike=$IX_IKE"
		echo "  esp=$IX_ESP"
		echo "  pfs=yes"
		echo "  auto=add"
		for l in "$@"; do echo "  $l"; done
	} >"$etc/ipsec.conf"
	if [[ $setup == rsa ]]; then
		ix_keys "$h"
		printf ': RSA %s\n' "$IX_TMP/keys/$h.key" >"$etc/ipsec.secrets"
	elif [[ $role == i ]]; then
		printf '@%s.natkeyd.test @gw.natkeyd.test : PSK "%s"\n' "$h" "$E2E_PSK_DEFAULT" >"$etc/ipsec.secrets"
	else
		printf '@gw.natkeyd.test %%any : PSK "%s"\n' "$E2E_PSK_DEFAULT" >"$etc/ipsec.secrets"
	fi
	chmod 600 "$etc/ipsec.secrets"
}

# ix_strongswan_conf HOST ROLE SETUP [key=value...]: swanctl.conf for
# strongSwan as the gateway (natkeyd ROLE i) or the road warrior (ROLE r).
# Options: rekey_time, reauth_time, life_time (IKE), child_rekey,
# child_life (seconds; defaults: strongSwan's), dpd_delay, dpd_timeout.
ix_strongswan_conf() {
	local h=$1 role=$2 setup=$3 etc auth=psk mode=tunnel aggr=no lts rts id rid addrs certs=
	shift 3
	local -A o=([rekey_time]=0 [reauth_time]=0 [life_time]= [child_rekey]=3600 [child_life]= [dpd_delay]=0 [dpd_timeout]=0)
	peers_opts -- "$@"
	etc=$(host_etc "$h")
	strongswan_conf "$h"
	mkdir -p "$etc/swanctl/x509" "$etc/swanctl/x509ca" "$etc/swanctl/rsa"
	[[ $setup == rsa ]] && auth=pubkey certs="certs = $h.pem"
	[[ $setup == aggr ]] && aggr=yes
	[[ $setup == transport ]] && mode=transport
	if [[ $role == i ]]; then # strongSwan is the gateway
		id=gw.natkeyd.test rid=%any addrs="local_addrs = $GW_IP"
		lts=$GW_NET rts=10.0.0.0/8,198.51.100.0/24,203.0.113.0/24,192.0.2.0/24
	else
		id=$h.natkeyd.test rid=gw.natkeyd.test addrs="remote_addrs = $GW_PUB"
		lts=dynamic rts=$GW_NET
	fi
	[[ $mode == transport ]] && lts=dynamic rts=dynamic
	if [[ $setup == rsa ]]; then
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
			    $addrs
			    proposals = $IX_IKE
			    rekey_time = ${o[rekey_time]}s
			    reauth_time = ${o[reauth_time]}s
			    ${o[life_time]:+over_time = ${o[life_time]}s}
			    dpd_delay = ${o[dpd_delay]}s
			    dpd_timeout = ${o[dpd_timeout]}s
			    local {
			      auth = $auth
			      id = $id
			      $certs
			    }
			    remote {
			      auth = $auth
			      id = $rid
			    }
			    children {
			      net {
			        local_ts = $lts
			        remote_ts = $rts
			        esp_proposals = $IX_ESP
			        mode = $mode
			        rekey_time = ${o[child_rekey]}s
			        ${o[child_life]:+life_time = ${o[child_life]}s}
			        dpd_action = restart
			      }
			    }
			  }
			}
		EOF
		if [[ $setup != rsa ]]; then
			cat <<-EOF
				secrets {
				  ike-1 {
				    id-local = $id
				    secret = "$E2E_PSK_DEFAULT"
				  }
				}
			EOF
		fi
	} >"$etc/swanctl/swanctl.conf"
}

# ix_libreswan_conf HOST ROLE SETUP [extra lines...]: ipsec.conf (+NSS db)
# for Libreswan as the gateway (natkeyd ROLE i, conn "c") or road warrior
# (ROLE r, conn "c").
ix_libreswan_conf() {
	local h=$1 role=$2 setup=$3 etc l
	shift 3
	etc=$(host_etc "$h")
	libreswan_setup "$h" "$E2E_PSK_DEFAULT"
	if [[ $setup == rsa ]]; then
		ix_keys "$h"
		certutil -A -d "sql:$etc/ipsec.d" -n natkeyd-test-ca -t 'CT,,' -a -i "$IX_TMP/keys/ca.pem" \
			>>"$E2E_OUT/logs/$h-certutil.log" 2>&1 || fail "certutil could not import the CA on $h"
		openssl pkcs12 -export -in "$IX_TMP/keys/$h.pem" -inkey "$IX_TMP/keys/$h.key" -name "$h" \
			-passout pass: -out "$IX_TMP/keys/$h.p12" 2>>"$E2E_OUT/logs/$h-certutil.log" ||
			fail "openssl pkcs12 failed for $h"
		pk12util -i "$IX_TMP/keys/$h.p12" -d "sql:$etc/ipsec.d" -W '' \
			>>"$E2E_OUT/logs/$h-certutil.log" 2>&1 || fail "pk12util could not import $h's key"
	fi
	{
		echo "conn c"
		echo "  ikev2=no"
		echo "  ike=aes128-sha2_256;modp2048"
		echo "  esp=aes128-sha1;modp2048"
		echo "  pfs=yes"
		echo "  encapsulation=auto"
		echo "  leftupdown=$LIBRESWAN_DIR/_updown"
		echo "  auto=add"
		if [[ $setup == rsa ]]; then
			echo "  authby=rsasig"
			echo "  leftcert=$h"
			echo "  leftsendcert=always"
		else
			echo "  authby=secret"
		fi
		[[ $setup == aggr ]] && echo "  aggressive=yes"
		[[ $setup == transport ]] && echo "  type=transport"
		if [[ $role == i ]]; then # Libreswan is the gateway
			echo "  left=$GW_IP"
			echo "  leftid=@gw.natkeyd.test"
			echo "  right=%any"
			if [[ $setup == transport ]]; then
				echo "  rightsubnet=vhost:%no,%priv"
			else
				echo "  leftsubnet=$GW_NET"
				echo "  rightsubnet=vhost:%no,%priv"
			fi
			# An Aggressive Mode responder matches the peer by its ID.
			if [[ $setup == aggr ]]; then
				echo "  rightid=@${RWS%% *}.natkeyd.test"
			elif [[ $setup == rsa ]]; then
				echo "  rightid=%fromcert"
			else
				echo "  rightid=%any"
			fi
			echo "  rekey=no"
		else
			echo "  left=%defaultroute"
			echo "  leftid=@$h.natkeyd.test"
			echo "  right=$GW_PUB"
			echo "  rightid=@gw.natkeyd.test"
			[[ $setup == transport ]] || echo "  rightsubnet=$GW_NET"
		fi
		for l in "$@"; do echo "  $l"; done
	} >>"$etc/ipsec.conf"
}

# ------------------------------------------------------------------ checks

# ix_tcp FROM DST_HOST DST_ADDR: a TCP transfer of $IX_TCP_MB MB each way
# between FROM (client) and DST_HOST (server, listening on DST_ADDR's
# host), both checksummed (sha256).
ix_tcp() {
	local c=$1 s=$2 dst=$3 sum port=$((5000 + ix_seq * 2))
	rm -f "$IX_TMP/up.$s" "$IX_TMP/down.$c"
	# upload: C -> S
	daemon_start "$s" "tcpup" socat -u "TCP-LISTEN:$port,reuseaddr" "CREATE:$IX_TMP/up.$s"
	wait_until 10 eval "ip netns exec $s ss -Hltn 'sport = :$port' | grep -q LISTEN" ||
		fail "socat on $s did not listen on TCP $port"
	if ! on "$c" timeout 90 socat -u "OPEN:$IX_TMP/payload" "TCP:$dst:$port,connect-timeout=15" \
		>>"$E2E_OUT/logs/tcp-$c.txt" 2>&1; then
		daemon_stop "$s" tcpup KILL
		fail "TCP upload $c -> $dst:$port failed (logs/tcp-$c.txt)"
	fi
	wait_until 20 eval "! daemon_running $s tcpup"
	daemon_stop "$s" tcpup KILL
	read -r sum _ < <(sha256sum "$IX_TMP/up.$s" 2>/dev/null)
	[[ $sum == "$ix_sum" ]] || fail "TCP upload $c -> $dst: $IX_TCP_MB MB arrived with sha256 ${sum:-none}, sent $ix_sum"
	e2e_pass "TCP upload of $IX_TCP_MB MB $c -> $dst through the SA, sha256 matches" "$sum"
	# download: S -> C
	port=$((port + 1))
	daemon_start "$s" "tcpdown" socat -u "OPEN:$IX_TMP/payload" "TCP-LISTEN:$port,reuseaddr"
	wait_until 10 eval "ip netns exec $s ss -Hltn 'sport = :$port' | grep -q LISTEN" ||
		fail "socat on $s did not listen on TCP $port"
	if ! on "$c" timeout 90 socat -u "TCP:$dst:$port,connect-timeout=15" "CREATE:$IX_TMP/down.$c" \
		>>"$E2E_OUT/logs/tcp-$c.txt" 2>&1; then
		daemon_stop "$s" tcpdown KILL
		fail "TCP download $dst:$port -> $c failed (logs/tcp-$c.txt)"
	fi
	daemon_stop "$s" tcpdown KILL
	read -r sum _ < <(sha256sum "$IX_TMP/down.$c" 2>/dev/null)
	[[ $sum == "$ix_sum" ]] || fail "TCP download $dst -> $c: $IX_TCP_MB MB arrived with sha256 ${sum:-none}, sent $ix_sum"
	e2e_pass "TCP download of $IX_TCP_MB MB $dst -> $c through the SA, sha256 matches" "$sum"
	rm -f "$IX_TMP/up.$s" "$IX_TMP/down.$c"
}

# ix_kernel_sas HOST NAT(yes|no) MODE: HOST's kernel holds the SAs the
# setup needs: ESP-in-UDP behind a NAT, plain ESP without, in MODE.
ix_kernel_sas() {
	local h=$1 nat=$2 mode=$3
	if [[ $nat == yes ]]; then
		assert_natt_kernel "$h" 2
	else
		assert_no_natt_kernel "$h"
	fi
	assert_xfrm_state "$h" "proto esp spi 0x[0-9a-f]+ reqid [0-9]+ mode $mode" "$h's ESP SAs are in $mode mode"
}

# ix_count FILE REGEX: number of lines of logs/FILE matching REGEX, in $ix_n.
ix_count() { ix_n=$(grep -Ec -- "$2" "$E2E_OUT/logs/$1" 2>/dev/null); ix_n=${ix_n:-0}; }

# ix_esp_count HOST: number of ESP SAs in HOST's kernel, in $ix_n.
ix_esp_count() {
	e2e_xfrm_out "$1"
	ix_n=$(grep -c '^src .* proto esp' <<<"$e2e_xfrm")
}

# ------------------------------------------------------------------ one combination

# ix_start_peer PEER HOST: start the reference peer's daemon.
ix_start_peer() {
	if [[ $1 == strongswan ]]; then strongswan_start "$2"; else libreswan_start "$2"; fi
}

ix_stop_peer() {
	if [[ $1 == strongswan ]]; then daemon_stop "$2" charon "${3:-TERM}"; else daemon_stop "$2" pluto "${3:-TERM}"; fi
}

# ix_peer_initiate PEER HOST: the peer road warrior initiates (conn c).
ix_peer_initiate() {
	if [[ $1 == strongswan ]]; then
		strongswan_initiate "$2" net 60
	else
		libreswan_initiate "$2" c
	fi
}

# ix_establish PEER ROLE SETUP RW: configure both ends, start them, bring the
# SA up; sets ix_secs (seconds to establish) and ix_nk (natkeyd's host),
# ix_pe (the peer's host), ix_conn (natkeyd's conn name). Extra natkeyd and
# peer settings come from the arrays ix_nk_extra and ix_pe_extra.
ix_establish() {
	local peer=$1 role=$2 setup=$3 rw=$4 t0
	if [[ $role == i ]]; then ix_nk=$rw ix_pe=$GW ix_conn=gw; else ix_nk=$GW ix_pe=$rw ix_conn=rw; fi
	ix_natkeyd_conf "$ix_nk" "$role" "$setup" "${ix_nk_extra[@]}"
	cp "$(host_etc "$ix_nk")/ipsec.conf" "$E2E_OUT/logs/$ix_nk-natkeyd-ipsec.conf"
	if [[ $peer == strongswan ]]; then
		ix_strongswan_conf "$ix_pe" "$role" "$setup" "${ix_pe_extra[@]}"
		cp "$(host_etc "$ix_pe")/swanctl/swanctl.conf" "$E2E_OUT/logs/$ix_pe-swanctl.conf"
	else
		ix_libreswan_conf "$ix_pe" "$role" "$setup" "${ix_pe_extra[@]}"
		cp "$(host_etc "$ix_pe")/ipsec.conf" "$E2E_OUT/logs/$ix_pe-libreswan-ipsec.conf"
	fi
	if [[ $role == i ]]; then
		ix_start_peer "$peer" "$ix_pe"
		natkeyd_start "$ix_nk"
		assert_output "$ix_nk" "^gw: down" "natkeyd loaded conn gw" "$NATKEYCTL" status
		t0=${EPOCHREALTIME/./}
		assert_output "$ix_nk" 'initiating gw' "natkeyctl up gw" "$NATKEYCTL" up gw
		nk_wait_up "$ix_nk" gw 40
	else
		natkeyd_start "$ix_nk"
		assert_output "$ix_nk" "^rw: down" "natkeyd loaded conn rw" "$NATKEYCTL" status
		ix_start_peer "$peer" "$ix_pe"
		t0=${EPOCHREALTIME/./}
		ix_peer_initiate "$peer" "$ix_pe"
		nk_wait_up "$ix_nk" rw 20
	fi
	ix_secs=$(((${EPOCHREALTIME/./} - t0) / 1000))
	ix_secs=$((ix_secs / 1000)).$((ix_secs % 1000 / 100))
	echo "$ix_secs" >"$IX_OUT/secs"
	log "interop: established in $ix_secs s"
}

# ix_matrix_body PEER ROLE SETUP: the checks of one matrix combination.
ix_matrix_body() {
	local peer=$1 role=$2 setup=$3 rw=${RWS%% *} nat=no mode=tunnel xmode=main cap dst srvh
	[[ $BEHIND_NAT != none ]] && nat=yes
	[[ $setup == transport ]] && mode=transport
	[[ $setup == aggr ]] && xmode=aggressive
	ix_establish "$peer" "$role" "$setup" "$rw"

	ix_kernel_sas "$rw" "$nat" "$mode"
	ix_kernel_sas "$GW" "$nat" "$mode"
	if [[ $mode == tunnel ]]; then dst=$SRV_IP srvh=$SRV; else dst=$GW_PUB srvh=$GW; fi
	assert_ping_tunnel "$rw" "$dst" 3 "ping $rw -> $dst through the SA"
	[[ $mode == tunnel ]] && assert_ping "$SRV" "$IP_rw" 3 "ping $SRV -> $IP_rw (the other way) through the tunnel"
	ix_tcp "$rw" "$srvh" "$dst"
	if [[ $peer == strongswan ]]; then
		assert_log "$ix_pe-charon.log" 'CHILD_SA net\{[0-9]+\} established' "strongSwan established the CHILD_SA"
	else
		assert_log "$ix_pe-pluto.log" 'IPsec SA established '"$mode"' mode' "Libreswan established the IPsec SA in $mode mode"
	fi
	on "$ix_nk" "$NATKEYCTL" status >"$E2E_OUT/logs/$ix_nk-status.txt" 2>&1

	cap="$ix_id.${CAP_PUB%%:*}:${CAP_PUB#*:}"
	assert_natt_phase1 "$cap" "$GW_PUB" "$xmode"
	if [[ $nat == yes ]]; then
		assert_natt_float "$cap" "$GW_PUB" "$xmode" 3
		assert_natt_initiator_ports "$ix_id.${CAP_RW%%:*}:${CAP_RW#*:}" "$xmode"
	else
		assert_no_natt_float "$cap" "$GW_PUB" 3
	fi
	[[ $mode == tunnel ]] &&
		assert_capture_none "$cap" "icmp.type==8 && ip.dst==$SRV_IP" "no cleartext ping on the public link"
	assert_capture_none "$cap" "tcp" "no cleartext TCP on the public link"
	return 0
}

# ix_reset: stop every daemon, empty both IKE hosts' kernels and configs and
# the NATs' mapping tables.
ix_reset() {
	local h f
	daemon_stop_all
	for h in $RWS $GW; do
		ip -n "$h" xfrm state flush
		ip -n "$h" xfrm policy flush
		ix_etc_reset "$h"
	done
	for h in $(ix_var NAT_rw) $(ix_var NAT_rw2) $(ix_var NAT_gw); do
		[[ -e /run/netns/$h ]] && ip netns exec "$h" conntrack -F >/dev/null 2>&1
	done
	for f in "$E2E_RUN"/nat/*.drop; do
		[[ -s $f ]] || continue
		h=${f##*/}
		: >"$f"
		nat_reload "${h%.drop}"
	done
	:
}

# ix_run ID-PEER ROLE SETUP BODY...: run one combination in a subshell,
# with its own captures; record the outcome.
ix_run() {
	local peer=$1 role=$2 setup=$3 rc secs reason nfail0 nfail1 h d
	shift 3
	ix_seq=$((ix_seq + 1))
	ix_id=$(ix_id "$peer" "$role" "$setup")
	log "interop: $ix_id starts ($peer, natkeyd role $role, $setup, $E2E_TOPOLOGY)"
	echo "== $ix_id" >>"$E2E_OUT/assertions.txt"
	nfail0=$(grep -c . "$E2E_OUT/failures.txt" 2>/dev/null)
	rm -f "$IX_OUT/secs"
	ix_cap_begin "$ix_id" "${CAP_PUB%%:*}" "${CAP_PUB#*:}"
	[[ $CAP_RW == "$CAP_PUB" ]] || ix_cap_begin "$ix_id" "${CAP_RW%%:*}" "${CAP_RW#*:}"
	ix_cap_wait "$ix_id" "${CAP_PUB%%:*}" "${CAP_PUB#*:}"
	[[ $CAP_RW == "$CAP_PUB" ]] || ix_cap_wait "$ix_id" "${CAP_RW%%:*}" "${CAP_RW#*:}"
	("$@")
	rc=$?
	# The state before the daemons stop, then everything reset.
	d=$IX_OUT/$ix_id
	mkdir -p "$d"
	for h in $RWS $GW; do
		{
			ip -n "$h" -s xfrm state
			ip -n "$h" xfrm policy
		} >"$d/state-$h.txt" 2>&1
	done
	ix_reset
	ix_cap_end "$ix_id" "${CAP_PUB%%:*}" "${CAP_PUB#*:}"
	[[ $CAP_RW == "$CAP_PUB" ]] || ix_cap_end "$ix_id" "${CAP_RW%%:*}" "${CAP_RW#*:}"
	for f in "$E2E_OUT"/logs/*; do
		[[ ${f##*/} == tcpdump-* || ${f##*/} == dmesg* ]] && continue
		mv "$f" "$d/"
	done
	secs=-
	[[ -s $IX_OUT/secs ]] && read -r secs <"$IX_OUT/secs"
	nfail1=$(grep -c . "$E2E_OUT/failures.txt" 2>/dev/null)
	if ((rc == 0 && ${nfail1:-0} == ${nfail0:-0})); then
		ix_record "$ix_id" "$peer" "$role" "$setup" pass "$secs" ""
	else
		reason=$(tail -n1 "$E2E_OUT/failures.txt" 2>/dev/null)
		[[ -n $reason ]] || reason="ended with status $rc"
		# The natkeyd log line that explains it, if any.
		h=$(grep -hE ' (error|warning|ERROR|WARN)[: ]|conn [a-z]+: ' "$d"/*-natkeyd.out 2>/dev/null | head -n1)
		ix_record "$ix_id" "$peer" "$role" "$setup" fail "$secs" "${reason#FAIL }${h:+ | natkeyd: $h}"
	fi
	log "interop: $ix_id done (status $rc)"
	return 0
}

# ix_matrix PEER ROLE: every setup for one peer and natkeyd role on this
# guest's topology.
ix_matrix() {
	local peer=$1 role=$2 s
	ix_init
	for s in psk rsa aggr transport; do
		if reason=$(ix_not_applicable "$peer" "$role" "$s"); then
			ix_na "$peer" "$role" "$s" "$reason"
			continue
		fi
		ix_nk_extra=() ix_pe_extra=()
		ix_run "$peer" "$role" "$s" ix_matrix_body "$peer" "$role" "$s"
	done
	return 0
}

# ix_not_applicable PEER ROLE SETUP: prints the reason and returns 0 when the
# peer cannot do this combination (see docs/interop.md).
ix_not_applicable() {
	local peer=$1 role=$2 setup=$3
	[[ -n ${IX_NA_TABLE:-} ]] || return 1
	local line
	while IFS='|' read -r p r s topo why; do
		[[ $p == "$peer" && ($r == "$role" || $r == '*') && $s == "$setup" &&
			($topo == '*' || $topo == "$E2E_TOPOLOGY") ]] || continue
		printf '%s' "$why"
		return 0
	done <<<"$IX_NA_TABLE"
	: "$line"
	return 1
}

# Combinations the peers cannot do: PEER|ROLE|SETUP|TOPOLOGY|reason.
IX_NA_TABLE=""
