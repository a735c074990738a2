/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test harness: IKE engines as nodes of the in-memory network simulator,
 * with a fake kernel that allocates SPIs and records every request, so a
 * test can compare what both ends would install.
 */
#ifndef NATKEYD_TESTS_LIB_ENGINE_HARNESS_H
#define NATKEYD_TESTS_LIB_ENGINE_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "ike/engine.h"
#include "tests/lib/sim/nat.h"
#include "tests/lib/sim/net.h"

#define PEER_SA_MAX   64
#define PEER_LOG_MAX  256
#define PEER_JOBS_MAX 256

/* One SA in the fake kernel (keys are not kept). */
struct fk_sa {
	struct xk_addr src, dst;
	uint32_t spi;
	uint32_t reqid;
	bool larval; /* ALLOCSPI placeholder */
};

/* The fake kernel's state: what is installed after every request so far,
 * keyed as the kernel keys it (SAs by destination and SPI, policies by
 * selector and direction), so a test can demand "nothing left". */
struct fake_kernel {
	struct fk_sa *sa;
	unsigned n_sa, cap_sa;
	struct xk_policy *pol;
	unsigned n_pol, cap_pol;
};

struct peer {
	const char *name;
	struct ike_engine *eng;
	struct sim_net *net;
	int node;
	uint32_t next_spi;
	bool fail_spi;	  /* the fake kernel refuses SPI allocations */
	bool fail_sa_add; /* ... outbound SAs (XFRM_MSG_NEWSA) */
	bool fail_policy; /* ... policies */
	bool verbose;
	/* What the engine asked the kernel to install. */
	unsigned n_sa;
	struct xk_sa sa[PEER_SA_MAX];
	bool sa_inbound[PEER_SA_MAX]; /* SA_UPDATE of an allocated SPI */
	unsigned n_sa_delete, n_policy, n_policy_delete, n_spi_alloc, n_move;
	struct xk_sa_id sa_delete[PEER_SA_MAX];
	struct xk_sa_move move[PEER_SA_MAX];
	struct xk_policy policy[PEER_SA_MAX]; /* the first PEER_SA_MAX added/updated */
	/* Logs. */
	unsigned reasons[IKE_R_COUNT];
	unsigned levels[IKE_LOG_AUDIT + 1]; /* log records by level */
	unsigned n_log;
	char log[PEER_LOG_MAX][IKE_LOG_TEXT_MAX + 32];
	unsigned sent, keepalives;
	unsigned dropped;		/* actions the engine could not fit (must stay 0) */
	uint64_t sent_at[PEER_LOG_MAX]; /* simulated time of each datagram sent */
	/* Pending fake-kernel answers. */
	unsigned n_pending;
	struct xk_result pending[64];
	unsigned n_refused; /* requests the fake kernel refused */
	struct fake_kernel k;
	/* The fake daemon's XAUTH backend: "user:password" entries. Checks
	 * are answered at once, unless xauth_hold (the daemon never answers). */
	const char *xauth_users[8];
	bool xauth_hold;
	unsigned n_xauth_checks, n_xauth_ok;
	char xauth_last_user[IKE_XAUTH_USER_MAX + 1];
	unsigned n_verdicts;
	struct {
		uint32_t serial;
		bool ok;
	} verdicts[16];
	/* The fake daemon's OCSP transport: each IKE_ACT_OCSP_FETCH is
	 * counted and, if ocsp_answer is set, answered once the step's actions
	 * are done with what it writes (0 bytes: "no answer"). */
	unsigned n_ocsp;
	struct ike_ocsp_fetch ocsp_last;
	size_t (*ocsp_answer)(void *arg, const struct ike_ocsp_fetch *f, uint8_t *out, size_t cap);
	void *ocsp_arg;
	unsigned n_ocsp_pending;
	struct ike_ocsp_fetch ocsp_pending[4];
	/* Crypto jobs (IKE_ACT_CRYPTO, engines with crypto_async): run and
	 * handed back after each event, in an order drawn from crypto_seed
	 * (reordered when one event makes several), or kept while
	 * crypto_hold until peer_crypto_run(). */
	bool crypto_hold;
	uint64_t crypto_seed;
	unsigned n_jobs, jobs_made, jobs_run;
	struct ike_crypto_job *jobs[PEER_JOBS_MAX];
	/* Mode Config client reports (IKE_ACT_MODECFG): counts and the last. */
	unsigned n_modecfg_up, n_modecfg_down;
	struct ike_modecfg modecfg_last;
};

/**
 * peer_crypto_run() - run @p's waiting crypto jobs and hand them back, in
 * an order drawn from @seed; @max at most (0: all). Returns how many.
 */
unsigned peer_crypto_run(struct peer *p, uint64_t seed, unsigned max);

/**
 * peer_crypto_take() - remove waiting job @i from @p (the test runs it, or
 * hands it back later, or frees it).
 */
struct ike_crypto_job *peer_crypto_take(struct peer *p, unsigned i);

/**
 * peer_init() - create @p's engine from @cfg and attach it to @net at @addr.
 */
void peer_init(struct peer *p, const char *name, struct sim_net *net, const char *addr, bool inside,
	       const struct ike_engine_cfg *cfg);

/**
 * peer_engine_new() - (re)create @p's engine from @cfg, debug records on.
 * Return: as ike_engine_new().
 */
int peer_engine_new(const struct ike_engine_cfg *cfg, struct peer *p);

/**
 * peer_renew() - replace @p's engine by a new one on the single connection
 * @c (a test changed @c); node, address and fake kernel stay. 0 or -errno.
 */
int peer_renew(struct peer *p, const struct ike_conn_cfg *c);

/**
 * peer_free() - free the engine.
 */
void peer_free(struct peer *p);

/**
 * peer_event() - feed an event at the simulator's current time.
 */
void peer_event(struct peer *p, const struct ike_event *ev);

/**
 * peer_process() - perform @out's actions as if the engine had produced
 * them (a test that builds a message with engine internals sends it so).
 */
void peer_process(struct peer *p, struct ike_actions *out);

/**
 * peer_initiate() - admin: bring connection @conn up.
 */
void peer_initiate(struct peer *p, unsigned conn);

/**
 * peer_status() - the engine's SA counts.
 */
struct ike_status peer_status(const struct peer *p);

/**
 * peer_find_sa() - the last installed SA with @spi, or NULL.
 */
const struct xk_sa *peer_find_sa(const struct peer *p, uint32_t spi);

/**
 * peer_alias() - also deliver datagrams for @addr to @p (an engine with many
 * connections, each with its own local address: a crowd of road warriors
 * in one engine). Return: the node or -errno.
 */
int peer_alias(struct peer *p, const char *addr, bool inside);

/**
 * peer_kernel_apply() - apply @r to @p's fake kernel as the daemon's own
 * request (trap policies it installs itself).
 */
void peer_kernel_apply(struct peer *p, const struct xk_req *r);

/**
 * peer_kernel_policy() - the fake kernel's policy for @sel/@dir, or NULL.
 */
const struct xk_policy *peer_kernel_policy(const struct peer *p, const struct xk_selector *sel,
					   enum xk_dir dir);

/**
 * peer_kernel_out_policy() - the fake kernel's outbound policy whose
 * selector covers a packet from @src to @dst (IPv4, dotted quads), the most
 * specific (longest prefixes) first, or NULL: the packet would leave in
 * clear text.
 */
const struct xk_policy *peer_kernel_out_policy(const struct peer *p, const char *src,
					       const char *dst);

/**
 * peer_log_has() - true if some log line contains @needle.
 */
bool peer_log_has(const struct peer *p, const char *needle);

/**
 * conn_psk() - fill a tunnel-mode PSK connection with one suite.
 */
void conn_psk(struct ike_conn_cfg *c, const char *name, const char *local, const char *remote,
	      const char *psk);

/**
 * conn_client_allow() - add @net/@plen to the clients a peer of the %any
 * connection @c may claim (what virtual-private= / rightsubnet= give the
 * daemon's connections): road warriors behind a NAT claim private addresses.
 */
void conn_client_allow(struct ike_conn_cfg *c, const char *net, unsigned plen);

/**
 * keys_match() - every SA one side installed has a twin with the same SPI,
 * algorithms and keys on the other side (its opposite direction).
 * Return: the number of matched pairs, or -1 on a mismatch.
 */
int keys_match(const struct peer *a, const struct peer *b);

/**
 * harness_nat_attach() - put @nat between @net's inside and outside nodes,
 * its public address as the middlebox's.
 */
void harness_nat_attach(struct sim_net *net, struct sim_nat *nat);

/**
 * harness_ts4() - an IPv4 traffic selector "a.b.c.d"/@plen.
 */
void harness_ts4(struct ike_ts *ts, const char *a, uint8_t plen);

/**
 * harness_addr4() - an IPv4 struct xk_addr from "a.b.c.d".
 */
void harness_addr4(struct xk_addr *x, const char *a);

#endif
