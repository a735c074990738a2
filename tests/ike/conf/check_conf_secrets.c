// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsec.secrets: syntax and decoding of PSKs, every error with its exact
 * message (never containing the secret), strongSwan's lookup precedence, the
 * permission check, and that the printer hides every PSK.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ike/conf/conf.h"
#include "ike/conf/conf_secrets.h"

struct psk_vec {
	const char *text;
	const char *psk; /* expected bytes */
	size_t psk_len;
	size_t n_ids;
};

static const struct psk_vec psk_vecs[] = {
	{ ": PSK \"secret\"\n", "secret", 6, 0 },
	{ ": PSK 'sin\\gle \"q\"'\n", "sin\\gle \"q\"", 11, 0 },
	{ ": PSK \"a\\\"b\\\\c\\n\\t\\x41\\x7e\"\n", "a\"b\\c\n\tA~", 9, 0 },
	{ ": PSK \"nul\\x00in\"\n", "nul\0in", 6, 0 },
	{ ": PSK 0x00ff10Ab\n", "\x00\xff\x10\xab", 4, 0 },
	{ ": psk \"lower-case keyword\"\n", "lower-case keyword", 18, 0 },
	{ "192.0.2.1 198.51.100.2 : PSK \"x\"\n", "x", 1, 2 },
	{ "@a.example\n  @b.example\n\t: PSK \"continued\"\n", "continued", 9, 2 },
	{ "\"C=CH, O=Ex, CN=a\" %any : PSK \"dn # not a comment\" # comment\n",
	  "dn # not a comment", 18, 2 },
	{ "# only a comment\n\n: PSK \"k\"", "k", 1, 0 },
	{ ": PSK \"crlf\"\r\n", "crlf", 4, 0 },
};

START_TEST(test_psk_decode)
{
	const struct psk_vec *v = &psk_vecs[_i];
	struct conf_secrets *s = NULL;
	struct conf_diag d;

	ck_assert_msg(conf_secrets_parse("t", v->text, strlen(v->text), &s, &d) == 0, "%s",
		      d.n ? d.msg[0] : "");
	ck_assert_uint_eq(s->n, 1);
	ck_assert_int_eq(s->v[0].type, CONF_SECRET_PSK);
	ck_assert_uint_eq(s->v[0].psk_len, v->psk_len);
	ck_assert_mem_eq(s->v[0].psk, v->psk, v->psk_len);
	ck_assert_uint_eq(s->v[0].n_ids, v->n_ids);
	conf_secrets_free(s);
}
END_TEST

struct serr_vec {
	const char *text;
	const char *msg;
};

static const struct serr_vec serr_vecs[] = {
	{ ": PSK secret\n", "t:1: a PSK must be a quoted string or 0x hex" },
	{ ": PSK \"\"\n", "t:1: empty PSK" },
	{ ": PSK \"unterminated\n", "t:1: unterminated quoted string" },
	{ ": PSK \"bad\\q\"\n", "t:1: bad escape in quoted string (use \\\\ \\\" \\n \\t \\xHH)" },
	{ ": PSK \"bad\\x4\"\n", "t:1: bad escape in quoted string (use \\\\ \\\" \\n \\t \\xHH)" },
	{ ": PSK 0x123\n", "t:1: 0x PSK has an odd number of hex digits" },
	{ ": PSK 0x12zz\n", "t:1: 0x PSK contains a character that is not a hex digit" },
	{ ": PSK 0sc2VjcmV0\n",
	  "t:1: base64 (0s) PSKs are not supported: use a quoted string or 0x hex" },
	{ ": PSK\n", "t:1: PSK without a value" },
	{ ": PSK \"a\" \"b\"\n",
	  "t:1: extra words after the PSK (quote a PSK that contains blanks)" },
	{ ": PSK two words\n",
	  "t:1: extra words after the PSK (quote a PSK that contains blanks)" },
	{ "@a PSK \"x\"\n",
	  "t:1: expected [SELECTORS] : PSK \"secret\" or : RSA FILE (the ':' must stand alone)" },
	{ "@a: PSK \"x\"\n",
	  "t:1: expected [SELECTORS] : PSK \"secret\" or : RSA FILE (the ':' must stand alone)" },
	{ "@a :\n", "t:1: expected PSK or RSA after ':'" },
	{ ": XAUTH \"pw\"\n",
	  "t:1: an XAUTH entry names exactly one user (USER : XAUTH \"password\")" },
	{ "alice bob : XAUTH \"pw\"\n",
	  "t:1: an XAUTH entry names exactly one user (USER : XAUTH \"password\")" },
	{ "alice : XAUTH\n", "t:1: XAUTH without a password" },
	{ "alice : XAUTH hunter2\n", "t:1: an XAUTH password must be a quoted string" },
	{ "alice : XAUTH \"a\" b\n",
	  "t:1: extra words after the password (quote a password with blanks)" },
	{ "alice : XAUTH \"\"\n", "t:1: empty PSK" },
	{ "alice : XAUTH \"a\"\n@gw : PSK \"k\"\nalice : XAUTH \"b\"\n",
	  "t:3: XAUTH user 'alice' is listed twice (first on line 1)" },
	{ ": PGP key.asc\n",
	  "t:1: secret type 'PGP' is not supported by natkeyd (PSK, RSA and XAUTH are)" },
	{ ": RSA\n", "t:1: RSA without a key file" },
	{ ": RSA key.pem %prompt\n",
	  "t:1: encrypted private keys (passphrase or %prompt) are not supported" },
	{ "@@x : PSK \"k\"\n", "t:1: selector '@@x': '@@x' is not a valid FQDN identity" },
	{ "%fromcert : PSK \"k\"\n", "t:1: selector '%fromcert': %fromcert is not a selector" },
	{ "a b c d e f g h i : PSK \"k\"\n", "t:1: more than 8 selectors" },
	{ "include /etc/ipsec.d/*.secrets\n",
	  "t:1: include: only secrets read from a file can include others" },
	{ "include\n", "t:1: expected 'include PATTERN' (one path or glob pattern)" },
	{ "  : PSK \"k\"\n", "t:1: indented line continues no entry (entries start in column 0)" },
	{ ": PSK x\"y\"\n",
	  "t:1: a quote must start a new word (write SELECTOR : PSK \"secret\")" },
	{ ": PSK \"k\"\n\0", "t: NUL byte in file" },
	{ ": PSK \""
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	  "X\"\n",
	  "t:1: PSK longer than 256 bytes" },
	{ ": PSK 0x"
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	  "00\n",
	  "t:1: PSK longer than 256 bytes" },
	{ "a b c d e f g h i j k l m n o p q : PSK \"k\"\n", "t:1: more than 8 selectors" },
	{ ": RSA \"\"\n", "t:1: bad key file path" },
	{ "  \"unterminated\n", "t:1: unterminated quoted string" },
	{ ": PSK \"ok\"\n: PSK nope\n", "t:2: a PSK must be a quoted string or 0x hex" },
};

START_TEST(test_secrets_errors)
{
	const struct serr_vec *v = &serr_vecs[_i];
	struct conf_secrets *s = (struct conf_secrets *)1;
	struct conf_diag d;
	size_t len = strlen(v->text);

	if (strstr(v->msg, "NUL"))
		len++;
	ck_assert_int_eq(conf_secrets_parse("t", v->text, len, &s, &d), -EINVAL);
	ck_assert_ptr_null(s);
	ck_assert_uint_ge(d.n, 1);
	ck_assert_str_eq(d.msg[0], v->msg);
}
END_TEST

START_TEST(test_secret_never_in_message)
{
	static const char *const texts[] = {
		": PSK hunter2hunter2\n",	   ": PSK hunter2hunter2 \"x\"\n",
		": PSK \"hunter2hunter2\" junk\n", ": PSK \"hunter2hunter2\\q\"\n",
		"alice : XAUTH hunter2hunter2\n",  "alice : XAUTH \"hunter2hunter2\" x\n",
	};
	struct conf_secrets *s = NULL;
	struct conf_diag d;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ck_assert_int_eq(conf_secrets_parse("t", texts[i], strlen(texts[i]), &s, &d),
				 -EINVAL);
		ck_assert_ptr_null(strstr(d.msg[0], "hunter2"));
	}
}
END_TEST

START_TEST(test_rsa_entry)
{
	const char *text = ": RSA /etc/natkeyd/private/gw.pem\n@gw : RSA \"/k with space.pem\"\n";
	struct conf_secrets *s = NULL;
	struct conf_diag d;

	ck_assert_int_eq(conf_secrets_parse("t", text, strlen(text), &s, &d), 0);
	ck_assert_uint_eq(s->n, 2);
	ck_assert_int_eq(s->v[0].type, CONF_SECRET_RSA);
	ck_assert_str_eq(s->v[0].path, "/etc/natkeyd/private/gw.pem");
	ck_assert_ptr_null(s->v[0].psk);
	ck_assert_str_eq(s->v[1].path, "/k with space.pem");
	ck_assert_uint_eq(s->v[1].line, 2);
	conf_secrets_free(s);
}
END_TEST

/* strongSwan's `user : XAUTH "password"`: found by exact user name, never
 * taken for a PSK, never printed. */
START_TEST(test_xauth_users)
{
	const char *text = "alice : XAUTH \"pw one\"\n"
			   "\"Bob Smith\" : XAUTH 'two'\n"
			   "@gw : PSK \"group\"\n"
			   "carol@example.org : XAUTH \"3\\x21\"\n";
	const struct conf_secret *x;
	struct conf_secrets *s = NULL;
	struct conf_diag d;
	struct conf_id any = { .type = CONF_ID_ANY }, gw;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(conf_secrets_parse("t", text, strlen(text), &s, &d), 0);
	ck_assert_uint_eq(conf_secrets_xauth_count(s), 3);
	ck_assert_uint_eq(conf_secrets_xauth_count(NULL), 0);
	x = conf_secrets_find_xauth(s, "alice");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->type, CONF_SECRET_XAUTH);
	ck_assert_uint_eq(x->psk_len, 6);
	ck_assert_mem_eq(x->psk, "pw one", 6);
	ck_assert_ptr_null(conf_secrets_find_xauth(s, "Alice")); /* exact, case included */
	ck_assert_ptr_null(conf_secrets_find_xauth(s, "alic"));
	x = conf_secrets_find_xauth(s, "Bob Smith");
	ck_assert_ptr_nonnull(x);
	ck_assert_mem_eq(x->psk, "two", 3);
	x = conf_secrets_find_xauth(s, "carol@example.org");
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(x->psk_len, 2);
	ck_assert_mem_eq(x->psk, "3!", 2);
	ck_assert_uint_eq(x->line, 4);
	/* An XAUTH password is never a PSK, even for %any. */
	ck_assert_int_eq(conf_id_parse("@gw", &gw, NULL, 0), 0);
	x = conf_secrets_find_psk(s, &gw, &any);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->type, CONF_SECRET_PSK);
	f = open_memstream(&out, &len);
	ck_assert_int_eq(conf_secrets_print(s, f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(out, "alice : XAUTH <hidden>\n"));
	ck_assert_ptr_null(strstr(out, "pw one"));
	ck_assert_ptr_null(strstr(out, "two"));
	free(out);
	conf_secrets_free(s);
}
END_TEST

/* ---- lookup precedence ---- */

static const char lookup_text[] = "192.0.2.1 : PSK \"by-local-address\"\n"   /* 1 */
				  "@gw @peer : PSK \"gw-peer\"\n"	     /* 2 */
				  "@gw %any : PSK \"gw-any\"\n"		     /* 3 */
				  ": PSK \"catch-all\"\n"		     /* 4 */
				  "198.51.100.9 : PSK \"by-peer-address\"\n" /* 5 */
				  "@other : PSK \"other\"\n"		     /* 6 */
				  "@gw @peer : PSK \"gw-peer-dup\"\n"	     /* 7 */
				  "alice@example.org @gw : PSK \"alice\"\n"; /* 8 */

struct lookup_vec {
	const char *local, *remote; /* NULL: unknown */
	const char *want;	    /* NULL: none */
};

static const struct lookup_vec lookup_vecs[] = {
	/* strongSwan get_shared(): the remote side's match decides (exact >
	 * %any > none), the local side breaks ties, the first entry wins a
	 * full tie. Both exact beats everything; first of equals wins. */
	{ "@gw", "@peer", "gw-peer" },
	{ "@peer", "@gw", "gw-peer" },
	/* remote %any with local exact beats the catch-all (%any, %any) */
	{ "@gw", "@nobody", "gw-any" },
	/* remote exact beats every remote %any */
	{ "@nobody", "198.51.100.9", "by-peer-address" },
	/* remote %any (via "@gw %any") beats a local-only exact match */
	{ "192.0.2.1", "198.51.100.77", "gw-any" },
	{ "@other", "@nobody", "gw-any" },
	/* nothing specific: "@gw %any" scores %any on both sides (1+1), the
	 * same as the catch-all, and comes first in the file */
	{ "@nobody", "@nobody2", "gw-any" },
	/* user FQDN exact on both sides */
	{ "@gw", "alice@example.org", "alice" },
	/* FQDN compares case-insensitively */
	{ "@GW", "@PEER", "gw-peer" },
	/* unknown local id (Main Mode responder before ID): by remote only */
	{ NULL, "198.51.100.9", "by-peer-address" },
	{ NULL, NULL, "by-local-address" },
};

START_TEST(test_lookup)
{
	const struct lookup_vec *v = &lookup_vecs[_i];
	struct conf_secrets *s = NULL;
	struct conf_diag d;
	struct conf_id l, r;
	const struct conf_secret *got;

	ck_assert_int_eq(conf_secrets_parse("t", lookup_text, strlen(lookup_text), &s, &d), 0);
	if (v->local)
		ck_assert_int_eq(conf_id_parse(v->local, &l, NULL, 0), 0);
	if (v->remote)
		ck_assert_int_eq(conf_id_parse(v->remote, &r, NULL, 0), 0);
	got = conf_secrets_find_psk(s, v->local ? &l : NULL, v->remote ? &r : NULL);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(got->psk_len, strlen(v->want));
	ck_assert_mem_eq(got->psk, v->want, got->psk_len);
	conf_secrets_free(s);
}
END_TEST

START_TEST(test_lookup_catch_all)
{
	const char *text = "@a @b : PSK \"ab\"\n: PSK \"all\"\n@c : PSK \"c\"\n";
	struct conf_secrets *s = NULL;
	struct conf_diag d;
	struct conf_id l, r;
	const struct conf_secret *got;

	ck_assert_int_eq(conf_secrets_parse("t", text, strlen(text), &s, &d), 0);
	ck_assert_int_eq(conf_id_parse("@x", &l, NULL, 0), 0);
	ck_assert_int_eq(conf_id_parse("@y", &r, NULL, 0), 0);
	got = conf_secrets_find_psk(s, &l, &r);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(got->line, 2);
	ck_assert_int_eq(conf_id_parse("@c", &r, NULL, 0), 0);
	got = conf_secrets_find_psk(s, &l, &r); /* exact on one side (3) > catch-all (2) */
	ck_assert_uint_eq(got->line, 3);
	conf_secrets_free(s);
}
END_TEST

/* Remote first: a remote-only exact entry beats a local-only exact one,
 * whatever their order (a sum of both sides would tie them). */
START_TEST(test_lookup_remote_first)
{
	static const char *const texts[] = {
		"@gw : PSK \"local-only\"\n@peer : PSK \"remote-only\"\n",
		"@peer : PSK \"remote-only\"\n@gw : PSK \"local-only\"\n",
	};
	struct conf_secrets *s = NULL;
	struct conf_diag d;
	struct conf_id l, r;
	const struct conf_secret *got;

	ck_assert_int_eq(conf_secrets_parse("t", texts[_i], strlen(texts[_i]), &s, &d), 0);
	ck_assert_int_eq(conf_id_parse("@gw", &l, NULL, 0), 0);
	ck_assert_int_eq(conf_id_parse("@peer", &r, NULL, 0), 0);
	got = conf_secrets_find_psk(s, &l, &r);
	ck_assert_ptr_nonnull(got);
	ck_assert_uint_eq(got->psk_len, 11);
	ck_assert_mem_eq(got->psk, "remote-only", 11);
	/* Swapped roles: now the other entry is the remote one. */
	got = conf_secrets_find_psk(s, &r, &l);
	ck_assert_mem_eq(got->psk, "local-only", 10);
	conf_secrets_free(s);
}
END_TEST

START_TEST(test_lookup_none)
{
	const char *text = "@a @b : PSK \"x\"\n: RSA k.pem\n";
	struct conf_secrets *s = NULL;
	struct conf_diag d;
	struct conf_id l, r;

	ck_assert_int_eq(conf_secrets_parse("t", text, strlen(text), &s, &d), 0);
	ck_assert_int_eq(conf_id_parse("@c", &l, NULL, 0), 0);
	ck_assert_int_eq(conf_id_parse("@d", &r, NULL, 0), 0);
	ck_assert_ptr_null(conf_secrets_find_psk(s, &l, &r));
	ck_assert_ptr_null(conf_secrets_find_psk(NULL, &l, &r));
	conf_secrets_free(s);
}
END_TEST

/* ---- permission check ---- */

struct mode_vec {
	mode_t mode;
	uid_t uid;
	uid_t euid;
	int rc;
	const char *msg;
};

static const struct mode_vec mode_vecs[] = {
	{ S_IFREG | 0600, 0, 0, 0, NULL },
	{ S_IFREG | 0400, 0, 0, 0, NULL },
	{ S_IFREG | 0600, 1000, 1000, 0, NULL },
	{ S_IFREG | 0644, 0, 0, -EACCES,
	  "/etc/ipsec.secrets: mode 0644 lets group or others access the secrets; fix with: chmod 600 /etc/ipsec.secrets" },
	{ S_IFREG | 0640, 0, 0, -EACCES,
	  "/etc/ipsec.secrets: mode 0640 lets group or others access the secrets; fix with: chmod 600 /etc/ipsec.secrets" },
	{ S_IFREG | 0602, 0, 0, -EACCES,
	  "/etc/ipsec.secrets: mode 0602 lets group or others access the secrets; fix with: chmod 600 /etc/ipsec.secrets" },
	{ S_IFREG | 0601, 0, 0, -EACCES,
	  "/etc/ipsec.secrets: mode 0601 lets group or others access the secrets; fix with: chmod 600 /etc/ipsec.secrets" },
	{ S_IFREG | 04600, 0, 0, 0, NULL },
	{ S_IFREG | 0600, 1000, 0, -EACCES,
	  "/etc/ipsec.secrets: owned by uid 1000, not by root or natkeyd's uid 0; fix with: chown root /etc/ipsec.secrets" },
	{ S_IFDIR | 0700, 0, 0, -EINVAL, "/etc/ipsec.secrets: not a regular file" },
};

START_TEST(test_check_mode)
{
	const struct mode_vec *v = &mode_vecs[_i];
	struct stat st;
	char msg[512] = "";

	memset(&st, 0, sizeof(st));
	st.st_mode = v->mode;
	st.st_uid = v->uid;
	ck_assert_int_eq(
		conf_secrets_check_mode("/etc/ipsec.secrets", &st, v->euid, msg, sizeof(msg)),
		v->rc);
	if (v->msg)
		ck_assert_str_eq(msg, v->msg);
}
END_TEST

START_TEST(test_load_file_mode)
{
	char path[] = "/tmp/natkeyd-secrets-XXXXXX";
	const char *text = "@a @b : PSK \"loaded\"\n";
	struct conf_secrets *s = NULL;
	struct conf_diag d;
	char want[256];
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_int_eq(conf_secrets_load_file(path, &s, &d), 0);
	ck_assert_uint_eq(s->n, 1);
	ck_assert_mem_eq(s->v[0].psk, "loaded", 6);
	conf_secrets_free(s);

	ck_assert_int_eq(chmod(path, 0644), 0);
	ck_assert_int_eq(conf_secrets_load_file(path, &s, &d), -EACCES);
	ck_assert_ptr_null(s);
	snprintf(want, sizeof(want),
		 "%s: mode 0644 lets group or others access the secrets; fix with: chmod 600 %s",
		 path, path);
	ck_assert_str_eq(d.msg[0], want);
	unlink(path);
	ck_assert_int_eq(conf_secrets_load_file(path, &s, &d), -ENOENT);
}
END_TEST

START_TEST(test_print_hidden)
{
	const char *text = "@a alice@example.org : PSK \"topsecret\"\n"
			   "192.0.2.1 : PSK 0x746f70736563726574\n"
			   "\"C=CH, CN=x\" : PSK 'topsecret'\n"
			   ": RSA /k.pem\n";
	struct conf_secrets *s = NULL;
	struct conf_diag d;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(conf_secrets_parse("t", text, strlen(text), &s, &d), 0);
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(conf_secrets_print(s, f), 0);
	fclose(f);
	ck_assert_str_eq(buf, "@a alice@example.org : PSK <hidden>\n"
			      "192.0.2.1 : PSK <hidden>\n"
			      "\"C=CH, CN=x\" : PSK <hidden>\n"
			      ": RSA /k.pem\n");
	ck_assert_ptr_null(strstr(buf, "topsecret"));
	ck_assert_ptr_null(strstr(buf, "746f70"));
	free(buf);
	conf_secrets_free(s);
}
END_TEST

#define LOOP(tc, fn, table)                                                                        \
	tcase_add_loop_test(tc, fn, 0, (int)(sizeof(table) / sizeof((table)[0])))

int main(void)
{
	Suite *s = suite_create("conf_secrets");
	TCase *tc = tcase_create("secrets");
	SRunner *sr;
	int failed;

	LOOP(tc, test_psk_decode, psk_vecs);
	LOOP(tc, test_secrets_errors, serr_vecs);
	LOOP(tc, test_lookup, lookup_vecs);
	LOOP(tc, test_check_mode, mode_vecs);
	tcase_add_test(tc, test_secret_never_in_message);
	tcase_add_test(tc, test_rsa_entry);
	tcase_add_test(tc, test_xauth_users);
	tcase_add_test(tc, test_lookup_none);
	tcase_add_test(tc, test_lookup_catch_all);
	tcase_add_loop_test(tc, test_lookup_remote_first, 0, 2);
	tcase_add_test(tc, test_load_file_mode);
	tcase_add_test(tc, test_print_hidden);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
