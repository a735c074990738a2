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
exit $rc
