# shellcheck shell=bash
# tests/e2e/interop-lib.sh: the interoperability matrix (issue 8), natkeyd
# against strongSwan (charon) and Libreswan (pluto), IKEv1. Sourced by the
# tests/e2e/scenarios/interop/interop-*.sh scenarios; extends
# natkeyd-lib.sh (natkeyd_start, nk_wait_up, nkctl).
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

# shellcheck source=natkeyd-lib.sh
source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"
# shellcheck source=interop-wire.sh
source "$E2E_SRC/tests/e2e/interop-wire.sh"

IX_DATA=$E2E_SRC/tests/data/interop
IX_TMP=/tmp/interop # shared by every namespace (/run is per host)
IX_OUT=$E2E_OUT/interop
IX_IKE=aes128-sha256-modp2048
IX_ESP=aes128-sha1-modp2048
IX_TCP_MB=${IX_TCP_MB:-2}
ix_seq=0

# ------------------------------------------------------------------ setup

ix_peer_version() {
	case $1 in
	strongswan) dpkg-query -W -f '${Version}' charon-systemd 2>/dev/null ||
		dpkg-query -W -f '${Version}' strongswan-charon 2>/dev/null || echo '?' ;;
	libreswan) cat "${E2E_PEERS:-/nonexistent}/libreswan/VERSION" 2>/dev/null || echo '?' ;;
	natkeyd) "$NATKEYD" --version 2>/dev/null | head -n1 || echo '?' ;;
	*) echo "$(ix_peer_version strongswan) / $(ix_peer_version libreswan)" ;;
	esac
}

ix_init() {
	mkdir -p "$IX_OUT" "$IX_TMP"
	[[ -f $IX_OUT/results.tsv ]] || : >"$IX_OUT/results.tsv"
	# The payload of the TCP transfers, once per guest.
	[[ -s $IX_TMP/payload ]] || head -c $((IX_TCP_MB * 1048576)) /dev/urandom >"$IX_TMP/payload"
	ix_sum=$(sha256sum "$IX_TMP/payload")
	ix_sum=${ix_sum%% *}
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
	local etc r
	etc=$(host_etc "$1") r=$(host_run "$1")
	rm -rf "$etc/ipsec.conf" "$etc/ipsec.secrets" "$etc/ipsec.d" "$etc/swanctl" "$etc/strongswan.conf" \
		"$r"/pluto "$r"/charon.* "$r"/natkeyd.*
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
		# As a gateway, DH and signatures on one worker thread: the
		# threaded path every row proved before natkeyd's default on one
		# CPU (the guest's) became none.
		[[ $role == r ]] && NK_CRYPTO_WORKERS=${NK_CRYPTO_WORKERS:-1} nk_gw_setup
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
			echo "$NK_GW_CLIENTS"
			# Aggressive Mode PSK as responder is an explicit opt-in.
			[[ $setup == aggr ]] && echo "  aggressive_psk_responder=yes"
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
		# natkeyd verifies the peer's certificate against the CAs in its
		# default CA folder (natkeyd.8 --cacerts), as an admin would set up.
		mkdir -p "$etc/ipsec.d/cacerts"
		cp "$IX_TMP/keys/ca.pem" "$etc/ipsec.d/cacerts/"
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
	local h=$1 role=$2 setup=$3 etc auth=psk mode=tunnel aggr=no lts rts id rid addrs certs='' sendcert=''
	shift 3
	local -A o=([rekey_time]='' [reauth_time]='' [life_time]='' [child_rekey]=3600 [child_life]='' [dpd_delay]=0 [dpd_timeout]=0)
	peers_opts -- "$@"
	etc=$(host_etc "$h")
	strongswan_conf "$h"
	mkdir -p "$etc/swanctl/x509" "$etc/swanctl/x509ca" "$etc/swanctl/rsa"
	# A Libreswan responder sends no CERTREQ: strongSwan must send its
	# certificate unasked.
	[[ $setup == rsa ]] && auth=pubkey certs="certs = $h.pem" sendcert="send_cert = always"
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
			    $sendcert
			    ${o[rekey_time]:+rekey_time = ${o[rekey_time]}s}
			    ${o[reauth_time]:+reauth_time = ${o[reauth_time]}s}
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
		# Libreswan 4.10's IKEv1 code sends INITIAL-CONTACT only when the
		# conn says so (its man page calls yes the default; the first
		# matrix run saw none in Main Mode 5 after a restart).
		echo "  initial-contact=yes"
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
	sum=$(sha256sum "$IX_TMP/up.$s" 2>/dev/null)
	sum=${sum%% *}
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
	sum=$(sha256sum "$IX_TMP/down.$c" 2>/dev/null)
	sum=${sum%% *}
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
	assert_xfrm_state "$h" "proto esp spi 0x[0-9a-f]+[^ ]* reqid [^ ]+ mode $mode" "$h's ESP SAs are in $mode mode"
}

# ix_count FILE REGEX: number of lines of logs/FILE matching REGEX, in $ix_n.
ix_count() {
	ix_n=$(grep -Ec -- "$2" "$E2E_OUT/logs/$1" 2>/dev/null)
	ix_n=${ix_n:-0}
	return 0
}

# ix_esp_count HOST: number of ESP SAs in HOST's kernel, in $ix_n.
ix_esp_count() {
	e2e_xfrm_out "$1"
	ix_n=$(grep -c '^[[:space:]]*proto esp ' <<<"$e2e_xfrm")
	return 0
}

# ------------------------------------------------------------------ one combination

# ix_natkeyd_start HOST: natkeyd_start, but a daemon that exits at once (a
# refused configuration) fails at once with its own message.
ix_natkeyd_start() {
	local h=$1 sock
	natkeyd_require
	sock=$(host_run "$h")/natkeyd.ctl
	daemon_start "$h" natkeyd "$NATKEYD" -F -d
	ix_ctl_up() { test -S "$sock" || ! daemon_running "$h" natkeyd; }
	wait_until 20 ix_ctl_up
	if ! test -S "$sock"; then
		fail "natkeyd on $h did not start: $(tail -n1 "$E2E_OUT/logs/$h-natkeyd.out" 2>/dev/null)"
	fi
	log "natkeyd up on $h"
}

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
		ix_natkeyd_start "$ix_nk"
		assert_output "$ix_nk" "^gw: down" "natkeyd loaded conn gw" "$NATKEYCTL" status
		t0=${EPOCHREALTIME/./}
		assert_output "$ix_nk" 'initiating gw' "natkeyctl up gw" "$NATKEYCTL" up gw
		nk_wait_up "$ix_nk" gw 40
	else
		ix_natkeyd_start "$ix_nk"
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

# ix_nat_sides: $ix_rwnat and $ix_gwnat (yes|no): is the road warrior, the
# gateway behind a NAT on this topology.
ix_nat_sides() {
	ix_rwnat=no ix_gwnat=no
	[[ " $BEHIND_NAT " == *" rw "* ]] && ix_rwnat=yes
	[[ " $BEHIND_NAT " == *" gw "* ]] && ix_gwnat=yes
	return 0
}

# ix_ping_via PINGER DST SAHOST MSG: 3 pings from PINGER (which holds no SA)
# to DST all come back, and SAHOST's ESP SA packet counters rose by at
# least 3 each way: the requests and replies went through SAHOST's SAs.
ix_ping_via() {
	local from=$1 dst=$2 sah=$3 msg=$4 o0 i0 n=3
	xfrm_packets "$sah"
	o0=$xfrm_out i0=$xfrm_in
	assert_ping "$from" "$dst" "$n" "$msg"
	xfrm_packets "$sah"
	((xfrm_out - o0 >= n && xfrm_in - i0 >= n)) ||
		fail "$msg: $sah's SA packet counters moved out +$((xfrm_out - o0)) in +$((xfrm_in - i0)), want >= $n each"
	e2e_pass "$msg: SA counters" "$sah ESP SAs out +$((xfrm_out - o0)) in +$((xfrm_in - i0)) packets"
}

# ix_gw_peer: the road warrior's address as the gateway's kernel SAs name
# it (its NAT's public address behind a NAT), in $ix_back.
ix_gw_peer() {
	local line
	ix_back=
	e2e_xfrm_out "$GW"
	while read -r line; do
		[[ $line =~ ^src\ $GW_IP\ dst\ ([0-9.]+) ]] || continue
		ix_back=${BASH_REMATCH[1]}
		return 0
	done <<<"$e2e_xfrm"
	fail "no SA of $GW from $GW_IP in its kernel"
}

# ix_initial_contact PEER HOST: the peer on HOST parsed natkeyd's
# INITIAL-CONTACT (RFC 2407 4.6.3.3; natkeyd sends it in Main Mode 5, or in
# an Informational after Aggressive Mode 3, on a first contact).
ix_initial_contact() {
	if [[ $1 == strongswan ]]; then
		ix_log_after "$2-charon.log" 0 'parsed (ID_PROT|AGGRESSIVE|INFORMATIONAL_V1) request [0-9]+ \[.*N\(INITIAL_CONTACT\)' \
			"strongSwan received natkeyd's INITIAL-CONTACT" 5
	else
		ix_log_after "$2-pluto.log" 0 '#[0-9]+: .*informational payload IPSEC_INITIAL_CONTACT' \
			"Libreswan received natkeyd's INITIAL-CONTACT" 5
	fi
}

# ix_matrix_body PEER ROLE SETUP: the checks of one matrix combination; its
# wire checks are tests/e2e/interop-wire.sh ix_wire_row (judged on the host).
ix_matrix_body() {
	local peer=$1 role=$2 setup=$3 rw=${RWS%% *} mode=tunnel nat dst srvh ipvar
	ix_nat_sides
	[[ $setup == transport ]] && mode=transport
	ix_establish "$peer" "$role" "$setup" "$rw"

	nat=yes
	[[ $ix_rwnat$ix_gwnat == nono ]] && nat=no
	ix_kernel_sas "$rw" "$nat" "$mode"
	ix_kernel_sas "$GW" "$nat" "$mode"
	if [[ $mode == tunnel ]]; then dst=$SRV_IP srvh=$SRV; else dst=$GW_PUB srvh=$GW; fi
	assert_ping_tunnel "$rw" "$dst" 3 "ping $rw -> $dst through the SA"
	# The other way, started on the far side, through the same SAs.
	if [[ $mode == tunnel ]]; then
		ipvar=IP_$rw
		ix_ping_via "$SRV" "${!ipvar}" "$rw" "ping $SRV -> ${!ipvar} (the other way) through the tunnel"
	else
		ix_gw_peer
		assert_ping_tunnel "$GW" "$ix_back" 3 "ping $GW -> $ix_back (the other way) through the transport SA"
	fi
	ix_tcp "$rw" "$srvh" "$dst"
	if [[ $peer == strongswan ]]; then
		assert_log "$ix_pe-charon.log" 'CHILD_SA net\{[0-9]+\} established' "strongSwan established the CHILD_SA"
	else
		assert_log "$ix_pe-pluto.log" 'IPsec SA established '"$mode"' mode' "Libreswan established the IPsec SA in $mode mode"
	fi
	[[ $role == i ]] && ix_initial_contact "$peer" "$ix_pe"
	on "$ix_nk" "$NATKEYCTL" status >"$E2E_OUT/logs/$ix_nk-status.txt" 2>&1

	ix_wire_row "$ix_id.${CAP_PUB%%:*}:${CAP_PUB#*:}" "$ix_id.${CAP_RW%%:*}:${CAP_RW#*:}" "$GW_PUB" \
		"$role" "$setup" "$ix_rwnat" "$ix_gwnat" 3
	return 0
}

# ix_reset_ike: stop every daemon, empty both IKE hosts' kernels and configs
# and the NATs' mapping tables; the path's loss rules stay.
ix_reset_ike() {
	local h
	daemon_stop_all
	for h in $RWS $GW; do
		printf 'xfrm state flush\nxfrm policy flush\n' | ip -n "$h" -batch -
		ix_etc_reset "$h"
	done
	for h in $(ix_var NAT_rw) $(ix_var NAT_rw2) $(ix_var NAT_gw); do
		[[ -e /run/netns/$h ]] && ip netns exec "$h" conntrack -F >/dev/null 2>&1
	done
	return 0
}

# ix_reset: stop every daemon, empty both IKE hosts' kernels and configs and
# the NATs' mapping tables.
ix_reset() {
	local h f
	ix_reset_ike
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
			ip netns exec "$h" grep -v " 0$" /proc/net/xfrm_stat
		} >"$d/state-$h.txt" 2>&1
	done
	ix_reset
	ix_cap_end "$ix_id" "${CAP_PUB%%:*}" "${CAP_PUB#*:}"
	[[ $CAP_RW == "$CAP_PUB" ]] || ix_cap_end "$ix_id" "${CAP_RW%%:*}" "${CAP_RW#*:}"
	local -a mine=()
	for f in "$E2E_OUT"/logs/*; do
		[[ -e $f && ${f##*/} != tcpdump-* && ${f##*/} != dmesg* ]] && mine+=("$f")
	done
	((${#mine[@]})) && mv "${mine[@]}" "$d/"
	secs=-
	[[ -s $IX_OUT/secs ]] && read -r secs <"$IX_OUT/secs"
	ix_nk_secs "$d"
	[[ -n $ix_s ]] && secs=$ix_s
	nfail1=$(grep -c . "$E2E_OUT/failures.txt" 2>/dev/null)
	if ((rc == 0 && ${nfail1:-0} == ${nfail0:-0})); then
		ix_record "$ix_id" "$peer" "$role" "$setup" pass "$secs" ""
	else
		# Its own failure, not an earlier row's.
		reason=
		((${nfail1:-0} > ${nfail0:-0})) && reason=$(tail -n1 "$E2E_OUT/failures.txt" 2>/dev/null)
		[[ -n $reason ]] || reason="ended with status $rc without a failed assertion (guest.log)"
		# The natkeyd log line that explains it, if any.
		h=$(grep -hm1 -E '^[0-9:.]+ (warn|error) ' "$d"/*-natkeyd.out 2>/dev/null | head -n1)
		[[ -n $h ]] || h=$(grep -hm1 -E 'MALFORMED|NO_PROPOSAL|AUTH_FAILED|ID_MISMATCH|NO_CONN|TS_MISMATCH|BAD_HASH|DECRYPT|REJECTED|TIMEOUT|DPD_DEAD' \
			"$d"/*-natkeyd.out 2>/dev/null | head -n1)
		[[ -n $h ]] || h=$(grep -hm1 -vE '^[0-9]{2}:[0-9]{2}:' "$d"/*-natkeyd.out 2>/dev/null | head -n1)
		ix_record "$ix_id" "$peer" "$role" "$setup" fail "$secs" "${reason#FAIL }${h:+ | natkeyd: $h}"
	fi
	log "interop: $ix_id done (status $rc)"
	return 0
}

# ix_nk_secs DIR: seconds from the start of natkeyd's first negotiation
# (`up` requested, or the first message it received as responder) to its
# first IPSEC_ESTABLISHED, from the time stamps of natkeyd's log (the
# protocol's time, without the guest's slow process starts); empty if not
# found.
ix_nk_secs() {
	local f a b
	ix_s=
	f=$(ls "$1"/*-natkeyd.out 2>/dev/null | head -n1)
	[[ -n $f ]] || return 0
	a=$(grep -m1 -E 'ctl: up .* requested|-> (MAIN|AGGR)_R|ike: \[[^]]*\] sent ' "$f" | cut -d' ' -f1)
	b=$(grep -m1 'IPSEC_ESTABLISHED' "$f" | cut -d' ' -f1)
	[[ -n $a && -n $b ]] || return 0
	ix_s=$(awk -v a="$a" -v b="$b" 'function t(x, p) { split(x, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
		BEGIN { d = t(b) - t(a); if (d < 0) d += 86400; printf "%.1f", d }')
}

# ix_plan PEER ROLE ITEM...: list the combinations this guest will run
# (interop/plan.tsv), so that the report shows those a timeout cut off.
ix_plan() {
	local peer=$1 role=$2 k=0 s
	shift 2
	for s in "$@"; do
		k=$((k + 1))
		printf '%s\t%s\t%s\t%s\t%s\n' "$(ix_seq=$((ix_seq + k)) && ix_id "$peer" "$role" "$s")" \
			"$peer" "$role" "$E2E_TOPOLOGY" "$s" >>"$IX_OUT/plan.tsv"
	done
}

# ix_matrix PEER ROLE: every setup for one peer and natkeyd role on this
# guest's topology.
ix_matrix() {
	local peer=$1 role=$2 s
	ix_init
	ix_plan "$peer" "$role" psk rsa aggr transport
	for s in psk rsa aggr transport; do
		if reason=$(ix_not_applicable "$peer" "$role" "$s"); then
			ix_na "$peer" "$role" "$s" "$reason"
			continue
		fi
		ix_nk_extra=() ix_pe_extra=()
		ix_run "$peer" "$role" "$s" ix_matrix_body "$peer" "$role" "$s"
	done
	ix_verdict
}

# ix_verdict: fail the scenario (once, naming them) if any combination of
# this guest failed; each failure is already in failures.txt.
ix_verdict() {
	local id _p _v _r _t _s res _x _y bad=""
	while IFS=$'\t' read -r id _p _v _r _t _s res _x _y; do
		[[ $res == fail ]] && bad+=" $id"
	done <"$IX_OUT/results.tsv"
	[[ -z $bad ]] || fail "interop: combinations failed:$bad (interop/results.tsv)"
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

# ------------------------------------------------------------------ operations (rw-nat)

# ix_ping_bg HOST DST SECONDS INTERVAL: a ping running in the background
# (logs/ping-bg-HOST.txt); ix_ping_bg_wait reads its outcome into
# $ix_sent/$ix_recv.
ix_ping_bg() {
	local n
	n=$(awk "BEGIN{print int($3/$4)}")
	(exec ip netns exec "$1" ping -n -i "$4" -c "$n" -W 2 "$2") >"$E2E_OUT/logs/ping-bg-$1.txt" 2>&1 &
	ix_ping_pid=$!
}

ix_ping_bg_wait() {
	local o
	wait "$ix_ping_pid"
	o=$(<"$E2E_OUT/logs/ping-bg-$1.txt")
	ix_sent=0 ix_recv=0
	[[ $o =~ ([0-9]+)\ packets\ transmitted,\ ([0-9]+)\ received ]] &&
		ix_sent=${BASH_REMATCH[1]} ix_recv=${BASH_REMATCH[2]}
}

# ix_wait_count FILE REGEX MIN SECONDS MSG: logs/FILE gets MIN matching lines.
ix_wait_count() {
	local f=$1 re=$2 min=$3 t=$4 msg=$5
	ix_ge() { ix_count "$f" "$re" && ((ix_n >= min)); }
	wait_until "$t" ix_ge || fail "$msg: logs/$f has $ix_n lines matching /$re/ after $t s, want >= $min"
	e2e_pass "$msg" "$ix_n lines match /$re/"
}

# ix_spis HOST: the sorted SPIs of HOST's ESP SAs, space-separated (each
# followed by a space), into $ix_spi_list. ix_spis_last: the same from the
# last read of a host's SAs ($e2e_xfrm, e.g. by xfrm_packets).
ix_spis() {
	e2e_xfrm_out "$1"
	ix_spis_last
}

ix_spis_last() {
	local line
	local -a s=()
	while read -r line; do
		[[ $line =~ ^proto\ esp\ spi\ (0x[0-9a-f]+) ]] && s+=("${BASH_REMATCH[1]}")
	done <<<"$e2e_xfrm"
	ix_spi_list=$(printf '%s\n' "${s[@]}" | sort | tr '\n' ' ')
}

# ix_wait_esp HOST N SECONDS MSG: HOST's kernel holds exactly N ESP SAs.
ix_wait_esp() {
	local h=$1 want=$2 t=$3 msg=$4
	ix_eq() { ix_esp_count "$h" && ((ix_n == want)); }
	if ! wait_until "$t" ix_eq; then
		printf '%s\n' "$e2e_xfrm" >"$E2E_OUT/logs/failed-xfrm-$h.txt"
		fail "$msg: $h holds $ix_n ESP SAs after $t s, want $want (logs/failed-xfrm-$h.txt)"
	fi
	e2e_pass "$msg" "$h holds $ix_n ESP SAs"
}

# ix_ping_stable HOST DST N MSG: assert_ping_tunnel for SAs that a rekey
# may replace at any moment: the counters count only when the same SAs
# (SPIs, read with them) held before and after the ping; otherwise the
# measurement is repeated, at most 3 times.
ix_ping_stable() {
	local h=$1 dst=$2 n=$3 msg=$4 try o0 i0 s0
	for try in 1 2 3; do
		xfrm_packets "$h"
		o0=$xfrm_out i0=$xfrm_in
		ix_spis_last
		s0=$ix_spi_list
		assert_ping "$h" "$dst" "$n" "$msg"
		xfrm_packets "$h"
		ix_spis_last
		if [[ $ix_spi_list != "$s0" ]]; then
			log "interop: $h's SAs changed during the ping ($s0-> $ix_spi_list), measuring again"
			continue
		fi
		((xfrm_out - o0 >= n && xfrm_in - i0 >= n)) ||
			fail "$msg: $h's SA packet counters moved out +$((xfrm_out - o0)) in +$((xfrm_in - i0)), want >= $n each"
		e2e_pass "$msg: SA counters" "$h ESP SAs ${s0% } out +$((xfrm_out - o0)) in +$((xfrm_in - i0)) packets"
		return 0
	done
	fail "$msg: $h's SAs were replaced during each of 3 pings (rekeys every few seconds?)"
}

# Phase 2 and Phase 1 rekey with short lifetimes on natkeyd's side while a
# ping runs: at most one ping lost, old SAs gone afterwards.
ix_ops_rekey() {
	local peer=$1 role=$2 rw=${RWS%% *}
	ix_nk_extra=(ikelifetime=60s lifetime=30s rekeymargin=10s rekeyfuzz=0%)
	ix_establish "$peer" "$role" psk "$rw"
	ix_ping_bg "$rw" "$SRV_IP" 62 0.5
	ix_wait_count "$ix_nk-natkeyd.out" 'IPSEC_ESTABLISHED' 2 45 "Phase 2 rekeyed (second IPsec SA established)"
	ix_wait_count "$ix_nk-natkeyd.out" 'IKE_ESTABLISHED' 2 60 "Phase 1 rekeyed (second IKE SA established)"
	ix_ping_bg_wait "$rw"
	((ix_sent > 0 && ix_sent - ix_recv <= 1)) ||
		fail "ping through the rekeys lost $((ix_sent - ix_recv)) of $ix_sent (logs/ping-bg-$rw.txt), want <= 1"
	e2e_pass "ping through the Phase 1 and Phase 2 rekeys lost at most one" "$ix_recv/$ix_sent replies"
	ix_wait_esp "$ix_nk" 2 25 "no stale SAs on natkeyd's side after the rekeys"
	ix_wait_esp "$ix_pe" 2 25 "no stale SAs on the peer's side after the rekeys"
	# The SAs keep rekeying (every ~20 s): counters only over stable SAs.
	ix_ping_stable "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the rekeyed SA"
}

# The peer restarts without saying goodbye (SIGKILL, kernel state flushed as
# after a reboot): the new IKE SA replaces the old one (INITIAL-CONTACT when
# the peer initiates; DPD when natkeyd does), no stale SAs remain.
ix_ops_restart() {
	local peer=$1 role=$2 rw=${RWS%% *} f
	[[ $role == i ]] && ix_nk_extra=(dpddelay=5s dpdtimeout=15s dpdaction=restart)
	ix_establish "$peer" "$role" psk "$rw"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping through the first SA"
	ix_stop_peer "$peer" "$ix_pe" KILL
	ip -n "$ix_pe" xfrm state flush
	ip -n "$ix_pe" xfrm policy flush
	rm -rf "$(host_run "$ix_pe")"/pluto "$(host_run "$ix_pe")"/charon.*
	# The restarted peer's log starts empty: what it receives after the
	# restart is told apart from the first SA's messages.
	for f in "$E2E_OUT/logs/$ix_pe-charon.log" "$E2E_OUT/logs/$ix_pe-pluto.log"; do
		[[ -e $f ]] && mv "$f" "${f%.log}-before-restart.log"
	done
	log "interop: peer $peer on $ix_pe killed and its kernel state flushed"
	ix_start_peer "$peer" "$ix_pe"
	if [[ $role == r ]]; then
		ix_peer_initiate "$peer" "$ix_pe"
		assert_log "$ix_nk-natkeyd.out" 'INITIAL-CONTACT: removed [1-9][0-9]* IKE SA' "natkeyd acted on the peer's INITIAL-CONTACT (removed the old SAs)" 15
	else
		ix_wait_count "$ix_nk-natkeyd.out" 'IPSEC_ESTABLISHED' 2 60 "natkeyd re-established after the peer's restart (DPD)"
		# natkeyd's new IKE SA is a first contact again: it says so.
		ix_initial_contact "$peer" "$ix_pe"
	fi
	ix_wait_esp "$ix_nk" 2 25 "natkeyd's side holds only the new SA pair (no stale SAs)"
	ix_wait_esp "$ix_pe" 2 25 "the peer holds only the new SA pair"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping through the new SA"
	nk_wait_up "$ix_nk" "$ix_conn" 5
}

# 10 % loss both ways on the path: the negotiation still completes within
# the configured timeouts (natkeyd: nk_wait_up's 40 s; peers: their own),
# and the loss hit IKE: natkeyd's log shows retransmissions (its own, or
# its answers to the peer's duplicates). A negotiation can cross the path
# without a loss (9 messages through one lossy link each: 0.9^9, ~39%);
# then both ends are reset and it runs again, at most IX_LOSS_TRIES (10)
# times (ten lossless ones: once in ~13000 runs), each completing under the
# same loss. Then 100 pings (0.1 s apart) through the SA: every one went
# out through the SA (counter), every reply that came back came through it,
# and at least 65 came back (two lossy links per round trip: 81 expected,
# 65 is 4 standard deviations below).
ix_ops_loss() {
	local peer=$1 role=$2 rw=${RWS%% *} try=0 rex=0 o0 i0 max=${IX_LOSS_TRIES:-10} f
	link_loss inet gw0 10
	link_loss inet nat0 10
	while :; do
		try=$((try + 1))
		ix_establish "$peer" "$role" psk "$rw"
		ix_count "$ix_nk-natkeyd.out" 'RETRANSMIT: '
		rex=$ix_n
		log "interop: loss negotiation $try: natkeyd logged $rex retransmissions"
		((rex > 0 || try >= max)) && break
		ix_reset_ike
		for f in "$E2E_OUT"/logs/*; do
			[[ -f $f && ${f##*/} != tcpdump-* && ${f##*/} != try* ]] && mv "$f" "${f%/*}/try$try-${f##*/}"
		done
	done
	((rex > 0)) ||
		fail "10% loss each way: $try negotiations completed, natkeyd's log shows no retransmission in any (the loss never hit IKE)"
	e2e_pass "the loss hit IKE and the negotiation still completed" "negotiation $try: $rex RETRANSMIT lines in natkeyd's log"
	xfrm_packets "$rw"
	o0=$xfrm_out i0=$xfrm_in
	ix_ping_bg "$rw" "$SRV_IP" 10 0.1
	ix_ping_bg_wait "$rw"
	xfrm_packets "$rw"
	((ix_sent >= 100)) || fail "with 10% loss each way: only $ix_sent pings were sent, want 100"
	((xfrm_out - o0 >= ix_sent)) ||
		fail "with 10% loss each way: $ix_sent pings sent, $rw's SA counted $((xfrm_out - o0)) out"
	((xfrm_in - i0 >= ix_recv)) ||
		fail "with 10% loss each way: $ix_recv replies, $rw's SA counted $((xfrm_in - i0)) in"
	((ix_recv * 100 >= ix_sent * 65)) ||
		fail "with 10% loss each way only $ix_recv/$ix_sent pings came back, want >= 65% (81% expected)"
	e2e_pass "traffic passes through the SA with 10% loss each way" \
		"$ix_recv/$ix_sent replies; $rw's SA out +$((xfrm_out - o0)) in +$((xfrm_in - i0))"
	ix_kernel_sas "$rw" yes tunnel
	ix_kernel_sas "$GW" yes tunnel
}

# ix_log_after FILE N0 REGEX MSG SECONDS: within SECONDS a line after the
# first N0 lines of logs/FILE matches REGEX (what the log said after an
# event, not before it).
ix_log_after() {
	local f=$E2E_OUT/logs/$1 n0=$2 re=$3 msg=$4 t=$5 line
	ix_after() { line=$(tail -n +"$((n0 + 1))" "$f" 2>/dev/null | grep -m1 -E -- "$re"); }
	wait_until "$t" ix_after || fail "$msg: logs/$1 has no line matching /$re/ after its first $n0 lines within $t s"
	e2e_pass "$msg" "$line"
}

# natkeyd shuts down (SIGTERM): the peer receives Deletes for the IPsec and
# the IKE SA natkeyd held and acts on them after the shutdown (its log
# names natkeyd's SPI, and the ISAKMP state that was natkeyd's), cleans its
# kernel state; natkeyd leaves nothing behind; its Informationals travel on
# UDP 4500.
ix_ops_shutdown() {
	local peer=$1 role=$2 rw=${RWS%% *} spis spi_re k m n0 f line
	ix_establish "$peer" "$role" psk "$rw"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping through the SA"
	ix_spis "$ix_nk"
	spis=$ix_spi_list
	[[ $spis =~ ^0x[0-9a-f]+\ 0x[0-9a-f]+\ $ ]] || fail "natkeyd's kernel holds ESP SAs '$spis' before the shutdown, want one pair"
	spi_re=${spis% }
	spi_re="(${spi_re// /|})"
	if [[ $peer == strongswan ]]; then f=$ix_pe-charon.log; else f=$ix_pe-pluto.log; fi
	n0=$(wc -l <"$E2E_OUT/logs/$f")
	daemon_stop "$ix_nk" natkeyd TERM
	if [[ $peer == strongswan ]]; then
		ix_log_after "$f" "$n0" "received DELETE for ESP CHILD_SA with SPI ${spi_re//0x/}" \
			"strongSwan received natkeyd's Delete for the IPsec SA (natkeyd's SPI)" 10
		ix_log_after "$f" "$n0" 'received DELETE for IKE_SA' "strongSwan received natkeyd's Delete for the IKE SA" 10
	else
		# Libreswan 4.10 names the states, not always the SPI. The IPsec
		# SA: as responder "#1: received Delete SA(0xSPI) payload:
		# deleting IPsec State #2", as initiator "#1: received Delete SA
		# payload: replace IPsec State #2 now"; #2 must be the state whose
		# "IPsec SA established" line names natkeyd's SPIs. The ISAKMP SA:
		# as initiator "#1: received Delete SA payload: self-deleting
		# ISAKMP State #1"; as responder no receipt, only the deletion it
		# schedules (~1 s later) "#1: deleting state (STATE_MAIN_R3)"; #1
		# must be the state that was natkeyd's IKE SA ("IKE SA established").
		line=$(head -n "$n0" "$E2E_OUT/logs/$f" | grep -E "#[0-9]+: IPsec SA established .*(=>|<)$spi_re " | tail -n1)
		[[ $line =~ \#([0-9]+):\ IPsec\ SA\ established ]] || fail "no 'IPsec SA established' naming natkeyd's SPIs $spis in logs/$f"
		m=${BASH_REMATCH[1]}
		ix_log_after "$f" "$n0" "#[0-9]+: received Delete SA(\\($spi_re\\))? payload: (deleting IPsec State #$m\$|replace IPsec State #$m now)" \
			"Libreswan received natkeyd's Delete for the IPsec SA (state #$m, natkeyd's SPIs)" 10
		line=$(head -n "$n0" "$E2E_OUT/logs/$f" | grep -E '#[0-9]+: (IKE|ISAKMP) SA established' | tail -n1)
		[[ $line =~ \#([0-9]+):\ (IKE|ISAKMP)\ SA\ established ]] || fail "no 'IKE SA established' in logs/$f"
		k=${BASH_REMATCH[1]}
		ix_log_after "$f" "$n0" "#$k: (received Delete SA payload: self-deleting ISAKMP State #$k\$|deleting state \\(STATE_(MAIN|AGGR)_[IR][0-9]\\))" \
			"Libreswan dropped natkeyd's ISAKMP SA (state #$k) after the shutdown" 10
	fi
	ix_wait_esp "$ix_pe" 0 15 "the peer's kernel holds no ESP SA after natkeyd's Deletes"
	ix_wait_esp "$ix_nk" 0 5 "natkeyd removed its own SAs on shutdown"
	ix_wire_shutdown "$ix_id.${CAP_PUB%%:*}:${CAP_PUB#*:}" "$GW_PUB" "$role"
}

ix_ops() {
	local peer=$1 role=$2 t
	ix_init
	ix_plan "$peer" "$role" rekey restart loss shutdown
	for t in rekey restart loss shutdown; do
		ix_nk_extra=() ix_pe_extra=()
		ix_run "$peer" "$role" "$t" "ix_ops_$t" "$peer" "$role"
	done
	ix_verdict
}

# ------------------------------------------------------------------ two road warriors

# Two road warriors behind one NAT (strongSwan on rw, Libreswan on rw2) to
# one natkeyd gateway, both tunnels up at once, each with its own traffic.
ix_two_rw_body() {
	local rw line ports=" " np=0
	ix_nk=$GW ix_conn=rw
	ix_natkeyd_conf "$GW" r psk
	cp "$(host_etc "$GW")/ipsec.conf" "$E2E_OUT/logs/$GW-natkeyd-ipsec.conf"
	ix_strongswan_conf rw r psk
	ix_libreswan_conf rw2 r psk
	ix_natkeyd_start "$GW"
	strongswan_start rw
	libreswan_start rw2
	t0=${EPOCHREALTIME/./}
	ix_peer_initiate strongswan rw
	ix_peer_initiate libreswan rw2
	ix_secs=$(((${EPOCHREALTIME/./} - t0) / 1000))
	echo "$((ix_secs / 1000)).$((ix_secs % 1000 / 100))" >"$IX_OUT/secs"
	assert_natt_kernel "$GW" 4
	assert_natt_kernel rw 2
	assert_natt_kernel rw2 2
	e2e_xfrm_out "$GW"
	while read -r line; do
		[[ $line =~ ^encap\ type\ espinudp\ sport\ 4500\ dport\ ([0-9]+) ]] || continue
		[[ $ports == *" ${BASH_REMATCH[1]} "* ]] && continue
		ports+="${BASH_REMATCH[1]} "
		((np++))
	done <<<"$e2e_xfrm"
	((np == 2)) || fail "natkeyd's SAs use $np distinct NAT ports ($ports) for 2 road warriors"
	e2e_pass "natkeyd reaches the two road warriors through distinct NAT ports:$ports"
	on "$GW" "$NATKEYCTL" status >"$E2E_OUT/logs/$GW-status.txt" 2>&1
	for rw in rw rw2; do
		assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through its own tunnel"
		ix_tcp "$rw" "$SRV" "$SRV_IP"
	done
	ix_ping_via "$SRV" "$IP_rw" rw "ping $SRV -> rw through rw's tunnel"
	ix_ping_via "$SRV" "$IP_rw2" rw2 "ping $SRV -> rw2 through rw2's tunnel"
	assert_capture_none "$ix_id.${CAP_PUB%%:*}:${CAP_PUB#*:}" "tcp || icmp.type==8 || icmp.type==0" "no cleartext TCP or ping on the public link"
}
