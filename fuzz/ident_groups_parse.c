// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz/ident_groups_parse.c - --groups lists.  Inputs are kept to digits
 * and commas so that no name reaches NSS (glibc's, not ours, and slow):
 * the list splitting, the number checks, the de-duplication and the
 * error item are what is fuzzed.
 */
#include <grp.h>

#include "fuzz.h"
#include "ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	gid_t *gids = NULL;
	size_t n = 0, i, j, items = 1;
	char *bad = NULL;
	enum ident_err e;

	if (strlen(s) != size || strspn(s, "0123456789,") != size) {
		free(s);
		return 0;
	}
	for (i = 0; s[i]; i++)
		items += s[i] == ',';
	e = ident_groups_parse(s, &gids, &n, &bad);
	if (e == IDENT_OK) {
		FUZZ_CHECK(bad == NULL);
		FUZZ_CHECK(*s ? n >= 1 && n <= items : n == 0);
		for (i = 0; i < n; i++) {
			FUZZ_CHECK(gids[i] != (gid_t)-1);
			for (j = i + 1; j < n; j++)
				FUZZ_CHECK(gids[i] != gids[j]);
		}
	} else {
		FUZZ_CHECK(e == IDENT_EBADNUM || e == IDENT_EBADNAME);
		FUZZ_CHECK(gids == NULL && n == 0);
		FUZZ_CHECK(bad != NULL);
		FUZZ_CHECK(strstr(s, bad) != NULL);
	}
	free(gids);
	free(bad);
	free(s);
	return 0;
}
