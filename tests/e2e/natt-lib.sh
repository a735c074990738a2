# shellcheck shell=bash
# tests/e2e/natt-lib.sh: helpers for the NAT-traversal proofs of issue 5
# (scenarios/natt/natt-*.sh); sourced by them, not a scenario itself. Builds on
# natkeyd-lib.sh (natkeyd_start, nkctl, nk_wait_up, ...).
#
#   natt_gw_setup natkeyd|strongswan [key=value...]   write + start the gateway
#   natt_rw_setup natkeyd|strongswan [key=value...]   write + start the road warrior
#   natt_connect RW_IMPL GW_IMPL                      road warrior initiates; both up
#   natt_gw_ports                                     the gateway's encap ports now
#   natt_nat_port                                     the NAT's public port for rw:4500
#   natt_pcap_lines HOST IFACE FILTER                 tcpdump -r of a running capture
#   natt_inject HOST SRCPORT MODE                     send forged/replayed packets
#
# Options for natkeyd are ipsec.conf conn keys (forceencaps=yes,
# nat_keepalive=20s, dpdaction=none...), appended to the connection. For
# strongSwan, encap=yes (forced encapsulation) and keep_alive=SECONDS
# (charon.keep_alive) are handled here, the rest goes to strongswan_rw/_gw.

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

# Vendor IDs (MD5 of the strings, RFC 3947 s3 and the drafts' s3; checked
# with Python hashlib).
NATT_VID_D03=7d:94:19:a6:53:10:ca:6f:2c:17:9d:92:15:52:9d:56  # draft-ietf-ipsec-nat-t-ike-03
NATT_VID_D02N=90:cb:80:91:3e:bb:69:6e:08:63:81:b5:ec:42:7b:1f # draft-ietf-ipsec-nat-t-ike-02\n
NATT_VID_D02=cd:60:46:43:35:df:21:f8:7c:fd:b2:fc:68:b6:a4:48  # draft-ietf-ipsec-nat-t-ike-02
NATT_VID_D08=8f:8d:83:82:6d:24:6b:6f:c7:a8:a6:a4:28:c1:1d:e8  # draft-ietf-ipsec-nat-t-ike-08

# natt_conf_lines KEY=VALUE...: ipsec.conf conn lines for natkeyd (into $natt_lines).
natt_conf_lines() {
	local a
	natt_lines=
	for a in "$@"; do
		[[ -n $natt_lines ]] && natt_lines+=$'\n'
		natt_lines+="  $a"
	done
}

# natt_swan_split KEY=VALUE...: sort strongSwan options into $natt_swan_encap,
# $natt_swan_ka and the array natt_swan_rest.
natt_swan_split() {
	local a
	natt_swan_encap=no natt_swan_ka=
	natt_swan_rest=()
	for a in "$@"; do
		case $a in
		encap=*) natt_swan_encap=${a#*=} ;;
		keep_alive=*) natt_swan_ka=${a#*=} ;;
		*) natt_swan_rest+=("$a") ;;
		esac
	done
}

# natt_swan_finish HOST: apply encap=yes to HOST's swanctl.conf.
natt_swan_finish() {
	local f
	f=$(host_etc "$1")/swanctl/swanctl.conf
	if [[ $natt_swan_encap == yes ]]; then
		sed -i 's/^\([[:space:]]*\)version = 1$/&\n\1encap = yes/' "$f"
		grep -q 'encap = yes' "$f" || fail "could not set encap = yes in $f"
	fi
	mkdir -p "$E2E_OUT/config/$1"
	cp "$f" "$E2E_OUT/logs/$1-swanctl.conf"
}

# natt_gw_setup natkeyd|strongswan [key=value...]: configure and start the
# gateway $GW (connection "rw", accepting road warriors from anywhere).
natt_gw_setup() {
	local impl=$1 etc
	shift
	if [[ $impl == strongswan ]]; then
		natt_swan_split "$@"
		strongswan_conf "$GW" ${natt_swan_ka:+"keep_alive = ${natt_swan_ka}s"}
		strongswan_gw "$GW" "${natt_swan_rest[@]}"
		natt_swan_finish "$GW"
		strongswan_start "$GW"
		return 0
	fi
	natkeyd_require
	natt_conf_lines "$@"
	etc=$(host_etc "$GW")
	mkdir -p "$etc"
	nk_gw_setup >"$etc/ipsec.conf"
	cat >>"$etc/ipsec.conf" <<-EOF
		# natkeyd gateway for road warriors (natt-lib.sh)
		conn rw
		  left=$GW_IP
		  leftid=@gw.natkeyd.test
		  leftsubnet=$GW_NET
		  right=%any
		$NK_GW_CLIENTS
		  authby=secret
		  ike=aes128-sha256-modp2048
		  esp=aes128-sha1-modp2048
		  pfs=yes
		  auto=add
	EOF
	[[ -n $natt_lines ]] && printf '%s\n' "$natt_lines" >>"$etc/ipsec.conf"
	printf '@gw.natkeyd.test %%any : PSK "%s"\n' "$E2E_PSK_DEFAULT" >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
	cp "$etc/ipsec.conf" "$E2E_OUT/logs/$GW-ipsec.conf"
	natkeyd_start "$GW"
}

# natt_rw_setup natkeyd|strongswan [key=value...]: configure and start the
# first road warrior (connection "gw").
natt_rw_setup() {
	local impl=$1 rw=${RWS%% *}
	shift
	if [[ $impl == strongswan ]]; then
		natt_swan_split "$@"
		strongswan_conf "$rw" ${natt_swan_ka:+"keep_alive = ${natt_swan_ka}s"}
		strongswan_rw "$rw" "${natt_swan_rest[@]}"
		natt_swan_finish "$rw"
		strongswan_start "$rw"
		return 0
	fi
	natt_conf_lines "$@"
	natkeyd_rw_conf "$rw" extra="$natt_lines"
	natkeyd_start "$rw"
}

# natt_connect RW_IMPL GW_IMPL: the road warrior brings the tunnel up; wait
# until both ends report it.
natt_connect() {
	local rw=${RWS%% *}
	if [[ $1 == natkeyd ]]; then
		assert_output "$rw" 'initiating gw' "natkeyctl up gw" "$NATKEYCTL" up gw
		nk_wait_up "$rw" gw 40
	else
		strongswan_initiate "$rw"
	fi
	[[ $2 == natkeyd ]] && nk_wait_up "$GW" rw 20
	return 0
}

# natt_gw_ports: from the gateway's kernel, the encap ports of its SAs with
# the road warrior: $natt_out_dport (outbound SA, GW -> peer: dport) and
# $natt_in_sport (inbound SA, peer -> GW: sport); empty when absent.
natt_gw_ports() {
	local line src=
	natt_out_dport='' natt_in_sport=''
	e2e_xfrm_out "$GW"
	while read -r line; do
		case $line in
		src\ *) src=${line#src } src=${src%% *} ;;
		encap\ type\ espinudp\ *)
			[[ $line =~ sport\ ([0-9]+)\ dport\ ([0-9]+) ]] || continue
			if [[ $src == "$GW_IP" ]]; then
				natt_out_dport=${BASH_REMATCH[2]}
			else
				natt_in_sport=${BASH_REMATCH[1]}
			fi
			;;
		esac
	done <<<"$e2e_xfrm"
}

# natt_gw_ports_are PORT: both of the gateway's SAs use PORT on the peer's side.
natt_gw_ports_are() {
	natt_gw_ports
	[[ $natt_out_dport == "$1" && $natt_in_sport == "$1" ]]
}

# natt_spis HOST: the sorted SPIs of HOST's ESP SAs, into $natt_spi_list.
natt_spis() {
	local line
	local -a s=()
	e2e_xfrm_out "$1"
	while read -r line; do
		[[ $line =~ ^proto\ esp\ spi\ (0x[0-9a-f]+) ]] && s+=("${BASH_REMATCH[1]}")
	done <<<"$e2e_xfrm"
	natt_spi_list=$(printf '%s\n' "${s[@]}" | sort | tr '\n' ' ')
}

# natt_nat_port: the NAT's public UDP port for the first road warrior's
# 4500 flow (conntrack), into $natt_nat_port (empty if no entry).
natt_nat_port() {
	local rw=${RWS%% *} ipvar out
	ipvar=IP_$rw
	natt_nat_port=
	out=$(ip netns exec "${NAT_rw%% *}" conntrack -L -p udp --orig-src "${!ipvar}" --orig-port-src 4500 2>/dev/null)
	# orig tuple rw:4500 -> gw:4500, then the reply tuple gw:4500 -> NAT:port
	[[ $out =~ sport=4500\ dport=4500\ src=[0-9.]+\ dst=[0-9.]+\ sport=4500\ dport=([0-9]+) ]] && natt_nat_port=${BASH_REMATCH[1]}
	natt_ct_line=$out
}

# natt_pcap_udp HOST IFACE: print the UDP packets captured so far on
# HOST:IFACE (a running capture), one a line: "MS SRC SPORT DST DPORT KIND",
# MS = milliseconds since the epoch, KIND = ike (non-ESP marker), esp,
# keepalive (one 0xFF octet) or other (port 4500 framing, RFC 3948 s2.2).
natt_pcap_udp() {
	python3 - "$E2E_RUN/pcap/$1-$2.pcap" 2>>"$E2E_OUT/logs/natt-pcap-udp.err" <<-'PY'
		import socket, struct, sys
		data = open(sys.argv[1], 'rb').read()
		magic = struct.unpack('<I', data[:4])[0]
		end = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
		nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
		link = struct.unpack(end + 'I', data[20:24])[0]
		off = 24
		while off + 16 <= len(data):
		    sec, frac, incl = struct.unpack(end + 'III', data[off:off + 12])
		    pkt = data[off + 16:off + 16 + incl]
		    off += 16 + incl
		    if link == 1:
		        if len(pkt) < 14 or pkt[12:14] != b'\x08\x00':
		            continue
		        pkt = pkt[14:]
		    if len(pkt) < 28 or pkt[9] != 17:
		        continue
		    ihl = (pkt[0] & 15) * 4
		    sp, dp = struct.unpack('!HH', pkt[ihl:ihl + 4])
		    pl = pkt[ihl + 8:]
		    kind = 'other'
		    if pl == b'\xff':
		        kind = 'keepalive'
		    elif pl[:4] == b'\0\0\0\0':
		        kind = 'ike'
		    elif len(pl) > 8:
		        kind = 'esp'
		    ms = sec * 1000 + (frac // 1000000 if nano else frac // 1000)
		    print(ms, socket.inet_ntoa(pkt[12:16]), sp, socket.inet_ntoa(pkt[16:20]), dp, kind)
	PY
}

# natt_inject HOST SRCPORT MODE CAPTURE: from HOST (the road warrior, so the
# packet crosses its NAT and gets a new public port), source port SRCPORT, to
# the gateway's UDP 4500, send packets made from what CAPTURE (HOST-IFACE of a
# running capture on the road warrior's own link) holds:
#   forge     the last captured IKE message's ISAKMP header (valid cookies,
#             message ID) with its encrypted body replaced by random bytes
#   forgeinfo valid cookies, Informational exchange, new message ID, random body
#   replay    every captured IKE message on 4500, verbatim (authentic but old)
#   esp       the last captured ESP packet, verbatim (a replay)
#   keepalive one NAT-keepalive byte (RFC 3948 s2.3)
# Prints what it sent; 1 when the capture has nothing to build from.
natt_inject() {
	local h=$1 sport=$2 mode=$3 cap=$4 src ipvar
	ipvar=IP_$h
	src=${!ipvar}
	# ip netns exec, not `on`: the capture lives in the guest's /run, which
	# `on` replaces with the host's own.
	ip netns exec "$h" python3 - "$E2E_RUN/pcap/$cap.pcap" "$src" "$sport" "$GW_PUB" "$mode" <<-'PY'
		import os, socket, struct, sys
		pcap, src, sport, dst, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
		data = open(pcap, 'rb').read()
		magic = struct.unpack('<I', data[:4])[0]
		end = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
		link = struct.unpack(end + 'I', data[20:24])[0]
		off, ike, esp = 24, [], []
		while off + 16 <= len(data):
		    incl = struct.unpack(end + 'I', data[off + 8:off + 12])[0]
		    pkt = data[off + 16:off + 16 + incl]
		    off += 16 + incl
		    if link == 1:
		        if len(pkt) < 14 or pkt[12:14] != b'\x08\x00':
		            continue
		        pkt = pkt[14:]
		    if len(pkt) < 28 or pkt[9] != 17:
		        continue
		    ihl = (pkt[0] & 15) * 4
		    if socket.inet_ntoa(pkt[12:16]) != src or socket.inet_ntoa(pkt[16:20]) != dst:
		        continue
		    sp, dp = struct.unpack('!HH', pkt[ihl:ihl + 4])
		    pl = pkt[ihl + 8:]
		    if sp != 4500 or dp != 4500 or len(pl) < 2:
		        continue
		    if pl[:4] == b'\0\0\0\0' and len(pl) >= 32:
		        ike.append(pl)
		    elif len(pl) > 8:
		        esp.append(pl)
		out = []
		if mode == 'forge' and ike:
		    m = ike[-1]
		    out.append(m[:32] + os.urandom(len(m) - 32))
		elif mode == 'forgeinfo' and ike:
		    m = ike[-1]
		    body = os.urandom(64)
		    hdr = m[4:20] + bytes([8, 0x10, 5, 1]) + os.urandom(4) + struct.pack('!I', 28 + len(body))
		    out.append(b'\0\0\0\0' + hdr + body)
		elif mode == 'replay' and ike:
		    out = list(ike)
		elif mode == 'esp' and esp:
		    out.append(esp[-1])
		elif mode == 'keepalive':
		    out.append(b'\xff')
		if not out:
		    print('nothing to send for', mode, '(ike %d, esp %d)' % (len(ike), len(esp)))
		    sys.exit(1)
		s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
		s.bind((src, sport))
		for p in out:
		    s.sendto(p, (dst, 4500))
		print('%s: sent %d packet(s) from %s:%d: %s' % (mode, len(out), src, sport,
		      ' '.join('%d bytes %s' % (len(p), p[:12].hex()) for p in out)))
	PY
}

# natt_ms_of TIMESTAMP: a tcpdump -tt time (seconds.micro) in ms since the
# epoch, into $natt_ms.
natt_ms_of() {
	local s=${1%.*} f=${1#*.}
	f=${f}000000
	natt_ms=$((s * 1000 + 10#${f:0:3}))
}

# natt_traverse_body ROLE: natkeyd as ROLE (rw: road warrior behind the NAT,
# strongSwan gateway; gw: gateway, strongSwan road warrior behind the NAT).
# The NAT-specific proofs of RFC 3947 s3-s5 / RFC 3948 s2 on the wire, in the
# kernel and in natkeyd's own reports (natkeyd-psk / natkeyd-gw prove the
# tunnel and status basics; this adds what only the NAT shows).
natt_traverse_body() {
	local role=$1 rw=${RWS%% *} ipvar nk rwi gwi v
	ipvar=IP_$rw
	if [[ $role == rw ]]; then
		nk=$rw rwi=natkeyd gwi=strongswan
	else
		nk=$GW rwi=strongswan gwi=natkeyd
	fi
	natt_gw_setup "$gwi"
	natt_rw_setup "$rwi"
	natt_connect "$rwi" "$gwi"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping $rw -> $SRV_IP through the tunnel"
	assert_ping "$SRV" "${!ipvar}" 3 "ping $SRV -> $rw through the tunnel (gateway side first)"
	assert_natt_kernel "$GW" 2
	assert_natt_kernel "$rw" 2

	# RFC 3947 s3.1: VIDs. natkeyd as initiator announces RFC 3947 and the
	# drafts (03, 02\n); as responder it echoes exactly one, RFC 3947.
	assert_natt_phase1 "$CAP_PUB" "$GW_PUB" main
	if [[ $role == rw ]]; then
		for v in "$NATT_VID_RFC3947" "$NATT_VID_D03" "$NATT_VID_D02N"; do
			assert_capture "$CAP_RW" "ip.src==${!ipvar} && udp.dstport==500 && isakmp.exchangetype==2 && isakmp.rspi==00:00:00:00:00:00:00:00 && isakmp.vid_bytes==$v" \
				"natkeyd's Main Mode message 1 carries the NAT-T vendor ID $v"
		done
	else
		assert_capture "$CAP_PUB" "ip.src==$GW_PUB && udp.srcport==500 && isakmp.exchangetype==2 && isakmp.vid_bytes==$NATT_VID_RFC3947" \
			"natkeyd answers with the RFC 3947 vendor ID"
		assert_capture_none "$CAP_PUB" "ip.src==$GW_PUB && (isakmp.vid_bytes==$NATT_VID_D03 || isakmp.vid_bytes==$NATT_VID_D02N || isakmp.vid_bytes==$NATT_VID_D02 || isakmp.vid_bytes==$NATT_VID_D08)" \
			"natkeyd echoes only the chosen method (no draft vendor IDs)"
	fi
	# RFC 3947 s4: the float, seen on both sides of the NAT.
	assert_natt_float "$CAP_PUB" "$GW_PUB" main 3
	assert_natt_initiator_ports "$CAP_RW" main
	assert_capture "$CAP_RW" "ip.src==${!ipvar} && udp.srcport==4500 && udp.dstport==4500 && esp" "ESP in UDP(4500, 4500) leaves $rw" 3
	assert_capture_none "$CAP_RW" "ip.proto==50" "no plain ESP on $rw's link"
	assert_capture_none "$CAP_PUB" "icmp.type==8 || icmp.type==0" "no cleartext ping or reply on the public link"
	assert_capture_none "$CAP_RW" "icmp.type==8 || icmp.type==0" "no cleartext ping or reply on $rw's link"

	# RFC 3948 s2.1: ESP-in-UDP uses the IKE ports: the gateway's SAs point at
	# the NAT's mapping of rw:4500 (conntrack), the road warrior's at 4500.
	natt_gw_ports
	natt_nat_port
	[[ -n $natt_nat_port && $natt_out_dport == "$natt_nat_port" && $natt_in_sport == "$natt_nat_port" ]] ||
		fail "gateway SAs use ports out $natt_out_dport / in $natt_in_sport, the NAT maps $rw:4500 to '$natt_nat_port' ($natt_ct_line)"
	e2e_pass "the gateway's SAs use the NAT's mapping of $rw:4500, port $natt_nat_port (same as IKE)" "$natt_ct_line"
	assert_xfrm_state "$rw" "encap type espinudp sport 4500 dport 4500" "$rw's SAs: espinudp 4500 -> 4500"
	# RFC 3948 s2.1 (SHOULD, done by the kernel): zero UDP checksum.
	if [[ $role == rw ]]; then
		assert_capture "$CAP_RW" "ip.src==${!ipvar} && udp.srcport==4500 && esp && udp.checksum==0" "natkeyd's ESP-in-UDP has a zero UDP checksum" 3
	else
		assert_capture "$CAP_PUB" "ip.src==$GW_PUB && udp.srcport==4500 && esp && udp.checksum==0" "natkeyd's ESP-in-UDP has a zero UDP checksum" 3
	fi

	# natkeyd's own account.
	if [[ $role == rw ]]; then
		assert_log "$rw-natkeyd.out" 'NAT_DETECTED: NAT detected \(RFC 3947\): we behind NAT, peer not behind NAT' "natkeyd logs that it is behind the NAT"
		assert_log "$rw-natkeyd.out" 'FLOAT: gw: NAT-T RFC 3947, moving IKE to port 4500' "natkeyd logs the float"
		assert_output "$rw" "gw: up, auto=add, ${!ipvar}:4500 -> $GW_PUB:4500, NAT: local \(RFC 3947\), ESP-in-UDP" \
			"natkeyctl status: floated, NAT on our side, ESP-in-UDP" "$NATKEYCTL" status
	else
		assert_log "$GW-natkeyd.out" 'NAT_DETECTED: NAT detected \(RFC 3947\): we not behind NAT, peer behind NAT' "natkeyd logs the peer's NAT"
		assert_log "$GW-natkeyd.out" 'FLOAT: rw: peer moved IKE to port 4500' "natkeyd logs the peer's float"
		assert_output "$GW" "rw: up, auto=add, $GW_IP:4500 -> [0-9.]+:$natt_nat_port, NAT: peer \(RFC 3947\), ESP-in-UDP" \
			"natkeyctl status: the peer's NAT mapping, ESP-in-UDP" "$NATKEYCTL" status
	fi
	assert_output "$nk" '"udp_encap":true' "natkeyctl status --json: udp_encap" "$NATKEYCTL" status --json
	nkctl "$nk" status >"$E2E_OUT/logs/$nk-status.txt" 2>&1
	nkctl "$nk" status --json >"$E2E_OUT/logs/$nk-status.json" 2>&1
	# natkeyctl(8): keepalive_s is "0 when not sending keepalives": only the
	# side behind the NAT sends them (RFC 3948 s4).
	if [[ $role == rw ]]; then
		natt_soft_output "$nk" '"keepalive_s":20' "status --json: the road warrior behind the NAT sends keepalives every 20 s" "$NATKEYCTL" status --json
	else
		natt_soft_output "$nk" '"keepalive_s":0' "status --json: the gateway (not behind a NAT) reports no keepalives" "$NATKEYCTL" status --json
	fi
	natt_soft_end
	return 0
}

# Soft checks: a failed one is recorded like a failed assertion (FAIL line in
# assertions.txt and failures.txt, with file:line) but the scenario goes on,
# so that one natkeyd defect does not hide the next; natt_soft_end then
# fails the scenario if any did.
natt_soft_n=0

# natt_soft_fail MESSAGE: record a failed soft check.
natt_soft_fail() {
	local -
	set +x
	e2e_where
	printf 'FAIL %s (%s)\n' "$1" "$e2e_where_is" | tee -a "$E2E_OUT/assertions.txt" >>"$E2E_OUT/failures.txt"
	log "FAIL (soft) $1 ($e2e_where_is)"
	natt_soft_n=$((natt_soft_n + 1))
}

# natt_soft_output HOST REGEX MESSAGE COMMAND...: assert_output, soft.
natt_soft_output() {
	local -
	set +x
	local h=$1 re=$2 msg=$3 o
	shift 3
	o=$(on "$h" "$@" 2>&1)
	if [[ $o =~ $re ]]; then
		e2e_pass "$msg" "${BASH_REMATCH[0]}"
	else
		natt_soft_fail "$msg: '$*' on $h did not match /$re/: $(head -c 300 <<<"$o")"
	fi
}

# natt_soft_log FILE REGEX MESSAGE: assert_log (no wait), soft.
natt_soft_log() {
	local -
	set +x
	local c
	c=$(<"$E2E_OUT/logs/$1")
	if [[ $c =~ $2 ]]; then
		e2e_pass "$3" "${BASH_REMATCH[0]}"
	else
		natt_soft_fail "$3: logs/$1 has no match for /$2/"
	fi
}

# natt_soft_end: fail the scenario if a soft check failed.
natt_soft_end() {
	((natt_soft_n == 0)) || fail "$natt_soft_n check(s) failed (see the FAIL lines above)"
	return 0
}
