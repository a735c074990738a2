# shellcheck shell=bash
# loadtester-swarm.sh: a swarm of IKEv1 road warriors (strongSwan's
# load-tester, see loadtester-build.sh) behind one NAT against one gateway
# (natkeyd, strongSwan or Libreswan). Sourced by the swarm-* scenarios (inside
# the guest, after natkeyd-lib.sh); not a scenario itself.
#
#   swarm_require                       find the load-tester build ($LT_DIR)
#   swarm_conf HOST [key=value...]      its strongswan.conf (see below)
#   swarm_start HOST / swarm_stop HOST  run / stop it (daemon name `swarm`)
#   swarm_gw_start IMPL HOST [key=value...]   the gateway: natkeyd|strongswan|libreswan
#   swarm_gw_stop IMPL HOST             stop it and flush the kernel's SAs and policies
#   swarm_gw_pid IMPL HOST              the gateway daemon's pid
#   swarm_tunnels HOST                  $swarm_sas (ESP SAs in HOST's kernel) and
#                                       $swarm_tunnels (= SAs / 2)
#   swarm_wait_tunnels HOST N STALL MAX wait until N tunnels, or no new one for
#                                       STALL s, or MAX s; sets $swarm_t_last
#                                       (seconds from the call to the last new one)
#   swarm_proc_cpu_ms PID / swarm_proc_rss_kib PID   utime+stime (ms), VmRSS (KiB)
#   swarm_flood_start HOST DST RATE     28-byte ISAKMP headers with random
#                                       initiator cookies at RATE/s to DST:500
#
# swarm_conf options: n (road warriors, 200), delay (ms between initiations,
# 20), gw (responder address, $GW_PUB), remote_ts ($GW_NET), ike
# (aes128-sha256-modp2048), esp (aes128-sha1-modp2048), psk, dpd_delay (5),
# dpd_timeout (20), iface (eth0), pool ($SWARM_POOL), tries (retransmissions
# before a road warrior gives up, 5: 165 s in all at 4 s doubling by 1.8; a
# gateway that works through a thousand initiations slower than that loses the
# last ones to the generator, not to its own fault). Road warrior k (1..n)
# has ID rwK.natkeyd.test, its own address from the pool (the load-tester
# installs it on iface) and proposes that address /32 as its traffic selector;
# the IPsec side is faked (no kernel SAs on the swarm host).

swarm_require() {
	LT_DIR=$("$E2E_LIB/loadtester-build.sh" --check 2>/dev/null) ||
		fail "strongSwan's load-tester is not built (tests/e2e/lib/loadtester-build.sh as root)"
	[[ -x $LT_DIR/libexec/ipsec/charon ]] || fail "no charon in $LT_DIR"
}

swarm_conf() {
	local h=$1 etc
	shift
	local -A o
	o[n]=200
	o[delay]=20
	o[gw]=${GW_PUB:-}
	o[remote_ts]=${GW_NET:-}
	o[ike]=aes128-sha256-modp2048
	o[esp]=aes128-sha1-modp2048
	o[psk]=$E2E_PSK_DEFAULT
	o[dpd_delay]=5
	o[dpd_timeout]=20
	o[tries]=5
	o[iface]=eth0
	o[pool]=${SWARM_POOL:-}
	peers_opts -- "$@"
	# In the host's own /run (/run/loadtester.conf inside): not under
	# /etc/netns/HOST, which `ip netns exec` binds file by file over /etc.
	etc=$(host_run "$h")
	mkdir -p "$etc"
	cat >"$etc/loadtester.conf" <<-EOF
		# strongSwan load-tester: ${o[n]} IKEv1 road warriors (loadtester-swarm.sh)
		charon {
		  load_modular = no
		  load = random nonce openssl kernel-netlink socket-default load-tester
		  install_routes = no
		  ikesa_table_size = 1024
		  ikesa_table_segments = 16
		  retransmit_timeout = 4.0
		  retransmit_tries = ${o[tries]}
		  plugins {
		    load-tester {
		      enable = yes
		      version = 1
		      initiators = 1
		      iterations = ${o[n]}
		      delay = ${o[delay]}
		      responder = ${o[gw]}
		      proposal = ${o[ike]}
		      esp = ${o[esp]}
		      initiator_auth = psk
		      responder_auth = psk
		      initiator_id = rw%d.natkeyd.test
		      responder_id = gw.natkeyd.test
		      preshared_key = ${o[psk]}
		      initiator_tsr = ${o[remote_ts]}
		      mode = tunnel
		      dpd_delay = ${o[dpd_delay]}
		      dpd_timeout = ${o[dpd_timeout]}
		      child_rekey = 3000
		      ike_rekey = 3000
		      fake_kernel = yes
		      addrs_prefix = 16
		      addrs {
		        ${o[iface]} = ${o[pool]}
		      }
		    }
		  }
		  filelog {
		    main {
		      path = $E2E_OUT/logs/$h-swarm.log
		      time_format = %T
		      ike_name = yes
		      append = no
		      flush_line = yes
		      default = 1
		      net = ${SWARM_LOG_NET:-0}
		    }
		  }
		  syslog {
		    identifier = charon-$h
		  }
		}
	EOF
	cp "$etc/loadtester.conf" "$E2E_OUT/logs/$h-loadtester.conf"
}

swarm_start() {
	local h=$1
	[[ -n ${LT_DIR:-} ]] || swarm_require
	daemon_start "$h" swarm env STRONGSWAN_CONF=/run/loadtester.conf \
		"$LT_DIR/libexec/ipsec/charon"
}

swarm_stop() { daemon_stop "$1" swarm; }

# swarm_gw_start IMPL HOST [key=value...]: options ike/esp (natkeyd and
# strongSwan syntax; Libreswan's is derived), dpd (yes: DPD every 5 s, dead
# after 15 s, clear), debug (natkeyd -d: yes), remote_ts (the clients'
# addresses: 10.1.0.0/16).
swarm_gw_start() {
	local impl=$1 h=$2 etc dpd_conf=
	shift 2
	local -A o
	o[ike]=aes128-sha256-modp2048
	o[esp]=aes128-sha1-modp2048
	o[dpd]=yes
	o[debug]=yes
	o[remote_ts]=10.1.0.0/16
	peers_opts -- "$@"
	etc=$(host_etc "$h")
	mkdir -p "$etc"
	case $impl in
	natkeyd)
		natkeyd_require
		[[ ${o[dpd]} == yes ]] && dpd_conf=$'  dpddelay=5s\n  dpdtimeout=15s\n  dpdaction=clear'
		# What the NATed road warriors may claim (their private 10.x), where
		# natkeyd-lib.sh has it (nk_gw_setup, NK_GW_CLIENTS: the client
		# policy of issue 14); a natkeyd without that policy needs nothing.
		: >"$etc/ipsec.conf"
		declare -F nk_gw_setup >/dev/null && nk_gw_setup >"$etc/ipsec.conf"
		cat >>"$etc/ipsec.conf" <<-EOF
			# natkeyd gateway for a swarm of road warriors (loadtester-swarm.sh)
			conn rw
			  left=$GW_IP
			  leftid=@gw.natkeyd.test
			  leftsubnet=$GW_NET
			  right=%any
		EOF
		[[ -n ${NK_GW_CLIENTS:-} ]] && printf '%s\n' "$NK_GW_CLIENTS" >>"$etc/ipsec.conf"
		cat >>"$etc/ipsec.conf" <<-EOF
			  authby=secret
			  ike=${o[ike]}
			  esp=${o[esp]}
			  pfs=yes
			  auto=add
			${dpd_conf}
		EOF
		# SWARM_NK_CONF: more key=value words for the conn (word-split on purpose).
		# shellcheck disable=SC2086
		[[ -n ${SWARM_NK_CONF:-} ]] && printf '  %s\n' $SWARM_NK_CONF >>"$etc/ipsec.conf"
		printf '@gw.natkeyd.test %%any : PSK "%s"\n' "$E2E_PSK_DEFAULT" >"$etc/ipsec.secrets"
		chmod 600 "$etc/ipsec.secrets"
		cp "$etc/ipsec.conf" "$E2E_OUT/logs/$h-ipsec.conf"
		if [[ ${o[debug]} == yes ]]; then
			natkeyd_start "$h"
		else
			local sock
			sock=$(host_run "$h")/natkeyd.ctl
			daemon_start "$h" natkeyd "$NATKEYD" -F
			wait_until 20 test -S "$sock" || fail "natkeyd on $h did not open its control socket"
		fi
		;;
	strongswan)
		local dd=0 dt=0
		[[ ${o[dpd]} == yes ]] && dd=5 dt=15
		# Quieter logs than the peers scenarios (a log line per message costs
		# CPU), and an IKE_SA table sized for a thousand peers. The swarm sits
		# behind ONE NAT address: charon's block_threshold (default 5
		# half-open IKE_SAs per peer IP) drops the MM1 of every road warrior
		# over five still in Main Mode from that address ("per-IP half-open
		# IKE_SA limit of 5 reached"), and at 100 initiations/s a few can
		# exhaust the load-tester's six transmissions (995 of 1000 once).
		# natkeyd's per-source cap is 32 and Libreswan has none by default;
		# this lifts charon's above the swarm (SWARM_SS_BLOCK).
		strongswan_conf "$h" "ikesa_table_size = 1024" "ikesa_table_segments = 16" \
			"block_threshold = ${SWARM_SS_BLOCK:-100000}"
		sed -i -e 's/^\( *\)\(ike\|cfg\|knl\|net\) = 2$/\1\2 = 1/' "$etc/strongswan.conf"
		strongswan_gw "$h" "ike=${o[ike]}" "esp=${o[esp]}" "remote_ts=${o[remote_ts]}" \
			dpd_delay=$dd dpd_timeout=$dt
		strongswan_start "$h"
		;;
	libreswan)
		local ike esp
		ike=${o[ike]#aes128-}
		ike="aes128-${ike%%-*};${ike#*-}"
		ike=${ike/sha256/sha2_256}
		esp=${o[esp]#aes128-}
		esp="aes128-${esp%%-*};${esp#*-}"
		libreswan_gw "$h" "ike=$ike" "esp=$esp"
		# No updown script (it is a long shell script per Quick Mode; pluto
		# installs the SAs and policies itself); DPD clears a dead peer.
		sed -i -e "s|^  leftupdown=.*|  leftupdown=%disabled|" "$etc/ipsec.conf"
		[[ ${o[dpd]} == yes ]] && printf '  dpddelay=5\n  dpdtimeout=15\n  dpdaction=clear\n' >>"$etc/ipsec.conf"
		cp "$etc/ipsec.conf" "$E2E_OUT/logs/$h-ipsec.conf"
		libreswan_start "$h"
		;;
	*) fail "unknown gateway implementation '$impl' (natkeyd, strongswan, libreswan)" ;;
	esac
}

swarm_gw_daemon() {
	case $1 in
	natkeyd) echo natkeyd ;;
	strongswan) echo charon ;;
	libreswan) echo pluto ;;
	esac
}

swarm_gw_pid() { daemon_pid "$2" "$(swarm_gw_daemon "$1")"; }

swarm_gw_stop() {
	local impl=$1 h=$2
	daemon_stop "$h" "$(swarm_gw_daemon "$impl")"
	# The next libreswan_setup creates the NSS db again (certutil -N would
	# prompt for the old one's password).
	[[ $impl == libreswan ]] && rm -f "$(host_etc "$h")"/ipsec.d/*.db
	# A stale control socket would let the next start talk to nobody.
	rm -f "$(host_run "$h")/charon.vici" "$(host_run "$h")/natkeyd.ctl" "$(host_run "$h")/pluto/pluto.ctl"
	ip -n "$h" xfrm state flush
	ip -n "$h" xfrm policy flush
}

swarm_tunnels() {
	local out
	out=$(ip -n "$1" xfrm state count 2>&1)
	[[ $out =~ count\ ([0-9]+) ]] || fail "ip xfrm state count on $1: $out"
	swarm_sas=${BASH_REMATCH[1]}
	swarm_tunnels=$((swarm_sas / 2))
}

swarm_wait_tunnels() {
	local -
	set +x
	local h=$1 n=$2 stall=$3 max=$4 t0 now last=0 seen=-1
	t0=${EPOCHREALTIME/./}
	swarm_t_last=0
	while :; do
		swarm_tunnels "$h"
		now=${EPOCHREALTIME/./}
		if ((swarm_tunnels > seen)); then
			seen=$swarm_tunnels
			last=$now
			swarm_t_last=$(((now - t0) / 1000))
		fi
		((swarm_tunnels >= n)) && break
		((now - last > stall * 1000000)) && break
		((now - t0 > max * 1000000)) && break
		snooze 0.5
	done
	log "swarm: $swarm_tunnels of $n tunnels on $h after $(((now - t0) / 1000)) ms (last new one at $swarm_t_last ms)"
}

swarm_proc_cpu_ms() {
	local stat f
	read -r stat <"/proc/$1/stat" || return 1
	stat=${stat##*) }
	read -ra f <<<"$stat"
	# After "pid (comm) ": f[0] is field 3 (state); utime, stime are 14, 15.
	echo $(((f[11] + f[12]) * 1000 / $(getconf CLK_TCK)))
}

# swarm_proc_cpu_split PID: "USER_MS SYS_MS MINFLT" (utime, stime, minor page
# faults) of PID.
swarm_proc_cpu_split() {
	local stat f hz
	read -r stat <"/proc/$1/stat" || return 1
	stat=${stat##*) }
	read -ra f <<<"$stat"
	hz=$(getconf CLK_TCK)
	# After "pid (comm) ": minflt is field 10 (f[7]).
	echo "$((f[11] * 1000 / hz)) $((f[12] * 1000 / hz)) ${f[7]}"
}

swarm_proc_rss_kib() {
	local k v _
	while read -r k v _; do
		[[ $k == VmRSS: ]] && { echo "$v"; return 0; }
	done <"/proc/$1/status"
	return 1
}

swarm_flood_start() {
	local h=$1 dst=$2 rate=$3
	daemon_start "$h" flood python3 "$E2E_LIB/isakmp-flood.py" "$dst" 500 "$rate"
}
