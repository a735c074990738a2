#!/bin/bash
# scripts/demo.sh: natkeyd's first command. Installs what is missing (as root;
# otherwise prints the apt-get line and stops), builds, then shows NAT
# traversal on a real kernel inside user-mode-linux: natkeyd, configured by an
# ipsec.conf, is a road warrior behind a NAT and negotiates IKEv1 Main Mode
# (PSK) with a strongSwan gateway (tests/e2e scenario natkeyd-psk@rw-nat);
# this prints what happened, ending with `natkeyctl status`.
#   scripts/demo.sh [--peers] [OUTDIR]      (default OUTDIR build/demo)
# --peers shows the reference instead: strongSwan road warrior, Libreswan
# gateway (peers-baseline@rw-nat), no natkeyd involved.
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
mode=natkeyd
if [[ ${1:-} == --peers ]]; then
	mode=peers
	shift
fi
out=${1:-$src/build/demo}

"$src/scripts/deps.sh" || exit 1
echo "== building natkeyd (build/default)"
# A fresh clone has no build/ yet: the build log goes there.
mkdir -p "$src/build" || exit 1
if ! "$src/scripts/build.sh" "$src/build/default" >"$src/build/demo-build.log" 2>&1; then
	tail -20 "$src/build/demo-build.log"
	echo "build failed: $src/build/demo-build.log"
	exit 1
fi
if [[ $mode == natkeyd ]]; then
	scenario=natkeyd-psk@rw-nat
else
	scenario=peers-baseline@rw-nat
fi
echo "== running $scenario in user-mode-linux (about 30-60 s)"
NATKEYD_BUILD=$src/build/default "$src/tests/e2e/run" "$scenario" "$out"
rc=$?
[[ -s $out/meta.env ]] || exit "$rc"
# shellcheck disable=SC1091
source "$out/meta.env"

if [[ $mode == natkeyd ]]; then
	sw=$(grep -o 'strongSwan [0-9.]*' "$out/logs/gw-charon.log" 2>/dev/null | head -n1)
	cat <<EOF

Setup: road warrior rw ($IP_rw, private) running natkeyd -- NAT (masquerade,
       moves UDP ports) -- Internet -- gateway gw ($GW_PUB) running ${sw:-strongSwan},
       protecting $GW_NET (server $SRV_IP). IKEv1 Main Mode, PSK, tunnel mode.

1. NAT detected (NAT-D payloads in Main Mode 3/4); natkeyd's log on rw:
EOF
	grep -E 'NAT_DETECTED|FLOAT|IKE_ESTABLISHED|IPSEC_ESTABLISHED' "$out/logs/rw-natkeyd.out" |
		sed 's/^/   /'
	echo
else
	sw=$(grep -o 'strongSwan [0-9.]*' "$out/logs/rw-charon.log" 2>/dev/null | head -n1)
	ls=$(grep -o 'Libreswan Version [0-9.]*' "$out/logs/gw-pluto.log" 2>/dev/null | head -n1)
	pub=$(sed -n 's/.*NATD=\([0-9.]*\):\([0-9]*\).*/\1 port \2/p' "$out/logs/gw-pluto.log" | head -n1)
	cat <<EOF

Setup: road warrior rw ($IP_rw, private) -- NAT (masquerade, moves UDP ports)
       -- Internet -- gateway gw ($GW_PUB) protecting $GW_NET (server $SRV_IP).
       rw runs ${sw:-strongSwan}, gw runs ${ls:-Libreswan}; IKEv1 Main Mode, PSK.

1. NAT detected (NAT-D payloads in Main Mode 3/4):
   rw: $(grep -o 'local host is behind NAT.*' "$out/logs/rw-charon.log" | head -n1)
   gw: sees the peer as ${pub:-?} instead of $IP_rw port 500:
       the road warrior is behind the NAT, the gateway is not.

EOF
fi
cat <<EOF
2. Float to UDP 4500 (public link, tshark):
EOF
tshark -n -r "$out/pcap/${CAP_PUB/:/-}.pcap" -Y 'isakmp && !icmp' -T fields \
	-e ip.src -e udp.srcport -e ip.dst -e udp.dstport -e isakmp.exchangetype -e isakmp.flag_e \
	-e udpencap.non_esp_marker 2>/dev/null |
	awk -F'\t' 'BEGIN { x[2] = "Main Mode"; x[4] = "Aggressive"; x[5] = "Informational"; x[32] = "Quick Mode" }
	{ n[$5]++; m = ($7 != "") ? "non-ESP marker" : "";
	  printf "   %-21s -> %-21s %-13s %d  %-9s %s\n", $1 ":" $2, $3 ":" $4, x[$5], n[$5],
	      ($6 == "1" || $6 == "True") ? "encrypted" : "plain", m }'
esp=$(tshark -n -r "$out/pcap/${CAP_PUB/:/-}.pcap" -Y 'udp.port==4500 && esp' 2>/dev/null | wc -l)
plain=$(tshark -n -r "$out/pcap/${CAP_PUB/:/-}.pcap" -Y 'ip.proto==50' 2>/dev/null | wc -l)
echo "   then $esp ESP packets inside UDP 4500, $plain plain ESP (IP protocol 50) packets."
echo
echo "3. Kernel SAs (ip xfrm state on each side):"
for h in rw gw; do
	awk -v h="$h" '/^== ip -s xfrm state/ { on = 1; next } /^== / { on = 0 }
		on && /^src / { s = $0 } on && /proto esp/ { split($0, a, " "); spi = a[4]; sub(/\(.*/, "", spi) }
		on && /encap type/ { sub(/^[ \t]+/, ""); printf "   %s: %s spi %s\n       %s\n", h, s, spi, $0 }' \
		"$out/state/$h.txt"
done
echo
echo "4. Ping through the tunnel:"
sed -n 's/^PASS \(ping .*\): \([0-9]*\/[0-9]* replies\)$/   \1: \2/p; s/^PASS ping .*SA counters: \(.*\)$/   \1/p' \
	"$out/assertions.txt"
if [[ $mode == natkeyd ]]; then
	echo
	echo "5. natkeyctl status and natkeyctl sas on rw, while the tunnel was up:"
	sed 's/^/   /' "$out/logs/rw-status.txt" "$out/logs/rw-sas.txt"
fi
echo
if ((rc == 0)); then
	echo "All $(grep -c '^PASS' "$out/assertions.txt") assertions passed. Logs, captures, kernel state: $out"
else
	echo "The scenario FAILED: $(head -n1 "$out/failures.txt" 2>/dev/null). Logs: $out"
fi
exit "$rc"
