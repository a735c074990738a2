// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ike= / esp= proposal strings: canonical form after parsing, expansion of
 * combinations, the IKE/ESP rules, legacy opt-in and the exact messages.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ike/conf/conf.h"
#include "ike/conf/conf_proposal.h"

#define IKE CONF_PROPOSAL_IKE
#define ESP CONF_PROPOSAL_ESP

struct prop_vec {
	const char *in;
	enum conf_proposal_kind kind;
	bool legacy;
	int rc;
	size_t n;
	const char *out; /* canonical form, or the error reason */
};

static const struct prop_vec prop_vecs[] = {
	{ "aes256-sha256-modp2048", IKE, false, 0, 1, "aes256-sha256-modp2048" },
	{ "aes128gcm16-ecp256", ESP, false, 0, 1, "aes128gcm16-ecp256" },
	{ "aes256-sha256-modp2048,aes128-sha1-ecp256!", IKE, false, 0, 2,
	  "aes256-sha256-modp2048,aes128-sha1-ecp256!" },
	{ "aes256-sha256-modp2048, aes128-sha1-ecp256 ", IKE, false, 0, 2,
	  "aes256-sha256-modp2048,aes128-sha1-ecp256" },
	/* aliases */
	{ "aes-sha-dh14", IKE, false, 0, 1, "aes128-sha1-modp2048" },
	{ "AES256-SHA2_512-ECP521", IKE, false, 0, 1, "aes256-sha512-ecp521" },
	{ "aes256-sha2_384-dh20", IKE, false, 0, 1, "aes256-sha384-ecp384" },
	{ "aes192-sha2_256-dh15", IKE, false, 0, 1, "aes192-sha256-modp3072" },
	{ "aes256gcm128", ESP, false, 0, 1, "aes256gcm16" },
	{ "aes256-sha2;modp2048", IKE, false, 0, 1, "aes256-sha256-modp2048" },
	{ "aes128-sha2_256;dh19", ESP, false, 0, 1, "aes128-sha256-ecp256" },
	{ "aes192gcm16-dh16", ESP, false, 0, 1, "aes192gcm16-modp4096" },
	{ "aes128-sha256-dh19", ESP, false, 0, 1, "aes128-sha256-ecp256" },
	{ "aes128-sha256-dh21", ESP, false, 0, 1, "aes128-sha256-ecp521" },
	/* expansion: encr x integ x group, in that order */
	{ "aes128-aes256-sha1-sha256-modp2048", IKE, false, 0, 4,
	  "aes128-sha1-modp2048,aes128-sha256-modp2048,aes256-sha1-modp2048,aes256-sha256-modp2048" },
	{ "aes128-sha1-modp2048-ecp256", ESP, false, 0, 2,
	  "aes128-sha1-modp2048,aes128-sha1-ecp256" },
	{ "aes128gcm16-aes256gcm16", ESP, false, 0, 2, "aes128gcm16,aes256gcm16" },
	{ "aes128-aes192-aes256-sha1-sha256-sha384-modp2048-ecp256", IKE, false, -EINVAL, 0,
	  "more than 16 proposals (combinations included)" },
	/* legacy */
	{ "3des-sha1-modp2048", IKE, false, -EINVAL, 0,
	  "3des is a legacy algorithm: set allow-legacy-algorithms=yes in config setup to use it" },
	{ "3des-sha1-modp2048", IKE, true, 0, 1, "3des-sha1-modp2048" },
	{ "aes128-md5-modp2048", IKE, false, -EINVAL, 0,
	  "md5 is a legacy algorithm: set allow-legacy-algorithms=yes in config setup to use it" },
	{ "aes128-md5", ESP, true, 0, 1, "aes128-md5" },
	{ "aes128-sha1-modp1024", IKE, false, -EINVAL, 0,
	  "modp1024 is a legacy algorithm: set allow-legacy-algorithms=yes in config setup to use it" },
	{ "aes128-sha1-dh5", IKE, false, -EINVAL, 0,
	  "modp1536 is a legacy algorithm: set allow-legacy-algorithms=yes in config setup to use it" },
	{ "aes128-sha1-modp1536", IKE, true, 0, 1, "aes128-sha1-modp1536" },
	/* IKE rules */
	{ "aes128gcm16-sha256-ecp256", IKE, false, -EINVAL, 0,
	  "aes128gcm16 is an AEAD cipher, which IKEv1 phase 1 (ike=) cannot use" },
	{ "sha256-modp2048", IKE, false, -EINVAL, 0,
	  "proposal 'sha256-modp2048' has no encryption algorithm" },
	{ "aes256-modp2048", IKE, false, -EINVAL, 0,
	  "proposal 'aes256-modp2048' has no hash algorithm" },
	/* No DH group: Libreswan 4.x's defaults, MODP2048 then MODP1536 (legacy). */
	{ "aes256-sha256", IKE, false, 0, 1, "aes256-sha256-modp2048" },
	{ "aes256-sha2,aes128-sha1", IKE, true, 0, 4,
	  "aes256-sha256-modp2048,aes256-sha256-modp1536,aes128-sha1-modp2048,aes128-sha1-modp1536" },
	/* Legacy proposals in a list with modern ones are left out (rc 1, a
	 * warning); a list of legacy ones only is refused. */
	{ "aes256-sha2,aes128-sha1;modp1024,3des-sha1-modp2048", IKE, false, 1, 1,
	  "2 legacy proposal(s) not offered (first 'aes128-sha1;modp1024': modp1024 is a legacy algorithm: set allow-legacy-algorithms=yes in config setup to use it)" },
	{ "3des-sha1-modp2048,aes128-md5-modp2048", IKE, false, -EINVAL, 0,
	  "3des is a legacy algorithm: set allow-legacy-algorithms=yes in config setup to use it" },
	/* Libreswan's ESP spellings. */
	{ "aes_gcm-null,aes128-sha1,aes256-sha2_512", ESP, false, 0, 3,
	  "aes128gcm16,aes128-sha1,aes256-sha512" },
	{ "aes_gcm256-null", ESP, false, 0, 1, "aes256gcm16" },
	{ "aes_cbc-sha2", ESP, false, 0, 1, "aes128-sha256" },
	{ "aes128-null", ESP, false, -EINVAL, 0,
	  "proposal 'aes128-null': 'null' integrity is only for AEAD ciphers (aes_gcm)" },
	/* ESP rules */
	{ "aes128", ESP, false, -EINVAL, 0, "proposal 'aes128' has no integrity algorithm" },
	{ "aes128gcm16-sha256", ESP, false, -EINVAL, 0,
	  "proposal 'aes128gcm16-sha256': aes128gcm16 is an AEAD cipher and takes no integrity algorithm" },
	{ "aes128-aes128gcm16-sha1", ESP, false, -EINVAL, 0,
	  "proposal 'aes128-aes128gcm16-sha1' mixes AEAD and non-AEAD ciphers: write them as separate proposals" },
	/* syntax */
	{ "aes257-sha1-modp2048", IKE, false, -EINVAL, 0,
	  "unknown algorithm 'aes257' in proposal 'aes257-sha1-modp2048' (did you mean 'aes256'?)" },
	{ "blowfish-sha1-modp2048", IKE, false, -EINVAL, 0,
	  "unknown algorithm 'blowfish' in proposal 'blowfish-sha1-modp2048'" },
	{ "aes128-sha1,,aes256-sha1", ESP, false, -EINVAL, 0, "empty proposal" },
	{ "aes128-sha1,", ESP, false, -EINVAL, 0, "empty proposal" },
	{ "aes128--sha1", ESP, false, 0, 1, "aes128-sha1" },
	{ "!", ESP, false, -EINVAL, 0, "empty proposal list" },
	{ "", ESP, false, -EINVAL, 0, "empty proposal list" },
	{ "aes128-sha1!,aes256-sha1", ESP, false, -EINVAL, 0,
	  "'!' is only allowed at the end of the list" },
	{ "aes128-sha1!!", ESP, false, -EINVAL, 0, "'!' is only allowed at the end of the list" },
};

START_TEST(test_proposals)
{
	const struct prop_vec *v = &prop_vecs[_i];
	struct conf_proposals p;
	char why[256] = "", buf[1024];

	ck_assert_msg(conf_proposals_parse(v->in, v->kind, v->legacy, &p, why, sizeof(why)) ==
			      v->rc,
		      "'%s': %s", v->in, why);
	if (v->rc) {
		ck_assert_str_eq(why, v->out);
		if (v->rc > 0) /* loaded without the legacy proposals */
			ck_assert_uint_eq(p.n, v->n);
		return;
	}
	ck_assert_uint_eq(p.n, v->n);
	ck_assert_str_eq(conf_proposals_format(&p, buf, sizeof(buf)), v->out);
}
END_TEST

/* The canonical form parses back to the same proposals. */
START_TEST(test_format_round_trip)
{
	const struct prop_vec *v = &prop_vecs[_i];
	struct conf_proposals p, q;
	char buf[1024], buf2[1024];

	if (v->rc)
		return;
	ck_assert_int_eq(conf_proposals_parse(v->in, v->kind, v->legacy, &p, NULL, 0), 0);
	conf_proposals_format(&p, buf, sizeof(buf));
	ck_assert_int_eq(conf_proposals_parse(buf, v->kind, v->legacy, &q, NULL, 0), 0);
	ck_assert_uint_eq(p.n, q.n);
	ck_assert(p.strict == q.strict);
	ck_assert_mem_eq(p.v, q.v, p.n * sizeof(p.v[0]));
	ck_assert_str_eq(conf_proposals_format(&q, buf2, sizeof(buf2)), buf);
}
END_TEST

START_TEST(test_structured)
{
	struct conf_proposals p;

	ck_assert_int_eq(conf_proposals_parse("aes192-sha384-ecp384,aes256gcm16-modp3072!", ESP,
					      false, &p, NULL, 0),
			 0);
	ck_assert_uint_eq(p.n, 2);
	ck_assert(p.strict);
	ck_assert_int_eq(p.v[0].encr, CONF_ENCR_AES192_CBC);
	ck_assert_int_eq(p.v[0].integ, CONF_INTEG_SHA384);
	ck_assert_int_eq(p.v[0].group, 20); /* IANA group numbers, RFC 5903 */
	ck_assert_int_eq(p.v[1].encr, CONF_ENCR_AES256_GCM16);
	ck_assert_int_eq(p.v[1].integ, CONF_INTEG_NONE);
	ck_assert_int_eq(p.v[1].group, 15);
	ck_assert(conf_encr_is_aead(p.v[1].encr));
	ck_assert(!conf_encr_is_aead(p.v[0].encr));
	ck_assert_uint_eq(conf_encr_key_bits(CONF_ENCR_AES192_CBC), 192);
	ck_assert_uint_eq(conf_encr_key_bits(CONF_ENCR_AES256_GCM16), 256);
	ck_assert_uint_eq(conf_encr_key_bits(CONF_ENCR_3DES_CBC), 192);
	ck_assert_uint_eq(conf_encr_key_bits(CONF_ENCR_NONE), 0);
}
END_TEST

struct group_vec {
	enum conf_group g;
	int iana;
	const char *name;
};

/* IANA "Group Description" numbers (RFC 2409 s6, RFC 3526, RFC 5903). */
static const struct group_vec group_vecs[] = {
	{ CONF_GROUP_MODP1024, 2, "modp1024" },	 { CONF_GROUP_MODP1536, 5, "modp1536" },
	{ CONF_GROUP_MODP2048, 14, "modp2048" }, { CONF_GROUP_MODP3072, 15, "modp3072" },
	{ CONF_GROUP_MODP4096, 16, "modp4096" }, { CONF_GROUP_ECP256, 19, "ecp256" },
	{ CONF_GROUP_ECP384, 20, "ecp384" },	 { CONF_GROUP_ECP521, 21, "ecp521" },
	{ CONF_GROUP_NONE, 0, "none" },
};

START_TEST(test_group_numbers)
{
	const struct group_vec *v = &group_vecs[_i];

	ck_assert_int_eq((int)v->g, v->iana);
	ck_assert_str_eq(conf_group_name(v->g), v->name);
}
END_TEST

START_TEST(test_format_small_buffer)
{
	struct conf_proposals p;
	char buf[10], exact[23];

	ck_assert_int_eq(conf_proposals_parse("aes256-sha256-modp2048", IKE, false, &p, NULL, 0),
			 0);
	ck_assert_str_eq(conf_proposals_format(&p, buf, sizeof(buf)), "");
	ck_assert_str_eq(conf_proposals_format(&p, exact, sizeof(exact)), "aes256-sha256-modp2048");
	ck_assert_str_eq(conf_proposals_format(&p, exact, sizeof(exact) - 1), "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("conf_proposal");
	TCase *tc = tcase_create("proposals");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_proposals, 0, (int)(sizeof(prop_vecs) / sizeof(prop_vecs[0])));
	tcase_add_loop_test(tc, test_format_round_trip, 0,
			    (int)(sizeof(prop_vecs) / sizeof(prop_vecs[0])));
	tcase_add_loop_test(tc, test_group_numbers, 0,
			    (int)(sizeof(group_vecs) / sizeof(group_vecs[0])));
	tcase_add_test(tc, test_structured);
	tcase_add_test(tc, test_format_small_buffer);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
