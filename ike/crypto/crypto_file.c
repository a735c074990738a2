// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading key and certificate files for configuration loading. Kept apart
 * from the pure crypto code: this is the only file in ike/crypto* that
 * touches the file system.
 */
#include <errno.h>

#include <openssl/bio.h>
#include <openssl/buffer.h>
#include <openssl/crypto.h>

#include "ike/crypto/crypto_file.h"

int crypto_file_load(const char *path, int (*parse)(const uint8_t *buf, size_t len, void *out),
		     void *out)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	if (path == NULL || out == NULL)
		return -EINVAL;
	ret = crypto_file_read(path, &buf, &len);
	if (ret < 0)
		return ret;
	ret = parse(buf, len, out);
	OPENSSL_clear_free(buf, len);
	return ret;
}

int crypto_file_read(const char *path, uint8_t **buf, size_t *len)
{
	BIO *bio = BIO_new_file(path, "rb");
	BIO *mem = NULL;
	char tmp[4096];
	BUF_MEM *bm = NULL;
	int n, ret = -EIO;

	if (bio == NULL)
		return -ENOENT;
	mem = BIO_new(BIO_s_mem());
	if (mem == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	while ((n = BIO_read(bio, tmp, sizeof(tmp))) > 0)
		if (BIO_write(mem, tmp, n) != n)
			goto out;
	BIO_get_mem_ptr(mem, &bm);
	if (bm == NULL || bm->length == 0)
		goto out;
	*buf = OPENSSL_memdup(bm->data, bm->length);
	if (*buf == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	*len = bm->length;
	ret = 0;
out:
	OPENSSL_cleanse(tmp, sizeof(tmp));
	BIO_free(bio);
	/* The memory BIO may hold a private key: clear before freeing. */
	if (mem != NULL) {
		BIO_get_mem_ptr(mem, &bm);
		if (bm != NULL && bm->data != NULL)
			OPENSSL_cleanse(bm->data, bm->length);
		BIO_free(mem);
	}
	return ret;
}
