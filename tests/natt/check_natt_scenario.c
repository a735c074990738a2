// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The natt/ rules composed across simulated NATs, without an IKE engine:
 * NAT-D detection in MM3/MM4, the float to 4500 and the responder
 * following it (RFC 3947 s3.2, s4), keepalives keeping a 30 s NAT binding
 * open (RFC 3948 s4), and recovery after the binding expired or the NAT
 * rebooted (RFC 3947 s7), for several NAT arrangements. The payload bytes
 * are the NAT-D hashes themselves; the datagrams go through tests/lib/sim/nat.
 */
#include <check.h>
#include <string.h>

#include <openssl/evp.h>

#include "natt/endpoint.h"
#include "natt/keepalive.h"
#include "natt/mapping.h"
#include "natt/natd.h"
#include "natt/ports.h"
#include "tests/lib/natt_test.h"
#include "tests/lib/sim/nat.h"

/* Addresses of one address family: [0] IPv4, [1] IPv6. */
struct addrs {
	const char *i_priv, *r_priv;
	const char *r_pub;  /* also R's own address when R has no NAT */
	const char *r_1to1; /* R's public address behind its 1:1 NAT */
	const char *i_pub;  /* I's own address when it has no NAT */
	const char *nat_pub, *nat_pub_4500, *inner_nat_pub;
};

static const struct addrs fam[2] = {
	{ "10.0.0.2", "10.1.0.5", "198.51.100.10", "192.0.2.50", "203.0.113.77", "203.0.113.1",
	  "203.0.113.2", "100.64.0.9" },
	{ "fd00::2", "fd01::5", "2001:db8:1::10", "2001:db8:2::50", "2001:db8:3::77",
	  "2001:db8:4::1", "2001:db8:4::2", "fd64::9" },
};
#define NAT_TIMEOUT_MS 30000u

enum nat_kind {
	NONE,
	EI_PRESERVE, /* EI mapping/filtering, port preservation */
	APD,	     /* APD mapping/filtering, random ports */
	AD,	     /* AD mapping/filtering */
	SPLIT_4500,  /* 4500 leaves from another public address */
	DOUBLE,	     /* EI NAT behind an APD NAT */
	ONE_TO_ONE,  /* static 1:1 */
};

struct scenario {
	const char *what;
	enum nat_kind i_nat; /* in front of the initiator */
	bool r_1to1;	     /* responder behind a 1:1 NAT */
	bool v6;
};

static const struct scenario scenarios[] = {
	{ "no NAT", NONE, false, false },
	{ "I behind EI NAT, port preserved", EI_PRESERVE, false, false },
	{ "I behind APD NAT", APD, false, false },
	{ "I behind AD NAT", AD, false, false },
	{ "I behind NAT with separate 4500 address", SPLIT_4500, false, false },
	{ "I behind double NAT", DOUBLE, false, false },
	{ "I behind 1:1 NAT", ONE_TO_ONE, false, false },
	{ "R behind 1:1 NAT", NONE, true, false },
	{ "I behind APD NAT, R behind 1:1 NAT", APD, true, false },
	{ "IPv6: I behind APD NAT66", APD, false, true },
	{ "IPv6: I behind double NAT66, R behind 1:1", DOUBLE, true, true },
	{ "IPv6: no NAT", NONE, false, true },
};

/* NATs between a host and the public network, nearest to the host first. */
struct side {
	struct sim_nat *nat[2];
	size_t n;
};

static struct sim_dgram dg;

static struct sim_nat *nat_new(enum sim_nat_behaviour b, const char *pub, uint64_t seed)
{
	struct sim_nat_cfg c;
	struct sim_nat *nat;

	memset(&c, 0, sizeof(c));
	c.pub = natt_test_ep(pub, 0);
	c.mapping = c.filtering = b;
	c.timeout_ms = NAT_TIMEOUT_MS;
	c.seed = seed;
	nat = sim_nat_new(&c);
	ck_assert_ptr_nonnull(nat);
	return nat;
}

static void side_init_i(struct side *s, enum nat_kind k, const struct addrs *a)
{
	struct sim_nat_cfg c;

	memset(s, 0, sizeof(*s));
	memset(&c, 0, sizeof(c));
	c.pub = natt_test_ep(a->nat_pub, 0);
	c.timeout_ms = NAT_TIMEOUT_MS;
	c.seed = 11;
	switch (k) {
	case NONE:
		return;
	case EI_PRESERVE:
		c.port_preservation = true;
		break;
	case APD:
		c.mapping = c.filtering = SIM_NAT_APD;
		break;
	case AD:
		c.mapping = c.filtering = SIM_NAT_AD;
		break;
	case SPLIT_4500:
		c.pub_4500 = natt_test_ep(a->nat_pub_4500, 0);
		c.mapping = c.filtering = SIM_NAT_APD;
		break;
	case DOUBLE:
		s->nat[s->n++] = nat_new(SIM_NAT_EI, a->inner_nat_pub, 3);
		c.mapping = c.filtering = SIM_NAT_APD;
		break;
	case ONE_TO_ONE:
		c.private_1to1 = natt_test_ep(a->i_priv, 0);
		break;
	}
	s->nat[s->n] = sim_nat_new(&c);
	ck_assert_ptr_nonnull(s->nat[s->n]);
	s->n++;
}

static void side_free(struct side *s)
{
	for (size_t i = 0; i < s->n; i++)
		sim_nat_free(s->nat[i]);
}

/* From the host on side @from to the host on side @to. */
static enum sim_verdict deliver(struct side *from, struct side *to, uint64_t now)
{
	for (size_t i = 0; i < from->n; i++)
		if (sim_nat_outbound(from->nat[i], &dg, now) != SIM_PASS)
			return SIM_DROP;
	for (size_t i = to->n; i-- > 0;)
		if (sim_nat_inbound(to->nat[i], &dg, now) != SIM_PASS)
			return SIM_DROP;
	return SIM_PASS;
}

static void set_dg(const struct sockaddr_storage *src, const struct sockaddr_storage *dst)
{
	dg.src = *src;
	dg.dst = *dst;
	dg.len = 1;
	dg.buf[0] = 0xff;
}

/* One peer's view. */
struct peer {
	struct sockaddr_storage local500, local4500, remote; /* remote: where we send */
	struct natt_natd_result natd;
};

static const uint8_t cky_i[8] = { 0x5a, 1, 2, 3, 4, 5, 6, 7 };
static const uint8_t cky_r[8] = { 0xa5, 7, 6, 5, 4, 3, 2, 1 };

/* @from sends its NAT-D set to @to through the NATs; @to detects. */
static void natd_exchange(struct peer *from, struct side *fs, struct peer *to, struct side *ts,
			  uint64_t now)
{
	const struct sockaddr *locals[] = { SA(from->local500) };
	const struct sockaddr *rlocals[] = { SA(to->local500) };
	struct natt_natd_hash h[2];
	struct natt_natd_in in[2];

	ck_assert_int_eq(natt_natd_build(EVP_sha256(), cky_i, cky_r, SA(from->remote), locals, 1,
					 false, h, 2),
			 2);
	set_dg(&from->local500, &from->remote);
	ck_assert_int_eq(deliver(fs, ts, now), SIM_PASS);
	ck_assert(natt_endpoint_equal(SA(dg.dst), SA(to->local500)));
	for (int i = 0; i < 2; i++)
		in[i] = (struct natt_natd_in){ h[i].h, h[i].len };
	ck_assert_int_eq(natt_natd_detect(EVP_sha256(), cky_i, cky_r, rlocals, 1, SA(dg.src), in, 2,
					  &to->natd),
			 0);
	ck_assert_int_eq(to->natd.status, NATT_NATD_OK);
}

START_TEST(test_scenario)
{
	const struct scenario *sc = &scenarios[_i];
	const struct addrs *a = &fam[sc->v6];
	bool i_behind = sc->i_nat != NONE, r_behind = sc->r_1to1;
	struct side si, sr = { { NULL }, 0 };
	struct peer pi, pr;
	bool detected, floated;
	uint64_t now = 0, last_i = 0, last_r = 0;
	struct natt_keepalive_in ka = { .floated = true, .sa_exists = true };
	struct natt_keepalive_out ko;
	unsigned keepalives = 0;

	side_init_i(&si, sc->i_nat, a);
	if (r_behind) {
		struct sim_nat_cfg c;

		memset(&c, 0, sizeof(c));
		c.pub = natt_test_ep(a->r_1to1, 0);
		c.private_1to1 = natt_test_ep(a->r_priv, 0);
		sr.nat[sr.n++] = sim_nat_new(&c);
	}
	memset(&pi, 0, sizeof(pi));
	memset(&pr, 0, sizeof(pr));
	pi.local500 = natt_test_ep(i_behind ? a->i_priv : a->i_pub, 500);
	pi.local4500 = natt_test_ep(i_behind ? a->i_priv : a->i_pub, 4500);
	pi.remote = natt_test_ep(r_behind ? a->r_1to1 : a->r_pub, 500);
	pr.local500 = natt_test_ep(r_behind ? a->r_priv : a->r_pub, 500);
	pr.local4500 = natt_test_ep(r_behind ? a->r_priv : a->r_pub, 4500);

	/* MM3 (I -> R) and MM4 (R -> I, to where MM3 came from: 3947-3.b). */
	natd_exchange(&pi, &si, &pr, &sr, now);
	ck_assert_int_eq(natt_reply_dest(SA(dg.src), &pr.remote), 0);
	natd_exchange(&pr, &sr, &pi, &si, ++now);
	ck_assert_msg(pi.natd.we_behind_nat == i_behind && pr.natd.peer_behind_nat == i_behind,
		      "%s: initiator side", sc->what);
	ck_assert_msg(pr.natd.we_behind_nat == r_behind && pi.natd.peer_behind_nat == r_behind,
		      "%s: responder side", sc->what);

	/* MM5 floats to 4500 iff a NAT was seen (3947-4.a/b). */
	detected = pi.natd.we_behind_nat || pi.natd.peer_behind_nat;
	floated = natt_float_needed(NATT_METHOD_RFC3947, detected, false, false);
	ck_assert(floated == (i_behind || r_behind));
	if (!floated)
		goto out;
	ck_assert_int_eq(natt_float_dest(SA(pi.remote), &pi.remote), 0);
	set_dg(&pi.local4500, &pi.remote);
	ck_assert_int_eq(deliver(&si, &sr, ++now), SIM_PASS);
	ck_assert_uint_eq(natt_endpoint_port(SA(dg.dst)), 4500);
	ck_assert(natt_float_follow(NATT_METHOD_RFC3947, false, natt_endpoint_port(SA(dg.dst)),
				    true));
	ck_assert_int_eq(natt_reply_dest(SA(dg.src), &pr.remote), 0);
	if (!i_behind || sc->i_nat == ONE_TO_ONE)
		ck_assert_uint_eq(natt_endpoint_port(SA(pr.remote)), 4500); /* 3947-4.m */
	/* MM6 reaches the initiator on 4500. */
	set_dg(&pr.local4500, &pr.remote);
	ck_assert_int_eq(deliver(&sr, &si, ++now), SIM_PASS);
	ck_assert(natt_endpoint_equal(SA(dg.dst), SA(pi.local4500)));
	last_i = last_r = now;

	/* 200 s of silence but keepalives from whoever is behind a NAT. */
	while (now < 200000) {
		uint64_t next = NATT_KEEPALIVE_NEVER;

		ka.now_ms = now;
		ka.behind_nat = pi.natd.we_behind_nat;
		ka.last_sent_ms = last_i;
		natt_keepalive_schedule(&ka, &ko);
		if (ko.send) {
			set_dg(&pi.local4500, &pi.remote);
			ck_assert_int_eq(deliver(&si, &sr, now), SIM_PASS);
			last_i = now;
			keepalives++;
		}
		next = ko.next_ms;
		ka.behind_nat = pr.natd.we_behind_nat;
		ka.last_sent_ms = last_r;
		natt_keepalive_schedule(&ka, &ko);
		if (ko.send) {
			set_dg(&pr.local4500, &pr.remote);
			ck_assert_int_eq(deliver(&sr, &si, now), SIM_PASS);
			last_r = now;
			keepalives++;
		}
		if (ko.next_ms < next)
			next = ko.next_ms;
		if (next == NATT_KEEPALIVE_NEVER)
			break;
		now = next;
	}
	ck_assert_uint_eq(keepalives > 0, i_behind || r_behind);
	now = 200000;
	/* The bindings are still there: R reaches I, I reaches R. */
	set_dg(&pr.local4500, &pr.remote);
	ck_assert_msg(deliver(&sr, &si, now) == SIM_PASS, "%s: binding kept", sc->what);
	set_dg(&pi.local4500, &pi.remote);
	ck_assert_int_eq(deliver(&si, &sr, now), SIM_PASS);

	if (!i_behind || sc->i_nat == ONE_TO_ONE)
		goto out;
	/* Expire I's binding (no keepalives for 31 s) or reboot its NAT, then
	 * let I send an authenticated packet (DPD): R follows iff R is not
	 * behind a NAT itself (3947-7.a/7.b). */
	for (int round = 0; round < 2; round++) {
		struct sockaddr_storage old = pr.remote;
		struct natt_mapping_in mi = { .natt_active = true,
					      .we_behind_nat = pr.natd.we_behind_nat,
					      .auth = NATT_AUTH_IKE };
		enum natt_mapping_decision d;

		if (round == 0)
			now += NAT_TIMEOUT_MS + 1000;
		else
			sim_nat_reboot(si.nat[si.n - 1]);
		set_dg(&pr.local4500, &pr.remote);
		ck_assert_msg(deliver(&sr, &si, now) == SIM_DROP, "%s: binding gone", sc->what);
		set_dg(&pi.local4500, &pi.remote);
		ck_assert_int_eq(deliver(&si, &sr, ++now), SIM_PASS);
		mi.old_ep = SA(old);
		mi.new_ep = SA(dg.src);
		d = natt_mapping_decide(&mi, NULL);
		/* A forged packet from a new port that fails decryption: nothing. */
		mi.auth = NATT_AUTH_NONE;
		ck_assert_int_ne(natt_mapping_decide(&mi, NULL), NATT_MAPPING_MOVE);
		if (r_behind) {
			ck_assert_int_ne(d, NATT_MAPPING_MOVE);
			continue;
		}
		if (d == NATT_MAPPING_MOVE)
			pr.remote = dg.src;
		else
			ck_assert_int_eq(d, NATT_MAPPING_UNCHANGED);
		set_dg(&pr.local4500, &pr.remote);
		ck_assert_msg(deliver(&sr, &si, ++now) == SIM_PASS, "%s: recovered (round %d)",
			      sc->what, round);
		ck_assert(natt_endpoint_equal(SA(dg.dst), SA(pi.local4500)));
	}
out:
	side_free(&si);
	side_free(&sr);
}
END_TEST

static Suite *scenario_suite(void)
{
	Suite *s = suite_create("natt_scenario");
	TCase *tc = tcase_create("scenario");

	tcase_add_loop_test(tc, test_scenario, 0, (int)N(scenarios));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(scenario_suite());
}
