# tests/ike/sa: the engine's SA-side helpers tested on their own.

# A check program of this folder is two lines, "IKE_SA_CHECKS += PROGRAM" and
# "PROGRAM_LDADD = $(IKE_SA_TEST_LDADD)" (unused archives add nothing); its
# source is PROGRAM.c, compiled with AM_CFLAGS.
IKE_SA_CHECKS =
IKE_SA_TEST_LDADD = $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

# Virtual-IP pools (ike/sa/pool.c): sticky leases, exhaustion, 10,000-cycle churn.
IKE_SA_CHECKS += tests/ike/sa/check_pool
tests_ike_sa_check_pool_LDADD = $(IKE_SA_TEST_LDADD)

# The SA store and its indexes (ike/sa/sa_store.c, sa_index.c): cookies,
# serials, SPIs, thousands of SAs, deletion while walking, growth, no stale entry.
IKE_SA_CHECKS += tests/ike/sa/check_sa_store
tests_ike_sa_check_sa_store_LDADD = $(IKE_SA_TEST_LDADD)

# The timer heap (ike/sa/timer_heap.c): order and ties, moves, removal
# anywhere, slot reuse, growth, 200,000 random operations against a reference.
IKE_SA_CHECKS += tests/ike/sa/check_timer_heap
tests_ike_sa_check_timer_heap_LDADD = $(IKE_SA_TEST_LDADD)

# Proposal selection (ike/sa/proposal.c): Phase 1 and Quick Mode offers built
# with the codec: peer's order, mismatches, lifetimes, legacy, XAUTH/hybrid.
IKE_SA_CHECKS += tests/ike/sa/check_proposal
tests_ike_sa_check_proposal_LDADD = $(IKE_SA_TEST_LDADD)

check_PROGRAMS += $(IKE_SA_CHECKS)
TESTS += $(IKE_SA_CHECKS)
