/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * natkeyd configuration: the data model of ipsec.conf (the IKEv1 subset
 * natkeyd implements), its parser, whole-config validation, the effective
 * configuration printer and the reload diff.
 *
 * The parser is pure: it takes the text of a file and its name (for
 * messages) and returns a model or diagnostics. conf_load_file() is the only
 * function here that touches the file system.
 *
 * Model of resolution, as strongSwan's starter and Libreswan's addconn do it:
 * every conn starts from natkeyd's built-in defaults, then `conn %default`
 * is applied, then each `also=` section in the order written (recursively),
 * then the conn's own keys. A key set later overrides one set earlier; an
 * empty value (`key=`) restores the built-in default.
 */
#ifndef NATKEYD_IKE_CONF_H
#define NATKEYD_IKE_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ike/conf/conf_proposal.h"

#define CONF_NAME_MAX	 63	    /* conn names: [A-Za-z0-9._-], as natkeyctl accepts */
#define CONF_ID_MAX	 255	    /* an identity in text form */
#define CONF_HOST_MAX	 253	    /* a DNS name (RFC 1035 s2.3.4) */
#define CONF_PATH_MAX	 255	    /* certificate and key paths */
#define CONF_SUBNETS_MAX 16	    /* leftsubnet=a,b,..., virtual-private= */
#define CONF_ALSO_DEPTH	 32	    /* deepest also= chain */
#define CONF_INCL_DEPTH	 8	    /* deepest chain of include lines */
#define CONF_INCL_FILES	 256	    /* files one ipsec.conf/.secrets may read */
#define CONF_DIAG_MAX	 16	    /* diagnostics kept; more are counted */
#define CONF_DIAG_LEN	 320	    /* one diagnostic line */
#define CONF_FILE_MAX	 (4u << 20) /* largest ipsec.conf / ipsec.secrets read */
#define CONF_BYTES_MAX	 (0xffffffffULL * 1024u) /* lifebytes= in KiB fits 32 bits */
#define CONF_IFACES_MAX	 8			 /* interfaces= names */
#define CONF_IFNAME_MAX	 15			 /* IFNAMSIZ - 1 */
#define CONF_POOL_MAX	 65536u /* addresses in one pool (ike/sa/pool.h POOL_SIZE_MAX) */
#define CONF_DNS_MAX	 4	/* modecfgdns=a,b,... */
#define CONF_DOMAINS_MAX 255	/* modecfgdomains=: the canonical comma-separated list */
#define CONF_BANNER_MAX	 511	/* modecfgbanner= */

/* An IP address: family is AF_INET or AF_INET6 (0 = none). */
struct conf_addr {
	int family;
	uint8_t bytes[16];
};

/* A traffic selector network: address with host bits clear, and prefix. */
struct conf_subnet {
	struct conf_addr addr;
	uint8_t prefix;
};

enum conf_host_kind {
	CONF_HOST_UNSET = 0,
	CONF_HOST_ANY,		/* %any: any peer (road warriors) */
	CONF_HOST_DEFAULTROUTE, /* %defaultroute: the address of the default route */
	CONF_HOST_ADDR,		/* an IP literal */
	CONF_HOST_NAME,		/* a DNS name, resolved by the daemon */
};

/* left= / right=. */
struct conf_host {
	enum conf_host_kind kind;
	struct conf_addr addr;	      /* CONF_HOST_ADDR */
	char name[CONF_HOST_MAX + 1]; /* CONF_HOST_NAME */
	/* CONF_HOST_NAME, CONF_HOST_DEFAULTROUTE: the address the daemon resolved
	 * it to (family 0 until then). The parser never sets it; conf_print()
	 * shows it as a comment, so conf_diff() sees a changed resolution. */
	struct conf_addr resolved;
};

/* IKEv1 identification types (RFC 2407 s4.6.2.1) plus the two config forms. */
enum conf_id_type {
	CONF_ID_NONE = 0,    /* not configured: the end's address is used */
	CONF_ID_ANY,	     /* %any: matches every identity */
	CONF_ID_IPV4_ADDR,   /* 192.0.2.1 */
	CONF_ID_IPV6_ADDR,   /* 2001:db8::1 */
	CONF_ID_FQDN,	     /* @host.example or host.example */
	CONF_ID_USER_FQDN,   /* user@host.example */
	CONF_ID_DER_ASN1_DN, /* "C=CH, O=Example, CN=gw" */
	CONF_ID_FROMCERT,    /* %fromcert: the subject of leftcert */
};

/* An identity. value holds the canonical text (FQDN without '@'). */
struct conf_id {
	enum conf_id_type type;
	struct conf_addr addr;	     /* the IP ID types */
	char value[CONF_ID_MAX + 1]; /* FQDN, USER_FQDN, DN: canonical text */
};

/* leftprotoport=17/1701: proto 0 = any protocol; port 0 = any port. */
struct conf_protoport {
	uint8_t proto;
	uint16_t port;
};

/* How rightsubnet= was written. */
enum conf_subnet_kind {
	CONF_SUBNET_LIST = 0, /* networks (or none: the host address itself) */
	CONF_SUBNET_VHOST,    /* vhost:%priv[,%no] (Libreswan): single addresses */
	CONF_SUBNET_VNET,     /* vnet:%priv[,%no] (Libreswan): networks */
};

/* A Mode Config address pool: @size consecutive addresses from @first. */
struct conf_pool {
	struct conf_addr first;
	uint32_t size; /* 0: no pool */
};

/* leftsourceip= / rightsourceip= / rightaddresspool=. */
enum conf_sourceip {
	CONF_SOURCEIP_NONE = 0,
	CONF_SOURCEIP_CONFIG, /* leftsourceip=%config: this host asks the peer for an address */
	CONF_SOURCEIP_POOL,   /* right...: the peer gets an address from the end's pool */
};

#define CONF_DN_MAX	 255 /* leftca=/rightca= */
#define CONF_OCSPURI_MAX 127

/* One side of a connection. */
struct conf_end {
	struct conf_host host;
	struct conf_id id;
	/* LIST: as written. VHOST/VNET with %priv: the virtual-private=
	 * networks, folded in when the conn is resolved. */
	struct conf_subnet subnets[CONF_SUBNETS_MAX];
	size_t n_subnets; /* 0: the host address itself */
	enum conf_subnet_kind subnet_kind;
	bool subnet_priv; /* vhost:/vnet: %priv: virtual-private= */
	bool subnet_no;	  /* vhost:/vnet: %no: the peer's own public address (always allowed) */
	struct conf_subnet excludes[CONF_SUBNETS_MAX]; /* virtual-private=%v4:!NET, folded */
	size_t n_excludes;
	char cert[CONF_PATH_MAX + 1]; /* "" when not set */
	char ca[CONF_DN_MAX + 1];     /* leftca=/rightca=: a CA's DN; "" = any */
	struct conf_protoport protoport;
	/* Mode Config and XAUTH (ike/conf/conf_modecfg.c). */
	enum conf_sourceip sourceip;
	struct conf_pool pool; /* CONF_SOURCEIP_POOL */
	bool xauthserver;      /* Libreswan's {left,right}xauthserver= */
	bool xauthclient;      /* {left,right}xauthclient= */
	bool modecfgserver;    /* {left,right}modecfgserver= */
	bool modecfgclient;    /* {left,right}modecfgclient= */
};

enum conf_auto {
	CONF_AUTO_IGNORE = 0, /* default (strongSwan and Libreswan): not loaded */
	CONF_AUTO_ADD,	      /* loaded, waits for the peer or `natkeyctl up` */
	CONF_AUTO_START,      /* loaded and initiated at startup */
	CONF_AUTO_ROUTE,      /* loaded; kernel policy installed, initiated on traffic */
};

enum conf_authby {
	CONF_AUTHBY_PSK = 0, /* authby=secret | psk (default) */
	CONF_AUTHBY_RSASIG,  /* authby=rsasig | pubkey */
	CONF_AUTHBY_NEVER,   /* authby=never: shunts only (no IKE) */
};

/* XAUTH backends (xauthby=). */
#define CONF_PAM_SERVICE_MAX	 63	   /* pam-service=: a file name in /etc/pam.d */
#define CONF_PAM_SERVICE_DEFAULT "natkeyd" /* /etc/pam.d/natkeyd */
enum conf_xauthby {
	CONF_XAUTHBY_FILE = 0, /* users in ipsec.secrets: `user : XAUTH "password"` */
	CONF_XAUTHBY_PAM,
};

/* The role this host plays in XAUTH or Mode Config (conf_conn_xauth_role(),
 * conf_conn_modecfg_role()). */
enum conf_role {
	CONF_ROLE_NONE = 0,
	CONF_ROLE_SERVER, /* gateway: asks for credentials / hands out addresses */
	CONF_ROLE_CLIENT, /* road warrior: answers / asks for an address */
};

enum conf_mode {
	CONF_MODE_TUNNEL = 0,
	CONF_MODE_TRANSPORT,
};

/* type=passthrough|drop|reject: a kernel policy without IKE. */
enum conf_shunt {
	CONF_SHUNT_NONE = 0,
	CONF_SHUNT_PASS,   /* type=passthrough | pass: bypass IPsec */
	CONF_SHUNT_DROP,   /* type=drop */
	CONF_SHUNT_REJECT, /* type=reject: XFRM cannot reject, it drops */
};

enum conf_dpd_action {
	CONF_DPD_NONE = 0,
	CONF_DPD_CLEAR,	  /* delete the SAs */
	CONF_DPD_HOLD,	  /* keep the policy, re-negotiate on traffic */
	CONF_DPD_RESTART, /* re-negotiate at once */
};

/* IKEv1 fragmentation (strongSwan's values; Libreswan knows yes, no, force). */
enum conf_fragmentation {
	CONF_FRAG_YES = 0, /* default: announce, fragment when the peer can take it */
	CONF_FRAG_ACCEPT,  /* announce and reassemble, never send fragments */
	CONF_FRAG_FORCE,   /* fragment oversized messages even before the peer announced */
	CONF_FRAG_NO,	   /* neither announce, send nor accept fragments */
};

/* uniqueids= (config setup): whether an identity names one peer. */
enum conf_uniqueids {
	CONF_UNIQUE_YES = 0, /* INITIAL-CONTACT removes older SAs of the identity (default) */
	CONF_UNIQUE_NO,	   /* identities are shared (Libreswan): INITIAL-CONTACT removes nothing */
	CONF_UNIQUE_NEVER, /* strongSwan's spelling of the same */
	CONF_UNIQUE_REPLACE, /* strongSwan: as yes */
	CONF_UNIQUE_KEEP,    /* strongSwan: the older SAs stay; natkeyd: as never */
};

/* leftsendcert= (strongSwan's values; Libreswan's alwayssend/sendifasked). */
enum conf_sendcert {
	CONF_SENDCERT_ALWAYS = 0, /* natkeyd's default */
	CONF_SENDCERT_IFASKED,	  /* only after the peer's CERTREQ */
	CONF_SENDCERT_NEVER,
};

/* strictcrlpolicy= (config setup; strongSwan's values). */
enum conf_crlpolicy {
	CONF_CRL_NO = 0, /* a missing or expired CRL is accepted (default) */
	CONF_CRL_YES,	 /* every issuing CA needs a current CRL */
	CONF_CRL_IFURI,	 /* as yes for certificates with a CRL distribution point */
};

/* NAT traversal methods offered/accepted, as a bit set. */
enum conf_natt_method {
	CONF_NATT_RFC = 1u << 0,   /* RFC 3947 (port 4500, NAT-D type 20) */
	CONF_NATT_DRAFT = 1u << 1, /* draft-ietf-ipsec-nat-t-ike-02/03 (type 130) */
};

/* One resolved `conn` section. Times are in seconds. */
struct conf_conn {
	char name[CONF_NAME_MAX + 1];
	unsigned line; /* line of the `conn NAME` header */
	unsigned file; /* in conf->files[]: the file of that header */
	enum conf_auto autostart;
	enum conf_authby authby;
	enum conf_mode mode;
	enum conf_shunt shunt; /* type=passthrough|drop|reject; mode is then unused */
	struct conf_end left;  /* natkeyd's convention: left is this host */
	struct conf_end right;
	struct conf_proposals ike; /* phase 1 proposals */
	struct conf_proposals esp; /* phase 2 proposals */
	uint32_t ikelifetime;
	uint32_t lifetime;    /* lifetime= keylife= salifetime= */
	uint32_t rekeymargin; /* rekeymargin= margintime= */
	uint32_t rekeyfuzz;   /* percent */
	uint64_t lifebytes;   /* lifebytes=: Phase 2 byte limit; 0 = none */
	uint64_t marginbytes; /* marginbytes=: rekey this many bytes early; 0 = 10% */
	bool commitbit;	      /* commitbit=: RFC 2408 s3.1 commit bit in Quick Mode */
	bool sha2_truncbug;   /* sha2-truncbug= / sha256_96=: 96-bit HMAC-SHA2-256 in ESP */
	bool pfs;
	bool aggressive;
	/* aggressive_psk_responder=yes: answer Aggressive Mode with a PSK as
	 * responder (its HASH_R allows offline PSK cracking; off by default). */
	bool aggressive_psk_responder;
	bool forceencaps;
	unsigned natt_methods;	/* enum conf_natt_method bits; 0 = NAT-T off */
	uint32_t nat_keepalive; /* 0 = no keepalives */
	uint32_t dpddelay;	/* 0 = DPD off */
	uint32_t dpdtimeout;
	enum conf_dpd_action dpdaction;
	enum conf_fragmentation fragmentation; /* fragmentation= */
	uint32_t fragment_size; /* fragment_size=: largest IP datagram unfragmented */
	bool rekey;		/* rekey=: initiate rekeys before expiry (default yes) */
	uint32_t keyingtries;	/* keyingtries=: Phase 1 attempts we initiate; 0 = %forever */
	enum conf_uniqueids uniqueids;	    /* folded from config setup */
	enum conf_sendcert sendcert;	    /* leftsendcert= */
	enum conf_crlpolicy crlpolicy;	    /* folded from config setup strictcrlpolicy= */
	char ocspuri[CONF_OCSPURI_MAX + 1]; /* ocspuri=: "" = the certificate's AIA URL */
	char updown[CONF_PATH_MAX + 1];	    /* leftupdown=: a shell command; "" = none */
	bool firewall;			    /* leftfirewall=: FORWARD rules per tunnel */
	/* nat_keepalive=auto: the interval follows the NAT's binding lifetime
	 * (natt/adaptka.h), up to nat_keepalive_max (s, default 120); our
	 * NAT's lifetime if the admin knows it: nat_binding_lifetime (s, 0 =
	 * unknown, at most 1d), or nat_binding_lifetime=natcheck: what
	 * `natkeyctl natcheck --save` measured, read by natkeyd when it loads
	 * the conn (tools/natkeyd/natkeyd_natcheck.h). */
	bool nat_keepalive_auto;
	uint32_t nat_keepalive_max;
	uint32_t nat_binding_lifetime;
	bool nat_binding_lifetime_natcheck;
	/* XAUTH and Mode Config (ike/conf/conf_modecfg.c). */
	bool xauth_authby; /* authby=xauthpsk | xauthrsasig */
	bool hybrid;	   /* authby=hybridrsasig: only the XAUTH gateway signs */
	bool xauth_server; /* xauth=server (strongSwan; default client) */
	enum conf_xauthby xauthby;
	/* pam-service=: the PAM service of xauthby=pam ("" = "natkeyd") */
	char pam_service[CONF_PAM_SERVICE_MAX + 1];
	char xauth_identity[CONF_ID_MAX + 1]; /* the client's user name; "" = none */
	bool modecfg_pull;		      /* modeconfig=pull (default) | push */
	bool cisco_unity;
	struct conf_addr dns[CONF_DNS_MAX];
	size_t n_dns;
	char domains[CONF_DOMAINS_MAX + 1]; /* "a.example,b.example" */
	char banner[CONF_BANNER_MAX + 1];
};

/* `config setup`. */
struct conf_setup {
	bool allow_legacy;     /* allow-legacy-algorithms=yes: 3des, md5, modp1024/1536 */
	unsigned natt_methods; /* nat_traversal=: default for every conn */
	uint32_t keepalive;    /* keep-alive=: default nat_keepalive */
	bool keepalive_auto;   /* keep-alive=auto: default nat_keepalive=auto */
	/* nat-binding-lifetime=: default nat_binding_lifetime= (s, 0 = unknown;
	 * natcheck: the natcheck state file). */
	uint32_t binding_lifetime;
	bool binding_lifetime_natcheck;
	/* nat-keepalive-audit=: warn of a NATed peer without keepalives for
	 * this long (seconds; 0 = no audit; default 60). */
	uint32_t nat_audit;
	/* Half-open responder IKE SAs (the engine's ike_halfopen_cfg). */
	uint32_t max_halfopen;	      /* max-halfopen-ike= */
	uint32_t halfopen_per_source; /* max-halfopen-ike-per-source= */
	uint32_t ddos_threshold;      /* ddos-ike-threshold=: defence mode from here on */
	uint32_t halfopen_timeout;    /* half-open-timeout=, seconds */
	uint32_t ike_socket_bufsize;  /* ike-socket-bufsize=, bytes (IKE sockets, each way) */
	int32_t crypto_workers; /* crypto-workers=: threads for DH/RSA, 0 = none, -1 = one per CPU
				 */
	/* virtual-private= (Libreswan): what rightsubnet=vhost:%priv and
	 * vnet:%priv let road warriors claim; vp_exclude: %v4:!NET. */
	struct conf_subnet vp[CONF_SUBNETS_MAX];
	bool vp_exclude[CONF_SUBNETS_MAX];
	size_t n_vp;
	enum conf_uniqueids uniqueids;
	enum conf_crlpolicy crlpolicy; /* strictcrlpolicy= */
	/* interfaces=: IKE is accepted only on these; none = every interface. */
	char interfaces[CONF_IFACES_MAX][CONF_IFNAME_MAX + 1];
	size_t n_interfaces;
};

/* Diagnostics: "FILE:LINE: message", in the order found. */
struct conf_diag {
	size_t n;
	size_t dropped; /* more than CONF_DIAG_MAX */
	char msg[CONF_DIAG_MAX][CONF_DIAG_LEN];
};

/* A parsed, resolved ipsec.conf. */
struct conf {
	struct conf_setup setup;
	struct conf_conn *conns; /* in file order, %default excluded */
	size_t n_conns;
	char file[CONF_PATH_MAX + 1];
	/* Every file read, in the order read: files[0] is @file, then those
	 * `include` lines named (conf_load_file() only). */
	char **files;
	size_t n_files;
	/* Warnings: strongSwan/Libreswan keys accepted with no effect or a
	 * different one on natkeyd, each "FILE:LINE: warning: KEY=VALUE:
	 * what natkeyd does instead". Not errors: the config loads. */
	struct conf_diag notes;
};

struct conf_secrets;

/**
 * conf_parse() - parse and resolve the text of an ipsec.conf.
 * @file: the name used in messages ("/etc/ipsec.conf").
 * @text: the file's bytes (need not be NUL-terminated; a NUL byte is an error).
 * @len: their number.
 * @out: set to the new config on success (free with conf_free()).
 * @diag: receives every error found (cleared first).
 *
 * Checks syntax, every key and value, also= references and cycles, and
 * legacy algorithms against `allow-legacy-algorithms`. Cross-key checks
 * that need the secrets are conf_validate()'s.
 *
 * Return: 0, -EINVAL when @diag holds at least one error, -ENOMEM.
 */
int conf_parse(const char *file, const char *text, size_t len, struct conf **out,
	       struct conf_diag *diag);

/**
 * conf_load_file() - read @path and conf_parse() it.
 *
 * Return: 0, -EINVAL (see @diag), -EFBIG over CONF_FILE_MAX, or the
 * negative errno of open/read (also described in @diag).
 */
int conf_load_file(const char *path, struct conf **out, struct conf_diag *diag);

/**
 * conf_conn_file() - the file @c of @conf is written in (its `conn` header;
 * an included file or conf->file).
 */
const char *conf_conn_file(const struct conf *conf, const struct conf_conn *c);

/**
 * conf_validate() - whole-configuration checks on every conn with auto!=ignore.
 * @conf: a parsed config.
 * @secrets: the parsed ipsec.secrets, or NULL to skip the PSK presence check.
 * @diag: errors are appended (not cleared).
 *
 * Checks that ends have addresses, that auto=start/route has a concrete peer,
 * that authby=secret has a PSK and authby=rsasig a certificate, lifetime vs
 * rekeymargin, DPD timing, pfs vs esp= groups, aggressive mode's single DH
 * group, forceencaps vs NAT-T, transport mode vs subnets.
 *
 * Return: 0 or -EINVAL.
 */
int conf_validate(const struct conf *conf, const struct conf_secrets *secrets,
		  struct conf_diag *diag);

/**
 * conf_free() - free a config (NULL is fine).
 */
void conf_free(struct conf *conf);

/**
 * conf_conn_find() - the conn named @name, or NULL.
 */
const struct conf_conn *conf_conn_find(const struct conf *conf, const char *name);

/**
 * conf_conn_name_valid() - whether @name is a valid conn name.
 *
 * 1..CONF_NAME_MAX characters from [A-Za-z0-9._-], not starting with '.' or
 * '-'. natkeyctl's up/down use the same rule.
 */
bool conf_conn_name_valid(const char *name, size_t len);

/**
 * conf_print() - print the effective configuration in ipsec.conf syntax.
 * @conf: a parsed config.
 * @out: where to write.
 *
 * Every key of every conn is written explicitly (defaults and also=
 * expanded), so the output parses back to the same config. No secret is
 * ever printed: PSKs live in ipsec.secrets (see conf_secrets_print()).
 *
 * Return: 0, or -EIO if writing failed.
 */
int conf_print(const struct conf *conf, FILE *out);

/**
 * conf_conn_print() - print one conn section as conf_print() does.
 *
 * Return: 0 or -EIO.
 */
int conf_conn_print(const struct conf_conn *conn, FILE *out);

/* The outcome of a reload for one connection. */
enum conf_diff_kind {
	CONF_DIFF_ADDED,     /* only in the new config */
	CONF_DIFF_REMOVED,   /* only in the old config */
	CONF_DIFF_CHANGED,   /* in both, and its effective settings or PSK differ */
	CONF_DIFF_UNCHANGED, /* in both, identical: the daemon keeps its SAs up */
};

struct conf_diff_entry {
	const char *name; /* points into the old (removed) or new config */
	enum conf_diff_kind kind;
};

/* The result of conf_diff(): removed entries first (old order), then the
 * new config's conns in its order. */
struct conf_diff {
	struct conf_diff_entry *v;
	size_t n;
	bool setup_changed; /* `config setup` differs */
};

/**
 * conf_diff() - compare two configs for a reload.
 * @old_conf: the running config.
 * @new_conf: the config just parsed.
 * @old_secrets: the running secrets, or NULL.
 * @new_secrets: the new secrets, or NULL.
 * @out: receives the entries (release with conf_diff_free()).
 *
 * Two conns are the same when their effective settings (conf_conn_print()
 * output) are equal and, for authby=secret, the PSK each resolves to is the
 * same. A changed `config setup` changes no conn by itself, but its values
 * are already folded into the conns it affects.
 *
 * Return: 0 or -ENOMEM.
 */
int conf_diff(const struct conf *old_conf, const struct conf *new_conf,
	      const struct conf_secrets *old_secrets, const struct conf_secrets *new_secrets,
	      struct conf_diff *out);

/**
 * conf_diff_free() - release the entries of @diff.
 */
void conf_diff_free(struct conf_diff *diff);

/**
 * conf_diff_kind_name() - "added", "removed", "changed" or "unchanged".
 */
const char *conf_diff_kind_name(enum conf_diff_kind kind);

/**
 * conf_why() - write the reason of a refusal into @why (may be NULL): the
 * one message writer of the parser's value and key checks.
 *
 * Return: -EINVAL, so a check can end with `return conf_why(...)`.
 */
int conf_why(char *why, size_t why_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/**
 * conf_diag_add() - append "FILE:LINE: message" (or "FILE: message" when
 * @line is 0) to @diag, skipping an exact duplicate of a kept message; a NULL
 * @diag keeps nothing.
 */
void conf_diag_add(struct conf_diag *diag, const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

struct stat;

/**
 * conf_file_check_fn - a check of the opened file's stat (e.g. the secrets'
 * mode): 0, or a negative errno with its message added to @diag.
 */
typedef int (*conf_file_check_fn)(const char *path, const struct stat *st, struct conf_diag *diag);

/**
 * conf_file_read() - read @path whole into a fresh NUL-terminated buffer.
 * @oflags: extra open(2) flags (O_NOFOLLOW for secrets); @check: NULL or a
 * check of the opened file. A regular file of at most CONF_FILE_MAX bytes.
 * Free *@buf with conf_file_free(*@buf, *@len).
 *
 * Return: 0, or a negative errno with the reason in @diag.
 */
int conf_file_read(const char *path, int oflags, conf_file_check_fn check, char **buf, size_t *len,
		   struct conf_diag *diag);

/**
 * conf_file_load() - read @path whole (conf_file_read(), no flags, no check)
 * and hand its bytes to @parse (a PEM parser filling @out: certificates,
 * CRLs, private keys); the bytes are wiped whatever @parse did. The daemon
 * reads every file with this reader and gives bytes to ike/crypto.
 *
 * Return: a negative errno of open/read (-ENOENT: no such file), -EINVAL for
 * a NULL argument, else @parse's.
 */
int conf_file_load(const char *path, int (*parse)(const uint8_t *buf, size_t len, void *out),
		   void *out);

/**
 * conf_file_read_st() - conf_file_read(), and the opened file's stat in
 * *@st (device and inode tell an include loop).
 */
int conf_file_read_st(const char *path, int oflags, conf_file_check_fn check, char **buf,
		      size_t *len, struct stat *st, struct conf_diag *diag);

/**
 * conf_include_glob() - the files an `include PATTERN` line of @from names:
 * PATTERN is a glob(7) pattern, relative to the folder of @from unless it
 * starts with '/'. No match is no error (*@n = 0). Free *@paths with
 * conf_include_paths_free().
 *
 * Return: 0, or -EINVAL/-EIO/-ENOMEM with the reason in @why.
 */
int conf_include_glob(const char *from, const char *pattern, char ***paths, size_t *n, char *why,
		      size_t why_len);

/** conf_include_paths_free() - free what conf_include_glob() returned. */
void conf_include_paths_free(char **paths, size_t n);

/**
 * conf_file_free() - wipe (the file may hold secrets) and free.
 */
void conf_file_free(char *buf, size_t len);

/**
 * conf_diag_print() - write every diagnostic of @diag, one per line.
 */
void conf_diag_print(const struct conf_diag *diag, FILE *out);

/**
 * conf_notes_print() - write the warnings of @conf (conf->notes), each line
 * prefixed with @prefix ("" or "# ").
 */
void conf_notes_print(const struct conf *conf, const char *prefix, FILE *out);

/**
 * conf_crlpolicy_name() - "no", "yes" or "ifuri".
 */
const char *conf_crlpolicy_name(enum conf_crlpolicy p);

/**
 * conf_sendcert_name() - "always", "ifasked" or "never".
 */
const char *conf_sendcert_name(enum conf_sendcert s);

/**
 * conf_uniqueids_name() - "yes", "no", "never", "replace" or "keep".
 */
const char *conf_uniqueids_name(enum conf_uniqueids u);

/* Value parsers, shared by ipsec.conf and ipsec.secrets. Each returns 0 or
 * -EINVAL and writes a short reason into @why (may be NULL) on failure. */

/**
 * conf_time_parse() - "30", "30s", "5m", "3h", "1d" to seconds (max 2^31-1).
 */
int conf_time_parse(const char *s, uint32_t *out, char *why, size_t why_len);

/**
 * conf_bytes_parse() - a byte count for lifebytes=/marginbytes=: a decimal
 * number with an optional binary suffix K, M, G, T (or KiB, MiB, GiB, TiB).
 * 0 is allowed (no limit); anything else must be at least 1024 bytes (IKEv1
 * counts kilobytes) and at most CONF_BYTES_MAX.
 */
int conf_bytes_parse(const char *s, uint64_t *out, char *why, size_t why_len);

/**
 * conf_addr_parse() - an IPv4 or IPv6 literal.
 */
int conf_addr_parse(const char *s, struct conf_addr *out);

/**
 * conf_addr_format() - print @a into @buf ("" for family 0).
 */
const char *conf_addr_format(const struct conf_addr *a, char *buf, size_t len);

/**
 * conf_subnet_parse() - "10.0.0.0/24", "2001:db8::/32", or an address (a host
 * prefix). Host bits must be clear: "10.0.0.1/24" is refused with the
 * network the admin probably meant in @why.
 */
int conf_subnet_parse(const char *s, struct conf_subnet *out, char *why, size_t why_len);

/**
 * conf_id_parse() - an identity as leftid=/rightid= and ipsec.secrets write it.
 *
 * "%any"; an IP literal; "@host" (FQDN; "@" stripped); "user@host"
 * (USER_FQDN); text containing '=' (a DN, canonicalised to "A=v, B=w");
 * "%fromcert"; a bare name without '@' is an FQDN, as in strongSwan.
 */
int conf_id_parse(const char *s, struct conf_id *out, char *why, size_t why_len);

/**
 * conf_id_format() - the config text of @id ("%any", "@host", ...).
 */
const char *conf_id_format(const struct conf_id *id, char *buf, size_t len);

/**
 * conf_id_equal() - whether two identities name the same peer (FQDN and the
 * domain of USER_FQDN compare case-insensitively, as DNS does).
 */
bool conf_id_equal(const struct conf_id *a, const struct conf_id *b);

/**
 * conf_id_from_addr() - the IP identity of an address.
 */
void conf_id_from_addr(const struct conf_addr *addr, struct conf_id *out);

/**
 * conf_host_addr() - the address an end stands for: the literal of an
 * address, the resolved address of a name or %defaultroute, else NULL
 * (%any, or not resolved yet).
 */
const struct conf_addr *conf_host_addr(const struct conf_host *h);

/**
 * conf_conn_local_id() / conf_conn_remote_id() - the identity an end uses:
 * its configured id, else its IP address (conf_host_addr()), else %any.
 */
void conf_conn_local_id(const struct conf_conn *conn, struct conf_id *out);
void conf_conn_remote_id(const struct conf_conn *conn, struct conf_id *out);

/**
 * conf_pool_parse() - an address pool as strongSwan (rightsourceip=) and
 * Libreswan (rightaddresspool=) write it: "10.3.0.0/24" (a subnet: its first
 * and last addresses are left out when it has more than two, as strongSwan
 * does), "10.3.0.10-10.3.0.250" (inclusive), or one address. At most
 * CONF_POOL_MAX addresses.
 */
int conf_pool_parse(const char *s, struct conf_pool *out, char *why, size_t why_len);

/**
 * conf_pool_last() - the last address of a pool (size > 0).
 */
void conf_pool_last(const struct conf_pool *pool, struct conf_addr *out);

/**
 * conf_conn_xauth_role() - the XAUTH role of this host (left) in @conn:
 * server with authby=xauth* + xauth=server or leftxauthserver=yes /
 * rightxauthclient=yes; client with authby=xauth* (+ xauth=client) or
 * leftxauthclient=yes / rightxauthserver=yes; else none.
 */
enum conf_role conf_conn_xauth_role(const struct conf_conn *conn);

/**
 * conf_conn_modecfg_role() - the Mode Config role of this host: server when
 * the right end has a pool or leftmodecfgserver=/rightmodecfgclient= say so;
 * client with leftsourceip=%config or leftmodecfgclient=/rightmodecfgserver=.
 */
enum conf_role conf_conn_modecfg_role(const struct conf_conn *conn);

/**
 * conf_edit_distance() - Levenshtein distance between two short strings
 * (capped at 64 characters each), for "did you mean" suggestions.
 */
unsigned conf_edit_distance(const char *a, const char *b);

#endif
