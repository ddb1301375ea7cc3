/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tap.h - a few TAP helpers for the C unit tests, run by prove. */
#ifndef CAPBOUND_TAP_H
#define CAPBOUND_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) do {						\
	int ok_c_ = !!(cond);						\
	printf("%sok %d - ", ok_c_ ? "" : "not ", ++tap_n);		\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!ok_c_) {							\
		tap_failed++;						\
		printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__,	\
		       #cond);						\
	}								\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *is_g_ = (got), *is_w_ = (want);			\
	int is_c_ = is_g_ && is_w_ && strcmp(is_g_, is_w_) == 0;	\
	ok(is_c_, __VA_ARGS__);						\
	if (!is_c_)							\
		printf("#   got:  '%s'\n#   want: '%s'\n",		\
		       is_g_ ? is_g_ : "(null)", is_w_ ? is_w_ : "(null)"); \
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
