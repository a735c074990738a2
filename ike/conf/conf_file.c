// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading a file whole: the one reader behind ipsec.conf, ipsec.secrets and
 * the daemon's certificate, CRL and key files (open without following
 * surprises, check the open file, bound the size, read through EINTR, wipe
 * on free: a key file's bytes never outlive the parse).
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "ike/conf/conf.h"

int conf_file_read(const char *path, int oflags, conf_file_check_fn check, char **buf, size_t *len,
		   struct conf_diag *diag)
{
	struct stat st;

	return conf_file_read_st(path, oflags, check, buf, len, &st, diag);
}

int conf_file_read_st(const char *path, int oflags, conf_file_check_fn check, char **buf,
		      size_t *len, struct stat *stp, struct conf_diag *diag)
{
	struct stat st;
	size_t size, got = 0;
	char *b = NULL;
	ssize_t n;
	int fd, rc;

	*buf = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | oflags);
	if (fd < 0) {
		rc = -errno;
		conf_diag_add(diag, path, 0, "cannot open: %s", strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		conf_diag_add(diag, path, 0, "cannot stat: %s", strerror(-rc));
		goto out;
	}
	/* The checks run on the file that was opened, not on the path again. */
	rc = check ? check(path, &st, diag) : 0;
	if (rc < 0)
		goto out;
	if (!S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		conf_diag_add(diag, path, 0, "not a regular file");
		goto out;
	}
	if ((unsigned long long)st.st_size > CONF_FILE_MAX) {
		rc = -EFBIG;
		conf_diag_add(diag, path, 0, "larger than %u bytes", CONF_FILE_MAX);
		goto out;
	}
	size = (size_t)st.st_size;
	b = malloc(size + 1);
	if (!b) {
		rc = -ENOMEM;
		goto out;
	}
	while (got < size) {
		n = read(fd, b + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			conf_diag_add(diag, path, 0, "read failed: %s", strerror(-rc));
			conf_file_free(b, size + 1);
			b = NULL;
			goto out;
		}
		if (n == 0)
			break; /* shrank while we read: parse what is there */
		got += (size_t)n;
	}
	b[got] = '\0';
	*stp = st;
	*buf = b;
	*len = got;
	rc = 0;
out:
	close(fd);
	return rc;
}

int conf_file_load(const char *path, int (*parse)(const uint8_t *buf, size_t len, void *out),
		   void *out)
{
	size_t len = 0;
	char *buf = NULL;
	int rc;

	if (path == NULL || parse == NULL || out == NULL)
		return -EINVAL;
	rc = conf_file_read(path, 0, NULL, &buf, &len, NULL);
	if (rc < 0)
		return rc;
	rc = parse((const uint8_t *)buf, len, out);
	conf_file_free(buf, len);
	return rc;
}

void conf_file_free(char *buf, size_t len)
{
	if (!buf)
		return;
	OPENSSL_cleanse(buf, len + 1);
	free(buf);
}

int conf_include_glob(const char *from, const char *pattern, char ***paths, size_t *n, char *why,
		      size_t why_len)
{
	char full[2 * CONF_PATH_MAX + 2];
	const char *slash = strrchr(from, '/');
	glob_t g;
	size_t i;
	int rc;

	*paths = NULL;
	*n = 0;
	if (!*pattern || strlen(pattern) > CONF_PATH_MAX) {
		snprintf(why, why_len, "include needs a path or glob pattern of at most %d bytes",
			 CONF_PATH_MAX);
		return -EINVAL;
	}
	/* Relative to the folder of the including file, as both anchors do. */
	if (pattern[0] == '/' || !slash)
		snprintf(full, sizeof(full), "%s", pattern);
	else
		snprintf(full, sizeof(full), "%.*s/%s", (int)(slash - from), from, pattern);
	rc = glob(full, 0, NULL, &g);
	if (rc == GLOB_NOMATCH)
		return 0; /* /etc/ipsec.d/ may well be empty */
	if (rc != 0) {
		snprintf(why, why_len, "include '%.128s': %s", full,
			 rc == GLOB_NOSPACE ? "out of memory" : "cannot read its folder");
		return rc == GLOB_NOSPACE ? -ENOMEM : -EIO;
	}
	*paths = calloc(g.gl_pathc ? g.gl_pathc : 1, sizeof(**paths));
	if (!*paths) {
		globfree(&g);
		return -ENOMEM;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		(*paths)[i] = strdup(g.gl_pathv[i]);
		if (!(*paths)[i]) {
			conf_include_paths_free(*paths, i);
			*paths = NULL;
			globfree(&g);
			return -ENOMEM;
		}
	}
	*n = g.gl_pathc;
	globfree(&g);
	return 0;
}

void conf_include_paths_free(char **paths, size_t n)
{
	size_t i;

	for (i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
}
