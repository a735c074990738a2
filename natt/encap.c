// SPDX-License-Identifier: GPL-2.0-or-later
/* RFC 3947 s5.1 encapsulation-mode choice and its per-method numbering. */
#include "natt/encap.h"

#include <errno.h>

#define ENCAP_OLD_TUNNEL 61443
#define ENCAP_OLD_TRANS	 61444

enum natt_encap natt_encap_choose(bool tunnel, bool nat_detected, bool force_encap)
{
	bool udp = nat_detected || force_encap; /* 5.1.b / 5.1.c */

	if (tunnel)
		return udp ? NATT_ENCAP_UDP_TUNNEL : NATT_ENCAP_TUNNEL;
	return udp ? NATT_ENCAP_UDP_TRANSPORT : NATT_ENCAP_TRANSPORT;
}

bool natt_encap_is_udp(enum natt_encap e)
{
	return e == NATT_ENCAP_UDP_TUNNEL || e == NATT_ENCAP_UDP_TRANSPORT;
}

bool natt_encap_is_tunnel(enum natt_encap e)
{
	return e == NATT_ENCAP_TUNNEL || e == NATT_ENCAP_UDP_TUNNEL;
}

int natt_encap_value(enum natt_method m, enum natt_encap e, uint16_t *value)
{
	const struct natt_method_info *mi = natt_method_info(m);

	switch (e) {
	case NATT_ENCAP_TUNNEL:
		*value = NATT_ENCAP_VALUE_TUNNEL;
		return 0;
	case NATT_ENCAP_TRANSPORT:
		*value = NATT_ENCAP_VALUE_TRANSPORT;
		return 0;
	case NATT_ENCAP_UDP_TUNNEL:
		if (mi == NULL)
			return -EINVAL;
		*value = mi->encap_udp_tunnel;
		return 0;
	case NATT_ENCAP_UDP_TRANSPORT:
		if (mi == NULL)
			return -EINVAL;
		*value = mi->encap_udp_transport;
		return 0;
	}
	return -EINVAL;
}

int natt_encap_parse(enum natt_method m, uint16_t value, enum natt_encap *e)
{
	const struct natt_method_info *mi = natt_method_info(m);

	if (value == NATT_ENCAP_VALUE_TUNNEL) {
		*e = NATT_ENCAP_TUNNEL;
		return 0;
	}
	if (value == NATT_ENCAP_VALUE_TRANSPORT) {
		*e = NATT_ENCAP_TRANSPORT;
		return 0;
	}
	if (mi == NULL)
		return -EINVAL;
	if (value == mi->encap_udp_tunnel) {
		*e = NATT_ENCAP_UDP_TUNNEL;
		return 0;
	}
	if (value == mi->encap_udp_transport) {
		*e = NATT_ENCAP_UDP_TRANSPORT;
		return 0;
	}
	/* Draft -04 lists both numberings (docs/requirements.md NT-b). */
	if (m == NATT_METHOD_DRAFT_04 && value == ENCAP_OLD_TUNNEL) {
		*e = NATT_ENCAP_UDP_TUNNEL;
		return 0;
	}
	if (m == NATT_METHOD_DRAFT_04 && value == ENCAP_OLD_TRANS) {
		*e = NATT_ENCAP_UDP_TRANSPORT;
		return 0;
	}
	return -EINVAL;
}

bool natt_encap_proposals_consistent(const enum natt_encap *modes, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (natt_encap_is_udp(modes[i]) != natt_encap_is_udp(modes[0]))
			return false;
	return true;
}

enum natt_encap_verdict natt_encap_check(enum natt_encap proposed, bool nat_detected,
					 bool force_encap)
{
	bool udp = natt_encap_is_udp(proposed);

	if ((nat_detected || force_encap) && !udp)
		return NATT_ENCAP_NEED_UDP;
	if (!nat_detected && !force_encap && udp)
		return NATT_ENCAP_UNEXPECTED_UDP;
	return NATT_ENCAP_OK;
}

const char *natt_encap_name(enum natt_encap e)
{
	switch (e) {
	case NATT_ENCAP_TUNNEL:
		return "Tunnel";
	case NATT_ENCAP_TRANSPORT:
		return "Transport";
	case NATT_ENCAP_UDP_TUNNEL:
		return "UDP-Encapsulated-Tunnel";
	case NATT_ENCAP_UDP_TRANSPORT:
		return "UDP-Encapsulated-Transport";
	}
	return "unknown";
}
