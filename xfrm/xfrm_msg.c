/* xfrm_msg.c: XFRM netlink builders/parsers. Only libmnl's checked helpers write attributes;
 * the fixed header of each message is reserved after an explicit length check. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/udp.h>
#include <linux/xfrm.h>
#include <libmnl/libmnl.h>
#include <openssl/crypto.h>

#include "xfrm/xfrm_msg.h"

/* ---- algorithm table: enums <-> kernel names, key and ICV lengths (data, not code) ---- */

struct enc_row {
	enum xk_enc_alg alg;
	const char *name;
	uint8_t key_lens[3]; /* acceptable key lengths in bytes, 0 = unused slot */
	unsigned icv_bits;   /* AEAD only */
};

static const struct enc_row enc_rows[] = {
	{ XK_ENC_AES_CBC, "cbc(aes)", { 16, 24, 32 }, 0 },
	{ XK_ENC_3DES_CBC, "cbc(des3_ede)", { 24, 0, 0 }, 0 },
	/* RFC 4106 s8.1: key material = AES key + 4-byte salt */
	{ XK_ENC_AES_GCM_16, "rfc4106(gcm(aes))", { 20, 28, 36 }, 128 },
};

struct auth_row {
	enum xk_auth_alg alg;
	const char *name;
	uint8_t key_len;
	unsigned trunc_bits; /* RFC 2404 (96), RFC 4868 s2.3 (128/192/256); 96 for the SHA-256
				truncbug */
};

static const struct auth_row auth_rows[] = {
	{ XK_AUTH_HMAC_SHA1_96, "hmac(sha1)", 20, 96 },
	{ XK_AUTH_HMAC_SHA256_128, "hmac(sha256)", 32, 128 },
	{ XK_AUTH_HMAC_SHA384_192, "hmac(sha384)", 48, 192 },
	{ XK_AUTH_HMAC_SHA512_256, "hmac(sha512)", 64, 256 },
	{ XK_AUTH_HMAC_SHA256_96, "hmac(sha256)", 32, 96 }, /* sha2-truncbug=yes */
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const struct enc_row *enc_row_get(enum xk_enc_alg a)
{
	for (size_t i = 0; i < ARRAY_LEN(enc_rows); i++)
		if (enc_rows[i].alg == a)
			return &enc_rows[i];
	return NULL;
}

static const struct auth_row *auth_row_get(enum xk_auth_alg a)
{
	for (size_t i = 0; i < ARRAY_LEN(auth_rows); i++)
		if (auth_rows[i].alg == a)
			return &auth_rows[i];
	return NULL;
}

const char *xfrm_enc_name(enum xk_enc_alg a)
{
	const struct enc_row *r = enc_row_get(a);
	return r ? r->name : NULL;
}

const char *xfrm_auth_name(enum xk_auth_alg a)
{
	const struct auth_row *r = auth_row_get(a);
	return r ? r->name : NULL;
}

static enum xk_enc_alg enc_by_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(enc_rows); i++)
		if (strcmp(enc_rows[i].name, name) == 0)
			return enc_rows[i].alg;
	return XK_ENC_NONE;
}

static enum xk_auth_alg auth_by_name(const char *name, unsigned trunc_bits)
{
	for (size_t i = 0; i < ARRAY_LEN(auth_rows); i++)
		if (strcmp(auth_rows[i].name, name) == 0 && auth_rows[i].trunc_bits == trunc_bits)
			return auth_rows[i].alg;
	return XK_AUTH_NONE;
}

static const char *const msg_names[] = {
	[XFRM_MSG_NEWSA - XFRM_MSG_BASE] = "NEWSA",
	[XFRM_MSG_DELSA - XFRM_MSG_BASE] = "DELSA",
	[XFRM_MSG_GETSA - XFRM_MSG_BASE] = "GETSA",
	[XFRM_MSG_NEWPOLICY - XFRM_MSG_BASE] = "NEWPOLICY",
	[XFRM_MSG_DELPOLICY - XFRM_MSG_BASE] = "DELPOLICY",
	[XFRM_MSG_GETPOLICY - XFRM_MSG_BASE] = "GETPOLICY",
	[XFRM_MSG_ALLOCSPI - XFRM_MSG_BASE] = "ALLOCSPI",
	[XFRM_MSG_ACQUIRE - XFRM_MSG_BASE] = "ACQUIRE",
	[XFRM_MSG_EXPIRE - XFRM_MSG_BASE] = "EXPIRE",
	[XFRM_MSG_UPDPOLICY - XFRM_MSG_BASE] = "UPDPOLICY",
	[XFRM_MSG_UPDSA - XFRM_MSG_BASE] = "UPDSA",
	[XFRM_MSG_POLEXPIRE - XFRM_MSG_BASE] = "POLEXPIRE",
	[XFRM_MSG_FLUSHSA - XFRM_MSG_BASE] = "FLUSHSA",
	[XFRM_MSG_FLUSHPOLICY - XFRM_MSG_BASE] = "FLUSHPOLICY",
	[XFRM_MSG_MIGRATE - XFRM_MSG_BASE] = "MIGRATE",
	[XFRM_MSG_MAPPING - XFRM_MSG_BASE] = "MAPPING",
};

const char *xfrm_msg_type_name(uint16_t type)
{
	if (type == NLMSG_ERROR)
		return "ERROR";
	if (type == NLMSG_DONE)
		return "DONE";
	if (type < XFRM_MSG_BASE || type - XFRM_MSG_BASE >= (int)ARRAY_LEN(msg_names) ||
	    !msg_names[type - XFRM_MSG_BASE])
		return "?";
	return msg_names[type - XFRM_MSG_BASE];
}

bool xfrm_nlmsg_ok(const struct nlmsghdr *nlh, int len)
{
	return len >= (int)sizeof(struct nlmsghdr) && nlh->nlmsg_len >= sizeof(struct nlmsghdr) &&
	       nlh->nlmsg_len <= (unsigned)len;
}

/* ---- conversions between the plain structs and the kernel's ---- */

static size_t addr_len(uint8_t family)
{
	return family == XK_AF_INET6 ? 16 : family == XK_AF_INET ? 4 : 0;
}

static void addr_to_kernel(xfrm_address_t *k, const struct xk_addr *a)
{
	memset(k, 0, sizeof(*k));
	memcpy(k, a->bytes, addr_len(a->family));
}

static void addr_from_kernel(struct xk_addr *a, const xfrm_address_t *k, uint16_t family)
{
	memset(a, 0, sizeof(*a));
	if (family != AF_INET && family != AF_INET6)
		return;
	a->family = (uint8_t)family;
	memcpy(a->bytes, k, addr_len(a->family));
}

static uint64_t limit_to_kernel(uint64_t v)
{
	return v ? v : XFRM_INF;
}

static uint64_t limit_from_kernel(uint64_t v)
{
	return v == XFRM_INF ? 0 : v;
}

static void lft_to_kernel(struct xfrm_lifetime_cfg *k, const struct xk_lifetime *l)
{
	k->soft_byte_limit = limit_to_kernel(l->soft_bytes);
	k->hard_byte_limit = limit_to_kernel(l->hard_bytes);
	k->soft_packet_limit = limit_to_kernel(l->soft_packets);
	k->hard_packet_limit = limit_to_kernel(l->hard_packets);
	k->soft_add_expires_seconds = l->soft_add_s;
	k->hard_add_expires_seconds = l->hard_add_s;
	k->soft_use_expires_seconds = l->soft_use_s;
	k->hard_use_expires_seconds = l->hard_use_s;
}

static void lft_from_kernel(struct xk_lifetime *l, const struct xfrm_lifetime_cfg *k)
{
	l->soft_bytes = limit_from_kernel(k->soft_byte_limit);
	l->hard_bytes = limit_from_kernel(k->hard_byte_limit);
	l->soft_packets = limit_from_kernel(k->soft_packet_limit);
	l->hard_packets = limit_from_kernel(k->hard_packet_limit);
	l->soft_add_s = k->soft_add_expires_seconds;
	l->hard_add_s = k->hard_add_expires_seconds;
	l->soft_use_s = k->soft_use_expires_seconds;
	l->hard_use_s = k->hard_use_expires_seconds;
}

/* A selector with no addresses takes the family of the SA/policy it belongs to. */
static void sel_to_kernel(struct xfrm_selector *k, const struct xk_selector *s, uint8_t family)
{
	memset(k, 0, sizeof(*k));
	addr_to_kernel(&k->daddr, &s->dst);
	addr_to_kernel(&k->saddr, &s->src);
	k->family = s->src.family ? s->src.family : s->dst.family ? s->dst.family : family;
	k->prefixlen_d = s->dst_plen;
	k->prefixlen_s = s->src_plen;
	k->proto = s->proto;
	k->dport = htons(s->dport);
	k->dport_mask = s->dport ? 0xffff : 0;
	k->sport = htons(s->sport);
	k->sport_mask = s->sport ? 0xffff : 0;
}

static void sel_from_kernel(struct xk_selector *s, const struct xfrm_selector *k)
{
	memset(s, 0, sizeof(*s));
	addr_from_kernel(&s->dst, &k->daddr, k->family);
	addr_from_kernel(&s->src, &k->saddr, k->family);
	s->dst_plen = k->prefixlen_d;
	s->src_plen = k->prefixlen_s;
	s->proto = k->proto;
	s->dport = ntohs(k->dport);
	s->sport = ntohs(k->sport);
}

static bool family_ok(uint8_t f)
{
	return f == XK_AF_INET || f == XK_AF_INET6;
}

static bool mode_ok(enum xk_mode m)
{
	return m == XK_MODE_TRANSPORT || m == XK_MODE_TUNNEL;
}

static uint8_t mode_to_kernel(enum xk_mode m)
{
	return m == XK_MODE_TUNNEL ? XFRM_MODE_TUNNEL : XFRM_MODE_TRANSPORT;
}

/* Start a message and reserve its fixed header; NULL if buf cannot hold both. */
static struct nlmsghdr *msg_start(void *buf, size_t len, uint16_t type, uint16_t flags,
				  uint32_t seq, size_t hdr)
{
	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(hdr))
		return NULL;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	mnl_nlmsg_put_extra_header(nlh, hdr);
	return nlh;
}

#define REQ_FLAGS (NLM_F_REQUEST | NLM_F_ACK)

static bool put_mark(struct nlmsghdr *nlh, size_t len, const struct xk_mark *m)
{
	if (!m->mask)
		return true;
	struct xfrm_mark km = { .v = m->value, .m = m->mask };
	return mnl_attr_put_check(nlh, len, XFRMA_MARK, sizeof(km), &km);
}

/* Algorithm attributes: struct + key in one contiguous stack buffer, wiped before return. */
static int put_algs(struct nlmsghdr *nlh, size_t len, const struct xk_sa *sa)
{
	union {
		struct xfrm_algo a;
		struct xfrm_algo_auth au;
		struct xfrm_algo_aead ae;
		uint8_t raw[sizeof(struct xfrm_algo_auth) + XK_KEY_MAX];
	} u;
	int ret = -EINVAL;
	const struct enc_row *e = enc_row_get(sa->enc);

	if (!e)
		return -EINVAL;
	if (sa->enc_key_len > XK_KEY_MAX || sa->auth_key_len > XK_KEY_MAX)
		return -EINVAL;
	if (sa->enc_key_len != e->key_lens[0] && sa->enc_key_len != e->key_lens[1] &&
	    sa->enc_key_len != e->key_lens[2])
		return -EINVAL;

	if (e->icv_bits) { /* AEAD: no separate integrity algorithm */
		if (sa->auth != XK_AUTH_NONE)
			return -EINVAL;
		memset(&u, 0, sizeof(u));
		snprintf(u.ae.alg_name, sizeof(u.ae.alg_name), "%s", e->name);
		u.ae.alg_key_len = (unsigned)sa->enc_key_len * 8;
		u.ae.alg_icv_len = e->icv_bits;
		memcpy(u.ae.alg_key, sa->enc_key, sa->enc_key_len);
		ret = mnl_attr_put_check(nlh, len, XFRMA_ALG_AEAD, sizeof(u.ae) + sa->enc_key_len,
					 &u)
			      ? 0
			      : -EMSGSIZE;
		goto out;
	}

	const struct auth_row *a = auth_row_get(sa->auth);
	if (!a || sa->auth_key_len != a->key_len)
		goto out;
	memset(&u, 0, sizeof(u));
	snprintf(u.a.alg_name, sizeof(u.a.alg_name), "%s", e->name);
	u.a.alg_key_len = (unsigned)sa->enc_key_len * 8;
	memcpy(u.a.alg_key, sa->enc_key, sa->enc_key_len);
	if (!mnl_attr_put_check(nlh, len, XFRMA_ALG_CRYPT, sizeof(u.a) + sa->enc_key_len, &u)) {
		ret = -EMSGSIZE;
		goto out;
	}
	memset(&u, 0, sizeof(u));
	snprintf(u.au.alg_name, sizeof(u.au.alg_name), "%s", a->name);
	u.au.alg_key_len = (unsigned)sa->auth_key_len * 8;
	u.au.alg_trunc_len = a->trunc_bits;
	memcpy(u.au.alg_key, sa->auth_key, sa->auth_key_len);
	ret = mnl_attr_put_check(nlh, len, XFRMA_ALG_AUTH_TRUNC, sizeof(u.au) + sa->auth_key_len,
				 &u)
		      ? 0
		      : -EMSGSIZE;
out:
	OPENSSL_cleanse(&u, sizeof(u));
	return ret;
}

static bool put_encap(struct nlmsghdr *nlh, size_t len, const struct xk_encap *e)
{
	struct xfrm_encap_tmpl t;

	memset(&t, 0, sizeof(t));
	t.encap_type = UDP_ENCAP_ESPINUDP;
	t.encap_sport = htons(e->sport);
	t.encap_dport = htons(e->dport);
	addr_to_kernel(&t.encap_oa, &e->oa);
	return mnl_attr_put_check(nlh, len, XFRMA_ENCAP, sizeof(t), &t);
}

/* Anti-replay windows above 32 packets need XFRMA_REPLAY_ESN_VAL (a bitmap of bmp_len words);
 * the legacy 8-bit field in xfrm_usersa_info only has a 32-bit bitmap behind it. */
#define REPLAY_LEGACY_MAX 32u
#define REPLAY_MAX	  4096u

static bool put_replay_esn(struct nlmsghdr *nlh, size_t len, uint32_t window)
{
	union {
		struct xfrm_replay_state_esn esn;
		uint8_t raw[sizeof(struct xfrm_replay_state_esn) + REPLAY_MAX / 8];
	} u;
	uint32_t words = (window + 31) / 32;

	memset(&u, 0, sizeof(u));
	u.esn.bmp_len = words;
	u.esn.replay_window = window;
	return mnl_attr_put_check(nlh, len, XFRMA_REPLAY_ESN_VAL,
				  sizeof(u.esn) + words * sizeof(uint32_t), &u);
}

/* ---- builders ---- */

int xfrm_msg_build_spi_alloc(void *buf, size_t len, uint32_t seq, const struct xk_spi_req *r)
{
	if (!family_ok(r->dst.family) || r->src.family != r->dst.family || !mode_ok(r->mode))
		return -EINVAL;
	if (r->min < XK_SPI_MIN || r->max < r->min) /* RFC 3948 s1, RFC 4303 s2.1 */
		return -EINVAL;
	struct nlmsghdr *nlh = msg_start(buf, len, XFRM_MSG_ALLOCSPI, REQ_FLAGS, seq,
					 sizeof(struct xfrm_userspi_info));
	if (!nlh)
		return -EMSGSIZE;
	struct xfrm_userspi_info *u = mnl_nlmsg_get_payload(nlh);
	addr_to_kernel(&u->info.id.daddr, &r->dst);
	addr_to_kernel(&u->info.saddr, &r->src);
	u->info.id.proto = IPPROTO_ESP;
	u->info.family = r->dst.family;
	u->info.sel.family = r->dst.family;
	u->info.mode = mode_to_kernel(r->mode);
	u->info.reqid = r->reqid;
	u->min = r->min;
	u->max = r->max;
	if (!put_mark(nlh, len, &r->mark))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int xfrm_msg_build_sa(void *buf, size_t len, uint32_t seq, const struct xk_sa *sa, bool update)
{
	int ret;

	if (!family_ok(sa->dst.family) || sa->src.family != sa->dst.family || !mode_ok(sa->mode))
		return -EINVAL;
	if (sa->spi < XK_SPI_MIN || sa->replay_window > REPLAY_MAX)
		return -EINVAL;
	struct nlmsghdr *nlh = msg_start(buf, len, update ? XFRM_MSG_UPDSA : XFRM_MSG_NEWSA,
					 REQ_FLAGS | (update ? 0 : NLM_F_CREATE | NLM_F_EXCL), seq,
					 sizeof(struct xfrm_usersa_info));
	if (!nlh)
		return -EMSGSIZE;
	struct xfrm_usersa_info *u = mnl_nlmsg_get_payload(nlh);
	sel_to_kernel(&u->sel, &sa->sel, sa->dst.family);
	addr_to_kernel(&u->id.daddr, &sa->dst);
	u->id.spi = htonl(sa->spi);
	u->id.proto = IPPROTO_ESP;
	addr_to_kernel(&u->saddr, &sa->src);
	lft_to_kernel(&u->lft, &sa->lft);
	u->reqid = sa->reqid;
	u->family = sa->dst.family;
	u->mode = mode_to_kernel(sa->mode);
	/* Tunnel SAs may carry inner traffic of the other family (selector family differs). */
	if (sa->mode == XK_MODE_TUNNEL && u->sel.family != u->family)
		u->flags |= XFRM_STATE_AF_UNSPEC;
	if (sa->replay_window <= REPLAY_LEGACY_MAX)
		u->replay_window = (uint8_t)sa->replay_window;
	else if (!put_replay_esn(nlh, len, sa->replay_window))
		return -EMSGSIZE;
	ret = put_algs(nlh, len, sa);
	if (ret < 0)
		return ret;
	if (sa->encap.enabled && !put_encap(nlh, len, &sa->encap))
		return -EMSGSIZE;
	if (!put_mark(nlh, len, &sa->mark))
		return -EMSGSIZE;
	if (sa->mapping_maxage_s) {
		if (!sa->encap.enabled) /* the kernel refuses it without XFRMA_ENCAP */
			return -EINVAL;
		if (!mnl_attr_put_u32_check(nlh, len, XFRMA_MTIMER_THRESH, sa->mapping_maxage_s))
			return -EMSGSIZE;
	}
	return (int)nlh->nlmsg_len;
}

int xfrm_msg_build_sa_id(void *buf, size_t len, uint32_t seq, uint16_t type,
			 const struct xk_sa_id *id)
{
	if (type != XFRM_MSG_DELSA && type != XFRM_MSG_GETSA)
		return -EINVAL;
	if (!family_ok(id->dst.family))
		return -EINVAL;
	struct nlmsghdr *nlh =
		msg_start(buf, len, type, REQ_FLAGS, seq, sizeof(struct xfrm_usersa_id));
	if (!nlh)
		return -EMSGSIZE;
	struct xfrm_usersa_id *u = mnl_nlmsg_get_payload(nlh);
	addr_to_kernel(&u->daddr, &id->dst);
	u->spi = htonl(id->spi);
	u->family = id->dst.family;
	u->proto = IPPROTO_ESP;
	if (family_ok(id->src.family)) {
		xfrm_address_t s;
		addr_to_kernel(&s, &id->src);
		if (!mnl_attr_put_check(nlh, len, XFRMA_SRCADDR, sizeof(s), &s))
			return -EMSGSIZE;
	}
	if (!put_mark(nlh, len, &id->mark))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

static uint8_t dir_to_kernel(enum xk_dir d)
{
	return d == XK_DIR_IN	 ? XFRM_POLICY_IN
	       : d == XK_DIR_OUT ? XFRM_POLICY_OUT
				 : XFRM_POLICY_FWD;
}

static enum xk_dir dir_from_kernel(uint8_t d)
{
	return d == XFRM_POLICY_IN ? XK_DIR_IN : d == XFRM_POLICY_OUT ? XK_DIR_OUT : XK_DIR_FWD;
}

static bool dir_ok(enum xk_dir d)
{
	return d == XK_DIR_IN || d == XK_DIR_OUT || d == XK_DIR_FWD;
}

static uint8_t sel_family(const struct xk_selector *s)
{
	return s->src.family ? s->src.family : s->dst.family;
}

int xfrm_msg_build_policy(void *buf, size_t len, uint32_t seq, const struct xk_policy *p,
			  bool update)
{
	uint8_t fam = sel_family(&p->sel);

	if (!family_ok(fam) || !dir_ok(p->dir))
		return -EINVAL;
	if (p->action != XK_ACTION_ALLOW && p->action != XK_ACTION_BLOCK)
		return -EINVAL;
	struct nlmsghdr *nlh = msg_start(buf, len, update ? XFRM_MSG_UPDPOLICY : XFRM_MSG_NEWPOLICY,
					 REQ_FLAGS | (update ? 0 : NLM_F_CREATE | NLM_F_EXCL), seq,
					 sizeof(struct xfrm_userpolicy_info));
	if (!nlh)
		return -EMSGSIZE;
	struct xfrm_userpolicy_info *u = mnl_nlmsg_get_payload(nlh);
	sel_to_kernel(&u->sel, &p->sel, fam);
	lft_to_kernel(&u->lft, &p->lft);
	u->priority = p->priority;
	u->dir = dir_to_kernel(p->dir);
	u->action = p->action == XK_ACTION_ALLOW ? XFRM_POLICY_ALLOW : XFRM_POLICY_BLOCK;
	u->share = XFRM_SHARE_ANY;
	if (p->has_tmpl) {
		const struct xk_tmpl *t = &p->tmpl;
		struct xfrm_user_tmpl kt;

		if (!mode_ok(t->mode))
			return -EINVAL;
		/* Tunnel templates need both endpoints of one family. */
		if (t->mode == XK_MODE_TUNNEL &&
		    (!family_ok(t->dst.family) || t->src.family != t->dst.family))
			return -EINVAL;
		memset(&kt, 0, sizeof(kt));
		addr_to_kernel(&kt.id.daddr, &t->dst);
		kt.id.proto = IPPROTO_ESP;
		kt.family = t->dst.family ? t->dst.family : fam;
		addr_to_kernel(&kt.saddr, &t->src);
		kt.reqid = t->reqid;
		kt.mode = mode_to_kernel(t->mode);
		kt.share = XFRM_SHARE_ANY;
		kt.optional = t->optional ? 1 : 0;
		kt.aalgos = ~0u;
		kt.ealgos = ~0u;
		kt.calgos = ~0u;
		if (!mnl_attr_put_check(nlh, len, XFRMA_TMPL, sizeof(kt), &kt))
			return -EMSGSIZE;
	}
	if (!put_mark(nlh, len, &p->mark))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int xfrm_msg_build_policy_del(void *buf, size_t len, uint32_t seq, const struct xk_policy_id *id,
			      uint32_t index)
{
	uint8_t fam = sel_family(&id->sel);

	if (!dir_ok(id->dir) || (!index && !family_ok(fam)))
		return -EINVAL;
	struct nlmsghdr *nlh = msg_start(buf, len, XFRM_MSG_DELPOLICY, REQ_FLAGS, seq,
					 sizeof(struct xfrm_userpolicy_id));
	if (!nlh)
		return -EMSGSIZE;
	struct xfrm_userpolicy_id *u = mnl_nlmsg_get_payload(nlh);
	sel_to_kernel(&u->sel, &id->sel, fam);
	u->index = index;
	u->dir = dir_to_kernel(id->dir);
	if (!put_mark(nlh, len, &id->mark))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int xfrm_msg_build_sa_move(void *buf, size_t len, uint32_t seq, const struct xk_sa_move *m)
{
	uint8_t fam = sel_family(&m->policy.sel);

	if (!family_ok(fam) || !dir_ok(m->policy.dir) || !mode_ok(m->mode))
		return -EINVAL;
	if (!family_ok(m->old_dst.family) || m->old_src.family != m->old_dst.family ||
	    !family_ok(m->new_dst.family) || m->new_src.family != m->new_dst.family)
		return -EINVAL;
	struct nlmsghdr *nlh = msg_start(buf, len, XFRM_MSG_MIGRATE, REQ_FLAGS, seq,
					 sizeof(struct xfrm_userpolicy_id));
	if (!nlh)
		return -EMSGSIZE;
	struct xfrm_userpolicy_id *u = mnl_nlmsg_get_payload(nlh);
	sel_to_kernel(&u->sel, &m->policy.sel, fam);
	u->dir = dir_to_kernel(m->policy.dir);

	struct xfrm_user_migrate um;
	memset(&um, 0, sizeof(um));
	addr_to_kernel(&um.old_daddr, &m->old_dst);
	addr_to_kernel(&um.old_saddr, &m->old_src);
	addr_to_kernel(&um.new_daddr, &m->new_dst);
	addr_to_kernel(&um.new_saddr, &m->new_src);
	um.proto = IPPROTO_ESP;
	um.mode = mode_to_kernel(m->mode);
	um.reqid = m->reqid;
	um.old_family = m->old_dst.family;
	um.new_family = m->new_dst.family;
	if (!mnl_attr_put_check(nlh, len, XFRMA_MIGRATE, sizeof(um), &um))
		return -EMSGSIZE;
	if (m->new_encap.enabled && !put_encap(nlh, len, &m->new_encap))
		return -EMSGSIZE;
	/* The kernel finds the policy by selector, dir and mark (XFRMA_MARK is not read by
	 * MIGRATE in 6.1; policies natkeyd moves carry no mark). */
	return (int)nlh->nlmsg_len;
}

int xfrm_msg_build_dump(void *buf, size_t len, uint32_t seq, uint16_t type)
{
	if (type != XFRM_MSG_GETSA && type != XFRM_MSG_GETPOLICY)
		return -EINVAL;
	/* The dump handlers parse attributes from offset 0: no fixed header. */
	struct nlmsghdr *nlh = msg_start(buf, len, type, NLM_F_REQUEST | NLM_F_DUMP, seq, 0);
	if (!nlh)
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int xfrm_msg_build_flush_sa(void *buf, size_t len, uint32_t seq)
{
	struct nlmsghdr *nlh = msg_start(buf, len, XFRM_MSG_FLUSHSA, REQ_FLAGS, seq,
					 sizeof(struct xfrm_usersa_flush));
	if (!nlh)
		return -EMSGSIZE;
	struct xfrm_usersa_flush *f = mnl_nlmsg_get_payload(nlh);
	f->proto = IPPROTO_ESP;
	return (int)nlh->nlmsg_len;
}

/* ---- parsers ---- */

/* Validation table: minimum payload length of each attribute we read. Types absent from the
 * table (0) are skipped; types above XFRMA_MAX are skipped too (newer kernels). */
static const uint16_t xfrma_min_len[XFRMA_MAX + 1] = {
	[XFRMA_ALG_AUTH] = sizeof(struct xfrm_algo),
	[XFRMA_ALG_CRYPT] = sizeof(struct xfrm_algo),
	[XFRMA_ALG_AUTH_TRUNC] = sizeof(struct xfrm_algo_auth),
	[XFRMA_ALG_AEAD] = sizeof(struct xfrm_algo_aead),
	[XFRMA_ENCAP] = sizeof(struct xfrm_encap_tmpl),
	[XFRMA_TMPL] = sizeof(struct xfrm_user_tmpl),
	[XFRMA_MARK] = sizeof(struct xfrm_mark),
	[XFRMA_REPLAY_VAL] = sizeof(struct xfrm_replay_state),
	[XFRMA_REPLAY_ESN_VAL] = sizeof(struct xfrm_replay_state_esn),
	[XFRMA_SRCADDR] = sizeof(xfrm_address_t),
	[XFRMA_LTIME_VAL] = sizeof(struct xfrm_lifetime_cur),
	[XFRMA_MTIMER_THRESH] = sizeof(uint32_t),
};

static int attr_table_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, XFRMA_MAX) < 0 || xfrma_min_len[type] == 0)
		return MNL_CB_OK; /* unknown or unused: skip */
	if (mnl_attr_get_payload_len(attr) < xfrma_min_len[type])
		return MNL_CB_ERROR;
	tb[type] = attr;
	return MNL_CB_OK;
}

/* libmnl walks attributes up to MNL_ALIGN(nlmsg_len): an unaligned length would let it read up
 * to 3 bytes past the message. The kernel always pads messages to 4 bytes; refuse the rest. */
static bool msg_len_ok(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_len >= MNL_NLMSG_HDRLEN && nlh->nlmsg_len % MNL_ALIGNTO == 0;
}

static int attrs_parse(const struct nlmsghdr *nlh, size_t hdr, const struct nlattr **tb)
{
	memset(tb, 0, sizeof(*tb) * (XFRMA_MAX + 1));
	if (!msg_len_ok(nlh) || mnl_nlmsg_get_payload_len(nlh) < hdr)
		return -EBADMSG;
	return mnl_attr_parse(nlh, (unsigned)hdr, attr_table_cb, tb) == MNL_CB_OK ? 0 : -EBADMSG;
}

/* Cross-field check: the declared key length must fit in the attribute. */
static bool algo_fits(const struct nlattr *a, size_t fixed, unsigned key_bits)
{
	return (key_bits + 7) / 8 <= mnl_attr_get_payload_len(a) - fixed;
}

static void name_copy(char *dst, const char *src, size_t n)
{
	size_t l = strnlen(src, n - 1);
	memcpy(dst, src, l);
	dst[l] = '\0';
}

static int sa_attrs_apply(struct xk_sa_info *info, const struct nlattr **tb)
{
	struct xk_sa *sa = &info->sa;
	char name[64];

	if (tb[XFRMA_ALG_AEAD]) {
		const struct xfrm_algo_aead *a = mnl_attr_get_payload(tb[XFRMA_ALG_AEAD]);
		if (!algo_fits(tb[XFRMA_ALG_AEAD], sizeof(*a), a->alg_key_len))
			return -EBADMSG;
		name_copy(name, a->alg_name, sizeof(name));
		sa->enc = enc_by_name(name);
	}
	if (tb[XFRMA_ALG_CRYPT]) {
		const struct xfrm_algo *a = mnl_attr_get_payload(tb[XFRMA_ALG_CRYPT]);
		if (!algo_fits(tb[XFRMA_ALG_CRYPT], sizeof(*a), a->alg_key_len))
			return -EBADMSG;
		name_copy(name, a->alg_name, sizeof(name));
		sa->enc = enc_by_name(name);
	}
	if (tb[XFRMA_ALG_AUTH_TRUNC]) {
		const struct xfrm_algo_auth *a = mnl_attr_get_payload(tb[XFRMA_ALG_AUTH_TRUNC]);
		if (!algo_fits(tb[XFRMA_ALG_AUTH_TRUNC], sizeof(*a), a->alg_key_len))
			return -EBADMSG;
		name_copy(name, a->alg_name, sizeof(name));
		sa->auth = auth_by_name(name, a->alg_trunc_len);
	}
	if (tb[XFRMA_ENCAP]) {
		const struct xfrm_encap_tmpl *e = mnl_attr_get_payload(tb[XFRMA_ENCAP]);
		if (e->encap_type == UDP_ENCAP_ESPINUDP) {
			sa->encap.enabled = true;
			sa->encap.sport = ntohs(e->encap_sport);
			sa->encap.dport = ntohs(e->encap_dport);
			/* The kernel stores no family for the OA: it is the SA's. */
			static const xfrm_address_t zero;
			if (memcmp(&e->encap_oa, &zero, sizeof(zero)) != 0)
				addr_from_kernel(&sa->encap.oa, &e->encap_oa, sa->dst.family);
		}
	}
	if (tb[XFRMA_MARK]) {
		const struct xfrm_mark *m = mnl_attr_get_payload(tb[XFRMA_MARK]);
		sa->mark.value = m->v;
		sa->mark.mask = m->m;
	}
	if (tb[XFRMA_REPLAY_VAL]) {
		const struct xfrm_replay_state *r = mnl_attr_get_payload(tb[XFRMA_REPLAY_VAL]);
		info->oseq = r->oseq;
		info->replay_seq = r->seq;
	}
	if (tb[XFRMA_MTIMER_THRESH])
		sa->mapping_maxage_s = mnl_attr_get_u32(tb[XFRMA_MTIMER_THRESH]);
	if (tb[XFRMA_REPLAY_ESN_VAL]) {
		const struct xfrm_replay_state_esn *r =
			mnl_attr_get_payload(tb[XFRMA_REPLAY_ESN_VAL]);
		if ((size_t)r->bmp_len * 4 >
		    mnl_attr_get_payload_len(tb[XFRMA_REPLAY_ESN_VAL]) - sizeof(*r))
			return -EBADMSG;
		info->oseq = r->oseq;
		info->replay_seq = r->seq;
		sa->replay_window = r->replay_window;
	}
	return 0;
}

static void sa_info_from_kernel(struct xk_sa_info *info, const struct xfrm_usersa_info *u)
{
	struct xk_sa *sa = &info->sa;

	memset(info, 0, sizeof(*info));
	addr_from_kernel(&sa->dst, &u->id.daddr, u->family);
	addr_from_kernel(&sa->src, &u->saddr, u->family);
	sa->spi = ntohl(u->id.spi);
	sa->mode = u->mode == XFRM_MODE_TUNNEL ? XK_MODE_TUNNEL : XK_MODE_TRANSPORT;
	sa->reqid = u->reqid;
	sa->replay_window = u->replay_window;
	sel_from_kernel(&sa->sel, &u->sel);
	lft_from_kernel(&sa->lft, &u->lft);
	info->bytes = u->curlft.bytes;
	info->packets = u->curlft.packets;
	info->add_time = u->curlft.add_time;
	info->use_time = u->curlft.use_time;
	info->replay_fail = u->stats.replay;
	info->integrity_fail = u->stats.integrity_failed;
}

int xfrm_msg_parse_sa(const struct nlmsghdr *nlh, struct xk_sa_info *info)
{
	const struct nlattr *tb[XFRMA_MAX + 1];

	if (nlh->nlmsg_type != XFRM_MSG_NEWSA && nlh->nlmsg_type != XFRM_MSG_UPDSA &&
	    nlh->nlmsg_type != XFRM_MSG_DELSA)
		return -EBADMSG;
	if (attrs_parse(nlh, sizeof(struct xfrm_usersa_info), tb) < 0)
		return -EBADMSG;
	struct xfrm_usersa_info u;
	memcpy(&u, mnl_nlmsg_get_payload(nlh), sizeof(u)); /* payload is only 4-byte aligned */
	sa_info_from_kernel(info, &u);
	if (!family_ok(info->sa.dst.family))
		return -EBADMSG;
	if (sa_attrs_apply(info, tb) < 0)
		return -EBADMSG;
	info->larval = info->sa.enc == XK_ENC_NONE && !tb[XFRMA_ALG_CRYPT] && !tb[XFRMA_ALG_AEAD];
	return 0;
}

static void tmpl_from_kernel(struct xk_tmpl *t, const struct xfrm_user_tmpl *k)
{
	memset(t, 0, sizeof(*t));
	addr_from_kernel(&t->dst, &k->id.daddr, k->family);
	addr_from_kernel(&t->src, &k->saddr, k->family);
	t->mode = k->mode == XFRM_MODE_TUNNEL ? XK_MODE_TUNNEL : XK_MODE_TRANSPORT;
	t->reqid = k->reqid;
	t->optional = k->optional != 0;
	/* An all-zero transport template address means "any": keep it unspecified. */
	static const xfrm_address_t zero;
	if (t->mode == XK_MODE_TRANSPORT && !memcmp(&k->id.daddr, &zero, sizeof(zero)) &&
	    !memcmp(&k->saddr, &zero, sizeof(zero))) {
		t->dst.family = XK_AF_UNSPEC;
		t->src.family = XK_AF_UNSPEC;
	}
}

static void policy_from_kernel(struct xk_policy *p, const struct xfrm_userpolicy_info *u)
{
	memset(p, 0, sizeof(*p));
	sel_from_kernel(&p->sel, &u->sel);
	lft_from_kernel(&p->lft, &u->lft);
	p->dir = dir_from_kernel(u->dir);
	p->action = u->action == XFRM_POLICY_ALLOW ? XK_ACTION_ALLOW : XK_ACTION_BLOCK;
	p->priority = u->priority;
}

int xfrm_msg_parse_policy(const struct nlmsghdr *nlh, struct xk_policy *p, uint32_t *index)
{
	const struct nlattr *tb[XFRMA_MAX + 1];

	if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY && nlh->nlmsg_type != XFRM_MSG_UPDPOLICY)
		return -EBADMSG;
	if (attrs_parse(nlh, sizeof(struct xfrm_userpolicy_info), tb) < 0)
		return -EBADMSG;
	struct xfrm_userpolicy_info uc;
	memcpy(&uc, mnl_nlmsg_get_payload(nlh), sizeof(uc)); /* 4-byte aligned only */
	const struct xfrm_userpolicy_info *u = &uc;
	policy_from_kernel(p, u);
	if (index)
		*index = u->index;
	if (tb[XFRMA_TMPL]) { /* natkeyd uses one template; a bundle reports the first */
		p->has_tmpl = true;
		tmpl_from_kernel(&p->tmpl, mnl_attr_get_payload(tb[XFRMA_TMPL]));
	}
	if (tb[XFRMA_MARK]) {
		const struct xfrm_mark *m = mnl_attr_get_payload(tb[XFRMA_MARK]);
		p->mark.value = m->v;
		p->mark.mask = m->m;
	}
	return 0;
}

static int event_acquire(const struct nlmsghdr *nlh, struct xk_ev_acquire *a)
{
	const struct nlattr *tb[XFRMA_MAX + 1];

	if (attrs_parse(nlh, sizeof(struct xfrm_user_acquire), tb) < 0)
		return -EBADMSG;
	struct xfrm_user_acquire uc;
	memcpy(&uc, mnl_nlmsg_get_payload(nlh), sizeof(uc)); /* 4-byte aligned only */
	const struct xfrm_user_acquire *u = &uc;
	memset(a, 0, sizeof(*a));
	sel_from_kernel(&a->sel, &u->sel);
	addr_from_kernel(&a->dst, &u->id.daddr, u->policy.sel.family);
	addr_from_kernel(&a->src, &u->saddr, u->policy.sel.family);
	a->dir = dir_from_kernel(u->policy.dir);
	a->policy_index = u->policy.index;
	a->seq = u->seq;
	if (tb[XFRMA_TMPL]) {
		struct xk_tmpl t;
		const struct xfrm_user_tmpl *kt = mnl_attr_get_payload(tb[XFRMA_TMPL]);
		tmpl_from_kernel(&t, kt);
		a->reqid = t.reqid;
		a->mode = t.mode;
		/* The endpoints the SA needs are the template's (tunnel) or the flow's. */
		addr_from_kernel(&a->dst, &u->id.daddr, kt->family);
		addr_from_kernel(&a->src, &u->saddr, kt->family);
	}
	return 0;
}

static int event_expire(const struct nlmsghdr *nlh, struct xk_event *ev)
{
	const struct nlattr *tb[XFRMA_MAX + 1];
	struct xk_sa_info info;

	if (attrs_parse(nlh, sizeof(struct xfrm_user_expire), tb) < 0)
		return -EBADMSG;
	struct xfrm_user_expire uc;
	memcpy(&uc, mnl_nlmsg_get_payload(nlh), sizeof(uc)); /* 4-byte aligned only */
	const struct xfrm_user_expire *u = &uc;
	sa_info_from_kernel(&info, &u->state);
	if (!family_ok(info.sa.dst.family) || sa_attrs_apply(&info, tb) < 0)
		return -EBADMSG;
	ev->type = u->hard ? XK_EV_EXPIRE_HARD : XK_EV_EXPIRE_SOFT;
	struct xk_ev_expire *e = &ev->u.expire;
	memset(e, 0, sizeof(*e));
	e->id.dst = info.sa.dst;
	e->id.spi = info.sa.spi;
	e->id.mark = info.sa.mark;
	e->src = info.sa.src;
	e->reqid = info.sa.reqid;
	e->mode = info.sa.mode;
	e->bytes = info.bytes;
	e->packets = info.packets;
	return 0;
}

static int event_mapping(const struct nlmsghdr *nlh, struct xk_ev_mapping *m)
{
	const struct nlattr *tb[XFRMA_MAX + 1];

	if (attrs_parse(nlh, sizeof(struct xfrm_user_mapping), tb) < 0)
		return -EBADMSG;
	struct xfrm_user_mapping uc;
	memcpy(&uc, mnl_nlmsg_get_payload(nlh), sizeof(uc)); /* 4-byte aligned only */
	const struct xfrm_user_mapping *u = &uc;
	if (!family_ok((uint8_t)u->id.family))
		return -EBADMSG;
	memset(m, 0, sizeof(*m));
	addr_from_kernel(&m->dst, &u->id.daddr, u->id.family);
	m->spi = ntohl(u->id.spi);
	m->reqid = u->reqid;
	addr_from_kernel(&m->old_addr, &u->old_saddr, u->id.family);
	addr_from_kernel(&m->new_addr, &u->new_saddr, u->id.family);
	m->old_port = ntohs(u->old_sport);
	m->new_port = ntohs(u->new_sport);
	return 0;
}

static int event_polexpire(const struct nlmsghdr *nlh, struct xk_ev_policy_expire *p)
{
	const struct nlattr *tb[XFRMA_MAX + 1];
	struct xk_policy pol;

	if (attrs_parse(nlh, sizeof(struct xfrm_user_polexpire), tb) < 0)
		return -EBADMSG;
	struct xfrm_user_polexpire uc;
	memcpy(&uc, mnl_nlmsg_get_payload(nlh), sizeof(uc)); /* 4-byte aligned only */
	const struct xfrm_user_polexpire *u = &uc;
	policy_from_kernel(&pol, &u->pol);
	memset(p, 0, sizeof(*p));
	p->id.sel = pol.sel;
	p->id.dir = pol.dir;
	if (tb[XFRMA_MARK]) {
		const struct xfrm_mark *mk = mnl_attr_get_payload(tb[XFRMA_MARK]);
		p->id.mark.value = mk->v;
		p->id.mark.mask = mk->m;
	}
	p->hard = u->hard != 0;
	return 0;
}

int xfrm_msg_parse_event(const struct nlmsghdr *nlh, struct xk_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	switch (nlh->nlmsg_type) {
	case XFRM_MSG_ACQUIRE:
		ev->type = XK_EV_ACQUIRE;
		return event_acquire(nlh, &ev->u.acquire);
	case XFRM_MSG_EXPIRE:
		return event_expire(nlh, ev);
	case XFRM_MSG_MAPPING:
		ev->type = XK_EV_MAPPING;
		return event_mapping(nlh, &ev->u.mapping);
	case XFRM_MSG_POLEXPIRE:
		ev->type = XK_EV_POLICY_EXPIRE;
		return event_polexpire(nlh, &ev->u.policy_expire);
	default:
		return -ENOENT;
	}
}

static int ext_ack_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **msg = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		*msg = attr;
	return MNL_CB_OK;
}

int xfrm_msg_parse_error(const struct nlmsghdr *nlh, int *err, char *msg, size_t msg_len,
			 uint32_t *orig_seq)
{
	const struct nlmsgerr *e;
	size_t off;

	if (msg_len)
		msg[0] = '\0';
	if (nlh->nlmsg_type != NLMSG_ERROR || !msg_len_ok(nlh) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
		return -EBADMSG;
	e = mnl_nlmsg_get_payload(nlh);
	if (e->error > 0)
		return -EBADMSG;
	*err = e->error;
	if (orig_seq)
		*orig_seq = e->msg.nlmsg_seq;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	/* TLVs follow the echoed request: its header only when capped, else all of it. */
	if (nlh->nlmsg_flags & NLM_F_CAPPED)
		off = sizeof(*e);
	else {
		if (e->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return -EBADMSG;
		off = sizeof(int) + MNL_ALIGN((size_t)e->msg.nlmsg_len);
	}
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return -EBADMSG;
	const struct nlattr *m = NULL;
	if (mnl_attr_parse(nlh, (unsigned)off, ext_ack_cb, &m) != MNL_CB_OK)
		return -EBADMSG;
	if (m && msg_len)
		name_copy(msg, mnl_attr_get_str(m), msg_len);
	return 0;
}
