# shellcheck shell=bash
# xfrm-errors: kernel refusals reach the report with the kernel's extended-ack text and, for a
# missing algorithm, the algorithm's name. Runs inside user-mode-linux as root. Exit 0 = pass.
# Bed scenario (tests/e2e/README.md): it builds its own namespaces, so the topology only
# provides the guest; NATKEYD_BUILD must name a build folder holding tests/xfrm/xfrm_ktest.
default_topology=direct

scenario() {
	K=${XFRM_KTEST:-$NATKEYD_BUILD/tests/xfrm/xfrm_ktest}
	OUT=$E2E_OUT/xfrm; mkdir -p "$OUT"
	bad=0
	ip netns add xe || fail "cannot create namespaces"
	# 1. Extended ack: a malformed attribute is refused by netlink's policy check with a text.
	ip netns exec xe "$K" extack > "$OUT/xe-extack.txt" 2>&1 || bad=1
	cat "$OUT/xe-extack.txt"
	grep -Eq 'error=-[0-9]+ .*msg="[^"]+"' "$OUT/xe-extack.txt" || { echo "FAIL no ext-ack text"; bad=1; }
	# 1b. One batch (one sendmsg, one acknowledgement) of requests that fail and succeed in
	#     turn: every answer reaches its own request, and what succeeded is in the kernel.
	ip netns exec xe "$K" batchmix > "$OUT/xe-batchmix.txt" 2>&1 || bad=1
	cat "$OUT/xe-batchmix.txt"
	grep -q FAIL "$OUT/xe-batchmix.txt" && { echo "FAIL batch answers"; bad=1; }
	grep -q '^ok three successes' "$OUT/xe-batchmix.txt" || { echo "FAIL batchmix did not finish"; bad=1; }
	# 2. Duplicate SA: EEXIST reported as such.
	KT_DUP=1 ip netns exec xe "$K" badsa > "$OUT/xe-dup.txt" 2>&1
	cat "$OUT/xe-dup.txt"
	grep -q 'error=-17' "$OUT/xe-dup.txt" || { echo "FAIL duplicate SA not EEXIST"; bad=1; }
	# 3. Algorithm the kernel does not have: stop module autoloading, unregister the des3_ede
	#    template instances (the bed pre-warms them) and unload des_generic, then ask for
	#    cbc(des3_ede) + hmac(sha1).
	old=$(cat /proc/sys/kernel/modprobe)
	modprobe crypto_user
	echo /nonexistent > /proc/sys/kernel/modprobe
	"$K" crypto-del des3_ede > "$OUT/xe-crypto-del.txt" 2>&1
	cat "$OUT/xe-crypto-del.txt"
	if rmmod des_generic 2>/dev/null || ! grep -q des3_ede /proc/crypto; then
		KT_ENC_3DES=1 ip netns exec xe "$K" badsa > "$OUT/xe-alg.txt" 2>&1
		cat "$OUT/xe-alg.txt"
		grep -Eq 'error=-(2|38) .*algorithm cbc\(des3_ede\) \+ hmac\(sha1\) not supported by kernel' "$OUT/xe-alg.txt" ||
			{ echo "FAIL missing algorithm not named"; bad=1; }
	else
		grep des3 /proc/crypto
		echo "FAIL could not remove des3_ede from the kernel for the test"; bad=1
	fi
	echo "$old" > /proc/sys/kernel/modprobe
	ip netns del xe
	[ $bad = 0 ] || fail "xfrm-errors: see the FAIL lines in guest.log and xfrm/ in the output folder"
	echo "PASS xfrm-errors"
}
