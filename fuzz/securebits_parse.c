// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz/securebits_parse.c - the --securebits list.  Its parser,
 * parse_securebits(), is a static function of capbound.c that exits on a
 * bad list (diex(), status 125), so this target compiles capbound.c into
 * itself rather than changing it: main is renamed, exit() becomes a
 * longjmp back here and capbound's stderr goes to /dev/null.  It must
 * accept exactly the comma lists of known names, with no empty item, and
 * return their bits or-ed together; a bad list must end in status 125.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

static jmp_buf fuzz_exited;
static int fuzz_status;
static FILE *fuzz_stderr;

__attribute__((noreturn))
static void fuzz_exit(int status)
{
	fuzz_status = status;
	longjmp(fuzz_exited, 1);
}

int capbound_main(int argc, char **argv);

/*
 * gcc, compiling capbound.c in one unit with this file, inlines it
 * differently and then warns that two of its diagnostic messages may be
 * cut by snprintf(): they may, on purpose.  capbound.o itself builds
 * without the warning.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#define main capbound_main
#define exit(status) fuzz_exit(status)
#undef stderr
#define stderr fuzz_stderr
// NOLINTNEXTLINE(bugprone-suspicious-include): on purpose, see above
#include "capbound.c"
#undef stderr
#define stderr stderr
#undef exit
#undef main
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/* Reference: split at commas, look each item up by strcmp. */
static int reference(const char *s, unsigned long *bits)
{
	const char *p = s;

	*bits = 0;
	for (;;) {
		size_t len = strcspn(p, ","), i;
		char item[64];

		if (len == 0 || len >= sizeof(item))
			return -1;
		memcpy(item, p, len);
		item[len] = '\0';
		for (i = 0; i < NSECUREBITS; i++)
			if (strcmp(item, securebit_names[i].name) == 0)
				break;
		if (i == NSECUREBITS)
			return -1;
		*bits |= securebit_names[i].bit;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	volatile unsigned long bits = 0;
	volatile int exited = 0;
	unsigned long want;
	int ref;

	if (!fuzz_stderr) {
		fuzz_stderr = fopen("/dev/null", "w");
		FUZZ_CHECK(fuzz_stderr != NULL);
	}
	/* An argument is a C string: what follows a NUL is not in it. */
	if (setjmp(fuzz_exited) == 0)
		bits = parse_securebits(s);
	else
		exited = 1;
	ref = reference(s, &want);
	if (exited) {
		FUZZ_CHECK(fuzz_status == EXIT_FAIL);
		FUZZ_CHECK(ref < 0);
	} else {
		FUZZ_CHECK(ref == 0);
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
