/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IKEv1 state table: one const row per (state, input) with the payloads
 * the message must / may carry, the handler, and the next state. The
 * dispatcher (ikev1_dispatch.c) is the only code that reads the table and
 * the only code that changes an exchange's state.
 *
 * Model: Libreswan programs/pluto/ikev1_states.c (state list) and
 * ikev1.c (microcode table), reduced to what natkeyd does.
 */
#ifndef NATKEYD_IKE_IKEV1_STATES_H
#define NATKEYD_IKE_IKEV1_STATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ikev1_ctx;

enum ikev1_state {
	V1_NONE = 0, /* not a state: "no exchange yet" (initiator start rows) */
	/* Main Mode (RFC 2409 5.1, 5.4) */
	V1_MAIN_I1, /* sent MM1, expect MM2 */
	V1_MAIN_I2, /* sent MM3, expect MM4 */
	V1_MAIN_I3, /* sent MM5, expect MM6 */
	V1_MAIN_I4, /* IKE SA established (initiator) */
	V1_MAIN_R0, /* expect MM1 (a new responder SA) */
	V1_MAIN_R1, /* sent MM2, expect MM3 */
	V1_MAIN_R2, /* sent MM4, expect MM5 */
	V1_MAIN_R3, /* IKE SA established (responder) */
	/* Aggressive Mode (RFC 2409 5.1, 5.4) */
	V1_AGGR_I1, /* sent AM1, expect AM2 */
	V1_AGGR_I2, /* sent AM3: IKE SA established (initiator) */
	V1_AGGR_R0, /* expect AM1 */
	V1_AGGR_R1, /* sent AM2, expect AM3 */
	V1_AGGR_R2, /* IKE SA established (responder) */
	/* Quick Mode (RFC 2409 5.5) */
	V1_QUICK_I0,  /* waiting for the kernel's SPI before sending QM1 */
	V1_QUICK_I1,  /* sent QM1, expect QM2 */
	V1_QUICK_I2,  /* sent QM3: IPsec SA established (initiator) */
	V1_QUICK_R0,  /* expect QM1 */
	V1_QUICK_R0W, /* QM1 accepted, waiting for the kernel's SPI before QM2 */
	V1_QUICK_R1,  /* sent QM2, expect QM3 */
	V1_QUICK_R2,  /* IPsec SA established (responder) */
	/* XAUTH (draft-beaulieu-ike-xauth-02) over Transaction exchanges,
	 * after Phase 1, before Quick Mode (ikev1_xauth.c) */
	V1_XAUTH_S1,   /* gateway: sent REQUEST, expect REPLY */
	V1_XAUTH_S2,   /* gateway: REPLY taken, waiting for the caller's verdict */
	V1_XAUTH_S3,   /* gateway: sent SET (OK), expect ACK */
	V1_XAUTH_S4,   /* gateway: sent SET (FAIL), expect ACK, then delete */
	V1_XAUTH_C1,   /* client: expect REQUEST */
	V1_XAUTH_C2,   /* client: sent REPLY, expect SET (or a new REQUEST) */
	V1_XAUTH_DONE, /* the user is authenticated */
	/* Mode Config (draft-dukes-ike-mode-cfg-02, ikev1_modecfg.c) */
	V1_MCFG_S1,   /* gateway, push: sent SET, expect ACK */
	V1_MCFG_S2,   /* gateway, pull: expect REQUEST */
	V1_MCFG_C1,   /* client, pull: sent REQUEST, expect REPLY */
	V1_MCFG_C2,   /* client, push: expect SET */
	V1_MCFG_DONE, /* the address is assigned */
	/* Informational (RFC 2409 5.7): pseudo-states, no transition */
	V1_INFO,	   /* unprotected informational (before keys) */
	V1_INFO_PROTECTED, /* HDR*, HASH(1), N/D */
	V1_STATE_COUNT,
};

/* What drives a row: a message of an exchange type, or an internal event. */
enum ikev1_input {
	V1_IN_MM = 1,	/* Main Mode message */
	V1_IN_AM,	/* Aggressive Mode message */
	V1_IN_QM,	/* Quick Mode message */
	V1_IN_INFO,	/* Informational message */
	V1_IN_START_MM, /* admin/kernel: start Main Mode as initiator */
	V1_IN_START_AM, /* start Aggressive Mode as initiator */
	V1_IN_START_QM, /* start Quick Mode on an established IKE SA */
	V1_IN_SPI,	/* the kernel allocated our inbound SPI */
	/* Transaction exchange: the attribute payload's type is the input */
	V1_IN_CFG_REQUEST,
	V1_IN_CFG_REPLY,
	V1_IN_CFG_SET,
	V1_IN_CFG_ACK,
	/* Transaction exchange: internal events (ikev1_cfg.c) */
	V1_IN_START_XAUTH_S,	/* Phase 1 done, we are the XAUTH server: ask */
	V1_IN_START_XAUTH_C,	/* ... the XAUTH client: wait to be asked */
	V1_IN_START_MCFG_SPUSH, /* Mode Config server, push: send SET */
	V1_IN_START_MCFG_SPULL, /* ... pull: wait for REQUEST */
	V1_IN_START_MCFG_CPULL, /* Mode Config client, pull: send REQUEST */
	V1_IN_START_MCFG_CPUSH, /* ... push: wait for SET */
	V1_IN_XAUTH_OK,		/* the caller's verdict: right password */
	V1_IN_XAUTH_RETRY,	/* wrong password, tries left: ask again */
	V1_IN_XAUTH_FAIL,	/* wrong password, no tries left (or a refusal) */
	V1_IN_COUNT,
};

/* What the state's timer means. */
enum ikev1_timeout {
	V1_TO_NONE,	  /* no timer (pseudo-states) */
	V1_TO_RETRANSMIT, /* resend our last message with backoff; give up after N */
	V1_TO_KERNEL,	  /* waiting for the kernel; give up after the half-open timeout */
	V1_TO_RESPONDER,  /* half-open responder: delete after the half-open timeout */
	V1_TO_LIFETIME,	  /* established: rekey/expire, DPD, keepalives */
};

/* Payload bits for the required/optional masks: bit = payload type for the
 * RFC 2408 types, NAT-D and NAT-OA of every NAT-T variant fold into 20/21. */
#define V1_P(t)	   (1u << (t))
#define V1_P_OTHER (1u << 31) /* private-use payloads the codec keeps opaque */

/* Row flags. */
#define V1_F_ENCRYPTED 0x1u /* the message must arrive encrypted (HDR*) */
#define V1_F_CLEAR     0x2u /* the message must arrive in the clear */

/* The message hash a row's message opens with (RFC 2409 5.5, 5.7;
 * draft-dukes-ike-mode-cfg-02 s3.1). The dispatcher finds it first and
 * verifies it before the handler runs; nothing else in the message counts
 * until it does. */
enum ikev1_hash {
	V1_HASH_NONE, /* no message hash (Phase 1 authenticates by method, below) */
	V1_HASH_1,    /* HASH(1) = prf(SKEYID_a, M-ID | rest): QM1, Informational, Transaction */
	V1_HASH_2,    /* HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest): QM2 */
	V1_HASH_3,    /* HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b), alone: QM3 */
};

/* Handler outcome. The dispatcher acts on it; handlers never set a state. */
enum ikev1_ret {
	V1_OK,	   /* go to the row's next state */
	V1_IGNORE, /* drop the message, state unchanged (logged at debug) */
	V1_FAIL,   /* delete the exchange; ctx->reason/why say why */
};

typedef enum ikev1_ret (*ikev1_handler)(struct ikev1_ctx *ctx);

struct ikev1_row {
	enum ikev1_state state;
	enum ikev1_input input;
	uint32_t req; /* payloads that must be present */
	uint32_t opt; /* payloads that may be present; anything else is refused */
	/* Required as well, by the IKE SA's authentication method (Libreswan's
	 * SMF_PSK_AUTH / SMF_DS_AUTH rows): HASH_I/HASH_R with a pre-shared
	 * key, SIG_I/SIG_R with signatures (RFC 2409 5.1, 5.4). Each is a
	 * subset of @opt. */
	uint32_t req_psk;
	uint32_t req_sig;
	enum ikev1_hash hash; /* the message hash that comes first, verified */
	unsigned flags;
	ikev1_handler handler;
	const char *handler_name;
	enum ikev1_state next;
};

struct ikev1_state_info {
	enum ikev1_state state;
	const char *name;
	const char *story;
	enum ikev1_timeout timeout;
	bool established; /* an established IKE SA or IPsec SA */
	bool phase1;	  /* lives on an IKE SA (else a Quick Mode exchange) */
};

/**
 * ikev1_row_find() - the row for @state and @input.
 *
 * Return: the row, or NULL if @input is not valid in @state.
 */
const struct ikev1_row *ikev1_row_find(enum ikev1_state state, enum ikev1_input input);

/**
 * ikev1_state_info() - static facts about @state.
 *
 * Return: the entry, never NULL (V1_NONE for out-of-range values).
 */
const struct ikev1_state_info *ikev1_state_info(enum ikev1_state state);

/**
 * ikev1_state_name() - "MAIN_I1" etc.
 */
const char *ikev1_state_name(enum ikev1_state state);

/**
 * ikev1_input_name() - "MM", "QM", "SPI" etc.
 */
const char *ikev1_input_name(enum ikev1_input input);

/**
 * ikev1_rows() - the whole table, for the completeness test.
 * @n: receives the number of rows.
 */
const struct ikev1_row *ikev1_rows(size_t *n);

/**
 * ikev1_table_check() - verify the table: no duplicate (state, input) rows,
 * every row has a handler, every state is reachable from an entry state
 * (V1_NONE start rows or responder entry states), every state has a
 * timeout kind consistent with what it waits for, and every waiting state
 * has a row that leaves it.
 * @why: receives a description of the first problem found.
 * @cap: size of @why.
 *
 * Return: 0, or -EINVAL with @why filled.
 */
int ikev1_table_check(char *why, size_t cap);

#endif
