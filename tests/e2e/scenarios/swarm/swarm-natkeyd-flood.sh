# swarm-natkeyd-flood: swarm-natkeyd while a second process on the swarm's
# side of the NAT sends 1,000 28-byte ISAKMP headers with random initiator
# cookies per second to the gateway throughout (SWARM_FLOOD changes the rate).
# needs: loadtester
# e2e: alone
default_topology=swarm-nat
e2e_timeout=600
e2e_mem=1024M
swarm_flood_default=1000
source "$E2E_SRC/tests/e2e/scenarios/swarm/swarm-natkeyd.sh"
