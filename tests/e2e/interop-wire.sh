# shellcheck shell=bash
# tests/e2e/interop-wire.sh: the wire (capture) assertions of one
# interoperability matrix row, in one place, so that the matrix
# (tests/e2e/interop-lib.sh, inside the guest: deferred to the host) and
# their negative controls (tests/e2e/interop-wire-selftest, on the host:
# evaluated at once on crafted captures) run the same checks. Needs
# lib/common.sh (assert_capture...) and lib/natt.sh.

# Vendor IDs natkeyd sends (natt/method.h NATT_METHODS_SEND_DEFAULT; RFC
# 3706 s5.1 for DPD): MD5 of the names, checked with Python hashlib.
IXW_VID_D02N=90:cb:80:91:3e:bb:69:6e:08:63:81:b5:ec:42:7b:1f # draft-ietf-ipsec-nat-t-ike-02\n
IXW_VID_D03=7d:94:19:a6:53:10:ca:6f:2c:17:9d:92:15:52:9d:56  # draft-ietf-ipsec-nat-t-ike-03
IXW_VID_D02=cd:60:46:43:35:df:21:f8:7c:fd:b2:fc:68:b6:a4:48  # draft-ietf-ipsec-nat-t-ike-02
IXW_VID_DPD=af:ca:d7:13:68:a1:f1:c9:6b:86:96:fc:77:57:01:00  # RFC 3706 s5.1

# ix_wire_vids CAP GW_PUB ROLE XMODE: natkeyd's first Phase 1 message
# announces what natkeyd.8 says. As initiator (ROLE i, towards GW_PUB): RFC
# 3947, draft-02\n, draft-03 and DPD. As responder (ROLE r, from GW_PUB): the
# one method it chose (RFC 3947: both peers offer it), no draft, and DPD.
ix_wire_vids() {
	local cap=$1 gw=$2 role=$3 x=$NATT_XCHG_MAIN f
	[[ $4 == aggressive ]] && x=$NATT_XCHG_AGGR
	if [[ $role == i ]]; then
		f="!icmp && ip.dst==$gw && udp.dstport==500 && isakmp.exchangetype==$x && isakmp.rspi==00:00:00:00:00:00:00:00"
		assert_capture "$cap" "$f && isakmp.vid_bytes==$IXW_VID_D02N" "natkeyd (initiator) announces draft-ietf-ipsec-nat-t-ike-02\\n"
		assert_capture "$cap" "$f && isakmp.vid_bytes==$IXW_VID_D03" "natkeyd (initiator) announces draft-ietf-ipsec-nat-t-ike-03"
		assert_capture "$cap" "$f && isakmp.vid_bytes==$IXW_VID_DPD" "natkeyd (initiator) announces DPD (RFC 3706)"
	else
		# (Not ICMP: a port unreachable from the gateway quotes the road
		# warrior's message 1, draft VIDs and all.)
		f="!icmp && ip.src==$gw && udp.srcport==500 && isakmp.exchangetype==$x"
		assert_capture "$cap" "$f && isakmp.vid_bytes==$IXW_VID_DPD" "natkeyd (responder) announces DPD (RFC 3706)"
		assert_capture_none "$cap" "$f && (isakmp.vid_bytes==$IXW_VID_D02N || isakmp.vid_bytes==$IXW_VID_D03 || isakmp.vid_bytes==$IXW_VID_D02)" \
			"natkeyd (responder) echoes only the chosen method (RFC 3947), no draft VID"
	fi
}

# ix_wire_natd CAP GW_PUB XMODE RWNAT GWNAT: the NAT-D payloads carry the
# right hashes (tests/e2e/lib/wirecheck.py recomputes them from the
# capture's addresses, ports and cookies with the negotiated hash): the
# first is the packet's destination in every cleartext message; the
# sender's own endpoint is among the others exactly when the sender is not
# behind a NAT (RWNAT/GWNAT yes|no). CAP is a public-link capture (between
# the NATs).
ix_wire_natd() {
	local cap=$1 gw=$2 xmode=$3 rwnat=$4 gwnat=$5 min=2
	# Aggressive Mode: only the responder's NAT-D (message 2) is cleartext.
	[[ $xmode == aggressive ]] && min=1
	assert_capture "$cap" "@natd:remote-ok" "NAT-D: the first hash is HASH(CKY-I|CKY-R|destination IP|port)" "$min"
	assert_capture_none "$cap" "@natd:remote-bad" "NAT-D: no message with a wrong first hash"
	if [[ $gwnat == yes ]]; then
		assert_capture "$cap" "@natd:local-nomatch:src=$gw" "NAT-D: the gateway (behind a NAT) hashes an address the wire does not show"
		assert_capture_none "$cap" "@natd:local-match:src=$gw" "NAT-D: no gateway hash matches its translated source"
	else
		assert_capture "$cap" "@natd:local-match:src=$gw" "NAT-D: the gateway's own hash matches its source address and port"
		assert_capture_none "$cap" "@natd:local-nomatch:src=$gw" "NAT-D: every gateway NAT-D message has its source hash"
	fi
	[[ $xmode == aggressive ]] && return 0
	if [[ $rwnat == yes ]]; then
		assert_capture "$cap" "@natd:local-nomatch:dst=$gw" "NAT-D: the road warrior (behind a NAT) hashes an address the wire does not show"
		assert_capture_none "$cap" "@natd:local-match:dst=$gw" "NAT-D: no road warrior hash matches its translated source"
	else
		assert_capture "$cap" "@natd:local-match:dst=$gw" "NAT-D: the road warrior's own hash matches its source address and port"
		assert_capture_none "$cap" "@natd:local-nomatch:dst=$gw" "NAT-D: every road warrior NAT-D message has its source hash"
	fi
}

# ix_wire_row CAP CAP_RW GW_PUB ROLE SETUP RWNAT GWNAT [PINGS]: every wire
# assertion of one matrix row (tests/e2e/interop-lib.sh ix_matrix_body).
# CAP: the public link; CAP_RW: the road warrior's side of any NAT.
ix_wire_row() {
	local cap=$1 caprw=$2 gw=$3 role=$4 setup=$5 rwnat=$6 gwnat=$7 n=${8:-3} xmode=main
	[[ $setup == aggr ]] && xmode=aggressive
	assert_natt_phase1 "$cap" "$gw" "$xmode"
	ix_wire_vids "$cap" "$gw" "$role" "$xmode"
	ix_wire_natd "$cap" "$gw" "$xmode" "$rwnat" "$gwnat"
	if [[ $rwnat == yes || $gwnat == yes ]]; then
		assert_natt_float "$cap" "$gw" "$xmode" "$n"
		assert_natt_initiator_ports "$caprw" "$xmode"
	else
		assert_no_natt_float "$cap" "$gw" "$n"
	fi
	ix_wire_clear "$cap"
}

# ix_wire_clear CAP: nothing of the protected traffic in the clear: no ICMP
# echo request or reply (both directions' pings, tunnel and transport
# mode) and no TCP.
ix_wire_clear() {
	assert_capture_none "$1" "icmp.type==8 || icmp.type==0" "no cleartext ping (request or reply) on the public link"
	assert_capture_none "$1" "tcp" "no cleartext TCP on the public link"
}

# ix_wire_shutdown CAP GW_PUB ROLE: natkeyd's Informational exchanges (its
# Deletes on shutdown) travel on UDP 4500 behind the non-ESP marker, none
# on port 500. (Not ICMP: an ICMP error quoting the peer's own Delete
# names the same addresses.)
ix_wire_shutdown() {
	local cap=$1 gw=$2 dir
	if [[ $3 == i ]]; then dir="!icmp && ip.dst==$gw"; else dir="!icmp && ip.src==$gw"; fi
	assert_capture "$cap" "$dir && udp.port==4500 && udpencap.non_esp_marker && isakmp.exchangetype==5" \
		"natkeyd's Informational exchanges (Deletes) on UDP 4500" 2
	assert_capture_none "$cap" "$dir && udp.port==500 && isakmp.exchangetype==5" \
		"no Informational exchange of natkeyd on port 500 after the float"
}
