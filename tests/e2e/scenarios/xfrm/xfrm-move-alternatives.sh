# shellcheck shell=bash
# xfrm-move-alternatives: the evidence behind the choice of XFRM_MSG_MIGRATE for NAT mapping
# changes (see xfrm/xfrm_msg.h, xfrm_msg_build_sa_move). Same topology as xfrm-nat-move.
#  a. UPDSA (same SPI, new encap ports) follows a port-only change and keeps the counters;
#  b. UPDSA cannot follow an address change: the outbound SA is keyed by the old destination,
#     so the kernel answers ESRCH;
#  c. delete + add with the same SPIs resets the outbound sequence number: the road warrior's
#     anti-replay window drops the gateway's packets (XfrmInStateSeqError) and pings are lost.
# Runs inside user-mode-linux as root. Exit 0 = the kernel behaved as the comment says.
# Bed scenario (tests/e2e/README.md): it builds its own namespaces, so the topology only
# provides the guest; NATKEYD_BUILD must name a build folder holding tests/xfrm/xfrm_ktest.
default_topology=direct

scenario() {
	K=${XFRM_KTEST:-$NATKEYD_BUILD/tests/xfrm/xfrm_ktest}
	OUT=$E2E_OUT/xfrm; mkdir -p "$OUT"
	VEC=${XFRM_VECDIR:-}
	bad=0
	for n in xgw xnat xrw; do ip netns add $n || fail "cannot create namespaces"; ip -n $n link set lo up; done
	ip link add g0 netns xgw type veth peer name n1 netns xnat
	ip link add r0 netns xrw type veth peer name n0 netns xnat
	ip -n xgw addr add 198.51.100.1/24 dev g0; ip -n xgw link set g0 up
	ip -n xgw link add lan0 type dummy; ip -n xgw addr add 10.1.0.1/24 dev lan0; ip -n xgw link set lan0 up
	ip -n xgw route add 10.2.0.1/32 via 198.51.100.2
	ip -n xnat addr add 198.51.100.2/24 dev n1; ip -n xnat addr add 198.51.100.3/24 dev n1; ip -n xnat link set n1 up
	ip -n xnat addr add 10.0.0.1/24 dev n0; ip -n xnat link set n0 up
	ip netns exec xnat sysctl -qw net.ipv4.ip_forward=1
	ip -n xrw addr add 10.0.0.2/24 dev r0; ip -n xrw link set r0 up
	ip -n xrw link add vip type dummy; ip -n xrw addr add 10.2.0.1/32 dev vip; ip -n xrw link set vip up
	ip -n xrw route add default via 10.0.0.1
	# Deterministic NAT: every UDP flow leaves as 198.51.100.2:20000.
	ip netns exec xnat iptables-legacy -t nat -A POSTROUTING -o n1 -p udp -j SNAT --to-source 198.51.100.2:20000
	# IKE sockets hold UDP_ENCAP on 4500 (and their bypass policies) on both ends.
	ip netns exec xgw "$K" sockets 500 4500 90 > "$OUT/xa-gw-sock.txt" 2>&1 & s1=$!
	ip netns exec xrw "$K" sockets 500 4500 90 > "$OUT/xa-rw-sock.txt" 2>&1 & s2=$!
	ip netns exec xgw "$K" events 1000 60 $VEC > "$OUT/xa-gw-events.txt" 2>&1 & ev=$!
	sleep 0.5
	R=0x4e4b0401
	ip netns exec xrw "$K" pair 10.0.0.2 198.51.100.1 4500 4500 0x1001 0x2001 $R 10.2.0.1/32 10.1.0.0/24 || bad=1
	ip netns exec xgw "$K" pair 198.51.100.1 198.51.100.2 4500 20000 0x2001 0x1001 $R 10.1.0.0/24 10.2.0.1/32 || bad=1
	ip netns exec xrw ping -c 3 -i 0.2 -W 2 -I 10.2.0.1 10.1.0.1 > "$OUT/xa-ping0.txt" 2>&1 || { echo "FAIL tunnel does not work"; bad=1; }

	ip netns exec xrw ping -c 30 -i 0.1 -W 1 -I 10.2.0.1 10.1.0.1 > "$OUT/xa-ping-warm.txt" 2>&1
	# a. port-only change, UPDSA of both SAs with the new port.
	ip netns exec xnat iptables-legacy -t nat -R POSTROUTING 1 -o n1 -p udp -j SNAT --to-source 198.51.100.2:20001
	ip netns exec xnat conntrack -F >/dev/null 2>&1
	ip netns exec xrw ping -c 1 -W 1 -I 10.2.0.1 10.1.0.1 >/dev/null 2>&1
	ip netns exec xgw "$K" pair-sa 198.51.100.1 198.51.100.2 4500 20001 0x2001 0x1001 $R 10.1.0.0/24 10.2.0.1/32 || { echo "FAIL a: UPDSA refused"; bad=1; }
	ip netns exec xrw ping -c 10 -i 0.1 -W 1 -I 10.2.0.1 10.1.0.1 > "$OUT/xa-ping-a.txt" 2>&1
	grep -q ' 10 received' "$OUT/xa-ping-a.txt" || { echo "FAIL a: traffic after UPDSA"; bad=1; }
	ip netns exec xgw "$K" get 198.51.100.2 0x2001 | tee "$OUT/xa-get-a.txt"
	oseq=$(sed -n 's/.*oseq=\([0-9]*\).*/\1/p' "$OUT/xa-get-a.txt")
	[ "${oseq:-0}" -ge 40 ] || { echo "FAIL a: UPDSA reset oseq ($oseq)"; bad=1; }
	echo "a: UPDSA follows a port change, oseq kept ($oseq)"
	# b. address change: UPDSA addressed to the new peer finds no SA.
	ip netns exec xgw "$K" pair-sa 198.51.100.1 198.51.100.3 4500 20002 0x2001 0x1001 $R 10.1.0.0/24 10.2.0.1/32 > "$OUT/xa-b.txt" 2>&1
	cat "$OUT/xa-b.txt"
	grep -q 'No such process' "$OUT/xa-b.txt" && echo "b: UPDSA cannot change the peer address (ESRCH)" || { echo "FAIL b: UPDSA unexpectedly accepted a new address"; bad=1; }
	# c. delete + add (same SPIs, new port): counters restart at 1.
	ip netns exec xnat iptables-legacy -t nat -R POSTROUTING 1 -o n1 -p udp -j SNAT --to-source 198.51.100.2:20003
	ip netns exec xnat conntrack -F >/dev/null 2>&1
	ip netns exec xrw ping -c 1 -W 1 -I 10.2.0.1 10.1.0.1 >/dev/null 2>&1
	ip netns exec xgw "$K" del 198.51.100.2 0x2001; ip netns exec xgw "$K" del 198.51.100.1 0x1001
	KT_ADD=1 ip netns exec xgw "$K" pair-sa 198.51.100.1 198.51.100.2 4500 20003 0x2001 0x1001 $R 10.1.0.0/24 10.2.0.1/32 || bad=1
	ip netns exec xrw ping -c 10 -i 0.1 -W 1 -I 10.2.0.1 10.1.0.1 > "$OUT/xa-ping-c.txt" 2>&1
	tail -2 "$OUT/xa-ping-c.txt"
	seqerr=$(ip netns exec xrw awk '$1 == "XfrmInStateSeqError" {print $2}' /proc/net/xfrm_stat)
	echo "c: delete+add: road warrior replay drops = $seqerr"
	[ "${seqerr:-0}" -gt 0 ] || { echo "FAIL c: expected replay drops after delete+add"; bad=1; }
	grep -q ' 10 received' "$OUT/xa-ping-c.txt" && { echo "FAIL c: expected lost pings after delete+add"; bad=1; }
	kill $s1 $s2 $ev 2>/dev/null; wait 2>/dev/null
	ip netns exec xgw "$K" cleanup; ip netns exec xrw "$K" cleanup
	for n in xgw xnat xrw; do ip netns del $n; done
	[ $bad = 0 ] || fail "xfrm-move-alternatives: see the FAIL lines in guest.log and xfrm/ in the output folder"
	echo "PASS xfrm-move-alternatives"
}
