# shellcheck shell=bash
# tests/e2e/lib/common.sh: the harness functions scenarios use inside the
# user-mode-linux guest. Sourced by guest.sh and scenario-run.sh; README.md
# documents every function meant for scenarios.
#
# Process creation dominates the guest's time (~0.1 s per exec), so these
# functions use bash builtins wherever they can and batch `ip` commands.
# Each helper starts with `local -; set +x`: trace.log shows the scenario's
# own lines (and helper calls), not the helpers' insides.

E2E_LIB=${E2E_LIB:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
E2E_RUN=${E2E_RUN:-/run/e2e}  # guest scratch space (tmpfs)
: "${E2E_OUT:?E2E_OUT must name the output folder}"
E2E_T0=${E2E_T0:-${EPOCHREALTIME/./}}
export E2E_LIB E2E_RUN E2E_OUT E2E_T0

# ---------------------------------------------------------------- basics

# e2e_now_ms: milliseconds since the guest started, into $e2e_ms.
e2e_now_ms() { e2e_ms=$(((${EPOCHREALTIME/./} - E2E_T0) / 1000)); }

# log MESSAGE...: one time-stamped line in $E2E_OUT/guest.log.
log() {
	local -
	set +x
	e2e_now_ms
	printf '[%4d.%03d] %s\n' $((e2e_ms / 1000)) $((e2e_ms % 1000)) "$*" >>"$E2E_OUT/guest.log"
}

# snooze SECONDS: sleep without starting a process (read with a timeout on a
# FIFO nobody writes to).
snooze() {
	local -
	set +x
	if [[ -n ${E2E_SLEEPFD:-} ]]; then
		read -r -t "$1" -u "$E2E_SLEEPFD" _ || :
	else
		sleep "$1"
	fi
}

# wait_until SECONDS COMMAND...: run COMMAND every 0.2 s until it succeeds;
# 1 if it never did within SECONDS.
wait_until() {
	local -
	set +x
	local limit=$(($1 * 1000)) start
	shift
	e2e_now_ms
	start=$e2e_ms
	while :; do
		"$@" && return 0
		e2e_now_ms
		((e2e_ms - start >= limit)) && return 1
		snooze 0.2
	done
}

# e2e_where: file:line of the scenario line that led to the current assertion
# (the innermost frame in scenarios/FAMILY/ or the shared natkeyd-lib.sh,
# named from tests/e2e/, else the assertion's direct caller).
e2e_where() {
	local -
	set +x
	local i
	for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
		if [[ ${BASH_SOURCE[i]} == */scenarios/* || ${BASH_SOURCE[i]} == */natkeyd-lib.sh ]]; then
			e2e_where_is="${BASH_SOURCE[i]#*/tests/e2e/}:${BASH_LINENO[i - 1]}"
			return
		fi
	done
	e2e_where_is="${BASH_SOURCE[2]##*/}:${BASH_LINENO[1]}"
}

# pid_alive PID: the process exists and is not a zombie.
pid_alive() {
	local -
	set +x
	local s
	read -r s 2>/dev/null <"/proc/$1/stat" || return 1
	s=${s##*) }
	[[ ${s:0:1} != Z ]]
}

# ---------------------------------------------------------------- hosts

# on HOST COMMAND...: run COMMAND in HOST's network namespace with HOST's own
# /run (a tmpfs directory) and HOST's /etc overrides (/etc/netns/HOST/*, bound
# over /etc/* by `ip netns exec`).
on() {
	local -
	set +x
	local h=$1
	shift
	ip netns exec "$h" "$E2E_LIB/nsrun" "$E2E_RUN/hosts/$h" "$@"
}

# host_etc HOST: the directory whose entries `on HOST` binds over /etc.
host_etc() { printf '/etc/netns/%s' "$1"; }

# host_run HOST: the directory that is HOST's /run (from outside it).
host_run() { printf '%s/hosts/%s' "$E2E_RUN" "$1"; }

# daemon_start HOST NAME COMMAND...: start COMMAND (which must stay in the
# foreground) on HOST; stdout+stderr go to $E2E_OUT/logs/HOST-NAME.out.
daemon_start() {
	local -
	set +x
	local h=$1 name=$2
	shift 2
	mkdir -p "$E2E_RUN/daemons"
	(exec ip netns exec "$h" "$E2E_LIB/nsrun" "$E2E_RUN/hosts/$h" "$@") \
		</dev/null >"$E2E_OUT/logs/$h-$name.out" 2>&1 &
	echo $! >"$E2E_RUN/daemons/$h-$name"
	log "daemon $h/$name started (pid $!): $*"
}

# daemon_pid HOST NAME: print the daemon's pid (1 if never started).
daemon_pid() {
	local -
	set +x
	local p
	read -r p 2>/dev/null <"$E2E_RUN/daemons/$1-$2" || return 1
	printf '%s\n' "$p"
}

# daemon_running HOST NAME: 0 while the daemon runs.
daemon_running() {
	local -
	set +x
	local p
	p=$(daemon_pid "$1" "$2") || return 1
	pid_alive "$p"
}

# daemon_stop HOST NAME [SIGNAL]: stop the daemon (SIGTERM by default, SIGKILL
# after 10 s) and wait for it.
daemon_stop() {
	local -
	set +x
	local p sig=${3:-TERM}
	p=$(daemon_pid "$1" "$2") || return 0
	if pid_alive "$p"; then
		kill -s "$sig" "$p" 2>/dev/null
		if ! wait_until 10 eval '! pid_alive '"$p"; then
			log "daemon $1/$2 ignored SIG$sig for 10 s: SIGKILL"
			kill -s KILL "$p" 2>/dev/null
			wait_until 5 eval '! pid_alive '"$p"
		fi
	fi
	wait "$p" 2>/dev/null
	rm -f "$E2E_RUN/daemons/$1-$2"
	log "daemon $1/$2 stopped"
}

# daemon_stop_all: stop every daemon still running (teardown): SIGTERM to
# all at once, then wait for each.
daemon_stop_all() {
	local -
	set +x
	local f n p
	for f in "$E2E_RUN"/daemons/*; do
		[[ -e $f ]] || continue
		read -r p <"$f" && kill -s TERM "$p" 2>/dev/null
	done
	for f in "$E2E_RUN"/daemons/*; do
		[[ -e $f ]] || continue
		n=${f##*/}
		daemon_stop "${n%%-*}" "${n#*-}"
	done
}

# ---------------------------------------------------------------- captures

# capture_start HOST IFACE: tcpdump on HOST's IFACE (ending up in
# $E2E_OUT/pcap/HOST-IFACE.pcap at teardown); returns once tcpdump listens. Assertions
# name the capture HOST:IFACE.
capture_start() {
	local -
	set +x
	capture_begin "$1" "$2"
	capture_wait_all
}

# capture_begin HOST IFACE: start tcpdump without waiting (several captures
# start faster together; then call capture_wait_all).
capture_begin() {
	local -
	set +x
	local h=$1 i=$2
	# The capture is written in the guest's tmpfs (tcpdump chowns its file,
	# which hostfs refuses when the host side runs unprivileged) and copied
	# to $E2E_OUT/pcap when it stops. --immediate-mode: without it packets
	# still in the kernel's ring buffer when SIGINT arrives are lost
	# ("received by filter" > "captured"): the last ESP packets or the
	# shutdown Deletes.
	mkdir -p "$E2E_RUN/captures" "$E2E_RUN/pcap" "$E2E_OUT/pcap"
	(exec ip netns exec "$h" tcpdump -i "$i" -n -U --immediate-mode -s 0 -Z root -w "$E2E_RUN/pcap/$h-$i.pcap") \
		</dev/null >/dev/null 2>"$E2E_OUT/logs/tcpdump-$h-$i.err" &
	echo $! >"$E2E_RUN/captures/$h-$i"
}

# capture_wait_all: wait until every started tcpdump listens.
capture_wait_all() {
	local -
	set +x
	local f n line
	for f in "$E2E_RUN"/captures/*; do
		[[ -e $f ]] || continue
		n=${f##*/}
		capture_listening() { read -r line 2>/dev/null <"$E2E_OUT/logs/tcpdump-$n.err" && [[ $line == *listening* ]]; }
		wait_until 30 capture_listening || fail "tcpdump on ${n/-/:} did not start (logs/tcpdump-$n.err)"
	done
	log "captures listening: $(cd "$E2E_RUN/captures" && echo *)"
}

# capture_stop_all: stop every capture (SIGINT: tcpdump flushes and exits)
# and copy the files to $E2E_OUT/pcap.
capture_stop_all() {
	local -
	set +x
	local f p
	for f in "$E2E_RUN"/captures/*; do
		[[ -e $f ]] || continue
		read -r p <"$f"
		kill -INT "$p" 2>/dev/null
	done
	for f in "$E2E_RUN"/captures/*; do
		[[ -e $f ]] || continue
		read -r p <"$f"
		wait_until 10 eval '! pid_alive '"$p" || kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
		rm -f "$f"
	done
	[[ -d $E2E_RUN/pcap ]] && cp "$E2E_RUN"/pcap/*.pcap "$E2E_OUT/pcap/" 2>/dev/null
}

# ---------------------------------------------------------------- NAT and links

# The NAT rules of a host are regenerated from its settings and loaded with
# one iptables-legacy-restore (nft cannot NAT in this UML kernel). Settings
# live in files so that every process of the run shares them:
#   $E2E_RUN/nat/HOST.rules  topology NAT lines (masquerade/nat1to1/portfwd)
#   $E2E_RUN/nat/HOST.ports  UDP port range for masquerade (empty: keep ports)
#   $E2E_RUN/nat/HOST.drop   extra filter rules (link_loss)

# nat_reload HOST: (re)load HOST's nat and filter tables from its settings.
nat_reload() {
	local -
	set +x
	local h=$1 d=$E2E_RUN/nat kind a b c e2 e3 nat="" flt="" ports="" drop=""
	local policy=ACCEPT
	mkdir -p "$d"
	[[ -s $d/$h.ports ]] && read -r ports <"$d/$h.ports"
	[[ -s $d/$h.drop ]] && drop=$(<"$d/$h.drop")$'\n'
	if [[ -s $d/$h.rules ]]; then
		while read -r kind a b c e2 e3; do
			case $kind in
			masquerade) # OUTIF
				[[ -n $ports ]] && nat+="-A POSTROUTING -o $a -p udp -j MASQUERADE --to-ports $ports"$'\n'
				nat+="-A POSTROUTING -o $a -j MASQUERADE"$'\n'
				policy=DROP
				flt+="-A FORWARD -o $a -j ACCEPT"$'\n'
				flt+="-A FORWARD -i $a -m conntrack --ctstate ESTABLISHED,RELATED,DNAT -j ACCEPT"$'\n'
				;;
			nat1to1) # OUTIF PUBLIC PRIVATE
				nat+="-A PREROUTING -i $a -d $b -j DNAT --to-destination $c"$'\n'
				nat+="-A POSTROUTING -o $a -s $c -j SNAT --to-source $b"$'\n'
				;;
			portfwd) # INIF PUBLIC PROTO PORT PRIVATE
				nat+="-A PREROUTING -i $a -d $b -p $c --dport $e2 -j DNAT --to-destination $e3"$'\n'
				;;
			'') ;;
			*) fail "nat_reload: unknown NAT rule '$kind' for $h" ;;
			esac
		done <"$d/$h.rules"
	fi
	printf '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n%sCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD %s [0:0]\n:OUTPUT ACCEPT [0:0]\n%s%sCOMMIT\n' \
		"$nat" "$policy" "$drop" "$flt" >"$d/$h.iptables"
	ip netns exec "$h" iptables-legacy-restore <"$d/$h.iptables" ||
		fail "iptables-legacy-restore failed on $h (rules: $d/$h.iptables)"
	log "iptables rules loaded on $h${ports:+ (masquerade udp to ports $ports)}"
}

# nat_flush HOST: forget every NAT mapping (conntrack -F), as a NAT reboot does.
nat_flush() {
	local -
	set +x
	ip netns exec "$1" conntrack -F >/dev/null 2>&1 || fail "conntrack -F failed on $1"
	log "conntrack table flushed on $1"
}

# nat_port_range HOST LO-HI|none: masquerade UDP to ports LO-HI (forces a new
# source port for 500/4500), or keep source ports where free (none).
nat_port_range() {
	local -
	set +x
	mkdir -p "$E2E_RUN/nat"
	if [[ $2 == none ]]; then : >"$E2E_RUN/nat/$1.ports"; else echo "$2" >"$E2E_RUN/nat/$1.ports"; fi
	nat_reload "$1"
}

# nat_udp_timeout HOST SECONDS: conntrack UDP timeouts (both the unreplied and
# the "stream" one) in HOST; a NAT that forgets mappings quickly.
nat_udp_timeout() {
	local -
	set +x
	ip netns exec "$1" sysctl -q -w "net.netfilter.nf_conntrack_udp_timeout=$2" \
		"net.netfilter.nf_conntrack_udp_timeout_stream=$2" ||
		fail "cannot set UDP conntrack timeouts on $1"
	log "UDP conntrack timeouts on $1: $2 s"
}

# link_netem HOST IFACE NETEM-ARGS...: impair HOST's egress on IFACE, e.g.
# `link_netem nat wan0 delay 100ms loss 10%`; `link_netem HOST IFACE off`
# removes it. (init.sh loads sch_netem; link_loss is the iptables way to
# drop, and can target one protocol/port.)
link_netem() {
	local -
	set +x
	local h=$1 i=$2
	shift 2
	if [[ $1 == off ]]; then
		ip netns exec "$h" tc qdisc del dev "$i" root 2>/dev/null
		return 0
	fi
	if ip netns exec "$h" tc qdisc replace dev "$i" root netem "$@"; then
		log "netem on $h:$i: $*"
	else
		fail "tc netem failed on $h:$i ($*)"
	fi
}

# link_loss HOST IFACE PERCENT [PROTO PORT]: drop PERCENT % of the packets HOST
# forwards or sends out of IFACE (iptables statistic), optionally only one
# protocol/port (udp 4500). PERCENT 0 removes the drops.
link_loss() {
	local -
	set +x
	local h=$1 i=$2 pct=$3 proto=${4:-} port=${5:-} m="" p
	[[ -n $proto ]] && m="-p $proto"
	[[ -n $port ]] && m+=" --dport $port"
	mkdir -p "$E2E_RUN/nat"
	if [[ $pct == 0 ]]; then
		: >"$E2E_RUN/nat/$h.drop"
	else
		printf -v p '0.%02d' "$pct"
		[[ $pct == 100 ]] && p=1
		{
			echo "-A FORWARD -o $i $m -m statistic --mode random --probability $p -j DROP"
			echo "-A OUTPUT -o $i $m -m statistic --mode random --probability $p -j DROP"
		} >>"$E2E_RUN/nat/$h.drop"
	fi
	log "loss on $h:$i: $pct% ${proto:-all} ${port}"
	nat_reload "$h"
}

# ---------------------------------------------------------------- assertions
#
# A failed assertion writes "FAIL <message> (<file:line>): <detail>" to
# $E2E_OUT/failures.txt and ends the scenario. Passed ones are listed in
# $E2E_OUT/assertions.txt. Do not call them inside $(...) or pipelines.

# fail MESSAGE: fail the scenario here.
fail() {
	local -
	set +x
	e2e_where
	printf 'FAIL %s (%s)\n' "$1" "$e2e_where_is" | tee -a "$E2E_OUT/assertions.txt" >>"$E2E_OUT/failures.txt"
	log "FAIL $1 ($e2e_where_is)"
	exit 1
}

# e2e_pass MESSAGE [DETAIL]: record a passed assertion.
e2e_pass() {
	local -
	set +x
	printf 'PASS %s%s\n' "$1" "${2:+: $2}" >>"$E2E_OUT/assertions.txt"
	log "PASS $1"
}

# e2e_xfrm_out HOST: `ip -s xfrm state` of HOST into $e2e_xfrm.
e2e_xfrm_out() { e2e_xfrm=$(ip -n "$1" -s xfrm state 2>&1); }

# assert_xfrm_state HOST REGEX MESSAGE [SECONDS]: within SECONDS (default 15)
# `ip xfrm state` on HOST matches the extended regular expression.
assert_xfrm_state() {
	local -
	set +x
	local h=$1 re=$2 msg=$3 t=${4:-15}
	e2e_xfrm_match() { e2e_xfrm_out "$h" && [[ $e2e_xfrm =~ $re ]]; }
	if wait_until "$t" e2e_xfrm_match; then
		e2e_pass "$msg" "$h: ${BASH_REMATCH[0]}"
	else
		printf '%s\n' "$e2e_xfrm" >"$E2E_OUT/logs/failed-xfrm-$h.txt"
		fail "$msg: ip xfrm state on $h never matched /$re/ within $t s (now: logs/failed-xfrm-$h.txt)"
	fi
}

# assert_xfrm_state_none HOST REGEX MESSAGE: `ip xfrm state` on HOST does not
# match REGEX now.
assert_xfrm_state_none() {
	local -
	set +x
	local h=$1 re=$2 msg=$3
	e2e_xfrm_out "$h"
	if [[ $e2e_xfrm =~ $re ]]; then
		fail "$msg: ip xfrm state on $h matches /$re/: ${BASH_REMATCH[0]}"
	fi
	e2e_pass "$msg"
}

# assert_output HOST REGEX MESSAGE COMMAND...: COMMAND's output on HOST (run
# with `on`) matches REGEX.
assert_output() {
	local -
	set +x
	local h=$1 re=$2 msg=$3 o
	shift 3
	o=$(on "$h" "$@" 2>&1)
	[[ $o =~ $re ]] || fail "$msg: '$*' on $h did not match /$re/: $(head -c 400 <<<"$o")"
	e2e_pass "$msg" "${BASH_REMATCH[0]}"
}

# assert_log FILE REGEX MESSAGE [SECONDS]: a log file under $E2E_OUT/logs
# matches REGEX (within SECONDS, default 0).
assert_log() {
	local -
	set +x
	local f=$E2E_OUT/logs/$1 re=$2 msg=$3 t=${4:-0} c
	e2e_log_match() { c=$(<"$f") && [[ $c =~ $re ]]; }
	wait_until "$t" e2e_log_match 2>/dev/null || fail "$msg: logs/$1 has no match for /$re/"
	e2e_pass "$msg" "${BASH_REMATCH[0]}"
}

# xfrm_packets HOST: sum the packet counters of HOST's ESP SAs into
# $xfrm_out (SAs whose source is one of HOST's addresses) and $xfrm_in.
xfrm_packets() {
	local -
	set +x
	local h=$1 addrs line src n
	addrs=" $(ip -n "$h" -4 -o addr show | while read -r _ _ _ a _; do printf '%s ' "${a%/*}"; done)"
	e2e_xfrm_out "$h"
	xfrm_out=0 xfrm_in=0
	while read -r line; do
		case $line in
		src\ *) src=${line#src } src=${src%% *} ;;
		*'(bytes), '*'(packets)')
			n=${line#*(bytes), } n=${n%(packets)}
			if [[ $addrs == *" $src "* ]]; then ((xfrm_out += n)); else ((xfrm_in += n)); fi
			;;
		esac
	done <<<"$e2e_xfrm"
}

# assert_ping HOST DST [COUNT] [MESSAGE]: COUNT (default 3) pings from HOST to
# DST all come back. Sets $ping_received.
assert_ping() {
	local -
	set +x
	local h=$1 dst=$2 n=${3:-3} msg=${4:-"ping $1 -> $2"} o got
	o=$(ip netns exec "$h" ping -n -q -c "$n" -i 0.2 -W 3 "$dst" 2>&1)
	got=0
	[[ $o =~ ([0-9]+)\ received ]] && got=${BASH_REMATCH[1]}
	printf '%s\n' "$o" >>"$E2E_OUT/logs/ping-$h.txt"
	((got == n)) || fail "$msg: $got/$n replies (logs/ping-$h.txt)"
	e2e_pass "$msg" "$got/$n replies"
	ping_received=$got
}

# assert_no_ping HOST DST [MESSAGE]: a ping from HOST to DST gets no reply.
assert_no_ping() {
	local -
	set +x
	local h=$1 dst=$2 msg=${3:-"no ping $1 -> $2"} o
	o=$(ip netns exec "$h" ping -n -q -c 2 -i 0.2 -W 1 "$dst" 2>&1)
	[[ $o =~ [^0-9]0\ received ]] || fail "$msg: got replies: $o"
	e2e_pass "$msg"
}

# assert_ping_tunnel HOST DST [COUNT] [MESSAGE]: assert_ping, and HOST's ESP SA
# packet counters rose by at least COUNT outbound and COUNT inbound.
assert_ping_tunnel() {
	local -
	set +x
	local h=$1 dst=$2 n=${3:-3} msg=${4:-"ping $1 -> $2 through the tunnel"} o0 i0
	xfrm_packets "$h"
	o0=$xfrm_out i0=$xfrm_in
	assert_ping "$h" "$dst" "$n" "$msg"
	xfrm_packets "$h"
	ping_sa_out=$((xfrm_out - o0)) ping_sa_in=$((xfrm_in - i0))
	((ping_sa_out >= n && ping_sa_in >= n)) ||
		fail "$msg: $h's SA packet counters moved out +$ping_sa_out in +$ping_sa_in, want >= $n each"
	e2e_pass "$msg: SA counters" "$h ESP SAs out +$ping_sa_out in +$ping_sa_in packets (now out $xfrm_out in $xfrm_in)"
}

# Capture assertions are evaluated on the host, with tshark, after the run
# (tshark inside the guest takes ~10 s to start). Inside the guest they are
# recorded in $E2E_OUT/deferred.tsv; tests/e2e/run evaluates them in order.
#
# assert_capture CAPTURE FILTER MESSAGE [MIN]: at least MIN (default 1)
# packets of CAPTURE (HOST:IFACE) match the tshark display FILTER.
assert_capture() { e2e_capture_check "$1" "$2" "${4:-1}" -1 "$3"; }

# assert_capture_none CAPTURE FILTER MESSAGE: no packet matches FILTER.
assert_capture_none() { e2e_capture_check "$1" "$2" 0 0 "$3"; }

# assert_capture_count CAPTURE FILTER MIN MAX MESSAGE: between MIN and MAX
# packets match (MAX -1 = no upper bound).
assert_capture_count() { e2e_capture_check "$1" "$2" "$3" "$4" "$5"; }

e2e_capture_check() {
	local -
	set +x
	local cap=$1 filter=$2 min=$3 max=$4 msg=$5
	e2e_where
	if [[ -n ${E2E_GUEST:-} ]]; then
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$cap" "$min" "$max" "$filter" "$msg" "$e2e_where_is" \
			>>"$E2E_OUT/deferred.tsv"
		return 0
	fi
	e2e_capture_eval "$cap" "$min" "$max" "$filter" "$msg" "$e2e_where_is"
}

# e2e_capture_count CAPTURE FILTER (host side): print how many packets of
# CAPTURE match FILTER; status 1 (and the reason on stdout) when tshark
# rejects the filter or the capture is missing.
e2e_capture_count() {
	local -
	set +x
	local pcap="$E2E_OUT/pcap/${1/:/-}.pcap" err n
	if [[ ! -s $pcap ]]; then
		echo "capture $1 missing ($pcap)"
		return 1
	fi
	err=$E2E_OUT/.tshark.err
	if [[ $2 == @* ]]; then
		# A check tshark cannot express (lib/wirecheck.py): it prints a count.
		n=$(python3 "$E2E_LIB/wirecheck.py" "$pcap" "${2#@}" 2>"$err")
		if [[ ! $n =~ ^[0-9]+$ ]]; then
			echo "wirecheck.py ${2#@} failed on capture $1: $(head -c 300 "$err")"
			rm -f "$err"
			return 1
		fi
		rm -f "$err"
		echo "$n"
		return 0
	fi
	n=$(tshark -n -r "$pcap" -Y "$2" -T fields -e frame.number 2>"$err" | wc -l)
	if grep -qv '^Running as user' "$err"; then
		echo "tshark rejected filter \"$2\" on capture $1: $(grep -v '^Running as user' "$err" | head -c 300)"
		rm -f "$err"
		return 1
	fi
	rm -f "$err"
	echo "$n"
}

# e2e_capture_judge CAPTURE MIN MAX FILTER MESSAGE WHERE COUNT|ERROR (host
# side): record PASS/FAIL of one capture assertion; 1 on failure.
e2e_capture_judge() {
	local -
	set +x
	local cap=$1 min=$2 max=$3 filter=$4 msg=$5 where=$6 n=$7 want
	if [[ ! $n =~ ^[0-9]+$ ]]; then
		printf 'FAIL %s (%s): %s\n' "$msg" "$where" "$n" |
			tee -a "$E2E_OUT/assertions.txt" >>"$E2E_OUT/failures.txt"
		return 1
	fi
	if ((n < min || (max >= 0 && n > max))); then
		want="$min..$max"
		((max < 0)) && want=">= $min"
		printf 'FAIL %s (%s): %d packets in %s match "%s", want %s\n' "$msg" "$where" "$n" "$cap" "$filter" "$want" |
			tee -a "$E2E_OUT/assertions.txt" >>"$E2E_OUT/failures.txt"
		return 1
	fi
	printf 'PASS %s: %d packets in %s match "%s"\n' "$msg" "$n" "$cap" "$filter" >>"$E2E_OUT/assertions.txt"
	return 0
}

# e2e_capture_eval CAPTURE MIN MAX FILTER MESSAGE WHERE (host side): count
# and judge one assertion now. 1 on failure (no exit).
e2e_capture_eval() {
	local -
	set +x
	local n
	n=$(e2e_capture_count "$1" "$4")
	e2e_capture_judge "$1" "$2" "$3" "$4" "$5" "$6" "$n"
}

# e2e_deferred_eval (host side): judge every assertion in
# $E2E_OUT/deferred.tsv in order. One tshark pass per capture counts all
# its filters (-z io,stat with one column per filter; ~0.6 s per tshark
# start); filters io,stat cannot carry (commas, quotes) or a rejected batch
# fall back to one tshark each. 1 if any failed.
e2e_deferred_eval() {
	local -
	set +x
	local -a cap min max flt msg whr cnt idx
	local i=0 c f rc=0 row pcap a b d e g h
	local -A caps=()
	while IFS=$'\t' read -r a b d e g h; do
		cap[i]=$a min[i]=$b max[i]=$d flt[i]=$e msg[i]=$g whr[i]=$h
		caps[$a]=1
		i=$((i + 1))
	done <"$E2E_OUT/deferred.tsv"
	for c in "${!caps[@]}"; do
		pcap="$E2E_OUT/pcap/${c/:/-}.pcap"
		[[ -s $pcap ]] || continue
		idx=()
		f=""
		for ((i = 0; i < ${#cap[@]}; i++)); do
			[[ ${cap[i]} == "$c" && ${flt[i]} != *[,\"]* && ${flt[i]} != @* ]] || continue
			idx+=("$i")
			f+=",${flt[i]}"
		done
		((${#idx[@]})) || continue
		row=$(tshark -n -q -r "$pcap" -z "io,stat,0$f" 2>/dev/null | grep '<>' | tail -n1)
		[[ -n $row ]] || continue
		IFS='|' read -r -a f <<<"$row"
		# | interval | frames1 | bytes1 | frames2 | bytes2 | ...
		for ((i = 0; i < ${#idx[@]}; i++)); do
			c=${f[2 + 2 * i]// /}
			[[ $c =~ ^[0-9]+$ ]] && cnt[idx[i]]=$c
		done
	done
	for ((i = 0; i < ${#cap[@]}; i++)); do
		[[ -n ${cnt[i]:-} ]] || cnt[i]=$(e2e_capture_count "${cap[i]}" "${flt[i]}")
		e2e_capture_judge "${cap[i]}" "${min[i]}" "${max[i]}" "${flt[i]}" "${msg[i]}" "${whr[i]}" "${cnt[i]}" || rc=1
	done
	return $rc
}
