#!/bin/bash
# natkeyd's whole test suite: unit tests (normal and ASan+UBSan builds),
# fuzz-corpus replay, the in-memory simulations, and the end-to-end scenarios
# in user-mode-linux. Ends with one line "natkeyd: N passed, N failed".
#   scripts/test.sh            everything
#   NATKEYD_E2E=0 scripts/test.sh   skip the user-mode-linux scenarios
#   NATKEYD_INTEROP=0 scripts/test.sh   skip only the interoperability matrix
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${NATKEYD_TEST_OUT:-$src/build/test-results}
rm -rf "$out"; mkdir -p "$out"

"$src/scripts/deps.sh" || exit 1

werror=""
[ "${CI:-}" = true ] && werror=--enable-werror

passed=0 failed=0
failures=()
record() { # name status
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1)); failures+=("$1")
	fi
}

# Unit tests: count each check case; the check runner's summaries are printed.
unit_stage() { # name builddir configure-args...
	local name=$1 dir=$2; shift 2
	echo "== $name: build ($dir)"
	if ! "$src/scripts/build.sh" "$dir" "$@" >"$out/$name-build.log" 2>&1; then
		cat "$out/$name-build.log"; record "$name build" 1; return
	fi
	echo "== $name: make check"
	make -C "$dir" -s check >"$out/$name-check.log" 2>&1
	local rc=$?
	local logs
	logs=$(find "$dir/tests" -name '*.log' ! -name test-suite.log 2>/dev/null | sort)
	# Every check runner prints "NN%: Checks: N, Failures: F, Errors: E".
	local line n f e
	while read -r line; do
		[ -n "$line" ] || continue
		echo "   $line"
		n=$(sed -n 's/.*Checks: \([0-9]*\).*/\1/p' <<<"$line")
		f=$(sed -n 's/.*Failures: \([0-9]*\).*/\1/p' <<<"$line")
		e=$(sed -n 's/.*Errors: \([0-9]*\).*/\1/p' <<<"$line")
		passed=$((passed + n - f - e)); failed=$((failed + f + e))
	done < <([ -z "$logs" ] || grep -h 'Checks: ' $logs)
	# Programs without a check summary (replays, scripts) count once each; a
	# check program whose summary was clean but that still failed (a sanitizer
	# report at exit) counts as one more failure.
	local trs log res
	for trs in $(find "$dir/tests" -name '*.trs' 2>/dev/null | sort); do
		log=${trs%.trs}.log
		res=0
		grep -q '^:test-result: \(FAIL\|ERROR\|XPASS\)' "$trs" && res=1
		if ! grep -q 'Checks: ' "$log" || [ $res -ne 0 ]; then
			record "$name ${trs#$dir/}" $res
		fi
	done
	if [ $rc -ne 0 ]; then
		tail -40 "$out/$name-check.log"
		for l in $logs; do grep -q ':test-result: PASS' "${l%.log}.trs" || { echo "--- $l"; tail -30 "$l"; }; done
	fi
	[ $rc -eq 0 ] || [ -n "$logs" ] || record "$name make check" 1
}

unit_stage unit "$src/build/default" $werror
unit_stage sanitizers "$src/build/asan" --enable-sanitizers $werror

# The tree builds warning-free with clang too, is formatted, and distributes.
echo "== clang: build with -Werror"
CC=clang "$src/scripts/build.sh" "$src/build/clang" --enable-werror >"$out/clang-build.log" 2>&1
rc=$?; [ $rc -eq 0 ] || tail -30 "$out/clang-build.log"; record "clang -Werror build" $rc
echo "== format: clang-format --dry-run"
(cd "$src" && git ls-files '*.c' '*.h' ':!tests/vectors/**' | xargs -r clang-format --dry-run --Werror) >"$out/format.log" 2>&1
rc=$?; [ $rc -eq 0 ] || head -30 "$out/format.log"; record "clang-format" $rc
echo "== distcheck"
make -C "$src/build/default" -s distcheck >"$out/distcheck.log" 2>&1
rc=$?; [ $rc -eq 0 ] || tail -30 "$out/distcheck.log"; record "make distcheck" $rc

# Optional stages that later modules add: each is a script that exits 0/1.
for stage in "$src"/tests/stages/*.sh; do
	[ -e "$stage" ] || continue
	name=$(basename "$stage" .sh)
	echo "== $name"
	NATKEYD_BUILD="$src/build/default" NATKEYD_OUT="$out/$name" bash "$stage"
	record "$name" $?
done

if [ "${NATKEYD_E2E:-1}" != 0 ] && [ -x "$src/tests/e2e/run-all" ]; then
	echo "== end-to-end (user-mode-linux)"
	NATKEYD_BUILD="$src/build/default" "$src/tests/e2e/run-all" "$out/e2e"
	while read -r st name; do
		record "e2e $name" "$([ "$st" = PASS ] && echo 0 || echo 1)"
	done < <(cat "$out/e2e/results.txt" 2>/dev/null)
	[ -s "$out/e2e/results.txt" ] || record "e2e (no results written)" 1

	# The interoperability matrix with strongSwan and Libreswan (issue 8):
	# one check per row; its table goes to $out/interop.md (docs/interop.md
	# is regenerated from such a run with tests/e2e/interop-report).
	if [ "${NATKEYD_INTEROP:-1}" != 0 ]; then
		echo "== interoperability matrix (user-mode-linux)"
		NATKEYD_BUILD="$src/build/default" INTEROP_REPORT="$out/interop.md" \
			"$src/tests/e2e/interop-run" "$out/interop"
		while read -r n _; do
			case $n in '' | \#*) continue ;; esac
			rows="$out/interop/$n/interop/results.tsv"
			if [ ! -s "$rows" ]; then
				record "interop $n (no results: $out/interop/$n)" 1
				continue
			fi
			while IFS=$'\t' read -r id _ _ _ _ _ result _; do
				record "interop $n $id" "$([ "$result" = pass ] && echo 0 || echo 1)"
			done <"$rows"
		done <"$src/tests/e2e/interop-suite.txt"
	fi
fi

echo
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "logs: $out"
echo "natkeyd: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
