#!/bin/bash
# Build strongSwan's load-tester (a charon with the load-tester plugin) once per
# machine and print the folder it lives in (its charon is BIN/libexec/ipsec/charon).
#
#   tests/e2e/lib/loadtester-build.sh [--check]
#
# Debian does not ship the load-tester plugin, so it is built from Debian's own
# strongswan source package (`apt-get source`), the version of the installed
# libstrongswan, into /var/cache/natkeyd-loadtester/<source version>/ (outside
# the clone; NATKEYD_LOADTESTER_CACHE overrides the parent folder). Nothing of
# strongSwan is ever written into the clone.
# A deb-src entry for the mirror the machine already uses is added
# (/etc/apt/sources.list.d/natkeyd-deb-src.sources) when apt knows no source.
# --check: print the folder if it is built, exit 2 if not (no build).
# Exit: 0 built (path on stdout), 1 build failed, 2 cannot build here (not root,
# packages of scripts/packages/loadtester.txt missing, no source).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
parent=${NATKEYD_LOADTESTER_CACHE:-/var/cache/natkeyd-loadtester}

say() { echo "loadtester-build: $*" >&2; }

ver=$(dpkg-query -W -f='${source:Version}' libstrongswan 2>/dev/null || true)
[ -n "$ver" ] || { say "libstrongswan is not installed (scripts/deps.sh bed)"; exit 2; }
# The installed version's build, else a build of another Debian revision of the
# same upstream version (used when the mirror lacks the installed one's source).
for dest in "$parent/$ver" "$parent/${ver%%-*}"-*; do
	if [ -x "$dest/libexec/ipsec/charon" ] && [ -f "$dest/.complete" ]; then
		echo "$dest"
		exit 0
	fi
done
[ "${1:-}" = --check ] && { say "not built: $dest"; exit 2; }

if [ "$(id -u)" -ne 0 ]; then
	say "building needs root once (apt-get source, $parent); run: sudo $0"
	exit 2
fi
"$top/scripts/deps.sh" loadtester >&2 || exit 2

# One build at a time (run-all starts two guests at once); the other waits
# and finds it built.
mkdir -p "$parent"
exec 9>"$parent/.lock"
flock 9
for dest in "$parent/$ver" "$parent/${ver%%-*}"-*; do
	if [ -x "$dest/libexec/ipsec/charon" ] && [ -f "$dest/.complete" ]; then
		echo "$dest"
		exit 0
	fi
done

# A source entry for the mirror(s) of the binary packages.
has_source() {
	local all
	all=$(apt-cache showsrc strongswan 2>/dev/null || true)
	grep -q "^Version: ${ver%%-*}-" <<<"$all"
}
if ! has_source; then
	src=/etc/apt/sources.list.d/natkeyd-deb-src.sources
	: >"$src.new"
	for f in /etc/apt/sources.list.d/*.sources; do
		if [ ! -f "$f" ] || [ "$f" = "$src" ]; then continue; fi
		# Each deb822 stanza whose Types has `deb`, as a deb-src stanza.
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
		     /(^|\n)Types:[^\n]*(^|[ \t])deb([ \t]|\n|$)/ && /debian/ {
		         sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f" >>"$src.new"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^[[:space:]]*deb[[:space:]]\(.*debian.*\)/Types: deb-src\nURIs: \1/p' "$f" |
			awk '/^URIs:/ { n = split($0, w, " "); printf "URIs: %s\nSuites: %s\nComponents:", w[2], w[3];
			               for (i = 4; i <= n; i++) printf " %s", w[i]; printf "\n\n"; next } { print }' >>"$src.new"
	done
	mv "$src.new" "$src"
	say "added $src; apt-get update"
	apt-get update -q >/dev/null
	has_source || { say "apt knows no strongswan source ${ver%%-*}"; exit 2; }
fi

# The installed revision first, then the other revisions of the same upstream
# version apt knows, newest first (a mirror may lack one revision's .dsc).
cands=("$ver")
while read -r v; do
	[ "$v" = "$ver" ] || cands+=("$v")
done < <(apt-cache showsrc strongswan | sed -n "s/^Version: \(${ver%%-*}-.*\)/\1/p" | sort -rV)
built=
for v in "${cands[@]}"; do
	work=$parent/build-$v
	rm -rf "$work"
	mkdir -p "$work"
	cd "$work"
	say "apt-get source strongswan=$v in $work"
	if apt-get source -q --only-source "strongswan=$v" >apt-source.log 2>&1; then
		built=$v
		break
	fi
	say "apt-get source strongswan=$v failed (see below); trying the next revision"
	grep -E '^(E|Err):' apt-source.log | head -n 3 >&2 || true
	cd /
	rm -rf "$work"
done
[ -n "$built" ] || { say "no strongswan ${ver%%-*} source could be fetched"; exit 2; }
dest=$parent/$built
rm -rf "$dest"
srcdir=$(find . -maxdepth 1 -type d -name 'strongswan-*' | head -n 1)
[ -n "$srcdir" ] || { say "no unpacked source in $work"; exit 1; }
cd "$srcdir"

# Only what a swarm of IKEv1/IKEv2 initiators needs: the load-tester plugin,
# OpenSSL for every algorithm, kernel-netlink for its addresses (the IPsec
# side is faked by load-tester: fake_kernel), socket-dynamic for one source
# port per initiator, and nothing that reads /etc.
opts=(--prefix="$dest" --sysconfdir="$dest/etc" --with-piddir=/run
	--disable-defaults --enable-charon --enable-ikev1 --enable-ikev2
	--enable-load-tester --enable-openssl --enable-random --enable-nonce
	--enable-kernel-netlink --enable-socket-default --enable-socket-dynamic
	--disable-scripts --disable-swanctl --disable-stroke --disable-vici
	--disable-static --enable-shared)
say "configure ${opts[*]}"
./configure "${opts[@]}" >"$work/configure.log" 2>&1 || { say "configure failed: $work/configure.log"; exit 1; }
say "make -j2 (a few minutes)"
make -j2 >"$work/make.log" 2>&1 || { say "make failed: $work/make.log"; exit 1; }
make install >"$work/install.log" 2>&1 || { say "make install failed: $work/install.log"; exit 1; }
[ -x "$dest/libexec/ipsec/charon" ] || { say "no charon in $dest"; exit 1; }
ls "$dest/lib/ipsec/plugins/libstrongswan-load-tester.so" >/dev/null || { say "no load-tester plugin in $dest"; exit 1; }
echo "strongswan $built (installed: $ver): ${opts[*]}" >"$dest/.complete"
cd /
rm -rf "$work"
echo "$dest"
