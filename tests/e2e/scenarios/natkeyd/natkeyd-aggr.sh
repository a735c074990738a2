# natkeyd-aggr: natkeyd-psk in Aggressive Mode (RFC 2409 s5.4 with PSK,
# RFC 3947 s4: the initiator's NAT-D payloads travel in the encrypted third
# message, already on UDP 4500) against a strongSwan gateway.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/scenarios/natkeyd/natkeyd-psk.sh"

scenario() {
	natkeyd_psk_vs strongswan aggressive
}
