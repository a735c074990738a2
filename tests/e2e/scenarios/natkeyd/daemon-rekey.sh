# daemon-rekey: natkeyd's timers over time. An IPsec SA with a 45 s lifetime
# and a 25 s rekey margin is rekeyed by natkeyd (Quick Mode on the existing
# IKE SA) about 20 s after it was installed, while a ping runs through the
# tunnel: no ping lost, new SPIs in natkeyctl status, the old SAs gone from
# the kernel afterwards.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

scenario() {
	local rw=${RWS%% *} spis0 spis1 o
	strongswan_gw "$GW"
	strongswan_start "$GW"
	natkeyd_rw_conf "$rw" auto=start extra=$'  lifetime=45s\n  rekeymargin=25s\n  rekeyfuzz=0%'
	natkeyd_start "$rw"
	nk_wait_up "$rw" gw 40
	spis0=$(grep -o 'SPIs in [0-9a-f]* out [0-9a-f]*' <<<"$nk_out")
	(ip netns exec "$rw" ping -n -i 0.25 -c 120 -W 2 "$SRV_IP" >"$E2E_OUT/logs/rekey-ping.txt" 2>&1) &
	local ping_pid=$!

	nk_rekeyed() {
		nk_out=$(on "$rw" "$NATKEYCTL" status 2>&1)
		spis1=$(grep -o 'SPIs in [0-9a-f]* out [0-9a-f]*' <<<"$nk_out" | tail -n1)
		[[ -n $spis1 && $spis1 != "$spis0" ]]
	}
	wait_until 40 nk_rekeyed || fail "no rekey within 40 s (status: $nk_out)"
	e2e_pass "natkeyd rekeyed the IPsec SA" "$spis0 -> $spis1"
	assert_log "$rw-natkeyd.out" 'REKEY' "natkeyd logged the rekey"
	wait "$ping_pid"
	o=$(<"$E2E_OUT/logs/rekey-ping.txt")
	[[ $o == *'120 packets transmitted, 120 received'* ]] || fail "pings lost across the rekey: $(grep transmitted <<<"$o")"
	e2e_pass "no ping lost across the rekey" "$(grep transmitted <<<"$o")"
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping through the rekeyed SAs"
	local old_in=${spis0#SPIs in } n
	old_in=${old_in%% *}
	nkctl "$rw" sas >"$E2E_OUT/logs/$rw-sas-after-rekey.txt" 2>&1
	! grep -q "spi $old_in" "$E2E_OUT/logs/$rw-sas-after-rekey.txt" || fail "the old inbound SA $old_in is still installed"
	e2e_pass "the replaced SAs were deleted" "$(tr '\n' ';' <"$E2E_OUT/logs/$rw-sas-after-rekey.txt")"
	assert_output "$GW" 'rw: #1, ESTABLISHED' "the rekey reused the IKE SA" swanctl --list-sas
	return 0
}
