# shellcheck shell=bash
# xfrm-nat-move: a road warrior behind a NAT and a gateway, tunnel-mode ESP-in-UDP SAs installed
# by xfrm/. While a ping runs through the tunnel the NAT changes first its port mapping, then
# its public address. The gateway receives real XFRM_MSG_MAPPING events (authenticated ESP from
# the new source), and moves its SA pair and policies to the new endpoint with XFRM_MSG_MIGRATE
# (xfrm_msg_build_sa_move). The ping must continue, with no replay drops at the road warrior
# (sequence numbers survive the move), and one MAPPING event per change reaches the gateway
# (XFRMA_MTIMER_THRESH on its inbound SA), not one per packet. Runs in user-mode-linux as root.
#
#   rw 10.0.0.2 (inner 10.2.0.1) --- nat 10.0.0.1 | 198.51.100.2 (.3) --- gw 198.51.100.1 (lan 10.1.0.1)
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
	ip netns exec xgw "$K" sockets 500 4500 90 > "$OUT/xn-gw-sock.txt" 2>&1 & s1=$!
	ip netns exec xrw "$K" sockets 500 4500 90 > "$OUT/xn-rw-sock.txt" 2>&1 & s2=$!
	ip netns exec xgw "$K" events 1000 60 $VEC > "$OUT/xn-gw-events.txt" 2>&1 & ev=$!
	sleep 0.5
	R=0x4e4b0301
	ip netns exec xrw "$K" pair 10.0.0.2 198.51.100.1 4500 4500 0x1001 0x2001 $R 10.2.0.1/32 10.1.0.0/24 || bad=1
	# The gateway's inbound SA rate-limits MAPPING events (XFRMA_MTIMER_THRESH 30 s).
	KT_MAPPING_MAXAGE=30 ip netns exec xgw "$K" pair 198.51.100.1 198.51.100.2 4500 20000 0x2001 0x1001 $R 10.1.0.0/24 10.2.0.1/32 || bad=1
	ip netns exec xrw ping -c 3 -i 0.2 -W 2 -I 10.2.0.1 10.1.0.1 > "$OUT/xn-ping0.txt" 2>&1 || { echo "FAIL tunnel does not work"; bad=1; }

	wait_event() { # $1 = pattern in the events file, up to 5 s
		i=0; while [ $i -lt 50 ]; do grep -q "$1" "$OUT/xn-gw-events.txt" && return 0; sleep 0.1; i=$((i+1)); done
		echo "FAIL no event matching $1"; return 1
	}
	ip netns exec xrw ping -c 200 -i 0.1 -W 2 -I 10.2.0.1 10.1.0.1 > "$OUT/xn-ping.txt" 2>&1 & png=$!
	t_start=${EPOCHREALTIME/./}
	sleep 1
	# 1. The NAT loses its mapping and picks a new port.
	ip netns exec xnat iptables-legacy -t nat -R POSTROUTING 1 -o n1 -p udp -j SNAT --to-source 198.51.100.2:20001
	ip netns exec xnat conntrack -F >/dev/null 2>&1
	wait_event 'EVENT MAPPING spi=0x00001001 reqid=1313538817 old=198.51.100.2:20000 new=198.51.100.2:20001' || bad=1
	ip netns exec xgw "$K" move 198.51.100.1 198.51.100.2 198.51.100.2 4500 20001 $R 10.1.0.0/24 10.2.0.1/32 || bad=1
	sleep 2
	# 2. The NAT changes its public address too.
	ip netns exec xnat iptables-legacy -t nat -R POSTROUTING 1 -o n1 -p udp -j SNAT --to-source 198.51.100.3:20002
	ip netns exec xnat conntrack -F >/dev/null 2>&1
	wait_event 'EVENT MAPPING spi=0x00001001 reqid=1313538817 old=198.51.100.2:20001 new=198.51.100.3:20002' || bad=1
	ip netns exec xgw "$K" move 198.51.100.1 198.51.100.2 198.51.100.3 4500 20002 $R 10.1.0.0/24 10.2.0.1/32 || bad=1
	# Echo request number being sent when the second move finished (one every 0.1 s).
	seq_moved=$(( (${EPOCHREALTIME/./} - t_start) / 100000 + 1 ))
	wait $png
	cat "$OUT/xn-ping.txt" | tail -3
	ip -n xgw -s xfrm state > "$OUT/xn-gw-state.txt"; ip -n xgw xfrm policy > "$OUT/xn-gw-policy.txt"
	ip netns exec xgw "$K" get 198.51.100.3 0x2001 > "$OUT/xn-gw-get.txt" || bad=1
	cat "$OUT/xn-gw-get.txt"

	# Traffic continues: every echo request sent from 0.5 s after the second move on (at least
	# 30 of them) is answered by the same ping process.
	first=$((seq_moved + 5))
	want=$((200 - first + 1))
	late=$(grep -o 'icmp_seq=[0-9]*' "$OUT/xn-ping.txt" | cut -d= -f2 | awk -v f=$first '$1 >= f' | wc -l)
	echo "moved at echo #$seq_moved; answered from #$first on: $late/$want"
	[ "$want" -ge 30 ] && [ "$late" = "$want" ] || { echo "FAIL traffic did not continue"; bad=1; }
	total=$(grep -c 'icmp_seq=' "$OUT/xn-ping.txt")
	echo "answered overall: $total/200"
	# The outbound SA kept its sequence counter: oseq counts every reply sent since the start.
	oseq=$(sed -n 's/.*oseq=\([0-9]*\).*/\1/p' "$OUT/xn-gw-get.txt")
	[ "${oseq:-0}" -ge $((total + 3)) ] || { echo "FAIL oseq $oseq < replies $((total + 3)): counter reset"; bad=1; }
	grep -q 'encap_dport=20002' "$OUT/xn-gw-get.txt" || { echo "FAIL outbound SA not on the new port"; bad=1; }
	# The policies' templates follow the SAs.
	grep -q 'tmpl src 198.51.100.1 dst 198.51.100.3' "$OUT/xn-gw-policy.txt" || { echo "FAIL out template not moved"; bad=1; }
	[ "$(grep -c 'tmpl src 198.51.100.3 dst 198.51.100.1' "$OUT/xn-gw-policy.txt")" = 2 ] || { echo "FAIL in/fwd templates not moved"; bad=1; }
	grep -q 'encap type espinudp sport 20002 dport 4500' "$OUT/xn-gw-state.txt" || { echo "FAIL inbound SA encap not moved"; bad=1; }
	# No replay drops at the road warrior (a reset counter would be dropped as replays).
	seqerr=$(ip netns exec xrw awk '$1 == "XfrmInStateSeqError" {print $2}' /proc/net/xfrm_stat)
	[ "$seqerr" = 0 ] || { echo "FAIL road warrior dropped $seqerr replays"; bad=1; }
	# One MAPPING event per mapping change, not one per packet; the threshold survives MIGRATE.
	n1=$(grep -c 'new=198.51.100.2:20001' "$OUT/xn-gw-events.txt"); n2=$(grep -c 'new=198.51.100.3:20002' "$OUT/xn-gw-events.txt")
	echo "MAPPING events: $n1 for the port change, $n2 for the address change"
	[ "$n1" = 1 ] && [ "$n2" = 1 ] || { echo "FAIL MAPPING events not rate-limited ($n1, $n2)"; bad=1; }
	kill $s1 $s2 $ev 2>/dev/null; wait 2>/dev/null
	ip netns exec xgw "$K" cleanup; ip netns exec xrw "$K" cleanup
	for n in xgw xnat xrw; do ip netns del $n; done
	[ $bad = 0 ] || fail "xfrm-nat-move: see the FAIL lines in guest.log and xfrm/ in the output folder"
	echo "PASS xfrm-nat-move"
}
