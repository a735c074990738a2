/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Credentials of authby=rsasig connections: our private key (an `: RSA
 * FILE` entry of ipsec.secrets whose key matches leftcert), our certificate
 * (leftcert=), the trust anchors for the peer's certificate (every *.pem in
 * the CA directory, /etc/ipsec.d/cacerts by default, as strongSwan and
 * Libreswan keep them) and, for leftid=%fromcert or a DN, our identity as the
 * certificate's DER subject. File I/O: the daemon's, not the engine's.
 */
#ifndef NATKEYD_TOOLS_CRED_H
#define NATKEYD_TOOLS_CRED_H

#include <stddef.h>

#include "ike/conf/conf.h"
#include "ike/conf/conf_secrets.h"
#include "ike/engine.h"

#define NKD_DEFAULT_CACERTS "/etc/ipsec.d/cacerts"

/**
 * nkd_creds_load() - load the credentials of @c into @o (auth RSA only; a
 * PSK connection is left alone and 0 returned).
 * @c: the conn.
 * @secrets: where the `: RSA FILE` entries are.
 * @cacerts: directory of trust anchors (PEM files).
 * @o: the engine connection built by nkd_conn_build(); gets one reference
 *     on the key, certificate and store (nkd_creds_free() drops them).
 * @err: on failure one line naming the conn and the file.
 * @err_len: its size.
 *
 * Return: 0 or a negative errno.
 */
int nkd_creds_load(const struct conf_conn *c, const struct conf_secrets *secrets,
		   const char *cacerts, struct ike_conn_cfg *o, char *err, size_t err_len);

/**
 * nkd_creds_free() - drop the references nkd_creds_load() took (NULL-safe
 * members; the engine keeps its own).
 */
void nkd_creds_free(struct ike_conn_cfg *o);

#endif
