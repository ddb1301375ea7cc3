// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz/caps_parse.c - CAPS lists (--drop, --keep, --ambient, policy
 * files): caps_parse() must never crash, must NUL-terminate the item it
 * reports, and what it accepts must survive caps_format() and a second
 * caps_parse() unchanged.
 */
#include "fuzz.h"
#include "caps.h"

static void one(const char *s, int last_cap)
{
	struct caps_perror perr;
	capmask_t set = 0, again = 0;
	char buf[CAPS_FORMAT_MAX];

	memset(&perr, 0x55, sizeof(perr));
	if (caps_parse(s, last_cap, &set, &perr) < 0) {
		FUZZ_CHECK(perr.why != CAPS_PERR_NONE);
		FUZZ_CHECK(memchr(perr.item, '\0', sizeof(perr.item)) != NULL);
		FUZZ_CHECK(caps_perr_str(perr.why) != NULL);
		return;
	}
	FUZZ_CHECK(perr.why == CAPS_PERR_NONE);
	FUZZ_CHECK(caps_format(set, buf, sizeof(buf)) == 0);
	if (set == 0) {
		FUZZ_CHECK(buf[0] == '\0');
		return;
	}
	FUZZ_CHECK(caps_parse(buf, last_cap, &again, NULL) == 0);
	FUZZ_CHECK(again == set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);

	one(s, 40);		/* a kernel of 2024: cap_checkpoint_restore */
	one(s, CAPS_NUM_MAX);
	one(s, -1);		/* range unknown: only "all" may fail for it */
	free(s);
	return 0;
}
