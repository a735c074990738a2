// SPDX-License-Identifier: GPL-2.0-or-later
/* RFC 3947 s3/s4 port rules: floating to 4500, replies, port 500 after the float. */
#include "natt/ports.h"

#include <errno.h>
#include <string.h>

#include "natt/endpoint.h"
#include "natt/framing.h"

bool natt_float_needed(enum natt_method m, bool nat_detected, bool force_encap,
		       bool already_on_4500)
{
	const struct natt_method_info *mi = natt_method_info(m);

	/* RFC 3947 s3.1: no NAT-T without the VID both ways; drafts -00/-01
	 * stay on 500 (docs/requirements.md NT-c); 4.h: an exchange begun on 4500
	 * never changes ports. */
	if (mi == NULL || !mi->floats || already_on_4500)
		return false;
	return nat_detected || force_encap;
}

bool natt_float_follow(enum natt_method m, bool sa_floated, uint16_t local_port, bool processed_ok)
{
	const struct natt_method_info *mi = natt_method_info(m);

	/* Only an authenticated packet may move the SA (a forged one on 4500
	 * with the right cookies fails to decrypt and moves nothing). */
	return mi != NULL && mi->floats && !sa_floated && local_port == NATT_PORT && processed_ok;
}

/* @out may be @src itself (callers update a stored endpoint in place). */
static int endpoint_copy(const struct sockaddr *src, struct sockaddr_storage *out)
{
	struct sockaddr_storage tmp;
	socklen_t len = natt_endpoint_len(src);

	if (len == 0 || out == NULL)
		return -EAFNOSUPPORT;
	memset(&tmp, 0, sizeof(tmp));
	memcpy(&tmp, src, len);
	*out = tmp;
	return 0;
}

int natt_float_dest(const struct sockaddr *peer, struct sockaddr_storage *out)
{
	int ret = endpoint_copy(peer, out);

	if (ret < 0)
		return ret;
	/* RFC 3947 s4: UDP(4500,4500) even if the peer's 500 was NATed to
	 * another port; the NAT will map 4500 on its own (4.m). */
	return natt_endpoint_set_port((struct sockaddr *)out, NATT_PORT);
}

int natt_reply_dest(const struct sockaddr *received_from, struct sockaddr_storage *out)
{
	/* RFC 3947 s3: the NAT may have changed both address and port. */
	return endpoint_copy(received_from, out);
}

enum natt_port500_verdict natt_port500_check(bool sa_floated, enum natt_exchange exch,
					     bool allow_info_on_500)
{
	if (!sa_floated)
		return NATT_PORT500_PROCESS; /* new exchange, or no float yet */
	switch (exch) {
	case NATT_EXCH_MAIN:
	case NATT_EXCH_AGGRESSIVE:
		return NATT_PORT500_DROP; /* 4.j: stale retransmission */
	case NATT_EXCH_INFORMATIONAL:
		return allow_info_on_500 ? NATT_PORT500_PROCESS : NATT_PORT500_DROP; /* 4.i */
	case NATT_EXCH_QUICK:
	case NATT_EXCH_TRANSACTION:
		break;
	}
	return NATT_PORT500_DROP; /* 4.c: everything after the float uses 4500 */
}

uint16_t natt_id_port_to_send(bool natt_on)
{
	return natt_on ? 0 : IKE_PORT;
}

bool natt_id_port_acceptable(bool natt_on, uint16_t port)
{
	if (port == 0 || port == IKE_PORT)
		return true;
	return natt_on && port == NATT_PORT;
}
