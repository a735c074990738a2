#!/bin/bash
# scripts/test.sh counts what it checks (issue 12): its counting functions
# (scripts/test-lib.sh) are fed fake automake results and fake e2e results,
# and the counts must come out exactly. Each case below once passed silently:
# an automake SKIP (exit 77) counted as a pass, a stale .trs of a test no
# longer in TESTS (or no longer compiling) was counted, a planned test or
# scenario with no result vanished, an e2e suite that could not run was
# dropped, an interoperability row whose capture checks failed counted as
# passed.
set -u
srcdir=${srcdir:-.}
# The knobs of the run that called make check must not steer these cases.
unset NATKEYD_E2E NATKEYD_FRESH_ROOT NATKEYD_INTEROP
# shellcheck source=../../scripts/test-lib.sh
source "$srcdir/scripts/test-lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
expect() { # what passed failed
	if [ "$passed" -eq "$2" ] && [ "$failed" -eq "$3" ]; then
		echo "ok: $1 ($passed passed, $failed failed)"
	else
		echo "FAIL: $1: counted $passed passed, $failed failed; want $2 passed, $3 failed"
		[ ${#failures[@]} -eq 0 ] || printf '  failure: %s\n' "${failures[@]}"
		bad=1
	fi
	passed=0 failed=0 failures=() not_run=()
}
result() { # dir test result log-text...
	local d=$1 t=$2 r=$3
	shift 3
	mkdir -p "$(dirname "$d/$t")"
	printf ':test-result: %s\n:global-test-result: %s\n' "$r" "$r" >"$d/$t.trs"
	printf '%s\n' "$@" >"$d/$t.log"
}

# A build folder whose TESTS list names six tests; a seventh result is stale.
b=$tmp/build
mkdir -p "$b/tests"
printf 'TEST_LOGS = tests/a.log tests/b.sh.log tests/c.log tests/d.sh.log tests/e.log tests/gone.log\n' >"$b/Makefile"
result "$b" tests/a PASS "Running suite(s): a" "100%: Checks: 5, Failures: 0, Errors: 0"
result "$b" tests/b.sh PASS "ok: b"
result "$b" tests/c FAIL "60%: Checks: 5, Failures: 1, Errors: 1"
result "$b" tests/d.sh SKIP "d: man is not installed"
result "$b" tests/e FAIL "100%: Checks: 2, Failures: 0, Errors: 0" "==1==ERROR: LeakSanitizer: detected memory leaks"
result "$b" tests/old PASS "100%: Checks: 100, Failures: 0, Errors: 0"
[ "$(unit_tests "$b" | wc -l)" -eq 6 ] || { echo "FAIL: unit_tests did not read TEST_LOGS"; bad=1; }
unit_count unit "$b" 2 >/dev/null
# a: 5 passed; b: 1 passed; c: 3 passed 2 failed; d (SKIP): 1 failed;
# e: 2 passed + 1 failed (sanitizer at exit); gone (no result): 1 failed;
# old (not in TESTS): not counted.
expect "unit_count: TESTS list only, SKIP and missing results fail" 11 5

# make check failed (a test program did not compile) but every listed test
# that left a result passed: one failure, never a clean count.
b2=$tmp/build2
mkdir -p "$b2/tests"
printf 'TEST_LOGS = tests/a.log\n' >"$b2/Makefile"
result "$b2" tests/a PASS "100%: Checks: 3, Failures: 0, Errors: 0"
unit_count unit "$b2" 2 >/dev/null
expect "unit_count: make check failed with no failed test" 3 1
unit_count unit "$b2" 0 >/dev/null
expect "unit_count: the same with make check passing" 3 0

# Stale results are removed before make check.
unit_clear "$b"
if [ -n "$(find "$b" -name '*.trs' -o -name '*.log')" ]; then
	echo "FAIL: unit_clear left results in $b"
	bad=1
fi
unit_count unit "$b" 2 >/dev/null
expect "unit_count after unit_clear: every planned test lacks a result" 0 6

# No TESTS list at all (not an automake build folder).
b3=$tmp/build3
mkdir -p "$b3"
printf 'all:\n' >"$b3/Makefile"
unit_count unit "$b3" 0 >/dev/null
expect "unit_count: no test list" 0 1

# The end-to-end suite: every planned scenario counts.
s=$tmp/src
mkdir -p "$s/tests/e2e/suite.d"
printf '# comment\none@rw-nat\ntwo@direct\n\n' >"$s/tests/e2e/suite.txt"
printf 'three@rw-nat\n' >"$s/tests/e2e/suite.d/x.txt"
printf '#!/bin/sh\n' >"$s/tests/e2e/run-all"
chmod -x "$s/tests/e2e/run-all"
e2e_planned "$s" && { echo "FAIL: e2e_planned ran a suite whose run-all is not executable"; bad=1; }
expect "e2e_planned: run-all not executable is a failure" 0 1
chmod +x "$s/tests/e2e/run-all"
NATKEYD_E2E=0 e2e_planned "$s" && { echo "FAIL: e2e_planned ignored NATKEYD_E2E=0"; bad=1; }
[ ${#not_run[@]} -eq 1 ] || { echo "FAIL: NATKEYD_E2E=0 not listed as not run"; bad=1; }
expect "e2e_planned: NATKEYD_E2E=0 is listed, not counted" 0 0
e2e_planned "$s" || { echo "FAIL: e2e_planned refused a runnable suite"; bad=1; }
expect "e2e_planned: runnable" 0 0
printf 'PASS one@rw-nat\nFAIL three@rw-nat\n' >"$tmp/results.txt"
e2e_count "$s" "$tmp/results.txt" 1
expect "e2e_count: a scenario without result fails" 1 2
e2e_count "$s" "$tmp/nonexistent.txt" 2
expect "e2e_count: no results file: every planned scenario fails" 0 3
printf 'PASS one@rw-nat\nPASS two@direct\nPASS three@rw-nat\n' >"$tmp/results.txt"
e2e_count "$s" "$tmp/results.txt" 0
expect "e2e_count: all passed" 3 0
e2e_count "$s" "$tmp/results.txt" 2
expect "e2e_count: run-all failed although all passed" 3 1

# The fresh-machine stage is left out only on request.
stage_planned fresh-root || { echo "FAIL: stage_planned left out fresh-root"; bad=1; }
NATKEYD_FRESH_ROOT=0 stage_planned fresh-root && { echo "FAIL: NATKEYD_FRESH_ROOT=0 ignored"; bad=1; }
[ ${#not_run[@]} -eq 1 ] || { echo "FAIL: NATKEYD_FRESH_ROOT=0 not listed as not run"; bad=1; }
stage_planned fuzz || { echo "FAIL: stage_planned left out fuzz"; bad=1; }
expect "stage_planned" 0 0

# The interoperability matrix counts the host's verdict of every row
# (interop-report's verdicts.tsv), not the guest's results.tsv: a row whose
# capture checks failed, a row planned but not run, a guest without rows.
printf 'g1@rw-nat\ng2@direct\nctl@rw-nat\ngone@rw-nat\n' >"$tmp/suite.txt"
{
	printf 'g1@rw-nat\tix01-st-i-psk\tstrongswan\t5\ti\trw-nat\tpsk\tpass\t0.1\t\n'
	printf 'g1@rw-nat\tix02-st-i-rsa\tstrongswan\t5\ti\trw-nat\trsa\tfail\t0.1\tcapture: no plain ESP\n'
	printf 'g1@rw-nat\tix03-st-i-aggr\tstrongswan\t?\ti\trw-nat\taggr\tfail\t-\tnot run: the guest ended\n'
	printf 'g2@direct\tix01-li-r-psk\tlibreswan\t4\tr\tdirect\tpsk\tn/a\t-\tcannot\n'
	printf 'g2@direct\tix02-li-r-rsa\tlibreswan\t4\tr\tdirect\trsa\tpass\t0.2\t\n'
	printf 'ctl@rw-nat\tix01-co-c-rsa\tcontrol\t4\tc\trw-nat\trsa\tpass\t0.4\t\n'
} >"$tmp/verdicts.tsv"
interop_count "$tmp/suite.txt" "$tmp/verdicts.tsv" 1 >/dev/null
# g1: 1 passed, 2 failed; g2: 1 passed (n/a listed, not counted); ctl: 1
# passed under its own label; gone: no rows, 1 failed.
expect "interop_count: host verdicts, rows not run, guests without rows" 3 3
interop_count "$tmp/suite.txt" "$tmp/verdicts.tsv" 1 >/dev/null
printf '%s\n' "${failures[@]}" | grep -q '^interop gone@rw-nat: no result rows' ||
	{ echo "FAIL: interop_count: no failure named the guest without rows"; bad=1; }
passed=0 failed=0 failures=()
printf 'ctl@rw-nat\n' >"$tmp/suite1.txt"
interop_count "$tmp/suite1.txt" "$tmp/verdicts.tsv" 0 >/dev/null
[ "${failures[*]:-}" = "" ] && [ "$passed" -eq 1 ] || { echo "FAIL: interop_count: the control"; bad=1; }
passed=0 failed=0 failures=()
record x 0
interop_count "$tmp/suite1.txt" "$tmp/verdicts.tsv" 1 >/dev/null
expect "interop_count: interop-run failed although no row did" 2 1
interop_count "$tmp/suite.txt" "$tmp/nonexistent.tsv" 2 >/dev/null
expect "interop_count: no verdicts: every planned guest fails" 0 4
interop_planned || { echo "FAIL: interop_planned left out the matrix"; bad=1; }
NATKEYD_INTEROP=0 interop_planned && { echo "FAIL: NATKEYD_INTEROP=0 ignored"; bad=1; }
[ ${#not_run[@]} -eq 1 ] || { echo "FAIL: NATKEYD_INTEROP=0 not listed as not run"; bad=1; }
expect "interop_planned" 0 0

# The wire checks' negative controls: one count per control line.
printf 'PASS wire good-i@rw-nat: all pass\nFAIL wire plain-esp-i@rw-nat: "no plain ESP" did not fail\nPASS wire no-natd-i@rw-nat: fails\n' >"$tmp/wire.log"
wire_count "$tmp/wire.log" 1
expect "wire_count: one per control" 2 1
: >"$tmp/wire0.log"
wire_count "$tmp/wire0.log" 0
expect "wire_count: no control line is a failure" 0 1
printf 'PASS wire good-i@rw-nat: all pass\n' >"$tmp/wire1.log"
wire_count "$tmp/wire1.log" 127
expect "wire_count: a failed exit no line explains" 1 1

# The closing line.
record a 0
record b 1
line=$(summary | tail -n1)
[ "$line" = "natkeyd: 1 passed, 1 failed" ] || { echo "FAIL: summary printed '$line'"; bad=1; }
summary >/dev/null && { echo "FAIL: summary returned 0 with a failure"; bad=1; }
exit $bad
