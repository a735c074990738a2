// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsec.secrets parsing, PSK lookup and the file permission check.
 *
 * The file is copied into one buffer that is tokenised and decoded in place;
 * that buffer holds PSK text, so it is wiped with OPENSSL_cleanse() before it
 * is freed, on every path. Each PSK is copied into its own allocation, which
 * conf_secrets_free() wipes.
 *
 * `include PATTERN` in column 0 (Libreswan's stock ipsec.secrets ends with
 * one for /etc/ipsec.d): every file the glob pattern matches, relative to
 * the including file's folder, is read in place, each checked like the main
 * file (private to natkeyd, no symlink); no match is fine; nesting is
 * bounded (CONF_INCL_DEPTH) and a loop is an error. Only
 * conf_secrets_load_file() reads files.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "ike/conf/conf_secrets.h"

#define TOKENS_MAX (CONF_SECRET_IDS_MAX + 8)

struct tok {
	char *s;
	size_t len;
	char quote; /* 0, '"' or '\'' */
	unsigned line;
};

struct sparser {
	const char *file;
	struct conf_diag *diag;
	bool fs; /* include lines read files */
	struct {
		dev_t dev;
		ino_t ino;
	} open[CONF_INCL_DEPTH + 1];
	size_t depth;
	struct conf_secrets *out;
	struct tok t[TOKENS_MAX];
	size_t n;
	bool too_many;
	unsigned line; /* first line of the current entry */
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decode a double-quoted string in place. Returns the decoded length or -1. */
static long unescape(char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] != '\\') {
			s[o++] = s[i];
			continue;
		}
		if (++i == len)
			return -1;
		switch (s[i]) {
		case '\\':
		case '"':
			s[o++] = s[i];
			break;
		case 'n':
			s[o++] = '\n';
			break;
		case 't':
			s[o++] = '\t';
			break;
		case 'x':
			if (i + 2 >= len || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
				return -1;
			s[o++] = (char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
			i += 2;
			break;
		default:
			return -1;
		}
	}
	return (long)o;
}

/* Tokenise one line into p->t; returns -1 after reporting an error. */
static int tokenise(struct sparser *p, char *line, unsigned lineno)
{
	char *c = line;

	for (;;) {
		struct tok *t;

		while (*c == ' ' || *c == '\t' || *c == '\r')
			c++;
		if (!*c || *c == '#')
			return 0;
		if (p->n == TOKENS_MAX) {
			p->too_many = true;
			return 0;
		}
		t = &p->t[p->n];
		t->line = lineno;
		t->quote = 0;
		if (*c == '"' || *c == '\'') {
			char q = *c++;
			char *start = c;
			long len;

			while (*c && *c != q) {
				if (q == '"' && *c == '\\' && c[1])
					c++;
				c++;
			}
			if (*c != q) {
				conf_diag_add(p->diag, p->file, lineno,
					      "unterminated quoted string");
				return -1;
			}
			*c++ = '\0';
			len = (long)(c - 1 - start);
			if (q == '"') {
				len = unescape(start, (size_t)len);
				if (len < 0) {
					conf_diag_add(
						p->diag, p->file, lineno,
						"bad escape in quoted string (use \\\\ \\\" \\n \\t \\xHH)");
					return -1;
				}
			}
			t->s = start;
			t->len = (size_t)len;
			t->quote = q;
			p->n++;
			continue;
		}
		t->s = c;
		while (*c && *c != ' ' && *c != '\t' && *c != '\r' && *c != '"' && *c != '\'')
			c++;
		if (*c == '"' || *c == '\'') {
			conf_diag_add(
				p->diag, p->file, lineno,
				"a quote must start a new word (write SELECTOR : PSK \"secret\")");
			return -1;
		}
		t->len = (size_t)(c - t->s);
		if (*c)
			*c++ = '\0';
		p->n++;
	}
}

static int secret_add(struct sparser *p, struct conf_secret **out)
{
	struct conf_secrets *s = p->out;
	struct conf_secret *v;

	/* Grow by one: secrets files are short, and the old array holds PSK
	 * pointers only (the bytes are in their own allocations). */
	v = realloc(s->v, (s->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->v = v;
	*out = &v[s->n];
	memset(*out, 0, sizeof(**out));
	s->n++;
	return 0;
}

static int psk_decode(struct sparser *p, const struct tok *t, struct conf_secret *sec)
{
	size_t i, n;

	if (t->quote) {
		if (!t->len) {
			conf_diag_add(p->diag, p->file, t->line, "empty PSK");
			return -EINVAL;
		}
		if (t->len > CONF_PSK_MAX)
			goto too_long;
		sec->psk = malloc(t->len);
		if (!sec->psk)
			return -ENOMEM;
		memcpy(sec->psk, t->s, t->len);
		sec->psk_len = t->len;
		return 0;
	}
	if (t->len > 2 && t->s[0] == '0' && (t->s[1] == 'x' || t->s[1] == 'X')) {
		n = t->len - 2;
		if (n % 2) {
			conf_diag_add(p->diag, p->file, t->line,
				      "0x PSK has an odd number of hex digits");
			return -EINVAL;
		}
		if (n / 2 > CONF_PSK_MAX)
			goto too_long;
		for (i = 0; i < n; i++)
			if (hexval(t->s[2 + i]) < 0) {
				conf_diag_add(
					p->diag, p->file, t->line,
					"0x PSK contains a character that is not a hex digit");
				return -EINVAL;
			}
		sec->psk = malloc(n / 2);
		if (!sec->psk)
			return -ENOMEM;
		for (i = 0; i < n / 2; i++)
			sec->psk[i] =
				(uint8_t)(hexval(t->s[2 + 2 * i]) << 4 | hexval(t->s[3 + 2 * i]));
		sec->psk_len = n / 2;
		return 0;
	}
	if (t->len > 2 && t->s[0] == '0' && (t->s[1] == 's' || t->s[1] == 'S')) {
		conf_diag_add(p->diag, p->file, t->line,
			      "base64 (0s) PSKs are not supported: use a quoted string or 0x hex");
		return -EINVAL;
	}
	/* The value is not echoed: it is most likely the secret itself. */
	conf_diag_add(p->diag, p->file, t->line, "a PSK must be a quoted string or 0x hex");
	return -EINVAL;
too_long:
	conf_diag_add(p->diag, p->file, t->line, "PSK longer than %d bytes", CONF_PSK_MAX);
	return -EINVAL;
}

/* `user : XAUTH "password"`: one user name, taken as written. */
static int xauth_entry(struct sparser *p, size_t colon, struct conf_secret *sec)
{
	const struct tok *u = &p->t[0], *kw = &p->t[colon + 1];
	size_t i;
	int rc;

	sec->type = CONF_SECRET_XAUTH;
	if (colon != 1) {
		conf_diag_add(p->diag, p->file, p->line,
			      "an XAUTH entry names exactly one user (USER : XAUTH \"password\")");
		return -EINVAL;
	}
	if (!u->len || u->len > CONF_ID_MAX || memchr(u->s, '\0', u->len)) {
		conf_diag_add(p->diag, p->file, u->line, "bad XAUTH user name");
		return -EINVAL;
	}
	memcpy(sec->user, u->s, u->len);
	sec->user[u->len] = '\0';
	for (i = 0; i + 1 < p->out->n; i++)
		if (p->out->v[i].type == CONF_SECRET_XAUTH &&
		    !strcmp(p->out->v[i].user, sec->user)) {
			conf_diag_add(p->diag, p->file, p->line,
				      "XAUTH user '%.64s' is listed twice (first on line %u)",
				      sec->user, p->out->v[i].line);
			return -EINVAL;
		}
	if (colon + 2 == p->n) {
		conf_diag_add(p->diag, p->file, kw->line, "XAUTH without a password");
		return -EINVAL;
	}
	if (colon + 3 != p->n) {
		conf_diag_add(p->diag, p->file, kw->line,
			      "extra words after the password (quote a password with blanks)");
		return -EINVAL;
	}
	if (!p->t[colon + 2].quote) {
		/* Not echoed: it is most likely the password itself. */
		conf_diag_add(p->diag, p->file, kw->line,
			      "an XAUTH password must be a quoted string");
		return -EINVAL;
	}
	rc = psk_decode(p, &p->t[colon + 2], sec);
	return rc;
}

static int entry_finish(struct sparser *p)
{
	struct conf_secret *sec;
	size_t colon, i;
	const struct tok *kw;
	int rc;

	if (!p->n)
		return 0;
	if (p->too_many) {
		conf_diag_add(p->diag, p->file, p->line, "more than %d selectors",
			      CONF_SECRET_IDS_MAX);
		return -EINVAL;
	}
	if (!p->t[0].quote && !strcmp(p->t[0].s, "include")) {
		conf_diag_add(p->diag, p->file, p->line,
			      "expected 'include PATTERN' (one path or glob pattern)");
		return -EINVAL;
	}
	for (colon = 0; colon < p->n; colon++)
		if (!p->t[colon].quote && !strcmp(p->t[colon].s, ":"))
			break;
	if (colon == p->n) {
		conf_diag_add(
			p->diag, p->file, p->line,
			"expected [SELECTORS] : PSK \"secret\" or : RSA FILE (the ':' must stand alone)");
		return -EINVAL;
	}
	if (colon > CONF_SECRET_IDS_MAX) {
		conf_diag_add(p->diag, p->file, p->line, "more than %d selectors",
			      CONF_SECRET_IDS_MAX);
		return -EINVAL;
	}
	if (colon + 1 == p->n) {
		conf_diag_add(p->diag, p->file, p->line, "expected PSK or RSA after ':'");
		return -EINVAL;
	}
	kw = &p->t[colon + 1];
	rc = secret_add(p, &sec);
	if (rc < 0)
		return rc;
	sec->line = p->line;
	if (!kw->quote && !strcasecmp(kw->s, "XAUTH"))
		return xauth_entry(p, colon, sec);
	for (i = 0; i < colon; i++) {
		char why[256];

		if (conf_id_parse(p->t[i].s, &sec->ids[i], why, sizeof(why)) < 0 ||
		    sec->ids[i].type == CONF_ID_FROMCERT) {
			if (sec->ids[i].type == CONF_ID_FROMCERT)
				snprintf(why, sizeof(why), "%%fromcert is not a selector");
			conf_diag_add(p->diag, p->file, p->t[i].line, "selector '%.64s': %s",
				      p->t[i].s, why);
			return -EINVAL;
		}
	}
	sec->n_ids = colon;
	if (!kw->quote && !strcasecmp(kw->s, "PSK")) {
		sec->type = CONF_SECRET_PSK;
		if (colon + 2 == p->n) {
			conf_diag_add(p->diag, p->file, kw->line, "PSK without a value");
			return -EINVAL;
		}
		if (colon + 3 != p->n) {
			conf_diag_add(
				p->diag, p->file, kw->line,
				"extra words after the PSK (quote a PSK that contains blanks)");
			return -EINVAL;
		}
		return psk_decode(p, &p->t[colon + 2], sec);
	}
	/* `: ECDSA FILE` (strongSwan): a private key file as well. */
	if (!kw->quote && (!strcasecmp(kw->s, "RSA") || !strcasecmp(kw->s, "ECDSA"))) {
		sec->type = CONF_SECRET_RSA;
		if (colon + 2 == p->n) {
			conf_diag_add(p->diag, p->file, kw->line, "RSA without a key file");
			return -EINVAL;
		}
		if (colon + 3 != p->n) {
			conf_diag_add(
				p->diag, p->file, kw->line,
				"encrypted private keys (passphrase or %%prompt) are not supported");
			return -EINVAL;
		}
		if (p->t[colon + 2].len == 0 || p->t[colon + 2].len > CONF_PATH_MAX ||
		    memchr(p->t[colon + 2].s, '\0', p->t[colon + 2].len)) {
			conf_diag_add(p->diag, p->file, kw->line, "bad key file path");
			return -EINVAL;
		}
		memcpy(sec->path, p->t[colon + 2].s, p->t[colon + 2].len);
		return 0;
	}
	conf_diag_add(p->diag, p->file, kw->line,
		      "secret type '%.16s' is not supported by natkeyd (PSK, RSA and XAUTH are)",
		      kw->s);
	return -EINVAL;
}

static void entry_reset(struct sparser *p)
{
	p->n = 0;
	p->too_many = false;
}

static int secrets_file_add(struct conf_secrets *s, const char *path)
{
	char **v, *copy;

	if (s->n_files == CONF_INCL_FILES)
		return -E2BIG;
	copy = strdup(path);
	v = realloc(s->files, (s->n_files + 1) * sizeof(*v));
	if (v)
		s->files = v;
	if (!copy || !v) {
		free(copy);
		return -ENOMEM;
	}
	s->files[s->n_files++] = copy;
	return 0;
}

static int lex_text(struct sparser *p, const char *text, size_t len);

static int secrets_check(const char *path, const struct stat *st, struct conf_diag *diag);

/* `include PATTERN` on @lineno of p->file. Returns -ENOMEM or 0. */
static int secrets_include(struct sparser *p, char *pattern, unsigned lineno)
{
	const char *from = p->file;
	char why[CONF_DIAG_LEN], **paths, *end;
	size_t n, i, j;
	int rc;

	while (*pattern == ' ' || *pattern == '\t')
		pattern++;
	end = pattern + strlen(pattern);
	while (end > pattern && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	if (!*pattern || strpbrk(pattern, " \t\"'#")) {
		conf_diag_add(p->diag, from, lineno,
			      "expected 'include PATTERN' (one path or glob pattern)");
		return 0;
	}
	if (!p->fs) {
		conf_diag_add(p->diag, from, lineno,
			      "include: only secrets read from a file can include others");
		return 0;
	}
	if (p->depth > CONF_INCL_DEPTH) {
		conf_diag_add(p->diag, from, lineno, "include nested deeper than %d files",
			      CONF_INCL_DEPTH);
		return 0;
	}
	rc = conf_include_glob(from, pattern, &paths, &n, why, sizeof(why));
	if (rc < 0) {
		conf_diag_add(p->diag, from, lineno, "%s",
			      rc == -ENOMEM ? "include: out of memory" : why);
		return rc == -ENOMEM ? rc : 0;
	}
	rc = 0;
	for (i = 0; i < n && rc == 0; i++) {
		struct conf_diag d = { 0 };
		struct stat st;
		char *buf;
		size_t len;
		int r;

		r = conf_file_read_st(paths[i], O_NOFOLLOW, secrets_check, &buf, &len, &st, &d);
		if (r < 0) {
			conf_diag_add(p->diag, from, lineno, "include: %s",
				      d.n ? d.msg[0] : strerror(-r));
			continue;
		}
		for (j = 0; j < p->depth; j++)
			if (p->open[j].dev == st.st_dev && p->open[j].ino == st.st_ino)
				break;
		if (j < p->depth) {
			conf_diag_add(p->diag, from, lineno,
				      "include loop: '%.128s' is already being read", paths[i]);
			conf_file_free(buf, len);
			continue;
		}
		r = secrets_file_add(p->out, paths[i]);
		if (r < 0) {
			if (r == -E2BIG)
				conf_diag_add(p->diag, from, lineno,
					      "include: more than %d files in all",
					      CONF_INCL_FILES);
			conf_file_free(buf, len);
			rc = r == -ENOMEM ? r : 0;
			break;
		}
		p->open[p->depth].dev = st.st_dev;
		p->open[p->depth].ino = st.st_ino;
		p->depth++;
		p->file = p->out->files[p->out->n_files - 1];
		rc = lex_text(p, buf, len);
		p->depth--;
		p->file = from;
		conf_file_free(buf, len);
	}
	conf_include_paths_free(paths, n);
	return rc;
}

/* Parse one file's text into p->out. Returns 0 or -ENOMEM (errors go to
 * p->diag). */
static int lex_text(struct sparser *p, const char *text, size_t len)
{
	char *buf = NULL, *line, *next;
	struct conf_diag *diag = p->diag;
	const char *file = p->file;
	unsigned lineno = 0;
	int rc = 0;

	if (memchr(text, '\0', len)) {
		conf_diag_add(diag, file, 0, "NUL byte in file");
		return 0;
	}
	buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, text, len);
	buf[len] = '\0';
	entry_reset(p);
	for (line = buf; line; line = next) {
		bool cont;
		int r;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		cont = line[0] == ' ' || line[0] == '\t';
		if (!cont && line[0] != '\0' && line[0] != '#' && line[0] != '\r') {
			r = entry_finish(p);
			if (r == -ENOMEM) {
				rc = r;
				goto out;
			}
			entry_reset(p);
			p->line = lineno;
		}
		if (!cont && (line[0] == '#' || line[0] == '\0' || line[0] == '\r'))
			continue;
		if (!cont && !strncmp(line, "include", 7) && (line[7] == ' ' || line[7] == '\t')) {
			r = secrets_include(p, line + 7, lineno);
			if (r == -ENOMEM) {
				rc = r;
				goto out;
			}
			entry_reset(p);
			continue;
		}
		if (cont && p->n == 0) {
			size_t before = p->n;

			if (tokenise(p, line, lineno) < 0)
				continue;
			if (p->n != before) {
				conf_diag_add(
					diag, file, lineno,
					"indented line continues no entry (entries start in column 0)");
				entry_reset(p);
			}
			continue;
		}
		if (tokenise(p, line, lineno) < 0)
			entry_reset(p); /* drop the broken entry, go on */
	}
	rc = entry_finish(p);
	if (rc != -ENOMEM)
		rc = 0;
out:
	OPENSSL_cleanse(buf, len + 1);
	free(buf);
	OPENSSL_cleanse(p->t, sizeof(p->t));
	entry_reset(p);
	return rc;
}

/* @main: the stat of @file read from the file system (includes allowed), or
 * NULL. */
static int parse(const char *file, const char *text, size_t len, const struct stat *main,
		 struct conf_secrets **out, struct conf_diag *diag)
{
	struct sparser p = { .diag = diag, .fs = main != NULL };
	int rc;

	memset(diag, 0, sizeof(*diag));
	*out = NULL;
	p.out = calloc(1, sizeof(*p.out));
	if (!p.out)
		return -ENOMEM;
	snprintf(p.out->file, sizeof(p.out->file), "%s", file);
	rc = secrets_file_add(p.out, file);
	if (rc < 0)
		goto out;
	p.file = p.out->files[0];
	if (main) {
		p.open[0].dev = main->st_dev;
		p.open[0].ino = main->st_ino;
		p.depth = 1;
	}
	rc = lex_text(&p, text, len);
	if (rc == 0)
		rc = diag->n || diag->dropped ? -EINVAL : 0;
out:
	OPENSSL_cleanse(p.t, sizeof(p.t));
	if (rc < 0) {
		conf_secrets_free(p.out);
		return rc;
	}
	*out = p.out;
	return 0;
}

int conf_secrets_parse(const char *file, const char *text, size_t len, struct conf_secrets **out,
		       struct conf_diag *diag)
{
	return parse(file, text, len, NULL, out, diag);
}

void conf_secrets_free(struct conf_secrets *secrets)
{
	size_t i;

	if (!secrets)
		return;
	for (i = 0; i < secrets->n; i++) {
		if (secrets->v[i].psk) {
			OPENSSL_cleanse(secrets->v[i].psk, secrets->v[i].psk_len);
			free(secrets->v[i].psk);
		}
	}
	for (i = 0; i < secrets->n_files; i++)
		free(secrets->files[i]);
	free(secrets->files);
	free(secrets->v);
	free(secrets);
}

/* How well one side's identity matches an entry's selectors. */
enum id_match {
	MATCH_NONE = 0,
	MATCH_ANY = 1,
	MATCH_PERFECT = 3,
};

static enum id_match entry_match(const struct conf_secret *s, const struct conf_id *id)
{
	enum id_match best = MATCH_NONE;
	size_t i;

	if (!id)
		return MATCH_NONE;
	if (!s->n_ids)
		return MATCH_ANY;
	for (i = 0; i < s->n_ids; i++) {
		if (s->ids[i].type == CONF_ID_ANY) {
			if (best < MATCH_ANY)
				best = MATCH_ANY;
		} else if (conf_id_equal(&s->ids[i], id)) {
			return MATCH_PERFECT;
		}
	}
	return best;
}

const struct conf_secret *conf_secrets_find_psk(const struct conf_secrets *secrets,
						const struct conf_id *local,
						const struct conf_id *remote)
{
	const struct conf_secret *best = NULL;
	enum id_match best_me = MATCH_NONE, best_other = MATCH_NONE;
	size_t i;

	if (!secrets)
		return NULL;
	for (i = 0; i < secrets->n; i++) {
		const struct conf_secret *s = &secrets->v[i];
		enum id_match me, other;

		if (s->type != CONF_SECRET_PSK)
			continue;
		me = entry_match(s, local);
		other = entry_match(s, remote);
		/* strongSwan mem_cred: skip entries that match neither side. */
		if ((local || remote) && me == MATCH_NONE && other == MATCH_NONE)
			continue;
		/* strongSwan credential_manager get_shared(): the peer's side
		 * decides, ours breaks ties; the first entry wins a full tie. */
		if (!best || other > best_other || (other == best_other && me > best_me)) {
			best = s;
			best_me = me;
			best_other = other;
		}
	}
	return best;
}

const struct conf_secret *conf_secrets_find_xauth(const struct conf_secrets *secrets,
						  const char *user)
{
	size_t i;

	if (!secrets || !user)
		return NULL;
	for (i = 0; i < secrets->n; i++)
		if (secrets->v[i].type == CONF_SECRET_XAUTH && !strcmp(secrets->v[i].user, user))
			return &secrets->v[i];
	return NULL;
}

size_t conf_secrets_xauth_count(const struct conf_secrets *secrets)
{
	size_t i, n = 0;

	for (i = 0; secrets && i < secrets->n; i++)
		n += secrets->v[i].type == CONF_SECRET_XAUTH;
	return n;
}

int conf_secrets_check_mode(const char *path, const struct stat *st, uid_t euid, char *msg,
			    size_t msg_len)
{
	if (!S_ISREG(st->st_mode)) {
		snprintf(msg, msg_len, "%s: not a regular file", path);
		return -EINVAL;
	}
	if (st->st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(
			msg, msg_len,
			"%s: mode %04o lets group or others access the secrets; fix with: chmod 600 %s",
			path, (unsigned)(st->st_mode & 07777), path);
		return -EACCES;
	}
	if (st->st_uid != 0 && st->st_uid != euid) {
		snprintf(
			msg, msg_len,
			"%s: owned by uid %u, not by root or natkeyd's uid %u; fix with: chown root %s",
			path, (unsigned)st->st_uid, (unsigned)euid, path);
		return -EACCES;
	}
	return 0;
}

/* The secrets file must be private to natkeyd (conf_secrets_check_mode). */
static int secrets_check(const char *path, const struct stat *st, struct conf_diag *diag)
{
	char msg[CONF_DIAG_LEN];
	int rc = conf_secrets_check_mode(path, st, geteuid(), msg, sizeof(msg));

	if (rc < 0 && diag->n < CONF_DIAG_MAX) {
		/* msg already starts with the path. */
		snprintf(diag->msg[diag->n], sizeof(diag->msg[0]), "%s", msg);
		diag->n++;
	}
	return rc;
}

int conf_secrets_load_file(const char *path, struct conf_secrets **out, struct conf_diag *diag)
{
	struct stat st;
	char *buf;
	size_t len;
	int rc;

	memset(diag, 0, sizeof(*diag));
	*out = NULL;
	rc = conf_file_read_st(path, O_NOFOLLOW, secrets_check, &buf, &len, &st, diag);
	if (rc < 0)
		return rc;
	rc = parse(path, buf, len, &st, out, diag);
	conf_file_free(buf, len);
	return rc;
}

int conf_secrets_print(const struct conf_secrets *secrets, FILE *out)
{
	char id[CONF_ID_MAX + 3];
	size_t i, j;

	for (i = 0; i < secrets->n; i++) {
		const struct conf_secret *s = &secrets->v[i];

		for (j = 0; j < s->n_ids; j++)
			fprintf(out, "%s ", conf_id_format(&s->ids[j], id, sizeof(id)));
		if (s->type == CONF_SECRET_XAUTH)
			fprintf(out, "%s : XAUTH <hidden>\n", s->user);
		else if (s->type == CONF_SECRET_PSK)
			fprintf(out, ": PSK <hidden>\n");
		else
			fprintf(out, ": RSA %s\n", s->path);
	}
	return ferror(out) ? -EIO : 0;
}
