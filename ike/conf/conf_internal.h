/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared between the ipsec.conf lexer/resolver (conf_parse.c) and the key
 * table (conf_keys.c). Not part of the config API.
 */
#ifndef NATKEYD_IKE_CONF_INTERNAL_H
#define NATKEYD_IKE_CONF_INTERNAL_H

#include "ike/conf/conf.h"

#define CONF_WHY_LEN 256

/* Where a key may appear. */
enum conf_scope {
	CONF_SCOPE_SETUP,
	CONF_SCOPE_CONN,
};

/* Setters turn a value into the model. "" restores the default. They return
 * 0, -EINVAL with a reason, or CONF_NOTE when the value is accepted with
 * no effect or another effect than in strongSwan/Libreswan: @why then says
 * what natkeyd does instead (the caller adds file, line and key). */
#define CONF_NOTE 1

typedef int (*conf_setup_setter)(struct conf_setup *s, const char *v, char *why, size_t why_len);
typedef int (*conf_conn_setter)(struct conf_conn *c, struct conf_end *end, const char *v,
				const struct conf_setup *s, char *why, size_t why_len);

struct conf_enum_name;

/* A key is set by its setter, or (no setter) by its table of words: the
 * word's value stored at @offset of struct conf_setup or struct conf_conn
 * (by @scope), @def for "", and "expected a, b or c" for anything else. */
struct conf_key {
	const char *name;
	enum conf_scope scope;
	conf_setup_setter set_setup;
	conf_conn_setter set_conn;
	int side; /* 0: none, 1: left, 2: right */
	const struct conf_enum_name *names;
	size_t n_names;
	int def;
	size_t offset;
};

/**
 * conf_key_lookup() - the supported key @name, or NULL.
 */
const struct conf_key *conf_key_lookup(const char *name);

/**
 * conf_key_unsupported() - if @name is a strongSwan/Libreswan key natkeyd
 * does not implement, the reason (for the error message); else NULL.
 */
const char *conf_key_unsupported(const char *name);

/**
 * conf_key_suggest() - the supported key of @scope closest to @name (edit
 * distance at most 2, or a third of its length), or NULL.
 */
const char *conf_key_suggest(const char *name, enum conf_scope scope);

/**
 * conf_key_apply_conn() - apply @key=@value to @c, choosing the end by side.
 */
int conf_key_apply_conn(const struct conf_key *key, struct conf_conn *c, const char *value,
			const struct conf_setup *s, char *why, size_t why_len);

/**
 * conf_key_apply_setup() - apply the `config setup` @key=@value to @s.
 */
int conf_key_apply_setup(const struct conf_key *key, struct conf_setup *s, const char *value,
			 char *why, size_t why_len);

/**
 * conf_conn_set_defaults() - the built-in defaults (every setter with "").
 */
void conf_conn_set_defaults(struct conf_conn *c, const struct conf_setup *s);

/**
 * conf_setup_set_defaults() - the built-in `config setup` defaults.
 */
void conf_setup_set_defaults(struct conf_setup *s);

/**
 * conf_natt_methods_format() - "rfc,draft", "rfc", "draft" or "none".
 */
const char *conf_natt_methods_format(unsigned methods);

/* Mode Config and XAUTH keys (conf_modecfg.c): setters for the key table,
 * the whole-config checks, and the printer of the non-default values. */
int conf_set_sourceip(struct conf_conn *c, struct conf_end *e, const char *v,
		      const struct conf_setup *s, char *why, size_t why_len);
int conf_set_addresspool(struct conf_conn *c, struct conf_end *e, const char *v,
			 const struct conf_setup *s, char *why, size_t why_len);
int conf_set_xauthserver(struct conf_conn *c, struct conf_end *e, const char *v,
			 const struct conf_setup *s, char *why, size_t why_len);
int conf_set_xauthclient(struct conf_conn *c, struct conf_end *e, const char *v,
			 const struct conf_setup *s, char *why, size_t why_len);
int conf_set_modecfgserver(struct conf_conn *c, struct conf_end *e, const char *v,
			   const struct conf_setup *s, char *why, size_t why_len);
int conf_set_modecfgclient(struct conf_conn *c, struct conf_end *e, const char *v,
			   const struct conf_setup *s, char *why, size_t why_len);
int conf_set_xauth(struct conf_conn *c, struct conf_end *e, const char *v,
		   const struct conf_setup *s, char *why, size_t why_len);
int conf_set_xauthby(struct conf_conn *c, struct conf_end *e, const char *v,
		     const struct conf_setup *s, char *why, size_t why_len);
int conf_set_pam_service(struct conf_conn *c, struct conf_end *e, const char *v,
			 const struct conf_setup *s, char *why, size_t why_len);
int conf_set_xauth_identity(struct conf_conn *c, struct conf_end *e, const char *v,
			    const struct conf_setup *s, char *why, size_t why_len);
int conf_set_modeconfig(struct conf_conn *c, struct conf_end *e, const char *v,
			const struct conf_setup *s, char *why, size_t why_len);
int conf_set_modecfgpull(struct conf_conn *c, struct conf_end *e, const char *v,
			 const struct conf_setup *s, char *why, size_t why_len);
int conf_set_cisco_unity(struct conf_conn *c, struct conf_end *e, const char *v,
			 const struct conf_setup *s, char *why, size_t why_len);
int conf_set_modecfgdns(struct conf_conn *c, struct conf_end *e, const char *v,
			const struct conf_setup *s, char *why, size_t why_len);
int conf_set_modecfgdomains(struct conf_conn *c, struct conf_end *e, const char *v,
			    const struct conf_setup *s, char *why, size_t why_len);
int conf_set_modecfgbanner(struct conf_conn *c, struct conf_end *e, const char *v,
			   const struct conf_setup *s, char *why, size_t why_len);

struct conf_secrets;

/**
 * conf_modecfg_validate() - the XAUTH/Mode Config checks of conf_validate():
 * roles that contradict, a Mode Config server without a pool, pools that
 * overlap a protected subnet (any loaded conn's leftsubnet other than a /0)
 * or another conn's pool (natkeyd leases per conn: no sharing), XAUTH users
 * missing from @secrets (when given).
 */
void conf_modecfg_validate(const struct conf *conf, const struct conf_secrets *secrets,
			   struct conf_diag *diag);

/**
 * conf_modecfg_print() - the XAUTH/Mode Config keys of @c whose value is not
 * the default (so configs without them print as before).
 */
void conf_modecfg_print(const struct conf_conn *c, FILE *out);

/* Names of enum values as the config writes them. */
const char *conf_auto_name(enum conf_auto a);
const char *conf_authby_name(enum conf_authby a);
const char *conf_mode_name(enum conf_mode m);
const char *conf_dpd_action_name(enum conf_dpd_action a);
const char *conf_fragmentation_name(enum conf_fragmentation f);
const char *conf_shunt_name(enum conf_shunt s);

/**
 * conf_key_ignored() - if @name is a strongSwan/Libreswan key of @scope that
 * natkeyd accepts without effect, what natkeyd does instead (for the
 * warning); else NULL. @value may turn it into an error: then *@err is set
 * to the reason and NULL is returned.
 */
const char *conf_key_ignored(const char *name, enum conf_scope scope, const char *value,
			     const char **err);

#endif
