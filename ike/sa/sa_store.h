/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SA store: IKE SAs (one per Phase 1 negotiation) and IPsec SAs (one per
 * Quick Mode, i.e. one inbound + one outbound kernel SA). Plain data and the
 * functions that create, find and free them; what happens to them is the
 * business of the exchange handlers, and their state is changed only by the
 * dispatcher.
 *
 * IPsec SAs do not belong to the IKE SA that negotiated them (IKEv1: they
 * outlive it); they remember its serial and the peer's authenticated
 * identity, which is what INITIAL-CONTACT matches on (RFC 3947 s6).
 */
#ifndef NATKEYD_IKE_SA_STORE_H
#define NATKEYD_IKE_SA_STORE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ike/crypto/crypto.h"
#include "ike/engine.h"
#include "ike/ikev1_states.h"
#include "ike/crypto/keys.h"
#include "ike/sa/proposal.h"
#include "natt/diag.h"
#include "natt/encap.h"
#include "natt/method.h"

#define V1_NONCE_LEN	32 /* what we send; we accept 8..256 (RFC 2409 s5) */
#define V1_NONCE_MAX	256
#define V1_SA_BODY_MAX	2048
#define V1_ID_BODY_MAX	(4 + IKE_ID_DATA_MAX)
#define V1_NO_TIMER	UINT64_MAX
#define V1_INFO_SEEN	32    /* protected Informational M-IDs remembered per IKE SA */
#define V1_IC_WINDOW_MS 10000 /* INITIAL-CONTACT honoured this long after Phase 1 */

/* Replay window: the Message IDs of the last V1_INFO_SEEN accepted
 * exchanges of one kind on one IKE SA (peers choose them at random). */
struct v1_msgid_window {
	uint32_t id[V1_INFO_SEEN];
	uint8_t n, next;
};

/* A UDP endpoint without the bulk of sockaddr_storage. */
union ike_ep {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

/* What every exchange (Phase 1 on an IKE SA, or one Quick Mode) has. */
struct v1_xchg {
	enum ikev1_state state; /* written by the dispatcher only */
	uint32_t serial;
	uint64_t timer_at; /* retransmit / kernel / half-open deadline */
	uint32_t rexmit_ms;
	uint8_t tries;
	uint16_t tx_len;
	uint8_t *tx;	  /* last message we sent (unframed), for retransmission */
	uint64_t rx_fp;	  /* fingerprint of the last message that advanced us */
	bool answered;	  /* tx is the answer to that message: resend it on a duplicate */
	bool ipsec;	  /* this is an ipsec_sa's (else an ike_sa's) */
	bool cfg;	  /* a Transaction conversation's (ike/v1/ikev1_cfg.h) of an ike_sa */
	uint64_t th_at;	  /* its SA's entry in the timer heap, or V1_NO_TIMER */
	uint32_t th_slot; /* that entry's handle (timer_heap.h), TH_NONE if none */
};

/* Phase 1 negotiation scratch; freed as soon as the IKE SA is established. */
struct p1_work {
	struct crypto_dh *dh;
	size_t ke_len;
	uint8_t gxi[CRYPTO_DH_MAX_LEN];
	uint8_t gxr[CRYPTO_DH_MAX_LEN];
	size_t ni_len, nr_len;
	uint8_t ni[V1_NONCE_MAX];
	uint8_t nr[V1_NONCE_MAX];
	size_t sai_b_len;
	uint8_t sai_b[V1_SA_BODY_MAX]; /* initiator's SA payload body (HASH_I/R) */
	size_t peer_id_b_len;
	uint8_t peer_id_b[V1_ID_BODY_MAX]; /* peer's ID body (AM: verified in AM3) */
	struct ike_id peer_id_claim;	   /* AM responder: IDii of AM1, not yet verified */
	size_t my_id_b_len;
	uint8_t my_id_b[V1_ID_BODY_MAX]; /* our ID body (AM initiator: HASH_I in AM3) */
	natt_method_set peer_methods;	 /* NAT-T VIDs the peer sent */
	bool peer_cr;			 /* the peer sent a CERTREQ (leftsendcert=ifasked) */
	bool keys_done;
};

struct ike_sa {
	struct v1_xchg x;
	/* What a timer, an SPI or cookie lookup and a keepalive read come
	 * first: the first four cache lines (an event at 100,000 SAs misses
	 * the cache on each line it reads). Negotiation state and the rarely
	 * read rest follow. */
	unsigned conn;
	bool initiator;
	bool aggressive;
	bool floated;	       /* IKE runs on 4500 */
	bool nat_we, nat_peer; /* NAT-D results (RFC 3947 s3.2) */
	bool peer_dpd;	       /* peer sent the DPD VID */
	bool deleting;
	bool psk_warned;     /* logged a Phase 1 decryption failure */
	bool rekey_started;  /* a successor Phase 1 was started */
	bool had_qm;	     /* a Quick Mode was started on it (its deletion looks for them) */
	uint32_t keying_try; /* initiator: which attempt this is (1 = first) */
	uint8_t cky_i[IKE_COOKIE_LEN];
	uint8_t cky_r[IKE_COOKIE_LEN];
	uint32_t cky_key; /* CKY-I's keyed hash: its key in the cookie index */
	uint64_t expire_at, rekey_at;
	uint64_t last_rx_ms, last_tx_ms;
	uint64_t dpd_at;       /* next R-U-THERE, or V1_NO_TIMER */
	uint64_t ka_at;	       /* next keepalive check, or V1_NO_TIMER */
	uint32_t dpd_seq;      /* our next R-U-THERE sequence number */
	uint32_t dpd_wait_seq; /* sequence of the outstanding R-U-THERE */
	uint8_t dpd_pending;   /* R-U-THEREs without ACK */
	/* Adaptive keepalive (natt/adaptka.h, ike/v1/ikev1_adaptka.c): the
	 * NAT binding lifetime of this peer's path (ms, 0 = unknown) and its
	 * source (enum natt_lifetime_src); set by ike_sa_binding_lifetime_set()
	 * only. bl_told_ms: the value we last sent a natkeyd peer. */
	uint32_t bl_ms, bl_told_ms;
	uint8_t bl_src;
	bool peer_natkeyd; /* peer sent the natkeyd Vendor ID */
	uint64_t audit_at; /* next keepalive audit (natt_diag_audit()), or V1_NO_TIMER */
	struct p1_work *w;
	struct ho_src *ho_src; /* counted as half-open there (halfopen.h), or NULL */
	uint64_t crypto_wait;  /* a message waits for this crypto job (engine_crypto.h) */
	/* XAUTH and Mode Config after Phase 1 (ikev1_cfg.c), NULL if none. */
	struct v1_cfg *xauth, *mcfg;
	union ike_ep local, remote;
	enum natt_method natt;
	struct ike_sa *next, *prev; /* the engine's list (O(1) unlink) */
	struct ike_p1_proposal p1;  /* negotiated */
	uint16_t auth;
	bool hybrid; /* hybrid RSA negotiated: the initiator (XAUTH client) sends HASH_I */
	uint32_t life_s;
	struct keys_phase1 keys;
	uint8_t p1_iv[CRYPTO_BLOCK_MAX_LEN]; /* running Phase 1 IV; last block once done */
	struct ike_id peer_id;		     /* authenticated peer identity */
	/* INITIAL-CONTACT: honoured in the message that completes Phase 1
	 * (ic_done) or in an Informational until ic_until, once. */
	bool ic_done;
	uint64_t ic_until;
	/* Replay windows: protected Informationals, and Quick Modes the peer
	 * started (a replayed QM1 of an exchange that ended). */
	struct v1_msgid_window info_seen, qm_seen;
	/* Quiet half-open SAs (halfopen.h: the peer has not shown it receives),
	 * oldest first across the pool's engines: the first to go at the cap. */
	struct ike_sa *ho_prev, *ho_next;
	struct ike_engine *ho_eng;
	/* IKEv1 fragmentation (ike/ikev1_frag.c). */
	bool peer_frag;		    /* the peer sent the FRAGMENTATION vendor ID */
	bool peer_sent_frags;	    /* the peer sent us a message in fragments */
	bool frag_tx;		    /* the last message went out in fragments */
	uint16_t frag_id;	    /* Fragment ID of our last fragmented message */
	struct isakmp_reasm *reasm; /* a message being reassembled, or NULL */
	/* NAT facts of this peer (natt/diag.h, recorded by
	 * ike/engine_natfacts.c), carried to the IKE SA that replaces it. */
	struct natt_facts nat;
	/* The index of established SAs by peer endpoint (keepalives find
	 * their SA in O(1)): the key it is indexed under. */
	uint32_t ep_key;
	bool ep_indexed;
	/* The index by authenticated peer identity (sa_ike_id_index()):
	 * INITIAL-CONTACT and the carry-overs find the peer's other SAs
	 * without a walk over every SA. */
	uint32_t id_key;
	bool id_indexed;
};

/* Quick Mode negotiation scratch; freed once the IPsec SA is installed. */
struct qm_work {
	size_t ni_len, nr_len;
	uint8_t ni[V1_NONCE_MAX];
	uint8_t nr[V1_NONCE_MAX];
	struct crypto_dh *dh; /* PFS */
	size_t gx_peer_len;
	uint8_t gx_peer[CRYPTO_DH_MAX_LEN];
	struct p2_choice ch; /* what was chosen (responder: echoed in QM2) */
	uint8_t idci_type, idcr_type;
	bool have_ids;
	/* Responder, Cisco Unity: the client proposed 0.0.0.0/0 for our side
	 * (IDcr, kept here and echoed in QM2); the kernel gets our subnet. */
	bool unity_wild;
	struct ike_ts wire_lts;
	uint32_t replaces; /* serial of the IPsec SA this one rekeys */
	bool commit;	   /* the commit bit is set in this Quick Mode (QM1 or QM2) */
};

struct ipsec_sa {
	struct v1_xchg x;
	/* What a timer and a kernel event read come first (ike_sa). */
	uint32_t ike_serial; /* the IKE SA that negotiated it (may be gone) */
	unsigned conn;
	bool initiator;
	bool installed;
	bool replaced;		  /* a rekeyed successor is installed */
	bool rekeying;		  /* a successor is being negotiated */
	uint32_t spi_in, spi_out; /* host order */
	uint64_t expire_at, rekey_at;
	/* NAT-keepalives while this SA outlives every IKE SA with its peer
	 * (RFC 3948 s4: "while a Phase 1 or Phase 2 SA exists"): set when it
	 * was negotiated behind a NAT, UDP-encapsulated; ka_at is when to look
	 * again, ka_last the last packet sent to the peer that we know of. */
	bool ka_duty;
	uint64_t ka_at, ka_last;
	struct qm_work *w;
	struct ipsec_sa *next, *prev; /* the engine's list (O(1) unlink) */
	uint32_t msgid;
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN];
	uint32_t kcookie;  /* outstanding kernel request */
	uint32_t kinstall; /* tag of its install requests (SAs, policies): a refusal fails it */
	struct ike_p2_proposal p2;
	enum natt_encap encap;
	uint16_t pfs_group;
	uint32_t life_s;
	struct ike_ts lts, rts;
	struct xk_addr oa;	    /* peer's original address (NAT-OA), for transport mode */
	union ike_ep local, remote; /* outer endpoints at install time */
	struct ike_id peer_id;
	uint32_t life_kb; /* byte lifetime in kilobytes, 0 = none (RFC 2407 s4.5) */
	/* Commit bit (RFC 2408 s3.1): the initiator installed only the inbound
	 * SA and waits for the responder's CONNECTED until expire_at; the SA is
	 * not used (no outbound SA, no policies) meanwhile. */
	bool await_connected;
	/* The index by peer identity (sa_ipsec_by_id_first()). */
	uint32_t id_key;
	bool id_indexed;
	/* The indexes by Message ID and by kernel request tag: a Quick Mode
	 * message and a kernel result find their IPsec SA in O(1). Set the
	 * fields with sa_ipsec_set_msgid() / _kcookie() / _kinstall(). */
	bool msgid_indexed, kcookie_indexed, kinstall_indexed;
};

struct ike_engine;
struct ho_src;
struct isakmp_reasm;

/**
 * sa_ike_new() - allocate an IKE SA, linked into the engine and indexed by
 * its initiator cookie @icky, state V1_NONE.
 *
 * Return: the SA or NULL (out of memory, or the max_ike_sas limit).
 */
struct ike_sa *sa_ike_new(struct ike_engine *eng, unsigned conn, bool initiator,
			  const uint8_t *icky);

/**
 * sa_ike_store_free() - free the cookie index (the SAs are freed first).
 */
void sa_ike_store_free(struct ike_engine *eng);

/**
 * sa_ike_free() - unlink and free an IKE SA, wiping its keys.
 */
void sa_ike_free(struct ike_engine *eng, struct ike_sa *sa);

/**
 * sa_ike_work_free() - free the Phase 1 scratch (DH key, nonces), wiped.
 */
void sa_ike_work_free(struct ike_sa *sa);

/**
 * sa_ike_find() - the IKE SA with these cookies (@rcky may be all-zero to
 * match an SA whose responder cookie is not known yet).
 */
struct ike_sa *sa_ike_find(struct ike_engine *eng, const uint8_t *icky, const uint8_t *rcky);

/**
 * sa_ike_by_serial() - the IKE SA with @serial, or NULL.
 */
struct ike_sa *sa_ike_by_serial(struct ike_engine *eng, uint32_t serial);

/**
 * sa_ike_established_for() - the newest established IKE SA of @conn.
 */
struct ike_sa *sa_ike_established_for(struct ike_engine *eng, unsigned conn);

/**
 * sa_ike_for_child() - the IKE SA through which to reach the peer of @c:
 * the one that negotiated @c while it is established, else the newest
 * established IKE SA of the same connection and the same authenticated peer
 * identity (a gateway conn with right=%any serves many peers; the newest SA
 * of the conn may belong to another one). NULL if there is none.
 */
struct ike_sa *sa_ike_for_child(struct ike_engine *eng, const struct ipsec_sa *c);

/**
 * sa_ipsec_of_peer() - does @c belong to the peer of @sa? It does when @sa
 * negotiated it, or when it is of the same connection, was negotiated with
 * the same authenticated identity and uses the same peer endpoint (address
 * and port: road warriors behind one NAT share the address, and a group
 * identity may be shared too). Every destructive action a peer can cause
 * (DPD death, Delete, admin drop of one peer) stays inside this set.
 */
bool sa_ipsec_of_peer(const struct ike_engine *eng, const struct ike_sa *sa,
		      const struct ipsec_sa *c);

/**
 * sa_msgid_seen() - is @id in @w? sa_msgid_add() - remember @id (the
 * oldest goes when the window is full). Add only what verified, so that
 * nobody without the keys can flush the window.
 */
bool sa_msgid_seen(const struct v1_msgid_window *w, uint32_t id);
void sa_msgid_add(struct v1_msgid_window *w, uint32_t id);

/**
 * sa_ike_successor() - a newer IKE SA of the same connection and peer as
 * @sa, established or being negotiated (the peer rekeyed, or we did), or
 * NULL. The peer is its authenticated identity once both know it, else its
 * address. For an @sa with an identity (every established one) only SAs of
 * that identity count, found through the identity index: a half-open SA
 * from the peer's address, which anyone can make, does not hold off our
 * rekey.
 */
struct ike_sa *sa_ike_successor(struct ike_engine *eng, const struct ike_sa *sa);

/**
 * sa_ike_ep_index() - (re)index @sa under its current remote endpoint
 * (after establishment and after every move). Return: 0 or -ENOMEM.
 */
int sa_ike_ep_index(struct ike_engine *eng, struct ike_sa *sa);

/**
 * sa_ike_by_ep() - the newest established IKE SA indexed under endpoint
 * @ep (address and port), or NULL. O(1) expected.
 */
struct ike_sa *sa_ike_by_ep(struct ike_engine *eng, const union ike_ep *ep);

/**
 * sa_ike_id_index() - (re)index @sa under its peer identity, once that is
 * set (Phase 1 authentication). Return: 0, or -ENOMEM: the identity lookups
 * below then walk every SA, as before the index (nothing is missed).
 */
int sa_ike_id_index(struct ike_engine *eng, struct ike_sa *sa);

/**
 * sa_ike_by_id_first() / sa_ike_by_id_next() - the IKE SAs whose peer
 * identity is @id (same type, length and bytes), newest first; the next
 * after @sa. O(SAs of that identity) with the index. A caller that frees
 * the SA it holds starts again from sa_ike_by_id_first().
 */
struct ike_sa *sa_ike_by_id_first(struct ike_engine *eng, const struct ike_id *id);
struct ike_sa *sa_ike_by_id_next(struct ike_engine *eng, const struct ike_sa *sa,
				 const struct ike_id *id);

/**
 * sa_ipsec_by_id_first() / sa_ipsec_by_id_next() - the same for IPsec SAs
 * (indexed by sa_ipsec_new() under the identity of the IKE SA that made
 * them).
 */
struct ipsec_sa *sa_ipsec_by_id_first(struct ike_engine *eng, const struct ike_id *id);
struct ipsec_sa *sa_ipsec_by_id_next(struct ike_engine *eng, const struct ipsec_sa *c,
				     const struct ike_id *id);

/**
 * sa_ipsec_peer_first() / sa_ipsec_peer_next() - the IPsec SAs that may be
 * of the peer with identity @id: sa_ipsec_by_id_first()/_next(), or every
 * IPsec SA when @id is empty (type 0). Callers still check which are the
 * peer's (sa_ipsec_of_peer() and the like). A caller that frees the SA it
 * holds starts again from sa_ipsec_peer_first().
 */
struct ipsec_sa *sa_ipsec_peer_first(struct ike_engine *eng, const struct ike_id *id);
struct ipsec_sa *sa_ipsec_peer_next(struct ike_engine *eng, const struct ipsec_sa *c,
				    const struct ike_id *id);

/**
 * sa_ipsec_set_msgid() - set @c's Quick Mode Message ID (indexed with its
 * IKE SA's serial for sa_ipsec_find_msgid()).
 */
void sa_ipsec_set_msgid(struct ike_engine *eng, struct ipsec_sa *c, uint32_t msgid);

/**
 * sa_ipsec_msgid_taken() - whether an IPsec SA of @ike other than @c uses
 * @msgid.
 */
bool sa_ipsec_msgid_taken(struct ike_engine *eng, const struct ike_sa *ike,
			  const struct ipsec_sa *c, uint32_t msgid);

/**
 * sa_ipsec_set_kcookie() / sa_ipsec_set_kinstall() - set @c's outstanding
 * kernel request tag / install tag (0: none), indexed for
 * sa_ipsec_find_kcookie().
 */
void sa_ipsec_set_kcookie(struct ike_engine *eng, struct ipsec_sa *c, uint32_t v);
void sa_ipsec_set_kinstall(struct ike_engine *eng, struct ipsec_sa *c, uint32_t v);

/**
 * sa_ipsec_new() - allocate a Quick Mode exchange / IPsec SA.
 */
struct ipsec_sa *sa_ipsec_new(struct ike_engine *eng, struct ike_sa *ike, bool initiator);

/**
 * sa_ipsec_free() - unlink and free it (no kernel requests: the caller
 * emitted the deletes).
 */
void sa_ipsec_free(struct ike_engine *eng, struct ipsec_sa *c);

/**
 * sa_ipsec_work_free() - free the Quick Mode scratch, wiped.
 */
void sa_ipsec_work_free(struct ipsec_sa *c);

/**
 * sa_ipsec_find_msgid() - the Quick Mode exchange of @ike with @msgid.
 */
struct ipsec_sa *sa_ipsec_find_msgid(struct ike_engine *eng, const struct ike_sa *ike,
				     uint32_t msgid);

/**
 * sa_ipsec_find_kcookie() - the exchange waiting for kernel request @cookie
 * (@install: false), or the IPsec SA whose install requests carry it (true).
 */
struct ipsec_sa *sa_ipsec_find_kcookie(struct ike_engine *eng, uint32_t cookie, bool *install);

/**
 * sa_ipsec_rekey_waiting() - an IPsec SA of @sa's connection and peer whose
 * rekey started while no IKE SA with that peer was up and that no Quick Mode
 * is replacing yet: the first Quick Mode on @sa should replace it. NULL if
 * there is none.
 */
struct ipsec_sa *sa_ipsec_rekey_waiting(struct ike_engine *eng, const struct ike_sa *sa);

/**
 * sa_ipsec_by_serial() - the IPsec SA / Quick Mode with @serial, or NULL.
 */
struct ipsec_sa *sa_ipsec_by_serial(struct ike_engine *eng, uint32_t serial);

/**
 * sa_ipsec_find_spi() - the IPsec SA with inbound (@inbound) or outbound SPI
 * (hash index: O(1)).
 */
struct ipsec_sa *sa_ipsec_find_spi(struct ike_engine *eng, uint32_t spi, bool inbound);

/**
 * sa_ipsec_set_spi() - set @c's inbound (@inbound) or outbound SPI and
 * index it; every SPI is set through here. Return: 0 or -ENOMEM (the SA
 * keeps the SPI but sa_ipsec_find_spi() will not find it).
 */
int sa_ipsec_set_spi(struct ike_engine *eng, struct ipsec_sa *c, bool inbound, uint32_t spi);

/**
 * sa_store_init() - the engine's indexes (after its cookie secret is set);
 * sa_store_free() frees them once every SA is gone.
 */
void sa_store_init(struct ike_engine *eng);
void sa_store_free(struct ike_engine *eng);

/**
 * sa_xchg_tx_set() - remember @len bytes as the last message sent.
 *
 * Return: 0 or -ENOMEM.
 */
int sa_xchg_tx_set(struct v1_xchg *x, const uint8_t *buf, size_t len);

/**
 * sa_xchg_tx_clear() - forget the last message sent.
 */
void sa_xchg_tx_clear(struct v1_xchg *x);

/**
 * sa_ep_from_ss() / sa_ep_to_ss() - convert endpoints.
 */
void sa_ep_from_ss(union ike_ep *ep, const struct sockaddr_storage *ss);
void sa_ep_to_ss(const union ike_ep *ep, struct sockaddr_storage *ss);

/**
 * sa_ep_to_xk() - the address of an endpoint in kernel-request form.
 */
void sa_ep_to_xk(const union ike_ep *ep, struct xk_addr *out);

/**
 * sa_ep_port() - the port of @ep in host order.
 */
uint16_t sa_ep_port(const union ike_ep *ep);

#endif
