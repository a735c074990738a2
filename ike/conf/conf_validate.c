// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Whole-configuration checks: rules that involve several keys, or the
 * secrets file. Only conns that will be loaded (auto != ignore) are checked,
 * so a partial section used as an also= base need not be complete.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ike/conf/conf_internal.h"
#include "ike/conf/conf_secrets.h"

static void check_ends(const struct conf *conf, const struct conf_conn *c, struct conf_diag *d)
{
	if (c->left.host.kind == CONF_HOST_UNSET)
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': left= is not set (this host's address, %%defaultroute or %%any)",
			c->name);
	if (c->right.host.kind == CONF_HOST_UNSET)
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': right= is not set (the peer's address, or %%any for road warriors)",
			c->name);
	if (c->right.host.kind == CONF_HOST_DEFAULTROUTE)
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': right=%%defaultroute names this host; natkeyd's left is this host (write left=%%defaultroute)",
			c->name);
	if (c->left.host.kind == CONF_HOST_ANY && c->right.host.kind == CONF_HOST_ANY)
		conf_diag_add(d, conf_conn_file(conf, c), c->line,
			      "conn '%s': left and right are both %%any: one end must be concrete",
			      c->name);
	if ((c->autostart == CONF_AUTO_START || c->autostart == CONF_AUTO_ROUTE) &&
	    c->right.host.kind == CONF_HOST_ANY)
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': auto=%s needs a concrete right= (natkeyd cannot initiate to %%any)",
			c->name, conf_auto_name(c->autostart));
	if (c->right.subnet_kind != CONF_SUBNET_LIST && c->right.host.kind != CONF_HOST_ANY)
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': rightsubnet=vhost:/vnet: is for right=%%any (road warriors); "
			"name the peer's network with rightsubnet=NET",
			c->name);
	if (c->mode == CONF_MODE_TRANSPORT &&
	    (c->left.n_subnets || (c->right.n_subnets && c->right.subnet_kind == CONF_SUBNET_LIST)))
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': type=transport does not use leftsubnet/rightsubnet (the policy is host to host)",
			c->name);
}

/* Bit set of the address families of an end's subnets. */
static unsigned subnet_families(const struct conf_end *e)
{
	unsigned f = 0;
	size_t i;

	for (i = 0; i < e->n_subnets; i++)
		f |= e->subnets[i].addr.family == AF_INET ? 1u : 2u;
	return f;
}

static void check_subnets(const struct conf *conf, const struct conf_conn *c, struct conf_diag *d)
{
	unsigned l = subnet_families(&c->left), r = subnet_families(&c->right);

	/* A policy pairs a left and a right selector of one family. */
	if (l && r && !(l & r))
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': leftsubnet and rightsubnet have no address family in common",
			c->name);
}

static void check_auth(const struct conf *conf, const struct conf_conn *c,
		       const struct conf_secrets *secrets, struct conf_diag *d)
{
	char lbuf[CONF_ID_MAX + 3], rbuf[CONF_ID_MAX + 3];
	struct conf_id local, remote;

	if (c->left.id.type == CONF_ID_FROMCERT && !c->left.cert[0])
		conf_diag_add(d, conf_conn_file(conf, c), c->line,
			      "conn '%s': leftid=%%fromcert needs leftcert=", c->name);
	if (c->right.id.type == CONF_ID_FROMCERT && !c->right.cert[0])
		conf_diag_add(d, conf_conn_file(conf, c), c->line,
			      "conn '%s': rightid=%%fromcert needs rightcert=", c->name);
	if (c->authby == CONF_AUTHBY_RSASIG) {
		/* A hybrid RSA client signs nothing (conf_modecfg.c). */
		if (!c->left.cert[0] && !(c->hybrid && conf_conn_xauth_role(c) == CONF_ROLE_CLIENT))
			conf_diag_add(
				d, conf_conn_file(conf, c), c->line,
				"conn '%s': authby=rsasig needs leftcert= (this host's certificate)",
				c->name);
		return;
	}
	if (!secrets)
		return;
	conf_conn_local_id(c, &local);
	conf_conn_remote_id(c, &remote);
	if (!conf_secrets_find_psk(secrets, &local, &remote))
		conf_diag_add(
			d, conf_conn_file(conf, c), c->line,
			"conn '%s': authby=secret but %s has no PSK for local id '%s' and remote id '%s'",
			c->name, secrets->file, conf_id_format(&local, lbuf, sizeof(lbuf)),
			conf_id_format(&remote, rbuf, sizeof(rbuf)));
}

static void check_timers(const struct conf *conf, const struct conf_conn *c, struct conf_diag *d)
{
	if (c->rekeymargin >= c->lifetime)
		conf_diag_add(d, conf_conn_file(conf, c), c->line,
			      "conn '%s': rekeymargin=%us must be shorter than lifetime=%us",
			      c->name, c->rekeymargin, c->lifetime);
	if (c->rekeymargin >= c->ikelifetime)
		conf_diag_add(d, conf_conn_file(conf, c), c->line,
			      "conn '%s': rekeymargin=%us must be shorter than ikelifetime=%us",
			      c->name, c->rekeymargin, c->ikelifetime);
	if (c->marginbytes && !c->lifebytes)
		conf_diag_add(d, conf_conn_file(conf, c), c->line,
			      "conn '%s': marginbytes=%llu needs lifebytes= (no byte limit is set)",
			      c->name, (unsigned long long)c->marginbytes);
	else if (c->lifebytes && c->marginbytes >= c->lifebytes)
		conf_diag_add(d, conf_conn_file(conf, c), c->line,
			      "conn '%s': marginbytes=%llu must be smaller than lifebytes=%llu",
			      c->name, (unsigned long long)c->marginbytes,
			      (unsigned long long)c->lifebytes);
	if (c->dpdaction != CONF_DPD_NONE && c->dpddelay == 0)
		conf_diag_add(d, conf_conn_file(conf, c), c->line,
			      "conn '%s': dpdaction=%s needs dpddelay > 0", c->name,
			      conf_dpd_action_name(c->dpdaction));
	if (c->dpdaction != CONF_DPD_NONE && c->dpddelay && c->dpdtimeout <= c->dpddelay)
		conf_diag_add(d, conf_conn_file(conf, c), c->line,
			      "conn '%s': dpdtimeout=%us must be longer than dpddelay=%us", c->name,
			      c->dpdtimeout, c->dpddelay);
}

static void check_algorithms(const struct conf *conf, const struct conf_conn *c,
			     struct conf_diag *d)
{
	size_t i;

	if (!c->pfs)
		for (i = 0; i < c->esp.n; i++)
			if (c->esp.v[i].group != CONF_GROUP_NONE) {
				conf_diag_add(d, conf_conn_file(conf, c), c->line,
					      "conn '%s': esp= names DH group %s but pfs=no",
					      c->name, conf_group_name(c->esp.v[i].group));
				break;
			}
	/* RFC 2409 s5: Aggressive Mode's first message carries the KE
	 * payload, so only one group can be offered. */
	if (c->aggressive)
		for (i = 1; i < c->ike.n; i++)
			if (c->ike.v[i].group != c->ike.v[0].group) {
				conf_diag_add(
					d, conf_conn_file(conf, c), c->line,
					"conn '%s': aggressive=yes sends one KE payload, so every ike= proposal must use the same DH group (found %s and %s)",
					c->name, conf_group_name(c->ike.v[0].group),
					conf_group_name(c->ike.v[i].group));
				break;
			}
	if (c->forceencaps && !c->natt_methods)
		conf_diag_add(d, conf_conn_file(conf, c), c->line,
			      "conn '%s': forceencaps=yes needs NAT traversal (natt_methods=none)",
			      c->name);
}

/* type=passthrough|drop|reject: a policy between the two ends' networks,
 * no IKE: no peer, no secret, no timers. */
static void check_shunt(const struct conf *conf, const struct conf_conn *c, struct conf_diag *d)
{
	const struct conf_end *ends[2] = { &c->left, &c->right };
	const char *side[2] = { "left", "right" };

	for (int i = 0; i < 2; i++)
		if (!ends[i]->n_subnets && ends[i]->host.kind != CONF_HOST_ADDR)
			conf_diag_add(
				d, conf_conn_file(conf, c), c->line,
				"conn '%s': type=%s needs %ssubnet= (or %s=ADDRESS): the networks its policy covers",
				c->name, conf_shunt_name(c->shunt), side[i], side[i]);
}

int conf_validate(const struct conf *conf, const struct conf_secrets *secrets,
		  struct conf_diag *diag)
{
	size_t before = diag->n + diag->dropped, i;

	for (i = 0; i < conf->n_conns; i++) {
		const struct conf_conn *c = &conf->conns[i];

		if (c->autostart == CONF_AUTO_IGNORE)
			continue;
		if (c->shunt) {
			check_shunt(conf, c, diag);
			check_subnets(conf, c, diag);
			continue;
		}
		if (c->authby == CONF_AUTHBY_NEVER) {
			conf_diag_add(
				diag, conf_conn_file(conf, c), c->line,
				"conn '%s': authby=never is for type=passthrough, drop or reject (a conn without IKE)",
				c->name);
			continue;
		}
		check_ends(conf, c, diag);
		check_subnets(conf, c, diag);
		check_auth(conf, c, secrets, diag);
		check_timers(conf, c, diag);
		check_algorithms(conf, c, diag);
	}
	conf_modecfg_validate(conf, secrets, diag);
	return diag->n + diag->dropped != before ? -EINVAL : 0;
}
