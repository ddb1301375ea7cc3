// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz/ident_parse_id.c - uid/gid numbers (--user, --group, --groups):
 * ident_parse_id() must accept exactly the digit strings whose value is
 * 0..4294967294, agree with a slow reference, and never crash.  The
 * names path (NSS) is left out on purpose: it is glibc's, not ours.
 */
#include "fuzz.h"
#include "ident.h"

/* Reference: digits only, value < 4294967295, computed without limits. */
static int reference(const char *s, unsigned long long *v)
{
	unsigned long long n = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (unsigned long long)(*s - '0');
		if (n >= 4294967295ULL)
			return -1;
	}
	*v = n;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	unsigned int id = 0;
	unsigned long long want = 0;
	int r, ref;

	r = ident_parse_id(s, &id);
	ref = reference(s, &want);
	FUZZ_CHECK(r == ref);
	if (r == 0)
		FUZZ_CHECK(id == want);
	FUZZ_CHECK(ident_is_numeric(s) == (*s && strspn(s, "0123456789") ==
					   strlen(s)));
	free(s);
	return 0;
}
