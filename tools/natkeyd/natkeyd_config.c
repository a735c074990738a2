// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loading the configuration: ipsec.conf and ipsec.secrets read, resolved
 * and checked, turned into engine connections; --check-config; reload,
 * which applies the difference to the running connections. Below the
 * control socket and the main loop, which both call it
 * (docs/architecture.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "tools/natkeyd/natkeyd.h"
#include "tools/natkeyd/natkeyd_cred.h"
#include "natt/natcheck_state.h"
#include "tools/natkeyd/natkeyd_log.h"
#include "tools/natkeyd/natkeyd_natcheck.h"
#include "tools/natkeyd/natkeyd_os.h"

/* Load and check configuration and secrets; on error, @err holds ONE line. */
int nkd_config_load(const struct nkd_opts *o, struct conf **confp, struct conf_secrets **secp,
		    struct conf_diag *diag, char *err, size_t err_len)
{
	struct conf *conf = NULL;
	struct conf_secrets *sec = NULL;
	int rc;

	*confp = NULL;
	*secp = NULL;
	memset(diag, 0, sizeof(*diag));
	rc = conf_load_file(o->conf_path, &conf, diag);
	if (rc < 0)
		goto diag_err;
	/* Names and %defaultroute before the checks: identities and PSK
	 * lookups default to the resolved addresses. */
	rc = nkd_conf_resolve(conf, &nkd_os_resolver, err, err_len);
	if (rc < 0) {
		conf_free(conf);
		return rc;
	}
	rc = conf_secrets_load_file(o->secrets_path, &sec, diag);
	if (rc < 0)
		goto diag_err;
	rc = conf_validate(conf, sec, diag);
	if (rc < 0)
		goto diag_err;
	*confp = conf;
	*secp = sec;
	return 0;
diag_err:
	if (diag->n)
		snprintf(err, err_len, "%s%s", diag->msg[0],
			 diag->n + diag->dropped > 1
				 ? " (and more: natkeyd --check-config lists all)"
				 : "");
	else
		snprintf(err, err_len, "%s: %s", o->conf_path, strerror(-rc));
	conf_free(conf);
	conf_secrets_free(sec);
	return rc < 0 ? rc : -EINVAL;
}

/* The warnings of a configuration about to run (accepted foreign keys). */
void nkd_conf_notes_log(const struct conf *conf)
{
	for (size_t i = 0; i < conf->notes.n; i++)
		nkd_log(NKD_MOD_CONF, NKD_WARN, "%s", conf->notes.msg[i]);
	if (conf->notes.dropped)
		nkd_log(NKD_MOD_CONF, NKD_WARN, "(%zu more warnings: natkeyd --check-config)",
			conf->notes.dropped);
}

/* Drop the daemon's credential references and wipe the PSKs. */
void nkd_conns_free(struct ike_conn_cfg *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		nkd_creds_free(&v[i]);
	OPENSSL_cleanse(v, (n ? n : 1) * sizeof(*v));
	free(v);
}

/* nkd_conn_notes()'s warnings, one log line each. */
static void notes_log(const struct conf_conn *cc, const struct ike_conn_cfg *cfg)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	if (!w)
		return;
	nkd_conn_notes(cc, cfg, NULL, w);
	fclose(w);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		nkd_log(NKD_MOD_CONF, NKD_WARN, "%s", line);
	free(buf);
}

/* nat_binding_lifetime=natcheck: the state file's lifetime, or one line
 * saying why not (the conn runs without one). */
static void natcheck_apply(const struct conf_conn *cc, struct ike_conn_cfg *o)
{
	char msg[NKD_ERR_MAX];
	int rc = nkd_natcheck_apply(cc, NATCHECK_STATE_FILE, (uint64_t)time(NULL), o, msg,
				    sizeof(msg));

	if (rc)
		nkd_log(NKD_MOD_CONF, rc > 0 ? NKD_INFO : NKD_WARN, "%s", msg);
}

/* Translate every loaded conn; all must pass before anything is applied. */
int nkd_conns_build(const struct conf *conf, const struct conf_secrets *sec, const char *cacerts,
		    struct ike_conn_cfg **out, char *err, size_t err_len)
{
	struct ike_conn_cfg *v = calloc(conf->n_conns ? conf->n_conns : 1, sizeof(*v));

	*out = NULL;
	if (!v) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < conf->n_conns; i++) {
		char warn[NKD_ERR_MAX];

		if (conf->conns[i].autostart == CONF_AUTO_IGNORE || conf->conns[i].shunt)
			continue; /* shunts: policies only (nkd_shunt_policies()) */
		if (nkd_conn_build(&conf->conns[i], sec, nkd_conn_reqid(0), &v[i], warn,
				   sizeof(warn)) < 0 ||
		    nkd_creds_load(&conf->conns[i], sec, cacerts, &v[i], warn, sizeof(warn)) < 0) {
			snprintf(err, err_len, "%s: %s", conf->file, warn);
			nkd_conns_free(v, conf->n_conns);
			return -EINVAL;
		}
		/* Several subnets per side: the pairs must fit too. */
		if (conf->conns[i].left.n_subnets > 1 || conf->conns[i].right.n_subnets > 1) {
			struct ike_conn_cfg *pc = calloc(NKD_PAIRS_MAX, sizeof(*pc));
			char perr[NKD_ERR_MAX];
			int n = pc ? nkd_conn_pairs(&conf->conns[i], &v[i], 0, pc, perr,
						    sizeof(perr))
				   : -ENOMEM;

			if (pc)
				OPENSSL_cleanse(pc, NKD_PAIRS_MAX * sizeof(*pc));
			free(pc);
			if (n < 0) {
				snprintf(err, err_len, "%s: %s", conf->file,
					 n == -ENOMEM ? "out of memory" : perr);
				nkd_conns_free(v, conf->n_conns);
				return n;
			}
		}
		if (warn[0])
			nkd_log(NKD_MOD_CONF, NKD_WARN, "%s", warn);
		notes_log(&conf->conns[i], &v[i]);
		natcheck_apply(&conf->conns[i], &v[i]);
		/* The legacy opt-in lives in config setup, not in the conn. */
		v[i].allow_legacy = conf->setup.allow_legacy;
	}
	*out = v;
	return 0;
}

/* --check-config: every file read (include lines name more), one a line. */
static void files_read_print(const char *what, char *const *files, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "# read %s: %s%s\n", what, files[i], i ? " (included)" : "");
}

int nkd_check_config(const struct nkd_opts *o)
{
	struct conf *conf;
	struct conf_secrets *sec;
	struct conf_diag diag;
	struct ike_conn_cfg *v;
	char err[CONF_DIAG_LEN + 512];

	if (nkd_config_load(o, &conf, &sec, &diag, err, sizeof(err)) < 0) {
		if (diag.n)
			conf_diag_print(&diag, stderr);
		else
			fprintf(stderr, "natkeyd: %s\n", err);
		return 1;
	}
	if (nkd_conns_build(conf, sec, o->cacerts, &v, err, sizeof(err)) < 0) {
		conf_notes_print(conf, "", stderr);
		fprintf(stderr, "natkeyd: %s\n", err);
		conf_free(conf);
		conf_secrets_free(sec);
		return 1;
	}
	/* Accepted foreign keys: one line each, and again in the output. */
	conf_notes_print(conf, "", stderr);
	files_read_print("ipsec.conf", conf->files, conf->n_files, stdout);
	files_read_print("ipsec.secrets", sec->files, sec->n_files, stdout);
	conf_notes_print(conf, "# ", stdout);
	conf_print(conf, stdout);
	fputc('\n', stdout);
	for (size_t i = 0; i < conf->n_conns; i++) {
		char m[NKD_ERR_MAX];

		if (conf->conns[i].autostart == CONF_AUTO_IGNORE)
			continue;
		nkd_conn_notes(&conf->conns[i], &v[i], stdout, stderr);
		/* nat_binding_lifetime=natcheck: what the conn would start with. */
		if (nkd_natcheck_apply(&conf->conns[i], NATCHECK_STATE_FILE, (uint64_t)time(NULL),
				       &v[i], m, sizeof(m)))
			printf("# %s\n", m);
	}
	nkd_conns_free(v, conf->n_conns);
	conf_secrets_print(sec, stdout);
	conf_free(conf);
	conf_secrets_free(sec);
	return 0;
}

int nkd_reload(struct nkd *d, char *msg, size_t msg_len)
{
	struct conf *conf;
	struct conf_secrets *sec;
	struct conf_diag diag;
	struct conf_diff diff;
	struct ike_conn_cfg *v;
	unsigned added = 0, removed = 0, changed = 0, kept = 0;
	char err[CONF_DIAG_LEN + 512];
	int rc;

	nkd_sd_notify("RELOADING=1");
	rc = nkd_config_load(&d->o, &conf, &sec, &diag, err, sizeof(err));
	if (rc == 0) {
		rc = nkd_conns_build(conf, sec, d->o.cacerts, &v, err, sizeof(err));
		if (rc < 0) {
			conf_free(conf);
			conf_secrets_free(sec);
		}
	}
	if (rc < 0) {
		snprintf(msg, msg_len, "reload refused, the running configuration stays: %s", err);
		nkd_log(NKD_MOD_CONF, NKD_ERROR, "%s", msg);
		nkd_sd_notify("READY=1");
		return rc;
	}
	nkd_conf_notes_log(conf);
	rc = conf_diff(d->conf, conf, d->secrets, sec, &diff);
	if (rc < 0) {
		snprintf(msg, msg_len, "reload: %s", strerror(-rc));
		nkd_conns_free(v, conf->n_conns);
		conf_free(conf);
		conf_secrets_free(sec);
		nkd_sd_notify("READY=1");
		return rc;
	}
	for (size_t i = 0; i < diff.n; i++) {
		const struct conf_diff_entry *e = &diff.v[i];
		struct nkd_conn *c = nkd_conn_find(d, e->name);

		if (e->kind == CONF_DIFF_REMOVED || e->kind == CONF_DIFF_CHANGED) {
			if (c)
				nkd_conn_unload(d, c);
			c = NULL;
			if (e->kind == CONF_DIFF_REMOVED)
				removed++;
		}
		if (e->kind == CONF_DIFF_UNCHANGED) {
			kept++;
			continue;
		}
		if (e->kind == CONF_DIFF_ADDED || e->kind == CONF_DIFF_CHANGED) {
			for (size_t k = 0; k < conf->n_conns; k++) {
				const struct conf_conn *cc = &conf->conns[k];

				if (strcmp(cc->name, e->name) || cc->autostart == CONF_AUTO_IGNORE)
					continue;
				nkd_conn_load(d, cc, &v[k]);
			}
			if (e->kind == CONF_DIFF_ADDED)
				added++;
			else
				changed++;
		}
	}
	conf_diff_free(&diff);
	nkd_conns_free(v, conf->n_conns);
	conf_free(d->conf);
	conf_secrets_free(d->secrets);
	d->conf = conf;
	d->secrets = sec;
	if (d->halfopen) {
		struct ike_halfopen_cfg hcfg;

		nkd_halfopen_cfg(&conf->setup, &hcfg);
		ike_halfopen_configure(d->halfopen, &hcfg);
	}
	snprintf(msg, msg_len,
		 "reloaded %s: %u added, %u removed, %u changed (re-established), %u unchanged "
		 "(kept up)",
		 d->o.conf_path, added, removed, changed, kept);
	nkd_log(NKD_MOD_CONF, NKD_INFO, "%s", msg);
	nkd_sd_notify("READY=1");
	return 0;
}
