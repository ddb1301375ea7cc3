/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz/fuzz.h - shared by the libFuzzer targets (fuzz/<target>.c) and by
 * fuzz/replay.c, which runs the same entry point over files so that
 * `make check` replays the seed corpora and every input that once
 * crashed (fuzz/regress/<target>/) with the normal compiler.
 */
#ifndef CAPBOUND_FUZZ_H
#define CAPBOUND_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a C string (the parsers take NUL-terminated text). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* An invariant that must hold: abort() so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: check failed: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

#endif
