#!/bin/sh
# natkeyd --check-config on Libreswan's stock layout (ipsec.conf and
# ipsec.secrets that include ipsec.d/*, tests/data/conf/real-libreswan-include):
# it loads, lists every file it read, and an error in an included file names
# that file and its line.
set -u
srcdir=${srcdir:-.}
natkeyd=${NATKEYD:-tools/natkeyd/natkeyd}
tmp=$(mktemp -d /tmp/natkeyd-check-include-XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
rc=0
cp -R "$srcdir/tests/data/conf/real-libreswan-include/." "$tmp/"
chmod 600 "$tmp/ipsec.secrets" "$tmp"/ipsec.d/*.secrets
expect() { # MESSAGE PATTERN FILE
	if grep -qF -- "$2" "$3"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: no line '$2' in:"; cat "$3"; rc=1
	fi
}
if "$natkeyd" --check-config -c "$tmp/ipsec.conf" -s "$tmp/ipsec.secrets" >"$tmp/out" 2>"$tmp/err"; then
	echo "ok: the stock layout loads"
else
	echo "FAIL: natkeyd --check-config refused the stock layout:"; cat "$tmp/err"; rc=1
fi
expect "the main ipsec.conf is listed" "# read ipsec.conf: $tmp/ipsec.conf" "$tmp/out"
expect "an included .conf is listed" "# read ipsec.conf: $tmp/ipsec.d/backup.conf (included)" "$tmp/out"
expect "the other included .conf is listed" "# read ipsec.conf: $tmp/ipsec.d/branch.conf (included)" "$tmp/out"
expect "an included .secrets is listed" "# read ipsec.secrets: $tmp/ipsec.d/branch.secrets (included)" "$tmp/out"
expect "the included conns are loaded" "conn hq-branch" "$tmp/out"
# An error on line 3 of an included file.
printf 'conn broken\n\tleft=192.0.2.1\n\tfrobnicate=yes\n' >"$tmp/ipsec.d/zz.conf"
if "$natkeyd" --check-config -c "$tmp/ipsec.conf" -s "$tmp/ipsec.secrets" >"$tmp/out" 2>"$tmp/err"; then
	echo "FAIL: an unknown key in an included file was accepted"; rc=1
fi
expect "the error names the included file and line" "$tmp/ipsec.d/zz.conf:3: unknown key 'frobnicate'" "$tmp/err"
exit $rc
