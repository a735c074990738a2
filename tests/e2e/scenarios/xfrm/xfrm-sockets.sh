# shellcheck shell=bash
# xfrm-sockets: the IKE sockets (UDP 500/4500, IPv4/IPv6). Replies leave from the address the
# request reached (IP_PKTINFO / IPV6_RECVPKTINFO) even when it is not the interface's primary
# address; every socket carries in/out bypass policies; 4500 has UDP_ENCAP_ESPINUDP (only
# non-ESP-marker datagrams reach the socket); failures name the socket and the step.
# Runs inside user-mode-linux as root. Exit 0 = pass.
# Bed scenario (tests/e2e/README.md): it builds its own namespaces, so the topology only
# provides the guest; NATKEYD_BUILD must name a build folder holding tests/xfrm/xfrm_ktest.
default_topology=direct

scenario() {
	K=${XFRM_KTEST:-$NATKEYD_BUILD/tests/xfrm/xfrm_ktest}
	OUT=$E2E_OUT/xfrm; mkdir -p "$OUT"
	bad=0
	ip netns add xs || fail "cannot create namespaces"; ip netns add xc || fail "cannot create namespaces"
	ip link add s0 netns xs type veth peer name c0 netns xc
	ip -n xs link set lo up; ip -n xc link set lo up
	ip -n xs addr add 192.0.2.1/24 dev s0; ip -n xs addr add 192.0.2.5/24 dev s0
	ip -n xs addr add 2001:db8::1/64 dev s0 nodad; ip -n xs addr add 2001:db8::5/64 dev s0 nodad
	ip -n xc addr add 192.0.2.9/24 dev c0; ip -n xc addr add 2001:db8::9/64 dev c0 nodad
	ip -n xs link set s0 up; ip -n xc link set c0 up
	ip netns exec xs "$K" sockets 500 4500 30 v6 > "$OUT/xs-server.txt" 2>&1 & srv=$!
	sleep 0.5
	grep -q 'sockets open' "$OUT/xs-server.txt" || { echo "FAIL sockets did not open"; cat "$OUT/xs-server.txt"; bad=1; }
	ask() { ip netns exec xc "$K" udp-ask "$@" 2>&1; }
	# Replies from the secondary address the request reached.
	for a in 192.0.2.5 2001:db8::5; do
		for p in 500 4500; do
			m=""; [ $p = 4500 ] && m=marker
			r=$(ask $a $p $m); echo "$a:$p $m -> $r"
			[ "$r" = "answer from $a" ] || { echo "FAIL reply to $a:$p did not come from $a"; bad=1; }
		done
	done
	# Port 4500 without the marker is ESP for the kernel: the socket never sees it.
	r=$(ask 192.0.2.5 4500 esp); echo "192.0.2.5:4500 ESP-looking -> $r"
	case "$r" in *"answer from"*) echo "FAIL ESP-in-UDP reached the IKE socket (no UDP_ENCAP?)"; bad=1;; esac
	# Bypass policies: in and out on each of the 4 sockets.
	ip -n xs xfrm policy > "$OUT/xs-policy.txt"
	si=$(grep -c 'socket in' "$OUT/xs-policy.txt"); so=$(grep -c 'socket out' "$OUT/xs-policy.txt")
	echo "socket policies: in=$si out=$so"
	[ "$si" = 4 ] && [ "$so" = 4 ] || { echo "FAIL bypass policies missing"; bad=1; }
	# A second instance: clear startup error naming the socket and the step.
	ip netns exec xs "$K" sockets 500 4500 1 > "$OUT/xs-second.txt" 2>&1 && { echo "FAIL second instance started"; bad=1; }
	cat "$OUT/xs-second.txt"
	grep -q 'startup error: UDP port 500 (IPv4) is already in use: stop the other IKE daemon' "$OUT/xs-second.txt" || { echo "FAIL unclear bind error"; bad=1; }
	# Without CAP_NET_ADMIN the bypass policy cannot be set: named as such.
	ip netns exec xs setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$K" sockets 5000 5001 1 > "$OUT/xs-unpriv.txt" 2>&1 && { echo "FAIL unprivileged start succeeded"; bad=1; }
	cat "$OUT/xs-unpriv.txt"
	grep -q 'startup error: IPv4 UDP 5000: setsockopt(IP_XFRM_POLICY bypass): Operation not permitted' "$OUT/xs-unpriv.txt" || { echo "FAIL unclear permission error"; bad=1; }
	kill $srv 2>/dev/null; wait 2>/dev/null
	grep 'recv' "$OUT/xs-server.txt"
	ip netns del xs; ip netns del xc
	[ $bad = 0 ] || fail "xfrm-sockets: see the FAIL lines in guest.log and xfrm/ in the output folder"
	echo "PASS xfrm-sockets"
}
