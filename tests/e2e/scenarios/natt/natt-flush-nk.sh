# natt-flush-nk: natt-flush with natkeyd on both ends: the road warrior
# behind the NAT is natkeyd too, so "no packet of the protected traffic
# leaves the road warrior unencrypted while its NAT mapping changes" is
# proven for natkeyd's own policies. Body: natt_flush_body in natt-flush.sh.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/scenarios/natt/natt-flush.sh"

scenario() {
	natt_flush_body natkeyd
}
