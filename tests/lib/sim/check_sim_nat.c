// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the simulated NAT: each RFC 4787 behaviour it offers. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/sim/nat.h"
#include "tests/lib/natt_test.h"

#define HOST_A	 "10.0.0.2"
#define HOST_B	 "10.0.0.3"
#define NAT_PUB	 "203.0.113.1"
#define NAT_PUB2 "203.0.113.2"
#define SRV	 "198.51.100.10"
#define SRV2	 "198.51.100.11"

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

static bool same_ep(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family || port_of(a) != port_of(b))
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		      &((const struct sockaddr_in6 *)b)->sin6_addr, 16) == 0;
}

static bool same_addr(const struct sockaddr_storage *a, const char *addr)
{
	struct sockaddr_storage b = natt_test_ep(addr, port_of(a));

	return same_ep(a, &b);
}

/* A large struct (64 KiB buffer): keep them static, one per role. */
static struct sim_dgram dg;

static void mk(struct sim_dgram *d, const char *sa, uint16_t sp, const char *da, uint16_t dp)
{
	d->src = natt_test_ep(sa, sp);
	d->dst = natt_test_ep(da, dp);
	d->len = 1;
	d->buf[0] = 0xff;
}

static struct sim_nat_cfg base_cfg(enum sim_nat_behaviour map, enum sim_nat_behaviour filt)
{
	struct sim_nat_cfg c;

	memset(&c, 0, sizeof(c));
	c.pub = natt_test_ep(NAT_PUB, 0);
	c.mapping = map;
	c.filtering = filt;
	c.seed = 42;
	return c;
}

/* Send from a private endpoint to a remote; return the public source. */
static struct sockaddr_storage out(struct sim_nat *nat, const char *pa, uint16_t pp, const char *ra,
				   uint16_t rp, uint64_t now)
{
	mk(&dg, pa, pp, ra, rp);
	ck_assert_int_eq(sim_nat_outbound(nat, &dg, now), SIM_PASS);
	ck_assert(same_addr(&dg.dst, ra));
	return dg.src;
}

/* Deliver from a remote to a public endpoint; return the verdict. */
static enum sim_verdict in(struct sim_nat *nat, const char *ra, uint16_t rp,
			   const struct sockaddr_storage *pub, uint64_t now)
{
	dg.src = natt_test_ep(ra, rp);
	dg.dst = *pub;
	dg.len = 1;
	return sim_nat_inbound(nat, &dg, now);
}

/* Mapping behaviour: which destinations share a public endpoint. */
struct map_case {
	enum sim_nat_behaviour mapping;
	bool same_for_other_port; /* SRV:4500 vs SRV:500 */
	bool same_for_other_addr; /* SRV2:500 vs SRV:500 */
};

static const struct map_case map_cases[] = {
	{ SIM_NAT_EI, true, true },
	{ SIM_NAT_AD, true, false },
	{ SIM_NAT_APD, false, false },
};

START_TEST(test_mapping)
{
	const struct map_case *c = &map_cases[_i];
	struct sim_nat_cfg cfg = base_cfg(c->mapping, SIM_NAT_EI);
	struct sim_nat *nat = sim_nat_new(&cfg);
	struct sockaddr_storage p1, p2, p3, p4;

	ck_assert_ptr_nonnull(nat);
	p1 = out(nat, HOST_A, 500, SRV, 500, 0);
	ck_assert(same_addr(&p1, NAT_PUB));
	p2 = out(nat, HOST_A, 500, SRV, 4500, 1);
	p3 = out(nat, HOST_A, 500, SRV2, 500, 2);
	p4 = out(nat, HOST_A, 500, SRV, 500, 3);
	ck_assert(same_ep(&p1, &p4)); /* same flow reuses its binding */
	ck_assert(same_ep(&p1, &p2) == c->same_for_other_port);
	ck_assert(same_ep(&p1, &p3) == c->same_for_other_addr);
	ck_assert_uint_eq(sim_nat_binding_count(nat, 3),
			  1 + !c->same_for_other_port + !c->same_for_other_addr);
	sim_nat_free(nat);
}
END_TEST

/* Filtering: who may send to a binding made by HOST_A:500 -> SRV:500. */
struct filt_case {
	enum sim_nat_behaviour filtering;
	bool from_same_addr_other_port;
	bool from_other_addr;
};

static const struct filt_case filt_cases[] = {
	{ SIM_NAT_EI, true, true },
	{ SIM_NAT_AD, true, false },
	{ SIM_NAT_APD, false, false },
};

START_TEST(test_filtering)
{
	const struct filt_case *c = &filt_cases[_i];
	struct sim_nat_cfg cfg = base_cfg(SIM_NAT_EI, c->filtering);
	struct sim_nat *nat = sim_nat_new(&cfg);
	struct sockaddr_storage pub = out(nat, HOST_A, 500, SRV, 500, 0);
	struct sockaddr_storage priv = natt_test_ep(HOST_A, 500);

	ck_assert_int_eq(in(nat, SRV, 500, &pub, 1), SIM_PASS);
	ck_assert(same_ep(&dg.dst, &priv)); /* rewritten to the private endpoint */
	ck_assert(same_addr(&dg.src, SRV)); /* source untouched */
	ck_assert_int_eq(in(nat, SRV, 4500, &pub, 2),
			 c->from_same_addr_other_port ? SIM_PASS : SIM_DROP);
	ck_assert_int_eq(in(nat, SRV2, 500, &pub, 3), c->from_other_addr ? SIM_PASS : SIM_DROP);
	/* Once the host has sent to SRV2, SRV2 gets in under every policy. */
	out(nat, HOST_A, 500, SRV2, 500, 4);
	ck_assert_int_eq(in(nat, SRV2, 500, &pub, 5), SIM_PASS);
	/* Nothing reaches a port without a binding. */
	{
		struct sockaddr_storage none = pub;

		((struct sockaddr_in *)&none)->sin_port = htons(port_of(&pub) ^ 1);
		ck_assert_int_eq(in(nat, SRV, 500, &none, 6), SIM_DROP);
	}
	sim_nat_free(nat);
}
END_TEST

START_TEST(test_port_preservation)
{
	struct sim_nat_cfg cfg = base_cfg(SIM_NAT_EI, SIM_NAT_EI);
	struct sim_nat *nat;
	struct sockaddr_storage a, b;

	cfg.port_preservation = true;
	nat = sim_nat_new(&cfg);
	a = out(nat, HOST_A, 500, SRV, 500, 0);
	ck_assert_uint_eq(port_of(&a), 500);
	/* Second host with the same port: collision, another port. */
	b = out(nat, HOST_B, 500, SRV, 500, 0);
	ck_assert_uint_ne(port_of(&b), 500);
	ck_assert_uint_ge(port_of(&b), 1024);
	sim_nat_free(nat);

	cfg.port_preservation = false;
	cfg.port_min = 40000;
	cfg.port_max = 40009;
	nat = sim_nat_new(&cfg);
	a = out(nat, HOST_A, 500, SRV, 500, 0);
	ck_assert_uint_ge(port_of(&a), 40000);
	ck_assert_uint_le(port_of(&a), 40009);
	sim_nat_free(nat);
}
END_TEST

/* Same seed, same ports; the range is used without collisions until full. */
START_TEST(test_deterministic_and_full)
{
	struct sim_nat_cfg cfg = base_cfg(SIM_NAT_APD, SIM_NAT_APD);
	struct sim_nat *n1, *n2;
	uint16_t seen[8] = { 0 };

	cfg.port_min = 50000;
	cfg.port_max = 50007;
	n1 = sim_nat_new(&cfg);
	n2 = sim_nat_new(&cfg);
	for (uint16_t i = 0; i < 8; i++) {
		struct sockaddr_storage a = out(n1, HOST_A, 500, SRV, (uint16_t)(1000 + i), 0);
		struct sockaddr_storage b = out(n2, HOST_A, 500, SRV, (uint16_t)(1000 + i), 0);

		ck_assert(same_ep(&a, &b));
		ck_assert_uint_ge(port_of(&a), 50000);
		ck_assert_uint_le(port_of(&a), 50007);
		ck_assert_uint_eq(seen[port_of(&a) - 50000], 0);
		seen[port_of(&a) - 50000] = 1;
	}
	/* Range exhausted. */
	mk(&dg, HOST_A, 500, SRV, 2000);
	ck_assert_int_eq(sim_nat_outbound(n1, &dg, 0), SIM_DROP);
	/* After the timeout the ports come back. */
	mk(&dg, HOST_A, 500, SRV, 2000);
	ck_assert_int_eq(sim_nat_outbound(n1, &dg, SIM_NAT_TIMEOUT_MS_DEFAULT), SIM_PASS);
	sim_nat_free(n1);
	sim_nat_free(n2);

	/* Table size limit. */
	cfg.port_min = cfg.port_max = 0;
	cfg.max_mappings = 2;
	n1 = sim_nat_new(&cfg);
	out(n1, HOST_A, 500, SRV, 1, 0);
	out(n1, HOST_A, 500, SRV, 2, 0);
	mk(&dg, HOST_A, 500, SRV, 3);
	ck_assert_int_eq(sim_nat_outbound(n1, &dg, 0), SIM_DROP);
	sim_nat_free(n1);
}
END_TEST

START_TEST(test_timeout)
{
	struct sim_nat_cfg cfg = base_cfg(SIM_NAT_EI, SIM_NAT_EI);
	struct sim_nat *nat;
	struct sockaddr_storage pub, again;

	cfg.timeout_ms = 30000;
	nat = sim_nat_new(&cfg);
	pub = out(nat, HOST_A, 4500, SRV, 4500, 1000);
	ck_assert_int_eq(in(nat, SRV, 4500, &pub, 30999), SIM_PASS);
	/* Inbound does not refresh by default: expires 30 s after the outbound. */
	ck_assert_int_eq(in(nat, SRV, 4500, &pub, 31000), SIM_DROP);
	ck_assert_uint_eq(sim_nat_binding_count(nat, 31000), 0);
	/* Outbound refreshes: a keepalive every 20 s keeps it. */
	pub = out(nat, HOST_A, 4500, SRV, 4500, 40000);
	again = out(nat, HOST_A, 4500, SRV, 4500, 60000);
	ck_assert(same_ep(&pub, &again));
	again = out(nat, HOST_A, 4500, SRV, 4500, 80000);
	ck_assert(same_ep(&pub, &again));
	ck_assert_int_eq(in(nat, SRV, 4500, &pub, 109999), SIM_PASS);
	sim_nat_free(nat);

	cfg.inbound_refresh = true;
	nat = sim_nat_new(&cfg);
	pub = out(nat, HOST_A, 4500, SRV, 4500, 0);
	ck_assert_int_eq(in(nat, SRV, 4500, &pub, 29000), SIM_PASS);
	ck_assert_int_eq(in(nat, SRV, 4500, &pub, 58000), SIM_PASS);
	ck_assert_int_eq(in(nat, SRV, 4500, &pub, 88000), SIM_DROP);
	sim_nat_free(nat);
}
END_TEST

START_TEST(test_reboot)
{
	struct sim_nat_cfg cfg = base_cfg(SIM_NAT_EI, SIM_NAT_APD);
	struct sim_nat *nat = sim_nat_new(&cfg);
	struct sockaddr_storage before, after;

	before = out(nat, HOST_A, 4500, SRV, 4500, 0);
	sim_nat_reboot(nat);
	ck_assert_uint_eq(sim_nat_binding_count(nat, 0), 0);
	ck_assert_int_eq(in(nat, SRV, 4500, &before, 1), SIM_DROP);
	/* The host's next packet gets a new mapping (new port: the mapping
	 * change the responder must follow, RFC 3947 s7). */
	after = out(nat, HOST_A, 4500, SRV, 4500, 2);
	ck_assert(!same_ep(&before, &after));
	ck_assert_int_eq(in(nat, SRV, 4500, &after, 3), SIM_PASS);
	sim_nat_free(nat);
}
END_TEST

/* IKE on 500 and on 4500 leave through different public addresses. */
START_TEST(test_split_4500)
{
	struct sim_nat_cfg cfg = base_cfg(SIM_NAT_EI, SIM_NAT_EI);
	struct sim_nat *nat;
	struct sockaddr_storage p500, p4500, pub2 = natt_test_ep(NAT_PUB2, 0),
					     other = natt_test_ep(SRV, 0);

	cfg.pub_4500 = natt_test_ep(NAT_PUB2, 0);
	cfg.port_preservation = true;
	nat = sim_nat_new(&cfg);
	p500 = out(nat, HOST_A, 500, SRV, 500, 0);
	p4500 = out(nat, HOST_A, 4500, SRV, 4500, 0);
	ck_assert(same_addr(&p500, NAT_PUB));
	ck_assert(same_addr(&p4500, NAT_PUB2));
	ck_assert(sim_nat_owns(nat, (struct sockaddr *)&pub2));
	ck_assert(!sim_nat_owns(nat, (struct sockaddr *)&other));
	ck_assert_int_eq(in(nat, SRV, 4500, &p4500, 1), SIM_PASS);
	ck_assert(same_addr(&dg.dst, HOST_A));
	ck_assert_uint_eq(port_of(&dg.dst), 4500);
	sim_nat_free(nat);
}
END_TEST

START_TEST(test_static_1to1)
{
	struct sim_nat_cfg cfg = base_cfg(SIM_NAT_APD, SIM_NAT_APD);
	struct sim_nat *nat;
	struct sockaddr_storage pub = natt_test_ep(NAT_PUB, 4500),
				pub5 = natt_test_ep(NAT_PUB, 500);

	cfg.private_1to1 = natt_test_ep(HOST_A, 0);
	nat = sim_nat_new(&cfg);
	/* Unsolicited inbound reaches the host, ports untouched (3947-4.m). */
	ck_assert_int_eq(in(nat, SRV, 61000, &pub5, 0), SIM_PASS);
	ck_assert(same_addr(&dg.dst, HOST_A));
	ck_assert_uint_eq(port_of(&dg.dst), 500);
	out(nat, HOST_A, 4500, SRV, 4500, 0);
	ck_assert(same_ep(&dg.src, &pub));
	/* Another private host is not translated. */
	mk(&dg, HOST_B, 500, SRV, 500);
	ck_assert_int_eq(sim_nat_outbound(nat, &dg, 0), SIM_DROP);
	ck_assert_uint_eq(sim_nat_binding_count(nat, 0), 0);
	sim_nat_free(nat);
}
END_TEST

/* Host -> NAT1 -> NAT2 -> server and back. */
START_TEST(test_double_nat)
{
	struct sim_nat_cfg c1 = base_cfg(SIM_NAT_EI, SIM_NAT_APD);
	struct sim_nat_cfg c2 = base_cfg(SIM_NAT_APD, SIM_NAT_APD);
	struct sim_nat *n1, *n2;
	struct sockaddr_storage seen_by_srv, host = natt_test_ep(HOST_A, 4500);

	c1.pub = natt_test_ep("100.64.0.7", 0); /* carrier-grade NAT inside */
	c2.pub = natt_test_ep(NAT_PUB, 0);
	c2.seed = 7;
	n1 = sim_nat_new(&c1);
	n2 = sim_nat_new(&c2);
	mk(&dg, HOST_A, 4500, SRV, 4500);
	ck_assert_int_eq(sim_nat_outbound(n1, &dg, 0), SIM_PASS);
	ck_assert(same_addr(&dg.src, "100.64.0.7"));
	ck_assert_int_eq(sim_nat_outbound(n2, &dg, 0), SIM_PASS);
	ck_assert(same_addr(&dg.src, NAT_PUB));
	seen_by_srv = dg.src;
	/* Reply. */
	dg.src = natt_test_ep(SRV, 4500);
	dg.dst = seen_by_srv;
	ck_assert(sim_nat_owns(n2, (struct sockaddr *)&dg.dst));
	ck_assert_int_eq(sim_nat_inbound(n2, &dg, 1), SIM_PASS);
	ck_assert(sim_nat_owns(n1, (struct sockaddr *)&dg.dst));
	ck_assert_int_eq(sim_nat_inbound(n1, &dg, 1), SIM_PASS);
	ck_assert(same_ep(&dg.dst, &host));
	sim_nat_free(n1);
	sim_nat_free(n2);
}
END_TEST

START_TEST(test_ipv6_and_bad_input)
{
	struct sim_nat_cfg cfg = base_cfg(SIM_NAT_EI, SIM_NAT_EI);
	struct sim_nat *nat;
	struct sockaddr_storage pub;

	cfg.pub = natt_test_ep("2001:db8:ffff::1", 0);
	nat = sim_nat_new(&cfg);
	ck_assert_ptr_nonnull(nat);
	pub = out(nat, "fd00::2", 500, "2001:db8::10", 500, 0);
	ck_assert(same_addr(&pub, "2001:db8:ffff::1"));
	ck_assert_int_eq(in(nat, "2001:db8::10", 500, &pub, 1), SIM_PASS);
	ck_assert(same_addr(&dg.dst, "fd00::2"));
	/* IPv4 through an IPv6 NAT: dropped. */
	mk(&dg, HOST_A, 500, SRV, 500);
	ck_assert_int_eq(sim_nat_outbound(nat, &dg, 0), SIM_DROP);
	sim_nat_free(nat);

	/* Bad configurations. */
	memset(&cfg, 0, sizeof(cfg));
	ck_assert_ptr_null(sim_nat_new(&cfg));
	cfg = base_cfg(SIM_NAT_EI, SIM_NAT_EI);
	cfg.pub_4500 = natt_test_ep("2001:db8::1", 0);
	ck_assert_ptr_null(sim_nat_new(&cfg));
	cfg = base_cfg(SIM_NAT_EI, SIM_NAT_EI);
	cfg.port_min = 2000;
	cfg.port_max = 1000;
	ck_assert_ptr_null(sim_nat_new(&cfg));
	ck_assert_ptr_null(sim_nat_new(NULL));
	sim_nat_free(NULL);
}
END_TEST

static Suite *sim_nat_suite(void)
{
	Suite *s = suite_create("sim_nat");
	TCase *tc = tcase_create("nat");

	tcase_add_loop_test(tc, test_mapping, 0, (int)N(map_cases));
	tcase_add_loop_test(tc, test_filtering, 0, (int)N(filt_cases));
	tcase_add_test(tc, test_port_preservation);
	tcase_add_test(tc, test_deterministic_and_full);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_reboot);
	tcase_add_test(tc, test_split_4500);
	tcase_add_test(tc, test_static_1to1);
	tcase_add_test(tc, test_double_nat);
	tcase_add_test(tc, test_ipv6_and_bad_input);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(sim_nat_suite());
}
