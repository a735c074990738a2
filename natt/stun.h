/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small, strict STUN codec (RFC 5389, with the RFC 5780 NAT behaviour
 * discovery attributes), sans-I/O: it decodes a datagram the caller owns
 * into a struct of values and pointers into that datagram, and builds
 * messages into a caller buffer. No allocation, no sockets, no clock.
 *
 * Only what natcheck needs is understood (Binding, the address attributes,
 * CHANGE-REQUEST, RESPONSE-PORT, ERROR-CODE, SOFTWARE, USERNAME,
 * MESSAGE-INTEGRITY with a short-term credential, FINGERPRINT); every other
 * attribute is length-checked and skipped, and the comprehension-required
 * ones among them (type < 0x8000, RFC 5389 s15) are listed for the caller.
 */
#ifndef NATKEYD_NATT_STUN_H
#define NATKEYD_NATT_STUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define STUN_HDR_LEN	     20 /* RFC 5389 s6 */
#define STUN_TID_LEN	     12 /* transaction ID, 96 bits (s6) */
#define STUN_MAGIC_COOKIE    0x2112A442u
#define STUN_FINGERPRINT_XOR 0x5354554eu /* s15.5 */
#define STUN_HMAC_LEN	     20		 /* MESSAGE-INTEGRITY value, HMAC-SHA1 (s15.4) */
#define STUN_ATTR_HDR_LEN    4
#define STUN_MSG_MAX	     (STUN_HDR_LEN + 65532) /* largest length field a multiple of 4 */
#define STUN_UNKNOWN_MAX     8			    /* unknown comprehension-required types kept */

#define STUN_SOFTWARE_MAX 763 /* s15.10: fewer than 128 characters, up to 763 bytes */
#define STUN_USERNAME_MAX 512 /* s15.3: less than 513 bytes */
#define STUN_REASON_MAX	  763 /* s15.6 */

#define STUN_METHOD_BINDING 0x001 /* s18.1 */

/* s6: the two class bits C1 C0 of the message type. */
enum stun_class {
	STUN_CLASS_REQUEST = 0,
	STUN_CLASS_INDICATION = 1,
	STUN_CLASS_SUCCESS = 2,
	STUN_CLASS_ERROR = 3,
};

/* Attribute types (RFC 5389 s18.2, RFC 5780 s9.1). */
enum stun_attr_type {
	STUN_ATTR_MAPPED_ADDRESS = 0x0001,
	STUN_ATTR_CHANGE_REQUEST = 0x0003,  /* RFC 5780 s7.2 */
	STUN_ATTR_CHANGED_ADDRESS = 0x0005, /* RFC 3489, read as OTHER-ADDRESS */
	STUN_ATTR_USERNAME = 0x0006,
	STUN_ATTR_MESSAGE_INTEGRITY = 0x0008,
	STUN_ATTR_ERROR_CODE = 0x0009,
	STUN_ATTR_UNKNOWN_ATTRIBUTES = 0x000A,
	STUN_ATTR_REALM = 0x0014,
	STUN_ATTR_NONCE = 0x0015,
	STUN_ATTR_XOR_MAPPED_ADDRESS = 0x0020,
	STUN_ATTR_PADDING = 0x0026,	  /* RFC 5780 s7.6 */
	STUN_ATTR_RESPONSE_PORT = 0x0027, /* RFC 5780 s7.5 */
	STUN_ATTR_SOFTWARE = 0x8022,
	STUN_ATTR_ALTERNATE_SERVER = 0x8023,
	STUN_ATTR_FINGERPRINT = 0x8028,
	STUN_ATTR_RESPONSE_ORIGIN = 0x802b, /* RFC 5780 s7.3 */
	STUN_ATTR_OTHER_ADDRESS = 0x802c,   /* RFC 5780 s7.4 */
};

/* CHANGE-REQUEST flags (RFC 5780 s7.2). */
#define STUN_CHANGE_IP	 0x4u
#define STUN_CHANGE_PORT 0x2u

/* Error codes used here (RFC 5389 s15.6, RFC 5780 s6). */
#define STUN_ERR_BAD_REQUEST	   400
#define STUN_ERR_UNAUTHORIZED	   401
#define STUN_ERR_UNKNOWN_ATTRIBUTE 420
#define STUN_ERR_SERVER_ERROR	   500

/* One attribute as found on the wire; @val points into the message. */
struct stun_attr {
	uint16_t type;
	uint16_t len;	    /* value length, without padding */
	const uint8_t *val; /* @len bytes */
	size_t off;	    /* offset of its header in the message */
};

/* A decoded message. Pointers point into the caller's datagram. */
struct stun_msg {
	uint16_t method;
	enum stun_class cls;
	uint8_t tid[STUN_TID_LEN];
	size_t len; /* whole message, header included */

	bool has_xor_mapped, has_mapped, has_other, has_origin;
	struct sockaddr_storage xor_mapped; /* port in network order */
	struct sockaddr_storage mapped;
	struct sockaddr_storage other; /* OTHER-ADDRESS (or RFC 3489 CHANGED-ADDRESS) */
	struct sockaddr_storage origin;

	bool has_change;
	uint32_t change; /* STUN_CHANGE_* */
	bool has_response_port;
	uint16_t response_port;

	bool has_error;
	uint16_t error_code; /* 300..699 */
	const uint8_t *reason;
	size_t reason_len;

	const uint8_t *software;
	size_t software_len;
	const uint8_t *username;
	size_t username_len;

	bool has_integrity;
	size_t integrity_off; /* offset of the MESSAGE-INTEGRITY attribute header */
	bool has_fingerprint;
	size_t fingerprint_off;
	uint32_t fingerprint;

	/* Comprehension-required attributes this codec does not understand
	 * (RFC 5389 s7.3: a request with one gets 420, a response with one is
	 * discarded); the first STUN_UNKNOWN_MAX types, and their count. */
	uint16_t unknown[STUN_UNKNOWN_MAX];
	size_t n_unknown;
	size_t n_attrs; /* attributes before MESSAGE-INTEGRITY/FINGERPRINT cut-off */
};

/**
 * stun_is_stun() - quick demultiplexing test (RFC 5389 s8, RFC 7983-style):
 * the top two bits are zero, the length is a multiple of 4 and the magic
 * cookie is present. Does not validate the attributes.
 */
bool stun_is_stun(const uint8_t *buf, size_t len);

/**
 * stun_decode() - decode and validate one STUN message.
 * @buf: the datagram (the message must fill it exactly: RFC 5389 s6, over
 *       UDP one datagram carries one message).
 * @len: its length.
 * @msg: filled in; pointers refer to @buf.
 *
 * Checks the header (zero top bits, length a multiple of 4 equal to the
 * bytes present, magic cookie), then every attribute's header and padded
 * length before its value is read, each known attribute's value length and
 * contents, that FINGERPRINT is last and only FINGERPRINT follows
 * MESSAGE-INTEGRITY (attributes between them are skipped, s15.4). Padding
 * bytes are not checked (s15: they may hold any value). Integrity and
 * fingerprint are not verified here: see stun_check_integrity() and
 * stun_check_fingerprint().
 *
 * Return: 0, or -EBADMSG (malformed), -EPROTO (not a STUN message: no
 * magic cookie or top bits set).
 */
int stun_decode(const uint8_t *buf, size_t len, struct stun_msg *msg);

/**
 * stun_attr_next() - iterate over the attributes of a message whose header
 * stun_decode() (or the caller) has validated.
 * @buf: the message; @len: its length.
 * @pos: in/out cursor; start at STUN_HDR_LEN.
 * @a: the attribute found.
 *
 * Return: 1 an attribute was found, 0 the end was reached exactly, -EBADMSG
 * an attribute header or its padded value does not fit.
 */
int stun_attr_next(const uint8_t *buf, size_t len, size_t *pos, struct stun_attr *a);

/**
 * stun_check_fingerprint() - verify FINGERPRINT (RFC 5389 s15.5).
 * Return: 0 it matches, -ENOENT the message has none, -EBADMSG mismatch.
 */
int stun_check_fingerprint(const uint8_t *buf, const struct stun_msg *msg);

/**
 * stun_check_integrity() - verify MESSAGE-INTEGRITY with a short-term
 * credential (RFC 5389 s15.4, s10.1.2): HMAC-SHA1 keyed with @key (the
 * password; SASLprep is not applied, ASCII passwords are unchanged by it)
 * over the message up to the attribute, with the header's length field
 * set as if MESSAGE-INTEGRITY were the last attribute.
 * Return: 0 it matches, -ENOENT the message has none, -EBADMSG mismatch,
 * -EIO the HMAC could not be computed.
 */
int stun_check_integrity(const uint8_t *buf, const struct stun_msg *msg, const uint8_t *key,
			 size_t key_len);

/**
 * stun_attr_name() - the name of an attribute type, for logs and dumps
 * ("XOR-MAPPED-ADDRESS"), or NULL when unknown.
 */
const char *stun_attr_name(uint16_t type);

/* Building. Errors are sticky: every step after a failure does nothing and
 * stun_build_finish() returns the first error. */
struct stun_builder {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int err;
	uint8_t tid[STUN_TID_LEN];
};

/**
 * stun_build_start() - start a message in @buf (header, length 0).
 * @method: STUN_METHOD_*, at most 0xfff; @cls: its class; @tid: the
 * transaction ID (the caller draws it from a CSPRNG, s6).
 */
void stun_build_start(struct stun_builder *b, uint8_t *buf, size_t cap, uint16_t method,
		      enum stun_class cls, const uint8_t tid[STUN_TID_LEN]);

/**
 * stun_build_attr() - append an attribute with a raw value, zero-padded to
 * a multiple of 4 (s15). -EMSGSIZE when it does not fit.
 */
void stun_build_attr(struct stun_builder *b, uint16_t type, const void *val, size_t len);

/** stun_build_u32() - append a 4-byte attribute (CHANGE-REQUEST ...). */
void stun_build_u32(struct stun_builder *b, uint16_t type, uint32_t v);

/**
 * stun_build_response_port() - append RESPONSE-PORT (RFC 5780 s7.5: the
 * port, then 2 bytes of padding inside the value).
 */
void stun_build_response_port(struct stun_builder *b, uint16_t port);

/**
 * stun_build_address() - append an address attribute (s15.1/s15.2): the
 * XOR form for STUN_ATTR_XOR_MAPPED_ADDRESS, the plain form for the others.
 * @sa: AF_INET or AF_INET6 (-EAFNOSUPPORT otherwise), port in network order.
 */
void stun_build_address(struct stun_builder *b, uint16_t type, const struct sockaddr *sa);

/**
 * stun_build_error() - append ERROR-CODE (s15.6) with @code 300..699 and a
 * reason phrase (may be NULL).
 */
void stun_build_error(struct stun_builder *b, uint16_t code, const char *reason);

/**
 * stun_build_integrity() - append MESSAGE-INTEGRITY over what is built so
 * far (short-term credential @key, s15.4). Only FINGERPRINT may follow.
 */
void stun_build_integrity(struct stun_builder *b, const uint8_t *key, size_t key_len);

/** stun_build_fingerprint() - append FINGERPRINT (s15.5); must be last. */
void stun_build_fingerprint(struct stun_builder *b);

/**
 * stun_build_finish() - Return: the message length, or the first error
 * (negative errno).
 */
int stun_build_finish(const struct stun_builder *b);

/**
 * stun_crc32() - CRC-32 (ISO 3309 / ITU-T V.42, as zlib's crc32()) of @len bytes.
 */
uint32_t stun_crc32(const uint8_t *p, size_t len);

#endif
