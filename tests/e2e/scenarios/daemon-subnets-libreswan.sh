# daemon-subnets-libreswan: daemon-subnets against a Libreswan gateway that
# writes leftsubnets={a b} / rightsubnets={a b} itself: one IKE SA, four
# Quick Modes, traffic between every pair, rekeys, teardown.
default_topology=direct

source "$E2E_SRC/tests/e2e/scenarios/daemon-subnets.sh"

scenario() { subnets_scenario libreswan; }
