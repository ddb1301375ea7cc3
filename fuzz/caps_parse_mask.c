// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz/caps_parse_mask.c - --decode masks and the Cap*: lines of
 * /proc/PID/status: caps_parse_mask() must never crash, must accept only
 * [0x]hex of at most 64 significant bits, and its result must print back
 * to the same value and, as names, parse back to the same set.
 */
#include <inttypes.h>

#include "fuzz.h"
#include "caps.h"

static int plain_hex(const char *s)
{
	size_t i, sig = 0;
	int leading = 1;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return 0;
	for (i = 0; s[i]; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
		if (leading && s[i] == '0')
			continue;
		leading = 0;
		sig++;
	}
	return sig <= 16;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	char hex[32], names[CAPS_FORMAT_MAX];
	capmask_t set = 0, again = 0;
	int r;

	r = caps_parse_mask(s, &set);
	/* Accepted exactly when it is plain hex of at most 16 digits. */
	FUZZ_CHECK((r == 0) == plain_hex(s));
	if (r == 0) {
		snprintf(hex, sizeof(hex), "%016" PRIx64, set);
		FUZZ_CHECK(caps_parse_mask(hex, &again) == 0 && again == set);
		FUZZ_CHECK(caps_format(set, names, sizeof(names)) == 0);
		if (set) {
			FUZZ_CHECK(caps_parse(names, CAPS_NUM_MAX, &again,
					      NULL) == 0);
			FUZZ_CHECK(again == set);
		}
	}
	free(s);
	return 0;
}
