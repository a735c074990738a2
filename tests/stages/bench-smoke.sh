#!/bin/bash
# Test stage: every benchmark program (BENCH_BINS in the local.mk files) runs
# in its short mode (BENCH_SHORT=1) from the build folder scripts/test.sh
# made, so a benchmark that no longer builds, crashes, stops printing its
# BENCH line or reports error=... fails CI. The long runs stay in
# `make bench` (their figures: tests/bench/bench-report). Then two negative
# controls prove bench_handshake's checks can fail: a bound without the
# engine's two cookie HMACs (the omission of issue 12) and an engine rate
# scaled above its bound must each end in error=... and exit 1.
# The kernel benchmark (bench_xfrm.sh) needs the user-mode-linux bed; its
# short form is the e2e scenario xfrm-bench-smoke.
#
# Env: NATKEYD_BUILD (build folder, default build/default), NATKEYD_OUT
# (logs). Exits 1 with a reason when anything failed or could not run.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${NATKEYD_BUILD:-$src/build/default}
out=${NATKEYD_OUT:-$src/build/bench-smoke}
mkdir -p "$out"

bins=$(find "$src" -name local.mk ! -path "$src/build/*" -exec sed -n 's/^BENCH_BINS += *//p' {} + |
	tr -s ' \t' '\n' | sort -u)
if [ -z "$bins" ]; then
	echo "bench-smoke: FAIL no BENCH_BINS found in any local.mk under $src"
	exit 1
fi

rc=0
fail() {
	echo "bench-smoke: FAIL $*"
	rc=1
}

# run NAME EXPECT_RC [ENV=VALUE...]: one short run, its BENCH lines.
run() {
	local bin=$1 want=$2 log st
	shift 2
	log=$out/$(basename "$bin")${1:+-neg}.log
	env BENCH_SHORT=1 "$@" timeout 300 "$build/$bin" >"$log" 2>&1
	st=$?
	grep '^BENCH ' "$log" | sed 's/^/   /'
	if [ "$st" != "$want" ]; then
		fail "$bin ${*:-} exited $st, expected $want (log: $log)"
		tail -5 "$log"
		return 1
	fi
	if ! grep -q '^BENCH ' "$log"; then
		fail "$bin ${*:-} printed no BENCH line (log: $log)"
		return 1
	fi
	return 0
}

for bin in $bins; do
	if [ ! -x "$build/$bin" ]; then
		fail "$bin is not built in $build"
		continue
	fi
	echo "bench-smoke: $bin"
	if run "$bin" 0 && grep '^BENCH ' "$out/$(basename "$bin").log" | grep -q 'error='; then
		fail "$bin reported a bench error"
	fi
done

# Negative controls: bench_handshake's two checks must be able to fail.
hs=tests/bench/bench_handshake
if [ -x "$build/$hs" ]; then
	echo "bench-smoke: $hs, bound without the cookie HMACs (must fail)"
	if run "$hs" 1 BENCH_BOUND_WITHOUT_COOKIES=1 BENCH_NO_MEMORY=1 BENCH_GROUP=19 &&
		! grep -q 'error=bound_is_not_the_engines_crypto' "$out/bench_handshake-neg.log"; then
		fail "$hs did not report the incomplete bound"
	fi
	echo "bench-smoke: $hs, engine rate x3 (must fail)"
	if run "$hs" 1 BENCH_ENGINE_SCALE=3 BENCH_NO_MEMORY=1 BENCH_GROUP=19 &&
		! grep -q 'error=ratio_above_1_beyond_spread' "$out/bench_handshake-neg.log"; then
		fail "$hs did not report a ratio above its bound"
	fi
else
	fail "$hs is not built in $build (negative controls not run)"
fi
[ $rc -eq 0 ] && echo "bench-smoke: every benchmark ran in its short mode"
exit $rc
