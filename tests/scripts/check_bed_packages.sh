#!/bin/bash
# Every program the end-to-end bed checks for (tests/e2e/lib/host.sh,
# e2e_check_tools) and every strongSwan plugin it loads (tests/e2e/lib/peers.sh,
# the "load =" lines) comes from a package that scripts/packages/bed.txt lists
# or that a listed package hard-depends on (Depends/Pre-Depends, recursively,
# as installed here). A Recommends is not enough: scripts/deps.sh installs
# with --no-install-recommends (issue 12: charon's openssl plugin lives in
# libstrongswan-standard-plugins, only a Recommends of libstrongswan; sysctl
# in procps, on no minimal root). tests/stages/fresh-root.sh proves the same
# on a real fresh root; this is the quick check.
set -u
srcdir=${srcdir:-.}
for t in dpkg dpkg-query python3; do
	command -v "$t" >/dev/null 2>&1 || { echo "FAIL: $t is not installed"; exit 1; }
done
tools=$(sed -n '/^e2e_check_tools()/,/^}/p' "$srcdir/tests/e2e/lib/host.sh" |
	tr '\n\\' '  ' | sed -n 's/.*for t in \(.*\); do.*/\1/p')
plugins=$(sed -n 's/^[[:space:]]*load = //p' "$srcdir/tests/e2e/lib/peers.sh" | tr ' ' '\n' | sort -u)
[ -n "$tools" ] && [ -n "$plugins" ] || {
	echo "FAIL: could not read the tool list (host.sh) or the plugin list (peers.sh)"
	exit 1
}

# owner PATH: the installed package that holds PATH (merged /usr: dpkg may
# know it as /bin/x, /sbin/x or /usr/...).
owner() {
	local p=$1 c
	for c in "$p" "$(readlink -f "$p" 2>/dev/null)" "${p#/usr}" "/usr$p"; do
		[ -n "$c" ] || continue
		dpkg -S "$c" 2>/dev/null | sed -n '1s/:.*//p' | grep . && return 0
	done
	return 1
}

needs=$(mktemp)
trap 'rm -f "$needs"' EXIT
bad=0
for t in $tools /usr/lib/uml/modules; do
	case $t in /*) p=$t ;; *) p=$(command -v "$t") ;; esac
	if [ -z "$p" ] || ! pkg=$(owner "$p"); then
		echo "FAIL: $t is not installed here (scripts/deps.sh bed), cannot tell its package"
		bad=1
		continue
	fi
	printf '%s\t%s\n' "$t" "$pkg" >>"$needs"
done
for pl in $plugins; do
	f=/usr/lib/ipsec/plugins/libstrongswan-$pl.so
	if ! pkg=$(owner "$f"); then
		echo "FAIL: strongSwan plugin $pl ($f) is not installed here (scripts/deps.sh bed)"
		bad=1
		continue
	fi
	printf '%s\t%s\n' "plugin $pl" "$pkg" >>"$needs"
done

listed=$(sed -n 's/^\([a-z0-9][a-z0-9.+-]*\).*/\1/p' "$srcdir/scripts/packages/bed.txt")
dpkg-query -W -f '${Package}\t${db:Status-Status}\t${Pre-Depends}, ${Depends}\n' |
	python3 -c '
import re, sys
listed = sys.argv[1].split()
needs = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip()]
deps, inst = {}, set()
for line in sys.stdin:
    name, status, d = line.rstrip("\n").split("\t")
    name = name.split(":")[0]
    if status != "installed":
        continue
    inst.add(name)
    alts = []
    for group in d.split(","):
        names = [re.sub(r"[ (:].*", "", a.strip()) for a in group.split("|")]
        alts.append([n for n in names if n])
    deps[name] = alts
closure, todo = set(), [p for p in listed if p in inst]
while todo:
    p = todo.pop()
    if p in closure:
        continue
    closure.add(p)
    for group in deps.get(p, []):
        for n in group:
            if n in inst:
                todo.append(n)
bad = 0
for what, pkg in needs:
    if pkg in closure:
        print("ok: %s: %s" % (what, pkg))
    else:
        print("FAIL: %s comes from %s, which scripts/packages/bed.txt neither lists nor pulls in by a hard dependency" % (what, pkg))
        bad = 1
missing = [p for p in listed if p not in inst]
if missing:
    print("FAIL: listed in bed.txt but not installed (scripts/deps.sh bed): " + " ".join(missing))
    bad = 1
sys.exit(bad)
' "$listed" "$needs" || bad=1
exit $bad
