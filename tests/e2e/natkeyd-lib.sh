# shellcheck shell=bash
# natkeyd-lib.sh: helpers for the scenarios that run natkeyd (natkeyd-*.sh,
# daemon-*.sh); sourced by them, not a scenario itself.
#
#   natkeyd_rw_conf HOST [key=value...]  ipsec.conf + ipsec.secrets for natkeyd
#                                         as a road warrior to the gateway
#   natkeyd_start HOST                    run natkeyd -F -d $NK_ARGS on HOST,
#                                         wait for its control socket
#   nkctl HOST ARGS...                    natkeyctl on HOST
#   nk_status_match HOST REGEX            `natkeyctl status` on HOST matches
#   nk_gw_setup                           the `config setup` of a natkeyd
#                                         gateway for the bed's road warriors
#
# Options of natkeyd_rw_conf (defaults from the topology, matching
# strongswan_gw's defaults): local (our address), remote (gateway), remote_ts,
# id, remote_id, psk, ike, esp, auto, conn (name).

NATKEYD=${NATKEYD_BUILD:-}/tools/natkeyd/natkeyd
NATKEYCTL=${NATKEYD_BUILD:-}/tools/natkeyctl/natkeyctl

natkeyd_require() {
	[[ -x $NATKEYD && -x $NATKEYCTL ]] ||
		fail "natkeyd not built: set NATKEYD_BUILD to the build folder (have '$NATKEYD')"
}

natkeyd_rw_conf() {
	local h=$1 etc rw_ip_var
	shift
	local -A o
	rw_ip_var=IP_$h
	o[local]=${!rw_ip_var:-}
	o[remote]=${GW_PUB:-}
	o[remote_ts]=${GW_NET:-}
	o[id]=@$h.natkeyd.test
	o[remote_id]=@gw.natkeyd.test
	o[psk]=$E2E_PSK_DEFAULT
	o[ike]=aes128-sha256-modp2048
	o[esp]=aes128-sha1-modp2048
	o[auto]=add
	o[conn]=gw
	o[extra]=
	peers_opts -- "$@"
	etc=$(host_etc "$h")
	mkdir -p "$etc"
	cat >"$etc/ipsec.conf" <<-EOF
		# natkeyd road warrior (written by natkeyd-lib.sh)
		conn ${o[conn]}
		  left=${o[local]}
		  leftid=${o[id]}
		  right=${o[remote]}
		  rightid=${o[remote_id]}
		  rightsubnet=${o[remote_ts]}
		  authby=secret
		  ike=${o[ike]}
		  esp=${o[esp]}
		  pfs=yes
		  auto=${o[auto]}
	EOF
	[[ -n ${o[extra]} ]] && printf '%s\n' "${o[extra]}" >>"$etc/ipsec.conf"
	printf '%s %s : PSK "%s"\n' "${o[id]}" "${o[remote_id]}" "${o[psk]}" >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
	cp "$etc/ipsec.conf" "$E2E_OUT/logs/$h-ipsec.conf"
}

# nk_gw_setup: `config setup` for a natkeyd gateway (right=%any) whose road
# warriors sit behind NATs with private 10.x addresses: they may claim those
# (rightsubnet=vhost:%priv in the conn, NK_GW_CLIENTS), never the gateway's
# $GW_NET. Without it natkeyd refuses a NATed road warrior's private address.
# NK_CRYPTO_WORKERS, when set, becomes crypto-workers= (the bed's guest has one
# CPU, where natkeyd's default is no worker thread).
nk_gw_setup() {
	printf 'config setup\n  virtual-private=%%v4:10.0.0.0/8,%%v4:!%s\n' "${GW_NET:-10.9.0.0/24}"
	[[ -z ${NK_CRYPTO_WORKERS:-} ]] || printf '  crypto-workers=%s\n' "$NK_CRYPTO_WORKERS"
	printf '\n'
}

# The conn lines that go with nk_gw_setup: the client allow-list, and the
# identity allow-list of the bed's group PSK (every peer is *.natkeyd.test).
NK_GW_CLIENTS=$'  rightsubnet=vhost:%priv\n  rightid=@*.natkeyd.test'

# nk_gw_rw_up: natkeyd on $GW as a PSK gateway (conn "rw", right=%any, the
# bed's client allow-list) and every strongSwan road warrior of $RWS connected
# to it; returns once natkeyd reports the tunnels up.
nk_gw_rw_up() {
	local etc rw
	etc=$(host_etc "$GW")
	mkdir -p "$etc"
	nk_gw_setup >"$etc/ipsec.conf"
	cat >>"$etc/ipsec.conf" <<-EOF
		# natkeyd gateway for road warriors (nk_gw_rw_up)
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
	printf '@gw.natkeyd.test %%any : PSK "%s"\n' "$E2E_PSK_DEFAULT" >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
	cp "$etc/ipsec.conf" "$E2E_OUT/logs/$GW-ipsec.conf"
	natkeyd_start "$GW"

	for rw in $RWS; do
		strongswan_rw "$rw"
		strongswan_start "$rw"
	done
	for rw in $RWS; do
		strongswan_initiate "$rw"
	done
	nk_wait_up "$GW" rw 20
}

natkeyd_start() {
	local h=$1 sock
	natkeyd_require
	sock=$(host_run "$h")/natkeyd.ctl
	# shellcheck disable=SC2086  # NK_ARGS: extra options, word-split on purpose
	daemon_start "$h" natkeyd "$NATKEYD" -F -d ${NK_ARGS:-}
	wait_until 20 test -S "$sock" ||
		fail "natkeyd on $h did not open its control socket (logs/$h-natkeyd.out)"
	log "natkeyd up on $h"
}

nkctl() {
	local h=$1
	shift
	on "$h" "$NATKEYCTL" "$@"
}

# nk_status_match HOST REGEX: for wait_until; the output is kept in $nk_out.
nk_status_match() {
	nk_out=$(on "$1" "$NATKEYCTL" status 2>&1)
	[[ $nk_out =~ $2 ]]
}

# nk_wait_up HOST CONN [SECONDS]: wait until natkeyctl status shows CONN up.
nk_wait_up() {
	local h=$1 c=$2 t=${3:-40} nl=$'\n'
	if wait_until "$t" nk_status_match "$h" "(^|$nl)$c: up"; then
		e2e_pass "natkeyctl status on $h shows $c up" "$(grep "^$c:" <<<"$nk_out")"
	else
		printf '%s\n' "$nk_out" >"$E2E_OUT/logs/$h-status-failed.txt"
		fail "$c on $h not up within $t s (status: logs/$h-status-failed.txt; logs/$h-natkeyd.out)"
	fi
}
