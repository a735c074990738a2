#!/bin/bash
# dump-host.sh HOST: (run inside HOST's namespace by guest.sh at teardown)
# print the host's kernel state: SAs with counters, policies, addresses,
# routes, non-zero XFRM error counters and, on NAT hosts, rules and mappings.
# (ip -batch cannot carry xfrm commands: they end the process.)
echo "== ip -s xfrm state"
ip -s xfrm state
echo "== ip xfrm policy"
ip xfrm policy
echo "== ip -4 addr; ip route show table all"
ip -4 -batch - <<'EOB'
address show
route show table all
EOB
echo "== /proc/net/xfrm_stat (non-zero counters)"
while read -r n v; do [[ $v == 0 ]] || echo "$n $v"; done </proc/net/xfrm_stat
if [[ -s $E2E_RUN/nat/$1.iptables ]]; then
	echo "== iptables-legacy-save -c"
	iptables-legacy-save -c
	echo "== conntrack -L"
	conntrack -L 2>&1
fi
