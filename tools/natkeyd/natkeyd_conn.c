// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Connections, their engines and the action executor: the only code that
 * turns engine actions into sendmsg() and netlink requests.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "ike/wire/isakmp_decode.h"
#include "natt/framing.h"
#include "natt/natcheck_state.h"
#include "tools/natkeyd/natkeyd.h"
#include "tools/natkeyd/natkeyd_clock.h"
#include "tools/natkeyd/natkeyd_cred.h"
#include "tools/natkeyd/natkeyd_log.h"
#include "tools/natkeyd/natkeyd_ka.h"
#include "tools/natkeyd/natkeyd_natcheck.h"
#include "tools/natkeyd/natkeyd_os.h"
#include "tools/natkeyd/natkeyd_workers.h"

#define NKD_PENDING_MAX 32
#define NKD_DEPTH_MAX	4
/* Kernel requests of one engine step sent with one netlink sendmsg(). */
#define NKD_KBATCH_MAX 16

/* The loop's reading while it holds the clock (natkeyd_clock.h): every
 * engine call of one wakeup sees one time, which never goes back. */
uint64_t nkd_now_ms(void)
{
	return nkd_clock_mono_ms(&nkd_clk);
}

static const char *req_name(enum xk_req_type t)
{
	static const char *const n[] = {
		[XK_REQ_SPI_ALLOC] = "SPI_ALLOC",
		[XK_REQ_SA_ADD] = "SA_ADD",
		[XK_REQ_SA_UPDATE] = "SA_UPDATE",
		[XK_REQ_SA_DELETE] = "SA_DELETE",
		[XK_REQ_SA_GET] = "SA_GET",
		[XK_REQ_SA_MOVE] = "SA_MOVE",
		[XK_REQ_POLICY_ADD] = "POLICY_ADD",
		[XK_REQ_POLICY_UPDATE] = "POLICY_UPDATE",
		[XK_REQ_POLICY_DELETE] = "POLICY_DELETE",
	};
	return (unsigned)t < sizeof(n) / sizeof(n[0]) && n[t] ? n[t] : "?";
}

static void kernel_result_log(const struct xk_req *r, const struct xk_result *res)
{
	if (res->error) {
		/* Deleting what is already gone is not worth a warning. */
		bool quiet = res->error == -ENOENT &&
			     (r->type == XK_REQ_SA_DELETE || r->type == XK_REQ_POLICY_DELETE);

		nkd_log(NKD_MOD_XFRM, quiet ? NKD_DEBUG : NKD_WARN, "%s failed: %s%s%s",
			req_name(r->type), strerror(-res->error), res->msg[0] ? ": " : "",
			res->msg);
	} else {
		nkd_log(NKD_MOD_XFRM, NKD_DEBUG, "%s done", req_name(r->type));
	}
}

/* n requests with one sendmsg() (xfrm_io_submit() batches them): every
 * request still gets its own answer, an error in res[i] for request i; a
 * failed transport fails each of them. */
static void kernel_submit_n(struct nkd *d, const struct xk_req *r, size_t n, struct xk_result *res)
{
	int rc = xfrm_io_submit(&d->req, r, n, res);

	for (size_t i = 0; i < n; i++) {
		if (rc < 0) {
			memset(&res[i], 0, sizeof(res[i]));
			res[i].error = rc;
			snprintf(res[i].msg, sizeof(res[i].msg), "netlink: %s", strerror(-rc));
		}
		res[i].cookie = r[i].cookie;
	}
}

int nkd_kernel_submit(struct nkd *d, const struct xk_req *r, struct xk_result *res)
{
	struct xk_result local;

	if (!res)
		res = &local;
	kernel_submit_n(d, r, 1, res);
	kernel_result_log(r, res);
	if (res == &local)
		OPENSSL_cleanse(&local, sizeof(local));
	return res->error;
}

static int sock_for(const struct nkd *d, const struct sockaddr_storage *local)
{
	bool v6 = local->ss_family == AF_INET6;
	bool natt = nkd_sockaddr_port(local) == d->o.port_natt;

	return d->socks.fd[v6 ? (natt ? IKE_SOCK_V6_NATT : IKE_SOCK_V6_IKE)
			      : (natt ? IKE_SOCK_V4_NATT : IKE_SOCK_V4_IKE)];
}

static enum nkd_module reason_module(enum ike_reason r)
{
	switch (r) {
	case IKE_R_MAPPING_CHANGED:
	case IKE_R_FLOAT:
	case IKE_R_NAT_DETECTED:
	case IKE_R_NAT_AUDIT:
		return NKD_MOD_NATT;
	case IKE_R_KERNEL:
		return NKD_MOD_XFRM;
	case IKE_R_CRYPTO:
	case IKE_R_DECRYPT:
		return NKD_MOD_CRYPTO;
	default:
		return NKD_MOD_IKE;
	}
}

static void act_log(const struct nkd_conn *c, const struct ike_log *l)
{
	static const enum nkd_level lv[] = {
		[IKE_LOG_DEBUG] = NKD_DEBUG, [IKE_LOG_INFO] = NKD_INFO,	  [IKE_LOG_WARN] = NKD_WARN,
		[IKE_LOG_ERROR] = NKD_ERROR, [IKE_LOG_AUDIT] = NKD_AUDIT,
	};
	enum nkd_level level = (unsigned)l->level <= IKE_LOG_AUDIT ? lv[l->level] : NKD_ERROR;

	/* IKE_R_NONE is "no particular reason": no label in front. */
	if (l->reason == IKE_R_NONE)
		nkd_log(reason_module(l->reason), level, "[%s #%u] %s", c->name, l->sa_serial,
			l->text);
	else
		nkd_log(reason_module(l->reason), level, "[%s #%u] %s: %s", c->name, l->sa_serial,
			ike_reason_name(l->reason), l->text);
}

static void vip_log(void *arg, bool warn, const char *text)
{
	(void)arg;
	nkd_log(NKD_MOD_DAEMON, warn ? NKD_WARN : NKD_INFO, "%s", text);
}

static struct nkd_vip_ops vip_ops(void)
{
	struct nkd_vip_ops o = nkd_vip_kernel_ops;

	o.log = vip_log;
	return o;
}

/* IKE_ACT_MODECFG: our virtual IP and its routes (natkeyd_vip.c). */
static void act_modecfg(struct nkd_conn *c, const struct ike_modecfg *m)
{
	struct ike_ts nets[NKD_PAIRS_MAX];
	struct nkd_vip_ops ops = vip_ops();
	unsigned n = 0;

	for (unsigned i = 0; i < c->n_pairs && n < NKD_PAIRS_MAX; i++)
		nets[n++] = c->pair_cfg[i].remote_ts;
	(void)nkd_vip_apply(&c->vip, &ops, c->name, m, &c->cfg.remote, nets, n);
}

static void vip_flush(struct nkd_conn *c)
{
	struct nkd_vip_ops ops = vip_ops();

	nkd_vip_flush(&c->vip, &ops, c->name);
}

static void act_send(struct nkd *d, struct nkd_conn *c, const struct ike_action *a)
{
	const struct ike_send *s = &a->u.send;
	const uint8_t *buf = ike_actions_data(d->acts, a);
	struct xk_addr local;
	char to[64];
	ssize_t n;
	int fd = sock_for(d, &s->local);

	nkd_sockaddr_to_text(&s->remote, to, sizeof(to));
	if (fd < 0) {
		nkd_log(NKD_MOD_IKE, NKD_WARN, "[%s] no socket for local port %u", c->name,
			nkd_sockaddr_port(&s->local));
		return;
	}
	nkd_xk_addr_from_sockaddr(&s->local, &local);
	n = ike_socket_send(fd, buf, s->len, &s->remote, &local, 0);
	if (n < 0)
		nkd_log(NKD_MOD_IKE, NKD_WARN, "[%s] send to %s:%u: %s", c->name, to,
			nkd_sockaddr_port(&s->remote), strerror((int)-n));
	else
		nkd_log(NKD_MOD_IKE, NKD_DEBUG, "[%s] sent %zu bytes to %s:%u", c->name, s->len, to,
			nkd_sockaddr_port(&s->remote));
}

/* The kernel requests and log lines of one engine step not yet carried out:
 * the requests go to the kernel together (one sendmsg()), then the results
 * and the lines are logged in the engine's order. Anything else the step
 * does (a datagram sent, a job, a route) waits until they are done, so that
 * an SA is in the kernel before the message that announces it leaves. */
struct kdefer {
	const struct ike_action *act[IKE_ACTIONS_MAX];
	unsigned n, n_req;
};

static void kdefer_flush(struct nkd *d, struct nkd_conn *c, struct kdefer *k,
			 struct xk_result *pend, unsigned *n_pend)
{
	static struct xk_req req[NKD_KBATCH_MAX];
	static struct xk_result res[NKD_KBATCH_MAX];
	unsigned r = 0;

	for (unsigned i = 0; i < k->n; i++)
		if (k->act[i]->type == IKE_ACT_KERNEL)
			req[r++] = k->act[i]->u.kernel;
	if (r)
		kernel_submit_n(d, req, r, res);
	r = 0;
	for (unsigned i = 0; i < k->n; i++) {
		const struct ike_action *a = k->act[i];

		if (a->type == IKE_ACT_LOG) {
			act_log(c, &a->u.log);
			continue;
		}
		kernel_result_log(&req[r], &res[r]);
		/* Answers to tagged requests go back to the engine: an SPI, or
		 * a refusal (an installed SA or policy the kernel did not take
		 * fails its IPsec SA). A success of any other request changes
		 * nothing there. */
		if (a->u.kernel.cookie && (a->u.kernel.type == XK_REQ_SPI_ALLOC || res[r].error)) {
			if (*n_pend < NKD_PENDING_MAX)
				pend[(*n_pend)++] = res[r];
			else
				nkd_log(NKD_MOD_DAEMON, NKD_ERROR,
					"[%s] too many kernel answers in one step, one lost",
					c->name);
		}
		r++;
	}
	OPENSSL_cleanse(req, r * sizeof(req[0])); /* SA keys */
	OPENSSL_cleanse(res, r * sizeof(res[0]));
	k->n = k->n_req = 0;
}

void nkd_conn_event(struct nkd *d, struct nkd_conn *c, const struct ike_event *ev)
{
	struct xk_result pend[NKD_PENDING_MAX];
	unsigned n_pend = 0;
	struct kdefer kd = { .n = 0 };
	struct {
		uint32_t serial;
		bool ok;
	} verdict[8];
	unsigned n_verdict = 0;
	struct ike_crypto_job *inline_jobs[IKE_ACTIONS_MAX];
	unsigned n_inline = 0;
	uint64_t now = nkd_now_ms();
	int rc;

	if (!c->eng)
		return; /* a shunt: no IKE */
	if (d->depth >= NKD_DEPTH_MAX) {
		nkd_log(NKD_MOD_DAEMON, NKD_ERROR, "[%s] kernel result chain too deep, dropped",
			c->name);
		return;
	}
	d->depth++;
	ike_actions_init(d->acts);
	{
		/* The engine checks certificate validity against wall time. */
		struct ike_event e = *ev;

		e.wall_s = (int64_t)nkd_clock_wall(&nkd_clk).tv_sec;
		rc = ike_engine_handle(c->eng, &e, now, d->acts);
	}
	if (rc < 0 && rc != -ENOSPC)
		nkd_log(NKD_MOD_ENGINE, NKD_ERROR, "[%s] engine: %s", c->name, strerror(-rc));
	if (d->acts->dropped)
		nkd_log(NKD_MOD_ENGINE, NKD_ERROR, "[%s] engine dropped %u actions (buffer full)",
			c->name, d->acts->dropped);
	for (size_t i = 0; i < d->acts->n; i++) {
		const struct ike_action *a = &d->acts->v[i];

		nkd_view_on_action(&c->view, a);
		if (c->ud &&
		    ((a->type == IKE_ACT_KERNEL && a->u.kernel.type != XK_REQ_SPI_ALLOC &&
		      a->u.kernel.type != XK_REQ_SA_GET) ||
		     (a->type == IKE_ACT_LOG && (a->u.log.reason == IKE_R_MAPPING_CHANGED ||
						 a->u.log.reason == IKE_R_IPSEC_ESTABLISHED))))
			c->ud_dirty = true;
		if (a->type == IKE_ACT_KERNEL || a->type == IKE_ACT_LOG) {
			kd.act[kd.n++] = a;
			kd.n_req += a->type == IKE_ACT_KERNEL;
			if (kd.n_req == NKD_KBATCH_MAX)
				kdefer_flush(d, c, &kd, pend, &n_pend);
			continue;
		}
		if (a->type != IKE_ACT_TIMER && kd.n)
			kdefer_flush(d, c, &kd, pend, &n_pend);
		switch (a->type) {
		case IKE_ACT_SEND:
			act_send(d, c, a);
			break;
		case IKE_ACT_KERNEL:
		case IKE_ACT_LOG:
			break; /* deferred above */
		case IKE_ACT_TIMER:
			c->timer_at = a->u.timer_at_ms;
			break;
		case IKE_ACT_OCSP_FETCH:
			/* Off the loop; a failure to start is retried by the
			 * engine when the peer retransmits. */
			nkd_log_flush(); /* the child must not inherit our lines */
			rc = nkd_ocsp_start(d, c, &a->u.ocsp);
			if (rc < 0)
				nkd_log(NKD_MOD_DAEMON, NKD_WARN, "[%s] cannot ask %s: %s", c->name,
					a->u.ocsp.uri, strerror(-rc));
			break;
		case IKE_ACT_CRYPTO:
			/* To the workers (the answer comes through their eventfd,
			 * nkd_workers_input()); when they are full or absent, in
			 * the loop, answered once this step's actions are done. */
			if (d->workers && nkd_workers_submit(d->workers, a->u.crypto,
							     (void *)(uintptr_t)c->slot) == 0)
				break;
			ike_crypto_job_run(a->u.crypto);
			inline_jobs[n_inline++] = a->u.crypto;
			/* Milliseconds may have passed: the next events read the
			 * clock again. */
			nkd_clock_refresh(&nkd_clk);
			break;
		case IKE_ACT_MODECFG:
			act_modecfg(c, &a->u.modecfg);
			break;
		case IKE_ACT_XAUTH_CHECK:
			/* xauthby=pam: a child process checks it; the verdict
			 * comes back as an event when it ends (nkd_pam_verdict()). */
			if (c->xauth_pam) {
				nkd_log_flush(); /* the child must not inherit our lines */
				rc = nkd_pam_submit(&d->pam, c->pam_service, c->slot, &a->u.xauth,
						    now);
				if (rc == 0)
					break;
				nkd_log(NKD_MOD_DAEMON, NKD_WARN,
					"[%s] XAUTH user '%s': PAM check not started (%s): refused",
					c->name, a->u.xauth.user,
					rc == -EAGAIN ? "too many running" : strerror(-rc));
			}
			/* xauthby=file (or a PAM check that could not start): the
			 * verdict goes back once this step's actions are done. */
			if (n_verdict < sizeof(verdict) / sizeof(verdict[0])) {
				verdict[n_verdict].serial = a->u.xauth.serial;
				verdict[n_verdict].ok =
					!c->xauth_pam &&
					nkd_xauth_file_check(d->secrets, &a->u.xauth);
				n_verdict++;
			} else {
				nkd_log(NKD_MOD_DAEMON, NKD_ERROR,
					"[%s] too many XAUTH checks in one step, one dropped",
					c->name);
			}
			break;
		}
	}
	if (kd.n)
		kdefer_flush(d, c, &kd, pend, &n_pend);
	ike_actions_wipe(d->acts);
	for (unsigned i = 0; i < n_inline; i++) {
		struct ike_event jev = { .type = IKE_EV_CRYPTO_DONE };

		jev.u.crypto = inline_jobs[i];
		nkd_conn_event(d, c, &jev);
	}
	for (unsigned i = 0; i < n_verdict; i++) {
		struct ike_event vev = { .type = IKE_EV_XAUTH_VERDICT };

		vev.u.xauth.serial = verdict[i].serial;
		vev.u.xauth.ok = verdict[i].ok;
		nkd_conn_event(d, c, &vev);
	}
	for (unsigned i = 0; i < n_pend; i++) {
		struct ike_event rev = { .type = IKE_EV_KERNEL_RESULT };

		rev.u.result = pend[i];
		nkd_conn_event(d, c, &rev);
	}
	OPENSSL_cleanse(pend, sizeof(pend));
	d->depth--;
	if (!d->depth && c->ud_dirty)
		nkd_updown_run(d, c, false);
	if (!d->depth)
		nkd_timer_rearm(d);
}

/* ---- leftupdown= ---- */

static void updown_submit(struct nkd *d, struct nkd_conn *c, const struct nkd_ud_event *e)
{
	char buf[NKD_UD_ENV_BUF], verb[24];
	char *env[NKD_UD_ENV_MAX];

	nkd_updown_verb(e, verb, sizeof(verb));
	if (nkd_updown_env(e, c->name, c->my_id, buf, sizeof(buf), env, NKD_UD_ENV_MAX) < 0) {
		nkd_log(NKD_MOD_DAEMON, NKD_ERROR, "[%s] updown %s: environment too large", c->name,
			verb);
		return;
	}
	if (c->firewall && (e->verb == NKD_UD_UP || e->verb == NKD_UD_DOWN)) {
		char fw[40];

		snprintf(fw, sizeof(fw), "leftfirewall %s", verb);
		if (nkd_ud_submit(&d->ud, c->name, nkd_updown_firewall_cmd, fw, env, nkd_now_ms()) <
		    0)
			nkd_log(NKD_MOD_DAEMON, NKD_WARN,
				"[%s] leftfirewall %s not run: %d scripts already waiting", c->name,
				verb, NKD_UD_QUEUE);
	}
	if (!c->updown[0])
		return;
	nkd_log(NKD_MOD_DAEMON, NKD_DEBUG, "[%s] updown %s: %s", c->name, verb, c->updown);
	if (nkd_ud_submit(&d->ud, c->name, c->updown, verb, env, nkd_now_ms()) < 0)
		nkd_log(NKD_MOD_DAEMON, NKD_WARN,
			"[%s] updown %s not run: %d scripts already waiting", c->name, verb,
			NKD_UD_QUEUE);
}

void nkd_updown_run(struct nkd *d, struct nkd_conn *c, bool gone)
{
	struct ike_sa_status *ike = NULL;
	struct ipsec_sa_status *child = NULL;
	struct nkd_ud_event ev[NKD_UD_EVENTS];
	size_t n_ike = 0, n_child = 0, n;
	uint64_t now = nkd_now_ms();

	if (!c->ud)
		return;
	c->ud_dirty = false;
	if (!gone) {
		ike = calloc(NKD_VIEW_IKE, sizeof(*ike));
		child = calloc(NKD_VIEW_CHILDREN, sizeof(*child));
		if (!ike || !child) {
			nkd_log(NKD_MOD_DAEMON, NKD_ERROR, "[%s] updown: out of memory", c->name);
			c->ud_dirty = true;
			goto out;
		}
		n_ike = ike_status_ike_list(c->eng, now, ike, NKD_VIEW_IKE);
		n_child = ike_status_ipsec_list(c->eng, now, child, NKD_VIEW_CHILDREN);
		if (n_ike > NKD_VIEW_IKE)
			n_ike = NKD_VIEW_IKE;
		if (n_child > NKD_VIEW_CHILDREN)
			n_child = NKD_VIEW_CHILDREN;
	}
	do {
		n = nkd_updown_diff(c->ud, ike, n_ike, child, n_child, ev, NKD_UD_EVENTS);
		for (size_t i = 0; i < n; i++)
			updown_submit(d, c, &ev[i]);
	} while (n == NKD_UD_EVENTS);
out:
	free(ike);
	free(child);
}

void nkd_timer_rearm(struct nkd *d)
{
	uint64_t at = UINT64_MAX;

	for (unsigned i = 0; i < NKD_CONNS_MAX; i++)
		if (d->conns[i] && d->conns[i]->timer_at < at)
			at = d->conns[i]->timer_at;
	if (nkd_ud_next_deadline(&d->ud) < at)
		at = nkd_ud_next_deadline(&d->ud);
	if (nkd_pam_next_deadline(&d->pam) < at)
		at = nkd_pam_next_deadline(&d->pam);
	if (d->ka_fd >= 0 && d->ka_drain_at < at)
		at = d->ka_drain_at;
	d->armed_at = at;
}

void nkd_timers_run(struct nkd *d)
{
	uint64_t now = nkd_now_ms();

	nkd_ud_expire(&d->ud, now);
	nkd_pam_expire(&d->pam, now);
	if (d->ka_fd >= 0 && d->ka_drain_at <= now) {
		nkd_keepalives_drain(d);
		d->ka_drain_at = now + NKD_KA_DRAIN_MS;
	}
	for (unsigned i = 0; i < NKD_CONNS_MAX; i++) {
		struct nkd_conn *c = d->conns[i];
		struct ike_event ev = { .type = IKE_EV_TIMER };

		if (c && c->timer_at <= now)
			nkd_conn_event(d, c, &ev);
	}
	nkd_timer_rearm(d);
}

void nkd_pam_verdict(void *arg, const struct nkd_pam_job *j, bool ok, const char *why)
{
	struct nkd *d = arg;
	struct ike_event ev = { .type = IKE_EV_XAUTH_VERDICT };
	struct nkd_conn *c = NULL;

	for (unsigned i = 0; i < NKD_CONNS_MAX && !c; i++)
		if (d->conns[i] && d->conns[i]->slot == j->slot)
			c = d->conns[i];
	if (why)
		nkd_log(NKD_MOD_DAEMON, NKD_WARN, "[%s] XAUTH user '%s': %s: refused",
			c ? c->name : "-", j->user, why);
	else
		nkd_log(NKD_MOD_DAEMON, NKD_DEBUG, "[%s] XAUTH user '%s': PAM says %s",
			c ? c->name : "-", j->user, ok ? "yes" : "no");
	if (!c || !c->eng)
		return; /* unloaded meanwhile: its IKE SAs are gone */
	ev.u.xauth.serial = j->serial;
	ev.u.xauth.ok = ok && !why;
	nkd_conn_event(d, c, &ev);
}

struct nkd_conn *nkd_conn_find(struct nkd *d, const char *name)
{
	for (unsigned i = 0; i < NKD_CONNS_MAX; i++)
		if (d->conns[i] && strcmp(d->conns[i]->name, name) == 0)
			return d->conns[i];
	return NULL;
}

static void traps_install(struct nkd *d, struct nkd_conn *c)
{
	struct xk_policy pol[NKD_TRAP_MAX];
	int n;

	if (c->autostart != CONF_AUTO_ROUTE && c->autostart != CONF_AUTO_START)
		return;
	for (unsigned k = 0; k < c->n_pairs; k++) {
		n = nkd_trap_policies(&c->pair_cfg[k], pol);
		if (n < 0)
			return; /* right=%any: nothing to route */
		for (int i = 0; i < n; i++) {
			struct xk_req r = { .type = XK_REQ_POLICY_UPDATE };

			r.u.policy = pol[i];
			if (nkd_kernel_submit(d, &r, NULL) == 0 &&
			    c->n_trap < NKD_TRAP_MAX * NKD_PAIRS_MAX)
				c->trap[c->n_trap++] = pol[i];
		}
	}
	nkd_log(NKD_MOD_XFRM, NKD_INFO, "[%s] %d trap policies installed (reqid %#x)", c->name,
		c->n_trap, c->cfg.reqid);
}

/* Delete every trap policy the connection can have; the engine may already
 * have removed them (its SA policies replace ours): ENOENT is quiet. */
static void traps_remove(struct nkd *d, struct nkd_conn *c)
{
	struct xk_policy pol[NKD_TRAP_MAX];

	for (unsigned k = 0; k < c->n_pairs; k++) {
		int n = nkd_trap_policies(&c->pair_cfg[k], pol);

		for (int i = 0; i < n; i++) {
			struct xk_req r = { .type = XK_REQ_POLICY_DELETE };

			nkd_policy_id_of(&pol[i], &r.u.policy_id);
			nkd_kernel_submit(d, &r, NULL);
		}
	}
	c->n_trap = 0;
}

static void conn_initiate(struct nkd *d, struct nkd_conn *c);

/* Hand everything the engine decided to the kernel now: a teardown of many
 * peers leaves work in the engine's backlog for calls "now" (engine.h),
 * which must be done before our traps change or the engine is freed. */
static void conn_flush(struct nkd *d, struct nkd_conn *c)
{
	struct ike_event t = { .type = IKE_EV_TIMER };

	for (unsigned i = 0; i < 1000000 && c->timer_at <= nkd_now_ms(); i++)
		nkd_conn_event(d, c, &t);
}

/* The engines' shared half-open pool and timeout, from config setup. */
static int engine_cfg_setup(struct nkd *d, struct ike_engine_cfg *ecfg)
{
	if (!d->halfopen) {
		struct ike_halfopen_cfg hcfg;
		int rc;

		nkd_halfopen_cfg(&d->conf->setup, &hcfg);
		rc = ike_halfopen_new(&hcfg, &d->halfopen);
		if (rc < 0)
			return rc;
	}
	ecfg->halfopen_pool = d->halfopen;
	ecfg->crypto_async = d->workers != NULL;
	ecfg->half_open_timeout_ms = d->conf->setup.halfopen_timeout * 1000;
	/* nat-keepalive-audit= (natt/diag.h): 0 is "no audit". */
	ecfg->nat_audit_ms =
		d->conf->setup.nat_audit ? d->conf->setup.nat_audit * 1000 : IKE_NAT_AUDIT_OFF;
	return 0;
}

/* The engine of one connection: the other engines answer for their clients. */
static void engine_cfg_init(struct nkd *d, struct ike_engine_cfg *ecfg,
			    const struct ike_conn_cfg *cfg)
{
	memset(ecfg, 0, sizeof(*ecfg));
	ecfg->conns = cfg;
	ecfg->n_conns = 1;
	d->set.v = d->conns;
	d->set.n = NKD_CONNS_MAX;
	ecfg->client_held = nkd_client_held;
	ecfg->client_held_arg = &d->set;
	/* The engine's debug records (retransmissions, state changes) with -d. */
	ecfg->log_debug = nkd_log_enabled(NKD_MOD_IKE, NKD_DEBUG);
}

/* type=passthrough|drop|reject: install or remove its policies. */
static void shunt_install(struct nkd *d, struct nkd_conn *c)
{
	int ok = 0;

	for (int i = 0; i < c->n_shunt; i++) {
		struct xk_req r = { .type = XK_REQ_POLICY_UPDATE };

		r.u.policy = c->shunt_pol[i];
		ok += nkd_kernel_submit(d, &r, NULL) == 0;
	}
	c->n_shunt_in = ok;
	nkd_log(NKD_MOD_XFRM, NKD_INFO, "[%s] %d of %d %s policies installed", c->name, ok,
		c->n_shunt, c->shunt == CONF_SHUNT_PASS ? "passthrough" : "drop");
}

static void shunt_remove(struct nkd *d, struct nkd_conn *c)
{
	for (int i = 0; i < c->n_shunt; i++) {
		struct xk_req r = { .type = XK_REQ_POLICY_DELETE };

		nkd_policy_id_of(&c->shunt_pol[i], &r.u.policy_id);
		nkd_kernel_submit(d, &r, NULL);
	}
	if (c->n_shunt_in)
		nkd_log(NKD_MOD_XFRM, NKD_INFO, "[%s] %d policies removed", c->name, c->n_shunt);
	c->n_shunt_in = 0;
}

static int shunt_load(struct nkd *d, const struct conf_conn *cc, unsigned idx)
{
	struct nkd_conn *c = calloc(1, sizeof(*c));
	int n;

	if (!c)
		return -ENOMEM;
	c->shunt_pol = calloc(NKD_SHUNT_MAX, sizeof(*c->shunt_pol));
	n = c->shunt_pol ? nkd_shunt_policies(cc, c->shunt_pol) : -ENOMEM;
	if (n < 0) {
		nkd_log(NKD_MOD_DAEMON, NKD_ERROR,
			"conn %s: no pair of networks of one family for its policies", cc->name);
		free(c->shunt_pol);
		free(c);
		return n;
	}
	c->slot = d->next_slot++;
	snprintf(c->name, sizeof(c->name), "%s", cc->name);
	c->autostart = cc->autostart;
	c->shunt = cc->shunt;
	c->n_shunt = n;
	c->timer_at = UINT64_MAX;
	c->loaded_ms = nkd_now_ms();
	d->conns[idx] = c;
	nkd_log(NKD_MOD_DAEMON, NKD_INFO, "conn %s loaded (type=%s, %d policies)", c->name,
		c->shunt == CONF_SHUNT_PASS ? "passthrough" : "drop", n);
	if (c->autostart == CONF_AUTO_ROUTE || c->autostart == CONF_AUTO_START)
		shunt_install(d, c);
	return 0;
}

int nkd_conn_load(struct nkd *d, const struct conf_conn *cc, const struct ike_conn_cfg *cfg)
{
	struct ike_engine_cfg ecfg;
	struct nkd_conn *c;
	unsigned idx;
	int rc;

	for (idx = 0; idx < NKD_CONNS_MAX && d->conns[idx]; idx++)
		;
	if (idx == NKD_CONNS_MAX || d->next_slot >= XK_REQID_MAX - XK_REQID_MIN) {
		nkd_log(NKD_MOD_DAEMON, NKD_ERROR, "conn %s: more than %d connections", cc->name,
			NKD_CONNS_MAX);
		return -ENOSPC;
	}
	if (cc->shunt)
		return shunt_load(d, cc, idx);
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->slot = d->next_slot;
	snprintf(c->name, sizeof(c->name), "%s", cc->name);
	c->autostart = cc->autostart;
	c->pair_cfg = calloc(NKD_PAIRS_MAX, sizeof(*c->pair_cfg));
	if (!c->pair_cfg) {
		free(c);
		return -ENOMEM;
	}
	{
		char err[NKD_ERR_MAX];

		rc = nkd_conn_pairs(cc, cfg, nkd_conn_reqid(c->slot), c->pair_cfg, err,
				    sizeof(err));
		if (rc < 0 || d->next_slot + (unsigned)rc >= XK_REQID_MAX - XK_REQID_MIN) {
			nkd_log(NKD_MOD_DAEMON, NKD_ERROR, "%s",
				rc < 0 ? err : "no reqids left for the subnet pairs");
			OPENSSL_cleanse(c->pair_cfg, NKD_PAIRS_MAX * sizeof(*c->pair_cfg));
			free(c->pair_cfg);
			free(c);
			return rc < 0 ? rc : -ENOSPC;
		}
		c->n_pairs = (unsigned)rc;
	}
	c->cfg = c->pair_cfg[0];
	c->timer_at = UINT64_MAX;
	c->loaded_ms = nkd_now_ms();
	if (cc->updown[0] || cc->firewall) {
		struct conf_id lid;

		c->ud = calloc(1, sizeof(*c->ud));
		if (!c->ud) {
			OPENSSL_cleanse(c->pair_cfg, NKD_PAIRS_MAX * sizeof(*c->pair_cfg));
			free(c->pair_cfg);
			free(c);
			return -ENOMEM;
		}
		snprintf(c->updown, sizeof(c->updown), "%s", cc->updown);
		c->firewall = cc->firewall;
		conf_conn_local_id(cc, &lid);
		if (lid.type != CONF_ID_ANY)
			conf_id_format(&lid, c->my_id, sizeof(c->my_id));
	}
	c->xauth_pam = cc->xauthby == CONF_XAUTHBY_PAM;
	snprintf(c->pam_service, sizeof(c->pam_service), "%s",
		 cc->pam_service[0] ? cc->pam_service : CONF_PAM_SERVICE_DEFAULT);
	engine_cfg_init(d, &ecfg, &c->cfg);
	ecfg.conns = c->pair_cfg;
	ecfg.n_conns = c->n_pairs;
	rc = engine_cfg_setup(d, &ecfg);
	if (rc == 0)
		rc = ike_engine_new(&ecfg, &c->eng);
	if (rc < 0) {
		nkd_log(NKD_MOD_ENGINE, NKD_ERROR, "conn %s: the engine refused it: %s", cc->name,
			strerror(-rc));
		free(c->ud);
		OPENSSL_cleanse(c->pair_cfg, NKD_PAIRS_MAX * sizeof(*c->pair_cfg));
		free(c->pair_cfg);
		OPENSSL_cleanse(c, sizeof(*c));
		free(c);
		return rc;
	}
	/* The engine holds its own references on the credentials; ours go
	 * with the caller's configuration copy. */
	for (unsigned k = 0; k < c->n_pairs; k++) {
		c->pair_cfg[k].key = NULL;
		c->pair_cfg[k].cert = NULL;
		memset(c->pair_cfg[k].cert_chain, 0, sizeof(c->pair_cfg[k].cert_chain));
		c->pair_cfg[k].ca = NULL;
	}
	c->cfg = c->pair_cfg[0];
	d->next_slot += c->n_pairs;
	d->conns[idx] = c;
	nkd_log(NKD_MOD_DAEMON, NKD_INFO, "conn %s loaded (auto=%s, reqid %#x%s)", c->name,
		cc->autostart == CONF_AUTO_START   ? "start"
		: cc->autostart == CONF_AUTO_ROUTE ? "route"
						   : "add",
		c->cfg.reqid, c->n_pairs > 1 ? ", one IKE SA for its subnet pairs" : "");
	if (c->n_pairs > 1)
		nkd_log(NKD_MOD_DAEMON, NKD_INFO, "conn %s: %u pairs of subnets, reqids %#x-%#x",
			c->name, c->n_pairs, c->cfg.reqid, c->cfg.reqid + c->n_pairs - 1);
	traps_install(d, c);
	if (c->autostart == CONF_AUTO_START)
		conn_initiate(d, c);
	return 0;
}

/* The running configuration's conn of @c (its resolved addresses are updated
 * when they change, so that a reload compares with what runs). */
static struct conf_conn *conf_conn_of(struct nkd *d, const struct nkd_conn *c)
{
	for (size_t i = 0; d->conf && i < d->conf->n_conns; i++)
		if (!strcmp(d->conf->conns[i].name, c->name))
			return &d->conf->conns[i];
	return NULL;
}

static bool conn_has_ipsec_sa(const struct nkd_conn *c)
{
	struct nkd_facts *f = calloc(1, sizeof(*f));
	bool any;

	if (!f || !c->eng) {
		free(f);
		return true; /* cannot tell (or a shunt): leave the connection alone */
	}
	nkd_facts_collect(c->eng, nkd_now_ms(), f);
	any = f->n_child > 0;
	free(f);
	return any;
}

/* `up` of a right=NAME connection without an IPsec SA (never up, or failed):
 * resolve the name again, and if it (or left=) now gives another address,
 * give the connection a new engine with the new addresses. The nkd_conn
 * object stays, so callers keep their pointer. */
static void conn_reresolve(struct nkd *d, struct nkd_conn *c)
{
	struct conf_conn *cc = conf_conn_of(d, c), copy;
	struct ike_engine_cfg ecfg;
	struct ike_engine *eng = NULL;
	struct ike_conn_cfg cfg, *pc;
	struct ike_event ev = { .type = IKE_EV_TERMINATE, .u.conn = 0 };
	char err[NKD_ERR_MAX], nc[NKD_ERR_MAX], was[64], now[64];
	unsigned n_pairs = 0;
	int rc;

	if (!cc || cc->right.host.kind != CONF_HOST_NAME || conn_has_ipsec_sa(c))
		return;
	copy = *cc;
	if (nkd_conn_resolve(&copy, &nkd_os_resolver, err, sizeof(err)) < 0) {
		nkd_log(NKD_MOD_CONF, NKD_WARN, "%s; initiating to the address resolved before",
			err);
		return;
	}
	if (!memcmp(&copy.left.host.resolved, &cc->left.host.resolved,
		    sizeof(cc->left.host.resolved)) &&
	    !memcmp(&copy.right.host.resolved, &cc->right.host.resolved,
		    sizeof(cc->right.host.resolved)))
		return;
	pc = calloc(NKD_PAIRS_MAX, sizeof(*pc));
	if (!pc)
		return;
	rc = nkd_conn_build(&copy, d->secrets, c->cfg.reqid, &cfg, err, sizeof(err));
	if (rc == 0)
		rc = nkd_creds_load(&copy, d->secrets, d->o.cacerts, &cfg, err, sizeof(err));
	/* nat_binding_lifetime=natcheck: the state file again (it may be newer). */
	if (rc == 0) {
		int nrc = nkd_natcheck_apply(&copy, NATCHECK_STATE_FILE, (uint64_t)time(NULL), &cfg,
					     nc, sizeof(nc));

		if (nrc)
			nkd_log(NKD_MOD_CONF, nrc > 0 ? NKD_INFO : NKD_WARN, "%s", nc);
	}
	if (rc == 0) {
		cfg.allow_legacy = d->conf->setup.allow_legacy;
		rc = nkd_conn_pairs(&copy, &cfg, c->cfg.reqid, pc, err, sizeof(err));
		n_pairs = rc > 0 ? (unsigned)rc : 0;
		if (rc > 0 && n_pairs != c->n_pairs) {
			snprintf(err, sizeof(err), "conn %s: the subnet pairs changed", c->name);
			rc = -EINVAL;
		}
	}
	if (rc > 0) {
		engine_cfg_init(d, &ecfg, pc);
		ecfg.n_conns = n_pairs;
		rc = engine_cfg_setup(d, &ecfg);
		if (rc == 0)
			rc = ike_engine_new(&ecfg, &eng);
		if (rc < 0)
			snprintf(err, sizeof(err), "conn %s: the engine refused it: %s", c->name,
				 strerror(-rc));
	}
	nkd_creds_free(&cfg);
	for (unsigned k = 0; k < NKD_PAIRS_MAX; k++) {
		pc[k].key = NULL;
		pc[k].cert = NULL;
		memset(pc[k].cert_chain, 0, sizeof(pc[k].cert_chain));
		pc[k].ca = NULL;
	}
	if (rc < 0) {
		nkd_log(NKD_MOD_CONF, NKD_WARN, "%s; initiating to the address resolved before",
			err);
		OPENSSL_cleanse(&cfg, sizeof(cfg));
		OPENSSL_cleanse(pc, NKD_PAIRS_MAX * sizeof(*pc));
		free(pc);
		return;
	}
	nkd_log(NKD_MOD_CONF, NKD_INFO, "[%s] right=%s now resolves to %s (was %s): new addresses",
		c->name, copy.right.host.name,
		conf_addr_format(conf_host_addr(&copy.right.host), now, sizeof(now)),
		conf_addr_format(conf_host_addr(&cc->right.host), was, sizeof(was)));
	/* The old engine's half-open SAs and our traps name the old address. */
	nkd_conn_event(d, c, &ev);
	conn_flush(d, c);
	vip_flush(c);
	if (c->n_trap)
		traps_remove(d, c);
	nkd_updown_run(d, c, true);
	ike_engine_free(c->eng);
	OPENSSL_cleanse(&c->cfg, sizeof(c->cfg));
	OPENSSL_cleanse(c->pair_cfg, NKD_PAIRS_MAX * sizeof(*c->pair_cfg));
	free(c->pair_cfg);
	c->pair_cfg = pc;
	c->cfg = pc[0];
	OPENSSL_cleanse(&cfg, sizeof(cfg));
	c->eng = eng;
	c->timer_at = UINT64_MAX;
	nkd_view_reset(&c->view);
	cc->left.host.resolved = copy.left.host.resolved;
	cc->right.host.resolved = copy.right.host.resolved;
	nkd_timer_rearm(d);
}

static void conn_initiate(struct nkd *d, struct nkd_conn *c)
{
	c->down = false;
	if (!c->n_trap)
		traps_install(d, c);
	/* Every pair of a group: one Phase 1, then a Quick Mode each. */
	for (unsigned k = 0; k < c->n_pairs; k++) {
		struct ike_event ev = { .type = IKE_EV_INITIATE, .u.conn = k };

		nkd_conn_event(d, c, &ev);
	}
}

void nkd_conn_up(struct nkd *d, struct nkd_conn *c)
{
	if (c->shunt) {
		shunt_install(d, c);
		return;
	}
	conn_reresolve(d, c);
	conn_initiate(d, c);
}

void nkd_conn_down(struct nkd *d, struct nkd_conn *c)
{
	struct ike_event ev = { .type = IKE_EV_TERMINATE, .u.conn = 0 };

	if (c->shunt) {
		shunt_remove(d, c);
		c->down = true;
		return;
	}
	nkd_conn_event(d, c, &ev);
	conn_flush(d, c);
	nkd_view_reset(&c->view);
	/* The engine removed its SAs' policies, which had replaced our traps.
	 * auto=route routes again (as strongSwan's "down" keeps the trap);
	 * every other connection stays down until `up`. */
	if (c->autostart == CONF_AUTO_ROUTE) {
		c->n_trap = 0;
		traps_install(d, c);
	} else {
		if (c->n_trap)
			traps_remove(d, c);
		c->down = true;
	}
}

void nkd_conn_down_peer(struct nkd *d, struct nkd_conn *c, uint32_t serial)
{
	struct ike_event ev = { .type = IKE_EV_TERMINATE_PEER };

	ev.u.serial = serial;
	nkd_conn_event(d, c, &ev);
	conn_flush(d, c);
}

void nkd_conn_unload(struct nkd *d, struct nkd_conn *c)
{
	struct ike_event ev = { .type = IKE_EV_TERMINATE, .u.conn = 0 };

	nkd_conn_event(d, c, &ev);
	conn_flush(d, c);
	vip_flush(c); /* what the engine's Deletes did not take along */
	if (c->n_trap)
		traps_remove(d, c);
	if (c->shunt)
		shunt_remove(d, c);
	free(c->shunt_pol);
	if (c->pair_cfg)
		OPENSSL_cleanse(c->pair_cfg, NKD_PAIRS_MAX * sizeof(*c->pair_cfg));
	free(c->pair_cfg);
	for (unsigned i = 0; i < NKD_CONNS_MAX; i++)
		if (d->conns[i] == c)
			d->conns[i] = NULL;
	nkd_log(NKD_MOD_DAEMON, NKD_INFO, "conn %s unloaded", c->name);
	nkd_updown_run(d, c, true); /* what is still up goes down with the engine */
	ike_engine_free(c->eng);
	free(c->ud);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
	nkd_timer_rearm(d);
}

/* interfaces=: the name of the last interface looked up, for one batch of
 * datagrams (if_indextoname() costs three system calls). */
struct ifcache {
	int ifindex; /* 0: none yet */
	char name[IF_NAMESIZE];
};

/* One received datagram: to the engine it belongs to, or dropped. */
static void dgram_handle(struct nkd *d, enum ike_sock_slot slot, struct ike_sock_dgram *g,
			 struct ifcache *ifc)
{
	struct ike_event ev = { .type = IKE_EV_DGRAM };
	struct sockaddr_storage local;
	const struct sockaddr_storage *peer = &g->peer;
	const struct xk_addr *lp = &g->local;
	struct isakmp_hdr hdr;
	struct nkd_conn *c;
	uint8_t *buf = g->buf;
	int ifindex = g->ifindex;
	uint16_t port = (slot == IKE_SOCK_V4_NATT || slot == IKE_SOCK_V6_NATT) ? d->o.port_natt
									       : d->o.port_ike;
	ssize_t n = (ssize_t)g->len;
	char from[64];

	memset(&local, 0, sizeof(local));
	if (lp->family == XK_AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&local;

		in->sin_family = AF_INET;
		memcpy(&in->sin_addr, lp->bytes, 4);
		in->sin_port = htons(port);
	} else if (lp->family == XK_AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&local;

		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, lp->bytes, 16);
		in6->sin6_port = htons(port);
	}
	/* Only the debug lines below name the sender: under a flood of junk
	 * the text is not made for every datagram. */
	from[0] = '\0';
	if (nkd_log_enabled(NKD_MOD_IKE, NKD_DEBUG))
		nkd_sockaddr_to_text(peer, from, sizeof(from));
	if (d->conf->setup.n_interfaces) {
		char ifname[IF_NAMESIZE] = "";

		/* interfaces=: one lookup per interface and batch of datagrams,
		 * only when a list is set. */
		if (ifindex > 0 && ifindex == ifc->ifindex) {
			memcpy(ifname, ifc->name, sizeof(ifname));
		} else if (ifindex <= 0 || !if_indextoname((unsigned)ifindex, ifname)) {
			ifname[0] = '\0';
		} else {
			ifc->ifindex = ifindex;
			memcpy(ifc->name, ifname, sizeof(ifname));
		}
		if (!nkd_iface_allowed(&d->conf->setup, ifname)) {
			nkd_log(NKD_MOD_IKE, NKD_DEBUG,
				"%zd bytes from %s:%u on %s: not in interfaces=, dropped", n, from,
				nkd_sockaddr_port(peer),
				ifname[0] ? ifname : "an unknown interface");
			return;
		}
	}
	if (nkd_dgram_hdr(buf, (size_t)n, port == NATT_PORT, &hdr) < 0) {
		/* Keepalives and garbage: peer-triggerable, so debug only. */
		nkd_log(NKD_MOD_IKE, NKD_DEBUG, "%zd bytes from %s:%u: not an ISAKMP message", n,
			from, nkd_sockaddr_port(peer));
		return;
	}
	c = nkd_route(d->conns, NKD_CONNS_MAX, &hdr, &local, peer);
	if (!c) {
		nkd_log(NKD_MOD_IKE, NKD_DEBUG, "message from %s:%u matches no connection, dropped",
			from, nkd_sockaddr_port(peer));
		return;
	}
	ev.u.dgram.local = local;
	ev.u.dgram.remote = *peer;
	ev.u.dgram.buf = buf;
	ev.u.dgram.len = (size_t)n;
	nkd_conn_event(d, c, &ev);
}

unsigned nkd_dgram_input(struct nkd *d, enum ike_sock_slot slot)
{
	static uint8_t bufs[NKD_RECV_MMSG][IKE_ENGINE_MAX_MSG + 64];
	static struct ike_sock_dgram v[NKD_RECV_MMSG];
	struct ifcache ifc = { .ifindex = 0 };
	int n;

	for (unsigned i = 0; i < NKD_RECV_MMSG; i++) {
		v[i].buf = bufs[i];
		v[i].cap = sizeof(bufs[i]);
	}
	n = ike_socket_recv_batch(d->socks.fd[slot], v, NKD_RECV_MMSG);
	if (n < 0) {
		if (n != -EAGAIN && n != -EWOULDBLOCK)
			nkd_log(NKD_MOD_IKE, NKD_DEBUG, "recv: %s", strerror(-n));
		return 0;
	}
	for (int i = 0; i < n && !d->stop; i++)
		dgram_handle(d, slot, &v[i], &ifc);
	return (unsigned)n;
}

static void keepalive_one(struct nkd *d, const struct nkd_ka_rx *rx)
{
	struct ike_event ev = { .type = IKE_EV_KEEPALIVE };

	if (!nkd_ka_parse(rx->buf, rx->len, d->o.port_natt, &ev.u.dgram.remote, &ev.u.dgram.local))
		return;
	/* A timestamp older than ten drain periods (a step of the wall
	 * clock in between): counted now. */
	ev.u.dgram.rx_ms = nkd_clock_mono_of(&nkd_clk, rx->ts, 10 * NKD_KA_DRAIN_MS);
	d->ka_seen++;
	for (unsigned i = 0; i < NKD_CONNS_MAX; i++) {
		struct nkd_conn *c = d->conns[i];

		if (c && c->eng && ike_engine_peer_at(c->eng, &ev.u.dgram.remote)) {
			nkd_conn_event(d, c, &ev);
			return;
		}
	}
	d->ka_unmatched++;
}

void nkd_keepalives_drain(struct nkd *d)
{
	struct nkd_ka_rx rx[NKD_KA_RECV_MAX];
	uint32_t drops = d->ka_drops;
	unsigned n;

	do {
		n = nkd_ka_recv(d->ka_fd, rx, NKD_KA_RECV_MAX, &drops);
		for (unsigned i = 0; i < n && !d->stop; i++)
			keepalive_one(d, &rx[i]);
	} while (n == NKD_KA_RECV_MAX && !d->stop);
	if (drops != d->ka_drops) {
		/* At most one line per drain period, and only when the kernel
		 * dropped some: the audit may then call live peers silent. */
		nkd_log(NKD_MOD_NATT, NKD_WARN,
			"NAT-keepalive observer: %u keepalive(s) dropped, its socket buffer was full; "
			"the keepalive audit may report peers as silent",
			drops - d->ka_drops);
		d->ka_drops = drops;
	}
}

static void kernel_event_cb(const struct xk_event *xe, void *arg)
{
	struct nkd *d = arg;
	struct ike_event ev = { .type = IKE_EV_KERNEL };
	uint32_t reqid = 0;

	switch (xe->type) {
	case XK_EV_ACQUIRE:
		reqid = xe->u.acquire.reqid;
		break;
	case XK_EV_EXPIRE_SOFT:
	case XK_EV_EXPIRE_HARD:
		reqid = xe->u.expire.reqid;
		break;
	case XK_EV_MAPPING:
		reqid = xe->u.mapping.reqid;
		break;
	default:
		return;
	}
	if (!xfrm_owned_reqid(reqid))
		return; /* another IKE daemon's state */
	for (unsigned i = 0; i < NKD_CONNS_MAX; i++) {
		struct nkd_conn *c = d->conns[i];

		if (c && c->eng && reqid >= c->cfg.reqid && reqid - c->cfg.reqid < c->n_pairs) {
			nkd_log(NKD_MOD_XFRM, NKD_DEBUG, "[%s] kernel event %d", c->name, xe->type);
			if (xe->type == XK_EV_ACQUIRE && c->down)
				return;
			ev.u.kernel = *xe;
			nkd_conn_event(d, c, &ev);
			return;
		}
	}
}

void nkd_kernel_input(struct nkd *d)
{
	int n;

	/* Non-blocking socket (set at startup): read until empty, bounded so
	 * a flood of kernel events cannot starve IKE. */
	for (int i = 0; i < 16; i++) {
		n = xfrm_io_read_events(&d->ev, kernel_event_cb, d);
		if (n < 0) {
			if (n != -EAGAIN && n != -EWOULDBLOCK && n != -EINTR)
				nkd_log(NKD_MOD_XFRM, NKD_WARN, "kernel events: %s", strerror(-n));
			break;
		}
	}
}
