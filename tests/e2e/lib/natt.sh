# shellcheck shell=bash
# tests/e2e/lib/natt.sh: NAT-traversal assertions shared by every scenario
# that negotiates IKEv1 (peers against each other, natkeyd against peers).
# Capture assertions run on the host with tshark after the run. The
# positive ones exclude ICMP: an ICMP error quoting a packet carries the
# quoted IP/UDP/ISAKMP headers and would match for it (a port unreachable
# from the gateway quoting the road warrior's message 1 "is" a message from
# the gateway with the RFC 3947 VID).

# RFC 3947 s3: the vendor ID is MD5("RFC 3947").
NATT_VID_RFC3947=4a:13:1c:81:07:03:58:45:5c:57:28:f2:0e:95:45:2f
# ISAKMP exchange types (RFC 2408 s3.1, RFC 2409 s5).
NATT_XCHG_MAIN=2 NATT_XCHG_AGGR=4 NATT_XCHG_QUICK=32
# NAT-D payload type (RFC 3947 s3.2).
NATT_PL_NATD=20

# assert_natt_phase1 CAPTURE GW_ADDR [main|aggressive]: both sides announce
# RFC 3947 and exchange NAT-D payloads on port 500 (GW_ADDR = the gateway's
# address as seen on CAPTURE).
assert_natt_phase1() {
	local cap=$1 gw=$2 mode=${3:-main} x=$NATT_XCHG_MAIN
	[[ $mode == aggressive ]] && x=$NATT_XCHG_AGGR
	assert_capture "$cap" "!icmp && ip.dst==$gw && udp.dstport==500 && isakmp.exchangetype==$x && isakmp.vid_bytes==$NATT_VID_RFC3947" \
		"initiator announces the RFC 3947 vendor ID"
	assert_capture "$cap" "!icmp && ip.src==$gw && udp.srcport==500 && isakmp.exchangetype==$x && isakmp.vid_bytes==$NATT_VID_RFC3947" \
		"responder answers with the RFC 3947 vendor ID"
	# In Aggressive Mode the initiator's NAT-D payloads travel in message 3,
	# encrypted (RFC 3947 s3.2, s4: HDR*): only the responder's are visible.
	[[ $mode == aggressive ]] ||
		assert_capture "$cap" "!icmp && ip.dst==$gw && isakmp.exchangetype==$x && isakmp.typepayload==$NATT_PL_NATD" \
			"initiator sends NAT-D payloads"
	assert_capture "$cap" "!icmp && ip.src==$gw && isakmp.exchangetype==$x && isakmp.typepayload==$NATT_PL_NATD" \
		"responder sends NAT-D payloads"
}

# assert_natt_float CAPTURE GW_ADDR [main|aggressive] [PINGS]: after NAT was
# detected, the rest of phase 1 (MM5/MM6, or AM3), Quick Mode and ESP run on
# UDP 4500: ISAKMP behind the non-ESP marker, ESP in UDP, no plain ESP.
assert_natt_float() {
	local cap=$1 gw=$2 mode=${3:-main} n=${4:-1}
	local m="udp.port==4500 && udpencap.non_esp_marker"
	if [[ $mode == aggressive ]]; then
		assert_capture "$cap" "!icmp && ip.dst==$gw && $m && isakmp.exchangetype==$NATT_XCHG_AGGR && isakmp.flag_e==1" \
			"Aggressive Mode message 3 on UDP 4500 behind the non-ESP marker"
	else
		assert_capture "$cap" "!icmp && ip.dst==$gw && $m && isakmp.exchangetype==$NATT_XCHG_MAIN && isakmp.flag_e==1" \
			"Main Mode message 5 on UDP 4500 behind the non-ESP marker"
		assert_capture "$cap" "!icmp && ip.src==$gw && $m && isakmp.exchangetype==$NATT_XCHG_MAIN && isakmp.flag_e==1" \
			"Main Mode message 6 on UDP 4500 behind the non-ESP marker"
		assert_capture_none "$cap" "udp.port==500 && isakmp.exchangetype==$NATT_XCHG_MAIN && isakmp.flag_e==1" \
			"no encrypted Main Mode message left on port 500"
	fi
	assert_capture "$cap" "!icmp && ip.dst==$gw && $m && isakmp.exchangetype==$NATT_XCHG_QUICK" \
		"Quick Mode from the initiator on UDP 4500 behind the non-ESP marker"
	assert_capture "$cap" "!icmp && ip.src==$gw && $m && isakmp.exchangetype==$NATT_XCHG_QUICK" \
		"Quick Mode from the responder on UDP 4500 behind the non-ESP marker"
	assert_capture_none "$cap" "udp.port==500 && isakmp.exchangetype==$NATT_XCHG_QUICK" \
		"no Quick Mode on port 500"
	assert_capture "$cap" "!icmp && ip.dst==$gw && udp.dstport==4500 && esp" "ESP in UDP 4500 towards the gateway" "$n"
	assert_capture "$cap" "!icmp && ip.src==$gw && udp.srcport==4500 && esp" "ESP in UDP 4500 from the gateway" "$n"
	assert_capture_none "$cap" "ip.proto==50" "no plain ESP (IP protocol 50)"
}

# assert_natt_initiator_ports CAPTURE [main|aggressive]: on the initiator's
# side of any NAT, the float uses UDP(4500, 4500) (RFC 3947 s4).
assert_natt_initiator_ports() {
	local cap=$1 x=$NATT_XCHG_MAIN
	[[ ${2:-main} == aggressive ]] && x=$NATT_XCHG_AGGR
	assert_capture "$cap" "!icmp && udp.srcport==4500 && udp.dstport==4500 && udpencap.non_esp_marker && isakmp.exchangetype==$x && isakmp.flag_e==1" \
		"initiator floats with UDP source and destination port 4500"
}

# assert_no_natt_float CAPTURE GW_ADDR [PINGS]: without NAT, everything stays
# on port 500 and ESP is IP protocol 50.
assert_no_natt_float() {
	local cap=$1 gw=$2 n=${3:-1}
	assert_capture_none "$cap" "udp.port==4500" "nothing on UDP 4500"
	assert_capture "$cap" "!icmp && udp.port==500 && isakmp.exchangetype==$NATT_XCHG_QUICK" "Quick Mode on port 500" 2
	assert_capture "$cap" "!icmp && ip.dst==$gw && ip.proto==50 && esp" "plain ESP (IP protocol 50) towards the gateway" "$n"
	assert_capture "$cap" "!icmp && ip.src==$gw && ip.proto==50 && esp" "plain ESP (IP protocol 50) from the gateway" "$n"
}

# assert_natt_kernel HOST [COUNT] [SECONDS]: within SECONDS (default 20)
# HOST's kernel holds at least COUNT (default 2: one in, one out) ESP-in-UDP
# SAs; the first encap line goes to the record.
assert_natt_kernel() {
	local h=$1 c=${2:-2} t=${3:-20} n line first=""
	natt_count_encap() {
		e2e_xfrm_out "$h"
		n=0
		while read -r line; do
			[[ $line =~ ^encap\ type\ espinudp ]] || continue
			((n++))
			[[ -n $first ]] || first=$line
		done <<<"$e2e_xfrm"
		((n >= c))
	}
	if ! wait_until "$t" natt_count_encap; then
		printf '%s\n' "$e2e_xfrm" >"$E2E_OUT/logs/failed-xfrm-$h.txt"
		fail "$h holds $n SAs with encap type espinudp after $t s, want >= $c (logs/failed-xfrm-$h.txt)"
	fi
	e2e_pass "$h holds $n ESP-in-UDP SAs (encap type espinudp)" "$first"
}

# assert_no_natt_kernel HOST: HOST's ESP SAs exist and none is encapsulated.
assert_no_natt_kernel() {
	assert_xfrm_state "$1" 'proto esp spi' "$1 holds ESP SAs"
	assert_xfrm_state_none "$1" 'encap type' "$1's SAs are not UDP-encapsulated"
}
