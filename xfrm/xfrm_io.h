/* xfrm_io.h: the one place that owns NETLINK_XFRM sockets.
 *
 * A request socket carries batches of requests (several messages per sendmsg, every one with
 * NLM_F_ACK) and collects one result per request, with the kernel's extended-ack text. An event
 * socket joins the ACQUIRE, EXPIRE and MAPPING multicast groups and turns each message into a
 * struct xk_event.
 *
 * Not reentrant: the send/receive buffers are static (the daemon is single-threaded). Buffers
 * that carried SA keys are wiped after each send.
 */
#ifndef NATKEYD_XFRM_IO_H
#define NATKEYD_XFRM_IO_H

#include <stddef.h>
#include <stdint.h>

#include "xfrm/kernel_req.h"

struct mnl_socket;

struct xfrm_io {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	/* Optional tap: called with every netlink message received (debug dumps, and the test
	 * program that captures kernel replies/events as vectors). NULL = none. */
	void (*tap)(const void *msg, size_t len, void *arg);
	void *tap_arg;
};

/** xfrm_io_open() - open a NETLINK_XFRM socket with extended acks. events=true joins the
 * ACQUIRE, EXPIRE and MAPPING groups (use a separate socket for requests). On failure returns
 * a negative errno and writes a sentence naming what failed into err. */
int xfrm_io_open(struct xfrm_io *io, bool events, char *err, size_t err_len);

/** xfrm_io_close() - close the socket (idempotent). */
void xfrm_io_close(struct xfrm_io *io);

/** xfrm_io_fd() - file descriptor for poll(). */
int xfrm_io_fd(const struct xfrm_io *io);

/** xfrm_io_submit() - send n requests, batching as many as fit in one sendmsg, and wait for
 * every answer. res[i] gets request i's errno (0 = done), the kernel's extended-ack text and,
 * for SPI_ALLOC/SA_GET, the reply. An unsupported algorithm is reported by its kernel name.
 * Returns 0 when every request got an answer (check res[i].error), or a negative errno when
 * the netlink transport itself failed. */
int xfrm_io_submit(struct xfrm_io *io, const struct xk_req *reqs, size_t n, struct xk_result *res);

/** xfrm_io_read_events() - read one datagram from an event socket and call cb for each event
 * in it (unknown message types and malformed messages are skipped). Returns the number of
 * events delivered or a negative errno: -EAGAIN on a non-blocking socket with nothing to read,
 * -ENOBUFS when the kernel dropped events for us (a MAPPING flood): the caller must then
 * resynchronise from a dump (xfrm_io_dump_sas) instead of trusting its event history. */
int xfrm_io_read_events(struct xfrm_io *io, void (*cb)(const struct xk_event *ev, void *arg),
			void *arg);

/** xfrm_io_dump_sas() - dump every SA of the namespace and call cb for each. Returns 0 or a
 * negative errno. */
int xfrm_io_dump_sas(struct xfrm_io *io, void (*cb)(const struct xk_sa_info *sa, void *arg),
		     void *arg);

/** xfrm_io_dump_policies() - dump every policy and call cb with it and its kernel index. */
int xfrm_io_dump_policies(struct xfrm_io *io,
			  void (*cb)(const struct xk_policy *p, uint32_t index, void *arg),
			  void *arg);

/** xfrm_io_cleanup_owned() - delete exactly the SAs and policies natkeyd owns (reqid in
 * [XK_REQID_MIN, XK_REQID_MAX]; for policies, the reqid of their template) and nothing else.
 * Used at shutdown and at startup after a crash. n_sa/n_pol (may be NULL) get the counts
 * deleted. Returns 0 or a negative errno. */
int xfrm_io_cleanup_owned(struct xfrm_io *io, unsigned *n_sa, unsigned *n_pol);

/** xfrm_owned_reqid() - true if reqid is in natkeyd's range. */
bool xfrm_owned_reqid(uint32_t reqid);

#endif
