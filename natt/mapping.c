// SPDX-License-Identifier: GPL-2.0-or-later
/* RFC 3947 s6/s7/s8: who may follow a changed NAT mapping, and INITIAL-CONTACT. */
#include "natt/mapping.h"

#include <string.h>

#include "natt/endpoint.h"

enum natt_mapping_decision natt_mapping_decide(const struct natt_mapping_in *in, const char **why)
{
	const char *reason;
	enum natt_mapping_decision d;

	if (natt_endpoint_len(in->old_ep) == 0 || natt_endpoint_len(in->new_ep) == 0) {
		reason = "no usable endpoint";
		d = NATT_MAPPING_IGNORE;
	} else if (natt_endpoint_equal(in->old_ep, in->new_ep)) {
		reason = "same endpoint";
		d = NATT_MAPPING_UNCHANGED;
	} else if (in->auth == NATT_AUTH_KEEPALIVE) {
		reason = "NAT-keepalives are not authenticated (RFC 3947 s7)";
		d = NATT_MAPPING_IGNORE;
	} else if (in->auth != NATT_AUTH_IKE && in->auth != NATT_AUTH_ESP) {
		reason = "packet not authenticated (RFC 3947 s7)";
		d = NATT_MAPPING_IGNORE;
	} else if (!in->natt_active) {
		reason = "NAT-T not in use for this SA";
		d = NATT_MAPPING_IGNORE;
	} else if (in->we_behind_nat) {
		reason = "we are behind the NAT: never follow the peer (RFC 3947 s7)";
		d = NATT_MAPPING_IGNORE;
	} else if (in->new_ep->sa_family != in->old_ep->sa_family) {
		reason = "new endpoint of another address family";
		d = NATT_MAPPING_IGNORE;
	} else {
		reason = "authenticated packet from a new endpoint (RFC 3947 s7)";
		d = NATT_MAPPING_MOVE;
	}
	if (why != NULL)
		*why = reason;
	return d;
}

bool natt_initial_contact_matches(const struct natt_identity *sa,
				  const struct natt_identity *contact)
{
	if (sa == NULL || contact == NULL || sa->id_type != contact->id_type ||
	    sa->len != contact->len)
		return false;
	return sa->len == 0 || memcmp(sa->data, contact->data, sa->len) == 0;
}

const char *natt_mapping_decision_name(enum natt_mapping_decision d)
{
	switch (d) {
	case NATT_MAPPING_UNCHANGED:
		return "unchanged";
	case NATT_MAPPING_IGNORE:
		return "ignore";
	case NATT_MAPPING_MOVE:
		return "move";
	}
	return "unknown";
}

const char *natt_auth_name(enum natt_auth a)
{
	switch (a) {
	case NATT_AUTH_NONE:
		return "unauthenticated";
	case NATT_AUTH_KEEPALIVE:
		return "keepalive";
	case NATT_AUTH_IKE:
		return "authenticated IKE";
	case NATT_AUTH_ESP:
		return "kernel-verified ESP";
	}
	return "unknown";
}
