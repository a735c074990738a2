# peers-baseline-aggr: peers-baseline with IKEv1 Aggressive Mode (PSK):
# strongSwan initiates, Libreswan answers (aggressive=yes). Its first two
# messages feed the codec corpus (tests/corpus/isakmp/baseline).
default_topology=rw-nat

# shellcheck source=peers-baseline.sh
source "$E2E_SRC/tests/e2e/scenarios/bed/peers-baseline.sh"

scenario() {
	peers_baseline aggressive
}
