#!/bin/bash
# A check that cannot run fails, with its reason (issue 12): the fuzz stage
# without clang (it used to exit 0: "fuzzers skipped") and the man page check
# without man (it used to skip man -l and pass). Each is run with a PATH that
# holds every program of this machine except the one it needs.
set -u
srcdir=${srcdir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0

# path_without NAME...: a folder of links to every program on PATH but NAME.
path_without() {
	local farm=$tmp/bin-$1 d n
	mkdir -p "$farm"
	for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
		[ -d "$d" ] && ln -s -t "$farm" "$d"/* 2>/dev/null
	done
	for n in "$@"; do rm -f "$farm/$n"; done
	echo "$farm"
}

# expect_fail WHAT HIDDEN PATTERN CMD...: CMD, run without HIDDEN on PATH,
# exits non-zero and says PATTERN.
expect_fail() {
	local what=$1 hidden=$2 pattern=$3 p out rc
	shift 3
	p=$(path_without "$hidden")
	if PATH=$p command -v "$hidden" >/dev/null 2>&1; then
		echo "FAIL: $what: could not hide $hidden"
		bad=1
		return
	fi
	out=$(PATH=$p "$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "FAIL: $what: exit 0 without $hidden:"
		echo "$out" | sed 's/^/  /'
		bad=1
	elif ! grep -q -- "$pattern" <<<"$out"; then
		echo "FAIL: $what: exit $rc without $hidden but no reason matching '$pattern':"
		echo "$out" | sed 's/^/  /'
		bad=1
	else
		echo "ok: $what fails without $hidden (exit $rc): $(grep -m1 -- "$pattern" <<<"$out")"
	fi
}

expect_fail "tests/stages/fuzz.sh" clang "clang is not installed" \
	env NATKEYD_OUT="$tmp/fuzz-out" FUZZ_SECONDS=1 bash "$srcdir/tests/stages/fuzz.sh"
expect_fail "check_conf_man.sh" man "man is not installed" \
	env srcdir="$srcdir" sh "$srcdir/tests/ike/conf/check_conf_man.sh"
exit $bad
