// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ipsec.conf keys natkeyd understands, as data: name, scope, setter.
 * Each setter maps "" to the key's built-in default, so that `key=` resets a
 * value inherited from %default or also=, and so that the defaults are
 * written once, here (docs/natkeyd.conf.5 documents the same values).
 *
 * The second table lists strongSwan and Libreswan keys natkeyd deliberately
 * does not implement, so that an admin porting a config gets a reason
 * instead of "unknown key".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <sys/socket.h>

#include "ike/conf/conf_internal.h"

#define DEFAULT_IKE	    "aes256-sha256-modp2048,aes128-sha256-modp2048,aes128-sha1-modp2048"
#define DEFAULT_ESP	    "aes256gcm16,aes128gcm16,aes256-sha256,aes128-sha1"
#define DEFAULT_IKELIFETIME 10800u /* 3h, strongSwan's default */
#define DEFAULT_LIFETIME    3600u  /* 1h */
#define DEFAULT_REKEYMARGIN 540u   /* 9m */
#define DEFAULT_REKEYFUZZ   100u   /* percent */
#define DEFAULT_KEEPALIVE   20u	   /* RFC 3948 s4: "M seconds (default 20)" */
#define DEFAULT_DPDDELAY    30u
#define DEFAULT_DPDTIMEOUT  150u
#define DEFAULT_FRAG_SIZE   576u /* RFC 791: every IPv4 host takes 576-byte datagrams whole */
#define MIN_FRAG_SIZE	    576u
#define MAX_FRAG_SIZE	    65535u

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

struct enum_name {
	const char *name;
	int value;
};

/* Returns the value, or -1 with a reason listing the accepted words. */
static int enum_parse(const struct enum_name *t, size_t n, const char *v, char *why, size_t why_len)
{
	size_t i, off;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].name, v))
			return t[i].value;
	off = (size_t)snprintf(why, why_len, "expected ");
	for (i = 0; i < n && off < why_len; i++)
		off += (size_t)snprintf(why + off, why_len - off, "%s%s", t[i].name,
					i + 2 < n   ? ", "
					: i + 1 < n ? " or "
						    : "");
	return -1;
}

static int bool_parse(const char *v, bool *out, char *why, size_t why_len)
{
	static const struct enum_name t[] = { { "yes", 1 }, { "no", 0 } };
	int r = enum_parse(t, 2, v, why, why_len);

	if (r < 0)
		return -EINVAL;
	*out = r;
	return 0;
}

static const char *enum_name_of(const struct enum_name *t, size_t n, int value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return "?";
}

static const struct enum_name auto_names[] = {
	{ "ignore", CONF_AUTO_IGNORE },
	{ "add", CONF_AUTO_ADD },
	{ "start", CONF_AUTO_START },
	{ "route", CONF_AUTO_ROUTE },
};

static const struct enum_name type_names[] = {
	{ "tunnel", CONF_MODE_TUNNEL },
	{ "transport", CONF_MODE_TRANSPORT },
};

static const struct enum_name dpd_names[] = {
	{ "none", CONF_DPD_NONE },
	{ "clear", CONF_DPD_CLEAR },
	{ "hold", CONF_DPD_HOLD },
	{ "restart", CONF_DPD_RESTART },
};

static const struct enum_name frag_names[] = {
	{ "yes", CONF_FRAG_YES },
	{ "accept", CONF_FRAG_ACCEPT },
	{ "force", CONF_FRAG_FORCE },
	{ "no", CONF_FRAG_NO },
};

#define N(t) (sizeof(t) / sizeof((t)[0]))

const char *conf_fragmentation_name(enum conf_fragmentation f)
{
	return enum_name_of(frag_names, N(frag_names), (int)f);
}

const char *conf_auto_name(enum conf_auto a)
{
	return enum_name_of(auto_names, N(auto_names), (int)a);
}

const char *conf_authby_name(enum conf_authby a)
{
	return a == CONF_AUTHBY_RSASIG ? "rsasig" : "secret";
}

const char *conf_mode_name(enum conf_mode m)
{
	return enum_name_of(type_names, N(type_names), (int)m);
}

const char *conf_dpd_action_name(enum conf_dpd_action a)
{
	return enum_name_of(dpd_names, N(dpd_names), (int)a);
}

const char *conf_natt_methods_format(unsigned methods)
{
	switch (methods & (CONF_NATT_RFC | CONF_NATT_DRAFT)) {
	case CONF_NATT_RFC | CONF_NATT_DRAFT:
		return "rfc,draft";
	case CONF_NATT_RFC:
		return "rfc";
	case CONF_NATT_DRAFT:
		return "draft";
	default:
		return "none";
	}
}

/* ---- config setup ---- */

static int set_allow_legacy(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	if (!*v) {
		s->allow_legacy = false;
		return 0;
	}
	return bool_parse(v, &s->allow_legacy, why, why_len);
}

static int set_nat_traversal(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	bool on = true;

	if (*v && bool_parse(v, &on, why, why_len) < 0)
		return -EINVAL;
	s->natt_methods = on ? CONF_NATT_RFC | CONF_NATT_DRAFT : 0;
	return 0;
}

static int set_keep_alive(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	if (!*v) {
		s->keepalive = DEFAULT_KEEPALIVE;
		return 0;
	}
	return conf_time_parse(v, &s->keepalive, why, why_len);
}

/* virtual-private=%v4:10.0.0.0/8,%v6:fd00::/8,%v4:!10.9.0.0/24 (Libreswan). */
static int set_virtual_private(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	char buf[CONF_SUBNETS_MAX * 48], *p, *save = NULL;
	size_t n = 0;

	s->n_vp = 0;
	memset(s->vp, 0, sizeof(s->vp));
	memset(s->vp_exclude, 0, sizeof(s->vp_exclude));
	if (!*v)
		return 0;
	if (strlen(v) >= sizeof(buf))
		return why_set(why, why_len, "more than %d networks", CONF_SUBNETS_MAX);
	strcpy(buf, v);
	for (p = strtok_r(buf, ", \t", &save); p; p = strtok_r(NULL, ", \t", &save)) {
		bool v6 = !strncmp(p, "%v6:", 4), excl;

		if (strncmp(p, "%v4:", 4) && !v6)
			return why_set(why, why_len,
				       "'%.64s': write each network as %%v4:NET, %%v6:NET or "
				       "%%v4:!NET (excluded)",
				       p);
		if (n == CONF_SUBNETS_MAX)
			return why_set(why, why_len, "more than %d networks", CONF_SUBNETS_MAX);
		p += 4;
		excl = *p == '!';
		if (excl)
			p++;
		if (conf_subnet_parse(p, &s->vp[n], why, why_len) < 0)
			return -EINVAL;
		if ((s->vp[n].addr.family == AF_INET6) != v6)
			return why_set(why, why_len, "'%.64s' is not an %s network", p,
				       v6 ? "IPv6" : "IPv4");
		s->vp_exclude[n++] = excl;
	}
	s->n_vp = n;
	return 0;
}

/* ---- conn ---- */

static int set_auto(struct conf_conn *c, struct conf_end *e, const char *v,
		    const struct conf_setup *s, char *why, size_t why_len)
{
	int r;

	(void)e;
	(void)s;
	r = *v ? enum_parse(auto_names, N(auto_names), v, why, why_len) : CONF_AUTO_IGNORE;
	if (r < 0)
		return -EINVAL;
	c->autostart = (enum conf_auto)r;
	return 0;
}

static int set_keyexchange(struct conf_conn *c, struct conf_end *e, const char *v,
			   const struct conf_setup *s, char *why, size_t why_len)
{
	(void)c;
	(void)e;
	(void)s;
	if (!*v || !strcmp(v, "ikev1"))
		return 0;
	if (!strcmp(v, "ikev2"))
		return why_set(why, why_len, "IKEv2 is not supported by natkeyd (IKEv1 only)");
	if (!strcmp(v, "ike"))
		return why_set(
			why, why_len,
			"'ike' means IKEv2 in strongSwan; natkeyd speaks IKEv1 only: write keyexchange=ikev1");
	return why_set(why, why_len, "expected ikev1");
}

/* Libreswan's spelling of the same choice. */
static int set_ikev2(struct conf_conn *c, struct conf_end *e, const char *v,
		     const struct conf_setup *s, char *why, size_t why_len)
{
	(void)c;
	(void)e;
	(void)s;
	if (!*v || !strcmp(v, "no") || !strcmp(v, "never"))
		return 0;
	if (!strcmp(v, "insist") || !strcmp(v, "yes") || !strcmp(v, "propose") ||
	    !strcmp(v, "permit"))
		return why_set(why, why_len, "IKEv2 is not supported by natkeyd (IKEv1 only)");
	return why_set(why, why_len, "expected no or never");
}

static int set_authby(struct conf_conn *c, struct conf_end *e, const char *v,
		      const struct conf_setup *s, char *why, size_t why_len)
{
	static const struct enum_name t[] = {
		{ "secret", CONF_AUTHBY_PSK },
		{ "psk", CONF_AUTHBY_PSK },
		{ "rsasig", CONF_AUTHBY_RSASIG },
		{ "pubkey", CONF_AUTHBY_RSASIG },
	};
	int r;

	(void)e;
	(void)s;
	/* XAUTH on top of Phase 1 (strongSwan's spelling; conf_modecfg.c). */
	c->xauth_authby = false;
	if (!strcmp(v, "xauthpsk") || !strcmp(v, "xauthrsasig")) {
		c->xauth_authby = true;
		c->authby = v[5] == 'p' ? CONF_AUTHBY_PSK : CONF_AUTHBY_RSASIG;
		return 0;
	}
	if (!strcmp(v, "hybridrsasig") || !strcmp(v, "xauthrsasig-hybrid"))
		return why_set(why, why_len, "hybrid RSA authentication is not implemented yet");
	r = *v ? enum_parse(t, N(t), v, why, why_len) : CONF_AUTHBY_PSK;
	if (r < 0)
		return -EINVAL;
	c->authby = (enum conf_authby)r;
	return 0;
}

static int set_type(struct conf_conn *c, struct conf_end *e, const char *v,
		    const struct conf_setup *s, char *why, size_t why_len)
{
	int r;

	(void)e;
	(void)s;
	if (!strcmp(v, "passthrough") || !strcmp(v, "pass") || !strcmp(v, "drop") ||
	    !strcmp(v, "reject"))
		return why_set(why, why_len,
			       "type=%s (a bypass/drop policy) is not supported by natkeyd", v);
	r = *v ? enum_parse(type_names, N(type_names), v, why, why_len) : CONF_MODE_TUNNEL;
	if (r < 0)
		return -EINVAL;
	c->mode = (enum conf_mode)r;
	return 0;
}

static bool hostname_valid(const char *v)
{
	const char *p;
	size_t label = 0;

	if (!*v || strlen(v) > CONF_HOST_MAX || *v == '.' || *v == '-')
		return false;
	for (p = v; *p; p++) {
		if (*p == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-')
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

static int set_host(struct conf_conn *c, struct conf_end *e, const char *v,
		    const struct conf_setup *s, char *why, size_t why_len)
{
	(void)c;
	(void)s;
	memset(&e->host, 0, sizeof(e->host));
	if (!*v)
		return 0;
	if (!strcmp(v, "%any") || !strcmp(v, "%any6")) {
		e->host.kind = CONF_HOST_ANY;
		return 0;
	}
	if (!strcmp(v, "%defaultroute")) {
		e->host.kind = CONF_HOST_DEFAULTROUTE;
		return 0;
	}
	if (conf_addr_parse(v, &e->host.addr) == 0) {
		e->host.kind = CONF_HOST_ADDR;
		return 0;
	}
	if (v[0] == '%')
		return why_set(why, why_len,
			       "expected an address, a host name, %%any or %%defaultroute");
	if (!hostname_valid(v))
		return why_set(why, why_len, "'%s' is neither an IP address nor a host name", v);
	e->host.kind = CONF_HOST_NAME;
	strcpy(e->host.name, v);
	return 0;
}

static int set_id(struct conf_conn *c, struct conf_end *e, const char *v,
		  const struct conf_setup *s, char *why, size_t why_len)
{
	(void)c;
	(void)s;
	if (!*v) {
		memset(&e->id, 0, sizeof(e->id));
		return 0;
	}
	return conf_id_parse(v, &e->id, why, why_len);
}

/* rightsubnet=vhost:%priv,%no / vnet:%priv (Libreswan): the road warriors'
 * clients come from virtual-private= (folded in here: `config setup` is
 * resolved before any conn). */
static int set_subnet_virtual(struct conf_conn *c, struct conf_end *e, const char *v,
			      const struct conf_setup *s, char *why, size_t why_len)
{
	char buf[64], *p, *save = NULL;
	bool vhost = !strncmp(v, "vhost:", 6);

	if (e == &c->left)
		return why_set(why, why_len,
			       "vhost:/vnet: is for rightsubnet= (what road warriors may claim)");
	if (strlen(v) >= sizeof(buf))
		return why_set(why, why_len,
			       "expected vhost:%%priv, vhost:%%priv,%%no or vnet:...");
	strcpy(buf, v + (vhost ? 6 : 5));
	for (p = strtok_r(buf, ", \t", &save); p; p = strtok_r(NULL, ", \t", &save)) {
		if (!strcmp(p, "%priv"))
			e->subnet_priv = true;
		else if (!strcmp(p, "%no"))
			e->subnet_no = true;
		else if (!strcmp(p, "%all"))
			return why_set(why, why_len,
				       "%%all is not supported: a road warrior could claim any "
				       "address; list the networks in virtual-private=");
		else
			return why_set(why, why_len, "'%.32s': expected %%priv or %%no", p);
	}
	if (!e->subnet_priv && !e->subnet_no)
		return why_set(why, why_len, "expected %%priv and/or %%no after %s",
			       vhost ? "vhost:" : "vnet:");
	e->subnet_kind = vhost ? CONF_SUBNET_VHOST : CONF_SUBNET_VNET;
	if (!e->subnet_priv)
		return 0;
	if (!s->n_vp)
		return why_set(why, why_len,
			       "%%priv needs virtual-private= in config setup (the networks road "
			       "warriors may claim)");
	for (size_t i = 0; i < s->n_vp; i++) {
		if (s->vp_exclude[i])
			e->excludes[e->n_excludes++] = s->vp[i];
		else
			e->subnets[e->n_subnets++] = s->vp[i];
	}
	if (!e->n_subnets)
		return why_set(why, why_len, "virtual-private= excludes only: nothing to allow");
	return 0;
}

static int set_subnet(struct conf_conn *c, struct conf_end *e, const char *v,
		      const struct conf_setup *s, char *why, size_t why_len)
{
	char buf[CONF_SUBNETS_MAX * 48], *p, *save = NULL;
	size_t n = 0;

	(void)c;
	e->n_subnets = e->n_excludes = 0;
	memset(e->subnets, 0, sizeof(e->subnets));
	memset(e->excludes, 0, sizeof(e->excludes));
	e->subnet_kind = CONF_SUBNET_LIST;
	e->subnet_priv = e->subnet_no = false;
	if (!*v)
		return 0;
	if (!strncmp(v, "vhost:", 6) || !strncmp(v, "vnet:", 5))
		return set_subnet_virtual(c, e, v, s, why, why_len);
	if (strlen(v) >= sizeof(buf))
		return why_set(why, why_len, "more than %d subnets", CONF_SUBNETS_MAX);
	strcpy(buf, v);
	for (p = strtok_r(buf, ", \t", &save); p; p = strtok_r(NULL, ", \t", &save)) {
		if (n == CONF_SUBNETS_MAX)
			return why_set(why, why_len, "more than %d subnets", CONF_SUBNETS_MAX);
		if (conf_subnet_parse(p, &e->subnets[n], why, why_len) < 0)
			return -EINVAL;
		n++;
	}
	if (!n)
		return why_set(why, why_len, "no subnet given");
	e->n_subnets = n;
	return 0;
}

static int set_cert(struct conf_conn *c, struct conf_end *e, const char *v,
		    const struct conf_setup *s, char *why, size_t why_len)
{
	(void)c;
	(void)s;
	if (strlen(v) > CONF_PATH_MAX)
		return why_set(why, why_len, "path longer than %d characters", CONF_PATH_MAX);
	if (strchr(v, ' ') || strchr(v, '\t'))
		return why_set(why, why_len, "certificate paths cannot contain blanks");
	strcpy(e->cert, v);
	return 0;
}

static const struct enum_name proto_names[] = {
	{ "icmp", 1 }, { "tcp", 6 },	 { "udp", 17 },
	{ "gre", 47 }, { "icmpv6", 58 }, { "sctp", 132 },
};

static int number_parse(const char *v, unsigned long max, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*v))
		return -EINVAL;
	errno = 0;
	*out = strtoul(v, &end, 10);
	if (*end || errno || *out > max)
		return -EINVAL;
	return 0;
}

static int set_protoport(struct conf_conn *c, struct conf_end *e, const char *v,
			 const struct conf_setup *s, char *why, size_t why_len)
{
	char buf[64], *slash, *port;
	unsigned long n;
	int r;

	(void)c;
	(void)s;
	memset(&e->protoport, 0, sizeof(e->protoport));
	if (!*v)
		return 0;
	if (strlen(v) >= sizeof(buf))
		goto bad;
	strcpy(buf, v);
	slash = strchr(buf, '/');
	port = slash ? slash + 1 : NULL;
	if (slash)
		*slash = '\0';
	if (!strcmp(buf, "%any")) {
		e->protoport.proto = 0;
	} else if (number_parse(buf, 255, &n) == 0) {
		e->protoport.proto = (uint8_t)n;
	} else {
		r = enum_parse(proto_names, N(proto_names), buf, why, why_len);
		if (r < 0)
			goto bad;
		e->protoport.proto = (uint8_t)r;
	}
	if (!port || !strcmp(port, "%any"))
		return 0;
	if (number_parse(port, 65535, &n) < 0)
		goto bad;
	if (e->protoport.proto != 6 && e->protoport.proto != 17 && e->protoport.proto != 132 &&
	    n != 0)
		return why_set(why, why_len,
			       "a port only applies to tcp (6), udp (17) or sctp (132)");
	e->protoport.port = (uint16_t)n;
	return 0;
bad:
	return why_set(
		why, why_len,
		"expected PROTO[/PORT] (e.g. 17/1701, udp/%%any, tcp); PROTO is a number or icmp, tcp, udp, gre, icmpv6, sctp");
}

static int set_ike(struct conf_conn *c, struct conf_end *e, const char *v,
		   const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	return conf_proposals_parse(*v ? v : DEFAULT_IKE, CONF_PROPOSAL_IKE, s->allow_legacy,
				    &c->ike, why, why_len);
}

static int set_esp(struct conf_conn *c, struct conf_end *e, const char *v,
		   const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	return conf_proposals_parse(*v ? v : DEFAULT_ESP, CONF_PROPOSAL_ESP, s->allow_legacy,
				    &c->esp, why, why_len);
}

/* One setter per time field; the field is picked by offset. */
#define TIME_SETTER(fn, field, def)                                                                \
	static int fn(struct conf_conn *c, struct conf_end *e, const char *v,                      \
		      const struct conf_setup *s, char *why, size_t why_len)                       \
	{                                                                                          \
		(void)e;                                                                           \
		(void)s;                                                                           \
		if (!*v) {                                                                         \
			c->field = (def);                                                          \
			return 0;                                                                  \
		}                                                                                  \
		return conf_time_parse(v, &c->field, why, why_len);                                \
	}

TIME_SETTER(set_ikelifetime, ikelifetime, DEFAULT_IKELIFETIME)
TIME_SETTER(set_lifetime, lifetime, DEFAULT_LIFETIME)
TIME_SETTER(set_rekeymargin, rekeymargin, DEFAULT_REKEYMARGIN)
TIME_SETTER(set_dpddelay, dpddelay, DEFAULT_DPDDELAY)
TIME_SETTER(set_dpdtimeout, dpdtimeout, DEFAULT_DPDTIMEOUT)
TIME_SETTER(set_nat_keepalive, nat_keepalive, s->keepalive)

#define BOOL_SETTER(fn, field, def)                                                                \
	static int fn(struct conf_conn *c, struct conf_end *e, const char *v,                      \
		      const struct conf_setup *s, char *why, size_t why_len)                       \
	{                                                                                          \
		(void)e;                                                                           \
		(void)s;                                                                           \
		if (!*v) {                                                                         \
			c->field = (def);                                                          \
			return 0;                                                                  \
		}                                                                                  \
		return bool_parse(v, &c->field, why, why_len);                                     \
	}

BOOL_SETTER(set_pfs, pfs, true)
BOOL_SETTER(set_aggressive, aggressive, false)
BOOL_SETTER(set_aggressive_psk_responder, aggressive_psk_responder, false)
BOOL_SETTER(set_forceencaps, forceencaps, false)
BOOL_SETTER(set_commitbit, commitbit, false)

/* strongSwan's lifebytes=/marginbytes=: a byte count; "" = 0 (no limit, and
 * for the margin the engine's 10% of lifebytes). */
#define BYTES_SETTER(fn, field)                                                                    \
	static int fn(struct conf_conn *c, struct conf_end *e, const char *v,                      \
		      const struct conf_setup *s, char *why, size_t why_len)                       \
	{                                                                                          \
		(void)e;                                                                           \
		(void)s;                                                                           \
		if (!*v) {                                                                         \
			c->field = 0;                                                              \
			return 0;                                                                  \
		}                                                                                  \
		return conf_bytes_parse(v, &c->field, why, why_len);                               \
	}

BYTES_SETTER(set_lifebytes, lifebytes)
BYTES_SETTER(set_marginbytes, marginbytes)

static int set_rekeyfuzz(struct conf_conn *c, struct conf_end *e, const char *v,
			 const struct conf_setup *s, char *why, size_t why_len)
{
	char buf[16];
	size_t len = strlen(v);
	unsigned long n;

	(void)e;
	(void)s;
	if (!len) {
		c->rekeyfuzz = DEFAULT_REKEYFUZZ;
		return 0;
	}
	if (len >= sizeof(buf))
		goto bad;
	strcpy(buf, v);
	if (buf[len - 1] == '%')
		buf[len - 1] = '\0';
	/* strongSwan allows more than 100%; the daemon caps the result at
	 * the margin's own size, so 0..1000 is the useful range. */
	if (number_parse(buf, 1000, &n) < 0)
		goto bad;
	c->rekeyfuzz = (uint32_t)n;
	return 0;
bad:
	return why_set(why, why_len, "expected a percentage 0%%..1000%%");
}

static int set_dpdaction(struct conf_conn *c, struct conf_end *e, const char *v,
			 const struct conf_setup *s, char *why, size_t why_len)
{
	int r;

	(void)e;
	(void)s;
	r = *v ? enum_parse(dpd_names, N(dpd_names), v, why, why_len) : CONF_DPD_NONE;
	if (r < 0)
		return -EINVAL;
	c->dpdaction = (enum conf_dpd_action)r;
	return 0;
}

static int set_fragmentation(struct conf_conn *c, struct conf_end *e, const char *v,
			     const struct conf_setup *s, char *why, size_t why_len)
{
	int r;

	(void)e;
	(void)s;
	r = *v ? enum_parse(frag_names, N(frag_names), v, why, why_len) : CONF_FRAG_YES;
	if (r < 0)
		return -EINVAL;
	c->fragmentation = (enum conf_fragmentation)r;
	return 0;
}

static int set_fragment_size(struct conf_conn *c, struct conf_end *e, const char *v,
			     const struct conf_setup *s, char *why, size_t why_len)
{
	unsigned long n;

	(void)e;
	(void)s;
	if (!*v) {
		c->fragment_size = DEFAULT_FRAG_SIZE;
		return 0;
	}
	if (number_parse(v, MAX_FRAG_SIZE, &n) < 0 || n < MIN_FRAG_SIZE)
		return why_set(why, why_len, "expected the bytes of an IP datagram, %u..%u",
			       MIN_FRAG_SIZE, MAX_FRAG_SIZE);
	c->fragment_size = (uint32_t)n;
	return 0;
}

static int set_natt_methods(struct conf_conn *c, struct conf_end *e, const char *v,
			    const struct conf_setup *s, char *why, size_t why_len)
{
	char buf[64], *p, *save = NULL;
	unsigned m = 0;

	(void)e;
	if (!*v) {
		c->natt_methods = s->natt_methods;
		return 0;
	}
	if (!strcmp(v, "none")) {
		c->natt_methods = 0;
		return 0;
	}
	if (strlen(v) >= sizeof(buf))
		goto bad;
	strcpy(buf, v);
	for (p = strtok_r(buf, ", ", &save); p; p = strtok_r(NULL, ", ", &save)) {
		if (!strcmp(p, "rfc"))
			m |= CONF_NATT_RFC;
		else if (!strcmp(p, "draft"))
			m |= CONF_NATT_DRAFT;
		else
			goto bad;
	}
	if (!m)
		goto bad;
	c->natt_methods = m;
	return 0;
bad:
	return why_set(why, why_len, "expected rfc, draft, rfc,draft or none");
}

/* Libreswan's spelling: nat-ikev1-method=drafts|rfc|both|none. */
static int set_nat_ikev1_method(struct conf_conn *c, struct conf_end *e, const char *v,
				const struct conf_setup *s, char *why, size_t why_len)
{
	static const struct enum_name t[] = {
		{ "drafts", CONF_NATT_DRAFT },
		{ "rfc", CONF_NATT_RFC },
		{ "both", CONF_NATT_RFC | CONF_NATT_DRAFT },
		{ "none", 0 },
	};
	int r;

	(void)e;
	if (!*v) {
		c->natt_methods = s->natt_methods;
		return 0;
	}
	r = enum_parse(t, N(t), v, why, why_len);
	if (r < 0)
		return -EINVAL;
	c->natt_methods = (unsigned)r;
	return 0;
}

static const struct conf_key keys[] = {
	{ "allow-legacy-algorithms", CONF_SCOPE_SETUP, set_allow_legacy, NULL, 0 },
	{ "nat_traversal", CONF_SCOPE_SETUP, set_nat_traversal, NULL, 0 },
	{ "keep-alive", CONF_SCOPE_SETUP, set_keep_alive, NULL, 0 },
	{ "virtual-private", CONF_SCOPE_SETUP, set_virtual_private, NULL, 0 },
	{ "virtual_private", CONF_SCOPE_SETUP, set_virtual_private, NULL, 0 },
	/* also= is resolved by the parser; listed for lookup and suggestions. */
	{ "also", CONF_SCOPE_CONN, NULL, NULL, 0 },
	{ "auto", CONF_SCOPE_CONN, NULL, set_auto, 0 },
	{ "keyexchange", CONF_SCOPE_CONN, NULL, set_keyexchange, 0 },
	{ "ikev2", CONF_SCOPE_CONN, NULL, set_ikev2, 0 },
	{ "authby", CONF_SCOPE_CONN, NULL, set_authby, 0 },
	{ "type", CONF_SCOPE_CONN, NULL, set_type, 0 },
	{ "left", CONF_SCOPE_CONN, NULL, set_host, 1 },
	{ "right", CONF_SCOPE_CONN, NULL, set_host, 2 },
	{ "leftid", CONF_SCOPE_CONN, NULL, set_id, 1 },
	{ "rightid", CONF_SCOPE_CONN, NULL, set_id, 2 },
	{ "leftsubnet", CONF_SCOPE_CONN, NULL, set_subnet, 1 },
	{ "rightsubnet", CONF_SCOPE_CONN, NULL, set_subnet, 2 },
	{ "leftcert", CONF_SCOPE_CONN, NULL, set_cert, 1 },
	{ "rightcert", CONF_SCOPE_CONN, NULL, set_cert, 2 },
	{ "leftprotoport", CONF_SCOPE_CONN, NULL, set_protoport, 1 },
	{ "rightprotoport", CONF_SCOPE_CONN, NULL, set_protoport, 2 },
	{ "ike", CONF_SCOPE_CONN, NULL, set_ike, 0 },
	{ "esp", CONF_SCOPE_CONN, NULL, set_esp, 0 },
	{ "ikelifetime", CONF_SCOPE_CONN, NULL, set_ikelifetime, 0 },
	{ "lifetime", CONF_SCOPE_CONN, NULL, set_lifetime, 0 },
	{ "keylife", CONF_SCOPE_CONN, NULL, set_lifetime, 0 },
	{ "salifetime", CONF_SCOPE_CONN, NULL, set_lifetime, 0 },
	{ "rekeymargin", CONF_SCOPE_CONN, NULL, set_rekeymargin, 0 },
	{ "margintime", CONF_SCOPE_CONN, NULL, set_rekeymargin, 0 },
	{ "rekeyfuzz", CONF_SCOPE_CONN, NULL, set_rekeyfuzz, 0 },
	{ "lifebytes", CONF_SCOPE_CONN, NULL, set_lifebytes, 0 },
	{ "marginbytes", CONF_SCOPE_CONN, NULL, set_marginbytes, 0 },
	{ "commitbit", CONF_SCOPE_CONN, NULL, set_commitbit, 0 },
	{ "pfs", CONF_SCOPE_CONN, NULL, set_pfs, 0 },
	{ "aggressive", CONF_SCOPE_CONN, NULL, set_aggressive, 0 },
	{ "aggressive_psk_responder", CONF_SCOPE_CONN, NULL, set_aggressive_psk_responder, 0 },
	{ "forceencaps", CONF_SCOPE_CONN, NULL, set_forceencaps, 0 },
	{ "natt_methods", CONF_SCOPE_CONN, NULL, set_natt_methods, 0 },
	{ "nat-ikev1-method", CONF_SCOPE_CONN, NULL, set_nat_ikev1_method, 0 },
	{ "nat_keepalive", CONF_SCOPE_CONN, NULL, set_nat_keepalive, 0 },
	{ "dpddelay", CONF_SCOPE_CONN, NULL, set_dpddelay, 0 },
	{ "dpdtimeout", CONF_SCOPE_CONN, NULL, set_dpdtimeout, 0 },
	{ "dpdaction", CONF_SCOPE_CONN, NULL, set_dpdaction, 0 },
	{ "fragmentation", CONF_SCOPE_CONN, NULL, set_fragmentation, 0 },
	{ "fragment_size", CONF_SCOPE_CONN, NULL, set_fragment_size, 0 },
	/* XAUTH and Mode Config (setters in conf_modecfg.c). */
	{ "leftsourceip", CONF_SCOPE_CONN, NULL, conf_set_sourceip, 1 },
	{ "rightsourceip", CONF_SCOPE_CONN, NULL, conf_set_sourceip, 2 },
	{ "rightaddresspool", CONF_SCOPE_CONN, NULL, conf_set_addresspool, 2 },
	{ "leftxauthserver", CONF_SCOPE_CONN, NULL, conf_set_xauthserver, 1 },
	{ "rightxauthserver", CONF_SCOPE_CONN, NULL, conf_set_xauthserver, 2 },
	{ "leftxauthclient", CONF_SCOPE_CONN, NULL, conf_set_xauthclient, 1 },
	{ "rightxauthclient", CONF_SCOPE_CONN, NULL, conf_set_xauthclient, 2 },
	{ "leftmodecfgserver", CONF_SCOPE_CONN, NULL, conf_set_modecfgserver, 1 },
	{ "rightmodecfgserver", CONF_SCOPE_CONN, NULL, conf_set_modecfgserver, 2 },
	{ "leftmodecfgclient", CONF_SCOPE_CONN, NULL, conf_set_modecfgclient, 1 },
	{ "rightmodecfgclient", CONF_SCOPE_CONN, NULL, conf_set_modecfgclient, 2 },
	{ "xauth", CONF_SCOPE_CONN, NULL, conf_set_xauth, 0 },
	{ "xauthby", CONF_SCOPE_CONN, NULL, conf_set_xauthby, 0 },
	{ "xauth_identity", CONF_SCOPE_CONN, NULL, conf_set_xauth_identity, 0 },
	{ "leftusername", CONF_SCOPE_CONN, NULL, conf_set_xauth_identity, 0 },
	{ "leftxauthusername", CONF_SCOPE_CONN, NULL, conf_set_xauth_identity, 0 },
	{ "modeconfig", CONF_SCOPE_CONN, NULL, conf_set_modeconfig, 0 },
	{ "modecfgpull", CONF_SCOPE_CONN, NULL, conf_set_modecfgpull, 0 },
	{ "cisco-unity", CONF_SCOPE_CONN, NULL, conf_set_cisco_unity, 0 },
	{ "modecfgdns", CONF_SCOPE_CONN, NULL, conf_set_modecfgdns, 0 },
	{ "modecfgdomains", CONF_SCOPE_CONN, NULL, conf_set_modecfgdomains, 0 },
	{ "modecfgbanner", CONF_SCOPE_CONN, NULL, conf_set_modecfgbanner, 0 },
};

struct unsupported_key {
	const char *name;
	const char *reason;
};

/* strongSwan (ipsec.conf(5)) and Libreswan (ipsec.conf(5)) keys that natkeyd
 * does not implement, with what to do instead. */
static const struct unsupported_key unsupported[] = {
	{ "leftauth", "use authby=secret or authby=rsasig" },
	{ "rightauth", "use authby=secret or authby=rsasig" },
	{ "leftauth2", "IKEv2 multiple authentication is not available in IKEv1" },
	{ "rightauth2", "IKEv2 multiple authentication is not available in IKEv1" },
	{ "eap_identity", "EAP is IKEv2 only" },
	{ "aaa_identity", "EAP is IKEv2 only" },
	{ "mobike", "MOBIKE is IKEv2 only" },
	{ "reauth", "IKEv1 SAs are always re-keyed by a new exchange" },
	{ "rekey", "natkeyd always re-keys before lifetime expiry" },
	{ "keyingtries", "natkeyd retries with backoff until `natkeyctl down`" },
	{ "compress", "IPComp is not implemented" },
	{ "ah", "AH is not implemented: use esp=" },
	{ "phase2", "only ESP is implemented: use esp=" },
	{ "phase2alg", "spelled esp= in natkeyd" },
	{ "lifepackets", "packet lifetimes are not implemented: use lifebytes=" },
	{ "marginpackets", "packet lifetimes are not implemented: use marginbytes=" },
	{ "mark", "XFRM marks are not implemented" },
	{ "mark_in", "XFRM marks are not implemented" },
	{ "mark_out", "XFRM marks are not implemented" },
	{ "reqid", "natkeyd allocates reqids itself" },
	{ "installpolicy", "natkeyd always installs its policies" },
	{ "leftupdown", "updown scripts are not implemented" },
	{ "rightupdown", "updown scripts are not implemented" },
	{ "leftfirewall", "updown scripts are not implemented" },
	{ "rightfirewall", "updown scripts are not implemented" },
	{ "lefthostaccess", "updown scripts are not implemented" },
	{ "leftca", "CA constraints are not implemented: trust is configured by the daemon" },
	{ "rightca", "CA constraints are not implemented: trust is configured by the daemon" },
	{ "leftsendcert", "natkeyd sends its certificate when authby=rsasig" },
	{ "rightsendcert", "natkeyd sends its certificate when authby=rsasig" },
	{ "leftgroups", "group membership checks are not implemented" },
	{ "rightgroups", "group membership checks are not implemented" },
	{ "leftallowany", "write left=%any instead" },
	{ "rightallowany", "write right=%any instead" },
	{ "leftnexthop", "natkeyd uses the kernel's routing" },
	{ "rightnexthop", "natkeyd uses the kernel's routing" },
	{ "leftsubnets", "write leftsubnet=a,b (comma separated)" },
	{ "rightsubnets", "write rightsubnet=a,b (comma separated)" },
	{ "leftsigkey", "raw public keys are not implemented: use leftcert=" },
	{ "rightsigkey", "raw public keys are not implemented: use rightcert=" },
	{ "leftdns", "write modecfgdns= (the DNS servers a Mode Config gateway hands out)" },
	{ "rightdns", "write modecfgdns= (the DNS servers a Mode Config gateway hands out)" },
	{ "leftrsasigkey", "raw RSA keys are not implemented: use leftcert=" },
	{ "rightrsasigkey", "raw RSA keys are not implemented: use rightcert=" },
	{ "leftikeport", "natkeyd uses ports 500 and 4500" },
	{ "rightikeport", "natkeyd uses ports 500 and 4500" },
	{ "closeaction", "use dpdaction=" },
	{ "inactivity", "idle timeouts are not implemented" },
	{ "dpd_action", "spelled dpdaction= (no underscore)" },
	{ "encapsulation", "use forceencaps=yes to force UDP encapsulation" },
	{ "nat-keepalive", "spelled nat_keepalive= per conn, or keep-alive= in config setup" },
	{ "keep_alive", "spelled keep-alive= in config setup (as Libreswan)" },
	{ "sha256_96", "natkeyd uses RFC 4868 truncation (128 bits) for sha256" },
	{ "sha2-truncbug", "natkeyd uses RFC 4868 truncation (128 bits) for sha256" },
	{ "tfc", "traffic flow confidentiality padding is not implemented" },
	{ "replay_window", "natkeyd uses the kernel's default replay window" },
	{ "ikedscp", "DSCP marking of IKE packets is not implemented" },
	{ "narrowing", "traffic selector narrowing is IKEv2 only" },
	{ "sareftrack", "not needed: natkeyd tracks SA references itself" },
	{ "ppk", "post-quantum preshared keys are IKEv2 only" },
	{ "remote_peer_type", "write cisco-unity=yes for the Cisco Unity extensions" },
	{ "charondebug", "use `natkeyctl log-level LEVEL [MODULE]`" },
	{ "plutodebug", "use `natkeyctl log-level LEVEL [MODULE]`" },
	{ "uniqueids", "natkeyd replaces an older IKE SA of the same identities" },
	{ "cachecrls", "CRL handling is not implemented" },
	{ "strictcrlpolicy", "CRL handling is not implemented" },
	{ "crlcheckinterval", "CRL handling is not implemented" },
	{ "protostack", "natkeyd always uses the Linux XFRM stack" },
	{ "interfaces", "natkeyd listens on every address" },
	{ "listen", "natkeyd listens on every address" },
	{ "plutostderrlog", "natkeyd logs to stderr/journal" },
	{ "logfile", "natkeyd logs to stderr/journal" },
	{ "nhelpers", "natkeyd is single-threaded by design" },
	{ "dumpdir", "core dumps are configured by systemd" },
	{ "myvendorid", "vendor IDs are fixed by the NAT-T methods" },
};

const struct conf_key *conf_key_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < N(keys); i++)
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

const char *conf_key_unsupported(const char *name)
{
	size_t i;

	for (i = 0; i < N(unsupported); i++)
		if (!strcmp(unsupported[i].name, name))
			return unsupported[i].reason;
	return NULL;
}

const char *conf_key_suggest(const char *name, enum conf_scope scope)
{
	const char *best = NULL;
	unsigned best_d, d;
	size_t i, len = strlen(name);

	/* Short keys tolerate less: "esp" vs "ike" must not match. */
	best_d = len >= 9 ? 3 : len >= 4 ? 2 : 1;
	for (i = 0; i < N(keys); i++) {
		if (keys[i].scope != scope)
			continue;
		d = conf_edit_distance(name, keys[i].name);
		if (d <= best_d && (!best || d < conf_edit_distance(name, best))) {
			best = keys[i].name;
			best_d = d;
		}
	}
	return best;
}

int conf_key_apply_conn(const struct conf_key *key, struct conf_conn *c, const char *value,
			const struct conf_setup *s, char *why, size_t why_len)
{
	struct conf_end *end = key->side == 1 ? &c->left : key->side == 2 ? &c->right : NULL;

	if (!key->set_conn)
		return 0;
	return key->set_conn(c, end, value, s, why, why_len);
}

void conf_conn_set_defaults(struct conf_conn *c, const struct conf_setup *s)
{
	char why[CONF_WHY_LEN];
	size_t i;

	for (i = 0; i < N(keys); i++)
		if (keys[i].scope == CONF_SCOPE_CONN)
			(void)conf_key_apply_conn(&keys[i], c, "", s, why, sizeof(why));
}

void conf_setup_set_defaults(struct conf_setup *s)
{
	char why[CONF_WHY_LEN];
	size_t i;

	for (i = 0; i < N(keys); i++)
		if (keys[i].scope == CONF_SCOPE_SETUP)
			(void)keys[i].set_setup(s, "", why, sizeof(why));
}
