// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's pure glue: ipsec.conf text -> engine connection (addresses,
 * identities, PSK, proposals in RFC 2409 App. A wire values, selectors),
 * the refusals with their one-line messages, the trap policies that keep
 * auto=route/start traffic from leaking, and the status view built from
 * engine actions.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "ike/conf/conf.h"
#include "ike/conf/conf_proposal.h"
#include "natt/adaptka.h"
#include "ike/conf/conf_secrets.h"
#include "ike/crypto/crypto.h"
#include "ike/crypto/cert.h"
#include "tools/natkeyd/natkeyd_cred.h"
#include "tools/natkeyd/natkeyd_glue.h"
#include "tools/natkeyd/natkeyd_natcheck.h"
#include "natt/natcheck_state.h"
#include "tools/natkeyd/natkeyd_view.h"
#include "natt/method.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/sim/nat.h"

#ifndef NKD_TEST_CONF
#error "NKD_TEST_CONF must name tests/data/conf"
#endif

/* The whole file at @path, NUL-terminated. */
static char *slurp_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static const char secrets_text[] = "192.0.2.1 198.51.100.2 : PSK \"site secret\"\n"
				   "@gw.example %any : PSK 'rw secret'\n";

/* Parse @conf_text and build its first conn with @sec_text as secrets. */
static int build_with(const char *conf_text, const char *sec_text, struct ike_conn_cfg *out,
		      char *err, size_t err_len)
{
	struct conf *conf = NULL;
	struct conf_secrets *sec = NULL;
	struct conf_diag diag;
	int rc;

	ck_assert_int_eq(conf_parse("t.conf", conf_text, strlen(conf_text), &conf, &diag), 0);
	ck_assert_int_eq(conf_secrets_parse("t.secrets", sec_text, strlen(sec_text), &sec, &diag),
			 0);
	ck_assert_uint_ge(conf->n_conns, 1);
	rc = nkd_conn_build(&conf->conns[0], sec, nkd_conn_reqid(3), out, err, err_len);
	conf_free(conf);
	conf_secrets_free(sec);
	return rc;
}

static int build(const char *conf_text, struct ike_conn_cfg *out, char *err, size_t err_len)
{
	return build_with(conf_text, secrets_text, out, err, err_len);
}

static const char site_conf[] = "conn site\n"
				"\tleft=192.0.2.1\n"
				"\tleftsubnet=10.9.0.0/24\n"
				"\tright=198.51.100.2\n"
				"\trightsubnet=10.1.0.0/16\n"
				"\tauthby=secret\n"
				"\tike=aes128-sha256-modp2048\n"
				"\tesp=aes128-sha256\n"
				"\tauto=route\n";

START_TEST(test_site_to_site)
{
	struct ike_conn_cfg c;
	char err[NKD_ERR_MAX];
	const struct sockaddr_in *l, *r;
	const uint8_t net9[4] = { 10, 9, 0, 0 }, net1[4] = { 10, 1, 0, 0 };

	ck_assert_int_eq(build(site_conf, &c, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(c.name, "site");
	l = (const struct sockaddr_in *)&c.local;
	r = (const struct sockaddr_in *)&c.remote;
	ck_assert_int_eq(l->sin_family, AF_INET);
	ck_assert_uint_eq(ntohl(l->sin_addr.s_addr), 0xc0000201u);
	ck_assert_uint_eq(ntohs(l->sin_port), 500);
	ck_assert_uint_eq(ntohl(r->sin_addr.s_addr), 0xc6336402u);
	ck_assert_uint_eq(ntohs(r->sin_port), 500);
	/* No leftid/rightid: the engine uses the IP addresses (type 0). */
	ck_assert_uint_eq(c.local_id.type, 0);
	ck_assert_uint_eq(c.remote_id.type, 0);
	ck_assert_int_eq(c.auth, IKE_AUTH_PSK);
	ck_assert_uint_eq(c.psk_len, 11);
	ck_assert_mem_eq(c.psk, "site secret", 11);
	ck_assert_uint_eq(c.n_p1, 1);
	ck_assert_uint_eq(c.p1[0].cipher, 7); /* AES-CBC, RFC 3602 / IANA */
	ck_assert_uint_eq(c.p1[0].key_bits, 128);
	ck_assert_uint_eq(c.p1[0].hash, 4); /* SHA2-256 */
	ck_assert_uint_eq(c.p1[0].group, 14);
	ck_assert_uint_eq(c.n_p2, 1);
	ck_assert_int_eq(c.p2[0].enc, XK_ENC_AES_CBC);
	ck_assert_uint_eq(c.p2[0].key_bits, 128);
	ck_assert_int_eq(c.p2[0].auth, XK_AUTH_HMAC_SHA256_128);
	/* pfs defaults to yes; esp= names no group: Phase 1's group. */
	ck_assert_uint_eq(c.pfs_group, 14);
	ck_assert_int_eq(c.mode, XK_MODE_TUNNEL);
	ck_assert_uint_eq(c.local_ts.addr.family, XK_AF_INET);
	ck_assert_mem_eq(c.local_ts.addr.bytes, net9, 4);
	ck_assert_uint_eq(c.local_ts.plen, 24);
	ck_assert_mem_eq(c.remote_ts.addr.bytes, net1, 4);
	ck_assert_uint_eq(c.remote_ts.plen, 16);
	ck_assert(c.natt);
	ck_assert(!c.natt_force);
	ck_assert_uint_eq(c.natt_methods, 0); /* natt/ defaults: RFC 3947 and drafts */
	ck_assert_uint_eq(c.reqid, XK_REQID_MIN + 3);
}
END_TEST

/* Road warrior side: no subnet on our side means our host address /32. */
/* nat_keepalive=auto and its keys reach the engine (adaptive keepalive). */
START_TEST(test_adaptive_keepalive)
{
	struct ike_conn_cfg c;
	char err[NKD_ERR_MAX];
	char text[sizeof(site_conf) + 128];

	ck_assert_int_eq(build(site_conf, &c, err, sizeof(err)), 0);
	ck_assert(!c.keepalive_auto);
	ck_assert_uint_eq(c.keepalive_s, 20);
	ck_assert_uint_eq(c.binding_lifetime_ms, 0);
	ck_assert_uint_eq(c.binding_lifetime_src, NATT_LT_NONE);
	snprintf(text, sizeof(text),
		 "%s\tnat_keepalive=auto\n\tnat_keepalive_max=3m\n"
		 "\tnat_binding_lifetime=45s\n",
		 site_conf);
	ck_assert_int_eq(build(text, &c, err, sizeof(err)), 0);
	ck_assert(c.keepalive_auto);
	ck_assert_uint_eq(c.keepalive_max_s, 180);
	ck_assert_uint_eq(c.binding_lifetime_ms, 45000);
	ck_assert_uint_eq(c.binding_lifetime_src, NATT_LT_CONFIGURED);
}
END_TEST

/* nat_binding_lifetime=natcheck: the daemon reads the natcheck state file
 * (tools/natkeyd/natkeyd_natcheck.c) into the conn the engine gets. */
static const uint64_t nc_now = 1796633700;

/* A state file at @path: @lifetime_ms (0 = unknown), measured @age s ago. */
static void nc_write(const char *path, uint32_t lifetime_ms, int64_t age)
{
	struct natcheck_state st;
	struct sockaddr_in *sv = (struct sockaddr_in *)&st.server;
	struct sockaddr_in *so = (struct sockaddr_in *)&st.source;
	char text[NATCHECK_STATE_MAX + 1];
	size_t n;
	FILE *f;

	memset(&st, 0, sizeof(st));
	st.time = (uint64_t)((int64_t)nc_now - age);
	sv->sin_family = so->sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &sv->sin_addr);
	sv->sin_port = htons(3478);
	inet_pton(AF_INET, "10.0.0.2", &so->sin_addr);
	st.mapping = NATCHECK_CLASS_EI;
	st.filtering = NATCHECK_CLASS_APD;
	st.lifetime_ms = lifetime_ms;
	n = natcheck_state_format(&st, text, sizeof(text));
	ck_assert_uint_gt(n, 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, n, f), n);
	fclose(f);
}

static void nc_write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Build conn 0 of @conf_text and apply @path; the engine conn's lifetime. */
static int nc_apply(const char *conf_text, const char *path, struct ike_conn_cfg *o, char *msg,
		    size_t msg_len)
{
	struct conf *conf = NULL;
	struct conf_secrets *sec = NULL;
	struct conf_diag diag;
	char err[NKD_ERR_MAX];
	int rc;

	ck_assert_int_eq(conf_parse("t.conf", conf_text, strlen(conf_text), &conf, &diag), 0);
	ck_assert_int_eq(
		conf_secrets_parse("t.secrets", secrets_text, strlen(secrets_text), &sec, &diag),
		0);
	ck_assert_int_eq(
		nkd_conn_build(&conf->conns[0], sec, nkd_conn_reqid(3), o, err, sizeof(err)), 0);
	rc = nkd_natcheck_apply(&conf->conns[0], path, nc_now, o, msg, msg_len);
	conf_free(conf);
	conf_secrets_free(sec);
	return rc;
}

START_TEST(test_binding_lifetime_natcheck)
{
	static const struct {
		const char *what; /* how the file is broken */
		const char *why;  /* in the log line */
	} bad[] = {
		{ "missing", "No such file or directory (run natkeyctl natcheck --save)" },
		{ "folder", "not a regular file" },
		{ "malformed", "line 8: lifetime_ms= needs unknown or 1000 to 86400000" },
		{ "empty", ": empty;" },
		{ "long", "longer than 1024 bytes" },
		{ "unknown", "the natcheck 60 min ago measured no binding lifetime" },
		{ "old", "measured 7 d ago, more than 7 d" },
		{ "future", "measured 10 min in the future" },
	};
	char dir[] = "/tmp/nkd-natcheck-XXXXXX", path[64], conf[sizeof(site_conf) + 128];
	char msg[NKD_ERR_MAX], expect[NKD_ERR_MAX], big[2048];
	struct ike_conn_cfg c;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/natcheck", dir);
	snprintf(conf, sizeof(conf), "%s\tnat_keepalive=auto\n\tnat_binding_lifetime=natcheck\n",
		 site_conf);
	/* a measurement of an hour ago, and one of exactly 7 d: taken */
	nc_write(path, 90000, 3600);
	ck_assert_int_eq(nc_apply(conf, path, &c, msg, sizeof(msg)), 1);
	ck_assert_uint_eq(c.binding_lifetime_ms, 90000);
	ck_assert_uint_eq(c.binding_lifetime_src, NATT_LT_NATCHECK);
	ck_assert(c.keepalive_auto);
	snprintf(expect, sizeof(expect),
		 "conn site: NAT binding lifetime 90.000 s from %s (natkeyctl natcheck 60 min ago)",
		 path);
	ck_assert_str_eq(msg, expect);
	nc_write(path, 57250, NKD_NATCHECK_MAX_AGE_S);
	ck_assert_int_eq(nc_apply(conf, path, &c, msg, sizeof(msg)), 1);
	ck_assert_uint_eq(c.binding_lifetime_ms, 57250);
	ck_assert_uint_eq(c.binding_lifetime_src, NATT_LT_NATCHECK);
	/* a little clock skew is fine */
	nc_write(path, 57250, -(int64_t)NKD_NATCHECK_SKEW_S);
	ck_assert_int_eq(nc_apply(conf, path, &c, msg, sizeof(msg)), 1);
	/* a conn that does not ask: its own value, no line, file not read */
	snprintf(conf, sizeof(conf), "%s\tnat_keepalive=auto\n\tnat_binding_lifetime=45s\n",
		 site_conf);
	ck_assert_int_eq(nc_apply(conf, "/nonexistent/natcheck", &c, msg, sizeof(msg)), 0);
	ck_assert_str_eq(msg, "");
	ck_assert_uint_eq(c.binding_lifetime_ms, 45000);
	ck_assert_uint_eq(c.binding_lifetime_src, NATT_LT_CONFIGURED);

	/* every failure: no lifetime, and one line saying why */
	snprintf(conf, sizeof(conf), "%s\tnat_keepalive=auto\n\tnat_binding_lifetime=natcheck\n",
		 site_conf);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *w = bad[i].what;

		unlink(path);
		rmdir(path);
		if (!strcmp(w, "folder")) {
			ck_assert_int_eq(mkdir(path, 0755), 0);
		} else if (!strcmp(w, "malformed")) {
			nc_write(path, 90000, 3600);
			nc_write_text(path,
				      "# x\nversion=1\ntime=1796630100\nserver=192.0.2.1:3478\n"
				      "source=10.0.0.2\nmapping=unknown\nfiltering=unknown\n"
				      "lifetime_ms=90s\n");
		} else if (!strcmp(w, "empty")) {
			nc_write_text(path, "");
		} else if (!strcmp(w, "long")) {
			memset(big, '#', sizeof(big) - 1);
			big[sizeof(big) - 1] = 0;
			for (size_t k = 63; k < sizeof(big) - 1; k += 64)
				big[k] = '\n';
			nc_write_text(path, big);
		} else if (!strcmp(w, "unknown")) {
			nc_write(path, 0, 3600);
		} else if (!strcmp(w, "old")) {
			nc_write(path, 90000, NKD_NATCHECK_MAX_AGE_S + 1);
		} else if (!strcmp(w, "future")) {
			nc_write(path, 90000, -600);
		}
		ck_assert_int_eq(nc_apply(conf, path, &c, msg, sizeof(msg)), -1);
		ck_assert_uint_eq(c.binding_lifetime_ms, 0);
		ck_assert_uint_eq(c.binding_lifetime_src, NATT_LT_NONE);
		snprintf(expect, sizeof(expect),
			 "conn site: nat_binding_lifetime=natcheck: %s: ", path);
		ck_assert_msg(!strncmp(msg, expect, strlen(expect)), "%s: %s", w, msg);
		ck_assert_msg(strstr(msg, bad[i].why), "%s: %s", w, msg);
		ck_assert_msg(strstr(msg, "; no binding lifetime known (nat_keepalive=auto: 20 s "
					  "until one is learned)"),
			      "%s: %s", w, msg);
		ck_assert_ptr_null(strchr(msg, '\n'));
	}
	/* cannot be opened: a path through a file (as root every file is
	 * readable, so mode 000 proves nothing there) */
	{
		char through[96];

		nc_write(path, 90000, 3600);
		snprintf(through, sizeof(through), "%s/natcheck", path);
		ck_assert_int_eq(nc_apply(conf, through, &c, msg, sizeof(msg)), -1);
		ck_assert_msg(strstr(msg, ": Not a directory (run natkeyctl natcheck --save); no "
					  "binding lifetime known"),
			      "%s", msg);
		ck_assert_uint_eq(c.binding_lifetime_ms, 0);
		ck_assert_uint_eq(c.binding_lifetime_src, NATT_LT_NONE);
	}
	/* unreadable (as root every file is readable) */
	if (geteuid() != 0) {
		nc_write(path, 90000, 3600);
		ck_assert_int_eq(chmod(path, 0), 0);
		ck_assert_int_eq(nc_apply(conf, path, &c, msg, sizeof(msg)), -1);
		ck_assert_msg(strstr(msg, "Permission denied"), "%s", msg);
		ck_assert_uint_eq(c.binding_lifetime_src, NATT_LT_NONE);
	}
	unlink(path);
	rmdir(path);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_host_selector_and_ids)
{
	static const char text[] = "conn rw\n"
				   "\tleft=198.51.100.2\n"
				   "\tright=192.0.2.1\n"
				   "\trightsubnet=10.9.0.0/24\n"
				   "\trightid=@gw.example\n"
				   "\tleftid=%any\n"
				   "\tauto=start\n";
	static const char text2[] = "conn rw\n"
				    "\tleft=192.0.2.1\n"
				    "\tleftid=@gw.example\n"
				    "\tright=%any\n"
				    "\tauto=add\n";
	struct ike_conn_cfg c;
	char err[NKD_ERR_MAX];
	const uint8_t host[4] = { 198, 51, 100, 2 };

	/* leftid=%any is refused: our identity must be concrete. */
	ck_assert_int_eq(build(text, &c, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "conn rw: leftid=%any"));

	ck_assert_int_eq(build(text2, &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.local_id.type, 2); /* FQDN */
	ck_assert_uint_eq(c.local_id.len, 10);
	ck_assert_mem_eq(c.local_id.data, "gw.example", 10);
	ck_assert_uint_eq(c.remote.ss_family, AF_UNSPEC);
	ck_assert_uint_eq(c.remote_ts.addr.family, XK_AF_UNSPEC);
	ck_assert_mem_eq(c.psk, "rw secret", 9);
	ck_assert_uint_eq(c.local_ts.plen, 32);
	(void)host;
}
END_TEST

struct p1_case {
	const char *ike;
	unsigned n;
	uint16_t cipher, bits, hash, group; /* of the last proposal */
};

static const struct p1_case p1_cases[] = {
	{ "aes128-sha1-modp2048", 1, 7, 128, 2, 14 },
	{ "aes256-sha512-ecp384", 1, 7, 256, 6, 20 },
	{ "aes192-sha384-modp3072", 1, 7, 192, 5, 15 },
	{ "aes128-sha256-ecp256,aes256-sha256-modp4096", 2, 7, 256, 4, 16 },
	/* Several algorithms of a kind expand to every combination. */
	{ "aes128-aes256-sha256-modp2048", 2, 7, 256, 4, 14 },
};

START_TEST(test_p1_table)
{
	const struct p1_case *t = &p1_cases[_i];
	char text[512], err[NKD_ERR_MAX];
	struct ike_conn_cfg c;

	snprintf(text, sizeof(text),
		 "conn x\n\tleft=192.0.2.1\n\tright=198.51.100.2\n\tike=%s\n\tauto=add\n", t->ike);
	ck_assert_int_eq(build(text, &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.n_p1, t->n);
	ck_assert_uint_eq(c.p1[t->n - 1].cipher, t->cipher);
	ck_assert_uint_eq(c.p1[t->n - 1].key_bits, t->bits);
	ck_assert_uint_eq(c.p1[t->n - 1].hash, t->hash);
	ck_assert_uint_eq(c.p1[t->n - 1].group, t->group);
}
END_TEST

struct p2_case {
	const char *esp;
	const char *pfs;
	enum xk_enc_alg enc;
	uint16_t bits;
	enum xk_auth_alg auth;
	uint16_t pfs_group;
};

static const struct p2_case p2_cases[] = {
	{ "aes128-sha1", "no", XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96, 0 },
	{ "aes256-sha512", "no", XK_ENC_AES_CBC, 256, XK_AUTH_HMAC_SHA512_256, 0 },
	{ "aes128gcm16", "no", XK_ENC_AES_GCM_16, 128, XK_AUTH_NONE, 0 },
	{ "aes256gcm16-modp3072", "yes", XK_ENC_AES_GCM_16, 256, XK_AUTH_NONE, 15 },
	/* pfs=yes without a group in esp=: Phase 1's group (modp2048 below). */
	{ "aes192-sha384", "yes", XK_ENC_AES_CBC, 192, XK_AUTH_HMAC_SHA384_192, 14 },
};

START_TEST(test_p2_table)
{
	const struct p2_case *t = &p2_cases[_i];
	char text[512], err[NKD_ERR_MAX];
	struct ike_conn_cfg c;

	snprintf(text, sizeof(text),
		 "conn x\n\tleft=192.0.2.1\n\tright=198.51.100.2\n\tike=aes128-sha256-modp2048\n"
		 "\tesp=%s\n\tpfs=%s\n\tauto=add\n",
		 t->esp, t->pfs);
	ck_assert_int_eq(build(text, &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.n_p2, 1);
	ck_assert_int_eq(c.p2[0].enc, t->enc);
	ck_assert_uint_eq(c.p2[0].key_bits, t->bits);
	ck_assert_int_eq(c.p2[0].auth, t->auth);
	ck_assert_uint_eq(c.pfs_group, t->pfs_group);
}
END_TEST

struct refusal {
	const char *body;    /* conn keys after "conn x\n" */
	const char *secrets; /* NULL: secrets_text */
	const char *msg;     /* substring of the one-line error */
};

static const struct refusal refusals[] = {
	/* Names and %defaultroute need nkd_conn_resolve() first (test_resolve). */
	{ "\tleft=%defaultroute\n\tright=198.51.100.2\n\tauto=add\n", NULL,
	  "conn x: left= is not resolved to an address of this host" },
	{ "\tleft=192.0.2.1\n\tright=vpn.example.org\n\tauto=add\n", NULL,
	  "conn x: right= is not resolved to an address" },
	{ "\tleft=%any\n\tright=198.51.100.2\n\tauto=add\n", NULL,
	  "conn x: left=%any: natkeyd needs this host's address" },
	{ "\tleft=192.0.2.7\n\tright=203.0.113.9\n\tauto=add\n",
	  "192.0.2.1 198.51.100.2 : PSK \"site secret\"\n",
	  "no PSK in t.secrets for 192.0.2.7 203.0.113.9" },
	{ "\tleft=192.0.2.1\n\tright=2001:db8::1\n\tauto=add\n", NULL,
	  "different address families" },
/* Issue 16: what the daemon cannot do yet. */
#ifndef HAVE_PAM
	{ "\tleft=192.0.2.1\n\tright=%any\n\tauthby=xauthpsk\n\txauth=server\n\txauthby=pam\n"
	  "\tauto=add\n",
	  "192.0.2.1 %any : PSK \"g\"\n",
	  "conn x: xauthby=pam: this natkeyd was built without PAM" },
#endif
	{ "\tleft=192.0.2.1\n\tright=198.51.100.2\n\tauthby=xauthpsk\n\txauth_identity=alice\n"
	  "\tauto=add\n",
	  NULL, "conn x: no XAUTH password (1 to 128 bytes) for xauth_identity= in the secrets" },
};

START_TEST(test_refusals)
{
	const struct refusal *t = &refusals[_i];
	char text[512], err[NKD_ERR_MAX];
	struct ike_conn_cfg c;
	static const uint8_t zero[sizeof(c.psk)];

	snprintf(text, sizeof(text), "conn x\n%s", t->body);
	ck_assert_int_eq(
		build_with(text, t->secrets ? t->secrets : secrets_text, &c, err, sizeof(err)),
		-EINVAL);
	ck_assert_msg(strstr(err, t->msg) != NULL, "'%s' lacks '%s'", err, t->msg);
	ck_assert_ptr_null(strchr(err, '\n'));
	/* A refused connection leaves no PSK behind. */
	ck_assert_mem_eq(c.psk, zero, sizeof(zero));
}
END_TEST

/* XAUTH and Mode Config reach the engine (issue 16). */
START_TEST(test_xauth_build)
{
	static const char gw[] =
		"conn x\n\tleft=192.0.2.1\n\tright=%any\n\tleftsubnet=10.9.0.0/24\n"
		"\tauthby=xauthpsk\n\txauth=server\n\trightsourceip=10.3.0.0/24\n"
		"\tmodecfgdns=10.9.0.53,2001:db8::53\n"
		"\tmodecfgdomains=corp.example,lab.example\n"
		"\tmodecfgbanner=\"Hello # world\"\n\tcisco-unity=yes\n\tauto=add\n";
	static const char rw[] = "conn x\n\tleft=192.0.2.1\n\tright=198.51.100.2\n"
				 "\tauthby=xauthpsk\n\txauth_identity=alice\n\tauto=add\n";
	static const char sec[] = "192.0.2.1 %any : PSK \"g\"\n192.0.2.1 198.51.100.2 : PSK \"g\"\n"
				  "alice : XAUTH \"her password\"\n";
	char err[NKD_ERR_MAX];
	struct ike_conn_cfg c;

	ck_assert_int_eq(build_with(gw, sec, &c, err, sizeof(err)), 0);
	ck_assert_int_eq(c.xauth, IKE_CFG_SERVER);
	ck_assert_int_eq(c.modecfg, IKE_CFG_SERVER);
	ck_assert(!c.modecfg_push);
	ck_assert(c.unity);
	ck_assert_int_eq(c.pool_first.family, XK_AF_INET);
	ck_assert_mem_eq(c.pool_first.bytes, "\x0a\x03\x00\x01", 4);
	ck_assert_uint_eq(c.pool_size, 254);
	ck_assert_uint_eq(c.n_dns, 1); /* IPv4 DNS only */
	ck_assert_mem_eq(c.dns[0].bytes, "\x0a\x09\x00\x35", 4);
	ck_assert_str_eq(c.domain, "corp.example");
	ck_assert_str_eq(c.banner, "Hello # world");
	{
		/* An IPv6 pool reaches the engine. */
		static const char gw6[] =
			"conn x\n\tleft=2001:db8::1\n\tright=%any\n\tleftsubnet=2001:db8:9::/64\n"
			"\tauthby=xauthpsk\n\txauth=server\n\trightsourceip=2001:db8:3::/120\n"
			"\tauto=add\n";

		ck_assert_int_eq(
			build_with(gw6, "2001:db8::1 %any : PSK \"g\"\n", &c, err, sizeof(err)), 0);
		ck_assert_int_eq(c.modecfg, IKE_CFG_SERVER);
		ck_assert_int_eq(c.pool_first.family, XK_AF_INET6);
		ck_assert_mem_eq(c.pool_first.bytes,
				 "\x20\x01\x0d\xb8\x00\x03\0\0\0\0\0\0\0\0\0\x01", 16);
		ck_assert_uint_eq(c.pool_size, 254);
	}
#ifdef HAVE_PAM
	{
		/* xauthby=pam builds (no XAUTH user needed in the secrets). */
		static const char pam[] =
			"conn x\n\tleft=192.0.2.1\n\tright=%any\n\tauthby=xauthpsk\n"
			"\txauth=server\n\txauthby=pam\n\tpam-service=natkeyd-test\n\tauto=add\n";

		ck_assert_int_eq(
			build_with(pam, "192.0.2.1 %any : PSK \"g\"\n", &c, err, sizeof(err)), 0);
		ck_assert_int_eq(c.xauth, IKE_CFG_SERVER);
	}
#endif
	ck_assert_int_eq(build_with(rw, sec, &c, err, sizeof(err)), 0);
	ck_assert_int_eq(c.xauth, IKE_CFG_CLIENT);
	ck_assert_int_eq(c.modecfg, IKE_CFG_NONE);
	ck_assert_str_eq(c.xauth_user, "alice");
	ck_assert_uint_eq(c.xauth_pass_len, 12);
	ck_assert_mem_eq(c.xauth_pass, "her password", 12);
}
END_TEST

/* xauthby=file: user and password from ipsec.secrets, exactly. */
START_TEST(test_xauth_file_check)
{
	static const char text[] = "alice : XAUTH \"her password\"\n: PSK \"group\"\n";
	struct conf_secrets *sec = NULL;
	struct conf_diag diag;
	struct ike_xauth_check x;

	ck_assert_int_eq(conf_secrets_parse("t", text, strlen(text), &sec, &diag), 0);
	memset(&x, 0, sizeof(x));
	snprintf(x.user, sizeof(x.user), "alice");
	memcpy(x.pass, "her password", 12);
	x.pass_len = 12;
	ck_assert(nkd_xauth_file_check(sec, &x));
	x.pass_len = 11; /* a prefix */
	ck_assert(!nkd_xauth_file_check(sec, &x));
	x.pass_len = 12;
	x.pass[0] = 'H';
	ck_assert(!nkd_xauth_file_check(sec, &x));
	x.pass[0] = 'h';
	snprintf(x.user, sizeof(x.user), "Alice");
	ck_assert(!nkd_xauth_file_check(sec, &x));
	/* The group PSK is no XAUTH password. */
	snprintf(x.user, sizeof(x.user), "%s", "");
	memcpy(x.pass, "group", 5);
	x.pass_len = 5;
	ck_assert(!nkd_xauth_file_check(sec, &x));
	ck_assert(!nkd_xauth_file_check(NULL, &x));
	conf_secrets_free(sec);
}
END_TEST

/* lifebytes=/marginbytes=/commitbit= reach the engine: bytes become the
 * kilobytes of RFC 2407 s4.5 (rounded down), 0 keeps the engine defaults. */
struct life_case {
	const char *keys;
	uint32_t life_kb, margin_kb;
	bool commit;
};

static const struct life_case life_cases[] = {
	{ "", 0, 0, false },
	{ "\tlifebytes=1G\n", 1048576, 0, false },
	{ "\tlifebytes=1000000000\n\tmarginbytes=100000000\n", 976562, 97656, false },
	{ "\tlifebytes=4398046510080\n\tmarginbytes=1K\n", 4294967295u, 1, false },
	{ "\tcommitbit=yes\n", 0, 0, true },
	{ "\tlifebytes=64M\n\tmarginbytes=8M\n\tcommitbit=yes\n", 65536, 8192, true },
};

START_TEST(test_byte_lifetimes)
{
	const struct life_case *t = &life_cases[_i];
	char text[512], err[NKD_ERR_MAX];
	struct ike_conn_cfg c;

	snprintf(text, sizeof(text),
		 "conn x\n\tleft=192.0.2.1\n\tright=198.51.100.2\n\tauto=add\n%s", t->keys);
	ck_assert_int_eq(build(text, &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.ipsec_lifetime_kb, t->life_kb);
	ck_assert_uint_eq(c.rekey_margin_kb, t->margin_kb);
	ck_assert_int_eq(c.commit_bit, t->commit);
	ck_assert_uint_eq(c.ipsec_lifetime_s, 3600); /* the time limits stay */
}
END_TEST

/* fragmentation=/fragment_size= reach the engine. */
struct frag_case {
	const char *keys;
	enum ike_frag_mode mode;
	uint16_t size;
};

static const struct frag_case frag_cases[] = {
	{ "", IKE_FRAG_YES, 576 },
	{ "\tfragmentation=accept\n", IKE_FRAG_ACCEPT, 576 },
	{ "\tfragmentation=force\n\tfragment_size=1280\n", IKE_FRAG_FORCE, 1280 },
	{ "\tfragmentation=no\n", IKE_FRAG_NO, 576 },
	{ "\tfragmentation=yes\n\tfragment_size=65535\n", IKE_FRAG_YES, 65535 },
};

START_TEST(test_fragmentation)
{
	const struct frag_case *t = &frag_cases[_i];
	char text[512], err[NKD_ERR_MAX];
	struct ike_conn_cfg c;

	snprintf(text, sizeof(text),
		 "conn x\n\tleft=192.0.2.1\n\tright=198.51.100.2\n\tauto=add\n%s", t->keys);
	ck_assert_int_eq(build(text, &c, err, sizeof(err)), 0);
	ck_assert_int_eq(c.fragmentation, t->mode);
	ck_assert_uint_eq(c.fragment_size, t->size);
}
END_TEST

/* ---- left=/right= names and %defaultroute (a table resolver) ---- */

struct fake_host {
	const char *name;
	const char *addrs[3];
};

static const struct fake_host fake_hosts[] = {
	{ "gw.test", { "192.0.2.1" } },
	{ "v6only.test", { "2001:db8::5" } },
	{ "dual.test", { "2001:db8::7", "192.0.2.7" } },
	{ "me.test", { "203.0.113.50", "10.1.0.2" } },
	{ "notme.test", { "203.0.113.50", "198.51.100.9" } },
	{ "vpn.example.com", { "203.0.113.10" } },
};

/* This host: 10.1.0.2 and 2001:db8:1::2 towards any peer; the default routes'
 * sources are different addresses, so a test sees which path was taken. */
static const char *const fake_local[] = { "10.1.0.2", "10.1.0.9", "2001:db8:1::2",
					  "2001:db8:1::9" };

struct fake {
	bool no_default;    /* no default route at all */
	bool no_default_v4; /* an IPv6-only host */
	unsigned lookups;
};

static void fake_addr(const char *text, struct conf_addr *a)
{
	ck_assert_int_eq(conf_addr_parse(text, a), 0);
}

static int fake_name(void *arg, const char *name, int family, struct conf_addr *out, size_t max,
		     char *why, size_t why_len)
{
	struct fake *f = arg;
	size_t n = 0;

	f->lookups++;
	for (size_t i = 0; i < sizeof(fake_hosts) / sizeof(fake_hosts[0]); i++) {
		if (strcmp(fake_hosts[i].name, name))
			continue;
		for (size_t k = 0; k < 3 && fake_hosts[i].addrs[k] && n < max; k++) {
			fake_addr(fake_hosts[i].addrs[k], &out[n]);
			if (!family || out[n].family == family)
				n++;
		}
		if (!n) {
			snprintf(why, why_len, "no %s address",
				 family == AF_INET ? "IPv4" : "IPv6");
			return -ENOENT;
		}
		return (int)n;
	}
	snprintf(why, why_len, "unknown host");
	return -ENOENT;
}

static int fake_defaultroute(void *arg, int family, const struct conf_addr *peer,
			     struct conf_addr *out, char *why, size_t why_len)
{
	struct fake *f = arg;
	struct conf_addr unreach;

	f->lookups++;
	fake_addr("192.0.2.99", &unreach);
	if (peer && !memcmp(peer, &unreach, sizeof(unreach))) {
		snprintf(why, why_len, "no route to the peer 192.0.2.99");
		return -ENETUNREACH;
	}
	if (!peer && (f->no_default || (f->no_default_v4 && family == AF_INET))) {
		snprintf(why, why_len, "no %s default route", family == AF_INET ? "IPv4" : "IPv6");
		return -ENOENT;
	}
	if (peer)
		fake_addr(peer->family == AF_INET ? "10.1.0.2" : "2001:db8:1::2", out);
	else
		fake_addr(family == AF_INET ? "10.1.0.9" : "2001:db8:1::9", out);
	return 0;
}

static int fake_is_local(void *arg, const struct conf_addr *a)
{
	struct conf_addr l;

	(void)arg;
	for (size_t i = 0; i < sizeof(fake_local) / sizeof(fake_local[0]); i++) {
		fake_addr(fake_local[i], &l);
		if (l.family == a->family && !memcmp(l.bytes, a->bytes, 16))
			return 1;
	}
	return 0;
}

struct resolve_case {
	const char *ends;  /* left=/right= lines */
	int no_default;	   /* 1: the fake host has no default route; 4: no IPv4 one */
	const char *left;  /* the resolved/literal address, NULL: error */
	const char *right; /* NULL: %any */
	const char *err;   /* the whole one-line error */
};

static const struct resolve_case resolve_cases[] = {
	/* %defaultroute: the source towards a known peer (literal or name) */
	{ "left=%defaultroute\n\tright=192.0.2.1", 0, "10.1.0.2", "192.0.2.1", NULL },
	{ "left=%defaultroute\n\tright=gw.test", 0, "10.1.0.2", "192.0.2.1", NULL },
	{ "left=%defaultroute\n\tright=2001:db8::1", 0, "2001:db8:1::2", "2001:db8::1", NULL },
	{ "left=%defaultroute\n\tright=v6only.test", 0, "2001:db8:1::2", "2001:db8::5", NULL },
	/* ... else the default route's (IPv4), which must exist */
	{ "left=%defaultroute\n\tright=%any", 0, "10.1.0.9", NULL, NULL },
	{ "left=%defaultroute\n\tright=%any", 1, NULL, NULL,
	  "conn x: left=%defaultroute: no IPv4 default route" },
	/* an IPv6-only host: its IPv6 default route, unless a literal says IPv4 */
	{ "left=%defaultroute\n\tright=%any", 4, "2001:db8:1::9", NULL, NULL },
	{ "left=%defaultroute\n\tright=10.1.0.0", 4, "10.1.0.2", "10.1.0.0", NULL },
	{ "left=%defaultroute\n\tright=192.0.2.99", 0, NULL, NULL,
	  "conn x: left=%defaultroute: no route to the peer 192.0.2.99" },
	/* a literal fixes the family of the names */
	{ "left=10.1.0.2\n\tright=dual.test", 0, "10.1.0.2", "192.0.2.7", NULL },
	{ "left=2001:db8:1::2\n\tright=dual.test", 0, "2001:db8:1::2", "2001:db8::7", NULL },
	{ "left=%defaultroute\n\tright=dual.test", 0, "2001:db8:1::2", "2001:db8::7", NULL },
	{ "left=10.1.0.2\n\tright=v6only.test", 0, NULL, NULL,
	  "conn x: right=v6only.test: no IPv4 address" },
	{ "left=10.1.0.2\n\tright=nosuch.test", 0, NULL, NULL,
	  "conn x: right=nosuch.test: unknown host" },
	/* left=NAME: the first local address; then right= in its family */
	{ "left=me.test\n\tright=192.0.2.1", 0, "10.1.0.2", "192.0.2.1", NULL },
	{ "left=me.test\n\tright=dual.test", 0, "10.1.0.2", "192.0.2.7", NULL },
	{ "left=me.test\n\tright=%any", 0, "10.1.0.2", NULL, NULL },
	{ "left=notme.test\n\tright=192.0.2.1", 0, NULL, NULL,
	  "conn x: left=notme.test: resolves to 203.0.113.50, 198.51.100.9, not an address of this host (left is this host)" },
	{ "left=nosuch.test\n\tright=192.0.2.1", 0, NULL, NULL,
	  "conn x: left=nosuch.test: unknown host" },
	/* literals only: nothing to look up */
	{ "left=10.1.0.2\n\tright=192.0.2.1", 0, "10.1.0.2", "192.0.2.1", NULL },
};

static struct conf *resolve_parse(const struct resolve_case *t, struct fake *f,
				  struct nkd_resolver *r)
{
	struct conf *conf = NULL;
	struct conf_diag diag;
	char text[512];

	snprintf(text, sizeof(text), "conn x\n\t%s\n\tauto=add\n", t->ends);
	ck_assert_int_eq(conf_parse("t.conf", text, strlen(text), &conf, &diag), 0);
	memset(f, 0, sizeof(*f));
	f->no_default = t->no_default == 1;
	f->no_default_v4 = t->no_default == 4;
	r->name = fake_name;
	r->defaultroute = fake_defaultroute;
	r->is_local = fake_is_local;
	r->arg = f;
	return conf;
}

START_TEST(test_resolve)
{
	const struct resolve_case *t = &resolve_cases[_i];
	struct nkd_resolver r;
	struct fake f;
	struct conf *conf = resolve_parse(t, &f, &r);
	struct conf_conn *c = &conf->conns[0];
	char err[NKD_ERR_MAX], a[64];
	int rc = nkd_conn_resolve(c, &r, err, sizeof(err));

	if (!t->left) {
		ck_assert_int_eq(rc, -EINVAL);
		ck_assert_str_eq(err, t->err);
		ck_assert_int_eq(conf_host_addr(&c->left.host) != NULL,
				 c->left.host.kind == CONF_HOST_ADDR);
	} else {
		ck_assert_msg(rc == 0, "%s", err);
		ck_assert_str_eq(err, "");
		ck_assert_ptr_nonnull(conf_host_addr(&c->left.host));
		ck_assert_str_eq(conf_addr_format(conf_host_addr(&c->left.host), a, sizeof(a)),
				 t->left);
		if (t->right) {
			ck_assert_ptr_nonnull(conf_host_addr(&c->right.host));
			ck_assert_str_eq(
				conf_addr_format(conf_host_addr(&c->right.host), a, sizeof(a)),
				t->right);
		} else {
			ck_assert_ptr_null(conf_host_addr(&c->right.host));
		}
	}
	conf_free(conf);
}
END_TEST

/* Resolved ends reach the engine: addresses, selectors and default
 * identities (so the PSK is looked up by the resolved addresses). */
START_TEST(test_resolve_build)
{
	static const char text[] = "conn x\n\tleft=%defaultroute\n\tright=gw.test\n"
				   "\trightsubnet=10.9.0.0/24\n\tauto=start\n";
	static const char sec_text[] = "10.1.0.2 192.0.2.1 : PSK \"resolved\"\n";
	const struct fake_host *gw = &fake_hosts[0];
	struct conf *conf = NULL;
	struct conf_secrets *sec = NULL;
	struct conf_diag diag;
	struct nkd_resolver r = { fake_name, fake_defaultroute, fake_is_local, NULL };
	struct fake f = { 0 };
	struct ike_conn_cfg o;
	char err[NKD_ERR_MAX], a[64];

	r.arg = &f;
	ck_assert_str_eq(gw->name, "gw.test");
	ck_assert_int_eq(conf_parse("t.conf", text, strlen(text), &conf, &diag), 0);
	ck_assert_int_eq(conf_secrets_parse("t.secrets", sec_text, strlen(sec_text), &sec, &diag),
			 0);
	/* Not resolved: the conn cannot be built. */
	ck_assert_int_eq(
		nkd_conn_build(&conf->conns[0], sec, nkd_conn_reqid(1), &o, err, sizeof(err)),
		-EINVAL);
	ck_assert_int_eq(nkd_conf_resolve(conf, &r, err, sizeof(err)), 0);
	ck_assert_uint_eq(f.lookups, 2); /* right= name, then %defaultroute towards it */
	ck_assert_int_eq(
		nkd_conn_build(&conf->conns[0], sec, nkd_conn_reqid(1), &o, err, sizeof(err)), 0);
	ck_assert_str_eq(nkd_sockaddr_to_text(&o.local, a, sizeof(a)), "10.1.0.2");
	ck_assert_str_eq(nkd_sockaddr_to_text(&o.remote, a, sizeof(a)), "192.0.2.1");
	ck_assert_uint_eq(nkd_sockaddr_port(&o.remote), 500);
	ck_assert_str_eq(nkd_xk_addr_to_text(&o.local_ts.addr, a, sizeof(a)), "10.1.0.2");
	ck_assert_uint_eq(o.local_ts.plen, 32);
	ck_assert_uint_eq(o.psk_len, 8);
	ck_assert_mem_eq(o.psk, "resolved", 8);
	OPENSSL_cleanse(&o, sizeof(o));
	conf_free(conf);
	conf_secrets_free(sec);
}
END_TEST

/* nkd_conf_resolve(): the first failing conn, with file and line; auto=ignore
 * conns are not looked up at all. */
START_TEST(test_resolve_conf_error)
{
	static const char text[] = "conn base\n\tright=nosuch.test\n"
				   "conn ok\n\tleft=%defaultroute\n\tright=gw.test\n\tauto=add\n"
				   "conn bad\n\tleft=10.1.0.2\n\tright=nosuch.test\n\tauto=route\n";
	struct nkd_resolver r = { fake_name, fake_defaultroute, fake_is_local, NULL };
	struct fake f = { 0 };
	struct conf *conf = NULL;
	struct conf_diag diag;
	char err[NKD_ERR_MAX];

	r.arg = &f;
	ck_assert_int_eq(conf_parse("t.conf", text, strlen(text), &conf, &diag), 0);
	ck_assert_int_eq(nkd_conf_resolve(conf, &r, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "t.conf:7: conn bad: right=nosuch.test: unknown host");
	ck_assert_uint_eq(f.lookups, 3); /* gw.test, %defaultroute, nosuch.test */
	conf_free(conf);
}
END_TEST

START_TEST(test_trap_policies)
{
	struct ike_conn_cfg c;
	struct xk_policy p[NKD_TRAP_MAX];
	char err[NKD_ERR_MAX];
	const uint8_t gw[4] = { 192, 0, 2, 1 }, rw[4] = { 198, 51, 100, 2 };
	const uint8_t net9[4] = { 10, 9, 0, 0 }, net1[4] = { 10, 1, 0, 0 };

	ck_assert_int_eq(build(site_conf, &c, err, sizeof(err)), 0);
	ck_assert_int_eq(nkd_trap_policies(&c, p), 3);
	/* out: our subnet -> theirs, template us -> peer. */
	ck_assert_int_eq(p[0].dir, XK_DIR_OUT);
	ck_assert_mem_eq(p[0].sel.src.bytes, net9, 4);
	ck_assert_uint_eq(p[0].sel.src_plen, 24);
	ck_assert_mem_eq(p[0].sel.dst.bytes, net1, 4);
	ck_assert_uint_eq(p[0].sel.dst_plen, 16);
	ck_assert(p[0].has_tmpl);
	/* The SA policies' priority for the same selector (ike_policy_priority()),
	 * so a trap never outranks a narrower tunnel: 4 x (1024 - 24 - 16) + 3. */
	ck_assert_uint_eq(p[0].priority, 3939);
	ck_assert_int_eq(p[0].tmpl.mode, XK_MODE_TUNNEL);
	ck_assert_mem_eq(p[0].tmpl.src.bytes, gw, 4);
	ck_assert_mem_eq(p[0].tmpl.dst.bytes, rw, 4);
	ck_assert_uint_eq(p[0].tmpl.reqid, XK_REQID_MIN + 3);
	/* in and fwd: mirrored. */
	ck_assert_int_eq(p[1].dir, XK_DIR_IN);
	ck_assert_int_eq(p[2].dir, XK_DIR_FWD);
	for (int i = 1; i < 3; i++) {
		ck_assert_mem_eq(p[i].sel.src.bytes, net1, 4);
		ck_assert_mem_eq(p[i].sel.dst.bytes, net9, 4);
		ck_assert_mem_eq(p[i].tmpl.src.bytes, rw, 4);
		ck_assert_mem_eq(p[i].tmpl.dst.bytes, gw, 4);
	}
	/* Transport mode: no fwd policy. */
	c.mode = XK_MODE_TRANSPORT;
	ck_assert_int_eq(nkd_trap_policies(&c, p), 2);
	ck_assert_uint_eq(p[0].tmpl.src.family, XK_AF_UNSPEC);
	/* No concrete peer: nothing can be routed. */
	memset(&c.remote, 0, sizeof(c.remote));
	ck_assert_int_eq(nkd_trap_policies(&c, p), -EINVAL);
}
END_TEST

static const char gw_conf[] = "config setup\n"
			      "\tvirtual-private=%v4:10.0.0.0/8,%v4:!10.9.0.0/24\n"
			      "conn rw\n"
			      "\tleft=192.0.2.1\n"
			      "\tleftid=@gw.example\n"
			      "\tleftsubnet=10.9.0.0/24\n"
			      "\tright=%any\n"
			      "\trightsubnet=vhost:%priv\n"
			      "\tauthby=secret\n"
			      "\tauto=add\n";

/* A %any conn's allow-list in engine terms, and what --check-config says. */
START_TEST(test_road_warrior_clients)
{
	struct ike_conn_cfg c;
	struct conf *conf = NULL;
	struct conf_diag diag;
	char err[NKD_ERR_MAX], *sum = NULL, *warn = NULL;
	size_t sum_len = 0, warn_len = 0;
	FILE *fs, *fw;
	const uint8_t net10[4] = { 10, 0, 0, 0 }, net9[4] = { 10, 9, 0, 0 };

	ck_assert_int_eq(build(gw_conf, &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.n_client_allow, 1);
	ck_assert_mem_eq(c.client_allow[0].addr.bytes, net10, 4);
	ck_assert_uint_eq(c.client_allow[0].plen, 8);
	ck_assert_uint_eq(c.n_client_deny, 1);
	ck_assert_mem_eq(c.client_deny[0].addr.bytes, net9, 4);
	ck_assert(c.client_hosts_only);
	ck_assert_int_eq(c.remote_ts.addr.family, XK_AF_UNSPEC);
	ck_assert(!c.aggr_psk_responder);
	OPENSSL_cleanse(&c, sizeof(c));

	/* strongSwan style: more than one network is fine for %any. */
	ck_assert_int_eq(build("conn rw\n\tleft=192.0.2.1\n\tleftid=@gw.example\n\tright=%any\n"
			       "\trightsubnet=10.1.0.0/16,10.2.0.0/16\n\tauto=add\n",
			       &c, err, sizeof(err)),
			 0);
	ck_assert_uint_eq(c.n_client_allow, 2);
	ck_assert(!c.client_hosts_only);
	OPENSSL_cleanse(&c, sizeof(c));

	/* --check-config: the summary, and the group-PSK warning. */
	ck_assert_int_eq(conf_parse("t.conf", gw_conf, strlen(gw_conf), &conf, &diag), 0);
	ck_assert_int_eq(build(gw_conf, &c, err, sizeof(err)), 0);
	fs = open_memstream(&sum, &sum_len);
	fw = open_memstream(&warn, &warn_len);
	ck_assert_int_eq(nkd_conn_notes(&conf->conns[0], &c, fs, fw), 1);
	fclose(fs);
	fclose(fw);
	ck_assert_str_eq(sum, "# conn rw: right=%any: a road warrior may claim as its client its "
			      "own address as the wire shows it; from behind a NAT, one address "
			      "(vhost:) inside 10.0.0.0/8; except 10.9.0.0/24; never what overlaps "
			      "10.9.0.0/24 (leftsubnet)\n");
	ck_assert_ptr_nonnull(strstr(warn, "warning: conn rw: right=%any with a pre-shared key and "
					   "no rightid=: whoever holds the PSK can claim any "
					   "identity (group PSK)"));
	free(sum);
	free(warn);
	OPENSSL_cleanse(&c, sizeof(c));
	conf_free(conf);
}
END_TEST

static const struct {
	const char *extra;
	int warnings;
	const char *needle;
} note_cases[] = {
	/* An identity pattern is an allow-list: no group-PSK warning. */
	{ "\trightid=@*.rw.example\n", 0, NULL },
	{ "\trightid=*@example.org\n", 0, NULL },
	{ "\trightid=%any\n", 1, "no rightid=" },
	{ "\trightid=@*.rw.example\n\taggressive=yes\n\tike=aes128-sha256-modp2048\n", 1,
	  "warning: conn rw: aggressive=yes with a PSK on right=%any answers nobody: as responder "
	  "it refuses Aggressive Mode (HASH_R allows offline PSK cracking; "
	  "aggressive_psk_responder=yes enables it)" },
	{ "\trightid=@*.rw.example\n\taggressive=yes\n\tike=aes128-sha256-modp2048\n"
	  "\taggressive_psk_responder=yes\n",
	  1, "aggressive_psk_responder=yes: anyone who sends Aggressive Mode gets HASH_R" },
};

START_TEST(test_notes)
{
	char text[1024], err[NKD_ERR_MAX], *warn = NULL;
	size_t warn_len = 0;
	struct conf *conf = NULL;
	struct conf_diag diag;
	struct ike_conn_cfg c;
	FILE *fw;

	snprintf(text, sizeof(text), "%s%s", gw_conf, note_cases[_i].extra);
	ck_assert_int_eq(conf_parse("t.conf", text, strlen(text), &conf, &diag), 0);
	ck_assert_int_eq(build(text, &c, err, sizeof(err)), 0);
	fw = open_memstream(&warn, &warn_len);
	ck_assert_int_eq(nkd_conn_notes(&conf->conns[0], &c, NULL, fw), note_cases[_i].warnings);
	fclose(fw);
	if (note_cases[_i].needle)
		ck_assert_msg(strstr(warn, note_cases[_i].needle), "%s", warn);
	ck_assert_int_eq(c.aggr_psk_responder, !!strstr(text, "aggressive_psk_responder=yes"));
	free(warn);
	OPENSSL_cleanse(&c, sizeof(c));
	conf_free(conf);
}
END_TEST

/* The only fact the daemon keeps on the side: the last failure logged. */
START_TEST(test_view_last_error)
{
	struct nkd_view v;
	struct ike_action a;

	nkd_view_reset(&v);
	memset(&a, 0, sizeof(a));
	a.type = IKE_ACT_LOG;
	a.u.log.level = IKE_LOG_INFO;
	a.u.log.reason = IKE_R_NAT_DETECTED;
	snprintf(a.u.log.text, sizeof(a.u.log.text), "%s", "NAT detected");
	nkd_view_on_action(&v, &a);
	ck_assert_str_eq(v.last_error, "");
	a.u.log.level = IKE_LOG_ERROR;
	a.u.log.reason = IKE_R_AUTH_FAILED;
	snprintf(a.u.log.text, sizeof(a.u.log.text), "%s", "HASH_R does not verify");
	nkd_view_on_action(&v, &a);
	ck_assert_str_eq(v.last_error, "AUTH_FAILED: HASH_R does not verify");
	/* Audit records are not failures. */
	a.u.log.level = IKE_LOG_AUDIT;
	a.u.log.reason = IKE_R_MAPPING_CHANGED;
	nkd_view_on_action(&v, &a);
	ck_assert_str_eq(v.last_error, "AUTH_FAILED: HASH_R does not verify");
	a.u.log.level = IKE_LOG_INFO;
	a.u.log.reason = IKE_R_IKE_ESTABLISHED;
	nkd_view_on_action(&v, &a);
	ck_assert_str_eq(v.last_error, "");
}
END_TEST

/* Engine transforms back in ipsec.conf syntax: each string must parse back
 * (conf_proposals_parse) to the transform it names. */
static const struct {
	struct ike_p1_proposal p;
	const char *want;
} p1_names[] = {
	{ { IKE_CIPHER_AES_CBC, 256, IKE_HASH_SHA2_256, IKE_DH_MODP_2048 },
	  "aes256-sha256-modp2048" },
	{ { IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA1, IKE_DH_ECP_256 }, "aes128-sha1-ecp256" },
	{ { IKE_CIPHER_3DES_CBC, 0, IKE_HASH_MD5, IKE_DH_MODP_1024 }, "3des-md5-modp1024" },
	{ { IKE_CIPHER_AES_CBC, 192, IKE_HASH_SHA2_512, IKE_DH_ECP_521 }, "aes192-sha512-ecp521" },
};

START_TEST(test_p1_names)
{
	char buf[NKD_PROPOSAL_MAX];
	struct conf_proposals cp;
	char err[128];

	ck_assert_str_eq(nkd_p1_name(&p1_names[_i].p, buf, sizeof(buf)), p1_names[_i].want);
	ck_assert_int_eq(conf_proposals_parse(buf, CONF_PROPOSAL_IKE, true, &cp, err, sizeof(err)),
			 0);
	ck_assert_str_eq(conf_proposals_format(&cp, err, sizeof(err)), p1_names[_i].want);
}
END_TEST

static const struct {
	struct ike_p2_proposal p;
	uint16_t pfs;
	const char *want;
} p2_names[] = {
	{ { XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96 }, 0, "aes128-sha1" },
	{ { XK_ENC_AES_CBC, 256, XK_AUTH_HMAC_SHA256_128 },
	  IKE_DH_MODP_3072,
	  "aes256-sha256-modp3072" },
	{ { XK_ENC_AES_GCM_16, 256, XK_AUTH_NONE }, 0, "aes256gcm16" },
	{ { XK_ENC_AES_GCM_16, 128, XK_AUTH_NONE }, IKE_DH_ECP_384, "aes128gcm16-ecp384" },
	{ { XK_ENC_3DES_CBC, 0, XK_AUTH_HMAC_SHA512_256 }, 0, "3des-sha512" },
};

START_TEST(test_p2_names)
{
	char buf[NKD_PROPOSAL_MAX];
	struct conf_proposals cp;
	char err[128];

	ck_assert_str_eq(nkd_p2_name(&p2_names[_i].p, p2_names[_i].pfs, buf, sizeof(buf)),
			 p2_names[_i].want);
	ck_assert_int_eq(conf_proposals_parse(buf, CONF_PROPOSAL_ESP, true, &cp, err, sizeof(err)),
			 0);
	ck_assert_str_eq(conf_proposals_format(&cp, err, sizeof(err)), p2_names[_i].want);
}
END_TEST

START_TEST(test_natt_method_names)
{
	char buf[40], small[8];

	ck_assert_str_eq(nkd_natt_method_name(NATT_METHOD_NONE, buf, sizeof(buf)), "none");
	ck_assert_str_eq(nkd_natt_method_name(NATT_METHOD_RFC3947, buf, sizeof(buf)), "rfc3947");
	ck_assert_str_eq(nkd_natt_method_name(NATT_METHOD_DRAFT_02, buf, sizeof(buf)),
			 "draft-ietf-ipsec-nat-t-ike-02");
	ck_assert_str_eq(nkd_natt_method_name(NATT_METHOD_DRAFT_02, small, sizeof(small)),
			 "draft-i");
}
END_TEST

/* What status shows, from two engines that negotiated through a simulated
 * NAT: the gateway's connection facts against the fake kernel's records. */
START_TEST(test_facts)
{
	struct ike_conn_cfg gwc, rwc;
	struct ike_engine_cfg gcfg = { .conns = &gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &rwc, .n_conns = 1 };
	struct sim_net *net = sim_net_new(3, 10);
	struct sim_nat_cfg nc;
	struct sim_nat *nat;
	struct peer gw, rw;
	struct nkd_facts *f = malloc(sizeof(*f));
	const struct xk_sa *in = NULL, *out = NULL;
	char buf[40];

	ck_assert_ptr_nonnull(f);
	conn_psk(&gwc, "rw", "198.51.100.1", NULL, "secret");
	conn_client_allow(&gwc, "10.0.0.0", 8);
	conn_psk(&rwc, "gw", "10.0.0.2", "198.51.100.1", "secret");
	memset(&nc, 0, sizeof(nc));
	sim_addr4(&nc.pub, "203.0.113.7", 0);
	nc.mapping = nc.filtering = SIM_NAT_EI;
	nat = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(nat);
	harness_nat_attach(net, nat);
	peer_init(&gw, "gw", net, "198.51.100.1", false, &gcfg);
	peer_init(&rw, "rw", net, "10.0.0.2", true, &rcfg);
	/* Before anything: no SA, nothing to show. */
	nkd_facts_collect(gw.eng, 0, f);
	ck_assert_ptr_null(f->main);
	ck_assert_uint_eq(f->n_ike + f->n_child, 0);
	peer_initiate(&rw, 0);
	sim_net_run(net, 5000, 100000);
	nkd_facts_collect(gw.eng, sim_net_now(net), f);
	ck_assert_uint_eq(f->n_ike, 1);
	ck_assert_ptr_eq(f->main, &f->ike[0]);
	ck_assert(f->main->established && !f->main->initiator);
	ck_assert(f->main->peer_behind_nat && !f->main->local_behind_nat);
	ck_assert_uint_eq(ntohs(((const struct sockaddr_in *)&f->main->local)->sin_port), 4500);
	ck_assert_str_eq(nkd_natt_method_name(f->main->method, buf, sizeof(buf)), "rfc3947");
	ck_assert_str_eq(f->ike_proposal[0], "aes128-sha256-modp2048");
	for (unsigned i = 0; i < gw.n_sa; i++)
		if (gw.sa_inbound[i])
			in = &gw.sa[i];
		else
			out = &gw.sa[i];
	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(f->n_child, 1);
	ck_assert_uint_eq(f->child[0].spi_in, in->spi);
	ck_assert_uint_eq(f->child[0].spi_out, out->spi);
	ck_assert(f->child[0].udp_encap);
	ck_assert_str_eq(f->child_proposal[0], "aes128-sha1");
	/* Terminated: the SAs are gone from the read-out at once. */
	{
		struct ike_event ev = { .type = IKE_EV_TERMINATE, .u.conn = 0 };

		peer_event(&gw, &ev);
	}
	nkd_facts_collect(gw.eng, sim_net_now(net), f);
	ck_assert_uint_eq(f->n_child, 0);
	peer_free(&gw);
	peer_free(&rw);
	sim_nat_free(nat);
	sim_net_free(net);
	free(f);
}
END_TEST

#ifndef NKD_TEST_PKI
#error "NKD_TEST_PKI must name tests/data/pki"
#endif

struct cred_case {
	const char *leftid;  /* leftid= value */
	const char *cert;    /* file in the test PKI */
	const char *key;     /* `: RSA` file, NULL = none */
	const char *cacerts; /* directory (NULL = a temporary one with ca.pem) */
	int rc;
	uint8_t id_type; /* on success */
	const char *msg; /* on failure: substring of the error */
};

static const struct cred_case cred_cases[] = {
	{ "@road.example.net", "leaf2.pem", "leaf2.key", NULL, 0, 2, NULL },
	{ "%fromcert", "leaf2.pem", "leaf2.key", NULL, 0, 9, NULL },
	{ "\"O=natkeyd test, CN=road.example.net\"", "leaf2.pem", "leaf2.key", NULL, 0, 9, NULL },
	/* The key in ipsec.secrets belongs to another certificate. */
	{ "@road.example.net", "leaf2.pem", "gw.key", NULL, -ENOENT, 0,
	  "no private key in t.secrets matches leftcert" },
	{ "@road.example.net", "missing.pem", "leaf2.key", NULL, -ENOENT, 0, "cannot be loaded" },
	{ "@road.example.net", "leaf2.pem", "leaf2.key", "/nonexistent-cacerts", -ENOENT, 0,
	  "no CA certificate in /nonexistent-cacerts" },
};

START_TEST(test_creds)
{
	const struct cred_case *t = &cred_cases[_i];
	char text[1024], sec_text[512], err[NKD_ERR_MAX] = "", dir[] = "/tmp/nkd-ca-XXXXXX";
	struct conf *conf = NULL;
	struct conf_secrets *sec = NULL;
	struct conf_diag diag;
	struct ike_conn_cfg c;
	const char *cadir = t->cacerts;
	int rc;

	if (!cadir) {
		char path[sizeof(dir) + 16], cmd[1024];

		ck_assert_ptr_nonnull(mkdtemp(dir));
		snprintf(path, sizeof(path), "%s/ca.pem", dir);
		snprintf(cmd, sizeof(cmd), "cp %s/ca.pem %s", NKD_TEST_PKI, path);
		ck_assert_int_eq(system(cmd), 0);
		cadir = dir;
	}
	snprintf(text, sizeof(text),
		 "conn c\n\tleft=198.51.100.7\n\tleftid=%s\n\tleftcert=%s/%s\n\tright=192.0.2.1\n"
		 "\tauthby=rsasig\n\tauto=add\n",
		 t->leftid, NKD_TEST_PKI, t->cert);
	snprintf(sec_text, sizeof(sec_text), ": RSA %s/%s\n", NKD_TEST_PKI, t->key);
	ck_assert_int_eq(conf_parse("t.conf", text, strlen(text), &conf, &diag), 0);
	ck_assert_int_eq(conf_secrets_parse("t.secrets", sec_text, strlen(sec_text), &sec, &diag),
			 0);
	ck_assert_int_eq(
		nkd_conn_build(&conf->conns[0], sec, nkd_conn_reqid(0), &c, err, sizeof(err)), 0);
	ck_assert_int_eq(c.auth, IKE_AUTH_RSA_SIG);
	rc = nkd_creds_load(&conf->conns[0], sec, cadir, &c, err, sizeof(err));
	ck_assert_msg(rc == t->rc, "rc %d, want %d (%s)", rc, t->rc, err);
	if (rc == 0) {
		ck_assert_ptr_nonnull(c.key);
		ck_assert_ptr_nonnull(c.cert);
		ck_assert_ptr_nonnull(c.ca);
		ck_assert_uint_eq(c.local_id.type, t->id_type);
		if (t->id_type == 9) {
			uint8_t der[IKE_ID_DATA_MAX];
			size_t len;

			ck_assert_int_eq(cert_subject_der(c.cert, der, sizeof(der), &len), 0);
			ck_assert_uint_eq(c.local_id.len, len);
			ck_assert_mem_eq(c.local_id.data, der, len);
		}
	} else {
		ck_assert_msg(strstr(err, t->msg) != NULL, "'%s' lacks '%s'", err, t->msg);
		ck_assert_ptr_null(c.key);
		ck_assert_ptr_null(c.cert);
		ck_assert_ptr_null(c.ca);
	}
	nkd_creds_free(&c);
	conf_free(conf);
	conf_secrets_free(sec);
	if (!t->cacerts) {
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		ck_assert_int_eq(system(cmd), 0);
	}
}
END_TEST

/* A hybrid RSA client (strongSwan's leftauth=xauth, or authby=hybridrsasig):
 * no leftcert and no key, only the CAs to verify the gateway with; without
 * them it cannot verify anything and is refused (_i == 1). */
START_TEST(test_creds_hybrid_client)
{
	static const char text[] = "conn c\n\tleft=198.51.100.7\n\tright=192.0.2.1\n"
				   "\tleftauth=xauth\n\trightauth=pubkey\n\txauth_identity=u\n"
				   "\tleftsourceip=%config\n\tauto=add\n";
	static const char sec_text[] = "u : XAUTH \"p\"\n";
	char err[NKD_ERR_MAX] = "", dir[] = "/tmp/nkd-ca-XXXXXX", cmd[1024];
	struct conf *conf = NULL;
	struct conf_secrets *sec = NULL;
	struct conf_diag diag;
	struct ike_conn_cfg c;
	int rc;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp %s/ca.pem %s/ca.pem", NKD_TEST_PKI, dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(conf_parse("t.conf", text, strlen(text), &conf, &diag), 0);
	ck_assert_int_eq(conf_secrets_parse("t.secrets", sec_text, strlen(sec_text), &sec, &diag),
			 0);
	ck_assert_int_eq(conf_validate(conf, sec, &diag), 0);
	ck_assert_int_eq(
		nkd_conn_build(&conf->conns[0], sec, nkd_conn_reqid(0), &c, err, sizeof(err)), 0);
	ck_assert(c.hybrid);
	ck_assert_int_eq(c.xauth, IKE_CFG_CLIENT);
	ck_assert_str_eq(c.xauth_user, "u");
	rc = nkd_creds_load(&conf->conns[0], sec, _i == 0 ? dir : "/nonexistent-cacerts", &c, err,
			    sizeof(err));
	if (_i == 0) {
		ck_assert_msg(rc == 0, "rc %d (%s)", rc, err);
		ck_assert_int_eq(c.auth, IKE_AUTH_RSA_SIG);
		ck_assert_ptr_null(c.key);
		ck_assert_ptr_null(c.cert);
		ck_assert_ptr_nonnull(c.ca);
		ck_assert_uint_eq(c.local_id.type, 0); /* the address (ikev1_phase1.c) */
	} else {
		ck_assert_int_eq(rc, -ENOENT);
		ck_assert_ptr_nonnull(strstr(err, "no CA certificate in /nonexistent-cacerts"));
		ck_assert_ptr_null(c.ca);
	}
	nkd_creds_free(&c);
	conf_free(conf);
	conf_secrets_free(sec);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

struct natt_case {
	const char *keys;
	bool natt, force;
	natt_method_set methods;
};

static const struct natt_case natt_cases[] = {
	{ "", true, false, 0 },
	{ "\tforceencaps=yes\n", true, true, 0 },
	{ "\tnatt_methods=rfc\n", true, false, NATT_METHOD_BIT(NATT_METHOD_RFC3947) },
	{ "\tnatt_methods=draft\n", true, false,
	  NATT_METHOD_BIT(NATT_METHOD_DRAFT_02N) | NATT_METHOD_BIT(NATT_METHOD_DRAFT_02) |
		  NATT_METHOD_BIT(NATT_METHOD_DRAFT_03) },
	{ "\tnatt_methods=none\n", false, false, 0 },
};

START_TEST(test_natt)
{
	const struct natt_case *t = &natt_cases[_i];
	char text[512], err[NKD_ERR_MAX];
	struct ike_conn_cfg c;

	snprintf(text, sizeof(text),
		 "conn x\n\tleft=192.0.2.1\n\tright=198.51.100.2\n%s\tauto=add\n", t->keys);
	ck_assert_msg(build(text, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(c.natt, t->natt);
	ck_assert_int_eq(c.natt_force, t->force);
	ck_assert_uint_eq(c.natt_methods, t->methods);
}
END_TEST

/* ---- keys of issue 20 reach the engine ---- */

START_TEST(test_behaviour_keys)
{
	char err[NKD_ERR_MAX];
	struct ike_conn_cfg c;

	/* Defaults: rekeys on, one keying attempt, INITIAL-CONTACT honoured. */
	ck_assert_int_eq(build(site_conf, &c, err, sizeof(err)), 0);
	ck_assert(!c.no_rekey);
	ck_assert_uint_eq(c.keying_tries, 1);
	ck_assert(!c.ignore_initial_contact);
	ck_assert(!c.natt_force);
	ck_assert(c.natt);

	ck_assert_int_eq(build("config setup\n\tuniqueids=no\n"
			       "conn x\n\tleft=192.0.2.1\n\tright=198.51.100.2\n\tauto=add\n"
			       "\trekey=no\n\tkeyingtries=%forever\n\tencapsulation=yes\n",
			       &c, err, sizeof(err)),
			 0);
	ck_assert(c.no_rekey);
	ck_assert_uint_eq(c.keying_tries, IKE_TRIES_FOREVER);
	ck_assert(c.ignore_initial_contact);
	ck_assert(c.natt_force);

	ck_assert_int_eq(build("config setup\n\tuniqueids=replace\n"
			       "conn x\n\tleft=192.0.2.1\n\tright=198.51.100.2\n\tauto=add\n"
			       "\tkeyingtries=3\n\tencapsulation=no\n",
			       &c, err, sizeof(err)),
			 0);
	ck_assert_uint_eq(c.keying_tries, 3);
	ck_assert(!c.ignore_initial_contact);
	ck_assert(!c.natt);
	ck_assert(!c.natt_force);

	ck_assert_int_eq(build("config setup\n\tuniqueids=never\n"
			       "conn x\n\tleft=192.0.2.1\n\tright=198.51.100.2\n\tauto=add\n"
			       "\tdpdaction=trap\n\tdpddelay=10\n\tdpdtimeout=30\n",
			       &c, err, sizeof(err)),
			 0);
	ck_assert(c.ignore_initial_contact);
	ck_assert(!c.unique_keep);
	ck_assert_int_eq(c.dpd_action, IKE_DPD_HOLD);
	ck_assert_uint_eq(c.dpd_delay_s, 10);

	/* keep: the engine refuses the newer IKE SA (check_engine_keys.c). */
	ck_assert_int_eq(build("config setup\n\tuniqueids=keep\n"
			       "conn x\n\tleft=192.0.2.1\n\tright=198.51.100.2\n\tauto=add\n",
			       &c, err, sizeof(err)),
			 0);
	ck_assert(c.unique_keep);
	ck_assert(!c.ignore_initial_contact);
}
END_TEST

/* leftsubnet=a,b / leftsubnets={a b}: one engine conn per pair of one
 * family, one group, consecutive reqids, Libreswan's NAME/LxR names. */
START_TEST(test_subnet_pairs)
{
	struct ike_conn_cfg base, *pc = calloc(NKD_PAIRS_MAX, sizeof(*pc));
	struct conf_diag d;
	struct conf *c = NULL;
	char err[NKD_ERR_MAX], a[64], b[64];
	const char *text =
		"conn s2s\n\tleft=192.0.2.1\n\tright=198.51.100.2\n"
		"\tleftsubnets={10.1.0.0/24 10.2.0.0/24 2001:db8:1::/64}\n"
		"\trightsubnet=10.3.0.0/24,10.4.0.0/24,2001:db8:3::/64\n\tauto=start\n"
		"conn one\n\tleft=192.0.2.1\n\tright=198.51.100.2\n"
		"\tleftsubnet=10.1.0.0/24\n\tauto=start\n"
		"conn many\n\tleft=192.0.2.1\n\tright=198.51.100.2\n"
		"\tleftsubnet=10.1.0.0/24,10.2.0.0/24,10.3.0.0/24,10.4.0.0/24,10.5.0.0/24\n"
		"\trightsubnet=10.6.0.0/24,10.7.0.0/24,10.8.0.0/24,10.9.0.0/24\n"
		"\tauto=start\n";
	const char *sec = "192.0.2.1 198.51.100.2 : PSK \"k\"\n";
	struct conf_secrets *s = NULL;

	ck_assert_ptr_nonnull(pc);
	ck_assert_int_eq(conf_parse("t.conf", text, strlen(text), &c, &d), 0);
	ck_assert_int_eq(conf_secrets_parse("t.secrets", sec, strlen(sec), &s, &d), 0);
	ck_assert_int_eq(nkd_conn_build(&c->conns[0], s, 0x4e4b0010, &base, err, sizeof(err)), 0);
	/* 2 x 2 IPv4 pairs and 1 IPv6 pair */
	ck_assert_int_eq(nkd_conn_pairs(&c->conns[0], &base, 0x4e4b0010, pc, err, sizeof(err)), 5);
	for (int i = 0; i < 5; i++) {
		ck_assert_uint_eq(pc[i].group, 1);
		ck_assert_uint_eq(pc[i].reqid, 0x4e4b0010u + (unsigned)i);
		ck_assert_uint_eq(pc[i].psk_len, 1);
		ck_assert_uint_eq(pc[i].local_ts.plen,
				  pc[i].local_ts.addr.family == XK_AF_INET ? 24 : 64);
	}
	ck_assert_str_eq(pc[0].name, "s2s/1x1");
	ck_assert_str_eq(nkd_xk_addr_to_text(&pc[1].local_ts.addr, a, sizeof(a)), "10.1.0.0");
	ck_assert_str_eq(nkd_xk_addr_to_text(&pc[1].remote_ts.addr, b, sizeof(b)), "10.4.0.0");
	ck_assert_str_eq(pc[1].name, "s2s/1x2");
	ck_assert_str_eq(pc[2].name, "s2s/2x1");
	ck_assert_str_eq(pc[4].name, "s2s/3x3");
	ck_assert_str_eq(nkd_xk_addr_to_text(&pc[4].remote_ts.addr, b, sizeof(b)), "2001:db8:3::");
	/* one subnet per side: the conn itself, no group */
	ck_assert_int_eq(nkd_conn_build(&c->conns[1], s, 0x4e4b0020, &base, err, sizeof(err)), 0);
	ck_assert_int_eq(nkd_conn_pairs(&c->conns[1], &base, 0x4e4b0020, pc, err, sizeof(err)), 1);
	ck_assert_uint_eq(pc[0].group, 0);
	ck_assert_str_eq(pc[0].name, "one");
	/* 5 x 4 pairs: more than the engine group takes */
	ck_assert_int_eq(nkd_conn_build(&c->conns[2], s, 0x4e4b0030, &base, err, sizeof(err)), 0);
	ck_assert_int_eq(nkd_conn_pairs(&c->conns[2], &base, 0x4e4b0030, pc, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "conn many: more than 16 pairs of leftsubnet and rightsubnet");
	OPENSSL_cleanse(pc, NKD_PAIRS_MAX * sizeof(*pc));
	OPENSSL_cleanse(&base, sizeof(base));
	free(pc);
	conf_secrets_free(s);
	conf_free(c);
}
END_TEST

/* interfaces= (Libreswan): IKE only from the listed interfaces. */
START_TEST(test_interfaces)
{
	struct conf_diag d;
	struct conf *c = NULL;
	const char *text = "config setup\n\tinterfaces=\"eth0 ipsec0=wan1\"\n";

	ck_assert_int_eq(conf_parse("t.conf", text, strlen(text), &c, &d), 0);
	ck_assert(nkd_iface_allowed(&c->setup, "eth0"));
	ck_assert(nkd_iface_allowed(&c->setup, "wan1"));
	ck_assert(!nkd_iface_allowed(&c->setup, "eth1"));
	ck_assert(!nkd_iface_allowed(&c->setup, "ipsec0"));
	ck_assert(!nkd_iface_allowed(&c->setup, ""));
	ck_assert(!nkd_iface_allowed(&c->setup, NULL));
	conf_free(c);
	/* No list (or Libreswan's default %defaultroute): every interface. */
	text = "config setup\n\tinterfaces=%defaultroute\n";
	ck_assert_int_eq(conf_parse("t.conf", text, strlen(text), &c, &d), 0);
	ck_assert(nkd_iface_allowed(&c->setup, "eth1"));
	ck_assert(nkd_iface_allowed(&c->setup, NULL));
	conf_free(c);
}
END_TEST

/* type=passthrough/drop: one policy per direction and network pair of one
 * family, no template, before every tunnel policy. */
START_TEST(test_shunt_policies)
{
	struct conf_diag d;
	struct conf *c = NULL;
	struct xk_policy *p = calloc(NKD_SHUNT_MAX, sizeof(*p));
	char a[64], b[64];
	const char *text = "conn lan\n\tleftsubnet=10.1.0.0/24,10.2.0.0/24,2001:db8:1::/64\n"
			   "\trightsubnet=10.1.0.0/16\n\tleftprotoport=udp\n"
			   "\ttype=passthrough\n\tauto=route\n"
			   "conn block\n\tleft=192.0.2.1\n\trightsubnet=198.51.100.0/24\n"
			   "\ttype=drop\n\tauto=route\n"
			   "conn none\n\tleftsubnet=2001:db8::/32\n\trightsubnet=10.0.0.0/8\n"
			   "\ttype=pass\n\tauto=route\n";

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(conf_parse("t.conf", text, strlen(text), &c, &d), 0);
	/* 2 IPv4 pairs (the IPv6 subnet has no IPv4 partner) x out, in, fwd */
	ck_assert_int_eq(nkd_shunt_policies(&c->conns[0], p), 6);
	for (int i = 0; i < 6; i++) {
		ck_assert_int_eq(p[i].action, XK_ACTION_ALLOW);
		ck_assert(!p[i].has_tmpl);
		ck_assert_uint_eq(p[i].priority, NKD_SHUNT_PRIO);
		/* before the narrowest tunnel policy (IPv6 host to host) */
		ck_assert_uint_lt(p[i].priority, 4 * (1024 - 256));
		ck_assert_uint_eq(p[i].sel.proto, 17);
	}
	ck_assert_int_eq(p[0].dir, XK_DIR_OUT);
	ck_assert_str_eq(nkd_xk_addr_to_text(&p[0].sel.src, a, sizeof(a)), "10.1.0.0");
	ck_assert_uint_eq(p[0].sel.src_plen, 24);
	ck_assert_str_eq(nkd_xk_addr_to_text(&p[0].sel.dst, b, sizeof(b)), "10.1.0.0");
	ck_assert_uint_eq(p[0].sel.dst_plen, 16);
	ck_assert_int_eq(p[1].dir, XK_DIR_IN);
	ck_assert_uint_eq(p[1].sel.src_plen, 16);
	ck_assert_uint_eq(p[1].sel.dst_plen, 24);
	ck_assert_int_eq(p[2].dir, XK_DIR_FWD);
	ck_assert_str_eq(nkd_xk_addr_to_text(&p[3].sel.src, a, sizeof(a)), "10.2.0.0");
	/* drop: left=ADDRESS stands for the host */
	ck_assert_int_eq(nkd_shunt_policies(&c->conns[1], p), 3);
	ck_assert_int_eq(p[0].action, XK_ACTION_BLOCK);
	ck_assert_str_eq(nkd_xk_addr_to_text(&p[0].sel.src, a, sizeof(a)), "192.0.2.1");
	ck_assert_uint_eq(p[0].sel.src_plen, 32);
	/* no pair of one family */
	ck_assert_int_eq(nkd_shunt_policies(&c->conns[2], p), -EINVAL);
	conf_free(c);
	free(p);
}
END_TEST

/* ---- configurations as admins write them (tests/data/conf/real-*.conf) ---- */

#define REAL_ERRS_MAX 32

struct real_result {
	char errs[REAL_ERRS_MAX][CONF_DIAG_LEN + NKD_ERR_MAX];
	size_t n_errs;
	size_t n_notes;
	size_t n_built; /* conns the engine accepted */
};

static void real_err(struct real_result *res, const char *msg)
{
	if (res->n_errs < REAL_ERRS_MAX)
		snprintf(res->errs[res->n_errs], sizeof(res->errs[0]), "%s", msg);
	res->n_errs++;
}

static void real_diag(struct real_result *res, const struct conf_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		real_err(res, d->msg[i]);
	res->n_errs += d->dropped;
}

/* What `natkeyd --check-config` does (tools/natkeyd/natkeyd.c: nkd_config_load
 * then nkd_conns_build), with the table resolver: parse, resolve names and
 * %defaultroute, read the secrets, validate, build every loaded conn. */
static void real_check(const char *name, const char *text, size_t len, struct real_result *res)
{
	struct conf *conf = NULL;
	struct conf_secrets *sec = NULL;
	struct conf_diag diag;
	struct nkd_resolver r = { fake_name, fake_defaultroute, fake_is_local, NULL };
	struct fake f;
	char err[NKD_ERR_MAX], path[512];
	size_t slen;
	char *stext;

	memset(res, 0, sizeof(*res));
	memset(&f, 0, sizeof(f));
	r.arg = &f;
	if (conf_parse(name, text, len, &conf, &diag) < 0) {
		real_diag(res, &diag);
		return;
	}
	res->n_notes = conf->notes.n + conf->notes.dropped;
	if (nkd_conf_resolve(conf, &r, err, sizeof(err)) < 0) {
		real_err(res, err);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/real.secrets", NKD_TEST_CONF);
	stext = slurp_file(path, &slen);
	ck_assert_int_eq(conf_secrets_parse("real.secrets", stext, slen, &sec, &diag), 0);
	free(stext);
	if (conf_validate(conf, sec, &diag) < 0) {
		real_diag(res, &diag);
		goto out;
	}
	for (size_t i = 0; i < conf->n_conns; i++) {
		struct ike_conn_cfg c;

		if (conf->conns[i].autostart == CONF_AUTO_IGNORE)
			continue;
		if (nkd_conn_build(&conf->conns[i], sec, nkd_conn_reqid(1), &c, err, sizeof(err)) <
		    0) {
			real_err(res, err);
			continue;
		}
		res->n_built++;
	}
out:
	conf_secrets_free(sec);
	conf_free(conf);
}

struct real_case {
	const char *file;
	size_t n_errs;	/* errors, each naming a feature natkeyd lacks */
	size_t n_built; /* conns loaded once the lines of those errors are out */
	size_t n_notes; /* warnings (accepted foreign keys) of the whole file */
};

static const struct real_case real_cases[] = {
	/* 2 conns; xauth-psk: an XAUTH + Mode Config gateway (leftxauthserver=,
	 * leftmodecfgserver=, rightaddresspool=, modecfgdns=, ...) */
	{ "real-libreswan-l2tp-xauth-gw.conf", 0, 2,
	  4 }, /* modecfgdns=, cisco-unity= are real keys now */
	/* rightauth2=xauth, rightsourceip=, rightdns=: an XAUTH gateway */
	{ "real-strongswan-ios-gw.conf", 0, 1, 3 },
	/* leftsourceip=%config: natkeyd as Mode Config client (leftauth2=xauth
	 * and xauth_identity= load) */
	{ "real-strongswan-xauth-client.conf", 0, 1, 0 },
	{ "real-strongswan-l2tp-client.conf", 0, 1, 2 },
	/* two subnets per side: four pairs, one IKE SA (nkd_conn_pairs()) */
	{ "real-libreswan-site2site.conf", 0, 1, 3 },
};

/* What natkeyd's XAUTH / Mode Config still lacks (README "Known limits");
 * every error must name one of them. */
static const char *const real_lacks[] = {
	"xauthby=pam: this natkeyd was built without PAM",
};

START_TEST(test_real_configs)
{
	const struct real_case *t = &real_cases[_i];
	struct real_result *res = calloc(1, sizeof(*res));
	char path[512];
	size_t len;
	char *text;

	ck_assert_ptr_nonnull(res);
	snprintf(path, sizeof(path), "%s/%s", NKD_TEST_CONF, t->file);
	text = slurp_file(path, &len);
	real_check(t->file, text, len, res);
	for (size_t i = 0; i < res->n_errs && i < REAL_ERRS_MAX; i++) {
		bool known = false;

		for (size_t k = 0; k < sizeof(real_lacks) / sizeof(real_lacks[0]); k++)
			known |= strstr(res->errs[i], real_lacks[k]) != NULL;
		ck_assert_msg(known, "%s: an error for something natkeyd could do: %s", t->file,
			      res->errs[i]);
	}
	ck_assert_msg(res->n_errs == t->n_errs, "%s: %zu errors, expected %zu (first: %s)", t->file,
		      res->n_errs, t->n_errs, res->n_errs ? res->errs[0] : "");
	if (!t->n_errs)
		ck_assert_uint_eq(res->n_built, t->n_built);

	/* Without the lines natkeyd lacks a feature for, everything else of
	 * the file passes the daemon's whole check. */
	size_t prefix = strlen(t->file) + 1;
	bool cut = false;

	for (size_t i = 0; i < res->n_errs && i < REAL_ERRS_MAX; i++) {
		unsigned line = 0, l = 1;

		if (strncmp(res->errs[i], t->file, prefix - 1) || res->errs[i][prefix - 1] != ':' ||
		    sscanf(res->errs[i] + prefix, "%u:", &line) != 1)
			continue;
		for (size_t k = 0; k < len; k++) {
			if (l == line && text[k] != '\n')
				text[k] = ' ';
			l += text[k] == '\n';
		}
		cut = true;
	}
	if (cut) {
		real_check(t->file, text, len, res);
		ck_assert_msg(res->n_errs == 0, "%s without the refused lines: %s", t->file,
			      res->errs[0]);
		ck_assert_uint_eq(res->n_built, t->n_built);
	}
	ck_assert_msg(res->n_notes == t->n_notes, "%s: %zu warnings, expected %zu", t->file,
		      res->n_notes, t->n_notes);
	free(text);
	free(res);
}
END_TEST

static Suite *glue_suite(void)
{
	Suite *s = suite_create("daemon_glue");
	TCase *tc = tcase_create("glue");

	tcase_add_test(tc, test_site_to_site);
	tcase_add_test(tc, test_adaptive_keepalive);
	tcase_add_test(tc, test_binding_lifetime_natcheck);
	tcase_add_test(tc, test_host_selector_and_ids);
	tcase_add_loop_test(tc, test_p1_table, 0, sizeof(p1_cases) / sizeof(p1_cases[0]));
	tcase_add_loop_test(tc, test_p2_table, 0, sizeof(p2_cases) / sizeof(p2_cases[0]));
	tcase_add_loop_test(tc, test_refusals, 0, sizeof(refusals) / sizeof(refusals[0]));
	tcase_add_loop_test(tc, test_natt, 0, sizeof(natt_cases) / sizeof(natt_cases[0]));
	tcase_add_loop_test(tc, test_byte_lifetimes, 0, sizeof(life_cases) / sizeof(life_cases[0]));
	tcase_add_loop_test(tc, test_fragmentation, 0,
			    (int)(sizeof(frag_cases) / sizeof(frag_cases[0])));
	tcase_add_test(tc, test_trap_policies);
	tcase_add_test(tc, test_road_warrior_clients);
	tcase_add_loop_test(tc, test_notes, 0, (int)(sizeof(note_cases) / sizeof(note_cases[0])));
	tcase_add_test(tc, test_xauth_build);
	tcase_add_test(tc, test_xauth_file_check);
	tcase_add_loop_test(tc, test_resolve, 0, sizeof(resolve_cases) / sizeof(resolve_cases[0]));
	tcase_add_test(tc, test_resolve_build);
	tcase_add_test(tc, test_resolve_conf_error);
	tcase_add_test(tc, test_view_last_error);
	tcase_add_loop_test(tc, test_p1_names, 0, sizeof(p1_names) / sizeof(p1_names[0]));
	tcase_add_loop_test(tc, test_p2_names, 0, sizeof(p2_names) / sizeof(p2_names[0]));
	tcase_add_test(tc, test_natt_method_names);
	tcase_add_test(tc, test_facts);
	tcase_add_test(tc, test_behaviour_keys);
	tcase_add_test(tc, test_interfaces);
	tcase_add_test(tc, test_subnet_pairs);
	tcase_add_test(tc, test_shunt_policies);
	tcase_add_loop_test(tc, test_real_configs, 0, sizeof(real_cases) / sizeof(real_cases[0]));
	tcase_add_loop_test(tc, test_creds, 0, sizeof(cred_cases) / sizeof(cred_cases[0]));
	tcase_add_loop_test(tc, test_creds_hybrid_client, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(glue_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
