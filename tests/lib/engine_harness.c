// SPDX-License-Identifier: GPL-2.0-or-later
/* The engine test harness: see engine_harness.h. */
#include "tests/lib/engine_harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "natt/framing.h"

static void answer_pending(struct peer *p);

static void handle(struct peer *p, const struct ike_event *ev)
{
	static struct ike_actions out; /* 16 KiB: keep it off the stack */
	struct ike_actions *mine = malloc(sizeof(*mine));

	(void)out;
	if (!mine)
		abort();
	ike_actions_init(mine);
	struct ike_event e = *ev;

	/* Wall clock for certificate validity: mid-2027 plus simulated time. */
	e.wall_s = 1800000000 + (int64_t)(sim_net_now(p->net) / 1000);
	ev = &e;
	if (ike_engine_handle(p->eng, ev, sim_net_now(p->net), mine) != 0 && mine->dropped) {
		fprintf(stderr, "%s: actions dropped\n", p->name);
		p->dropped += mine->dropped;
	}
	peer_process(p, mine);
	ike_actions_wipe(mine);
	free(mine);
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct ike_crypto_job *peer_crypto_take(struct peer *p, unsigned i)
{
	struct ike_crypto_job *j;

	if (i >= p->n_jobs)
		return NULL;
	j = p->jobs[i];
	p->jobs[i] = p->jobs[--p->n_jobs];
	return j;
}

unsigned peer_crypto_run(struct peer *p, uint64_t seed, unsigned max)
{
	unsigned n = 0;

	while (p->n_jobs && (!max || n < max)) {
		struct ike_event ev = { .type = IKE_EV_CRYPTO_DONE };

		ev.u.crypto = peer_crypto_take(p, (unsigned)(splitmix(&seed) % p->n_jobs));
		ike_crypto_job_run(ev.u.crypto);
		p->jobs_run++;
		n++;
		handle(p, &ev);
	}
	return n;
}

/* The fake kernel answers SPI allocations right away. */
static void answer_pending(struct peer *p)
{
	if (!p->crypto_hold && p->n_jobs)
		peer_crypto_run(p, p->crypto_seed + p->jobs_run, 0);
	while (p->n_verdicts) {
		struct ike_event vev = { .type = IKE_EV_XAUTH_VERDICT };

		vev.u.xauth.serial = p->verdicts[0].serial;
		vev.u.xauth.ok = p->verdicts[0].ok;
		memmove(p->verdicts, p->verdicts + 1, --p->n_verdicts * sizeof(p->verdicts[0]));
		handle(p, &vev);
	}
	while (p->n_ocsp_pending) {
		struct ike_event oev = { .type = IKE_EV_OCSP_RESULT };
		struct ike_ocsp_fetch f = p->ocsp_pending[0];
		static uint8_t body[8192];

		memmove(p->ocsp_pending, p->ocsp_pending + 1,
			--p->n_ocsp_pending * sizeof(p->ocsp_pending[0]));
		oev.u.ocsp.id = f.id;
		oev.u.ocsp.buf = body;
		oev.u.ocsp.len = p->ocsp_answer(p->ocsp_arg, &f, body, sizeof(body));
		if (!oev.u.ocsp.len)
			snprintf(oev.u.ocsp.error, sizeof(oev.u.ocsp.error), "timed out (test)");
		handle(p, &oev);
	}
	while (p->n_pending) {
		struct ike_event rev = { .type = IKE_EV_KERNEL_RESULT };

		rev.u.result = p->pending[0];
		memmove(p->pending, p->pending + 1, --p->n_pending * sizeof(p->pending[0]));
		handle(p, &rev);
	}
}

static void record_log(struct peer *p, const struct ike_log *l)
{
	if ((unsigned)l->reason < IKE_R_COUNT)
		p->reasons[l->reason]++;
	if ((unsigned)l->level <= IKE_LOG_AUDIT)
		p->levels[l->level]++;
	if (p->n_log < PEER_LOG_MAX)
		snprintf(p->log[p->n_log++], sizeof(p->log[0]), "%s: %s",
			 ike_reason_name(l->reason), l->text);
	if (p->verbose)
		fprintf(stderr, "[%8llu] %s: %s %s\n", (unsigned long long)sim_net_now(p->net),
			p->name, ike_reason_name(l->reason), l->text);
}

/* ---- the fake kernel's state ---- */

static bool addr_eq(const struct xk_addr *a, const struct xk_addr *b)
{
	return a->family == b->family && !memcmp(a->bytes, b->bytes, 16);
}

static bool sel_eq(const struct xk_selector *a, const struct xk_selector *b)
{
	return addr_eq(&a->src, &b->src) && addr_eq(&a->dst, &b->dst) &&
	       a->src_plen == b->src_plen && a->dst_plen == b->dst_plen && a->proto == b->proto &&
	       a->sport == b->sport && a->dport == b->dport;
}

static void *grow(void *v, unsigned *cap, size_t elem)
{
	unsigned ncap = *cap ? *cap * 2 : 64;
	void *nv = realloc(v, ncap * elem);

	if (!nv)
		abort();
	*cap = ncap;
	return nv;
}

static struct fk_sa *fk_sa_find(struct fake_kernel *k, const struct xk_addr *dst, uint32_t spi)
{
	for (unsigned i = 0; i < k->n_sa; i++)
		if (k->sa[i].spi == spi && addr_eq(&k->sa[i].dst, dst))
			return &k->sa[i];
	return NULL;
}

static void fk_sa_put(struct fake_kernel *k, const struct xk_addr *src, const struct xk_addr *dst,
		      uint32_t spi, uint32_t reqid, bool larval)
{
	struct fk_sa *s = fk_sa_find(k, dst, spi);

	if (!s) {
		if (k->n_sa == k->cap_sa)
			k->sa = grow(k->sa, &k->cap_sa, sizeof(*k->sa));
		s = &k->sa[k->n_sa++];
	}
	s->src = *src;
	s->dst = *dst;
	s->spi = spi;
	s->reqid = reqid;
	s->larval = larval;
}

static void fk_sa_del(struct fake_kernel *k, const struct xk_addr *dst, uint32_t spi)
{
	struct fk_sa *s = fk_sa_find(k, dst, spi);

	if (s)
		*s = k->sa[--k->n_sa];
}

static struct xk_policy *fk_pol_find(const struct fake_kernel *k, const struct xk_selector *sel,
				     enum xk_dir dir)
{
	for (unsigned i = 0; i < k->n_pol; i++)
		if (k->pol[i].dir == dir && sel_eq(&k->pol[i].sel, sel))
			return &k->pol[i];
	return NULL;
}

static void fk_apply(struct fake_kernel *k, const struct xk_req *r)
{
	struct xk_policy *pol;

	switch (r->type) {
	case XK_REQ_SA_ADD:
	case XK_REQ_SA_UPDATE:
		fk_sa_put(k, &r->u.sa.src, &r->u.sa.dst, r->u.sa.spi, r->u.sa.reqid, false);
		break;
	case XK_REQ_SA_DELETE:
		fk_sa_del(k, &r->u.sa_id.dst, r->u.sa_id.spi);
		break;
	case XK_REQ_SA_MOVE:
		for (unsigned i = 0; i < k->n_sa; i++)
			if (k->sa[i].reqid == r->u.move.reqid &&
			    addr_eq(&k->sa[i].src, &r->u.move.old_src) &&
			    addr_eq(&k->sa[i].dst, &r->u.move.old_dst)) {
				k->sa[i].src = r->u.move.new_src;
				k->sa[i].dst = r->u.move.new_dst;
			}
		pol = fk_pol_find(k, &r->u.move.policy.sel, r->u.move.policy.dir);
		if (pol) {
			pol->tmpl.src = r->u.move.new_src;
			pol->tmpl.dst = r->u.move.new_dst;
		}
		break;
	case XK_REQ_POLICY_ADD:
	case XK_REQ_POLICY_UPDATE:
		pol = fk_pol_find(k, &r->u.policy.sel, r->u.policy.dir);
		if (!pol) {
			if (k->n_pol == k->cap_pol)
				k->pol = grow(k->pol, &k->cap_pol, sizeof(*k->pol));
			pol = &k->pol[k->n_pol++];
		}
		*pol = r->u.policy;
		break;
	case XK_REQ_POLICY_DELETE:
		pol = fk_pol_find(k, &r->u.policy_id.sel, r->u.policy_id.dir);
		if (pol)
			*pol = k->pol[--k->n_pol];
		break;
	default:
		break;
	}
}

void peer_kernel_apply(struct peer *p, const struct xk_req *r)
{
	fk_apply(&p->k, r);
}

const struct xk_policy *peer_kernel_policy(const struct peer *p, const struct xk_selector *sel,
					   enum xk_dir dir)
{
	return fk_pol_find(&p->k, sel, dir);
}

static bool in_prefix(const struct xk_addr *net, uint8_t plen, const struct xk_addr *a)
{
	if (net->family != a->family)
		return false;
	for (unsigned b = 0; b < plen; b++) {
		uint8_t m = (uint8_t)(0x80u >> (b % 8));

		if ((net->bytes[b / 8] & m) != (a->bytes[b / 8] & m))
			return false;
	}
	return true;
}

const struct xk_policy *peer_kernel_out_policy(const struct peer *p, const char *src,
					       const char *dst)
{
	const struct xk_policy *best = NULL;
	struct xk_addr s = { .family = XK_AF_INET }, d = { .family = XK_AF_INET };

	if (inet_pton(AF_INET, src, s.bytes) != 1 || inet_pton(AF_INET, dst, d.bytes) != 1)
		abort();
	for (unsigned i = 0; i < p->k.n_pol; i++) {
		const struct xk_policy *x = &p->k.pol[i];

		if (x->dir != XK_DIR_OUT || !in_prefix(&x->sel.src, x->sel.src_plen, &s) ||
		    !in_prefix(&x->sel.dst, x->sel.dst_plen, &d))
			continue;
		if (!best ||
		    x->sel.src_plen + x->sel.dst_plen > best->sel.src_plen + best->sel.dst_plen)
			best = x;
	}
	return best;
}

/* The fake kernel answers every request the engine tagged (as natkeyd does). */
static void answer(struct peer *p, const struct xk_req *r, bool refuse)
{
	struct xk_result *res;

	if (refuse)
		p->n_refused++;
	if (!r->cookie)
		return;
	if (p->n_pending >= sizeof(p->pending) / sizeof(p->pending[0]))
		abort(); /* a test that needs more answers in flight than this is wrong */
	res = &p->pending[p->n_pending++];
	memset(res, 0, sizeof(*res));
	res->cookie = r->cookie;
	if (refuse) {
		res->error = -EINVAL;
		snprintf(res->msg, sizeof(res->msg), "simulated failure");
	} else if (r->type == XK_REQ_SPI_ALLOC) {
		res->spi = p->next_spi++;
	}
}

static void record_kernel(struct peer *p, const struct xk_req *r)
{
	bool refused = (r->type == XK_REQ_SA_ADD && p->fail_sa_add) ||
		       ((r->type == XK_REQ_POLICY_ADD || r->type == XK_REQ_POLICY_UPDATE) &&
			p->fail_policy);

	if (!refused)
		fk_apply(&p->k, r);
	switch (r->type) {
	case XK_REQ_SPI_ALLOC:
		p->n_spi_alloc++;
		answer(p, r, p->fail_spi);
		if (!p->fail_spi) /* the larval SA ALLOCSPI makes */
			fk_sa_put(&p->k, &r->u.spi.src, &r->u.spi.dst, p->next_spi - 1,
				  r->u.spi.reqid, true);
		break;
	case XK_REQ_SA_ADD:
		if (p->fail_sa_add) {
			answer(p, r, true);
			break;
		}
		/* fallthrough */
	case XK_REQ_SA_UPDATE:
		answer(p, r, false);
		if (p->n_sa < PEER_SA_MAX) {
			p->sa_inbound[p->n_sa] = r->type == XK_REQ_SA_UPDATE;
			p->sa[p->n_sa++] = r->u.sa;
		}
		break;
	case XK_REQ_SA_DELETE:
		if (p->n_sa_delete < PEER_SA_MAX)
			p->sa_delete[p->n_sa_delete] = r->u.sa_id;
		p->n_sa_delete++;
		break;
	case XK_REQ_POLICY_ADD:
	case XK_REQ_POLICY_UPDATE:
		answer(p, r, p->fail_policy);
		if (!p->fail_policy) {
			if (p->n_policy < PEER_SA_MAX)
				p->policy[p->n_policy] = r->u.policy;
			p->n_policy++;
		}
		break;
	case XK_REQ_POLICY_DELETE:
		p->n_policy_delete++;
		break;
	case XK_REQ_SA_MOVE:
		if (p->n_move < PEER_SA_MAX)
			p->move[p->n_move] = r->u.move;
		p->n_move++;
		break;
	default:
		break;
	}
}

/* The fake daemon's XAUTH file backend. */
static void xauth_check(struct peer *p, const struct ike_xauth_check *x)
{
	size_t ulen = strlen(x->user);
	bool ok = false;

	p->n_xauth_checks++;
	snprintf(p->xauth_last_user, sizeof(p->xauth_last_user), "%s", x->user);
	for (size_t i = 0; i < sizeof(p->xauth_users) / sizeof(p->xauth_users[0]); i++) {
		const char *e = p->xauth_users[i];

		if (e && !strncmp(e, x->user, ulen) && e[ulen] == ':' &&
		    strlen(e + ulen + 1) == x->pass_len &&
		    !memcmp(e + ulen + 1, x->pass, x->pass_len))
			ok = true;
	}
	p->n_xauth_ok += ok;
	if (p->xauth_hold || p->n_verdicts >= sizeof(p->verdicts) / sizeof(p->verdicts[0]))
		return;
	p->verdicts[p->n_verdicts].serial = x->serial;
	p->verdicts[p->n_verdicts].ok = ok;
	p->n_verdicts++;
}

static void perform(struct peer *p, struct ike_actions *out)
{
	for (size_t i = 0; i < out->n; i++) {
		const struct ike_action *a = &out->v[i];

		switch (a->type) {
		case IKE_ACT_SEND: {
			static struct sim_dgram d;

			d.src = a->u.send.local;
			d.dst = a->u.send.remote;
			d.len = a->u.send.len;
			memcpy(d.buf, ike_actions_data(out, a), d.len);
			if (d.len == NATT_KEEPALIVE_LEN && d.buf[0] == NATT_KEEPALIVE_BYTE)
				p->keepalives++;
			if (p->sent < PEER_LOG_MAX)
				p->sent_at[p->sent] = sim_net_now(p->net);
			p->sent++;
			sim_net_send(p->net, &d);
			break;
		}
		case IKE_ACT_KERNEL:
			record_kernel(p, &a->u.kernel);
			break;
		case IKE_ACT_TIMER:
			sim_net_timer_set(p->net, p->node, a->u.timer_at_ms);
			break;
		case IKE_ACT_LOG:
			record_log(p, &a->u.log);
			break;
		case IKE_ACT_XAUTH_CHECK:
			xauth_check(p, &a->u.xauth);
			break;
		case IKE_ACT_OCSP_FETCH:
			p->n_ocsp++;
			p->ocsp_last = a->u.ocsp;
			if (p->ocsp_answer && p->n_ocsp_pending < 4)
				p->ocsp_pending[p->n_ocsp_pending++] = a->u.ocsp;
			break;
		case IKE_ACT_CRYPTO:
			p->jobs_made++;
			if (p->n_jobs == PEER_JOBS_MAX) {
				fprintf(stderr, "%s: too many crypto jobs held\n", p->name);
				abort();
			}
			p->jobs[p->n_jobs++] = a->u.crypto;
			break;
		case IKE_ACT_MODECFG:
			if (a->u.modecfg.up)
				p->n_modecfg_up++;
			else
				p->n_modecfg_down++;
			p->modecfg_last = a->u.modecfg;
			break;
		}
	}
}

void peer_process(struct peer *p, struct ike_actions *out)
{
	perform(p, out);
	answer_pending(p);
}

static void on_rx(void *ctx, struct sim_net *net, const struct sim_dgram *d, uint64_t now)
{
	struct peer *p = ctx;
	struct ike_event ev = { .type = IKE_EV_DGRAM };

	(void)net;
	(void)now;
	ev.u.dgram.local = d->dst;
	ev.u.dgram.remote = d->src;
	ev.u.dgram.buf = d->buf;
	ev.u.dgram.len = d->len;
	handle(p, &ev);
}

static void on_timer(void *ctx, struct sim_net *net, uint64_t now)
{
	struct peer *p = ctx;
	struct ike_event ev = { .type = IKE_EV_TIMER };

	(void)net;
	(void)now;
	handle(p, &ev);
}

void peer_init(struct peer *p, const char *name, struct sim_net *net, const char *addr, bool inside,
	       const struct ike_engine_cfg *cfg)
{
	struct sockaddr_storage ss;

	memset(p, 0, sizeof(*p));
	p->name = name;
	p->net = net;
	p->next_spi = name[0] == 'g' ? 0xc0000100u : 0xd0000100u;
	p->verbose = getenv("ENGINE_VERBOSE") != NULL;
	struct ike_engine_cfg c = *cfg;

	c.log_debug = true; /* the tests look at debug records too */
	cfg = &c;
	if (ike_engine_new(cfg, &p->eng) != 0) {
		fprintf(stderr, "%s: ike_engine_new failed\n", name);
		abort();
	}
	sim_addr4(&ss, addr, 0);
	p->node = sim_net_node_add(net, &ss, inside, on_rx, on_timer, p);
}

int peer_engine_new(const struct ike_engine_cfg *cfg, struct peer *p)
{
	struct ike_engine_cfg c = *cfg;

	c.log_debug = true;
	return ike_engine_new(&c, &p->eng);
}

void peer_free(struct peer *p)
{
	while (p->n_jobs)
		ike_crypto_job_free(peer_crypto_take(p, 0));
	ike_engine_free(p->eng);
	p->eng = NULL;
	free(p->k.sa);
	free(p->k.pol);
	memset(&p->k, 0, sizeof(p->k));
}

int peer_renew(struct peer *p, const struct ike_conn_cfg *c)
{
	struct ike_engine_cfg cfg = { .conns = c, .n_conns = 1 };

	ike_engine_free(p->eng); /* the fake kernel stays */
	p->eng = NULL;
	return peer_engine_new(&cfg, p);
}

int peer_alias(struct peer *p, const char *addr, bool inside)
{
	struct sockaddr_storage ss;

	sim_addr4(&ss, addr, 0);
	return sim_net_node_add(p->net, &ss, inside, on_rx, NULL, p);
}

void peer_event(struct peer *p, const struct ike_event *ev)
{
	handle(p, ev);
}

void peer_initiate(struct peer *p, unsigned conn)
{
	struct ike_event ev = { .type = IKE_EV_INITIATE };

	ev.u.conn = conn;
	handle(p, &ev);
}

struct ike_status peer_status(const struct peer *p)
{
	struct ike_status st;

	ike_engine_status(p->eng, &st);
	return st;
}

const struct xk_sa *peer_find_sa(const struct peer *p, uint32_t spi)
{
	for (unsigned i = p->n_sa; i-- > 0;)
		if (p->sa[i].spi == spi)
			return &p->sa[i];
	return NULL;
}

bool peer_log_has(const struct peer *p, const char *needle)
{
	for (unsigned i = 0; i < p->n_log; i++)
		if (strstr(p->log[i], needle))
			return true;
	return false;
}

void conn_psk(struct ike_conn_cfg *c, const char *name, const char *local, const char *remote,
	      const char *psk)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	sim_addr4(&c->local, local, 500);
	if (remote)
		sim_addr4(&c->remote, remote, 500);
	c->auth = IKE_AUTH_PSK;
	c->psk_len = strlen(psk);
	memcpy(c->psk, psk, c->psk_len);
	c->p1[0] = (struct ike_p1_proposal){ IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA2_256,
					     IKE_DH_MODP_2048 };
	c->n_p1 = 1;
	c->p2[0] = (struct ike_p2_proposal){ XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96 };
	c->n_p2 = 1;
	c->mode = XK_MODE_TUNNEL;
	c->natt = true;
}

void conn_client_allow(struct ike_conn_cfg *c, const char *net, unsigned plen)
{
	struct ike_ts *t = &c->client_allow[c->n_client_allow++];
	struct sockaddr_storage ss;

	sim_addr4(&ss, net, 0);
	memset(t, 0, sizeof(*t));
	t->addr.family = XK_AF_INET;
	memcpy(t->addr.bytes, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	t->plen = (uint8_t)plen;
}

static bool sa_twin(const struct xk_sa *x, const struct xk_sa *y)
{
	return x->spi == y->spi && x->enc == y->enc && x->auth == y->auth &&
	       x->enc_key_len == y->enc_key_len && x->auth_key_len == y->auth_key_len &&
	       memcmp(x->enc_key, y->enc_key, x->enc_key_len) == 0 &&
	       memcmp(x->auth_key, y->auth_key, x->auth_key_len) == 0 && x->mode == y->mode &&
	       x->encap.enabled == y->encap.enabled;
}

int keys_match(const struct peer *a, const struct peer *b)
{
	int pairs = 0;

	for (unsigned i = 0; i < a->n_sa; i++) {
		const struct xk_sa *x = &a->sa[i];
		bool found = false;

		for (unsigned j = 0; j < b->n_sa && !found; j++)
			found = sa_twin(x, &b->sa[j]) && a->sa_inbound[i] != b->sa_inbound[j];
		if (!found)
			return -1;
		pairs++;
	}
	return pairs;
}

static enum sim_verdict nat_out(void *ctx, struct sim_dgram *d, uint64_t now)
{
	return sim_nat_outbound(ctx, d, now);
}

static enum sim_verdict nat_in(void *ctx, struct sim_dgram *d, uint64_t now)
{
	return sim_nat_inbound(ctx, d, now);
}

void harness_nat_attach(struct sim_net *net, struct sim_nat *nat)
{
	struct sim_mbox mb;

	memset(&mb, 0, sizeof(mb));
	mb.outbound = nat_out;
	mb.inbound = nat_in;
	mb.ctx = nat;
	mb.public_addr = *sim_nat_pub(nat);
	sim_net_mbox_set(net, &mb);
}

void harness_ts4(struct ike_ts *ts, const char *a, uint8_t plen)
{
	memset(ts, 0, sizeof(*ts));
	ts->addr.family = XK_AF_INET;
	if (inet_pton(AF_INET, a, ts->addr.bytes) != 1)
		abort(); /* a typo in a test */
	ts->plen = plen;
}

void harness_addr4(struct xk_addr *x, const char *a)
{
	memset(x, 0, sizeof(*x));
	x->family = XK_AF_INET;
	if (inet_pton(AF_INET, a, x->bytes) != 1)
		abort(); /* a typo in a test */
}
