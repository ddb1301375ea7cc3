// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz/securebits_parse.c - the --securebits list, caps_securebits_parse()
 * in caps.c.  It must accept exactly the comma lists of known names, with
 * no empty item, and return their bits or-ed together; anything else is
 * -1, with the unknown item (cut) in bad, or bad empty for an empty item.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/securebits.h>

#include "caps.h"
#include "fuzz.h"

/* Reference: split at commas, look each item up by strcmp. */
static int reference(const char *s, unsigned long *bits, int *empty)
{
	const char *p = s;

	*bits = 0;
	*empty = 0;
	for (;;) {
		size_t len = strcspn(p, ","), i;
		char item[64];

		if (len == 0) {
			*empty = 1;
			return -1;
		}
		if (len >= sizeof(item))
			return -1;
		memcpy(item, p, len);
		item[len] = '\0';
		for (i = 0; i < caps_nsecurebits; i++)
			if (strcmp(item, caps_securebits[i].name) == 0)
				break;
		if (i == caps_nsecurebits)
			return -1;
		*bits |= caps_securebits[i].bit;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	char bad[CAPS_NAME_MAX];
	unsigned long bits = 0, want;
	int r, ref, empty;

	/* An argument is a C string: what follows a NUL is not in it. */
	r = caps_securebits_parse(s, &bits, bad);
	ref = reference(s, &want, &empty);
	if (r < 0) {
		FUZZ_CHECK(ref < 0);
		FUZZ_CHECK(errno == EINVAL);
		FUZZ_CHECK(strlen(bad) < CAPS_NAME_MAX);
		FUZZ_CHECK((bad[0] == '\0') == (empty == 1));
		if (bad[0])
			FUZZ_CHECK(strstr(s, bad) != NULL);
	} else {
		FUZZ_CHECK(r == 0 && ref == 0);
		FUZZ_CHECK(bits == want && bits != 0);
		FUZZ_CHECK((bits & ~(unsigned long)(SECBIT_NOROOT |
			SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
			SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
			SECBIT_NO_CAP_AMBIENT_RAISE |
			SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED)) == 0);
	}
	free(s);
	return 0;
}
