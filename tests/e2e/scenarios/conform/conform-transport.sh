# conform-transport: transport mode through a NAT with natkeyd on both ends
# (two-rw-nat: rw runs natkeyd, rw2 behind the same NAT runs nothing).
#  - RFC 3948 s3.1.2 (3948-3.1.2.a/b): the TCP segments the gateway's kernel
#    takes out of the UDP-encapsulated transport SA carry the checksum the
#    road warrior computed over its private address, wrong for the NAT's
#    address they arrive with (captured after decapsulation with NFLOG and
#    recomputed here); the kernel accepts them because they came through an
#    integrity-protected transport SA: a 1 MB upload arrives intact.
#  - RFC 3948 s5.2 (3948-5.2.b): the same traffic from behind the same NAT is
#    not also accepted in clear: rw2's pings to the gateway arrive (public
#    link) from the NAT's address, in clear, and get no answer; the gateway's
#    kernel drops them (xfrm_stat), while rw's pings through the SA work.
#  - 3948-1.a, 3947-5.2.h: UDP-encapsulated transport SAs in both kernels,
#    the gateway's inbound one with the road warrior's original address
#    (NAT-OA) as encap_oa.
default_topology=two-rw-nat

source "$E2E_SRC/tests/e2e/natt-lib.sh"

CONFORM_TCP_PORT=5001

# conform_transport_conf HOST ROLE: natkeyd's ipsec.conf for transport mode,
# conn "gw" (ROLE i, the road warrior) or "rw" (ROLE r, the gateway).
conform_transport_conf() {
	local h=$1 role=$2 etc ipvar
	etc=$(host_etc "$h")
	mkdir -p "$etc"
	ipvar=IP_$h
	{
		echo "# natkeyd transport mode (conform-transport.sh)"
		if [[ $role == i ]]; then
			echo "conn gw"
			echo "  left=${!ipvar}"
			echo "  leftid=@$h.natkeyd.test"
			echo "  right=$GW_PUB"
			echo "  rightid=@gw.natkeyd.test"
		else
			echo "conn rw"
			echo "  left=$GW_IP"
			echo "  leftid=@gw.natkeyd.test"
			echo "  right=%any"
		fi
		echo "  type=transport"
		echo "  authby=secret"
		echo "  ike=aes128-sha256-modp2048"
		echo "  esp=aes128-sha1-modp2048"
		echo "  pfs=yes"
		echo "  dpdaction=none"
		echo "  auto=add"
	} >"$etc/ipsec.conf"
	if [[ $role == i ]]; then
		printf '@%s.natkeyd.test @gw.natkeyd.test : PSK "%s"\n' "$h" "$E2E_PSK_DEFAULT" >"$etc/ipsec.secrets"
	else
		printf '@gw.natkeyd.test %%any : PSK "%s"\n' "$E2E_PSK_DEFAULT" >"$etc/ipsec.secrets"
	fi
	chmod 600 "$etc/ipsec.secrets"
	cp "$etc/ipsec.conf" "$E2E_OUT/logs/$h-ipsec.conf"
}

# The TCP checksums of the IPv4 TCP segments in an NFLOG pcap: prints
# "TOTAL BAD" (BAD = checksum wrong for the addresses in the packet).
CONFORM_NFLOG_CSUM='
import struct, sys
data = open(sys.argv[1], "rb").read()
end = "<" if struct.unpack("<I", data[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d) else ">"
link = struct.unpack(end + "I", data[20:24])[0]
def fold(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s
off, total, bad = 24, 0, 0
while off + 16 <= len(data):
    incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
    rec = data[off + 16:off + 16 + incl]
    off += 16 + incl
    pkt = None
    if link == 239:  # NFLOG: 4-byte header, then TLVs (length, type; host order, 4-aligned)
        p = 4
        while p + 4 <= len(rec):
            tl, tt = struct.unpack("<HH", rec[p:p + 4])
            if tl < 4:
                break
            if tt == 9:  # NFULA_PAYLOAD
                pkt = rec[p + 4:p + tl]
            p += (tl + 3) & ~3
    if not pkt or len(pkt) < 40 or pkt[9] != 6:
        continue
    ihl = (pkt[0] & 15) * 4
    tot = struct.unpack("!H", pkt[2:4])[0]
    seg = pkt[ihl:tot]
    total += 1
    if fold(pkt[12:20] + struct.pack("!BBH", 0, 6, len(seg)) + seg) != 0xffff:
        bad += 1
print(total, bad)
'

# Receives one TCP stream on GW_IP:PORT, writes its sha256 to FILE.
CONFORM_TCP_SINK='
import hashlib, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(1)
c, a = s.accept()
h, n = hashlib.sha256(), 0
while True:
    b = c.recv(65536)
    if not b:
        break
    h.update(b)
    n += len(b)
open(sys.argv[3], "w").write("%s %d %s\n" % (h.hexdigest(), n, a[0]))
'

# Sends 1 MB (deterministic) to HOST:PORT; prints its sha256.
CONFORM_TCP_SOURCE='
import hashlib, socket, sys
data = b"".join(hashlib.sha256(b"%d" % i).digest() for i in range(32768))
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=20)
s.sendall(data)
s.close()
print(hashlib.sha256(data).hexdigest(), len(data))
'

# conform_in_echos HOST: Icmp InEchos of HOST (/proc/net/snmp) into $in_echos.
conform_in_echos() {
	in_echos=$(ip netns exec "$1" awk '/^Icmp:/ { if (!h) { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 }
		else for (i = 1; i <= NF; i++) if (n[i] == "InEchos") print $i }' /proc/net/snmp)
	[[ $in_echos =~ ^[0-9]+$ ]] || fail "no Icmp InEchos in $1's /proc/net/snmp"
}

# conform_xfrm_in_drops HOST: sum of HOST's inbound xfrm policy drops into $xfrm_drops.
conform_xfrm_in_drops() {
	local name n
	xfrm_drops=0
	xfrm_stat_lines=$(ip netns exec "$1" cat /proc/net/xfrm_stat)
	while read -r name n; do
		case $name in
		XfrmInNoPols | XfrmInTmplMismatch | XfrmInStateMismatch | XfrmInPolBlock | XfrmInNoStates) ((xfrm_drops += n)) ;;
		esac
	done <<<"$xfrm_stat_lines"
}

scenario() {
	local rw=${RWS%% *} rw2=${RWS##* } nat=${NAT_rw%% *} natpub capfile cappid sent got total bad o n d0 e0
	natpub=$(ip -n "$nat" -4 -o addr show dev wan0 | awk '{print $4}')
	natpub=${natpub%/*}
	[[ $rw2 != "$rw" ]] || fail "conform-transport needs two hosts behind the NAT (RWS=$RWS)"

	conform_transport_conf "$GW" r
	natkeyd_start "$GW"
	conform_transport_conf "$rw" i
	natkeyd_start "$rw"
	natt_connect natkeyd natkeyd
	assert_xfrm_state "$rw" "mode transport" "$rw holds transport-mode SAs"
	assert_natt_kernel "$rw" 2
	assert_natt_kernel "$GW" 2
	assert_xfrm_state "$GW" "encap type espinudp sport [0-9]+ dport 4500 addr $IP_rw" \
		"the gateway's inbound SA has the road warrior's original address (NAT-OA) as encap_oa"
	assert_ping_tunnel "$rw" "$GW_PUB" 3 "ping $rw -> $GW_PUB through the transport SA"

	# The decapsulated TCP segments, logged after the kernel took them out
	# of the SA (PREROUTING sees them again, now as TCP from the NAT).
	ip netns exec "$GW" iptables-legacy -t mangle -A PREROUTING -p tcp -s "$natpub" -d "$GW_IP" \
		--dport "$CONFORM_TCP_PORT" -j NFLOG --nflog-group 7 || fail "NFLOG rule on $GW"
	capfile=$E2E_RUN/pcap/gw-nflog7.pcap
	mkdir -p "$E2E_RUN/pcap"
	(exec ip netns exec "$GW" tcpdump -i nflog:7 -n -U -s 0 -Z root -w "$capfile") \
		</dev/null >/dev/null 2>"$E2E_OUT/logs/tcpdump-gw-nflog.err" &
	cappid=$!
	snooze 2
	printf '%s' "$CONFORM_TCP_SINK" >"$E2E_OUT/logs/conform-tcp-sink.py"
	printf '%s' "$CONFORM_TCP_SOURCE" >"$E2E_OUT/logs/conform-tcp-source.py"
	rm -f "$E2E_OUT/logs/tcp-received.txt"
	daemon_start "$GW" tcpsink python3 "$E2E_OUT/logs/conform-tcp-sink.py" "$GW_IP" "$CONFORM_TCP_PORT" \
		"$E2E_OUT/logs/tcp-received.txt"
	wait_until 10 eval "ip netns exec $GW ss -Hltn 'sport = :$CONFORM_TCP_PORT' | grep -q LISTEN" ||
		fail "the TCP sink on $GW did not listen"
	sent=$(ip netns exec "$rw" timeout 60 python3 "$E2E_OUT/logs/conform-tcp-source.py" "$GW_PUB" "$CONFORM_TCP_PORT" 2>&1) ||
		fail "TCP upload $rw -> $GW_PUB failed: $sent"
	wait_until 20 test -s "$E2E_OUT/logs/tcp-received.txt" || fail "the TCP sink on $GW got no complete stream"
	read -r got n _ <"$E2E_OUT/logs/tcp-received.txt"
	[[ ${sent%% *} == "$got" ]] || fail "TCP upload: sent ${sent%% *}, the gateway received $got ($n bytes)"
	e2e_pass "1 MB TCP upload $rw -> $GW_PUB through the UDP-encapsulated transport SA arrived intact" "sha256 $got, $n bytes"
	snooze 1
	kill "$cappid" 2>/dev/null
	wait "$cappid" 2>/dev/null
	cp "$capfile" "$E2E_OUT/pcap/gw-nflog7.pcap" 2>/dev/null
	o=$(python3 -c "$CONFORM_NFLOG_CSUM" "$capfile" 2>&1)
	read -r total bad <<<"$o"
	[[ $total =~ ^[0-9]+$ ]] && ((total >= 20)) || fail "NFLOG saw '${total:-?}' decapsulated TCP segments on $GW ($o)"
	((bad == total)) ||
		fail "$bad of $total decapsulated TCP segments have a checksum wrong for their addresses, want all (the road warrior computed them over $IP_rw)"
	e2e_pass "every decapsulated TCP segment ($total) carried a checksum wrong for $natpub -> $GW_IP, and the kernel accepted them (integrity-protected transport SA, RFC 3948 s3.1.2)" \
		"$bad/$total bad (pcap/gw-nflog7.pcap)"

	# rw2, behind the same NAT, in clear: refused.
	conform_xfrm_in_drops "$GW"
	d0=$xfrm_drops
	conform_in_echos "$GW"
	e0=$in_echos
	assert_no_ping "$rw2" "$GW_PUB" "$rw2 (no IPsec, same NAT) pings $GW_PUB in clear: no answer"
	conform_in_echos "$GW"
	((in_echos == e0)) || fail "the gateway's ICMP took $((in_echos - e0)) echo requests from $rw2 in clear"
	conform_xfrm_in_drops "$GW"
	((xfrm_drops - d0 >= 2)) || fail "the gateway's xfrm_stat shows $((xfrm_drops - d0)) inbound policy drops for $rw2's pings, want >= 2"
	e2e_pass "the gateway's kernel dropped $rw2's clear pings (policy of the transport SA)" \
		"$(awk '$2 != 0' <<<"$xfrm_stat_lines" | tr '\n\t' '  ')"
	assert_ping_tunnel "$rw" "$GW_PUB" 3 "meanwhile $rw's pings through the SA are answered"
	assert_capture "$CAP_PUB" "ip.src==$natpub && ip.dst==$GW_PUB && icmp.type==8" \
		"clear pings from behind the NAT reached the gateway's link" 2
	assert_capture_none "$CAP_PUB" "ip.src==$GW_PUB && icmp.type==0" \
		"the gateway never answered a ping in clear"
	assert_capture_none "$CAP_PUB" "tcp" "no TCP in clear on the public link"
	return 0
}
