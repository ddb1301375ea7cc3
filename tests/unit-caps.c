// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unit-caps.c - the CAPS parser, the mask parser and the formatter of
 * caps.c, without privilege: every accepted form, every rejected form
 * with the reason and the item reported, and the round trips.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <linux/capability.h>

#include "caps.h"
#include "tap.h"

#define B(c)	CAPS_BIT(c)
#define ALL	(~(capmask_t)0)
/* Capabilities 0..40, as a kernel with cap_last_cap 40 has them. */
#define K40	(((capmask_t)1 << 41) - 1)

/* Kernel ABI numbers, fixed for good: see linux/capability.h. */
#define CHOWN		0
#define KILL		5
#define SETPCAP		8
#define NET_ADMIN	12
#define NET_RAW		13
#define SYS_ADMIN	21
#define CHECKPOINT	40

static const struct {
	const char *list;
	int last_cap;
	capmask_t want;
} accepted[] = {
	/* names, with and without cap_, any case */
	{ "net_raw", 40, B(NET_RAW) },
	{ "cap_net_raw", 40, B(NET_RAW) },
	{ "CAP_NET_RAW", 40, B(NET_RAW) },
	{ "Net_Raw", 40, B(NET_RAW) },
	{ "Cap_Net_Raw", 40, B(NET_RAW) },
	{ "NET_RAW", 40, B(NET_RAW) },
	{ "chown", 40, B(CHOWN) },
	{ "checkpoint_restore", 40, B(CHECKPOINT) },
	/* numbers, bare and cap_N, the whole range 0..63 */
	{ "12", 40, B(NET_ADMIN) },
	{ "cap_12", 40, B(NET_ADMIN) },
	{ "CAP_12", 40, B(NET_ADMIN) },
	{ "0", 40, B(0) },
	{ "cap_0", 40, B(0) },
	{ "63", 40, B(63) },
	{ "cap_63", 40, B(63) },
	/* leading zeros are decimal, not octal: 012 is 12 */
	{ "012", 40, B(12) },
	{ "cap_00", 40, B(0) },
	/* beyond the kernel's range but <= 63: accepted, the caller warns */
	{ "41", 40, B(41) },
	{ "63", 0, B(63) },
	{ "net_raw", -1, B(NET_RAW) },
	/* all: 0..last_cap of the kernel at hand, never a constant */
	{ "all", 40, K40 },
	{ "ALL", 40, K40 },
	{ "All", 40, K40 },
	{ "all", 0, B(0) },
	{ "all", 35, (((capmask_t)1 << 36) - 1) },
	{ "all", 62, ALL >> 1 },
	{ "all", 63, ALL },
	{ "all,63", 40, K40 | B(63) },
	{ "net_raw,all", 40, K40 },
	/* spaces and tabs around items */
	{ " net_raw", 40, B(NET_RAW) },
	{ "net_raw ", 40, B(NET_RAW) },
	{ "\tnet_raw\t", 40, B(NET_RAW) },
	{ " \t 12 \t ", 40, B(NET_ADMIN) },
	{ "chown , net_raw", 40, B(CHOWN) | B(NET_RAW) },
	{ "chown,\tnet_raw ,  kill", 40, B(CHOWN) | B(NET_RAW) | B(KILL) },
	{ " all ", 40, K40 },
	/* repeated items are one */
	{ "net_raw,net_raw", 40, B(NET_RAW) },
	{ "net_raw,cap_net_raw,NET_RAW,13,cap_13", 40, B(NET_RAW) },
	/* combinations of forms */
	{ "chown,cap_kill,CAP_SETPCAP,12,cap_13,63", 40,
	  B(CHOWN) | B(KILL) | B(SETPCAP) | B(NET_ADMIN) | B(NET_RAW) | B(63) },
	{ "sys_admin,0", 40, B(SYS_ADMIN) | B(0) },
};

static const struct {
	const char *list;
	int last_cap;
	enum caps_perr why;
	const char *item;	/* as reported: trimmed */
} rejected[] = {
	/* empty list, empty items */
	{ "", 40, CAPS_PERR_EMPTY, "" },
	{ " ", 40, CAPS_PERR_EMPTY, "" },
	{ "\t", 40, CAPS_PERR_EMPTY, "" },
	{ ",", 40, CAPS_PERR_EMPTY, "" },
	{ "chown,,net_raw", 40, CAPS_PERR_EMPTY, "" },
	{ "chown, ,net_raw", 40, CAPS_PERR_EMPTY, "" },
	{ "net_raw,", 40, CAPS_PERR_EMPTY, "" },
	{ "net_raw, ", 40, CAPS_PERR_EMPTY, "" },
	{ ",net_raw", 40, CAPS_PERR_EMPTY, "" },
	/* the first bad item is the one reported, left to right */
	{ "a,,b", 40, CAPS_PERR_UNKNOWN, "a" },
	{ "chown,foo,64", 40, CAPS_PERR_UNKNOWN, "foo" },
	{ "chown,64,foo", 40, CAPS_PERR_RANGE, "64" },
	/* trailing junk, which libcap's cap_from_name() would take */
	{ "net_raw+ep", 40, CAPS_PERR_UNKNOWN, "net_raw+ep" },
	{ "cap_net_raw+ep", 40, CAPS_PERR_UNKNOWN, "cap_net_raw+ep" },
	{ "cap_net_raw=ep", 40, CAPS_PERR_UNKNOWN, "cap_net_raw=ep" },
	{ "net_rawx", 40, CAPS_PERR_UNKNOWN, "net_rawx" },
	{ "12x", 40, CAPS_PERR_UNKNOWN, "12x" },
	{ "cap_12x", 40, CAPS_PERR_UNKNOWN, "cap_12x" },
	{ "0x1", 40, CAPS_PERR_UNKNOWN, "0x1" },
	{ "1.0", 40, CAPS_PERR_UNKNOWN, "1.0" },
	{ "1 2", 40, CAPS_PERR_UNKNOWN, "1 2" },
	/* signs are not numbers */
	{ "-1", 40, CAPS_PERR_UNKNOWN, "-1" },
	{ "+1", 40, CAPS_PERR_UNKNOWN, "+1" },
	{ "cap_-1", 40, CAPS_PERR_UNKNOWN, "cap_-1" },
	/* numbers above 63 */
	{ "64", 40, CAPS_PERR_RANGE, "64" },
	{ "cap_64", 40, CAPS_PERR_RANGE, "cap_64" },
	{ "CAP_64", 63, CAPS_PERR_RANGE, "CAP_64" },
	{ "100", 63, CAPS_PERR_RANGE, "100" },
	{ "999999999999", 40, CAPS_PERR_RANGE, "999999999999" },
	{ "99999999999999999999999999", 40, CAPS_PERR_RANGE,
	  "99999999999999999999999999" },
	/* prefixes and names that are not capabilities */
	{ "cap_", 40, CAPS_PERR_UNKNOWN, "cap_" },
	{ "CAP_", 40, CAPS_PERR_UNKNOWN, "CAP_" },
	{ "cap_cap_net_raw", 40, CAPS_PERR_UNKNOWN, "cap_cap_net_raw" },
	{ "cap_all", 40, CAPS_PERR_UNKNOWN, "cap_all" },
	{ "net raw", 40, CAPS_PERR_UNKNOWN, "net raw" },
	{ " net raw ", 40, CAPS_PERR_UNKNOWN, "net raw" },
	{ "net-raw", 40, CAPS_PERR_UNKNOWN, "net-raw" },
	{ "foo", 40, CAPS_PERR_UNKNOWN, "foo" },
	{ "chown, foo ,kill", 40, CAPS_PERR_UNKNOWN, "foo" },
	{ "allx", 40, CAPS_PERR_UNKNOWN, "allx" },
	{ "all+ep", 40, CAPS_PERR_UNKNOWN, "all+ep" },
	/* only spaces and tabs are blanks */
	{ "net_raw\n", 40, CAPS_PERR_UNKNOWN, "net_raw\n" },
	{ "\vnet_raw", 40, CAPS_PERR_UNKNOWN, "\vnet_raw" },
	/* all, when the kernel's range is unknown */
	{ "all", -1, CAPS_PERR_KERNEL, "all" },
	{ "net_raw, all ", -1, CAPS_PERR_KERNEL, "all" },
};

/* A string for a test name: blanks and controls shown as C escapes. */
static const char *vis(const char *s)
{
	static const char ctl[] = "\n\t\v", esc[] = "ntv";
	static char buf[4][256];
	static int slot;
	char *out = buf[slot++ & 3], *o = out;
	const char *c;

	for (; *s && o < out + 250; s++) {
		c = strchr(ctl, *s);	/* *s != '\0': never ctl's end */
		if (c) {
			*o++ = '\\';
			*o++ = esc[c - ctl];
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

static void test_accepted(void)
{
	size_t i;

	for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		struct caps_perror perr = { .why = CAPS_PERR_RANGE };
		capmask_t got = 0xdead;
		int r;

		r = caps_parse(accepted[i].list, accepted[i].last_cap, &got,
			       &perr);
		ok(r == 0 && got == accepted[i].want &&
		   perr.why == CAPS_PERR_NONE,
		   "accept '%s' (last_cap %d) -> %016llx",
		   vis(accepted[i].list), accepted[i].last_cap,
		   (unsigned long long)accepted[i].want);
		if (r != 0 || got != accepted[i].want)
			printf("#   r=%d got=%016llx why=%d item='%s'\n", r,
			       (unsigned long long)got, perr.why, perr.item);
	}
	/* perr may be NULL */
	{
		capmask_t got = 0;

		ok(caps_parse("chown,kill", 40, &got, NULL) == 0 &&
		   got == (B(CHOWN) | B(KILL)), "accept with perr NULL");
	}
}

static void test_rejected(void)
{
	size_t i;

	for (i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++) {
		struct caps_perror perr;
		capmask_t got = 0x5a5a;
		int r;

		memset(&perr, 'x', sizeof(perr));
		errno = 0;
		r = caps_parse(rejected[i].list, rejected[i].last_cap, &got,
			       &perr);
		ok(r == -1 && errno == EINVAL && got == 0x5a5a &&
		   perr.why == rejected[i].why &&
		   strcmp(perr.item, rejected[i].item) == 0,
		   "reject '%s' (last_cap %d): %s, item '%s'",
		   vis(rejected[i].list), rejected[i].last_cap,
		   caps_perr_str(rejected[i].why), vis(rejected[i].item));
		if (r != -1 || perr.why != rejected[i].why ||
		    strcmp(perr.item, rejected[i].item) != 0)
			printf("#   r=%d errno=%d got=%llx why=%d item='%s'\n",
			       r, errno, (unsigned long long)got, perr.why,
			       perr.why ? vis(perr.item) : "");
	}
	/* Every reason has its words; one outside the enum is no crash. */
	is_str(caps_perr_str(CAPS_PERR_NONE), "no error",
	       "caps_perr_str(CAPS_PERR_NONE)");
	is_str(caps_perr_str((enum caps_perr)99), "invalid capability",
	       "caps_perr_str() of a value outside the enum");
	/* perr may be NULL on failure too */
	{
		capmask_t got = 7;

		ok(caps_parse("foo", 40, &got, NULL) == -1 && got == 7,
		   "reject with perr NULL, *out untouched");
	}
	/* a NULL list is EINVAL, not a crash */
	{
		capmask_t got = 7;

		errno = 0;
		ok(caps_parse(NULL, 40, &got, NULL) == -1 && errno == EINVAL,
		   "NULL list: EINVAL");
	}
}

/* An item longer than any name: unknown, reported cut to fit. */
static void test_long_item(void)
{
	char list[512], want[CAPS_NAME_MAX];
	struct caps_perror perr;
	capmask_t got = 0;
	int r;

	memset(list, 'n', sizeof(list) - 1);
	list[sizeof(list) - 1] = '\0';
	memset(want, 'n', sizeof(want) - 1);
	want[sizeof(want) - 1] = '\0';
	r = caps_parse(list, 40, &got, &perr);
	ok(r == -1 && perr.why == CAPS_PERR_UNKNOWN,
	   "a 511-character item is unknown");
	is_str(perr.item, want, "and reported cut to %d characters",
	       CAPS_NAME_MAX - 1);

	/* a real name padded inside: still one unknown item */
	snprintf(list, sizeof(list), "chown,cap_net_raw%0*d", 300, 0);
	r = caps_parse(list, 40, &got, &perr);
	ok(r == -1 && perr.why == CAPS_PERR_UNKNOWN &&
	   strncmp(perr.item, "cap_net_raw000", 14) == 0 &&
	   strlen(perr.item) == CAPS_NAME_MAX - 1,
	   "cap_net_raw followed by 300 zeros: unknown, cut");

	/* a long run of blanks around a good item is still just blanks */
	memset(list, ' ', 300);
	memcpy(list + 300, "net_raw", 7);
	memset(list + 307, '\t', 100);
	list[407] = '\0';
	ok(caps_parse(list, 40, &got, &perr) == 0 && got == B(NET_RAW),
	   "300 spaces, net_raw, 100 tabs: net_raw");
}

static void test_name(void)
{
	char buf[CAPS_NAME_MAX];
	int cap, all_back = 1;

	caps_name(CHOWN, buf);
	is_str(buf, "cap_chown", "caps_name(0)");
	caps_name(NET_RAW, buf);
	is_str(buf, "cap_net_raw", "caps_name(13)");
	caps_name(SYS_ADMIN, buf);
	is_str(buf, "cap_sys_admin", "caps_name(21)");
	caps_name(CHECKPOINT, buf);
	is_str(buf, "cap_checkpoint_restore", "caps_name(40)");
	caps_name(63, buf);
	is_str(buf, "cap_63", "caps_name(63): unnamed, cap_N");

	/* every name caps_name() gives, caps_parse() takes back */
	for (cap = 0; cap <= CAPS_NUM_MAX; cap++) {
		capmask_t got = 0;

		caps_name(cap, buf);
		if (strncmp(buf, "cap_", 4) != 0 ||
		    caps_parse(buf, 40, &got, NULL) != 0 || got != B(cap)) {
			printf("#   cap %d: '%s' -> %016llx\n", cap, buf,
			       (unsigned long long)got);
			all_back = 0;
		}
	}
	ok(all_back, "caps_name(0..63) all start cap_ and parse back");
}

static void test_format(void)
{
	char buf[CAPS_FORMAT_MAX];
	char small[64];
	capmask_t back = 0;
	int r;

	memset(buf, 'x', sizeof(buf));
	ok(caps_format(0, buf, sizeof(buf)) == 0, "format empty set");
	is_str(buf, "", "empty set formats as \"\"");

	ok(caps_format(B(NET_RAW), buf, sizeof(buf)) == 0, "format one");
	is_str(buf, "cap_net_raw", "one capability");

	ok(caps_format(B(SYS_ADMIN) | B(CHOWN) | B(NET_RAW), buf,
		       sizeof(buf)) == 0, "format several");
	is_str(buf, "cap_chown,cap_net_raw,cap_sys_admin",
	       "several, in number order, comma-separated");

	ok(caps_format(B(CHOWN) | B(62) | B(63), buf, sizeof(buf)) == 0,
	   "format with unnamed capabilities");
	is_str(buf, "cap_chown,cap_62,cap_63", "unnamed as cap_N");
	ok(caps_parse(buf, 40, &back, NULL) == 0 &&
	   back == (B(CHOWN) | B(62) | B(63)),
	   "cap_N output parses back");

	ok(caps_format(ALL, buf, sizeof(buf)) == 0,
	   "all 64 fit in CAPS_FORMAT_MAX");
	ok(caps_parse(buf, 40, &back, NULL) == 0 && back == ALL,
	   "all 64 formatted parse back to all 64");

	/* exact fit and one byte short, for one and two names */
	errno = 0;
	r = caps_format(B(CHOWN), small, 10);
	ok(r == 0 && strcmp(small, "cap_chown") == 0,
	   "cap_chown fits in 10 bytes");
	errno = 0;
	r = caps_format(B(CHOWN), small, 9);
	ok(r == -1 && errno == ERANGE, "cap_chown in 9 bytes: ERANGE");
	r = caps_format(B(CHOWN) | B(KILL), small, 19);
	ok(r == 0 && strcmp(small, "cap_chown,cap_kill") == 0,
	   "cap_chown,cap_kill fits in 19 bytes");
	errno = 0;
	r = caps_format(B(CHOWN) | B(KILL), small, 18);
	ok(r == -1 && errno == ERANGE, "cap_chown,cap_kill in 18: ERANGE");
	errno = 0;
	r = caps_format(ALL, small, sizeof(small));
	ok(r == -1 && errno == ERANGE, "all 64 in 64 bytes: ERANGE");
	ok(strlen(small) < sizeof(small), "and the buffer stays a string");
	errno = 0;
	r = caps_format(0, small, 0);
	ok(r == -1 && errno == ERANGE, "length 0: ERANGE");
	r = caps_format(0, small, 1);
	ok(r == 0 && small[0] == '\0', "empty set in 1 byte");
	errno = 0;
	ok(caps_format(B(0), NULL, 100) == -1 && errno == ERANGE,
	   "NULL buffer: ERANGE");
}

static const struct {
	const char *hex;
	capmask_t want;
} masks_ok[] = {
	{ "0000000000003000", B(NET_ADMIN) | B(NET_RAW) },
	{ "3000", B(NET_ADMIN) | B(NET_RAW) },
	{ "0x3000", B(NET_ADMIN) | B(NET_RAW) },
	{ "0X3000", B(NET_ADMIN) | B(NET_RAW) },
	{ "0", 0 },
	{ "0x0", 0 },
	{ "0000000000000000", 0 },
	{ "000001fffeffffff", 0x1fffeffffffULL },
	{ "000001FFFEFFFFFF", 0x1fffeffffffULL },
	{ "0x000001FfFeFfFfFf", 0x1fffeffffffULL },
	{ "abcdef", 0xabcdefULL },
	{ "ABCDEF", 0xabcdefULL },
	{ "ffffffffffffffff", ALL },
	{ "0xFFFFFFFFFFFFFFFF", ALL },
	{ "8000000000000000", B(63) },
	/* leading zeros are free, however many */
	{ "000000000000000000000000000000000001", 1 },
	{ "0x00000000000000000000ffffffffffffffff", ALL },
};

static const struct {
	const char *hex;
	int err;
} masks_bad[] = {
	{ "10000000000000000", ERANGE },	/* 17 significant digits */
	{ "0x10000000000000000", ERANGE },
	{ "ffffffffffffffff0", ERANGE },
	{ "", EINVAL },
	{ "0x", EINVAL },
	{ "0X", EINVAL },
	{ "x12", EINVAL },
	{ "12g", EINVAL },
	{ "xyz", EINVAL },
	{ " 12", EINVAL },
	{ "12 ", EINVAL },
	{ "12\n", EINVAL },
	{ "-1", EINVAL },
	{ "+1", EINVAL },
	{ "0x0x1", EINVAL },
	{ "0x-1", EINVAL },
	{ "net_raw", EINVAL },
};

static void test_parse_mask(void)
{
	size_t i;

	for (i = 0; i < sizeof(masks_ok) / sizeof(masks_ok[0]); i++) {
		capmask_t got = 0x5a5a;

		ok(caps_parse_mask(masks_ok[i].hex, &got) == 0 &&
		   got == masks_ok[i].want, "mask '%s' -> %016llx",
		   masks_ok[i].hex, (unsigned long long)masks_ok[i].want);
	}
	for (i = 0; i < sizeof(masks_bad) / sizeof(masks_bad[0]); i++) {
		capmask_t got = 0x5a5a;
		int r;

		errno = 0;
		r = caps_parse_mask(masks_bad[i].hex, &got);
		ok(r == -1 && errno == masks_bad[i].err && got == 0x5a5a,
		   "mask '%s' rejected: %s", vis(masks_bad[i].hex),
		   strerror(masks_bad[i].err));
	}
	{
		capmask_t got;

		errno = 0;
		ok(caps_parse_mask(NULL, &got) == -1 && errno == EINVAL,
		   "mask NULL: EINVAL");
	}
}

static void test_kernel_mask(void)
{
	ok(caps_kernel_mask(-1) == 0, "kernel mask of -1: empty");
	ok(caps_kernel_mask(-100) == 0, "kernel mask of -100: empty");
	ok(caps_kernel_mask(0) == 1, "kernel mask of 0: cap 0");
	ok(caps_kernel_mask(31) == 0xffffffffULL, "kernel mask of 31");
	ok(caps_kernel_mask(32) == 0x1ffffffffULL, "kernel mask of 32");
	ok(caps_kernel_mask(40) == K40, "kernel mask of 40");
	ok(caps_kernel_mask(62) == ALL >> 1, "kernel mask of 62");
	ok(caps_kernel_mask(63) == ALL, "kernel mask of 63: all 64");
	ok(caps_kernel_mask(64) == ALL, "kernel mask of 64: all 64");
	ok(caps_kernel_mask(1000) == ALL, "kernel mask of 1000: all 64");
}

/* caps_last_cap() against the kernel, read here independently. */
static void test_last_cap(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");
	char line[32], *end;
	long v;
	int want = -1, probe;

	/* one decimal number and a newline; anything else: no answer */
	if (f) {
		if (fgets(line, sizeof(line), f)) {
			errno = 0;
			v = strtol(line, &end, 10);
			if (!errno && end != line && *end == '\n' && v >= 0 &&
			    v <= INT_MAX)
				want = (int)v;
		}
		if (fclose(f) != 0)
			want = -1;
	}
	/* the highest capability PR_CAPBSET_READ knows */
	for (probe = 0; probe <= CAPS_NUM_MAX + 1; probe++)
		if (prctl(PR_CAPBSET_READ, (unsigned long)probe, 0UL, 0UL,
			  0UL) < 0)
			break;
	probe--;
	if (want >= 0)
		ok(caps_last_cap() == want,
		   "caps_last_cap() is /proc/sys/kernel/cap_last_cap (%d)",
		   want);
	else
		printf("ok %d # SKIP no /proc/sys/kernel/cap_last_cap\n",
		       ++tap_n);
	ok(caps_last_cap() == probe,
	   "caps_last_cap() is the last PR_CAPBSET_READ knows (%d)", probe);
	{
		capmask_t got = 0;

		ok(caps_parse("all", caps_last_cap(), &got, NULL) == 0 &&
		   got == caps_kernel_mask(probe),
		   "all on this kernel is 0..%d", probe);
	}
}

/*
 * The readers agree with each other and with the kernel after a change:
 * caps_state_read() (from /proc), caps_state_read_syscalls() (the plan's)
 * and step 7's caps_inh_amb_readback().
 */
static int same_state(const struct caps_state *a, const struct caps_state *b)
{
	return a->inh == b->inh && a->prm == b->prm && a->eff == b->eff &&
	       a->bnd == b->bnd && a->amb == b->amb;
}

static void test_state_readers(void)
{
	struct caps_state a, b;
	capmask_t inh = 1, amb = 1, chown_bit = CAPS_BIT(CAP_CHOWN);
	int lc = caps_last_cap(), cap;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ok(caps_state_read(&a, lc, NULL) == 0 &&
	   caps_state_read_syscalls(&b, lc, NULL) == 0 && same_state(&a, &b),
	   "/proc and the system calls read the same five sets");
	ok(caps_inh_amb_readback(0, &inh, &amb, NULL) == 0 &&
	   inh == a.inh && amb == a.amb,
	   "  step 7's read-back finds the same inheritable and ambient sets");
	/* Raise chown to pI and pA, if this process may. */
	if ((a.prm & chown_bit) &&
	    caps_set(a.eff, a.prm, a.inh | chown_bit, NULL) == 0 &&
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long)CAP_CHOWN,
		  0UL, 0UL) == 0) {
		ok(caps_state_read(&a, lc, NULL) == 0 &&
		   caps_state_read_syscalls(&b, lc, NULL) == 0 &&
		   same_state(&a, &b) && (b.amb & chown_bit),
		   "  with chown ambient: both readers see it");
		ok(caps_inh_amb_readback(0, &inh, &amb, NULL) == 0 &&
		   (inh & chown_bit) && amb == b.amb,
		   "  and so does the read-back, asked for nothing");
		ok(caps_ambient_lower(chown_bit, b.amb, NULL) == 0 &&
		   caps_inh_amb_readback(chown_bit, &inh, &amb, NULL) == 0 &&
		   !(amb & chown_bit),
		   "  lowered: the read-back asked for chown finds it gone");
		ok(caps_set(a.eff, a.prm, a.inh & ~chown_bit, NULL) == 0,
		   "  inheritable set restored");
	} else {
		for (cap = 0; cap < 4; cap++)
			printf("ok %d # SKIP cannot raise an ambient capability "
			       "here\n", ++tap_n);
	}
	if (caps_state_read_syscalls(&a, lc, NULL) < 0)
		a.bnd = 0;
	/* Drop the highest capability left, if this process may. */
	for (cap = lc; cap >= 0 && !(a.bnd & CAPS_BIT(cap)); cap--)
		;
	if (cap >= 0 && (a.eff & CAPS_BIT(CAP_SETPCAP)) &&
	    prctl(PR_CAPBSET_DROP, (unsigned long)cap, 0UL, 0UL, 0UL) == 0) {
		ok(caps_state_read_syscalls(&b, lc, NULL) == 0 &&
		   b.bnd == (a.bnd & ~CAPS_BIT(cap)) &&
		   caps_state_read(&a, lc, NULL) == 0 && same_state(&a, &b),
		   "  cap %d dropped: both readers see it gone", cap);
		ok(caps_bounding_verify(b.bnd, lc, NULL) == 0 &&
		   caps_bounding_verify(b.bnd | CAPS_BIT(cap), lc, NULL) < 0,
		   "  and caps_bounding_verify() agrees, and only with that");
	} else {
		printf("ok %d # SKIP cannot drop from the bounding set here\n",
		       ++tap_n);
		printf("ok %d # SKIP cannot drop from the bounding set here\n",
		       ++tap_n);
	}
}

int main(void)
{
	test_accepted();
	test_rejected();
	test_long_item();
	test_name();
	test_format();
	test_parse_mask();
	test_kernel_mask();
	test_last_cap();
	test_state_readers();
	return tap_done();
}
