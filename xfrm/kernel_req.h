/* kernel_req.h: what the engine asks of the kernel and what the kernel tells the engine.
 *
 * Plain structs, no netlink types: the engine fills these and xfrm/ turns them into XFRM
 * netlink messages (xfrm/xfrm_msg.h); kernel multicast events are parsed into struct xk_event.
 *
 * Conventions, everywhere in this header:
 *  - addresses are stored in network byte order in xk_addr.bytes (4 bytes used for IPv4);
 *  - SPIs, ports, reqids and every other integer are in HOST byte order;
 *  - a lifetime or limit of 0 means "no limit";
 *  - key bytes are secrets: whoever fills a struct holding keys wipes it (OPENSSL_cleanse).
 *
 * Ownership (see xfrm/xfrm_owner.h): natkeyd owns exactly the SAs and policies whose reqid is in
 * [XK_REQID_MIN, XK_REQID_MAX]; it never touches any other IPsec state of the host.
 */
#ifndef NATKEYD_XFRM_KERNEL_REQ_H
#define NATKEYD_XFRM_KERNEL_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* natkeyd's reqid range ("NK" in the top half): every SA and policy natkeyd installs carries a
 * reqid from here, and startup/shutdown cleanup deletes only state inside it. */
#define XK_REQID_MIN 0x4e4b0001u
#define XK_REQID_MAX 0x4e4bffffu

/* RFC 3948 s1 / RFC 4303 s2.1: SPIs 1..255 are reserved by IANA and SPI 0 is never sent
 * (0 is the non-ESP marker on port 4500), so inbound SPIs come from this range. */
#define XK_SPI_MIN 0x00000100u
#define XK_SPI_MAX 0xffffffffu

#define XK_KEY_MAX 64 /* hmac(sha512) key; AES-256-GCM key + 4-byte salt is 36 */

enum xk_family {
	XK_AF_UNSPEC = 0,
	XK_AF_INET = 2,	  /* == AF_INET */
	XK_AF_INET6 = 10, /* == AF_INET6 */
};

struct xk_addr {
	uint8_t family;	   /* enum xk_family */
	uint8_t bytes[16]; /* network byte order; IPv4 uses bytes[0..3] */
};

enum xk_mode {
	XK_MODE_TRANSPORT = 0,
	XK_MODE_TUNNEL = 1,
};

/* Encryption algorithms. XK_ENC_AES_GCM_16 is an AEAD (rfc4106(gcm(aes)), 128-bit ICV) and must
 * be used with XK_AUTH_NONE; its key is the AES key followed by the 4-byte salt (RFC 4106 s8.1). */
enum xk_enc_alg {
	XK_ENC_NONE = 0,
	XK_ENC_AES_CBC,	   /* cbc(aes), key 16/24/32 */
	XK_ENC_3DES_CBC,   /* cbc(des3_ede), key 24 */
	XK_ENC_AES_GCM_16, /* rfc4106(gcm(aes)), key 16/24/32 + 4 salt, ICV 128 bits */
};

/* Integrity algorithms, with the truncation ESP uses (RFC 2404, RFC 4868). */
enum xk_auth_alg {
	XK_AUTH_NONE = 0,
	XK_AUTH_HMAC_SHA1_96,	 /* hmac(sha1), key 20, 96-bit ICV */
	XK_AUTH_HMAC_SHA256_128, /* hmac(sha256), key 32, 128-bit ICV */
	XK_AUTH_HMAC_SHA384_192, /* hmac(sha384), key 48, 192-bit ICV */
	XK_AUTH_HMAC_SHA512_256, /* hmac(sha512), key 64, 256-bit ICV */
	/* hmac(sha256) truncated to 96 bits, as pre-RFC 4868 peers (some Android
	 * versions; Libreswan's sha2-truncbug=yes, strongSwan's sha256_96=yes) do.
	 * Negotiated as HMAC-SHA2-256: only the kernel SA differs. */
	XK_AUTH_HMAC_SHA256_96,
};

/* Traffic selector. prefix lengths in bits; proto 0 = any; ports 0 = any. */
struct xk_selector {
	struct xk_addr src;
	struct xk_addr dst;
	uint8_t src_plen;
	uint8_t dst_plen;
	uint8_t proto;
	uint16_t sport;
	uint16_t dport;
};

/* Soft limits warn (EXPIRE soft -> rekey), hard limits kill (EXPIRE hard). Seconds are counted
 * from the SA's installation (add) or its first use (use). 0 = no limit. */
struct xk_lifetime {
	uint64_t soft_bytes;
	uint64_t hard_bytes;
	uint64_t soft_packets;
	uint64_t hard_packets;
	uint64_t soft_add_s;
	uint64_t hard_add_s;
	uint64_t soft_use_s;
	uint64_t hard_use_s;
};

/* UDP encapsulation (RFC 3948). sport/dport are the outer UDP ports of the ESP packets
 * this SA sends (outbound SA) or expects (inbound SA: sport = peer's port). oa is the peer's
 * original address (NAT-OA, RFC 3947 s5.2), XK_AF_UNSPEC when not known. */
struct xk_encap {
	bool enabled; /* type is always UDP_ENCAP_ESPINUDP (non-ESP marker framing) */
	uint16_t sport;
	uint16_t dport;
	struct xk_addr oa;
};

struct xk_mark {
	uint32_t value;
	uint32_t mask; /* 0 = no mark */
};

/* One ESP SA, as installed by XK_REQ_SA_ADD / XK_REQ_SA_UPDATE. */
struct xk_sa {
	struct xk_addr src; /* outer source (tunnel) or host (transport) */
	struct xk_addr dst;
	uint32_t spi;
	enum xk_mode mode;
	uint32_t reqid;
	enum xk_enc_alg enc;
	uint8_t enc_key[XK_KEY_MAX];
	size_t enc_key_len;
	enum xk_auth_alg auth;
	uint8_t auth_key[XK_KEY_MAX];
	size_t auth_key_len;
	uint32_t replay_window; /* packets; 0 = no anti-replay (outbound SAs) */
	struct xk_selector sel;
	struct xk_lifetime lft;
	struct xk_encap encap;
	struct xk_mark mark;
	/* Inbound ESP-in-UDP SA only: the kernel sends at most one MAPPING event per new peer
	 * port within this many seconds (XFRMA_MTIMER_THRESH) instead of one per packet.
	 * 0 = kernel default (an event for every packet from the new mapping). */
	uint32_t mapping_maxage_s;
};

/* Identifies one SA in the kernel: (dst, spi, ESP) plus mark. */
struct xk_sa_id {
	struct xk_addr dst;
	struct xk_addr src; /* optional (XK_AF_UNSPEC): narrows DELSA/GETSA */
	uint32_t spi;
	struct xk_mark mark;
};

/* XFRM_MSG_ALLOCSPI: the kernel picks a free SPI in [min, max] and creates a larval SA. */
struct xk_spi_req {
	struct xk_addr src; /* peer */
	struct xk_addr dst; /* us */
	enum xk_mode mode;
	uint32_t reqid;
	uint32_t min; /* >= XK_SPI_MIN */
	uint32_t max;
	struct xk_mark mark;
};

enum xk_dir {
	XK_DIR_IN = 0,
	XK_DIR_OUT = 1,
	XK_DIR_FWD = 2,
};

enum xk_action {
	XK_ACTION_ALLOW = 0, /* with a template: protect with IPsec */
	XK_ACTION_BLOCK = 1,
};

/* IPsec template of a policy: which SA (bound by reqid) must apply. For tunnel mode src/dst are
 * the tunnel endpoints; for transport mode they may be XK_AF_UNSPEC. */
struct xk_tmpl {
	struct xk_addr src;
	struct xk_addr dst;
	enum xk_mode mode;
	uint32_t reqid;
	bool optional; /* 'level use' (tmpl optional), e.g. for inbound transport */
};

struct xk_policy {
	struct xk_selector sel;
	enum xk_dir dir;
	enum xk_action action;
	uint32_t priority; /* lower = preferred */
	struct xk_mark mark;
	bool has_tmpl;
	struct xk_tmpl tmpl;
	struct xk_lifetime lft;
};

/* Identifies one policy: selector + direction + mark. */
struct xk_policy_id {
	struct xk_selector sel;
	enum xk_dir dir;
	struct xk_mark mark;
};

/* Move the SAs bound to one policy to new outer addresses/ports after a NAT mapping change,
 * keeping keys, sequence numbers and replay state (XFRM_MSG_MIGRATE, see xfrm/xfrm_msg.h for why
 * this mechanism). policy names the policy (selector, dir, mark) whose template and SAs move:
 * issue one move per direction (out, in, fwd). The SAs that move are those with
 * (old_src, old_dst, ESP, mode, reqid); they get new_src/new_dst and new_encap. */
struct xk_sa_move {
	struct xk_policy_id policy;
	struct xk_addr old_src;
	struct xk_addr old_dst;
	struct xk_addr new_src;
	struct xk_addr new_dst;
	enum xk_mode mode;
	uint32_t reqid;
	struct xk_encap new_encap; /* enabled=false: the moved SAs lose UDP encapsulation */
};

/* SA state read back with GETSA, for status output. */
struct xk_sa_info {
	struct xk_sa sa; /* keys are NOT copied back: enc_key_len/auth_key_len are 0 */
	uint64_t bytes;
	uint64_t packets;
	uint64_t add_time;    /* seconds since the epoch */
	uint64_t use_time;    /* 0 = never used */
	uint32_t replay_seq;  /* highest inbound seq seen */
	uint32_t oseq;	      /* last outbound seq sent */
	uint32_t replay_fail; /* stats.replay */
	uint32_t integrity_fail;
	bool larval; /* ALLOCSPI placeholder (no algorithms yet) */
};

/* Kernel requests the engine emits, as one tagged union. */
enum xk_req_type {
	XK_REQ_SPI_ALLOC = 1,
	XK_REQ_SA_ADD,
	XK_REQ_SA_UPDATE,
	XK_REQ_SA_DELETE,
	XK_REQ_SA_GET,
	XK_REQ_SA_MOVE,
	XK_REQ_POLICY_ADD,
	XK_REQ_POLICY_UPDATE,
	XK_REQ_POLICY_DELETE,
};

struct xk_req {
	enum xk_req_type type;
	uint32_t cookie; /* engine's tag, echoed in the result (netlink sequence mapping) */
	union {
		struct xk_spi_req spi;	       /* SPI_ALLOC */
		struct xk_sa sa;	       /* SA_ADD, SA_UPDATE */
		struct xk_sa_id sa_id;	       /* SA_DELETE, SA_GET */
		struct xk_sa_move move;	       /* SA_MOVE */
		struct xk_policy policy;       /* POLICY_ADD, POLICY_UPDATE */
		struct xk_policy_id policy_id; /* POLICY_DELETE */
	} u;
};

/* Result of one request: error 0 or negative errno, the kernel's extended-ack text if any. */
struct xk_result {
	uint32_t cookie;
	int error;
	char msg[128];
	uint32_t spi;		/* SPI_ALLOC: the SPI the kernel chose */
	struct xk_sa_info info; /* SA_GET */
};

/* Kernel events delivered to the engine. */
enum xk_event_type {
	XK_EV_ACQUIRE = 1, /* packet hit a policy whose template has no SA */
	XK_EV_EXPIRE_SOFT,
	XK_EV_EXPIRE_HARD,
	XK_EV_MAPPING, /* ESP-in-UDP arrived from a new address/port (XFRM_MSG_MAPPING) */
	XK_EV_POLICY_EXPIRE,
};

struct xk_ev_acquire {
	struct xk_addr src; /* template endpoints: us, peer */
	struct xk_addr dst;
	uint32_t reqid;
	enum xk_mode mode;
	struct xk_selector sel; /* the flow that triggered it */
	enum xk_dir dir;
	uint32_t policy_index;
	uint32_t seq; /* acquire sequence, for XFRM_MSG_NEWSA matching */
};

struct xk_ev_expire {
	struct xk_sa_id id;
	struct xk_addr src;
	uint32_t reqid;
	enum xk_mode mode;
	uint64_t bytes;
	uint64_t packets;
};

struct xk_ev_mapping {
	struct xk_addr dst; /* SA destination (us) */
	uint32_t spi;
	uint32_t reqid;
	struct xk_addr old_addr; /* peer's address/port as the SA knew it */
	uint16_t old_port;
	struct xk_addr new_addr; /* where the ESP now came from */
	uint16_t new_port;
};

struct xk_ev_policy_expire {
	struct xk_policy_id id;
	bool hard;
};

struct xk_event {
	enum xk_event_type type;
	union {
		struct xk_ev_acquire acquire;
		struct xk_ev_expire expire;
		struct xk_ev_mapping mapping;
		struct xk_ev_policy_expire policy_expire;
	} u;
};

#endif
