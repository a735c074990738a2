# daemon-errors: bad input never half-configures the kernel. Each case starts
# natkeyd and expects exit status 1, exactly ONE line on stderr naming the
# problem, and no natkeyd SA, policy, control socket or pid file left:
# malformed ipsec.conf, missing configuration file, a PSK missing from
# ipsec.secrets, a secrets file others can read, a leftcert= that cannot
# be read, UDP port 500 already in use (by a running
# natkeyd, whose own kernel state must survive the failed start).
default_topology=direct

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

# nk_fail_case NAME REGEX [natkeyd options...]: run natkeyd on $rw, expect
# failure with one stderr line matching REGEX and the kernel's IPsec state
# exactly as before.
nk_fail_case() {
	local name=$1 re=$2 rc err n st0 st
	shift 2
	st0=$(ip -n "$rw" xfrm state; ip -n "$rw" xfrm policy)
	err=$(on "$rw" timeout 20 "$NATKEYD" -F -S /run/nk-fail.ctl -p /run/nk-fail.pid "$@" 2>&1 >/dev/null)
	rc=$?
	printf '== %s (exit %s)\n%s\n' "$name" "$rc" "$err" >>"$E2E_OUT/logs/errors.txt"
	[[ $rc == 1 ]] || fail "$name: exit status $rc, want 1 (logs/errors.txt)"
	n=$(grep -c '' <<<"$err")
	[[ $n == 1 ]] || fail "$name: $n lines on stderr, want 1 (logs/errors.txt)"
	[[ $err =~ $re ]] || fail "$name: '$err' does not match /$re/"
	st=$(ip -n "$rw" xfrm state; ip -n "$rw" xfrm policy)
	[[ $st == "$st0" ]] || fail "$name: the kernel's IPsec state changed: $st"
	[[ -e $(host_run "$rw")/nk-fail.ctl ]] && fail "$name: control socket left"
	e2e_pass "$name: exit 1, one line, kernel untouched" "$err"
}

scenario() {
	local rw=${RWS%% *} etc
	natkeyd_require
	etc=$(host_etc "$rw")

	natkeyd_rw_conf "$rw" extra=$'  bogus_key=yes'
	nk_fail_case "malformed ipsec.conf" "^natkeyd: /etc/ipsec.conf:[0-9]+: unknown key 'bogus_key' in conn 'gw'"

	nk_fail_case "missing ipsec.conf" '^natkeyd: /etc/nonexistent.conf: .*No such file' -c /etc/nonexistent.conf

	natkeyd_rw_conf "$rw" remote_id=@other.natkeyd.test
	printf '@nobody.natkeyd.test @nothing.natkeyd.test : PSK "x"\n' >"$etc/ipsec.secrets"
	nk_fail_case "PSK missing from ipsec.secrets" "authby=secret but /etc/ipsec.secrets has no PSK .*@other.natkeyd.test"

	natkeyd_rw_conf "$rw"
	chmod 644 "$etc/ipsec.secrets"
	nk_fail_case "ipsec.secrets readable by others" 'chmod 600'
	chmod 600 "$etc/ipsec.secrets"

	natkeyd_rw_conf "$rw" extra=$'conn cert\n  left='"$IP_rw"$'\n  right=192.0.2.77\n  authby=rsasig\n  leftcert=/etc/natkeyd/missing.pem\n  auto=add'
	nk_fail_case "unreadable certificate" "conn cert: leftcert /etc/natkeyd/missing.pem cannot be loaded: No such file"

	# Port 500 held by a running natkeyd with a routed connection.
	natkeyd_rw_conf "$rw" auto=route
	natkeyd_start "$rw"
	local pol0
	pol0=$(ip -n "$rw" xfrm policy)
	[[ $pol0 == *'reqid 1313538049'* ]] || fail "the first natkeyd has no trap policy"
	nk_fail_case "UDP port 500 in use" '^natkeyd: UDP port 500 \(IPv4\) is already in use' -p /run/other.pid
	nk_fail_case "natkeyd already running" '^natkeyd: pid file /run/natkeyd.pid is locked: natkeyd is already running' \
		-p /run/natkeyd.pid
	[[ $(ip -n "$rw" xfrm policy) == "$pol0" ]] || fail "the failed start changed the running natkeyd's policies"
	e2e_pass "the running natkeyd's policies survived the failed second start"
	assert_output "$rw" $'(^|\n)gw: routed' "the first natkeyd still answers" "$NATKEYCTL" status
	return 0
}
