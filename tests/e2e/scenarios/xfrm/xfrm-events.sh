# shellcheck shell=bash
# xfrm-events: real kernel events parsed by xfrm/: ACQUIRE from a packet hitting a policy whose
# template has no SA; soft then hard EXPIRE from short add lifetimes. Runs inside
# user-mode-linux as root in its own namespace. Exit 0 = pass.
# Bed scenario (tests/e2e/README.md): it builds its own namespaces, so the topology only
# provides the guest; NATKEYD_BUILD must name a build folder holding tests/xfrm/xfrm_ktest.
default_topology=direct

scenario() {
	K=${XFRM_KTEST:-$NATKEYD_BUILD/tests/xfrm/xfrm_ktest}
	OUT=$E2E_OUT/xfrm; mkdir -p "$OUT"
	VEC=${XFRM_VECDIR:-}
	bad=0
	ip netns add xv || fail "cannot create namespaces"
	ip -n xv link set lo up
	ip -n xv link add d0 type dummy; ip -n xv addr add 192.0.2.1/24 dev d0; ip -n xv link set d0 up
	ip -n xv link add lan0 type dummy; ip -n xv addr add 10.5.0.1/24 dev lan0; ip -n xv link set lan0 up
	ip -n xv route add 10.6.0.0/24 via 192.0.2.2
	ip netns exec xv "$K" events 3 20 $VEC > "$OUT/xv-events.txt" 2>&1 &
	ev=$!
	sleep 0.5
	# ACQUIRE: tunnel policies, no SA; a ping from 10.5.0.1 to 10.6.0.1 needs one.
	ip netns exec xv "$K" pair-pol 192.0.2.1 192.0.2.2 0 0 0 0 0x4e4b0201 10.5.0.0/24 10.6.0.0/24 || bad=1
	ip netns exec xv ping -c 1 -W 1 -I 10.5.0.1 10.6.0.1 >/dev/null 2>&1
	# EXPIRE: an SA pair with soft 2 s / hard 4 s add lifetimes, untouched.
	KT_SOFT_ADD=2 KT_HARD_ADD=4 ip netns exec xv "$K" pair 192.0.2.1 192.0.2.3 0 0 0x3001 0x3002 0x4e4b0202 || bad=1
	wait $ev || true
	cat "$OUT/xv-events.txt"
	grep -q 'EVENT ACQUIRE src=192.0.2.1 dst=192.0.2.2 reqid=1313538561 mode=tunnel sel=10.5.0.1/32->10.6.0.1/32' "$OUT/xv-events.txt" ||
		{ echo "FAIL no ACQUIRE"; bad=1; }
	grep -Eq 'EVENT EXPIRE soft spi=0x0000300[12] dst=192.0.2.[13] reqid=1313538562' "$OUT/xv-events.txt" ||
		{ echo "FAIL no soft EXPIRE"; bad=1; }
	ip netns exec xv "$K" events 2 10 $VEC > "$OUT/xv-events2.txt" 2>&1
	cat "$OUT/xv-events2.txt"
	grep -Eq 'EVENT EXPIRE hard spi=0x0000300[12]' "$OUT/xv-events2.txt" || { echo "FAIL no hard EXPIRE"; bad=1; }
	# Hard expiry removed the SAs.
	ip -n xv xfrm state | grep -q 'spi 0x0000300' && { echo "FAIL SAs survived hard expiry"; bad=1; }
	ip netns exec xv "$K" cleanup
	ip netns del xv
	[ $bad = 0 ] || fail "xfrm-events: see the FAIL lines in guest.log and xfrm/ in the output folder"
	echo "PASS xfrm-events"
}
