/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The handlers named in the state table (ikev1_states.c), one group per
 * exchange file. Only the dispatcher calls them, through the table.
 */
#ifndef NATKEYD_IKE_IKEV1_HANDLERS_H
#define NATKEYD_IKE_IKEV1_HANDLERS_H

#include "ike/ikev1_states.h"

/* ikev1_main.c: Main Mode (RFC 2409 5.1, 5.4) */
enum ikev1_ret main_i_start(struct ikev1_ctx *ctx);
enum ikev1_ret main_i1_recv_mm2(struct ikev1_ctx *ctx);
enum ikev1_ret main_i2_recv_mm4(struct ikev1_ctx *ctx);
enum ikev1_ret main_i3_recv_mm6(struct ikev1_ctx *ctx);
enum ikev1_ret main_r0_recv_mm1(struct ikev1_ctx *ctx);
enum ikev1_ret main_r1_recv_mm3(struct ikev1_ctx *ctx);
enum ikev1_ret main_r2_recv_mm5(struct ikev1_ctx *ctx);

/* ikev1_aggr.c: Aggressive Mode (RFC 2409 5.1, 5.4) */
enum ikev1_ret aggr_i_start(struct ikev1_ctx *ctx);
enum ikev1_ret aggr_i1_recv_am2(struct ikev1_ctx *ctx);
enum ikev1_ret aggr_r0_recv_am1(struct ikev1_ctx *ctx);
enum ikev1_ret aggr_r1_recv_am3(struct ikev1_ctx *ctx);

/* ikev1_quick.c: Quick Mode (RFC 2409 5.5) */
enum ikev1_ret quick_i_start(struct ikev1_ctx *ctx);
enum ikev1_ret quick_i0_spi(struct ikev1_ctx *ctx);
enum ikev1_ret quick_i1_recv_qm2(struct ikev1_ctx *ctx);
enum ikev1_ret quick_r0_recv_qm1(struct ikev1_ctx *ctx);
enum ikev1_ret quick_r0w_spi(struct ikev1_ctx *ctx);
enum ikev1_ret quick_r1_recv_qm3(struct ikev1_ctx *ctx);

/* ikev1_xauth.c: XAUTH (draft-beaulieu-ike-xauth-02) */
enum ikev1_ret xauth_s_start(struct ikev1_ctx *ctx);
enum ikev1_ret xauth_s1_recv_reply(struct ikev1_ctx *ctx);
enum ikev1_ret xauth_s2_ok(struct ikev1_ctx *ctx);
enum ikev1_ret xauth_s2_retry(struct ikev1_ctx *ctx);
enum ikev1_ret xauth_s2_fail(struct ikev1_ctx *ctx);
enum ikev1_ret xauth_s3_recv_ack(struct ikev1_ctx *ctx);
enum ikev1_ret xauth_s4_recv_ack(struct ikev1_ctx *ctx);
enum ikev1_ret xauth_c_start(struct ikev1_ctx *ctx);
enum ikev1_ret xauth_c_recv_request(struct ikev1_ctx *ctx);
enum ikev1_ret xauth_c2_recv_set(struct ikev1_ctx *ctx);
/* ikev1_modecfg.c: Mode Config (draft-dukes-ike-mode-cfg-02) */
enum ikev1_ret mcfg_s_push(struct ikev1_ctx *ctx);
enum ikev1_ret mcfg_s1_recv_ack(struct ikev1_ctx *ctx);
enum ikev1_ret mcfg_s_pull(struct ikev1_ctx *ctx);
enum ikev1_ret mcfg_s_recv_request(struct ikev1_ctx *ctx);
enum ikev1_ret mcfg_c_pull(struct ikev1_ctx *ctx);
enum ikev1_ret mcfg_c_push(struct ikev1_ctx *ctx);
enum ikev1_ret mcfg_c_recv_attrs(struct ikev1_ctx *ctx);
/* ikev1_info.c: Informational (RFC 2409 5.7) */
enum ikev1_ret info_recv_clear(struct ikev1_ctx *ctx);
enum ikev1_ret info_recv_protected(struct ikev1_ctx *ctx);

#endif
