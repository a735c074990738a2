# shellcheck shell=bash
# xfrm-matrix: every algorithm combination x {transport, tunnel} x {plain, ESP-in-UDP} installed
# by xfrm/ (natkeyd's netlink code) must read back identically through iproute2, policies in/out/
# fwd with templates, reqids, priorities and marks likewise; ALLOCSPI stays in its range.
# Runs inside user-mode-linux as root; works in its own namespace. Exit 0 = pass.
# Bed scenario (tests/e2e/README.md): it builds its own namespaces, so the topology only
# provides the guest; NATKEYD_BUILD must name a build folder holding tests/xfrm/xfrm_ktest.
default_topology=direct

scenario() {
	K=${XFRM_KTEST:-$NATKEYD_BUILD/tests/xfrm/xfrm_ktest}
	OUT=$E2E_OUT/xfrm; mkdir -p "$OUT"
	bad=0
	ip netns add xm || fail "cannot create namespaces"
	ip -n xm link set lo up
	KT_VECDIR=${XFRM_VECDIR:-} ip netns exec xm "$K" matrix "$OUT/xm-expect.txt" || bad=1
	ip -n xm -s xfrm state > "$OUT/xm-state.txt"
	ip -n xm xfrm policy > "$OUT/xm-policy.txt"

	# Split iproute2's output into blocks keyed by SPI (states) and priority (policies), then check
	# every expectation line: "SA <spi> <text>" / "POL <prio> <text>", "!text" = must be absent.
	awk -v ef="$OUT/xm-expect.txt" '
		function flush() { if (key != "") blk[key] = cur; key = ""; cur = "" }
		FNR == 1 { flush() }
		$1 == "src" { flush() }
		{ cur = cur "\n" $0 }
		FILENAME ~ /state/ && match($0, /spi 0x[0-9a-f]+/) { key = "SA " substr($0, RSTART + 6, 8) }
		FILENAME ~ /policy/ && match($0, /priority [0-9]+/) { key = "POL " substr($0, RSTART + 9, RLENGTH - 9) }
		END {
			flush(); bad = 0; n = 0
			while ((getline line < ef) > 0) {
				split(line, f, " "); key = f[1] " " f[2]
				text = substr(line, length(f[1]) + length(f[2]) + 3)
				n++
				if (!(key in blk)) { print "FAIL missing " key; bad++; continue }
				if (substr(text, 1, 1) == "!") {
					if (index(blk[key], substr(text, 2))) { print "FAIL " key " has " text; bad++ }
				} else if (!index(blk[key], text)) { print "FAIL " key " lacks: " text; bad++ }
			}
			printf "checked %d expectations, %d failed\n", n, bad
			exit bad != 0
		}' "$OUT/xm-state.txt" "$OUT/xm-policy.txt" || bad=1

	# Expect 60 SAs and 5 policies, no more (nothing duplicated).
	nsa=$(grep -c '^src' "$OUT/xm-state.txt"); npol=$(grep -c '^src' "$OUT/xm-policy.txt")
	[ "$nsa" = 60 ] && [ "$npol" = 5 ] || { echo "FAIL counts sa=$nsa pol=$npol"; bad=1; }

	# ALLOCSPI: in range, never below 256 (RFC 3948 s1), narrow ranges honoured.
	ip netns exec xm "$K" spi 198.51.100.1 192.0.2.1 0x4e4b0042 || bad=1
	s=$(ip netns exec xm "$K" spi 198.51.100.1 192.0.2.1 0x4e4b0043 0x100 0x100 | awk '{print $2}')
	[ "$s" = 0x00000100 ] || { echo "FAIL narrow spi range gave $s"; bad=1; }
	ip netns exec xm "$K" spi 198.51.100.1 192.0.2.1 0x4e4b0044 0 0x200 && { echo "FAIL spi range with 0 accepted"; bad=1; }
	ip -n xm xfrm state list spi 0x100 | grep -q 'reqid 1313538115' || { echo "FAIL larval SA not visible"; bad=1; }

	ip netns exec xm "$K" cleanup || bad=1
	left=$(ip -n xm xfrm state | grep -c '^src'); leftp=$(ip -n xm xfrm policy | grep -c '^src')
	[ "$left" = 0 ] && [ "$leftp" = 0 ] || { echo "FAIL cleanup left sa=$left pol=$leftp"; bad=1; }
	ip netns del xm
	[ $bad = 0 ] || fail "xfrm-matrix: see the FAIL lines in guest.log and xfrm/ in the output folder"
	echo "PASS xfrm-matrix"
}
