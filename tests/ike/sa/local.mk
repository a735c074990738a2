# tests/ike/sa: the engine's SA-side helpers tested on their own.
# Virtual-IP pools (ike/sa/pool.c): sticky leases, exhaustion, 10,000-cycle churn.
check_PROGRAMS += tests/ike/sa/check_pool
TESTS += tests/ike/sa/check_pool
tests_ike_sa_check_pool_SOURCES = tests/ike/sa/check_pool.c
tests_ike_sa_check_pool_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_sa_check_pool_LDADD = $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)
