# shellcheck shell=bash
# scripts/test-lib.sh: how scripts/test.sh counts, sourced by it and by its
# self-test (tests/scripts/check_test_count.sh feeds it fake results). One
# rule: every check that was planned ends as passed or failed; a check that
# could not run, was skipped or left no result is a failure with its reason.

passed=0 failed=0
failures=()   # one line per failure, printed before the closing count
not_run=()    # stages left out on request (NATKEYD_E2E=0, ...), printed too

record() { # name status
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures+=("$1")
	fi
}

# unit_clear DIR: forget the results of an earlier `make check` in DIR (a
# test program that no longer builds must not be counted from its old .trs).
unit_clear() {
	local trs
	while IFS= read -r trs; do
		rm -f "$trs" "${trs%.trs}.log"
	done < <(find "$1" -name '*.trs' 2>/dev/null)
	rm -f "$1/test-suite.log"
}

# unit_tests DIR: the log files of DIR's current TESTS list (automake's
# TEST_LOGS, relative to DIR), one per line.
unit_tests() {
	# A make that runs inside another (the self-test under make check) must
	# not inherit its variables (automake passes TEST_LOGS=... on its command
	# line, which reaches the environment): a clean environment.
	# shellcheck disable=SC2016
	printf 'natkeyd-print-test-logs:\n\t@echo $(TEST_LOGS)\n' |
		env -i PATH="$PATH" make -s --no-print-directory -C "$1" -f Makefile -f - natkeyd-print-test-logs 2>/dev/null |
		tr ' ' '\n' | grep -E '\.log$'
}

# unit_count NAME DIR RC: count what `make -C DIR check` (exit status RC) ran.
# Only the tests of the current TESTS list count. A check runner's summary
# ("NN%: Checks: N, Failures: F, Errors: E") counts each check case; a test
# without one counts once. A test counts as passed only with the automake
# result PASS: FAIL, ERROR, XPASS, XFAIL and SKIP (exit 77) are failures, and
# so is a test with no result (not built, not run). A check program whose
# cases passed but whose result is not PASS (a sanitizer report at exit)
# counts one more failure. If make check failed and no test did, that is one
# more failure too.
unit_count() {
	local name=$1 dir=$2 rc=$3 f0=$failed list t trs log line n f e res
	list=$(unit_tests "$dir")
	if [ -z "$list" ]; then
		record "$name: no test list (TEST_LOGS) in $dir/Makefile" 1
		return
	fi
	for t in $list; do
		log=$dir/$t
		trs=$dir/${t%.log}.trs
		if [ ! -f "$trs" ] || [ ! -f "$log" ]; then
			record "$name ${t%.log}: no result (not built or not run)" 1
			continue
		fi
		res=$(sed -n 's/^:test-result: *\([A-Z]*\).*/\1/p' "$trs" | sort -u | tr '\n' ' ')
		res=${res% }
		local summary=0 sumfail=0
		while IFS= read -r line; do
			[ -n "$line" ] || continue
			summary=1
			echo "   $line"
			n=$(sed -n 's/.*Checks: \([0-9]*\).*/\1/p' <<<"$line")
			f=$(sed -n 's/.*Failures: \([0-9]*\).*/\1/p' <<<"$line")
			e=$(sed -n 's/.*Errors: \([0-9]*\).*/\1/p' <<<"$line")
			passed=$((passed + ${n:-0} - ${f:-0} - ${e:-0}))
			if [ $((${f:-0} + ${e:-0})) -gt 0 ]; then
				failed=$((failed + ${f:-0} + ${e:-0}))
				sumfail=1
				failures+=("$name ${t%.log}: ${f:-0} failures, ${e:-0} errors")
			fi
		done < <(grep -h 'Checks: [0-9]*, Failures: [0-9]*, Errors: [0-9]*' "$log")
		if [ "$res" = PASS ]; then
			[ $summary -eq 1 ] || record "$name ${t%.log}" 0
		elif [ "$res" = SKIP ]; then
			record "$name ${t%.log}: skipped (exit 77): $(grep -v '^ *$' "$log" | tail -n1)" 1
		elif [ $sumfail -eq 0 ]; then
			# No failed case explains it: no summary, a crash after it, a
			# sanitizer report at exit, or no result line at all.
			record "$name ${t%.log}: ${res:-no result line}" 1
		fi
	done
	if [ "$rc" -ne 0 ] && [ "$failed" -eq "$f0" ]; then
		record "$name make check (exit $rc, no test failed: a build error?)" 1
	fi
}

# e2e_planned SRC: 0 when the end-to-end suite is to run. Not on request
# (NATKEYD_E2E=0: listed as not run); a suite that cannot run (run-all
# missing or not executable) is a failure.
e2e_planned() {
	if [ "${NATKEYD_E2E:-1}" = 0 ]; then
		not_run+=("end-to-end suite and interoperability matrix (NATKEYD_E2E=0)")
		return 1
	fi
	if [ ! -x "$1/tests/e2e/run-all" ]; then
		record "e2e: tests/e2e/run-all is missing or not executable: the end-to-end suite cannot run" 1
		return 1
	fi
	return 0
}

# e2e_count SRC RESULTS RC: every scenario that tests/e2e/suite.txt and
# suite.d/*.txt plan counts once: passed only with a "PASS name" line in
# RESULTS (run-all's results.txt; RC its exit status), failed otherwise (FAIL,
# or no result: run-all stopped early). A run-all that failed although every
# planned scenario passed is one failure more.
e2e_count() {
	local src=$1 results=$2 rc=$3 f0=$failed n st planned=0
	local -A got=()
	if [ -f "$results" ]; then
		while read -r st n; do
			[ -n "$n" ] && got[$n]=$st
		done <"$results"
	fi
	while read -r n _; do
		case $n in '' | \#*) continue ;; esac
		planned=$((planned + 1))
		case ${got[$n]:-} in
		PASS) record "e2e $n" 0 ;;
		FAIL) record "e2e $n" 1 ;;
		*) record "e2e $n: no result (run-all exit $rc, see its output above)" 1 ;;
		esac
	done < <(cat "$src/tests/e2e/suite.txt" "$src"/tests/e2e/suite.d/*.txt 2>/dev/null)
	[ $planned -gt 0 ] || record "e2e: tests/e2e/suite.txt and suite.d/*.txt plan no scenario" 1
	if [ "$rc" -ne 0 ] && [ "$failed" -eq "$f0" ]; then
		record "e2e: run-all exited $rc although every planned scenario passed" 1
	fi
}

# stage_planned NAME: 0 when the stage tests/stages/NAME.sh is to run; the
# user can leave out the fresh-machine stage (NATKEYD_FRESH_ROOT=0; it is
# listed as not run).
stage_planned() {
	case $1 in
	fresh-root)
		if [ "${NATKEYD_FRESH_ROOT:-1}" = 0 ]; then
			not_run+=("stage $1 (NATKEYD_FRESH_ROOT=0)")
			return 1
		fi
		;;
	esac
	return 0
}

# wire_count LOG RC: the interoperability matrix's wire-check negative
# controls (tests/e2e/interop-wire-selftest, exit status RC, its output in
# LOG): each "PASS wire NAME ..." / "FAIL wire NAME: ..." line counts once;
# no line at all, or a failed exit no FAIL line explains, is a failure.
wire_count() {
	local log=$1 rc=$2 st name rest n=0 nf=0
	while read -r st _ name rest; do
		case $st in
		PASS) record "interop wire $name" 0 ;;
		FAIL) record "interop wire $name: $rest" 1; nf=$((nf + 1)) ;;
		*) continue ;;
		esac
		n=$((n + 1))
	done < <(cat "$log" 2>/dev/null)
	[ "$n" -gt 0 ] || record "interop wire selftest wrote no result ($log)" 1
	[ "$rc" -eq 0 ] || [ "$nf" -gt 0 ] || record "interop wire selftest exited $rc ($log)" 1
}

# interop_planned: 0 when the interoperability matrix is to run (not on
# request: NATKEYD_INTEROP=0, listed as not run).
interop_planned() {
	if [ "${NATKEYD_INTEROP:-1}" = 0 ]; then
		not_run+=("interoperability matrix (NATKEYD_INTEROP=0)")
		return 1
	fi
	return 0
}

# interop_count SUITE VERDICTS RC: every guest SUITE (interop-suite.txt)
# plans counts by the rows tests/e2e/interop-report wrote to VERDICTS (its
# verdicts.tsv: scenario, id, peer, version, role, topology, setup, result,
# seconds, reason; the host's verdict after the capture checks; rows planned
# but not run and guests that failed outside their rows are already fail
# rows there). A row counts once: pass passes, n/a is listed, anything else
# fails. A planned guest without rows fails; so does an interop-run that
# failed (RC) while no row did. Rows of role c (controls between the
# reference peers, no natkeyd) count under their own label.
interop_count() {
	local suite=$1 v=$2 rc=$3 n id role setup result reason label bad=0
	while read -r n _; do
		case $n in '' | \#*) continue ;; esac
		if ! awk -F'\t' -v s="$n" '$1 == s { f = 1 } END { exit !f }' "$v" 2>/dev/null; then
			record "interop $n: no result rows ($v)" 1
			bad=$((bad + 1))
			continue
		fi
		while IFS=$'\037' read -r id role setup result reason; do
			label="interop $n $id"
			[ "$role" = c ] && label="interop control (no natkeyd) $n $id"
			case $result in
			pass) record "$label" 0 ;;
			n/a) echo "   not applicable: $label ($reason)" ;;
			*)
				record "$label ($setup: ${reason:-no reason})" 1
				bad=$((bad + 1))
				;;
			esac
		done < <(awk -F'\t' -v s="$n" -v OFS='\037' '$1 == s { print $2, $5, $7, $8, $10 }' "$v")
	done <"$suite"
	[ "$rc" -eq 0 ] || [ "$bad" -gt 0 ] ||
		record "interop: interop-run exited $rc although no row failed" 1
}

# summary: the closing lines; returns 0 only when nothing failed.
summary() {
	local f
	echo
	for f in "${not_run[@]}"; do echo "NOT RUN (on request): $f"; done
	for f in "${failures[@]}"; do echo "FAILED: $f"; done
	echo "natkeyd: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
