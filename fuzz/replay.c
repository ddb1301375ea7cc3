// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz/replay.c - run a fuzz target's entry point over files, without
 * libFuzzer: `make check` builds fuzz/<target>-replay with the normal
 * compiler and tests/71-fuzz-regress.t feeds it the seed corpus and the
 * inputs that once crashed.  Exit 0 when every file passes.
 */
#include <errno.h>

#include "fuzz.h"

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *buf = NULL;
		size_t len = 0, cap = 0, n;

		if (!f) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
				strerror(errno));
			return 2;
		}
		do {
			if (len == cap) {
				uint8_t *nbuf;

				cap = cap ? cap * 2 : 4096;
				nbuf = realloc(buf, cap);
				if (!nbuf)
					abort();
				buf = nbuf;
			}
			n = fread(buf + len, 1, cap - len, f);
			len += n;
		} while (n > 0);
		if (ferror(f) || fclose(f) != 0) {
			fprintf(stderr, "replay: %s: read error\n", argv[i]);
			return 2;
		}
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
	}
	return 0;
}
