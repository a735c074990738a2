#!/bin/bash
# Scenario names and their folders (tests/e2e/scenarios/FAMILY/NAME.sh): every
# name the suites give (suite.txt, suite.d/*.txt, interop-suite.txt) is the
# file of exactly one folder; tests/e2e/run with an unknown name exits 2 and
# lists the known names; a name that exists in two folders is an error (exit
# 2, both files named). No guest is started: the name is resolved first.
set -u
srcdir=${srcdir:-.}
e2e=$srcdir/tests/e2e
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
bad=0
fail() {
	echo "FAIL: $*"
	bad=1
}

# Every suite line's scenario, found once.
n=0
while read -r spec; do
	name=${spec%%@*}
	count=$(compgen -G "$e2e/scenarios/*/$name.sh" | wc -l)
	[ "$count" -eq 1 ] || fail "suite scenario '$name' ($spec) is in $count scenario folders"
	n=$((n + 1))
done < <(cat "$e2e/suite.txt" "$e2e"/suite.d/*.txt "$e2e/interop-suite.txt" |
	sed 's/#.*//' | awk 'NF { print $1 }' | grep -v '^include$' | sort -u)
[ "$n" -gt 20 ] || fail "only $n suite entries read: the suite files were not found"
# No scenario file outside a family folder.
loose=$(find "$e2e/scenarios" -maxdepth 1 -name '*.sh' | wc -l)
[ "$loose" -eq 0 ] || fail "$loose scenario files directly in tests/e2e/scenarios/"

# An unknown name: exit 2, the known names listed, no output folder made.
out=$("$e2e/run" no-such-scenario "$tmp/out" 2>&1)
rc=$?
[ "$rc" -eq 2 ] || fail "tests/e2e/run no-such-scenario exited $rc, not 2"
case $out in
*"no scenario 'no-such-scenario'"*"known: "*natkeyd-psk*natt-flush-nk*xfrm-matrix*) ;;
*) fail "tests/e2e/run no-such-scenario did not list the known names: $out" ;;
esac
[ ! -e "$tmp/out" ] || fail "tests/e2e/run no-such-scenario created its output folder"

# A name in two folders: a copy of the runner with two files of one name.
mkdir -p "$tmp/tree/tests/e2e/scenarios/a" "$tmp/tree/tests/e2e/scenarios/b"
cp -R "$e2e/run" "$e2e/lib" "$tmp/tree/tests/e2e/"
printf 'default_topology=rw-nat\nscenario() { :; }\n' >"$tmp/tree/tests/e2e/scenarios/a/twice.sh"
cp "$tmp/tree/tests/e2e/scenarios/a/twice.sh" "$tmp/tree/tests/e2e/scenarios/b/twice.sh"
cp "$tmp/tree/tests/e2e/scenarios/a/twice.sh" "$tmp/tree/tests/e2e/scenarios/a/once.sh"
out=$("$tmp/tree/tests/e2e/run" twice "$tmp/out2" 2>&1)
rc=$?
[ "$rc" -eq 2 ] || fail "a scenario name in two folders: run exited $rc, not 2"
case $out in
*"exists twice"*scenarios/a/twice.sh*scenarios/b/twice.sh*) ;;
*) fail "a scenario name in two folders was not named as such: $out" ;;
esac
# ... while a name found once gets past the lookup (to the tool check or
# further, which says nothing about scenario names).
out=$("$tmp/tree/tests/e2e/run" once@nowhere "$tmp/out3" 2>&1)
case $out in
*"no scenario"* | *"exists twice"*) fail "a scenario found once was not found: $out" ;;
esac

[ "$bad" -eq 0 ] && echo "PASS: $n suite scenarios found once; unknown and doubled names exit 2"
exit "$bad"
