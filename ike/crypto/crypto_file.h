/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal helper of ike/crypto/sig.c and ike/crypto/cert.c: whole-file reads. */
#ifndef NATKEYD_IKE_CRYPTO_FILE_H
#define NATKEYD_IKE_CRYPTO_FILE_H

#include <stddef.h>
#include <stdint.h>

/**
 * crypto_file_read() - read the whole file @path (a small PEM file).
 * @buf: receives a buffer from OPENSSL_malloc(); free with
 *       OPENSSL_clear_free(@buf, @len) (it may hold a private key).
 * @len: receives its length (> 0).
 *
 * Return: 0, -ENOENT if the file cannot be opened, -EIO for an empty or
 * unreadable file, -ENOMEM.
 */
int crypto_file_read(const char *path, uint8_t **buf, size_t *len);

/**
 * crypto_file_load() - read @path whole and hand its bytes to @parse (a PEM
 * parser filling @out); the bytes are wiped whatever @parse did.
 *
 * Return: as crypto_file_read(), -EINVAL for a NULL argument, else @parse's.
 */
int crypto_file_load(const char *path, int (*parse)(const uint8_t *buf, size_t len, void *out),
		     void *out);

#endif /* NATKEYD_IKE_CRYPTO_FILE_H */
