#!/bin/bash
# natkeyd's whole test suite: unit tests (normal and ASan+UBSan builds),
# fuzz-corpus replay, the in-memory simulations, and the end-to-end scenarios
# in user-mode-linux. Ends with one line "natkeyd: N passed, N failed".
#   scripts/test.sh            everything
#   NATKEYD_E2E=0 scripts/test.sh   skip the user-mode-linux scenarios and the matrix
#   NATKEYD_FRESH_ROOT=0 scripts/test.sh   skip only the fresh-machine stage (tests/stages/fresh-root.sh)
#   NATKEYD_INTEROP=0 scripts/test.sh   skip only the interoperability matrix
#   (the matrix's wire-check negative controls run on the host either way)
# Whatever is left out on request is listed as NOT RUN before the count; a
# stage that cannot run is a failure.
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${NATKEYD_TEST_OUT:-$src/build/test-results}
rm -rf "$out"; mkdir -p "$out"

"$src/scripts/deps.sh" || exit 1

werror=""
[ "${CI:-}" = true ] && werror=--enable-werror

# Counting (record, unit_count, ...) lives in scripts/test-lib.sh, which
# tests/scripts/check_test_count.sh checks with fake results.
# shellcheck source=test-lib.sh
source "$src/scripts/test-lib.sh"

# Unit tests: count each check case of the current TESTS list; the check
# runner's summaries are printed.
unit_stage() { # name builddir configure-args...
	local name=$1 dir=$2; shift 2
	echo "== $name: build ($dir)"
	if ! "$src/scripts/build.sh" "$dir" "$@" >"$out/$name-build.log" 2>&1; then
		cat "$out/$name-build.log"; record "$name build" 1; return
	fi
	echo "== $name: make check"
	unit_clear "$dir"
	make -C "$dir" -s check >"$out/$name-check.log" 2>&1
	local rc=$? l
	unit_count "$name" "$dir" $rc
	if [ $rc -ne 0 ]; then
		tail -40 "$out/$name-check.log"
		for l in $(unit_tests "$dir"); do
			grep -q ':test-result: PASS' "$dir/${l%.log}.trs" 2>/dev/null || { echo "--- $dir/$l"; tail -30 "$dir/$l" 2>/dev/null; }
		done
	fi
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
	stage_planned "$name" || continue
	echo "== $name"
	NATKEYD_BUILD="$src/build/default" NATKEYD_OUT="$out/$name" bash "$stage"
	record "$name" $?
done

# Negative controls of the interoperability matrix's wire assertions (host
# only, no user-mode-linux): crafted captures, the matrix's own checks must
# pass on the correct ones and fail on each broken one. One check each.
echo "== interoperability wire checks: negative controls"
"$src/tests/e2e/interop-wire-selftest" "$out/interop-wire" >"$out/interop-wire.log" 2>&1
wire_count "$out/interop-wire.log" $?
echo "   $(grep -c '^PASS' "$out/interop-wire.log") controls passed ($out/interop-wire.log)"

if e2e_planned "$src"; then
	echo "== end-to-end (user-mode-linux)"
	NATKEYD_BUILD="$src/build/default" "$src/tests/e2e/run-all" "$out/e2e"
	e2e_count "$src" "$out/e2e/results.txt" $?

	# The interoperability matrix with strongSwan and Libreswan (issue 8):
	# one check per planned row. The row's verdict is the host's, after its
	# capture assertions (tests/e2e/interop-report writes it to
	# verdicts.tsv and docs/interop.md's table from the same rows); a row
	# planned but not run, and a guest that failed outside its rows, are
	# failures; so is an interop-run failure that no row explains. Controls
	# (role c: the reference peers against each other, no natkeyd) are
	# counted under their own label.
	if interop_planned; then
		echo "== interoperability matrix (user-mode-linux)"
		NATKEYD_BUILD="$src/build/default" INTEROP_REPORT="$out/interop.md" \
			"$src/tests/e2e/interop-run" "$out/interop"
		interop_count "$src/tests/e2e/interop-suite.txt" "$out/interop/verdicts.tsv" $?
	fi
fi

echo
echo "logs: $out"
summary
