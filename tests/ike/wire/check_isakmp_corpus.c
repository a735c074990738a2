// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Real and sample traffic through the decoder:
 *  - every capture in tests/corpus/isakmp/baseline/ (strongSwan <-> Libreswan
 *    messages recorded by the test bed; raw ISAKMP, or with the non-ESP
 *    marker when taken from port 4500) must decode;
 *  - every capture and every sample message is mutated:
 *    truncated at every length, with every single bit flipped and every
 *    byte set to 0x00 and 0xff; each mutant must be rejected with a reason or decode into
 *    payloads that lie inside the buffer and re-encode to the same bytes;
 *    never crash (ASan/UBSan in CI).
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/wire/isakmp_decode.h"
#include "natt/framing.h"
#include "tests/lib/isakmp_reencode.h"
#include "tests/lib/isakmp_samples.h"

#define MAXMSG	 65536
#define MAXFILES 512

struct input {
	char name[256];
	uint8_t *buf;
	size_t len;
	bool must_decode; /* captured traffic and samples: valid messages */
};

static struct input inputs[MAXFILES];
static int ninputs;
static int nbaseline;

static const char *srcdir(void)
{
	const char *s = getenv("srcdir");

	return s ? s : ".";
}

static void add_input(const char *name, const uint8_t *buf, size_t len, bool must_decode)
{
	struct input *in;

	if (ninputs == MAXFILES || len > MAXMSG)
		return;
	in = &inputs[ninputs++];
	snprintf(in->name, sizeof(in->name), "%s", name);
	in->buf = malloc(len ? len : 1);
	if (!in->buf)
		abort();
	memcpy(in->buf, buf, len);
	in->len = len;
	in->must_decode = must_decode;
}

/* Every regular file of @dir (sorted); returns how many were added. */
static int add_dir(const char *dir, bool must_decode)
{
	struct dirent **names;
	int n, i, added = 0;
	static uint8_t buf[MAXMSG];

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return 0;
	for (i = 0; i < n; i++) {
		char path[4096];
		FILE *f;
		size_t len;

		if (names[i]->d_name[0] != '.' &&
		    snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name) <
			    (int)sizeof(path) &&
		    (f = fopen(path, "rb"))) {
			len = fread(buf, 1, sizeof(buf), f);
			fclose(f);
			add_input(path, buf, len, must_decode);
			added++;
		}
		free(names[i]);
	}
	free(names);
	return added;
}

static void load_inputs(void)
{
	char dir[4096];
	size_t i;

	snprintf(dir, sizeof(dir), "%s/tests/corpus/isakmp/baseline", srcdir());
	nbaseline = add_dir(dir, true);
	for (i = 0; i < isakmp_nsamples; i++) {
		static uint8_t buf[8192];
		ssize_t n = isakmp_samples[i].build(buf, sizeof(buf));

		if (n > 0)
			add_input(isakmp_samples[i].name, buf, (size_t)n, true);
	}
	/* The fuzz corpus is replayed by tests/fuzz/fuzz_isakmp_replay.sh. */
}

/* Skip the RFC 3948 non-ESP marker of a capture taken on port 4500. */
static void unframe(const struct input *in, const uint8_t **msg, size_t *len)
{
	*msg = in->buf;
	*len = in->len;
	if (natt_frame_classify(in->buf, in->len) == NATT_FRAME_IKE)
		natt_marker_strip(in->buf, in->len, msg, len);
}

/* Touch everything a successful decode returned: all views must be inside
 * the buffer and every iterator must end. */
static void walk(const struct isakmp_msg *m, const uint8_t *buf, size_t len)
{
	unsigned i;

	ck_assert_uint_le(m->npayloads, ISAKMP_MAX_PAYLOADS);
	for (i = 0; i < m->npayloads; i++) {
		const struct isakmp_payload *pl = &m->payloads[i];
		struct isakmp_prop_iter pi;
		struct isakmp_proposal p;
		unsigned guard = 0;

		ck_assert(pl->raw >= buf && pl->raw + pl->raw_len <= buf + len);
		ck_assert(pl->body + pl->body_len == pl->raw + pl->raw_len);
		if (pl->type != ISAKMP_NP_SA)
			continue;
		isakmp_prop_iter_init(&pi, &pl->u.sa);
		while (isakmp_prop_next(&pi, &p)) {
			struct isakmp_xform_iter xi;
			struct isakmp_transform t;

			ck_assert(p.raw >= pl->body && p.raw + p.raw_len <= pl->raw + pl->raw_len);
			isakmp_xform_iter_init(&xi, &p);
			while (isakmp_xform_next(&xi, &t)) {
				struct isakmp_attr_iter ai;
				struct isakmp_attr a;
				uint64_t v;

				isakmp_attr_iter_init(&ai, t.attrs, t.attrs_len);
				while (isakmp_attr_next(&ai, &a)) {
					ck_assert(a.data + a.len <= pl->raw + pl->raw_len);
					(void)isakmp_attr_uint(&a, &v);
					ck_assert_uint_lt(++guard, 100000);
				}
			}
		}
	}
}

/* Decode one candidate; when it is a valid encrypted message, decode its
 * "plaintext" too, since garbage must be refused there as well. */
static int try_decode(const uint8_t *buf, size_t len)
{
	static struct isakmp_msg msg;
	struct isakmp_err err = { 0 };
	int rc = isakmp_msg_decode(buf, len, &msg, &err);

	if (rc < 0) {
		ck_assert_int_eq(rc, -EBADMSG);
		ck_assert_ptr_nonnull(err.reason);
		ck_assert_uint_le(err.offset, len);
		return rc;
	}
	walk(&msg, buf, len);
	/* Whatever is accepted re-encodes to the same bytes. */
	if (!msg.encrypted && isakmp_test_reencode_exact(&msg)) {
		static uint8_t again[MAXMSG];

		ck_assert_int_eq(isakmp_test_reencode(&msg, again, sizeof(again)), (ssize_t)len);
		ck_assert_mem_eq(again, buf, len);
	}
	if (msg.encrypted) {
		rc = isakmp_body_decode(msg.hdr.np, msg.body, msg.body_len, &msg, &err);
		if (rc == 0)
			walk(&msg, msg.body, msg.body_len);
		else
			ck_assert_ptr_nonnull(err.reason);
	}
	return 0;
}

START_TEST(test_decodes)
{
	const struct input *in = &inputs[_i];
	static struct isakmp_msg msg;
	struct isakmp_err err = { 0 };
	const uint8_t *m;
	size_t len;
	int rc;

	if (!in->must_decode)
		return;
	unframe(in, &m, &len);
	rc = isakmp_msg_decode(m, len, &msg, &err);
	ck_assert_msg(rc == 0, "%s: %s (%s) at offset %zu", in->name, err.reason,
		      err.notify ? "notify" : "-", err.offset);
	walk(&msg, m, len);
}
END_TEST

START_TEST(test_truncations)
{
	const struct input *in = &inputs[_i];
	const uint8_t *m;
	size_t len, cut;

	unframe(in, &m, &len);
	for (cut = 0; cut < len; cut++) {
		/* A private copy of exactly @cut bytes, so ASan sees any overread. */
		uint8_t *b = malloc(cut ? cut : 1);

		ck_assert_ptr_nonnull(b);
		memcpy(b, m, cut);
		/* The header Length can never match a shorter datagram. */
		if (in->must_decode)
			ck_assert_int_eq(try_decode(b, cut), -EBADMSG);
		else
			try_decode(b, cut);
		free(b);
	}
}
END_TEST

START_TEST(test_byte_mutations)
{
	const struct input *in = &inputs[_i];
	const uint8_t *m;
	size_t len, pos, v;
	unsigned accepted = 0, rejected = 0;
	uint8_t *b;

	unframe(in, &m, &len);
	b = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(b);
	for (pos = 0; pos < len; pos++)
		for (v = 0; v < 10; v++) {
			/* The eight single-bit flips, then all-zero and all-one. */
			memcpy(b, m, len);
			b[pos] = v < 8 ? (uint8_t)(m[pos] ^ (1u << v)) : v == 8 ? 0x00 : 0xff;
			if (try_decode(b, len) == 0)
				accepted++;
			else
				rejected++;
		}
	free(b);
	/* Mutating a valid message must be caught somewhere (header fields). */
	if (in->must_decode && len)
		ck_assert_uint_gt(rejected, 0);
	(void)accepted;
}
END_TEST

START_TEST(test_baseline_present)
{
	/* Until the bed's captures are merged, the folder may not exist; once
	 * it does, it must not be empty. */
	char dir[4096];
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/tests/corpus/isakmp/baseline", srcdir());
	d = opendir(dir);
	if (d) {
		closedir(d);
		ck_assert_msg(nbaseline > 0, "%s is empty", dir);
	}
	printf("corpus: %d baseline captures, %d inputs in all\n", nbaseline, ninputs);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("isakmp_corpus");
	TCase *tc = tcase_create("corpus");
	SRunner *sr;
	int failed, i;

	load_inputs();
	tcase_add_test(tc, test_baseline_present);
	tcase_add_loop_test(tc, test_decodes, 0, ninputs);
	tcase_add_loop_test(tc, test_truncations, 0, ninputs);
	tcase_add_loop_test(tc, test_byte_mutations, 0, ninputs);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	for (i = 0; i < ninputs; i++)
		free(inputs[i].buf);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
