#!/bin/bash
# Test stage: build every libFuzzer target with clang in a separate build
# folder and run each for a bounded time. Called by scripts/test.sh with
# NATKEYD_OUT = an output folder (logs, grown corpora, crash artifacts).
#
# Convention: a target is built as tests/fuzz/fuzz_NAME (or tests/fuzz_NAME)
# and seeded from tests/fuzz/corpus/NAME/ (copied, the committed corpus stays as
# it is). A crash leaves its reproducer in $NATKEYD_OUT/crashes/NAME/; commit
# it to tests/fuzz/crashes/NAME/ so `make check` replays it from then on.
#
# Env: FUZZ_SECONDS (default 30) per target; exits 0 when no target crashed,
# 1 when one did or when the stage cannot run (no clang: a stage that could
# not run is a failure, never a pass).
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${NATKEYD_OUT:-$src/build/fuzz-out}
secs=${FUZZ_SECONDS:-30}
build=$src/build/fuzz

if ! command -v clang >/dev/null 2>&1; then
	echo "fuzz: FAIL: clang is not installed, the fuzzers cannot run (scripts/packages/build.txt: scripts/deps.sh build)"
	exit 1
fi
mkdir -p "$out"
if ! CC=clang "$src/scripts/build.sh" "$build" --enable-fuzzing --enable-sanitizers >"$out/build.log" 2>&1; then
	echo "fuzz: build failed, see $out/build.log"
	tail -20 "$out/build.log"
	exit 1
fi

rc=0
n=0
for bin in "$build"/tests/fuzz/fuzz_* "$build"/tests/fuzz_*; do
	if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then continue; fi
	case $bin in *.o | *.sh) continue ;; esac
	name=$(basename "$bin")
	name=${name#fuzz_}
	corpus=$out/corpus/$name
	crashes=$out/crashes/$name
	mkdir -p "$corpus" "$crashes"
	[ -d "$src/tests/fuzz/corpus/$name" ] && cp -r "$src/tests/fuzz/corpus/$name/." "$corpus/"
	echo "fuzz: $name for ${secs}s"
	if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="$crashes/" "$corpus" >"$out/$name.log" 2>&1; then
		echo "fuzz: $name FAILED, reproducers in $crashes:"
		ls "$crashes"
		tail -30 "$out/$name.log"
		rc=1
	else
		grep -E '^#[0-9]+.*(DONE|pulse)' "$out/$name.log" | tail -1
	fi
	n=$((n + 1))
done
if [ $n -eq 0 ]; then
	echo "fuzz: no fuzz targets were built"
	exit 1
fi
exit $rc
