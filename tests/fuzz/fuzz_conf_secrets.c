// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the ipsec.secrets parser and the PSK lookup; the printer must never
 * show a PSK byte string of 4+ printable characters that is a PSK.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/conf_secrets.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_secrets *s = NULL;
	struct conf_diag diag;
	struct conf_id a, b;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	if (conf_secrets_parse("fuzz.secrets", (const char *)data, size, &s, &diag) < 0)
		return 0;
	conf_id_parse("@gw", &a, NULL, 0);
	conf_id_parse("192.0.2.1", &b, NULL, 0);
	(void)conf_secrets_find_psk(s, &a, &b);
	(void)conf_secrets_find_psk(s, NULL, &b);
	(void)conf_secrets_find_psk(s, NULL, NULL);
	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	conf_secrets_print(s, f);
	fclose(f);
	for (i = 0; i < s->n; i++)
		if (s->v[i].type == CONF_SECRET_PSK && s->v[i].psk_len >= 8 &&
		    memmem(buf, len, s->v[i].psk, s->v[i].psk_len)) {
			fprintf(stderr, "PSK printed\n");
			abort();
		}
	free(buf);
	conf_secrets_free(s);
	return 0;
}
