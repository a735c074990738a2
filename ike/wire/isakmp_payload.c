// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One top-level payload: which types may appear, and the checks of the
 * payloads whose body is a single value or a small fixed layout (KE, HASH,
 * SIG, NONCE, VID, NAT-D, CERT, CR, Attribute, Fragment). SA, ID/NAT-OA,
 * Notification and Delete have their own files.
 */
#include <string.h>

#include "ike/wire/isakmp_decode.h"
#include "ike/wire/isakmp_wire.h"

/*
 * Payload types that may appear in a chain: 1 and 4-14 (RFC 2408 s3.1,
 * mode-cfg-05), the NAT-T numbers of the RFC and both draft families, the
 * fragment payload and the rest of the private-use range (kept opaque).
 * Proposal and Transform only live inside SA/Proposal; 17-19 and 22-127 are
 * reserved (INVALID-PAYLOAD-TYPE, RFC 2408 s5.2 step 2).
 */
static bool payload_type_known(uint8_t type)
{
	switch (type) {
	case ISAKMP_NP_SA:
	case ISAKMP_NP_KE:
	case ISAKMP_NP_ID:
	case ISAKMP_NP_CERT:
	case ISAKMP_NP_CR:
	case ISAKMP_NP_HASH:
	case ISAKMP_NP_SIG:
	case ISAKMP_NP_NONCE:
	case ISAKMP_NP_N:
	case ISAKMP_NP_D:
	case ISAKMP_NP_VID:
	case ISAKMP_NP_ATTR:
	case ISAKMP_NP_NATD_DRAFT:
	case ISAKMP_NP_NATOA_DRAFT:
	case ISAKMP_NP_NATD:
	case ISAKMP_NP_NATOA:
	case ISAKMP_NP_NATD_OLD:
	case ISAKMP_NP_NATOA_OLD:
	case ISAKMP_NP_FRAG:
		return true;
	default:
		return false;
	}
}

bool isakmp_payload_type_valid(uint8_t type)
{
	return payload_type_known(type) || type >= ISAKMP_NP_PRIVATE_MIN;
}

static int nonempty(size_t len, uint16_t notify, uint8_t type, const char *reason,
		    struct isakmp_err *err)
{
	return len ? 0 : isakmp_fail(err, notify, type, 0, reason);
}

static int cert_decode(uint8_t type, const uint8_t *body, size_t len, struct isakmp_cert *c,
		       struct isakmp_err *err)
{
	memset(c, 0, sizeof(*c));
	if (len < 1)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, type, 0,
				   "certificate payload without its encoding octet");
	c->encoding = body[0];
	c->data = body + 1;
	c->len = len - 1;
	/* A CERT must carry something; a CR may name no authority (RFC 2408 s3.10). */
	if (type == ISAKMP_NP_CERT && c->len == 0)
		return isakmp_fail(err, ISAKMP_N_INVALID_CERTIFICATE, type, 1,
				   "empty certificate data");
	return 0;
}

static int cfg_decode(const uint8_t *body, size_t len, struct isakmp_cfg *c, struct isakmp_err *err)
{
	const size_t fixed = ISAKMP_CFG_MIN_LEN - ISAKMP_GEN_LEN;
	int rc;

	memset(c, 0, sizeof(*c));
	if (len < fixed)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_ATTR, 0,
				   "Attribute payload too short for type and identifier");
	c->type = body[0];
	c->identifier = isakmp_get16(body + 2);
	c->attrs = body + fixed;
	c->attrs_len = len - fixed;
	if (body[1] != 0)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_ATTR, 1,
				   "Attribute payload RESERVED is not zero");
	/* mode-cfg-05 s3.2: an attribute reaching past the payload voids it all. */
	rc = isakmp_cfg_attrs_check(c->attrs, c->attrs_len, &c->pad_len, err);
	if (rc < 0 && err)
		err->payload = ISAKMP_NP_ATTR;
	else
		c->attrs_len -= c->pad_len;
	return isakmp_fail_shift(err, fixed, rc);
}

static int frag_decode(const uint8_t *body, size_t len, struct isakmp_frag *f,
		       struct isakmp_err *err)
{
	const size_t fixed = ISAKMP_FRAG_MIN_LEN - ISAKMP_GEN_LEN;

	memset(f, 0, sizeof(*f));
	if (len < fixed)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_FRAG, 0,
				   "Fragment payload too short for id, number and flags");
	f->id = isakmp_get16(body);
	f->number = body[2];
	f->flags = body[3];
	f->data = body + fixed;
	f->len = len - fixed;
	if (f->number == 0)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_FRAG, 2,
				   "fragment numbers start at 1");
	if (f->len == 0)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_FRAG, fixed,
				   "empty fragment");
	return 0;
}

int isakmp_payload_decode(uint8_t type, struct isakmp_payload *pl, struct isakmp_err *err)
{
	const uint8_t *b = pl->body;
	size_t n = pl->body_len;
	int rc;

	pl->type = type;
	pl->known = payload_type_known(type);
	memset(&pl->u, 0, sizeof(pl->u));
	switch (type) {
	case ISAKMP_NP_SA:
		rc = isakmp_sa_body_decode(b, n, &pl->u.sa, err);
		break;
	case ISAKMP_NP_KE:
		/* The group fixes the exact length; the engine checks it. */
		rc = nonempty(n, ISAKMP_N_INVALID_KEY_INFORMATION, type, "empty KE payload", err);
		break;
	case ISAKMP_NP_ID:
		rc = isakmp_id_decode(b, n, &pl->u.id, err);
		break;
	case ISAKMP_NP_CERT:
	case ISAKMP_NP_CR:
		rc = cert_decode(type, b, n, &pl->u.cert, err);
		break;
	case ISAKMP_NP_HASH:
		rc = nonempty(n, ISAKMP_N_INVALID_HASH_INFORMATION, type, "empty HASH payload",
			      err);
		break;
	case ISAKMP_NP_SIG:
		rc = nonempty(n, ISAKMP_N_INVALID_SIGNATURE, type, "empty SIG payload", err);
		break;
	case ISAKMP_NP_NONCE:
		/* RFC 2409 s5: nonce data is 8..256 bytes. */
		rc = n < ISAKMP_NONCE_MIN_LEN || n > ISAKMP_NONCE_MAX_LEN
			     ? isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, type, 0,
					   "nonce length outside 8..256 bytes")
			     : 0;
		break;
	case ISAKMP_NP_N:
		rc = isakmp_notify_body_decode(b, n, &pl->u.notify, err);
		break;
	case ISAKMP_NP_D:
		rc = isakmp_delete_body_decode(b, n, &pl->u.del, err);
		break;
	case ISAKMP_NP_VID:
		rc = nonempty(n, ISAKMP_N_PAYLOAD_MALFORMED, type, "empty Vendor ID payload", err);
		break;
	case ISAKMP_NP_NATD:
	case ISAKMP_NP_NATD_DRAFT:
	case ISAKMP_NP_NATD_OLD:
		/* The negotiated hash fixes the length; the engine checks it. */
		rc = nonempty(n, ISAKMP_N_PAYLOAD_MALFORMED, type, "empty NAT-D payload", err);
		break;
	case ISAKMP_NP_NATOA:
	case ISAKMP_NP_NATOA_DRAFT:
	case ISAKMP_NP_NATOA_OLD:
		rc = isakmp_natoa_decode(b, n, &pl->u.id, err);
		break;
	case ISAKMP_NP_ATTR:
		rc = cfg_decode(b, n, &pl->u.cfg, err);
		break;
	case ISAKMP_NP_FRAG:
		rc = frag_decode(b, n, &pl->u.frag, err);
		break;
	default:
		rc = type >= ISAKMP_NP_PRIVATE_MIN
			     ? 0
			     : isakmp_fail(err, ISAKMP_N_INVALID_PAYLOAD_TYPE, type, 0,
					   "payload type is reserved or not valid here");
		break;
	}
	/* Report the top-level type, unless a proposal or transform failed. */
	if (rc < 0 && err && err->payload != ISAKMP_NP_P && err->payload != ISAKMP_NP_T)
		err->payload = type;
	return rc;
}
