/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipsec.secrets: pre-shared keys and private key references.
 *
 *   # comment
 *   : PSK "shared by every peer"
 *   192.0.2.1 198.51.100.7 : PSK "between these two"
 *   @gw.example user@example.org : PSK 0x5d1f0a...
 *   "C=CH, O=Example, CN=gw" %any : PSK "by DN"
 *   : RSA /etc/natkeyd/private/gw.pem
 *   alice : XAUTH "her password"
 *
 * An entry starts in column 0; indented lines continue it. Selectors are
 * identities in conf_id_parse() syntax, except for XAUTH, whose one selector is
 * a user name taken as written (as strongSwan's `user : XAUTH "password"`). A PSK is a
 * double-quoted string (escapes \\ \" \n \t \xHH), a single-quoted string (no escapes), or 0x hex.
 * PSK bytes are wiped with OPENSSL_cleanse() when the secrets are freed and
 * are never printed.
 */
#ifndef NATKEYD_IKE_CONF_SECRETS_H
#define NATKEYD_IKE_CONF_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "ike/conf/conf.h"

#define CONF_SECRET_IDS_MAX 8
#define CONF_PSK_MAX	    256

enum conf_secret_type {
	CONF_SECRET_PSK,
	CONF_SECRET_RSA,   /* a private key file; loading it is the crypto module's job */
	CONF_SECRET_XAUTH, /* an XAUTH user's password (in psk/psk_len, wiped on free) */
};

struct conf_secret {
	enum conf_secret_type type;
	struct conf_id ids[CONF_SECRET_IDS_MAX];
	size_t n_ids; /* 0: applies to every pair of identities */
	uint8_t *psk; /* CONF_SECRET_PSK: malloc'd, wiped on free */
	size_t psk_len;
	char path[CONF_PATH_MAX + 1]; /* CONF_SECRET_RSA */
	char user[CONF_ID_MAX + 1];   /* CONF_SECRET_XAUTH: the user name */
	unsigned line;
};

struct conf_secrets {
	struct conf_secret *v;
	size_t n;
	char file[CONF_PATH_MAX + 1];
	/* Every file read, in order: files[0] is @file, then the included. */
	char **files;
	size_t n_files;
};

/**
 * conf_secrets_parse() - parse the text of an ipsec.secrets.
 * @file: the name used in messages.
 * @text: the bytes (a NUL byte is an error).
 * @len: their number.
 * @out: the secrets on success (free with conf_secrets_free()).
 * @diag: receives the errors (cleared first). Messages never contain a
 *        secret: they quote selectors and keywords only.
 *
 * Return: 0, -EINVAL (see @diag) or -ENOMEM. On failure every PSK parsed so
 * far has been wiped.
 */
int conf_secrets_parse(const char *file, const char *text, size_t len, struct conf_secrets **out,
		       struct conf_diag *diag);

/**
 * conf_secrets_free() - wipe every PSK and free (NULL is fine).
 */
void conf_secrets_free(struct conf_secrets *secrets);

/**
 * conf_secrets_find_psk() - the PSK for a pair of identities.
 * @secrets: parsed secrets.
 * @local: our identity (NULL: unknown).
 * @remote: the peer's identity (NULL: unknown). In Main Mode the PSK is
 *          needed before the peer's ID arrives (RFC 2409 s5.4), so the daemon
 *          passes the peer's IP address as an ID here.
 *
 * strongSwan's precedence: each entry rates how well its selectors match
 * each side (an equal selector best, then %any, then no match; an entry
 * without selectors counts as %any on both sides); an entry whose selectors
 * match neither side is skipped. The best match for the remote side wins,
 * the local side breaks ties, and the first entry in the file wins a full
 * tie (as Libreswan; strongSwan's list order makes that the last one).
 *
 * Return: the entry, or NULL if none applies.
 */
const struct conf_secret *conf_secrets_find_psk(const struct conf_secrets *secrets,
						const struct conf_id *local,
						const struct conf_id *remote);

/**
 * conf_secrets_find_xauth() - the XAUTH entry of user @user (compared
 * exactly, case included), or NULL. A user listed twice is refused by the
 * parser, so there is at most one.
 */
const struct conf_secret *conf_secrets_find_xauth(const struct conf_secrets *secrets,
						  const char *user);

/**
 * conf_secrets_xauth_count() - the number of XAUTH users (NULL: 0).
 */
size_t conf_secrets_xauth_count(const struct conf_secrets *secrets);

/**
 * conf_secrets_check_mode() - refuse a secrets file others could read.
 * @path: the file name for the message.
 * @st: its stat (from fstat() on the open descriptor).
 * @euid: natkeyd's effective uid (the file must be owned by it or by root).
 * @msg: on refusal, a message naming the file and the fix ("chmod 600 FILE").
 * @msg_len: size of @msg.
 *
 * Pure: decides from @st alone.
 *
 * Return: 0, -EACCES (mode or owner) or -EINVAL (not a regular file).
 */
int conf_secrets_check_mode(const char *path, const struct stat *st, uid_t euid, char *msg,
			    size_t msg_len);

/**
 * conf_secrets_load_file() - open @path, check it with conf_secrets_check_mode()
 * against geteuid(), read and parse it. The read buffer is wiped before it is
 * freed.
 *
 * Return: 0 or a negative errno (described in @diag).
 */
int conf_secrets_load_file(const char *path, struct conf_secrets **out, struct conf_diag *diag);

/**
 * conf_secrets_print() - list the entries with their selectors, printing
 * "<hidden>" in place of every PSK.
 *
 * Return: 0 or -EIO.
 */
int conf_secrets_print(const struct conf_secrets *secrets, FILE *out);

/**
 * conf_check_files() - `natkeyd --check-config`: load @conf_path and
 * @secrets_path (with the permission check), validate, and print the
 * effective configuration followed by the secrets with every PSK shown as
 * "<hidden>" to @out; every error goes to @err as "FILE:LINE: message".
 *
 * Return: 0 when both files are valid, else the first failure's negative errno.
 */
int conf_check_files(const char *conf_path, const char *secrets_path, FILE *out, FILE *err);

#endif
