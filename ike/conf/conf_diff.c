// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reload diff. Equality of two conns is equality of their canonical printed
 * form (conf_conn_print() writes every setting), which avoids comparing
 * structs with padding and cannot miss a field the printer shows; plus the
 * PSK each resolves to, compared in constant time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/conf/conf_internal.h"
#include "ike/conf/conf_secrets.h"

static char *conn_text(const struct conf_conn *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (conf_conn_print(c, f) < 0) {
		fclose(f);
		free(buf);
		return NULL;
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static const struct conf_secret *conn_psk(const struct conf_conn *c,
					  const struct conf_secrets *secrets)
{
	struct conf_id local, remote;

	if (c->authby != CONF_AUTHBY_PSK || !secrets)
		return NULL;
	conf_conn_local_id(c, &local);
	conf_conn_remote_id(c, &remote);
	return conf_secrets_find_psk(secrets, &local, &remote);
}

static bool psk_same(const struct conf_secret *a, const struct conf_secret *b)
{
	if (!a || !b)
		return a == b;
	return a->psk_len == b->psk_len && CRYPTO_memcmp(a->psk, b->psk, a->psk_len) == 0;
}

/* Returns 1 when equal, 0 when different, -ENOMEM. */
static int conn_same(const struct conf_conn *a, const struct conf_conn *b,
		     const struct conf_secrets *sa, const struct conf_secrets *sb)
{
	char *ta = conn_text(a), *tb = conn_text(b);
	int rc;

	if (!ta || !tb)
		rc = -ENOMEM;
	else
		rc = !strcmp(ta, tb) && psk_same(conn_psk(a, sa), conn_psk(b, sb));
	free(ta);
	free(tb);
	return rc;
}

int conf_diff(const struct conf *old_conf, const struct conf *new_conf,
	      const struct conf_secrets *old_secrets, const struct conf_secrets *new_secrets,
	      struct conf_diff *out)
{
	size_t i, n = 0;

	memset(out, 0, sizeof(*out));
	out->v = calloc(old_conf->n_conns + new_conf->n_conns + 1, sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	for (i = 0; i < old_conf->n_conns; i++)
		if (!conf_conn_find(new_conf, old_conf->conns[i].name)) {
			out->v[n].name = old_conf->conns[i].name;
			out->v[n++].kind = CONF_DIFF_REMOVED;
		}
	for (i = 0; i < new_conf->n_conns; i++) {
		const struct conf_conn *c = &new_conf->conns[i];
		const struct conf_conn *o = conf_conn_find(old_conf, c->name);
		int same;

		out->v[n].name = c->name;
		if (!o) {
			out->v[n++].kind = CONF_DIFF_ADDED;
			continue;
		}
		same = conn_same(o, c, old_secrets, new_secrets);
		if (same < 0) {
			conf_diff_free(out);
			return same;
		}
		out->v[n++].kind = same ? CONF_DIFF_UNCHANGED : CONF_DIFF_CHANGED;
	}
	out->n = n;
	out->setup_changed =
		old_conf->setup.allow_legacy != new_conf->setup.allow_legacy ||
		old_conf->setup.natt_methods != new_conf->setup.natt_methods ||
		old_conf->setup.keepalive != new_conf->setup.keepalive ||
		old_conf->setup.keepalive_auto != new_conf->setup.keepalive_auto ||
		old_conf->setup.max_halfopen != new_conf->setup.max_halfopen ||
		old_conf->setup.halfopen_per_source != new_conf->setup.halfopen_per_source ||
		old_conf->setup.ddos_threshold != new_conf->setup.ddos_threshold ||
		old_conf->setup.halfopen_timeout != new_conf->setup.halfopen_timeout ||
		old_conf->setup.uniqueids != new_conf->setup.uniqueids ||
		old_conf->setup.n_interfaces != new_conf->setup.n_interfaces ||
		memcmp(old_conf->setup.interfaces, new_conf->setup.interfaces,
		       sizeof(old_conf->setup.interfaces)) != 0;
	return 0;
}

void conf_diff_free(struct conf_diff *diff)
{
	free(diff->v);
	memset(diff, 0, sizeof(*diff));
}

const char *conf_diff_kind_name(enum conf_diff_kind kind)
{
	switch (kind) {
	case CONF_DIFF_ADDED:
		return "added";
	case CONF_DIFF_REMOVED:
		return "removed";
	case CONF_DIFF_CHANGED:
		return "changed";
	case CONF_DIFF_UNCHANGED:
		return "unchanged";
	}
	return "?";
}
