// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A Mode Config client's virtual IP on this host (see natkeyd_vip.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "tools/natkeyd/natkeyd_vip.h"

const struct nkd_vip_ops nkd_vip_kernel_ops = {
	.lookup = route_lookup,
	.addr = route_addr_change,
	.route = route_route_change,
};

static void vlog(const struct nkd_vip_ops *ops, bool warn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void vlog(const struct nkd_vip_ops *ops, bool warn, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	if (!ops->log)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ops->log(ops->log_arg, warn, text);
}

static const char *a4(const uint8_t *b, char *buf, size_t len)
{
	inet_ntop(AF_INET, b, buf, (socklen_t)len);
	return buf;
}

static const char *ifname(uint32_t ifindex, char *buf)
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
	return buf;
}

static void route_of(const struct nkd_vip *v, const struct ike_ts *net, struct route_change *r)
{
	memset(r, 0, sizeof(*r));
	r->family = AF_INET;
	r->dst = net->addr.bytes;
	r->dst_len = net->plen;
	r->oif = v->ifindex;
	r->gateway = v->has_gw ? v->gw : NULL;
	r->prefsrc = v->addr.bytes;
}

static bool same_net(const struct ike_ts *a, const struct ike_ts *b)
{
	return a->plen == b->plen && !memcmp(a->addr.bytes, b->addr.bytes, 4);
}

/* The entry of another IKE SA holding @v's address, or NULL. */
static struct nkd_vip *sharer(struct nkd_vip_set *set, const struct nkd_vip *v)
{
	for (unsigned i = 0; i < NKD_VIP_MAX; i++) {
		struct nkd_vip *o = &set->v[i];

		if (o != v && o->serial && !memcmp(o->addr.bytes, v->addr.bytes, 4))
			return o;
	}
	return NULL;
}

/* Remove what @v added, except what another IKE SA with its address uses. */
static void vip_remove(struct nkd_vip_set *set, const struct nkd_vip_ops *ops, const char *name,
		       struct nkd_vip *v)
{
	struct nkd_vip *o = sharer(set, v);
	char a[INET_ADDRSTRLEN], n[INET_ADDRSTRLEN];
	unsigned removed = 0;
	int rc;

	for (unsigned i = 0; i < v->n_routes; i++) {
		struct nkd_vip_route *rt = &v->routes[i];
		struct route_change r;
		bool kept = false;

		if (!rt->ours)
			continue;
		for (unsigned j = 0; o && j < o->n_routes; j++)
			if (same_net(&o->routes[j].net, &rt->net)) {
				o->routes[j].ours = true; /* it goes with the newer SA */
				kept = true;
			}
		if (kept)
			continue;
		route_of(v, &rt->net, &r);
		rc = ops->route(false, &r);
		if (rc < 0 && rc != -ESRCH)
			vlog(ops, true, "%s: cannot remove the route to %s/%u: %s", name,
			     a4(rt->net.addr.bytes, n, sizeof(n)), rt->net.plen, strerror(-rc));
		else
			removed++;
	}
	if (v->addr_ours && o) {
		o->addr_ours = true;
	} else if (v->addr_ours) {
		rc = ops->addr(false, AF_INET, v->addr.bytes, 32, v->ifindex);
		if (rc < 0 && rc != -EADDRNOTAVAIL && rc != -ENODEV)
			vlog(ops, true, "%s: cannot remove the virtual IP %s: %s", name,
			     a4(v->addr.bytes, a, sizeof(a)), strerror(-rc));
	}
	vlog(ops, false, "%s: virtual IP %s %s, %u route%s removed", name,
	     a4(v->addr.bytes, a, sizeof(a)),
	     !v->addr_ours ? "was not ours: left"
	     : o	   ? "kept for the newer IKE SA"
			   : "removed",
	     removed, removed == 1 ? "" : "s");
	memset(v, 0, sizeof(*v));
}

static int vip_up(struct nkd_vip_set *set, const struct nkd_vip_ops *ops, const char *name,
		  const struct ike_modecfg *m, const struct sockaddr_storage *peer,
		  const struct ike_ts *nets, unsigned n_nets)
{
	char a[INET_ADDRSTRLEN], n[INET_ADDRSTRLEN], ifn[IF_NAMESIZE], routes[256] = "";
	char dns[IKE_MODECFG_DNS_MAX * INET_ADDRSTRLEN + 8] = "";
	const struct ike_ts *use = m->n_split ? m->split : nets;
	unsigned n_use = m->n_split ? m->n_split : n_nets;
	struct nkd_vip *v = NULL, *o;
	struct route_info ri;
	size_t off = 0;
	int rc;

	if (m->addr.family != XK_AF_INET || !peer || peer->ss_family != AF_INET)
		return -EAFNOSUPPORT;
	for (unsigned i = 0; i < NKD_VIP_MAX; i++)
		if (set->v[i].serial == m->serial)
			vip_remove(set, ops, name,
				   &set->v[i]); /* a second report: the newer wins */
	for (unsigned i = 0; i < NKD_VIP_MAX && !v; i++)
		if (!set->v[i].serial)
			v = &set->v[i];
	if (!v) {
		vlog(ops, true, "%s: virtual IP %s not installed: %d already in use", name,
		     a4(m->addr.bytes, a, sizeof(a)), NKD_VIP_MAX);
		return -ENOSPC;
	}
	memset(v, 0, sizeof(*v));
	v->addr = m->addr;
	rc = ops->lookup(AF_INET, (const uint8_t *)&((const struct sockaddr_in *)peer)->sin_addr,
			 &ri);
	if (rc < 0 || !ri.oif) {
		vlog(ops, true, "%s: virtual IP %s not installed: no route to the gateway (%s)",
		     name, a4(m->addr.bytes, a, sizeof(a)),
		     rc < 0 ? strerror(-rc) : "no interface");
		return rc < 0 ? rc : -ENETUNREACH;
	}
	v->ifindex = ri.oif;
	v->has_gw = ri.has_gateway;
	memcpy(v->gw, ri.gateway, 4);
	v->serial = m->serial;
	o = sharer(set, v);
	if (o) {
		v->ifindex = o->ifindex; /* a rekeyed IKE SA: the address is there */
	} else {
		rc = ops->addr(true, AF_INET, m->addr.bytes, 32, v->ifindex);
		if (rc < 0 && rc != -EEXIST) {
			vlog(ops, true, "%s: cannot add the virtual IP %s/32 on %s: %s", name,
			     a4(m->addr.bytes, a, sizeof(a)), ifname(v->ifindex, ifn),
			     strerror(-rc));
			memset(v, 0, sizeof(*v));
			return rc;
		}
		v->addr_ours = rc == 0;
		if (rc == -EEXIST)
			vlog(ops, true,
			     "%s: virtual IP %s is already an address of this host: left as it is",
			     name, a4(m->addr.bytes, a, sizeof(a)));
	}
	for (unsigned i = 0; i < n_use && v->n_routes < NKD_VIP_ROUTES; i++) {
		struct nkd_vip_route *rt = &v->routes[v->n_routes];
		struct route_change r;
		bool shared = false;

		bool dup = false;

		if (use[i].addr.family != XK_AF_INET || !use[i].plen)
			continue; /* no subnet (host to host), or everything */
		for (unsigned j = 0; j < v->n_routes; j++)
			dup |= same_net(&v->routes[j].net, &use[i]);
		if (dup)
			continue; /* strongSwan 5.9 sends its split network twice */
		rt->net = use[i];
		v->n_routes++;
		for (unsigned j = 0; o && j < o->n_routes; j++)
			shared |= same_net(&o->routes[j].net, &rt->net);
		off += (size_t)snprintf(
			routes + off, off < sizeof(routes) ? sizeof(routes) - off : 0, "%s%s/%u",
			off ? "," : "", a4(rt->net.addr.bytes, n, sizeof(n)), rt->net.plen);
		if (shared)
			continue;
		route_of(v, &rt->net, &r);
		rc = ops->route(true, &r);
		if (rc == 0)
			rt->ours = true;
		else
			vlog(ops, true, "%s: route to %s/%u not added: %s%s", name,
			     a4(rt->net.addr.bytes, n, sizeof(n)), rt->net.plen, strerror(-rc),
			     rc == -EEXIST ? " (a route of someone else: left as it is)" : "");
	}
	v->n_dns = m->n_dns;
	memcpy(v->dns, m->dns, sizeof(v->dns));
	off = 0;
	for (unsigned i = 0; i < m->n_dns && i < IKE_MODECFG_DNS_MAX; i++)
		off += (size_t)snprintf(dns + off, sizeof(dns) - off, "%s%s", i ? "," : "",
					a4(m->dns[i].bytes, n, sizeof(n)));
	vlog(ops, false,
	     "%s: virtual IP %s/32 on %s, routes %s through the tunnel (source %s); DNS %s%s%s%s",
	     name, a4(m->addr.bytes, a, sizeof(a)), ifname(v->ifindex, ifn),
	     routes[0] ? routes : "(none)", a, dns[0] ? dns : "none",
	     dns[0] ? " (not written to resolv.conf; leftupdown= gets PLUTO_PEER_DNS_INFO)" : "",
	     m->domain[0] ? ", domain " : "", m->domain);
	return 0;
}

int nkd_vip_apply(struct nkd_vip_set *set, const struct nkd_vip_ops *ops, const char *name,
		  const struct ike_modecfg *m, const struct sockaddr_storage *peer,
		  const struct ike_ts *nets, unsigned n_nets)
{
	if (m->up)
		return vip_up(set, ops, name, m, peer, nets, n_nets);
	for (unsigned i = 0; i < NKD_VIP_MAX; i++)
		if (set->v[i].serial && set->v[i].serial == m->serial)
			vip_remove(set, ops, name, &set->v[i]);
	return 0;
}

void nkd_vip_flush(struct nkd_vip_set *set, const struct nkd_vip_ops *ops, const char *name)
{
	for (unsigned i = 0; i < NKD_VIP_MAX; i++)
		if (set->v[i].serial)
			vip_remove(set, ops, name, &set->v[i]);
}

unsigned nkd_vip_count(const struct nkd_vip_set *set)
{
	unsigned n = 0;

	for (unsigned i = 0; i < NKD_VIP_MAX; i++)
		n += set->v[i].serial != 0;
	return n;
}
