#!/bin/bash
# Test stage: the README's two commands on a machine that has never seen the
# project. mmdebstrap builds a minimal Debian 12 root (variant minbase: the
# Essential and Priority:required packages plus apt, what the official
# debian:bookworm image holds) from the same package sources this machine's
# apt uses; a clean clone of the tested commit (git clone of HEAD, not the
# working tree) goes to /root/natkeyd inside it; then, chrooted as root,
#   scripts/demo.sh && scripts/demo.sh --peers
# must both end with "All N assertions passed". Everything the demo needs must
# come from scripts/packages/*.txt (scripts/deps.sh installs them inside the
# root with --no-install-recommends); the user-mode-linux guests boot the
# fresh root as their root file system. tests/e2e/README.md explains it.
#
# Called by scripts/test.sh with NATKEYD_OUT = an output folder (logs); exits
# 0 (passed) or 1 with one "fresh-root: FAIL: reason" line. Needs root.
# Env:
#   NATKEYD_FRESH_CACHE  the .deb pool kept between runs (default
#                        /var/cache/natkeyd-fresh-root); after each run it
#                        holds exactly the .debs that run installed
#   NATKEYD_FRESH_DROP   negative control: "PKG..." lines removed from the
#                        clone's scripts/packages/*.txt; the stage then passes
#                        only if the demo FAILS
#   NATKEYD_FRESH_EXTRA  "SCENARIO@TOPOLOGY..." more e2e scenarios to run in
#                        the root after the demos (each must pass)
#   NATKEYD_FRESH_KEEP=1 keep the root in NATKEYD_OUT/root (default: removed)
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${NATKEYD_OUT:-$src/build/fresh-root-out}
cache=${NATKEYD_FRESH_CACHE:-/var/cache/natkeyd-fresh-root}
drop=${NATKEYD_FRESH_DROP:-}
suite=bookworm
variant=minbase

fail() {
	echo "fresh-root: FAIL: $*"
	exit 1
}
step_t0=$SECONDS
step() { # what: one line with the time since the previous step
	echo "fresh-root: $* (+$((SECONDS - step_t0)) s)"
	step_t0=$SECONDS
}

[ "$(id -u)" -eq 0 ] || fail "needs root (mmdebstrap --mode=root, chroot, mounts)"
for t in mmdebstrap git unshare chroot flock apt-get; do
	command -v "$t" >/dev/null 2>&1 ||
		fail "$t is not installed: scripts/deps.sh fresh (scripts/packages/fresh.txt)"
done

# Mounts below must not outlive the stage: run in a private mount namespace.
if [ -z "${NATKEYD_FRESH_NS:-}" ]; then
	err=$(unshare --mount --propagation private true 2>&1) ||
		fail "cannot make a private mount namespace (unshare --mount): $err"
	NATKEYD_FRESH_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi

mkdir -p "$out" || fail "cannot create $out"
out=$(cd "$out" && pwd)
root=$out/root
# Remove the root only when nothing is mounted below it any more (the .deb
# pool is bound in from the same file system: rm would go through it).
remove_root() {
	local m
	umount -R "$root/var/cache/apt/archives" "$root/dev" "$root/proc" "$root/sys" "$root/run" "$root/tmp" 2>/dev/null
	m=$(awk -v r="$root/" 'index($2 "/", r) == 1 { print $2 }' /proc/self/mounts)
	[ -z "$m" ] || { echo "fresh-root: still mounted, not removed: $m"; return 1; }
	rm -rf --one-file-system "$root"
}
[ ! -e "$root" ] || remove_root || fail "cannot remove the old $root"
mkdir -p "$cache/archives/partial" || fail "cannot create the .deb cache $cache"
# One stage at a time per cache.
exec 8>"$cache/lock"
flock -w 3600 8 || fail "the .deb cache $cache stayed locked for an hour"
t_start=$SECONDS

# This machine's Debian 12 package sources (apt-get indextargets: every
# configured sources.list / deb822 entry) and the apt options that say how to
# reach them (proxies, Release date checks), so that the fresh root downloads
# from exactly where apt-get on this machine does.
apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Identifier: Packages' 2>/dev/null |
	awk -v s="$suite" '$2 == s || index($2, s "-") == 1 { k = $1 " " $2; if (!(k in c)) o[n++] = k; if (index(" " c[k] " ", " " $3 " ") == 0) c[k] = c[k] " " $3 }
		END { for (i = 0; i < n; i++) print "deb " o[i] c[o[i]] }' >"$out/sources.list"
[ -s "$out/sources.list" ] ||
	fail "this machine's apt has no $suite package source (apt-get indextargets; run apt-get update?)"
aptopts=()
while read -r line; do
	aptopts+=("--aptopt=$line")
done < <(apt-config dump | grep -E '^Acquire::(Check-Valid-Until|Check-Date|Max-ValidTime|(http|https|ftp)::Proxy[^ ]*) ')
{
	echo "sources:"
	sed 's/^/  /' "$out/sources.list"
	echo "apt options: ${aptopts[*]}"
} >"$out/setup.txt"

# 1. The clean clone: HEAD of the tested repository, exactly (detached, so
# that a CI clone in detached HEAD gives the same commit).
commit=$(git -C "$src" rev-parse HEAD) || fail "$src is not a git repository"
rm -rf "$out/clone-tmp"
git clone -q --no-checkout "$src" "$out/clone-tmp" >"$out/clone.log" 2>&1 &&
	git -C "$out/clone-tmp" checkout -q --detach "$commit" >>"$out/clone.log" 2>&1 ||
	fail "git clone of $src at $commit failed (see $out/clone.log)"
if [ -n "$drop" ]; then
	for p in $drop; do
		grep -q -E "^$p([[:space:]]|\$)" "$out/clone-tmp"/scripts/packages/*.txt ||
			fail "negative control: $p is in no scripts/packages/*.txt"
		sed -i -E "/^$p([[:space:]]|\$)/d" "$out/clone-tmp"/scripts/packages/*.txt
	done
	echo "fresh-root: negative control: removed $drop from the clone's package lists; the demo must fail"
fi
step "clone of ${commit:0:12}"

# 2. The minimal root. The .deb pool is bind-mounted as the root's
# /var/cache/apt/archives while mmdebstrap downloads and installs (apt checks
# every cached file against the index's hash, so a stale file is fetched
# again, never trusted) and unmounted before mmdebstrap's cleanup empties it.
# force-unsafe-io: dpkg skips its fsyncs (the root is thrown away); it stays
# in the root's dpkg.cfg.d, so deps.sh's installs skip them too.
ndebs=$(find "$cache/archives" -maxdepth 1 -name '*.deb' | wc -l)
echo "fresh-root: building a $suite $variant root with mmdebstrap ($ndebs .debs in $cache)"
if ! mmdebstrap --mode=root --variant="$variant" --format=directory \
	--skip=download/empty --skip=essential/unlink "${aptopts[@]}" --dpkgopt=force-unsafe-io \
	--setup-hook="mkdir -p \"\$1/var/cache/apt/archives\" && mount --bind '$cache/archives' \"\$1/var/cache/apt/archives\"" \
	--customize-hook='umount "$1/var/cache/apt/archives"' \
	"$suite" "$root" "$out/sources.list" >"$out/mmdebstrap.log" 2>&1 8>&-; then
	umount "$root/var/cache/apt/archives" 2>/dev/null
	reason=$(sed "s/^[[:space:]]*//" "$out/mmdebstrap.log" | grep -E -m1 -i "could not resolve|failed to fetch|temporary failure|unable to connect|connection (failed|refused|timed out)|no route to host|network is unreachable")
	if [ -n "$reason" ]; then
		fail "the package registry cannot be reached: $reason"
	fi
	fail "mmdebstrap failed: $(grep -v '^ *$' "$out/mmdebstrap.log" | tail -n1) (see $out/mmdebstrap.log)"
fi
chroot "$root" dpkg-query -W -f '${Package}\n' >"$out/base-packages.txt"
step "root built: $(wc -l <"$out/base-packages.txt") packages"

# 3. Into the root: the clone, this machine's name resolution (hosts,
# resolv.conf: how the package registry is reached), and the mounts a booted
# Debian machine has: /proc, /sys, /dev (+ /dev/pts, and /dev/shm, where
# user-mode-linux keeps its memory file: tmpfs, executable), /run, /tmp.
mv "$out/clone-tmp" "$root/root/natkeyd" || fail "cannot move the clone into the root"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
cp /etc/hosts "$root/etc/hosts" || fail "cannot copy /etc/hosts into the root"
mount -t proc proc "$root/proc" &&
	mount -t sysfs sysfs "$root/sys" &&
	mount --rbind /dev "$root/dev" &&
	mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm" &&
	mount -t tmpfs -o mode=755 tmpfs "$root/run" &&
	mount -t tmpfs -o mode=1777 tmpfs "$root/tmp" &&
	mount --bind "$cache/archives" "$root/var/cache/apt/archives" ||
	fail "mounting /proc, /sys, /dev, /dev/shm, /run, /tmp or the .deb cache in the root failed"

# 4. The README's commands, as root in a login-like environment.
run_demo() { # log args...
	local log=$1
	shift
	chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		TERM=dumb LANG=C.UTF-8 ${http_proxy:+http_proxy=$http_proxy} ${https_proxy:+https_proxy=$https_proxy} \
		${no_proxy:+no_proxy=$no_proxy} \
		/bin/bash -c 'cd /root/natkeyd && exec timeout -k 10 2400 scripts/demo.sh "$@"' demo "$@" \
		</dev/null >"$log" 2>&1 8>&-
}
verdict=0
why=
run_demo "$out/demo.log"
rc=$?
# Keep each run's e2e output (logs, captures, state) next to the stage's logs.
keep_demo() { rm -rf "$out/${1:?}" && cp -a "$root/root/natkeyd/build/demo" "$out/$1" 2>/dev/null; }
keep_demo demo-natkeyd
cp "$root/root/natkeyd/build/demo-build.log" "$out/" 2>/dev/null
chroot "$root" dpkg-query -W -f '${Package}\n' >"$out/packages.txt"
if [ $rc -eq 0 ] && grep -q '^All [0-9]* assertions passed' "$out/demo.log"; then
	step "scripts/demo.sh passed ($(wc -l <"$out/packages.txt") packages in the root)"
	run_demo "$out/demo-peers.log" --peers
	rc=$?
	keep_demo demo-peers
	if [ $rc -eq 0 ] && grep -q '^All [0-9]* assertions passed' "$out/demo-peers.log"; then
		step "scripts/demo.sh --peers passed"
	else
		verdict=1
		why="scripts/demo.sh --peers failed (exit $rc): $(grep -v '^ *$' "$out/demo-peers.log" | tail -n1)"
	fi
else
	verdict=1
	why="scripts/demo.sh failed (exit $rc): $(grep -v '^ *$' "$out/demo.log" | tail -n1)"
fi
[ $verdict -eq 0 ] || tail -n 25 "$out"/demo*.log

# Optional: more e2e scenarios inside the same root (what else the package
# lists must cover: certificates, Libreswan as natkeyd's peer, python3 in the
# guest, the xfrm test driver, ...), one at a time.
if [ $verdict -eq 0 ] && [ -n "${NATKEYD_FRESH_EXTRA:-}" ]; then
	for sc in $NATKEYD_FRESH_EXTRA; do
		chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
			/bin/bash -c 'cd /root/natkeyd && NATKEYD_BUILD=build/default exec tests/e2e/run "$1" "build/fresh-extra/$1"' \
			extra "$sc" </dev/null >"$out/extra-$sc.log" 2>&1 8>&-
		rc=$?
		rm -rf "$out/extra-$sc" && cp -a "$root/root/natkeyd/build/fresh-extra/$sc" "$out/extra-$sc" 2>/dev/null
		step "$(head -n1 "$out/extra-$sc.log")"
		if [ $rc -ne 0 ]; then
			verdict=1
			why="${why:+$why; }extra scenario $sc failed: $(head -n1 "$out/extra-$sc.log")"
		fi
	done
fi

# 5. The pool keeps exactly what this run installed (a changed package list
# costs only the .debs that changed). A negative control installs less: it
# leaves the pool as it is.
umount "$root/var/cache/apt/archives" 2>/dev/null
if [ -z "$drop" ] && chroot "$root" dpkg-query -W -f '${Package}_${Version}_${Architecture}.deb\n' |
	sed 's/:/%3a/' | sort -u >"$out/pool-keep.txt" && [ -s "$out/pool-keep.txt" ]; then
	find "$cache/archives" -maxdepth 1 -name '*.deb' -printf '%f\n' | sort |
		comm -23 - "$out/pool-keep.txt" | while read -r f; do rm -f "$cache/archives/$f"; done
fi
if [ "${NATKEYD_FRESH_KEEP:-0}" != 1 ]; then
	remove_root || fail "could not unmount everything below $root"
fi
echo "fresh-root: $((SECONDS - t_start)) s in all; $(find "$cache/archives" -maxdepth 1 -name '*.deb' | wc -l) .debs ($(du -sh "$cache/archives" | cut -f1)) cached in $cache"

if [ -n "$drop" ]; then
	if [ $verdict -eq 0 ]; then
		fail "negative control: the demo passed without $drop"
	fi
	echo "fresh-root: negative control passed: without $drop: $why"
	exit 0
fi
[ $verdict -eq 0 ] || fail "$why"
echo "fresh-root: both README commands passed on a fresh $suite root from commit ${commit:0:12}"
exit 0
