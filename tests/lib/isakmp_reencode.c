// SPDX-License-Identifier: GPL-2.0-or-later
/* Re-encoding of decoded messages (see isakmp_reencode.h). */
#include <errno.h>

#include "ike/wire/isakmp_encode.h"
#include "tests/lib/isakmp_reencode.h"

ssize_t isakmp_test_reencode(const struct isakmp_msg *m, uint8_t *out, size_t cap)
{
	struct isakmp_enc e;
	unsigned i;

	isakmp_enc_init(&e, out, cap);
	if (isakmp_enc_hdr(&e, &m->hdr) < 0)
		return -EINVAL;
	for (i = 0; i < m->npayloads; i++) {
		const struct isakmp_payload *pl = &m->payloads[i];
		struct isakmp_prop_iter pi;
		struct isakmp_xform_iter xi;
		struct isakmp_attr_iter ai;
		struct isakmp_proposal p;
		struct isakmp_transform t;
		struct isakmp_attr a;

		switch (pl->type) {
		case ISAKMP_NP_SA:
			isakmp_enc_sa_begin(&e, pl->u.sa.doi, pl->u.sa.situation);
			isakmp_prop_iter_init(&pi, &pl->u.sa);
			while (isakmp_prop_next(&pi, &p)) {
				isakmp_enc_prop_begin(&e, p.number, p.protocol, p.spi, p.spi_size);
				isakmp_xform_iter_init(&xi, &p);
				while (isakmp_xform_next(&xi, &t)) {
					isakmp_enc_xform_begin(&e, t.number, t.id);
					isakmp_attr_iter_init(&ai, t.attrs, t.attrs_len);
					while (isakmp_attr_next(&ai, &a))
						if (a.tv)
							isakmp_enc_attr_tv(&e, a.type, a.value);
						else
							isakmp_enc_attr_tlv(&e, a.type, a.data,
									    a.len);
					isakmp_enc_xform_end(&e);
				}
				isakmp_enc_prop_end(&e);
			}
			isakmp_enc_sa_end(&e);
			break;
		case ISAKMP_NP_ID:
			isakmp_enc_id(&e, pl->u.id.type, pl->u.id.protocol, pl->u.id.port,
				      pl->u.id.data, pl->u.id.len);
			break;
		case ISAKMP_NP_NATOA:
		case ISAKMP_NP_NATOA_DRAFT:
		case ISAKMP_NP_NATOA_OLD:
			isakmp_enc_natoa(&e, pl->type, pl->u.id.type, pl->u.id.data);
			break;
		case ISAKMP_NP_CERT:
		case ISAKMP_NP_CR:
			isakmp_enc_cert(&e, pl->type, pl->u.cert.encoding, pl->u.cert.data,
					pl->u.cert.len);
			break;
		case ISAKMP_NP_N:
			isakmp_enc_notify(&e, pl->u.notify.doi, pl->u.notify.protocol,
					  pl->u.notify.type, pl->u.notify.spi,
					  pl->u.notify.spi_size, pl->u.notify.data,
					  pl->u.notify.data_len);
			break;
		case ISAKMP_NP_D:
			isakmp_enc_delete(&e, pl->u.del.doi, pl->u.del.protocol, pl->u.del.spi_size,
					  pl->u.del.spis, pl->u.del.nspis);
			break;
		case ISAKMP_NP_ATTR:
			isakmp_enc_cfg_begin(&e, pl->u.cfg.type, pl->u.cfg.identifier);
			isakmp_attr_iter_init(&ai, pl->u.cfg.attrs, pl->u.cfg.attrs_len);
			while (isakmp_attr_next(&ai, &a))
				if (a.tv)
					isakmp_enc_attr_tv(&e, a.type, a.value);
				else
					isakmp_enc_attr_tlv(&e, a.type, a.data, a.len);
			isakmp_enc_cfg_end(&e);
			break;
		case ISAKMP_NP_FRAG:
			isakmp_enc_frag(&e, pl->u.frag.id, pl->u.frag.number, pl->u.frag.flags,
					pl->u.frag.data, pl->u.frag.len);
			break;
		default:
			isakmp_enc_generic(&e, pl->type, pl->body, pl->body_len);
			break;
		}
	}
	return isakmp_enc_finish(&e);
}

bool isakmp_test_reencode_exact(const struct isakmp_msg *m)
{
	unsigned i;

	if (m->padding_len)
		return false; /* the encoder never pads */
	for (i = 0; i < m->npayloads; i++) {
		const struct isakmp_payload *pl = &m->payloads[i];

		if (pl->type == ISAKMP_NP_ATTR && pl->u.cfg.pad_len)
			return false; /* nor pads a Mode Config payload */
		if ((pl->type == ISAKMP_NP_NATOA || pl->type == ISAKMP_NP_NATOA_DRAFT ||
		     pl->type == ISAKMP_NP_NATOA_OLD) &&
		    (pl->u.id.protocol || pl->u.id.port))
			return false;
	}
	return true;
}
