// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The control socket: one request per connection (tools/ctl/ctl_proto.h),
 * answered synchronously. Access control is the socket file's mode (0660,
 * root's group): whoever may connect may administer.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "ike/engine_status.h"
#include "tools/ctl/ctl_proto.h"
#include "tools/natkeyd/natkeyd.h"
#include "tools/natkeyd/natkeyd_log.h"

/* Largest answer: a gateway conn with hundreds of road warriors fits
 * (about 1 KiB of JSON per IKE SA with its IPsec SA); within CTL_BODY_MAX. */
#define NKD_BODY_MAX (4u * 1024 * 1024)

int nkd_ctl_open(const char *path, char *err, size_t err_len)
{
	struct sockaddr_un sun;
	size_t n = strlen(path);
	mode_t old;
	int fd;

	if (n >= sizeof(sun.sun_path)) {
		snprintf(err, err_len, "control socket path %s is too long", path);
		return -ENAMETOOLONG;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		int e = errno;

		snprintf(err, err_len, "control socket: %s", strerror(e));
		return -e;
	}
	/* A stale socket of a crashed natkeyd (the pid file lock proved no
	 * other natkeyd runs). */
	unlink(path);
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 8) < 0) {
		int e = errno;

		umask(old);
		snprintf(err, err_len, "control socket %s: %s", path, strerror(e));
		close(fd);
		return -e;
	}
	umask(old);
	return fd;
}

static const char *conn_state(const struct nkd_conn *c)
{
	struct ike_status st;

	if (!c->eng) /* type=passthrough|drop: its policies are in, or not */
		return c->n_shunt_in ? "routed" : "down";
	ike_engine_status(c->eng, &st);
	if (st.ipsec_sas)
		return "up";
	if (st.ike_sas)
		return "connecting";
	if (c->n_trap)
		return "routed";
	return "down";
}

static const char *auto_name(enum conf_auto a)
{
	switch (a) {
	case CONF_AUTO_ADD:
		return "add";
	case CONF_AUTO_START:
		return "start";
	case CONF_AUTO_ROUTE:
		return "route";
	default:
		return "ignore";
	}
}

/* A socket address in kernel-request form. */
static void ss_to_xk(const struct sockaddr_storage *ss, struct xk_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		a->family = XK_AF_INET;
		memcpy(a->bytes, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		a->family = XK_AF_INET6;
		memcpy(a->bytes, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
	}
}

/* Counters of one kernel SA (0 when it is gone). */
static void sa_counters(struct nkd *d, const struct sockaddr_storage *dst, uint32_t spi,
			uint64_t *bytes, uint64_t *packets)
{
	struct xk_req r = { .type = XK_REQ_SA_GET };
	struct xk_result res;

	*bytes = *packets = 0;
	if (!spi)
		return;
	ss_to_xk(dst, &r.u.sa_id.dst);
	r.u.sa_id.spi = spi;
	memset(&res, 0, sizeof(res));
	if (xfrm_io_submit(&d->req, &r, 1, &res) == 0 && res.error == 0) {
		*bytes = res.info.bytes;
		*packets = res.info.packets;
	}
}

/* A deadline for JSON: 0 when there is none (documented). */
static uint32_t secs(int64_t s)
{
	return s < 0 ? 0 : s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
}

/* Everything status shows of one connection: the engine's read-out
 * (tools/natkeyd/natkeyd_view.h), the kernel's counters, the configured IDs. */
struct conn_facts {
	char laddr[64], raddr[64], lid[CONF_ID_MAX + 1], rid[CONF_ID_MAX + 1];
	uint16_t lport, rport;
	char nat_method[40];
	struct nkd_facts e;
	struct ctl_child_sa_view child[NKD_VIEW_CHILDREN];
	struct ctl_ike_sa_view ike[NKD_VIEW_IKE];
	char ike_addr[NKD_VIEW_IKE][2][64]; /* local, remote */
	char ike_method[NKD_VIEW_IKE][40];
	char ike_vip[NKD_VIEW_IKE][64];
	char ike_dns[NKD_VIEW_IKE][IKE_MODECFG_DNS_MAX][48];
	struct ctl_nat_view ike_nat[NKD_VIEW_IKE];
	struct nkd_nat_text ike_nat_text[NKD_VIEW_IKE];
	char child_addr[NKD_VIEW_CHILDREN][2][64];
};

/* An endpoint for the JSON view, its text kept in @text. */
static void endpoint_view(const struct sockaddr_storage *ss, char *text, size_t len,
			  struct ctl_endpoint_view *v)
{
	nkd_sockaddr_to_text(ss, text, len);
	v->addr = text[0] ? text : NULL;
	v->port = nkd_sockaddr_port(ss);
}

static void facts_collect(struct nkd *d, const struct nkd_conn *c, uint64_t now,
			  struct conn_facts *f)
{
	const struct ike_sa_status *m;
	const struct sockaddr_storage *l, *r;
	const struct conf_conn *cc = d->conf ? conf_conn_find(d->conf, c->name) : NULL;

	memset(f, 0, sizeof(*f));
	if (c->eng)
		nkd_facts_collect(c->eng, now, &f->e);
	m = f->e.main;
	/* Where IKE runs now (after a float or a mapping change), else the
	 * configured endpoints. */
	l = m ? &m->local : &c->cfg.local;
	r = m ? &m->remote : &c->cfg.remote;
	nkd_sockaddr_to_text(l, f->laddr, sizeof(f->laddr));
	nkd_sockaddr_to_text(r, f->raddr, sizeof(f->raddr));
	f->lport = nkd_sockaddr_port(l);
	f->rport = nkd_sockaddr_port(r);
	nkd_natt_method_name(m ? m->method : NATT_METHOD_NONE, f->nat_method,
			     sizeof(f->nat_method));
	if (cc) {
		struct conf_id id;

		conf_conn_local_id(cc, &id);
		conf_id_format(&id, f->lid, sizeof(f->lid));
		conf_conn_remote_id(cc, &id);
		conf_id_format(&id, f->rid, sizeof(f->rid));
	}
	for (size_t i = 0; i < f->e.n_child; i++) {
		const struct ipsec_sa_status *k = &f->e.child[i];
		struct ctl_child_sa_view *s = &f->child[i];
		int owner = f->e.child_ike[i];

		s->spi_in = k->spi_in;
		s->spi_out = k->spi_out;
		s->ike_serial = owner == NKD_NO_IKE ? 0 : f->e.ike[owner].serial;
		s->mode = k->mode == XK_MODE_TUNNEL ? "tunnel" : "transport";
		s->udp_encap = k->udp_encap;
		endpoint_view(&k->local, f->child_addr[i][0], sizeof(f->child_addr[i][0]),
			      &s->local);
		endpoint_view(&k->remote, f->child_addr[i][1], sizeof(f->child_addr[i][1]),
			      &s->remote);
		s->proposal = f->e.child_proposal[i];
		/* Inbound SA: to our address; outbound: to the peer's. */
		sa_counters(d, &k->local, k->spi_in, &s->bytes_in, &s->packets_in);
		sa_counters(d, &k->remote, k->spi_out, &s->bytes_out, &s->packets_out);
		s->age_s = k->age_s;
		s->rekey_in_s = secs(k->rekey_in_s);
		s->rekey_planned = k->rekey_in_s >= 0;
		s->expires = k->expire_in_s >= 0;
		s->expire_in_s = secs(k->expire_in_s);
	}
	for (size_t i = 0; i < f->e.n_ike; i++) {
		const struct ike_sa_status *k = &f->e.ike[i];
		struct ctl_ike_sa_view *s = &f->ike[i];

		s->serial = k->serial;
		memcpy(s->cookie_i, k->cky_i, 8);
		memcpy(s->cookie_r, k->cky_r, 8);
		s->state = k->state;
		s->established = k->established;
		s->exchange = k->aggressive ? "aggressive" : "main";
		s->initiator = k->initiator;
		endpoint_view(&k->local, f->ike_addr[i][0], sizeof(f->ike_addr[i][0]), &s->local);
		endpoint_view(&k->remote, f->ike_addr[i][1], sizeof(f->ike_addr[i][1]), &s->remote);
		s->remote_id = f->e.ike_peer_id[i][0] ? f->e.ike_peer_id[i] : NULL;
		s->floated = k->floated;
		s->nat_method =
			nkd_natt_method_name(k->method, f->ike_method[i], sizeof(f->ike_method[i]));
		s->local_behind_nat = k->local_behind_nat;
		s->remote_behind_nat = k->peer_behind_nat;
		/* Documented: 0 when not sending keepalives (RFC 3948 s4: only
		 * the side behind a NAT sends them). */
		s->keepalive_s = k->keepalive_s;
		s->proposal = f->e.ike_proposal[i];
		s->age_s = k->age_s;
		s->rekey_in_s = secs(k->rekey_in_s);
		s->rekey_planned = k->rekey_in_s >= 0;
		s->expires = k->expire_in_s >= 0;
		s->expire_in_s = secs(k->expire_in_s);
		s->xauth_user = k->xauth_user[0] ? k->xauth_user : NULL;
		s->virtual_ip = NULL;
		if (k->virtual_ip.family && inet_ntop(k->virtual_ip.family, k->virtual_ip.bytes,
						      f->ike_vip[i], sizeof(f->ike_vip[i])))
			s->virtual_ip = f->ike_vip[i];
		s->n_dns = 0;
		for (unsigned n = 0; n < k->n_dns && n < 4; n++)
			if (inet_ntop(k->dns[n].family == XK_AF_INET ? AF_INET : AF_INET6,
				      k->dns[n].bytes, f->ike_dns[i][n], sizeof(f->ike_dns[i][n])))
				s->dns[s->n_dns++] = f->ike_dns[i][n];
		s->nat = NULL;
		if (k->established) {
			nkd_nat_view(k, now, &f->ike_nat_text[i], &f->ike_nat[i]);
			s->nat = &f->ike_nat[i];
		}
	}
}

/* The view of connection @c (what both `status` and `status --json` print
 * of it), pointing into @f. */
static void conn_view(struct nkd *d, const struct nkd_conn *c, uint64_t now, struct conn_facts *f,
		      struct ctl_conn_view *v)
{
	const struct ike_sa_status *m;

	facts_collect(d, c, now, f);
	m = f->e.main;
	memset(v, 0, sizeof(*v));
	v->name = c->name;
	v->state = conn_state(c);
	v->autostart = auto_name(c->autostart);
	v->local_addr = f->laddr[0] ? f->laddr : NULL;
	v->remote_addr = f->raddr[0] ? f->raddr : NULL;
	v->local_port = f->lport;
	v->remote_port = f->rport;
	v->local_id = f->lid;
	v->remote_id = f->rid;
	v->nat_method = f->nat_method;
	v->local_behind_nat = m && m->local_behind_nat;
	v->remote_behind_nat = m && m->peer_behind_nat;
	/* Documented: 0 when not sending keepalives (RFC 3948 s4: only the
	 * side behind a NAT sends them). */
	v->keepalive_s = m ? m->keepalive_s : 0;
	v->truncated = f->e.ike_total > f->e.n_ike || f->e.child_total > NKD_VIEW_CHILDREN;
	v->ike_sas_total = f->e.ike_total;
	v->child_sas_total = f->e.child_total;
	v->last_error = c->view.last_error[0] ? c->view.last_error : NULL;
	v->ike_sas = f->ike;
	v->n_ike_sas = f->e.n_ike;
	v->child_sas = f->child;
	v->n_child_sas = f->e.n_child;
}

/* Every loaded connection as text or JSON into @b, one connection at a
 * time: the facts of a busy gateway connection (hundreds of SAs) are held
 * for one connection only. */
static enum ctl_code status_write(struct nkd *d, bool json, struct ctl_buf *b)
{
	struct conn_facts *f = malloc(sizeof(*f));
	struct ctl_status_view st;
	struct ctl_conn_view v;
	struct ctl_json j;
	uint64_t now = nkd_now_ms();
	size_t n = 0;
	ssize_t len = 0;

	if (!f) {
		ctl_buf_put(b, "out of memory\n");
		return CTL_E_INTERNAL;
	}
	memset(&st, 0, sizeof(st));
	st.version = PACKAGE_VERSION;
	st.pid = (uint32_t)getpid();
	st.uptime_s = (now - d->start_ms) / 1000;
	st.config_file = d->o.conf_path;
	if (json) {
		ctl_json_init(&j, b->buf, b->cap);
		ctl_status_json_begin(&j, &st);
	}
	for (unsigned i = 0; i < NKD_CONNS_MAX && len >= 0; i++) {
		const struct nkd_conn *c = d->conns[i];

		if (!c)
			continue;
		conn_view(d, c, now, f, &v);
		n++;
		if (json) {
			ctl_status_json_conn(&j, &v);
			continue;
		}
		st.conns = &v;
		st.n_conns = 1;
		len = ctl_status_write_text(&st, b->buf + b->len, b->cap - b->len);
		b->len += len >= 0 ? (size_t)len : strlen(b->buf + b->len);
	}
	free(f);
	if (json) {
		len = ctl_status_json_end(&j);
		if (len < 0) {
			b->len = 0;
			b->overflow = false;
			ctl_buf_put(b, "the status of %zu connections does not fit %zu bytes\n", n,
				    b->cap);
			return CTL_E_INTERNAL;
		}
		b->len = (size_t)len;
		ctl_buf_put(b, "\n");
		return CTL_OK;
	}
	if (!n) {
		st.n_conns = 0;
		len = ctl_status_write_text(&st, b->buf, b->cap);
		b->len = len > 0 ? (size_t)len : 0;
	}
	/* Text cut at a line boundary is still useful. */
	if (len < 0)
		nkd_log(NKD_MOD_CTL, NKD_WARN, "status text cut at %zu bytes", b->cap);
	return b->len ? CTL_OK : CTL_E_INTERNAL;
}

struct sas_ctx {
	struct ctl_buf *b;
	struct ctl_json *j;
	unsigned n;
};

static void sas_cb(const struct xk_sa_info *si, void *arg)
{
	struct sas_ctx *x = arg;
	char src[64], dst[64];

	if (!xfrm_owned_reqid(si->sa.reqid))
		return;
	nkd_xk_addr_to_text(&si->sa.src, src, sizeof(src));
	nkd_xk_addr_to_text(&si->sa.dst, dst, sizeof(dst));
	x->n++;
	if (x->j) {
		char spi[12];

		snprintf(spi, sizeof(spi), "%08" PRIx32, si->sa.spi);
		ctl_json_object_begin(x->j);
		ctl_json_key(x->j, "src");
		ctl_json_string(x->j, src);
		ctl_json_key(x->j, "dst");
		ctl_json_string(x->j, dst);
		ctl_json_key(x->j, "spi");
		ctl_json_string(x->j, spi);
		ctl_json_key(x->j, "reqid");
		ctl_json_uint(x->j, si->sa.reqid);
		ctl_json_key(x->j, "mode");
		ctl_json_string(x->j, si->sa.mode == XK_MODE_TUNNEL ? "tunnel" : "transport");
		ctl_json_key(x->j, "udp_encap");
		ctl_json_bool(x->j, si->sa.encap.enabled);
		ctl_json_key(x->j, "encap_sport");
		ctl_json_uint(x->j, si->sa.encap.sport);
		ctl_json_key(x->j, "encap_dport");
		ctl_json_uint(x->j, si->sa.encap.dport);
		ctl_json_key(x->j, "bytes");
		ctl_json_uint(x->j, si->bytes);
		ctl_json_key(x->j, "packets");
		ctl_json_uint(x->j, si->packets);
		ctl_json_key(x->j, "larval");
		ctl_json_bool(x->j, si->larval);
		ctl_json_object_end(x->j);
		return;
	}
	ctl_buf_put(x->b, "%s -> %s spi %08" PRIx32 " reqid %#" PRIx32 " %s", src, dst, si->sa.spi,
		    si->sa.reqid, si->sa.mode == XK_MODE_TUNNEL ? "tunnel" : "transport");
	if (si->sa.encap.enabled)
		ctl_buf_put(x->b, " espinudp %u->%u", si->sa.encap.sport, si->sa.encap.dport);
	ctl_buf_put(x->b, "%s bytes %" PRIu64 " packets %" PRIu64 "\n", si->larval ? " larval" : "",
		    si->bytes, si->packets);
}

/* Close a `--json` answer that is one object holding one array (sas,
 * leases, nat) and make it the response; too big for the response buffer:
 * a one-line error naming @what instead. Return: 0, or -1. */
static int list_json_end(struct ctl_json *j, struct ctl_buf *b, const char *what)
{
	ssize_t len;

	ctl_json_array_end(j);
	ctl_json_object_end(j);
	len = ctl_json_finish(j);
	if (len < 0) {
		b->len = 0;
		b->overflow = false;
		ctl_buf_put(b, "%s list does not fit the response\n", what);
		return -1;
	}
	b->len = (size_t)len;
	ctl_buf_put(b, "\n");
	return 0;
}

static enum ctl_code do_sas(struct nkd *d, bool json, struct ctl_buf *b)
{
	struct sas_ctx x = { .b = b };
	struct ctl_json j;
	int rc;

	if (json) {
		ctl_json_init(&j, b->buf, b->cap);
		ctl_json_object_begin(&j);
		ctl_json_key(&j, "sas");
		ctl_json_array_begin(&j);
		x.j = &j;
	}
	rc = xfrm_io_dump_sas(&d->req, sas_cb, &x);
	if (rc < 0) {
		b->len = 0;
		b->overflow = false;
		ctl_buf_put(b, "kernel SA dump failed: %s\n", strerror(-rc));
		return CTL_E_INTERNAL;
	}
	if (json) {
		if (list_json_end(&j, b, "SA") < 0)
			return CTL_E_INTERNAL;
	} else if (!x.n) {
		ctl_buf_put(b, "no kernel SAs owned by natkeyd\n");
	}
	return CTL_OK;
}

/* `natkeyctl leases`: each conn's Mode Config pool, one line per lease. */
static enum ctl_code do_leases(struct nkd *d, bool json, struct ctl_buf *b)
{
	enum {
		LEASES_MAX = 4096
	};
	struct ike_lease_status *v = malloc(LEASES_MAX * sizeof(*v));
	struct ctl_json j;
	char a[64];
	size_t n, any = 0;
	uint32_t size;

	if (!v) {
		ctl_buf_put(b, "out of memory\n");
		return CTL_E_INTERNAL;
	}
	if (json) {
		ctl_json_init(&j, b->buf, b->cap);
		ctl_json_object_begin(&j);
		ctl_json_key(&j, "leases");
		ctl_json_array_begin(&j);
	}
	for (unsigned k = 0; k < NKD_CONNS_MAX; k++) {
		const struct nkd_conn *c = d->conns[k];

		if (!c)
			continue;
		/* One engine per conn: its conn is index 0. */
		n = ike_status_leases(c->eng, 0, v, LEASES_MAX, &size);
		if (!size)
			continue;
		for (size_t i = 0; i < n && i < LEASES_MAX; i++) {
			if (!inet_ntop(v[i].addr.family, v[i].addr.bytes, a, sizeof(a)))
				a[0] = '\0';
			if (json) {
				ctl_json_object_begin(&j);
				ctl_json_key(&j, "conn");
				ctl_json_string(&j, c->name);
				ctl_json_key(&j, "address");
				ctl_json_string(&j, a);
				ctl_json_key(&j, "owner");
				ctl_json_string(&j, v[i].owner);
				ctl_json_key(&j, "online");
				ctl_json_bool(&j, v[i].online);
				ctl_json_object_end(&j);
			} else {
				ctl_buf_put(b, "%s: %s %s %s\n", c->name, a, v[i].owner,
					    v[i].online ? "online" : "offline");
			}
			any++;
		}
		if (!json)
			ctl_buf_put(b, "%s: %zu of %" PRIu32 " addresses leased%s\n", c->name, n,
				    size, n > LEASES_MAX ? " (the first 4096 shown)" : "");
	}
	free(v);
	if (json) {
		if (list_json_end(&j, b, "lease") < 0)
			return CTL_E_INTERNAL;
	} else if (!any && !b->len) {
		ctl_buf_put(b, "no Mode Config pool, or no lease yet\n");
	}
	return CTL_OK;
}

/* `natkeyctl nat`: every peer (established IKE SA, the newest of each)
 * with its NAT facts and diagnosis. */
static enum ctl_code do_nat(struct nkd *d, bool json, struct ctl_buf *b)
{
	uint64_t now = nkd_now_ms();
	struct ike_sa_status *v = NULL;
	size_t cap = 0, any = 0;
	struct nkd_nat_text t;
	struct ctl_nat_view nv;
	struct ctl_nat_peer_view p;
	struct ctl_json j;
	char peer[NATT_ENDPOINT_STRLEN], id[NKD_ID_MAX];

	if (json) {
		ctl_json_init(&j, b->buf, b->cap);
		ctl_json_object_begin(&j);
		ctl_json_key(&j, "peers");
		ctl_json_array_begin(&j);
	}
	for (unsigned k = 0; k < NKD_CONNS_MAX; k++) {
		const struct nkd_conn *c = d->conns[k];
		size_t n;

		if (!c || !c->eng)
			continue;
		n = ike_status_ike_list(c->eng, now, NULL, 0);
		if (n > cap) {
			struct ike_sa_status *nvp = realloc(v, n * sizeof(*v));

			if (!nvp) {
				free(v);
				b->len = 0;
				b->overflow = false;
				ctl_buf_put(b, "out of memory\n");
				return CTL_E_INTERNAL;
			}
			v = nvp;
			cap = n;
		}
		n = ike_status_ike_list(c->eng, now, v, cap);
		if (n > cap)
			n = cap;
		for (size_t i = 0; i < n; i++) {
			if (!nkd_nat_shown(v, i))
				continue;
			nkd_nat_view(&v[i], now, &t, &nv);
			memset(&p, 0, sizeof(p));
			p.conn = c->name;
			p.serial = v[i].serial;
			p.peer = natt_endpoint_format((const struct sockaddr *)&v[i].remote, peer,
						      sizeof(peer));
			p.id = v[i].peer_id.type
				       ? ike_status_id_format(&v[i].peer_id, id, sizeof(id))
				       : NULL;
			p.nat = &nv;
			if (json) {
				ctl_nat_json_peer(&j, &p);
			} else {
				if (!any)
					ctl_nat_text_header(b);
				ctl_nat_text_peer(b, &p);
			}
			any++;
		}
	}
	free(v);
	if (json) {
		if (list_json_end(&j, b, "peer") < 0)
			return CTL_E_INTERNAL;
	} else if (!any) {
		ctl_buf_put(b, "no established peer\n");
	}
	return CTL_OK;
}

static enum nkd_module module_of(enum ctl_log_module m)
{
	switch (m) {
	case CTL_MOD_IKE:
		return NKD_MOD_IKE;
	case CTL_MOD_NATT:
		return NKD_MOD_NATT;
	case CTL_MOD_XFRM:
		return NKD_MOD_XFRM;
	case CTL_MOD_CRYPTO:
		return NKD_MOD_CRYPTO;
	case CTL_MOD_ENGINE:
		return NKD_MOD_ENGINE;
	case CTL_MOD_CONF:
		return NKD_MOD_CONF;
	case CTL_MOD_CTL:
		return NKD_MOD_CTL;
	default:
		return NKD_MOD_COUNT; /* all */
	}
}

static enum ctl_code dispatch(struct nkd *d, const struct ctl_request *req, struct ctl_buf *b)
{
	struct nkd_conn *c;
	char msg[512];

	switch (req->cmd) {
	case CTL_CMD_STATUS:
		return status_write(d, req->json, b);
	case CTL_CMD_SAS:
		return do_sas(d, req->json, b);
	case CTL_CMD_LEASES:
		return do_leases(d, req->json, b);
	case CTL_CMD_NAT:
		return do_nat(d, req->json, b);
	case CTL_CMD_UP:
	case CTL_CMD_DOWN:
		c = nkd_conn_find(d, req->name);
		if (!c) {
			const struct conf_conn *cc = conf_conn_find(d->conf, req->name);

			ctl_buf_put(b, "%s: %s\n", req->name,
				    cc ? "the connection is auto=ignore (not loaded)"
				       : "no such connection in the configuration");
			return CTL_E_NO_SUCH_CONN;
		}
		if (req->cmd == CTL_CMD_UP) {
			nkd_log(NKD_MOD_CTL, NKD_INFO, "up %s requested", c->name);
			nkd_conn_up(d, c);
			ctl_buf_put(b, "initiating %s\n", c->name);
		} else if (req->peer) {
			if (!ike_status_ike_exists(c->eng, req->peer)) {
				ctl_buf_put(b,
					    "%s: no IKE SA #%" PRIu32
					    " (natkeyctl status lists them)\n",
					    c->name, req->peer);
				return CTL_E_NO_SUCH_PEER;
			}
			nkd_log(NKD_MOD_CTL, NKD_INFO, "down %s #%" PRIu32 " requested", c->name,
				req->peer);
			nkd_conn_down_peer(d, c, req->peer);
			ctl_buf_put(b, "%s: peer of IKE SA #%" PRIu32 " terminated\n", c->name,
				    req->peer);
		} else {
			nkd_log(NKD_MOD_CTL, NKD_INFO, "down %s requested", c->name);
			nkd_conn_down(d, c);
			ctl_buf_put(b, "%s terminated\n", c->name);
		}
		return CTL_OK;
	case CTL_CMD_RELOAD:
		if (nkd_reload(d, msg, sizeof(msg)) < 0) {
			ctl_buf_put(b, "%s\n", msg);
			return CTL_E_RELOAD_FAILED;
		}
		ctl_buf_put(b, "%s\n", msg);
		return CTL_OK;
	case CTL_CMD_LOG_LEVEL: {
		static const enum nkd_level lv[] = { [CTL_LOG_ERROR] = NKD_ERROR,
						     [CTL_LOG_WARN] = NKD_WARN,
						     [CTL_LOG_INFO] = NKD_INFO,
						     [CTL_LOG_DEBUG] = NKD_DEBUG };

		nkd_log_set_level(module_of(req->module), lv[req->level]);
		ctl_buf_put(b, "log level %s for %s\n", ctl_log_level_name(req->level),
			    ctl_log_module_name(req->module));
		return CTL_OK;
	}
	}
	return CTL_E_UNKNOWN_COMMAND;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w <= 0)
			return; /* the client went away or stalled past the timeout */
		p += w;
		n -= (size_t)w;
	}
}

void nkd_ctl_accept(struct nkd *d)
{
	struct timeval tv = { .tv_sec = 1, .tv_usec = 0 };
	char req_buf[CTL_REQUEST_MAX + 1];
	char hdr[CTL_HEADER_MAX];
	struct ctl_request req;
	struct ctl_buf b = { 0 };
	enum ctl_code code = CTL_E_INCOMPLETE;
	size_t len = 0;
	ssize_t hl;
	int fd;

	fd = accept4(d->ctlfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	/* One short request from a local admin: a bounded blocking read. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (code == CTL_E_INCOMPLETE && len < sizeof(req_buf)) {
		ssize_t r = recv(fd, req_buf + len, sizeof(req_buf) - len, 0);

		if (r <= 0)
			break;
		len += (size_t)r;
		code = ctl_request_parse(req_buf, len, &req);
	}
	b.cap = NKD_BODY_MAX;
	b.buf = malloc(b.cap);
	if (!b.buf) {
		close(fd);
		return;
	}
	if (code == CTL_OK) {
		code = dispatch(d, &req, &b);
	} else {
		if (code == CTL_E_INCOMPLETE)
			code = len ? CTL_E_TOO_LONG : CTL_E_EMPTY;
		ctl_buf_put(&b, "%s\n", ctl_code_message(code));
		nkd_log(NKD_MOD_CTL, NKD_DEBUG, "refused request: %s", ctl_code_name(code));
	}
	/* What the command logged is out before its answer: an admin (or a
	 * script) reading the log after natkeyctl returns finds it there. */
	nkd_log_flush();
	hl = ctl_response_header_format(hdr, sizeof(hdr), code, b.len);
	if (hl > 0) {
		write_all(fd, hdr, (size_t)hl);
		write_all(fd, b.buf, b.len);
	}
	free(b.buf);
	close(fd);
}
