// SPDX-License-Identifier: GPL-2.0-or-later
/* ikedump: print one decoded ISAKMP message (see ikedump_print.h). */
#include <arpa/inet.h>
#include <stdbool.h>
#include <string.h>

#include "ike/wire/isakmp_decode.h"
#include "ike/wire/isakmp_names.h"
#include "tools/ikedump/ikedump_print.h"

#define NAMEBUF 32
#define HEX_MAX 64 /* bytes of a value printed in full before "..." */

/* "NAME (n)" or "UNKNOWN(n)". */
static const char *nm(const char *name, uint32_t v, char *buf)
{
	if (name)
		snprintf(buf, NAMEBUF, "%s (%u)", name, (unsigned)v);
	else
		snprintf(buf, NAMEBUF, "UNKNOWN(%u)", (unsigned)v);
	return buf;
}

static void hex(FILE *out, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < HEX_MAX; i++)
		fprintf(out, "%02x", p[i]);
	if (n > HEX_MAX)
		fprintf(out, "... (%zu bytes)", n);
}

static void print_attrs(FILE *out, const uint8_t *attrs, size_t len, enum isakmp_attr_space space,
			const char *indent)
{
	struct isakmp_attr_iter it;
	struct isakmp_attr a;
	char b1[NAMEBUF];

	isakmp_attr_iter_init(&it, attrs, len);
	while (isakmp_attr_next(&it, &a)) {
		const char *vn;
		uint64_t v;

		fprintf(out, "%s%s = ", indent, nm(isakmp_attr_name(space, a.type), a.type, b1));
		vn = a.tv ? isakmp_attr_value_name(space, a.type, a.value) : NULL;
		if (vn)
			fprintf(out, "%s (%u)\n", vn, a.value);
		else if (a.tv)
			fprintf(out, "%u\n", a.value);
		else if (a.len == 0)
			fprintf(out, "(empty)\n");
		else if (space != ISAKMP_ATTRS_CFG && a.len <= 8 && isakmp_attr_uint(&a, &v) == 0)
			fprintf(out, "%llu (%u-byte variable)\n", (unsigned long long)v, a.len);
		else {
			hex(out, a.data, a.len);
			fputc('\n', out);
		}
	}
}

static void print_sa(FILE *out, const struct isakmp_sa *sa)
{
	struct isakmp_prop_iter pi;
	struct isakmp_proposal p;
	char b1[NAMEBUF], b2[NAMEBUF];

	fprintf(out, "      DOI %s, situation 0x%08x%s, %u proposal(s)\n",
		nm(isakmp_doi_name(sa->doi), sa->doi, b1), sa->situation,
		sa->situation == ISAKMP_SIT_IDENTITY_ONLY ? " SIT_IDENTITY_ONLY" : "", sa->nprops);
	isakmp_prop_iter_init(&pi, sa);
	while (isakmp_prop_next(&pi, &p)) {
		struct isakmp_xform_iter xi;
		struct isakmp_transform t;

		fprintf(out, "      Proposal #%u: %s, SPI ", p.number,
			nm(isakmp_proto_name(p.protocol), p.protocol, b1));
		if (p.spi_size)
			hex(out, p.spi, p.spi_size);
		else
			fprintf(out, "(none)");
		fprintf(out, ", %u transform(s)\n", p.ntransforms);
		isakmp_xform_iter_init(&xi, &p);
		while (isakmp_xform_next(&xi, &t)) {
			fprintf(out, "        Transform #%u: %s\n", t.number,
				nm(isakmp_xform_name(p.protocol, t.id), t.id, b2));
			print_attrs(out, t.attrs, t.attrs_len, t.space, "          ");
		}
	}
}

static void print_addr(FILE *out, int af, const uint8_t *p)
{
	char a[INET6_ADDRSTRLEN];

	fputs(inet_ntop(af, p, a, sizeof(a)) ? a : "?", out);
}

static void print_id(FILE *out, const struct isakmp_id *id, bool natoa)
{
	char b1[NAMEBUF];

	fprintf(out, "      %s", nm(isakmp_id_type_name(id->type), id->type, b1));
	if (!natoa)
		fprintf(out, ", protocol %u, port %u", id->protocol, id->port);
	else if (id->protocol || id->port)
		fprintf(out, " (reserved octets set: %02x%04x, tolerated)", id->protocol, id->port);
	fputs(": ", out);
	switch (id->type) {
	case ISAKMP_ID_IPV4_ADDR:
		print_addr(out, AF_INET, id->data);
		break;
	case ISAKMP_ID_IPV6_ADDR:
		print_addr(out, AF_INET6, id->data);
		break;
	case ISAKMP_ID_IPV4_ADDR_SUBNET:
	case ISAKMP_ID_IPV4_ADDR_RANGE:
		print_addr(out, AF_INET, id->data);
		fputs(id->type == ISAKMP_ID_IPV4_ADDR_SUBNET ? "/" : " - ", out);
		print_addr(out, AF_INET, id->data + 4);
		break;
	case ISAKMP_ID_IPV6_ADDR_SUBNET:
	case ISAKMP_ID_IPV6_ADDR_RANGE:
		print_addr(out, AF_INET6, id->data);
		fputs(id->type == ISAKMP_ID_IPV6_ADDR_SUBNET ? "/" : " - ", out);
		print_addr(out, AF_INET6, id->data + 16);
		break;
	case ISAKMP_ID_FQDN:
	case ISAKMP_ID_USER_FQDN:
		fprintf(out, "\"%.*s\"", (int)id->len, (const char *)id->data);
		break;
	default:
		hex(out, id->data, id->len);
		break;
	}
	fputc('\n', out);
}

static void print_payload(FILE *out, unsigned idx, const struct isakmp_payload *pl)
{
	char b1[NAMEBUF], b2[NAMEBUF];
	const struct isakmp_notify *n = &pl->u.notify;
	const struct isakmp_delete *d = &pl->u.del;
	unsigned k;

	fprintf(out, "  #%u %s, %zu bytes at offset %zu\n", idx + 1,
		nm(isakmp_payload_name(pl->type), pl->type, b1), pl->raw_len, pl->offset);
	switch (pl->type) {
	case ISAKMP_NP_SA:
		print_sa(out, &pl->u.sa);
		break;
	case ISAKMP_NP_ID:
		print_id(out, &pl->u.id, false);
		break;
	case ISAKMP_NP_NATOA:
	case ISAKMP_NP_NATOA_DRAFT:
	case ISAKMP_NP_NATOA_OLD:
		print_id(out, &pl->u.id, true);
		break;
	case ISAKMP_NP_CERT:
	case ISAKMP_NP_CR:
		fprintf(out, "      encoding %s, ",
			nm(isakmp_cert_encoding_name(pl->u.cert.encoding), pl->u.cert.encoding,
			   b1));
		if (pl->u.cert.len)
			hex(out, pl->u.cert.data, pl->u.cert.len);
		else
			fputs("(no data)", out);
		fputc('\n', out);
		break;
	case ISAKMP_NP_N:
		fprintf(out, "      %s, DOI %u, protocol %s, SPI ",
			nm(isakmp_notify_name(n->type), n->type, b1), n->doi,
			nm(isakmp_proto_name(n->protocol), n->protocol, b2));
		if (n->spi_size)
			hex(out, n->spi, n->spi_size);
		else
			fputs("(none)", out);
		if (n->data_len) {
			fputs(", data ", out);
			hex(out, n->data, n->data_len);
		}
		fputc('\n', out);
		break;
	case ISAKMP_NP_D:
		fprintf(out, "      DOI %u, protocol %s, %u SPI(s):", d->doi,
			nm(isakmp_proto_name(d->protocol), d->protocol, b1), d->nspis);
		for (k = 0; k < d->nspis && k < 16; k++) {
			fputc(' ', out);
			hex(out, d->spis + (size_t)k * d->spi_size, d->spi_size);
		}
		fputs(k < d->nspis ? " ...\n" : "\n", out);
		break;
	case ISAKMP_NP_ATTR:
		fprintf(out, "      %s, identifier 0x%04x\n",
			nm(isakmp_cfg_type_name(pl->u.cfg.type), pl->u.cfg.type, b1),
			pl->u.cfg.identifier);
		print_attrs(out, pl->u.cfg.attrs, pl->u.cfg.attrs_len, ISAKMP_ATTRS_CFG,
			    "        ");
		break;
	case ISAKMP_NP_FRAG:
		fprintf(out, "      fragment id %u, number %u%s, %zu bytes\n", pl->u.frag.id,
			pl->u.frag.number, pl->u.frag.flags & ISAKMP_FRAG_LAST ? " (last)" : "",
			pl->u.frag.len);
		break;
	default:
		fputs("      ", out);
		if (!pl->known)
			fputs("private-use payload, skipped: ", out);
		hex(out, pl->body, pl->body_len);
		fputc('\n', out);
		break;
	}
}

int ikedump_print_msg(FILE *out, const uint8_t *buf, size_t len)
{
	static struct isakmp_msg msg;
	struct isakmp_err err = { 0 };
	struct isakmp_hdr h;
	char b1[NAMEBUF], b2[NAMEBUF];
	unsigned i;
	int rc;

	rc = isakmp_msg_decode(buf, len, &msg, &err);
	/* Even when the chain is bad, show the header if it was sound. */
	if (rc == 0 || isakmp_hdr_decode(buf, len, &h, NULL) == 0) {
		const struct isakmp_hdr *hp = rc == 0 ? &msg.hdr : &h;

		fprintf(out, "ISAKMP %s, flags [%s%s%s], length %u\n",
			nm(isakmp_exchange_name(hp->exchange), hp->exchange, b1),
			hp->flags & ISAKMP_FLAG_E ? "E" : "", hp->flags & ISAKMP_FLAG_C ? "C" : "",
			hp->flags & ISAKMP_FLAG_A ? "A" : "", hp->length);
		fputs("  CKY-I ", out);
		hex(out, hp->icookie, ISAKMP_COOKIE_LEN);
		fputs(" CKY-R ", out);
		hex(out, hp->rcookie, ISAKMP_COOKIE_LEN);
		fprintf(out, " M-ID 0x%08x, first payload %s\n", hp->msgid,
			nm(isakmp_payload_name(hp->np), hp->np, b2));
	}
	if (rc < 0) {
		fprintf(out, "  MALFORMED: %s (at byte %zu", err.reason, err.offset);
		if (err.payload)
			fprintf(out, ", in %s",
				nm(isakmp_payload_name(err.payload), err.payload, b1));
		fprintf(out, "); a responder would send %s\n",
			nm(isakmp_notify_name(err.notify), err.notify, b2));
		return 1;
	}
	if (msg.encrypted) {
		fprintf(out, "  encrypted: %zu bytes of ciphertext (first payload %s)\n",
			msg.body_len, nm(isakmp_payload_name(msg.hdr.np), msg.hdr.np, b1));
		return 0;
	}
	for (i = 0; i < msg.npayloads; i++)
		print_payload(out, i, &msg.payloads[i]);
	if (msg.padding_len)
		fprintf(out, "  padding: %zu zero octet(s) to a 4-octet boundary\n",
			msg.padding_len);
	return 0;
}
