# natkeyd-forceencaps: forceencaps=yes without any NAT (direct): natkeyd
# makes NAT-D claim a NAT so that both ends float to UDP 4500 and use
# ESP-in-UDP anyway (for paths that drop IP protocol 50). The strongSwan
# gateway must see "remote host is behind NAT" and both kernels hold
# espinudp SAs; the capture shows ESP in UDP 4500 and no plain ESP.
default_topology=direct

source "$E2E_SRC/tests/e2e/natkeyd-lib.sh"

scenario() {
	local rw=${RWS%% *}
	strongswan_gw "$GW"
	strongswan_start "$GW"
	natkeyd_rw_conf "$rw" auto=start extra='  forceencaps=yes'
	natkeyd_start "$rw"
	nk_wait_up "$rw" gw 40
	assert_ping_tunnel "$rw" "$SRV_IP" 3 "ping through the forced ESP-in-UDP tunnel"
	assert_natt_kernel "$rw" 2
	assert_natt_kernel "$GW" 2
	assert_log "$GW-charon.log" 'remote host is behind NAT' "strongSwan was made to see a NAT"
	assert_output "$rw" 'gw: up, .*:4500 -> '"$GW_PUB"':4500, .*ESP-in-UDP' "natkeyctl status: floated, ESP-in-UDP" "$NATKEYCTL" status
	assert_capture "$CAP_PUB" "udp.port==4500 && esp" "ESP in UDP 4500 on the wire" 6
	assert_capture_none "$CAP_PUB" "ip.proto==50" "no plain ESP (IP protocol 50)"
	return 0
}
