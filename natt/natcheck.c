// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RFC 5780 NAT behaviour discovery as a sans-I/O state machine. Each
 * request has a fixed role (enum probe_id); the phases start requests and
 * read their outcomes:
 *  A  T1 (mapping socket -> primary) and F1 (filtering socket -> primary).
 *  B  mapping tests II/III (s4.3), filtering tests II/III (s4.4) and the
 *     hairpin request (s4.5), all at once: they do not disturb each other,
 *     and the two filtering tests that may go unanswered then cost one
 *     retransmission cycle instead of two.
 *  C  binding lifetime (s4.6): refresh the mapping socket's binding, stay
 *     idle T, then probe it; T doubles until a probe fails or the maximum
 *     is reached, then the bracket is bisected.
 */
#include "natt/natcheck.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natt/adaptka.h"
#include "natt/stun.h"

enum probe_id {
	PR_T1,
	PR_F1,
	PR_T2,
	PR_T3,
	PR_F2,
	PR_F3,
	PR_HAIR,
	PR_REFRESH,
	PR_LIFE,
	PR_COUNT,
};

enum phase {
	PH_A,
	PH_B,
	PH_C_REFRESH,
	PH_C_WAIT,
	PH_C_PROBE,
	PH_DONE,
};

struct probe {
	bool active; /* started and not finished */
	bool ok;     /* finished with a success response */
	bool err;    /* finished with an error response */
	uint16_t error_code;
	enum natcheck_sock sock;
	struct natcheck_tx tx;
	uint8_t tid[STUN_TID_LEN];
	unsigned sent;
	uint32_t rto;
	uint64_t next_ms;
	/* the answer */
	enum natcheck_sock rx_sock;
	uint64_t rx_ms;
	struct sockaddr_storage from, mapped, other;
	bool has_other;
};

#define TXQ_MAX 8

struct natcheck {
	struct natcheck_cfg cfg;
	struct sockaddr_storage local[NATCHECK_SOCKS];
	enum phase phase;
	struct probe pr[PR_COUNT];
	struct natcheck_tx txq[TXQ_MAX];
	size_t txq_head, txq_n;
	/* lifetime search */
	bool life_checked; /* the RESPONSE-PORT check probe ran */
	uint32_t life_t, life_ok, life_fail;
	bool life_have_fail;
	uint64_t wait_until;
	struct sockaddr_storage x_mapped;
	struct natcheck_result res;
};

static uint16_t ep_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

static void ep_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

static bool addr_eq(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	if (a->ss_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
	return false;
}

static bool ep_eq(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	return addr_eq(a, b) && ep_port(a) == ep_port(b);
}

/* A copy with only family, address and port (sockaddr_storage from the
 * caller may carry flow info, scope or garbage in its tail). */
static struct sockaddr_storage ep_clean(const struct sockaddr *sa)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (sa->sa_family == AF_INET) {
		memcpy(&ss, sa, sizeof(struct sockaddr_in));
		memset(((struct sockaddr_in *)&ss)->sin_zero, 0, 8);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		struct sockaddr_in6 *d6 = (struct sockaddr_in6 *)&ss;

		d6->sin6_family = AF_INET6;
		d6->sin6_port = s6->sin6_port;
		d6->sin6_addr = s6->sin6_addr;
		d6->sin6_scope_id = s6->sin6_scope_id;
	}
	return ss;
}

static void txq_push(struct natcheck *nc, const struct natcheck_tx *tx)
{
	if (nc->txq_n == TXQ_MAX)
		return; /* cannot happen: at most 7 probes are live at once */
	nc->txq[(nc->txq_head + nc->txq_n) % TXQ_MAX] = *tx;
	nc->txq_n++;
}

static void probe_send(struct natcheck *nc, struct probe *p, uint64_t now)
{
	txq_push(nc, &p->tx);
	p->sent++;
	nc->res.sent++;
	p->next_ms = now + p->rto;
}

/* Start request @id from @sock to @to with CHANGE-REQUEST flags @change and,
 * if nonzero, RESPONSE-PORT @rport. */
static void probe_start(struct natcheck *nc, enum probe_id id, enum natcheck_sock sock,
			const struct sockaddr_storage *to, uint32_t change, uint16_t rport,
			uint64_t now)
{
	struct probe *p = &nc->pr[id];
	struct stun_builder b;
	int n;

	memset(p, 0, sizeof(*p));
	nc->cfg.random(p->tid, sizeof(p->tid), nc->cfg.random_arg);
	stun_build_start(&b, p->tx.buf, sizeof(p->tx.buf), STUN_METHOD_BINDING, STUN_CLASS_REQUEST,
			 p->tid);
	/* RFC 5780 s7.2: CHANGE-REQUEST only when something is to change. */
	if (change)
		stun_build_u32(&b, STUN_ATTR_CHANGE_REQUEST, change);
	if (rport)
		stun_build_response_port(&b, rport);
	stun_build_attr(&b, STUN_ATTR_SOFTWARE, "natkeyd natcheck", 16);
	stun_build_fingerprint(&b);
	n = stun_build_finish(&b);
	if (n < 0)
		return; /* cannot happen: the buffer fits the largest request */
	p->tx.len = (size_t)n;
	p->tx.sock = sock;
	p->tx.to = *to;
	p->sock = sock;
	p->active = true;
	p->rto = nc->cfg.rto_ms;
	probe_send(nc, p, now);
}

static bool probes_idle(const struct natcheck *nc)
{
	for (int i = 0; i < PR_COUNT; i++)
		if (nc->pr[i].active)
			return false;
	return true;
}

uint32_t natcheck_keepalive_s(uint32_t life_s)
{
	uint32_t n = life_s / 2;

	/* natkeyd's own rule (nat_keepalive=auto) with no upper cap, so that
	 * the advice matches what natkeyd does with a saved result; below its
	 * 10 s floor no interval natkeyd would use keeps the binding, so the
	 * advice is half the lifetime anyway. */
	if (life_s < NATT_ADAPTKA_MIN_MS / 1000)
		return n ? n : 1;
	if (life_s > UINT32_MAX / 1000)
		life_s = UINT32_MAX / 1000;
	return natt_adaptka_interval(life_s * 1000, UINT32_MAX) / 1000;
}

const char *natcheck_class_name(enum natcheck_class c)
{
	switch (c) {
	case NATCHECK_CLASS_EI:
		return "endpoint-independent";
	case NATCHECK_CLASS_AD:
		return "address-dependent";
	case NATCHECK_CLASS_APD:
		return "address-and-port-dependent";
	default:
		return "unknown";
	}
}

static void finish(struct natcheck *nc)
{
	struct natcheck_result *r = &nc->res;
	size_t n = sizeof(r->verdict);

	nc->phase = PH_DONE;
	if (r->udp_blocked) {
		snprintf(r->verdict, n,
			 "UDP blocked: no STUN answer; UDP 4500 (NAT-T) is most likely blocked "
			 "too");
		return;
	}
	if (r->server_error) {
		snprintf(r->verdict, n, "inconclusive: the STUN server refused (error %u)",
			 r->error_code);
		return;
	}
	if (!r->behind_nat) {
		snprintf(r->verdict, n, "no NAT: NAT-T keepalives are not needed");
		return;
	}
	if (r->life_known) {
		uint32_t m = (r->life_ms + 500) / 1000;

		r->keepalive_s = natcheck_keepalive_s(m);
		snprintf(r->verdict, n, "NAT rebinds after ~%u s idle: keep-alive every %u s is %s",
			 m, r->keepalive_s,
			 m < 10	  ? "needed, and shorter than NAT-T allows for comfort"
			 : m < 20 ? "needed (the RFC 3948 default of 20 s is too slow)"
				  : "enough");
	} else if (r->life_exceeds) {
		uint32_t m = r->life_low_ms / 1000;

		r->keepalive_s = natcheck_keepalive_s(m);
		snprintf(r->verdict, n,
			 "NAT keeps idle bindings at least %u s: keep-alive every %u s is enough",
			 m, r->keepalive_s);
	} else {
		r->keepalive_s = 20;
		snprintf(r->verdict, n,
			 "behind NAT, binding lifetime not measured: keep the RFC 3948 keep-alive "
			 "of 20 s");
	}
}

/* The next idle time to try, or 0 when the search is over. */
static uint32_t life_next(struct natcheck *nc)
{
	uint32_t max = nc->cfg.life_max_ms, t = nc->life_t;

	if (!nc->life_have_fail) {
		if (t >= max)
			return 0;
		return t > max / 2 ? max : t * 2;
	}
	if (nc->life_fail - nc->life_ok <= (nc->life_ok / 8 > 1000 ? nc->life_ok / 8 : 1000))
		return 0;
	return nc->life_ok + (nc->life_fail - nc->life_ok) / 2;
}

static void life_end(struct natcheck *nc)
{
	struct natcheck_result *r = &nc->res;

	r->life_low_ms = nc->life_ok;
	if (nc->life_have_fail) {
		r->life_known = true;
		r->life_high_ms = nc->life_fail;
		r->life_ms = nc->life_ok + (nc->life_fail - nc->life_ok) / 2;
	} else {
		r->life_exceeds = true;
		r->life_high_ms = 0;
	}
	finish(nc);
}

static void life_refresh(struct natcheck *nc, uint64_t now)
{
	nc->phase = PH_C_REFRESH;
	probe_start(nc, PR_REFRESH, NATCHECK_SOCK_MAP, &nc->cfg.server, 0, 0, now);
}

static void life_probe(struct natcheck *nc, uint64_t now)
{
	nc->phase = PH_C_PROBE;
	if (nc->res.life_method == NATCHECK_LIFE_REPROBE)
		probe_start(nc, PR_LIFE, NATCHECK_SOCK_MAP, &nc->cfg.server, 0, 0, now);
	else
		probe_start(nc, PR_LIFE, NATCHECK_SOCK_PROBE, &nc->cfg.server, 0,
			    ep_port(&nc->x_mapped), now);
}

static void phase_b_start(struct natcheck *nc, uint64_t now)
{
	struct natcheck_result *r = &nc->res;

	nc->phase = PH_B;
	if (r->rfc5780) {
		struct sockaddr_storage alt_ip = r->other;

		/* s4.3 test II: alternate address, primary port. */
		ep_set_port(&alt_ip, ep_port(&nc->cfg.server));
		probe_start(nc, PR_T2, NATCHECK_SOCK_MAP, &alt_ip, 0, 0, now);
		/* Test III: alternate address and port (only read when II's
		 * mapping differs from I's; sent at once to save a round). */
		probe_start(nc, PR_T3, NATCHECK_SOCK_MAP, &r->other, 0, 0, now);
		/* s4.4 tests II and III, on the filtering socket. */
		if (nc->pr[PR_F1].ok) {
			probe_start(nc, PR_F2, NATCHECK_SOCK_FILTER, &nc->cfg.server,
				    STUN_CHANGE_IP | STUN_CHANGE_PORT, 0, now);
			probe_start(nc, PR_F3, NATCHECK_SOCK_FILTER, &nc->cfg.server,
				    STUN_CHANGE_PORT, 0, now);
		}
	}
	/* s4.5: a request to our own mapped address from another socket. */
	if (r->behind_nat)
		probe_start(nc, PR_HAIR, NATCHECK_SOCK_PROBE, &r->mapped, 0, 0, now);
}

static void phase_b_end(struct natcheck *nc, uint64_t now)
{
	struct natcheck_result *r = &nc->res;
	const struct probe *t1 = &nc->pr[PR_T1], *t2 = &nc->pr[PR_T2], *t3 = &nc->pr[PR_T3];
	const struct probe *f2 = &nc->pr[PR_F2], *f3 = &nc->pr[PR_F3];
	struct sockaddr_storage alt_port = nc->cfg.server;

	/* s4.3: test II's mapping equal to test I's: endpoint-independent;
	 * else test III's equal to test II's: address-dependent. */
	if (t2->ok && ep_eq(&t2->mapped, &t1->mapped))
		r->mapping = NATCHECK_CLASS_EI;
	else if (t2->ok && t3->ok)
		r->mapping =
			ep_eq(&t3->mapped, &t2->mapped) ? NATCHECK_CLASS_AD : NATCHECK_CLASS_APD;
	/* s4.4: an answer to "change IP and port" (it must come from the
	 * other address, or the server ignored the request): endpoint-
	 * independent; else an answer to "change port" from the primary
	 * address, other port: address-dependent; else (both unanswered)
	 * address-and-port-dependent. Error answers leave it unknown. */
	ep_set_port(&alt_port, ep_port(&r->other));
	if (nc->pr[PR_F1].ok && !f2->err && !f3->err) {
		if (f2->ok)
			r->filtering = ep_eq(&f2->from, &r->other) ? NATCHECK_CLASS_EI
								   : NATCHECK_CLASS_UNKNOWN;
		else if (f3->ok)
			r->filtering = ep_eq(&f3->from, &alt_port) ? NATCHECK_CLASS_AD
								   : NATCHECK_CLASS_UNKNOWN;
		else if (r->rfc5780)
			r->filtering = NATCHECK_CLASS_APD;
	}
	if (r->behind_nat)
		r->hairpin = nc->pr[PR_HAIR].ok ? NATCHECK_YES : NATCHECK_NO;
	if (!r->behind_nat || !nc->cfg.life_max_ms) {
		finish(nc);
		return;
	}
	nc->life_t = 0; /* the first round checks RESPONSE-PORT at once */
	life_refresh(nc, now);
}

static void phase_a_end(struct natcheck *nc, uint64_t now)
{
	struct natcheck_result *r = &nc->res;
	const struct probe *t1 = &nc->pr[PR_T1];

	if (!t1->ok) {
		if (t1->err || nc->pr[PR_F1].ok) {
			r->server_error = true;
			r->error_code = t1->error_code;
		} else {
			r->udp_blocked = true;
		}
		finish(nc);
		return;
	}
	r->mapped = t1->mapped;
	r->behind_nat = !ep_eq(&t1->mapped, &nc->local[NATCHECK_SOCK_MAP]);
	r->port_preserved = ep_port(&t1->mapped) == ep_port(&nc->local[NATCHECK_SOCK_MAP]);
	/* s4.3: OTHER-ADDRESS must differ from the primary in both address
	 * and port to run the tests. */
	if (t1->has_other && t1->other.ss_family == nc->cfg.server.ss_family &&
	    !addr_eq(&t1->other, &nc->cfg.server) &&
	    ep_port(&t1->other) != ep_port(&nc->cfg.server)) {
		r->rfc5780 = true;
		r->other = t1->other;
	}
	phase_b_start(nc, now);
}

static void phase_c_refresh_end(struct natcheck *nc, uint64_t now)
{
	const struct probe *p = &nc->pr[PR_REFRESH];

	if (!p->ok) {
		finish(nc); /* lost the server: lifetime not measured */
		return;
	}
	nc->x_mapped = p->mapped;
	nc->wait_until = p->rx_ms + nc->life_t;
	nc->phase = PH_C_WAIT;
	if (now >= nc->wait_until)
		life_probe(nc, now);
}

static void phase_c_probe_end(struct natcheck *nc, uint64_t now)
{
	const struct probe *p = &nc->pr[PR_LIFE];
	struct natcheck_result *r = &nc->res;
	bool alive;

	if (!nc->life_checked) {
		/* Idle 0: the binding is alive, so an answer on the mapping
		 * socket proves the server honours RESPONSE-PORT (s7.5); an
		 * answer on the probe socket, an error (420) or silence does
		 * not: fall back to re-probing the binding itself. */
		nc->life_checked = true;
		r->life_method = p->ok && p->rx_sock == NATCHECK_SOCK_MAP
					 ? NATCHECK_LIFE_RESPONSE_PORT
					 : NATCHECK_LIFE_REPROBE;
		nc->life_t = nc->cfg.life_min_ms < nc->cfg.life_max_ms ? nc->cfg.life_min_ms
								       : nc->cfg.life_max_ms;
		life_refresh(nc, now);
		return;
	}
	if (r->life_method == NATCHECK_LIFE_RESPONSE_PORT) {
		alive = p->ok && p->rx_sock == NATCHECK_SOCK_MAP;
	} else {
		if (!p->ok) {
			finish(nc); /* lost the server */
			return;
		}
		alive = ep_eq(&p->mapped, &nc->x_mapped);
	}
	if (alive) {
		if (nc->life_t > nc->life_ok)
			nc->life_ok = nc->life_t;
	} else if (!nc->life_have_fail || nc->life_t < nc->life_fail) {
		nc->life_fail = nc->life_t;
		nc->life_have_fail = true;
	}
	nc->life_t = life_next(nc);
	if (!nc->life_t) {
		life_end(nc);
		return;
	}
	life_refresh(nc, now);
}

/* Move on when the current phase's requests are all finished. */
static void advance(struct natcheck *nc, uint64_t now)
{
	if (nc->phase == PH_DONE || nc->phase == PH_C_WAIT || !probes_idle(nc))
		return;
	switch (nc->phase) {
	case PH_A:
		phase_a_end(nc, now);
		break;
	case PH_B:
		phase_b_end(nc, now);
		break;
	case PH_C_REFRESH:
		phase_c_refresh_end(nc, now);
		break;
	case PH_C_PROBE:
		phase_c_probe_end(nc, now);
		break;
	default:
		break;
	}
}

struct natcheck *natcheck_new(const struct natcheck_cfg *cfg,
			      const struct sockaddr_storage local[NATCHECK_SOCKS], uint64_t now_ms)
{
	struct natcheck *nc;

	if (!cfg || !cfg->random ||
	    (cfg->server.ss_family != AF_INET && cfg->server.ss_family != AF_INET6))
		return NULL;
	for (int i = 0; i < NATCHECK_SOCKS; i++)
		if (local[i].ss_family != cfg->server.ss_family)
			return NULL;
	nc = calloc(1, sizeof(*nc));
	if (!nc)
		return NULL;
	nc->cfg = *cfg;
	nc->cfg.server = ep_clean((const struct sockaddr *)&cfg->server);
	if (!nc->cfg.rto_ms)
		nc->cfg.rto_ms = NATCHECK_RTO_MS_DEFAULT;
	if (!nc->cfg.rto_max_ms)
		nc->cfg.rto_max_ms = NATCHECK_RTO_MAX_MS_DEFAULT;
	if (nc->cfg.rto_max_ms < nc->cfg.rto_ms)
		nc->cfg.rto_max_ms = nc->cfg.rto_ms;
	if (!nc->cfg.tries)
		nc->cfg.tries = NATCHECK_TRIES_DEFAULT;
	if (!nc->cfg.life_min_ms)
		nc->cfg.life_min_ms = NATCHECK_LIFE_MIN_MS_DEFAULT;
	for (int i = 0; i < NATCHECK_SOCKS; i++)
		nc->local[i] = ep_clean((const struct sockaddr *)&local[i]);
	nc->res.local = nc->local[NATCHECK_SOCK_MAP];
	nc->phase = PH_A;
	/* s4.3 / s4.4 test I, one per socket. */
	probe_start(nc, PR_T1, NATCHECK_SOCK_MAP, &nc->cfg.server, 0, 0, now_ms);
	probe_start(nc, PR_F1, NATCHECK_SOCK_FILTER, &nc->cfg.server, 0, 0, now_ms);
	return nc;
}

void natcheck_free(struct natcheck *nc)
{
	free(nc);
}

bool natcheck_next_tx(struct natcheck *nc, struct natcheck_tx *tx)
{
	if (!nc->txq_n)
		return false;
	*tx = nc->txq[nc->txq_head];
	nc->txq_head = (nc->txq_head + 1) % TXQ_MAX;
	nc->txq_n--;
	return true;
}

uint64_t natcheck_next_timeout(const struct natcheck *nc)
{
	uint64_t t = NATCHECK_NEVER;

	if (nc->phase == PH_DONE)
		return t;
	if (nc->phase == PH_C_WAIT)
		return nc->wait_until;
	for (int i = 0; i < PR_COUNT; i++)
		if (nc->pr[i].active && nc->pr[i].next_ms < t)
			t = nc->pr[i].next_ms;
	return t;
}

void natcheck_on_timer(struct natcheck *nc, uint64_t now_ms)
{
	if (nc->phase == PH_DONE)
		return;
	if (nc->phase == PH_C_WAIT) {
		if (now_ms >= nc->wait_until)
			life_probe(nc, now_ms);
		return;
	}
	for (int i = 0; i < PR_COUNT; i++) {
		struct probe *p = &nc->pr[i];

		if (!p->active || now_ms < p->next_ms)
			continue;
		if (p->sent >= nc->cfg.tries) {
			p->active = false; /* s7.2.1: no answer after the last wait */
			continue;
		}
		p->rto = p->rto * 2 > nc->cfg.rto_max_ms ? nc->cfg.rto_max_ms : p->rto * 2;
		probe_send(nc, p, now_ms);
	}
	advance(nc, now_ms);
}

static struct probe *probe_by_tid(struct natcheck *nc, const uint8_t *tid)
{
	for (int i = 0; i < PR_COUNT; i++)
		if (nc->pr[i].active && !memcmp(nc->pr[i].tid, tid, STUN_TID_LEN))
			return &nc->pr[i];
	return NULL;
}

void natcheck_on_datagram(struct natcheck *nc, uint64_t now_ms, enum natcheck_sock sock,
			  const struct sockaddr *from, const uint8_t *buf, size_t len)
{
	struct stun_msg m;
	struct probe *p;

	if (nc->phase == PH_DONE || stun_decode(buf, len, &m) < 0 ||
	    m.method != STUN_METHOD_BINDING)
		return;
	if (m.has_fingerprint && stun_check_fingerprint(buf, &m) < 0)
		return;
	p = probe_by_tid(nc, m.tid);
	if (!p)
		return;
	/* s4.5: our own hairpin request, arriving on the mapping socket. */
	if (m.cls == STUN_CLASS_REQUEST) {
		if (p == &nc->pr[PR_HAIR] && sock == NATCHECK_SOCK_MAP) {
			p->active = false;
			p->ok = true;
			nc->res.received++;
			advance(nc, now_ms);
		}
		return;
	}
	/* RFC 5389 s7.3.3: a response with an unknown comprehension-required
	 * attribute is discarded. */
	if (p == &nc->pr[PR_HAIR] || m.n_unknown ||
	    (m.cls != STUN_CLASS_SUCCESS && m.cls != STUN_CLASS_ERROR))
		return;
	if (m.cls == STUN_CLASS_SUCCESS) {
		if (!m.has_xor_mapped && !m.has_mapped)
			return;
		p->mapped = m.has_xor_mapped ? m.xor_mapped : m.mapped;
		p->has_other = m.has_other;
		p->other = m.other;
		p->ok = true;
	} else {
		p->err = true;
		p->error_code = m.has_error ? m.error_code : 0;
	}
	p->active = false;
	p->rx_sock = sock;
	p->rx_ms = now_ms;
	p->from = ep_clean(from);
	nc->res.received++;
	advance(nc, now_ms);
}

bool natcheck_done(const struct natcheck *nc)
{
	return nc->phase == PH_DONE;
}

const struct natcheck_result *natcheck_result(const struct natcheck *nc)
{
	return &nc->res;
}
