// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading a configuration file whole: the one reader behind ipsec.conf and
 * ipsec.secrets (open without following surprises, check the open file,
 * bound the size, read through EINTR, wipe on free).
 */
#include <errno.h>
#include <fcntl.h>
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
	*buf = b;
	*len = got;
	rc = 0;
out:
	close(fd);
	return rc;
}

void conf_file_free(char *buf, size_t len)
{
	if (!buf)
		return;
	OPENSSL_cleanse(buf, len + 1);
	free(buf);
}
