# interop-strongswan-r: the interoperability matrix (issue 8), one guest per
# topology: natkeyd responds (gateway on $GW) to a strongswan road warrior,
# IKEv1 Main Mode PSK tunnel, Main Mode RSA-certificate tunnel, Aggressive
# Mode PSK tunnel and Main Mode PSK transport, in sequence (daemons, kernel
# state and NAT mappings reset in between). Each setup: SA up, VIDs/NAT-D/
# float/encapsulation in the capture (or their absence without NAT), SAs on
# both sides, ping both ways and a checksummed TCP transfer each way. Results
# per setup in interop/results.tsv (tests/e2e/interop-report makes
# docs/interop.md from them).
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/interop-lib.sh"

scenario() {
	ix_matrix strongswan r
}
