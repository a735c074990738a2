/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sans-I/O IKEv1 engine: events in, actions out.
 *
 * The engine never touches a socket, a clock, netlink or global mutable
 * state. The caller (the daemon's epoll loop, a test, the simulator) feeds
 * it one event at a time together with the current time and gets back the
 * actions to perform, in order, in a caller-owned buffer:
 *
 *   struct ike_actions out;
 *   ike_actions_init(&out);
 *   ike_engine_handle(eng, &ev, now_ms, &out);
 *   for (i = 0; i < out.n; i++) perform(&out.v[i]);
 *   ike_actions_wipe(&out);          (actions may carry keys)
 *
 * Actions: datagrams to send (with local and remote address and port, the
 * non-ESP marker already in front when the port is 4500), kernel requests
 * (struct xk_req from xfrm/kernel_req.h), the next time the engine wants a
 * IKE_EV_TIMER event, and log/audit records with a machine-readable reason.
 *
 * Kernel requests that return something (SPI allocation) are answered by
 * feeding an IKE_EV_KERNEL_RESULT event carrying the request's cookie.
 *
 * No decided action is lost: when one call decides more than fits in the
 * caller's buffer (a teardown of a connection with hundreds of peers), the
 * rest waits in order inside the engine and the call ends with an
 * IKE_ACT_TIMER for "now"; the next call (of any kind) hands out the waiting
 * actions first, up to a buffer's worth, before anything new. The backlog
 * holds only work already decided, so it is bounded by the SAs that exist.
 */
#ifndef NATKEYD_IKE_ENGINE_H
#define NATKEYD_IKE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "xfrm/kernel_req.h"

#define IKE_NAME_MAX	       32
#define IKE_ID_DATA_MAX	       128
#define IKE_PSK_MAX	       128
#define IKE_PROPOSALS_MAX      16 /* as CONF_PROPOSALS_MAX: client profiles offer up to 11 */
#define IKE_ACTIONS_MAX	       32
#define IKE_ACTIONS_BUF	       (16 * 1024)
#define IKE_LOG_TEXT_MAX       320  /* a refused certificate names itself and its CRL */
#define IKE_ENGINE_MAX_MSG     8192 /* largest ISAKMP message built or accepted */
#define IKE_XAUTH_USER_MAX     64   /* XAUTH user names (bytes) */
#define IKE_XAUTH_PASS_MAX     128  /* XAUTH passwords (bytes) */
#define IKE_MODECFG_DNS_MAX    4
#define IKE_MODECFG_TEXT_MAX   512 /* domain, banner (modecfgbanner= allows 511) */
#define IKE_MODECFG_SPLIT_MAX  8   /* client: UNITY_SPLIT_INCLUDE networks kept */
#define IKE_MODECFG_DOMAIN_MAX 128 /* client: UNITY_DEF_DOMAIN kept (longer: refused) */

#define IKE_CLIENT_NETS_MAX 16 /* networks in a connection's client allow-list */

/* ---- configuration ------------------------------------------------------ */

/* Phase 1 identity (RFC 2407 4.6.2.1 ID types). */
struct ike_id {
	uint8_t type; /* 0 = any (remote only), 1 IPv4, 2 FQDN, 3 USER_FQDN, 5 IPv6, 9 DN, 11 KEY_ID
		       */
	uint8_t len;
	uint8_t data[IKE_ID_DATA_MAX];
};

enum ike_auth_method {
	IKE_AUTH_PSK = 1,	 /* RFC 2409 5.4 */
	IKE_AUTH_RSA_SIG = 3,	 /* RFC 2409 5.1 */
	IKE_AUTH_ECDSA_256 = 9,	 /* RFC 4754: P-256 with SHA-256 */
	IKE_AUTH_ECDSA_384 = 10, /* P-384 with SHA-384 */
	IKE_AUTH_ECDSA_521 = 11, /* P-521 with SHA-512 */
};

/* Signature authentication (certificates): RSA or ECDSA. */
static inline bool ike_auth_is_sig(unsigned auth)
{
	return auth == IKE_AUTH_RSA_SIG || auth == IKE_AUTH_ECDSA_256 ||
	       auth == IKE_AUTH_ECDSA_384 || auth == IKE_AUTH_ECDSA_521;
}

/* leftsendcert= (strongSwan's meaning). */
enum ike_sendcert {
	IKE_SENDCERT_ALWAYS = 0, /* natkeyd's default: certificate and chain in every exchange */
	IKE_SENDCERT_IFASKED,	 /* only when the peer sent a CERTREQ */
	IKE_SENDCERT_NEVER,	 /* the peer has our certificate already */
};

/* strictcrlpolicy= (ike/crypto/cert.h enum cert_crl_policy values). */
#define IKE_CERT_CHAIN_MAX 4
#define IKE_OCSP_URI_MAX   128
#define IKE_OCSP_REQ_MAX   200
#define IKE_CA_DN_MAX	   256

/* One Phase 1 transform: wire values of RFC 2409 App. A (ike/crypto/crypto.h enums). */
struct ike_p1_proposal {
	uint16_t cipher;   /* enum ike_cipher_alg */
	uint16_t key_bits; /* AES: 128/192/256; 3DES: 0 */
	uint16_t hash;	   /* enum ike_hash_alg */
	uint16_t group;	   /* enum ike_dh_group */
};

/* One Phase 2 ESP transform, in kernel terms (ike/sa/proposal.c maps to the wire). */
struct ike_p2_proposal {
	enum xk_enc_alg enc;
	uint16_t key_bits; /* AES key length */
	enum xk_auth_alg auth;
};

/* A traffic selector: subnet, protocol, port (RFC 2409 5.5 IDci/IDcr). */
struct ike_ts {
	struct xk_addr addr;
	uint8_t plen;
	uint8_t proto;
	uint16_t port;
};

/* IKEv1 fragmentation (Cisco/MS-IKEE payload 132), strongSwan's fragmentation=
 * values. 0 is the default: yes. */
enum ike_frag_mode {
	IKE_FRAG_YES = 0, /* announce; fragment oversized messages the peer can take:
			   * from the first retransmission, or at once after it sent
			   * us fragments (Libreswan's rule) */
	IKE_FRAG_ACCEPT,  /* announce and reassemble, never send fragments */
	IKE_FRAG_FORCE,	  /* fragment every oversized message, even before the
			   * peer announced support */
	IKE_FRAG_NO,	  /* neither announce, send nor accept fragments */
};

/* This host's role in XAUTH or in Mode Config (ike/v1/ikev1_cfg.c). */
enum ike_cfg_role {
	IKE_CFG_NONE = 0,
	IKE_CFG_SERVER, /* gateway: asks for the password / hands out the address */
	IKE_CFG_CLIENT, /* road warrior: answers / asks for an address */
};

/* What to do when DPD declares the peer dead (RFC 3706 leaves it to policy). */
enum ike_dpd_action {
	IKE_DPD_CLEAR = 0, /* delete the IKE and IPsec SAs, remove the kernel SAs and policies */
	IKE_DPD_HOLD,	   /* delete the SAs, keep the policies: traffic ACQUIREs a new SA */
	IKE_DPD_RESTART,   /* delete the SAs, keep the policies, re-initiate at once */
};

struct ike_conn_cfg {
	char name[IKE_NAME_MAX];
	struct sockaddr_storage local;	/* our address; port usually 500 */
	struct sockaddr_storage remote; /* peer; AF_UNSPEC = any peer (responder only) */
	struct ike_id local_id;		/* type 0: our IP address */
	struct ike_id remote_id;	/* type 0: any identity / the peer's IP address */
	enum ike_auth_method auth;
	uint8_t psk[IKE_PSK_MAX];
	size_t psk_len;
	/* RSA signatures (RFC 2409 5.1): the engine takes a reference on each
	 * (EVP_PKEY_up_ref / X509_up_ref / X509_STORE_up_ref) and drops it in
	 * ike_engine_free(); the caller keeps its own. */
	EVP_PKEY *key;			      /* our private key */
	X509 *cert;			      /* our certificate, sent in CERT */
	X509 *cert_chain[IKE_CERT_CHAIN_MAX]; /* intermediates sent after it (NULL = none) */
	X509_STORE *ca;			/* trust anchors (and CRLs) for the peer's certificate */
	enum ike_sendcert sendcert;	/* leftsendcert= */
	uint8_t crl_policy;		/* strictcrlpolicy=: enum cert_crl_policy */
	bool certreq_names;		/* CERTREQ payloads name our CAs (else one empty) */
	uint8_t rightca[IKE_CA_DN_MAX]; /* rightca=: DER Name; len 0 = any CA */
	size_t rightca_len;
	/* OCSP (RFC 6960): ocspuri= overrides the certificate's AIA URL;
	 * "" = the AIA URL, if any; no OCSP when neither. */
	char ocsp_uri[IKE_OCSP_URI_MAX];
	bool aggressive;
	struct ike_p1_proposal p1[IKE_PROPOSALS_MAX];
	unsigned n_p1;
	struct ike_p2_proposal p2[IKE_PROPOSALS_MAX];
	unsigned n_p2;
	uint16_t pfs_group; /* 0 = no PFS */
	enum xk_mode mode;
	struct ike_ts local_ts; /* plen 0 and family UNSPEC: our host address */
	struct ike_ts remote_ts;
	bool natt;		   /* offer/accept RFC 3947 NAT traversal */
	bool natt_force;	   /* UDP-encapsulate even without a NAT (natt/natd.h) */
	uint32_t natt_methods;	   /* natt_method_set to offer/accept; 0 = natt/ defaults */
	uint32_t keepalive_s;	   /* NAT-keepalive interval (RFC 3948 s4: 20) */
	uint32_t ike_lifetime_s;   /* Phase 1 lifetime offered (default 28800) */
	uint32_t ipsec_lifetime_s; /* Phase 2 lifetime offered (default 3600) */
	uint32_t rekey_margin_s;   /* rekey this long before expiry (default 540) */
	uint32_t rekey_fuzz_pct;   /* random extra margin, % of the margin (default 100) */
	uint32_t dpd_delay_s;	   /* 0 = no DPD */
	uint32_t dpd_timeout_s;
	uint32_t reqid; /* 0 = derived from the connection index */
	/* nat_keepalive=auto (natt/adaptka.h): instead of keepalive_s, half
	 * the NAT binding lifetime learned for the peer's path, bounded to
	 * [10 s, keepalive_max_s]; 20 s while none is known. */
	bool keepalive_auto;
	uint32_t keepalive_max_s; /* nat_keepalive_max=; 0 = 120 */
	/* Our NAT's binding lifetime as known at start (0 = unknown), and
	 * where from (enum natt_lifetime_src: NATT_LT_CONFIGURED for
	 * nat_binding_lifetime=, NATT_LT_NATCHECK for a natcheck result the
	 * daemon passes in). Each IKE SA starts from it; a natkeyd peer's
	 * notify replaces it for that SA (ike_sa_binding_lifetime_set()). */
	uint32_t binding_lifetime_ms;
	uint8_t binding_lifetime_src;
	/* Phase 2 lifetime in kilobytes (RFC 2407 s4.5 SA Life Type 2), offered
	 * next to the seconds and enforced by the kernel (hard byte limit);
	 * 0 = no byte limit. */
	uint32_t ipsec_lifetime_kb;
	/* Rekey this many kilobytes before the byte limit (kernel soft limit);
	 * 0 = 10% of ipsec_lifetime_kb. */
	uint32_t rekey_margin_kb;
	/* RFC 2408 s3.1 commit bit: set it in our QM1 (initiator) or QM2
	 * (responder) and confirm with CONNECTED. Off by default; we honour a
	 * peer's bit either way. */
	bool commit_bit;
	/* Initiator: how long to wait for the peer's CONNECTED after QM3 before
	 * giving up on the SA (0 = 30000 ms). */
	uint32_t connected_timeout_ms;
	/* What to do with a dead peer (default clear, as strongSwan). */
	enum ike_dpd_action dpd_action;
	/* Accept and offer the legacy algorithms 3DES, MD5 and MODP groups 2
	 * and 5 in Phase 1 and for PFS (CRYPTO_F_LEGACY); off by default. */
	bool allow_legacy;
	/* The caller keeps trap policies for this connection (auto=route /
	 * auto=start, ike_trap_policies()). Our SA policies replace them while
	 * a tunnel is up; whenever the engine removes those (DPD clear, admin
	 * teardown of a peer), it puts the traps back in the same request, so
	 * no packet of the connection's traffic leaves in clear text. */
	bool traps;
	/* right=%any: the clients (IDci) a peer may claim in Quick Mode, as
	 * responder, besides its own address as the wire shows it (always
	 * allowed, strongSwan's "dynamic"), never overlapping local_ts
	 * (ike/sa/ikev1_ids.h). Empty: that own address only (or inside
	 * remote_ts, when set). */
	struct ike_ts client_allow[IKE_CLIENT_NETS_MAX];
	unsigned n_client_allow;
	struct ike_ts client_deny[IKE_CLIENT_NETS_MAX]; /* never, even inside client_allow */
	unsigned n_client_deny;
	bool client_hosts_only; /* a single address inside client_allow, no network (vhost:) */
	/* Answer Aggressive Mode with a pre-shared key as responder. Off by
	 * default (as strongSwan): AM2 carries HASH_R, computed from the PSK,
	 * to whoever sends AM1, which allows an offline dictionary attack on
	 * the PSK without knowing it. */
	bool aggr_psk_responder;
	/* IKEv1 fragmentation (ike/ikev1_frag.c). */
	enum ike_frag_mode fragmentation;
	/* The largest IP datagram a message may need before it is sent in
	 * fragments, IP and UDP headers and the non-ESP marker included
	 * (0 = 576, the IPv4 minimum every path carries whole). */
	uint16_t fragment_size;
	/* rekey=no: never start a rekey (as initiator or responder); SAs
	 * expire unless the peer rekeys them. */
	bool no_rekey;
	/* keyingtries=: Phase 1 attempts when we initiate; each failed one
	 * counts (no answer, an error notify, an answer we refuse); 0 = 1,
	 * IKE_TRIES_FOREVER = until `down`. */
	uint32_t keying_tries;
	/* uniqueids=no|never: an identity may be shared by several peers, so
	 * INITIAL-CONTACT from one removes nobody's SAs. */
	bool ignore_initial_contact;
	/* uniqueids=keep: a peer identity with an established IKE SA of this
	 * conn (group) keeps it; a new Phase 1 of the identity from another
	 * endpoint fails its authentication (AUTHENTICATION-FAILED). */
	bool unique_keep;
	/* Several subnets per side (leftsubnet=a,b): one conn per pair of
	 * traffic selectors, all with the same non-zero group and otherwise
	 * the same peer, identities and proposals. The conns of a group share
	 * their IKE SA: one Phase 1, then one Quick Mode (one IPsec SA pair)
	 * per conn, as strongSwan and Libreswan do for IKEv1; a responder
	 * picks the conn of the group whose selectors the peer proposes.
	 * TERMINATE of one conn of a group tears the whole group down. */
	uint32_t group;
	/*
	 * XAUTH (draft-beaulieu-ike-xauth-02) and Mode Config
	 * (draft-dukes-ike-mode-cfg-02) over Transaction exchanges after Phase 1
	 * and before any Quick Mode (ike/v1/ikev1_cfg.c, ikev1_xauth.c,
	 * ikev1_modecfg.c). The gateway asks the caller to check each password
	 * (IKE_ACT_XAUTH_CHECK, answered by IKE_EV_XAUTH_VERDICT).
	 */
	enum ike_cfg_role xauth;
	/* Hybrid RSA (draft-ietf-ipsec-isakmp-hybrid-auth-05, HybridInitRSA
	 * 64221): with auth RSA_SIG and XAUTH, only the gateway (XAUTH server)
	 * signs; the client sends HASH_I and is authenticated by XAUTH alone
	 * (it needs the CA, no key; the gateway needs no CA). */
	bool hybrid;
	uint32_t xauth_tries; /* server: passwords asked before giving up (default 3) */
	char xauth_user[IKE_XAUTH_USER_MAX + 1]; /* client: our user name */
	uint8_t xauth_pass[IKE_XAUTH_PASS_MAX];	 /* client: our password (wiped with the engine) */
	size_t xauth_pass_len;
	enum ike_cfg_role modecfg;
	bool modecfg_push; /* server sends SET unasked (push); else the client asks (pull) */
	/* Server: the address pool (ike/sa/pool.h); conns with the same pool share
	 * it. Client: family 0, or the range an address pushed to us must lie in. */
	struct xk_addr pool_first;
	uint32_t pool_size;
	struct xk_addr dns[IKE_MODECFG_DNS_MAX]; /* server: INTERNAL_IP4_DNS */
	unsigned n_dns;
	char domain[IKE_MODECFG_TEXT_MAX]; /* server: UNITY_DEF_DOMAIN ("" = none) */
	char banner[IKE_MODECFG_TEXT_MAX]; /* server: UNITY_BANNER ("" = none) */
	bool unity; /* Cisco Unity: the VID, split include (local_ts), SAVE_PASSWD off */
	/* sha2-truncbug=yes: ESP SAs negotiated with HMAC-SHA2-256 truncate it to
	 * 96 bits in the kernel (XK_AUTH_HMAC_SHA256_96) instead of RFC 4868's 128,
	 * for peers that have the bug (some Android versions, Libreswan's
	 * sha2-truncbug, strongSwan's sha256_96). The wire says SHA2-256 either way. */
	bool sha2_truncbug;
};

/* ---- half-open IKE SAs (ike/sa/halfopen.c) -------------------------------- */

/* Defaults: 4,096 half-open SAs hold about 20 MiB (a responder's Phase 1
 * scratch is about 4.7 KiB with its DH key); a busy gateway's legitimate
 * Phase 1s are half-open for two round trips each. */
#define IKE_HALFOPEN_MAX_DEFAULT	4096
#define IKE_HALFOPEN_PER_SOURCE_DEFAULT 32

/* Limits on half-open responder IKE SAs (0: the default). */
struct ike_halfopen_cfg {
	uint32_t max;	     /* in all (max-halfopen-ike=) */
	uint32_t per_source; /* from one source address (max-halfopen-ike-per-source=) */
	/* Defence mode from this many on (ddos-ike-threshold=; default max / 2):
	 * no new Aggressive Mode as responder, and a source may hold only its
	 * share (per_source / 4, at least 1) of new half-open SAs. Established
	 * peers and retransmissions are served as always. */
	uint32_t defence_at;
};

/* What the limits did (counters since the pool was made). */
struct ike_halfopen_stats {
	unsigned halfopen; /* half-open responder IKE SAs now */
	unsigned sources;  /* source addresses holding one */
	bool defence;	   /* defence mode is on */
	uint64_t refused_full, refused_source, refused_share, refused_aggressive;
	uint64_t evicted;	  /* quiet ones that made room at the cap (ho_admit()) */
	uint64_t expired;	  /* half-open SAs that timed out */
	uint64_t defence_entered; /* times defence mode came on */
};

/* A pool of half-open SAs shared by engines (a daemon's, one per connection). */
struct ike_halfopen;

/**
 * ike_halfopen_new() - a pool with @cfg's limits, for ike_engine_cfg.halfopen_pool.
 * Return: 0, -ENOMEM or -EIO (no random key).
 */
int ike_halfopen_new(const struct ike_halfopen_cfg *cfg, struct ike_halfopen **out);

/**
 * ike_halfopen_configure() - new limits for @ho (a reload); SAs above a
 * lowered cap stay until they end, no new one comes while over it.
 */
void ike_halfopen_configure(struct ike_halfopen *ho, const struct ike_halfopen_cfg *cfg);

/**
 * ike_halfopen_free() - free a pool made with ike_halfopen_new(), after
 * every engine that uses it.
 */
void ike_halfopen_free(struct ike_halfopen *ho);

/**
 * ike_halfopen_stats() - the pool's counts.
 */
void ike_halfopen_stats(const struct ike_halfopen *ho, struct ike_halfopen_stats *st);

#define IKE_TRIES_FOREVER UINT32_MAX

struct ike_engine;

struct ike_engine_cfg {
	const struct ike_conn_cfg *conns;
	size_t n_conns;
	uint32_t retransmit_ms;	       /* first retransmission interval (default 500) */
	uint32_t retransmit_max_ms;    /* backoff cap (default 8000) */
	uint32_t retransmit_tries;     /* retransmissions before giving up (default 5) */
	uint32_t half_open_timeout_ms; /* responder waiting for the next message (default 30000) */
	uint32_t notify_per_s;	       /* unprotected error notifies per second (default 5) */
	uint32_t max_ike_sas;	       /* 0 = unlimited */
	/* Half-open responder IKE SAs: the engine's own pool with these
	 * limits, or the caller's pool (shared by its engines) when set. */
	struct ike_halfopen_cfg halfopen;
	struct ike_halfopen *halfopen_pool;
	bool log_debug; /* emit IKE_LOG_DEBUG records (off: not even formatted) */
	/*
	 * Every random byte the engine uses (cookie secret, cookies, nonces, DH
	 * private values, message IDs, DPD sequence numbers, rekey fuzz) comes
	 * from here, so a simulation replays exactly from one seed. NULL: OpenSSL's
	 * CSPRNG (crypto_random). Returns 0 or a negative errno.
	 */
	int (*random)(void *arg, uint8_t *buf, size_t len);
	void *random_arg;
	/*
	 * Clients held elsewhere: a daemon that runs one engine per connection
	 * answers whether another of its engines holds a live client of another
	 * identity that overlaps @rts (remote) and @lts (local), by asking each
	 * with ike_engine_client_held(); @self is the asking engine. A road
	 * warrior's claim is refused then, as for this engine's own SAs. NULL:
	 * this engine's SAs only.
	 */
	bool (*client_held)(void *arg, const struct ike_engine *self, const struct ike_ts *rts,
			    const struct ike_ts *lts, const struct ike_id *id);
	void *client_held_arg;
	/*
	 * Expensive crypto off the caller's loop (ike/engine_crypto.c). false:
	 * the engine computes DH and signatures itself, inside the call (the
	 * behaviour of every existing test). true: a datagram whose handling
	 * needs a DH key, a DH secret or an RSA signature / verification gets
	 * an IKE_ACT_CRYPTO action instead, with a self-contained job (inputs
	 * copied in, no pointer into the engine); the SA waits (a
	 * retransmission meanwhile is dropped, a second job is never started
	 * for one message) and the handling goes on when IKE_EV_CRYPTO_DONE
	 * brings the job back, in any order, at any later time. The results
	 * are those the synchronous engine would have computed: the random
	 * bytes are drawn by the engine, in the same order.
	 */
	bool crypto_async;
	/* Jobs out at once (0 = 64). Over three quarters of it new half-open
	 * work is refused (the message is dropped; the peer retransmits), the
	 * rest is kept for SAs already established. */
	uint32_t crypto_max_jobs;
	/* Keepalive audit (natt/diag.h): warn once per NATed peer that sends
	 * no NAT-keepalive for this long, or sends them slower than its NAT's
	 * observed binding lifetime. 0 = NATT_DIAG_AUDIT_MS_DEFAULT (60 s),
	 * IKE_NAT_AUDIT_OFF = no audit. */
	uint32_t nat_audit_ms;
};

#define IKE_NAT_AUDIT_OFF UINT32_MAX

/* ---- events ------------------------------------------------------------- */

enum ike_event_type {
	IKE_EV_DGRAM = 1,      /* a UDP datagram arrived */
	IKE_EV_TIMER,	       /* the time of the last IKE_ACT_TIMER has come */
	IKE_EV_INITIATE,       /* admin: bring connection up */
	IKE_EV_TERMINATE,      /* admin: tear connection down (Delete sent) */
	IKE_EV_KERNEL,	       /* a kernel event (ACQUIRE, EXPIRE, MAPPING) */
	IKE_EV_KERNEL_RESULT,  /* the answer to a kernel request (SPI allocation) */
	IKE_EV_TERMINATE_PEER, /* admin: delete one peer's SAs (Deletes sent), by IKE SA serial */
	IKE_EV_XAUTH_VERDICT,  /* the caller's answer to IKE_ACT_XAUTH_CHECK */
	IKE_EV_OCSP_RESULT,    /* the caller's answer to IKE_ACT_OCSP_FETCH */
	IKE_EV_CRYPTO_DONE,    /* a job of IKE_ACT_CRYPTO, run (ike_crypto_job_run()) */
	/* A NAT-keepalive (RFC 3948 s2.3, the lone 0xFF) arrived from
	 * u.dgram.remote at u.dgram.local (buf/len unused): Linux's UDP-encap
	 * socket consumes them in the kernel, so the daemon sees them on a raw
	 * observer and reports them here. Counted for the peer's NAT facts;
	 * never liveness, never a move. */
	IKE_EV_KEEPALIVE,
};

/* A crypto job (opaque; ike/engine_crypto.c): DH key generation, DH secret,
 * RSA signature or verification, with every input copied in. */
struct ike_crypto_job;

struct ike_dgram {
	struct sockaddr_storage local;	/* where it arrived (our address, port 500/4500) */
	struct sockaddr_storage remote; /* where it came from */
	const uint8_t *buf;		/* the UDP payload (with non-ESP marker on 4500) */
	size_t len;
	/* IKE_EV_KEEPALIVE: when it arrived (ms, the events' clock), if
	 * earlier than the event (read in batches); 0 = now */
	uint64_t rx_ms;
};

struct ike_event {
	enum ike_event_type type;
	int64_t wall_s; /* wall-clock seconds (certificate validity); 0 = unchanged */
	union {
		struct ike_dgram dgram;
		unsigned conn;	 /* INITIATE, TERMINATE: index in ike_engine_cfg.conns */
		uint32_t serial; /* TERMINATE_PEER: an IKE SA's serial (ike_status_ike_list()) */
		struct xk_event kernel;
		struct xk_result result;
		struct {
			uint32_t serial; /* ike_xauth_check.serial */
			bool ok;	 /* the password is right */
		} xauth;
		struct {
			uint32_t id;	    /* ike_ocsp_fetch.id */
			const uint8_t *buf; /* the HTTP body (DER OCSPResponse) */
			size_t len;	    /* 0: no answer (timeout, refused, not HTTP 200) */
			char error[64];	    /* with len 0: what went wrong */
		} ocsp;
		struct ike_crypto_job *crypto; /* CRYPTO_DONE: the job, handed back */
	} u;
};

/* ---- actions ------------------------------------------------------------ */

enum ike_action_type {
	IKE_ACT_SEND = 1,    /* send a datagram */
	IKE_ACT_KERNEL,	     /* perform a kernel request */
	IKE_ACT_TIMER,	     /* deliver IKE_EV_TIMER at this time (replaces the previous one) */
	IKE_ACT_LOG,	     /* log or audit record */
	IKE_ACT_XAUTH_CHECK, /* check a password; answer with IKE_EV_XAUTH_VERDICT */
	IKE_ACT_OCSP_FETCH,  /* POST an OCSP request; answer with IKE_EV_OCSP_RESULT */
	IKE_ACT_CRYPTO,	     /* run u.crypto (any thread); answer with IKE_EV_CRYPTO_DONE */
	IKE_ACT_MODECFG,     /* Mode Config client: an address received / to remove */
};

enum ike_log_level {
	IKE_LOG_DEBUG,
	IKE_LOG_INFO,
	IKE_LOG_WARN,
	IKE_LOG_ERROR,
	IKE_LOG_AUDIT, /* security-relevant change (RFC 3947 s8: mapping changes) */
};

/* Why something happened; tests and the control socket match on these. */
enum ike_reason {
	IKE_R_NONE = 0,
	IKE_R_MALFORMED,	 /* could not decode / payloads missing */
	IKE_R_UNEXPECTED,	 /* message not valid in this state */
	IKE_R_NO_PROPOSAL,	 /* no acceptable proposal */
	IKE_R_AUTH_FAILED,	 /* HASH_I/HASH_R/SIG did not verify (e.g. wrong PSK) */
	IKE_R_ID_MISMATCH,	 /* peer identity not the configured one */
	IKE_R_NO_CONN,		 /* no connection for this peer */
	IKE_R_TIMEOUT,		 /* retransmissions exhausted */
	IKE_R_BAD_HASH,		 /* protected message with a wrong HASH(1)/(2)/(3) */
	IKE_R_DECRYPT,		 /* decryption failed */
	IKE_R_PEER_NOTIFY,	 /* the peer sent an error notification */
	IKE_R_PEER_DELETE,	 /* the peer deleted an SA */
	IKE_R_INITIAL_CONTACT,	 /* SAs removed on INITIAL-CONTACT */
	IKE_R_IKE_ESTABLISHED,	 /* Phase 1 complete */
	IKE_R_IPSEC_ESTABLISHED, /* Phase 2 complete */
	IKE_R_TERMINATED,	 /* admin terminate */
	IKE_R_EXPIRED,		 /* lifetime reached */
	IKE_R_REKEY,		 /* rekey started */
	IKE_R_MAPPING_CHANGED,	 /* peer address/port moved (audit) */
	IKE_R_FLOAT,		 /* switched to port 4500 */
	IKE_R_NAT_DETECTED,	 /* NAT-D found a NAT */
	IKE_R_DPD_DEAD,		 /* DPD declared the peer dead */
	IKE_R_KERNEL,		 /* a kernel request failed */
	IKE_R_RESOURCE,		 /* out of memory / table full */
	IKE_R_TS_MISMATCH,	 /* Quick Mode IDs not acceptable */
	IKE_R_CRYPTO,		 /* local crypto failure */
	IKE_R_RETRANSMIT,	 /* duplicate answered from the last response */
	IKE_R_REJECTED,		 /* ignored by policy (rate limit, port rule) */
	IKE_R_REPLAY,		 /* a protected message seen before on this IKE SA */
	IKE_R_XAUTH_OK,		 /* XAUTH: the user is authenticated */
	IKE_R_XAUTH_FAILED,	 /* XAUTH: wrong password (after the retries), or refused */
	IKE_R_MODECFG,		 /* Mode Config: an address assigned / received */
	IKE_R_POOL_EXHAUSTED,	 /* Mode Config: no address left for the newcomer */
	IKE_R_NAT_AUDIT,	 /* a NATed peer's keepalives cannot keep its NAT open */
	IKE_R_COUNT,
};

struct ike_send {
	struct sockaddr_storage local;
	struct sockaddr_storage remote;
	size_t off; /* bytes at ike_actions.buf + off */
	size_t len;
};

struct ike_log {
	enum ike_log_level level;
	enum ike_reason reason;
	uint32_t sa_serial; /* 0 = not tied to an SA */
	char text[IKE_LOG_TEXT_MAX];
};

/* A password to check (the caller answers with IKE_EV_XAUTH_VERDICT, at
 * once or later: the engine waits, bounded by the half-open timeout). The
 * password is wiped by ike_actions_wipe(); it never appears in a log. */
struct ike_xauth_check {
	uint32_t serial; /* the IKE SA; echo it in the verdict */
	unsigned conn;
	char user[IKE_XAUTH_USER_MAX + 1];
	uint8_t pass[IKE_XAUTH_PASS_MAX];
	size_t pass_len;
};

/* An OCSP request to carry to its responder (HTTP POST, RFC 6960 A.1) off
 * the event loop, with a short timeout; the answer goes back as
 * IKE_EV_OCSP_RESULT with the same id. The engine builds and checks the
 * OCSP messages; the caller only moves bytes. */
struct ike_ocsp_fetch {
	uint32_t id;
	char uri[IKE_OCSP_URI_MAX]; /* http://host[:port]/path */
	uint8_t req[IKE_OCSP_REQ_MAX];
	size_t req_len;
};

/* Mode Config client (ike/v1/ikev1_modecfg.c): what the gateway gave us,
 * checked, for the caller to install (up) and to remove again (!up: the IKE
 * SA that received it is gone, whatever the reason). The engine never
 * touches the kernel's addresses or routes itself. */
struct ike_modecfg {
	uint32_t serial; /* the IKE SA that received it */
	unsigned conn;
	bool up;
	struct xk_addr addr; /* INTERNAL_IP4_ADDRESS */
	uint8_t plen;	     /* from INTERNAL_IP4_NETMASK; 32 without one */
	uint8_t n_dns;
	struct xk_addr dns[IKE_MODECFG_DNS_MAX]; /* INTERNAL_IP4_DNS */
	uint8_t n_split;
	struct ike_ts split[IKE_MODECFG_SPLIT_MAX]; /* UNITY_SPLIT_INCLUDE */
	char domain[IKE_MODECFG_DOMAIN_MAX];	    /* UNITY_DEF_DOMAIN ("" = none) */
};

struct ike_action {
	enum ike_action_type type;
	union {
		struct ike_send send;
		struct xk_req kernel;
		uint64_t timer_at_ms;
		struct ike_log log;
		struct ike_xauth_check xauth;
		struct ike_ocsp_fetch ocsp;
		struct ike_crypto_job *crypto; /* owned by the caller until handed back */
		struct ike_modecfg modecfg;
	} u;
};

/* Caller-owned output of one ike_engine_handle() call. */
struct ike_actions {
	size_t n;
	struct ike_action v[IKE_ACTIONS_MAX];
	size_t buf_used;
	uint8_t buf[IKE_ACTIONS_BUF];
	unsigned dropped;	     /* actions lost (out of memory for the backlog: a bug) */
	struct eng_backlog *backlog; /* the engine's, set during ike_engine_handle() only */
};

struct ike_engine;
struct eng_backlog;

/**
 * ike_actions_init() - make @out empty.
 */
void ike_actions_init(struct ike_actions *out);

/**
 * ike_actions_wipe() - OPENSSL_cleanse the kernel requests (they carry keys)
 * and make @out empty again.
 */
void ike_actions_wipe(struct ike_actions *out);

/**
 * ike_actions_data() - the bytes of a IKE_ACT_SEND action.
 */
const uint8_t *ike_actions_data(const struct ike_actions *out, const struct ike_action *a);

/**
 * ike_engine_new() - create an engine from a plain configuration.
 * @cfg: copied; the caller may free it afterwards.
 * @out: receives the engine.
 *
 * Return: 0, -EINVAL for an invalid configuration (no proposals, PSK auth
 * without a key, ...), or -ENOMEM.
 */
int ike_engine_new(const struct ike_engine_cfg *cfg, struct ike_engine **out);

/**
 * ike_engine_free() - free the engine and every SA; all keys are wiped.
 * No actions are produced (the daemon flushes the kernel by reqid range);
 * actions still waiting in the backlog are discarded, so a caller that
 * wants them (a teardown just decided) calls ike_engine_handle() with
 * IKE_EV_TIMER until the timer it gets back is no longer "now".
 */
void ike_engine_free(struct ike_engine *eng);

/**
 * ike_engine_handle() - process one event.
 * @eng:    the engine.
 * @ev:     the event; datagram bytes are borrowed for the call only.
 * @now_ms: the current time (monotonic, milliseconds).
 * @out:    actions are appended here.
 *
 * Return: 0, or a negative errno for a caller error (bad event type).
 * Protocol failures are not errors of this call: they show up as log
 * actions with a reason.
 */
int ike_engine_handle(struct ike_engine *eng, const struct ike_event *ev, uint64_t now_ms,
		      struct ike_actions *out);

/**
 * ike_crypto_job_run() - compute job @job (an IKE_ACT_CRYPTO action's). It
 * touches nothing but @job: any thread may run it, several jobs at once.
 */
void ike_crypto_job_run(struct ike_crypto_job *job);

/**
 * ike_crypto_job_id() - the job's number (unique per engine), for logs.
 */
uint64_t ike_crypto_job_id(const struct ike_crypto_job *job);

/**
 * ike_crypto_job_free() - wipe and free a job that will not be handed back
 * (the caller frees its engine first). A job handed back with
 * IKE_EV_CRYPTO_DONE belongs to the engine again.
 */
void ike_crypto_job_free(struct ike_crypto_job *job);

/* ---- read-only status, for tests and the control socket ------------------ */

struct ike_status {
	unsigned ike_sas;	  /* all IKE SAs, any state */
	unsigned ike_established; /* IKE SAs in an established state */
	unsigned ipsec_sas;	  /* installed IPsec SA pairs */
	unsigned half_open;
};

/**
 * ike_engine_status() - counts of SAs.
 */
void ike_engine_status(const struct ike_engine *eng, struct ike_status *st);

/**
 * ike_engine_halfopen() - the half-open pool @eng uses (its own or the
 * caller's), for ike_halfopen_stats().
 */
const struct ike_halfopen *ike_engine_halfopen(const struct ike_engine *eng);

/**
 * ike_trap_policies() - the trap policies of connection @c (selectors of
 * its subnets, a template towards its peer, reqid @reqid): traffic that
 * hits one makes the kernel ACQUIRE an SA instead of leaving in clear text.
 * @out: up to 3 policies (out, in, fwd; transport mode: out, in).
 *
 * Return: the number filled, or -EINVAL when @c names no fixed peer or no
 * subnets (right=%any: nothing to route).
 */
int ike_trap_policies(const struct ike_conn_cfg *c, uint32_t reqid, struct xk_policy *out);

/**
 * ike_ts_to_sel() - the kernel selector of traffic from @src to @dst (the
 * protocol and ports of either end): one rule for the engine's SA and trap
 * policies and the daemon's shunts.
 */
void ike_ts_to_sel(const struct ike_ts *src, const struct ike_ts *dst, struct xk_selector *s);

/**
 * ike_reason_name() - printable name of a reason ("AUTH_FAILED").
 */
const char *ike_reason_name(enum ike_reason r);

/* ---- which engine a datagram is for -------------------------------------- */

/* How a connection matches a new Phase 1 (ike_conn_match_new()). */
enum ike_conn_match {
	IKE_MATCH_NONE = 0, /* another local address, another peer, another exchange */
	IKE_MATCH_ANY,	    /* the connection accepts any peer (right=%any) */
	IKE_MATCH_PEER,	    /* the connection names this peer */
};

/**
 * ike_engine_owns() - whether the IKE SA an ISAKMP header names lives in
 * @eng: by its full cookie pair, or by the pair as it stands while one
 * cookie is still unknown to one side (the responder's first answer to our
 * MM1/AM1; a retransmitted MM1/AM1 we answered). This is the engine's own
 * lookup, so a daemon with one engine per connection routes every message
 * to the engine that will accept it, for any number of peers, and cookies
 * nobody negotiated never displace a peer's.
 */
bool ike_engine_owns(struct ike_engine *eng, const uint8_t *icky, const uint8_t *rcky);

/**
 * ike_conn_match_new() - how connection @c matches a new Phase 1 (Main or
 * Aggressive Mode, @aggressive, for cookies no engine knows) from @remote
 * arriving at @local. An Aggressive Mode PSK connection matches only with
 * aggr_psk_responder set. Whoever picks the connection takes the first
 * IKE_MATCH_PEER, else the first IKE_MATCH_ANY, in configuration order: the
 * engine among its connections, the daemon among its engines.
 */
enum ike_conn_match ike_conn_match_new(const struct ike_conn_cfg *c,
				       const struct sockaddr_storage *local,
				       const struct sockaddr_storage *remote, bool aggressive);

/**
 * ike_engine_client_held() - whether @eng holds a live IPsec SA (installed,
 * or accepted as responder and being finished) of an identity other than
 * @id whose remote selector overlaps @rts and local selector overlaps
 * @lts. @held (may be NULL) receives that SA's remote selector.
 */
bool ike_engine_client_held(const struct ike_engine *eng, const struct ike_ts *rts,
			    const struct ike_ts *lts, const struct ike_id *id, struct ike_ts *held);

/**
 * ike_engine_peer_at() - whether @eng has an established IKE SA whose peer
 * is at @ep (address and port) now: where a NAT-keepalive from @ep goes
 * (IKE_EV_KEEPALIVE). O(1) expected.
 */
bool ike_engine_peer_at(struct ike_engine *eng, const struct sockaddr_storage *ep);

/**
 * ike_conn_aggr_responder_ok() - whether @c may answer an Aggressive Mode as
 * responder: signatures always, a PSK only with aggr_psk_responder.
 */
bool ike_conn_aggr_responder_ok(const struct ike_conn_cfg *c);

/**
 * ike_policy_priority() - the XFRM priority of a policy with selector @sel
 * (lower wins): more specific selectors first, as strongSwan and Libreswan
 * order them, so that a broad selector never shadows a narrower one:
 * 4 x (1024 - source prefix - destination prefix), +2 without ports, +1
 * without a protocol. The engine's SA policies and the daemon's trap
 * policies use it alike.
 */
uint32_t ike_policy_priority(const struct xk_selector *sel);

#endif
