#!/bin/bash
# tests/e2e/lib/guest.sh: PID 1 of the guest after init.sh's chroot into the
# overlay. Pre-warms the kernel, builds the topology, runs the scenario under
# a timeout, always collects state/logs/captures, writes the exit status to
# $E2E_OUT/status (the UML exit status does not carry it) and halts.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export E2E_GUEST=1 E2E_RUN=/run/e2e E2E_LIB=$E2E_SRC/tests/e2e/lib
export E2E_SRC E2E_OUT E2E_SCENARIO E2E_TOPOLOGY E2E_TIMEOUT E2E_PEERS
# The kernel command line carries "-" for "not set".
if [[ ${NATKEYD_BUILD:--} == - ]]; then unset NATKEYD_BUILD; else export NATKEYD_BUILD; fi
E2E_T0=${EPOCHREALTIME/./}
export E2E_T0
mkdir -p "$E2E_RUN" "$E2E_OUT/logs" "$E2E_OUT/pcap" "$E2E_OUT/state" "$E2E_OUT/config"
exec >>"$E2E_OUT/guest.log" 2>&1
# shellcheck source=common.sh
source "$E2E_LIB/common.sh"
# shellcheck source=topology.sh
source "$E2E_LIB/topology.sh"
mkfifo "$E2E_RUN/sleep.fifo"
exec {E2E_SLEEPFD}<>"$E2E_RUN/sleep.fifo"
export E2E_SLEEPFD

halt_now() {
	sync
	halt -f 2>/dev/null
	echo o >/proc/sysrq-trigger
	snooze 30
}

# fail() exits; in PID 1 that would panic the kernel before the status is
# written. Setup failures come through here instead.
setup() {
	log "guest up: scenario $E2E_SCENARIO, topology $E2E_TOPOLOGY"
	# Libreswan's private copy (its package conflicts with strongSwan's).
	if [[ -d $E2E_PEERS/libreswan/usr/libexec/ipsec ]]; then
		rm -rf /usr/libexec/ipsec
		ln -s "$E2E_PEERS/libreswan/usr/libexec/ipsec" /usr/libexec/ipsec
	fi
	# Pre-warm the ESP crypto templates: the first SA of each algorithm
	# combination otherwise makes the kernel request crypto-* modules for
	# ~2 s, dropping the peer's first ESP packets. With kernel.modprobe
	# pointing nowhere the requests fail at once and the kernel builds the
	# templates from the modules loaded by init.sh.
	echo /nonexistent >/proc/sys/kernel/modprobe
	local k16=000102030405060708090a0b0c0d0e0f k
	k=$k16$k16
	ip netns add prewarm
	ip -n prewarm -force -batch - <<-EOB >/dev/null 2>&1
		xfrm state add src 192.0.2.250 dst 192.0.2.251 proto esp spi 0x1001 mode tunnel enc cbc(aes) 0x$k16 auth-trunc hmac(sha1) 0x${k16}00010203 96
		xfrm state add src 192.0.2.250 dst 192.0.2.251 proto esp spi 0x1002 mode tunnel enc cbc(aes) 0x$k16 auth-trunc hmac(sha256) 0x$k 128
		xfrm state add src 192.0.2.250 dst 192.0.2.251 proto esp spi 0x1003 mode tunnel enc cbc(aes) 0x$k auth-trunc hmac(sha256) 0x$k 128
		xfrm state add src 192.0.2.250 dst 192.0.2.251 proto esp spi 0x1004 mode tunnel enc cbc(aes) 0x$k auth-trunc hmac(sha384) 0x$k$k16 192
		xfrm state add src 192.0.2.250 dst 192.0.2.251 proto esp spi 0x1005 mode tunnel enc cbc(aes) 0x$k auth-trunc hmac(sha512) 0x$k$k 256
		xfrm state add src 192.0.2.250 dst 192.0.2.251 proto esp spi 0x1006 mode tunnel aead rfc4106(gcm(aes)) 0x${k16}00010203 128
		xfrm state add src 192.0.2.250 dst 192.0.2.251 proto esp spi 0x1007 mode tunnel aead rfc4106(gcm(aes)) 0x${k}00010203 128
		xfrm state add src 192.0.2.250 dst 192.0.2.251 proto esp spi 0x1008 mode tunnel enc cbc(des3_ede) 0x$k16${k16:0:16} auth-trunc hmac(sha1) 0x${k16}00010203 96
		xfrm state add src 192.0.2.250 dst 192.0.2.251 proto esp spi 0x1009 mode tunnel enc cbc(aes) 0x$k16 auth-trunc hmac(md5) 0x$k16 96
		xfrm state flush
	EOB
	ip netns del prewarm
	echo /sbin/modprobe >/proc/sys/kernel/modprobe
	log "crypto pre-warmed"
	topology_build "$E2E_SRC/tests/e2e/topologies/$E2E_TOPOLOGY.topo"
}

# dump_state: what the hosts looked like at the end, before daemons stop
# (charon deletes its SAs on SIGTERM). Hosts that ran a daemon or NAT get the
# full dump (SAs, policies, addresses, routes, XFRM errors; rules and
# conntrack on NAT hosts); the others only addresses and routes, in one
# process: each process costs ~0.1 s here, and ip -batch cannot carry xfrm
# commands (they end the process).
dump_state() {
	local h f p n v d
	for h in $E2E_HOSTS; do
		f=$E2E_OUT/state/$h.txt
		d=""
		for p in "$E2E_RUN"/daemons/"$h"-*; do [[ -e $p ]] && d=$p && break; done
		{
			if [[ -n $d || -s $E2E_RUN/nat/$h.iptables ]]; then
				echo "== ip -s xfrm state"
				ip -n "$h" -s xfrm state
				echo "== ip xfrm policy (without socket policies)"
				ip -n "$h" xfrm policy | while read -r l; do
					[[ $l == src* ]] && { p=$l; continue; }
					[[ $l == socket* ]] && { p=""; continue; }
					[[ -n $p ]] && { echo "$p"; p=""; }
					echo "    $l"
				done
			fi
			echo "== ip -4 addr; ip route show table all"
			printf 'address show\nroute show table all\n' | ip -n "$h" -4 -batch -
			# /proc/PID/net is the namespace of PID: read it through one of
			# this host's daemons, without a process.
			if [[ -n $d ]] && read -r p <"$d" && [[ -r /proc/$p/net/xfrm_stat ]]; then
				echo "== /proc/net/xfrm_stat (non-zero counters)"
				while read -r n v; do [[ $v == 0 ]] || echo "$n $v"; done <"/proc/$p/net/xfrm_stat"
			fi
			if [[ -s $E2E_RUN/nat/$h.iptables ]]; then
				echo "== iptables-legacy-save -c"
				ip netns exec "$h" iptables-legacy-save -c
				echo "== conntrack -L"
				ip netns exec "$h" conntrack -L 2>&1
			fi
		} >"$f" 2>&1
	done
	log "state dumped"
}

teardown() {
	log "teardown"
	# shellcheck disable=SC1091
	[[ -s $E2E_OUT/meta.env ]] && source "$E2E_OUT/meta.env"
	dump_state
	daemon_stop_all
	capture_stop_all
	log "daemons and captures stopped"
	cp -a /etc/netns/. "$E2E_OUT/config/" 2>/dev/null
	dmesg >"$E2E_OUT/logs/dmesg.txt" 2>&1
	log "teardown done"
}

rc=0
# Setup runs in a subshell so that a failing step (fail -> exit) comes back
# here instead of killing PID 1; state it creates lives in the kernel and in
# files, not in shell variables.
(setup) || rc=$?
if ((rc == 0)); then
	timeout -k 10 "$E2E_TIMEOUT" bash "$E2E_LIB/scenario-run.sh"
	rc=$?
	if ((rc == 124 || rc == 137)); then
		echo "FAIL scenario timed out after $E2E_TIMEOUT s (guest.log and trace.log show how far it got)" \
			>>"$E2E_OUT/failures.txt"
	elif ((rc != 0)) && [[ ! -s $E2E_OUT/failures.txt ]]; then
		echo "FAIL scenario ended with status $rc without a failed assertion (see trace.log)" \
			>>"$E2E_OUT/failures.txt"
	fi
else
	log "setup failed ($rc)"
	[[ -s $E2E_OUT/failures.txt ]] || echo "FAIL guest setup failed (status $rc, see guest.log)" >>"$E2E_OUT/failures.txt"
fi
teardown
echo "$rc" >"$E2E_OUT/status"
log "status $rc; halting"
printf '%s %s\n' "$E2E_T0" "${EPOCHREALTIME/./}" >"$E2E_OUT/.guest-times"
halt_now
