// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Client profiles (issues 16 and 17): the exact Phase 1 and Phase 2
 * proposal lists real IKEv1 clients send (tests/data/clients/CLIENT.txt, each
 * with its source) against natkeyd's documented gateway profiles
 * (tests/data/clients/gw-NAME.conf, the text natkeyd.conf(5) shows), built the
 * way the daemon builds them (conf_parse() + nkd_conn_build()).
 *
 * test_select: the client's SA payloads, encoded transform by transform in
 * the client's order (DES, NULL, HMAC-MD5 and the XAUTH/hybrid method
 * numbers included), go through the responder's selection; natkeyd picks
 * what the data file says with allow-legacy-algorithms=yes and with =no.
 *
 * test_negotiate: the same client as a natkeyd engine that sends the
 * client's list (the transforms an engine can send) through a NAT to a
 * gateway engine with the profile: with the legacy opt-in the tunnel comes
 * up with the expected suite and ESP SAs; without it a legacy-only client
 * is refused and the gateway's log says why (allow-legacy-algorithms=yes).
 *
 * test_sha2_truncbug: sha2-truncbug=yes puts a 96-bit HMAC-SHA2-256 into
 * the kernel SAs of that connection only (the wire says SHA2-256 anyway).
 *
 * test_profiles_documented: natkeyd.conf(5) shows each profile's ike= and
 * esp= lines, so the documentation cannot drift from what is tested.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/conf/conf.h"
#include "ike/conf/conf_secrets.h"
#include "ike/crypto/crypto.h"
#include "ike/sa/proposal.h"
#include "ike/wire/isakmp.h"
#include "ike/wire/isakmp_decode.h"
#include "ike/wire/isakmp_encode.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/sim/nat.h"
#include "tools/natkeyd/natkeyd_glue.h"

#define GW     "192.0.2.1"
#define NAT    "203.0.113.7"
#define RW     "10.0.0.2"
#define SECRET "group secret"

static const char secrets_text[] = GW " %any : PSK \"" SECRET "\"\n"
				      "alice : XAUTH \"alice's password\"\n";

/* ---- the data files ---- */

enum {
	AUTH_PSK,
	AUTH_XAUTH_PSK,
	AUTH_XAUTH_RSA,
	AUTH_HYBRID_RSA
};

struct p1x {
	uint16_t enc, key_bits, hash, group, auth; /* wire values */
};

struct p2x {
	uint8_t esp_id;
	uint16_t key_bits, auth; /* Authentication Algorithm attribute */
};

struct client {
	char file[64], name[160], profile[64];
	bool aggressive, transport, per_proposal, engine;
	unsigned auth;
	struct p1x p1[32];
	unsigned n_p1;
	struct p2x p2[32];
	unsigned n_p2;
	struct p1x pick_p1, nolegacy_p1; /* enc 0: none */
	struct p2x pick_p2, nolegacy_p2; /* esp_id 0: none */
};

static const char *const client_files[] = {
	"ios-cisco-ipsec-psk.txt",
	"macos-l2tp-psk.txt",
	"android-l2tp-psk.txt",
	"android-xauth-psk.txt",
	"android-xauth-rsa.txt",
	"android-hybrid-rsa.txt",
	"vpnc-psk.txt",
	"windows-l2tp-psk.txt",
	"win10-ios-l2tp-psk.txt",
	"shrew-psk-xauth.txt",
};
#define N_CLIENTS (sizeof(client_files) / sizeof(client_files[0]))

static const struct {
	const char *name;
	uint16_t ike, esp, bits;
} encs[] = {
	{ "aes256", IKE_CIPHER_AES_CBC, ISAKMP_ESP_AES, 256 },
	{ "aes192", IKE_CIPHER_AES_CBC, ISAKMP_ESP_AES, 192 },
	{ "aes128", IKE_CIPHER_AES_CBC, ISAKMP_ESP_AES, 128 },
	{ "3des", IKE_CIPHER_3DES_CBC, ISAKMP_ESP_3DES, 0 },
	{ "blowfish256", 3, 7, 256 }, /* Blowfish: RFC 2409 App. A 3, RFC 2407 ESP 7 */
	{ "blowfish192", 3, 7, 192 },
	{ "blowfish128", 3, 7, 128 },
	{ "cast", 6, 6, 0 },		 /* CAST-CBC: IKE 6, ESP 6 */
	{ "des", 1, ISAKMP_ESP_DES, 0 }, /* DES-CBC: RFC 2409 App. A value 1 */
	{ "null", 0, ISAKMP_ESP_NULL, 0 },
};

static const struct {
	const char *name;
	uint16_t ike, esp;
} hashes[] = {
	{ "sha1", IKE_HASH_SHA1, ISAKMP_AUTH_ALG_HMAC_SHA },
	{ "md5", IKE_HASH_MD5, ISAKMP_AUTH_ALG_HMAC_MD5 },
	{ "sha256", IKE_HASH_SHA2_256, ISAKMP_AUTH_ALG_HMAC_SHA2_256 },
};

static const struct {
	const char *name;
	uint16_t group;
} groups[] = {
	{ "modp1024", IKE_DH_MODP_1024 }, { "modp1536", IKE_DH_MODP_1536 },
	{ "modp2048", IKE_DH_MODP_2048 }, { "ecp256", IKE_DH_ECP_256 },
	{ "ecp384", IKE_DH_ECP_384 },
};

static const struct {
	const char *name;
	uint16_t wire;
} auths[] = {
	[AUTH_PSK] = { "psk", ISAKMP_AUTH_PSK },
	[AUTH_XAUTH_PSK] = { "xauth-psk", ISAKMP_AUTH_XAUTH_INIT_PSK },
	[AUTH_XAUTH_RSA] = { "xauth-rsa", ISAKMP_AUTH_XAUTH_INIT_RSA },
	[AUTH_HYBRID_RSA] = { "hybrid-rsa", ISAKMP_AUTH_HYBRID_INIT_RSA },
};

#define FIND(tab, tok)                                                                             \
	({                                                                                         \
		int _k = -1;                                                                       \
		for (unsigned _i = 0; _i < sizeof(tab) / sizeof(tab[0]); _i++)                     \
			if (!strcmp(tab[_i].name, (tok)))                                          \
				_k = (int)_i;                                                      \
		ck_assert_msg(_k >= 0, "unknown name '%s'", (tok));                                \
		_k;                                                                                \
	})

static bool parse_p1(char *rest, unsigned dflt_auth, struct p1x *o)
{
	char *e = strtok(rest, " "), *h = strtok(NULL, " "), *g = strtok(NULL, " ");
	char *a = strtok(NULL, " ");
	int ei, hi, gi;

	memset(o, 0, sizeof(*o));
	if (e && !strcmp(e, "none"))
		return true;
	ck_assert(e && h && g);
	ei = FIND(encs, e);
	hi = FIND(hashes, h);
	gi = FIND(groups, g);
	o->enc = encs[ei].ike;
	o->key_bits = encs[ei].bits;
	o->hash = hashes[hi].ike;
	o->group = groups[gi].group;
	o->auth = auths[a ? FIND(auths, a) : (int)dflt_auth].wire;
	return true;
}

static void parse_p2(char *rest, struct p2x *o)
{
	char *e = strtok(rest, " "), *h = strtok(NULL, " ");
	int ei;

	memset(o, 0, sizeof(*o));
	if (e && !strcmp(e, "none"))
		return;
	ck_assert(e && h);
	ei = FIND(encs, e);
	o->esp_id = (uint8_t)encs[ei].esp;
	o->key_bits = encs[ei].bits;
	o->auth = hashes[FIND(hashes, h)].esp;
}

static void client_load(const char *file, struct client *c)
{
	char path[512], line[1024];
	FILE *f;

	memset(c, 0, sizeof(*c));
	snprintf(c->file, sizeof(c->file), "%s", file);
	snprintf(path, sizeof(path), "%s/%s", CLIENTS_DIR, file);
	f = fopen(path, "r");
	ck_assert_msg(f, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *key, *rest;

		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		key = line;
		rest = strchr(line, ' ');
		ck_assert_msg(rest, "%s: '%s'", file, line);
		*rest++ = '\0';
		if (!strcmp(key, "client")) {
			snprintf(c->name, sizeof(c->name), "%s", rest);
		} else if (!strcmp(key, "source")) {
			ck_assert(strlen(rest) > 10);
		} else if (!strcmp(key, "profile")) {
			snprintf(c->profile, sizeof(c->profile), "%s", rest);
		} else if (!strcmp(key, "mode")) {
			c->aggressive = !strcmp(rest, "aggressive");
		} else if (!strcmp(key, "auth")) {
			c->auth = (unsigned)FIND(auths, rest);
		} else if (!strcmp(key, "encap")) {
			c->transport = !strcmp(rest, "transport");
		} else if (!strcmp(key, "p2layout")) {
			c->per_proposal = !strcmp(rest, "proposals");
		} else if (!strcmp(key, "p1")) {
			ck_assert_uint_lt(c->n_p1, 32);
			parse_p1(rest, c->auth, &c->p1[c->n_p1++]);
		} else if (!strcmp(key, "p2")) {
			ck_assert_uint_lt(c->n_p2, 32);
			parse_p2(rest, &c->p2[c->n_p2++]);
		} else if (!strcmp(key, "pick-p1")) {
			parse_p1(rest, c->auth, &c->pick_p1);
		} else if (!strcmp(key, "pick-p2")) {
			parse_p2(rest, &c->pick_p2);
		} else if (!strcmp(key, "nolegacy-p1")) {
			parse_p1(rest, c->auth, &c->nolegacy_p1);
		} else if (!strcmp(key, "nolegacy-p2")) {
			parse_p2(rest, &c->nolegacy_p2);
		} else if (!strcmp(key, "engine")) {
			c->engine = !strcmp(rest, "yes");
		} else {
			ck_abort_msg("%s: unknown directive '%s'", file, key);
		}
	}
	fclose(f);
	ck_assert_msg(c->name[0] && c->profile[0] && c->n_p1 && c->n_p2, "%s incomplete", file);
}

/* ---- the gateway profile, as the daemon builds it ---- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_msg(f, "%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void profile_build(const char *profile, bool legacy, struct ike_conn_cfg *o)
{
	char path[512], err[512], *text, *p;
	struct conf *conf = NULL;
	struct conf_secrets *sec = NULL;
	struct conf_diag diag;

	snprintf(path, sizeof(path), "%s/%s", CLIENTS_DIR, profile);
	text = slurp(path);
	p = strstr(text, "\n\tallow-legacy-algorithms=yes\n"); /* the key, not a comment */
	ck_assert_msg(p, "%s: no allow-legacy-algorithms=yes", profile);
	if (!legacy)
		memcpy(p + strlen("\n\tallow-legacy-algorithms="), "no\n", 3);
	ck_assert_msg(conf_parse(profile, text, strlen(text), &conf, &diag) == 0, "%s: %s", profile,
		      diag.n ? diag.msg[0] : "");
	ck_assert_int_eq(
		conf_secrets_parse("t.secrets", secrets_text, strlen(secrets_text), &sec, &diag),
		0);
	ck_assert_uint_eq(conf->n_conns, 1);
	ck_assert_msg(
		nkd_conn_build(&conf->conns[0], sec, nkd_conn_reqid(1), o, err, sizeof(err)) == 0,
		"%s: %s", profile, err);
	o->allow_legacy = conf->setup.allow_legacy; /* as natkeyd_config.c does */
	ck_assert_int_eq(o->allow_legacy, legacy);
	conf_free(conf);
	conf_secrets_free(sec);
	free(text);
}

/* ---- test_select: the exact lists through the responder's selection ---- */

static void p1_encode(const struct client *c, struct isakmp_enc *e)
{
	isakmp_enc_sa_begin(e, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	isakmp_enc_prop_begin(e, 1, ISAKMP_PROTO_ISAKMP, NULL, 0);
	for (unsigned i = 0; i < c->n_p1; i++) {
		const struct p1x *x = &c->p1[i];

		isakmp_enc_xform_begin(e, (uint8_t)(i + 1), ISAKMP_KEY_IKE);
		isakmp_enc_attr_tv(e, ISAKMP_IKE_ENCR, x->enc);
		if (x->key_bits)
			isakmp_enc_attr_tv(e, ISAKMP_IKE_KEY_LENGTH, x->key_bits);
		isakmp_enc_attr_tv(e, ISAKMP_IKE_HASH, x->hash);
		isakmp_enc_attr_tv(e, ISAKMP_IKE_AUTH, x->auth);
		isakmp_enc_attr_tv(e, ISAKMP_IKE_GROUP_DESC, x->group);
		isakmp_enc_attr_tv(e, ISAKMP_IKE_LIFE_TYPE, ISAKMP_LIFE_SECONDS);
		isakmp_enc_attr_uint(e, ISAKMP_IKE_LIFE_DURATION, 3600);
		isakmp_enc_xform_end(e);
	}
	isakmp_enc_prop_end(e);
	isakmp_enc_sa_end(e);
}

static void p2_xform(const struct p2x *x, uint8_t number, uint16_t encap, struct isakmp_enc *e)
{
	isakmp_enc_xform_begin(e, number, x->esp_id);
	isakmp_enc_attr_tv(e, ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_LIFE_SECONDS);
	isakmp_enc_attr_uint(e, ISAKMP_IPSEC_LIFE_DURATION, 3600);
	isakmp_enc_attr_tv(e, ISAKMP_IPSEC_ENCAP_MODE, encap);
	isakmp_enc_attr_tv(e, ISAKMP_IPSEC_AUTH_ALG, x->auth);
	if (x->key_bits)
		isakmp_enc_attr_tv(e, ISAKMP_IPSEC_KEY_LENGTH, x->key_bits);
	isakmp_enc_xform_end(e);
}

static void p2_encode(const struct client *c, struct isakmp_enc *e)
{
	uint16_t encap = c->transport ? ISAKMP_ENCAP_UDP_TRANSPORT : ISAKMP_ENCAP_UDP_TUNNEL;
	uint8_t spi[4] = { 0xc1, 0x1e, 0x47, 0x01 };

	isakmp_enc_sa_begin(e, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	if (c->per_proposal) { /* vpnc: one proposal per transform */
		for (unsigned i = 0; i < c->n_p2; i++) {
			isakmp_enc_prop_begin(e, (uint8_t)(i + 1), ISAKMP_PROTO_ESP, spi, 4);
			p2_xform(&c->p2[i], 1, encap, e);
			isakmp_enc_prop_end(e);
		}
	} else {
		isakmp_enc_prop_begin(e, 1, ISAKMP_PROTO_ESP, spi, 4);
		for (unsigned i = 0; i < c->n_p2; i++)
			p2_xform(&c->p2[i], (uint8_t)(i + 1), encap, e);
		isakmp_enc_prop_end(e);
	}
	isakmp_enc_sa_end(e);
}

/* Encode with @fn, decode as the engine would: the SA payload. */
static void sa_decode(const struct client *c,
		      void (*fn)(const struct client *, struct isakmp_enc *), uint8_t *buf,
		      size_t cap, struct isakmp_msg *msg)
{
	struct isakmp_enc e;
	struct isakmp_err err;
	ssize_t n;

	isakmp_enc_init(&e, buf, cap);
	fn(c, &e);
	n = isakmp_enc_finish(&e);
	ck_assert_msg(n > 0, "%s: encoding failed (%zd)", c->file, n);
	ck_assert_msg(isakmp_body_decode(ISAKMP_NP_SA, buf, (size_t)n, msg, &err) == 0,
		      "%s: the SA payload does not decode", c->file);
	ck_assert_uint_eq(msg->npayloads, 1);
}

static void check_p1(const struct client *c, const struct ike_conn_cfg *gw, const struct p1x *want,
		     const char *what)
{
	static uint8_t buf[4096];
	static struct isakmp_msg msg;
	struct p1_choice ch;
	int rc;

	sa_decode(c, p1_encode, buf, sizeof(buf), &msg);
	rc = proposal_p1_select(&msg.payloads[0].u.sa, gw, &ch);
	if (!want->enc) {
		ck_assert_msg(rc == -ENOENT, "%s %s: Phase 1 accepted (cipher %u hash %u group %u)",
			      c->file, what, ch.p.cipher, ch.p.hash, ch.p.group);
		return;
	}
	ck_assert_msg(rc == 0, "%s %s: Phase 1 refused (%d)", c->file, what, rc);
	ck_assert_msg(ch.p.cipher == want->enc && ch.p.hash == want->hash &&
			      ch.p.group == want->group &&
			      (want->enc != IKE_CIPHER_AES_CBC || ch.p.key_bits == want->key_bits),
		      "%s %s: picked cipher %u/%u hash %u group %u, want %u/%u %u %u", c->file,
		      what, ch.p.cipher, ch.p.key_bits, ch.p.hash, ch.p.group, want->enc,
		      want->key_bits, want->hash, want->group);
	ck_assert_uint_eq(ch.auth_wire, want->auth);
}

static void check_p2(const struct client *c, const struct ike_conn_cfg *gw, const struct p2x *want,
		     const char *what)
{
	static uint8_t buf[4096];
	static struct isakmp_msg msg;
	struct p2_nat nat = { NATT_METHOD_RFC3947, true };
	struct p2_choice ch;
	int rc;

	memset(&ch, 0, sizeof(ch));
	sa_decode(c, p2_encode, buf, sizeof(buf), &msg);
	rc = proposal_p2_select(&msg.payloads[0].u.sa, gw, &nat, &ch);
	if (!want->esp_id) {
		ck_assert_msg(rc == -ENOENT, "%s %s: Phase 2 accepted (ESP %u auth %u)", c->file,
			      what, ch.esp_id, ch.auth_attr);
		return;
	}
	ck_assert_msg(rc == 0, "%s %s: Phase 2 refused (%d)", c->file, what, rc);
	ck_assert_msg(ch.esp_id == want->esp_id && ch.auth_attr == want->auth &&
			      (!want->key_bits || ch.p.key_bits == want->key_bits),
		      "%s %s: picked ESP %u/%u auth %u, want %u/%u auth %u", c->file, what,
		      ch.esp_id, ch.p.key_bits, ch.auth_attr, want->esp_id, want->key_bits,
		      want->auth);
}

START_TEST(test_select)
{
	static struct client c;
	static struct ike_conn_cfg gw;
	unsigned legacy_p1 = 0;

	client_load(client_files[_i], &c);
	profile_build(c.profile, true, &gw);
	check_p1(&c, &gw, &c.pick_p1, "with allow-legacy-algorithms=yes");
	check_p2(&c, &gw, &c.pick_p2, "with allow-legacy-algorithms=yes");
	profile_build(c.profile, false, &gw);
	check_p1(&c, &gw, &c.nolegacy_p1, "with allow-legacy-algorithms=no");
	check_p2(&c, &gw, &c.nolegacy_p2, "with allow-legacy-algorithms=no");

	/* The refusal's log line counts the legacy transforms: those with
	 * MODP-1024/1536, MD5 or 3DES, among the ciphers natkeyd implements
	 * (not DES, Blowfish, CAST). */
	for (unsigned i = 0; i < c.n_p1; i++)
		legacy_p1 +=
			(c.p1[i].group == IKE_DH_MODP_1024 || c.p1[i].group == IKE_DH_MODP_1536 ||
			 c.p1[i].hash == IKE_HASH_MD5 || c.p1[i].enc == IKE_CIPHER_3DES_CBC) &&
			(c.p1[i].enc == IKE_CIPHER_AES_CBC || c.p1[i].enc == IKE_CIPHER_3DES_CBC);
	{
		static uint8_t buf[4096];
		static struct isakmp_msg msg;

		unsigned legacy_p2 = 0;

		sa_decode(&c, p1_encode, buf, sizeof(buf), &msg);
		ck_assert_uint_eq(proposal_p1_legacy_count(&msg.payloads[0].u.sa), legacy_p1);
		/* Phase 2: the 3DES transforms (no client here asks for PFS). */
		for (unsigned i = 0; i < c.n_p2; i++)
			legacy_p2 += c.p2[i].esp_id == ISAKMP_ESP_3DES;
		sa_decode(&c, p2_encode, buf, sizeof(buf), &msg);
		ck_assert_uint_eq(proposal_p2_legacy_count(&msg.payloads[0].u.sa), legacy_p2);
	}
	OPENSSL_cleanse(&gw, sizeof(gw));
}
END_TEST

/* ---- test_negotiate: two engines through a NAT ---- */

struct world {
	struct sim_net *net;
	struct sim_nat *nat;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
};

/* The client as a natkeyd engine: its list, in its order, as far as an
 * engine can send it. */
static void client_conn(const struct client *c, struct ike_conn_cfg *o)
{
	conn_psk(o, "client", RW, GW, SECRET);
	o->n_p1 = o->n_p2 = 0;
	for (unsigned i = 0; i < c->n_p1 && o->n_p1 < IKE_PROPOSALS_MAX; i++) {
		const struct p1x *x = &c->p1[i];

		if (x->enc != IKE_CIPHER_AES_CBC && x->enc != IKE_CIPHER_3DES_CBC)
			continue; /* DES */
		o->p1[o->n_p1++] =
			(struct ike_p1_proposal){ x->enc, x->key_bits, x->hash, x->group };
	}
	for (unsigned i = 0; i < c->n_p2 && o->n_p2 < IKE_PROPOSALS_MAX; i++) {
		const struct p2x *x = &c->p2[i];
		struct ike_p2_proposal p = { 0 };

		if (x->esp_id == ISAKMP_ESP_AES)
			p.enc = XK_ENC_AES_CBC;
		else if (x->esp_id == ISAKMP_ESP_3DES)
			p.enc = XK_ENC_3DES_CBC;
		else
			continue; /* DES, NULL */
		if (x->auth == ISAKMP_AUTH_ALG_HMAC_SHA)
			p.auth = XK_AUTH_HMAC_SHA1_96;
		else if (x->auth == ISAKMP_AUTH_ALG_HMAC_SHA2_256)
			p.auth = XK_AUTH_HMAC_SHA256_128;
		else
			continue; /* HMAC-MD5: no kernel algorithm in natkeyd */
		p.key_bits = x->key_bits;
		o->p2[o->n_p2++] = p;
	}
	ck_assert(o->n_p1 && o->n_p2);
	o->allow_legacy = true; /* the client offers what it offers */
	o->aggressive = c->aggressive;
	if (c->transport) {
		o->mode = XK_MODE_TRANSPORT;
		o->local_ts.proto = o->remote_ts.proto = 17; /* L2TP: UDP 1701 */
		o->remote_ts.port = 1701;
	}
	if (c->auth == AUTH_XAUTH_PSK) {
		/* The group name as iOS and vpnc send it (KEY_ID). */
		o->local_id.type = 11;
		o->local_id.len = 8;
		memcpy(o->local_id.data, "vpngroup", 8);
		o->xauth = IKE_CFG_CLIENT;
		snprintf(o->xauth_user, sizeof(o->xauth_user), "alice");
		o->xauth_pass_len = strlen("alice's password");
		memcpy(o->xauth_pass, "alice's password", o->xauth_pass_len);
		o->modecfg = IKE_CFG_CLIENT;
		harness_ts4(&o->remote_ts, "10.9.0.0", 24);
	}
}

static void world_run(struct world *w)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };
	struct sim_nat_cfg nc;

	w->net = sim_net_new(17, 10);
	memset(&nc, 0, sizeof(nc));
	sim_addr4(&nc.pub, NAT, 0);
	nc.mapping = SIM_NAT_APD;
	nc.filtering = SIM_NAT_APD;
	nc.seed = 5;
	w->nat = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(w->nat);
	harness_nat_attach(w->net, w->nat);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	w->gw.xauth_users[0] = "alice:alice's password";
	peer_init(&w->rw, "rw", w->net, RW, true, &rcfg);
	peer_initiate(&w->rw, 0);
	sim_net_run(w->net, 60000, 1000000);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_nat_free(w->nat);
	sim_net_free(w->net);
	OPENSSL_cleanse(&w->gwc, sizeof(w->gwc));
}

static enum xk_enc_alg xk_enc_of(const struct p2x *x)
{
	return x->esp_id == ISAKMP_ESP_AES ? XK_ENC_AES_CBC : XK_ENC_3DES_CBC;
}

static void assert_up(const struct client *c, const struct world *w, const struct p1x *p1,
		      const struct p2x *p2, const char *what)
{
	char suite[96];

	ck_assert_msg(peer_status(&w->gw).ike_established == 1 &&
			      peer_status(&w->rw).ike_established == 1,
		      "%s %s: Phase 1 not established", c->file, what);
	snprintf(suite, sizeof(suite), "IKE SA established (%s, %s, group %u",
		 crypto_cipher_name(p1->enc), crypto_hash_name(p1->hash), p1->group);
	ck_assert_msg(peer_log_has(&w->gw, suite), "%s %s: no '%s'", c->file, what, suite);
	ck_assert_msg(w->gw.n_sa == 2 && w->rw.n_sa == 2, "%s %s: %u/%u SAs", c->file, what,
		      w->gw.n_sa, w->rw.n_sa);
	for (unsigned i = 0; i < w->gw.n_sa; i++) {
		const struct xk_sa *x = &w->gw.sa[i];

		ck_assert_int_eq(x->enc, xk_enc_of(p2));
		ck_assert_int_eq(x->auth, XK_AUTH_HMAC_SHA1_96);
		ck_assert_uint_eq(x->enc_key_len, p2->key_bits ? p2->key_bits / 8u : 24u);
		ck_assert_int_eq(x->mode, c->transport ? XK_MODE_TRANSPORT : XK_MODE_TUNNEL);
		ck_assert(x->encap.enabled); /* through the NAT: ESP in UDP 4500 */
	}
	ck_assert_int_eq(keys_match(&w->gw, &w->rw), 2);
	if (c->auth == AUTH_XAUTH_PSK)
		ck_assert_uint_eq(w->gw.n_xauth_ok, 1);
}

START_TEST(test_negotiate)
{
	static struct client c;
	static struct world w;

	client_load(client_files[_i], &c);
	if (!c.engine) {
		/* RSA/hybrid clients: their lists are checked by test_select;
		 * the engine runs of XAUTH RSA are check_engine_xauth's. */
		ck_assert(c.auth == AUTH_XAUTH_RSA || c.auth == AUTH_HYBRID_RSA);
		return;
	}
	ck_assert(c.pick_p1.enc && c.pick_p2.esp_id);
	memset(&w, 0, sizeof(w));
	profile_build(c.profile, true, &w.gwc);
	client_conn(&c, &w.rwc);
	world_run(&w);
	assert_up(&c, &w, &c.pick_p1, &c.pick_p2, "with allow-legacy-algorithms=yes");
	world_free(&w);

	memset(&w, 0, sizeof(w));
	profile_build(c.profile, false, &w.gwc);
	client_conn(&c, &w.rwc);
	world_run(&w);
	if (c.nolegacy_p1.enc && c.nolegacy_p2.esp_id) {
		assert_up(&c, &w, &c.nolegacy_p1, &c.nolegacy_p2,
			  "with allow-legacy-algorithms=no");
	} else if (!c.nolegacy_p1.enc) {
		ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
		ck_assert_uint_eq(w.gw.n_sa + w.rw.n_sa, 0);
		ck_assert_uint_ge(w.gw.reasons[IKE_R_NO_PROPOSAL], 1);
		ck_assert_msg(peer_log_has(&w.gw, "legacy: set allow-legacy-algorithms=yes"),
			      "%s: the refusal does not name allow-legacy-algorithms", c.file);
	} else {
		/* Phase 1 modern, Phase 2 legacy only. */
		ck_assert_uint_eq(w.gw.n_sa, 0);
		ck_assert(
			peer_log_has(&w.gw, "legacy transforms: set allow-legacy-algorithms=yes"));
	}
	world_free(&w);
}
END_TEST

/* ---- sha2-truncbug ---- */

START_TEST(test_sha2_truncbug)
{
	static struct world w;
	static const struct ike_p2_proposal sha256 = { XK_ENC_AES_CBC, 128,
						       XK_AUTH_HMAC_SHA256_128 };
	bool both = _i == 1;

	memset(&w, 0, sizeof(w));
	profile_build("gw-l2tp.conf", true, &w.gwc);
	w.gwc.p2[0] = sha256;
	w.gwc.n_p2 = 1;
	w.gwc.sha2_truncbug = true;
	conn_psk(&w.rwc, "client", RW, GW, SECRET);
	w.rwc.mode = XK_MODE_TRANSPORT;
	w.rwc.local_ts.proto = w.rwc.remote_ts.proto = 17;
	w.rwc.remote_ts.port = 1701;
	w.rwc.p1[0] = (struct ike_p1_proposal){ IKE_CIPHER_AES_CBC, 256, IKE_HASH_SHA2_256,
						IKE_DH_MODP_2048 };
	w.rwc.p2[0] = sha256;
	w.rwc.sha2_truncbug = both;
	world_run(&w);
	ck_assert_uint_eq(w.gw.n_sa, 2);
	ck_assert_uint_eq(w.rw.n_sa, 2);
	for (unsigned i = 0; i < 2; i++) {
		/* Same 32-byte key on both sides; only the ICV length differs. */
		ck_assert_int_eq(w.gw.sa[i].auth, XK_AUTH_HMAC_SHA256_96);
		ck_assert_uint_eq(w.gw.sa[i].auth_key_len, 32);
		ck_assert_int_eq(w.rw.sa[i].auth,
				 both ? XK_AUTH_HMAC_SHA256_96 : XK_AUTH_HMAC_SHA256_128);
		ck_assert_uint_eq(w.rw.sa[i].auth_key_len, 32);
	}
	world_free(&w);
}
END_TEST

/* ---- the documentation shows the profiles ---- */

START_TEST(test_profiles_documented)
{
	static const char *const profiles[] = { "gw-l2tp.conf", "gw-cisco.conf" };
	char *man = slurp(MAN_PAGE), path[512];

	for (unsigned i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		char *text, *line, *save = NULL;

		snprintf(path, sizeof(path), "%s/%s", CLIENTS_DIR, profiles[i]);
		text = slurp(path);
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			const char *l = line + strspn(line, "\t ");
			char roff[512];
			size_t j, k;

			if (strncmp(l, "ike=", 4) && strncmp(l, "esp=", 4) &&
			    strncmp(l, "authby=", 7) && strncmp(l, "type=", 5) &&
			    strncmp(l, "leftprotoport=", 14) && strncmp(l, "pfs=", 4))
				continue;
			/* roff escapes '-' as '\-'. */
			for (j = k = 0; l[j] && k + 2 < sizeof(roff); j++) {
				if (l[j] == '-')
					roff[k++] = '\\';
				roff[k++] = l[j];
			}
			roff[k] = '\0';
			ck_assert_msg(strstr(man, roff), "natkeyd.conf(5) lacks %s's line '%s'",
				      profiles[i], roff);
		}
		free(text);
	}
	free(man);
}
END_TEST

static Suite *profiles_suite(void)
{
	Suite *s = suite_create("engine_profiles");
	TCase *tc = tcase_create("profiles");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_select, 0, N_CLIENTS);
	tcase_add_loop_test(tc, test_negotiate, 0, N_CLIENTS);
	tcase_add_loop_test(tc, test_sha2_truncbug, 0, 2);
	tcase_add_test(tc, test_profiles_documented);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(profiles_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
