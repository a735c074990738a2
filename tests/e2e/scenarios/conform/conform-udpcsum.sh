# conform-udpcsum: the receiving kernel does not depend on a zero UDP
# checksum in ESP-in-UDP (RFC 3948 s2.1, REQUIREMENTS 3948-2.1.c). natkeyd on
# both ends, the road warrior behind the NAT. On the Internet router, every
# UDP datagram from the NAT to the gateway's port 4500 is taken off the
# forwarding path (iptables DROP in FORWARD, after an AF_PACKET socket saw it)
# and sent on by a relay that gives each ESP-in-UDP datagram a real, non-zero
# UDP checksum (IKE and keepalives unchanged). Pings through the tunnel then
# still work, and the gateway's link shows that every ESP-in-UDP datagram it
# received carried a non-zero checksum. Control: with the relay writing a
# wrong non-zero checksum the same pings get no answer and the gateway's
# UDP checksum error counter rises, so the good checksums were really checked.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natt-lib.sh"

# The relay (runs on the Internet router): IFACE SRC DST MODEFILE COUNTFILE.
CONFORM_RELAY='
import os, socket, struct, sys
ifname, src, dst, modefile, countfile = sys.argv[1:6]
src_b, dst_b = socket.inet_aton(src), socket.inet_aton(dst)
rx = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
rx.bind((ifname, 0))
tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)

def fold(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s

n = {"esp": 0, "other": 0}
while True:
    pkt, addr = rx.recvfrom(65535)
    if addr[2] == socket.PACKET_OUTGOING or len(pkt) < 28 or pkt[9] != 17:
        continue
    ihl = (pkt[0] & 15) * 4
    if pkt[12:16] != src_b or pkt[16:20] != dst_b:
        continue
    dport, ulen = struct.unpack("!HH", pkt[ihl + 2:ihl + 6])
    if dport != 4500:
        continue
    udp = bytearray(pkt[ihl:ihl + ulen])
    body = bytes(udp[8:])
    if len(body) > 8 and body[:4] != b"\0\0\0\0":
        mode = open(modefile).read().strip() if os.path.exists(modefile) else "good"
        udp[6:8] = b"\0\0"
        c = (~fold(pkt[12:20] + struct.pack("!BBH", 0, 17, ulen) + bytes(udp))) & 0xffff
        c = c or 0xffff
        if mode == "bad":
            c = (c ^ 0x5a5a) or 1
        udp[6:8] = struct.pack("!H", c)
        n["esp"] += 1
    else:
        n["other"] += 1
    tx.sendto(pkt[:ihl] + bytes(udp) + pkt[ihl + ulen:], (dst, 0))
    with open(countfile, "w") as f:
        f.write("%d %d\n" % (n["esp"], n["other"]))
'

# conform_csum_errors HOST: UDP InCsumErrors of HOST (/proc/net/snmp) into $csum_errors.
conform_csum_errors() {
	csum_errors=$(ip netns exec "$1" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 }
		else for (i = 1; i <= NF; i++) if (n[i] == "InCsumErrors") print $i }' /proc/net/snmp)
	[[ $csum_errors =~ ^[0-9]+$ ]] || fail "no Udp InCsumErrors in $1's /proc/net/snmp ('$csum_errors')"
}

scenario() {
	local rw=${RWS%% *} nat=${NAT_rw%% *} natpub cnt esp0 esp1 other e0 e1 t_good t_bad
	natpub=$(ip -n "$nat" -4 -o addr show dev wan0 | awk '{print $4}')
	natpub=${natpub%/*}
	natt_gw_setup natkeyd dpdaction=none
	natt_rw_setup natkeyd dpdaction=none
	natt_connect natkeyd natkeyd
	assert_natt_kernel "$GW" 2
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the tunnel (kernel's zero checksums)"

	# From now on the relay carries NAT -> gateway:4500.
	printf '%s' "$CONFORM_RELAY" >"$E2E_OUT/logs/conform-relay.py"
	echo good >"$E2E_OUT/logs/relay-mode"
	: >"$E2E_OUT/logs/relay-count"
	daemon_start inet relay python3 "$E2E_OUT/logs/conform-relay.py" nat0 "$natpub" "$GW_PUB" \
		"$E2E_OUT/logs/relay-mode" "$E2E_OUT/logs/relay-count"
	snooze 1
	ip netns exec inet iptables-legacy -I FORWARD -p udp -s "$natpub" -d "$GW_PUB" --dport 4500 -j DROP ||
		fail "iptables on inet"
	t_good=$EPOCHREALTIME
	conform_csum_errors "$GW"
	e0=$csum_errors
	assert_ping_tunnel "$rw" "$SRV_IP" 5 "ping $rw -> $SRV_IP through the tunnel, ESP-in-UDP with real UDP checksums"
	assert_ping "$SRV" "$IP_rw" 3 "ping $SRV -> $rw through the tunnel (answers carried by the relay)"
	read -r esp0 other <"$E2E_OUT/logs/relay-count"
	((esp0 >= 8)) || fail "the relay carried only ${esp0:-0} ESP-in-UDP datagrams"
	conform_csum_errors "$GW"
	((csum_errors == e0)) || fail "the gateway counted $((csum_errors - e0)) UDP checksum errors on good checksums"
	e2e_pass "the relay gave $esp0 ESP-in-UDP datagrams a real UDP checksum; the gateway took them" \
		"InCsumErrors $e0 -> $csum_errors, other datagrams relayed: $other"

	# Control: wrong (non-zero) checksums are checked, and refused.
	echo bad >"$E2E_OUT/logs/relay-mode"
	t_bad=$EPOCHREALTIME
	assert_no_ping "$rw" "$SRV_IP" "ping $rw -> $SRV_IP with wrong UDP checksums on ESP-in-UDP: no answer"
	conform_csum_errors "$GW"
	e1=$csum_errors
	read -r esp1 other <"$E2E_OUT/logs/relay-count"
	((esp1 > esp0 && e1 - e0 >= esp1 - esp0)) ||
		fail "wrong checksums: relay sent $((esp1 - esp0)) ESP datagrams, gateway InCsumErrors +$((e1 - e0))"
	e2e_pass "with wrong checksums the gateway's kernel drops ESP-in-UDP (checksum checked)" \
		"$((esp1 - esp0)) sent, InCsumErrors +$((e1 - e0))"
	echo good >"$E2E_OUT/logs/relay-mode"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP again with real checksums"

	# On the gateway's link: what it received.
	assert_capture "$CAP_PUB" "frame.time_epoch >= $t_good && frame.time_epoch < $t_bad && ip.src==$natpub && udp.dstport==4500 && esp && udp.checksum != 0" \
		"ESP-in-UDP reaching the gateway with a non-zero UDP checksum" 5
	assert_capture_none "$CAP_PUB" "frame.time_epoch >= $t_good && ip.src==$natpub && udp.dstport==4500 && esp && udp.checksum == 0" \
		"no ESP-in-UDP with a zero checksum reached the gateway while the relay ran"
	assert_capture "$CAP_PUB" "frame.time_epoch < $t_good && ip.src==$natpub && udp.dstport==4500 && esp && udp.checksum == 0" \
		"before the relay the kernel sent zero checksums (RFC 3948 s2.1 SHOULD)" 3
	return 0
}
