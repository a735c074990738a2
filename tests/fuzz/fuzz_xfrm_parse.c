/* check_xfrm_fuzz: fuzz target for xfrm/'s netlink parsers (STYLE practice 9).
 * Input: bytes as read from a NETLINK_XFRM socket (one or more messages). Every message that
 * libmnl accepts goes through every parser. Built with --enable-fuzzing as a libFuzzer binary
 * (corpus: tests/vectors/xfrm/, captured from the kernel); without it, check_xfrm replays the
 * corpus through this function in `make check`. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "tests/fuzz/fuzz.h"
#include "xfrm/xfrm_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size, aligned heap copy: a read past the input is a sanitizer report. */
	void *m = malloc(size ? size : 1);
	if (!m)
		return 0;
	memcpy(m, data, size);
	const struct nlmsghdr *nlh = m;
	int left = (int)(size > (size_t)INT32_MAX ? INT32_MAX : size);
	for (; xfrm_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		struct xk_event ev;
		struct xk_sa_info info;
		struct xk_policy p;
		uint32_t index, seq;
		int err;
		char msg[128];
		xfrm_msg_parse_event(nlh, &ev);
		xfrm_msg_parse_sa(nlh, &info);
		xfrm_msg_parse_policy(nlh, &p, &index);
		xfrm_msg_parse_error(nlh, &err, msg, sizeof(msg), &seq);
		xfrm_msg_type_name(nlh->nlmsg_type);
	}
	free(m);
	return 0;
}
