// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Handshakes through the crypto worker pool: complete Main Mode PSK + Quick
 * Mode negotiations between two in-memory engines with crypto_async, their
 * DH work run by the daemon's pool (tools/natkeyd/natkeyd_workers.c, the
 * same file natkeyd links) with 1 and with 2 worker threads. One thread
 * runs both engines, as natkeyd's epoll loop does: it hands datagrams over,
 * submits the engines' jobs, and waits on the pool's eventfd when nothing
 * else is left. WINDOW negotiations run at once (a new one starts when one
 * completes), so the workers always have work.
 *
 * Rounds alternate 1 and 2 workers (interleaved, so both see the same load
 * of a shared machine); each round negotiates N tunnels and takes the wall
 * time from the first INITIATE to the last IPsec SA. Output:
 *   BENCH handshake_workers group=14 nego_per_s_1w=... nego_per_s_2w=...
 *         scaling=... spread_1w=... spread_2w=... rounds=... cpus=... loadavg=...
 * nego_per_s_*: medians of the rounds; spread: half the range of the rounds
 * over the median; scaling = nego_per_s_2w / nego_per_s_1w; loadavg: the
 * 1-minute load average before the first round (other processes compete);
 * loop_cpu_us, job_cpu_us: CPU time per negotiation of the loop thread and
 * of the workers (medians of the 1-worker rounds); cpu_bound_scaling: the
 * scaling those allow on an idle machine of 2 CPUs (1 worker: loop and
 * worker side by side; 2 workers: both share the 2 CPUs), to read
 * scaling against when the machine is busy.
 * Environment: BENCH_SHORT=1 (3 rounds of 60 tunnels), BENCH_ROUNDS,
 * BENCH_N, BENCH_GROUP (default 14, MODP-2048).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ike/crypto/crypto.h"
#include "ike/engine.h"
#include "tools/natkeyd/natkeyd_workers.h"

#define QMAX   512
#define WINDOW 32
#define ENG_N  250 /* initiator connections per engine pair */

struct side {
	struct ike_engine *eng;
	struct ike_actions out;
	uint32_t next_spi;
	unsigned n_pending;
	struct xk_result pending[8];
	unsigned established; /* IPsec SAs up (initiator side counts) */
};

struct inflight {
	int to;
	struct sockaddr_storage src, dst;
	size_t len;
	uint8_t buf[2048];
};

static struct inflight q[QMAX];
static unsigned q_head, q_tail;
static uint64_t clock_ms;
static struct nkd_workers *pool;
static struct side sides[2];

static void fail(const char *what)
{
	fprintf(stderr, "bench_handshake_workers: %s\n", what);
	exit(1);
}

static void feed(int self, const struct ike_event *ev);

static void take_actions(int self)
{
	struct side *s = &sides[self];

	for (size_t i = 0; i < s->out.n; i++) {
		const struct ike_action *a = &s->out.v[i];

		if (a->type == IKE_ACT_SEND) {
			struct inflight *f = &q[q_tail++ % QMAX];

			if (a->u.send.len > sizeof(f->buf) || q_tail - q_head > QMAX)
				fail("datagram queue overflow");
			f->to = 1 - self;
			f->src = a->u.send.local;
			f->dst = a->u.send.remote;
			f->len = a->u.send.len;
			memcpy(f->buf, ike_actions_data(&s->out, a), f->len);
		} else if (a->type == IKE_ACT_CRYPTO) {
			if (nkd_workers_submit(pool, a->u.crypto, &sides[self]) < 0)
				fail("worker queue full");
		} else if (a->type == IKE_ACT_LOG) {
			if (a->u.log.reason == IKE_R_IPSEC_ESTABLISHED)
				s->established++;
			if (getenv("BENCH_VERBOSE"))
				fprintf(stderr, "%d: %s %s\n", self,
					ike_reason_name(a->u.log.reason), a->u.log.text);
		} else if (a->type == IKE_ACT_KERNEL && a->u.kernel.type == XK_REQ_SPI_ALLOC) {
			struct xk_result *r = &s->pending[s->n_pending++];

			memset(r, 0, sizeof(*r));
			r->cookie = a->u.kernel.cookie;
			r->spi = s->next_spi++;
		}
	}
	ike_actions_wipe(&s->out);
}

static void feed(int self, const struct ike_event *ev)
{
	struct side *s = &sides[self];

	ike_actions_init(&s->out);
	if (ike_engine_handle(s->eng, ev, clock_ms, &s->out) < 0)
		fail("ike_engine_handle");
	take_actions(self);
	while (s->n_pending) {
		struct ike_event r = { .type = IKE_EV_KERNEL_RESULT };

		r.u.result = s->pending[--s->n_pending];
		feed(self, &r);
	}
}

static void addr4(struct sockaddr_storage *ss, const char *ip, uint16_t port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	inet_pton(AF_INET, ip, &sin->sin_addr);
}

static void conn_fill(struct ike_conn_cfg *c, const char *local, const char *remote, uint16_t group)
{
	static const char psk[] = "benchmark pre-shared key";

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "bench");
	addr4(&c->local, local, 500);
	if (remote)
		addr4(&c->remote, remote, 500);
	c->auth = IKE_AUTH_PSK;
	memcpy(c->psk, psk, sizeof(psk) - 1);
	c->psk_len = sizeof(psk) - 1;
	c->p1[0] = (struct ike_p1_proposal){ IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA2_256, group };
	c->n_p1 = 1;
	c->p2[0] = (struct ike_p2_proposal){ XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96 };
	c->n_p2 = 1;
	c->mode = XK_MODE_TUNNEL;
}

/* Everything the loop can do without waiting: datagrams, finished jobs. */
static void run_ready(void)
{
	struct nkd_job_done done[64];
	size_t n;

	do {
		while (q_head != q_tail) {
			struct inflight *f = &q[q_head++ % QMAX];
			struct ike_event ev = { .type = IKE_EV_DGRAM };

			clock_ms++;
			ev.u.dgram.local = f->dst;
			ev.u.dgram.remote = f->src;
			ev.u.dgram.buf = f->buf;
			ev.u.dgram.len = f->len;
			feed(f->to, &ev);
		}
		n = nkd_workers_take(pool, done, 64);
		for (size_t i = 0; i < n; i++) {
			struct ike_event ev = { .type = IKE_EV_CRYPTO_DONE };

			ev.u.crypto = done[i].job;
			feed((struct side *)done[i].tag == &sides[0] ? 0 : 1, &ev);
		}
	} while (n || q_head != q_tail);
}

/* @n negotiations on one engine pair, WINDOW at a time. */
static void negotiate_pair(uint16_t group, unsigned n)
{
	static struct ike_conn_cfg ic[ENG_N];
	struct ike_conn_cfg rc;
	struct ike_engine_cfg icfg = {
		.conns = ic, .n_conns = n, .crypto_async = true, .crypto_max_jobs = 4 * WINDOW
	};
	struct ike_engine_cfg rcfg = {
		.conns = &rc, .n_conns = 1, .crypto_async = true, .crypto_max_jobs = 4 * WINDOW
	};
	unsigned started = 0;

	for (unsigned i = 0; i < n; i++) {
		char addr[32];

		snprintf(addr, sizeof(addr), "10.2.%u.%u", i / 200, i % 200 + 1);
		conn_fill(&ic[i], addr, "198.51.100.1", group);
	}
	conn_fill(&rc, "198.51.100.1", NULL, group);
	memset(sides, 0, sizeof(sides));
	if (ike_engine_new(&icfg, &sides[0].eng) || ike_engine_new(&rcfg, &sides[1].eng))
		fail("ike_engine_new");
	sides[0].next_spi = 0xd0000100;
	sides[1].next_spi = 0xc0000100;
	while (sides[0].established < n) {
		while (started < n && started - sides[0].established < WINDOW) {
			struct ike_event ev = { .type = IKE_EV_INITIATE };

			ev.u.conn = started++;
			feed(0, &ev);
		}
		run_ready();
		/* Nothing left to start (the window is full, or the last
		 * negotiations are out): sleep until a job is done, as
		 * natkeyd's loop sleeps in epoll_wait(); never spin. */
		if (sides[0].established < n &&
		    (started == n || started - sides[0].established >= WINDOW)) {
			struct pollfd pfd = { .fd = nkd_workers_fd(pool), .events = POLLIN };

			if (nkd_workers_out(pool) == 0)
				fail("stalled: no job out, no datagram, negotiations unfinished");
			if (poll(&pfd, 1, 5000) <= 0)
				fail("the workers did not answer within 5 s");
		}
	}
	for (int s = 0; s < 2; s++) {
		struct ike_status st;

		ike_engine_status(sides[s].eng, &st);
		if (st.ipsec_sas != n)
			fail("a negotiation did not complete");
		ike_engine_free(sides[s].eng);
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds per negotiation of the loop thread and of the workers. */
static double loop_cpu, job_cpu;

/* Negotiations per second of @n tunnels through a pool of @workers. */
static double round_rate(unsigned workers, uint16_t group, unsigned n)
{
	double t0, l0 = cpu_s(CLOCK_THREAD_CPUTIME_ID), p0 = cpu_s(CLOCK_PROCESS_CPUTIME_ID);

	if (nkd_workers_new(workers, 16 * WINDOW, &pool) < 0)
		fail("nkd_workers_new");
	t0 = now_s();
	for (unsigned done = 0; done < n; done += ENG_N)
		negotiate_pair(group, n - done < ENG_N ? n - done : ENG_N);
	t0 = now_s() - t0;
	nkd_workers_free(pool);
	pool = NULL;
	l0 = cpu_s(CLOCK_THREAD_CPUTIME_ID) - l0;
	p0 = cpu_s(CLOCK_PROCESS_CPUTIME_ID) - p0;
	loop_cpu = l0 / n;
	job_cpu = (p0 - l0) / n;
	return (double)n / t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(void)
{
	const bool short_run = getenv("BENCH_SHORT") && strcmp(getenv("BENCH_SHORT"), "0");
	unsigned rounds = short_run ? 3 : 7, n = short_run ? 60 : 500;
	uint16_t group = IKE_DH_MODP_2048;
	double r1[64], r2[64], m1, m2, load = -1, lc[64], jc[64], l, j, b1, b2;
	FILE *f;

	if (getenv("BENCH_ROUNDS"))
		rounds = (unsigned)atoi(getenv("BENCH_ROUNDS"));
	if (getenv("BENCH_N"))
		n = (unsigned)atoi(getenv("BENCH_N"));
	if (getenv("BENCH_GROUP"))
		group = (uint16_t)atoi(getenv("BENCH_GROUP"));
	if (rounds < 1 || rounds > 64 || n < 1)
		fail("BENCH_ROUNDS must be 1..64 and BENCH_N positive");
	f = fopen("/proc/loadavg", "r");
	if (f) {
		if (fscanf(f, "%lf", &load) != 1)
			load = -1;
		fclose(f);
	}
	round_rate(1, group, WINDOW); /* warm-up */
	for (unsigned r = 0; r < rounds; r++) {
		/* Interleaved, the order alternating: both see the same machine. */
		if (r % 2) {
			r2[r] = round_rate(2, group, n);
			r1[r] = round_rate(1, group, n);
		} else {
			r1[r] = round_rate(1, group, n);
			lc[r] = loop_cpu;
			jc[r] = job_cpu;
			r2[r] = round_rate(2, group, n);
		}
		if (r % 2) {
			lc[r] = loop_cpu;
			jc[r] = job_cpu;
		}
	}
	m1 = median(r1, rounds);
	m2 = median(r2, rounds);
	/* What an idle machine of 2 CPUs allows, from the CPU each side
	 * spent: 1 worker, loop and worker in parallel; 2 workers, the loop
	 * and the jobs share 2 CPUs (and 2 workers run the jobs). */
	l = median(lc, rounds);
	j = median(jc, rounds);
	b1 = 1 / (l > j ? l : j);
	b2 = 2 / (l + j);
	if (1 / l < b2)
		b2 = 1 / l;
	if (2 / j < b2)
		b2 = 2 / j;
	printf("BENCH handshake_workers group=%u nego_per_s_1w=%.1f nego_per_s_2w=%.1f "
	       "scaling=%.3f spread_1w=%.3f spread_2w=%.3f rounds=%u tunnels=%u cpus=%u "
	       "loadavg=%.2f loop_cpu_us=%.0f job_cpu_us=%.0f cpu_bound_scaling=%.3f\n",
	       group, m1, m2, m2 / m1, (r1[rounds - 1] - r1[0]) / 2 / m1,
	       (r2[rounds - 1] - r2[0]) / 2 / m2, rounds, n, nkd_workers_default(), load, l * 1e6,
	       j * 1e6, b2 / b1);
	return 0;
}
