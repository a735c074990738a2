// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The cost of one engine event at 1,000 and at 100,000 tunnels (issue 15):
 * a gateway engine holding N established IKE SAs behind NATs (each with a
 * NAT-keepalive timer, staggered over the 20 s interval) and N installed
 * IPsec SAs. The events are three that such a gateway sees all the time
 * and that go through the SA structures, in equal numbers:
 *  - an SA timer firing (the engine finds the due SA on its timer heap,
 *    sends its keepalive, schedules the next one);
 *  - a kernel soft-expire naming an inbound SPI at random (the SPI index);
 *  - a spoofed Main Mode first message with a fresh cookie from a new
 *    address (the cookie index, a new half-open SA, MM2, and at the
 *    half-open cap the eviction of the oldest quiet one): the flood of
 *    issue 15, whose per-packet cost grew 14 times with the SAs.
 * The SAs are built directly in the engine's store (keys are not needed
 * for these events), so 100,000 take a fraction of a second.
 *
 * Prints
 *   BENCH engine_scale events_per_s_1k=... events_per_s_100k=... ratio=...
 *         struct_ratio=...
 *         target_met=yes|no
 * ratio = events_per_s_100k / events_per_s_1k over the three events, the
 * best of the rounds of each. The target of issue 15 is 0.8 (target_met):
 * 0.78-0.85 on the shared 2-core machine at load 4-5 (0.74-0.85 before the
 * SA layout, the handle timer heap and the open-addressing indexes), so met
 * in most runs, not all. struct_ratio is the same for the first two events
 * alone (no message work, about 0.12 us each in cache): it falls once the
 * SAs outgrow the CPU caches (0.35-0.48; 0.28-0.33 before), memory latency
 * rather than a walk: each of the two events reads its SA (one or two
 * cache misses) and a slot of an index or the heap. The forged MM1 costs
 * about 0.8 us more at 100,000 (of about 5 us): the SA it evicts at the
 * half-open cap and its work area are cold there. Below
 * 0.05 (a walk over the SAs gives about 0.001: an O(SAs) deletion made
 * struct_ratio 0.001; a loaded machine gave 0.22 with no walk, so the line
 * stays far from that) the line ends in error=ratio_below_0.05 and the exit
 * status is 1.
 *
 * Environment: BENCH_SHORT=1 (CI smoke: 3 rounds of 0.05 s), BENCH_ROUNDS,
 * BENCH_ROUND_S.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ike/engine_int.h"

#define GW_ADDR 0xc6336401u /* 198.51.100.1 */

static uint64_t rng_state = 0x1234567;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *why)
{
	printf("BENCH engine_scale error=%s\n", why);
	exit(1);
}

static void ep4(union ike_ep *ep, uint32_t addr, uint16_t port)
{
	memset(ep, 0, sizeof(*ep));
	ep->in.sin_family = AF_INET;
	ep->in.sin_addr.s_addr = htonl(addr);
	ep->in.sin_port = htons(port);
}

struct world {
	struct ike_engine *eng;
	struct ike_conn_cfg conn;
	unsigned n;
	uint64_t now;
	uint64_t keepalives;
	uint64_t next;	   /* the timer the engine last asked for */
	uint8_t mm1[2048]; /* a real initiator's first message */
	size_t mm1_len;
	uint32_t spoof; /* next spoofed source */
	struct ike_actions *out;
};

static void feed(struct world *w, const struct ike_event *ev);

/* The first message a real initiator sends to the gateway. */
static void mm1_template(struct world *w)
{
	struct ike_conn_cfg c = w->conn;
	struct ike_engine_cfg cfg = { .conns = &c, .n_conns = 1 };
	struct ike_event ev = { .type = IKE_EV_INITIATE };
	struct ike_engine *ini;
	struct sockaddr_in *r = (struct sockaddr_in *)&c.remote,
			   *l = (struct sockaddr_in *)&c.local;

	memset(&c.remote, 0, sizeof(c.remote));
	r->sin_family = AF_INET;
	r->sin_addr.s_addr = htonl(GW_ADDR);
	r->sin_port = htons(500);
	l->sin_addr.s_addr = htonl(0xc000020au); /* 192.0.2.10 */
	ike_actions_init(w->out);
	if (ike_engine_new(&cfg, &ini) != 0 || ike_engine_handle(ini, &ev, 0, w->out) != 0)
		die("initiator");
	for (size_t i = 0; i < w->out->n && !w->mm1_len; i++) {
		const struct ike_send *s = &w->out->v[i].u.send;

		if (w->out->v[i].type == IKE_ACT_SEND && s->len <= sizeof(w->mm1)) {
			memcpy(w->mm1, w->out->buf + s->off, s->len);
			w->mm1_len = s->len;
		}
	}
	ike_engine_free(ini);
	if (!w->mm1_len)
		die("no_mm1");
}

/* A %any responder connection behind which every road warrior sits. */
static void world_new(struct world *w, unsigned n)
{
	struct ike_engine_cfg cfg = { 0 };
	struct sockaddr_in *l = (struct sockaddr_in *)&w->conn.local;

	memset(w, 0, sizeof(*w));
	w->n = n;
	snprintf(w->conn.name, sizeof(w->conn.name), "rw");
	l->sin_family = AF_INET;
	l->sin_addr.s_addr = htonl(GW_ADDR);
	l->sin_port = htons(500);
	w->conn.auth = IKE_AUTH_PSK;
	w->conn.psk_len = 6;
	memcpy(w->conn.psk, "secret", 6);
	w->conn.p1[0] = (struct ike_p1_proposal){ IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA2_256,
						  IKE_DH_ECP_256 };
	w->conn.n_p1 = 1;
	w->conn.p2[0] = (struct ike_p2_proposal){ XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96 };
	w->conn.n_p2 = 1;
	w->conn.mode = XK_MODE_TUNNEL;
	w->conn.natt = true;
	w->conn.keepalive_s = 20;
	cfg.conns = &w->conn;
	cfg.n_conns = 1;
	w->out = malloc(sizeof(*w->out));
	if (!w->out)
		die("oom");
	mm1_template(w);
	if (ike_engine_new(&cfg, &w->eng) != 0)
		die("engine_new");
	for (unsigned i = 0; i < n; i++) {
		uint64_t ck = rng(), cr = rng();
		struct ike_sa *sa = sa_ike_new(w->eng, 0, false, (const uint8_t *)&ck);
		struct ipsec_sa *c;

		if (!sa)
			die("sa_ike_new");
		memcpy(sa->cky_r, &cr, sizeof(cr));
		sa->x.state = V1_MAIN_R3;
		sa_ike_work_free(sa);
		sa->nat_we = sa->floated = true;
		ep4(&sa->local, GW_ADDR, 4500);
		ep4(&sa->remote, 0x0a000000u + i, 4500);
		/* Staggered over the interval, each due at its ka_at (the last
		 * packet to the peer went one interval before). */
		sa->ka_at = 20000 + (uint64_t)i * 20000 / n;
		sa->last_tx_ms = sa->ka_at - 20000;
		eng_due(w->eng, &sa->x, sa->ka_at);
		c = sa_ipsec_new(w->eng, sa, false);
		if (!c)
			die("sa_ipsec_new");
		sa_ipsec_work_free(c);
		c->installed = true;
		c->local = sa->local;
		c->remote = sa->remote;
		if (sa_ipsec_set_spi(w->eng, c, true, 0xc0000000u + i) < 0 ||
		    sa_ipsec_set_spi(w->eng, c, false, 0xd0000000u + i) < 0)
			die("spi index");
	}
}

static void world_free(struct world *w)
{
	ike_engine_free(w->eng);
	free(w->out);
}

/* Feed @ev; count the keepalives it sent; note the timer it asks for. */
static void feed(struct world *w, const struct ike_event *ev)
{
	ike_actions_init(w->out);
	if (ike_engine_handle(w->eng, ev, w->now, w->out) != 0)
		die("engine_handle");
	for (size_t i = 0; i < w->out->n; i++) {
		if (w->out->v[i].type == IKE_ACT_SEND)
			w->keepalives++;
		else if (w->out->v[i].type == IKE_ACT_TIMER)
			w->next = w->out->v[i].u.timer_at_ms;
	}
}

/* A spoofed MM1: the template with a fresh cookie, from a new address. */
static void spoofed_mm1(struct world *w)
{
	struct ike_event ev = { .type = IKE_EV_DGRAM };
	struct sockaddr_in *l = (struct sockaddr_in *)&ev.u.dgram.local;
	struct sockaddr_in *r = (struct sockaddr_in *)&ev.u.dgram.remote;
	uint64_t ck = rng();

	memcpy(w->mm1, &ck, sizeof(ck));
	l->sin_family = r->sin_family = AF_INET;
	l->sin_addr.s_addr = htonl(GW_ADDR);
	l->sin_port = r->sin_port = htons(500);
	r->sin_addr.s_addr = htonl(0xac100000u + (w->spoof++ % 1000000u)); /* 172.16/12 */
	ev.u.dgram.buf = w->mm1;
	ev.u.dgram.len = w->mm1_len;
	feed(w, &ev);
}

/* Events per second for @secs: timer events at the times the engine asks
 * for (each fires the keepalives due), and as many kernel soft-expires for
 * random inbound SPIs (and, with @mm1, spoofed MM1s) as keepalives went
 * out. */
static double measure(struct world *w, double secs, bool mm1)
{
	struct ike_event tev = { .type = IKE_EV_TIMER };
	struct ike_event kev = { .type = IKE_EV_KERNEL };
	uint64_t events = 0, sends;
	double t0 = cpu_s(), t;

	kev.u.kernel.type = XK_EV_EXPIRE_SOFT;
	do {
		for (unsigned r = 0; r < 64; r++) {
			uint64_t sent;

			if (w->next == UINT64_MAX)
				die("no_timer");
			if (w->next > w->now)
				w->now = w->next;
			sends = w->keepalives;
			feed(w, &tev);
			sent = w->keepalives - sends;
			events += sent ? sent : 1;
			for (uint64_t k = 0; k < sent; k++) {
				kev.u.kernel.u.expire.id.spi =
					0xc0000000u + (uint32_t)(rng() % w->n);
				feed(w, &kev);
				events++;
				if (mm1) {
					spoofed_mm1(w);
					events++;
				}
			}
		}
		t = cpu_s() - t0;
	} while (t < secs);
	if (mm1) {
		struct ike_halfopen_stats hs;

		ike_halfopen_stats(ike_engine_halfopen(w->eng), &hs);
		if (hs.halfopen == 0)
			die("no_half_open");
	}
	return (double)events / t;
}

static double best_rate(unsigned n, unsigned rounds, double secs, double *build_s,
			double *struct_rate)
{
	struct world w;
	double best = 0, best_s = 0, t0 = cpu_s();

	world_new(&w, n);
	*build_s = cpu_s() - t0;
	w.now = w.next = 20000;
	/* One round to warm up (the first keepalive of every SA, the
	 * half-open pool up to its cap). */
	measure(&w, secs, true);
	for (unsigned r = 0; r < rounds; r++) {
		double rate = measure(&w, secs, true), rs = measure(&w, secs, false);

		if (rate > best)
			best = rate;
		if (rs > best_s)
			best_s = rs;
	}
	*struct_rate = best_s;
	if (w.keepalives == 0)
		die("no_keepalive_sent");
	{
		struct ike_status st;

		ike_engine_status(w.eng, &st);
		if (st.ike_established != n || st.ipsec_sas != n)
			die("sas_lost");
	}
	world_free(&w);
	return best;
}

int main(void)
{
	const bool short_run = getenv("BENCH_SHORT") && strcmp(getenv("BENCH_SHORT"), "0");
	const char *env_r = getenv("BENCH_ROUNDS"), *env_s = getenv("BENCH_ROUND_S");
	unsigned rounds = env_r ? (unsigned)atoi(env_r) : short_run ? 3 : 7;
	double secs = env_s ? atof(env_s) : short_run ? 0.05 : 0.5;
	double b1, b100, s1, s100, r1 = best_rate(1000, rounds, secs, &b1, &s1);
	double r100 = best_rate(getenv("BENCH_N") ? (unsigned)atoi(getenv("BENCH_N")) : 100000,
				rounds, secs, &b100, &s100);
	double ratio = r100 / r1;

	bool walk = ratio < 0.05 || s100 / s1 < 0.05;

	printf("BENCH engine_scale events_per_s_1k=%.0f events_per_s_100k=%.0f ratio=%.3f "
	       "struct_events_per_s_1k=%.0f struct_events_per_s_100k=%.0f struct_ratio=%.3f "
	       "build_s_100k=%.2f target_met=%s%s\n",
	       r1, r100, ratio, s1, s100, s100 / s1, b100, ratio >= 0.8 ? "yes" : "no",
	       walk ? " error=ratio_below_0.05" : "");
	return walk ? 1 : 0;
}
