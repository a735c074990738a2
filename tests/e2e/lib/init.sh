#!/bin/bash
# PID 1 of the user-mode-linux guest (see tests/e2e/README.md).
#
# The root file system is the HOST's, read-write, over hostfs. Before anything
# writes, this script puts a tmpfs-backed overlay on top of it and chroots
# there; only the scenario's output folder is bind-mounted through. Whatever a
# daemon writes (pid files, /etc/netns, NSS databases, sockets) therefore
# vanishes at `halt -f`.
#
# Parameters arrive as environment variables from the kernel command line
# (tests/e2e/lib/host.sh builds it): E2E_SRC, E2E_OUT, E2E_SCENARIO,
# E2E_TOPOLOGY, E2E_TIMEOUT, E2E_PEERS, NATKEYD_BUILD (may be "-").
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C LC_ALL=C

die() { # Write the reason where the host looks, then stop the machine.
	echo "init: $*"
	printf 'guest setup failed: %s (see console.log)\n' "$*" >>"$E2E_OUT/failures.txt"
	echo 90 >"$E2E_OUT/status"
	halt -f 2>/dev/null || echo o >/proc/sysrq-trigger
	sleep 60
}

mount -t proc proc /proc || die "mount /proc"
mount -t sysfs sysfs /sys || die "mount /sys"
# A tmpfs over /run (only in this kernel's view of the host's /run) holds the
# overlay's upper and work directories and the module search root.
mount -t tmpfs -o mode=755,size=256m tmpfs /run || die "mount tmpfs on /run"
read -r ver </proc/sys/kernel/osrelease
mkdir -p /run/e2e/mods/lib/modules /run/e2e/upper /run/e2e/work /run/e2e/root
ln -s "/usr/lib/uml/modules/$ver" "/run/e2e/mods/lib/modules/$ver"

# Every module the bed needs, in ONE modprobe (each exec costs ~0.1 s here).
modules="overlay esp4 xfrm_user xfrm4_tunnel tunnel4 veth dummy tun bridge
	ip_tables iptable_nat iptable_filter iptable_raw iptable_mangle
	nf_conntrack nf_nat nf_conntrack_netlink xt_MASQUERADE xt_nat
	xt_conntrack xt_state xt_statistic xt_tcpudp xt_policy xt_multiport xt_NFLOG nfnetlink_log
	authenc echainiv seqiv cbc ctr hmac gcm ghash_generic des_generic
	sha1_generic sha256_generic sha512_generic aes_generic
	jitterentropy_rng drbg sch_netem"
# shellcheck disable=SC2086
modprobe -d /run/e2e/mods -a $modules || die "modprobe -a failed (module set of $ver)"

mount -t overlay overlay \
	-o lowerdir=/,upperdir=/run/e2e/upper,workdir=/run/e2e/work /run/e2e/root ||
	die "mount overlay"
r=/run/e2e/root
mount -t proc proc "$r/proc" || die "mount proc in root"
mount -t sysfs sysfs "$r/sys" || die "mount sysfs in root"
mount -t devtmpfs devtmpfs "$r/dev" || die "mount devtmpfs in root"
mkdir -p "$r/dev/pts" "$r/dev/shm"
mount -t devpts devpts "$r/dev/pts"
mount -t tmpfs tmpfs "$r/dev/shm"
mount -t tmpfs -o mode=755,size=256m tmpfs "$r/run" || die "mount tmpfs on root /run"
mount -t tmpfs -o mode=1777,size=256m tmpfs "$r/tmp" || die "mount tmpfs on root /tmp"
# If the source or build tree lives under /tmp, the tmpfs above hid it: bind
# it through read-only.
for d in "$E2E_SRC" "$E2E_PEERS" "${NATKEYD_BUILD:--}"; do
	case "$d" in
	/tmp/*)
		[ -d "$d" ] || continue
		mkdir -p "$r$d" && mount --bind "$d" "$r$d" && mount -o remount,bind,ro "$r$d"
		;;
	esac
done
# The output folder is the only host path written to (bound last, so that it
# stays visible even under /tmp or inside a source tree bound above).
mkdir -p "$r$E2E_OUT" && mount --bind "$E2E_OUT" "$r$E2E_OUT" || die "bind $E2E_OUT"
# Module loading on demand after the chroot (crypto templates, iptables).
mkdir -p "$r/lib/modules" && ln -sfn "/usr/lib/uml/modules/$ver" "$r/lib/modules/$ver"

exec chroot "$r" /bin/bash "$E2E_SRC/tests/e2e/lib/guest.sh"
die "exec chroot failed"
