# shellcheck shell=bash
# tests/e2e/lib/topology.sh: read a topology file (tests/e2e/topologies/*.topo,
# format in README.md) and build it: one network namespace per host, veth
# links, bridges for LANs, addresses, routes, forwarding, NAT rules.
#
# Building costs a fixed handful of processes: one `ip -batch` for all
# namespaces and links, one `ip -n HOST -batch` per host, and one
# sysctl/iptables step per router/NAT host.

# topology_build FILE: build the topology; writes $E2E_OUT/meta.env (the
# file's `var` lines plus E2E_HOSTS and E2E_CAPTURES) for the scenario and the
# host side.
topology_build() {
	local file=$1 lineno=0 word rest h a ep n
	local -a hosts=() captures=() vars=()
	local -A hostb=() isrouter=()
	local rootb=""
	[[ -r $file ]] || fail "no topology file $file"
	mkdir -p "$E2E_RUN/topo" "$E2E_RUN/nat"

	# endpoint HOST:IFACE[=ADDR/LEN] -> ep_host ep_if ep_addr
	topo_endpoint() {
		local e=$1
		ep_addr=""
		[[ $e == *=* ]] && ep_addr=${e#*=} e=${e%%=*}
		ep_host=${e%%:*} ep_if=${e#*:}
		[[ $ep_host != "$e" && -n $ep_if ]] || fail "$file:$lineno: bad endpoint '$1' (want HOST:IFACE[=ADDR/LEN])"
		[[ -n ${hostb[$ep_host]+x} ]] || fail "$file:$lineno: unknown host '$ep_host' (declare it with 'host')"
	}
	topo_iface() { # host iface addr: configure an interface inside its host
		hostb[$1]+="link set dev $2 addrgenmode none"$'\n'
		[[ -n $3 ]] && hostb[$1]+="address add $3 dev $2"$'\n'
		hostb[$1]+="link set dev $2 up"$'\n'
	}

	while read -r word rest; do
		((lineno++))
		case $word in
		'' | \#*) continue ;;
		host)
			for h in $rest; do
				[[ $h =~ ^[a-z][a-z0-9_]*$ ]] || fail "$file:$lineno: host name '$h' must match [a-z][a-z0-9_]*"
				hosts+=("$h")
				hostb[$h]="link set dev lo up"$'\n'
				rootb+="netns add $h"$'\n'
			done
			;;
		link) # A:if=addr B:if=addr
			set -- $rest
			(($# == 2)) || fail "$file:$lineno: link takes two endpoints"
			topo_endpoint "$1"
			local ah=$ep_host ai=$ep_if aa=$ep_addr
			topo_endpoint "$2"
			rootb+="link add name $ai netns $ah type veth peer name $ep_if netns $ep_host"$'\n'
			topo_iface "$ah" "$ai" "$aa"
			topo_iface "$ep_host" "$ep_if" "$ep_addr"
			;;
		lan) # NAME A:if=addr B:if=addr ...: a bridge in namespace NAME
			set -- $rest
			local lan=$1
			shift
			hosts+=("$lan")
			hostb[$lan]="link set dev lo up"$'\n'"link add br0 type bridge"$'\n'"link set dev br0 addrgenmode none"$'\n'
			rootb+="netns add $lan"$'\n'
			n=0
			for ep in "$@"; do
				topo_endpoint "$ep"
				rootb+="link add name $ep_if netns $ep_host type veth peer name p$n netns $lan"$'\n'
				topo_iface "$ep_host" "$ep_if" "$ep_addr"
				hostb[$lan]+="link set dev p$n addrgenmode none"$'\n'"link set dev p$n master br0"$'\n'"link set dev p$n up"$'\n'
				((n++))
			done
			hostb[$lan]+="link set dev br0 up"$'\n'
			;;
		route) # HOST DEST via GW | HOST DEST dev IF
			set -- $rest
			[[ -n ${hostb[$1]+x} ]] || fail "$file:$lineno: unknown host '$1'"
			h=$1
			shift
			hostb[$h]+="route add $*"$'\n'
			;;
		router)
			for h in $rest; do isrouter[$h]=1; done
			;;
		masquerade | nat1to1 | portfwd) # HOST ARGS...
			set -- $rest
			h=$1
			shift
			[[ -n ${hostb[$h]+x} ]] || fail "$file:$lineno: unknown host '$h'"
			isrouter[$h]=1
			if [[ $word == masquerade ]]; then
				# masquerade HOST OUTIF [LO-HI]
				echo "masquerade $1" >>"$E2E_RUN/nat/$h.rules"
				[[ -n ${2:-} ]] && echo "$2" >"$E2E_RUN/nat/$h.ports"
			else
				echo "$word $*" >>"$E2E_RUN/nat/$h.rules"
			fi
			;;
		capture)
			for a in $rest; do captures+=("$a"); done
			;;
		var) # NAME VALUE...
			[[ ${rest%% *} =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || fail "$file:$lineno: bad variable name"
			printf -v a '%s=%q' "${rest%% *}" "${rest#* }"
			vars+=("$a")
			;;
		*) fail "$file:$lineno: unknown statement '$word'" ;;
		esac
	done <"$file"

	local dirs=()
	for h in "${hosts[@]}"; do dirs+=("$E2E_RUN/hosts/$h" "/etc/netns/$h"); done
	mkdir -p "${dirs[@]}"
	printf '%s' "$rootb" >"$E2E_RUN/topo/root.batch"
	log "topology parsed"
	ip -batch "$E2E_RUN/topo/root.batch" || fail "topology $file: ip -batch failed ($E2E_RUN/topo/root.batch)"
	for h in "${hosts[@]}"; do
		printf '%s' "${hostb[$h]}" >"$E2E_RUN/topo/$h.batch"
		ip -n "$h" -batch "$E2E_RUN/topo/$h.batch" || fail "topology $file: ip -n $h -batch failed"
	done
	log "topology: namespaces, links, addresses and routes set"
	for h in "${!isrouter[@]}"; do
		ip netns exec "$h" sysctl -q -w net.ipv4.ip_forward=1 >/dev/null || fail "ip_forward on $h"
		[[ -s $E2E_RUN/nat/$h.rules ]] && nat_reload "$h"
	done

	{
		printf 'E2E_HOSTS=%q\n' "${hosts[*]}"
		printf 'E2E_CAPTURES=%q\n' "${captures[*]}"
		printf '%s\n' "${vars[@]}"
	} >"$E2E_OUT/meta.env"
	for a in "${captures[@]}"; do capture_begin "${a%%:*}" "${a#*:}"; done
	capture_wait_all
	log "topology $(basename "$file" .topo) up: ${hosts[*]}"
}
