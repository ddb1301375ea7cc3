/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * caps.h - capability sets for capbound and pam_capbound.
 *
 * Everything here returns 0 on success and -1 on failure, with errno set
 * and, where a caller passes one, a struct caps_fail naming the call and
 * the capability that failed.  Nothing here prints, exits or looks at argv:
 * the command and the PAM module own their messages.
 */
#ifndef CAPBOUND_CAPS_H
#define CAPBOUND_CAPS_H

#include <stddef.h>
#include <stdint.h>

/* A set of capabilities: bit N is capability N.  Numbers are 0..63. */
typedef uint64_t capmask_t;

#define CAPS_NUM_MAX	63
#define CAPS_BIT(c)	((capmask_t)1 << (c))

/* Longest "cap_xxx" name plus NUL; used for names and for reported items. */
#define CAPS_NAME_MAX	48

/* Why caps_parse() rejected an item. */
enum caps_perr {
	CAPS_PERR_NONE = 0,
	CAPS_PERR_EMPTY,	/* empty list or empty item ("a,,b", "a,") */
	CAPS_PERR_UNKNOWN,	/* not a capability name libcap knows */
	CAPS_PERR_RANGE,	/* a number above 63 */
	CAPS_PERR_KERNEL,	/* "all", but the kernel's range is unknown */
};

struct caps_perror {
	enum caps_perr why;
	char item[CAPS_NAME_MAX];	/* the offending item, trimmed, cut */
};

/* Which privileged call failed, on which capability (-1: not one). */
struct caps_fail {
	const char *call;
	int cap;
	int err;
};

/*
 * The running kernel's last capability: libcap's count from its start-up
 * probe, confirmed with one PR_CAPBSET_READ; else
 * /proc/sys/kernel/cap_last_cap; else a PR_CAPBSET_READ binary search.
 * -1 if none works.
 */
int caps_last_cap(void);

/* Every capability 0..last_cap. */
capmask_t caps_kernel_mask(int last_cap);

/*
 * Parse a CAPS list: comma-separated items, each a name with or without
 * "cap_" in any case, a number N or cap_N (0..63), or "all" (0..last_cap).
 * Spaces and tabs around items are ignored.  Capabilities above last_cap
 * are accepted (the caller may warn); last_cap < 0 only fails "all".
 */
int caps_parse(const char *list, int last_cap, capmask_t *out,
	       struct caps_perror *perr);
const char *caps_perr_str(enum caps_perr why);

/* A hex mask as /proc/PID/status prints it, with or without 0x. */
int caps_parse_mask(const char *hex, capmask_t *out);

/* "cap_net_raw", or "cap_41" for a capability libcap has no name for. */
void caps_name(int cap, char buf[CAPS_NAME_MAX]);

/* "cap_chown,cap_net_raw"; "" for the empty set.  -1/ERANGE if len short. */
int caps_format(capmask_t set, char *buf, size_t len);

/* Bytes caps_format() may need for any set. */
#define CAPS_FORMAT_MAX	((CAPS_NUM_MAX + 1) * CAPS_NAME_MAX)

/* The five sets of this process. */
struct caps_state {
	capmask_t inh, prm, eff, bnd, amb;
};

/*
 * Read all five sets of the calling thread.  One read of
 * /proc/thread-self/status (checked to be procfs and this thread's);
 * where /proc is missing, capget(2) and one prctl(2) per capability up
 * to last_cap.
 */
int caps_state_read(struct caps_state *st, int last_cap,
		    struct caps_fail *fail);

/*
 * Same, never from /proc: capget(2), one PR_CAPBSET_READ per capability
 * up to last_cap, and PR_CAP_AMBIENT_IS_SET only for what is both
 * permitted and inheritable (the kernel keeps the ambient set within
 * both).  Cheaper than /proc in a process that has just started: the
 * command's plan reads this way.  With last_cap < 0 only capget(2):
 * effective, permitted and inheritable, with the bounding and ambient
 * sets left empty.
 */
int caps_state_read_syscalls(struct caps_state *st, int last_cap,
			     struct caps_fail *fail);

/*
 * Step 7's read-back of the inheritable and ambient sets, apart from the
 * plan's reader: its own capget(2) for *inh, and *amb from
 * PR_CAP_AMBIENT_IS_SET of each capability of amb_want (so that an
 * ambient raise that did nothing shows) and of pP & pI.  The caller
 * compares; caps_bounding_verify() checks the bounding set.
 */
int caps_inh_amb_readback(capmask_t amb_want, capmask_t *inh, capmask_t *amb,
			  struct caps_fail *fail);

/* Raise cap to the effective set; it must already be permitted. */
int caps_effective_raise(int cap, struct caps_fail *fail);

/* capset(2) all three sets at once. */
int caps_set(capmask_t eff, capmask_t prm, capmask_t inh,
	     struct caps_fail *fail);

/*
 * PR_CAPBSET_DROP every capability in drop that is set in bnd (the
 * current bounding set).  Needs CAP_SETPCAP effective when anything is
 * left to drop; see caps_effective_raise().
 */
int caps_bounding_drop(capmask_t drop, capmask_t bnd, struct caps_fail *fail);

/*
 * Check with one PR_CAPBSET_READ per capability, each on its own, that
 * the bounding set is exactly want, up to the kernel's last capability
 * (a capability beyond last_cap that the kernel still knows must be
 * absent).  -1 with fail->err 0 on a difference, naming the capability.
 */
int caps_bounding_verify(capmask_t want, int last_cap, struct caps_fail *fail);

/* PR_CAP_AMBIENT_LOWER every capability of set that is in amb. */
int caps_ambient_lower(capmask_t set, capmask_t amb, struct caps_fail *fail);

/*
 * Keep nothing outside keep in the inheritable and ambient sets: lower
 * every ambient capability of cur->amb outside keep, then capset(2) the
 * inheritable set to cur->inh & keep where that removes anything.  The
 * kernel limits neither set by the bounding set (pI & fI and pA reach an
 * exec'd program's permitted set), so after a bounding drop both must be
 * cut to it.  cur is the state read before any change.
 */
int caps_inh_amb_limit(capmask_t keep, const struct caps_state *cur,
		       struct caps_fail *fail);

/* PR_CAP_AMBIENT_RAISE every capability of set. */
int caps_ambient_raise(capmask_t set, struct caps_fail *fail);

/* Securebits by the names --securebits takes, in the kernel's order. */
struct caps_securebit {
	const char *name;
	unsigned long bit;
};
extern const struct caps_securebit caps_securebits[];
extern const size_t caps_nsecurebits;

/*
 * A comma list of those names: the bits or-ed together.  -1 (EINVAL) on
 * an empty item (bad[0] == '\0') or an unknown one (in bad, cut).
 */
int caps_securebits_parse(const char *list, unsigned long *bits,
			  char bad[CAPS_NAME_MAX]);

#endif
