#!/bin/sh
# The man pages render without a single groff/man warning (groff and man -l;
# without man this fails: tests/scripts/check_stages_cannot_run.sh).
set -eu
srcdir=${srcdir:-.}
rc=0
for page in "$srcdir/docs/natkeyd.conf.5" "$srcdir/docs/natkeyctl.8"; do
	if ! out=$(LC_ALL=C.UTF-8 MANWIDTH=80 groff -man -Tutf8 -ww -z "$page" 2>&1); then
		echo "FAIL: groff failed on $page"; rc=1
	fi
	if [ -n "$out" ]; then
		echo "FAIL: groff warnings for $page:"; echo "$out"; rc=1
	fi
	# Without man the check cannot run: a failure, not a skip.
	if ! command -v man >/dev/null 2>&1; then
		echo "FAIL: man is not installed: man -l --warnings cannot check $page (man-db, scripts/packages/conf.txt)"; rc=1
	else
		out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l --warnings "$page" 2>&1 >/dev/null || echo "man -l failed")
		if [ -n "$out" ]; then
			echo "FAIL: man -l --warnings for $page:"; echo "$out"; rc=1
		fi
	fi
	[ $rc -eq 0 ] && echo "ok: $page"
done
# Every key natkeyd reads (ike/conf/conf_keys.c: the key table and the
# accepted foreign keys) is documented as "key=" in natkeyd.conf(5).
if [ -f "$srcdir/ike/conf/conf_keys.c" ]; then
	text=$(LC_ALL=C.UTF-8 MANWIDTH=200 groff -man -Tascii -rLL=250n -rHY=0 -P-cbou "$srcdir/docs/natkeyd.conf.5" 2>/dev/null)
	# Table rows may span lines (clang-format): join them first.
	keys=$(tr '\n' ' ' <"$srcdir/ike/conf/conf_keys.c" |
		grep -o '{ *"[a-z0-9_-]*",[[:space:]]*CONF_SCOPE_' | sed 's/{ *"\([^"]*\)".*/\1/')
	[ -n "$keys" ] || { echo "FAIL: no keys found in conf_keys.c"; rc=1; }
	for k in $keys; do
		[ "$k" = also ] && continue
		if ! printf '%s' "$text" | grep -q -- "$k="; then
			echo "FAIL: key '$k' is not documented in natkeyd.conf(5)"; rc=1
		fi
	done
	[ $rc -eq 0 ] && echo "ok: every key of conf_keys.c is in natkeyd.conf(5)"
fi
exit $rc
