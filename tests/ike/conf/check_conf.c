// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsec.conf parser tests: value syntax, every error class with its exact
 * message, resolution order (%default, also=, key=), whole-config validation,
 * the sample files in tests/data/conf, the effective-config printer and the
 * reload diff.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ike/conf/conf.h"
#include "ike/conf/conf_secrets.h"

#ifndef CONF_TEST_DATA
#error "CONF_TEST_DATA must name tests/data/conf"
#endif

static char *slurp(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", CONF_TEST_DATA, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static struct conf *parse_ok(const char *text)
{
	struct conf_diag d;
	struct conf *c = NULL;
	int rc = conf_parse("t.conf", text, strlen(text), &c, &d);

	ck_assert_msg(rc == 0, "parse failed: %s", d.n ? d.msg[0] : "(no message)");
	ck_assert_uint_eq(d.n, 0);
	return c;
}

static char *print_conf(const struct conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(conf_print(c, f), 0);
	fclose(f);
	return buf;
}

/* ---- value syntax ---- */

struct time_vec {
	const char *in;
	int rc;
	uint32_t want;
};

static const struct time_vec time_vecs[] = {
	{ "0", 0, 0 },
	{ "30", 0, 30 },
	{ "30s", 0, 30 },
	{ "5m", 0, 300 },
	{ "3h", 0, 10800 },
	{ "1d", 0, 86400 },
	{ "24855d", 0, 2147472000u },
	{ "24856d", -EINVAL, 0 }, /* 2147558400 > 2^31-1 */
	{ "2147483647", 0, 2147483647u },
	{ "2147483648", -EINVAL, 0 },
	{ "99999999999999999999", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
	{ "s", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "1.5h", -EINVAL, 0 },
	{ "10 m", -EINVAL, 0 },
	{ "10ms", -EINVAL, 0 },
	{ "1w", -EINVAL, 0 },
};

START_TEST(test_time_parse)
{
	const struct time_vec *v = &time_vecs[_i];
	uint32_t got = 12345;
	char why[128];

	ck_assert_msg(conf_time_parse(v->in, &got, why, sizeof(why)) == v->rc, "'%s'", v->in);
	if (v->rc == 0)
		ck_assert_uint_eq(got, v->want);
}
END_TEST

struct bytes_vec {
	const char *in;
	int rc;
	uint64_t want;
};

/* Expected values are powers of two worked out by hand: K = 2^10 ... T = 2^40;
 * the maximum is (2^32 - 1) KiB = 4398046510080. */
static const struct bytes_vec bytes_vecs[] = {
	{ "0", 0, 0 },
	{ "1024", 0, 1024 },
	{ "1K", 0, 1024 },
	{ "4KiB", 0, 4096 },
	{ "512M", 0, 536870912ULL },
	{ "512MiB", 0, 536870912ULL },
	{ "4G", 0, 4294967296ULL },
	{ "3GiB", 0, 3221225472ULL },
	{ "1T", 0, 1099511627776ULL },
	{ "4398046510080", 0, 4398046510080ULL },
	{ "4398046510081", -EINVAL, 0 },
	{ "4T", -EINVAL, 0 }, /* 4398046511104: one KiB too many */
	{ "99999999999999999999999", -EINVAL, 0 },
	{ "1023", -EINVAL, 0 },
	{ "1", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
	{ "G", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "1.5G", -EINVAL, 0 },
	{ "10 M", -EINVAL, 0 },
	{ "1k", -EINVAL, 0 },
	{ "1KB", -EINVAL, 0 },
};

START_TEST(test_bytes_parse)
{
	const struct bytes_vec *v = &bytes_vecs[_i];
	uint64_t got = 12345;
	char why[160] = "";

	ck_assert_msg(conf_bytes_parse(v->in, &got, why, sizeof(why)) == v->rc, "'%s'", v->in);
	if (v->rc == 0)
		ck_assert_uint_eq(got, v->want);
	else
		ck_assert_msg(why[0] != '\0' && got == 12345, "'%s': no reason or output changed",
			      v->in);
}
END_TEST

struct subnet_vec {
	const char *in;
	int rc;
	const char *addr;
	unsigned prefix;
	const char *why;
};

static const struct subnet_vec subnet_vecs[] = {
	{ "10.1.0.0/16", 0, "10.1.0.0", 16, NULL },
	{ "0.0.0.0/0", 0, "0.0.0.0", 0, NULL },
	{ "192.0.2.7", 0, "192.0.2.7", 32, NULL },
	{ "192.0.2.7/32", 0, "192.0.2.7", 32, NULL },
	{ "2001:db8::/32", 0, "2001:db8::", 32, NULL },
	{ "2001:db8::1", 0, "2001:db8::1", 128, NULL },
	{ "::/0", 0, "::", 0, NULL },
	{ "10.0.0.1/24", -EINVAL, NULL, 0,
	  "'10.0.0.1/24' has host bits set (did you mean 10.0.0.0/24?)" },
	{ "10.0.0.128/25", 0, "10.0.0.128", 25, NULL },
	{ "10.0.0.129/25", -EINVAL, NULL, 0,
	  "'10.0.0.129/25' has host bits set (did you mean 10.0.0.128/25?)" },
	{ "2001:db8::1/64", -EINVAL, NULL, 0,
	  "'2001:db8::1/64' has host bits set (did you mean 2001:db8::/64?)" },
	{ "10.0.0.0/33", -EINVAL, NULL, 0, "'10.0.0.0/33': prefix length must be 0..32" },
	{ "2001:db8::/129", -EINVAL, NULL, 0, "'2001:db8::/129': prefix length must be 0..128" },
	{ "10.0.0.0/", -EINVAL, NULL, 0, "'10.0.0.0/' has no prefix length after '/'" },
	{ "10.0.0.0/-1", -EINVAL, NULL, 0, "'10.0.0.0/-1' has no prefix length after '/'" },
	{ "10.0.0.0/8x", -EINVAL, NULL, 0, "'10.0.0.0/8x': prefix length must be 0..32" },
	{ "10.0.0/8", -EINVAL, NULL, 0, "'10.0.0/8' is not a subnet (e.g. 10.1.0.0/16)" },
	{ "host.example/24", -EINVAL, NULL, 0,
	  "'host.example/24' is not a subnet (e.g. 10.1.0.0/16)" },
};

START_TEST(test_subnet_parse)
{
	const struct subnet_vec *v = &subnet_vecs[_i];
	struct conf_subnet s;
	char why[256] = "", buf[64];

	ck_assert_msg(conf_subnet_parse(v->in, &s, why, sizeof(why)) == v->rc, "'%s': %s", v->in,
		      why);
	if (v->rc == 0) {
		ck_assert_str_eq(conf_addr_format(&s.addr, buf, sizeof(buf)), v->addr);
		ck_assert_uint_eq(s.prefix, v->prefix);
	} else {
		ck_assert_str_eq(why, v->why);
	}
}
END_TEST

struct id_vec {
	const char *in;
	int rc;
	enum conf_id_type type;
	const char *printed; /* conf_id_format(), or the error reason */
};

static const struct id_vec id_vecs[] = {
	{ "%any", 0, CONF_ID_ANY, "%any" },
	{ "%fromcert", 0, CONF_ID_FROMCERT, "%fromcert" },
	{ "192.0.2.1", 0, CONF_ID_IPV4_ADDR, "192.0.2.1" },
	{ "2001:db8::7", 0, CONF_ID_IPV6_ADDR, "2001:db8::7" },
	{ "@gw.example", 0, CONF_ID_FQDN, "@gw.example" },
	{ "gw.example", 0, CONF_ID_FQDN, "@gw.example" },
	{ "alice@example.org", 0, CONF_ID_USER_FQDN, "alice@example.org" },
	{ "C=CH, O=Example, CN=gw", 0, CONF_ID_DER_ASN1_DN, "\"C=CH, O=Example, CN=gw\"" },
	{ "C=CH,O=Example,CN=gw", 0, CONF_ID_DER_ASN1_DN, "\"C=CH, O=Example, CN=gw\"" },
	{ "/C=CH/O=Example/CN=gw", 0, CONF_ID_DER_ASN1_DN, "\"C=CH, O=Example, CN=gw\"" },
	{ "  C = CH ,  CN = a b ", 0, CONF_ID_DER_ASN1_DN, "\"C=CH, CN=a b\"" },
	{ "C=CH, O", -EINVAL, 0, "distinguished name 'C=CH, O': 'O' is not ATTRIBUTE=value" },
	{ "C=, O=x", -EINVAL, 0, "distinguished name 'C=, O=x' has an empty attribute or value" },
	{ "C!=CH", -EINVAL, 0, "distinguished name 'C!=CH': bad attribute type 'C!'" },
	{ "@", -EINVAL, 0, "'@' is not a valid FQDN identity" },
	{ "@#0123", -EINVAL, 0, "'@#0123' is not a valid FQDN identity" },
	{ "@@gw", -EINVAL, 0, "'@@gw' is not a valid FQDN identity" },
	{ "@gw example", -EINVAL, 0, "'@gw example' is not a valid FQDN identity" },
	{ "@a@b", -EINVAL, 0, "'@a@b' is not a valid FQDN identity" },
	{ "a@b@c", -EINVAL, 0, "'a@b@c' is not a valid user@host identity" },
	{ " a@b", -EINVAL, 0, "' a@b' is not a valid user@host identity" },
	{ "a b@c", -EINVAL, 0, "'a b@c' is not a valid user@host identity" },
	{ "caf\xc3\xa9@c", -EINVAL, 0, "'caf\xc3\xa9@c' is not a valid user@host identity" },
	{ "a+tag.x#1@c.example", 0, CONF_ID_USER_FQDN, "a+tag.x#1@c.example" },
	{ "@example", 0, CONF_ID_FQDN, "@example" },
	/* Identity patterns (rightid= allow-lists of a group-PSK gateway). */
	{ "@*.rw.example", 0, CONF_ID_FQDN, "@*.rw.example" },
	{ "*@example.org", 0, CONF_ID_USER_FQDN, "*@example.org" },
	{ "@*rw.example", -EINVAL, 0, "'@*rw.example' is not a valid FQDN identity" },
	{ "@a.*.example", -EINVAL, 0, "'@a.*.example' is not a valid FQDN identity" },
	{ "%config", -EINVAL, 0, "unknown identity keyword '%config'" },
	{ "", -EINVAL, 0, "empty identity" },
	{ "bad!name", -EINVAL, 0, "'bad!name' is not a valid identity" },
};

START_TEST(test_id_parse)
{
	const struct id_vec *v = &id_vecs[_i];
	struct conf_id id;
	char why[256] = "", buf[300];

	ck_assert_msg(conf_id_parse(v->in, &id, why, sizeof(why)) == v->rc, "'%s': %s", v->in, why);
	if (v->rc == 0) {
		ck_assert_int_eq(id.type, v->type);
		ck_assert_str_eq(conf_id_format(&id, buf, sizeof(buf)), v->printed);
	} else {
		ck_assert_str_eq(why, v->printed);
	}
}
END_TEST

struct id_eq_vec {
	const char *a, *b;
	bool equal;
};

static const struct id_eq_vec id_eq_vecs[] = {
	{ "@GW.Example", "@gw.example", true },
	{ "gw.example", "@gw.example", true },
	{ "alice@EXAMPLE.org", "alice@example.org", true },
	{ "Alice@example.org", "alice@example.org", false },
	{ "192.0.2.1", "192.0.2.1", true },
	{ "192.0.2.1", "192.0.2.2", false },
	{ "2001:db8::1", "2001:DB8:0::1", true },
	{ "C=CH,CN=a", "/C=CH/CN=a", true },
	{ "C=CH,CN=a", "C=CH,CN=b", false },
	{ "@192.0.2.1", "192.0.2.1", false },
	{ "alice@example.org", "@example.org", false },
};

START_TEST(test_id_equal)
{
	const struct id_eq_vec *v = &id_eq_vecs[_i];
	struct conf_id a, b;

	ck_assert_int_eq(conf_id_parse(v->a, &a, NULL, 0), 0);
	ck_assert_int_eq(conf_id_parse(v->b, &b, NULL, 0), 0);
	ck_assert_msg(conf_id_equal(&a, &b) == v->equal, "%s vs %s", v->a, v->b);
	ck_assert_msg(conf_id_equal(&b, &a) == v->equal, "%s vs %s", v->b, v->a);
}
END_TEST

struct dist_vec {
	const char *a, *b;
	unsigned d;
};

static const struct dist_vec dist_vecs[] = {
	{ "", "", 0 },
	{ "abc", "", 3 },
	{ "", "abc", 3 },
	{ "kitten", "sitting", 3 },
	{ "leftsubnet", "lefsubnet", 1 },
	{ "rightsubnett", "rightsubnet", 1 },
	{ "flaw", "lawn", 2 },
	{ "aggresive", "aggressive", 1 },
	{ "ike", "esp", 3 },
};

START_TEST(test_edit_distance)
{
	const struct dist_vec *v = &dist_vecs[_i];

	ck_assert_uint_eq(conf_edit_distance(v->a, v->b), v->d);
}
END_TEST

/* ---- error classes, exact messages ---- */

struct err_vec {
	const char *text;
	size_t len; /* 0: strlen */
	const char *msg;
};

/* conf_keys.c CONF_XAUTH_SPELLING */
#define CONF_XAUTH_SPELLING_TEXT                                                                   \
	"XAUTH is spelled authby=xauthpsk or authby=xauthrsasig, with xauth=server|client, in natkeyd"

static const struct err_vec err_vecs[] = {
	{ "conn a\n\tlefsubnet=10.0.0.0/24\n", 0,
	  "t.conf:2: unknown key 'lefsubnet' in conn 'a' (did you mean 'leftsubnet'?)" },
	{ "config setup\n\tmax-halfopen-ike=0\n", 0,
	  "t.conf:2: max-halfopen-ike=0: a count from 1 to 10000000" },
	{ "config setup\n\thalf-open-timeout=2h\n", 0,
	  "t.conf:2: half-open-timeout=2h: from 1 s to 1 h" },
	{ "conn a\n\tfoobarbaz=1\n", 0, "t.conf:2: unknown key 'foobarbaz' in conn 'a'" },
	{ "conn a\n\tnat-ikev1-method=all\n", 0,
	  "t.conf:2: nat-ikev1-method=all: expected drafts, rfc, both or none" },
	{ "conn a\n\tleftsigkey=k.pub\n", 0,
	  "t.conf:2: key 'leftsigkey' is not supported by natkeyd: raw public keys are not implemented: use leftcert=" },
	{ "conn a\n\tphase2=ah\n", 0,
	  "t.conf:2: phase2=ah: AH is not implemented: natkeyd negotiates ESP only" },
	{ "config setup\n\tprotostack=klips\n", 0,
	  "t.conf:2: protostack=klips: natkeyd programs the Linux XFRM stack only (protostack=netkey or xfrm)" },
	{ "conn a\n\tsha2-truncbug=maybe\n", 0,
	  "t.conf:2: sha2-truncbug=maybe: expected yes or no" },
	{ "conn a\n\tleftrsasigkey=0sAQO...\n", 0,
	  "t.conf:2: leftrsasigkey=0sAQO...: raw RSA keys are not implemented: use leftcert= (leftrsasigkey=%cert)" },
	{ "conn a\n\tcompress=yes\n", 0,
	  "t.conf:2: compress=yes: IPComp is not implemented: write compress=no" },
	{ "config setup\n\toe=on\n", 0,
	  "t.conf:2: oe=on: opportunistic encryption is not implemented: write oe=off" },
	{ "conn a\n\tleftauth2=xauth-radius\n", 0,
	  "t.conf:2: leftauth2=xauth-radius: expected xauth, xauth-generic or xauth-pam" },
	{ "conn a\n\tleftauth=xauth-pam\n", 0,
	  "t.conf:2: leftauth=xauth-pam: xauth-pam is the gateway's backend (rightauth=xauth-pam)" },
	{ "conn a\n\tleftauth=xauth-radius\n", 0,
	  "t.conf:2: leftauth=xauth-radius: " CONF_XAUTH_SPELLING_TEXT },
	{ "conn a\n\trightauth=eap-mschapv2\n", 0,
	  "t.conf:2: rightauth=eap-mschapv2: EAP is IKEv2 only" },
	{ "conn a\n\tencapsulation=maybe\n", 0,
	  "t.conf:2: encapsulation=maybe: expected yes, no or auto" },
	{ "conn a\n\tkeyingtries=often\n", 0,
	  "t.conf:2: keyingtries=often: expected a number of attempts or %forever" },
	{ "config setup\n\tuniqueids=sometimes\n", 0,
	  "t.conf:2: uniqueids=sometimes: expected yes, no, never, replace or keep" },
	{ "config setup\n\tinterfaces=\"eth0 a/b\"\n", 0,
	  "t.conf:2: interfaces=eth0 a/b: 'a/b' is not an interface name" },
	{ "config setup\n\tinterfaces=%none\n", 0,
	  "t.conf:2: interfaces=%none: %none would listen nowhere: name the interfaces IKE arrives on" },
	{ "conn a\n\tmodecfgdns=\"8.8.8.8 dns.example\"\n", 0,
	  "t.conf:2: modecfgdns=8.8.8.8 dns.example: 'dns.example' is not an IP address" },
	{ "conn a\n\tleftprotoport=udp/l2tpx\n", 0,
	  "t.conf:2: leftprotoport=udp/l2tpx: expected PROTO[/PORT] (e.g. 17/1701, udp/l2tp, udp/%any, tcp); PROTO is a number or icmp, tcp, udp, gre, icmpv6, sctp; PORT a number or a service name (l2tp, isakmp, ipsec-nat-t, domain, ...)" },
	{ "config setup\n\tcharondebug=ike 2\nconn a\n\tplutodebug=all\n", 0,
	  "t.conf:4: unknown key 'plutodebug' in conn 'a'" },
	{ "config setup\n\tike=aes128-sha1-modp2048\n", 0,
	  "t.conf:2: key 'ike' belongs in a conn section, not in config setup" },
	{ "conn a\n\tallow-legacy-algorithms=yes\n", 0,
	  "t.conf:2: key 'allow-legacy-algorithms' belongs in config setup, not in conn 'a'" },
	{ "config setup\n\tallow-legacy-algorithm=yes\n", 0,
	  "t.conf:2: unknown key 'allow-legacy-algorithm' in config setup (did you mean 'allow-legacy-algorithms'?)" },
	{ "conn a\n\tkeyexchange=ikev2\n", 0,
	  "t.conf:2: keyexchange=ikev2: IKEv2 is not supported by natkeyd (IKEv1 only)" },
	{ "conn a\n\tkeyexchange=ike\n", 0,
	  "t.conf:2: keyexchange=ike: 'ike' means IKEv2 in strongSwan; natkeyd speaks IKEv1 only: write keyexchange=ikev1" },
	{ "conn a\n\tikev2=insist\n", 0,
	  "t.conf:2: ikev2=insist: IKEv2 is not supported by natkeyd (IKEv1 only)" },
	{ "conn a\n\tpfs=maybe\n", 0, "t.conf:2: pfs=maybe: expected yes or no" },
	{ "conn a\n\tauto=always\n", 0,
	  "t.conf:2: auto=always: expected ignore, add, start or route" },
	{ "conn a\n\tdpdaction=reboot\n", 0,
	  "t.conf:2: dpdaction=reboot: expected none, clear, hold, restart or trap" },
	{ "conn a\n\tleftsendcert=sometimes\n", 0,
	  "t.conf:2: leftsendcert=sometimes: expected always, yes, alwayssend, ifasked, sendifasked, never, no or neversend" },
	{ "config setup\n\tstrictcrlpolicy=maybe\n", 0,
	  "t.conf:2: strictcrlpolicy=maybe: expected no, yes or ifuri" },
	{ "conn a\n\tocspuri=https://ocsp.example/\n", 0,
	  "t.conf:2: ocspuri=https://ocsp.example/: expected an http:// URL (OCSP over HTTP, RFC 6960 A.1)" },
	{ "conn a\n\trightca=example CA\n", 0,
	  "t.conf:2: rightca=example CA: expected a CA's distinguished name, e.g. \"C=CH, O=example, CN=example CA\"" },
	{ "conn a\n\tfragmentation=maybe\n", 0,
	  "t.conf:2: fragmentation=maybe: expected yes, accept, force or no" },
	{ "conn a\n\tfragment_size=575\n", 0,
	  "t.conf:2: fragment_size=575: expected the bytes of an IP datagram, 576..65535" },
	{ "conn a\n\tfragment_size=65536\n", 0,
	  "t.conf:2: fragment_size=65536: expected the bytes of an IP datagram, 576..65535" },
	{ "conn a\n\tfragment_size=1k\n", 0,
	  "t.conf:2: fragment_size=1k: expected the bytes of an IP datagram, 576..65535" },
	{ "conn a\n\ttype=tunel\n", 0,
	  "t.conf:2: type=tunel: expected tunnel, transport, passthrough, drop or reject" },
	{ "conn a\n\tauthby=nevr\n", 0,
	  "t.conf:2: authby=nevr: expected secret, psk, rsasig, pubkey, ecdsasig, ecdsa or never" },
	{ "conn a\n\tike=3des-sha1-modp2048\n", 0,
	  "t.conf:2: ike=3des-sha1-modp2048: 3des is a legacy algorithm: set allow-legacy-algorithms=yes in config setup to use it" },
	{ "conn a\n\tesp=aes128-sha1-dh2\n", 0,
	  "t.conf:2: esp=aes128-sha1-dh2: modp1024 is a legacy algorithm: set allow-legacy-algorithms=yes in config setup to use it" },
	{ "conn a\n\tike=aes128gcm16-sha256-modp2048\n", 0,
	  "t.conf:2: ike=aes128gcm16-sha256-modp2048: aes128gcm16 is an AEAD cipher, which IKEv1 phase 1 (ike=) cannot use" },
	{ "conn a\n\tesp=aes128-sha265\n", 0,
	  "t.conf:2: esp=aes128-sha265: unknown algorithm 'sha265' in proposal 'aes128-sha265' (did you mean 'sha256'?)" },
	{ "conn a\n\tike=aes256-sha256-modp1024,3des-sha1\n", 0,
	  "t.conf:2: ike=aes256-sha256-modp1024,3des-sha1: modp1024 is a legacy algorithm: set allow-legacy-algorithms=yes in config setup to use it" },
	{ "conn a\n\talso=b\n", 0, "t.conf:2: conn 'a': also='b' names no conn section" },
	{ "conn a\n\talso=b\nconn b\n\talso=a\n", 0, "t.conf:4: also= cycle: a -> b -> a" },
	{ "conn a\n\talso=a\n", 0, "t.conf:2: also= cycle: a -> a" },
	{ "conn %default\n\talso=x\nconn x\n", 0,
	  "t.conf:2: also= is not allowed in conn %default" },
	{ "conn a\n\tright=192.0.2.1\n\tright=192.0.2.2\n", 0,
	  "t.conf:3: duplicate key 'right' in conn 'a' (first set on line 2)" },
	{ "conn a\nconn a\n", 0, "t.conf:2: conn 'a' is defined twice (first on line 1)" },
	{ "config setup\nconfig setup\n", 0,
	  "t.conf:2: second 'config setup' section (the first is on line 1)" },
	{ "\tauto=add\n", 0,
	  "t.conf:1: key 'auto' outside of a section (indent keys under 'conn NAME' or 'config setup')" },
	{ "conn a\nauto=add\n", 0,
	  "t.conf:2: expected 'config setup' or 'conn NAME' here (key=value lines must be indented)" },
	{ "conn a\n\tauto add\n", 0, "t.conf:2: expected key=value" },
	{ "conn a\n\tle ft=x\n", 0, "t.conf:2: invalid key name 'le ft'" },
	{ "conn a\n\tleftid=\"C=CH\n", 0, "t.conf:2: unterminated quoted string" },
	{ "conn a\n\tleftid=x\"y\"\n", 0,
	  "t.conf:2: leftid: a quoted value must be one \"...\" string" },
	{ "conn a\n\tleftid=\"a\"\"b\"\n", 0,
	  "t.conf:2: leftid: a quoted value must be one \"...\" string" },
	{ "conn a/b\n", 0,
	  "t.conf:1: invalid conn name 'a/b' (up to 63 letters, digits, '.', '_', '-')" },
	{ "conn\n", 0, "t.conf:1: expected 'conn NAME'" },
	{ "conn a b\n", 0, "t.conf:1: expected 'conn NAME'" },
	{ "config\n", 0, "t.conf:1: expected 'config setup'" },
	{ "version 3\n", 0, "t.conf:1: expected 'version 2'" },
	{ "ca root\n\tcacert=x.pem\n", 0,
	  "t.conf:1: 'ca' sections are not supported by natkeyd (trust anchors are configured by the daemon)" },
	{ "include /etc/ipsec.d/*.conf\n", 0,
	  "t.conf:1: include: only a configuration read from a file can include others" },
	{ "include\n", 0, "t.conf:1: expected 'include PATTERN' (one path or glob pattern)" },
	{ "conn a\n\0\n", 8, "t.conf:2: NUL byte in file" },
	{ "conn a\n\tleftsubnet=10.0.0.1/24\n", 0,
	  "t.conf:2: leftsubnet=10.0.0.1/24: '10.0.0.1/24' has host bits set (did you mean 10.0.0.0/24?)" },
	{ "conn a\n\trightsubnet=1.0.0.0/8,2.0.0.0/8,3.0.0.0/8,4.0.0.0/8,5.0.0.0/8,6.0.0.0/8,7.0.0.0/8,8.0.0.0/8,9.0.0.0/8,10.0.0.0/8,11.0.0.0/8,12.0.0.0/8,13.0.0.0/8,14.0.0.0/8,15.0.0.0/8,16.0.0.0/8,17.0.0.0/8\n",
	  0,
	  "t.conf:2: rightsubnet=1.0.0.0/8,2.0.0.0/8,3.0.0.0/8,4.0.0.0/8,5.0.0.0/8,6.0.0.0/8,7.0.0.0/8,8.0.0.0/8,9.0.0.0/8,10.0.0: more than 16 subnets" },
	{ "conn a\n\tikelifetime=3x\n", 0,
	  "t.conf:2: ikelifetime=3x: '3x' is not a time (e.g. 30s, 10m, 3h, 1d)" },
	{ "conn a\n\trekeyfuzz=2000%\n", 0,
	  "t.conf:2: rekeyfuzz=2000%: expected a percentage 0%..1000%" },
	{ "conn a\n\tnatt_methods=rfc,draft02\n", 0,
	  "t.conf:2: natt_methods=rfc,draft02: expected rfc, draft, rfc,draft or none" },
	{ "conn a\n\tleftprotoport=17/70000\n", 0,
	  "t.conf:2: leftprotoport=17/70000: expected PROTO[/PORT] (e.g. 17/1701, udp/l2tp, udp/%any, tcp); PROTO is a number or icmp, tcp, udp, gre, icmpv6, sctp; PORT a number or a service name (l2tp, isakmp, ipsec-nat-t, domain, ...)" },
	{ "conn a\n\tleftprotoport=icmp/8\n", 0,
	  "t.conf:2: leftprotoport=icmp/8: a port only applies to tcp (6), udp (17) or sctp (132)" },
	{ "conn a\n\tleft=bad_host!\n", 0,
	  "t.conf:2: left=bad_host!: 'bad_host!' is neither an IP address nor a host name" },
	{ "conn a\n\tleft=%config\n", 0,
	  "t.conf:2: left=%config: expected an address, a host name, %any or %defaultroute" },
	{ "conn a\n\tleftid=@@x\n", 0, "t.conf:2: leftid=@@x: '@@x' is not a valid FQDN identity" },
	{ "conn a\n\tleftcert=my cert.pem\n", 0,
	  "t.conf:2: leftcert=my cert.pem: certificate paths cannot contain blanks" },
	{ "config setup\n\tkeep-alive=often\n", 0,
	  "t.conf:2: keep-alive=often: 'often' is not a time (e.g. 30s, 10m, 3h, 1d)" },
	{ "conn a\n\tnat_keepalive=sometimes\n", 0,
	  "t.conf:2: nat_keepalive=sometimes: 'sometimes' is not a time (e.g. 30s, 10m, 3h, 1d)" },
	{ "conn a\n\tnat_keepalive_max=5s\n", 0,
	  "t.conf:2: nat_keepalive_max=5s: less than 10s (nat_keepalive=auto never sends more often)" },
	{ "conn a\n\tnat_binding_lifetime=2d\n", 0,
	  "t.conf:2: nat_binding_lifetime=2d: more than 1d" },
	{ "conn a\n\tnat_binding_lifetime=natchek\n", 0,
	  "t.conf:2: nat_binding_lifetime=natchek: 'natchek' is not a time (e.g. 30s, 10m, 3h, 1d)" },
	{ "config setup\n\tnat-binding-lifetime=2d\n", 0,
	  "t.conf:2: nat-binding-lifetime=2d: more than 1d" },
	{ "config setup\n\tnat-binding-lifetime=stun\n", 0,
	  "t.conf:2: nat-binding-lifetime=stun: 'stun' is not a time (e.g. 30s, 10m, 3h, 1d)" },
	{ "config setup\n\tnat_traversal=draft\n", 0,
	  "t.conf:2: nat_traversal=draft: expected yes or no" },
	{ "conn a\n\tlifebytes=lots\n", 0,
	  "t.conf:2: lifebytes=lots: 'lots' is not a byte count (e.g. 1000000000, 512M, 4G)" },
	{ "conn a\n\tlifebytes=5T\n", 0,
	  "t.conf:2: lifebytes=5T: '5T' is more than 4398046510080 bytes (2^32-1 KiB, the IKEv1 maximum natkeyd offers)" },
	{ "conn a\n\tmarginbytes=100\n", 0,
	  "t.conf:2: marginbytes=100: 100 bytes is less than 1 KiB (IKEv1 counts byte lifetimes in kilobytes)" },
	{ "conn a\n\tmarginbytes=1.5M\n", 0,
	  "t.conf:2: marginbytes=1.5M: '1.5M' is not a byte count (e.g. 1000000000, 512M, 4G)" },
	{ "conn a\n\tcommitbit=sometimes\n", 0,
	  "t.conf:2: commitbit=sometimes: expected yes or no" },
	{ "conn a\n\tlifepackets=1000\n", 0,
	  "t.conf:2: key 'lifepackets' is not supported by natkeyd: packet lifetimes are not implemented: use lifebytes=" },
	/* virtual-private= and rightsubnet=vhost:/vnet: (Libreswan). */
	{ "config setup\n\tvirtual-private=10.0.0.0/8\n", 0,
	  "t.conf:2: virtual-private=10.0.0.0/8: '10.0.0.0/8': write each network as %v4:NET, %v6:NET or %v4:!NET (excluded)" },
	{ "config setup\n\tvirtual-private=%v6:10.0.0.0/8\n", 0,
	  "t.conf:2: virtual-private=%v6:10.0.0.0/8: '10.0.0.0/8' is not an IPv6 network" },
	{ "config setup\n\tvirtual-private=%v4:10.0.0.1/8\n", 0,
	  "t.conf:2: virtual-private=%v4:10.0.0.1/8: '10.0.0.1/8' has host bits set (did you mean 10.0.0.0/8?)" },
	{ "conn a\n\trightsubnet=vhost:%priv\n", 0,
	  "t.conf:2: rightsubnet=vhost:%priv: %priv needs virtual-private= in config setup (the networks road warriors may claim)" },
	{ "config setup\n\tvirtual-private=%v4:10.0.0.0/8\nconn a\n\tleftsubnet=vnet:%priv\n", 0,
	  "t.conf:4: leftsubnet=vnet:%priv: vhost:/vnet: is for rightsubnet= (what road warriors may claim)" },
	{ "config setup\n\tvirtual-private=%v4:10.0.0.0/8\nconn a\n\trightsubnet=vhost:%all\n", 0,
	  "t.conf:4: rightsubnet=vhost:%all: %all is not supported: a road warrior could claim any address; list the networks in virtual-private=" },
	{ "config setup\n\tvirtual-private=%v4:!10.0.0.0/8\nconn a\n\trightsubnet=vnet:%priv\n", 0,
	  "t.conf:4: rightsubnet=vnet:%priv: virtual-private= excludes only: nothing to allow" },
	{ "conn a\n\trightsubnet=vhost:\n", 0,
	  "t.conf:2: rightsubnet=vhost:: expected %priv and/or %no after vhost:" },
	{ "conn a\n\tlifebyte=1G\n", 0,
	  "t.conf:2: unknown key 'lifebyte' in conn 'a' (did you mean 'lifebytes'?)" },
	{ "conn a\n\tleftsourceip=10.1.0.5\n", 0,
	  "t.conf:2: leftsourceip=10.1.0.5: a fixed inner address of this host is not supported; use leftsourceip=%config to ask the gateway, or give the peer a pool with rightsourceip=" },
	/* XAUTH and Mode Config values (conf_modecfg.c). */
	{ "conn a\n\trightsourceip=10.0.0.0/15\n", 0,
	  "t.conf:2: rightsourceip=10.0.0.0/15: '10.0.0.0/15' holds more than 65536 addresses (natkeyd's limit, a /16)" },
	{ "conn a\n\trightaddresspool=10.0.0.0-10.1.0.0\n", 0,
	  "t.conf:2: rightaddresspool=10.0.0.0-10.1.0.0: '10.0.0.0-10.1.0.0' holds more than 65536 addresses (natkeyd's limit, a /16)" },
	{ "conn a\n\trightaddresspool=10.3.0.250-10.3.0.10\n", 0,
	  "t.conf:2: rightaddresspool=10.3.0.250-10.3.0.10: '10.3.0.250-10.3.0.10': the first address is above the last" },
	{ "conn a\n\trightaddresspool=10.3.0.1-2001:db8::1\n", 0,
	  "t.conf:2: rightaddresspool=10.3.0.1-2001:db8::1: '10.3.0.1-2001:db8::1' mixes IPv4 and IPv6" },
	{ "conn a\n\trightaddresspool=10.3.0.1-\n", 0,
	  "t.conf:2: rightaddresspool=10.3.0.1-: '10.3.0.1-' is not an address pool (write a subnet 10.3.0.0/24, a range 10.3.0.10-10.3.0.250, or one address)" },
	{ "conn a\n\trightaddresspool=%poolname\n", 0,
	  "t.conf:2: rightaddresspool=%poolname: expected a range such as 10.3.0.10-10.3.0.250" },
	{ "conn a\n\trightsourceip=10.3.0.1/24\n", 0,
	  "t.conf:2: rightsourceip=10.3.0.1/24: '10.3.0.1/24' has host bits set (did you mean 10.3.0.0/24?)" },
	{ "conn a\n\trightsourceip=10.3.0.0/24,10.4.0.0/24\n", 0,
	  "t.conf:2: rightsourceip=10.3.0.0/24,10.4.0.0/24: one pool per conn (no comma-separated list)" },
	{ "conn a\n\trightsourceip=%config\n", 0,
	  "t.conf:2: rightsourceip=%config: natkeyd's left is this host, so a client writes leftsourceip=%config; a gateway gives the right end a pool (rightsourceip=10.3.0.0/24)" },
	{ "conn a\n\tleftsourceip=%config6\n", 0,
	  "t.conf:2: leftsourceip=%config6: IPv6 virtual addresses are not implemented yet" },
	{ "conn a\n\txauth=both\n", 0, "t.conf:2: xauth=both: expected server or client" },
	{ "conn a\n\txauthby=alwaysok\n", 0,
	  "t.conf:2: xauthby=alwaysok: xauthby=alwaysok accepts every password: natkeyd does not offer it" },
	{ "conn a\n\txauthby=radius\n", 0, "t.conf:2: xauthby=radius: expected file or pam" },
	{ "conn a\n\tpam-service=../etc/shadow\n", 0,
	  "t.conf:2: pam-service=../etc/shadow: expected a PAM service name (a file name of /etc/pam.d: letters, digits, '.', '_', '-'; at most 63)" },
	{ "conn a\n\tpam-service=.hidden\n", 0,
	  "t.conf:2: pam-service=.hidden: expected a PAM service name (a file name of /etc/pam.d: letters, digits, '.', '_', '-'; at most 63)" },
	{ "conn a\n\tleftxauthserver=maybe\n", 0,
	  "t.conf:2: leftxauthserver=maybe: expected yes or no" },
	{ "conn a\n\tmodeconfig=both\n", 0, "t.conf:2: modeconfig=both: expected pull or push" },
	{ "conn a\n\tmodecfgdns=10.3.0.1,dns.example\n", 0,
	  "t.conf:2: modecfgdns=10.3.0.1,dns.example: 'dns.example' is not an IP address" },
	{ "conn a\n\tmodecfgdns=1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5\n", 0,
	  "t.conf:2: modecfgdns=1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5: more than 4 DNS servers" },
	{ "conn a\n\tmodecfgdomains=corp.example,bad_domain\n", 0,
	  "t.conf:2: modecfgdomains=corp.example,bad_domain: 'bad_domain' is not a domain name" },
	{ "conn a\n\tcisco-unity=maybe\n", 0, "t.conf:2: cisco-unity=maybe: expected yes or no" },
	{ "conn a\n\txauth_identity=\"a b\"\n", 0,
	  "t.conf:2: xauth_identity=a b: a user name cannot contain blanks" },
	{ "conn a\n\tleftaddresspool=10.3.0.1-10.3.0.9\n", 0,
	  "t.conf:2: key 'leftaddresspool' is not supported by natkeyd: Mode Config: the pool is the clients': write rightaddresspool=" },
};

START_TEST(test_errors)
{
	const struct err_vec *v = &err_vecs[_i];
	struct conf_diag d;
	struct conf *c = (struct conf *)1;
	int rc;

	rc = conf_parse("t.conf", v->text, v->len ? v->len : strlen(v->text), &c, &d);
	ck_assert_int_eq(rc, -EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_uint_ge(d.n, 1);
	ck_assert_str_eq(d.msg[0], v->msg);
}
END_TEST

/* Files in tests/data/conf with every error they must produce, in order. */
struct bad_file {
	const char *name;
	const char *msgs[4];
};

static const struct bad_file bad_files[] = {
	{ "bad-unknown-key.conf",
	  { "bad-unknown-key.conf:7: unknown key 'rightsubnett' in conn 'typo' (did you mean 'rightsubnet'?)" } },
	{ "bad-also-cycle.conf",
	  { "bad-also-cycle.conf:9: also= cycle: a -> b -> c -> a",
	    "bad-also-cycle.conf:2: also= cycle: b -> c -> a -> b",
	    "bad-also-cycle.conf:6: also= cycle: c -> a -> b -> c" } },
	{ "bad-legacy.conf",
	  { "bad-legacy.conf:4: ike=aes128-md5-modp2048: md5 is a legacy algorithm: set allow-legacy-algorithms=yes in config setup to use it" } },
	{ "bad-ikev2.conf",
	  { "bad-ikev2.conf:2: keyexchange=ikev2: IKEv2 is not supported by natkeyd (IKEv1 only)" } },
	{ "bad-unsupported.conf",
	  { "bad-unsupported.conf:4: key 'inactivity' is not supported by natkeyd: idle timeouts are not implemented" } },
	{ "bad-multi.conf",
	  { "bad-multi.conf:2: pfs=sometimes: expected yes or no",
	    "bad-multi.conf:3: leftsubnet=10.0.0.1/8: '10.0.0.1/8' has host bits set (did you mean 10.0.0.0/8?)",
	    "bad-multi.conf:4: unknown key 'aggresive' in conn 'one' (did you mean 'aggressive'?)" } },
};

START_TEST(test_bad_files)
{
	const struct bad_file *b = &bad_files[_i];
	struct conf_diag d;
	struct conf *c = NULL;
	size_t len, n;
	char *text = slurp(b->name, &len);

	ck_assert_int_eq(conf_parse(b->name, text, len, &c, &d), -EINVAL);
	for (n = 0; n < 4 && b->msgs[n]; n++) {
		ck_assert_uint_gt(d.n, n);
		ck_assert_str_eq(d.msg[n], b->msgs[n]);
	}
	ck_assert_uint_eq(d.n, n);
	free(text);
}
END_TEST

START_TEST(test_diag_overflow)
{
	char text[4096];
	size_t off = 0;
	struct conf_diag d;
	struct conf *c = NULL;
	int i;

	off += (size_t)snprintf(text, sizeof(text), "conn a\n");
	for (i = 0; i < CONF_DIAG_MAX + 5; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off, "\tbogus%d=1\n", i);
	ck_assert_int_eq(conf_parse("t.conf", text, off, &c, &d), -EINVAL);
	ck_assert_uint_eq(d.n, CONF_DIAG_MAX);
	ck_assert_uint_eq(d.dropped, 5);
	ck_assert_str_eq(d.msg[0], "t.conf:2: unknown key 'bogus0' in conn 'a'");
}
END_TEST

/* also= chains: 32 sections resolve, 33 are refused at the 32nd also=. */
START_TEST(test_also_depth)
{
	char text[2048];
	size_t off = 0;
	struct conf_diag d;
	struct conf *c = NULL;
	int i, n = _i ? 33 : 32;

	for (i = 0; i < n; i++)
		off += (size_t)snprintf(
			text + off, sizeof(text) - off,
			i + 1 < n ? "conn c%d\n\talso=c%d\n" : "conn c%d\n\tpfs=no\n", i, i + 1);
	if (n == 32) {
		ck_assert_msg(conf_parse("t.conf", text, off, &c, &d) == 0, "%s", d.msg[0]);
		ck_assert(!conf_conn_find(c, "c0")->pfs);
		conf_free(c);
		return;
	}
	ck_assert_int_eq(conf_parse("t.conf", text, off, &c, &d), -EINVAL);
	ck_assert_str_eq(d.msg[0], "t.conf:64: also= chain deeper than 32 sections");
}
END_TEST

/* ---- resolution ---- */

START_TEST(test_resolution_order)
{
	struct conf *c = parse_ok("conn %default\n"
				  "\tikelifetime=1h\n"
				  "\tlifetime=20m\n"
				  "\tpfs=no\n"
				  "conn base\n"
				  "\tlifetime=30m\n"
				  "\tdpddelay=10s\n"
				  "\taggressive=yes\n"
				  "conn base2\n"
				  "\tdpddelay=20s\n"
				  "conn x\n"
				  "\tdpdtimeout=99s\n"
				  "\talso=base base2\n" /* also applies before own keys */
				  "\tikelifetime=\n"	/* empty: back to the built-in 3h */
				  "\taggressive=no\n");
	const struct conf_conn *x = conf_conn_find(c, "x");

	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(x->ikelifetime, 10800);
	ck_assert_uint_eq(x->lifetime, 1800); /* also= overrides %default */
	ck_assert_uint_eq(x->dpddelay, 20);   /* later also= overrides earlier */
	ck_assert_uint_eq(x->dpdtimeout, 99);
	ck_assert(!x->pfs);
	ck_assert(!x->aggressive); /* own key overrides also= */
	ck_assert_ptr_null(conf_conn_find(c, "%default"));
	ck_assert_uint_eq(c->n_conns, 3);
	conf_free(c);
}
END_TEST

START_TEST(test_defaults)
{
	struct conf *c = parse_ok("conn d\n");
	const struct conf_conn *d = &c->conns[0];
	char buf[512];

	ck_assert_int_eq(d->autostart, CONF_AUTO_IGNORE);
	ck_assert_int_eq(d->authby, CONF_AUTHBY_PSK);
	ck_assert_int_eq(d->mode, CONF_MODE_TUNNEL);
	ck_assert_uint_eq(d->ikelifetime, 3 * 3600);
	ck_assert_uint_eq(d->lifetime, 3600);
	ck_assert_uint_eq(d->rekeymargin, 9 * 60);
	ck_assert_uint_eq(d->rekeyfuzz, 100);
	ck_assert(d->pfs);
	ck_assert(!d->aggressive);
	ck_assert(!d->forceencaps);
	ck_assert_uint_eq(d->natt_methods, CONF_NATT_RFC | CONF_NATT_DRAFT);
	ck_assert_uint_eq(d->nat_keepalive, 20); /* RFC 3948 s4 */
	ck_assert_uint_eq(d->dpddelay, 30);
	ck_assert_uint_eq(d->dpdtimeout, 150);
	ck_assert_int_eq(d->dpdaction, CONF_DPD_NONE);
	ck_assert_int_eq(d->fragmentation, CONF_FRAG_YES); /* strongSwan's default */
	ck_assert_uint_eq(d->fragment_size, 576);
	ck_assert_uint_eq(d->lifebytes, 0);
	ck_assert_uint_eq(d->marginbytes, 0);
	ck_assert(!d->commitbit);
	ck_assert_int_eq(d->left.host.kind, CONF_HOST_UNSET);
	ck_assert_str_eq(conf_proposals_format(&d->ike, buf, sizeof(buf)),
			 "aes256-sha256-modp2048,aes128-sha256-modp2048,aes128-sha1-modp2048");
	ck_assert_str_eq(conf_proposals_format(&d->esp, buf, sizeof(buf)),
			 "aes256gcm16,aes128gcm16,aes256-sha256,aes128-sha1");
	ck_assert(!c->setup.allow_legacy);
	conf_free(c);
}
END_TEST

/* lifebytes/marginbytes/commitbit: values, inheritance from %default, reset
 * with an empty value, and what --check-config prints. */
START_TEST(test_byte_lifetimes)
{
	struct conf *c =
		parse_ok("conn %default\n\tlifebytes=2G\n\tcommitbit=yes\n"
			 "conn a\n\tmarginbytes=256M\n"
			 "conn b\n\tlifebytes=\n\tcommitbit=\n"
			 "conn c\n\tlifebytes=1000000000\n\tmarginbytes=0\n\tcommitbit=no\n");
	char *text;

	ck_assert_uint_eq(c->conns[0].lifebytes, 2147483648ULL);
	ck_assert_uint_eq(c->conns[0].marginbytes, 268435456ULL);
	ck_assert(c->conns[0].commitbit);
	ck_assert_uint_eq(c->conns[1].lifebytes, 0);
	ck_assert_uint_eq(c->conns[1].marginbytes, 0);
	ck_assert(!c->conns[1].commitbit);
	ck_assert_uint_eq(c->conns[2].lifebytes, 1000000000ULL);
	ck_assert(!c->conns[2].commitbit);
	text = print_conf(c);
	ck_assert_ptr_nonnull(
		strstr(text, "conn a\n\tauto=ignore\n")); /* sanity: the section starts */
	ck_assert_ptr_nonnull(strstr(text, "\tlifebytes=2147483648\n\tmarginbytes=268435456\n"
					   "\tcommitbit=yes\n"));
	ck_assert_ptr_nonnull(strstr(text, "\tlifebytes=0\n\tmarginbytes=0\n\tcommitbit=no\n"));
	ck_assert_ptr_nonnull(
		strstr(text, "\tlifebytes=1000000000\n\tmarginbytes=0\n\tcommitbit=no\n"));
	free(text);
	conf_free(c);
}
END_TEST

/* sha2-truncbug= (Libreswan, also sha2_truncbug=) and sha256_96= (strongSwan):
 * one per-connection flag, inherited from %default, printed by --check-config. */
START_TEST(test_sha2_truncbug)
{
	struct conf *c = parse_ok("conn %default\n\tsha2-truncbug=yes\n"
				  "conn a\n"
				  "conn b\n\tsha2_truncbug=no\n"
				  "conn c\n\tsha2-truncbug=\n"
				  "conn d\n\tsha2-truncbug=no\n\tsha256_96=yes\n");
	char *text;

	ck_assert(c->conns[0].sha2_truncbug);
	ck_assert(!c->conns[1].sha2_truncbug);
	ck_assert(!c->conns[2].sha2_truncbug);
	ck_assert(c->conns[3].sha2_truncbug);
	text = print_conf(c);
	ck_assert_ptr_nonnull(strstr(text, "\tsha2-truncbug=yes\n"));
	ck_assert_ptr_nonnull(strstr(text, "\tsha2-truncbug=no\n"));
	free(text);
	conf_free(c);
}
END_TEST

/* fragmentation= and fragment_size=: every value, %default inheritance,
 * reset with an empty value, and what --check-config prints. */
START_TEST(test_fragmentation)
{
	struct conf *c = parse_ok("conn %default\n\tfragmentation=force\n\tfragment_size=1280\n"
				  "conn a\n"
				  "conn b\n\tfragmentation=accept\n\tfragment_size=\n"
				  "conn c\n\tfragmentation=no\n"
				  "conn d\n\tfragmentation=yes\n\tfragment_size=65535\n");
	char *text;

	ck_assert_int_eq(c->conns[0].fragmentation, CONF_FRAG_FORCE);
	ck_assert_uint_eq(c->conns[0].fragment_size, 1280);
	ck_assert_int_eq(c->conns[1].fragmentation, CONF_FRAG_ACCEPT);
	ck_assert_uint_eq(c->conns[1].fragment_size, 576);
	ck_assert_int_eq(c->conns[2].fragmentation, CONF_FRAG_NO);
	ck_assert_int_eq(c->conns[3].fragmentation, CONF_FRAG_YES);
	ck_assert_uint_eq(c->conns[3].fragment_size, 65535);
	text = print_conf(c);
	ck_assert_ptr_nonnull(strstr(text, "\tfragmentation=force\n\tfragment_size=1280\n"));
	ck_assert_ptr_nonnull(strstr(text, "\tfragmentation=accept\n\tfragment_size=576\n"));
	ck_assert_ptr_nonnull(strstr(text, "\tfragmentation=no\n"));
	ck_assert_ptr_nonnull(strstr(text, "\tfragmentation=yes\n\tfragment_size=65535\n"));
	free(text);
	conf_free(c);
}
END_TEST

/* The certificate keys of issue 17: values, %default, the folded
 * strictcrlpolicy=, and what --check-config prints (conf_diff() compares it). */
START_TEST(test_pki_keys)
{
	struct conf *c = parse_ok("config setup\n\tstrictcrlpolicy=ifuri\n"
				  "conn %default\n\tleftsendcert=ifasked\n"
				  "conn a\n\trightca=\"O=example, CN=example CA\"\n"
				  "\tocspuri=http://192.0.2.9:8888/ocsp\n"
				  "conn b\n\tleftsendcert=never\n\tleftca=/O=example/CN=mine\n");
	char *text;

	ck_assert_int_eq(c->setup.crlpolicy, CONF_CRL_IFURI);
	ck_assert_int_eq(c->conns[0].crlpolicy, CONF_CRL_IFURI);
	ck_assert_int_eq(c->conns[0].sendcert, CONF_SENDCERT_IFASKED);
	ck_assert_str_eq(c->conns[0].right.ca, "O=example, CN=example CA");
	ck_assert_str_eq(c->conns[0].ocspuri, "http://192.0.2.9:8888/ocsp");
	ck_assert_int_eq(c->conns[1].sendcert, CONF_SENDCERT_NEVER);
	ck_assert_str_eq(c->conns[1].left.ca, "/O=example/CN=mine");
	ck_assert_str_eq(c->conns[1].ocspuri, "");
	text = print_conf(c);
	ck_assert_ptr_nonnull(strstr(text, "\tstrictcrlpolicy=ifuri\n"));
	ck_assert_ptr_nonnull(strstr(text, "\trightca=\"O=example, CN=example CA\"\n"));
	ck_assert_ptr_nonnull(strstr(text, "\tleftsendcert=ifasked\n"));
	ck_assert_ptr_nonnull(strstr(text, "\tocspuri=http://192.0.2.9:8888/ocsp\n"));
	ck_assert_ptr_nonnull(strstr(text, "\tleftsendcert=never\n"));
	free(text);
	conf_free(c);
}
END_TEST

struct natt_vec {
	const char *line;
	unsigned methods;
};

static const struct natt_vec natt_vecs[] = {
	{ "natt_methods=rfc", CONF_NATT_RFC },
	{ "natt_methods=draft", CONF_NATT_DRAFT },
	{ "natt_methods=draft,rfc", CONF_NATT_RFC | CONF_NATT_DRAFT },
	{ "natt_methods=none", 0 },
	{ "nat-ikev1-method=rfc", CONF_NATT_RFC },
	{ "nat-ikev1-method=drafts", CONF_NATT_DRAFT },
	{ "nat-ikev1-method=both", CONF_NATT_RFC | CONF_NATT_DRAFT },
	{ "nat-ikev1-method=none", 0 },
	{ "natt_methods=", CONF_NATT_RFC | CONF_NATT_DRAFT },
};

START_TEST(test_natt_methods)
{
	char text[128];
	struct conf *c;

	snprintf(text, sizeof(text), "conn a\n\t%s\n", natt_vecs[_i].line);
	c = parse_ok(text);
	ck_assert_uint_eq(c->conns[0].natt_methods, natt_vecs[_i].methods);
	conf_free(c);
}
END_TEST

START_TEST(test_setup_inheritance)
{
	/* config setup after the conn still applies: it is resolved first. */
	struct conf *c = parse_ok("conn a\n"
				  "\tike=3des-sha1-modp1024\n"
				  "conn b\n"
				  "\tnatt_methods=draft\n"
				  "config setup\n"
				  "\tallow-legacy-algorithms=yes\n"
				  "\tnat_traversal=no\n"
				  "\tkeep-alive=1m\n");

	ck_assert(c->setup.allow_legacy);
	ck_assert_uint_eq(c->conns[0].natt_methods, 0);
	ck_assert_uint_eq(c->conns[0].nat_keepalive, 60);
	ck_assert_uint_eq(c->conns[1].natt_methods, CONF_NATT_DRAFT);
	ck_assert_int_eq(c->conns[0].ike.v[0].encr, CONF_ENCR_3DES_CBC);
	ck_assert_int_eq(c->conns[0].ike.v[0].group, CONF_GROUP_MODP1024);
	conf_free(c);
}
END_TEST

/* Half-open limits (issue 15): Libreswan/strongSwan-like names, defaults,
 * bad values refused. */
START_TEST(test_setup_halfopen)
{
	struct conf *c = parse_ok("config setup\n"
				  "\tmax-halfopen-ike=500\n"
				  "\tmax-halfopen-ike-per-source=4\n"
				  "\tddos-ike-threshold=100\n"
				  "\thalf-open-timeout=10s\n"
				  "conn a\n\tleft=192.0.2.1\n\tright=198.51.100.2\n");

	ck_assert_uint_eq(c->setup.max_halfopen, 500);
	ck_assert_uint_eq(c->setup.halfopen_per_source, 4);
	ck_assert_uint_eq(c->setup.ddos_threshold, 100);
	ck_assert_uint_eq(c->setup.halfopen_timeout, 10);
	conf_free(c);
	c = parse_ok("conn a\n\tleft=192.0.2.1\n\tright=198.51.100.2\n");
	ck_assert_uint_eq(c->setup.max_halfopen, 4096);
	ck_assert_uint_eq(c->setup.halfopen_per_source, 32);
	ck_assert_uint_eq(c->setup.ddos_threshold, 0); /* half of the cap, in the daemon */
	ck_assert_uint_eq(c->setup.halfopen_timeout, 30);
	conf_free(c);
}
END_TEST

/* crypto-workers= and Libreswan's nhelpers= (the same threads; -1 = one
 * per CPU, the default); a bad count is refused. */
START_TEST(test_setup_workers)
{
	static const struct {
		const char *line;
		int32_t want; /* INT32_MIN: refused */
	} v[] = {
		{ "crypto-workers=2", 2 },    { "crypto-workers=0", 0 },
		{ "nhelpers=3", 3 },	      { "nhelpers=0", 0 },
		{ "nhelpers=-1", -1 },	      { "nhelpers=1h", INT32_MIN },
		{ "nhelpers=65", INT32_MIN }, { "crypto-workers=-1", INT32_MIN },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char text[160];
		struct conf_diag d;
		struct conf *c = NULL;
		int rc;

		snprintf(text, sizeof(text),
			 "config setup\n\t%s\nconn a\n\tleft=192.0.2.1\n\tright=198.51.100.2\n",
			 v[i].line);
		rc = conf_parse("t.conf", text, strlen(text), &c, &d);
		if (v[i].want == INT32_MIN) {
			ck_assert_msg(rc < 0, "%s accepted", v[i].line);
			continue;
		}
		ck_assert_msg(rc == 0 && d.n == 0, "%s: %s", v[i].line, d.n ? d.msg[0] : "");
		ck_assert_msg(c->setup.crypto_workers == v[i].want, "%s: %d", v[i].line,
			      (int)c->setup.crypto_workers);
		conf_free(c);
	}
	{
		struct conf *c = parse_ok("conn a\n\tleft=192.0.2.1\n\tright=198.51.100.2\n");

		ck_assert_int_eq(c->setup.crypto_workers, -1);
		conf_free(c);
	}
}
END_TEST

START_TEST(test_syntax_variants)
{
	/* Comments after values, quoted values with '#', spaces around '=',
	 * CRLF line ends, a missing final newline. */
	struct conf *c = parse_ok("# leading comment\r\n"
				  "conn a # trailing\r\n"
				  "  leftid = \"C=CH, O=Hash#Co\"   # comment\r\n"
				  "\tleft=192.0.2.1\r\n"
				  "\r\n"
				  "\t# indented comment\n"
				  "\tright=gw.example.net");
	const struct conf_conn *a = &c->conns[0];

	ck_assert_int_eq(a->left.id.type, CONF_ID_DER_ASN1_DN);
	ck_assert_str_eq(a->left.id.value, "C=CH, O=Hash#Co");
	ck_assert_int_eq(a->left.host.kind, CONF_HOST_ADDR);
	ck_assert_int_eq(a->right.host.kind, CONF_HOST_NAME);
	ck_assert_str_eq(a->right.host.name, "gw.example.net");
	conf_free(c);
}
END_TEST

/* strongSwan/Libreswan spellings natkeyd honours, and foreign keys it
 * accepts with one warning each (conf->notes) instead of refusing. */
START_TEST(test_foreign_keys)
{
	static const char *const lines[] = {
		"version 2.0",				     /* 1 */
		"config setup",				     /* 2 */
		"\tprotostack=netkey",			     /* 3 */
		"\tplutodebug=none",			     /* 4 */
		"\tuniqueids=no",			     /* 5 */
		"\tinterfaces=\"eth0 ipsec0=eth1\"",	     /* 6 */
		"\toe=off",				     /* 7 */
		"conn %default",			     /* 8 */
		"\trightnexthop=%defaultroute",		     /* 9 */
		"conn a",				     /* 10 */
		"\tleft=192.0.2.1",			     /* 11 */
		"\tright=%any",				     /* 12 */
		"\tphase2=esp",				     /* 13 */
		"\tphase2alg=aes_gcm-null,aes128-sha1",	     /* 14 */
		"\tike=aes256-sha2,aes128-sha1;modp1024",    /* 15 */
		"\tsalifetime=8h",			     /* 16 */
		"\tleftprotoport=udp/l2tp",		     /* 17 */
		"\trightprotoport=17/%any",		     /* 18 */
		"\tmodecfgdns=\"192.0.2.53, 2001:db8::53\"", /* 19 */
		"\trekey=no",				     /* 20 */
		"\tkeyingtries=%forever",		     /* 21 */
		"\tencapsulation=yes",			     /* 22 */
		"\tdpdaction=trap",			     /* 23 */
		"\tsha2-truncbug=no",			     /* 24 */
		"\tleftauth=pubkey",			     /* 25 */
		"\tnat-keepalive=no",			     /* 26 */
		"\taggrmode=no",			     /* 27 */
		"\tikev2=never",			     /* 28 */
		"conn b",				     /* 29 */
		"\tleft=192.0.2.1",			     /* 30 */
		"\tright=198.51.100.1",			     /* 31 */
		"\tencapsulation=no",			     /* 32 */
		"\tkeyingtries=3",			     /* 33 */
		"\tmodecfgdns1=192.0.2.53",		     /* 34 */
		"\tmodecfgdns2=192.0.2.54",		     /* 35 */
	};
	static const char *const notes[] = {
		"t.conf:3: warning: protostack=netkey accepted without effect: natkeyd always programs the Linux XFRM stack",
		"t.conf:4: warning: plutodebug=none accepted without effect: natkeyd's log level is set with -d or `natkeyctl log-level debug [MODULE]`",
		"t.conf:9: warning: rightnexthop=%defaultroute accepted without effect: natkeyd uses the kernel's routing table",
		"t.conf:15: warning: ike=aes256-sha2,aes128-sha1;modp1024: 1 legacy proposal(s) not offered (first 'aes128-sha1;modp1024': modp1024 is a legacy algorithm: set allow-legacy-algorithms=yes in config setup to use it)",
	};
	char text[2048], buf[256];
	struct conf_diag d;
	struct conf *c = NULL;
	size_t i, off = 0;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off, "%s\n", lines[i]);
	ck_assert_msg(conf_parse("t.conf", text, off, &c, &d) == 0, "%s", d.n ? d.msg[0] : "");
	for (i = 0; i < c->notes.n && i < sizeof(notes) / sizeof(notes[0]); i++)
		ck_assert_str_eq(c->notes.msg[i], notes[i]);
	ck_assert_uint_eq(c->notes.n, sizeof(notes) / sizeof(notes[0]));
	ck_assert_int_eq(c->setup.uniqueids, CONF_UNIQUE_NO);
	ck_assert_uint_eq(c->setup.n_interfaces, 2);
	ck_assert_str_eq(c->setup.interfaces[0], "eth0");
	ck_assert_str_eq(c->setup.interfaces[1], "eth1");

	const struct conf_conn *a = &c->conns[0], *b = &c->conns[1];

	ck_assert_int_eq(a->uniqueids, CONF_UNIQUE_NO);
	ck_assert_str_eq(conf_proposals_format(&a->esp, buf, sizeof(buf)),
			 "aes128gcm16,aes128-sha1");
	ck_assert_str_eq(conf_proposals_format(&a->ike, buf, sizeof(buf)),
			 "aes256-sha256-modp2048");
	ck_assert_uint_eq(a->lifetime, 8 * 3600);
	ck_assert_uint_eq(a->left.protoport.proto, 17);
	ck_assert_uint_eq(a->left.protoport.port, 1701);
	ck_assert_uint_eq(a->right.protoport.port, 0);
	ck_assert_uint_eq(a->n_dns, 2);
	ck_assert_str_eq(conf_addr_format(&a->dns[1], buf, sizeof(buf)), "2001:db8::53");
	ck_assert(!a->rekey);
	ck_assert_uint_eq(a->keyingtries, 0);
	ck_assert(a->forceencaps);
	ck_assert_uint_ne(a->natt_methods, 0);
	ck_assert_int_eq(a->dpdaction, CONF_DPD_HOLD);
	ck_assert_int_eq(a->authby, CONF_AUTHBY_RSASIG);
	ck_assert_uint_eq(a->nat_keepalive, 0);
	ck_assert(!a->aggressive);
	ck_assert(b->rekey);
	ck_assert(!b->forceencaps);
	ck_assert_uint_eq(b->natt_methods, 0);
	ck_assert_uint_eq(b->keyingtries, 3);
	ck_assert_uint_eq(b->n_dns, 2);
	ck_assert_uint_ne(b->nat_keepalive, 0);

	/* The effective configuration parses back to itself. */
	char *p1 = print_conf(c), *p2;
	struct conf *c2 = NULL;

	/* The warnings are not part of the effective configuration. */
	ck_assert_ptr_null(strstr(p1, "warning"));
	{
		char *w = NULL;
		size_t wl = 0;
		FILE *f = open_memstream(&w, &wl);

		conf_notes_print(c, "# ", f);
		fclose(f);
		ck_assert_ptr_nonnull(strstr(
			w,
			"# t.conf:3: warning: protostack=netkey accepted without effect: natkeyd always programs the Linux XFRM stack\n"));
		free(w);
	}
	ck_assert_ptr_nonnull(strstr(p1, "\tuniqueids=no\n\tinterfaces=\"eth0 eth1\"\n"));
	ck_assert_ptr_nonnull(strstr(p1, "\trekey=no\n\tkeyingtries=%forever\n"
					 "\tleftfirewall=no\n"
					 "\t# uniqueids=no\n"));
	ck_assert_ptr_nonnull(strstr(p1, "\tmodecfgdns=192.0.2.53,2001:db8::53\n"));
	ck_assert_msg(conf_parse("t.conf", p1, strlen(p1), &c2, &d) == 0, "%s\n%s",
		      d.n ? d.msg[0] : "", p1);
	p2 = print_conf(c2);
	ck_assert_str_eq(p2, p1);
	free(p1);
	free(p2);
	conf_free(c2);
	conf_free(c);

	/* uniqueids=keep is honoured (the engine refuses the newer IKE SA,
	 * check_engine_keys.c): no warning. */
	c = parse_ok("config setup\n\tuniqueids=keep\n");
	ck_assert_uint_eq(c->notes.n, 0);
	ck_assert_int_eq(c->setup.uniqueids, CONF_UNIQUE_KEEP);
	conf_free(c);
}
END_TEST

/* leftupdown=: a shell command kept as written; the other daemons' own
 * _updown scripts and %disabled mean none; rightupdown= is the peer's. */
START_TEST(test_updown_key)
{
	struct conf *c = parse_ok("conn a\n\tleftupdown=/etc/natkeyd/updown.sh --route yes\n"
				  "\tleftfirewall=yes\n"
				  "conn b\n\tleftupdown=%disabled\n");
	char *p;

	ck_assert_str_eq(c->conns[0].updown, "/etc/natkeyd/updown.sh --route yes");
	ck_assert_str_eq(c->conns[1].updown, "");
	ck_assert(c->conns[0].firewall);
	ck_assert(!c->conns[1].firewall);
	p = print_conf(c);
	ck_assert_ptr_nonnull(strstr(p, "\tleftfirewall=yes\n"));
	ck_assert_ptr_nonnull(strstr(p, "\tleftupdown=/etc/natkeyd/updown.sh --route yes\n"));
	free(p);
	conf_free(c);

	struct conf_diag d;
	const char *text = "conn a\n\tleftupdown=ipsec _updown iptables\n\trightupdown=/x.sh\n";

	ck_assert_int_eq(conf_parse("t.conf", text, strlen(text), &c, &d), 0);
	ck_assert_str_eq(c->conns[0].updown, "");
	ck_assert_uint_eq(c->notes.n, 2);
	ck_assert_str_eq(
		c->notes.msg[0],
		"t.conf:2: warning: leftupdown=ipsec _updown iptables: strongSwan's/Libreswan's _updown script is not part of natkeyd, which installs its policies itself: no script runs");
	ck_assert_str_eq(
		c->notes.msg[1],
		"t.conf:3: warning: rightupdown=/x.sh accepted without effect: the peer's script: natkeyd runs leftupdown= (left is this host)");
	conf_free(c);
}
END_TEST

/* type=passthrough|drop|reject with authby=never: a policy, no IKE, no
 * peer, no secret; printed back as written. */
START_TEST(test_shunts)
{
	struct conf *c = parse_ok("conn lan\n\tleftsubnet=10.1.0.0/24\n\trightsubnet=10.1.0.0/24\n"
				  "\tauthby=never\n\ttype=passthrough\n\tauto=route\n"
				  "conn block\n\tleft=192.0.2.1\n\trightsubnet=198.51.100.0/24\n"
				  "\ttype=drop\n\tauto=route\n");
	struct conf_diag d;
	char *p, *p2;
	struct conf *c2 = NULL;

	ck_assert_int_eq(c->conns[0].shunt, CONF_SHUNT_PASS);
	ck_assert_int_eq(c->conns[0].authby, CONF_AUTHBY_NEVER);
	ck_assert_int_eq(c->conns[1].shunt, CONF_SHUNT_DROP);
	memset(&d, 0, sizeof(d));
	ck_assert_msg(conf_validate(c, NULL, &d) == 0, "%s", d.msg[0]);
	p = print_conf(c);
	ck_assert_ptr_nonnull(strstr(p, "conn lan\n\tauto=route\n\tkeyexchange=ikev1\n"
					"\tauthby=never\n\ttype=passthrough\n"));
	ck_assert_ptr_nonnull(strstr(p, "\ttype=drop\n"));
	ck_assert_int_eq(conf_parse("t.conf", p, strlen(p), &c2, &d), 0);
	p2 = print_conf(c2);
	ck_assert_str_eq(p2, p);
	free(p);
	free(p2);
	conf_free(c2);
	conf_free(c);

	/* reject drops (with a warning); a shunt needs its networks;
	 * authby=never is for shunts only. */
	const char *text = "conn r\n\ttype=reject\n\tleftsubnet=10.0.0.0/8\n\tauto=route\n"
			   "conn n\n\tleft=192.0.2.1\n\tright=192.0.2.2\n\tauthby=never\n"
			   "\tauto=add\n";

	ck_assert_int_eq(conf_parse("t.conf", text, strlen(text), &c, &d), 0);
	ck_assert_int_eq(c->conns[0].shunt, CONF_SHUNT_REJECT);
	ck_assert_str_eq(
		c->notes.msg[0],
		"t.conf:2: warning: type=reject: XFRM policies cannot answer with ICMP: natkeyd drops the packets (as type=drop)");
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(conf_validate(c, NULL, &d), -EINVAL);
	ck_assert_uint_eq(d.n, 2);
	ck_assert_str_eq(
		d.msg[0],
		"t.conf:1: conn 'r': type=reject needs rightsubnet= (or right=ADDRESS): the networks its policy covers");
	ck_assert_str_eq(
		d.msg[1],
		"t.conf:5: conn 'n': authby=never is for type=passthrough, drop or reject (a conn without IKE)");
	conf_free(c);
}
END_TEST

/* Values with '#' are quoted by the printer so they survive a re-parse. */
START_TEST(test_print_quotes_hash)
{
	struct conf *c = parse_ok("conn a\n"
				  "\tleftid=\"a#1@c.example\"\n"
				  "\tleftcert=\"/etc/certs/#1.pem\"\n"
				  "\trightid=\"CN=x#y\"\n");
	struct conf *c2;
	char *p1 = print_conf(c), *p2;

	ck_assert_ptr_nonnull(strstr(p1, "\tleftid=\"a#1@c.example\"\n"));
	ck_assert_ptr_nonnull(strstr(p1, "\tleftcert=\"/etc/certs/#1.pem\"\n"));
	ck_assert_ptr_nonnull(strstr(p1, "\trightid=\"CN=x#y\"\n"));
	c2 = parse_ok(p1);
	p2 = print_conf(c2);
	ck_assert_str_eq(p1, p2);
	ck_assert_str_eq(c2->conns[0].left.cert, "/etc/certs/#1.pem");
	free(p1);
	free(p2);
	conf_free(c);
	conf_free(c2);
}
END_TEST

/* ---- whole-config validation ---- */

struct val_vec {
	const char *conf;
	const char *secrets; /* NULL: no PSK check */
	const char *msg;     /* NULL: valid */
};

#define ENDS "\tleft=192.0.2.1\n\tright=198.51.100.2\n"

static const struct val_vec val_vecs[] = {
	{ "conn a\n\tauto=add\n\tleft=192.0.2.1\n", NULL,
	  "t.conf:1: conn 'a': right= is not set (the peer's address, or %any for road warriors)" },
	{ "conn a\n\tauto=add\n\tright=192.0.2.1\n", NULL,
	  "t.conf:1: conn 'a': left= is not set (this host's address, %defaultroute or %any)" },
	{ "conn a\n\tauto=add\n\tleft=%any\n\tright=%any\n", NULL,
	  "t.conf:1: conn 'a': left and right are both %any: one end must be concrete" },
	{ "conn a\n\tauto=start\n\tleft=192.0.2.1\n\tright=%any\n", NULL,
	  "t.conf:1: conn 'a': auto=start needs a concrete right= (natkeyd cannot initiate to %any)" },
	{ "conn a\n\tauto=route\n\tleft=192.0.2.1\n\tright=%any\n", NULL,
	  "t.conf:1: conn 'a': auto=route needs a concrete right= (natkeyd cannot initiate to %any)" },
	{ "conn a\n\tauto=add\n" ENDS "\ttype=transport\n\tleftsubnet=10.0.0.0/8\n", NULL,
	  "t.conf:1: conn 'a': type=transport does not use leftsubnet/rightsubnet (the policy is host to host)" },
	{ "conn a\n\tauto=add\n" ENDS "\tleftsubnet=10.0.0.0/8\n\trightsubnet=2001:db8::/32\n",
	  NULL, "t.conf:1: conn 'a': leftsubnet and rightsubnet have no address family in common" },
	{ "conn a\n\tauto=add\n" ENDS
	  "\tleftsubnet=10.0.0.0/8,2001:db8:1::/48\n\trightsubnet=2001:db8::/48\n",
	  NULL, NULL },
	{ "config setup\n\tvirtual-private=%v4:10.0.0.0/8\nconn a\n\tauto=add\n" ENDS
	  "\trightsubnet=vhost:%priv\n",
	  NULL,
	  "t.conf:3: conn 'a': rightsubnet=vhost:/vnet: is for right=%any (road warriors); name the peer's network with rightsubnet=NET" },
	/* Libreswan's L2TP gateway: vhost: in transport mode (no effect there). */
	{ "config setup\n\tvirtual-private=%v4:10.0.0.0/8\nconn a\n\tauto=add\n"
	  "\tleft=192.0.2.1\n\tright=%any\n\ttype=transport\n\trightsubnet=vhost:%priv,%no\n",
	  ": PSK \"k\"\n", NULL },
	{ "conn a\n\tauto=add\n" ENDS "\tauthby=rsasig\n", NULL,
	  "t.conf:1: conn 'a': authby=rsasig needs leftcert= (this host's certificate)" },
	{ "conn a\n\tauto=add\n" ENDS "\tauthby=rsasig\n\tleftcert=a.pem\n\trightid=%fromcert\n",
	  NULL, "t.conf:1: conn 'a': rightid=%fromcert needs rightcert=" },
	{ "conn a\n\tauto=add\n" ENDS, "@x @y : PSK \"k\"\n",
	  "t.conf:1: conn 'a': authby=secret but t.secrets has no PSK for local id '192.0.2.1' and remote id '198.51.100.2'" },
	{ "conn a\n\tauto=add\n" ENDS, "198.51.100.2 : PSK \"k\"\n", NULL },
	{ "conn a\n\tauto=add\n" ENDS, ": PSK \"k\"\n", NULL },
	{ "conn a\n\tauto=add\n" ENDS, ": RSA k.pem\n",
	  "t.conf:1: conn 'a': authby=secret but t.secrets has no PSK for local id '192.0.2.1' and remote id '198.51.100.2'" },
	{ "conn a\n\tauto=add\n" ENDS "\tlifetime=5m\n", NULL,
	  "t.conf:1: conn 'a': rekeymargin=540s must be shorter than lifetime=300s" },
	{ "conn a\n\tauto=add\n" ENDS "\tikelifetime=9m\n", NULL,
	  "t.conf:1: conn 'a': rekeymargin=540s must be shorter than ikelifetime=540s" },
	{ "conn a\n\tauto=add\n" ENDS "\tdpdaction=restart\n\tdpddelay=0\n", NULL,
	  "t.conf:1: conn 'a': dpdaction=restart needs dpddelay > 0" },
	{ "conn a\n\tauto=add\n" ENDS "\tdpdaction=hold\n\tdpdtimeout=30s\n", NULL,
	  "t.conf:1: conn 'a': dpdtimeout=30s must be longer than dpddelay=30s" },
	{ "conn a\n\tauto=add\n" ENDS "\tdpdtimeout=30s\n", NULL, NULL }, /* DPD off */
	{ "conn a\n\tauto=add\n" ENDS "\tpfs=no\n\tesp=aes128-sha1,aes128-sha1-ecp256\n", NULL,
	  "t.conf:1: conn 'a': esp= names DH group ecp256 but pfs=no" },
	{ "conn a\n\tauto=add\n" ENDS "\taggressive=yes\n", NULL, NULL },
	{ "conn a\n\tauto=add\n" ENDS "\taggressive=yes\n\tike=aes128-sha1-modp2048-ecp256\n", NULL,
	  "t.conf:1: conn 'a': aggressive=yes sends one KE payload, so every ike= proposal must use the same DH group (found modp2048 and ecp256)" },
	{ "conn a\n\tauto=add\n" ENDS "\tforceencaps=yes\n\tnatt_methods=none\n", NULL,
	  "t.conf:1: conn 'a': forceencaps=yes needs NAT traversal (natt_methods=none)" },
	{ "conn a\n\tauto=add\n" ENDS "\tmarginbytes=1M\n", NULL,
	  "t.conf:1: conn 'a': marginbytes=1048576 needs lifebytes= (no byte limit is set)" },
	{ "conn a\n\tauto=add\n" ENDS "\tlifebytes=1M\n\tmarginbytes=1M\n", NULL,
	  "t.conf:1: conn 'a': marginbytes=1048576 must be smaller than lifebytes=1048576" },
	{ "conn a\n\tauto=add\n" ENDS "\tlifebytes=1M\n\tmarginbytes=1023K\n", NULL, NULL },
	{ "conn a\n\tauto=add\n" ENDS "\tlifebytes=1M\n", NULL, NULL }, /* margin: 10% */
	{ "conn a\n\tauto=add\n\tleft=192.0.2.1\n\tright=%defaultroute\n", NULL,
	  "t.conf:1: conn 'a': right=%defaultroute names this host; natkeyd's left is this host (write left=%defaultroute)" },
	/* XAUTH and Mode Config: pools against protected subnets and each other. */
	{ "conn a\n\tauto=add\n" ENDS "\tleftsubnet=10.3.0.0/16\n\trightsourceip=10.3.7.0/24\n",
	  NULL,
	  "t.conf:1: conn 'a': address pool 10.3.7.1-10.3.7.254 overlaps leftsubnet=10.3.0.0/16 (a protected network): virtual IPs would clash with its hosts" },
	{ "conn a\n\tauto=add\n" ENDS
	  "\tleftsubnet=10.9.0.0/24\n\trightaddresspool=10.9.0.200-10.9.1.10\n",
	  NULL,
	  "t.conf:1: conn 'a': address pool 10.9.0.200-10.9.1.10 overlaps leftsubnet=10.9.0.0/24 (a protected network): virtual IPs would clash with its hosts" },
	{ "conn a\n\tauto=add\n" ENDS
	  "\tleftsubnet=10.9.0.0/24\n\trightaddresspool=10.9.1.0-10.9.1.10\n",
	  NULL, NULL }, /* adjacent, not overlapping */
	{ "conn a\n\tauto=add\n" ENDS "\tleftsubnet=0.0.0.0/0\n\trightsourceip=10.3.0.0/24\n", NULL,
	  NULL }, /* everything through the tunnel: no clash */
	{ "conn a\n\tauto=add\n" ENDS "\trightsourceip=10.3.0.0/24\n"
	  "conn b\n\tauto=add\n" ENDS "\tleftsubnet=10.3.0.128/25\n",
	  NULL,
	  "t.conf:1: conn 'a': address pool 10.3.0.1-10.3.0.254 overlaps leftsubnet=10.3.0.128/25 of conn 'b' (a protected network): virtual IPs would clash with its hosts" },
	{ "conn a\n\tauto=add\n" ENDS "\trightsourceip=10.3.0.0/24\n"
	  "conn b\n\tleftsubnet=10.3.0.128/25\n",
	  NULL, NULL }, /* b is auto=ignore: not loaded */
	{ "conn a\n\tauto=add\n" ENDS "\trightsourceip=10.3.0.0/24\n"
	  "conn b\n\tauto=add\n" ENDS "\trightaddresspool=10.3.0.200-10.3.1.50\n",
	  NULL,
	  "t.conf:1: conn 'a': address pool 10.3.0.1-10.3.0.254 overlaps the pool 10.3.0.200-10.3.1.50 of conn 'b' (each conn needs a range of its own: natkeyd does not share pools between conns)" },
	{ "conn a\n\tauto=add\n" ENDS "\trightsourceip=10.3.0.0/24\n"
	  "conn b\n\tauto=add\n" ENDS "\trightaddresspool=10.3.0.1-10.3.0.254\n",
	  NULL,
	  "t.conf:1: conn 'a': address pool 10.3.0.1-10.3.0.254 overlaps the pool 10.3.0.1-10.3.0.254 of conn 'b' (each conn needs a range of its own: natkeyd does not share pools between conns)" },
	{ "conn a\n\tauto=add\n" ENDS "\trightsourceip=2001:db8:3::/120\n"
	  "conn b\n\tauto=add\n" ENDS "\trightsourceip=10.3.0.0/24\n\tleftsubnet=2001:db8::/32\n",
	  NULL,
	  "t.conf:1: conn 'a': address pool 2001:db8:3::1-2001:db8:3::fe overlaps leftsubnet=2001:db8::/32 of conn 'b' (a protected network): virtual IPs would clash with its hosts" },
	/* XAUTH and Mode Config: roles. */
	{ "conn a\n\tauto=add\n" ENDS "\tleftmodecfgserver=yes\n", NULL,
	  "t.conf:1: conn 'a': a Mode Config server needs a pool for its clients (rightsourceip=10.3.0.0/24 or rightaddresspool=10.3.0.10-10.3.0.250)" },
	{ "conn a\n\tauto=add\n" ENDS "\tleftsourceip=%config\n\trightsourceip=10.3.0.0/24\n", NULL,
	  "t.conf:1: conn 'a': this host is both Mode Config server and client (a pool for the right end and leftsourceip=%config or leftmodecfgclient=)" },
	{ "conn a\n\tauto=add\n" ENDS "\tleftxauthserver=yes\n\tleftxauthclient=yes\n", NULL,
	  "t.conf:1: conn 'a': this host is both XAUTH server and client (check xauth=, leftxauthserver=/leftxauthclient=, rightxauthserver=/rightxauthclient=)" },
	{ "conn a\n\tauto=add\n" ENDS "\ttype=transport\n\tleftsourceip=%config\n", NULL,
	  "t.conf:1: conn 'a': virtual IPs (Mode Config) need type=tunnel" },
	{ "conn a\n\tauto=add\n" ENDS "\tauthby=xauthrsasig\n\txauth=server\n", NULL,
	  "t.conf:1: conn 'a': authby=rsasig needs leftcert= (this host's certificate)" },
	{ "conn a\n\tauto=add\n" ENDS "\tauthby=xauthpsk\n", NULL,
	  "t.conf:1: conn 'a': an XAUTH client needs its user name (xauth_identity= or leftusername=)" },
	{ "conn a\n\tauto=add\n" ENDS "\tauthby=xauthpsk\n\txauth_identity=alice\n",
	  ": PSK \"g\"\nbob : XAUTH \"b\"\n",
	  "t.conf:1: conn 'a': t.secrets has no XAUTH password for user 'alice' (write alice : XAUTH \"password\")" },
	{ "conn a\n\tauto=add\n" ENDS "\tauthby=xauthpsk\n\tleftusername=alice\n",
	  ": PSK \"g\"\nalice : XAUTH \"a\"\n", NULL },
	{ "conn a\n\tauto=add\n" ENDS "\tauthby=xauthpsk\n\txauth=server\n", ": PSK \"g\"\n",
	  "t.conf:1: conn 'a': xauthby=file but t.secrets has no XAUTH user (write USER : XAUTH \"password\")" },
	{ "conn a\n\tauto=add\n" ENDS "\tauthby=xauthpsk\n\txauth=server\n\txauthby=pam\n",
	  ": PSK \"g\"\n", NULL },
	{ "conn a\n\tauto=add\n" ENDS "\tleftxauthserver=yes\n", ": PSK \"g\"\nu : XAUTH \"p\"\n",
	  NULL },
	/* Hybrid RSA: the gateway signs (leftcert=), the client needs no
	 * certificate of its own, only its XAUTH user. */
	{ "conn a\n\tauto=add\n" ENDS "\tauthby=hybridrsasig\n\txauth=server\n\tleftcert=/x.pem\n",
	  "u : XAUTH \"p\"\n", NULL },
	{ "conn a\n\tauto=add\n" ENDS "\tauthby=hybridrsasig\n\tleftusername=u\n",
	  "u : XAUTH \"p\"\n", NULL },
	{ "conn a\n\tauto=add\n" ENDS "\tleftauth=xauth\n\trightauth=pubkey\n\txauth_identity=u\n",
	  "u : XAUTH \"p\"\n", NULL },
	{ "conn a\n\tauto=add\n" ENDS "\tauthby=hybridrsasig\n\txauth=server\n",
	  "u : XAUTH \"p\"\n",
	  "t.conf:1: conn 'a': authby=rsasig needs leftcert= (this host's certificate)" },
	{ "conn a\n\tauto=add\n" ENDS "\tleftauth=xauth\n\trightauth=psk\n\tleftusername=u\n",
	  ": PSK \"g\"\nu : XAUTH \"p\"\n",
	  "t.conf:1: conn 'a': hybrid RSA is a signature by the gateway: leftauth=xauth goes with rightauth=pubkey, rightauth=xauth with leftauth=pubkey" },
	{ "conn a\n\tauto=add\n" ENDS
	  "\tauthby=hybridrsasig\n\tleftusername=u\n\tleftid=\"CN=road\"\n",
	  "u : XAUTH \"p\"\n",
	  "t.conf:1: conn 'a': a hybrid RSA client has no certificate to carry a DN leftid= (use an address, @fqdn or user@fqdn)" },
	/* auto=ignore is not loaded, so an incomplete base is fine. */
	{ "conn a\n\tleft=192.0.2.1\n\tauthby=rsasig\n", NULL, NULL },
};

START_TEST(test_validate)
{
	const struct val_vec *v = &val_vecs[_i];
	struct conf *c = parse_ok(v->conf);
	struct conf_secrets *s = NULL;
	struct conf_diag d = { 0 };
	int rc;

	if (v->secrets)
		ck_assert_int_eq(
			conf_secrets_parse("t.secrets", v->secrets, strlen(v->secrets), &s, &d), 0);
	memset(&d, 0, sizeof(d));
	rc = conf_validate(c, s, &d);
	if (v->msg) {
		ck_assert_int_eq(rc, -EINVAL);
		ck_assert_uint_ge(d.n, 1);
		ck_assert_str_eq(d.msg[0], v->msg);
	} else {
		ck_assert_msg(rc == 0, "unexpected: %s", d.n ? d.msg[0] : "");
	}
	conf_secrets_free(s);
	conf_free(c);
}
END_TEST

/* ---- sample files ---- */

static const char *const good_files[] = {
	"site2site.conf", "gateway.conf",	"roadwarrior.conf",  "l2tp.conf",
	"rsasig.conf",	  "xauth-gateway.conf", "xauth-client.conf",
};

static struct conf_secrets *sample_secrets(void)
{
	struct conf_secrets *s = NULL;
	struct conf_diag d;
	size_t len;
	char *text = slurp("ipsec.secrets", &len);

	ck_assert_int_eq(conf_secrets_parse("ipsec.secrets", text, len, &s, &d), 0);
	free(text);
	return s;
}

START_TEST(test_good_files_valid)
{
	struct conf_secrets *s = sample_secrets();
	struct conf_diag d;
	struct conf *c = NULL;
	size_t len;
	char *text = slurp(good_files[_i], &len);

	ck_assert_msg(conf_parse(good_files[_i], text, len, &c, &d) == 0, "%s",
		      d.n ? d.msg[0] : "");
	ck_assert_msg(conf_validate(c, s, &d) == 0, "%s", d.n ? d.msg[0] : "");
	conf_free(c);
	conf_secrets_free(s);
	free(text);
}
END_TEST

/* print(parse(print(x))) == print(x): the printer writes every setting. */
START_TEST(test_print_round_trip)
{
	struct conf_diag d;
	struct conf *c = NULL, *c2 = NULL;
	size_t len;
	char *text = slurp(good_files[_i], &len), *p1, *p2;

	ck_assert_int_eq(conf_parse(good_files[_i], text, len, &c, &d), 0);
	p1 = print_conf(c);
	ck_assert_msg(conf_parse(good_files[_i], p1, strlen(p1), &c2, &d) == 0, "%s\n%s",
		      d.n ? d.msg[0] : "", p1);
	p2 = print_conf(c2);
	ck_assert_str_eq(p1, p2);
	free(p1);
	free(p2);
	conf_free(c);
	conf_free(c2);
	free(text);
}
END_TEST

START_TEST(test_site2site_expected)
{
	struct conf_diag d;
	struct conf *c = NULL;
	size_t len, elen;
	char *text = slurp("site2site.conf", &len);
	char *want = slurp("site2site.expected", &elen);
	char *got;

	ck_assert_int_eq(conf_parse("site2site.conf", text, len, &c, &d), 0);
	got = print_conf(c);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	free(text);
	conf_free(c);
}
END_TEST

START_TEST(test_roadwarrior_fields)
{
	struct conf_diag d;
	struct conf *c = NULL;
	size_t len;
	char *text = slurp("roadwarrior.conf", &len);
	const struct conf_conn *rw;

	ck_assert_int_eq(conf_parse("roadwarrior.conf", text, len, &c, &d), 0);
	rw = conf_conn_find(c, "rw");
	ck_assert_ptr_nonnull(rw);
	ck_assert_int_eq(rw->left.host.kind, CONF_HOST_DEFAULTROUTE);
	ck_assert_int_eq(rw->right.host.kind, CONF_HOST_ANY);
	ck_assert_int_eq(rw->right.id.type, CONF_ID_ANY);
	ck_assert_uint_eq(rw->left.n_subnets, 1);
	ck_assert_uint_eq(rw->left.subnets[0].prefix, 0);
	ck_assert(rw->forceencaps);
	ck_assert_uint_eq(rw->natt_methods, CONF_NATT_RFC);
	ck_assert_uint_eq(rw->nat_keepalive, 10);
	ck_assert_uint_eq(rw->lifetime, 1800);
	ck_assert_uint_eq(rw->rekeymargin, 300);
	ck_assert_uint_eq(rw->rekeyfuzz, 50);
	ck_assert_int_eq(rw->autostart, CONF_AUTO_ADD);
	conf_free(c);
	free(text);
}
END_TEST

static uint32_t ip4(const struct conf_addr *a)
{
	ck_assert_int_eq(a->family, AF_INET);
	return (uint32_t)a->bytes[0] << 24 | (uint32_t)a->bytes[1] << 16 |
	       (uint32_t)a->bytes[2] << 8 | a->bytes[3];
}

/* Both spellings of an XAUTH + Mode Config gateway, and the client. */
START_TEST(test_xauth_fields)
{
	struct conf_diag d;
	struct conf *c = NULL;
	size_t len;
	char *text = slurp("xauth-gateway.conf", &len);
	const struct conf_conn *ios, *android, *office;
	char buf[64];

	ck_assert_int_eq(conf_parse("xauth-gateway.conf", text, len, &c, &d), 0);
	free(text);
	ios = conf_conn_find(c, "ios");
	android = conf_conn_find(c, "android");
	ck_assert_int_eq(conf_conn_xauth_role(ios), CONF_ROLE_SERVER);
	ck_assert_int_eq(conf_conn_modecfg_role(ios), CONF_ROLE_SERVER);
	ck_assert_int_eq(ios->authby, CONF_AUTHBY_PSK);
	ck_assert(ios->xauth_authby);
	ck_assert_int_eq(ios->right.sourceip, CONF_SOURCEIP_POOL);
	ck_assert_uint_eq(ip4(&ios->right.pool.first), 0x0a030001); /* .0 left out */
	ck_assert_uint_eq(ios->right.pool.size, 254);		    /* and .255 */
	ck_assert_uint_eq(ios->n_dns, 2);
	ck_assert_str_eq(conf_addr_format(&ios->dns[1], buf, sizeof(buf)), "10.9.0.54");
	ck_assert_str_eq(ios->domains, "corp.example");
	ck_assert_str_eq(ios->banner, "Authorised users only. # All access is logged.");
	ck_assert(ios->cisco_unity);
	ck_assert(ios->modecfg_pull);
	ck_assert_int_eq(conf_conn_xauth_role(android), CONF_ROLE_SERVER);
	ck_assert_int_eq(conf_conn_modecfg_role(android), CONF_ROLE_SERVER);
	ck_assert(!android->xauth_authby);
	ck_assert_int_eq(android->xauthby, CONF_XAUTHBY_FILE);
	ck_assert_uint_eq(ip4(&android->right.pool.first), 0x0a03010a);
	ck_assert_uint_eq(android->right.pool.size, 241);
	ck_assert(!android->cisco_unity);
	conf_free(c);

	text = slurp("xauth-client.conf", &len);
	ck_assert_int_eq(conf_parse("xauth-client.conf", text, len, &c, &d), 0);
	free(text);
	office = conf_conn_find(c, "office");
	ck_assert_int_eq(conf_conn_xauth_role(office), CONF_ROLE_CLIENT);
	ck_assert_int_eq(conf_conn_modecfg_role(office), CONF_ROLE_CLIENT);
	ck_assert_int_eq(office->left.sourceip, CONF_SOURCEIP_CONFIG);
	ck_assert_str_eq(office->xauth_identity, "alice");
	conf_free(c);

	/* authby=hybridrsasig: XAUTH on RSA, hybrid; printed back. */
	c = parse_ok(
		"conn a\n\tleft=192.0.2.1\n\tright=%any\n\tauthby=hybridrsasig\n\txauth=server\n");
	ck_assert(c->conns[0].hybrid);
	ck_assert(c->conns[0].xauth_authby);
	ck_assert_int_eq(c->conns[0].authby, CONF_AUTHBY_RSASIG);
	ck_assert_int_eq(conf_conn_xauth_role(&c->conns[0]), CONF_ROLE_SERVER);
	{
		char *out = NULL;
		size_t n = 0;
		FILE *f = open_memstream(&out, &n);

		conf_conn_print(&c->conns[0], f);
		fclose(f);
		ck_assert_ptr_nonnull(strstr(out, "\tauthby=hybridrsasig\n"));
		free(out);
	}
	conf_free(c);

	/* strongSwan's hybrid spelling: leftauth=xauth is the client,
	 * rightauth=xauth (xauth-pam) the gateway; both RSA, both hybrid. */
	c = parse_ok("conn a\n\tleft=192.0.2.1\n\tright=198.51.100.2\n\tleftauth=xauth\n"
		     "\trightauth=pubkey\n\txauth_identity=u\n");
	ck_assert(c->conns[0].hybrid);
	ck_assert_int_eq(c->conns[0].authby, CONF_AUTHBY_RSASIG);
	ck_assert_int_eq(conf_conn_xauth_role(&c->conns[0]), CONF_ROLE_CLIENT);
	conf_free(c);
	c = parse_ok("conn a\n\tleft=192.0.2.1\n\tright=%any\n\tleftauth=pubkey\n"
		     "\trightauth=xauth-pam\n");
	ck_assert(c->conns[0].hybrid);
	ck_assert_int_eq(c->conns[0].authby, CONF_AUTHBY_RSASIG);
	ck_assert_int_eq(c->conns[0].xauthby, CONF_XAUTHBY_PAM);
	ck_assert_int_eq(conf_conn_xauth_role(&c->conns[0]), CONF_ROLE_SERVER);
	conf_free(c);

	/* pam-service= (xauthby=pam): kept, and printed back. */
	c = parse_ok("conn a\n\tleft=192.0.2.1\n\tright=%any\n\tauthby=xauthpsk\n\txauth=server\n"
		     "\txauthby=pam\n\tpam-service=pluto\n");
	ck_assert_int_eq(c->conns[0].xauthby, CONF_XAUTHBY_PAM);
	ck_assert_str_eq(c->conns[0].pam_service, "pluto");
	{
		char *out = NULL;
		size_t n = 0;
		FILE *f = open_memstream(&out, &n);

		conf_conn_print(&c->conns[0], f);
		fclose(f);
		ck_assert_ptr_nonnull(strstr(out, "\txauthby=pam\n\tpam-service=pluto\n"));
		free(out);
	}
	conf_free(c);

	/* No XAUTH or Mode Config keys: no role, and the printer adds nothing. */
	c = parse_ok("conn %default\n\tauthby=xauthpsk\nconn a\n\tleft=192.0.2.1\n\tright=%any\n"
		     "\tauthby=secret\n");
	ck_assert_int_eq(conf_conn_xauth_role(&c->conns[0]), CONF_ROLE_NONE);
	ck_assert_int_eq(conf_conn_modecfg_role(&c->conns[0]), CONF_ROLE_NONE);
	conf_free(c);
}
END_TEST

struct pool_vec {
	const char *in;
	const char *first;
	uint32_t size;
};

static const struct pool_vec pool_vecs[] = {
	{ "10.3.0.0/24", "10.3.0.1", 254 },
	{ "10.3.0.0/30", "10.3.0.1", 2 },
	{ "10.3.0.0/31", "10.3.0.0", 2 },
	{ "10.3.0.7/32", "10.3.0.7", 1 },
	{ "10.3.0.7", "10.3.0.7", 1 },
	{ "10.64.0.0/16", "10.64.0.1", 65534 },
	{ "10.3.0.10-10.3.0.250", "10.3.0.10", 241 },
	{ "10.3.0.10-10.3.0.10", "10.3.0.10", 1 },
	{ "10.3.255.0-10.4.0.255", "10.3.255.0", 512 },
	{ "10.0.0.0-10.0.255.255", "10.0.0.0", 65536 },
	{ "2001:db8:3::/112", "2001:db8:3::1", 65534 },
	{ "2001:db8::ffff-2001:db8::1:1", "2001:db8::ffff", 3 },
};

START_TEST(test_pool_parse)
{
	const struct pool_vec *v = &pool_vecs[_i];
	struct conf_pool p;
	struct conf_addr last;
	char why[256], buf[64];

	ck_assert_msg(conf_pool_parse(v->in, &p, why, sizeof(why)) == 0, "%s: %s", v->in, why);
	ck_assert_str_eq(conf_addr_format(&p.first, buf, sizeof(buf)), v->first);
	ck_assert_uint_eq(p.size, v->size);
	conf_pool_last(&p, &last);
	/* The printed range parses back to the same pool. */
	{
		char range[160], a[64], b[64];
		struct conf_pool q;

		snprintf(range, sizeof(range), "%s-%s", conf_addr_format(&p.first, a, sizeof(a)),
			 conf_addr_format(&last, b, sizeof(b)));
		ck_assert_int_eq(conf_pool_parse(range, &q, why, sizeof(why)), 0);
		ck_assert_uint_eq(q.size, p.size);
		ck_assert_mem_eq(q.first.bytes, p.first.bytes, 16);
	}
}
END_TEST

START_TEST(test_l2tp_rsasig_fields)
{
	struct conf_diag d;
	struct conf *c = NULL;
	size_t len;
	char *text = slurp("l2tp.conf", &len);
	const struct conf_conn *l;

	ck_assert_int_eq(conf_parse("l2tp.conf", text, len, &c, &d), 0);
	l = &c->conns[0];
	ck_assert_int_eq(l->mode, CONF_MODE_TRANSPORT);
	ck_assert_uint_eq(l->left.protoport.proto, 17);
	ck_assert_uint_eq(l->left.protoport.port, 1701);
	ck_assert_uint_eq(l->right.protoport.proto, 17);
	ck_assert_uint_eq(l->right.protoport.port, 0);
	ck_assert_uint_eq(l->esp.n, 2);
	ck_assert_int_eq(l->esp.v[1].encr, CONF_ENCR_3DES_CBC);
	ck_assert_int_eq(l->esp.v[1].integ, CONF_INTEG_MD5);
	conf_free(c);
	free(text);

	text = slurp("rsasig.conf", &len);
	ck_assert_int_eq(conf_parse("rsasig.conf", text, len, &c, &d), 0);
	l = &c->conns[0];
	ck_assert_int_eq(l->authby, CONF_AUTHBY_RSASIG);
	ck_assert_int_eq(l->left.host.kind, CONF_HOST_NAME);
	ck_assert_str_eq(l->left.cert, "/etc/natkeyd/certs/gw.pem");
	ck_assert_int_eq(l->left.id.type, CONF_ID_FROMCERT);
	ck_assert_str_eq(l->right.id.value, "C=CH, O=Example, CN=peer");
	ck_assert_uint_eq(l->ike.n, 2); /* aes128 and aes256, one hash, one group */
	ck_assert_int_eq(l->ike.v[0].encr, CONF_ENCR_AES128_CBC);
	ck_assert_int_eq(l->ike.v[1].encr, CONF_ENCR_AES256_CBC);
	ck_assert_int_eq(l->ike.v[1].group, CONF_GROUP_ECP384);
	ck_assert_int_eq(l->left.subnets[0].addr.family, AF_INET6);
	ck_assert_int_eq(l->autostart, CONF_AUTO_ROUTE);
	conf_free(c);
	free(text);
}
END_TEST

START_TEST(test_load_file)
{
	struct conf_diag d;
	struct conf *c = NULL;

	ck_assert_int_eq(conf_load_file(CONF_TEST_DATA "/site2site.conf", &c, &d), 0);
	ck_assert_uint_eq(c->n_conns, 3);
	conf_free(c);
	ck_assert_int_eq(conf_load_file(CONF_TEST_DATA "/missing.conf", &c, &d), -ENOENT);
	ck_assert_str_eq(d.msg[0],
			 CONF_TEST_DATA "/missing.conf: cannot open: No such file or directory");
	ck_assert_int_eq(conf_load_file(CONF_TEST_DATA, &c, &d), -EINVAL);
	ck_assert_str_eq(d.msg[0], CONF_TEST_DATA ": not a regular file");
}
END_TEST

static char *check_files(const char *conf_name, const char *secrets_text, mode_t mode, int *rc,
			 char **err_text)
{
	char path[] = "/tmp/natkeyd-check-XXXXXX";
	char *out = NULL, *err = NULL;
	size_t out_len = 0, err_len = 0;
	FILE *o, *e;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, secrets_text, strlen(secrets_text)),
			 (ssize_t)strlen(secrets_text));
	close(fd);
	ck_assert_int_eq(chmod(path, mode), 0);
	o = open_memstream(&out, &out_len);
	e = open_memstream(&err, &err_len);
	*rc = conf_check_files(conf_name, path, o, e);
	fclose(o);
	fclose(e);
	unlink(path);
	*err_text = err;
	return out;
}

START_TEST(test_check_files)
{
	char *out, *err;
	int rc;

	out = check_files(CONF_TEST_DATA "/site2site.conf",
			  "@gw.hq.example @branch1.example : PSK \"s3cr3t-one\"\n"
			  "@gw.hq.example %any : PSK 0x736563726574\n",
			  0600, &rc, &err);
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_str_eq(err, "");
	ck_assert_ptr_nonnull(strstr(out, "conn hq-branch2\n\tauto=add\n"));
	ck_assert_ptr_nonnull(strstr(out, ": 2 entries\n"
					  "@gw.hq.example @branch1.example : PSK <hidden>\n"
					  "@gw.hq.example %any : PSK <hidden>\n"));
	ck_assert_ptr_null(strstr(out, "s3cr3t"));
	ck_assert_ptr_null(strstr(out, "736563"));
	free(out);
	free(err);

	/* branch1 has no PSK: validation names the conn and both ids. */
	out = check_files(CONF_TEST_DATA "/site2site.conf", "@x @y : PSK \"k\"\n", 0600, &rc, &err);
	ck_assert_int_eq(rc, -EINVAL);
	ck_assert_str_eq(out, "");
	ck_assert_ptr_nonnull(
		strstr(err, "site2site.conf:23: conn 'hq-branch1': authby=secret but "));
	free(out);
	free(err);

	out = check_files(CONF_TEST_DATA "/site2site.conf", ": PSK \"k\"\n", 0640, &rc, &err);
	ck_assert_int_eq(rc, -EACCES);
	ck_assert_ptr_nonnull(
		strstr(err, "lets group or others access the secrets; fix with: chmod 600 "));
	free(out);
	free(err);
}
END_TEST

/* ---- reload diff ---- */

static const char *diff_kind_of(const struct conf_diff *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].name, name))
			return conf_diff_kind_name(d->v[i].kind);
	return "absent";
}

START_TEST(test_diff)
{
	struct conf *o = parse_ok("conn %default\n\tdpddelay=10s\n"
				  "conn keep\n" ENDS "conn gone\n" ENDS "conn tweak\n" ENDS
				  "conn viadefault\n" ENDS "conn psk\n" ENDS);
	struct conf *n =
		parse_ok("conn %default\n\tdpddelay=10s\n"
			 "conn psk\n" ENDS "conn new\n" ENDS "conn tweak\n" ENDS "\tpfs=no\n"
			 "conn viadefault\n" ENDS "\tdpddelay=11s\n"
			 "conn keep\n" ENDS);
	struct conf_secrets *so = NULL, *sn = NULL;
	struct conf_diag dg;
	struct conf_diff d;

	ck_assert_int_eq(conf_secrets_parse("o", ": PSK \"one\"\n", 12, &so, &dg), 0);
	ck_assert_int_eq(conf_secrets_parse("n", ": PSK \"two\"\n", 12, &sn, &dg), 0);

	ck_assert_int_eq(conf_diff(o, n, NULL, NULL, &d), 0);
	ck_assert_uint_eq(d.n, 6);
	ck_assert_str_eq(d.v[0].name, "gone");
	ck_assert_str_eq(diff_kind_of(&d, "gone"), "removed");
	ck_assert_str_eq(diff_kind_of(&d, "new"), "added");
	ck_assert_str_eq(diff_kind_of(&d, "keep"), "unchanged");
	ck_assert_str_eq(diff_kind_of(&d, "psk"), "unchanged");
	ck_assert_str_eq(diff_kind_of(&d, "tweak"), "changed");
	ck_assert_str_eq(diff_kind_of(&d, "viadefault"), "changed");
	ck_assert(!d.setup_changed);
	conf_diff_free(&d);

	/* Same config, new PSK: every PSK conn must be re-keyed. */
	ck_assert_int_eq(conf_diff(o, o, so, sn, &d), 0);
	ck_assert_str_eq(diff_kind_of(&d, "keep"), "changed");
	conf_diff_free(&d);
	ck_assert_int_eq(conf_diff(o, o, so, so, &d), 0);
	ck_assert_str_eq(diff_kind_of(&d, "keep"), "unchanged");
	conf_diff_free(&d);

	conf_secrets_free(so);
	conf_secrets_free(sn);
	conf_free(o);
	conf_free(n);
}
END_TEST

/* virtual-private= folded into rightsubnet=vhost:%priv (and shown, so that
 * a reload sees it); rightsubnet= lists kept as written. */
START_TEST(test_virtual_private)
{
	struct conf_diag d;
	struct conf *c = NULL, *n;
	const struct conf_conn *rw, *nets;
	struct conf_diff df;
	size_t len;
	char *text = slurp("gateway.conf", &len), *p;

	ck_assert_int_eq(conf_parse("gateway.conf", text, len, &c, &d), 0);
	ck_assert_uint_eq(c->setup.n_vp, 4);
	ck_assert(c->setup.vp_exclude[3] && !c->setup.vp_exclude[0]);
	rw = conf_conn_find(c, "rw");
	ck_assert_int_eq(rw->right.subnet_kind, CONF_SUBNET_VHOST);
	ck_assert(rw->right.subnet_priv && rw->right.subnet_no);
	ck_assert_uint_eq(rw->right.n_subnets, 3);
	ck_assert_uint_eq(rw->right.subnets[1].prefix, 16);
	ck_assert_uint_eq(rw->right.n_excludes, 1);
	ck_assert_uint_eq(rw->right.excludes[0].prefix, 24);
	ck_assert_int_eq(rw->right.id.type, CONF_ID_FQDN);
	ck_assert_str_eq(rw->right.id.value, "*.rw.example");
	nets = conf_conn_find(c, "rw-nets");
	ck_assert_int_eq(nets->right.subnet_kind, CONF_SUBNET_LIST);
	ck_assert_uint_eq(nets->right.n_subnets, 2);
	ck_assert_uint_eq(nets->right.n_excludes, 0);
	ck_assert(conf_conn_find(c, "rw-aggressive")->aggressive_psk_responder);
	ck_assert(!rw->aggressive_psk_responder);
	p = print_conf(c);
	ck_assert_ptr_nonnull(strstr(p, "\tvirtual-private=%v4:10.0.0.0/8,%v4:192.168.0.0/16,"
					"%v4:172.16.0.0/12,%v4:!10.9.0.0/24\n"));
	ck_assert_ptr_nonnull(strstr(p, "\t# rightsubnet=vhost:%priv allows 10.0.0.0/8,"
					"192.168.0.0/16,172.16.0.0/12 except 10.9.0.0/24\n"
					"\trightsubnet=vhost:%priv,%no\n"));
	ck_assert_ptr_nonnull(strstr(p, "\trightsubnet=10.20.0.0/16,10.21.0.0/16\n"));
	free(p);
	/* Another virtual-private= changes the vhost conn, not the list one. */
	p = strstr(text, "%v4:!10.9.0.0/24");
	ck_assert_ptr_nonnull(p);
	memcpy(p, "%v4:!10.8.0.0/24", 16);
	ck_assert_int_eq(conf_parse("gateway.conf", text, len, &n, &d), 0);
	ck_assert_int_eq(conf_diff(c, n, NULL, NULL, &df), 0);
	ck_assert_str_eq(diff_kind_of(&df, "rw"), "changed");
	ck_assert_str_eq(diff_kind_of(&df, "rw-nets"), "unchanged");
	conf_diff_free(&df);
	conf_free(n);
	conf_free(c);
	free(text);
}
END_TEST

/* nat_keepalive=auto, nat_keepalive_max=, nat_binding_lifetime= (adaptive
 * keepalive, natt/adaptka.h); keep-alive=auto in config setup is every
 * conn's default, a conn's own time or nat-keepalive=no overrides it. */
START_TEST(test_adaptive_keepalive_keys)
{
	struct conf *c = parse_ok("config setup\n"
				  "\tkeep-alive=auto\n"
				  "conn a\n" ENDS "conn b\n" ENDS "\tnat_keepalive=30s\n"
				  "conn c\n" ENDS "\tnat-keepalive=no\n"
				  "conn d\n" ENDS "\tnat_keepalive_max=5m\n"
				  "\tnat_binding_lifetime=90s\n");
	struct conf *plain = parse_ok("conn a\n" ENDS);
	char *p = print_conf(c), *q = print_conf(plain);

	ck_assert(c->setup.keepalive_auto);
	ck_assert(c->conns[0].nat_keepalive_auto);
	ck_assert_uint_eq(c->conns[0].nat_keepalive, 20); /* until a lifetime is known */
	ck_assert_uint_eq(c->conns[0].nat_keepalive_max, 120);
	ck_assert_uint_eq(c->conns[0].nat_binding_lifetime, 0);
	ck_assert(!c->conns[1].nat_keepalive_auto);
	ck_assert_uint_eq(c->conns[1].nat_keepalive, 30);
	ck_assert(!c->conns[2].nat_keepalive_auto);
	ck_assert_uint_eq(c->conns[2].nat_keepalive, 0);
	ck_assert(c->conns[3].nat_keepalive_auto);
	ck_assert_uint_eq(c->conns[3].nat_keepalive_max, 300);
	ck_assert_uint_eq(c->conns[3].nat_binding_lifetime, 90);
	ck_assert_ptr_nonnull(strstr(p, "\tkeep-alive=auto\n"));
	ck_assert_ptr_nonnull(strstr(p, "\tnat_keepalive=auto\n"));
	ck_assert_ptr_nonnull(strstr(p, "\tnat_keepalive_max="));
	ck_assert_ptr_nonnull(strstr(p, "\tnat_binding_lifetime="));
	/* Not set: printed as before these keys existed. */
	ck_assert(!plain->conns[0].nat_keepalive_auto);
	ck_assert_uint_eq(plain->conns[0].nat_keepalive, 20);
	ck_assert_ptr_null(strstr(q, "nat_keepalive_max"));
	ck_assert_ptr_null(strstr(q, "nat_binding_lifetime"));
	ck_assert_ptr_null(strstr(q, "auto\n\tnat"));
	free(p);
	free(q);
	conf_free(plain);
	conf_free(c);
	/* A conn's own nat_keepalive=auto without config setup. */
	c = parse_ok("conn a\n" ENDS "\tnat_keepalive=auto\n");
	ck_assert(!c->setup.keepalive_auto);
	ck_assert(c->conns[0].nat_keepalive_auto);
	conf_free(c);
}
END_TEST

/* nat_binding_lifetime=natcheck: per conn, or every conn's default from
 * config setup's nat-binding-lifetime= next to keep-alive=auto; a conn's
 * own value overrides it; printed back (--check-config) and a change of it
 * changes the conn (reload). */
START_TEST(test_binding_lifetime_natcheck)
{
	struct conf *c = parse_ok("conn a\n" ENDS "\tnat_keepalive=auto\n"
				  "\tnat_binding_lifetime=natcheck\n"
				  "conn b\n" ENDS "\tnat_binding_lifetime=natcheck\n"
				  "conn c\n" ENDS "\tnat_binding_lifetime=90s\n");
	struct conf *s = parse_ok("config setup\n\tkeep-alive=auto\n"
				  "\tnat-binding-lifetime=natcheck\n"
				  "conn a\n" ENDS "conn b\n" ENDS "\tnat_binding_lifetime=45s\n"
				  "conn c\n" ENDS "\tnat_binding_lifetime=\n");
	struct conf *t = parse_ok("config setup\n\tnat-binding-lifetime=2m\nconn a\n" ENDS);
	struct conf *plain = parse_ok("conn a\n" ENDS "\tnat_keepalive=auto\n");
	char *p = print_conf(c), *q = print_conf(s), *r = print_conf(plain);
	struct conf_diff d;

	ck_assert(c->conns[0].nat_binding_lifetime_natcheck);
	ck_assert_uint_eq(c->conns[0].nat_binding_lifetime, 0);
	ck_assert(c->conns[1].nat_binding_lifetime_natcheck);
	ck_assert_uint_eq(c->conns[1].nat_binding_lifetime, 0);
	ck_assert(!c->conns[2].nat_binding_lifetime_natcheck);
	ck_assert_uint_eq(c->conns[2].nat_binding_lifetime, 90);
	ck_assert_ptr_nonnull(strstr(p, "conn a\n"));
	ck_assert_ptr_nonnull(strstr(strstr(p, "conn a\n"), "\tnat_binding_lifetime=natcheck\n"));
	ck_assert_ptr_null(strstr(p, "nat-binding-lifetime"));
	/* config setup: the default of every conn */
	ck_assert(s->setup.binding_lifetime_natcheck);
	ck_assert(s->conns[0].nat_binding_lifetime_natcheck);
	ck_assert(s->conns[0].nat_keepalive_auto);
	ck_assert(!s->conns[1].nat_binding_lifetime_natcheck);
	ck_assert_uint_eq(s->conns[1].nat_binding_lifetime, 45);
	ck_assert(s->conns[2].nat_binding_lifetime_natcheck); /* "" = config setup's */
	ck_assert_ptr_nonnull(strstr(q, "\tnat-binding-lifetime=natcheck\n"));
	ck_assert_uint_eq(t->setup.binding_lifetime, 120);
	ck_assert_uint_eq(t->conns[0].nat_binding_lifetime, 120);
	ck_assert(!t->conns[0].nat_binding_lifetime_natcheck);
	/* not set: nothing printed */
	ck_assert(!plain->conns[0].nat_binding_lifetime_natcheck);
	ck_assert_ptr_null(strstr(r, "binding_lifetime"));
	ck_assert_ptr_null(strstr(r, "binding-lifetime"));
	/* natcheck added to a conn: the conn changed */
	ck_assert_int_eq(conf_diff(plain, c, NULL, NULL, &d), 0);
	ck_assert_str_eq(diff_kind_of(&d, "a"), "changed");
	conf_diff_free(&d);
	free(p);
	free(q);
	free(r);
	conf_free(plain);
	conf_free(t);
	conf_free(s);
	conf_free(c);
}
END_TEST

START_TEST(test_diff_keepalive_auto)
{
	struct conf *o = parse_ok("conn a\n" ENDS);
	struct conf *n = parse_ok("config setup\n\tkeep-alive=auto\nconn a\n" ENDS);
	struct conf_diff d;

	ck_assert_int_eq(conf_diff(o, n, NULL, NULL, &d), 0);
	ck_assert(d.setup_changed);
	ck_assert_str_eq(diff_kind_of(&d, "a"), "changed");
	conf_diff_free(&d);
	conf_free(o);
	conf_free(n);
}
END_TEST

START_TEST(test_diff_setup)
{
	struct conf *o = parse_ok("conn a\n\tleft=192.0.2.1\n\tright=198.51.100.2\n");
	struct conf *n = parse_ok("config setup\n\tkeep-alive=30s\nconn a\n" ENDS);
	struct conf_diff d;

	ck_assert_int_eq(conf_diff(o, n, NULL, NULL, &d), 0);
	ck_assert(d.setup_changed);
	/* keep-alive is folded into the conn's nat_keepalive. */
	ck_assert_str_eq(diff_kind_of(&d, "a"), "changed");
	conf_diff_free(&d);
	conf_free(o);
	conf_free(n);
}
END_TEST

struct name_vec {
	const char *name;
	bool valid;
};

static const struct name_vec name_vecs[] = {
	{ "a", true },
	{ "hq-branch1", true },
	{ "rw_v4.2", true },
	{ "", false },
	{ "-x", false },
	{ ".x", false },
	{ "a b", false },
	{ "a/b", false },
	{ "%default", false },
	{ "x123456789012345678901234567890123456789012345678901234567890ab", true },   /* 63 */
	{ "x123456789012345678901234567890123456789012345678901234567890abc", false }, /* 64 */
};

START_TEST(test_conn_name)
{
	const struct name_vec *v = &name_vecs[_i];

	ck_assert_msg(conf_conn_name_valid(v->name, strlen(v->name)) == v->valid, "'%s'", v->name);
}
END_TEST

/* What the daemon resolved shows as a comment above the key, whose value
 * stays as written; the output still parses, and the parser never sets a
 * resolution itself. */
START_TEST(test_print_resolved)
{
	struct conf *c = parse_ok("conn a\n\tleft=%defaultroute\n\tright=gw.example.org\n"
				  "\tauto=add\n");
	struct conf *back;
	char *text, *again;

	ck_assert_int_eq(c->conns[0].left.host.resolved.family, 0);
	ck_assert_ptr_null(conf_host_addr(&c->conns[0].left.host));
	text = print_conf(c);
	ck_assert_ptr_null(strstr(text, "resolves to"));
	free(text);
	ck_assert_int_eq(conf_addr_parse("10.1.0.2", &c->conns[0].left.host.resolved), 0);
	ck_assert_int_eq(conf_addr_parse("2001:db8::1", &c->conns[0].right.host.resolved), 0);
	text = print_conf(c);
	ck_assert_ptr_nonnull(strstr(text, "\t# left=%defaultroute resolves to 10.1.0.2\n"
					   "\tleft=%defaultroute\n"));
	ck_assert_ptr_nonnull(strstr(text, "\t# right=gw.example.org resolves to 2001:db8::1\n"
					   "\tright=gw.example.org\n"));
	back = parse_ok(text);
	ck_assert_int_eq(back->conns[0].left.host.kind, CONF_HOST_DEFAULTROUTE);
	ck_assert_int_eq(back->conns[0].right.host.kind, CONF_HOST_NAME);
	ck_assert_str_eq(back->conns[0].right.host.name, "gw.example.org");
	ck_assert_int_eq(back->conns[0].right.host.resolved.family, 0);
	/* Resolved the same way, the round trip is exact. */
	back->conns[0].left.host.resolved = c->conns[0].left.host.resolved;
	back->conns[0].right.host.resolved = c->conns[0].right.host.resolved;
	again = print_conf(back);
	ck_assert_str_eq(again, text);
	/* The resolved address is the end's default identity. */
	{
		struct conf_id id;
		char buf[64];

		conf_conn_local_id(&c->conns[0], &id);
		ck_assert_str_eq(conf_id_format(&id, buf, sizeof(buf)), "10.1.0.2");
		conf_conn_remote_id(&back->conns[0], &id);
		ck_assert_str_eq(conf_id_format(&id, buf, sizeof(buf)), "2001:db8::1");
	}
	free(again);
	free(text);
	conf_free(back);
	conf_free(c);
}
END_TEST

/* A reload that resolves a name or %defaultroute differently changes the conn. */
START_TEST(test_diff_resolved)
{
	static const char text[] = "conn dr\n\tleft=%defaultroute\n\tright=192.0.2.1\n"
				   "conn name\n\tleft=10.1.0.2\n\tright=gw.example.org\n"
				   "conn lit\n\tleft=10.1.0.2\n\tright=192.0.2.1\n";
	struct conf *o = parse_ok(text), *n = parse_ok(text);
	struct conf_diff d;

	ck_assert_int_eq(conf_addr_parse("10.1.0.2", &o->conns[0].left.host.resolved), 0);
	ck_assert_int_eq(conf_addr_parse("192.0.2.1", &o->conns[1].right.host.resolved), 0);
	n->conns[0].left.host.resolved = o->conns[0].left.host.resolved;
	n->conns[1].right.host.resolved = o->conns[1].right.host.resolved;
	ck_assert_int_eq(conf_diff(o, n, NULL, NULL, &d), 0);
	ck_assert_str_eq(diff_kind_of(&d, "dr"), "unchanged");
	ck_assert_str_eq(diff_kind_of(&d, "name"), "unchanged");
	conf_diff_free(&d);

	ck_assert_int_eq(conf_addr_parse("10.1.0.3", &n->conns[0].left.host.resolved), 0);
	ck_assert_int_eq(conf_addr_parse("192.0.2.7", &n->conns[1].right.host.resolved), 0);
	ck_assert_int_eq(conf_diff(o, n, NULL, NULL, &d), 0);
	ck_assert_str_eq(diff_kind_of(&d, "dr"), "changed");
	ck_assert_str_eq(diff_kind_of(&d, "name"), "changed");
	ck_assert_str_eq(diff_kind_of(&d, "lit"), "unchanged");
	conf_diff_free(&d);
	conf_free(o);
	conf_free(n);
}
END_TEST

#define LOOP(tc, fn, table)                                                                        \
	tcase_add_loop_test(tc, fn, 0, (int)(sizeof(table) / sizeof((table)[0])))

static Suite *conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc;

	tc = tcase_create("values");
	LOOP(tc, test_time_parse, time_vecs);
	LOOP(tc, test_bytes_parse, bytes_vecs);
	LOOP(tc, test_subnet_parse, subnet_vecs);
	LOOP(tc, test_id_parse, id_vecs);
	LOOP(tc, test_id_equal, id_eq_vecs);
	LOOP(tc, test_edit_distance, dist_vecs);
	LOOP(tc, test_conn_name, name_vecs);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	LOOP(tc, test_errors, err_vecs);
	LOOP(tc, test_bad_files, bad_files);
	tcase_add_test(tc, test_diag_overflow);
	tcase_add_loop_test(tc, test_also_depth, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("resolution");
	tcase_add_test(tc, test_resolution_order);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_byte_lifetimes);
	tcase_add_test(tc, test_sha2_truncbug);
	tcase_add_test(tc, test_fragmentation);
	tcase_add_test(tc, test_pki_keys);
	tcase_add_test(tc, test_setup_inheritance);
	tcase_add_test(tc, test_adaptive_keepalive_keys);
	tcase_add_test(tc, test_binding_lifetime_natcheck);
	tcase_add_test(tc, test_diff_keepalive_auto);
	tcase_add_test(tc, test_setup_halfopen);
	tcase_add_test(tc, test_setup_workers);
	LOOP(tc, test_natt_methods, natt_vecs);
	tcase_add_test(tc, test_syntax_variants);
	tcase_add_test(tc, test_foreign_keys);
	tcase_add_test(tc, test_updown_key);
	tcase_add_test(tc, test_shunts);
	tcase_add_test(tc, test_print_quotes_hash);
	tcase_add_test(tc, test_print_resolved);
	suite_add_tcase(s, tc);

	tc = tcase_create("validate");
	LOOP(tc, test_validate, val_vecs);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	LOOP(tc, test_good_files_valid, good_files);
	LOOP(tc, test_print_round_trip, good_files);
	tcase_add_test(tc, test_site2site_expected);
	tcase_add_test(tc, test_roadwarrior_fields);
	tcase_add_test(tc, test_l2tp_rsasig_fields);
	tcase_add_test(tc, test_xauth_fields);
	tcase_add_loop_test(tc, test_pool_parse, 0,
			    (int)(sizeof(pool_vecs) / sizeof(pool_vecs[0])));
	tcase_add_test(tc, test_load_file);
	tcase_add_test(tc, test_check_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("diff");
	tcase_add_test(tc, test_diff);
	tcase_add_test(tc, test_diff_setup);
	tcase_add_test(tc, test_virtual_private);
	tcase_add_test(tc, test_diff_resolved);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(conf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
