# interop-ops-libreswan-r: operations of the interoperability matrix (issue
# 8) on rw-nat, natkeyd responds (gateway) to a libreswan road warrior, Main Mode PSK tunnel: Phase 1 and
# Phase 2 rekey with short lifetimes under traffic (<= 1 ping lost), the peer
# restarting (the new IKE SA replaces the old, no stale SAs), 10% loss each
# way (negotiation completes within the timeouts), natkeyd shutting down
# (the peer gets Deletes and cleans its kernel). Results in
# interop/results.tsv (tests/e2e/interop-report).
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/interop-lib.sh"

scenario() {
	ix_ops libreswan r
}
