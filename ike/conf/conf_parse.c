// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsec.conf: lexing into sections of key=value entries, then resolution of
 * every conn (defaults, %default, also=, own keys) through the key table.
 *
 * Syntax (strongSwan ipsec.conf(5), Libreswan ipsec.conf(5)): a section
 * starts in column 0 (`config setup`, `conn NAME`); its keys are indented
 * `key=value` lines; '#' starts a comment outside double quotes; a value may
 * be double-quoted. `version 2` lines are accepted and ignored.
 *
 * `include PATTERN` (column 0; strongSwan and Libreswan, whose stock
 * ipsec.conf ends with an include of every .conf file in /etc/ipsec.d):
 * every file the glob pattern matches, relative to the including file's
 * folder, is read in place as if its text stood there; no match is fine;
 * nesting is bounded (CONF_INCL_DEPTH) and a loop is an error. Only
 * conf_load_file() reads files: conf_parse() of a text refuses the line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ike/conf/conf_internal.h"

struct entry {
	const char *file;
	const char *key;
	const char *value;
	unsigned line;
};

enum section_kind {
	SEC_SETUP,
	SEC_DEFAULT,
	SEC_CONN,
};

struct section {
	enum section_kind kind;
	const char *name;
	const char *file;
	unsigned file_idx;
	unsigned line;
	struct entry *e;
	size_t n, cap;
};

struct lexer {
	const char *file; /* the file being lexed, one of files[] */
	unsigned file_idx;
	struct conf_diag *diag;
	bool fs;      /* include lines read files (conf_load_file()) */
	char **texts; /* mutable copies, one per file; entries point into them */
	size_t n_texts;
	char **files; /* every file read, in order; handed to struct conf */
	size_t n_files;
	struct {
		dev_t dev;
		ino_t ino;
	} open[CONF_INCL_DEPTH + 1]; /* the include chain being read */
	size_t depth;
	struct section *s;
	size_t n, cap;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *trim(char *p)
{
	char *end;

	while (is_blank(*p))
		p++;
	end = p + strlen(p);
	while (end > p && (is_blank(end[-1]) || end[-1] == '\r'))
		*--end = '\0';
	return p;
}

static bool key_name_valid(const char *k)
{
	const char *p;

	if (!*k)
		return false;
	for (p = k; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return true;
}

static const char *section_label(const struct section *s, char *buf, size_t len)
{
	if (s->kind == SEC_SETUP)
		snprintf(buf, len, "config setup");
	else
		snprintf(buf, len, "conn '%s'", s->name);
	return buf;
}

static struct section *section_add(struct lexer *lx, enum section_kind kind, const char *name,
				   unsigned line)
{
	struct section *s;

	if (lx->n == lx->cap) {
		size_t cap = lx->cap ? lx->cap * 2 : 16;
		struct section *v = realloc(lx->s, cap * sizeof(*v));

		if (!v)
			return NULL;
		lx->s = v;
		lx->cap = cap;
	}
	s = &lx->s[lx->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->name = name;
	s->file = lx->file;
	s->file_idx = lx->file_idx;
	s->line = line;
	return s;
}

static int entry_add(struct section *s, const char *file, const char *key, const char *value,
		     unsigned line)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct entry *v = realloc(s->e, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->e = v;
		s->cap = cap;
	}
	s->e[s->n].file = file;
	s->e[s->n].key = key;
	s->e[s->n].value = value;
	s->e[s->n].line = line;
	s->n++;
	return 0;
}

static const struct section *section_find(const struct lexer *lx, enum section_kind kind,
					  const char *name)
{
	size_t i;

	for (i = 0; i < lx->n; i++)
		if (lx->s[i].kind == kind && (!name || !strcmp(lx->s[i].name, name)))
			return &lx->s[i];
	return NULL;
}

/* Cut a comment; returns -1 on an unterminated quote. */
static int strip_comment(char *line)
{
	bool quoted = false;
	char *p;

	for (p = line; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '#' && !quoted) {
			*p = '\0';
			break;
		}
	}
	return quoted ? -1 : 0;
}

static int lex(struct lexer *lx, const char *text, size_t len);

static int lexer_file_add(struct lexer *lx, const char *path)
{
	char **v, *copy;

	if (lx->n_files == CONF_INCL_FILES)
		return -E2BIG;
	copy = strdup(path);
	v = realloc(lx->files, (lx->n_files + 1) * sizeof(*v));
	if (!copy || !v) {
		free(copy);
		if (v)
			lx->files = v;
		return -ENOMEM;
	}
	lx->files = v;
	lx->files[lx->n_files++] = copy;
	return 0;
}

/* `include PATTERN` on @lineno of lx->file: lex every match in place. */
static void lex_include(struct lexer *lx, const char *pattern, unsigned lineno)
{
	const char *from = lx->file;
	unsigned from_idx = lx->file_idx;
	char why[CONF_WHY_LEN], **paths;
	size_t n, i, j;
	int rc;

	if (!lx->fs) {
		conf_diag_add(lx->diag, from, lineno,
			      "include: only a configuration read from a file can include others");
		return;
	}
	if (lx->depth > CONF_INCL_DEPTH) {
		conf_diag_add(lx->diag, from, lineno, "include nested deeper than %d files",
			      CONF_INCL_DEPTH);
		return;
	}
	rc = conf_include_glob(from, pattern, &paths, &n, why, sizeof(why));
	if (rc < 0) {
		conf_diag_add(lx->diag, from, lineno, "%s",
			      rc == -ENOMEM ? "include: out of memory" : why);
		return;
	}
	for (i = 0; i < n; i++) {
		struct conf_diag d = { 0 };
		struct stat st;
		char *buf;
		size_t len;

		rc = conf_file_read_st(paths[i], 0, NULL, &buf, &len, &st, &d);
		if (rc < 0) {
			conf_diag_add(lx->diag, from, lineno, "include: %s",
				      d.n ? d.msg[0] : strerror(-rc));
			continue;
		}
		for (j = 0; j < lx->depth; j++)
			if (lx->open[j].dev == st.st_dev && lx->open[j].ino == st.st_ino)
				break;
		if (j < lx->depth) {
			conf_diag_add(lx->diag, from, lineno,
				      "include loop: '%.128s' is already being read", paths[i]);
			conf_file_free(buf, len);
			continue;
		}
		rc = lexer_file_add(lx, paths[i]);
		if (rc < 0) {
			if (rc == -E2BIG)
				conf_diag_add(lx->diag, from, lineno,
					      "include: more than %d files in all",
					      CONF_INCL_FILES);
			else
				conf_diag_add(lx->diag, from, lineno, "include: out of memory");
			conf_file_free(buf, len);
			break;
		}
		lx->open[lx->depth].dev = st.st_dev;
		lx->open[lx->depth].ino = st.st_ino;
		lx->depth++;
		lx->file = lx->files[lx->n_files - 1];
		lx->file_idx = (unsigned)(lx->n_files - 1);
		if (lex(lx, buf, len) == -ENOMEM)
			conf_diag_add(lx->diag, from, lineno, "include: out of memory");
		lx->depth--;
		lx->file = from;
		lx->file_idx = from_idx;
		conf_file_free(buf, len);
	}
	conf_include_paths_free(paths, n);
}

static void lex_header(struct lexer *lx, char *line, unsigned lineno, struct section **cur)
{
	char *w1, *w2, *w3, *save = NULL;
	const struct section *dup;

	*cur = NULL;
	w1 = strtok_r(line, " \t\r", &save);
	w2 = strtok_r(NULL, " \t\r", &save);
	w3 = strtok_r(NULL, " \t\r", &save);
	if (!strcmp(w1, "version")) {
		if (!w2 || w3 || (strcmp(w2, "2") && strcmp(w2, "2.0")))
			conf_diag_add(lx->diag, lx->file, lineno, "expected 'version 2'");
		return;
	}
	if (!strcmp(w1, "include")) {
		if (!w2 || w3)
			conf_diag_add(lx->diag, lx->file, lineno,
				      "expected 'include PATTERN' (one path or glob pattern)");
		else
			lex_include(lx, w2, lineno);
		return;
	}
	if (!strcmp(w1, "ca")) {
		conf_diag_add(
			lx->diag, lx->file, lineno,
			"'ca' sections are not supported by natkeyd (trust anchors are configured by the daemon)");
		return;
	}
	if (!strcmp(w1, "config")) {
		if (!w2 || strcmp(w2, "setup") || w3) {
			conf_diag_add(lx->diag, lx->file, lineno, "expected 'config setup'");
			return;
		}
		dup = section_find(lx, SEC_SETUP, NULL);
		if (dup) {
			if (dup->file == lx->file)
				conf_diag_add(
					lx->diag, lx->file, lineno,
					"second 'config setup' section (the first is on line %u)",
					dup->line);
			else
				conf_diag_add(
					lx->diag, lx->file, lineno,
					"second 'config setup' section (the first is at %s:%u)",
					dup->file, dup->line);
			return;
		}
		*cur = section_add(lx, SEC_SETUP, "setup", lineno);
		return;
	}
	if (!strcmp(w1, "conn")) {
		enum section_kind kind = SEC_CONN;

		if (!w2 || w3) {
			conf_diag_add(lx->diag, lx->file, lineno, "expected 'conn NAME'");
			return;
		}
		if (!strcmp(w2, "%default")) {
			kind = SEC_DEFAULT;
		} else if (!conf_conn_name_valid(w2, strlen(w2))) {
			conf_diag_add(
				lx->diag, lx->file, lineno,
				"invalid conn name '%.64s' (up to %d letters, digits, '.', '_', '-')",
				w2, CONF_NAME_MAX);
			return;
		}
		dup = section_find(lx, kind, kind == SEC_CONN ? w2 : NULL);
		if (dup) {
			if (dup->file == lx->file)
				conf_diag_add(lx->diag, lx->file, lineno,
					      "conn '%s' is defined twice (first on line %u)", w2,
					      dup->line);
			else
				conf_diag_add(lx->diag, lx->file, lineno,
					      "conn '%s' is defined twice (first at %s:%u)", w2,
					      dup->file, dup->line);
			return;
		}
		*cur = section_add(lx, kind, w2, lineno);
		return;
	}
	conf_diag_add(
		lx->diag, lx->file, lineno,
		"expected 'config setup' or 'conn NAME' here (key=value lines must be indented)");
}

static void lex_entry(struct lexer *lx, char *line, unsigned lineno, struct section *cur,
		      bool in_bad_section)
{
	char *eq = strchr(line, '='), *key, *value;
	char label[CONF_NAME_MAX + 16];
	size_t i, len;

	if (!eq) {
		conf_diag_add(lx->diag, lx->file, lineno, "expected key=value");
		return;
	}
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (!key_name_valid(key)) {
		conf_diag_add(lx->diag, lx->file, lineno, "invalid key name '%.64s'", key);
		return;
	}
	len = strlen(value);
	if (value[0] == '"') {
		if (len < 2 || value[len - 1] != '"' || memchr(value + 1, '"', len - 2)) {
			conf_diag_add(lx->diag, lx->file, lineno,
				      "%s: a quoted value must be one \"...\" string", key);
			return;
		}
		value[len - 1] = '\0';
		value++;
	} else if (strchr(value, '"')) {
		conf_diag_add(lx->diag, lx->file, lineno,
			      "%s: a quoted value must be one \"...\" string", key);
		return;
	}
	if (!cur) {
		/* Keys of a section already reported as bad are not errors
		 * of their own. */
		if (!in_bad_section)
			conf_diag_add(
				lx->diag, lx->file, lineno,
				"key '%.64s' outside of a section (indent keys under 'conn NAME' or 'config setup')",
				key);
		return;
	}
	if (strcmp(key, "also")) {
		for (i = 0; i < cur->n; i++)
			if (!strcmp(cur->e[i].key, key)) {
				conf_diag_add(lx->diag, lx->file, lineno,
					      "duplicate key '%s' in %s (first set on line %u)",
					      key, section_label(cur, label, sizeof(label)),
					      cur->e[i].line);
				return;
			}
	}
	if (entry_add(cur, lx->file, key, value, lineno) < 0)
		conf_diag_add(lx->diag, lx->file, lineno, "out of memory");
}

static int lex(struct lexer *lx, const char *text, size_t len)
{
	struct section *cur = NULL;
	bool bad_section = false;
	unsigned lineno = 0;
	char *line, *next, *buf;

	if (memchr(text, '\0', len)) {
		const char *nul = memchr(text, '\0', len);
		unsigned l = 1;
		const char *p;

		for (p = text; p < nul; p++)
			l += *p == '\n';
		conf_diag_add(lx->diag, lx->file, l, "NUL byte in file");
		return -EINVAL;
	}
	{
		char **v = realloc(lx->texts, (lx->n_texts + 1) * sizeof(*v));

		if (!v)
			return -ENOMEM;
		lx->texts = v;
	}
	buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	lx->texts[lx->n_texts++] = buf;
	memcpy(buf, text, len);
	buf[len] = '\0';
	for (line = buf; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (strip_comment(line) < 0) {
			conf_diag_add(lx->diag, lx->file, lineno, "unterminated quoted string");
			continue;
		}
		if (!*trim(line))
			continue;
		if (!is_blank(line[0])) {
			size_t before = lx->diag->n + lx->diag->dropped;

			lex_header(lx, line, lineno, &cur);
			bad_section = lx->diag->n + lx->diag->dropped != before;
			continue;
		}
		lex_entry(lx, line, lineno, cur, bad_section);
	}
	return 0;
}

struct resolver {
	const struct lexer *lx;
	const struct conf_setup *setup;
	struct conf_diag *diag;
	struct conf_diag *notes;
	const char *stack[CONF_ALSO_DEPTH];
	size_t depth;
};

static void key_error(struct resolver *r, const struct section *sec, const struct entry *e)
{
	const char *reason, *hint;
	char label[CONF_NAME_MAX + 16];
	const struct conf_key *k;
	enum conf_scope scope = sec->kind == SEC_SETUP ? CONF_SCOPE_SETUP : CONF_SCOPE_CONN;

	k = conf_key_lookup(e->key);
	if (k) {
		conf_diag_add(r->diag, e->file, e->line, "key '%s' belongs in %s, not in %s",
			      e->key,
			      k->scope == CONF_SCOPE_SETUP ? "config setup" : "a conn section",
			      section_label(sec, label, sizeof(label)));
		return;
	}
	reason = conf_key_unsupported(e->key);
	if (reason) {
		conf_diag_add(r->diag, e->file, e->line, "key '%s' is not supported by natkeyd: %s",
			      e->key, reason);
		return;
	}
	hint = conf_key_suggest(e->key, scope);
	if (hint)
		conf_diag_add(r->diag, e->file, e->line,
			      "unknown key '%.64s' in %s (did you mean '%s'?)", e->key,
			      section_label(sec, label, sizeof(label)), hint);
	else
		conf_diag_add(r->diag, e->file, e->line, "unknown key '%.64s' in %s", e->key,
			      section_label(sec, label, sizeof(label)));
}

/* A key natkeyd accepts without effect: a warning, or an error for a value
 * it cannot honour. Returns false when @e is not such a key. */
static bool key_ignored(struct resolver *r, const struct entry *e, enum conf_scope scope)
{
	const char *err, *note = conf_key_ignored(e->key, scope, e->value, &err);

	if (err) {
		conf_diag_add(r->diag, e->file, e->line, "%s=%.96s: %s", e->key, e->value, err);
		return true;
	}
	if (!note)
		return false;
	if (*note)
		conf_diag_add(r->notes, e->file, e->line,
			      "warning: %s=%.96s accepted without effect: %s", e->key, e->value,
			      note);
	return true;
}

/* A setter's verdict: an error, or a warning about a changed meaning. */
static void setter_result(struct resolver *r, const struct entry *e, int rc, const char *why)
{
	if (rc < 0)
		conf_diag_add(r->diag, e->file, e->line, "%s=%.96s: %s", e->key, e->value, why);
	else if (rc == CONF_NOTE)
		conf_diag_add(r->notes, e->file, e->line, "warning: %s=%.96s: %s", e->key, e->value,
			      why);
}

static void apply_section(struct resolver *r, struct conf_conn *c, const struct section *sec);

static void apply_also(struct resolver *r, struct conf_conn *c, const struct section *sec,
		       const struct entry *e)
{
	char names[1024], *name, *save = NULL;
	const struct section *target;
	size_t i;

	if (sec->kind == SEC_DEFAULT) {
		conf_diag_add(r->diag, e->file, e->line, "also= is not allowed in conn %%default");
		return;
	}
	snprintf(names, sizeof(names), "%s", e->value);
	for (name = strtok_r(names, ", \t", &save); name; name = strtok_r(NULL, ", \t", &save)) {
		target = section_find(r->lx, SEC_CONN, name);
		if (!target) {
			conf_diag_add(r->diag, e->file, e->line,
				      "conn '%s': also='%.64s' names no conn section", sec->name,
				      name);
			continue;
		}
		for (i = 0; i < r->depth; i++) {
			if (strcmp(r->stack[i], name))
				continue;
			{
				char path[CONF_ALSO_DEPTH * (CONF_NAME_MAX + 4) + 80];
				size_t off = 0, j;

				path[0] = '\0';
				for (j = i; j < r->depth; j++)
					off += (size_t)snprintf(path + off, sizeof(path) - off,
								"%s -> ", r->stack[j]);
				snprintf(path + off, sizeof(path) - off, "%s", name);
				conf_diag_add(r->diag, e->file, e->line, "also= cycle: %s", path);
			}
			return;
		}
		if (r->depth == CONF_ALSO_DEPTH) {
			conf_diag_add(r->diag, e->file, e->line,
				      "also= chain deeper than %d sections", CONF_ALSO_DEPTH);
			return;
		}
		apply_section(r, c, target);
	}
}

/* also= targets first (in the order written), then the section's own keys,
 * so that a conn's own keys override what it includes. */
static void apply_section(struct resolver *r, struct conf_conn *c, const struct section *sec)
{
	char why[CONF_WHY_LEN];
	size_t i;

	r->stack[r->depth++] = sec->name;
	for (i = 0; i < sec->n; i++)
		if (!strcmp(sec->e[i].key, "also"))
			apply_also(r, c, sec, &sec->e[i]);
	for (i = 0; i < sec->n; i++) {
		const struct entry *e = &sec->e[i];
		const struct conf_key *k = conf_key_lookup(e->key);

		if (!strcmp(e->key, "also"))
			continue;
		if (!k && key_ignored(r, e, CONF_SCOPE_CONN))
			continue;
		if (!k || k->scope != CONF_SCOPE_CONN) {
			key_error(r, sec, e);
			continue;
		}
		setter_result(r, e, conf_key_apply_conn(k, c, e->value, r->setup, why, sizeof(why)),
			      why);
	}
	r->depth--;
}

static void resolve_setup(struct resolver *r, struct conf_setup *setup)
{
	const struct section *sec = section_find(r->lx, SEC_SETUP, NULL);
	char why[CONF_WHY_LEN];
	size_t i;

	conf_setup_set_defaults(setup);
	if (!sec)
		return;
	for (i = 0; i < sec->n; i++) {
		const struct entry *e = &sec->e[i];
		const struct conf_key *k = conf_key_lookup(e->key);

		if (!k && key_ignored(r, e, CONF_SCOPE_SETUP))
			continue;
		if (!k || k->scope != CONF_SCOPE_SETUP) {
			key_error(r, sec, e);
			continue;
		}
		setter_result(r, e, conf_key_apply_setup(k, setup, e->value, why, sizeof(why)),
			      why);
	}
}

static void lexer_free(struct lexer *lx)
{
	size_t i;

	for (i = 0; i < lx->n; i++)
		free(lx->s[i].e);
	free(lx->s);
	for (i = 0; i < lx->n_texts; i++)
		free(lx->texts[i]);
	free(lx->texts);
	for (i = 0; i < lx->n_files; i++)
		free(lx->files[i]);
	free(lx->files);
}

/* @main: the stat of @file when it was read from the file system (includes
 * allowed), else NULL. */
static int parse(const char *file, const char *text, size_t len, const struct stat *main,
		 struct conf **out, struct conf_diag *diag)
{
	struct lexer lx = { .diag = diag, .fs = main != NULL };
	struct resolver r = { .lx = &lx, .diag = diag };
	const struct section *def;
	struct conf *conf = NULL;
	size_t i, n = 0;
	int rc;

	memset(diag, 0, sizeof(*diag));
	*out = NULL;
	rc = lexer_file_add(&lx, file);
	if (rc < 0)
		goto out;
	lx.file = lx.files[0];
	if (main) {
		lx.open[0].dev = main->st_dev;
		lx.open[0].ino = main->st_ino;
		lx.depth = 1;
	}
	rc = lex(&lx, text, len);
	if (rc < 0)
		goto out;
	conf = calloc(1, sizeof(*conf));
	if (!conf) {
		rc = -ENOMEM;
		goto out;
	}
	snprintf(conf->file, sizeof(conf->file), "%s", file);
	/* The file names entries point to move to the config. */
	conf->files = lx.files;
	conf->n_files = lx.n_files;
	lx.files = NULL;
	lx.n_files = 0;
	r.notes = &conf->notes;
	resolve_setup(&r, &conf->setup);
	r.setup = &conf->setup;
	for (i = 0; i < lx.n; i++)
		n += lx.s[i].kind == SEC_CONN;
	conf->conns = calloc(n ? n : 1, sizeof(*conf->conns));
	if (!conf->conns) {
		rc = -ENOMEM;
		goto out;
	}
	def = section_find(&lx, SEC_DEFAULT, NULL);
	for (i = 0; i < lx.n; i++) {
		struct conf_conn *c = &conf->conns[conf->n_conns];

		if (lx.s[i].kind != SEC_CONN)
			continue;
		snprintf(c->name, sizeof(c->name), "%s", lx.s[i].name);
		c->line = lx.s[i].line;
		c->file = lx.s[i].file_idx;
		conf_conn_set_defaults(c, &conf->setup);
		c->uniqueids = conf->setup.uniqueids;
		c->crlpolicy = conf->setup.crlpolicy;
		if (def)
			apply_section(&r, c, def);
		apply_section(&r, c, &lx.s[i]);
		conf->n_conns++;
	}
	rc = diag->n || diag->dropped ? -EINVAL : 0;
out:
	lexer_free(&lx);
	if (rc < 0) {
		conf_free(conf);
		return rc;
	}
	*out = conf;
	return 0;
}

int conf_parse(const char *file, const char *text, size_t len, struct conf **out,
	       struct conf_diag *diag)
{
	return parse(file, text, len, NULL, out, diag);
}

int conf_load_file(const char *path, struct conf **out, struct conf_diag *diag)
{
	struct stat st;
	char *buf;
	size_t len;
	int rc;

	memset(diag, 0, sizeof(*diag));
	*out = NULL;
	rc = conf_file_read_st(path, 0, NULL, &buf, &len, &st, diag);
	if (rc < 0)
		return rc;
	rc = parse(path, buf, len, &st, out, diag);
	conf_file_free(buf, len);
	return rc;
}

void conf_free(struct conf *conf)
{
	if (!conf)
		return;
	for (size_t i = 0; i < conf->n_files; i++)
		free(conf->files[i]);
	free(conf->files);
	free(conf->conns);
	free(conf);
}

const char *conf_conn_file(const struct conf *conf, const struct conf_conn *c)
{
	return c->file < conf->n_files ? conf->files[c->file] : conf->file;
}

const struct conf_conn *conf_conn_find(const struct conf *conf, const char *name)
{
	size_t i;

	for (i = 0; i < conf->n_conns; i++)
		if (!strcmp(conf->conns[i].name, name))
			return &conf->conns[i];
	return NULL;
}
