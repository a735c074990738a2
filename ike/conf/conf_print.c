// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The effective configuration, in ipsec.conf syntax, for
 * `natkeyd --check-config`. Every key is written, so the output is also the
 * canonical form conf_diff() compares, and it parses back to the same model
 * (tests/ike/conf/check_conf.c checks print(parse(print(x))) == print(x)).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ike/conf/conf_internal.h"
#include "ike/conf/conf_secrets.h"

static const char *time_format(uint32_t s, char *buf, size_t len)
{
	if (s && s % 86400 == 0)
		snprintf(buf, len, "%ud", s / 86400);
	else if (s && s % 3600 == 0)
		snprintf(buf, len, "%uh", s / 3600);
	else if (s && s % 60 == 0)
		snprintf(buf, len, "%um", s / 60);
	else
		snprintf(buf, len, "%us", s);
	return buf;
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* A '#' would start a comment when the output is parsed back. */
static void value_print(FILE *out, const char *side, const char *key, const char *value)
{
	const char *q = strchr(value, '#') ? "\"" : "";

	fprintf(out, "\t%s%s=%s%s%s\n", side, key, q, value, q);
}

/* "10.0.0.0/8,192.168.0.0/16", each network prefixed by @pfx. */
static void subnets_print(const struct conf_subnet *v, size_t n, const char *pfx, FILE *out)
{
	char buf[64];

	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s%s/%u", i ? "," : "", pfx,
			conf_addr_format(&v[i].addr, buf, sizeof(buf)), v[i].prefix);
}

static void end_print(const char *side, const struct conf_end *e, FILE *out)
{
	char buf[CONF_ID_MAX + 3];
	size_t i;

	/* What the daemon resolved, as a comment: the value stays as written. */
	if ((e->host.kind == CONF_HOST_NAME || e->host.kind == CONF_HOST_DEFAULTROUTE) &&
	    e->host.resolved.family)
		fprintf(out, "\t# %s=%s resolves to %s\n", side,
			e->host.kind == CONF_HOST_NAME ? e->host.name : "%defaultroute",
			conf_addr_format(&e->host.resolved, buf, sizeof(buf)));
	switch (e->host.kind) {
	case CONF_HOST_UNSET:
		break;
	case CONF_HOST_ANY:
		fprintf(out, "\t%s=%%any\n", side);
		break;
	case CONF_HOST_DEFAULTROUTE:
		fprintf(out, "\t%s=%%defaultroute\n", side);
		break;
	case CONF_HOST_ADDR:
		fprintf(out, "\t%s=%s\n", side, conf_addr_format(&e->host.addr, buf, sizeof(buf)));
		break;
	case CONF_HOST_NAME:
		fprintf(out, "\t%s=%s\n", side, e->host.name);
		break;
	}
	if (e->id.type == CONF_ID_USER_FQDN)
		value_print(out, side, "id", e->id.value);
	else if (e->id.type != CONF_ID_NONE)
		fprintf(out, "\t%sid=%s\n", side, conf_id_format(&e->id, buf, sizeof(buf)));
	if (e->subnet_kind != CONF_SUBNET_LIST) {
		/* The folded virtual-private= networks as a comment, so that a
		 * changed virtual-private= changes the conn (conf_diff()). */
		if (e->n_subnets || e->n_excludes) {
			fprintf(out, "\t# %ssubnet=%s%%priv allows ", side,
				e->subnet_kind == CONF_SUBNET_VHOST ? "vhost:" : "vnet:");
			subnets_print(e->subnets, e->n_subnets, "", out);
			if (e->n_excludes) {
				fprintf(out, " except ");
				subnets_print(e->excludes, e->n_excludes, "", out);
			}
			fputc('\n', out);
		}
		fprintf(out, "\t%ssubnet=%s%s%s%s\n", side,
			e->subnet_kind == CONF_SUBNET_VHOST ? "vhost:" : "vnet:",
			e->subnet_priv ? "%priv" : "", e->subnet_priv && e->subnet_no ? "," : "",
			e->subnet_no ? "%no" : "");
	} else if (e->n_subnets) {
		fprintf(out, "\t%ssubnet=", side);
		for (i = 0; i < e->n_subnets; i++)
			fprintf(out, "%s%s/%u", i ? "," : "",
				conf_addr_format(&e->subnets[i].addr, buf, sizeof(buf)),
				e->subnets[i].prefix);
		fputc('\n', out);
	}
	if (e->cert[0])
		value_print(out, side, "cert", e->cert);
	if (e->ca[0])
		fprintf(out, "\t%sca=\"%s\"\n", side, e->ca);
	if (e->protoport.proto || e->protoport.port) {
		if (e->protoport.port)
			fprintf(out, "\t%sprotoport=%u/%u\n", side, e->protoport.proto,
				e->protoport.port);
		else
			fprintf(out, "\t%sprotoport=%u\n", side, e->protoport.proto);
	}
}

int conf_conn_print(const struct conf_conn *c, FILE *out)
{
	char buf[1024];

	fprintf(out, "conn %s\n", c->name);
	fprintf(out, "\tauto=%s\n", conf_auto_name(c->autostart));
	fprintf(out, "\tkeyexchange=ikev1\n");
	if (c->xauth_authby) /* XAUTH on top of Phase 1 (conf_modecfg.c) */
		fprintf(out, "\tauthby=%s\n",
			c->hybrid			  ? "hybridrsasig"
			: c->authby == CONF_AUTHBY_RSASIG ? "xauthrsasig"
							  : "xauthpsk");
	else
		fprintf(out, "\tauthby=%s\n", conf_authby_name(c->authby));
	fprintf(out, "\ttype=%s\n", c->shunt ? conf_shunt_name(c->shunt) : conf_mode_name(c->mode));
	end_print("left", &c->left, out);
	end_print("right", &c->right, out);
	fprintf(out, "\tike=%s\n", conf_proposals_format(&c->ike, buf, sizeof(buf)));
	fprintf(out, "\tesp=%s\n", conf_proposals_format(&c->esp, buf, sizeof(buf)));
	fprintf(out, "\tikelifetime=%s\n", time_format(c->ikelifetime, buf, sizeof(buf)));
	fprintf(out, "\tlifetime=%s\n", time_format(c->lifetime, buf, sizeof(buf)));
	fprintf(out, "\trekeymargin=%s\n", time_format(c->rekeymargin, buf, sizeof(buf)));
	fprintf(out, "\trekeyfuzz=%u%%\n", c->rekeyfuzz);
	fprintf(out, "\tlifebytes=%llu\n", (unsigned long long)c->lifebytes);
	fprintf(out, "\tmarginbytes=%llu\n", (unsigned long long)c->marginbytes);
	fprintf(out, "\tcommitbit=%s\n", yes_no(c->commitbit));
	fprintf(out, "\tsha2-truncbug=%s\n", yes_no(c->sha2_truncbug));
	fprintf(out, "\tpfs=%s\n", yes_no(c->pfs));
	fprintf(out, "\taggressive=%s\n", yes_no(c->aggressive));
	fprintf(out, "\taggressive_psk_responder=%s\n", yes_no(c->aggressive_psk_responder));
	fprintf(out, "\tforceencaps=%s\n", yes_no(c->forceencaps));
	fprintf(out, "\tnatt_methods=%s\n", conf_natt_methods_format(c->natt_methods));
	if (c->nat_keepalive_auto)
		fprintf(out, "\tnat_keepalive=auto\n");
	else
		fprintf(out, "\tnat_keepalive=%s\n",
			time_format(c->nat_keepalive, buf, sizeof(buf)));
	/* Only when not the default: older configurations print as before. */
	if (c->nat_keepalive_max != 120)
		fprintf(out, "\tnat_keepalive_max=%s\n",
			time_format(c->nat_keepalive_max, buf, sizeof(buf)));
	if (c->nat_binding_lifetime_natcheck)
		fprintf(out, "\tnat_binding_lifetime=natcheck\n");
	else if (c->nat_binding_lifetime)
		fprintf(out, "\tnat_binding_lifetime=%s\n",
			time_format(c->nat_binding_lifetime, buf, sizeof(buf)));
	fprintf(out, "\tdpddelay=%s\n", time_format(c->dpddelay, buf, sizeof(buf)));
	fprintf(out, "\tdpdtimeout=%s\n", time_format(c->dpdtimeout, buf, sizeof(buf)));
	fprintf(out, "\tdpdaction=%s\n", conf_dpd_action_name(c->dpdaction));
	fprintf(out, "\tfragmentation=%s\n", conf_fragmentation_name(c->fragmentation));
	fprintf(out, "\tfragment_size=%u\n", c->fragment_size);
	fprintf(out, "\trekey=%s\n", yes_no(c->rekey));
	if (c->keyingtries)
		fprintf(out, "\tkeyingtries=%u\n", c->keyingtries);
	else
		fprintf(out, "\tkeyingtries=%%forever\n");
	if (c->updown[0])
		value_print(out, "left", "updown", c->updown);
	fprintf(out, "\tleftfirewall=%s\n", yes_no(c->firewall));
	/* Folded from config setup; a comment, so that a changed value still
	 * changes this text (conf_diff()). */
	fprintf(out, "\t# uniqueids=%s\n", conf_uniqueids_name(c->uniqueids));
	/* Only when not the default: the printed text of older configurations
	 * stays the same. */
	if (c->sendcert != CONF_SENDCERT_ALWAYS)
		fprintf(out, "\tleftsendcert=%s\n", conf_sendcert_name(c->sendcert));
	if (c->crlpolicy != CONF_CRL_NO)
		fprintf(out, "\t# strictcrlpolicy=%s\n", conf_crlpolicy_name(c->crlpolicy));
	if (c->ocspuri[0])
		value_print(out, "", "ocspuri", c->ocspuri);
	conf_modecfg_print(c, out);
	return ferror(out) ? -EIO : 0;
}

int conf_print(const struct conf *conf, FILE *out)
{
	char buf[32];
	size_t i;

	fprintf(out, "# natkeyd effective configuration of %s\n", conf->file);
	fprintf(out, "config setup\n");
	fprintf(out, "\tallow-legacy-algorithms=%s\n", yes_no(conf->setup.allow_legacy));
	fprintf(out, "\tnat_traversal=%s\n", yes_no(conf->setup.natt_methods != 0));
	if (conf->setup.keepalive_auto)
		fprintf(out, "\tkeep-alive=auto\n");
	else
		fprintf(out, "\tkeep-alive=%s\n",
			time_format(conf->setup.keepalive, buf, sizeof(buf)));
	if (conf->setup.binding_lifetime_natcheck)
		fprintf(out, "\tnat-binding-lifetime=natcheck\n");
	else if (conf->setup.binding_lifetime)
		fprintf(out, "\tnat-binding-lifetime=%s\n",
			time_format(conf->setup.binding_lifetime, buf, sizeof(buf)));
	fprintf(out, "\tmax-halfopen-ike=%u\n", conf->setup.max_halfopen);
	fprintf(out, "\tmax-halfopen-ike-per-source=%u\n", conf->setup.halfopen_per_source);
	fprintf(out, "\tddos-ike-threshold=%u\n",
		conf->setup.ddos_threshold
			? conf->setup.ddos_threshold
			: (conf->setup.max_halfopen / 2 ? conf->setup.max_halfopen / 2 : 1));
	fprintf(out, "\thalf-open-timeout=%s\n",
		time_format(conf->setup.halfopen_timeout, buf, sizeof(buf)));
	fprintf(out, "\tike-socket-bufsize=%u\n", conf->setup.ike_socket_bufsize);
	if (conf->setup.crypto_workers >= 0) /* default: one per CPU */
		fprintf(out, "\tcrypto-workers=%d\n", (int)conf->setup.crypto_workers);
	fprintf(out, "\tvirtual-private=");
	for (i = 0; i < conf->setup.n_vp; i++) {
		const struct conf_subnet *v = &conf->setup.vp[i];
		char a[64];

		fprintf(out, "%s%%v%c:%s%s/%u", i ? "," : "",
			v->addr.family == AF_INET6 ? '6' : '4',
			conf->setup.vp_exclude[i] ? "!" : "",
			conf_addr_format(&v->addr, a, sizeof(a)), v->prefix);
	}
	fputc('\n', out);
	fprintf(out, "\tuniqueids=%s\n", conf_uniqueids_name(conf->setup.uniqueids));
	if (conf->setup.crlpolicy != CONF_CRL_NO)
		fprintf(out, "\tstrictcrlpolicy=%s\n", conf_crlpolicy_name(conf->setup.crlpolicy));
	if (conf->setup.n_interfaces) {
		fprintf(out, "\tinterfaces=\"");
		for (i = 0; i < conf->setup.n_interfaces; i++)
			fprintf(out, "%s%s", i ? " " : "", conf->setup.interfaces[i]);
		fprintf(out, "\"\n");
	}
	for (i = 0; i < conf->n_conns; i++) {
		fputc('\n', out);
		if (conf->conns[i].autostart == CONF_AUTO_IGNORE)
			fprintf(out, "# auto=ignore: not loaded\n");
		conf_conn_print(&conf->conns[i], out);
	}
	return ferror(out) ? -EIO : 0;
}

int conf_check_files(const char *conf_path, const char *secrets_path, FILE *out, FILE *err)
{
	struct conf_secrets *secrets = NULL;
	struct conf *conf = NULL;
	struct conf_diag diag;
	int rc, rc2;

	rc = conf_load_file(conf_path, &conf, &diag);
	if (rc < 0) {
		conf_diag_print(&diag, err);
		return rc;
	}
	rc = conf_secrets_load_file(secrets_path, &secrets, &diag);
	if (rc < 0) {
		conf_diag_print(&diag, err);
		goto out;
	}
	memset(&diag, 0, sizeof(diag));
	rc = conf_validate(conf, secrets, &diag);
	if (rc < 0) {
		conf_diag_print(&diag, err);
		goto out;
	}
	/* The warnings: on @err, and as comments above the effective
	 * configuration (not part of it: print(parse(print(x))) holds). */
	conf_notes_print(conf, "", err);
	conf_notes_print(conf, "# ", out);
	rc = conf_print(conf, out);
	fprintf(out, "\n# %s: %zu entries\n", secrets->file, secrets->n);
	rc2 = conf_secrets_print(secrets, out);
	if (rc == 0)
		rc = rc2;
out:
	conf_secrets_free(secrets);
	conf_free(conf);
	return rc;
}
