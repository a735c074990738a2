// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What each IKEv1 state is (ikev1_states.h): its name, its story, what its
 * timer means, whether it is established, whether it lives on an IKE SA;
 * and the names of the inputs. Read by every layer of the engine, so it sits
 * with the helpers, apart from the row table with its handler pointers
 * (ikev1_states.c), which belongs to the dispatcher (docs/architecture.md).
 */
#include "ike/ikev1_states.h"

static const struct ikev1_state_info states[V1_STATE_COUNT] = {
#define S(st, story, to, est, p1) [st] = { st, &(#st)[3], story, to, est, p1 }
	S(V1_NONE, "no exchange", V1_TO_NONE, false, true),
	S(V1_MAIN_I1, "sent MM1, expecting MM2", V1_TO_RETRANSMIT, false, true),
	S(V1_MAIN_I2, "sent MM3, expecting MM4", V1_TO_RETRANSMIT, false, true),
	S(V1_MAIN_I3, "sent MM5, expecting MM6", V1_TO_RETRANSMIT, false, true),
	S(V1_MAIN_I4, "IKE SA established", V1_TO_LIFETIME, true, true),
	S(V1_MAIN_R0, "expecting MM1", V1_TO_RESPONDER, false, true),
	S(V1_MAIN_R1, "sent MM2, expecting MM3", V1_TO_RETRANSMIT, false, true),
	S(V1_MAIN_R2, "sent MM4, expecting MM5", V1_TO_RETRANSMIT, false, true),
	S(V1_MAIN_R3, "IKE SA established", V1_TO_LIFETIME, true, true),
	S(V1_AGGR_I1, "sent AM1, expecting AM2", V1_TO_RETRANSMIT, false, true),
	S(V1_AGGR_I2, "IKE SA established", V1_TO_LIFETIME, true, true),
	S(V1_AGGR_R0, "expecting AM1", V1_TO_RESPONDER, false, true),
	S(V1_AGGR_R1, "sent AM2, expecting AM3", V1_TO_RETRANSMIT, false, true),
	S(V1_AGGR_R2, "IKE SA established", V1_TO_LIFETIME, true, true),
	S(V1_QUICK_I0, "waiting for the kernel's SPI", V1_TO_KERNEL, false, false),
	S(V1_QUICK_I1, "sent QM1, expecting QM2", V1_TO_RETRANSMIT, false, false),
	S(V1_QUICK_I2, "IPsec SA established", V1_TO_LIFETIME, true, false),
	S(V1_QUICK_R0, "expecting QM1", V1_TO_RESPONDER, false, false),
	S(V1_QUICK_R0W, "QM1 accepted, waiting for the kernel's SPI", V1_TO_KERNEL, false, false),
	S(V1_QUICK_R1, "sent QM2, expecting QM3", V1_TO_RETRANSMIT, false, false),
	S(V1_QUICK_R2, "IPsec SA established", V1_TO_LIFETIME, true, false),
	S(V1_INFO, "informational (clear)", V1_TO_NONE, false, true),
	S(V1_INFO_PROTECTED, "informational (protected)", V1_TO_NONE, false, true),
#undef S
};

static const char *const input_names[V1_IN_COUNT] = {
	[V1_IN_MM] = "MM",
	[V1_IN_AM] = "AM",
	[V1_IN_QM] = "QM",
	[V1_IN_INFO] = "INFO",
	[V1_IN_START_MM] = "START_MM",
	[V1_IN_START_AM] = "START_AM",
	[V1_IN_START_QM] = "START_QM",
	[V1_IN_SPI] = "SPI",
};

const struct ikev1_state_info *ikev1_state_info(enum ikev1_state state)
{
	if ((unsigned)state >= V1_STATE_COUNT)
		return &states[V1_NONE];
	return &states[state];
}

const char *ikev1_state_name(enum ikev1_state state)
{
	return ikev1_state_info(state)->name;
}

const char *ikev1_input_name(enum ikev1_input input)
{
	if ((unsigned)input >= V1_IN_COUNT || !input_names[input])
		return "?";
	return input_names[input];
}
