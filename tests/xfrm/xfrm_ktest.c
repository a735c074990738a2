/* xfrm_ktest: drives xfrm/ against a real kernel (inside user-mode-linux, in a namespace the
 * scenario created). Scenario scripts tests/e2e/scenarios/xfrm/xfrm-*.sh run it and judge its
 * output against what iproute2 prints and what traffic does. Never run it on a host's own
 * namespace.
 *
 * Keys are a deterministic function of the SPI so that two namespaces running this program
 * install matching SAs without exchanging anything (test only).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/cryptouser.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <libmnl/libmnl.h>

#include "xfrm/ike_socket.h"
#include "xfrm/xfrm_io.h"
#include "xfrm/xfrm_msg.h"

static int die(const char *what, int err)
{
	fprintf(stderr, "xfrm_ktest: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return 1;
}

static int addr_parse(struct xk_addr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->bytes) == 1) {
		a->family = XK_AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->bytes) == 1) {
		a->family = XK_AF_INET6;
		return 0;
	}
	fprintf(stderr, "xfrm_ktest: bad address %s\n", s);
	return -1;
}

/* "10.1.0.0/24" */
static int net_parse(struct xk_addr *a, uint8_t *plen, const char *s)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", s);
	char *slash = strchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	*plen = (uint8_t)atoi(slash + 1);
	return addr_parse(a, buf);
}

static const char *addr_str(const struct xk_addr *a, char *buf, size_t len)
{
	if (a->family == XK_AF_UNSPEC)
		return snprintf(buf, len, "-"), buf;
	return inet_ntop(a->family == XK_AF_INET ? AF_INET : AF_INET6, a->bytes, buf,
			 (socklen_t)len);
}

static void key_fill(uint8_t *k, size_t len, uint32_t spi, uint8_t salt)
{
	for (size_t j = 0; j < len; j++)
		k[j] = (uint8_t)(spi * 7u + j * 13u + salt);
}

static void hex(char *out, const uint8_t *k, size_t len)
{
	for (size_t j = 0; j < len; j++)
		sprintf(out + 2 * j, "%02x", k[j]);
}

static int submit(struct xfrm_io *io, struct xk_req *reqs, size_t n, struct xk_result *res)
{
	int ret = xfrm_io_submit(io, reqs, n, res);
	int failed = 0;

	if (ret < 0)
		return die("netlink transport", ret);
	for (size_t i = 0; i < n; i++) {
		if (res[i].error) {
			fprintf(stderr, "xfrm_ktest: request %zu (type %d): %s: %s\n", i,
				reqs[i].type, strerror(-res[i].error), res[i].msg);
			failed = 1;
		}
	}
	return failed;
}

static int io_open(struct xfrm_io *io, bool events)
{
	char err[200];
	int ret = xfrm_io_open(io, events, err, sizeof(err));
	if (ret < 0)
		fprintf(stderr, "xfrm_ktest: %s\n", err);
	return ret;
}

/* ---- vector capture: every message received is written to DIR/<type>-<n>.bin ---- */
static const char *tap_dir;
static void tap_write(const void *msg, size_t len, void *arg)
{
	static unsigned n;
	const struct nlmsghdr *nlh = msg;
	char path[512];
	(void)arg;
	if (!tap_dir)
		return;
	snprintf(path, sizeof(path), "%s/%s-%u.bin", tap_dir, xfrm_msg_type_name(nlh->nlmsg_type),
		 n++);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(msg, 1, len, f);
		fclose(f);
	}
}

/* ---- matrix: every algorithm combination x mode x encap, and policies ---- */
struct alg_combo {
	enum xk_enc_alg enc;
	size_t enc_len;
	enum xk_auth_alg auth;
	size_t auth_len;
};

static const struct alg_combo combos[] = {
	{ XK_ENC_AES_CBC, 16, XK_AUTH_HMAC_SHA1_96, 20 },
	{ XK_ENC_AES_CBC, 16, XK_AUTH_HMAC_SHA256_128, 32 },
	{ XK_ENC_AES_CBC, 24, XK_AUTH_HMAC_SHA384_192, 48 },
	{ XK_ENC_AES_CBC, 32, XK_AUTH_HMAC_SHA512_256, 64 },
	{ XK_ENC_AES_CBC, 32, XK_AUTH_HMAC_SHA1_96, 20 },
	{ XK_ENC_AES_CBC, 24, XK_AUTH_HMAC_SHA256_128, 32 },
	{ XK_ENC_3DES_CBC, 24, XK_AUTH_HMAC_SHA1_96, 20 },
	{ XK_ENC_3DES_CBC, 24, XK_AUTH_HMAC_SHA256_128, 32 },
	{ XK_ENC_3DES_CBC, 24, XK_AUTH_HMAC_SHA384_192, 48 },
	{ XK_ENC_3DES_CBC, 24, XK_AUTH_HMAC_SHA512_256, 64 },
	{ XK_ENC_AES_GCM_16, 20, XK_AUTH_NONE, 0 },
	{ XK_ENC_AES_GCM_16, 28, XK_AUTH_NONE, 0 },
	{ XK_ENC_AES_GCM_16, 36, XK_AUTH_NONE, 0 },
};

static const unsigned trunc_bits[] = { 0, 96, 128, 192, 256 };

static int cmd_matrix(const char *expect_path)
{
	/* every combination over IPv4, then two of them (AES-CBC/SHA-256, AES-GCM-256) over IPv6 */
	enum {
		NC = sizeof(combos) / sizeof(combos[0]),
		N = (NC + 2) * 4
	};
	static struct xk_req reqs[N + 16];
	static struct xk_result res[N + 16];
	struct xfrm_io io;
	FILE *ex = fopen(expect_path, "w");
	size_t n = 0;
	char a1[64], a2[64], kh[2 * XK_KEY_MAX + 1];

	if (!ex)
		return die(expect_path, errno);
	if (io_open(&io, false) < 0)
		return 1;
	for (size_t k = 0; k < NC + 2; k++) {
		size_t c = k < NC ? k : k == NC ? 1 : NC - 1;
		bool v6 = k >= NC;
		for (int v = 0; v < 4; v++) {
			bool tunnel = v & 1, encap = v & 2;
			struct xk_req *r = &reqs[n];
			struct xk_sa *sa = &r->u.sa;
			memset(r, 0, sizeof(*r));
			r->type = XK_REQ_SA_ADD;
			uint32_t spi = 0x1000u + (uint32_t)n;
			addr_parse(&sa->src, v6 ? "2001:db8::1" : "192.0.2.1");
			addr_parse(&sa->dst, v6 ? "2001:db8:1::1" : "198.51.100.1");
			sa->spi = spi;
			sa->mode = tunnel ? XK_MODE_TUNNEL : XK_MODE_TRANSPORT;
			sa->reqid = XK_REQID_MIN + (uint32_t)n;
			sa->enc = combos[c].enc;
			sa->enc_key_len = combos[c].enc_len;
			key_fill(sa->enc_key, sa->enc_key_len, spi, 1);
			sa->auth = combos[c].auth;
			sa->auth_key_len = combos[c].auth_len;
			key_fill(sa->auth_key, sa->auth_key_len, spi, 2);
			sa->replay_window = (n % 3 == 0) ? 64 : 32;
			sa->lft.soft_bytes = 1000000 + n;
			sa->lft.hard_bytes = 2000000 + n;
			sa->lft.soft_add_s = 3000;
			sa->lft.hard_add_s = 3600;
			if (!tunnel) { /* transport: host-to-host selector */
				sa->sel.src = sa->src;
				sa->sel.dst = sa->dst;
				sa->sel.src_plen = v6 ? 128 : 32;
				sa->sel.dst_plen = v6 ? 128 : 32;
			} else {
				sa->sel.src.family = sa->src.family;
			}
			if (encap) {
				sa->encap.enabled = true;
				sa->encap.sport = 4500;
				sa->encap.dport = (uint16_t)(30000 + n);
			}
			const char *m = tunnel ? "tunnel" : "transport";
			fprintf(ex, "SA %08x spi 0x%08x(\n", spi, spi);
			fprintf(ex, "SA %08x reqid %u(0x%08x) mode %s\n", spi, sa->reqid, sa->reqid,
				m);
			fprintf(ex, "SA %08x src %s dst %s\n", spi,
				addr_str(&sa->src, a1, sizeof(a1)),
				addr_str(&sa->dst, a2, sizeof(a2)));
			fprintf(ex, "SA %08x replay-window %u seq\n", spi,
				sa->replay_window > 32 ? 0 : sa->replay_window);
			if (sa->replay_window > 32) /* XFRMA_REPLAY_ESN_VAL */
				fprintf(ex, "SA %08x replay_window %u, bitmap-length %u\n", spi,
					sa->replay_window, (sa->replay_window + 31) / 32);
			hex(kh, sa->enc_key, sa->enc_key_len);
			if (sa->enc == XK_ENC_AES_GCM_16) {
				fprintf(ex, "SA %08x aead %s 0x%s (%zu bits) 128\n", spi,
					xfrm_enc_name(sa->enc), kh, sa->enc_key_len * 8);
			} else {
				fprintf(ex, "SA %08x enc %s 0x%s\n", spi, xfrm_enc_name(sa->enc),
					kh);
				hex(kh, sa->auth_key, sa->auth_key_len);
				fprintf(ex, "SA %08x auth-trunc %s 0x%s (%zu bits) %u\n", spi,
					xfrm_auth_name(sa->auth), kh, sa->auth_key_len * 8,
					trunc_bits[sa->auth]);
			}
			if (encap)
				fprintf(ex,
					"SA %08x encap type espinudp sport 4500 dport %u addr %s\n",
					spi, sa->encap.dport, v6 ? "::" : "0.0.0.0");
			else
				fprintf(ex, "SA %08x !encap\n", spi);
			fprintf(ex, "SA %08x soft %llu(bytes), hard %llu(bytes)\n", spi,
				(unsigned long long)sa->lft.soft_bytes,
				(unsigned long long)sa->lft.hard_bytes);
			fprintf(ex, "SA %08x expire add: soft 3000(sec), hard 3600(sec)\n", spi);
			if (!tunnel)
				fprintf(ex, "SA %08x sel src %s/%u dst %s/%u\n", spi,
					addr_str(&sa->src, a1, sizeof(a1)), sa->sel.src_plen,
					addr_str(&sa->dst, a2, sizeof(a2)), sa->sel.dst_plen);
			n++;
		}
	}
	/* Policies: tunnel out/in/fwd and transport out/in, each with a unique priority. */
	static const struct {
		enum xk_dir dir;
		bool tunnel;
		const char *name;
	} pols[] = {
		{ XK_DIR_OUT, true, "out" }, { XK_DIR_IN, true, "in" },
		{ XK_DIR_FWD, true, "fwd" }, { XK_DIR_OUT, false, "out" },
		{ XK_DIR_IN, false, "in" },
	};
	for (size_t i = 0; i < sizeof(pols) / sizeof(pols[0]); i++) {
		struct xk_req *r = &reqs[n++];
		struct xk_policy *p = &r->u.policy;
		bool out = pols[i].dir == XK_DIR_OUT;
		memset(r, 0, sizeof(*r));
		r->type = XK_REQ_POLICY_ADD;
		p->dir = pols[i].dir;
		p->priority = 1000 + (uint32_t)i;
		p->has_tmpl = true;
		p->tmpl.reqid = XK_REQID_MIN + 0x100 + (uint32_t)i;
		p->tmpl.mode = pols[i].tunnel ? XK_MODE_TUNNEL : XK_MODE_TRANSPORT;
		if (i == 1) {
			p->mark.value = 0x5;
			p->mark.mask = 0xff;
		}
		const char *local = "192.0.2.1", *peer = "198.51.100.1";
		if (pols[i].tunnel) {
			net_parse(&p->sel.src, &p->sel.src_plen,
				  out ? "10.1.0.0/24" : "10.2.0.0/24");
			net_parse(&p->sel.dst, &p->sel.dst_plen,
				  out ? "10.2.0.0/24" : "10.1.0.0/24");
			addr_parse(&p->tmpl.src, out ? local : peer);
			addr_parse(&p->tmpl.dst, out ? peer : local);
		} else {
			addr_parse(&p->sel.src, out ? local : peer);
			addr_parse(&p->sel.dst, out ? peer : local);
			p->sel.src_plen = p->sel.dst_plen = 32;
			p->sel.proto = 17;
			p->sel.dport = out ? 53 : 0;
			p->sel.sport = out ? 0 : 53;
		}
		fprintf(ex, "POL %u dir %s priority %u\n", p->priority, pols[i].name, p->priority);
		fprintf(ex, "POL %u src %s/%u dst %s/%u\n", p->priority,
			addr_str(&p->sel.src, a1, sizeof(a1)), p->sel.src_plen,
			addr_str(&p->sel.dst, a2, sizeof(a2)), p->sel.dst_plen);
		if (pols[i].tunnel)
			fprintf(ex, "POL %u tmpl src %s dst %s\n", p->priority,
				addr_str(&p->tmpl.src, a1, sizeof(a1)),
				addr_str(&p->tmpl.dst, a2, sizeof(a2)));
		else
			fprintf(ex, "POL %u proto udp %s %u\n", p->priority,
				out ? "dport" : "sport", 53);
		fprintf(ex, "POL %u proto esp reqid %u mode %s\n", p->priority, p->tmpl.reqid,
			pols[i].tunnel ? "tunnel" : "transport");
		if (p->mark.mask)
			fprintf(ex, "POL %u mark 0x5/0xff\n", p->priority);
	}
	fclose(ex);
	int rc = submit(&io, reqs, n, res);
	/* Read every SA back with GETSA and compare with what was asked (the parser's view). */
	size_t nsa = n - 5;
	static struct xk_req gets[N];
	static struct xk_result gres[N];
	for (size_t i = 0; i < nsa; i++) {
		memset(&gets[i], 0, sizeof(gets[i]));
		gets[i].type = XK_REQ_SA_GET;
		gets[i].u.sa_id.dst = reqs[i].u.sa.dst;
		gets[i].u.sa_id.spi = reqs[i].u.sa.spi;
	}
	io.tap = tap_write;
	rc |= submit(&io, gets, nsa, gres);
	io.tap = NULL;
	for (size_t i = 0; i < nsa; i++) {
		const struct xk_sa *want = &reqs[i].u.sa, *got = &gres[i].info.sa;
		if (got->spi != want->spi || got->enc != want->enc || got->auth != want->auth ||
		    got->mode != want->mode || got->reqid != want->reqid ||
		    got->encap.enabled != want->encap.enabled ||
		    got->encap.dport != want->encap.dport ||
		    got->replay_window != want->replay_window ||
		    got->lft.hard_bytes != want->lft.hard_bytes) {
			fprintf(stderr, "xfrm_ktest: GETSA mismatch for spi 0x%x\n", want->spi);
			rc = 1;
		}
	}
	printf("matrix sa=%zu policies=5 rc=%d\n", nsa, rc);
	for (size_t i = 0; i < n; i++)
		memset(&reqs[i], 0, sizeof(reqs[i])); /* keys */
	xfrm_io_close(&io);
	return rc;
}

static int cmd_cleanup(void)
{
	struct xfrm_io io;
	unsigned ns = 0, np = 0;
	if (io_open(&io, false) < 0)
		return 1;
	int ret = xfrm_io_cleanup_owned(&io, &ns, &np);
	xfrm_io_close(&io);
	if (ret < 0)
		return die("cleanup", ret);
	printf("cleanup sa=%u pol=%u\n", ns, np);
	return 0;
}

static volatile sig_atomic_t stop;
static void on_signal(int s)
{
	(void)s;
	stop = 1;
}

/* Hold the IKE sockets open (ESP-in-UDP decapsulation needs the 4500 socket) and answer
 * "ping" datagrams with "pong" from the address they reached (proves IP_PKTINFO use). */
static int cmd_sockets(int argc, char **argv)
{
	if (argc < 3)
		return die("usage: sockets PORT_IKE PORT_NATT SECONDS [v6]", EINVAL);
	struct ike_socket_cfg cfg = { .v4 = true,
				      .v6 = argc > 3 && !strcmp(argv[3], "v6"),
				      .port_ike = (uint16_t)atoi(argv[0]),
				      .port_natt = (uint16_t)atoi(argv[1]) };
	struct ike_sockets s;
	char err[200];
	int ret = ike_sockets_open(&s, &cfg, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "xfrm_ktest: startup error: %s\n", err);
		return 1;
	}
	printf("sockets open\n");
	fflush(stdout);
	signal(SIGTERM, on_signal);
	time_t end = time(NULL) + atoi(argv[2]);
	while (!stop && time(NULL) < end) {
		struct pollfd p[IKE_SOCK_COUNT];
		int np = 0;
		for (int i = 0; i < IKE_SOCK_COUNT; i++)
			if (s.fd[i] >= 0)
				p[np++] = (struct pollfd){ .fd = s.fd[i], .events = POLLIN };
		if (poll(p, (nfds_t)np, 500) <= 0)
			continue;
		for (int i = 0; i < np; i++) {
			if (!(p[i].revents & POLLIN))
				continue;
			char buf[2048], a[64];
			struct sockaddr_storage peer;
			struct xk_addr local;
			int ifindex = 0;
			ssize_t n =
				ike_socket_recv(p[i].fd, buf, sizeof(buf), &peer, &local, &ifindex);
			if (n <= 0)
				continue;
			printf("recv %zd bytes to %s if %d\n", n, addr_str(&local, a, sizeof(a)),
			       ifindex);
			fflush(stdout);
			ike_socket_send(p[i].fd, "pong", 4, &peer, &local, 0);
		}
	}
	ike_sockets_close(&s);
	return 0;
}

/* Build one SA of an ESP-in-UDP pair. Keys depend on the SPI only. */
static void pair_sa(struct xk_sa *sa, const struct xk_addr *src, const struct xk_addr *dst,
		    uint16_t sport, uint16_t dport, uint32_t spi, uint32_t reqid, bool tunnel,
		    bool encap)
{
	memset(sa, 0, sizeof(*sa));
	sa->src = *src;
	sa->dst = *dst;
	sa->spi = spi;
	sa->reqid = reqid;
	sa->mode = tunnel ? XK_MODE_TUNNEL : XK_MODE_TRANSPORT;
	sa->enc = XK_ENC_AES_CBC;
	sa->enc_key_len = 16;
	key_fill(sa->enc_key, 16, spi, 1);
	sa->auth = XK_AUTH_HMAC_SHA256_128;
	sa->auth_key_len = 32;
	key_fill(sa->auth_key, 32, spi, 2);
	sa->replay_window = 32;
	const char *e = getenv("KT_SOFT_ADD");
	if (e)
		sa->lft.soft_add_s = (uint64_t)atoll(e);
	e = getenv("KT_HARD_ADD");
	if (e)
		sa->lft.hard_add_s = (uint64_t)atoll(e);
	if (!tunnel) {
		sa->sel.src = *src;
		sa->sel.dst = *dst;
		sa->sel.src_plen = sa->sel.dst_plen = src->family == XK_AF_INET ? 32 : 128;
	} else {
		sa->sel.src.family = src->family;
	}
	if (encap) {
		sa->encap.enabled = true;
		sa->encap.sport = sport;
		sa->encap.dport = dport;
	}
}

struct pair_args {
	struct xk_addr local, peer, lnet, pnet;
	uint8_t lplen, pplen;
	uint16_t lport, pport;
	uint32_t spi_out, spi_in, reqid;
	bool tunnel, encap, no_sa;
};

/* pair LOCAL PEER LPORT PPORT SPI_OUT SPI_IN REQID [LNET PNET]; LPORT 0 = no encap */
static int pair_parse(struct pair_args *a, int argc, char **argv)
{
	memset(a, 0, sizeof(*a));
	if (argc < 7 || addr_parse(&a->local, argv[0]) || addr_parse(&a->peer, argv[1]))
		return -1;
	a->lport = (uint16_t)atoi(argv[2]);
	a->pport = (uint16_t)atoi(argv[3]);
	a->encap = a->lport != 0;
	a->spi_out = (uint32_t)strtoul(argv[4], NULL, 0);
	a->spi_in = (uint32_t)strtoul(argv[5], NULL, 0);
	a->reqid = (uint32_t)strtoul(argv[6], NULL, 0);
	if (argc >= 9) {
		a->tunnel = true;
		if (net_parse(&a->lnet, &a->lplen, argv[7]) ||
		    net_parse(&a->pnet, &a->pplen, argv[8]))
			return -1;
	}
	return 0;
}

static size_t pair_policies(struct xk_req *r, const struct pair_args *a)
{
	size_t n = 0;
	static const enum xk_dir dirs[] = { XK_DIR_OUT, XK_DIR_IN, XK_DIR_FWD };
	for (size_t i = 0; i < (a->tunnel ? 3u : 2u); i++) {
		struct xk_policy *p = &r[n].u.policy;
		bool out = dirs[i] == XK_DIR_OUT;
		memset(&r[n], 0, sizeof(r[n]));
		r[n].type = XK_REQ_POLICY_ADD;
		p->dir = dirs[i];
		p->priority = 2000;
		p->has_tmpl = true;
		p->tmpl.reqid = a->reqid;
		if (a->tunnel) {
			p->sel.src = out ? a->lnet : a->pnet;
			p->sel.src_plen = out ? a->lplen : a->pplen;
			p->sel.dst = out ? a->pnet : a->lnet;
			p->sel.dst_plen = out ? a->pplen : a->lplen;
			p->tmpl.mode = XK_MODE_TUNNEL;
			p->tmpl.src = out ? a->local : a->peer;
			p->tmpl.dst = out ? a->peer : a->local;
		} else {
			p->sel.src = out ? a->local : a->peer;
			p->sel.dst = out ? a->peer : a->local;
			p->sel.src_plen = p->sel.dst_plen =
				a->local.family == XK_AF_INET ? 32 : 128;
			p->tmpl.mode = XK_MODE_TRANSPORT;
		}
		n++;
	}
	return n;
}

static int cmd_pair(int argc, char **argv, bool sa_only, bool pol_only)
{
	struct pair_args a;
	struct xk_req r[5];
	struct xk_result res[5];
	struct xfrm_io io;
	size_t n = 0;

	if (pair_parse(&a, argc, argv) < 0)
		return die("usage: pair LOCAL PEER LPORT PPORT SPI_OUT SPI_IN REQID [LNET PNET]",
			   EINVAL);
	if (io_open(&io, false) < 0)
		return 1;
	if (!pol_only) {
		memset(r, 0, 2 * sizeof(r[0]));
		r[0].type = r[1].type =
			sa_only && !getenv("KT_ADD") ? XK_REQ_SA_UPDATE : XK_REQ_SA_ADD;
		pair_sa(&r[0].u.sa, &a.local, &a.peer, a.lport, a.pport, a.spi_out, a.reqid,
			a.tunnel, a.encap);
		pair_sa(&r[1].u.sa, &a.peer, &a.local, a.pport, a.lport, a.spi_in, a.reqid,
			a.tunnel, a.encap);
		if (a.encap && getenv("KT_MAPPING_MAXAGE")) /* inbound SA only */
			r[1].u.sa.mapping_maxage_s = (uint32_t)atoi(getenv("KT_MAPPING_MAXAGE"));
		n = 2;
	}
	if (!sa_only)
		n += pair_policies(&r[n], &a);
	int rc = submit(&io, r, n, res);
	memset(r, 0, sizeof(r));
	xfrm_io_close(&io);
	printf("pair rc=%d\n", rc);
	return rc;
}

/* move LOCAL OLDPEER NEWPEER LPORT NEWPPORT REQID LNET PNET: MIGRATE out, in, fwd. */
static int cmd_move(int argc, char **argv)
{
	struct xk_addr local, oldp, newp, lnet, pnet;
	uint8_t lplen, pplen;
	struct xk_req r[3];
	struct xk_result res[3];
	struct xfrm_io io;

	if (argc < 8 || addr_parse(&local, argv[0]) || addr_parse(&oldp, argv[1]) ||
	    addr_parse(&newp, argv[2]) || net_parse(&lnet, &lplen, argv[6]) ||
	    net_parse(&pnet, &pplen, argv[7]))
		return die("usage: move LOCAL OLDPEER NEWPEER LPORT NEWPPORT REQID LNET PNET",
			   EINVAL);
	uint16_t lport = (uint16_t)atoi(argv[3]), pport = (uint16_t)atoi(argv[4]);
	uint32_t reqid = (uint32_t)strtoul(argv[5], NULL, 0);
	static const enum xk_dir dirs[] = { XK_DIR_OUT, XK_DIR_IN, XK_DIR_FWD };
	for (int i = 0; i < 3; i++) {
		bool out = dirs[i] == XK_DIR_OUT;
		struct xk_sa_move *m = &r[i].u.move;
		memset(&r[i], 0, sizeof(r[i]));
		r[i].type = XK_REQ_SA_MOVE;
		m->policy.dir = dirs[i];
		m->policy.sel.src = out ? lnet : pnet;
		m->policy.sel.src_plen = out ? lplen : pplen;
		m->policy.sel.dst = out ? pnet : lnet;
		m->policy.sel.dst_plen = out ? pplen : lplen;
		m->old_src = out ? local : oldp;
		m->old_dst = out ? oldp : local;
		m->new_src = out ? local : newp;
		m->new_dst = out ? newp : local;
		m->mode = XK_MODE_TUNNEL;
		m->reqid = reqid;
		m->new_encap.enabled = true;
		m->new_encap.sport = out ? lport : pport;
		m->new_encap.dport = out ? pport : lport;
	}
	if (io_open(&io, false) < 0)
		return 1;
	int rc = submit(&io, r, 3, res);
	xfrm_io_close(&io);
	printf("move rc=%d\n", rc);
	return rc;
}

static void ev_print(const struct xk_event *ev, void *arg)
{
	char a[64], b[64];
	int *count = arg;
	switch (ev->type) {
	case XK_EV_ACQUIRE: {
		const struct xk_ev_acquire *q = &ev->u.acquire;
		char s1[64], s2[64];
		printf("EVENT ACQUIRE src=%s dst=%s reqid=%u mode=%s sel=%s/%u->%s/%u\n",
		       addr_str(&q->src, a, sizeof(a)), addr_str(&q->dst, b, sizeof(b)), q->reqid,
		       q->mode == XK_MODE_TUNNEL ? "tunnel" : "transport",
		       addr_str(&q->sel.src, s1, sizeof(s1)), q->sel.src_plen,
		       addr_str(&q->sel.dst, s2, sizeof(s2)), q->sel.dst_plen);
		break;
	}
	case XK_EV_EXPIRE_SOFT:
	case XK_EV_EXPIRE_HARD:
		printf("EVENT EXPIRE %s spi=0x%08x dst=%s reqid=%u\n",
		       ev->type == XK_EV_EXPIRE_SOFT ? "soft" : "hard", ev->u.expire.id.spi,
		       addr_str(&ev->u.expire.id.dst, a, sizeof(a)), ev->u.expire.reqid);
		break;
	case XK_EV_MAPPING: {
		const struct xk_ev_mapping *m = &ev->u.mapping;
		printf("EVENT MAPPING spi=0x%08x reqid=%u old=%s:%u new=%s:%u\n", m->spi, m->reqid,
		       addr_str(&m->old_addr, a, sizeof(a)), m->old_port,
		       addr_str(&m->new_addr, b, sizeof(b)), m->new_port);
		break;
	}
	case XK_EV_POLICY_EXPIRE:
		printf("EVENT POLEXPIRE\n");
		break;
	}
	fflush(stdout);
	(*count)++;
}

/* events COUNT SECONDS [VECDIR]: print events until COUNT seen or SECONDS passed. */
static int cmd_events(int argc, char **argv)
{
	struct xfrm_io io;
	int want = argc > 0 ? atoi(argv[0]) : 1;
	int secs = argc > 1 ? atoi(argv[1]) : 10;
	int count = 0;

	tap_dir = argc > 2 ? argv[2] : NULL;
	if (io_open(&io, true) < 0)
		return 1;
	io.tap = tap_write;
	printf("listening\n");
	fflush(stdout);
	time_t end = time(NULL) + secs;
	while (count < want && time(NULL) < end) {
		struct pollfd p = { .fd = xfrm_io_fd(&io), .events = POLLIN };
		if (poll(&p, 1, 200) <= 0)
			continue;
		int r = xfrm_io_read_events(&io, ev_print, &count);
		if (r < 0 && r != -EAGAIN && r != -ENOBUFS)
			return die("events", r);
	}
	xfrm_io_close(&io);
	printf("events seen=%d\n", count);
	return count >= want ? 0 : 1;
}

/* get DST SPI: print counters (status output source). */
static int cmd_get(int argc, char **argv)
{
	struct xk_req r;
	struct xk_result res;
	struct xfrm_io io;
	if (argc < 2)
		return die("usage: get DST SPI", EINVAL);
	memset(&r, 0, sizeof(r));
	r.type = XK_REQ_SA_GET;
	if (addr_parse(&r.u.sa_id.dst, argv[0]))
		return 1;
	r.u.sa_id.spi = (uint32_t)strtoul(argv[1], NULL, 0);
	if (io_open(&io, false) < 0)
		return 1;
	int rc = submit(&io, &r, 1, &res);
	xfrm_io_close(&io);
	if (rc)
		return rc;
	printf("sa spi=0x%08x bytes=%llu packets=%llu replay_seq=%u oseq=%u encap_dport=%u\n",
	       res.info.sa.spi, (unsigned long long)res.info.bytes,
	       (unsigned long long)res.info.packets, res.info.replay_seq, res.info.oseq,
	       res.info.sa.encap.dport);
	return 0;
}

/* del DST SPI: DELSA. */
static int cmd_del(int argc, char **argv)
{
	struct xk_req r;
	struct xk_result res;
	struct xfrm_io io;
	if (argc < 2)
		return die("usage: del DST SPI", EINVAL);
	memset(&r, 0, sizeof(r));
	r.type = XK_REQ_SA_DELETE;
	if (addr_parse(&r.u.sa_id.dst, argv[0]))
		return 1;
	r.u.sa_id.spi = (uint32_t)strtoul(argv[1], NULL, 0);
	if (io_open(&io, false) < 0)
		return 1;
	int rc = submit(&io, &r, 1, &res);
	xfrm_io_close(&io);
	return rc;
}

/* spi SRC DST REQID [MIN MAX]: ALLOCSPI and print the SPI. */
static int cmd_spi(int argc, char **argv)
{
	struct xk_req r;
	struct xk_result res;
	struct xfrm_io io;
	if (argc < 3)
		return die("usage: spi SRC DST REQID [MIN MAX]", EINVAL);
	memset(&r, 0, sizeof(r));
	r.type = XK_REQ_SPI_ALLOC;
	if (addr_parse(&r.u.spi.src, argv[0]) || addr_parse(&r.u.spi.dst, argv[1]))
		return 1;
	r.u.spi.reqid = (uint32_t)strtoul(argv[2], NULL, 0);
	r.u.spi.mode = XK_MODE_TUNNEL;
	r.u.spi.min = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 0) : XK_SPI_MIN;
	r.u.spi.max = argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 0) : XK_SPI_MAX;
	if (io_open(&io, false) < 0)
		return 1;
	tap_dir = getenv("KT_VECDIR");
	io.tap = tap_write;
	int rc = submit(&io, &r, 1, &res);
	xfrm_io_close(&io);
	if (rc)
		return rc;
	printf("spi 0x%08x\n", res.spi);
	return res.spi >= r.u.spi.min && res.spi <= r.u.spi.max ? 0 : 1;
}

/* badsa: an SA the kernel must refuse; print the error report (ext-ack + algorithm names). */
static int cmd_badsa(int argc, char **argv)
{
	struct xk_req r;
	struct xk_result res;
	struct xfrm_io io;
	(void)argc;
	(void)argv;
	memset(&r, 0, sizeof(r));
	r.type = XK_REQ_SA_ADD;
	pair_sa(&r.u.sa, &(struct xk_addr){ 0 }, &(struct xk_addr){ 0 }, 0, 0, 0x777, XK_REQID_MIN,
		true, false);
	addr_parse(&r.u.sa.src, "192.0.2.1");
	addr_parse(&r.u.sa.dst, "198.51.100.1");
	if (getenv("KT_ENC_3DES")) { /* cbc(des3_ede) + hmac(sha1) */
		r.u.sa.enc = XK_ENC_3DES_CBC;
		r.u.sa.enc_key_len = 24;
		r.u.sa.auth = XK_AUTH_HMAC_SHA1_96;
		r.u.sa.auth_key_len = 20;
	}
	if (getenv("KT_DUP")) /* second add of the same SA: EEXIST */
		r.u.sa.auth = XK_AUTH_HMAC_SHA256_128, r.u.sa.auth_key_len = 32;
	if (io_open(&io, false) < 0)
		return 1;
	tap_dir = getenv("KT_VECDIR");
	io.tap = tap_write;
	int ret = xfrm_io_submit(&io, &r, 1, &res);
	if (getenv("KT_DUP"))
		ret = xfrm_io_submit(&io, &r, 1, &res);
	xfrm_io_close(&io);
	if (ret < 0)
		return die("transport", ret);
	printf("error=%d (%s) msg=\"%s\"\n", res.error, strerror(-res.error), res.msg);
	return res.error ? 0 : 1;
}

/* batchmix: one batch (one sendmsg, one acknowledgement: xfrm_io_submit()) whose requests fail
 * and succeed in turn; every answer must reach its own request, and what succeeded must be in
 * the kernel. Then batches whose last request is one with a reply (SPI_ALLOC, SA_GET), failing
 * and succeeding. Prints one line per check; exit 0 when all hold. */
static int cmd_batchmix(void)
{
	struct xk_req r[6];
	struct xk_result res[6];
	struct xfrm_io io;
	struct xk_addr a, b;
	int bad = 0;

	addr_parse(&a, "192.0.2.1");
	addr_parse(&b, "198.51.100.1");
	memset(r, 0, sizeof(r));
	r[0].type = XK_REQ_SA_ADD; /* ok */
	pair_sa(&r[0].u.sa, &a, &b, 0, 0, 0x1001, XK_REQID_MIN, true, false);
	r[1] = r[0];		      /* the same again: EEXIST */
	r[2].type = XK_REQ_SPI_ALLOC; /* a reply, no ack */
	r[2].u.spi.src = a;
	r[2].u.spi.dst = b;
	r[2].u.spi.reqid = XK_REQID_MIN;
	r[2].u.spi.mode = XK_MODE_TUNNEL;
	r[2].u.spi.min = 0x2000;
	r[2].u.spi.max = 0x2fff;
	r[3].type = XK_REQ_SA_ADD; /* ok */
	pair_sa(&r[3].u.sa, &a, &b, 0, 0, 0x1002, XK_REQID_MIN, true, false);
	r[4].type = XK_REQ_SA_DELETE; /* no such SA: ESRCH */
	r[4].u.sa_id.dst = b;
	r[4].u.sa_id.spi = 0x1003;
	r[5].type = XK_REQ_SA_GET; /* the last, with a reply: 0x1002 exists */
	r[5].u.sa_id.dst = b;
	r[5].u.sa_id.spi = 0x1002;
	for (int i = 0; i < 6; i++)
		r[i].cookie = 100 + (uint64_t)i;
	if (io_open(&io, false) < 0)
		return 1;
	int ret = xfrm_io_submit(&io, r, 6, res);
	if (ret < 0)
		return die("transport", ret);
	static const int want[6] = { 0, -EEXIST, 0, 0, -ESRCH, 0 };
	for (int i = 0; i < 6; i++) {
		bool ok = res[i].error == want[i] && res[i].cookie == r[i].cookie;
		printf("%s batch request %d: error=%d want %d\n", ok ? "ok" : "FAIL", i,
		       res[i].error, want[i]);
		bad |= !ok;
	}
	bool spi_ok = res[2].spi >= 0x2000 && res[2].spi <= 0x2fff;
	printf("%s batch SPI 0x%08x\n", spi_ok ? "ok" : "FAIL", res[2].spi);
	printf("%s batch GET spi 0x%08x\n", res[5].info.sa.spi == 0x1002 ? "ok" : "FAIL",
	       res[5].info.sa.spi);
	bad |= !spi_ok || res[5].info.sa.spi != 0x1002;
	/* A batch whose last request (a reply-type one) fails, after one that succeeds. */
	memset(r, 0, 2 * sizeof(r[0]));
	r[0].type = XK_REQ_SA_DELETE; /* 0x1001: exists */
	r[0].u.sa_id.dst = b;
	r[0].u.sa_id.spi = 0x1001;
	r[1].type = XK_REQ_SA_GET; /* 0x1001 is gone by then: ESRCH */
	r[1].u.sa_id.dst = b;
	r[1].u.sa_id.spi = 0x1001;
	ret = xfrm_io_submit(&io, r, 2, res);
	if (ret < 0)
		return die("transport", ret);
	bool ok2 = res[0].error == 0 && res[1].error == -ESRCH;
	printf("%s delete then get: %d %d\n", ok2 ? "ok" : "FAIL", res[0].error, res[1].error);
	bad |= !ok2;
	/* What is left: 0x1002 only (one GET each, one request per batch). */
	for (uint32_t spi = 0x1001; spi <= 0x1002; spi++) {
		memset(r, 0, sizeof(r[0]));
		r[0].type = XK_REQ_SA_GET;
		r[0].u.sa_id.dst = b;
		r[0].u.sa_id.spi = spi;
		ret = xfrm_io_submit(&io, r, 1, res);
		bool ok3 = ret == 0 && (spi == 0x1002 ? res[0].error == 0 : res[0].error == -ESRCH);
		printf("%s after: SA 0x%x error=%d\n", ok3 ? "ok" : "FAIL", spi, res[0].error);
		bad |= !ok3;
	}
	/* And a plain batch of successes: one ack for three deletes/adds. */
	memset(r, 0, 3 * sizeof(r[0]));
	r[0].type = XK_REQ_SA_DELETE;
	r[0].u.sa_id.dst = b;
	r[0].u.sa_id.spi = 0x1002;
	r[1].type = XK_REQ_SA_ADD;
	pair_sa(&r[1].u.sa, &a, &b, 0, 0, 0x1004, XK_REQID_MIN, true, false);
	r[2].type = XK_REQ_SA_DELETE;
	r[2].u.sa_id.dst = b;
	r[2].u.sa_id.spi = 0x1004;
	ret = xfrm_io_submit(&io, r, 3, res);
	bool ok4 = ret == 0 && !res[0].error && !res[1].error && !res[2].error;
	printf("%s three successes: %d %d %d\n", ok4 ? "ok" : "FAIL", res[0].error, res[1].error,
	       res[2].error);
	bad |= !ok4;
	xfrm_io_close(&io);
	return bad;
}

/* udp-ask ADDR PORT [marker|esp]: send "ping", print the address the answer came from. */
static int cmd_udp_ask(int argc, char **argv)
{
	struct xk_addr a;
	if (argc < 2 || addr_parse(&a, argv[0]))
		return die("usage: udp-ask ADDR PORT", EINVAL);
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	int fam = a.family == XK_AF_INET ? AF_INET : AF_INET6;
	if (fam == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)atoi(argv[1]));
		memcpy(&sin->sin_addr, a.bytes, 4);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)atoi(argv[1]));
		memcpy(&sin6->sin6_addr, a.bytes, 16);
	}
	int fd = socket(fam, SOCK_DGRAM, 0);
	if (fd < 0)
		return die("socket", errno);
	struct timeval tv = { .tv_sec = 3 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	socklen_t sl = fam == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	/* "marker": the 4-byte non-ESP marker then "ping" (RFC 3948 s2.2), else plain "ping" */
	/* "esp": 16 bytes with a non-zero first word, which the kernel takes for ESP-in-UDP */
	bool marker = argc > 2 && !strcmp(argv[2], "marker");
	bool esp = argc > 2 && !strcmp(argv[2], "esp");
	const char *msg = marker ? "\0\0\0\0ping" : esp ? "\0\0\1\0\0\0\0\1pingpong" : "ping";
	if (sendto(fd, msg, marker ? 8 : esp ? 16 : 4, 0, (struct sockaddr *)&ss, sl) < 0)
		return die("sendto", errno);
	char buf[64], h[64];
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	if (n < 0)
		return die("recvfrom", errno);
	const void *src = fam == AF_INET ? (const void *)&((struct sockaddr_in *)&from)->sin_addr
					 : (const void *)&((struct sockaddr_in6 *)&from)->sin6_addr;
	printf("answer from %s\n", inet_ntop(fam, src, h, sizeof(h)));
	close(fd);
	return 0;
}

/* extack: send an SA whose XFRMA_MARK is too short; the kernel's netlink policy check answers
 * with an extended ack. Prints the parsed text. Captures the reply when KT_VECDIR is set.
 * (Raw libmnl here on purpose: xfrm/ never builds malformed messages.) */
static int cmd_extack(void)
{
	struct xk_sa sa;
	static char buf[8192] __attribute__((aligned(4)));
	pair_sa(&sa, &(struct xk_addr){ 0 }, &(struct xk_addr){ 0 }, 0, 0, 0x778, XK_REQID_MIN,
		true, false);
	addr_parse(&sa.src, "192.0.2.1");
	addr_parse(&sa.dst, "198.51.100.1");
	int l = xfrm_msg_build_sa(buf, sizeof(buf), 42, &sa, false);
	if (l < 0)
		return die("build", l);
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	uint32_t bad = 1;
	if (!mnl_attr_put_check(nlh, sizeof(buf), XFRMA_MARK, sizeof(bad), &bad))
		return die("put", EMSGSIZE);
	struct mnl_socket *nl = mnl_socket_open(NETLINK_XFRM);
	int one = 1;
	if (!nl || mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one)) < 0 ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return die("netlink", errno);
	if (mnl_socket_sendto(nl, buf, nlh->nlmsg_len) < 0)
		return die("send", errno);
	ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	mnl_socket_close(nl);
	if (n < 0)
		return die("recv", errno);
	tap_dir = getenv("KT_VECDIR");
	tap_write(buf, (size_t)n, NULL);
	int err = 0;
	char msg[128];
	if (xfrm_msg_parse_error((struct nlmsghdr *)buf, &err, msg, sizeof(msg), NULL) < 0)
		return die("parse", EBADMSG);
	printf("error=%d (%s) msg=\"%s\"\n", err, strerror(-err), msg);
	return err && msg[0] ? 0 : 1;
}

/* crypto-del SUBSTRING: unregister every crypto template instance whose name contains
 * SUBSTRING (NETLINK_CRYPTO, CRYPTO_MSG_DELALG), outermost first, so that the module behind it
 * can be removed and the algorithm becomes unavailable (xfrm-errors). Test-only, raw libmnl. */
static int cmd_crypto_del(int argc, char **argv)
{
	if (argc < 1)
		return die("usage: crypto-del SUBSTRING", EINVAL);
	struct mnl_socket *nl = mnl_socket_open(NETLINK_CRYPTO);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return die("netlink crypto (modprobe crypto_user?)", errno);
	int deleted = 0;
	for (int pass = 0; pass < 8; pass++) {
		FILE *f = fopen("/proc/crypto", "r");
		char line[256], name[CRYPTO_MAX_NAME] = "", drv[CRYPTO_MAX_NAME] = "";
		int progress = 0;
		if (!f)
			return die("/proc/crypto", errno);
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "name : %63s", name) == 1)
				continue;
			if (sscanf(line, "driver : %63s", drv) != 1 || !strstr(name, argv[0]))
				continue;
			static char b[1024] __attribute__((aligned(4)));
			struct nlmsghdr *nlh = mnl_nlmsg_put_header(b);
			nlh->nlmsg_type = CRYPTO_MSG_DELALG;
			nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
			struct crypto_user_alg *u = mnl_nlmsg_put_extra_header(nlh, sizeof(*u));
			snprintf(u->cru_name, sizeof(u->cru_name), "%s", name);
			snprintf(u->cru_driver_name, sizeof(u->cru_driver_name), "%s", drv);
			if (mnl_socket_sendto(nl, b, nlh->nlmsg_len) < 0)
				break;
			ssize_t n = mnl_socket_recvfrom(nl, b, sizeof(b));
			int err = -1;
			if (n > 0 &&
			    xfrm_msg_parse_error((struct nlmsghdr *)b, &err, line, 64, NULL) == 0 &&
			    err == 0) {
				printf("deleted %s (%s)\n", name, drv);
				deleted++;
				progress = 1;
			}
		}
		fclose(f);
		if (!progress)
			break;
	}
	mnl_socket_close(nl);
	printf("crypto-del deleted=%d\n", deleted);
	return 0;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The bench workload: pair i = out SA + in SA (tunnel, ESP-in-UDP, AES-GCM) + out/in/fwd
 * policies between 10.128+i/32 and 10.64+i/32. Written both as requests and as ip -batch. */
static void bench_pair(struct xk_req *r, uint32_t i)
{
	struct pair_args a;
	memset(&a, 0, sizeof(a));
	addr_parse(&a.local, "192.0.2.1");
	addr_parse(&a.peer, "198.51.100.1");
	a.lnet.family = a.pnet.family = XK_AF_INET;
	uint32_t ln = htonl(0x0a800000u + i), pn = htonl(0x0a400000u + i);
	memcpy(a.lnet.bytes, &ln, 4);
	memcpy(a.pnet.bytes, &pn, 4);
	a.lplen = a.pplen = 32;
	a.tunnel = true;
	a.reqid = XK_REQID_MIN + i;
	memset(r, 0, 2 * sizeof(*r));
	r[0].type = r[1].type = XK_REQ_SA_ADD;
	pair_sa(&r[0].u.sa, &a.local, &a.peer, 4500, 4500, 0x10000000u + i, a.reqid, true, true);
	pair_sa(&r[1].u.sa, &a.peer, &a.local, 4500, 4500, 0x20000000u + i, a.reqid, true, true);
	pair_policies(&r[2], &a);
}

static int cmd_bench_batch(int argc, char **argv)
{
	if (argc < 2)
		return die("usage: bench-ipbatch N FILE", EINVAL);
	uint32_t n = (uint32_t)atoi(argv[0]);
	FILE *f = fopen(argv[1], "w");
	if (!f)
		return die(argv[1], errno);
	for (uint32_t i = 0; i < n; i++) {
		struct xk_req r[5];
		char ek[80], ak[80], ln[32], pn[32];
		bench_pair(r, i);
		addr_str(&r[2].u.policy.sel.src, ln, sizeof(ln));
		addr_str(&r[2].u.policy.sel.dst, pn, sizeof(pn));
		for (int s = 0; s < 2; s++) {
			const struct xk_sa *sa = &r[s].u.sa;
			hex(ek, sa->enc_key, 16);
			hex(ak, sa->auth_key, 32);
			fprintf(f,
				"xfrm state add src %s dst %s proto esp spi 0x%08x reqid %u mode "
				"tunnel replay-window 32 enc 'cbc(aes)' 0x%s auth-trunc "
				"'hmac(sha256)' 0x%s 128 encap espinudp 4500 4500 0.0.0.0\n",
				s ? "198.51.100.1" : "192.0.2.1", s ? "192.0.2.1" : "198.51.100.1",
				sa->spi, sa->reqid, ek, ak);
		}
		fprintf(f,
			"xfrm policy add src %s/32 dst %s/32 dir out priority 2000 tmpl src "
			"192.0.2.1 dst 198.51.100.1 proto esp reqid %u mode tunnel\n",
			ln, pn, r[0].u.sa.reqid);
		fprintf(f,
			"xfrm policy add src %s/32 dst %s/32 dir in priority 2000 tmpl src "
			"198.51.100.1 dst 192.0.2.1 proto esp reqid %u mode tunnel\n",
			pn, ln, r[0].u.sa.reqid);
		fprintf(f,
			"xfrm policy add src %s/32 dst %s/32 dir fwd priority 2000 tmpl src "
			"198.51.100.1 dst 192.0.2.1 proto esp reqid %u mode tunnel\n",
			pn, ln, r[0].u.sa.reqid);
	}
	fclose(f);
	return 0;
}

static int cmd_bench(int argc, char **argv)
{
	uint32_t n = argc > 0 ? (uint32_t)atoi(argv[0]) : 10000;
	struct xk_req *r = calloc((size_t)n * 5, sizeof(*r));
	struct xk_result *res = calloc((size_t)n * 5, sizeof(*res));
	struct xfrm_io io;
	if (!r || !res)
		return die("calloc", ENOMEM);
	for (uint32_t i = 0; i < n; i++)
		bench_pair(&r[(size_t)i * 5], i);
	if (io_open(&io, false) < 0)
		return 1;
	double t0 = now_s();
	int rc = submit(&io, r, (size_t)n * 5, res);
	double t1 = now_s();
	unsigned ns = 0, np = 0;
	int ret = xfrm_io_cleanup_owned(&io, &ns, &np);
	double t2 = now_s();
	xfrm_io_close(&io);
	if (ret < 0)
		return die("cleanup", ret);
	printf("natkeyd install pairs=%u s=%.3f sa_per_s=%.0f remove_s=%.3f removed_sa=%u "
	       "removed_pol=%u\n",
	       n, t1 - t0, 2.0 * n / (t1 - t0), t2 - t1, ns, np);
	memset(r, 0, (size_t)n * 5 * sizeof(*r));
	free(r);
	free(res);
	return rc || ns != 2 * n || np != 3 * n;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: xfrm_ktest matrix|cleanup|sockets|pair|pair-sa|pair-pol|"
				"move|events|get|spi|badsa|batchmix|bench|bench-ipbatch ...\n");
		return 2;
	}
	const char *c = argv[1];
	int ac = argc - 2;
	char **av = argv + 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(c, "matrix") && ac > 0) {
		tap_dir = getenv("KT_VECDIR");
		return cmd_matrix(av[0]);
	}
	if (!strcmp(c, "cleanup"))
		return cmd_cleanup();
	if (!strcmp(c, "sockets"))
		return cmd_sockets(ac, av);
	if (!strcmp(c, "pair"))
		return cmd_pair(ac, av, false, false);
	if (!strcmp(c, "pair-sa")) /* UPDSA of both SAs (port change experiment) */
		return cmd_pair(ac, av, true, false);
	if (!strcmp(c, "pair-pol")) /* policies only (ACQUIRE test) */
		return cmd_pair(ac, av, false, true);
	if (!strcmp(c, "move"))
		return cmd_move(ac, av);
	if (!strcmp(c, "events"))
		return cmd_events(ac, av);
	if (!strcmp(c, "get"))
		return cmd_get(ac, av);
	if (!strcmp(c, "crypto-del"))
		return cmd_crypto_del(ac, av);
	if (!strcmp(c, "udp-ask"))
		return cmd_udp_ask(ac, av);
	if (!strcmp(c, "extack"))
		return cmd_extack();
	if (!strcmp(c, "del"))
		return cmd_del(ac, av);
	if (!strcmp(c, "spi"))
		return cmd_spi(ac, av);
	if (!strcmp(c, "badsa"))
		return cmd_badsa(ac, av);
	if (!strcmp(c, "batchmix"))
		return cmd_batchmix();
	if (!strcmp(c, "bench"))
		return cmd_bench(ac, av);
	if (!strcmp(c, "bench-ipbatch"))
		return cmd_bench_batch(ac, av);
	fprintf(stderr, "xfrm_ktest: unknown command %s\n", c);
	return 2;
}
