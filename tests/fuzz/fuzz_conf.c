// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the ipsec.conf parser. Beyond "no crash", every accepted input must
 * satisfy the printer's contract: the effective config parses back, prints
 * identically, and diffs as unchanged against itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/conf/conf.h"
#include "tests/fuzz/fuzz.h"

static char *print_to_string(const struct conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	if (conf_print(c, f) < 0)
		abort();
	fclose(f);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_diag diag;
	struct conf *c = NULL, *c2 = NULL;
	struct conf_diff d;
	char *p1, *p2;
	size_t i;

	if (conf_parse("fuzz.conf", (const char *)data, size, &c, &diag) < 0)
		return 0;
	(void)conf_validate(c, NULL, &diag);
	p1 = print_to_string(c);
	if (conf_parse("fuzz.conf", p1, strlen(p1), &c2, &diag) < 0) {
		fprintf(stderr, "effective config does not parse back: %s\n%s\n", diag.msg[0], p1);
		abort();
	}
	p2 = print_to_string(c2);
	if (strcmp(p1, p2)) {
		fprintf(stderr, "print/parse/print differs:\n%s\n---\n%s\n", p1, p2);
		abort();
	}
	if (conf_diff(c, c2, NULL, NULL, &d) == 0) {
		for (i = 0; i < d.n; i++)
			if (d.v[i].kind != CONF_DIFF_UNCHANGED)
				abort();
		conf_diff_free(&d);
	}
	free(p1);
	free(p2);
	conf_free(c);
	conf_free(c2);
	return 0;
}
