// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * caps.c - capability sets: parse, format, read, drop, raise.
 *
 * No printing, no exit: every function returns 0 or -1 and says what
 * failed through errno and struct caps_fail / struct caps_perror.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <linux/securebits.h>

#include <sys/capability.h>

#include "caps.h"

static void fail_set(struct caps_fail *fail, const char *call, int cap)
{
	if (fail) {
		fail->call = call;
		fail->cap = cap;
		fail->err = errno;
	}
}

capmask_t caps_kernel_mask(int last_cap)
{
	if (last_cap < 0)
		return 0;
	if (last_cap >= CAPS_NUM_MAX)
		return ~(capmask_t)0;
	return CAPS_BIT(last_cap + 1) - 1;
}

/* Strict decimal 0..max: digits only, no sign, no spaces. */
static int parse_small(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

int caps_last_cap(void)
{
	char buf[16];
	unsigned long v;
	ssize_t n;
	int fd, lo, hi;
	cap_value_t bits = cap_max_bits();

	/*
	 * libcap's constructor has counted the kernel's capabilities before
	 * main(), by a binary search of PR_CAPBSET_READ: exact whenever
	 * that call answers, and libcap's built-in count when it does not.
	 * One read of the last capability it counted tells the two apart
	 * (the fallback means even capability 0 could not be read), for one
	 * system call where /proc/sys/kernel/cap_last_cap costs three.
	 */
	if (bits >= 1 && bits <= CAPS_NUM_MAX + 1 &&
	    prctl(PR_CAPBSET_READ, (unsigned long)(bits - 1), 0UL, 0UL, 0UL) >= 0)
		return (int)bits - 1;

	fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			if (buf[n - 1] == '\n')
				buf[n - 1] = '\0';
			if (parse_small(buf, CAPS_NUM_MAX, &v) == 0)
				return (int)v;
		}
	}
	/*
	 * No /proc (early boot, a bare chroot): PR_CAPBSET_READ answers
	 * EINVAL for a capability the kernel does not know, and every lower
	 * one is known, so a binary search finds the last.
	 */
	if (prctl(PR_CAPBSET_READ, 0UL, 0UL, 0UL, 0UL) < 0)
		return -1;
	lo = 0;
	hi = CAPS_NUM_MAX;
	while (lo < hi) {
		int mid = (lo + hi + 1) / 2;

		if (prctl(PR_CAPBSET_READ, (unsigned long)mid, 0UL, 0UL, 0UL) >= 0)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

const char *caps_perr_str(enum caps_perr why)
{
	switch (why) {
	case CAPS_PERR_NONE:
		return "no error";
	case CAPS_PERR_EMPTY:
		return "empty capability name";
	case CAPS_PERR_UNKNOWN:
		return "unknown capability";
	case CAPS_PERR_RANGE:
		return "capability number out of range (0..63)";
	case CAPS_PERR_KERNEL:
		return "the running kernel's capability range is unknown";
	}
	return "invalid capability";
}

void caps_name(int cap, char buf[CAPS_NAME_MAX])
{
	char *name = NULL;

	/*
	 * libcap answers a bare number for a capability it has no name
	 * for; print those as cap_N, which caps_parse() takes back.
	 */
	if (cap >= 0 && cap <= CAPS_NUM_MAX)
		name = cap_to_name((cap_value_t)cap);
	if (name && strncmp(name, "cap_", 4) == 0 &&
	    strlen(name) < CAPS_NAME_MAX)
		snprintf(buf, CAPS_NAME_MAX, "%s", name);
	else
		snprintf(buf, CAPS_NAME_MAX, "cap_%d", cap);
	if (name)
		cap_free(name);
}

/* tolower() of the C locale, which capbound never leaves. */
static char ascii_lower(char c)
{
	static const char lower[] = "abcdefghijklmnopqrstuvwxyz";

	if (c >= 'A' && c <= 'Z')
		return lower[c - 'A'];
	return c;
}

/* One item, already trimmed: 0 and *cap, 1 for "all", or -1 and *why. */
static int parse_item(const char *item, size_t len, int *cap,
		      enum caps_perr *why)
{
	char norm[CAPS_NAME_MAX];
	char *rest;
	char *canon;
	cap_value_t v;
	unsigned long num;
	size_t i;

	if (len == 0) {
		*why = CAPS_PERR_EMPTY;
		return -1;
	}
	/* Longer than any name: unknown, without reading it further. */
	if (len + 1 > sizeof(norm) - 4) {
		*why = CAPS_PERR_UNKNOWN;
		return -1;
	}
	/* Lower case, "cap_" prefixed, so "NET_RAW" and "cap_net_raw" agree. */
	memcpy(norm, "cap_", 4);
	for (i = 0; i < len; i++)
		norm[4 + i] = ascii_lower(item[i]);
	norm[4 + len] = '\0';
	rest = norm + 4;
	if (strncmp(rest, "cap_", 4) == 0)
		rest += 4;
	else if (strcmp(rest, "all") == 0)
		return 1;
	if (*rest == '\0') {
		*why = CAPS_PERR_UNKNOWN;
		return -1;
	}
	if (rest[0] >= '0' && rest[0] <= '9') {
		for (i = 0; rest[i]; i++) {
			if (rest[i] < '0' || rest[i] > '9') {
				*why = CAPS_PERR_UNKNOWN;
				return -1;
			}
		}
		if (parse_small(rest, CAPS_NUM_MAX, &num) < 0) {
			*why = CAPS_PERR_RANGE;
			return -1;
		}
		*cap = (int)num;
		return 0;
	}
	/* Re-prefix in place: rest may have been past a typed "cap_". */
	if (rest != norm + 4)
		memmove(norm + 4, rest, strlen(rest) + 1);
	/*
	 * cap_from_name() takes "cap_net_raw+ep" and other trailing junk,
	 * so ask libcap for its canonical name of the value it found and
	 * demand the whole item matches it.
	 */
	if (cap_from_name(norm, &v) != 0 || v < 0 || v > CAPS_NUM_MAX) {
		*why = CAPS_PERR_UNKNOWN;
		return -1;
	}
	canon = cap_to_name(v);
	if (!canon || strcmp(canon, norm) != 0) {
		if (canon)
			cap_free(canon);
		*why = CAPS_PERR_UNKNOWN;
		return -1;
	}
	cap_free(canon);
	*cap = (int)v;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int caps_parse(const char *list, int last_cap, capmask_t *out,
	       struct caps_perror *perr)
{
	capmask_t set = 0;
	const char *p = list;
	enum caps_perr why = CAPS_PERR_NONE;

	if (perr) {
		perr->why = CAPS_PERR_NONE;
		perr->item[0] = '\0';
	}
	if (!list || !out) {
		errno = EINVAL;
		return -1;
	}
	for (;;) {
		const char *start, *end, *comma;
		int cap, r;

		comma = strchr(p, ',');
		end = comma ? comma : p + strlen(p);
		start = p;
		while (start < end && is_blank(*start))
			start++;
		while (end > start && is_blank(end[-1]))
			end--;
		r = parse_item(start, (size_t)(end - start), &cap, &why);
		if (r == 1) {
			if (last_cap < 0) {
				why = CAPS_PERR_KERNEL;
				r = -1;
			} else {
				set |= caps_kernel_mask(last_cap);
			}
		} else if (r == 0) {
			set |= CAPS_BIT(cap);
		}
		if (r < 0) {
			if (perr) {
				size_t n = (size_t)(end - start);

				if (n >= sizeof(perr->item))
					n = sizeof(perr->item) - 1;
				memcpy(perr->item, start, n);
				perr->item[n] = '\0';
				perr->why = why;
			}
			errno = EINVAL;
			return -1;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	*out = set;
	return 0;
}

int caps_parse_mask(const char *hex, capmask_t *out)
{
	capmask_t v = 0;
	const char *p = hex;
	int digits = 0;

	if (!hex || !out) {
		errno = EINVAL;
		return -1;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	for (; *p; p++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else {
			errno = EINVAL;
			return -1;
		}
		/* Leading zeros are free; more than 64 bits are not. */
		if (v >> 60) {
			errno = ERANGE;
			return -1;
		}
		v = (v << 4) | (capmask_t)d;
		digits++;
	}
	if (digits == 0) {
		errno = EINVAL;
		return -1;
	}
	*out = v;
	return 0;
}

int caps_format(capmask_t set, char *buf, size_t len)
{
	size_t used = 0;
	int cap;

	if (!buf || len == 0) {
		errno = ERANGE;
		return -1;
	}
	buf[0] = '\0';
	for (cap = 0; cap <= CAPS_NUM_MAX; cap++) {
		char name[CAPS_NAME_MAX];
		size_t n;

		if (!(set & CAPS_BIT(cap)))
			continue;
		caps_name(cap, name);
		n = strlen(name);
		if (used + n + (used ? 1 : 0) + 1 > len) {
			errno = ERANGE;
			return -1;
		}
		if (used)
			buf[used++] = ',';
		memcpy(buf + used, name, n + 1);
		used += n;
	}
	return 0;
}

static capmask_t join(uint32_t lo, uint32_t hi)
{
	return (capmask_t)lo | ((capmask_t)hi << 32);
}

/*
 * The thread's effective, permitted and inheritable sets, by capget(2)
 * through glibc, version 3 (two 32-bit words); a failure is named
 * "capget", for capability cap (-1: none in particular).
 */
static int sets_get(capmask_t *eff, capmask_t *prm, capmask_t *inh, int cap,
		    struct caps_fail *fail)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (capget(&hdr, data) < 0) {
		fail_set(fail, "capget", cap);
		return -1;
	}
	*eff = join(data[0].effective, data[1].effective);
	*prm = join(data[0].permitted, data[1].permitted);
	*inh = join(data[0].inheritable, data[1].inheritable);
	return 0;
}

static int hexfield(const char *line, const char *key, capmask_t *out)
{
	size_t k = strlen(key);

	if (strncmp(line, key, k) != 0)
		return 0;
	line += k;
	while (is_blank(*line))
		line++;
	{
		char tmp[20];
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : 0;

		/* A line cut short (no newline) may hold a cut-short mask. */
		if (n == 0 || n >= sizeof(tmp))
			return -1;
		memcpy(tmp, line, n);
		tmp[n] = '\0';
		if (caps_parse_mask(tmp, out) < 0)
			return -1;
	}
	return 1;
}

/*
 * /proc/thread-self/status carries all five sets in one read.  It is
 * trusted only when it is procfs and its Pid: line is this thread's id;
 * anything else (no /proc, an odd mount) falls back to the system calls.
 * The thread's own file, not /proc/self (the thread-group leader's):
 * capget(2), capset(2) and the prctl(2)s act on the calling thread, and a
 * PAM client may open a session from any of its threads.
 */
static int state_from_proc(struct caps_state *st)
{
	char buf[8192];
	struct statfs sfs;
	size_t used = 0;
	ssize_t n;
	int fd, seen = 0;
	long pid = -1;
	char *line;

	fd = open("/proc/thread-self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		goto fail;
	while (used < sizeof(buf) - 1) {
		n = pread(fd, buf + used, sizeof(buf) - 1 - used, (off_t)used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		used += (size_t)n;
		buf[used] = '\0';
		/*
		 * CapAmb: is the last line this needs (the kernel prints the
		 * Cap* lines in a fixed order, after Pid:).  Once it is
		 * complete, stop: a further read() only to see end-of-file
		 * costs a system call on every run.  Kernels without CapAmb:
		 * read to the end and fail the check below.
		 */
		line = strstr(buf, "\nCapAmb:");
		if (line && strchr(line + 1, '\n'))
			break;
	}
	buf[used] = '\0';
	for (line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		int r = 0;

		if (strncmp(line, "Pid:", 4) == 0) {
			const char *d = line + 4;

			while (is_blank(*d))
				d++;
			for (pid = 0; *d >= '0' && *d <= '9' && pid < 1L << 31; d++)
				pid = pid * 10 + (*d - '0');
			continue;
		}
		/* Most of the ~55 lines are not ours: one look settles it. */
		if (line[0] != 'C' || line[1] != 'a' || line[2] != 'p')
			continue;
		if ((r = hexfield(line, "CapInh:", &st->inh)) ||
		    (r = hexfield(line, "CapPrm:", &st->prm)) ||
		    (r = hexfield(line, "CapEff:", &st->eff)) ||
		    (r = hexfield(line, "CapBnd:", &st->bnd)) ||
		    (r = hexfield(line, "CapAmb:", &st->amb))) {
			if (r < 0)
				goto fail;
			seen++;
		}
	}
	/* In a task's status file, Pid: is the thread's id. */
	if (seen != 5 || pid != (long)gettid())
		goto fail;
	close(fd);
	return 0;
fail:
	close(fd);
	return -1;
}

/*
 * PR_CAP_AMBIENT_IS_SET for each capability of probe, into *amb.  The
 * kernel keeps the ambient set within permitted and inheritable (capset
 * and every credential change cut it to pP & pI), so a reader probes only
 * those: usually none.  Before Linux 4.3 the first probe fails EINVAL
 * and there is no ambient set: empty.
 */
static int ambient_probe(capmask_t probe, capmask_t *amb,
			 struct caps_fail *fail)
{
	int cap, r, first = 1;

	*amb = 0;
	for (cap = 0; cap <= CAPS_NUM_MAX; cap++) {
		if (!(probe & CAPS_BIT(cap)))
			continue;
		r = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET,
			  (unsigned long)cap, 0UL, 0UL);
		if (r < 0 && errno == EINVAL && first)
			return 0;
		if (r < 0) {
			fail_set(fail, "prctl(PR_CAP_AMBIENT_IS_SET)", cap);
			return -1;
		}
		first = 0;
		if (r)
			*amb |= CAPS_BIT(cap);
	}
	return 0;
}

int caps_state_read_syscalls(struct caps_state *st, int last_cap,
			     struct caps_fail *fail)
{
	int cap, r;

	if (sets_get(&st->eff, &st->prm, &st->inh, -1, fail) < 0)
		return -1;
	st->bnd = 0;
	st->amb = 0;
	if (last_cap < 0)
		return 0;
	for (cap = 0; cap <= last_cap; cap++) {
		r = prctl(PR_CAPBSET_READ, (unsigned long)cap, 0UL, 0UL, 0UL);
		if (r < 0) {
			fail_set(fail, "prctl(PR_CAPBSET_READ)", cap);
			return -1;
		}
		if (r)
			st->bnd |= CAPS_BIT(cap);
	}
	return ambient_probe(st->prm & st->inh, &st->amb, fail);
}

int caps_inh_amb_readback(capmask_t amb_want, capmask_t *inh, capmask_t *amb,
			  struct caps_fail *fail)
{
	capmask_t eff, prm;

	if (sets_get(&eff, &prm, inh, -1, fail) < 0)
		return -1;
	/* What was asked, and all that could be there, one by one. */
	return ambient_probe(amb_want | (prm & *inh), amb, fail);
}

int caps_state_read(struct caps_state *st, int last_cap,
		    struct caps_fail *fail)
{
	struct caps_state tmp;

	if (state_from_proc(&tmp) == 0) {
		*st = tmp;
		return 0;
	}
	return caps_state_read_syscalls(st, last_cap, fail);
}

int caps_set(capmask_t eff, capmask_t prm, capmask_t inh,
	     struct caps_fail *fail)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct data[2] = {
		{ (uint32_t)eff, (uint32_t)prm, (uint32_t)inh },
		{ (uint32_t)(eff >> 32), (uint32_t)(prm >> 32),
		  (uint32_t)(inh >> 32) },
	};

	if (capset(&hdr, data) < 0) {
		fail_set(fail, "capset", -1);
		return -1;
	}
	return 0;
}

int caps_effective_raise(int cap, struct caps_fail *fail)
{
	capmask_t eff, prm, inh;

	if (sets_get(&eff, &prm, &inh, cap, fail) < 0)
		return -1;
	if (eff & CAPS_BIT(cap))
		return 0;
	if (!(prm & CAPS_BIT(cap))) {
		errno = EPERM;
		fail_set(fail, "capset", cap);
		return -1;
	}
	if (caps_set(eff | CAPS_BIT(cap), prm, inh, fail) < 0) {
		if (fail)
			fail->cap = cap;
		return -1;
	}
	return 0;
}

int caps_bounding_drop(capmask_t drop, capmask_t bnd, struct caps_fail *fail)
{
	int cap;

	for (cap = 0; cap <= CAPS_NUM_MAX; cap++) {
		if (!(drop & bnd & CAPS_BIT(cap)))
			continue;
		if (prctl(PR_CAPBSET_DROP, (unsigned long)cap, 0UL, 0UL, 0UL) < 0) {
			fail_set(fail, "prctl(PR_CAPBSET_DROP)", cap);
			return -1;
		}
	}
	return 0;
}

/*
 * A read-back that shares nothing with the plan's reader: one
 * PR_CAPBSET_READ per capability, each compared on its own with want
 * (no mask is built), up to the first capability the kernel does not
 * know, so that neither a wrong accumulation in a reader nor a
 * last_cap that is too low can make a capability left in place agree
 * with the plan.
 */
int caps_bounding_verify(capmask_t want, int last_cap, struct caps_fail *fail)
{
	int cap, r;

	for (cap = 0; cap <= CAPS_NUM_MAX; cap++) {
		r = prctl(PR_CAPBSET_READ, (unsigned long)cap, 0UL, 0UL, 0UL);
		/* EINVAL: beyond the kernel's last capability, none held. */
		if (r < 0 && errno == EINVAL && cap > last_cap)
			return 0;
		if (r < 0) {
			fail_set(fail, "prctl(PR_CAPBSET_READ)", cap);
			return -1;
		}
		if ((r > 0) != !!(want & CAPS_BIT(cap))) {
			errno = 0;
			fail_set(fail, r > 0 ? "bounding set read-back: still "
				 "held" : "bounding set read-back: missing", cap);
			return -1;
		}
	}
	return 0;
}

int caps_ambient_lower(capmask_t set, capmask_t amb, struct caps_fail *fail)
{
	int cap;

	for (cap = 0; cap <= CAPS_NUM_MAX; cap++) {
		if (!(set & amb & CAPS_BIT(cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER,
			  (unsigned long)cap, 0UL, 0UL) < 0) {
			fail_set(fail, "prctl(PR_CAP_AMBIENT_LOWER)", cap);
			return -1;
		}
	}
	return 0;
}

int caps_inh_amb_limit(capmask_t keep, const struct caps_state *cur,
		       struct caps_fail *fail)
{
	struct caps_state now;

	/* Lowering pI would lower pA too; lower pA first, by name. */
	if (caps_ambient_lower(cur->amb & ~keep, cur->amb, fail) < 0)
		return -1;
	if (!(cur->inh & ~keep))
		return 0;
	/* Effective and permitted as they are now (a drop may have raised). */
	if (caps_state_read_syscalls(&now, -1, fail) < 0)
		return -1;
	if (caps_set(now.eff, now.prm, now.inh & keep, fail) < 0) {
		if (fail)
			fail->call = "capset (inheritable set)";
		return -1;
	}
	return 0;
}

int caps_ambient_raise(capmask_t set, struct caps_fail *fail)
{
	int cap;

	for (cap = 0; cap <= CAPS_NUM_MAX; cap++) {
		if (!(set & CAPS_BIT(cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE,
			  (unsigned long)cap, 0UL, 0UL) < 0) {
			fail_set(fail, "prctl(PR_CAP_AMBIENT_RAISE)", cap);
			return -1;
		}
	}
	return 0;
}

const struct caps_securebit caps_securebits[] = {
	{ "noroot", SECBIT_NOROOT },
	{ "noroot-locked", SECBIT_NOROOT_LOCKED },
	{ "no-setuid-fixup", SECBIT_NO_SETUID_FIXUP },
	{ "no-setuid-fixup-locked", SECBIT_NO_SETUID_FIXUP_LOCKED },
	{ "keep-caps-locked", SECBIT_KEEP_CAPS_LOCKED },
	{ "no-cap-ambient-raise", SECBIT_NO_CAP_AMBIENT_RAISE },
	{ "no-cap-ambient-raise-locked", SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED },
};
const size_t caps_nsecurebits =
	sizeof(caps_securebits) / sizeof(caps_securebits[0]);

int caps_securebits_parse(const char *list, unsigned long *bits,
			  char bad[CAPS_NAME_MAX])
{
	unsigned long set = 0;
	const char *p = list;

	bad[0] = '\0';
	if (!list || !bits) {
		errno = EINVAL;
		return -1;
	}
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		size_t i;

		if (len == 0) {
			errno = EINVAL;
			return -1;
		}
		for (i = 0; i < caps_nsecurebits; i++) {
			if (strlen(caps_securebits[i].name) == len &&
			    strncmp(caps_securebits[i].name, p, len) == 0)
				break;
		}
		if (i == caps_nsecurebits) {
			if (len >= CAPS_NAME_MAX)
				len = CAPS_NAME_MAX - 1;
			memcpy(bad, p, len);
			bad[len] = '\0';
			errno = EINVAL;
			return -1;
		}
		set |= caps_securebits[i].bit;
		if (!comma)
			break;
		p = comma + 1;
	}
	*bits = set;
	return 0;
}
