// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ike= / esp= proposal strings. The algorithm names are data: one table per
 * kind, canonical name first, then the strongSwan and Libreswan aliases.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ike/conf/conf.h"
#include "ike/conf/conf_proposal.h"

enum alg_kind {
	ALG_ENCR,
	ALG_INTEG,
	ALG_GROUP
};

struct alg_name {
	const char *name;
	enum alg_kind kind;
	int value;
	bool legacy;
	bool canonical; /* the name conf_*_name() prints */
};

static const struct alg_name alg_names[] = {
	{ "aes128", ALG_ENCR, CONF_ENCR_AES128_CBC, false, true },
	{ "aes", ALG_ENCR, CONF_ENCR_AES128_CBC, false, false },
	{ "aes192", ALG_ENCR, CONF_ENCR_AES192_CBC, false, true },
	{ "aes256", ALG_ENCR, CONF_ENCR_AES256_CBC, false, true },
	{ "3des", ALG_ENCR, CONF_ENCR_3DES_CBC, true, true },
	{ "aes128gcm16", ALG_ENCR, CONF_ENCR_AES128_GCM16, false, true },
	{ "aes128gcm128", ALG_ENCR, CONF_ENCR_AES128_GCM16, false, false },
	{ "aes192gcm16", ALG_ENCR, CONF_ENCR_AES192_GCM16, false, true },
	{ "aes192gcm128", ALG_ENCR, CONF_ENCR_AES192_GCM16, false, false },
	{ "aes256gcm16", ALG_ENCR, CONF_ENCR_AES256_GCM16, false, true },
	{ "aes256gcm128", ALG_ENCR, CONF_ENCR_AES256_GCM16, false, false },
	/* Libreswan's spellings (phase2alg=aes_gcm-null, ike=aes_cbc-sha2). */
	{ "aes_cbc", ALG_ENCR, CONF_ENCR_AES128_CBC, false, false },
	{ "aes_cbc128", ALG_ENCR, CONF_ENCR_AES128_CBC, false, false },
	{ "aes_cbc256", ALG_ENCR, CONF_ENCR_AES256_CBC, false, false },
	{ "aes_gcm", ALG_ENCR, CONF_ENCR_AES128_GCM16, false, false },
	{ "aes_gcm16", ALG_ENCR, CONF_ENCR_AES128_GCM16, false, false },
	{ "aes_gcm_16", ALG_ENCR, CONF_ENCR_AES128_GCM16, false, false },
	{ "aes_gcm128", ALG_ENCR, CONF_ENCR_AES128_GCM16, false, false },
	{ "aes_gcm256", ALG_ENCR, CONF_ENCR_AES256_GCM16, false, false },
	{ "aes_gcm16_128", ALG_ENCR, CONF_ENCR_AES128_GCM16, false, false },
	{ "aes_gcm16_256", ALG_ENCR, CONF_ENCR_AES256_GCM16, false, false },
	{ "null", ALG_INTEG, CONF_INTEG_NONE, false, false }, /* AEAD: aes_gcm-null */
	{ "md5", ALG_INTEG, CONF_INTEG_MD5, true, true },
	{ "sha1", ALG_INTEG, CONF_INTEG_SHA1, false, true },
	{ "sha", ALG_INTEG, CONF_INTEG_SHA1, false, false },
	{ "sha256", ALG_INTEG, CONF_INTEG_SHA256, false, true },
	{ "sha2_256", ALG_INTEG, CONF_INTEG_SHA256, false, false },
	{ "sha2", ALG_INTEG, CONF_INTEG_SHA256, false, false },
	{ "sha384", ALG_INTEG, CONF_INTEG_SHA384, false, true },
	{ "sha2_384", ALG_INTEG, CONF_INTEG_SHA384, false, false },
	{ "sha512", ALG_INTEG, CONF_INTEG_SHA512, false, true },
	{ "sha2_512", ALG_INTEG, CONF_INTEG_SHA512, false, false },
	{ "modp1024", ALG_GROUP, CONF_GROUP_MODP1024, true, true },
	{ "dh2", ALG_GROUP, CONF_GROUP_MODP1024, true, false },
	{ "modp1536", ALG_GROUP, CONF_GROUP_MODP1536, true, true },
	{ "dh5", ALG_GROUP, CONF_GROUP_MODP1536, true, false },
	{ "modp2048", ALG_GROUP, CONF_GROUP_MODP2048, false, true },
	{ "dh14", ALG_GROUP, CONF_GROUP_MODP2048, false, false },
	{ "modp3072", ALG_GROUP, CONF_GROUP_MODP3072, false, true },
	{ "dh15", ALG_GROUP, CONF_GROUP_MODP3072, false, false },
	{ "modp4096", ALG_GROUP, CONF_GROUP_MODP4096, false, true },
	{ "dh16", ALG_GROUP, CONF_GROUP_MODP4096, false, false },
	{ "ecp256", ALG_GROUP, CONF_GROUP_ECP256, false, true },
	{ "dh19", ALG_GROUP, CONF_GROUP_ECP256, false, false },
	{ "ecp384", ALG_GROUP, CONF_GROUP_ECP384, false, true },
	{ "dh20", ALG_GROUP, CONF_GROUP_ECP384, false, false },
	{ "ecp521", ALG_GROUP, CONF_GROUP_ECP521, false, true },
	{ "dh21", ALG_GROUP, CONF_GROUP_ECP521, false, false },
};

#define N_ALGS (sizeof(alg_names) / sizeof(alg_names[0]))

static const char *alg_canonical(enum alg_kind kind, int value)
{
	size_t i;

	for (i = 0; i < N_ALGS; i++)
		if (alg_names[i].kind == kind && alg_names[i].value == value &&
		    alg_names[i].canonical)
			return alg_names[i].name;
	return "none";
}

const char *conf_encr_name(enum conf_encr e)
{
	return alg_canonical(ALG_ENCR, (int)e);
}

const char *conf_integ_name(enum conf_integ i)
{
	return alg_canonical(ALG_INTEG, (int)i);
}

const char *conf_group_name(enum conf_group g)
{
	return alg_canonical(ALG_GROUP, (int)g);
}

bool conf_encr_is_aead(enum conf_encr e)
{
	return e == CONF_ENCR_AES128_GCM16 || e == CONF_ENCR_AES192_GCM16 ||
	       e == CONF_ENCR_AES256_GCM16;
}

unsigned conf_encr_key_bits(enum conf_encr e)
{
	switch (e) {
	case CONF_ENCR_AES128_CBC:
	case CONF_ENCR_AES128_GCM16:
		return 128;
	case CONF_ENCR_AES192_CBC:
	case CONF_ENCR_AES192_GCM16:
	case CONF_ENCR_3DES_CBC:
		return 192;
	case CONF_ENCR_AES256_CBC:
	case CONF_ENCR_AES256_GCM16:
		return 256;
	case CONF_ENCR_NONE:
		break;
	}
	return 0;
}

#define fail conf_why /* one message writer for the whole parser (conf_values.c) */

static const struct alg_name *alg_lookup(const char *tok)
{
	size_t i;

	for (i = 0; i < N_ALGS; i++)
		if (!strcasecmp(alg_names[i].name, tok))
			return &alg_names[i];
	return NULL;
}

/* The closest known name, for "did you mean". */
static const char *alg_suggest(const char *tok)
{
	const char *best = NULL;
	unsigned best_d = 3, d;
	size_t i;

	for (i = 0; i < N_ALGS; i++) {
		d = conf_edit_distance(tok, alg_names[i].name);
		if (d < best_d) {
			best_d = d;
			best = alg_names[i].name;
		}
	}
	return best;
}

struct alg_lists {
	int v[3][CONF_PROPOSALS_MAX];
	size_t n[3];
};

/* One proposal "aes256-sha256-modp2048" (already split from its list). */
static int proposal_parse_one(char *text, enum conf_proposal_kind kind, bool allow_legacy,
			      struct conf_proposals *out, char *why, size_t why_len)
{
	char copy[256];
	struct alg_lists l = { 0 };
	char *tok, *save = NULL;
	size_t e, i, g, n_aead = 0;
	bool saw_null = false;

	snprintf(copy, sizeof(copy), "%s", text);
	if (!*text)
		return fail(why, why_len, "empty proposal");
	/* Libreswan's older syntax puts ';' before the DH group. */
	for (tok = strtok_r(text, "-;", &save); tok; tok = strtok_r(NULL, "-;", &save)) {
		const struct alg_name *a = alg_lookup(tok);
		const char *hint;

		if (!a) {
			hint = alg_suggest(tok);
			if (hint)
				return fail(
					why, why_len,
					"unknown algorithm '%s' in proposal '%s' (did you mean '%s'?)",
					tok, copy, hint);
			return fail(why, why_len, "unknown algorithm '%s' in proposal '%s'", tok,
				    copy);
		}
		if (a->legacy && !allow_legacy) {
			fail(why, why_len,
			     "%s is a legacy algorithm: set allow-legacy-algorithms=yes in config setup to use it",
			     alg_canonical(a->kind, a->value));
			return -EPERM; /* the list may go on without this proposal */
		}
		if (a->kind == ALG_INTEG && a->value == CONF_INTEG_NONE) {
			saw_null = true; /* Libreswan's aes_gcm-null */
			continue;
		}
		if (a->kind == ALG_ENCR && conf_encr_is_aead((enum conf_encr)a->value)) {
			if (kind == CONF_PROPOSAL_IKE)
				return fail(
					why, why_len,
					"%s is an AEAD cipher, which IKEv1 phase 1 (ike=) cannot use",
					alg_canonical(a->kind, a->value));
			n_aead++;
		}
		if (l.n[a->kind] == CONF_PROPOSALS_MAX)
			return fail(why, why_len, "too many algorithms in proposal '%s'", copy);
		l.v[a->kind][l.n[a->kind]++] = a->value;
	}
	if (l.n[ALG_ENCR] == 0)
		return fail(why, why_len, "proposal '%s' has no encryption algorithm", copy);
	if (saw_null && !n_aead)
		return fail(why, why_len,
			    "proposal '%s': 'null' integrity is only for AEAD ciphers (aes_gcm)",
			    copy);
	if (n_aead && n_aead != l.n[ALG_ENCR])
		return fail(
			why, why_len,
			"proposal '%s' mixes AEAD and non-AEAD ciphers: write them as separate proposals",
			copy);
	if (kind == CONF_PROPOSAL_IKE) {
		if (l.n[ALG_INTEG] == 0)
			return fail(why, why_len, "proposal '%s' has no hash algorithm", copy);
		/* Libreswan 4.x (lib/libswan/ike_info.c, default_ikev1_groups)
		 * completes a Phase 1 proposal without a group with MODP2048
		 * and MODP1536; the latter is legacy here. */
		if (l.n[ALG_GROUP] == 0) {
			l.v[ALG_GROUP][l.n[ALG_GROUP]++] = CONF_GROUP_MODP2048;
			if (allow_legacy)
				l.v[ALG_GROUP][l.n[ALG_GROUP]++] = CONF_GROUP_MODP1536;
		}
	} else if (n_aead && l.n[ALG_INTEG]) {
		return fail(why, why_len,
			    "proposal '%s': %s is an AEAD cipher and takes no integrity algorithm",
			    copy, alg_canonical(ALG_ENCR, l.v[ALG_ENCR][0]));
	} else if (!n_aead && l.n[ALG_INTEG] == 0) {
		return fail(why, why_len, "proposal '%s' has no integrity algorithm", copy);
	}
	/* An IKEv1 transform carries one of each: expand the combinations. */
	if (!l.n[ALG_INTEG])
		l.v[ALG_INTEG][l.n[ALG_INTEG]++] = CONF_INTEG_NONE;
	if (!l.n[ALG_GROUP])
		l.v[ALG_GROUP][l.n[ALG_GROUP]++] = CONF_GROUP_NONE;
	for (e = 0; e < l.n[ALG_ENCR]; e++)
		for (i = 0; i < l.n[ALG_INTEG]; i++)
			for (g = 0; g < l.n[ALG_GROUP]; g++) {
				if (out->n == CONF_PROPOSALS_MAX)
					return fail(
						why, why_len,
						"more than %d proposals (combinations included)",
						CONF_PROPOSALS_MAX);
				out->v[out->n].encr = (enum conf_encr)l.v[ALG_ENCR][e];
				out->v[out->n].integ = (enum conf_integ)l.v[ALG_INTEG][i];
				out->v[out->n].group = (enum conf_group)l.v[ALG_GROUP][g];
				out->n++;
			}
	return 0;
}

int conf_proposals_parse(const char *s, enum conf_proposal_kind kind, bool allow_legacy,
			 struct conf_proposals *out, char *why, size_t why_len)
{
	char buf[1024], text[256], legacy_why[160] = "", first[96] = "";
	size_t len = strlen(s), n_legacy = 0;
	char *p, *comma;
	int rc;

	memset(out, 0, sizeof(*out));
	if (len >= sizeof(buf))
		return fail(why, why_len, "proposal list longer than %zu characters",
			    sizeof(buf) - 1);
	memcpy(buf, s, len + 1);
	if (len && buf[len - 1] == '!') {
		out->strict = true;
		buf[--len] = '\0';
	}
	if (strchr(buf, '!'))
		return fail(why, why_len, "'!' is only allowed at the end of the list");
	if (!len)
		return fail(why, why_len, "empty proposal list");
	for (p = buf;; p = comma + 1) {
		char *end;

		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		/* Allow "a, b" as admins write it. */
		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		snprintf(text, sizeof(text), "%s", p);
		rc = proposal_parse_one(p, kind, allow_legacy, out, why, why_len);
		if (rc == -EPERM) {
			if (!n_legacy++) {
				snprintf(legacy_why, sizeof(legacy_why), "%s", why ? why : "");
				snprintf(first, sizeof(first), "%.80s", text);
			}
		} else if (rc < 0) {
			return rc;
		}
		if (!comma)
			break;
	}
	/* A list that still has a modern proposal loads without the legacy
	 * ones (with a warning); a list of legacy proposals only is refused. */
	if (n_legacy && !out->n)
		return fail(why, why_len, "%s", legacy_why);
	if (n_legacy) {
		fail(why, why_len, "%zu legacy proposal(s) not offered (first '%s': %s)", n_legacy,
		     first, legacy_why);
		return 1;
	}
	return 0;
}

const char *conf_proposals_format(const struct conf_proposals *p, char *buf, size_t len)
{
	size_t i, off = 0;
	int n;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < p->n; i++) {
		const struct conf_proposal *q = &p->v[i];

		n = snprintf(buf + off, len - off, "%s%s", i ? "," : "", conf_encr_name(q->encr));
		if (n < 0 || (size_t)n >= len - off)
			goto too_long;
		off += (size_t)n;
		if (q->integ != CONF_INTEG_NONE) {
			n = snprintf(buf + off, len - off, "-%s", conf_integ_name(q->integ));
			if (n < 0 || (size_t)n >= len - off)
				goto too_long;
			off += (size_t)n;
		}
		if (q->group != CONF_GROUP_NONE) {
			n = snprintf(buf + off, len - off, "-%s", conf_group_name(q->group));
			if (n < 0 || (size_t)n >= len - off)
				goto too_long;
			off += (size_t)n;
		}
	}
	if (p->strict) {
		if (off + 1 >= len)
			goto too_long;
		buf[off++] = '!';
		buf[off] = '\0';
	}
	return buf;
too_long:
	buf[0] = '\0';
	return buf;
}
