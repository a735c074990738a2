// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leftupdown= scripts: what to tell them (a diff of IPsec SAs), their
 * environment, and a runner that never blocks the event loop.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* posix_spawn_file_actions_addclosefrom_np (glibc 2.34) */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tools/natkeyd/natkeyd_glue.h"
#include "tools/natkeyd/natkeyd_updown.h"

/* ---- what to tell ---- */

static bool ts_same(const struct ike_ts *a, const struct ike_ts *b)
{
	return a->addr.family == b->addr.family && a->plen == b->plen && a->proto == b->proto &&
	       a->port == b->port && !memcmp(a->addr.bytes, b->addr.bytes, sizeof(a->addr.bytes));
}

static bool ss_same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	return nkd_sockaddr_same_addr(a, b);
}

static bool ss_same(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	return ss_same_addr(a, b) && nkd_sockaddr_port(a) == nkd_sockaddr_port(b);
}

/* Two road warriors behind one NAT share the address (and may claim the
 * same inner address): the same selectors and the same peer address and
 * port are "the same tunnel". A mapping change is announced (and the
 * endpoint updated) before the SA's rekey can use the new port. */
static bool same_tunnel(const struct nkd_ud_sa *a, const struct ipsec_sa_status *c)
{
	return ts_same(&a->local_ts, &c->local_ts) && ts_same(&a->remote_ts, &c->remote_ts) &&
	       ss_same(&a->remote, &c->remote);
}

static bool counts(const struct ipsec_sa_status *c)
{
	return c->installed && !c->replaced;
}

static void sa_fill(struct nkd_ud_sa *s, const struct ipsec_sa_status *c,
		    const struct ike_sa_status *ike, size_t n_ike)
{
	memset(s, 0, sizeof(*s));
	s->serial = c->serial;
	s->ike_serial = c->ike_serial;
	s->local_ts = c->local_ts;
	s->remote_ts = c->remote_ts;
	s->local = c->local;
	s->remote = c->remote;
	s->spi_in = c->spi_in;
	s->spi_out = c->spi_out;
	s->reqid = c->reqid;
	s->udp_encap = c->udp_encap;
	s->mode = c->mode;
	/* The IKE SA that negotiated it, else one with the same peer. */
	for (size_t i = 0; i < n_ike; i++) {
		const struct ike_sa_status *k = &ike[i];

		if (k->serial != c->ike_serial &&
		    !(k->established && ss_same(&k->remote, &c->remote)))
			continue;
		if (k->peer_id.type)
			ike_status_id_format(&k->peer_id, s->peer_id, sizeof(s->peer_id));
		s->local_nat = k->local_behind_nat;
		s->peer_nat = k->peer_behind_nat;
		s->vip = k->virtual_ip;
		s->n_dns = k->n_dns;
		memcpy(s->dns, k->dns, sizeof(s->dns));
		if (k->serial == c->ike_serial)
			break;
	}
}

static bool emit(struct nkd_ud_event *ev, size_t max, size_t *n, enum nkd_ud_verb verb,
		 const struct nkd_ud_sa *sa)
{
	if (*n == max)
		return false;
	memset(&ev[*n], 0, sizeof(ev[*n]));
	ev[*n].verb = verb;
	ev[*n].sa = *sa;
	(*n)++;
	return true;
}

size_t nkd_updown_diff(struct nkd_ud_track *t, const struct ike_sa_status *ike, size_t n_ike,
		       const struct ipsec_sa_status *cur, size_t n_cur, struct nkd_ud_event *ev,
		       size_t max)
{
	size_t n = 0, i, k;

	/* Gone: down, unless a newer SA of the same tunnel is installed (it
	 * is announced below as the rekey of this one). */
	for (i = 0; i < t->n;) {
		bool present = false, successor = false;

		for (k = 0; k < n_cur; k++) {
			if (!counts(&cur[k]))
				continue;
			if (cur[k].serial == t->v[i].serial)
				present = true;
			else if (cur[k].serial > t->v[i].serial && same_tunnel(&t->v[i], &cur[k]))
				successor = true;
		}
		if (present) {
			i++;
			continue;
		}
		if (successor) {
			/* Keep it as the one the successor replaces. */
			i++;
			continue;
		}
		if (!emit(ev, max, &n, NKD_UD_DOWN, &t->v[i]))
			return n;
		t->v[i] = t->v[--t->n];
	}
	/* New: rekey of a known tunnel, or up. */
	for (k = 0; k < n_cur; k++) {
		struct nkd_ud_sa s;
		bool known = false;
		size_t old = t->n;

		if (!counts(&cur[k]))
			continue;
		for (i = 0; i < t->n; i++) {
			if (t->v[i].serial == cur[k].serial)
				known = true;
			else if (old == t->n && same_tunnel(&t->v[i], &cur[k]) &&
				 t->v[i].serial < cur[k].serial)
				old = i;
		}
		if (known)
			continue;
		sa_fill(&s, &cur[k], ike, n_ike);
		if (old < t->n) {
			if (n == max)
				return n;
			memset(&ev[n], 0, sizeof(ev[n]));
			ev[n].verb = NKD_UD_REKEY;
			ev[n].sa = s;
			ev[n].old_spi_in = t->v[old].spi_in;
			ev[n].old_spi_out = t->v[old].spi_out;
			n++;
			t->v[old] = s;
			continue;
		}
		if (t->n == NKD_UD_TRACK)
			continue; /* told nothing, so it never hears "down" either */
		if (!emit(ev, max, &n, NKD_UD_UP, &s))
			return n;
		t->v[t->n++] = s;
	}
	/* Moved: the peer's NAT mapping changed (RFC 3947 s7; the engine
	 * followed authenticated traffic only). */
	for (i = 0; i < t->n; i++)
		for (k = 0; k < n_cur; k++) {
			struct nkd_ud_sa s;

			if (cur[k].serial != t->v[i].serial ||
			    ss_same(&cur[k].remote, &t->v[i].remote))
				continue;
			if (n == max)
				return n;
			sa_fill(&s, &cur[k], ike, n_ike);
			memset(&ev[n], 0, sizeof(ev[n]));
			ev[n].verb = NKD_UD_UPDATE;
			ev[n].sa = s;
			ev[n].old_remote = t->v[i].remote;
			n++;
			t->v[i] = s;
		}
	return n;
}

/* ---- environment ---- */

/* "-host" when the selector is the end's own address (strongSwan's rule). */
static bool is_host(const struct ike_ts *ts, const struct sockaddr_storage *end)
{
	struct xk_addr a;
	unsigned full = ts->addr.family == XK_AF_INET6 ? 128 : 32;

	nkd_xk_addr_from_sockaddr(end, &a);
	return ts->plen == full && a.family == ts->addr.family &&
	       !memcmp(a.bytes, ts->addr.bytes, full / 8);
}

const char *nkd_updown_verb(const struct nkd_ud_event *e, char *buf, size_t len)
{
	static const char *const verbs[] = {
		[NKD_UD_UP] = "up",
		[NKD_UD_DOWN] = "down",
		[NKD_UD_REKEY] = "rekey",
		[NKD_UD_UPDATE] = "update",
	};
	bool host = e->sa.mode == XK_MODE_TRANSPORT || is_host(&e->sa.remote_ts, &e->sa.remote);
	bool v6 = e->sa.remote.ss_family == AF_INET6;

	snprintf(buf, len, "%s-%s%s", verbs[e->verb], host ? "host" : "client", v6 ? "-v6" : "");
	return buf;
}

struct env_out {
	char *buf;
	size_t len, off;
	char **envp;
	size_t max, n;
	bool full;
};

static void env_add(struct env_out *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void env_add(struct env_out *o, const char *key, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (o->full || o->n + 1 >= o->max || o->off >= o->len) {
		o->full = true;
		return;
	}
	w = snprintf(o->buf + o->off, o->len - o->off, "%s=", key);
	if (w < 0 || (size_t)w >= o->len - o->off) {
		o->full = true;
		return;
	}
	va_start(ap, fmt);
	int v = vsnprintf(o->buf + o->off + (size_t)w, o->len - o->off - (size_t)w, fmt, ap);
	va_end(ap);
	if (v < 0 || (size_t)(w + v) >= o->len - o->off) {
		o->full = true;
		return;
	}
	o->envp[o->n++] = o->buf + o->off;
	o->off += (size_t)(w + v) + 1;
}

static const char *mask_text(const struct ike_ts *ts, char *buf, size_t len)
{
	struct xk_addr m;
	unsigned bytes = ts->addr.family == XK_AF_INET6 ? 16 : 4;

	memset(&m, 0, sizeof(m));
	m.family = ts->addr.family;
	for (unsigned i = 0; i < bytes * 8 && i < ts->plen; i++)
		m.bytes[i / 8] |= (uint8_t)(0x80u >> (i % 8));
	return nkd_xk_addr_to_text(&m, buf, len);
}

/* The strongSwan/Libreswan variables of one end's traffic selector. */
static void env_client(struct env_out *o, const char *side, const struct ike_ts *ts)
{
	char a[INET6_ADDRSTRLEN], m[INET6_ADDRSTRLEN], key[40];

	nkd_xk_addr_to_text(&ts->addr, a, sizeof(a));
	snprintf(key, sizeof(key), "PLUTO_%s_CLIENT", side);
	env_add(o, key, "%s/%u", a, ts->plen);
	snprintf(key, sizeof(key), "PLUTO_%s_CLIENT_NET", side);
	env_add(o, key, "%s", a);
	snprintf(key, sizeof(key), "PLUTO_%s_CLIENT_MASK", side);
	env_add(o, key, "%s", mask_text(ts, m, sizeof(m)));
	snprintf(key, sizeof(key), "PLUTO_%s_PORT", side);
	env_add(o, key, "%u", ts->port);
	snprintf(key, sizeof(key), "PLUTO_%s_PROTOCOL", side);
	env_add(o, key, "%u", ts->proto);
}

int nkd_updown_env(const struct nkd_ud_event *e, const char *conn, const char *my_id, char *buf,
		   size_t len, char **envp, size_t max)
{
	struct env_out o = { buf, len, 0, envp, max, 0, false };
	char verb[24], me[INET6_ADDRSTRLEN], peer[INET6_ADDRSTRLEN];
	const struct nkd_ud_sa *s = &e->sa;
	const char *nat = s->local_nat && s->peer_nat ? "both"
			  : s->local_nat	      ? "local"
			  : s->peer_nat		      ? "peer"
						      : "none";

	nkd_sockaddr_to_text(&s->local, me, sizeof(me));
	nkd_sockaddr_to_text(&s->remote, peer, sizeof(peer));
	env_add(&o, "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	env_add(&o, "PLUTO_VERSION", "2.0");
	env_add(&o, "PLUTO_VERB", "%s", nkd_updown_verb(e, verb, sizeof(verb)));
	env_add(&o, "PLUTO_CONNECTION", "%s", conn);
	env_add(&o, "PLUTO_UNIQUEID", "%u", s->ike_serial);
	env_add(&o, "PLUTO_REQID", "%u", s->reqid);
	env_add(&o, "PLUTO_SA_REQID", "%u", s->reqid);
	env_add(&o, "PLUTO_PROTO", "esp");
	env_add(&o, "PLUTO_SA_TYPE", "ESP");
	env_add(&o, "PLUTO_ME", "%s", me);
	env_add(&o, "PLUTO_MY_ID", "%s", my_id && *my_id ? my_id : me);
	env_client(&o, "MY", &s->local_ts);
	env_add(&o, "PLUTO_PEER", "%s", peer);
	env_add(&o, "PLUTO_PEER_ID", "%s", s->peer_id[0] ? s->peer_id : peer);
	env_client(&o, "PEER", &s->remote_ts);
	env_add(&o, "PLUTO_MODE", "%s", s->mode == XK_MODE_TRANSPORT ? "transport" : "tunnel");
	env_add(&o, "SPI_IN", "0x%08x", s->spi_in);
	env_add(&o, "SPI_OUT", "0x%08x", s->spi_out);
	if (s->udp_encap)
		env_add(&o, "PLUTO_UDP_ENC", "%u", nkd_sockaddr_port(&s->remote));
	/* natkeyd's own: the outer ports and what NAT-D found. */
	env_add(&o, "NATKEYD_MY_PORT", "%u", nkd_sockaddr_port(&s->local));
	env_add(&o, "NATKEYD_PEER_PORT", "%u", nkd_sockaddr_port(&s->remote));
	env_add(&o, "NATKEYD_NAT", "%s", nat);
	if (s->vip.family) {
		char v[INET6_ADDRSTRLEN];

		nkd_xk_addr_to_text(&s->vip, v, sizeof(v));
		env_add(&o, "PLUTO_MY_SOURCEIP", "%s", v);
		env_add(&o,
			s->vip.family == XK_AF_INET ? "PLUTO_MY_SOURCEIP4" : "PLUTO_MY_SOURCEIP6",
			"%s", v);
	}
	if (s->n_dns) {
		/* Libreswan's names (space-separated); natkeyd writes no resolv.conf. */
		char dns[IKE_MODECFG_DNS_MAX * (INET6_ADDRSTRLEN + 1)], v[INET6_ADDRSTRLEN];
		size_t off = 0;

		dns[0] = '\0';
		for (unsigned i = 0; i < s->n_dns && i < IKE_MODECFG_DNS_MAX; i++)
			off += (size_t)snprintf(dns + off, sizeof(dns) - off, "%s%s", i ? " " : "",
						nkd_xk_addr_to_text(&s->dns[i], v, sizeof(v)));
		env_add(&o, "PLUTO_PEER_DNS_INFO", "%s", dns);
		env_add(&o, "PLUTO_CISCO_DNS_INFO", "%s", dns);
	}
	if (e->verb == NKD_UD_UPDATE) {
		char old[INET6_ADDRSTRLEN];

		nkd_sockaddr_to_text(&e->old_remote, old, sizeof(old));
		env_add(&o, "NATKEYD_OLD_PEER", "%s", old);
		env_add(&o, "NATKEYD_OLD_PEER_PORT", "%u", nkd_sockaddr_port(&e->old_remote));
	}
	if (e->verb == NKD_UD_REKEY) {
		env_add(&o, "NATKEYD_OLD_SPI_IN", "0x%08x", e->old_spi_in);
		env_add(&o, "NATKEYD_OLD_SPI_OUT", "0x%08x", e->old_spi_out);
	}
	if (o.full)
		return -ENOSPC;
	envp[o.n] = NULL;
	return (int)o.n;
}

const char nkd_updown_firewall_cmd[] =
	"case \"$PLUTO_VERB\" in up-client*) op='-I FORWARD 1' ;; down-client*) op='-D FORWARD' ;; "
	"*) exit 0 ;; esac; "
	"ipt=iptables; case \"$PLUTO_PEER_CLIENT\" in *:*) ipt=ip6tables ;; esac; "
	"$ipt $op -s \"$PLUTO_PEER_CLIENT\" -d \"$PLUTO_MY_CLIENT\" -m policy --dir in --pol ipsec "
	"--reqid \"$PLUTO_REQID\" --proto esp -m comment --comment \"natkeyd $PLUTO_CONNECTION\" "
	"-j ACCEPT && "
	"$ipt $op -s \"$PLUTO_MY_CLIENT\" -d \"$PLUTO_PEER_CLIENT\" -m policy --dir out --pol ipsec "
	"--reqid \"$PLUTO_REQID\" --proto esp -m comment --comment \"natkeyd $PLUTO_CONNECTION\" "
	"-j ACCEPT";

/* ---- the runner ---- */

void nkd_ud_runner_init(struct nkd_ud_runner *r, uint32_t timeout_ms, nkd_ud_report report,
			void *arg)
{
	memset(r, 0, sizeof(*r));
	r->timeout_ms = timeout_ms ? timeout_ms : NKD_UD_TIMEOUT_MS;
	r->shell = "/bin/sh";
	r->report = report;
	r->arg = arg;
}

static bool key_running(const struct nkd_ud_runner *r, const char *key)
{
	for (size_t i = 0; i < NKD_UD_RUNNING; i++)
		if (r->run[i] && !strcmp(r->run[i]->key, key))
			return true;
	return false;
}

static int free_slot(const struct nkd_ud_runner *r)
{
	for (int i = 0; i < NKD_UD_RUNNING; i++)
		if (!r->run[i])
			return i;
	return -1;
}

static void finish(struct nkd_ud_runner *r, struct nkd_ud_job *j, int status, const char *why)
{
	if (r->report)
		r->report(r->arg, j, status, why);
	free(j);
}

/* posix_spawn (vfork-like: no copy of the daemon's memory) of the shell, in
 * its own process group so a timeout kills whatever the script started. */
static int spawn(struct nkd_ud_runner *r, struct nkd_ud_job *j, uint64_t now)
{
	char *argv[] = { (char *)r->shell, (char *)"-c", j->cmd, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	pid_t pid;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	/* Sockets and netlink stay with the daemon (most are CLOEXEC already). */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
	sigemptyset(&none);
	sigfillset(&all);
	/* The daemon blocks the signals its signalfd reads: unblock them for
	 * the script, and give it default handlers. */
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
					      POSIX_SPAWN_SETPGROUP);
	rc = posix_spawn(&pid, r->shell, &fa, &at, argv, j->env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc)
		return -rc;
	j->pid = pid;
	j->deadline = now + r->timeout_ms;
	return 0;
}

/* Start every queued job that may run: its connection has none running and
 * a slot is free. Order per connection is kept: the first queued job of a
 * connection blocks its later ones. */
static void start_ready(struct nkd_ud_runner *r, uint64_t now)
{
	for (size_t i = 0; i < r->n_queue;) {
		struct nkd_ud_job *j = r->queue[i];
		bool earlier = false;
		int slot, rc;

		for (size_t k = 0; k < i; k++)
			earlier |= !strcmp(r->queue[k]->key, j->key);
		slot = free_slot(r);
		if (slot < 0)
			return;
		if (earlier || key_running(r, j->key)) {
			i++;
			continue;
		}
		memmove(&r->queue[i], &r->queue[i + 1], (r->n_queue - i - 1) * sizeof(r->queue[0]));
		r->n_queue--;
		rc = spawn(r, j, now);
		if (rc < 0) {
			finish(r, j, -1, strerror(-rc));
			continue;
		}
		r->run[slot] = j;
	}
}

int nkd_ud_submit(struct nkd_ud_runner *r, const char *key, const char *cmd, const char *verb,
		  char *const env[], uint64_t now_ms)
{
	struct nkd_ud_job *j;
	size_t off = 0, i;

	if (strlen(cmd) >= NKD_UD_CMD_MAX)
		return -E2BIG;
	if (r->n_queue == NKD_UD_QUEUE) {
		r->dropped++;
		return -ENOSPC;
	}
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	snprintf(j->key, sizeof(j->key), "%s", key);
	snprintf(j->cmd, sizeof(j->cmd), "%s", cmd);
	snprintf(j->verb, sizeof(j->verb), "%s", verb);
	for (i = 0; env[i] && i + 1 < NKD_UD_ENV_MAX; i++) {
		size_t l = strlen(env[i]) + 1;

		if (off + l > sizeof(j->envbuf))
			break;
		memcpy(j->envbuf + off, env[i], l);
		j->env[i] = j->envbuf + off;
		off += l;
	}
	j->env[i] = NULL;
	r->queue[r->n_queue++] = j;
	start_ready(r, now_ms);
	return 0;
}

void nkd_ud_reap(struct nkd_ud_runner *r, uint64_t now_ms)
{
	for (size_t i = 0; i < NKD_UD_RUNNING; i++) {
		struct nkd_ud_job *j = r->run[i];
		int status;
		pid_t p;

		if (!j)
			continue;
		p = waitpid(j->pid, &status, WNOHANG);
		if (p == 0 || (p < 0 && errno == EINTR))
			continue;
		r->run[i] = NULL;
		/* What a script started and left running is its business (as
		 * with strongSwan and Libreswan); only a timeout kills the group. */
		finish(r, j, p < 0 ? -1 : status, j->killed ? "timed out, killed" : NULL);
	}
	start_ready(r, now_ms);
}

void nkd_ud_expire(struct nkd_ud_runner *r, uint64_t now_ms)
{
	for (size_t i = 0; i < NKD_UD_RUNNING; i++) {
		struct nkd_ud_job *j = r->run[i];

		if (!j || j->killed || j->deadline > now_ms)
			continue;
		j->killed = true;
		kill(-j->pid, SIGKILL);
		kill(j->pid, SIGKILL);
	}
}

uint64_t nkd_ud_next_deadline(const struct nkd_ud_runner *r)
{
	uint64_t t = UINT64_MAX;

	for (size_t i = 0; i < NKD_UD_RUNNING; i++)
		if (r->run[i] && !r->run[i]->killed && r->run[i]->deadline < t)
			t = r->run[i]->deadline;
	return t;
}

size_t nkd_ud_busy(const struct nkd_ud_runner *r)
{
	size_t n = r->n_queue;

	for (size_t i = 0; i < NKD_UD_RUNNING; i++)
		n += r->run[i] != NULL;
	return n;
}

void nkd_ud_runner_stop(struct nkd_ud_runner *r)
{
	for (size_t i = 0; i < NKD_UD_RUNNING; i++) {
		struct nkd_ud_job *j = r->run[i];
		int status = -1;

		if (!j)
			continue;
		kill(-j->pid, SIGKILL);
		kill(j->pid, SIGKILL);
		while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
			;
		r->run[i] = NULL;
		finish(r, j, status, "killed at shutdown");
	}
	for (size_t i = 0; i < r->n_queue; i++)
		finish(r, r->queue[i], -1, "not run: shutting down");
	r->n_queue = 0;
}
