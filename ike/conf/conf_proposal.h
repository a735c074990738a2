/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ike= and esp= proposal strings ("aes256-sha256-modp2048,aes128gcm16-ecp256!")
 * parsed into structured IKEv1 proposals over natkeyd's algorithm set.
 *
 * A proposal is a '-' separated list of algorithm names; each name is an
 * encryption, integrity/PRF or DH group name. Several names of one kind in
 * one proposal ("aes128-aes256-sha256-modp2048") expand to every combination,
 * because an IKEv1 transform carries exactly one of each (RFC 2409 s5).
 * Proposals are separated by ','. A trailing '!' makes the list strict: the
 * daemon accepts nothing else (without it, natkeyd's defaults are accepted
 * too, as strongSwan does).
 */
#ifndef NATKEYD_IKE_CONF_PROPOSAL_H
#define NATKEYD_IKE_CONF_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>

#define CONF_PROPOSALS_MAX 16

enum conf_encr {
	CONF_ENCR_NONE = 0,
	CONF_ENCR_AES128_CBC,
	CONF_ENCR_AES192_CBC,
	CONF_ENCR_AES256_CBC,
	CONF_ENCR_3DES_CBC,	/* legacy: needs allow-legacy-algorithms=yes */
	CONF_ENCR_AES128_GCM16, /* ESP only (RFC 4106, 16-octet ICV) */
	CONF_ENCR_AES192_GCM16,
	CONF_ENCR_AES256_GCM16,
};

/* Integrity for ESP (HMAC-*-96/128/192/256), hash/PRF for phase 1. */
enum conf_integ {
	CONF_INTEG_NONE = 0,
	CONF_INTEG_MD5, /* legacy */
	CONF_INTEG_SHA1,
	CONF_INTEG_SHA256,
	CONF_INTEG_SHA384,
	CONF_INTEG_SHA512,
};

/* Diffie-Hellman groups, by their IANA numbers (RFC 2409, 3526, 5903). */
enum conf_group {
	CONF_GROUP_NONE = 0,
	CONF_GROUP_MODP1024 = 2, /* legacy */
	CONF_GROUP_MODP1536 = 5, /* legacy */
	CONF_GROUP_MODP2048 = 14,
	CONF_GROUP_MODP3072 = 15,
	CONF_GROUP_MODP4096 = 16,
	CONF_GROUP_ECP256 = 19,
	CONF_GROUP_ECP384 = 20,
	CONF_GROUP_ECP521 = 21,
};

/* Which proposal string is parsed: the rules differ. */
enum conf_proposal_kind {
	CONF_PROPOSAL_IKE, /* encr + hash + group all required; no AEAD */
	CONF_PROPOSAL_ESP, /* encr required; integ iff not AEAD; group optional (PFS) */
};

struct conf_proposal {
	enum conf_encr encr;
	enum conf_integ integ;
	enum conf_group group;
};

struct conf_proposals {
	struct conf_proposal v[CONF_PROPOSALS_MAX];
	size_t n;
	bool strict; /* trailing '!' */
};

/**
 * conf_proposals_parse() - parse an ike= or esp= value.
 * @s: the value.
 * @kind: ike= or esp= rules.
 * @allow_legacy: whether 3des, md5, modp1024 and modp1536 may be used.
 * @out: the proposals, in order.
 * @why: on failure, a reason naming the offending algorithm or proposal.
 * @why_len: size of @why.
 *
 * A proposal that needs a legacy algorithm while @allow_legacy is false is
 * left out when the list has others: the call then returns 1 with @why
 * saying what was left out (the caller warns). A list of legacy proposals
 * only is an error.
 *
 * Return: 0, 1 (see above), or -EINVAL with @why set.
 */
int conf_proposals_parse(const char *s, enum conf_proposal_kind kind, bool allow_legacy,
			 struct conf_proposals *out, char *why, size_t why_len);

/**
 * conf_proposals_format() - print proposals in canonical form
 * ("aes256-sha256-modp2048,aes128gcm16!"), which parses back the same.
 *
 * Return: @buf ("" when it does not fit).
 */
const char *conf_proposals_format(const struct conf_proposals *p, char *buf, size_t len);

/**
 * conf_encr_name() / conf_integ_name() / conf_group_name() - canonical
 * config names ("aes256", "sha256", "modp2048"); "none" for NONE.
 */
const char *conf_encr_name(enum conf_encr e);
const char *conf_integ_name(enum conf_integ i);
const char *conf_group_name(enum conf_group g);

/**
 * conf_encr_is_aead() - whether @e is an AEAD cipher (AES-GCM).
 */
bool conf_encr_is_aead(enum conf_encr e);

/**
 * conf_encr_key_bits() - key length in bits (3DES: 192).
 */
unsigned conf_encr_key_bits(enum conf_encr e);

#endif
