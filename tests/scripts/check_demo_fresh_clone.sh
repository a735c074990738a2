#!/bin/bash
# scripts/demo.sh from a clone that has no build/ folder yet (issue 12: it
# stopped at once with "build/demo-build.log: No such file or directory").
# The demo script runs in a copy of the tree whose deps.sh, build.sh and
# tests/e2e/run are stand-ins; it must create build/, write its build log there
# and hand the README's scenario to tests/e2e/run. The real thing, on a fresh
# Debian root, is tests/stages/fresh-root.sh.
set -u
srcdir=${srcdir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
c=$tmp/clone
mkdir -p "$c/scripts" "$c/tests/e2e"
cp "$srcdir/scripts/demo.sh" "$c/scripts/"
printf '#!/bin/sh\nexit 0\n' >"$c/scripts/deps.sh"
printf '#!/bin/sh\necho "stand-in build of $1"\n' >"$c/scripts/build.sh"
# The scenario stand-in writes no meta.env: demo.sh then ends with its status.
printf '#!/bin/sh\necho "$1" >"$(dirname "$0")/ran"\nexit 3\n' >"$c/tests/e2e/run"
chmod +x "$c/scripts/"*.sh "$c/tests/e2e/run"

for mode in "" --peers; do
	rm -rf "$c/build" "$c/tests/e2e/ran"
	want=natkeyd-psk@rw-nat
	[ -z "$mode" ] || want=peers-baseline@rw-nat
	out=$("$c/scripts/demo.sh" $mode 2>&1)
	rc=$?
	if [ $rc -ne 3 ] || [ "$(cat "$c/tests/e2e/ran" 2>/dev/null)" != "$want" ]; then
		echo "FAIL: demo.sh $mode from a clone without build/ did not reach tests/e2e/run $want (exit $rc):"
		echo "$out" | sed 's/^/  /'
		bad=1
	elif ! grep -q "stand-in build of $c/build/default" "$c/build/demo-build.log" 2>/dev/null; then
		echo "FAIL: demo.sh $mode wrote no build log to build/demo-build.log"
		bad=1
	else
		echo "ok: demo.sh $mode from a clone without build/ builds (log in build/demo-build.log) and runs $want"
	fi
done
exit $bad
