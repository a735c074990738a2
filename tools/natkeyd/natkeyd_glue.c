// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From ipsec.conf to the engine: one function per kind of value, each
 * refusing what the engine cannot express instead of guessing.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/crypto/crypto.h"
#include "natt/adaptka.h"
#include "natt/method.h"
#include "tools/natkeyd/natkeyd_glue.h"

_Static_assert(IKE_HALFOPEN_MAX_DEFAULT == 4096 && IKE_HALFOPEN_PER_SOURCE_DEFAULT == 32,
	       "ike/conf/conf_keys.c's DEFAULT_MAX_HALFOPEN, DEFAULT_HALFOPEN_PER_SOURCE");

void nkd_halfopen_cfg(const struct conf_setup *s, struct ike_halfopen_cfg *out)
{
	out->max = s->max_halfopen;
	out->per_source = s->halfopen_per_source;
	out->defence_at = s->ddos_threshold;
}

uint32_t nkd_conn_reqid(unsigned slot)
{
	return XK_REQID_MIN + slot;
}

/* The literal or resolved address of @h (conf_host_addr()) with @port. */
static int host_to_sockaddr(const struct conf_host *h, uint16_t port, struct sockaddr_storage *ss)
{
	const struct conf_addr *a = conf_host_addr(h);

	memset(ss, 0, sizeof(*ss));
	if (!a)
		return -EINVAL;
	if (a->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		memcpy(&in->sin_addr, a->bytes, 4);
		return 0;
	}
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		memcpy(&in6->sin6_addr, a->bytes, 16);
		return 0;
	}
	return -EINVAL;
}

static void conf_addr_to_xk(const struct conf_addr *a, struct xk_addr *x)
{
	memset(x, 0, sizeof(*x));
	if (a->family == AF_INET) {
		x->family = XK_AF_INET;
		memcpy(x->bytes, a->bytes, 4);
	} else if (a->family == AF_INET6) {
		x->family = XK_AF_INET6;
		memcpy(x->bytes, a->bytes, 16);
	}
}

/* RFC 2407 s4.6.2.1 ID types from the configuration's forms. */
static int id_build(const struct conf_id *id, bool remote, struct ike_id *out, const char **why)
{
	size_t n;

	memset(out, 0, sizeof(*out));
	switch (id->type) {
	case CONF_ID_NONE:
	case CONF_ID_ANY:
		if (!remote && id->type == CONF_ID_ANY) {
			*why = "leftid=%any: our own identity must be concrete";
			return -EINVAL;
		}
		return 0; /* type 0: our address / any peer identity */
	case CONF_ID_IPV4_ADDR:
		out->type = 1;
		out->len = 4;
		memcpy(out->data, id->addr.bytes, 4);
		return 0;
	case CONF_ID_IPV6_ADDR:
		out->type = 5;
		out->len = 16;
		memcpy(out->data, id->addr.bytes, 16);
		return 0;
	case CONF_ID_FQDN:
	case CONF_ID_USER_FQDN:
		n = strlen(id->value);
		if (n == 0 || n > IKE_ID_DATA_MAX) {
			*why = "identity longer than the engine's 128 bytes";
			return -EINVAL;
		}
		out->type = id->type == CONF_ID_FQDN ? 2 : 3;
		out->len = (uint8_t)n;
		memcpy(out->data, id->value, n);
		return 0;
	case CONF_ID_DER_ASN1_DN:
	case CONF_ID_FROMCERT:
		*why = "DN identities (certificates) are not wired into natkeyd's engine yet; "
		       "use an IP address, @fqdn or user@fqdn identity";
		return -EINVAL;
	}
	*why = "unknown identity type";
	return -EINVAL;
}

static int p1_build(const struct conf_proposal *p, struct ike_p1_proposal *o, const char **why)
{
	memset(o, 0, sizeof(*o));
	switch (p->encr) {
	case CONF_ENCR_AES128_CBC:
	case CONF_ENCR_AES192_CBC:
	case CONF_ENCR_AES256_CBC:
		o->cipher = IKE_CIPHER_AES_CBC;
		o->key_bits = (uint16_t)conf_encr_key_bits(p->encr);
		break;
	case CONF_ENCR_3DES_CBC:
		o->cipher = IKE_CIPHER_3DES_CBC;
		break;
	default:
		*why = "ike=: only aes128/192/256 and 3des are Phase 1 ciphers";
		return -EINVAL;
	}
	switch (p->integ) {
	case CONF_INTEG_MD5:
		o->hash = IKE_HASH_MD5;
		break;
	case CONF_INTEG_SHA1:
		o->hash = IKE_HASH_SHA1;
		break;
	case CONF_INTEG_SHA256:
		o->hash = IKE_HASH_SHA2_256;
		break;
	case CONF_INTEG_SHA384:
		o->hash = IKE_HASH_SHA2_384;
		break;
	case CONF_INTEG_SHA512:
		o->hash = IKE_HASH_SHA2_512;
		break;
	default:
		*why = "ike=: a Phase 1 proposal needs a hash";
		return -EINVAL;
	}
	if (p->group == CONF_GROUP_NONE) {
		*why = "ike=: a Phase 1 proposal needs a DH group";
		return -EINVAL;
	}
	o->group = (uint16_t)p->group; /* conf_group values are the IANA numbers */
	return 0;
}

static int p2_build(const struct conf_proposal *p, struct ike_p2_proposal *o, const char **why)
{
	memset(o, 0, sizeof(*o));
	switch (p->encr) {
	case CONF_ENCR_AES128_CBC:
	case CONF_ENCR_AES192_CBC:
	case CONF_ENCR_AES256_CBC:
		o->enc = XK_ENC_AES_CBC;
		o->key_bits = (uint16_t)conf_encr_key_bits(p->encr);
		break;
	case CONF_ENCR_3DES_CBC:
		o->enc = XK_ENC_3DES_CBC;
		break;
	case CONF_ENCR_AES128_GCM16:
	case CONF_ENCR_AES192_GCM16:
	case CONF_ENCR_AES256_GCM16:
		o->enc = XK_ENC_AES_GCM_16;
		o->key_bits = (uint16_t)conf_encr_key_bits(p->encr);
		break;
	default:
		*why = "esp=: unknown cipher";
		return -EINVAL;
	}
	switch (p->integ) {
	case CONF_INTEG_NONE:
		if (o->enc != XK_ENC_AES_GCM_16) {
			*why = "esp=: a non-AEAD cipher needs an integrity algorithm";
			return -EINVAL;
		}
		o->auth = XK_AUTH_NONE;
		break;
	case CONF_INTEG_SHA1:
		o->auth = XK_AUTH_HMAC_SHA1_96;
		break;
	case CONF_INTEG_SHA256:
		o->auth = XK_AUTH_HMAC_SHA256_128;
		break;
	case CONF_INTEG_SHA384:
		o->auth = XK_AUTH_HMAC_SHA384_192;
		break;
	case CONF_INTEG_SHA512:
		o->auth = XK_AUTH_HMAC_SHA512_256;
		break;
	default:
		*why = "esp=: md5 is not an ESP integrity algorithm natkeyd installs";
		return -EINVAL;
	}
	return 0;
}

/* An end's traffic selector: the first subnet, else the host itself. A
 * right=%any end has none: its subnets are the allow-list (clients_build()). */
static int ts_build(const struct conf_end *end, const struct sockaddr_storage *host,
		    struct ike_ts *ts, const char **why)
{
	(void)why;
	memset(ts, 0, sizeof(*ts));
	if (end->host.kind == CONF_HOST_ANY) {
		ts->proto = end->protoport.proto;
		ts->port = end->protoport.port;
		return 0;
	}
	if (end->n_subnets >= 1) {
		conf_addr_to_xk(&end->subnets[0].addr, &ts->addr);
		ts->plen = end->subnets[0].prefix;
	} else if (host->ss_family == AF_INET || host->ss_family == AF_INET6) {
		nkd_xk_addr_from_sockaddr(host, &ts->addr);
		ts->plen = host->ss_family == AF_INET ? 32 : 128;
	}
	/* else: right=%any without subnet: the engine resolves it per peer. */
	ts->proto = end->protoport.proto;
	ts->port = end->protoport.port;
	return 0;
}

static void subnet_to_ts(const struct conf_subnet *n, struct ike_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	conf_addr_to_xk(&n->addr, &ts->addr);
	ts->plen = n->prefix;
}

/* right=%any: what road warriors may claim (ike/sa/ikev1_ids.h): rightsubnet=
 * networks, or vhost:/vnet: with virtual-private='s networks and exclusions.
 * Their own address is always allowed (%no, strongSwan's dynamic). */
static void clients_build(const struct conf_end *right, struct ike_conn_cfg *o)
{
	if (right->host.kind != CONF_HOST_ANY)
		return;
	for (size_t i = 0; i < right->n_subnets && i < IKE_CLIENT_NETS_MAX; i++)
		subnet_to_ts(&right->subnets[i], &o->client_allow[o->n_client_allow++]);
	for (size_t i = 0; i < right->n_excludes && i < IKE_CLIENT_NETS_MAX; i++)
		subnet_to_ts(&right->excludes[i], &o->client_deny[o->n_client_deny++]);
	o->client_hosts_only = right->subnet_kind == CONF_SUBNET_VHOST;
}

/* natt_methods= in natt/ terms: "rfc" is RFC 3947 alone, "draft" the
 * draft-ietf-ipsec-nat-t-ike-02/03 family (NAT-D type 130); both = 0, the
 * natt/ default set. */
static natt_method_set natt_methods_of(unsigned conf_bits)
{
	const natt_method_set drafts = NATT_METHOD_BIT(NATT_METHOD_DRAFT_02N) |
				       NATT_METHOD_BIT(NATT_METHOD_DRAFT_02) |
				       NATT_METHOD_BIT(NATT_METHOD_DRAFT_03);

	switch (conf_bits & (CONF_NATT_RFC | CONF_NATT_DRAFT)) {
	case CONF_NATT_RFC:
		return NATT_METHOD_BIT(NATT_METHOD_RFC3947);
	case CONF_NATT_DRAFT:
		return drafts;
	default:
		return 0;
	}
}

static int fail(char *err, size_t err_len, const struct conf_conn *c, const char *why)
{
	snprintf(err, err_len, "conn %s: %s", c->name, why);
	return -EINVAL;
}

static void xk_from_conf(const struct conf_addr *a, struct xk_addr *x)
{
	memset(x, 0, sizeof(*x));
	x->family = a->family == AF_INET ? XK_AF_INET : XK_AF_INET6;
	memcpy(x->bytes, a->bytes, sizeof(x->bytes));
}

/* XAUTH and Mode Config (issue 16) into the engine's terms. */
static int cfg_build(const struct conf_conn *c, const struct conf_secrets *secrets,
		     struct ike_conn_cfg *o, const char **why)
{
	enum conf_role xr = conf_conn_xauth_role(c), mr = conf_conn_modecfg_role(c);
	const struct conf_secret *s;
	size_t n;

	o->xauth = xr == CONF_ROLE_SERVER   ? IKE_CFG_SERVER
		   : xr == CONF_ROLE_CLIENT ? IKE_CFG_CLIENT
					    : IKE_CFG_NONE;
	if (xr == CONF_ROLE_CLIENT) {
		n = strlen(c->xauth_identity);
		if (!n || n > IKE_XAUTH_USER_MAX) {
			*why = "an XAUTH client needs a user name of 1 to 64 bytes (xauth_identity=)";
			return -EINVAL;
		}
		s = secrets ? conf_secrets_find_xauth(secrets, c->xauth_identity) : NULL;
		if (!s || !s->psk_len || s->psk_len > IKE_XAUTH_PASS_MAX) {
			*why = "no XAUTH password (1 to 128 bytes) for xauth_identity= in the secrets";
			return -EINVAL;
		}
		memcpy(o->xauth_user, c->xauth_identity, n + 1);
		memcpy(o->xauth_pass, s->psk, s->psk_len);
		o->xauth_pass_len = s->psk_len;
	}
	o->modecfg = mr == CONF_ROLE_SERVER   ? IKE_CFG_SERVER
		     : mr == CONF_ROLE_CLIENT ? IKE_CFG_CLIENT
					      : IKE_CFG_NONE;
	o->modecfg_push = !c->modecfg_pull;
	o->unity = c->cisco_unity;
	o->hybrid = c->hybrid;
	if (mr != CONF_ROLE_SERVER)
		return 0;
	/* An IPv4 or an IPv6 pool (INTERNAL_IP6_ADDRESS to a client that asks). */
	xk_from_conf(&c->right.pool.first, &o->pool_first);
	o->pool_size = c->right.pool.size;
	for (size_t i = 0; i < c->n_dns; i++) {
		if (c->dns[i].family != AF_INET)
			continue; /* INTERNAL_IP4_DNS only */
		if (o->n_dns < IKE_MODECFG_DNS_MAX)
			xk_from_conf(&c->dns[i], &o->dns[o->n_dns++]);
	}
	/* UNITY_DEF_DOMAIN carries one domain: the first. */
	n = strcspn(c->domains, ",");
	if (n >= sizeof(o->domain))
		n = sizeof(o->domain) - 1;
	memcpy(o->domain, c->domains, n);
	o->domain[n] = '\0';
	snprintf(o->banner, sizeof(o->banner), "%s", c->banner);
	return 0;
}

bool nkd_xauth_file_check(const struct conf_secrets *secrets, const struct ike_xauth_check *x)
{
	const struct conf_secret *s = secrets ? conf_secrets_find_xauth(secrets, x->user) : NULL;

	return s && s->psk_len == x->pass_len && x->pass_len &&
	       CRYPTO_memcmp(s->psk, x->pass, x->pass_len) == 0;
}

int nkd_conn_build(const struct conf_conn *c, const struct conf_secrets *secrets, uint32_t reqid,
		   struct ike_conn_cfg *o, char *err, size_t err_len)
{
	const char *why = NULL;
	struct conf_id lid, rid;
	size_t n;

	memset(o, 0, sizeof(*o));
	if (err_len)
		err[0] = '\0';
	n = strlen(c->name);
	if (n >= sizeof(o->name))
		return fail(err, err_len, c, "name longer than 31 characters (engine limit)");
	memcpy(o->name, c->name, n + 1);

	/* Issue 16: what the daemon cannot do yet is refused, so no conn comes
	 * up without what its admin asked for. */
#ifndef HAVE_PAM
	if (conf_conn_xauth_role(c) == CONF_ROLE_SERVER && c->xauthby == CONF_XAUTHBY_PAM)
		return fail(err, err_len, c,
			    "xauthby=pam: this natkeyd was built without PAM (configure "
			    "--without-pam); use xauthby=file (XAUTH users in ipsec.secrets)");
#endif
	if (c->left.host.kind == CONF_HOST_ANY)
		return fail(err, err_len, c,
			    "left=%any: natkeyd needs this host's address (write it, a host name "
			    "or %defaultroute)");
	/* Names and %defaultroute are resolved before (nkd_conn_resolve()). */
	if (host_to_sockaddr(&c->left.host, 500, &o->local) < 0)
		return fail(err, err_len, c, "left= is not resolved to an address of this host");
	if (c->right.host.kind != CONF_HOST_ANY &&
	    host_to_sockaddr(&c->right.host, 500, &o->remote) < 0)
		return fail(err, err_len, c, "right= is not resolved to an address");
	if (o->remote.ss_family && o->remote.ss_family != o->local.ss_family)
		return fail(err, err_len, c, "left= and right= are of different address families");

	conf_conn_local_id(c, &lid);
	conf_conn_remote_id(c, &rid);
	/* With certificates a DN identity is the certificate's subject, which
	 * nkd_creds_load() fills in from leftcert. */
	bool dn_from_cert =
		c->authby == CONF_AUTHBY_RSASIG &&
		(c->left.id.type == CONF_ID_DER_ASN1_DN || c->left.id.type == CONF_ID_FROMCERT);

	if (c->left.id.type != CONF_ID_NONE && !dn_from_cert &&
	    id_build(&lid, false, &o->local_id, &why) < 0)
		return fail(err, err_len, c, why);
	if (c->right.id.type != CONF_ID_NONE && c->right.id.type != CONF_ID_ANY &&
	    id_build(&rid, true, &o->remote_id, &why) < 0)
		return fail(err, err_len, c, why);

	if (c->authby == CONF_AUTHBY_RSASIG) {
		o->auth = IKE_AUTH_RSA_SIG; /* key, certificate, CAs: nkd_creds_load() */
	} else {
		o->auth = IKE_AUTH_PSK;
		const struct conf_secret *s =
			secrets ? conf_secrets_find_psk(secrets, &lid, &rid) : NULL;

		if (!s || s->type != CONF_SECRET_PSK || !s->psk_len) {
			char l[CONF_ID_MAX + 1], r[CONF_ID_MAX + 1], msg[1400];

			snprintf(msg, sizeof(msg),
				 "no PSK in %s for %s %s (add a line \"%s %s : PSK \\\"...\\\"\")",
				 secrets ? secrets->file : "ipsec.secrets",
				 conf_id_format(&lid, l, sizeof(l)),
				 conf_id_format(&rid, r, sizeof(r)), l, r);
			return fail(err, err_len, c, msg);
		}
		if (s->psk_len > IKE_PSK_MAX)
			return fail(err, err_len, c, "PSK longer than 128 bytes (engine limit)");
		memcpy(o->psk, s->psk, s->psk_len);
		o->psk_len = s->psk_len;
	}
	o->aggressive = c->aggressive;

	for (size_t i = 0; i < c->ike.n && o->n_p1 < IKE_PROPOSALS_MAX; i++)
		if (p1_build(&c->ike.v[i], &o->p1[o->n_p1++], &why) < 0)
			goto bad;
	for (size_t i = 0; i < c->esp.n && o->n_p2 < IKE_PROPOSALS_MAX; i++)
		if (p2_build(&c->esp.v[i], &o->p2[o->n_p2++], &why) < 0)
			goto bad;
	if (!o->n_p1 || !o->n_p2) {
		why = "no ike= or esp= proposal";
		goto bad;
	}
	if (c->pfs) {
		o->pfs_group = (uint16_t)c->esp.v[0].group;
		if (!o->pfs_group)
			o->pfs_group = o->p1[0].group; /* pfs=yes without a group: Phase 1's */
	}
	o->mode = c->mode == CONF_MODE_TRANSPORT ? XK_MODE_TRANSPORT : XK_MODE_TUNNEL;
	if (ts_build(&c->left, &o->local, &o->local_ts, &why) < 0 ||
	    ts_build(&c->right, &o->remote, &o->remote_ts, &why) < 0)
		goto bad;
	clients_build(&c->right, o);
	o->aggr_psk_responder = c->aggressive_psk_responder;
	o->natt = c->natt_methods != 0;
	o->natt_force = c->forceencaps && o->natt;
	o->natt_methods = natt_methods_of(c->natt_methods);
	o->keepalive_s = c->nat_keepalive;
	o->keepalive_auto = c->nat_keepalive_auto;
	o->keepalive_max_s = c->nat_keepalive_max;
	if (c->nat_binding_lifetime) { /* at most 1d (conf_keys.c) */
		o->binding_lifetime_ms = c->nat_binding_lifetime * 1000;
		o->binding_lifetime_src = NATT_LT_CONFIGURED;
	}
	o->ike_lifetime_s = c->ikelifetime;
	o->ipsec_lifetime_s = c->lifetime;
	o->rekey_margin_s = c->rekeymargin;
	/* RFC 2407 s4.5: kilobytes on the wire; conf_bytes_parse() bounds
	 * both to 2^32-1 KiB and to 0 or at least 1 KiB. */
	o->ipsec_lifetime_kb = (uint32_t)(c->lifebytes / 1024);
	o->rekey_margin_kb = (uint32_t)(c->marginbytes / 1024);
	o->commit_bit = c->commitbit;
	o->sha2_truncbug = c->sha2_truncbug;
	/* The engine reads 0 as "default (100%)": rekeyfuzz=0% becomes 1%. */
	o->rekey_fuzz_pct = c->rekeyfuzz ? c->rekeyfuzz : 1;
	/* dpdaction=none (the default) means no DPD at all, whatever dpddelay says. */
	o->dpd_delay_s = c->dpdaction == CONF_DPD_NONE ? 0 : c->dpddelay;
	o->dpd_timeout_s = o->dpd_delay_s ? c->dpdtimeout : 0;
	o->dpd_action = c->dpdaction == CONF_DPD_HOLD	   ? IKE_DPD_HOLD
			: c->dpdaction == CONF_DPD_RESTART ? IKE_DPD_RESTART
							   : IKE_DPD_CLEAR;
	o->fragmentation = c->fragmentation == CONF_FRAG_ACCEPT	 ? IKE_FRAG_ACCEPT
			   : c->fragmentation == CONF_FRAG_FORCE ? IKE_FRAG_FORCE
			   : c->fragmentation == CONF_FRAG_NO	 ? IKE_FRAG_NO
								 : IKE_FRAG_YES;
	o->fragment_size = (uint16_t)c->fragment_size; /* conf bounds it to 576..65535 */
	o->reqid = reqid;
	if (cfg_build(c, secrets, o, &why) < 0)
		goto bad;
	/* natkeyd_conn.c keeps trap policies for these: the engine puts them
	 * back whenever it removes the SA policies that replaced them. */
	o->traps = c->autostart == CONF_AUTO_ROUTE || c->autostart == CONF_AUTO_START;
	o->no_rekey = !c->rekey;
	o->keying_tries = c->keyingtries ? c->keyingtries : IKE_TRIES_FOREVER;
	o->ignore_initial_contact =
		c->uniqueids == CONF_UNIQUE_NO || c->uniqueids == CONF_UNIQUE_NEVER;
	o->unique_keep = c->uniqueids == CONF_UNIQUE_KEEP;
	if (c->ike.n > IKE_PROPOSALS_MAX || c->esp.n > IKE_PROPOSALS_MAX)
		snprintf(err, err_len, "conn %s: only the first %d ike=/esp= proposals are offered",
			 c->name, IKE_PROPOSALS_MAX);
	return 0;
bad:
	OPENSSL_cleanse(o, sizeof(*o));
	return fail(err, err_len, c, why);
}

static void ts_list_print(const struct ike_ts *v, unsigned n, FILE *out)
{
	char a[INET6_ADDRSTRLEN];

	for (unsigned i = 0; i < n; i++)
		fprintf(out, "%s%s/%u", i ? ", " : "",
			nkd_xk_addr_to_text(&v[i].addr, a, sizeof(a)), v[i].plen);
}

/* A rightid= that limits who may connect: a given identity or a pattern. */
static bool id_limits(const struct conf_id *id)
{
	return id->type != CONF_ID_NONE && id->type != CONF_ID_ANY;
}

int nkd_conn_notes(const struct conf_conn *c, const struct ike_conn_cfg *cfg, FILE *summary,
		   FILE *warnings)
{
	int n = 0;
	char a[INET6_ADDRSTRLEN];

	if (c->right.host.kind == CONF_HOST_ANY && summary) {
		fprintf(summary, "# conn %s: right=%%any: a road warrior may claim as its client ",
			c->name);
		if (cfg->mode == XK_MODE_TRANSPORT) {
			fprintf(summary, "only the address its packets carry (type=transport)\n");
		} else {
			fprintf(summary, "its own address as the wire shows it");
			if (cfg->n_client_allow) {
				fprintf(summary, "; %s inside ",
					cfg->client_hosts_only
						? "from behind a NAT, one address (vhost:)"
						: "networks");
				ts_list_print(cfg->client_allow, cfg->n_client_allow, summary);
			} else {
				fprintf(summary,
					" (no virtual-private=/rightsubnet= allow-list: a "
					"NATed road warrior's private address is refused)");
			}
			if (cfg->n_client_deny) {
				fprintf(summary, "; except ");
				ts_list_print(cfg->client_deny, cfg->n_client_deny, summary);
			}
			if (cfg->local_ts.addr.family && cfg->local_ts.plen)
				fprintf(summary, "; never what overlaps %s/%u (%s)",
					nkd_xk_addr_to_text(&cfg->local_ts.addr, a, sizeof(a)),
					cfg->local_ts.plen,
					c->left.n_subnets ? "leftsubnet" : "this host");
			fputc('\n', summary);
		}
	}
	if (c->right.host.kind == CONF_HOST_ANY) {
		if (c->authby == CONF_AUTHBY_PSK && !id_limits(&c->right.id)) {
			fprintf(warnings,
				"warning: conn %s: right=%%any with a pre-shared key and no rightid=: "
				"whoever holds the PSK can claim any identity (group PSK), and "
				"INITIAL-CONTACT and the client checks trust it; limit it with "
				"rightid=@*.DOMAIN or rightid=*@DOMAIN, or use authby=rsasig\n",
				c->name);
			n++;
		}
	}
	if (c->aggressive && c->authby == CONF_AUTHBY_PSK) {
		if (c->aggressive_psk_responder)
			fprintf(warnings,
				"warning: conn %s: aggressive_psk_responder=yes: anyone who sends "
				"Aggressive Mode gets HASH_R, enough to test PSK guesses offline; "
				"use a long random PSK\n",
				c->name);
		else
			fprintf(warnings,
				"warning: conn %s: aggressive=yes with a PSK %s: as responder it "
				"refuses Aggressive Mode (HASH_R allows offline PSK cracking; "
				"aggressive_psk_responder=yes enables it)\n",
				c->name,
				c->right.host.kind == CONF_HOST_ANY ? "on right=%any answers nobody"
								    : "only initiates");
		n++;
	}
	return n;
}

int nkd_conn_pairs(const struct conf_conn *c, const struct ike_conn_cfg *base, uint32_t reqid,
		   struct ike_conn_cfg *out, char *err, size_t err_len)
{
	/* right=%any: rightsubnet= is the clients' allow-list, not a side. */
	bool any = c->right.host.kind == CONF_HOST_ANY;
	size_t nl = c->left.n_subnets ? c->left.n_subnets : 1;
	size_t nr = c->right.n_subnets && !any ? c->right.n_subnets : 1;
	int n = 0;

	if (err_len)
		err[0] = '\0';
	if (nl * nr == 1) {
		out[0] = *base;
		out[0].reqid = reqid;
		return 1;
	}
	for (size_t i = 0; i < nl; i++)
		for (size_t k = 0; k < nr; k++) {
			struct ike_conn_cfg *o;
			char name[IKE_NAME_MAX + 48];

			if (c->left.n_subnets && c->right.n_subnets && !any &&
			    c->left.subnets[i].addr.family != c->right.subnets[k].addr.family)
				continue;
			if (n == NKD_PAIRS_MAX) {
				snprintf(
					err, err_len,
					"conn %s: more than %d pairs of leftsubnet and rightsubnet",
					c->name, NKD_PAIRS_MAX);
				return -EINVAL;
			}
			o = &out[n];
			*o = *base;
			if (c->left.n_subnets) {
				conf_addr_to_xk(&c->left.subnets[i].addr, &o->local_ts.addr);
				o->local_ts.plen = c->left.subnets[i].prefix;
			}
			if (c->right.n_subnets && !any) {
				conf_addr_to_xk(&c->right.subnets[k].addr, &o->remote_ts.addr);
				o->remote_ts.plen = c->right.subnets[k].prefix;
			}
			/* Libreswan names them conn/1x2; the engine's limit decides. */
			snprintf(name, sizeof(name), "%s/%zux%zu", base->name, i + 1, k + 1);
			if (strlen(name) < sizeof(o->name))
				memcpy(o->name, name, strlen(name) + 1);
			o->group = 1;
			o->reqid = reqid + (uint32_t)n;
			n++;
		}
	if (!n) {
		snprintf(err, err_len,
			 "conn %s: leftsubnet and rightsubnet have no address family in common",
			 c->name);
		return -EINVAL;
	}
	return n;
}

int nkd_trap_policies(const struct ike_conn_cfg *c, struct xk_policy *out)
{
	/* One rule for the daemon's traps and the ones the engine restores. */
	return ike_trap_policies(c, c->reqid, out);
}

/* An end's networks: its subnets, else its literal address. */
static size_t shunt_nets(const struct conf_end *e, struct conf_subnet *out)
{
	if (e->n_subnets) {
		memcpy(out, e->subnets, e->n_subnets * sizeof(*out));
		return e->n_subnets;
	}
	if (e->host.kind != CONF_HOST_ADDR)
		return 0;
	out[0].addr = e->host.addr;
	out[0].prefix = e->host.addr.family == AF_INET6 ? 128 : 32;
	return 1;
}

int nkd_shunt_policies(const struct conf_conn *c, struct xk_policy *out)
{
	static const enum xk_dir dirs[3] = { XK_DIR_OUT, XK_DIR_IN, XK_DIR_FWD };
	struct conf_subnet l[CONF_SUBNETS_MAX], r[CONF_SUBNETS_MAX];
	size_t nl = shunt_nets(&c->left, l), nr = shunt_nets(&c->right, r);
	int n = 0;

	for (size_t i = 0; i < nl; i++)
		for (size_t k = 0; k < nr; k++) {
			struct ike_ts lt, rt;

			if (l[i].addr.family != r[k].addr.family)
				continue;
			memset(&lt, 0, sizeof(lt));
			memset(&rt, 0, sizeof(rt));
			conf_addr_to_xk(&l[i].addr, &lt.addr);
			lt.plen = l[i].prefix;
			lt.proto = c->left.protoport.proto;
			lt.port = c->left.protoport.port;
			conf_addr_to_xk(&r[k].addr, &rt.addr);
			rt.plen = r[k].prefix;
			rt.proto = c->right.protoport.proto;
			rt.port = c->right.protoport.port;
			for (int d = 0; d < 3; d++) {
				struct xk_policy *p = &out[n++];

				memset(p, 0, sizeof(*p));
				if (dirs[d] == XK_DIR_OUT)
					ike_ts_to_sel(&lt, &rt, &p->sel);
				else
					ike_ts_to_sel(&rt, &lt, &p->sel);
				p->dir = dirs[d];
				p->action = c->shunt == CONF_SHUNT_PASS ? XK_ACTION_ALLOW
									: XK_ACTION_BLOCK;
				p->priority = NKD_SHUNT_PRIO;
			}
		}
	return n ? n : -EINVAL;
}

void nkd_policy_id_of(const struct xk_policy *p, struct xk_policy_id *id)
{
	memset(id, 0, sizeof(*id));
	id->sel = p->sel;
	id->dir = p->dir;
	id->mark = p->mark;
}

void nkd_xk_addr_from_sockaddr(const struct sockaddr_storage *ss, struct xk_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (ss->ss_family == AF_INET) {
		out->family = XK_AF_INET;
		memcpy(out->bytes, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		out->family = XK_AF_INET6;
		memcpy(out->bytes, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
	}
}

const char *nkd_xk_addr_to_text(const struct xk_addr *a, char *buf, size_t len)
{
	if (!len)
		return buf;
	buf[0] = '\0';
	if (a->family == XK_AF_INET)
		inet_ntop(AF_INET, a->bytes, buf, (socklen_t)len);
	else if (a->family == XK_AF_INET6)
		inet_ntop(AF_INET6, a->bytes, buf, (socklen_t)len);
	return buf;
}

const char *nkd_sockaddr_to_text(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	struct xk_addr a;

	nkd_xk_addr_from_sockaddr(ss, &a);
	return nkd_xk_addr_to_text(&a, buf, len);
}

uint16_t nkd_sockaddr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

bool nkd_sockaddr_same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	struct xk_addr x, y;

	nkd_xk_addr_from_sockaddr(a, &x);
	nkd_xk_addr_from_sockaddr(b, &y);
	return x.family && x.family == y.family &&
	       memcmp(x.bytes, y.bytes, x.family == XK_AF_INET ? 4 : 16) == 0;
}

/* ---- left=/right= names and %defaultroute ---- */

#define RESOLVE_MAX 8 /* addresses of one name considered */

static int resolve_fail(char *err, size_t err_len, const struct conf_conn *c, const char *key,
			const char *value, const char *why)
{
	snprintf(err, err_len, "conn %s: %s=%s: %s", c->name, key, value, why);
	return -EINVAL;
}

/* right=NAME: the resolver's first address of @family (AF_UNSPEC: any). */
static int resolve_peer(struct conf_conn *c, int family, const struct nkd_resolver *r, char *err,
			size_t err_len)
{
	struct conf_host *h = &c->right.host;
	struct conf_addr v[RESOLVE_MAX];
	char why[NKD_ERR_MAX / 2];
	int n;

	why[0] = '\0';
	n = r->name(r->arg, h->name, family, v, RESOLVE_MAX, why, sizeof(why));
	if (n <= 0)
		return resolve_fail(err, err_len, c, "right", h->name,
				    why[0] ? why : "the name has no address");
	h->resolved = v[0];
	return 0;
}

/* left=NAME: the first of its addresses that belongs to this host. */
static int resolve_local(struct conf_conn *c, int family, const struct nkd_resolver *r, char *err,
			 size_t err_len)
{
	struct conf_host *h = &c->left.host;
	struct conf_addr v[RESOLVE_MAX];
	char why[NKD_ERR_MAX / 2], list[NKD_ERR_MAX / 2], a[64];
	size_t off = 0;
	int n, i;

	why[0] = '\0';
	n = r->name(r->arg, h->name, family, v, RESOLVE_MAX, why, sizeof(why));
	if (n <= 0)
		return resolve_fail(err, err_len, c, "left", h->name,
				    why[0] ? why : "the name has no address");
	list[0] = '\0';
	for (i = 0; i < n; i++) {
		int local = r->is_local(r->arg, &v[i]);

		if (local > 0) {
			h->resolved = v[i];
			return 0;
		}
		if (off < sizeof(list))
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
						i ? ", " : "",
						conf_addr_format(&v[i], a, sizeof(a)));
	}
	snprintf(why, sizeof(why),
		 "resolves to %s, not an address of this host (left is this host)", list);
	return resolve_fail(err, err_len, c, "left", h->name, why);
}

int nkd_conn_resolve(struct conf_conn *c, const struct nkd_resolver *r, char *err, size_t err_len)
{
	struct conf_host *l = &c->left.host, *rh = &c->right.host;
	const struct conf_addr *peer;
	char why[NKD_ERR_MAX / 2];
	int family = 0, rc;

	if (err_len)
		err[0] = '\0';
	memset(&l->resolved, 0, sizeof(l->resolved));
	memset(&rh->resolved, 0, sizeof(rh->resolved));
	/* A literal on either side fixes the family the names must resolve in. */
	if (rh->kind == CONF_HOST_ADDR)
		family = rh->addr.family;
	else if (l->kind == CONF_HOST_ADDR)
		family = l->addr.family;
	if (rh->kind == CONF_HOST_NAME && l->kind != CONF_HOST_NAME) {
		rc = resolve_peer(c, family, r, err, err_len);
		if (rc < 0)
			return rc;
		family = rh->resolved.family;
	}
	if (l->kind == CONF_HOST_NAME) {
		rc = resolve_local(c, family, r, err, err_len);
		if (rc < 0)
			return rc;
		family = l->resolved.family;
		if (rh->kind == CONF_HOST_NAME) {
			rc = resolve_peer(c, family, r, err, err_len);
			if (rc < 0)
				return rc;
		}
	}
	if (l->kind == CONF_HOST_DEFAULTROUTE) {
		/* As Libreswan: the source towards a known peer, else the default route's. */
		peer = conf_host_addr(rh);
		why[0] = '\0';
		rc = r->defaultroute(r->arg,
				     peer     ? peer->family
				     : family ? family
					      : AF_INET,
				     peer, &l->resolved, why, sizeof(why));
		/* right=%any and no literal anywhere: an IPv6-only host has no
		 * IPv4 default route, so its IPv6 one serves (IPv4's error if
		 * neither exists). */
		if (rc < 0 && !peer && !family) {
			char why6[NKD_ERR_MAX / 2];

			rc = r->defaultroute(r->arg, AF_INET6, NULL, &l->resolved, why6,
					     sizeof(why6));
		}
		if (rc < 0) {
			memset(&l->resolved, 0, sizeof(l->resolved));
			return resolve_fail(err, err_len, c, "left", "%defaultroute",
					    why[0] ? why : "no route");
		}
	}
	return 0;
}

int nkd_conf_resolve(struct conf *conf, const struct nkd_resolver *r, char *err, size_t err_len)
{
	char one[NKD_ERR_MAX];

	for (size_t i = 0; i < conf->n_conns; i++) {
		if (conf->conns[i].autostart == CONF_AUTO_IGNORE)
			continue;
		if (nkd_conn_resolve(&conf->conns[i], r, one, sizeof(one)) < 0) {
			snprintf(err, err_len, "%s:%u: %s", conf_conn_file(conf, &conf->conns[i]),
				 conf->conns[i].line, one);
			return -EINVAL;
		}
	}
	return 0;
}

bool nkd_iface_allowed(const struct conf_setup *s, const char *ifname)
{
	if (!s->n_interfaces)
		return true;
	if (!ifname || !*ifname)
		return false;
	for (size_t i = 0; i < s->n_interfaces; i++)
		if (!strcmp(s->interfaces[i], ifname))
			return true;
	return false;
}
