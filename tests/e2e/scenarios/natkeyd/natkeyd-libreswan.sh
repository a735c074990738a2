# natkeyd-libreswan: natkeyd-psk against a Libreswan (pluto) gateway instead
# of strongSwan: natkeyd as the road warrior, Main Mode PSK, tunnel to the
# protected subnet, NAT-T behind the NAT (rw-nat), plain ESP without (direct).
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/scenarios/natkeyd/natkeyd-psk.sh"

scenario() {
	natkeyd_psk_vs libreswan
}
