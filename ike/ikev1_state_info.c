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
	S(V1_XAUTH_S1, "sent XAUTH REQUEST, expecting REPLY", V1_TO_RETRANSMIT, false, true),
	S(V1_XAUTH_S2, "waiting for the password check", V1_TO_KERNEL, false, true),
	S(V1_XAUTH_S3, "sent XAUTH SET (OK), expecting ACK", V1_TO_RETRANSMIT, false, true),
	S(V1_XAUTH_S4, "sent XAUTH SET (FAIL), expecting ACK", V1_TO_RETRANSMIT, false, true),
	S(V1_XAUTH_C1, "expecting XAUTH REQUEST", V1_TO_RESPONDER, false, true),
	S(V1_XAUTH_C2, "sent XAUTH REPLY, expecting SET", V1_TO_RESPONDER, false, true),
	S(V1_XAUTH_DONE, "XAUTH done", V1_TO_LIFETIME, true, true),
	S(V1_MCFG_S1, "sent Mode Config SET, expecting ACK", V1_TO_RETRANSMIT, false, true),
	S(V1_MCFG_S2, "expecting Mode Config REQUEST", V1_TO_RESPONDER, false, true),
	S(V1_MCFG_C1, "sent Mode Config REQUEST, expecting REPLY", V1_TO_RETRANSMIT, false, true),
	S(V1_MCFG_C2, "expecting Mode Config SET", V1_TO_RESPONDER, false, true),
	S(V1_MCFG_DONE, "Mode Config done", V1_TO_LIFETIME, true, true),
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
	[V1_IN_CFG_REQUEST] = "CFG_REQUEST",
	[V1_IN_CFG_REPLY] = "CFG_REPLY",
	[V1_IN_CFG_SET] = "CFG_SET",
	[V1_IN_CFG_ACK] = "CFG_ACK",
	[V1_IN_START_XAUTH_S] = "START_XAUTH_S",
	[V1_IN_START_XAUTH_C] = "START_XAUTH_C",
	[V1_IN_START_MCFG_SPUSH] = "START_MCFG_SPUSH",
	[V1_IN_START_MCFG_SPULL] = "START_MCFG_SPULL",
	[V1_IN_START_MCFG_CPULL] = "START_MCFG_CPULL",
	[V1_IN_START_MCFG_CPUSH] = "START_MCFG_CPUSH",
	[V1_IN_XAUTH_OK] = "XAUTH_OK",
	[V1_IN_XAUTH_RETRY] = "XAUTH_RETRY",
	[V1_IN_XAUTH_FAIL] = "XAUTH_FAIL",
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
