// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The XAUTH and Mode Config keys of ipsec.conf, in both spellings:
 *
 *   strongSwan:  authby=xauthpsk|xauthrsasig, xauth=server|client,
 *                xauth_identity=, leftsourceip=%config, rightsourceip=POOL,
 *                modeconfig=pull|push, cisco-unity=yes
 *   Libreswan:   {left,right}{xauth,modecfg}{server,client}=yes,
 *                rightaddresspool=A-B, xauthby=file|pam, modecfgpull=,
 *                modecfgdns=, modecfgdomains=, modecfgbanner=,
 *                leftusername= / leftxauthusername=
 *
 * Setters for the key table (conf_keys.c lists them), the whole-config
 * checks conf_validate() runs, and the printer. Kept apart from conf_keys.c
 * so that the key table itself only gains rows.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "ike/conf/conf_internal.h"
#include "ike/conf/conf_secrets.h"

static int why_set(char *why, size_t why_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int why_set(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int yes_no_parse(const char *v, bool def, bool *out, char *why, size_t why_len)
{
	if (!*v)
		*out = def;
	else if (!strcmp(v, "yes"))
		*out = true;
	else if (!strcmp(v, "no"))
		*out = false;
	else
		return why_set(why, why_len, "expected yes or no");
	return 0;
}

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* Big-endian compare of two addresses of one family. */
static int addr_cmp(const struct conf_addr *a, const struct conf_addr *b)
{
	return memcmp(a->bytes, b->bytes, addr_len(a->family));
}

/* @a + @n, with carry; false if it wraps. */
static bool addr_add(const struct conf_addr *a, uint64_t n, struct conf_addr *out)
{
	size_t i = addr_len(a->family);

	*out = *a;
	while (i-- > 0 && n) {
		n += out->bytes[i];
		out->bytes[i] = (uint8_t)n;
		n >>= 8;
	}
	return n == 0;
}

/* @last - @first + 1, or 0 when more than CONF_POOL_MAX (or last < first). */
static uint32_t range_size(const struct conf_addr *first, const struct conf_addr *last)
{
	size_t len = addr_len(first->family), i;
	uint64_t diff = 0;
	int borrow = 0;
	uint8_t d[16];

	for (i = len; i-- > 0;) {
		int v = (int)last->bytes[i] - (int)first->bytes[i] - borrow;

		borrow = v < 0;
		d[i] = (uint8_t)(v + (borrow ? 256 : 0));
	}
	if (borrow)
		return 0;
	for (i = 0; i < len; i++) {
		if (i + 4 < len && d[i])
			return 0;
		diff = (diff << 8) | d[i];
	}
	return diff + 1 > CONF_POOL_MAX ? 0 : (uint32_t)(diff + 1);
}

void conf_pool_last(const struct conf_pool *pool, struct conf_addr *out)
{
	(void)addr_add(&pool->first, pool->size - 1, out);
}

int conf_pool_parse(const char *s, struct conf_pool *out, char *why, size_t why_len)
{
	char copy[2 * INET6_ADDRSTRLEN + 4], *dash;
	struct conf_addr last;
	struct conf_subnet net;
	size_t bits;

	memset(out, 0, sizeof(*out));
	if (strlen(s) >= sizeof(copy))
		goto bad;
	strcpy(copy, s);
	dash = strchr(copy, '-');
	if (dash) {
		*dash = '\0';
		if (conf_addr_parse(copy, &out->first) < 0 || conf_addr_parse(dash + 1, &last) < 0)
			goto bad;
		if (out->first.family != last.family)
			return why_set(why, why_len, "'%s' mixes IPv4 and IPv6", s);
		if (addr_cmp(&out->first, &last) > 0)
			return why_set(why, why_len, "'%s': the first address is above the last",
				       s);
		out->size = range_size(&out->first, &last);
		if (!out->size)
			goto big;
		return 0;
	}
	if (conf_subnet_parse(s, &net, why, why_len) < 0)
		return -EINVAL;
	bits = addr_len(net.addr.family) * 8;
	if (bits - net.prefix > 16)
		goto big;
	out->first = net.addr;
	out->size = 1u << (bits - net.prefix);
	/* Leave out the network and the last (broadcast) address, as
	 * strongSwan's mem_pool does for a subnet of more than two. */
	if (out->size > 2) {
		(void)addr_add(&net.addr, 1, &out->first);
		out->size -= 2;
	}
	return 0;
bad:
	return why_set(
		why, why_len,
		"'%s' is not an address pool (write a subnet 10.3.0.0/24, a range 10.3.0.10-10.3.0.250, or one address)",
		s);
big:
	return why_set(why, why_len, "'%s' holds more than %u addresses (natkeyd's limit, a /16)",
		       s, CONF_POOL_MAX);
}

static bool is_left(const struct conf_conn *c, const struct conf_end *e)
{
	return e == &c->left;
}

int conf_set_sourceip(struct conf_conn *c, struct conf_end *e, const char *v,
		      const struct conf_setup *s, char *why, size_t why_len)
{
	(void)s;
	e->sourceip = CONF_SOURCEIP_NONE;
	memset(&e->pool, 0, sizeof(e->pool));
	if (!*v)
		return 0;
	if (!strcmp(v, "%config") || !strcmp(v, "%config4") || !strcmp(v, "%modecfg")) {
		if (!is_left(c, e))
			return why_set(
				why, why_len,
				"natkeyd's left is this host, so a client writes leftsourceip=%%config; a gateway gives the right end a pool (rightsourceip=10.3.0.0/24)");
		e->sourceip = CONF_SOURCEIP_CONFIG;
		return 0;
	}
	if (!strcmp(v, "%config6"))
		return why_set(why, why_len, "IPv6 virtual addresses are not implemented yet");
	if (strchr(v, ','))
		return why_set(why, why_len, "one pool per conn (no comma-separated list)");
	if (v[0] == '%')
		return why_set(why, why_len, "named pools (%s) are not supported: write the range",
			       v);
	if (is_left(c, e))
		return why_set(
			why, why_len,
			"a fixed inner address of this host is not supported; use leftsourceip=%%config to ask the gateway, or give the peer a pool with rightsourceip=");
	if (conf_pool_parse(v, &e->pool, why, why_len) < 0)
		return -EINVAL;
	e->sourceip = CONF_SOURCEIP_POOL;
	return 0;
}

int conf_set_addresspool(struct conf_conn *c, struct conf_end *e, const char *v,
			 const struct conf_setup *s, char *why, size_t why_len)
{
	if (*v && v[0] == '%')
		return why_set(why, why_len, "expected a range such as 10.3.0.10-10.3.0.250");
	return conf_set_sourceip(c, e, v, s, why, why_len);
}

#define END_BOOL_SETTER(fn, field)                                                                 \
	int fn(struct conf_conn *c, struct conf_end *e, const char *v, const struct conf_setup *s, \
	       char *why, size_t why_len)                                                          \
	{                                                                                          \
		(void)c;                                                                           \
		(void)s;                                                                           \
		return yes_no_parse(v, false, &e->field, why, why_len);                            \
	}

END_BOOL_SETTER(conf_set_xauthserver, xauthserver)
END_BOOL_SETTER(conf_set_xauthclient, xauthclient)
END_BOOL_SETTER(conf_set_modecfgserver, modecfgserver)
END_BOOL_SETTER(conf_set_modecfgclient, modecfgclient)

int conf_set_xauth(struct conf_conn *c, struct conf_end *e, const char *v,
		   const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	(void)s;
	if (!*v || !strcmp(v, "client"))
		c->xauth_server = false;
	else if (!strcmp(v, "server"))
		c->xauth_server = true;
	else
		return why_set(why, why_len, "expected server or client");
	return 0;
}

int conf_set_xauthby(struct conf_conn *c, struct conf_end *e, const char *v,
		     const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	(void)s;
	if (!*v || !strcmp(v, "file"))
		c->xauthby = CONF_XAUTHBY_FILE;
	else if (!strcmp(v, "pam"))
		c->xauthby = CONF_XAUTHBY_PAM;
	else if (!strcmp(v, "alwaysok"))
		return why_set(
			why, why_len,
			"xauthby=alwaysok accepts every password: natkeyd does not offer it");
	else
		return why_set(why, why_len, "expected file or pam");
	return 0;
}

/* pam-service=NAME: a file of /etc/pam.d (no path, no dot first). */
int conf_set_pam_service(struct conf_conn *c, struct conf_end *e, const char *v,
			 const struct conf_setup *s, char *why, size_t why_len)
{
	size_t n = strlen(v);

	(void)e;
	(void)s;
	if (!n || n > CONF_PAM_SERVICE_MAX || v[0] == '.' ||
	    strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != n)
		return why_set(why, why_len,
			       "expected a PAM service name (a file name of /etc/pam.d: "
			       "letters, digits, '.', '_', '-'; at most 63)");
	memcpy(c->pam_service, v, n + 1);
	return 0;
}

int conf_set_xauth_identity(struct conf_conn *c, struct conf_end *e, const char *v,
			    const struct conf_setup *s, char *why, size_t why_len)
{
	const char *p;

	(void)e;
	(void)s;
	if (strlen(v) > CONF_ID_MAX)
		return why_set(why, why_len, "longer than %d characters", CONF_ID_MAX);
	for (p = v; *p; p++)
		if (!isgraph((unsigned char)*p))
			return why_set(why, why_len, "a user name cannot contain blanks");
	strcpy(c->xauth_identity, v);
	return 0;
}

int conf_set_modeconfig(struct conf_conn *c, struct conf_end *e, const char *v,
			const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	(void)s;
	if (!*v || !strcmp(v, "pull"))
		c->modecfg_pull = true;
	else if (!strcmp(v, "push"))
		c->modecfg_pull = false;
	else
		return why_set(why, why_len, "expected pull or push");
	return 0;
}

/* Libreswan's spelling of the same choice. natkeyd's default stays pull (the
 * clients this is for, iOS and Android, pull), where Libreswan's is push. */
int conf_set_modecfgpull(struct conf_conn *c, struct conf_end *e, const char *v,
			 const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	(void)s;
	return yes_no_parse(v, true, &c->modecfg_pull, why, why_len);
}

int conf_set_cisco_unity(struct conf_conn *c, struct conf_end *e, const char *v,
			 const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	(void)s;
	return yes_no_parse(v, false, &c->cisco_unity, why, why_len);
}

int conf_set_modecfgdns(struct conf_conn *c, struct conf_end *e, const char *v,
			const struct conf_setup *s, char *why, size_t why_len)
{
	char buf[CONF_DNS_MAX * 48], *p, *save = NULL;
	size_t n = 0;

	(void)e;
	(void)s;
	c->n_dns = 0;
	memset(c->dns, 0, sizeof(c->dns));
	if (!*v)
		return 0;
	if (strlen(v) >= sizeof(buf))
		return why_set(why, why_len, "more than %d DNS servers", CONF_DNS_MAX);
	strcpy(buf, v);
	for (p = strtok_r(buf, ", \t", &save); p; p = strtok_r(NULL, ", \t", &save)) {
		if (n == CONF_DNS_MAX)
			return why_set(why, why_len, "more than %d DNS servers", CONF_DNS_MAX);
		if (conf_addr_parse(p, &c->dns[n]) < 0)
			return why_set(why, why_len, "'%s' is not an IP address", p);
		n++;
	}
	c->n_dns = n;
	return 0;
}

static bool domain_valid(const char *v)
{
	size_t label = 0;

	if (!*v || *v == '.' || *v == '-')
		return false;
	for (; *v; v++) {
		if (*v == '.') {
			if (!label)
				return false;
			label = 0;
		} else if ((!isalnum((unsigned char)*v) && *v != '-') || ++label > 63) {
			return false;
		}
	}
	return true;
}

int conf_set_modecfgdomains(struct conf_conn *c, struct conf_end *e, const char *v,
			    const struct conf_setup *s, char *why, size_t why_len)
{
	char buf[CONF_DOMAINS_MAX + 1], *p, *save = NULL;
	size_t off = 0;

	(void)e;
	(void)s;
	c->domains[0] = '\0';
	if (strlen(v) > CONF_DOMAINS_MAX)
		return why_set(why, why_len, "longer than %d characters", CONF_DOMAINS_MAX);
	strcpy(buf, v);
	for (p = strtok_r(buf, ", \t", &save); p; p = strtok_r(NULL, ", \t", &save)) {
		if (!domain_valid(p)) {
			c->domains[0] = '\0';
			return why_set(why, why_len, "'%s' is not a domain name", p);
		}
		off += (size_t)snprintf(c->domains + off, sizeof(c->domains) - off, "%s%s",
					off ? "," : "", p);
	}
	return 0;
}

int conf_set_modecfgbanner(struct conf_conn *c, struct conf_end *e, const char *v,
			   const struct conf_setup *s, char *why, size_t why_len)
{
	const char *p;

	(void)e;
	(void)s;
	if (strlen(v) > CONF_BANNER_MAX)
		return why_set(why, why_len, "longer than %d characters", CONF_BANNER_MAX);
	for (p = v; *p; p++)
		if (iscntrl((unsigned char)*p))
			return why_set(why, why_len, "a banner cannot contain control characters");
	strcpy(c->banner, v);
	return 0;
}

enum conf_role conf_conn_xauth_role(const struct conf_conn *c)
{
	if (c->left.xauthserver || c->right.xauthclient || (c->xauth_authby && c->xauth_server))
		return CONF_ROLE_SERVER;
	if (c->left.xauthclient || c->right.xauthserver || c->xauth_authby)
		return CONF_ROLE_CLIENT;
	return CONF_ROLE_NONE;
}

enum conf_role conf_conn_modecfg_role(const struct conf_conn *c)
{
	if (c->right.sourceip == CONF_SOURCEIP_POOL || c->left.modecfgserver ||
	    c->right.modecfgclient)
		return CONF_ROLE_SERVER;
	if (c->left.sourceip == CONF_SOURCEIP_CONFIG || c->left.modecfgclient ||
	    c->right.modecfgserver)
		return CONF_ROLE_CLIENT;
	return CONF_ROLE_NONE;
}

/* ---- whole-config checks ---- */

/* Whether [f1, l1] and [f2, l2] (one family) share an address. */
static bool ranges_overlap(const struct conf_addr *f1, const struct conf_addr *l1,
			   const struct conf_addr *f2, const struct conf_addr *l2)
{
	return f1->family == f2->family && addr_cmp(f1, l2) <= 0 && addr_cmp(f2, l1) <= 0;
}

static void subnet_range(const struct conf_subnet *n, struct conf_addr *first,
			 struct conf_addr *last)
{
	size_t bits = addr_len(n->addr.family) * 8, i;

	*first = *last = n->addr;
	for (i = n->prefix; i < bits; i++)
		last->bytes[i / 8] |= (uint8_t)(0x80u >> (i % 8));
}

static const char *pool_format(const struct conf_pool *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	struct conf_addr last;

	conf_pool_last(p, &last);
	snprintf(buf, len, "%s-%s", conf_addr_format(&p->first, a, sizeof(a)),
		 conf_addr_format(&last, b, sizeof(b)));
	return buf;
}

static void check_roles(const struct conf *conf, const struct conf_conn *c, struct conf_diag *d)
{
	bool xs =
		c->left.xauthserver || c->right.xauthclient || (c->xauth_authby && c->xauth_server);
	bool xc = c->left.xauthclient || c->right.xauthserver;
	bool ms = c->right.sourceip == CONF_SOURCEIP_POOL || c->left.modecfgserver ||
		  c->right.modecfgclient;
	bool mc = c->left.sourceip == CONF_SOURCEIP_CONFIG || c->left.modecfgclient ||
		  c->right.modecfgserver;

	if (xs && xc)
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': this host is both XAUTH server and client (check xauth=, leftxauthserver=/leftxauthclient=, rightxauthserver=/rightxauthclient=)",
			c->name);
	if (ms && mc)
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': this host is both Mode Config server and client (a pool for the right end and leftsourceip=%%config or leftmodecfgclient=)",
			c->name);
	if (ms && c->right.sourceip != CONF_SOURCEIP_POOL)
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': a Mode Config server needs a pool for its clients (rightsourceip=10.3.0.0/24 or rightaddresspool=10.3.0.10-10.3.0.250)",
			c->name);
	if (c->mode == CONF_MODE_TRANSPORT && (ms || mc))
		conf_diag_add(d, conf_conn_file(conf, c), c->line,
			      "conn '%s': virtual IPs (Mode Config) need type=tunnel", c->name);
	/* Hybrid RSA (hybrid-auth-05): the gateway signs, the client only
	 * verifies the gateway's certificate and logs in by XAUTH. */
	if (c->hybrid && c->authby != CONF_AUTHBY_RSASIG)
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': hybrid RSA is a signature by the gateway: leftauth=xauth goes with rightauth=pubkey, rightauth=xauth with leftauth=pubkey",
			c->name);
	if (c->hybrid && !xs && c->left.id.type == CONF_ID_DER_ASN1_DN)
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': a hybrid RSA client has no certificate to carry a DN leftid= (use an address, @fqdn or user@fqdn)",
			c->name);
	if (c->xauth_authby && c->authby == CONF_AUTHBY_RSASIG && !c->left.cert[0] &&
	    !(c->hybrid && !xs))
		conf_diag_add(d, conf_conn_file(conf, c), c->line,
			      "conn '%s': authby=xauthrsasig needs leftcert=", c->name);
}

static void check_xauth_secrets(const struct conf *conf, const struct conf_conn *c,
				const struct conf_secrets *secrets, struct conf_diag *d)
{
	enum conf_role role = conf_conn_xauth_role(c);

	if (role == CONF_ROLE_CLIENT && !c->xauth_identity[0])
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': an XAUTH client needs its user name (xauth_identity= or leftusername=)",
			c->name);
	if (!secrets)
		return;
	if (role == CONF_ROLE_CLIENT && c->xauth_identity[0] &&
	    !conf_secrets_find_xauth(secrets, c->xauth_identity))
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': %s has no XAUTH password for user '%s' (write %s : XAUTH \"password\")",
			c->name, secrets->file, c->xauth_identity, c->xauth_identity);
	if (role == CONF_ROLE_SERVER && c->xauthby == CONF_XAUTHBY_FILE &&
	    !conf_secrets_xauth_count(secrets))
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': xauthby=file but %s has no XAUTH user (write USER : XAUTH \"password\")",
			c->name, secrets->file);
}

static void check_pools(const struct conf *conf, size_t ci, struct conf_diag *d)
{
	const struct conf_conn *c = &conf->conns[ci];
	const struct conf_pool *p = &c->right.pool;
	char pb[2 * INET6_ADDRSTRLEN + 2], nb[INET6_ADDRSTRLEN];
	struct conf_addr last, f2, l2;
	size_t i, j;

	if (c->right.sourceip != CONF_SOURCEIP_POOL)
		return;
	conf_pool_last(p, &last);
	for (i = 0; i < conf->n_conns; i++) {
		const struct conf_conn *o = &conf->conns[i];

		if (o->autostart == CONF_AUTO_IGNORE)
			continue;
		for (j = 0; j < o->left.n_subnets; j++) {
			const struct conf_subnet *n = &o->left.subnets[j];

			/* leftsubnet=0.0.0.0/0 is "everything through the
			 * tunnel", not a network the pool could clash with. */
			if (!n->prefix)
				continue;
			subnet_range(n, &f2, &l2);
			if (ranges_overlap(&p->first, &last, &f2, &l2))
				conf_diag_add(
					d, conf_conn_file(conf, c), c->line,
					"conn '%s': address pool %s overlaps leftsubnet=%s/%u%s%s%s (a protected network): virtual IPs would clash with its hosts",
					c->name, pool_format(p, pb, sizeof(pb)),
					conf_addr_format(&n->addr, nb, sizeof(nb)), n->prefix,
					i == ci ? "" : " of conn '", i == ci ? "" : o->name,
					i == ci ? "" : "'");
		}
		/* Each pair of pools once. natkeyd leases per conn, so even the
		 * same range in two conns would hand out addresses twice. */
		if (i <= ci || o->right.sourceip != CONF_SOURCEIP_POOL)
			continue;
		f2 = o->right.pool.first;
		conf_pool_last(&o->right.pool, &l2);
		if (ranges_overlap(&p->first, &last, &f2, &l2)) {
			char ob[sizeof(pb)];

			conf_diag_add(
				d, conf_conn_file(conf, c), c->line,
				"conn '%s': address pool %s overlaps the pool %s of conn '%s' (each conn needs a range of its own: natkeyd does not share pools between conns)",
				c->name, pool_format(p, pb, sizeof(pb)),
				pool_format(&o->right.pool, ob, sizeof(ob)), o->name);
		}
	}
}

void conf_modecfg_validate(const struct conf *conf, const struct conf_secrets *secrets,
			   struct conf_diag *diag)
{
	size_t i;

	for (i = 0; i < conf->n_conns; i++) {
		const struct conf_conn *c = &conf->conns[i];

		if (c->autostart == CONF_AUTO_IGNORE)
			continue;
		check_roles(conf, c, diag);
		check_xauth_secrets(conf, c, secrets, diag);
		check_pools(conf, i, diag);
	}
}

/* ---- printing ---- */

static void end_print(const char *side, const struct conf_end *e, FILE *out)
{
	char buf[2 * INET6_ADDRSTRLEN + 2];

	if (e->sourceip == CONF_SOURCEIP_CONFIG)
		fprintf(out, "\t%ssourceip=%%config\n", side);
	else if (e->sourceip == CONF_SOURCEIP_POOL)
		fprintf(out, "\t%ssourceip=%s\n", side, pool_format(&e->pool, buf, sizeof(buf)));
	if (e->xauthserver)
		fprintf(out, "\t%sxauthserver=yes\n", side);
	if (e->xauthclient)
		fprintf(out, "\t%sxauthclient=yes\n", side);
	if (e->modecfgserver)
		fprintf(out, "\t%smodecfgserver=yes\n", side);
	if (e->modecfgclient)
		fprintf(out, "\t%smodecfgclient=yes\n", side);
}

void conf_modecfg_print(const struct conf_conn *c, FILE *out)
{
	char buf[INET6_ADDRSTRLEN];
	size_t i;

	end_print("left", &c->left, out);
	end_print("right", &c->right, out);
	if (c->xauth_server)
		fprintf(out, "\txauth=server\n");
	if (c->xauthby != CONF_XAUTHBY_FILE)
		fprintf(out, "\txauthby=pam\n");
	if (c->pam_service[0])
		fprintf(out, "\tpam-service=%s\n", c->pam_service);
	if (c->xauth_identity[0])
		fprintf(out, "\txauth_identity=%s\n", c->xauth_identity);
	if (!c->modecfg_pull)
		fprintf(out, "\tmodeconfig=push\n");
	if (c->cisco_unity)
		fprintf(out, "\tcisco-unity=yes\n");
	if (c->n_dns) {
		fprintf(out, "\tmodecfgdns=");
		for (i = 0; i < c->n_dns; i++)
			fprintf(out, "%s%s", i ? "," : "",
				conf_addr_format(&c->dns[i], buf, sizeof(buf)));
		fputc('\n', out);
	}
	if (c->domains[0])
		fprintf(out, "\tmodecfgdomains=%s\n", c->domains);
	if (c->banner[0]) {
		const char *q = strchr(c->banner, '#') ? "\"" : "";

		fprintf(out, "\tmodecfgbanner=%s%s%s\n", q, c->banner, q);
	}
}
