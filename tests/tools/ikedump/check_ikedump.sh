#!/bin/sh
# tools/ikedump/ikedump on a capture written by the codec (via the tshark test's
# --write mode) and on malformed hex input: the output must name payloads,
# values and, for a malformed message, the exact reason and notify.
set -u
tmp=$(mktemp -d /tmp/check_isakmp_ikedump.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() { # expect FILE PATTERN
	grep -qF -- "$2" "$1" || { echo "FAIL: missing '$2'"; fail=1; }
}

./tests/ike/wire/check_isakmp_tshark --write "$tmp/s.pcap" || { echo "FAIL: cannot write pcap"; exit 1; }
./tools/ikedump/ikedump -r "$tmp/s.pcap" >"$tmp/pcap.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "FAIL: ikedump -r exit $rc"; fail=1; }
for p in "ISAKMP Main Mode (2)" "NAT-D (20)" "NAT-OA (21)" "NAT-D (draft-00..03) (130)" \
	"NAT-OA (draft-00..03) (131)" "ID_IPV4_ADDR (1): 192.168.0.100" \
	"ID_IPV6_ADDR (5): 2001:db8::42" "Encapsulation-Mode (4) = UDP-Encapsulated-Transport (4)" \
	"UDP-Encapsulated-Transport (draft) (61444)" "INITIAL-CONTACT (24578)" "R-U-THERE (36136)" \
	"Delete (12)" "Life-Duration (12) = 4294967296 (8-byte variable)" \
	"encrypted: 64 bytes of ciphertext (first payload ID (5))" \
	"IKE (non-ESP marker stripped)" \
	"ISAKMP_CFG_REQUEST (1), identifier 0x4242" "XAUTH_USER_NAME (16521) = (empty)" \
	"fragment id 1, number 2 (last)" "ID_FQDN (2), protocol 17, port 500: \"vpn.example.org\"" \
	"Transform #1: ESP_AES (12)"; do
	expect "$tmp/pcap.out" "$p"
done
# Every frame of the capture is IKE on 500/4500, and none is malformed.
nframes=$(sed -n 's/^\([0-9]*\) frame(s), .*/\1/p' "$tmp/pcap.out")
nike=$(sed -n 's/^[0-9]* frame(s), \([0-9]*\) IKE.*/\1/p' "$tmp/pcap.out")
if [ "${nframes:-0}" -lt 17 ] || [ "$nframes" != "$nike" ]; then
	echo "FAIL: $nframes frames, $nike IKE datagrams"
	fail=1
fi
if grep -q MALFORMED "$tmp/pcap.out"; then echo "FAIL: MALFORMED in the codec's capture"; fail=1; fi

# The bed's real captures, as hex lines: all decode.
base=${srcdir:-.}/tests/corpus/isakmp/baseline
if [ -d "$base" ]; then
	for f in "$base"/*; do
		od -An -v -tx1 "$f" | tr -d ' \n'
		echo
	done >"$tmp/base.hex"
	./tools/ikedump/ikedump <"$tmp/base.hex" >"$tmp/base.out" 2>&1 ||
		{ echo "FAIL: ikedump on the baseline corpus"; grep -B3 MALFORMED "$tmp/base.out"; fail=1; }
	expect "$tmp/base.out" "NAT-D (20)"
	case $(ls "$base") in *libreswan-am2*)
		expect "$tmp/base.out" "padding: 1 zero octet(s) to a 4-octet boundary" ;;
	esac
fi

# Main Mode message 1 of the unit tests with its transform count set to 2.
cat >"$tmp/bad.hex" <<'HEX'
# a good one first
0102030405060708 0000000000000000 01100200 00000000 00000068 0d000038 00000001 00000001 0000002c 01010001 00000024 01010000 80010007 800e0080 80020002 80030001 8004000e 800b0001 800c7080 00000014 4a131c81070358455c5728f20e95452f
0102030405060708 0000000000000000 01100200 00000000 00000068 0d000038 00000001 00000001 0000002c 01010002 00000024 01010000 80010007 800e0080 80020002 80030001 8004000e 800b0001 800c7080 00000014 4a131c81070358455c5728f20e95452f
00000000 0102030405060708 0000000000000000 01100200 00000000 0000001d 00
abc
HEX
./tools/ikedump/ikedump <"$tmp/bad.hex" >"$tmp/hex.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: ikedump on malformed input: exit $rc, want 1"; fail=1; }
for p in "message 1:" "Encryption-Algorithm (1) = AES-CBC (7)" "Life-Duration (12) = 28800" \
	"Vendor ID (13), 20 bytes" \
	"MALFORMED: number of transforms disagrees with the payload (at byte 47, in Proposal (2)); a responder would send BAD-PROPOSAL-SYNTAX (15)" \
	"(non-ESP marker stripped)" \
	"MALFORMED: payload header truncated: message ends first (at byte 28, in SA (1)); a responder would send PAYLOAD-MALFORMED (16)" \
	"MALFORMED: input is not an even number of hex digits"; do
	expect "$tmp/hex.out" "$p"
done
if [ $fail -ne 0 ]; then
	echo "--- ikedump -r output"; cat "$tmp/pcap.out"
	echo "--- ikedump hex output"; cat "$tmp/hex.out"
fi
exit $fail
