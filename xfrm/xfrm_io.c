/* xfrm_io.c: NETLINK_XFRM socket I/O. Builds with xfrm_msg.c, sends, and maps answers back to
 * requests by netlink sequence number. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/xfrm.h>
#include <libmnl/libmnl.h>
#include <openssl/crypto.h>

#include "xfrm/xfrm_io.h"
#include "xfrm/xfrm_msg.h"

/* Requests per sendmsg are limited by this buffer (an SA message is ~400 bytes) and by a count:
 * every request gets its own ack skb, and the kernel charges each skb's truesize (~0.5-1 KiB,
 * not the 36-byte ack) to our receive buffer. 1100 DELSA acks in flight overflowed the default
 * 208 KiB with ENOBUFS in the 10,000-SA bench; 128 stay far below it. */
#define BATCH_BYTES    (64 * 1024)
#define BATCH_MAX_REQS 128
#define RECV_BYTES     (64 * 1024)

bool xfrm_owned_reqid(uint32_t reqid)
{
	return reqid >= XK_REQID_MIN && reqid <= XK_REQID_MAX;
}

int xfrm_io_open(struct xfrm_io *io, bool events, char *err, size_t err_len)
{
	int one = 1;
	int ret;

	memset(io, 0, sizeof(*io));
	io->nl = mnl_socket_open(NETLINK_XFRM);
	if (!io->nl) {
		ret = -errno;
		snprintf(err, err_len,
			 "netlink: socket(NETLINK_XFRM) failed: %s (xfrm_user module?)",
			 strerror(-ret));
		return ret;
	}
	/* Extended acks carry the kernel's reason text; capped acks echo only the header. */
	if (mnl_socket_setsockopt(io->nl, NETLINK_EXT_ACK, &one, sizeof(one)) < 0 ||
	    mnl_socket_setsockopt(io->nl, NETLINK_CAP_ACK, &one, sizeof(one)) < 0) {
		ret = -errno;
		snprintf(err, err_len, "netlink: setsockopt(NETLINK_EXT_ACK/CAP_ACK) failed: %s",
			 strerror(-ret));
		goto fail;
	}
	if (mnl_socket_bind(io->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		snprintf(err, err_len, "netlink: bind(NETLINK_XFRM) failed: %s", strerror(-ret));
		goto fail;
	}
	if (events) {
		/* Every ESP packet from a new NAT mapping yields one MAPPING event until the SA is
		 * moved: give bursts room (ENOBUFS still reports real loss to the caller). */
		int rcvbuf = 1 << 20;
		if (setsockopt(mnl_socket_get_fd(io->nl), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
			       sizeof(rcvbuf)) < 0)
			setsockopt(mnl_socket_get_fd(io->nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				   sizeof(rcvbuf));
		static const unsigned groups[] = { XFRMNLGRP_ACQUIRE, XFRMNLGRP_EXPIRE,
						   XFRMNLGRP_MAPPING };
		for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
			unsigned g = groups[i];
			if (mnl_socket_setsockopt(io->nl, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) <
			    0) {
				ret = -errno;
				snprintf(err, err_len,
					 "netlink: joining XFRM multicast group %u failed: %s", g,
					 strerror(-ret));
				goto fail;
			}
		}
	}
	io->portid = mnl_socket_get_portid(io->nl);
	io->seq = 1;
	return 0;
fail:
	mnl_socket_close(io->nl);
	io->nl = NULL;
	return ret;
}

void xfrm_io_close(struct xfrm_io *io)
{
	if (io->nl)
		mnl_socket_close(io->nl);
	io->nl = NULL;
}

int xfrm_io_fd(const struct xfrm_io *io)
{
	return mnl_socket_get_fd(io->nl);
}

static int req_build(void *buf, size_t len, uint32_t seq, const struct xk_req *r)
{
	switch (r->type) {
	case XK_REQ_SPI_ALLOC:
		return xfrm_msg_build_spi_alloc(buf, len, seq, &r->u.spi);
	case XK_REQ_SA_ADD:
		return xfrm_msg_build_sa(buf, len, seq, &r->u.sa, false);
	case XK_REQ_SA_UPDATE:
		return xfrm_msg_build_sa(buf, len, seq, &r->u.sa, true);
	case XK_REQ_SA_DELETE:
		return xfrm_msg_build_sa_id(buf, len, seq, XFRM_MSG_DELSA, &r->u.sa_id);
	case XK_REQ_SA_GET:
		return xfrm_msg_build_sa_id(buf, len, seq, XFRM_MSG_GETSA, &r->u.sa_id);
	case XK_REQ_SA_MOVE:
		return xfrm_msg_build_sa_move(buf, len, seq, &r->u.move);
	case XK_REQ_POLICY_ADD:
		return xfrm_msg_build_policy(buf, len, seq, &r->u.policy, false);
	case XK_REQ_POLICY_UPDATE:
		return xfrm_msg_build_policy(buf, len, seq, &r->u.policy, true);
	case XK_REQ_POLICY_DELETE:
		return xfrm_msg_build_policy_del(buf, len, seq, &r->u.policy_id, 0);
	}
	return -EINVAL;
}

/* Errors that mean "the kernel has no such algorithm": name the algorithms in the report. */
static void result_name_algs(const struct xk_req *r, struct xk_result *res)
{
	if (r->type != XK_REQ_SA_ADD && r->type != XK_REQ_SA_UPDATE)
		return;
	if (res->error != -ENOSYS && res->error != -ENOENT && res->error != -EOPNOTSUPP)
		return;
	const char *e = xfrm_enc_name(r->u.sa.enc);
	const char *a = xfrm_auth_name(r->u.sa.auth);
	size_t l = strlen(res->msg);
	snprintf(res->msg + l, sizeof(res->msg) - l, "%salgorithm %s%s%s not supported by kernel",
		 l ? "; " : "", e ? e : "?", a ? " + " : "", a ? a : "");
}

/* Whether request r's success is answered by a reply of its own (the SA asked for). */
static bool req_has_reply(const struct xk_req *r)
{
	return r->type == XK_REQ_SPI_ALLOC || r->type == XK_REQ_SA_GET;
}

/* One acknowledgement per batch, not per request: the kernel handles the messages of one
 * sendmsg() in order and answers a failure whether NLM_F_ACK is set or not, so every request
 * but the last goes without the flag (its success is silent), and the last one's answer (its
 * ack, its error, or its reply) comes after everything the kernel said about the others. In
 * user-mode-linux every recvmsg() costs a trap: five SA/policy requests of a Quick Mode now
 * take one instead of five. The last request keeps NLM_F_ACK unless its success has a reply of
 * its own (SPI_ALLOC, SA_GET). */
static void batch_acks(char *buf, size_t used, size_t last_off, const struct xk_req *last)
{
	for (size_t off = 0; off < used;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(buf + off);

		if (off != last_off || req_has_reply(last))
			nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
}

/* Receive until request last (the batch's last, see batch_acks()) has its answer; the answers
 * of [first, last) came before it. */
static int batch_collect(struct xfrm_io *io, uint32_t base, size_t first, size_t last,
			 const struct xk_req *reqs, struct xk_result *res)
{
	static char buf[RECV_BYTES] __attribute__((aligned(4)));
	bool pending = true;

	while (pending) {
		ssize_t n = mnl_socket_recvfrom(io->nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int left = (int)n;
		for (; xfrm_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			if (io->tap)
				io->tap(nlh, nlh->nlmsg_len, io->tap_arg);
			uint32_t seq = nlh->nlmsg_seq;
			size_t i;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				int err;
				char msg[sizeof(res->msg)];
				if (xfrm_msg_parse_error(nlh, &err, msg, sizeof(msg), &seq) < 0)
					continue;
				i = seq - base;
				if (seq < base || i < first || i > last)
					continue; /* not ours (stale) */
				res[i].error = err;
				memcpy(res[i].msg, msg, sizeof(msg));
				result_name_algs(&reqs[i], &res[i]);
				if (i == last)
					pending = false;
			} else if (nlh->nlmsg_type == XFRM_MSG_NEWSA) {
				i = seq - base;
				if (seq < base || i < first || i > last)
					continue;
				if (xfrm_msg_parse_sa(nlh, &res[i].info) == 0)
					res[i].spi = res[i].info.sa.spi;
				if (i == last && req_has_reply(&reqs[i]))
					pending = false;
			}
		}
	}
	return 0;
}

int xfrm_io_submit(struct xfrm_io *io, const struct xk_req *reqs, size_t n, struct xk_result *res)
{
	static char buf[BATCH_BYTES] __attribute__((aligned(8)));
	/* Each message is built here, then copied into the batch: the builders lay structs with
	 * 64-bit members (xfrm_userpolicy_info, xfrm_usersa_info) over the buffer, and a message
	 * in a batch starts only 4-byte aligned (NLMSG_ALIGN). */
	static char one[BATCH_BYTES] __attribute__((aligned(8)));
	uint32_t base = io->seq;
	size_t i = 0;
	int ret = 0;

	io->seq += (uint32_t)n;
	for (size_t k = 0; k < n; k++) {
		memset(&res[k], 0, sizeof(res[k]));
		res[k].cookie = reqs[k].cookie;
	}
	while (i < n) {
		size_t used = 0, first = i, in_batch = 0, last_off = 0;
		for (; i < n && in_batch < BATCH_MAX_REQS; i++) {
			int l = req_build(one, sizeof(buf) - used, base + (uint32_t)i, &reqs[i]);
			if (l > 0) {
				memcpy(buf + used, one, (size_t)l);
				OPENSSL_cleanse(one, (size_t)l); /* SA messages carry keys */
			}
			if (l < 0 && used > 0)
				break; /* send this batch; request i is retried on its own */
			if (l < 0) {
				res[i].error = l;
				snprintf(res[i].msg, sizeof(res[i].msg), "request not expressible");
				result_name_algs(&reqs[i], &res[i]);
				first = i + 1;
				continue;
			}
			last_off = used;
			used += (size_t)l;
			in_batch++;
		}
		if (in_batch == 0)
			break;
		/* The built requests are [first, i): one skipped as not expressible only
		 * ever moves first (or ends the batch). */
		batch_acks(buf, used, last_off, &reqs[i - 1]);
		ret = mnl_socket_sendto(io->nl, buf, used) < 0 ? -errno : 0;
		OPENSSL_cleanse(buf, used); /* SA messages carry keys */
		if (ret < 0)
			return ret;
		ret = batch_collect(io, base, first, i - 1, reqs, res);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int xfrm_io_read_events(struct xfrm_io *io, void (*cb)(const struct xk_event *ev, void *arg),
			void *arg)
{
	static char buf[RECV_BYTES] __attribute__((aligned(4)));
	int count = 0;

	ssize_t n = mnl_socket_recvfrom(io->nl, buf, sizeof(buf));
	if (n < 0)
		return -errno;
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int left = (int)n;
	for (; xfrm_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		struct xk_event ev;
		if (io->tap)
			io->tap(nlh, nlh->nlmsg_len, io->tap_arg);
		if (xfrm_msg_parse_event(nlh, &ev) == 0) {
			cb(&ev, arg);
			count++;
		}
	}
	return count;
}

/* One dump: send the request, call each(nlh) for every entry until NLMSG_DONE. */
static int dump_run(struct xfrm_io *io, uint16_t type,
		    void (*each)(const struct nlmsghdr *nlh, void *arg), void *arg)
{
	static char buf[RECV_BYTES] __attribute__((aligned(4)));
	uint32_t seq = io->seq++;
	int l = xfrm_msg_build_dump(buf, sizeof(buf), seq, type);

	if (l < 0)
		return l;
	if (mnl_socket_sendto(io->nl, buf, (size_t)l) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(io->nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int left = (int)n;
		for (; xfrm_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			if (io->tap)
				io->tap(nlh, nlh->nlmsg_len, io->tap_arg);
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				int err = 0;
				char msg[128];
				if (xfrm_msg_parse_error(nlh, &err, msg, sizeof(msg), NULL) < 0)
					return -EBADMSG;
				return err;
			}
			each(nlh, arg);
		}
	}
}

struct sa_dump_ctx {
	void (*cb)(const struct xk_sa_info *sa, void *arg);
	void *arg;
};

static void sa_dump_each(const struct nlmsghdr *nlh, void *arg)
{
	struct sa_dump_ctx *c = arg;
	struct xk_sa_info info;

	if (xfrm_msg_parse_sa(nlh, &info) == 0)
		c->cb(&info, c->arg);
}

int xfrm_io_dump_sas(struct xfrm_io *io, void (*cb)(const struct xk_sa_info *sa, void *arg),
		     void *arg)
{
	struct sa_dump_ctx c = { cb, arg };
	return dump_run(io, XFRM_MSG_GETSA, sa_dump_each, &c);
}

struct pol_dump_ctx {
	void (*cb)(const struct xk_policy *p, uint32_t index, void *arg);
	void *arg;
};

static void pol_dump_each(const struct nlmsghdr *nlh, void *arg)
{
	struct pol_dump_ctx *c = arg;
	struct xk_policy p;
	uint32_t index;

	if (xfrm_msg_parse_policy(nlh, &p, &index) == 0)
		c->cb(&p, index, c->arg);
}

int xfrm_io_dump_policies(struct xfrm_io *io,
			  void (*cb)(const struct xk_policy *p, uint32_t index, void *arg),
			  void *arg)
{
	struct pol_dump_ctx c = { cb, arg };
	return dump_run(io, XFRM_MSG_GETPOLICY, pol_dump_each, &c);
}

/* Cleanup collects owned entries first (the kernel cannot be changed during a dump), then
 * deletes them in batches. */
struct owned {
	struct xk_req *reqs;
	size_t n, cap;
	int err;
};

static struct xk_req *owned_push(struct owned *o)
{
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 64;
		struct xk_req *r = realloc(o->reqs, cap * sizeof(*r));
		if (!r) {
			o->err = -ENOMEM;
			return NULL;
		}
		o->reqs = r;
		o->cap = cap;
	}
	struct xk_req *r = &o->reqs[o->n++];
	memset(r, 0, sizeof(*r));
	return r;
}

static void owned_sa(const struct xk_sa_info *sa, void *arg)
{
	struct owned *o = arg;
	if (!xfrm_owned_reqid(sa->sa.reqid))
		return;
	struct xk_req *r = owned_push(o);
	if (!r)
		return;
	r->type = XK_REQ_SA_DELETE;
	r->u.sa_id.dst = sa->sa.dst;
	r->u.sa_id.spi = sa->sa.spi;
	r->u.sa_id.mark = sa->sa.mark;
}

static void owned_policy(const struct xk_policy *p, uint32_t index, void *arg)
{
	struct owned *o = arg;
	(void)index;
	if (!p->has_tmpl || !xfrm_owned_reqid(p->tmpl.reqid))
		return;
	struct xk_req *r = owned_push(o);
	if (!r)
		return;
	r->type = XK_REQ_POLICY_DELETE;
	r->u.policy_id.sel = p->sel;
	r->u.policy_id.dir = p->dir;
	r->u.policy_id.mark = p->mark;
	if (!r->u.policy_id.sel.src.family && !r->u.policy_id.sel.dst.family)
		r->u.policy_id.sel.src.family = XK_AF_INET; /* kernel always reports a family */
}

static int owned_delete(struct xfrm_io *io, struct owned *o, unsigned *count)
{
	int ret = o->err;
	struct xk_result *res = NULL;

	if (ret == 0 && o->n) {
		res = calloc(o->n, sizeof(*res));
		ret = res ? xfrm_io_submit(io, o->reqs, o->n, res) : -ENOMEM;
	}
	unsigned done = 0;
	for (size_t i = 0; ret == 0 && i < o->n; i++)
		if (res[i].error == 0 || res[i].error == -ENOENT || res[i].error == -ESRCH)
			done++;
	if (count)
		*count = done;
	free(res);
	free(o->reqs);
	memset(o, 0, sizeof(*o));
	return ret;
}

int xfrm_io_cleanup_owned(struct xfrm_io *io, unsigned *n_sa, unsigned *n_pol)
{
	struct owned o = { 0 };
	int ret;

	/* Policies first: with the SAs gone first, traffic would ACQUIRE new SAs meanwhile. */
	ret = xfrm_io_dump_policies(io, owned_policy, &o);
	if (ret < 0) {
		o.err = ret; /* only free what was collected */
		owned_delete(io, &o, NULL);
		return ret;
	}
	ret = owned_delete(io, &o, n_pol);
	if (ret < 0)
		return ret;
	ret = xfrm_io_dump_sas(io, owned_sa, &o);
	if (ret < 0) {
		o.err = ret; /* only free what was collected */
		owned_delete(io, &o, NULL);
		return ret;
	}
	return owned_delete(io, &o, n_sa);
}
