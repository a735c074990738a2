#!/bin/sh
# bench_gateway.sh: `make bench-gateway`. Boots the user-mode-linux bed once
# with the swarm-bench scenario (tests/e2e/scenarios/swarm/swarm-bench.sh): a swarm
# of IKEv1 road warriors (strongSwan's load-tester, built once per machine by
# tests/e2e/lib/loadtester-build.sh) behind one NAT against natkeyd, strongSwan
# and Libreswan as gateways, one after another, for each DH group. Run from the
# build folder (make does); needs root and the bed's packages.
# Prints one `BENCH gateway impl=... group=... tunnels=N established=...
# tunnels_per_s=... cpu_ms_per_tunnel=... rss_kib_per_tunnel=...` line per run,
# then per group `BENCH gateway_ratio group=... cpu_natkeyd_to_best_peer=...
# rss_natkeyd_to_best_peer=...` (natkeyd over the better peer that established
# all N; a ratio below 1 is natkeyd being cheaper). Each line also carries
# syscalls_per_tunnel (a separate pass of BENCH_GATEWAY_SYSCALL_N tunnels under
# strace -c -f). Then, in a second boot, the flood benchmark
# (tests/e2e/scenarios/swarm/swarm-flood-bench.sh): BENCH_GATEWAY_FLOOD_N road
# warriors against each gateway without and with forged Main Mode first
# messages at the generator's top rate; `BENCH gateway_flood ...` and
# `BENCH gateway_flood_summary ...` lines. Then, in a third boot, natkeyd
# alone with BENCH_GATEWAY_SCALE_N road warriors (MODP-2048): one
# `BENCH gateway_scale impl=natkeyd ...` line in the same format (all
# established, RSS and CPU per tunnel, status_json_ms: `natkeyctl status
# --json` with all of them up, which must answer within 2 s).
# Environment: BENCH_GATEWAY_N (1000), BENCH_GATEWAY_IMPLS ("natkeyd strongswan
# libreswan"), BENCH_GATEWAY_GROUPS ("modp2048 ecp256"), BENCH_GATEWAY_DELAY
# (ms between initiations, 10), BENCH_GATEWAY_SYSCALL_N (200),
# BENCH_GATEWAY_TRIES (the road warriors' retransmissions, 7: about 7 minutes
# before one gives up, so a gateway slowed by a shared machine still gets to
# every initiation; with 5, 165 s, a gateway at 5 tunnels/s lost the tail),
# BENCH_GATEWAY_FLOOD_N (200; 0 = no flood benchmark), BENCH_GATEWAY_SPOOF_RATE
# (0 = as fast as the generator gets), BENCH_GATEWAY_SCALE_N (10000; 0 = no
# such run), BENCH_GATEWAY_SCALE_DELAY (ms between initiations, 40: about the
# rate natkeyd sets tunnels up at in the bed, so that road warriors do not
# queue for minutes behind the per-source half-open cap: they all share the
# NAT's one address), BENCH_GATEWAY_OUT (the run's folder).
here=$(cd "$(dirname "$0")" && pwd)
build=${NATKEYD_BUILD:-$(pwd)}
n=${BENCH_GATEWAY_N:-1000}
impls=${BENCH_GATEWAY_IMPLS:-natkeyd strongswan libreswan}
groups=${BENCH_GATEWAY_GROUPS:-modp2048 ecp256}
out=${BENCH_GATEWAY_OUT:-$build/bench-gateway}
[ -x "$build/tools/natkeyd/natkeyd" ] || { echo "bench_gateway: $build/tools/natkeyd/natkeyd not built (make)" >&2; exit 1; }
runs=0
for _ in $impls; do for _ in $groups; do runs=$((runs + 1)); done; done
# Per run: setup (~n/10 s in UML) plus teardown; generous.
timeout=${E2E_TIMEOUT:-$((runs * (180 + n / 4)))}
NATKEYD_BUILD=$build E2E_TIMEOUT=$timeout E2E_MEM=${E2E_MEM:-2048M} \
	E2E_VAR_SWARM_N=$n E2E_VAR_SWARM_IMPLS="$impls" E2E_VAR_SWARM_GROUPS="$groups" \
	E2E_VAR_SWARM_DELAY=${BENCH_GATEWAY_DELAY:-10} \
	E2E_VAR_SWARM_SYSCALL_N=${BENCH_GATEWAY_SYSCALL_N:-200} \
	E2E_VAR_SWARM_TRIES=${BENCH_GATEWAY_TRIES:-7} \
	"$here/../e2e/run" swarm-bench "$out" >&2
rc=$?
fn=${BENCH_GATEWAY_FLOOD_N:-200}
if [ "$fn" -gt 0 ]; then
	NATKEYD_BUILD=$build E2E_TIMEOUT=${E2E_TIMEOUT:-$((6 * (240 + fn / 2)))} E2E_MEM=${E2E_MEM:-2048M} \
		E2E_VAR_SWARM_N=$fn E2E_VAR_SWARM_IMPLS="$impls" E2E_VAR_SWARM_RATIO_MAX=3 \
		E2E_VAR_SWARM_SPOOF_RATE=${BENCH_GATEWAY_SPOOF_RATE:-0} \
		"$here/../e2e/run" swarm-flood-bench "$out-flood" >&2 || rc=1
	[ -s "$out-flood/bench.txt" ] && cat "$out-flood/bench.txt" >>"$out/bench.txt"
fi
sn=${BENCH_GATEWAY_SCALE_N:-10000}
if [ "$sn" -gt 0 ]; then
	sd=${BENCH_GATEWAY_SCALE_DELAY:-40}
	NATKEYD_BUILD=$build E2E_TIMEOUT=${E2E_TIMEOUT:-$((600 + sn * sd / 1000 + sn / 5))} \
		E2E_MEM=${E2E_MEM_SCALE:-4096M} \
		E2E_VAR_SWARM_N=$sn E2E_VAR_SWARM_IMPLS=natkeyd E2E_VAR_SWARM_GROUPS=modp2048 \
		E2E_VAR_SWARM_DELAY=$sd E2E_VAR_SWARM_SYSCALL_N=0 \
		E2E_VAR_SWARM_TRIES=${BENCH_GATEWAY_TRIES:-7} \
		"$here/../e2e/run" swarm-bench "$out-scale" >&2 || rc=1
	[ -s "$out-scale/bench.txt" ] &&
		sed 's/^BENCH gateway /BENCH gateway_scale /' "$out-scale/bench.txt" >>"$out/bench.txt"
fi
[ -s "$out/bench.txt" ] || { echo "bench_gateway: no BENCH line (see $out)" >&2; exit 1; }
cat "$out/bench.txt"
# Per group: natkeyd's CPU and RSS per tunnel over the better peer's (the
# lower of strongSwan and Libreswan among the runs that established all N).
awk '$1 == "BENCH" && $2 == "gateway" {
	for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	if (v["established"] != v["tunnels"]) next
	g = v["group"]; groups[g] = 1
	if (v["impl"] == "natkeyd") { ncpu[g] = v["cpu_ms_per_tunnel"]; nrss[g] = v["rss_kib_per_tunnel"] }
	else {
		if (!(g in pcpu) || v["cpu_ms_per_tunnel"] + 0 < pcpu[g]) { pcpu[g] = v["cpu_ms_per_tunnel"] + 0; pcn[g] = v["impl"] }
		if (!(g in prss) || v["rss_kib_per_tunnel"] + 0 < prss[g]) { prss[g] = v["rss_kib_per_tunnel"] + 0; prn[g] = v["impl"] }
	}
}
END {
	for (g in groups)
		if ((g in ncpu) && (g in pcpu) && pcpu[g] > 0 && prss[g] > 0)
			printf "BENCH gateway_ratio group=%s cpu_natkeyd_to_best_peer=%.2f (%s) rss_natkeyd_to_best_peer=%.2f (%s)\n",
				g, ncpu[g] / pcpu[g], pcn[g], nrss[g] / prss[g], prn[g]
}' "$out/bench.txt"
[ $rc -eq 0 ] || echo "bench_gateway: not every gateway established all $n tunnels (see $out)" >&2
exit $rc
