// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leftupdown= (tools/natkeyd/natkeyd_updown.c): what a script is told as two
 * engines bring a tunnel up, rekey it, follow a NAT mapping change and tear
 * it down; the environment it gets; and the runner, with real /bin/sh
 * scripts: order per connection, never blocking, a timeout that kills.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ike/engine_status.h"
#include "tests/lib/engine_harness.h"
#include "tools/natkeyd/natkeyd_updown.h"

#define GW "198.51.100.1"
#define RW "203.0.113.5"

/* Compare an engine's SAs with @t, as the daemon does after an event. */
static size_t diff_of(struct peer *p, struct nkd_ud_track *t, struct nkd_ud_event *ev)
{
	static struct ike_sa_status ike[16];
	static struct ipsec_sa_status child[16];
	uint64_t now = sim_net_now(p->net);
	size_t n_ike = ike_status_ike_list(p->eng, now, ike, 16);
	size_t n_child = ike_status_ipsec_list(p->eng, now, child, 16);

	return nkd_updown_diff(t, ike, n_ike < 16 ? n_ike : 16, child, n_child < 16 ? n_child : 16,
			       ev, NKD_UD_EVENTS);
}

static const char *env_get(char **env, const char *key)
{
	size_t l = strlen(key);

	for (size_t i = 0; env[i]; i++)
		if (!strncmp(env[i], key, l) && env[i][l] == '=')
			return env[i] + l + 1;
	return NULL;
}

/* Up, rekey (not a down and an up), expiry (down), as the gateway's script
 * sees them, with the variables strongSwan and Libreswan scripts read. */
START_TEST(test_diff_lifecycle)
{
	struct sim_net *net = sim_net_new(5, 5);
	struct ike_conn_cfg gwc, rwc;
	struct ike_engine_cfg gcfg = { .conns = &gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &rwc, .n_conns = 1 };
	struct peer gw, rw;
	struct nkd_ud_track *t = calloc(1, sizeof(*t));
	struct nkd_ud_event ev[NKD_UD_EVENTS];
	char buf[NKD_UD_ENV_BUF], verb[24], *env[NKD_UD_ENV_MAX];
	size_t n, ups = 0, rekeys = 0, downs = 0;

	conn_psk(&gwc, "gw-rw", GW, RW, "k");
	conn_psk(&rwc, "rw-gw", RW, GW, "k");
	gwc.local_ts.addr.family = XK_AF_INET; /* leftsubnet=10.9.0.0/24 */
	gwc.local_ts.addr.bytes[0] = 10;
	gwc.local_ts.addr.bytes[1] = 9;
	gwc.local_ts.plen = 24;
	rwc.remote_ts = gwc.local_ts;
	gwc.ipsec_lifetime_s = rwc.ipsec_lifetime_s = 120;
	rwc.rekey_margin_s = gwc.rekey_margin_s = 30;
	peer_init(&gw, "gw", net, GW, false, &gcfg);
	peer_init(&rw, "rw", net, RW, false, &rcfg);
	ck_assert_uint_eq(diff_of(&gw, t, ev), 0);
	peer_initiate(&rw, 0);
	sim_net_run(net, 1000, 100000);
	n = diff_of(&gw, t, ev);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ev[0].verb, NKD_UD_UP);
	ck_assert_str_eq(nkd_updown_verb(&ev[0], verb, sizeof(verb)), "up-host");
	ck_assert_int_ge(nkd_updown_env(&ev[0], "gw-rw", "@gw.example", buf, sizeof(buf), env,
					NKD_UD_ENV_MAX),
			 20);
	ck_assert_str_eq(env_get(env, "PLUTO_VERB"), "up-host");
	ck_assert_str_eq(env_get(env, "PLUTO_CONNECTION"), "gw-rw");
	ck_assert_str_eq(env_get(env, "PLUTO_ME"), GW);
	ck_assert_str_eq(env_get(env, "PLUTO_PEER"), RW);
	ck_assert_str_eq(env_get(env, "PLUTO_MY_ID"), "@gw.example");
	ck_assert_str_eq(env_get(env, "PLUTO_PEER_ID"), RW);
	ck_assert_str_eq(env_get(env, "PLUTO_MY_CLIENT"), "10.9.0.0/24");
	ck_assert_str_eq(env_get(env, "PLUTO_MY_CLIENT_NET"), "10.9.0.0");
	ck_assert_str_eq(env_get(env, "PLUTO_MY_CLIENT_MASK"), "255.255.255.0");
	ck_assert_str_eq(env_get(env, "PLUTO_PEER_CLIENT"), RW "/32");
	ck_assert_str_eq(env_get(env, "PLUTO_PEER_CLIENT_MASK"), "255.255.255.255");
	ck_assert_str_eq(env_get(env, "PLUTO_PROTO"), "esp");
	ck_assert_str_eq(env_get(env, "PLUTO_VERSION"), "2.0");
	ck_assert_str_eq(env_get(env, "NATKEYD_NAT"), "none");
	ck_assert_ptr_nonnull(env_get(env, "SPI_IN"));
	ck_assert_ptr_nonnull(env_get(env, "PLUTO_REQID"));
	ck_assert_ptr_null(env_get(env, "PLUTO_UDP_ENC"));
	ck_assert_ptr_null(env_get(env, "PLUTO_MY_SOURCEIP")); /* no Mode Config here */
	ck_assert_ptr_null(env_get(env, "PLUTO_PEER_DNS_INFO"));
	ck_assert_uint_eq(diff_of(&gw, t, ev), 0); /* told once */
	/* 200 s: rekeys and, after the last one, nothing but rekeys. */
	for (uint64_t now = 2000; now <= 200000; now += 1000) {
		sim_net_run(net, now, 100000);
		n = diff_of(&gw, t, ev);
		for (size_t i = 0; i < n; i++) {
			ups += ev[i].verb == NKD_UD_UP;
			rekeys += ev[i].verb == NKD_UD_REKEY;
			downs += ev[i].verb == NKD_UD_DOWN;
			if (ev[i].verb == NKD_UD_REKEY) {
				ck_assert_uint_ne(ev[i].old_spi_in, ev[i].sa.spi_in);
				ck_assert_str_eq(nkd_updown_verb(&ev[i], verb, sizeof(verb)),
						 "rekey-host");
			}
		}
	}
	ck_assert_uint_eq(ups, 0);
	ck_assert_uint_eq(downs, 0);
	ck_assert_uint_ge(rekeys, 1);
	ck_assert_uint_eq(t->n, 1);
	/* The road warrior goes: Delete, the gateway's script hears "down". */
	{
		struct ike_event e = { .type = IKE_EV_TERMINATE, .u.conn = 0 };

		peer_event(&rw, &e);
	}
	sim_net_run(net, 203000, 100000);
	n = diff_of(&gw, t, ev);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ev[0].verb, NKD_UD_DOWN);
	ck_assert_str_eq(nkd_updown_verb(&ev[0], verb, sizeof(verb)), "down-host");
	ck_assert_uint_eq(t->n, 0);
	peer_free(&gw);
	peer_free(&rw);
	sim_net_free(net);
	free(t);
}
END_TEST

static struct ipsec_sa_status sa_at(uint32_t serial, const char *peer, uint16_t port)
{
	struct ipsec_sa_status s;
	struct sockaddr_in *in = (struct sockaddr_in *)&s.remote;

	memset(&s, 0, sizeof(s));
	s.serial = serial;
	s.installed = true;
	s.spi_in = 0x1000 + serial;
	s.spi_out = 0x2000 + serial;
	s.local_ts.addr.family = XK_AF_INET;
	s.local_ts.addr.bytes[0] = 10;
	s.local_ts.plen = 8;
	s.remote_ts.addr.family = XK_AF_INET;
	s.remote_ts.addr.bytes[0] = 192;
	s.remote_ts.addr.bytes[1] = 168;
	s.remote_ts.plen = 32;
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	inet_pton(AF_INET, peer, &in->sin_addr);
	s.local.ss_family = AF_INET;
	s.udp_encap = true;
	s.mode = XK_MODE_TUNNEL;
	return s;
}

/* A NAT mapping change (same SA, new port) is "update" with the old
 * endpoint; two road warriors behind one NAT with the same inner address
 * are two tunnels (two ups), not a rekey of one another. */
/* A Mode Config client's script: its virtual IP and the DNS servers the
 * gateway gave, with Libreswan's names (natkeyd writes no resolv.conf). */
START_TEST(test_env_modecfg_client)
{
	struct nkd_ud_event e;
	char buf[NKD_UD_ENV_BUF], *env[NKD_UD_ENV_MAX];
	struct sockaddr_in *l = (struct sockaddr_in *)&e.sa.local;
	struct sockaddr_in *r = (struct sockaddr_in *)&e.sa.remote;

	memset(&e, 0, sizeof(e));
	e.verb = NKD_UD_UP;
	l->sin_family = r->sin_family = AF_INET;
	inet_pton(AF_INET, RW, &l->sin_addr);
	inet_pton(AF_INET, GW, &r->sin_addr);
	e.sa.udp_encap = true;
	e.sa.vip.family = XK_AF_INET;
	inet_pton(AF_INET, "10.3.0.7", e.sa.vip.bytes);
	e.sa.n_dns = 2;
	e.sa.dns[0].family = e.sa.dns[1].family = XK_AF_INET;
	inet_pton(AF_INET, "10.9.0.53", e.sa.dns[0].bytes);
	inet_pton(AF_INET, "10.9.0.54", e.sa.dns[1].bytes);
	ck_assert_int_ge(nkd_updown_env(&e, "corp", "", buf, sizeof(buf), env, NKD_UD_ENV_MAX), 20);
	ck_assert_str_eq(env_get(env, "PLUTO_MY_SOURCEIP"), "10.3.0.7");
	ck_assert_str_eq(env_get(env, "PLUTO_MY_SOURCEIP4"), "10.3.0.7");
	ck_assert_str_eq(env_get(env, "PLUTO_PEER_DNS_INFO"), "10.9.0.53 10.9.0.54");
	ck_assert_str_eq(env_get(env, "PLUTO_CISCO_DNS_INFO"), "10.9.0.53 10.9.0.54");
	ck_assert_str_eq(env_get(env, "PLUTO_PEER"), GW);
}
END_TEST

START_TEST(test_diff_update_and_two_rw)
{
	struct nkd_ud_track *t = calloc(1, sizeof(*t));
	struct nkd_ud_event ev[NKD_UD_EVENTS];
	struct ipsec_sa_status cur[2];
	char buf[NKD_UD_ENV_BUF], *env[NKD_UD_ENV_MAX];

	cur[0] = sa_at(1, "198.51.100.7", 4500);
	ck_assert_uint_eq(nkd_updown_diff(t, NULL, 0, cur, 1, ev, NKD_UD_EVENTS), 1);
	cur[0] = sa_at(1, "198.51.100.7", 31337);
	ck_assert_uint_eq(nkd_updown_diff(t, NULL, 0, cur, 1, ev, NKD_UD_EVENTS), 1);
	ck_assert_int_eq(ev[0].verb, NKD_UD_UPDATE);
	ck_assert_int_ge(nkd_updown_env(&ev[0], "gw", "", buf, sizeof(buf), env, NKD_UD_ENV_MAX),
			 20);
	ck_assert_str_eq(env_get(env, "PLUTO_VERB"), "update-client");
	ck_assert_str_eq(env_get(env, "NATKEYD_PEER_PORT"), "31337");
	ck_assert_str_eq(env_get(env, "NATKEYD_OLD_PEER"), "198.51.100.7");
	ck_assert_str_eq(env_get(env, "NATKEYD_OLD_PEER_PORT"), "4500");
	ck_assert_str_eq(env_get(env, "PLUTO_UDP_ENC"), "31337");
	ck_assert_str_eq(env_get(env, "PLUTO_PEER_CLIENT"), "192.168.0.0/32");
	/* A second road warrior behind the same NAT, same inner address. */
	cur[1] = sa_at(2, "198.51.100.7", 4501);
	ck_assert_uint_eq(nkd_updown_diff(t, NULL, 0, cur, 2, ev, NKD_UD_EVENTS), 1);
	ck_assert_int_eq(ev[0].verb, NKD_UD_UP);
	ck_assert_uint_eq(t->n, 2);
	/* The first one goes: down for it only. */
	ck_assert_uint_eq(nkd_updown_diff(t, NULL, 0, &cur[1], 1, ev, NKD_UD_EVENTS), 1);
	ck_assert_int_eq(ev[0].verb, NKD_UD_DOWN);
	ck_assert_uint_eq(ev[0].sa.serial, 1);
	/* Rekey and old SA gone in one step: one rekey, no down. */
	cur[0] = sa_at(3, "198.51.100.7", 4501);
	ck_assert_uint_eq(nkd_updown_diff(t, NULL, 0, cur, 1, ev, NKD_UD_EVENTS), 1);
	ck_assert_int_eq(ev[0].verb, NKD_UD_REKEY);
	ck_assert_uint_eq(ev[0].old_spi_in, 0x1002);
	/* Everything gone (the engine freed): down. */
	ck_assert_uint_eq(nkd_updown_diff(t, NULL, 0, NULL, 0, ev, NKD_UD_EVENTS), 1);
	ck_assert_int_eq(ev[0].verb, NKD_UD_DOWN);
	ck_assert_uint_eq(ev[0].sa.serial, 3);
	free(t);
}
END_TEST

/* ---- the runner, with real scripts ---- */

struct reports {
	unsigned n;
	char verbs[8][40];
	int status[8];
	char why[8][64];
};

static void record(void *arg, const struct nkd_ud_job *j, int status, const char *why)
{
	struct reports *r = arg;

	if (r->n < 8) {
		snprintf(r->verbs[r->n], sizeof(r->verbs[0]), "%s", j->verb);
		r->status[r->n] = status;
		snprintf(r->why[r->n], sizeof(r->why[0]), "%s", why ? why : "");
	}
	r->n++;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Reap until nothing runs or @max_ms passed, as the daemon does on SIGCHLD. */
static void settle(struct nkd_ud_runner *r, uint64_t max_ms)
{
	uint64_t until = now_ms() + max_ms;

	while (nkd_ud_busy(r) && now_ms() < until) {
		struct timespec ts = { 0, 10 * 1000000L };

		nkd_ud_reap(r, now_ms());
		nkd_ud_expire(r, now_ms());
		nanosleep(&ts, NULL);
	}
}

static char *read_all(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

START_TEST(test_runner_env_and_order)
{
	struct nkd_ud_runner r;
	struct reports rep = { 0 };
	char dir[] = "/tmp/natkeyd-updown-XXXXXX", cmd[1024], out[600];
	char *env1[] = { "PLUTO_VERB=up-client", "PLUTO_PEER=192.0.2.9", NULL };
	char *env2[] = { "PLUTO_VERB=down-client", "PLUTO_PEER=192.0.2.9", NULL };
	uint64_t t0;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(out, sizeof(out), "%s/log", dir);
	nkd_ud_runner_init(&r, 5000, record, &rep);
	/* The first script is slow: the second (same conn) must wait for it. */
	snprintf(cmd, sizeof(cmd), "sleep 0.3; echo \"$PLUTO_VERB $PLUTO_PEER $0\" >> %s", out);
	t0 = now_ms();
	ck_assert_int_eq(nkd_ud_submit(&r, "gw", cmd, "up-client", env1, now_ms()), 0);
	snprintf(cmd, sizeof(cmd), "echo \"$PLUTO_VERB $PLUTO_PEER\" >> %s; exit 3", out);
	ck_assert_int_eq(nkd_ud_submit(&r, "gw", cmd, "down-client", env2, now_ms()), 0);
	ck_assert_uint_lt(now_ms() - t0, 200); /* submitting never waits */
	ck_assert_uint_eq(nkd_ud_busy(&r), 2);
	settle(&r, 5000);
	ck_assert_uint_eq(nkd_ud_busy(&r), 0);
	ck_assert_str_eq(read_all(out), "up-client 192.0.2.9 /bin/sh\ndown-client 192.0.2.9\n");
	ck_assert_uint_eq(rep.n, 2);
	ck_assert_str_eq(rep.verbs[0], "up-client");
	ck_assert(WIFEXITED(rep.status[0]) && WEXITSTATUS(rep.status[0]) == 0);
	ck_assert(WIFEXITED(rep.status[1]) && WEXITSTATUS(rep.status[1]) == 3);
	unlink(out);
	rmdir(dir);
}
END_TEST

/* A script that hangs is killed (with what it started) at its deadline,
 * and other connections' scripts run meanwhile. */
START_TEST(test_runner_timeout)
{
	struct nkd_ud_runner r;
	struct reports rep = { 0 };
	char *env[] = { "PLUTO_VERB=up-client", NULL };
	uint64_t t0 = now_ms();

	nkd_ud_runner_init(&r, 300, record, &rep);
	ck_assert_int_eq(nkd_ud_submit(&r, "slow", "sleep 30 & sleep 30", "up-client", env, t0), 0);
	ck_assert_int_eq(nkd_ud_submit(&r, "fast", "exit 0", "up-client", env, t0), 0);
	ck_assert_uint_le(nkd_ud_next_deadline(&r), t0 + 300 + 50);
	settle(&r, 5000);
	ck_assert_uint_eq(nkd_ud_busy(&r), 0);
	ck_assert_uint_lt(now_ms() - t0, 3000);
	ck_assert_uint_eq(rep.n, 2);
	/* fast finished first, slow was killed. */
	ck_assert_str_eq(rep.why[0], "");
	ck_assert_str_eq(rep.why[1], "timed out, killed");
	ck_assert(WIFSIGNALED(rep.status[1]));
}
END_TEST

/* leftfirewall=yes: strongSwan's two FORWARD rules per tunnel, inserted on
 * up-client, deleted on down-client, nothing for hosts; a fake iptables in
 * the PATH the environment gives records the calls. */
START_TEST(test_firewall_cmd)
{
	struct nkd_ud_runner r;
	struct reports rep = { 0 };
	char dir[] = "/tmp/natkeyd-fw-XXXXXX", path[700], fake[700], log[700];
	char *env[8];
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(log, sizeof(log), "%s/calls", dir);
	for (int v6 = 0; v6 < 2; v6++) {
		snprintf(fake, sizeof(fake), "%s/%s", dir, v6 ? "ip6tables" : "iptables");
		f = fopen(fake, "w");
		ck_assert_ptr_nonnull(f);
		fprintf(f, "#!/bin/sh\necho \"$(basename \"$0\") $*\" >> %s\n", log);
		fclose(f);
		ck_assert_int_eq(chmod(fake, 0755), 0);
	}
	snprintf(path, sizeof(path), "PATH=%s:/usr/bin:/bin", dir);
	env[0] = path;
	env[1] = "PLUTO_PEER_CLIENT=10.1.0.2/32";
	env[2] = "PLUTO_MY_CLIENT=10.9.0.0/24";
	env[3] = "PLUTO_REQID=7";
	env[4] = "PLUTO_CONNECTION=rw";
	env[6] = NULL;
	nkd_ud_runner_init(&r, 5000, record, &rep);
	env[5] = "PLUTO_VERB=up-client";
	ck_assert_int_eq(nkd_ud_submit(&r, "rw", nkd_updown_firewall_cmd, "fw", env, now_ms()), 0);
	env[5] = "PLUTO_VERB=rekey-client";
	ck_assert_int_eq(nkd_ud_submit(&r, "rw", nkd_updown_firewall_cmd, "fw", env, now_ms()), 0);
	env[5] = "PLUTO_VERB=up-host";
	ck_assert_int_eq(nkd_ud_submit(&r, "rw", nkd_updown_firewall_cmd, "fw", env, now_ms()), 0);
	env[5] = "PLUTO_VERB=down-client";
	ck_assert_int_eq(nkd_ud_submit(&r, "rw", nkd_updown_firewall_cmd, "fw", env, now_ms()), 0);
	env[1] = "PLUTO_PEER_CLIENT=2001:db8:1::2/128";
	env[2] = "PLUTO_MY_CLIENT=2001:db8:9::/64";
	env[5] = "PLUTO_VERB=up-client-v6";
	ck_assert_int_eq(nkd_ud_submit(&r, "rw", nkd_updown_firewall_cmd, "fw", env, now_ms()), 0);
	settle(&r, 10000);
	ck_assert_uint_eq(rep.n, 5);
	for (unsigned i = 0; i < 5; i++)
		ck_assert_msg(WIFEXITED(rep.status[i]) && WEXITSTATUS(rep.status[i]) == 0,
			      "call %u failed", i);
	ck_assert_str_eq(
		read_all(log),
		"iptables -I FORWARD 1 -s 10.1.0.2/32 -d 10.9.0.0/24 -m policy --dir in --pol ipsec --reqid 7 --proto esp -m comment --comment natkeyd rw -j ACCEPT\n"
		"iptables -I FORWARD 1 -s 10.9.0.0/24 -d 10.1.0.2/32 -m policy --dir out --pol ipsec --reqid 7 --proto esp -m comment --comment natkeyd rw -j ACCEPT\n"
		"iptables -D FORWARD -s 10.1.0.2/32 -d 10.9.0.0/24 -m policy --dir in --pol ipsec --reqid 7 --proto esp -m comment --comment natkeyd rw -j ACCEPT\n"
		"iptables -D FORWARD -s 10.9.0.0/24 -d 10.1.0.2/32 -m policy --dir out --pol ipsec --reqid 7 --proto esp -m comment --comment natkeyd rw -j ACCEPT\n"
		"ip6tables -I FORWARD 1 -s 2001:db8:1::2/128 -d 2001:db8:9::/64 -m policy --dir in --pol ipsec --reqid 7 --proto esp -m comment --comment natkeyd rw -j ACCEPT\n"
		"ip6tables -I FORWARD 1 -s 2001:db8:9::/64 -d 2001:db8:1::2/128 -m policy --dir out --pol ipsec --reqid 7 --proto esp -m comment --comment natkeyd rw -j ACCEPT\n");
	unlink(log);
	snprintf(fake, sizeof(fake), "%s/iptables", dir);
	unlink(fake);
	snprintf(fake, sizeof(fake), "%s/ip6tables", dir);
	unlink(fake);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("updown");
	TCase *tc = tcase_create("updown");
	SRunner *sr;
	int failed;

	/* The daemon blocks SIGCHLD for its signalfd; so does this test, as
	 * scripts must not inherit the mask. */
	sigset_t m;

	sigemptyset(&m);
	sigaddset(&m, SIGCHLD);
	sigprocmask(SIG_BLOCK, &m, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_diff_lifecycle);
	tcase_add_test(tc, test_diff_update_and_two_rw);
	tcase_add_test(tc, test_env_modecfg_client);
	tcase_add_test(tc, test_runner_env_and_order);
	tcase_add_test(tc, test_runner_timeout);
	tcase_add_test(tc, test_firewall_cmd);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
