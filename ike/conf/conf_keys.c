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
#include <stddef.h>
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
/* The engine's IKE_HALFOPEN_*_DEFAULT (natkeyd checks they agree). */
#define DEFAULT_MAX_HALFOPEN	    4096u
#define DEFAULT_HALFOPEN_PER_SOURCE 32u
#define DEFAULT_HALFOPEN_TIMEOUT    30u
#define DEFAULT_NAT_AUDIT	    60u
#define DEFAULT_IKE_SOCKET_BUFSIZE  (4u << 20) /* xfrm/ike_socket.h IKE_SOCKET_BUFSIZE_DEFAULT */
#define DEFAULT_KEEPALIVE	    20u	       /* RFC 3948 s4: "M seconds (default 20)" */
#define DEFAULT_KEEPALIVE_MAX	    120u       /* natt/adaptka.h NATT_ADAPTKA_MAX_MS_DEFAULT */
#define MIN_KEEPALIVE_MAX	    10u	       /* NATT_ADAPTKA_MIN_MS */
#define MAX_BINDING_LIFETIME	    86400u     /* NATT_ADAPTKA_PEER_MAX_MS */
#define DEFAULT_DPDDELAY	    30u
#define DEFAULT_DPDTIMEOUT	    150u
#define DEFAULT_FRAG_SIZE	    576u /* RFC 791: every IPv4 host takes 576-byte datagrams whole */
#define MIN_FRAG_SIZE		    576u
#define MAX_FRAG_SIZE		    65535u
#define DEFAULT_KEYINGTRIES	    1u	/* one attempt (with retransmissions), as before */
#define NKD_UPDOWN_CMD_LEN	    256 /* tools/natkeyd/natkeyd_updown.h NKD_UD_CMD_MAX */

/* leftauth=xauth... and leftauth2=xauth (strongSwan's IKEv2-style spelling). */
#define CONF_XAUTH_SPELLING                                                                        \
	"XAUTH is spelled authby=xauthpsk or authby=xauthrsasig, with xauth=server|client, in natkeyd"

#define why_set conf_why /* one message writer for the whole parser (conf_values.c) */

struct conf_enum_name {
	const char *name;
	int value;
};

/* Returns the value, or -1 with a reason listing the accepted words. */
static int enum_parse(const struct conf_enum_name *t, size_t n, const char *v, char *why,
		      size_t why_len)
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
	static const struct conf_enum_name t[] = { { "yes", 1 }, { "no", 0 } };
	int r = enum_parse(t, 2, v, why, why_len);

	if (r < 0)
		return -EINVAL;
	*out = r;
	return 0;
}

static const char *enum_name_of(const struct conf_enum_name *t, size_t n, int value)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return "?";
}

static const struct conf_enum_name auto_names[] = {
	{ "ignore", CONF_AUTO_IGNORE },
	{ "add", CONF_AUTO_ADD },
	{ "start", CONF_AUTO_START },
	{ "route", CONF_AUTO_ROUTE },
};

static const struct conf_enum_name type_names[] = {
	{ "tunnel", CONF_MODE_TUNNEL },
	{ "transport", CONF_MODE_TRANSPORT },
};

static const struct conf_enum_name shunt_names[] = {
	{ "passthrough", CONF_SHUNT_PASS },
	{ "pass", CONF_SHUNT_PASS },
	{ "drop", CONF_SHUNT_DROP },
	{ "reject", CONF_SHUNT_REJECT },
};

static const struct conf_enum_name
	dpd_names[] = {
		{ "none", CONF_DPD_NONE }, { "clear", CONF_DPD_CLEAR },
		{ "hold", CONF_DPD_HOLD }, { "restart", CONF_DPD_RESTART },
		{ "trap", CONF_DPD_HOLD }, /* strongSwan swanctl's name for hold */
	};

static const struct conf_enum_name frag_names[] = {
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
	return a == CONF_AUTHBY_RSASIG ? "rsasig" : a == CONF_AUTHBY_NEVER ? "never" : "secret";
}

const char *conf_shunt_name(enum conf_shunt s)
{
	return s == CONF_SHUNT_NONE ? "none" : enum_name_of(shunt_names, N(shunt_names), (int)s);
}

const char *conf_mode_name(enum conf_mode m)
{
	return enum_name_of(type_names, N(type_names), (int)m);
}

const char *conf_dpd_action_name(enum conf_dpd_action a)
{
	return enum_name_of(dpd_names, N(dpd_names), (int)a);
}

static const struct conf_enum_name uniqueids_names[] = {
	{ "yes", CONF_UNIQUE_YES },	{ "no", CONF_UNIQUE_NO },
	{ "never", CONF_UNIQUE_NEVER }, { "replace", CONF_UNIQUE_REPLACE },
	{ "keep", CONF_UNIQUE_KEEP },
};

const char *conf_uniqueids_name(enum conf_uniqueids u)
{
	return enum_name_of(uniqueids_names, N(uniqueids_names), (int)u);
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
	s->keepalive_auto = !strcmp(v, "auto");
	if (!*v || s->keepalive_auto) {
		s->keepalive = DEFAULT_KEEPALIVE;
		return 0;
	}
	return conf_time_parse(v, &s->keepalive, why, why_len);
}

/* nat-binding-lifetime=TIME | natcheck: every conn's default
 * nat_binding_lifetime= (next to keep-alive=auto). */
static int set_binding_lifetime(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	s->binding_lifetime = 0;
	s->binding_lifetime_natcheck = !strcmp(v, "natcheck");
	if (!*v || s->binding_lifetime_natcheck)
		return 0;
	if (conf_time_parse(v, &s->binding_lifetime, why, why_len) < 0)
		return -EINVAL;
	if (s->binding_lifetime > MAX_BINDING_LIFETIME)
		return why_set(why, why_len, "more than 1d");
	return 0;
}

static int set_nat_audit(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	if (!*v) {
		s->nat_audit = DEFAULT_NAT_AUDIT;
		return 0;
	}
	if (!strcmp(v, "no")) {
		s->nat_audit = 0;
		return 0;
	}
	if (conf_time_parse(v, &s->nat_audit, why, why_len) < 0)
		return -EINVAL;
	if (s->nat_audit > 86400) {
		snprintf(why, why_len, "at most 1 day (or no)");
		return -EINVAL;
	}
	return 0;
}

static int count_parse(const char *v, uint32_t def, uint32_t *out, char *why, size_t why_len)
{
	unsigned long n;
	char *end;

	if (!*v) {
		*out = def;
		return 0;
	}
	errno = 0;
	n = strtoul(v, &end, 10);
	if (*v < '0' || *v > '9' || *end || errno || n == 0 || n > 10000000) {
		snprintf(why, why_len, "a count from 1 to 10000000");
		return -EINVAL;
	}
	*out = (uint32_t)n;
	return 0;
}

static int set_max_halfopen(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	return count_parse(v, DEFAULT_MAX_HALFOPEN, &s->max_halfopen, why, why_len);
}

static int set_halfopen_per_source(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	return count_parse(v, DEFAULT_HALFOPEN_PER_SOURCE, &s->halfopen_per_source, why, why_len);
}

/* crypto-workers=N: DH and signature work on N threads (0: in the event
 * loop); default (-1) one per CPU, resolved by the daemon. */
static int set_crypto_workers(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	unsigned long n;
	char *end;

	if (!*v) {
		s->crypto_workers = -1;
		return 0;
	}
	errno = 0;
	n = strtoul(v, &end, 10);
	if (*v < '0' || *v > '9' || *end || errno || n > 64) {
		snprintf(why, why_len, "a number of threads from 0 to 64");
		return -EINVAL;
	}
	s->crypto_workers = (int32_t)n;
	return 0;
}

/* nhelpers=N (Libreswan): its crypto helper threads are natkeyd's crypto
 * workers; -1 (Libreswan's default) is one per CPU, as crypto-workers=. */
static int set_nhelpers(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	return set_crypto_workers(s, strcmp(v, "-1") ? v : "", why, why_len);
}

/* Default: half of max-halfopen-ike, resolved by the daemon (0 here). */
static int set_ddos_threshold(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	return count_parse(v, 0, &s->ddos_threshold, why, why_len);
}

/* Bytes, or with a k / m suffix KiB / MiB (Libreswan's key; it takes bytes). */
static int set_ike_socket_bufsize(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	unsigned long n;
	char *end;

	if (!*v) {
		s->ike_socket_bufsize = DEFAULT_IKE_SOCKET_BUFSIZE;
		return 0;
	}
	errno = 0;
	n = strtoul(v, &end, 10);
	if (*v >= '0' && *v <= '9' && !errno && (*end == 'k' || *end == 'K') && !end[1])
		n *= 1024ul;
	else if (*v >= '0' && *v <= '9' && !errno && (*end == 'm' || *end == 'M') && !end[1])
		n *= 1024ul * 1024ul;
	else if (*v < '0' || *v > '9' || *end || errno)
		n = 0;
	if (n < 65536ul || n > (256ul << 20)) {
		snprintf(why, why_len, "bytes (k, m suffixes) from 64k to 256m");
		return -EINVAL;
	}
	s->ike_socket_bufsize = (uint32_t)n;
	return 0;
}

static int set_halfopen_timeout(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	if (!*v) {
		s->halfopen_timeout = DEFAULT_HALFOPEN_TIMEOUT;
		return 0;
	}
	if (conf_time_parse(v, &s->halfopen_timeout, why, why_len) < 0)
		return -EINVAL;
	if (s->halfopen_timeout == 0 || s->halfopen_timeout > 3600) {
		snprintf(why, why_len, "from 1 s to 1 h");
		return -EINVAL;
	}
	return 0;
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

static const struct conf_enum_name crlpolicy_names[] = {
	{ "no", CONF_CRL_NO },
	{ "yes", CONF_CRL_YES },
	{ "ifuri", CONF_CRL_IFURI },
};

const char *conf_crlpolicy_name(enum conf_crlpolicy p)
{
	return enum_name_of(crlpolicy_names, N(crlpolicy_names), (int)p);
}

/* leftsendcert=: strongSwan's words and Libreswan's (alwayssend, ...). */
static const struct conf_enum_name sendcert_names[] = {
	{ "always", CONF_SENDCERT_ALWAYS },
	{ "yes", CONF_SENDCERT_ALWAYS },
	{ "alwayssend", CONF_SENDCERT_ALWAYS },
	{ "ifasked", CONF_SENDCERT_IFASKED },
	{ "sendifasked", CONF_SENDCERT_IFASKED },
	{ "never", CONF_SENDCERT_NEVER },
	{ "no", CONF_SENDCERT_NEVER },
	{ "neversend", CONF_SENDCERT_NEVER },
};

const char *conf_sendcert_name(enum conf_sendcert s)
{
	return enum_name_of(sendcert_names, N(sendcert_names), (int)s);
}

static bool ifname_valid(const char *v)
{
	size_t n = strlen(v);

	if (!n || n > CONF_IFNAME_MAX || !strcmp(v, ".") || !strcmp(v, ".."))
		return false;
	for (; *v; v++)
		if (*v == '/' || *v == ':' || isspace((unsigned char)*v) || *v == '=')
			return false;
	return true;
}

/* Libreswan's interfaces=: "eth0 eth1" (or ipsec0=eth0 pairs, whose
 * physical name counts), %defaultroute (its default: every interface for
 * natkeyd, which binds left= addresses anyway) or %none. */
static int set_interfaces(struct conf_setup *s, const char *v, char *why, size_t why_len)
{
	char buf[CONF_IFACES_MAX * (CONF_IFNAME_MAX + 16)], *p, *save = NULL, *eq;
	size_t n = 0;

	memset(s->interfaces, 0, sizeof(s->interfaces));
	s->n_interfaces = 0;
	if (!*v || !strcmp(v, "%defaultroute"))
		return 0;
	if (!strcmp(v, "%none"))
		return why_set(why, why_len,
			       "%%none would listen nowhere: name the interfaces IKE arrives on");
	if (strlen(v) >= sizeof(buf))
		return why_set(why, why_len, "more than %d interfaces", CONF_IFACES_MAX);
	strcpy(buf, v);
	for (p = strtok_r(buf, ", \t", &save); p; p = strtok_r(NULL, ", \t", &save)) {
		eq = strchr(p, '=');
		if (eq)
			p = eq + 1; /* KLIPS virtual=physical: the physical one */
		if (!ifname_valid(p))
			return why_set(why, why_len, "'%s' is not an interface name", p);
		if (n == CONF_IFACES_MAX)
			return why_set(why, why_len, "more than %d interfaces", CONF_IFACES_MAX);
		strcpy(s->interfaces[n++], p);
	}
	s->n_interfaces = n;
	return 0;
}

/* ---- conn ---- */

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
	static const struct conf_enum_name t[] = {
		{ "secret", CONF_AUTHBY_PSK },
		{ "psk", CONF_AUTHBY_PSK },
		{ "rsasig", CONF_AUTHBY_RSASIG },
		{ "pubkey", CONF_AUTHBY_RSASIG },
		/* ECDSA (RFC 4754): the key in leftcert= chooses the method. */
		{ "ecdsasig", CONF_AUTHBY_RSASIG },
		{ "ecdsa", CONF_AUTHBY_RSASIG },
		{ "never", CONF_AUTHBY_NEVER },
	};
	int r;

	(void)e;
	(void)s;
	/* XAUTH on top of Phase 1 (strongSwan's spelling; conf_modecfg.c). */
	c->xauth_authby = false;
	c->hybrid = false;
	/* Hybrid RSA (draft-ietf-ipsec-isakmp-hybrid-auth-05): the gateway
	 * signs, the client logs in by XAUTH only. */
	if (!strcmp(v, "hybridrsasig") || !strcmp(v, "xauthrsasig-hybrid")) {
		c->xauth_authby = true;
		c->hybrid = true;
		c->authby = CONF_AUTHBY_RSASIG;
		return 0;
	}
	if (!strcmp(v, "xauthpsk") || !strcmp(v, "xauthrsasig")) {
		c->xauth_authby = true;
		c->authby = v[5] == 'p' ? CONF_AUTHBY_PSK : CONF_AUTHBY_RSASIG;
		return 0;
	}
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
	c->shunt = CONF_SHUNT_NONE;
	for (size_t i = 0; i < N(shunt_names); i++)
		if (!strcmp(v, shunt_names[i].name)) {
			c->mode = CONF_MODE_TUNNEL;
			c->shunt = (enum conf_shunt)shunt_names[i].value;
			if (c->shunt == CONF_SHUNT_REJECT) {
				snprintf(
					why, why_len,
					"XFRM policies cannot answer with ICMP: natkeyd drops the packets (as type=drop)");
				return CONF_NOTE;
			}
			return 0;
		}
	r = *v ? enum_parse(type_names, N(type_names), v, why, why_len) : CONF_MODE_TUNNEL;
	if (r < 0) {
		snprintf(why, why_len, "expected tunnel, transport, passthrough, drop or reject");
		return -EINVAL;
	}
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

/* Libreswan's leftsubnets={a b} (braces optional): the same list. */
static int set_subnets(struct conf_conn *c, struct conf_end *e, const char *v,
		       const struct conf_setup *s, char *why, size_t why_len)
{
	char buf[CONF_SUBNETS_MAX * 48];
	size_t len = strlen(v);

	if (len >= sizeof(buf))
		return why_set(why, why_len, "more than %d subnets", CONF_SUBNETS_MAX);
	strcpy(buf, v);
	if (len && buf[0] == '{') {
		if (buf[len - 1] != '}')
			return why_set(why, why_len, "expected {SUBNET SUBNET ...}");
		buf[len - 1] = '\0';
		return set_subnet(c, e, buf + 1, s, why, why_len);
	}
	return set_subnet(c, e, buf, s, why, why_len);
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

static int set_ca(struct conf_conn *c, struct conf_end *e, const char *v,
		  const struct conf_setup *s, char *why, size_t why_len)
{
	(void)c;
	(void)s;
	if (strlen(v) > CONF_DN_MAX)
		return why_set(why, why_len, "DN longer than %d characters", CONF_DN_MAX);
	/* "%same" (strongSwan): the peer's CA is ours; any other value a DN. */
	if (*v && strcmp(v, "%same") && !strchr(v, '='))
		return why_set(
			why, why_len,
			"expected a CA's distinguished name, e.g. \"C=CH, O=example, CN=example CA\"");
	strcpy(e->ca, v);
	return 0;
}

static int set_ocspuri(struct conf_conn *c, struct conf_end *e, const char *v,
		       const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	(void)s;
	if (strlen(v) > CONF_OCSPURI_MAX)
		return why_set(why, why_len, "URL longer than %d characters", CONF_OCSPURI_MAX);
	if (*v && strncmp(v, "http://", 7))
		return why_set(why, why_len,
			       "expected an http:// URL (OCSP over HTTP, RFC 6960 A.1)");
	strcpy(c->ocspuri, v);
	return 0;
}

static const struct conf_enum_name proto_names[] = {
	{ "icmp", 1 }, { "tcp", 6 },	 { "udp", 17 },
	{ "gre", 47 }, { "icmpv6", 58 }, { "sctp", 132 },
};

/* Service names admins write in leftprotoport= (e.g. udp/l2tp), from the
 * IANA registry: a built-in table, so /etc/services (netbase) is not needed. */
static const struct conf_enum_name service_names[] = {
	{ "l2tp", 1701 },    { "isakmp", 500 }, { "ipsec-nat-t", 4500 }, { "domain", 53 },
	{ "bootps", 67 },    { "bootpc", 68 },	{ "ntp", 123 },		 { "ssh", 22 },
	{ "http", 80 },	     { "https", 443 },	{ "snmp", 161 },	 { "syslog", 514 },
	{ "openvpn", 1194 }, { "sip", 5060 },
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
	if (number_parse(port, 65535, &n) < 0) {
		r = enum_parse(service_names, N(service_names), port, why, why_len);
		if (r < 0)
			goto bad;
		n = (unsigned long)r;
	}
	if (e->protoport.proto != 6 && e->protoport.proto != 17 && e->protoport.proto != 132 &&
	    n != 0)
		return why_set(why, why_len,
			       "a port only applies to tcp (6), udp (17) or sctp (132)");
	e->protoport.port = (uint16_t)n;
	return 0;
bad:
	return why_set(
		why, why_len,
		"expected PROTO[/PORT] (e.g. 17/1701, udp/l2tp, udp/%%any, tcp); PROTO is a number or icmp, tcp, udp, gre, icmpv6, sctp; PORT a number or a service name (l2tp, isakmp, ipsec-nat-t, domain, ...)");
}

/* Libreswan's phase2=esp|ah. */
static int set_phase2(struct conf_conn *c, struct conf_end *e, const char *v,
		      const struct conf_setup *s, char *why, size_t why_len)
{
	(void)c;
	(void)e;
	(void)s;
	if (!*v || !strcmp(v, "esp"))
		return 0;
	if (!strcmp(v, "ah") || !strcmp(v, "ah+esp"))
		return why_set(why, why_len, "AH is not implemented: natkeyd negotiates ESP only");
	return why_set(why, why_len, "expected esp");
}

/* strongSwan's leftauth=/rightauth= (IKEv1: both ends use one method). */
static int set_auth(struct conf_conn *c, struct conf_end *e, const char *v,
		    const struct conf_setup *s, char *why, size_t why_len)
{
	(void)s;
	if (!*v)
		return 0;
	if (!strcmp(v, "psk") || !strcmp(v, "secret")) {
		c->authby = CONF_AUTHBY_PSK;
		return 0;
	}
	if (!strcmp(v, "pubkey") || !strcmp(v, "rsa") || !strcmp(v, "rsasig")) {
		c->authby = CONF_AUTHBY_RSASIG;
		return 0;
	}
	/* strongSwan's hybrid RSA (its hybrid_authenticator): the end that
	 * authenticates by XAUTH alone. leftauth=xauth (with rightauth=pubkey)
	 * is the client, rightauth=xauth (with leftauth=pubkey) the gateway. */
	if (!strcmp(v, "xauth") || !strcmp(v, "xauth-generic") || !strcmp(v, "xauth-pam")) {
		if (e == &c->left && !strcmp(v, "xauth-pam"))
			return why_set(why, why_len,
				       "xauth-pam is the gateway's backend (rightauth=xauth-pam)");
		c->xauth_authby = true;
		c->hybrid = true;
		c->xauth_server = e == &c->right;
		c->authby = CONF_AUTHBY_RSASIG;
		if (!strcmp(v, "xauth-pam"))
			c->xauthby = CONF_XAUTHBY_PAM;
		return 0;
	}
	if (!strncmp(v, "xauth", 5))
		return why_set(why, why_len, "%s", CONF_XAUTH_SPELLING);
	if (!strncmp(v, "eap", 3))
		return why_set(why, why_len, "EAP is IKEv2 only");
	return why_set(why, why_len, "expected psk or pubkey");
}

/* leftauth2=/rightauth2=: in IKEv1 only XAUTH fills the second round
 * (strongSwan): rightauth2=xauth on a gateway (the peer logs in: we are the
 * XAUTH server), leftauth2=xauth on a client; xauth-pam picks xauthby=pam. */
static int set_auth2(struct conf_conn *c, struct conf_end *e, const char *v,
		     const struct conf_setup *s, char *why, size_t why_len)
{
	(void)s;
	if (!*v)
		return 0;
	if (!strcmp(v, "xauth") || !strcmp(v, "xauth-generic") || !strcmp(v, "xauth-pam")) {
		c->xauth_authby = true;
		c->xauth_server = e == &c->right;
		if (!strcmp(v, "xauth-pam"))
			c->xauthby = CONF_XAUTHBY_PAM;
		return 0;
	}
	if (!strncmp(v, "xauth", 5))
		return why_set(why, why_len, "expected xauth, xauth-generic or xauth-pam");
	return why_set(why, why_len, "IKEv1 has no second authentication round other than XAUTH");
}

/* Libreswan's encapsulation=yes|no|auto (strongSwan: forceencaps=). */
static int set_encapsulation(struct conf_conn *c, struct conf_end *e, const char *v,
			     const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	if (!*v || !strcmp(v, "auto")) {
		c->forceencaps = false;
		return 0;
	}
	if (!strcmp(v, "yes")) {
		c->forceencaps = true;
		if (!c->natt_methods)
			c->natt_methods =
				s->natt_methods ? s->natt_methods : CONF_NATT_RFC | CONF_NATT_DRAFT;
		return 0;
	}
	if (!strcmp(v, "no")) {
		c->forceencaps = false;
		c->natt_methods = 0; /* never UDP-encapsulate: NAT-T off */
		return 0;
	}
	return why_set(why, why_len, "expected yes, no or auto");
}

/* Libreswan's per-conn nat-keepalive=yes|no. */
static int set_nat_keepalive_bool(struct conf_conn *c, struct conf_end *e, const char *v,
				  const struct conf_setup *s, char *why, size_t why_len)
{
	bool on = true;

	(void)e;
	if (*v && bool_parse(v, &on, why, why_len) < 0)
		return -EINVAL;
	c->nat_keepalive = on ? (s->keepalive ? s->keepalive : DEFAULT_KEEPALIVE) : 0;
	c->nat_keepalive_auto = on && s->keepalive_auto;
	return 0;
}

/* nat_keepalive=TIME | auto ("" = config setup's keep-alive=). */
static int set_nat_keepalive(struct conf_conn *c, struct conf_end *e, const char *v,
			     const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	if (!*v) {
		c->nat_keepalive = s->keepalive;
		c->nat_keepalive_auto = s->keepalive_auto;
		return 0;
	}
	c->nat_keepalive_auto = !strcmp(v, "auto");
	if (c->nat_keepalive_auto) {
		c->nat_keepalive = DEFAULT_KEEPALIVE; /* until a lifetime is known */
		return 0;
	}
	return conf_time_parse(v, &c->nat_keepalive, why, why_len);
}

static int set_nat_keepalive_max(struct conf_conn *c, struct conf_end *e, const char *v,
				 const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	(void)s;
	if (!*v) {
		c->nat_keepalive_max = DEFAULT_KEEPALIVE_MAX;
		return 0;
	}
	if (conf_time_parse(v, &c->nat_keepalive_max, why, why_len) < 0)
		return -EINVAL;
	if (c->nat_keepalive_max < MIN_KEEPALIVE_MAX)
		return why_set(why, why_len,
			       "less than 10s (nat_keepalive=auto never sends more often)");
	return 0;
}

/* nat_binding_lifetime=TIME | natcheck ("" = config setup's
 * nat-binding-lifetime=). */
static int set_nat_binding_lifetime(struct conf_conn *c, struct conf_end *e, const char *v,
				    const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	c->nat_binding_lifetime = 0;
	c->nat_binding_lifetime_natcheck = false;
	if (!*v) {
		c->nat_binding_lifetime = s->binding_lifetime;
		c->nat_binding_lifetime_natcheck = s->binding_lifetime_natcheck;
		return 0;
	}
	if (!strcmp(v, "natcheck")) {
		c->nat_binding_lifetime_natcheck = true;
		return 0;
	}
	if (conf_time_parse(v, &c->nat_binding_lifetime, why, why_len) < 0)
		return -EINVAL;
	if (c->nat_binding_lifetime > MAX_BINDING_LIFETIME)
		return why_set(why, why_len, "more than 1d");
	return 0;
}

static int set_keyingtries(struct conf_conn *c, struct conf_end *e, const char *v,
			   const struct conf_setup *s, char *why, size_t why_len)
{
	unsigned long n;

	(void)e;
	(void)s;
	if (!*v) {
		c->keyingtries = DEFAULT_KEYINGTRIES;
		return 0;
	}
	if (!strcmp(v, "%forever")) {
		c->keyingtries = 0;
		return 0;
	}
	if (number_parse(v, 1000000, &n) < 0)
		return why_set(why, why_len, "expected a number of attempts or %%forever");
	c->keyingtries = (uint32_t)n; /* 0 is %forever in both anchors */
	return 0;
}

/* Libreswan's modecfgdns1=/modecfgdns2= of older releases: one address
 * each, added to modecfgdns= (conf_set_modecfgdns(), conf_modecfg.c). */
static int set_modecfgdns_one(struct conf_conn *c, struct conf_end *e, const char *v,
			      const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	(void)s;
	if (!*v)
		return 0;
	if (strchr(v, ' ') || strchr(v, ','))
		return why_set(why, why_len, "one address (use modecfgdns= for a list)");
	if (c->n_dns == CONF_DNS_MAX)
		return why_set(why, why_len, "more than %d DNS servers", CONF_DNS_MAX);
	if (conf_addr_parse(v, &c->dns[c->n_dns]) < 0)
		return why_set(why, why_len, "'%s' is not an IP address", v);
	c->n_dns++;
	return 0;
}

/* leftupdown=: run through /bin/sh -c, as strongSwan and Libreswan do. */
static int set_updown(struct conf_conn *c, struct conf_end *e, const char *v,
		      const struct conf_setup *s, char *why, size_t why_len)
{
	(void)e;
	(void)s;
	c->updown[0] = '\0';
	if (!*v || !strcmp(v, "%disabled"))
		return 0;
	if (strlen(v) >= NKD_UPDOWN_CMD_LEN)
		return why_set(why, why_len, "longer than %d characters", NKD_UPDOWN_CMD_LEN - 1);
	/* The other daemons' own scripts do not exist beside natkeyd, which
	 * installs its routes and policies itself. */
	if (!strncmp(v, "ipsec _updown", 13) || strstr(v, "/_updown")) {
		snprintf(
			why, why_len,
			"strongSwan's/Libreswan's _updown script is not part of natkeyd, which installs its policies itself: no script runs");
		return CONF_NOTE;
	}
	strcpy(c->updown, v);
	return 0;
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

/* One setter per time or yes/no field: "" restores @def, else @parse(). */
#define FIELD_SETTER(fn, field, def, parse)                                                        \
	static int fn(struct conf_conn *c, struct conf_end *e, const char *v,                      \
		      const struct conf_setup *s, char *why, size_t why_len)                       \
	{                                                                                          \
		(void)e;                                                                           \
		(void)s;                                                                           \
		if (!*v) {                                                                         \
			c->field = (def);                                                          \
			return 0;                                                                  \
		}                                                                                  \
		return parse(v, &c->field, why, why_len);                                          \
	}
#define TIME_SETTER(fn, field, def) FIELD_SETTER(fn, field, def, conf_time_parse)
#define BOOL_SETTER(fn, field, def) FIELD_SETTER(fn, field, def, bool_parse)

TIME_SETTER(set_ikelifetime, ikelifetime, DEFAULT_IKELIFETIME)
TIME_SETTER(set_lifetime, lifetime, DEFAULT_LIFETIME)
TIME_SETTER(set_rekeymargin, rekeymargin, DEFAULT_REKEYMARGIN)
TIME_SETTER(set_dpddelay, dpddelay, DEFAULT_DPDDELAY)
TIME_SETTER(set_dpdtimeout, dpdtimeout, DEFAULT_DPDTIMEOUT)

BOOL_SETTER(set_pfs, pfs, true)
BOOL_SETTER(set_aggressive, aggressive, false)
BOOL_SETTER(set_aggressive_psk_responder, aggressive_psk_responder, false)
BOOL_SETTER(set_forceencaps, forceencaps, false)
BOOL_SETTER(set_commitbit, commitbit, false)
BOOL_SETTER(set_sha2_truncbug, sha2_truncbug, false)
BOOL_SETTER(set_rekey, rekey, true)
BOOL_SETTER(set_firewall, firewall, false)

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
	static const struct conf_enum_name t[] = {
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

/* A key with its own setter (side: 0 none, 1 left, 2 right). */
#define KEY(n, sc, setup, conn, sd)                                                                \
	{                                                                                          \
		.name = n, .scope = sc, .set_setup = setup, .set_conn = conn, .side = sd           \
	}

/* A key set from a table of words into an enum field (no setter of its own). */
#define ENUM_KEY(n, sc, type, field, table, dflt)                                                  \
	{                                                                                          \
		.name = n, .scope = sc, .names = table, .n_names = N(table), .def = dflt,          \
		.offset = offsetof(struct type, field)                                             \
	}

/* The enum fields ENUM_KEY stores into are int-sized. */
_Static_assert(sizeof(enum conf_auto) == sizeof(int) && sizeof(enum conf_sendcert) == sizeof(int) &&
		       sizeof(enum conf_dpd_action) == sizeof(int) &&
		       sizeof(enum conf_fragmentation) == sizeof(int) &&
		       sizeof(enum conf_uniqueids) == sizeof(int) &&
		       sizeof(enum conf_crlpolicy) == sizeof(int),
	       "ENUM_KEY fields are int-sized");

static const struct conf_key keys[] = {
	KEY("allow-legacy-algorithms", CONF_SCOPE_SETUP, set_allow_legacy, NULL, 0),
	KEY("nat_traversal", CONF_SCOPE_SETUP, set_nat_traversal, NULL, 0),
	KEY("keep-alive", CONF_SCOPE_SETUP, set_keep_alive, NULL, 0),
	KEY("nat-binding-lifetime", CONF_SCOPE_SETUP, set_binding_lifetime, NULL, 0),
	KEY("nat-keepalive-audit", CONF_SCOPE_SETUP, set_nat_audit, NULL, 0),
	KEY("max-halfopen-ike", CONF_SCOPE_SETUP, set_max_halfopen, NULL, 0),
	KEY("max-halfopen-ike-per-source", CONF_SCOPE_SETUP, set_halfopen_per_source, NULL, 0),
	KEY("ddos-ike-threshold", CONF_SCOPE_SETUP, set_ddos_threshold, NULL, 0),
	KEY("half-open-timeout", CONF_SCOPE_SETUP, set_halfopen_timeout, NULL, 0),
	KEY("ike-socket-bufsize", CONF_SCOPE_SETUP, set_ike_socket_bufsize, NULL, 0),
	KEY("crypto-workers", CONF_SCOPE_SETUP, set_crypto_workers, NULL, 0),
	KEY("nhelpers", CONF_SCOPE_SETUP, set_nhelpers, NULL, 0),
	KEY("virtual-private", CONF_SCOPE_SETUP, set_virtual_private, NULL, 0),
	KEY("virtual_private", CONF_SCOPE_SETUP, set_virtual_private, NULL, 0),
	ENUM_KEY("uniqueids", CONF_SCOPE_SETUP, conf_setup, uniqueids, uniqueids_names,
		 CONF_UNIQUE_YES),
	ENUM_KEY("strictcrlpolicy", CONF_SCOPE_SETUP, conf_setup, crlpolicy, crlpolicy_names,
		 CONF_CRL_NO),
	KEY("interfaces", CONF_SCOPE_SETUP, set_interfaces, NULL, 0),
	/* also= is resolved by the parser; listed for lookup and suggestions. */
	KEY("also", CONF_SCOPE_CONN, NULL, NULL, 0),
	ENUM_KEY("auto", CONF_SCOPE_CONN, conf_conn, autostart, auto_names, CONF_AUTO_IGNORE),
	KEY("keyexchange", CONF_SCOPE_CONN, NULL, set_keyexchange, 0),
	KEY("ikev2", CONF_SCOPE_CONN, NULL, set_ikev2, 0),
	KEY("authby", CONF_SCOPE_CONN, NULL, set_authby, 0),
	KEY("type", CONF_SCOPE_CONN, NULL, set_type, 0),
	KEY("left", CONF_SCOPE_CONN, NULL, set_host, 1),
	KEY("right", CONF_SCOPE_CONN, NULL, set_host, 2),
	KEY("leftid", CONF_SCOPE_CONN, NULL, set_id, 1),
	KEY("rightid", CONF_SCOPE_CONN, NULL, set_id, 2),
	KEY("leftsubnet", CONF_SCOPE_CONN, NULL, set_subnet, 1),
	KEY("rightsubnet", CONF_SCOPE_CONN, NULL, set_subnet, 2),
	KEY("leftsubnets", CONF_SCOPE_CONN, NULL, set_subnets, 1),
	KEY("rightsubnets", CONF_SCOPE_CONN, NULL, set_subnets, 2),
	KEY("leftcert", CONF_SCOPE_CONN, NULL, set_cert, 1),
	KEY("rightcert", CONF_SCOPE_CONN, NULL, set_cert, 2),
	KEY("leftca", CONF_SCOPE_CONN, NULL, set_ca, 1),
	KEY("rightca", CONF_SCOPE_CONN, NULL, set_ca, 2),
	ENUM_KEY("leftsendcert", CONF_SCOPE_CONN, conf_conn, sendcert, sendcert_names,
		 CONF_SENDCERT_ALWAYS),
	KEY("ocspuri", CONF_SCOPE_CONN, NULL, set_ocspuri, 0),
	KEY("leftprotoport", CONF_SCOPE_CONN, NULL, set_protoport, 1),
	KEY("rightprotoport", CONF_SCOPE_CONN, NULL, set_protoport, 2),
	KEY("ike", CONF_SCOPE_CONN, NULL, set_ike, 0),
	KEY("esp", CONF_SCOPE_CONN, NULL, set_esp, 0),
	KEY("phase2alg", CONF_SCOPE_CONN, NULL, set_esp, 0),
	KEY("phase2", CONF_SCOPE_CONN, NULL, set_phase2, 0),
	KEY("leftauth", CONF_SCOPE_CONN, NULL, set_auth, 1),
	KEY("rightauth", CONF_SCOPE_CONN, NULL, set_auth, 2),
	KEY("leftauth2", CONF_SCOPE_CONN, NULL, set_auth2, 1),
	KEY("rightauth2", CONF_SCOPE_CONN, NULL, set_auth2, 2),
	KEY("ikelifetime", CONF_SCOPE_CONN, NULL, set_ikelifetime, 0),
	KEY("lifetime", CONF_SCOPE_CONN, NULL, set_lifetime, 0),
	KEY("keylife", CONF_SCOPE_CONN, NULL, set_lifetime, 0),
	KEY("salifetime", CONF_SCOPE_CONN, NULL, set_lifetime, 0),
	KEY("rekeymargin", CONF_SCOPE_CONN, NULL, set_rekeymargin, 0),
	KEY("margintime", CONF_SCOPE_CONN, NULL, set_rekeymargin, 0),
	KEY("rekeyfuzz", CONF_SCOPE_CONN, NULL, set_rekeyfuzz, 0),
	KEY("lifebytes", CONF_SCOPE_CONN, NULL, set_lifebytes, 0),
	KEY("marginbytes", CONF_SCOPE_CONN, NULL, set_marginbytes, 0),
	KEY("commitbit", CONF_SCOPE_CONN, NULL, set_commitbit, 0),
	/* 96-bit HMAC-SHA2-256 in ESP: Libreswan's spellings, strongSwan's. */
	KEY("sha2-truncbug", CONF_SCOPE_CONN, NULL, set_sha2_truncbug, 0),
	KEY("sha2_truncbug", CONF_SCOPE_CONN, NULL, set_sha2_truncbug, 0),
	KEY("sha256_96", CONF_SCOPE_CONN, NULL, set_sha2_truncbug, 0),
	KEY("pfs", CONF_SCOPE_CONN, NULL, set_pfs, 0),
	KEY("aggressive", CONF_SCOPE_CONN, NULL, set_aggressive, 0),
	KEY("aggressive_psk_responder", CONF_SCOPE_CONN, NULL, set_aggressive_psk_responder, 0),
	KEY("aggrmode", CONF_SCOPE_CONN, NULL, set_aggressive, 0),
	KEY("forceencaps", CONF_SCOPE_CONN, NULL, set_forceencaps, 0),
	/* After forceencaps and natt_methods: the defaults they restore
	 * must not be undone by encapsulation's. */
	KEY("encapsulation", CONF_SCOPE_CONN, NULL, set_encapsulation, 0),
	KEY("natt_methods", CONF_SCOPE_CONN, NULL, set_natt_methods, 0),
	KEY("nat-ikev1-method", CONF_SCOPE_CONN, NULL, set_nat_ikev1_method, 0),
	KEY("nat_keepalive", CONF_SCOPE_CONN, NULL, set_nat_keepalive, 0),
	KEY("nat-keepalive", CONF_SCOPE_CONN, NULL, set_nat_keepalive_bool, 0),
	KEY("nat_keepalive_max", CONF_SCOPE_CONN, NULL, set_nat_keepalive_max, 0),
	KEY("nat_binding_lifetime", CONF_SCOPE_CONN, NULL, set_nat_binding_lifetime, 0),
	KEY("dpddelay", CONF_SCOPE_CONN, NULL, set_dpddelay, 0),
	KEY("dpdtimeout", CONF_SCOPE_CONN, NULL, set_dpdtimeout, 0),
	ENUM_KEY("dpdaction", CONF_SCOPE_CONN, conf_conn, dpdaction, dpd_names, CONF_DPD_NONE),
	ENUM_KEY("fragmentation", CONF_SCOPE_CONN, conf_conn, fragmentation, frag_names,
		 CONF_FRAG_YES),
	ENUM_KEY("ike-frag", CONF_SCOPE_CONN, conf_conn, fragmentation, frag_names,
		 CONF_FRAG_YES), /* Libreswan's older name */
	ENUM_KEY("ike_frag", CONF_SCOPE_CONN, conf_conn, fragmentation, frag_names, CONF_FRAG_YES),
	KEY("fragment_size", CONF_SCOPE_CONN, NULL, set_fragment_size, 0),
	KEY("rekey", CONF_SCOPE_CONN, NULL, set_rekey, 0),
	KEY("keyingtries", CONF_SCOPE_CONN, NULL, set_keyingtries, 0),
	KEY("leftupdown", CONF_SCOPE_CONN, NULL, set_updown, 0),
	KEY("leftfirewall", CONF_SCOPE_CONN, NULL, set_firewall, 0),
	KEY("modecfgdns1", CONF_SCOPE_CONN, NULL, set_modecfgdns_one, 0),
	KEY("modecfgdns2", CONF_SCOPE_CONN, NULL, set_modecfgdns_one, 0),
	/* XAUTH and Mode Config (setters in conf_modecfg.c). */
	KEY("leftsourceip", CONF_SCOPE_CONN, NULL, conf_set_sourceip, 1),
	KEY("rightsourceip", CONF_SCOPE_CONN, NULL, conf_set_sourceip, 2),
	KEY("rightaddresspool", CONF_SCOPE_CONN, NULL, conf_set_addresspool, 2),
	KEY("leftxauthserver", CONF_SCOPE_CONN, NULL, conf_set_xauthserver, 1),
	KEY("rightxauthserver", CONF_SCOPE_CONN, NULL, conf_set_xauthserver, 2),
	KEY("leftxauthclient", CONF_SCOPE_CONN, NULL, conf_set_xauthclient, 1),
	KEY("rightxauthclient", CONF_SCOPE_CONN, NULL, conf_set_xauthclient, 2),
	KEY("leftmodecfgserver", CONF_SCOPE_CONN, NULL, conf_set_modecfgserver, 1),
	KEY("rightmodecfgserver", CONF_SCOPE_CONN, NULL, conf_set_modecfgserver, 2),
	KEY("leftmodecfgclient", CONF_SCOPE_CONN, NULL, conf_set_modecfgclient, 1),
	KEY("rightmodecfgclient", CONF_SCOPE_CONN, NULL, conf_set_modecfgclient, 2),
	KEY("xauth", CONF_SCOPE_CONN, NULL, conf_set_xauth, 0),
	KEY("xauthby", CONF_SCOPE_CONN, NULL, conf_set_xauthby, 0),
	KEY("pam-service", CONF_SCOPE_CONN, NULL, conf_set_pam_service, 0),
	KEY("xauth_identity", CONF_SCOPE_CONN, NULL, conf_set_xauth_identity, 0),
	KEY("leftusername", CONF_SCOPE_CONN, NULL, conf_set_xauth_identity, 0),
	KEY("leftxauthusername", CONF_SCOPE_CONN, NULL, conf_set_xauth_identity, 0),
	KEY("modeconfig", CONF_SCOPE_CONN, NULL, conf_set_modeconfig, 0),
	KEY("modecfgpull", CONF_SCOPE_CONN, NULL, conf_set_modecfgpull, 0),
	KEY("cisco-unity", CONF_SCOPE_CONN, NULL, conf_set_cisco_unity, 0),
	KEY("modecfgdns", CONF_SCOPE_CONN, NULL, conf_set_modecfgdns, 0),
	KEY("rightdns", CONF_SCOPE_CONN, NULL, conf_set_modecfgdns,
	    2), /* strongSwan's: what the peer gets */
	KEY("modecfgdomains", CONF_SCOPE_CONN, NULL, conf_set_modecfgdomains, 0),
	KEY("modecfgdomain", CONF_SCOPE_CONN, NULL, conf_set_modecfgdomains,
	    0), /* Libreswan's older name */
	KEY("modecfgbanner", CONF_SCOPE_CONN, NULL, conf_set_modecfgbanner, 0),
};

struct unsupported_key {
	const char *name;
	const char *reason;
};

/* strongSwan (ipsec.conf(5)) and Libreswan (ipsec.conf(5)) keys that natkeyd
 * does not implement, with what to do instead. */
static const struct unsupported_key unsupported[] = {
	{ "leftaddresspool", "Mode Config: the pool is the clients': write rightaddresspool=" },
	{ "xauthfail",
	  "XAUTH: a failed login deletes the IKE SA (xauthfail=hard); soft is not implemented" },
	{ "rightusername",
	  "XAUTH: the gateway's users are in ipsec.secrets (`user : XAUTH \"password\"`)" },
	{ "eap_identity", "EAP is IKEv2 only" },
	{ "aaa_identity", "EAP is IKEv2 only" },
	{ "ah", "AH is not implemented: use esp=" },
	{ "lifepackets", "packet lifetimes are not implemented: use lifebytes=" },
	{ "marginpackets", "packet lifetimes are not implemented: use marginbytes=" },
	{ "mark", "XFRM marks are not implemented" },
	{ "mark_in", "XFRM marks are not implemented" },
	{ "mark_out", "XFRM marks are not implemented" },
	{ "reqid", "natkeyd allocates reqids itself" },
	{ "leftgroups", "group membership checks are not implemented" },
	{ "rightgroups", "group membership checks are not implemented" },
	{ "leftallowany", "write left=%any instead" },
	{ "rightallowany", "write right=%any instead" },
	{ "leftsigkey", "raw public keys are not implemented: use leftcert=" },
	{ "rightsigkey", "raw public keys are not implemented: use rightcert=" },
	{ "leftdns",
	  "natkeyd as Mode Config client does not ask for DNS servers; a gateway hands them out with modecfgdns= (or rightdns=)" },
	{ "leftikeport", "natkeyd uses ports 500 and 4500" },
	{ "rightikeport", "natkeyd uses ports 500 and 4500" },
	{ "inactivity", "idle timeouts are not implemented" },
	{ "dpd_action", "spelled dpdaction= (no underscore)" },
	{ "keep_alive", "spelled keep-alive= in config setup (as Libreswan)" },
	{ "block_threshold",
	  "strongSwan's per-IP half-open limit: max-halfopen-ike-per-source= in config setup" },
	{ "init_limit_half_open",
	  "strongSwan's half-open limit: max-halfopen-ike= in config setup" },
	{ "half_open_timeout", "spelled half-open-timeout= in config setup" },
	{ "tfc", "traffic flow confidentiality padding is not implemented" },
	{ "replay_window", "natkeyd uses the kernel's default replay window" },
	{ "ikedscp", "DSCP marking of IKE packets is not implemented" },
	{ "ppk", "post-quantum preshared keys are IKEv2 only" },
	{ "remote_peer_type", "write cisco-unity=yes for the Cisco Unity extensions" },
	{ "cachecrls", "CRL handling is not implemented" },
	{ "crlcheckinterval", "CRL handling is not implemented" },
	{ "listen", "natkeyd listens on every address: restrict it with interfaces=" },
	{ "myvendorid", "vendor IDs are fixed by the NAT-T methods" },
};

/* Keys natkeyd accepts without effect (or whose effect it already has),
 * with one warning saying what it does instead. */
struct ignored_key {
	const char *name;
	enum conf_scope scope;
	const char *note;	/* what natkeyd does instead */
	const char *same;	/* a value that means what natkeyd does: no warning */
	const char *refuse[4];	/* values that are errors (NULL-terminated)... */
	bool refuse_others;	/* ...or: every value other than @same is one */
	const char *refuse_why; /* the error's reason */
};

#define LOG_NOTE   "natkeyd logs to syslog (the journal), or to stderr with -F"
#define DEBUG_NOTE "natkeyd's log level is set with -d or `natkeyctl log-level debug [MODULE]`"

/* One row per key, packed by hand. */
/* clang-format off */
static const struct ignored_key ignored[] = {
	{ "protostack", CONF_SCOPE_SETUP, "natkeyd always programs the Linux XFRM stack", NULL,
	  { "klips", "mast", "bsd", NULL }, false,
	  "natkeyd programs the Linux XFRM stack only (protostack=netkey or xfrm)" },
	{ "logfile", CONF_SCOPE_SETUP, LOG_NOTE, NULL, { NULL }, false, NULL },
	{ "plutostderrlog", CONF_SCOPE_SETUP, LOG_NOTE, NULL, { NULL }, false, NULL },
	{ "syslog", CONF_SCOPE_SETUP, LOG_NOTE, NULL, { NULL }, false, NULL },
	{ "logtime", CONF_SCOPE_SETUP, LOG_NOTE, NULL, { NULL }, false, NULL },
	{ "logappend", CONF_SCOPE_SETUP, LOG_NOTE, NULL, { NULL }, false, NULL },
	{ "logip", CONF_SCOPE_SETUP, LOG_NOTE, NULL, { NULL }, false, NULL },
	{ "plutodebug", CONF_SCOPE_SETUP, DEBUG_NOTE, NULL, { NULL }, false, NULL },
	{ "charondebug", CONF_SCOPE_SETUP, DEBUG_NOTE, NULL, { NULL }, false, NULL },
	{ "dumpdir", CONF_SCOPE_SETUP, "core dumps are configured by systemd (LimitCORE=)", NULL,
	  { NULL }, false, NULL },
	{ "charonstart", CONF_SCOPE_SETUP, "natkeyd is the only daemon (systemctl start natkeyd)",
	  NULL, { NULL }, false, NULL },
	{ "plutostart", CONF_SCOPE_SETUP, "natkeyd is the only daemon (systemctl start natkeyd)",
	  NULL, { NULL }, false, NULL },
	{ "oe", CONF_SCOPE_SETUP, "opportunistic encryption is not implemented", "off", { NULL },
	  true, "opportunistic encryption is not implemented: write oe=off" },
	{ "leftnexthop", CONF_SCOPE_CONN, "natkeyd uses the kernel's routing table", NULL, { NULL },
	  false, NULL },
	{ "rightnexthop", CONF_SCOPE_CONN, "natkeyd uses the kernel's routing table", NULL,
	  { NULL }, false, NULL },
	{ "leftrsasigkey", CONF_SCOPE_CONN, NULL, "%cert", { NULL }, true,
	  "raw RSA keys are not implemented: use leftcert= (leftrsasigkey=%cert)" },
	{ "rightrsasigkey", CONF_SCOPE_CONN, NULL, "%cert", { NULL }, true,
	  "raw RSA keys are not implemented: use rightcert= (rightrsasigkey=%cert)" },
	{ "rightsendcert", CONF_SCOPE_CONN,
	  "the peer's choice: natkeyd acts on leftsendcert= (left is this host)", NULL, { NULL },
	  false, NULL },
	{ "mobike", CONF_SCOPE_CONN, "MOBIKE is IKEv2 only: no effect on IKEv1", "no", { NULL },
	  false, NULL },
	{ "narrowing", CONF_SCOPE_CONN, "traffic selector narrowing is IKEv2 only", "no", { NULL },
	  false, NULL },
	{ "reauth", CONF_SCOPE_CONN,
	  "natkeyd renews an IKEv1 SA with a new Main Mode (what reauth=yes does)", "yes", { NULL },
	  false, NULL },
	{ "installpolicy", CONF_SCOPE_CONN, NULL, "yes", { NULL }, true,
	  "natkeyd always installs its policies" },
	{ "compress", CONF_SCOPE_CONN, NULL, "no", { NULL }, true,
	  "IPComp is not implemented: write compress=no" },
	{ "closeaction", CONF_SCOPE_CONN, NULL, "none", { NULL }, true,
	  "natkeyd acts on a peer's Delete as closeaction=none: use dpdaction= for dead peers" },
	{ "rightupdown", CONF_SCOPE_CONN,
	  "the peer's script: natkeyd runs leftupdown= (left is this host)", NULL, { NULL }, false,
	  NULL },
	{ "sareftrack", CONF_SCOPE_CONN, "natkeyd tracks SA references itself", NULL, { NULL },
	  false, NULL },
	{ "rightfirewall", CONF_SCOPE_CONN,
	  "the peer's firewall: natkeyd acts on leftfirewall= (left is this host)", "no", { NULL },
	  false, NULL },
	{ "lefthostaccess", CONF_SCOPE_CONN,
	  "leftfirewall= opens forwarding only: allow the tunnel's traffic to this host in your own rules",
	  "no", { NULL }, false, NULL },
};
/* clang-format on */

const char *conf_key_ignored(const char *name, enum conf_scope scope, const char *value,
			     const char **err)
{
	size_t i, j;

	*err = NULL;
	for (i = 0; i < N(ignored); i++) {
		const struct ignored_key *k = &ignored[i];

		if (k->scope != scope || strcmp(k->name, name))
			continue;
		if (k->same && !strcmp(value, k->same))
			return "";
		for (j = 0; j < N(k->refuse) && k->refuse[j]; j++)
			if (!strcmp(value, k->refuse[j])) {
				*err = k->refuse_why;
				return NULL;
			}
		if (k->refuse_others && *value) {
			*err = k->refuse_why;
			return NULL;
		}
		return k->note ? k->note : "";
	}
	return NULL;
}

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

/* The one setter of every ENUM_KEY: @obj is the struct conf_setup or
 * struct conf_conn the key's offset is in. */
static int enum_key_set(const struct conf_key *key, void *obj, const char *v, char *why,
			size_t why_len)
{
	int r = *v ? enum_parse(key->names, key->n_names, v, why, why_len) : key->def;

	if (r < 0)
		return -EINVAL;
	memcpy((char *)obj + key->offset, &r, sizeof(r));
	return 0;
}

int conf_key_apply_setup(const struct conf_key *key, struct conf_setup *s, const char *value,
			 char *why, size_t why_len)
{
	if (key->names)
		return enum_key_set(key, s, value, why, why_len);
	if (!key->set_setup)
		return 0;
	return key->set_setup(s, value, why, why_len);
}

int conf_key_apply_conn(const struct conf_key *key, struct conf_conn *c, const char *value,
			const struct conf_setup *s, char *why, size_t why_len)
{
	struct conf_end *end = key->side == 1 ? &c->left : key->side == 2 ? &c->right : NULL;

	if (key->names)
		return enum_key_set(key, c, value, why, why_len);
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
			(void)conf_key_apply_setup(&keys[i], s, "", why, sizeof(why));
}
