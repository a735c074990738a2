# interop-two-rw: two road warriors behind one NAT (strongSwan on rw,
# Libreswan on rw2) connected to one natkeyd gateway at the same time, Main
# Mode PSK tunnels: distinct NAT ports on the gateway's SAs, each road
# warrior's own ping and checksummed TCP transfer through its own tunnel.
# Result in interop/results.tsv (tests/e2e/interop-report).
default_topology=two-rw-nat

source "$E2E_SRC/tests/e2e/interop-lib.sh"

scenario() {
	ix_init
	ix_plan strongswan+libreswan r two-rw
	ix_run strongswan+libreswan r two-rw ix_two_rw_body
	ix_verdict
}
