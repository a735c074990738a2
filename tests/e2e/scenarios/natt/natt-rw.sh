# natt-rw: NAT traversal with natkeyd as the road warrior behind the NAT, strongSwan as the gateway
# (issue 5): NAT-T vendor IDs (RFC 3947 and drafts), NAT-D, the float to
# UDP 4500 behind the non-ESP marker (seen inside and outside the NAT),
# ESP-in-UDP with the IKE ports in the kernel SAs, zero UDP checksums, ping
# through the tunnel both ways, natkeyd's NAT_DETECTED/FLOAT log lines and
# status. Body: natt_traverse_body in tests/e2e/natt-lib.sh.
default_topology=rw-nat

source "$E2E_SRC/tests/e2e/natt-lib.sh"

scenario() {
	natt_traverse_body rw
}
