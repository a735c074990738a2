# shellcheck shell=bash
# xfrm-owner: natkeyd's cleanup (shutdown, and startup after a crash) removes only the SAs and
# policies it owns (reqid in 0x4e4b0001..0x4e4bffff) and leaves the host's other IPsec state -
# SAs with other reqids, policies with other template reqids, template-less policies, marks -
# untouched. Runs inside user-mode-linux as root in its own namespace. Exit 0 = pass.
# Bed scenario (tests/e2e/README.md): it builds its own namespaces, so the topology only
# provides the guest; NATKEYD_BUILD must name a build folder holding tests/xfrm/xfrm_ktest.
default_topology=direct

scenario() {
	K=${XFRM_KTEST:-$NATKEYD_BUILD/tests/xfrm/xfrm_ktest}
	OUT=$E2E_OUT/xfrm; mkdir -p "$OUT"
	bad=0
	ip netns add xo || fail "cannot create namespaces"
	ip -n xo link set lo up
	# Foreign state, as another IKE daemon or an admin would have it (reqid 7, 0, just outside our
	# range, a mark, a block policy without template).
	cat > "$OUT/xo-foreign.batch" <<-'B'
	xfrm state add src 192.0.2.10 dst 198.51.100.10 proto esp spi 0x5001 reqid 7 mode tunnel enc cbc(aes) 0x00112233445566778899aabbccddeeff auth-trunc hmac(sha1) 0x00112233445566778899aabbccddeeff00112233 96
	xfrm state add src 198.51.100.10 dst 192.0.2.10 proto esp spi 0x5002 reqid 0 mode transport aead rfc4106(gcm(aes)) 0x00112233445566778899aabbccddeeff00112233 128
	xfrm state add src 192.0.2.11 dst 198.51.100.11 proto esp spi 0x5003 reqid 0x4e4c0000 mode tunnel mark 0x7 mask 0xff enc cbc(aes) 0x00112233445566778899aabbccddeeff auth-trunc hmac(sha256) 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff 128
	xfrm state add src 192.0.2.12 dst 198.51.100.12 proto esp spi 0x5004 reqid 0x4e4b0000 mode tunnel enc cbc(aes) 0x00112233445566778899aabbccddeeff auth-trunc hmac(sha1) 0x00112233445566778899aabbccddeeff00112233 96
	xfrm policy add src 10.9.0.0/24 dst 10.8.0.0/24 dir out priority 10 tmpl src 192.0.2.10 dst 198.51.100.10 proto esp reqid 7 mode tunnel
	xfrm policy add src 10.8.0.0/24 dst 10.9.0.0/24 dir in priority 10 mark 0x7 mask 0xff tmpl src 198.51.100.10 dst 192.0.2.10 proto esp reqid 7 mode tunnel
	xfrm policy add src 10.7.0.0/24 dst 10.6.0.0/24 dir out priority 11 action block
	xfrm policy add src 10.5.0.0/24 dst 10.6.0.0/24 dir fwd priority 12 tmpl src 192.0.2.12 dst 198.51.100.12 proto esp reqid 0x4e4b0000 mode tunnel
	B
	ip -n xo -batch "$OUT/xo-foreign.batch" || { echo "FAIL foreign setup"; bad=1; }
	ip -n xo xfrm state > "$OUT/xo-before-state.txt"; ip -n xo xfrm policy > "$OUT/xo-before-policy.txt"
	# natkeyd's own state, then a "crash" (process gone, state left) and the startup cleanup.
	ip netns exec xo "$K" matrix "$OUT/xo-expect.txt" >/dev/null || bad=1
	ip netns exec xo "$K" pair 192.0.2.1 198.51.100.1 4500 4500 0x7001 0x7002 0x4e4bffff 10.3.0.0/24 10.4.0.0/24 || bad=1
	n=$(ip -n xo xfrm state | grep -c '^src'); echo "states with ours: $n"
	[ "$n" = $((4 + 60 + 2)) ] || { echo "FAIL setup count $n"; bad=1; }
	ip netns exec xo "$K" cleanup > "$OUT/xo-cleanup1.txt" || bad=1
	cat "$OUT/xo-cleanup1.txt"
	grep -q 'cleanup sa=62 pol=8' "$OUT/xo-cleanup1.txt" || { echo "FAIL cleanup counts"; bad=1; }
	ip -n xo xfrm state > "$OUT/xo-after-state.txt"; ip -n xo xfrm policy > "$OUT/xo-after-policy.txt"
	# Foreign state byte-for-byte as before (iproute2's view), nothing of ours left.
	cmp -s "$OUT/xo-before-state.txt" "$OUT/xo-after-state.txt" || { echo "FAIL foreign SAs changed"; diff "$OUT/xo-before-state.txt" "$OUT/xo-after-state.txt"; bad=1; }
	cmp -s "$OUT/xo-before-policy.txt" "$OUT/xo-after-policy.txt" || { echo "FAIL foreign policies changed"; diff "$OUT/xo-before-policy.txt" "$OUT/xo-after-policy.txt"; bad=1; }
	# A second cleanup (shutdown after a clean start) finds nothing and still touches nothing.
	ip netns exec xo "$K" cleanup | grep -q 'cleanup sa=0 pol=0' || { echo "FAIL second cleanup"; bad=1; }
	ip -n xo xfrm state | cmp -s - "$OUT/xo-before-state.txt" || { echo "FAIL foreign SAs changed (2)"; bad=1; }
	ip netns del xo
	[ $bad = 0 ] || fail "xfrm-owner: see the FAIL lines in guest.log and xfrm/ in the output folder"
	echo "PASS xfrm-owner"
}
