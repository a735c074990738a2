/* xfrm_msg.h: pure XFRM netlink builders and parsers over libmnl.
 *
 * Builders write one complete netlink message into a caller buffer and return its length
 * (> 0) or a negative errno (-EMSGSIZE: buffer too small; -EINVAL: request not expressible,
 * e.g. wrong key length or unknown algorithm). They never allocate and never do I/O.
 * Messages for SAs carry key bytes: the caller wipes the buffer after sending it.
 *
 * Parsers take one netlink message (already checked with xfrm_nlmsg_ok) and fill plain structs
 * from xfrm/kernel_req.h. Every attribute goes through one validation table (minimum payload
 * length per type, then cross-field length checks); unknown attribute types are skipped.
 */
#ifndef NATKEYD_XFRM_MSG_H
#define NATKEYD_XFRM_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "xfrm/kernel_req.h"

/* Netlink flags every request carries: NLM_F_REQUEST | NLM_F_ACK. */

/** xfrm_msg_build_spi_alloc() - XFRM_MSG_ALLOCSPI for an inbound ESP SA.
 * Rejects a range that includes SPIs below XK_SPI_MIN (RFC 3948 s1: SPI 0 is never used). */
int xfrm_msg_build_spi_alloc(void *buf, size_t len, uint32_t seq, const struct xk_spi_req *r);

/** xfrm_msg_build_sa() - XFRM_MSG_NEWSA (update=false) or XFRM_MSG_UPDSA (update=true). */
int xfrm_msg_build_sa(void *buf, size_t len, uint32_t seq, const struct xk_sa *sa, bool update);

/** xfrm_msg_build_sa_id() - XFRM_MSG_DELSA (type=XFRM_MSG_DELSA) or XFRM_MSG_GETSA. */
int xfrm_msg_build_sa_id(void *buf, size_t len, uint32_t seq, uint16_t type,
			 const struct xk_sa_id *id);

/** xfrm_msg_build_policy() - XFRM_MSG_NEWPOLICY (update=false) or XFRM_MSG_UPDPOLICY. */
int xfrm_msg_build_policy(void *buf, size_t len, uint32_t seq, const struct xk_policy *p,
			  bool update);

/** xfrm_msg_build_policy_del() - XFRM_MSG_DELPOLICY by selector+dir+mark, or by kernel index
 * when index != 0 (cleanup of dumped policies). */
int xfrm_msg_build_policy_del(void *buf, size_t len, uint32_t seq, const struct xk_policy_id *id,
			      uint32_t index);

/** xfrm_msg_build_sa_move() - XFRM_MSG_MIGRATE: move the policy's template and its SAs to the
 * new endpoints/encap in place.
 *
 * Why MIGRATE (tested in the 6.1 UML kernel, tests/e2e/scenarios/xfrm-move.sh):
 *  - UPDSA looks the SA up by (dst, SPI) and only copies encap ports and lifetimes: it cannot
 *    change an address, so it cannot follow a peer whose public IP changed (outbound SA keyed by
 *    the old dst), and it needs the keys again;
 *  - delete+add with the same SPI resets the outbound sequence number to 1: the peer's replay
 *    window, already past it, drops every packet until the counter catches up (and the inbound
 *    replay state is lost too); there is also a window with no SA at all;
 *  - MIGRATE clones the SA with its keys, sequence numbers and replay state, installs the clone
 *    and deletes the old one atomically under the state lock, and rewrites the policy template
 *    in the same call; pings continue across it (scenario above).
 * Limits (kernel 6.1): MIGRATE finds the policy by selector and dir but not by mark, and it
 * rewrites template addresses, not selectors. Tunnel mode (selectors name inner networks) moves
 * completely. Transport mode moves completely for a port change; when the peer's address
 * changes, the host-to-host policy and SA selectors still name the old address, so the engine
 * must replace those policies (and install transport SAs with an empty selector). */
int xfrm_msg_build_sa_move(void *buf, size_t len, uint32_t seq, const struct xk_sa_move *m);

/** xfrm_msg_build_dump() - GETSA or GETPOLICY with NLM_F_DUMP (no payload). */
int xfrm_msg_build_dump(void *buf, size_t len, uint32_t seq, uint16_t type);

/** xfrm_msg_build_flush() - XFRM_MSG_FLUSHSA (ESP only). For tests in private namespaces only:
 * natkeyd itself never flushes (it would remove the host's other IPsec state). */
int xfrm_msg_build_flush_sa(void *buf, size_t len, uint32_t seq);

/** xfrm_msg_parse_sa() - parse NEWSA (GETSA/ALLOCSPI reply, dump entry, or the SA inside an
 * EXPIRE) into info. Returns 0, -EBADMSG on malformed input. */
int xfrm_msg_parse_sa(const struct nlmsghdr *nlh, struct xk_sa_info *info);

/** xfrm_msg_parse_policy() - parse a NEWPOLICY dump entry. index receives the kernel's policy
 * index. Returns 0 or -EBADMSG. */
int xfrm_msg_parse_policy(const struct nlmsghdr *nlh, struct xk_policy *p, uint32_t *index);

/** xfrm_msg_parse_event() - parse ACQUIRE, EXPIRE, MAPPING or POLEXPIRE. Returns 0, -EBADMSG
 * (malformed) or -ENOENT (a message type that is not an event the engine handles). */
int xfrm_msg_parse_event(const struct nlmsghdr *nlh, struct xk_event *ev);

/** xfrm_msg_parse_error() - parse NLMSG_ERROR: *err = kernel errno (<= 0, 0 = ack), msg = the
 * extended-ack text (NLMSGERR_ATTR_MSG) or "" if none; *orig_seq = the request's sequence.
 * Returns 0 or -EBADMSG. */
int xfrm_msg_parse_error(const struct nlmsghdr *nlh, int *err, char *msg, size_t msg_len,
			 uint32_t *orig_seq);

/** xfrm_nlmsg_ok() - true if a whole netlink message starts at nlh within len bytes.
 * Use this, not mnl_nlmsg_ok(): libmnl 1.0.4 compares (int)nlmsg_len <= len, so a length of
 * 0x80000000 or more passes as negative and the next mnl_nlmsg_next() jumps far outside the
 * buffer (found by the fuzz target, tests/fuzz/fuzz_xfrm_parse.c). */
bool xfrm_nlmsg_ok(const struct nlmsghdr *nlh, int len);

/** xfrm_enc_name() / xfrm_auth_name() - kernel crypto names ("cbc(aes)", "hmac(sha1)"), or
 * NULL for XK_*_NONE / unknown. */
const char *xfrm_enc_name(enum xk_enc_alg a);
const char *xfrm_auth_name(enum xk_auth_alg a);

/** xfrm_msg_type_name() - "NEWSA", "MAPPING", ... for logs; "?" if unknown. */
const char *xfrm_msg_type_name(uint16_t type);

#endif
