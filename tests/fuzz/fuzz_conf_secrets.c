// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the ipsec.secrets parser and the PSK lookup. Oracle for "never
 * printed": the printed listing must not depend on the PSK bytes, so it is
 * printed, every PSK byte is inverted, and it is printed again; the two
 * listings must be identical.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/conf/conf_secrets.h"
#include "tests/fuzz/fuzz.h"

static char *listing(const struct conf_secrets *s, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		abort();
	conf_secrets_print(s, f);
	fclose(f);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_secrets *s = NULL;
	struct conf_diag diag;
	struct conf_id a, b;
	char *one, *two;
	size_t len1 = 0, len2 = 0, i, k;

	if (conf_secrets_parse("fuzz.secrets", (const char *)data, size, &s, &diag) < 0)
		return 0;
	conf_id_parse("@gw", &a, NULL, 0);
	conf_id_parse("192.0.2.1", &b, NULL, 0);
	(void)conf_secrets_find_psk(s, &a, &b);
	(void)conf_secrets_find_psk(s, NULL, &b);
	(void)conf_secrets_find_psk(s, NULL, NULL);
	one = listing(s, &len1);
	for (i = 0; i < s->n; i++)
		for (k = 0; k < s->v[i].psk_len; k++)
			s->v[i].psk[k] ^= 0xff;
	two = listing(s, &len2);
	if (len1 != len2 || memcmp(one, two, len1)) {
		fprintf(stderr, "the secrets listing depends on PSK bytes\n");
		abort();
	}
	free(one);
	free(two);
	conf_secrets_free(s);
	return 0;
}
