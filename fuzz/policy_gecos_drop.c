// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz/policy_gecos_drop.c - the GECOS cap_drop= property, which a user
 * may be able to set himself (chfn): policy_gecos_drop() must never crash,
 * and must agree with a reference written from policy.h's words: no
 * "cap_drop" in any case is no property; exactly one, spelt "cap_drop="
 * at the start of a comma-separated sub-field (blanks allowed before it),
 * is the list up to the end of GECOS; anything else is an error.
 */
#include <strings.h>

#include "fuzz.h"
#include "caps.h"
#include "policy.h"

static const char prop[] = "cap_drop";
#define PROP_LEN (sizeof(prop) - 1)

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* 0 and *found, or -1, as policy.h says; *drop when found. */
static int reference(const char *g, int last_cap, capmask_t *drop,
		     int *found)
{
	const char *at = NULL, *q;
	size_t i, n = 0, end;
	char *val;
	int r;

	*found = 0;
	for (i = 0; g[i]; i++) {
		if (strncasecmp(g + i, prop, PROP_LEN) == 0) {
			n++;
			at = g + i;
		}
	}
	if (n == 0)
		return 0;
	if (n > 1 || strncmp(at, "cap_drop=", PROP_LEN + 1) != 0)
		return -1;
	for (q = at; q > g && blank(q[-1]); q--)
		;
	if (q != g && q[-1] != ',')
		return -1;
	q = at + PROP_LEN + 1;
	for (end = strlen(q); end > 0 && blank(q[end - 1]); end--)
		;
	if (end == 0)
		return -1;
	val = strndup(q, end);
	FUZZ_CHECK(val != NULL);
	r = caps_parse(val, last_cap, drop, NULL);
	free(val);
	if (r < 0)
		return -1;
	*found = 1;
	return 0;
}

static void one(const char *g, int last_cap)
{
	struct policy_error pe;
	capmask_t drop = 0x5555, want = 0;
	int found = 0x55, want_found = 0, r, ref;

	memset(&pe, 0x55, sizeof(pe));
	r = policy_gecos_drop(g, last_cap, &drop, &found, &pe);
	ref = reference(g, last_cap, &want, &want_found);
	FUZZ_CHECK(r == ref);
	if (r < 0) {
		FUZZ_CHECK(found == 0);
		FUZZ_CHECK(memchr(pe.why, '\0', sizeof(pe.why)) != NULL);
		FUZZ_CHECK(strncmp(pe.why, "GECOS: ", 7) == 0);
		FUZZ_CHECK(pe.line == 0);
		return;
	}
	FUZZ_CHECK(found == want_found);
	FUZZ_CHECK(found ? drop == want && drop != 0 : drop == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	capmask_t drop = 1;
	int found = 1;

	one(s, 40);
	one(s, -1);
	/* No GECOS at all is no property. */
	FUZZ_CHECK(policy_gecos_drop(NULL, 40, &drop, &found, NULL) == 0 &&
		   found == 0 && drop == 0);
	free(s);
	return 0;
}
