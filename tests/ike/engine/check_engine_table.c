// SPDX-License-Identifier: GPL-2.0-or-later
/* The IKEv1 state table is complete and consistent (ike/ikev1_states.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ike/ikev1_states.h"
#include "ike/wire/isakmp.h"

START_TEST(test_table_check)
{
	char why[256] = "";

	ck_assert_msg(ikev1_table_check(why, sizeof(why)) == 0, "%s", why);
}
END_TEST

/* Every state has a name and a story, and rows for it can be looked up. */
START_TEST(test_state_names)
{
	for (int s = 0; s < V1_STATE_COUNT; s++) {
		const struct ikev1_state_info *si = ikev1_state_info((enum ikev1_state)s);

		ck_assert_int_eq(si->state, s);
		ck_assert_ptr_nonnull(si->name);
		ck_assert_ptr_nonnull(si->story);
		ck_assert_int_ne(strlen(si->name), 0);
		for (int t = s + 1; t < V1_STATE_COUNT; t++)
			ck_assert_str_ne(si->name, ikev1_state_name((enum ikev1_state)t));
	}
	ck_assert_str_eq(ikev1_state_name(V1_MAIN_I1), "MAIN_I1");
	ck_assert_str_eq(ikev1_state_name(V1_QUICK_R0W), "QUICK_R0W");
}
END_TEST

/* The message flow of RFC 2409 as rows: (state, input) -> next state. */
struct flow_vector {
	enum ikev1_state from;
	enum ikev1_input in;
	enum ikev1_state to;
	uint32_t must_require;
};

static const struct flow_vector flows[] = {
	{ V1_NONE, V1_IN_START_MM, V1_MAIN_I1, 0 },
	{ V1_MAIN_I1, V1_IN_MM, V1_MAIN_I2, V1_P(ISAKMP_NP_SA) },
	{ V1_MAIN_I2, V1_IN_MM, V1_MAIN_I3, V1_P(ISAKMP_NP_KE) | V1_P(ISAKMP_NP_NONCE) },
	{ V1_MAIN_I3, V1_IN_MM, V1_MAIN_I4, V1_P(ISAKMP_NP_ID) },
	{ V1_MAIN_R0, V1_IN_MM, V1_MAIN_R1, V1_P(ISAKMP_NP_SA) },
	{ V1_MAIN_R1, V1_IN_MM, V1_MAIN_R2, V1_P(ISAKMP_NP_KE) | V1_P(ISAKMP_NP_NONCE) },
	{ V1_MAIN_R2, V1_IN_MM, V1_MAIN_R3, V1_P(ISAKMP_NP_ID) },
	{ V1_NONE, V1_IN_START_AM, V1_AGGR_I1, 0 },
	{ V1_AGGR_I1, V1_IN_AM, V1_AGGR_I2,
	  V1_P(ISAKMP_NP_SA) | V1_P(ISAKMP_NP_KE) | V1_P(ISAKMP_NP_NONCE) | V1_P(ISAKMP_NP_ID) },
	{ V1_AGGR_R0, V1_IN_AM, V1_AGGR_R1,
	  V1_P(ISAKMP_NP_SA) | V1_P(ISAKMP_NP_KE) | V1_P(ISAKMP_NP_NONCE) | V1_P(ISAKMP_NP_ID) },
	{ V1_AGGR_R1, V1_IN_AM, V1_AGGR_R2, 0 },
	{ V1_NONE, V1_IN_START_QM, V1_QUICK_I0, 0 },
	{ V1_QUICK_I0, V1_IN_SPI, V1_QUICK_I1, 0 },
	{ V1_QUICK_I1, V1_IN_QM, V1_QUICK_I2,
	  V1_P(ISAKMP_NP_HASH) | V1_P(ISAKMP_NP_SA) | V1_P(ISAKMP_NP_NONCE) },
	{ V1_QUICK_R0, V1_IN_QM, V1_QUICK_R0W,
	  V1_P(ISAKMP_NP_HASH) | V1_P(ISAKMP_NP_SA) | V1_P(ISAKMP_NP_NONCE) },
	{ V1_QUICK_R0W, V1_IN_SPI, V1_QUICK_R1, 0 },
	{ V1_QUICK_R1, V1_IN_QM, V1_QUICK_R2, V1_P(ISAKMP_NP_HASH) },
	{ V1_INFO_PROTECTED, V1_IN_INFO, V1_INFO_PROTECTED, V1_P(ISAKMP_NP_HASH) },
};

START_TEST(test_flow)
{
	const struct flow_vector *v = &flows[_i];
	const struct ikev1_row *r = ikev1_row_find(v->from, v->in);

	ck_assert_msg(r != NULL, "no row %s/%s", ikev1_state_name(v->from),
		      ikev1_input_name(v->in));
	ck_assert_msg(r->next == v->to, "%s/%s goes to %s", ikev1_state_name(v->from),
		      ikev1_input_name(v->in), ikev1_state_name(r->next));
	ck_assert_msg((r->req & v->must_require) == v->must_require, "%s: payloads not required",
		      r->handler_name);
}
END_TEST

/* Messages that must not be accepted in a state have no row. */
struct absent_vector {
	enum ikev1_state st;
	enum ikev1_input in;
};

static const struct absent_vector absent[] = {
	{ V1_MAIN_I4, V1_IN_MM },  { V1_MAIN_R3, V1_IN_MM },   { V1_MAIN_I1, V1_IN_QM },
	{ V1_MAIN_R0, V1_IN_AM },  { V1_QUICK_I2, V1_IN_QM },  { V1_QUICK_R2, V1_IN_QM },
	{ V1_QUICK_I0, V1_IN_QM }, { V1_QUICK_R0W, V1_IN_QM }, { V1_AGGR_I2, V1_IN_AM },
	{ V1_INFO, V1_IN_MM },
};

START_TEST(test_absent)
{
	ck_assert_ptr_null(ikev1_row_find(absent[_i].st, absent[_i].in));
}
END_TEST

/* Phase 2 rows demand encryption, Phase 1 rows before keys demand clear text. */
START_TEST(test_encryption_flags)
{
	size_t n;
	const struct ikev1_row *rows = ikev1_rows(&n);

	for (size_t i = 0; i < n; i++) {
		if (rows[i].input == V1_IN_QM)
			ck_assert_msg(rows[i].flags & V1_F_ENCRYPTED, "%s", rows[i].handler_name);
		if (rows[i].state == V1_MAIN_R0 || rows[i].state == V1_MAIN_I1 ||
		    rows[i].state == V1_AGGR_R0)
			ck_assert_msg(rows[i].flags & V1_F_CLEAR, "%s", rows[i].handler_name);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_table");
	TCase *tc = tcase_create("table");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_table_check);
	tcase_add_test(tc, test_state_names);
	tcase_add_loop_test(tc, test_flow, 0, sizeof(flows) / sizeof(flows[0]));
	tcase_add_loop_test(tc, test_absent, 0, sizeof(absent) / sizeof(absent[0]));
	tcase_add_test(tc, test_encryption_flags);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
