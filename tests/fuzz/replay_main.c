// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Plain main() for fuzz targets: replay every file named on the command line,
 * or every regular file in a named folder, through LLVMFuzzerTestOneInput().
 * A crash or sanitizer report fails the test; a clean run prints a count.
 * Without arguments it replays $FUZZ_CORPUS (the automake test passes it).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/fuzz/fuzz.h"

#define REPLAY_MAX_INPUT (1u << 20)

static int replay_file(const char *path, unsigned *count)
{
	static uint8_t buf[REPLAY_MAX_INPUT];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	(*count)++;
	return 0;
}

static int replay_path(const char *path, unsigned *count)
{
	struct dirent **names;
	struct stat st;
	int n, i, rc = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path, count);
	/* Sorted, so that a failure names the same input on every run. */
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char child[4096];

		if (names[i]->d_name[0] != '.' &&
		    snprintf(child, sizeof(child), "%s/%s", path, names[i]->d_name) <
			    (int)sizeof(child) &&
		    stat(child, &st) == 0 && S_ISREG(st.st_mode) && replay_file(child, count) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int i, rc = 0;
	const char *env = getenv("FUZZ_CORPUS");

	if (argc < 2 && !env) {
		fprintf(stderr, "usage: %s FILE|DIR...  (or set FUZZ_CORPUS)\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (replay_path(argv[i], &count) < 0)
			rc = 1;
	if (argc < 2) {
		/* FUZZ_CORPUS may list several folders separated by ':'. */
		char *list = strdup(env), *save = NULL, *p;

		for (p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save))
			if (replay_path(p, &count) < 0)
				rc = 1;
		free(list);
	}
	printf("replayed %u inputs\n", count);
	if (count == 0) {
		fprintf(stderr, "replay: no inputs found: a corpus must not be empty\n");
		rc = 1;
	}
	return rc;
}
