# interop-control-rsa: a control for the matrix's RSA setup (not natkeyd):
# the same certificates (tests/data/interop) and the same peer
# configurations the matrix writes (ix_strongswan_conf, ix_libreswan_conf)
# between the two reference peers, strongSwan road warrior to Libreswan
# gateway, Main Mode RSA signatures, tunnel. If this passes, an RSA row that
# fails in docs/interop.md fails on natkeyd's side.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/interop-lib.sh"

ix_control_rsa() {
	local t0
	ix_libreswan_conf "$GW" i rsa
	ix_strongswan_conf rw r rsa
	cp "$(host_etc "$GW")/ipsec.conf" "$E2E_OUT/logs/$GW-libreswan-ipsec.conf"
	cp "$(host_etc rw)/swanctl/swanctl.conf" "$E2E_OUT/logs/rw-swanctl.conf"
	libreswan_start "$GW"
	strongswan_start rw
	t0=${EPOCHREALTIME/./}
	strongswan_initiate rw net 60
	t0=$(((${EPOCHREALTIME/./} - t0) / 1000))
	echo "$((t0 / 1000)).$((t0 % 1000 / 100))" >"$IX_OUT/secs"
	assert_log rw-charon.log 'authentication of .gw\.natkeyd\.test. with RSA.* successful' "strongSwan verified Libreswan's RSA signature"
	assert_natt_kernel rw 2
	assert_natt_kernel "$GW" 2
	assert_ping_tunnel rw "$SRV_IP" 3 "ping rw -> $SRV_IP through the RSA-authenticated tunnel"
}

scenario() {
	ix_init
	ix_plan control:strongswan-libreswan c rsa
	ix_run control:strongswan-libreswan c rsa ix_control_rsa
	ix_verdict
}
