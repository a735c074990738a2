# swarm-flood-bench: issue 15's flood benchmark. The swarm of IKEv1 road
# warriors (strongSwan's load-tester behind one NAT, Main Mode PSK + Quick
# Mode, modp2048, no DPD) connects to each gateway implementation in turn,
# once without and once with a flood of forged Main Mode first messages
# (complete MM1s a gateway accepts, tests/e2e/lib/loadtester-spoof.py) sent by
# the router `inet` from the 254 addresses of 203.0.113.0/24 (the bed may use
# only the documentation networks, so 254 source addresses with random ports
# stand in for the issue's 10,000) at SWARM_SPOOF_RATE per second. One line
# per run in bench.txt:
#   BENCH gateway_flood impl=I group=modp2048 road_warriors=N flood=0|1
#         spoof_sent=S established=E setup_s=T cpu_ms=C peak_rss_kib=M
#         from_spoofed=F to_spoofed=R
# setup_s: from the swarm's start to its last new tunnel; cpu_ms: the gateway
# daemon's utime+stime over that time; peak_rss_kib: its VmHWM (the daemon is
# started afresh for every run); from_spoofed / to_spoofed: datagrams the
# gateway's kernel received from / sent to 203.0.113.0/24 (iptables counters
# in the gateway's namespace). Then one summary line per implementation:
#   BENCH gateway_flood_summary impl=I established_unflooded=A
#         established_flooded=B setup_ratio=T1/T0
# natkeyd must bring up every tunnel with and without the flood, within 3x
# the unflooded setup time, and send fewer datagrams to the forged sources
# than it received from them; strongSwan's and Libreswan's figures are
# reported, not judged.
# Variables (E2E_VAR_NAME=value): SWARM_N (50), SWARM_IMPLS ("natkeyd";
# also strongswan, libreswan), SWARM_SPOOF_RATE (forged MM1s per second,
# 1000; 0 = as fast as the generator gets in the bed; the generator shares the
# guest's one CPU with the gateway and the swarm), SWARM_DELAY (ms between
# initiations, 20). tests/bench/bench_gateway.sh (make bench-gateway) runs the
# long form: 200 road warriors, all three, the fastest flood.
# needs: loadtester
# e2e: alone
default_topology=swarm-nat
e2e_timeout=600
e2e_mem=1024M

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"
source "$E2E_LIB/loadtester-swarm.sh"

spoof_net=203.0.113.0

# flood_counters: $from_spoofed / $to_spoofed in the gateway's namespace.
flood_counters() {
	from_spoofed=$(ip netns exec "$GW" iptables-legacy -L INPUT -v -x -n |
		awk '$0 ~ /203\.0\.113\.0\/24/ { print $1; exit }')
	to_spoofed=$(ip netns exec "$GW" iptables-legacy -L OUTPUT -v -x -n |
		awk '$0 ~ /203\.0\.113\.0\/24/ { print $1; exit }')
	[[ $from_spoofed =~ ^[0-9]+$ && $to_spoofed =~ ^[0-9]+$ ]] ||
		fail "no iptables counters for $spoof_net/24 on $GW"
}

# flood_one IMPL FLOOD(0|1) N: one run; appends its BENCH line and sets
# $run_est and $run_ms.
flood_one() {
	local impl=$1 flood=$2 n=$3 pid cpu0 cpu1 hwm sent=0 line
	swarm_gw_start "$impl" "$GW" dpd=no debug=no
	snooze 1
	pid=$(swarm_gw_pid "$impl" "$GW") || fail "no pid for the $impl gateway"
	cpu0=$(swarm_proc_cpu_ms "$pid") || fail "cannot read /proc/$pid of the $impl gateway"
	ip netns exec "$GW" iptables-legacy -Z INPUT
	ip netns exec "$GW" iptables-legacy -Z OUTPUT
	if ((flood)); then
		daemon_start inet spoof python3 "$E2E_LIB/loadtester-spoof.py" "$GW_PUB" \
			"${SWARM_SPOOF_RATE:-1000}" "$spoof_net" 14
		snooze 2
	fi
	swarm_conf "${RWS%% *}" "n=$n" "delay=${SWARM_DELAY:-20}" dpd_delay=0 dpd_timeout=0
	swarm_start "${RWS%% *}"
	swarm_wait_tunnels "$GW" "$n" 60 $((120 + n / 2))
	run_est=$swarm_tunnels
	run_ms=$swarm_t_last
	cpu1=$(swarm_proc_cpu_ms "$pid") || fail "the $impl gateway (pid $pid) is gone"
	hwm=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status")
	if ((flood)); then
		daemon_running inet spoof || fail "the forged-MM1 generator died (logs/inet-spoof.out)"
		daemon_stop inet spoof
		sent=$(grep -oE '^spoof: [0-9]+' "$E2E_OUT/logs/inet-spoof.out" | tail -n 1)
		sent=${sent#spoof: }
		cp "$E2E_OUT/logs/inet-spoof.out" "$E2E_OUT/logs/inet-spoof-$impl.out"
	fi
	flood_counters
	line="BENCH gateway_flood impl=$impl group=modp2048 road_warriors=$n flood=$flood spoof_sent=${sent:-0} established=$run_est setup_s=$((run_ms / 1000)).$((run_ms % 1000 / 100)) cpu_ms=$((cpu1 - cpu0)) peak_rss_kib=${hwm:-0} from_spoofed=$from_spoofed to_spoofed=$to_spoofed"
	echo "$line" >>"$E2E_OUT/bench.txt"
	log "$line"
	cp "$E2E_OUT/logs/${RWS%% *}-swarm.log" "$E2E_OUT/logs/${RWS%% *}-swarm-$impl-flood$flood.log"
	swarm_stop "${RWS%% *}"
	swarm_gw_stop "$impl" "$GW"
	on nat conntrack -F >/dev/null 2>&1
	snooze 2
}

# flood_check OK TEXT [DETAIL]: a natkeyd target, judged after every
# implementation ran (a failed target does not cut the others' runs short).
flood_check() {
	if (($1)); then
		e2e_pass "$2" "${3:-}"
	else
		flood_ok=0
		printf 'FAIL %s\n' "$2${3:+ ($3)}" >>"$E2E_OUT/assertions.txt"
		log "FAIL $2${3:+ ($3)}"
	fi
}

scenario() {
	local n=${SWARM_N:-50} impl est0 ms0 est1 ms1 ratio line flood_ok=1
	# Issue 15's target is 3x; make bench-gateway asserts it (SWARM_RATIO_MAX=3).
	# CI's short form runs beside another guest on 2 shared cores, where the
	# unflooded setup of 50 tunnels takes only a few seconds and one lost MM1
	# retransmission doubles it: there it asserts 6x (no collapse), and the
	# ratio it measured is in its BENCH line.
	local ratio_max=${SWARM_RATIO_MAX:-6}
	swarm_require
	command -v iptables-legacy >/dev/null || fail "no iptables-legacy"
	: >"$E2E_OUT/bench.txt"
	ip netns exec "$GW" iptables-legacy -I INPUT -s "$spoof_net/24"
	ip netns exec "$GW" iptables-legacy -I OUTPUT -d "$spoof_net/24"
	for impl in ${SWARM_IMPLS:-natkeyd}; do
		flood_one "$impl" 0 "$n"
		est0=$run_est ms0=$run_ms
		flood_one "$impl" 1 "$n"
		est1=$run_est ms1=$run_ms
		ratio=$(awk -v a="$ms1" -v b="$ms0" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
		echo "BENCH gateway_flood_summary impl=$impl road_warriors=$n established_unflooded=$est0 established_flooded=$est1 setup_ratio=$ratio" |
			tee -a "$E2E_OUT/bench.txt"
		[[ $impl == natkeyd ]] || continue
		flood_check "est0 == n" "natkeyd without the flood: all $n tunnels" "$est0 of $n"
		flood_check "est1 == n" "natkeyd under the flood: all $n tunnels" "$est1 of $n"
		flood_check "est1 == n && ms1 <= $ratio_max * ms0" "natkeyd: setup under the flood within ${ratio_max}x the unflooded" \
			"${ms1} ms / ${ms0} ms, ratio $ratio"
		line=$(grep "^BENCH gateway_flood impl=natkeyd .*flood=1 " "$E2E_OUT/bench.txt")
		from_spoofed=$(sed -n 's/.* from_spoofed=\([0-9]*\).*/\1/p' <<<"$line")
		to_spoofed=$(sed -n 's/.* to_spoofed=\([0-9]*\).*/\1/p' <<<"$line")
		flood_check "from_spoofed > 0" "forged MM1s reached natkeyd's host" "$from_spoofed"
		flood_check "to_spoofed < from_spoofed" "natkeyd sent fewer datagrams to the forged sources than it received" \
			"$to_spoofed < $from_spoofed"
	done
	((flood_ok)) || fail "natkeyd missed a flood target (bench.txt, assertions.txt)"
	return 0
}
