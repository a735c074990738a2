#!/bin/sh
# xfrm-errors: kernel refusals reach the report with the kernel's extended-ack text and, for a
# missing algorithm, the algorithm's name. Runs inside user-mode-linux as root. Exit 0 = pass.
set -u
K=${XFRM_KTEST:-${BUILD:-$(pwd)/build}/tests/xfrm_ktest}
OUT=${OUT:-$(pwd)}
fail=0
ip netns add xe || exit 1
# 1. Extended ack: a malformed attribute is refused by netlink's policy check with a text.
ip netns exec xe "$K" extack > "$OUT/xe-extack.txt" 2>&1 || fail=1
cat "$OUT/xe-extack.txt"
grep -Eq 'error=-[0-9]+ .*msg="[^"]+"' "$OUT/xe-extack.txt" || { echo "FAIL no ext-ack text"; fail=1; }
# 2. Duplicate SA: EEXIST reported as such.
KT_DUP=1 ip netns exec xe "$K" badsa > "$OUT/xe-dup.txt" 2>&1
cat "$OUT/xe-dup.txt"
grep -q 'error=-17' "$OUT/xe-dup.txt" || { echo "FAIL duplicate SA not EEXIST"; fail=1; }
# 3. Algorithm the kernel does not have: unload des3_ede (nothing else uses it) and stop module
#    autoloading, then ask for cbc(des3_ede).
old=$(cat /proc/sys/kernel/modprobe)
echo /nonexistent > /proc/sys/kernel/modprobe
if rmmod des_generic 2>/dev/null || ! grep -q des3_ede /proc/crypto; then
	KT_ENC_3DES=1 ip netns exec xe "$K" badsa > "$OUT/xe-alg.txt" 2>&1
	cat "$OUT/xe-alg.txt"
	grep -q 'error=-38 .*algorithm cbc(des3_ede) + hmac(sha1) not supported by kernel' "$OUT/xe-alg.txt" ||
		{ echo "FAIL missing algorithm not named"; fail=1; }
else
	echo "FAIL could not remove des3_ede from the kernel for the test"; fail=1
fi
echo "$old" > /proc/sys/kernel/modprobe
ip netns del xe
[ $fail = 0 ] && echo "PASS xfrm-errors" || echo "FAIL xfrm-errors"
exit $fail
