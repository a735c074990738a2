/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Printable names of every ISAKMP constant, kept as data tables so that logs,
 * the decoder tool and tests print "NAT-D", "UDP-Encapsulated-Transport" or
 * "INITIAL-CONTACT" rather than numbers. Each *_name() returns NULL for a
 * value without a name; isakmp_name_fmt() turns that into "UNKNOWN(n)".
 */
#ifndef NATKEYD_IKE_ISAKMP_NAMES_H
#define NATKEYD_IKE_ISAKMP_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "ike/wire/isakmp.h"

/* One row of a name table. */
struct isakmp_name {
	uint32_t value;
	const char *name;
};

/* A table with its length. */
struct isakmp_name_table {
	const struct isakmp_name *rows;
	size_t n;
};

/**
 * isakmp_name_lookup() - the name of @value in @table, or NULL.
 */
const char *isakmp_name_lookup(const struct isakmp_name_table *table, uint32_t value);

/**
 * isakmp_name_fmt() - @name if not NULL, else "UNKNOWN(<value>)" written to
 * @buf (of @cap bytes, at least 20). Return: a printable string.
 */
const char *isakmp_name_fmt(const char *name, uint32_t value, char *buf, size_t cap);

/* Name lookups. Each returns NULL when the value has no name. */
const char *isakmp_payload_name(uint8_t type);
const char *isakmp_exchange_name(uint8_t type);
const char *isakmp_notify_name(uint16_t type);
const char *isakmp_doi_name(uint32_t doi);
const char *isakmp_proto_name(uint8_t protocol);
const char *isakmp_id_type_name(uint8_t type);
const char *isakmp_cert_encoding_name(uint8_t encoding);
const char *isakmp_cfg_type_name(uint8_t type);
/** isakmp_xform_name() - transform ID name; depends on the proposal protocol. */
const char *isakmp_xform_name(uint8_t protocol, uint8_t id);
/** isakmp_attr_name() - attribute class name within an attribute space. */
const char *isakmp_attr_name(enum isakmp_attr_space space, uint16_t type);
/** isakmp_attr_value_name() - name of a basic attribute's value (e.g. "AES-CBC"). */
const char *isakmp_attr_value_name(enum isakmp_attr_space space, uint16_t type, uint32_t value);

/* Whether an attribute of @space/@type is defined as basic (TV only). */
int isakmp_attr_is_basic(enum isakmp_attr_space space, uint16_t type);

/* Name tables, exported for tests that check every row. */
extern const struct isakmp_name_table isakmp_payload_names;
extern const struct isakmp_name_table isakmp_exchange_names;
extern const struct isakmp_name_table isakmp_notify_names;

#endif
