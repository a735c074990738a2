// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tshark as an independent judge of the codec: every sample message built by
 * the encoder, and every real capture of tests/corpus/isakmp/baseline, is
 * written into a pcap (UDP 500, or UDP 4500 behind the non-ESP marker),
 * Wireshark's ISAKMP dissector decodes it, and for every packet each field
 * tshark reports must equal what our decoder reports (payload sequence, VIDs,
 * NAT-D hashes, NAT-OA addresses, proposals, transforms, attributes, IDs,
 * notifies, deletes, Mode Config, fragments). tshark must report no
 * malformed packet and no warning, and must recognise the NAT-T VIDs by name.
 *
 *   check_isakmp_tshark            run the test (needs tshark in PATH)
 *   check_isakmp_tshark --write F  only write the pcap to F (for other tests)
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ike/wire/isakmp_decode.h"
#include "natt/framing.h"
#include "tests/lib/isakmp_samples.h"
#include "tests/lib/isakmp_pcap.h"

#define MAXMSG 8192
#define OUTCAP 16384

static int failures;

__attribute__((format(printf, 1, 2))) static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "FAIL: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

/* A comma-separated list, as tshark prints with -E aggregator=, */
struct list {
	char s[OUTCAP];
	size_t n;
};

__attribute__((format(printf, 2, 3))) static void add(struct list *l, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (l->n && l->n < sizeof(l->s) - 1)
		l->s[l->n++] = ',';
	va_start(ap, fmt);
	w = vsnprintf(l->s + l->n, sizeof(l->s) - l->n, fmt, ap);
	va_end(ap);
	if (w > 0)
		l->n += (size_t)w < sizeof(l->s) - l->n ? (size_t)w : sizeof(l->s) - l->n - 1;
}

static void add_hex(struct list *l, const uint8_t *p, size_t n)
{
	char h[2 * MAXMSG + 1];
	size_t i;

	for (i = 0; i < n && i < MAXMSG; i++)
		sprintf(h + 2 * i, "%02x", p[i]);
	h[2 * i] = 0;
	add(l, "%s", h);
}

static void add_addr(struct list *l, const struct isakmp_id *id)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(id->type == ISAKMP_ID_IPV6_ADDR ? AF_INET6 : AF_INET, id->data, a, sizeof(a));
	add(l, "%s", a);
}

static bool is_natd(uint8_t t)
{
	return t == ISAKMP_NP_NATD || t == ISAKMP_NP_NATD_OLD || t == ISAKMP_NP_NATD_DRAFT;
}

static bool is_natoa(uint8_t t)
{
	return t == ISAKMP_NP_NATOA || t == ISAKMP_NP_NATOA_OLD || t == ISAKMP_NP_NATOA_DRAFT;
}

typedef void (*walk_fn)(const struct isakmp_msg *m, struct list *l);

/* Payload types in dissector order: SA, then its proposals and transforms. */
static void f_types(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++) {
		const struct isakmp_payload *pl = &m->payloads[i];
		struct isakmp_prop_iter pi;
		struct isakmp_proposal p;

		add(l, "%u", pl->type);
		if (pl->type != ISAKMP_NP_SA)
			continue;
		isakmp_prop_iter_init(&pi, &pl->u.sa);
		while (isakmp_prop_next(&pi, &p)) {
			struct isakmp_xform_iter xi;
			struct isakmp_transform t;

			add(l, "2");
			isakmp_xform_iter_init(&xi, &p);
			while (isakmp_xform_next(&xi, &t))
				add(l, "3");
		}
	}
}

static void f_exch(const struct isakmp_msg *m, struct list *l)
{
	add(l, "%u", m->hdr.exchange);
}

static void f_ispi(const struct isakmp_msg *m, struct list *l)
{
	add_hex(l, m->hdr.icookie, ISAKMP_COOKIE_LEN);
}

static void f_rspi(const struct isakmp_msg *m, struct list *l)
{
	add_hex(l, m->hdr.rcookie, ISAKMP_COOKIE_LEN);
}

static void f_flags(const struct isakmp_msg *m, struct list *l)
{
	add(l, "0x%02x", m->hdr.flags);
}

static void f_msgid(const struct isakmp_msg *m, struct list *l)
{
	add(l, "0x%08x", m->hdr.msgid);
}

static void f_length(const struct isakmp_msg *m, struct list *l)
{
	add(l, "%u", m->hdr.length);
}

/* Bodies of every payload of a kind, as hex. */
#define BODY_FN(fn, test)                                                                          \
	static void fn(const struct isakmp_msg *m, struct list *l)                                 \
	{                                                                                          \
		for (unsigned i = 0; i < m->npayloads; i++)                                        \
			if (test(m->payloads[i].type))                                             \
				add_hex(l, m->payloads[i].body, m->payloads[i].body_len);          \
	}
#define IS(t) (t) ==
BODY_FN(f_vid, IS(ISAKMP_NP_VID))
BODY_FN(f_natd, is_natd)
BODY_FN(f_nonce, IS(ISAKMP_NP_NONCE))
BODY_FN(f_hash, IS(ISAKMP_NP_HASH))
BODY_FN(f_sig, IS(ISAKMP_NP_SIG))
BODY_FN(f_ke, IS(ISAKMP_NP_KE))

static void f_natoa4(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (is_natoa(m->payloads[i].type) &&
		    m->payloads[i].u.id.type == ISAKMP_ID_IPV4_ADDR)
			add_addr(l, &m->payloads[i].u.id);
}

static void f_natoa6(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (is_natoa(m->payloads[i].type) &&
		    m->payloads[i].u.id.type == ISAKMP_ID_IPV6_ADDR)
			add_addr(l, &m->payloads[i].u.id);
}

/* Visit every proposal / transform / attribute of every SA payload. */
enum sa_what {
	SA_PROP_NUMBER,
	SA_TRANS_ID,
	SA_ATTR
};

static void sa_walk(const struct isakmp_msg *m, struct list *l, enum sa_what what,
		    enum isakmp_attr_space space, uint16_t type)
{
	for (unsigned i = 0; i < m->npayloads; i++) {
		struct isakmp_prop_iter pi;
		struct isakmp_proposal p;

		if (m->payloads[i].type != ISAKMP_NP_SA)
			continue;
		isakmp_prop_iter_init(&pi, &m->payloads[i].u.sa);
		while (isakmp_prop_next(&pi, &p)) {
			struct isakmp_xform_iter xi;
			struct isakmp_transform t;

			if (what == SA_PROP_NUMBER)
				add(l, "%u", p.number);
			isakmp_xform_iter_init(&xi, &p);
			while (isakmp_xform_next(&xi, &t)) {
				struct isakmp_attr_iter ai;
				struct isakmp_attr a;

				if (what == SA_TRANS_ID)
					add(l, "%u", t.id);
				if (what != SA_ATTR || t.space != space)
					continue;
				isakmp_attr_iter_init(&ai, t.attrs, t.attrs_len);
				while (isakmp_attr_next(&ai, &a))
					if (a.type == type)
						add(l, "%u", a.value);
			}
		}
	}
}

static void f_prop(const struct isakmp_msg *m, struct list *l)
{
	sa_walk(m, l, SA_PROP_NUMBER, 0, 0);
}

static void f_trans(const struct isakmp_msg *m, struct list *l)
{
	sa_walk(m, l, SA_TRANS_ID, 0, 0);
}

static void f_encap(const struct isakmp_msg *m, struct list *l)
{
	sa_walk(m, l, SA_ATTR, ISAKMP_ATTRS_IPSEC, ISAKMP_IPSEC_ENCAP_MODE);
}

static void f_p1_encr(const struct isakmp_msg *m, struct list *l)
{
	sa_walk(m, l, SA_ATTR, ISAKMP_ATTRS_IKE, ISAKMP_IKE_ENCR);
}

static void f_p1_keylen(const struct isakmp_msg *m, struct list *l)
{
	sa_walk(m, l, SA_ATTR, ISAKMP_ATTRS_IKE, ISAKMP_IKE_KEY_LENGTH);
}

/* tshark's isakmp.id.type covers ID and NAT-OA payloads. */
static void f_id_type(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (m->payloads[i].type == ISAKMP_NP_ID || is_natoa(m->payloads[i].type))
			add(l, "%u", m->payloads[i].u.id.type);
}

static void f_id_port(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (m->payloads[i].type == ISAKMP_NP_ID)
			add(l, "%u", m->payloads[i].u.id.port);
}

static void id_string(const struct isakmp_msg *m, struct list *l, uint8_t type)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (m->payloads[i].type == ISAKMP_NP_ID && m->payloads[i].u.id.type == type)
			add(l, "%.*s", (int)m->payloads[i].u.id.len,
			    (const char *)m->payloads[i].u.id.data);
}

static void f_fqdn(const struct isakmp_msg *m, struct list *l)
{
	id_string(m, l, ISAKMP_ID_FQDN);
}

static void f_ufqdn(const struct isakmp_msg *m, struct list *l)
{
	id_string(m, l, ISAKMP_ID_USER_FQDN);
}

static void f_notify(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (m->payloads[i].type == ISAKMP_NP_N)
			add(l, "%u", m->payloads[i].u.notify.type);
}

static void f_delete_spi(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++) {
		const struct isakmp_delete *d = &m->payloads[i].u.del;

		if (m->payloads[i].type != ISAKMP_NP_D)
			continue;
		for (unsigned k = 0; k < d->nspis; k++)
			add_hex(l, d->spis + (size_t)k * d->spi_size, d->spi_size);
	}
}

static void f_cert_enc(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (m->payloads[i].type == ISAKMP_NP_CERT)
			add(l, "%u", m->payloads[i].u.cert.encoding);
}

static void f_cr_type(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (m->payloads[i].type == ISAKMP_NP_CR)
			add(l, "%u", m->payloads[i].u.cert.encoding);
}

static void f_cfg_type(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (m->payloads[i].type == ISAKMP_NP_ATTR)
			add(l, "%u", m->payloads[i].u.cfg.type);
}

static void f_cfg_id(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (m->payloads[i].type == ISAKMP_NP_ATTR)
			add(l, "%u", m->payloads[i].u.cfg.identifier);
}

static void f_cfg_attr(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++) {
		struct isakmp_attr_iter ai;
		struct isakmp_attr a;

		if (m->payloads[i].type != ISAKMP_NP_ATTR)
			continue;
		isakmp_attr_iter_init(&ai, m->payloads[i].u.cfg.attrs,
				      m->payloads[i].u.cfg.attrs_len);
		while (isakmp_attr_next(&ai, &a))
			add(l, "%u", a.type);
	}
}

static void f_frag_id(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (m->payloads[i].type == ISAKMP_NP_FRAG)
			add(l, "0x%04x", m->payloads[i].u.frag.id);
}

static void f_frag_seq(const struct isakmp_msg *m, struct list *l)
{
	for (unsigned i = 0; i < m->npayloads; i++)
		if (m->payloads[i].type == ISAKMP_NP_FRAG)
			add(l, "%u", m->payloads[i].u.frag.number);
}

static const struct {
	const char *field;
	walk_fn fn;
} fields[] = {
	{ "isakmp.ispi", f_ispi },
	{ "isakmp.rspi", f_rspi },
	{ "isakmp.flags", f_flags },
	{ "isakmp.typepayload", f_types },
	{ "isakmp.exchangetype", f_exch },
	{ "isakmp.messageid", f_msgid },
	{ "isakmp.length", f_length },
	{ "isakmp.vid_bytes", f_vid },
	{ "isakmp.ike.nat_hash", f_natd },
	{ "isakmp.ike.nat_original_address_ipv4", f_natoa4 },
	{ "isakmp.ike.nat_original_address_ipv6", f_natoa6 },
	{ "isakmp.prop.number", f_prop },
	{ "isakmp.trans.id", f_trans },
	{ "isakmp.ipsec.attr.encap_mode", f_encap },
	{ "isakmp.ike.attr.encryption_algorithm", f_p1_encr },
	{ "isakmp.ike.attr.key_length", f_p1_keylen },
	{ "isakmp.id.type", f_id_type },
	{ "isakmp.id.port", f_id_port },
	{ "isakmp.id.data.fqdn", f_fqdn },
	{ "isakmp.id.data.user_fqdn", f_ufqdn },
	{ "isakmp.notify.msgtype", f_notify },
	{ "isakmp.delete.spi", f_delete_spi },
	{ "isakmp.cert.encoding", f_cert_enc },
	{ "isakmp.certreq.type", f_cr_type },
	{ "isakmp.nonce", f_nonce },
	{ "isakmp.hash", f_hash },
	{ "isakmp.sig", f_sig },
	{ "isakmp.key_exchange.data", f_ke },
	{ "isakmp.cfg.type", f_cfg_type },
	{ "isakmp.cfg.identifier", f_cfg_id },
	{ "isakmp.cfg.attr.type", f_cfg_attr },
	{ "isakmp.frag.packetid", f_frag_id },
	{ "isakmp.frag.seq", f_frag_seq },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

#define MAXPKT 128

static uint8_t msgs[MAXPKT][MAXMSG];
static size_t msg_len[MAXPKT];
static char msg_name[MAXPKT][64];
static size_t nmsgs;

/* The samples, then every capture of the bed's baseline corpus. */
static void load_msgs(void)
{
	struct dirent **names;
	const char *src = getenv("srcdir");
	char dir[4096];
	size_t i;
	int n, k;

	for (i = 0; i < isakmp_nsamples && nmsgs < MAXPKT; i++) {
		ssize_t len = isakmp_samples[i].build(msgs[nmsgs], MAXMSG);

		if (len < 0)
			continue;
		msg_len[nmsgs] = (size_t)len;
		snprintf(msg_name[nmsgs++], sizeof(msg_name[0]), "%s", isakmp_samples[i].name);
	}
	snprintf(dir, sizeof(dir), "%s/tests/corpus/isakmp/baseline", src ? src : ".");
	n = scandir(dir, &names, NULL, alphasort);
	for (k = 0; k < n; k++) {
		char path[8192];
		FILE *f;

		if (names[k]->d_name[0] != '.' && nmsgs < MAXPKT &&
		    snprintf(path, sizeof(path), "%s/%s", dir, names[k]->d_name) <
			    (int)sizeof(path) &&
		    (f = fopen(path, "rb"))) {
			msg_len[nmsgs] = fread(msgs[nmsgs], 1, MAXMSG, f);
			fclose(f);
			snprintf(msg_name[nmsgs++], sizeof(msg_name[0]), "%.63s", names[k]->d_name);
		}
		free(names[k]);
	}
	if (n >= 0)
		free(names);
}

static int write_pcap(const char *path)
{
	FILE *f = test_pcap_open(path);
	size_t i;

	if (!f)
		return -1;
	load_msgs();
	for (i = 0; i < nmsgs; i++) {
		uint8_t framed[MAXMSG + 4];
		size_t n = msg_len[i];
		ssize_t m;

		/* Samples say their port; captures alternate between 500 and 4500. */
		if (i < isakmp_nsamples ? isakmp_samples[i].port == NATT_PORT : i % 2) {
			m = natt_marker_prepend(framed, sizeof(framed), msgs[i], n);
			if (m < 0 || test_pcap_udp(f, NATT_PORT, NATT_PORT, framed, (size_t)m) < 0)
				return -1;
		} else if (test_pcap_udp(f, IKE_PORT, IKE_PORT, msgs[i], n) < 0) {
			return -1;
		}
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* Run a shell command, return its whole stdout (static buffer). */
static char *run(const char *cmd)
{
	static char out[1 << 20];
	size_t n = 0, r;
	FILE *p = popen(cmd, "r");

	if (!p)
		return NULL;
	while (n < sizeof(out) - 1 && (r = fread(out + n, 1, sizeof(out) - 1 - n, p)) > 0)
		n += r;
	out[n] = 0;
	if (pclose(p) != 0) {
		fail("command failed: %s", cmd);
		return NULL;
	}
	return out;
}

static void check_fields(const char *pcap)
{
	static struct isakmp_msg msg;
	char cmd[4096];
	size_t off = 0, i, f;
	char *out, *line, *save = NULL;

	off += (size_t)snprintf(cmd, sizeof(cmd),
				"tshark -r '%s' -T fields -E occurrence=a -E aggregator=, "
				"-e frame.number",
				pcap);
	for (f = 0; f < NFIELDS; f++)
		off += (size_t)snprintf(cmd + off, sizeof(cmd) - off, " -e %s", fields[f].field);
	snprintf(cmd + off, sizeof(cmd) - off, " 2>/dev/null");
	out = run(cmd);
	if (!out)
		return;
	for (i = 0, line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), i++) {
		struct isakmp_err err = { 0 };
		char *col, *csave = NULL;

		if (i >= nmsgs) {
			fail("tshark printed more packets than written");
			return;
		}
		if (isakmp_msg_decode(msgs[i], msg_len[i], &msg, &err) < 0) {
			fail("%s: our decoder rejects it: %s", msg_name[i], err.reason);
			continue;
		}
		/* Fields are tab-separated; empty ones are adjacent tabs. */
		col = line;
		for (f = 0; f <= NFIELDS; f++) {
			char *tab = strchr(col, '\t');
			struct list want = { .n = 0 };

			if (tab)
				*tab = 0;
			if (f > 0) {
				want.s[0] = 0;
				fields[f - 1].fn(&msg, &want);
				if (strcmp(want.s, col) != 0)
					fail("%s: %s: tshark '%s', codec '%s'", msg_name[i],
					     fields[f - 1].field, col, want.s);
			}
			if (!tab) {
				if (f < NFIELDS)
					fail("%s: tshark printed too few columns", msg_name[i]);
				break;
			}
			col = tab + 1;
		}
		(void)csave;
	}
	if (i != nmsgs)
		fail("tshark printed %zu packets, %zu written", i, nmsgs);
	printf("tshark: %zu packets x %zu fields compared\n", i, NFIELDS);
}

static void check_names(const char *pcap)
{
	static const char *const want[] = {
		"RFC 3947 Negotiation of NAT-Traversal in the IKE",
		"draft-ietf-ipsec-nat-t-ike-02",
		"draft-ietf-ipsec-nat-t-ike-02\\n",
		"draft-ietf-ipsec-nat-t-ike-03",
		"RFC 3706 DPD (Dead Peer Detection)",
	};
	char cmd[1024], *out;
	size_t i;

	snprintf(cmd, sizeof(cmd),
		 "tshark -r '%s' -Y 'frame.number == 1' -T fields -E occurrence=a "
		 "-E aggregator='|' -e isakmp.vid_string 2>/dev/null",
		 pcap);
	out = run(cmd);
	if (!out)
		return;
	out[strcspn(out, "\n")] = 0;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char needle[128];

		snprintf(needle, sizeof(needle), "%s%s", i ? "|" : "", want[i]);
		if (!strstr(out, needle))
			fail("VID '%s' not recognised by tshark (got '%s')", want[i], out);
	}
}

static void check_clean(const char *pcap)
{
	char cmd[1024], *out;

	/* -V prints every expert item; the codec's output must raise none. */
	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -V 2>/dev/null", pcap);
	out = run(cmd);
	if (!out)
		return;
	if (strstr(out, "Malformed"))
		fail("tshark reports a malformed packet");
	if (strstr(out, "Expert Info (Error") || strstr(out, "Expert Info (Warning"))
		fail("tshark reports an error or warning");
	if (!strstr(out, "UDP-Encapsulated-Transport"))
		fail("tshark did not show the RFC 3947 encapsulation mode by name");
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/check_isakmp_tshark.XXXXXX", pcap[64];

	if (argc == 3 && strcmp(argv[1], "--write") == 0)
		return write_pcap(argv[2]) == 0 ? 0 : 1;
	if (system("tshark -v >/dev/null 2>&1") != 0) {
		fprintf(stderr, "tshark not found: apt-get install -y tshark "
				"(listed in scripts/packages/codec.txt)\n");
		return 1;
	}
	if (!mkdtemp(dir))
		return 1;
	snprintf(pcap, sizeof(pcap), "%s/samples.pcap", dir);
	if (write_pcap(pcap) < 0) {
		fail("cannot write %s", pcap);
		return 1;
	}
	check_fields(pcap);
	check_names(pcap);
	check_clean(pcap);
	unlink(pcap);
	rmdir(dir);
	if (failures)
		fprintf(stderr, "%d failure(s)\n", failures);
	else
		printf("tshark agrees with the codec on %zu messages (%zu samples, %zu captures)\n",
		       nmsgs, isakmp_nsamples, nmsgs - isakmp_nsamples);
	return failures ? 1 : 0;
}
