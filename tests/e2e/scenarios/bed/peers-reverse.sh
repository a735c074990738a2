# peers-reverse: peers-baseline the other way round: Libreswan (pluto) road
# warrior(s) initiate IKEv1 Main Mode PSK to a strongSwan (charon) gateway.
# Same assertions; its plaintext messages complete the codec corpus
# (Libreswan as initiator, strongSwan as responder).
default_topology=rw-nat

# shellcheck source=peers-baseline.sh
source "$E2E_SRC/tests/e2e/scenarios/bed/peers-baseline.sh"

scenario() {
	peers_baseline main libreswan strongswan
}
