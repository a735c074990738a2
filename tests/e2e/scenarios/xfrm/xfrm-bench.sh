# shellcheck shell=bash
# xfrm-bench: install 10,000 SA pairs (tunnel, ESP-in-UDP, AES-CBC/HMAC-SHA-256) with their
# out/in/fwd policies through xfrm/ (batched netlink, xfrm_ktest bench), remove them with the
# ownership cleanup (dump + batched deletes), then do the same work with `ip -batch` in another
# namespace. Writes the figures to xfrm/bench.txt; tests/bench/bench_xfrm.sh prints them. Not part of
# the suite (a few minutes in UML); its short form xfrm-bench-smoke is. NATKEYD_BUILD must hold
# tests/xfrm/xfrm_ktest.
default_topology=direct

scenario() {
	local K=$NATKEYD_BUILD/tests/xfrm/xfrm_ktest N=${XFRM_BENCH_PAIRS:-10000} OUT=$E2E_OUT/xfrm t0 t1 t2
	mkdir -p "$OUT"
	ip netns add xb1 || fail "cannot create namespace"
	ip netns add xb2 || fail "cannot create namespace"
	ip netns exec xb1 "$K" bench $N > "$OUT/natkeyd.txt" 2>&1 || fail "natkeyd bench failed: $(cat "$OUT/natkeyd.txt")"
	cat "$OUT/natkeyd.txt"
	"$K" bench-ipbatch $N "$E2E_RUN/add.batch" || fail "cannot write the ip batch"
	awk '$2 == "state" { print "xfrm state delete src", $5, "dst", $7, "proto esp spi", $11; next }
	     $2 == "policy" { print "xfrm policy delete src", $5, "dst", $7, "dir", $9 }' \
		"$E2E_RUN/add.batch" > "$E2E_RUN/del.batch"
	t0=${EPOCHREALTIME/./}
	ip -n xb2 -batch "$E2E_RUN/add.batch" || fail "ip -batch add failed"
	t1=${EPOCHREALTIME/./}
	[ "$(ip -n xb2 xfrm state | grep -c '^src')" = $((2 * N)) ] || fail "ip -batch did not install every SA"
	ip -n xb2 -batch "$E2E_RUN/del.batch" || fail "ip -batch delete failed"
	t2=${EPOCHREALTIME/./}
	[ "$(ip -n xb2 xfrm state | grep -c '^src')" = 0 ] || fail "ip -batch did not remove every SA"
	awk -v n=$N -v a=$((t1 - t0)) -v d=$((t2 - t1)) '
		/^natkeyd install/ {
			for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			ip = 2 * n / (a / 1e6)
			printf "BENCH xfrm sa_per_s=%d ipbatch_sa_per_s=%d ratio=%.2f remove_s=%.2f ipbatch_remove_s=%.2f pairs=%d\n",
				v["sa_per_s"], ip, v["sa_per_s"] / ip, v["remove_s"], d / 1e6, n
		}' "$OUT/natkeyd.txt" > "$OUT/bench.txt"
	cat "$OUT/bench.txt"
	grep -q '^BENCH xfrm' "$OUT/bench.txt" || fail "no bench result"
	ip netns del xb1
	ip netns del xb2
}
